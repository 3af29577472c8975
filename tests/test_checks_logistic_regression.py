"""The exercise checks of notebook 04: right answers pass, typical wrong answers get
the specific message written for them."""

import math

import numpy as np
import pytest

from helpers import logistic_regression as lg
from helpers.activations import sigmoid as stable_sigmoid
from helpers.checks import (
    check_logistic_cost,
    check_logistic_forward,
    check_logistic_optimize,
    check_logistic_predict,
    check_logistic_propagate,
)


def s(z):
    return 1 / (1 + np.exp(-z))


def test_notebook_04_has_five_checks():
    from helpers.checks import logistic_regression

    assert len(logistic_regression.__all__) == 5


# --- Exercise 1: forward ----------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda X, w, b: s(w.T @ X + b),
    lambda X, w, b: stable_sigmoid(np.dot(w.T, X) + b),
    lambda X, w, b: s(np.sum(w * X, axis=0, keepdims=True) + b),
    lg.probabilities,
])
def test_forward_correct(right):
    verdict = check_logistic_forward(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda X, w, b: s(X.T @ w + b), "You computed Xᵀw"),
    (lambda X, w, b: w.T @ X + b, "That is z = wᵀX + b"),
    (lambda X, w, b: s(w.T @ X), "bias b is missing"),
    (lambda X, w, b: s(w.T @ X) + b, "belongs inside σ"),
    (lambda X, w, b: 1 / (1 + np.exp(w.T @ X + b)), "sign slip in the sigmoid"),
    (lambda X, w, b: s(np.sum(w * X, axis=1) + b), "along axis 0"),
    (lambda X, w, b: s(w @ X + b), "w.T @ X + b"),
    (lambda w, b, X: s(w.T @ X + b), "def forward(X, w, b)"),  # Ng's order
    (lambda X, w, b: np.tanh(w.T @ X + b), "That is tanh(z)"),
    (lambda X, w, b: np.maximum(0, w.T @ X + b), "That is ReLU"),
    (lambda X, w, b: 1 / (1 + math.exp(-(w.T @ X + b))), "use NumPy's (np.exp"),
])
def test_forward_typical_mistakes(wrong, words):
    verdict = check_logistic_forward(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


def test_forward_transposed_gets_a_shape_hint_too():
    verdict = check_logistic_forward(lambda X, w, b: s(X.T @ w + b))
    assert "transposed" in verdict.message


# --- Exercise 2: the cost ---------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda A, Y: -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)),
    lambda A, Y: -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Y.shape[1],
    lambda A, Y: float(np.squeeze(-(np.log(A) @ Y.T + np.log(1 - A) @ (1 - Y).T)
                                  / Y.shape[1])),
    lg.cost,
    # a number given as a (1, 1) array (Ng's np.dot cost) or a (1,) array is accepted
    lambda A, Y: -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / Y.shape[1],
    lambda A, Y: -np.sum(losses(A, Y), axis=1) / A.shape[1],
])
def test_cost_correct(right):
    verdict = check_logistic_cost(right)
    assert verdict.passed, verdict.message


def losses(A, Y):
    return Y * np.log(A) + (1 - Y) * np.log(1 - A)


@pytest.mark.parametrize("wrong, words", [
    (lambda A, Y: -np.sum(losses(A, Y)), "m times too big"),
    (lambda A, Y: np.mean(losses(A, Y)), "The sign is wrong"),
    (lambda A, Y: -np.mean(losses(A, Y), axis=0), "averaged along axis 0"),
    (lambda A, Y: -np.sum(losses(A, Y), axis=0) / A.shape[1], "summed along axis 0"),
    (lambda A, Y: -np.mean(Y * np.log(A)), "second term is missing"),
    (lambda A, Y: -np.mean(Y * np.log10(A) + (1 - Y) * np.log10(1 - A)), "np.log10"),
    (lambda A, Y: np.mean((A - Y) ** 2), "squared error"),
    (lambda A, Y: -np.mean(Y * np.log(1 - A) + (1 - Y) * np.log(A)), "terms are swapped"),
    (lambda A, Y: -np.sum(losses(A, Y)) / A.shape[0], "m times too big"),  # / n, not / m
    (lambda A, Y: -np.sum(losses(A, Y)) / (A.shape[1] - 1), "divided by m − 1"),
    (lambda A, Y: -sum(math.log(a) for a in A), "use NumPy's (np.exp, np.log"),
])
def test_cost_typical_mistakes(wrong, words):
    verdict = check_logistic_cost(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


# --- Exercise 3: propagate --------------------------------------------------------------


def reference(X, Y, w, b):
    m = X.shape[1]
    A = s(w.T @ X + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dZ = A - Y
    return cost, X @ dZ.T / m, np.sum(dZ) / m


def variant(dz_sign=1, dw=None, db=None, cost_factor=1.0):
    def fn(X, Y, w, b):
        m = X.shape[1]
        A = s(w.T @ X + b)
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)) * cost_factor(m) \
            if callable(cost_factor) else -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        dZ = dz_sign * (A - Y)
        return (cost, X @ dZ.T / m if dw is None else dw(X, dZ, m),
                np.sum(dZ) / m if db is None else db(dZ, m))
    return fn


