"""The exercise checks of notebook 05: right answers pass, typical wrong answers get the
specific message written for them."""

import math

import numpy as np
import pytest

from helpers import layers
from helpers.activations import sigmoid as stable_sigmoid
from helpers.checks import (
    check_dense_backward,
    check_n_parameters,
    check_numerical_gradient,
    check_relu_backward,
    check_two_layer_backward,
    check_two_layer_forward,
)
from helpers.gradcheck import numerical_gradient

ALL_CHECKS = [check_n_parameters, check_two_layer_forward, check_relu_backward,
              check_dense_backward, check_two_layer_backward, check_numerical_gradient]


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_messages_name_no_memory_addresses(check):
    """Messages about wrong answers show the inputs: never as '<function ... at 0x...>'."""
    verdict = check(lambda *args: 12345.0 if len(args) == 1 else np.zeros((1, 1)))
    assert not verdict.passed and " at 0x" not in verdict.message


# --- Exercise 1: n_parameters -----------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda sizes: sum(sizes[l] * sizes[l - 1] + sizes[l] for l in range(1, len(sizes))),
    lambda sizes: sum((i + 1) * o for i, o in zip(sizes[:-1], sizes[1:], strict=True)),
    lambda sizes: layers.mlp(sizes, rng=np.random.default_rng(0)).n_parameters(),
    lambda sizes: int(np.sum(np.array(sizes[1:]) * (np.array(sizes[:-1]) + 1))),
])
def test_n_parameters_correct(right):
    verdict = check_n_parameters(right)
    assert verdict.passed, verdict.message


def pairs(s):
    return list(zip(s[:-1], s[1:], strict=True))


@pytest.mark.parametrize("wrong, words", [
    (lambda s: sum(o * i for i, o in pairs(s)), "but not the biases"),
    (lambda s: sum(o * i for i, o in pairs(s)) + sum(s), "input layer has no biases"),
    (lambda s: sum(o * i + i for i, o in pairs(s)), "one bias per unit of *that* layer"),
    (lambda s: sum((o + 1) * (i + 1) for i, o in pairs(s)), "not an extra row and column"),
    (lambda s: math.prod(s), "*consecutive* layers"),
    (lambda s: sum(s), "number of units"),
    (lambda s: s[0] * s[1] + s[1], "Only the first layer"),
])
def test_n_parameters_typical_mistakes(wrong, words):
    verdict = check_n_parameters(wrong)
    assert not verdict.passed
    assert words in verdict.message


def test_n_parameters_a_wrong_answer_with_no_name():
    verdict = check_n_parameters(lambda s: 2 * sum(o * i + o for i, o in pairs(s)))
    assert not verdict.passed and "expected" in verdict.message


# --- Exercise 2: two_layer_forward --------------------------------------------------------


def s(z):
    return 1 / (1 + np.exp(-z))


def relu(z):
    return np.maximum(0, z)


@pytest.mark.parametrize("right", [
    lambda X, W1, b1, W2, b2: s(W2 @ relu(W1 @ X + b1) + b2),
    lambda X, W1, b1, W2, b2: stable_sigmoid(W2 @ np.maximum(W1 @ X + b1, 0) + b2),
    lambda X, W1, b1, W2, b2: layers.Sequential(
        layers.Linear.from_arrays(W1, b1), layers.ReLU(), layers.Linear.from_arrays(W2, b2),
        layers.Sigmoid()).forward(X),
    lambda X, W1, b1, W2, b2: s(relu(X.T @ W1.T + b1.T) @ W2.T + b2).T,
])
def test_two_layer_forward_correct(right):
    verdict = check_two_layer_forward(right)
    assert verdict.passed, verdict.message
    assert "passed all 4 test cases" in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda X, W1, b1, W2, b2: s(W2 @ relu(W1.T @ X + b1) + b2), "transpose of W1"),
    (lambda X, W1, b1, W2, b2: W2 @ relu(W1 @ X + b1) + b2, "before its activation"),
    (lambda X, W1, b1, W2, b2: s(W2 @ (W1 @ X + b1) + b2), "ReLU is missing"),
    (lambda X, W1, b1, W2, b2: s(W2 @ s(W1 @ X + b1) + b2), "σ belongs to the output"),
    (lambda X, W1, b1, W2, b2: relu(W2 @ relu(W1 @ X + b1) + b2), "uses σ, not ReLU"),
    (lambda X, W1, b1, W2, b2: s(W2 @ (relu(W1 @ X) + b1) + b2), "goes *inside* the ReLU"),
    (lambda X, W1, b1, W2, b2: s(W2 @ relu(W1 @ X + b1)), "b2 is missing"),
    (lambda X, W1, b1, W2, b2: 1 / (1 + np.exp(W2 @ relu(W1 @ X + b1) + b2)), "sign in your"),
])
def test_two_layer_forward_typical_mistakes(wrong, words):
    verdict = check_two_layer_forward(wrong)
    assert not verdict.passed
    assert words in verdict.message


