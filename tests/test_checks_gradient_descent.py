"""The exercise checks of notebook 02: right answers pass, typical wrong answers get the
specific message written for them."""

import math

import numpy as np
import pytest

from helpers import gradient_descent as gd
from helpers.checks import (
    check_bias_correction,
    check_descent_step,
    check_ema,
    check_gradient,
    check_one_epoch,
    check_steps_per_epoch,
)

# --- Exercise: the gradient -----------------------------------------------------------

def gradient(x, y, w, b):
    y_hat = w * x + b
    return 2 * np.mean((y_hat - y) * x), 2 * np.mean(y_hat - y)


def gradient_expanded(x, y, w, b):  # the one-example formulas of the course, averaged
    return (np.mean(2 * x**2 * w + 2 * x * b - 2 * x * y),
            np.mean(2 * b + 2 * x * w - 2 * y))


def gradient_loop(x, y, w, b):
    dw = db = 0.0
    for xi, yi in zip(x, y, strict=True):
        dw += 2 * (w * xi + b - yi) * xi / len(x)
        db += 2 * (w * xi + b - yi) / len(x)
    return dw, db


@pytest.mark.parametrize("answer", [gradient, gradient_expanded, gradient_loop])
def test_gradient_correct(answer):
    verdict = check_gradient(answer)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, phrase", [
    (lambda x, y, w, b: (2 * np.mean((y - w * x - b) * x), 2 * np.mean(y - w * x - b)),
     "signs are flipped"),
    (lambda x, y, w, b: (2 * np.sum((w * x + b - y) * x), 2 * np.sum(w * x + b - y)),
     "divide by m"),
    (lambda x, y, w, b: (np.mean((w * x + b - y) * x), np.mean(w * x + b - y)),
     "factor 2 is missing"),
    (lambda x, y, w, b: (2 * np.sum((w * x + b - y) * x) / (x.size - 1),
                         2 * np.sum(w * x + b - y) / (x.size - 1)), "divided by m − 1"),
    (lambda x, y, w, b: (np.mean(2 * x * w + 2 * x * b - 2 * x * y),
                         np.mean(2 * b + 2 * x * w - 2 * y)), "needs x², not x"),
    (lambda x, y, w, b: (2 * np.mean(w * x + b - y), 2 * np.mean(w * x + b - y)),
     "missing the factor x"),
    (lambda x, y, w, b: (2 * np.mean(w * x + b - y), 2 * np.mean((w * x + b - y) * x)),
     "swapped"),
])
def test_gradient_typical_mistakes(wrong, phrase):
    verdict = check_gradient(wrong)
    assert not verdict.passed
    assert phrase in verdict.message, verdict.message


def test_gradient_one_value_only():
    verdict = check_gradient(lambda x, y, w, b: 2 * np.mean((w * x + b - y) * x))
    assert not verdict.passed and "return dw, db" in verdict.message


# --- Exercise: one step ---------------------------------------------------------------

def test_descent_step_correct():
    assert check_descent_step(lambda w, b, dw, db, lr: (w - lr * dw, b - lr * db)).passed


@pytest.mark.parametrize("wrong, phrase", [
    (lambda w, b, dw, db, lr: (w + lr * dw, b + lr * db), "uphill"),
    (lambda w, b, dw, db, lr: (w - dw, b - db), "learning rate is missing"),
    (lambda w, b, dw, db, lr: (w - dw / lr, b - db / lr), "don't divide"),
    (lambda w, b, dw, db, lr: (w - lr * dw, b), "Only w moved"),
    (lambda w, b, dw, db, lr: (w - lr * db, b - lr * dw), "each other's slope"),
])
def test_descent_step_typical_mistakes(wrong, phrase):
    verdict = check_descent_step(wrong)
    assert not verdict.passed and phrase in verdict.message, verdict.message


# --- Exercise: steps per epoch --------------------------------------------------------