@pytest.mark.parametrize("right", [
    reference,
    lg.propagate,
    lambda X, Y, w, b: (reference(X, Y, w, b)[0],
                        np.dot(X, (s(np.dot(w.T, X) + b) - Y).T) / X.shape[1],
                        float(np.mean(s(w.T @ X + b) - Y))),
])
def test_propagate_correct(right):
    verdict = check_logistic_propagate(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (variant(dw=lambda X, dZ, m: dZ @ X.T / m), "shape of w transposed"),
    (variant(dz_sign=-1), "A sign slip: dz = a − y"),
    (variant(dw=lambda X, dZ, m: X @ dZ.T, db=lambda dZ, m: np.sum(dZ)), "missing in dw and db"),
    (variant(dw=lambda X, dZ, m: X @ dZ.T), "missing in dw:"),
    (variant(db=lambda dZ, m: np.sum(dZ)), "missing in db:"),
    (variant(cost_factor=lambda m: m), "missing in the cost"),
    (variant(db=lambda dZ, m: np.sum(dZ, axis=0) / m), "db sums along the wrong axis"),
    (variant(dw=lambda X, dZ, m: np.sum(X * dZ, axis=0, keepdims=True) / m),
     "dw sums along the wrong axis"),
    (lambda X, Y, w, b: (reference(X, Y, w, b)[0], X @ s(w.T @ X + b).T / X.shape[1],
                         np.mean(s(w.T @ X + b))), "label y is missing"),
    (lambda X, Y, w, b: reference(X, Y, w.T, b), "w.T @ X"),  # w @ X inside
    (lambda w, b, X, Y: reference(X, Y, w, b), "def propagate(X, Y, w, b)"),  # Ng's order
])
def test_propagate_typical_mistakes(wrong, words):
    verdict = check_logistic_propagate(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


def test_propagate_must_return_three_values():
    verdict = check_logistic_propagate(lambda X, Y, w, b: reference(X, Y, w, b)[1:])
    assert not verdict.passed and "return cost, dw, db" in verdict.message


# --- Exercise 4: optimize, the gradient descent loop -------------------------------------


def loop(sign=1.0, w_with="dw", update_b=True, record="before", order="wbc", count=0):
    """The loop of Exercise 4 with one typical change."""
    def optimize(X, Y, w, b, lr, steps):
        costs = []
        for _ in range(steps + count):
            cost, dw, db = lg.propagate(X, Y, w, b)
            if record == "before":
                costs.append(cost)
            w = w - sign * lr * (dw if w_with == "dw" else db)
            if update_b:
                b = b - sign * lr * db
            if record == "after":
                costs.append(lg.propagate(X, Y, w, b)[0])
        return {"wbc": (w, b, costs), "bwc": (b, w, costs), "cwb": (costs, w, b)}[order]
    return optimize


def ng_loop(X, Y, w, b, lr, steps):
    costs = []
    for _ in range(steps):
        cost, dw, db = lg.propagate(X, Y, w, b)
        costs.append(np.array([[cost]]))  # a (1, 1) cost, as Ng's np.dot gives it
        w -= lr * dw
        b -= lr * db
    return w, np.array([[b]]), costs


@pytest.mark.parametrize("right", [loop(), ng_loop])
def test_optimize_correct(right):
    verdict = check_logistic_optimize(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (loop(sign=-1.0), "A sign slip: gradient descent goes *down*hill"),
    (loop(w_with="db"), "You updated w with db"),
    (loop(update_b=False), "b is never updated"),
    (loop(record="never"), "you forgot to record the cost"),
    (loop(record="after"), "You recorded the cost after each update"),
    (loop(order="bwc"), "in the order b, w, costs"),
    (loop(order="cwb"), "in the order costs, w, b"),
    (loop(count=1), "One update too many"),
    (loop(count=-1), "One update too few"),
    (lambda X, Y, w, b, steps, lr: loop()(X, Y, w, b, lr, steps), "You swapped lr and steps"),
    (lambda w, b, X, Y, steps, lr: loop()(X, Y, w, b, lr, steps), "order of Ng's assignment"),
])
def test_optimize_typical_mistakes(wrong, words):
    verdict = check_logistic_optimize(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


def test_optimize_must_return_three_values():
    verdict = check_logistic_optimize(lambda X, Y, w, b, lr, steps: (w, b))
    assert not verdict.passed and "return w, b, costs" in verdict.message


# --- Exercise 5: predict ----------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda X, w, b, threshold: (s(w.T @ X + b) > threshold).astype(float),
    lambda X, w, b, threshold: s(w.T @ X + b) > threshold,  # booleans are fine
    lambda X, w, b, threshold: np.where(s(w.T @ X + b) > threshold, 1, 0),
    lg.predict,
])
def test_predict_correct(right):
    verdict = check_logistic_predict(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda X, w, b, t: s(w.T @ X + b), "Those are the probabilities"),
    (lambda X, w, b, t: (w.T @ X + b > t).astype(float), "not with z"),
    (lambda X, w, b, t: (s(w.T @ X + b) < t).astype(float), "wrong way round"),
    (lambda X, w, b, t: np.round(s(w.T @ X + b)), "ignores its threshold"),
    (lambda X, w, b, t: (s(w.T @ X + b) > t).ravel(), "flattened"),
    (lambda w, b, X, t: (s(w.T @ X + b) > t).astype(float), "takes w and b first"),
])
def test_predict_typical_mistakes(wrong, words):
    verdict = check_logistic_predict(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message