def test_two_layer_forward_wrong_shape_and_transpose_on_rectangular_layers():
    verdict = check_two_layer_forward(lambda X, W1, b1, W2, b2: s(W2 @ relu(W1 @ X + b1) + b2)[0])
    assert not verdict.passed and "wrong shape" in verdict.message
    verdict = check_two_layer_forward(lambda X, W1, b1, W2, b2: s(W2 @ relu(W1 @ X + b1) + b2).T)
    assert not verdict.passed and "transposed" in verdict.message


# --- Exercise 3: relu_backward ------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda dA, Z: dA * (Z > 0),
    lambda dA, Z: np.where(Z > 0, dA, 0.0),
    lambda dA, Z: dA * (Z >= 0),   # the same away from z = 0, the cases avoid it
])
def test_relu_backward_correct(right):
    verdict = check_relu_backward(right)
    assert verdict.passed, verdict.message


def test_relu_backward_the_layer_librarys_is_correct():
    def library_relu_backward(dA, Z):
        relu_layer = layers.ReLU()
        relu_layer.forward(Z)
        return relu_layer.backward(dA)

    assert check_relu_backward(library_relu_backward).passed


@pytest.mark.parametrize("wrong, words", [
    (lambda dA, Z: (Z > 0).astype(float), "without the gradient dA"),
    (lambda dA, Z: dA * Z, "by z itself"),
    (lambda dA, Z: dA * relu(Z), "the *value*"),
    (lambda dA, Z: relu(dA), "applied the ReLU to the gradient"),
    (lambda dA, Z: np.maximum(dA, 0), "applied the ReLU to the gradient"),
    (lambda dA, Z: dA * (Z < 0), "wrong way round"),
    (lambda dA, Z: -dA * (Z > 0), "sign slip"),
])
def test_relu_backward_typical_mistakes(wrong, words):
    verdict = check_relu_backward(wrong)
    assert not verdict.passed
    assert words in verdict.message


# --- Exercise 4: dense_backward -----------------------------------------------------------


def dense(dZ, A_prev, W):
    return dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True), W.T @ dZ


def _library_dense_backward(dZ, A_prev, W):
    layer = layers.Linear.from_arrays(W, np.zeros((W.shape[0], 1)))
    layer.forward(A_prev)
    dA_prev = layer.backward(dZ)
    return layer.dW, layer.db, dA_prev


@pytest.mark.parametrize("right", [
    dense,
    _library_dense_backward,
    lambda dZ, A, W: (np.dot(dZ, A.T), np.sum(dZ, axis=1).reshape(-1, 1), np.dot(W.T, dZ)),
    lambda dZ, A, W: (np.einsum("om,im->oi", dZ, A), dZ @ np.ones((dZ.shape[1], 1)),
                      (dZ.T @ W).T),
])
def test_dense_backward_correct(right):
    verdict = check_dense_backward(right)
    assert verdict.passed, verdict.message
    assert "passed all 5 test cases" in verdict.message


def with_part(index, value):
    def wrong(dZ, A, W):
        parts = list(dense(dZ, A, W))
        parts[index] = value(dZ, A, W)
        return tuple(parts)

    return wrong