@pytest.mark.parametrize("answer", [
    lambda m, batch_size: math.ceil(m / batch_size),
    lambda m, batch_size: -(-m // batch_size),
    lambda m, batch_size: int(np.ceil(m / batch_size)),
    lambda m, batch_size: np.ceil(m / batch_size),  # a NumPy float is a number too
])
def test_steps_per_epoch_correct(answer):
    assert check_steps_per_epoch(answer).passed


@pytest.mark.parametrize("wrong, phrase", [
    (lambda m, batch_size: m // batch_size, "Round *up*"),
    (lambda m, batch_size: round(m / batch_size), "You used round(m / B)"),
    (lambda m, batch_size: m / batch_size, "whole number"),
    (lambda m, batch_size: batch_size, "That is the batch size"),
    (lambda m, batch_size: m, "only stochastic gradient descent"),
    (lambda m, batch_size: m * batch_size, "not multiply"),
    (lambda m, batch_size: math.ceil(batch_size / m), "not B by m"),
])
def test_steps_per_epoch_typical_mistakes(wrong, phrase):
    verdict = check_steps_per_epoch(wrong)
    assert not verdict.passed and phrase in verdict.message, verdict.message


# --- Exercise: the exponentially weighted average -------------------------------------

def ema(values, beta):
    v, averaged = 0.0, []
    for value in values:
        v = beta * v + (1 - beta) * value
        averaged.append(v)
    return np.array(averaged)


def test_ema_correct():
    assert check_ema(ema).passed
    assert check_ema(lambda values, beta: list(ema(values, beta))).passed  # a list is fine


def ema_swapped(values, beta):
    return ema(values, 1 - beta)


def ema_from_first(values, beta):
    v, averaged = values[0], []
    for value in values:
        v = beta * v + (1 - beta) * value
        averaged.append(v)
    return np.array(averaged)


def ema_corrected(values, beta):
    return ema(values, beta) / (1 - beta ** np.arange(1, len(values) + 1))


@pytest.mark.parametrize("wrong, phrase", [
    (ema_swapped, "swapped"),
    (ema_from_first, "not from the first value"),
    (ema_corrected, "bias-corrected"),
    (lambda values, beta: np.cumsum(values) / np.arange(1, len(values) + 1), "running mean"),
])
def test_ema_typical_mistakes(wrong, phrase):
    verdict = check_ema(wrong)
    assert not verdict.passed and phrase in verdict.message, verdict.message


def test_ema_last_value_only_is_a_shape_error():
    verdict = check_ema(lambda values, beta: ema(values, beta)[-1])
    assert not verdict.passed and "wrong shape" in verdict.message


# --- Exercise: one epoch of mini-batch descent ----------------------------------------

def one_epoch(x, y, w, b, lr, batch_size, rng, *, order=None, stop=None, grad_on_all=False,
              carry=True, sign=-1, divide_by_m=False, separately=False):
    """The solution of the notebook, with a switch for each typical mistake."""
    m = x.size
    order = rng.permutation(m) if order is None else order
    order_y = rng.permutation(m) if separately else order
    path, w_now, b_now = [], w, b
    for start in range(0, stop or m, batch_size):
        batch, batch_y = order[start:start + batch_size], order_y[start:start + batch_size]
        xb, yb = (x, y) if grad_on_all else (x[batch], y[batch_y])
        r = w_now * xb + b_now - yb
        size = m if divide_by_m else r.size
        dw, db = 2 * np.sum(r * xb) / size, 2 * np.sum(r) / size
        w_new, b_new = w_now + sign * lr * dw, b_now + sign * lr * db
        path.append((w_new, b_new))
        if carry:
            w_now, b_now = w_new, b_new
    return np.array(path)


def one_epoch_indices(x, y, w, b, lr, batch_size, rng):  # rng.shuffle of the indices
    order = np.arange(x.size)
    rng.shuffle(order)
    path = []
    for i in range(math.ceil(x.size / batch_size)):
        batch = order[i * batch_size:(i + 1) * batch_size]
        dw, db = gradient(x[batch], y[batch], w, b)
        w, b = w - lr * dw, b - lr * db
        path.append([w, b])
    return path  # a list of lists is fine


@pytest.mark.parametrize("answer", [one_epoch, one_epoch_indices, gd.one_epoch])
def test_one_epoch_correct(answer):
    verdict = check_one_epoch(answer)
    assert verdict.passed, verdict.message


def rounded(x, y, w, b, lr, batch_size, rng):
    return one_epoch(x, y, w, b, lr, batch_size, rng,
                     stop=round(x.size / batch_size) * batch_size)


def once_at_the_end(x, y, w, b, lr, batch_size, rng):
    order, grads = rng.permutation(x.size), []
    for start in range(0, x.size, batch_size):
        batch = order[start:start + batch_size]
        grads.append(gradient(x[batch], y[batch], w, b))
    dw, db = np.mean(grads, axis=0)
    return np.array([[w - lr * dw, b - lr * db]])


@pytest.mark.parametrize("wrong, phrase", [
    (lambda *a: one_epoch(*a, order=np.arange(a[0].size)), "No shuffle"),
    (lambda x, y, w, b, lr, B, rng: one_epoch(x, y, w, b, lr, B, np.random.default_rng(0)),
     "same shuffle every epoch"),
    (lambda *a: one_epoch(*a, separately=True), "shuffled separately"),
    (lambda *a: one_epoch(*a, stop=a[0].size - a[0].size % a[5]), "last, smaller batch is "
                                                                  "dropped"),
    (rounded, "round(m / B)"),
    (lambda *a: one_epoch(*a, carry=False), "starts again from the w, b"),
    (once_at_the_end, "updated once, at the end"),
    (lambda *a: one_epoch(*a, grad_on_all=True), "gradient of all the data"),
    (lambda *a: one_epoch(*a, divide_by_m=True), "You divided by m"),
    (lambda *a: one_epoch(*a, sign=1), "uphill"),
    (lambda *a: one_epoch(*a) / [1, 1] * 0.5 + np.array(a[2:4]) * 0.5,
     "expected [["),  # no typical mistake: only "is ..., expected ..."
    (lambda *a: np.vstack([a[2:4], one_epoch(*a)]), "starts with the starting (w, b)"),
    (lambda *a: one_epoch(*a)[:, ::-1], "yours are (b, w)"),
    (lambda *a: one_epoch(*a)[-1], "only the last (w, b)"),
])
def test_one_epoch_typical_mistakes(wrong, phrase):
    verdict = check_one_epoch(wrong)
    assert not verdict.passed and phrase in verdict.message, verdict.message


def test_one_epoch_not_written_yet_and_errors():
    def stub(x, y, w, b, lr, batch_size, rng):
        raise NotImplementedError
    assert "not implemented yet" in check_one_epoch(stub).message
    verdict = check_one_epoch(lambda x, y, w, b, lr, batch_size, rng: x[batch_size + 100])
    assert not verdict.passed and "IndexError" in verdict.message


# --- Exercise: bias correction --------------------------------------------------------

def test_bias_correction_correct():
    assert check_bias_correction(lambda v, beta: v / (1 - beta ** np.arange(1, v.size + 1))
                                 ).passed
    assert check_bias_correction(  # a loop and a list are fine too
        lambda v, beta: [value / (1 - beta ** (t + 1)) for t, value in enumerate(v)]).passed


@pytest.mark.parametrize("wrong, phrase", [
    (lambda v, beta: v, "correction is missing"),
    (lambda v, beta: v / (1 - beta), "divided by 1 − β instead of 1 − βᵗ"),
    (lambda v, beta: v / (1 - beta ** np.arange(v.size)), "t starts at 0"),
    (lambda v, beta: v * (1 - beta ** np.arange(1, v.size + 1)), "do not multiply"),
    (lambda v, beta: v / beta ** np.arange(1, v.size + 1), "You divided by βᵗ"),
    (lambda v, beta: v / (1 - beta ** np.arange(2, v.size + 2)), "t is off by one"),
])
def test_bias_correction_typical_mistakes(wrong, phrase, recwarn):
    verdict = check_bias_correction(wrong)
    assert not verdict.passed and phrase in verdict.message, verdict.message
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_a_number_given_as_a_one_element_array_or_list():
    """A (1, 1) array or a one-element list where a number is expected: accepted, or the
    verdict says that a single number was expected."""
    for answer in (lambda m, batch_size: np.array([[math.ceil(m / batch_size)]]),
                   lambda m, batch_size: [math.ceil(m / batch_size)]):
        verdict = check_steps_per_epoch(answer)
        assert verdict.passed or "single number was expected" in verdict.message, \
            verdict.message