@pytest.mark.parametrize("wrong, words", [
    (with_part(0, lambda dZ, A, W: A @ dZ.T), "computed its transpose"),
    (with_part(0, lambda dZ, A, W: dZ @ A.T / dZ.shape[1]), "already inside dZ"),
    (with_part(0, lambda dZ, A, W: -(dZ @ A.T)), "sign slip"),
    (with_part(0, lambda dZ, A, W: dZ * A), "entry by entry"),
    (with_part(1, lambda dZ, A, W: dZ.sum(axis=0, keepdims=True)), "You summed over axis 0"),
    (with_part(1, lambda dZ, A, W: dZ.sum(axis=1)), "add keepdims=True"),
    (with_part(1, lambda dZ, A, W: dZ.sum(axis=0)), "axis=1, not axis=0"),
    (with_part(1, lambda dZ, A, W: dZ.sum()), "not over everything"),
    (with_part(1, lambda dZ, A, W: dZ.mean(axis=1, keepdims=True)), "not the mean"),
    (with_part(1, lambda dZ, A, W: -dZ.sum(axis=1, keepdims=True)), "sign slip"),
    (with_part(2, lambda dZ, A, W: W @ dZ), "through the *transpose*"),
    (with_part(2, lambda dZ, A, W: A.T @ dZ), "needs W, not the layer's input"),
    (with_part(2, lambda dZ, A, W: -(W.T @ dZ)), "sign slip"),
    (with_part(2, lambda dZ, A, W: W.T @ dZ / dZ.shape[1]), "already inside dZ"),
    # Coursera's order, (dA_prev, dW, db), and a part left out
    (lambda dZ, A, W: (W.T @ dZ, dZ @ A.T, dZ.sum(axis=1, keepdims=True)),
     "in the order dA_prev, dW, db"),
    (with_part(1, lambda dZ, A, W: None), "returned None as db"),
])
def test_dense_backward_typical_mistakes(wrong, words):
    verdict = check_dense_backward(wrong)
    assert not verdict.passed
    assert words in verdict.message


def test_dense_backward_names_the_wrong_part():
    verdict = check_dense_backward(with_part(1, lambda dZ, A, W: dZ.sum(axis=1)))
    assert not verdict.passed and "db of dense_backward" in verdict.message


def test_dense_backward_must_return_three_values():
    verdict = check_dense_backward(lambda dZ, A, W: dZ @ A.T)
    assert not verdict.passed and "return dW, db, dA_prev" in verdict.message


def test_dense_backward_transposed_only_when_rectangular_gets_a_shape_hint():
    def transposed_when_rectangular(dZ, A, W):
        dW = dZ @ A.T
        return (dW if dW.shape[0] == dW.shape[1] else dW.T), *dense(dZ, A, W)[1:]

    verdict = check_dense_backward(transposed_when_rectangular)
    assert not verdict.passed and "transposed" in verdict.message


# --- Exercise 5: numerical_gradient -------------------------------------------------------


def central_in_place(f, p, eps):
    p = np.array(p, dtype=float)
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        old = p[i]
        p[i] = old + eps
        up = f(p)
        p[i] = old - eps
        down = f(p)
        p[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def central_flat(f, p, eps):
    grad = np.zeros(p.size)
    for i in range(p.size):
        e = np.zeros(p.size)
        e[i] = eps
        grad[i] = (f(p + e.reshape(p.shape)) - f(p - e.reshape(p.shape))) / (2 * eps)
    return grad.reshape(p.shape)


@pytest.mark.parametrize("right", [central_in_place, central_flat,
                                   lambda f, p, eps: numerical_gradient(f, p, eps)])
def test_numerical_gradient_correct(right):
    verdict = check_numerical_gradient(right)
    assert verdict.passed, verdict.message


def one_sided(f, p, eps):
    grad = np.zeros_like(p, dtype=float)
    for i in np.ndindex(p.shape):
        step = np.zeros_like(p, dtype=float)
        step[i] = eps
        grad[i] = (f(p + step) - f(p)) / eps
    return grad


def not_restored(f, p, eps):
    p = np.array(p, dtype=float)
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        p[i] += eps
        up = f(p)
        p[i] -= 2 * eps
        grad[i] = (up - f(p)) / (2 * eps)
    return grad


@pytest.mark.parametrize("wrong, words", [
    (lambda f, p, eps: 2 * numerical_gradient(f, p, eps), "Divide by 2·eps"),
    (lambda f, p, eps: -numerical_gradient(f, p, eps), "sign slip"),
    (one_sided, "one-sided difference"),
    (lambda f, p, eps: np.full(p.shape, (f(p + eps) - f(p - eps)) / (2 * eps)),
     "one entry at a time"),
    (not_restored, "put it back"),
    (lambda f, p, eps: numerical_gradient(f, p, 1e-5), "ignores its eps"),
])
def test_numerical_gradient_typical_mistakes(wrong, words):
    verdict = check_numerical_gradient(wrong)
    assert not verdict.passed
    assert words in verdict.message


def test_numerical_gradient_wrong_shape():
    verdict = check_numerical_gradient(lambda f, p, eps: numerical_gradient(f, p, eps).ravel())
    assert not verdict.passed and "wrong shape" in verdict.message


# --- Exercise: two_layer_backward -----------------------------------------------------------


def backward(X, Y, W1, b1, W2, b2, *, gate=True, dz2="right", extra_m=None, db_axis=1,
             transpose=False):
    """The solution of the notebook, with switches for the typical slips."""
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    A2 = s(W2 @ A1 + b2)
    dZ2 = {"right": (A2 - Y) / m, "no m": A2 - Y, "sign": (Y - A2) / m,
           "sigma again": (A2 - Y) * A2 * (1 - A2) / m}[dz2]
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (Z1 > 0) if gate else dA1
    dW1, dW2 = (X @ dZ1.T, A1 @ dZ2.T) if transpose else (dZ1 @ X.T, dZ2 @ A1.T)
    db1, db2 = dZ1.sum(axis=db_axis, keepdims=True), dZ2.sum(axis=db_axis, keepdims=True)
    if extra_m:
        dW1, dW2 = dW1 / m, dW2 / m
    if extra_m == "all":
        db1, db2 = db1 / m, db2 / m
    return dW1, db1, dW2, db2


def _library_two_layer_backward(X, Y, W1, b1, W2, b2):
    model = layers.Sequential(layers.Linear.from_arrays(W1, b1), layers.ReLU(),
                              layers.Linear.from_arrays(W2, b2))
    loss = layers.BinaryCrossEntropyWithLogits()
    loss.forward(model.forward(X), Y)
    model.backward(loss.backward())
    return tuple(model.gradients().values())


def _with_the_gate_from_a1(X, Y, W1, b1, W2, b2):
    m = X.shape[1]
    A1 = np.maximum(W1 @ X + b1, 0)
    dZ2 = (stable_sigmoid(W2 @ A1 + b2) - Y) / m
    dZ1 = np.where(A1 > 0, W2.T @ dZ2, 0.0)
    return [dZ1 @ X.T, np.sum(dZ1, axis=1).reshape(-1, 1), dZ2 @ A1.T, np.sum(dZ2).reshape(1, 1)]


@pytest.mark.parametrize("right", [backward, _library_two_layer_backward,
                                   _with_the_gate_from_a1])
def test_two_layer_backward_correct(right):
    verdict = check_two_layer_backward(right)
    assert verdict.passed, verdict.message
    assert "passed all 4 test cases" in verdict.message


def _a1_gate(X, Y, W1, b1, W2, b2):
    m = X.shape[1]
    A1 = relu(W1 @ X + b1)
    dZ2 = (s(W2 @ A1 + b2) - Y) / m
    dZ1 = (W2.T @ dZ2) * A1
    return dZ1 @ X.T, dZ1.sum(axis=1, keepdims=True), dZ2 @ A1.T, dZ2.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("wrong, words", [
    (lambda *a: backward(*a, gate=False), "forgot the ReLU's derivative"),
    (_a1_gate, "not the value"),
    (lambda *a: backward(*a, dz2="no m"), "You forgot the 1/m"),
    (lambda *a: backward(*a, extra_m="all"), "1/m in twice"),
    (lambda *a: backward(*a, extra_m="dW"), "1/m in twice for dW1 and dW2"),
    (lambda *a: backward(*a, transpose=True), "Wrong transpose"),
    (lambda *a: backward(*a, db_axis=0), "You summed over axis 0"),
    (lambda *a: backward(*a, dz2="sigma again"), "already contains σ′"),
    (lambda *a: backward(*a, dz2="sign"), "sign slip"),
    # the order of backpropagation, last layer first, instead of W1, b1, W2, b2
    (lambda *a: backward(*a)[2:] + backward(*a)[:2], "in the order dW2, db2, dW1, db1"),
    (lambda *a: (backward(*a)[0], backward(*a)[2], backward(*a)[1], backward(*a)[3]),
     "in the order dW1, dW2, db1, db2"),
])
def test_two_layer_backward_typical_mistakes(wrong, words):
    verdict = check_two_layer_backward(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message
