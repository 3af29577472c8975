"""The exercise checks of notebook 03: right answers pass, typical wrong answers get
the specific message written for them."""

import math

import numpy as np
import pytest

from helpers.activations import sigmoid as stable_sigmoid
from helpers.checks import (
    check_collapse,
    check_relu_piece,
    check_sigmoid,
    check_sigmoid_derivative,
    check_units_forward,
)

# --- Exercise 1: sigmoid --------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda z: 1 / (1 + np.exp(-z)),
    lambda z: np.exp(z) / (1 + np.exp(z)),
    lambda z: 0.5 * (1 + np.tanh(z / 2)),
    stable_sigmoid,
])
def test_sigmoid_correct(right):
    verdict = check_sigmoid(right)
    assert verdict.passed, verdict.message
    assert verdict.message.startswith("Correct!")


@pytest.mark.parametrize("wrong, words", [
    (lambda z: 1 / (1 + np.exp(z)), "sign in the exponent has slipped"),
    (lambda z: np.exp(-z) / (1 + np.exp(-z)), "sign in the exponent has slipped"),
    (lambda z: 1 / (1 - np.exp(-z)), "*plus*"),
    (lambda z: 1 + np.exp(-z), "one *over* it"),
    (np.tanh, "from −1 to 1"),
])
def test_sigmoid_typical_mistakes(wrong, words):
    verdict = check_sigmoid(wrong)
    assert not verdict.passed
    assert words in verdict.message


def test_sigmoid_other_wrong_answers():
    verdict = check_sigmoid(lambda z: np.mean(1 / (1 + np.exp(-z))))
    assert not verdict.passed and "wrong shape" in verdict.message


# --- Exercise 2: relu_piece -----------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda x, c, b, w: c * np.maximum(0, b + w * x),
    lambda x, c, b, w: c * np.maximum(b + w * x, 0),
    lambda x, c, b, w: c * np.where(b + w * x > 0, b + w * x, 0.0),
    lambda x, c, b, w: c * np.clip(b + w * x, 0, None),
])
def test_relu_piece_correct(right):
    verdict = check_relu_piece(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda x, c, b, w: c * (b + w * np.maximum(0, x)), "max is taken of the wrong thing"),
    (lambda x, c, b, w: c * w * np.maximum(0, x) + b, "max is taken of the wrong thing"),
    (lambda x, c, b, w: c * np.maximum(0, w * x) + b, "b belongs inside the max"),
    (lambda x, c, b, w: np.maximum(0, c * (b + w * x)), "multiplies the ReLU from outside"),
    (lambda x, c, b, w: np.maximum(0, b + w * x), "forgot the height c"),
    (lambda x, c, b, w: c * np.minimum(0, b + w * x), "np.maximum, not np.minimum"),
    (lambda x, c, b, w: c * max(0, b + w * x), "Python's max(0, array)"),
    (lambda x, c, b, w: c * np.max(0, b + w * x), "np.max(0, array)"),
])
def test_relu_piece_typical_mistakes(wrong, words):
    verdict = check_relu_piece(wrong)
    assert not verdict.passed
    assert words in verdict.message


def test_relu_piece_a_wrong_answer_with_no_name():
    verdict = check_relu_piece(lambda x, c, b, w: c * np.abs(b + w * x))
    assert not verdict.passed and "expected" in verdict.message


# --- Exercise 3: sigmoid_derivative ---------------------------------------------------


def s(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("right", [
    lambda z: s(z) * (1 - s(z)),
    lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
    lambda z: s(z) * s(-z),
])
def test_sigmoid_derivative_correct(right):
    verdict = check_sigmoid_derivative(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (s, "That is σ(z) itself"),
    (lambda z: 1 - s(z), "That is 1 − σ(z)"),
    (lambda z: s(z) ** 2, "That is σ(z)²"),
    (lambda z: s(z) * (1 + s(z)), "A sign slip"),
    (lambda z: s(z) * (1 - z), "not 1 − z"),
    (lambda z: -s(z) * (1 - s(z)), "overall sign is wrong"),
])
def test_sigmoid_derivative_typical_mistakes(wrong, words):
    verdict = check_sigmoid_derivative(wrong)
    assert not verdict.passed
    assert words in verdict.message


# --- Exercise 4: units_forward --------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda X, W, b, c, b0: c @ s(W @ X + b) + b0,
    lambda X, W, b, c, b0: (s(X.T @ W.T + b.T) @ c) + b0,  # one row per example, also fine
    lambda X, W, b, c, b0: np.sum(c[:, None] * stable_sigmoid(W @ X + b), axis=0) + b0,
])
def test_units_forward_correct(right):
    verdict = check_units_forward(right)
    assert verdict.passed, verdict.message
    assert "passed all 4 test cases" in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda X, W, b, c, b0: c @ s(W.T @ X + b) + b0, "transpose of W"),
    (lambda X, W, b, c, b0: np.sum(s(W @ X + b), axis=0) + b0, "weighted by its height c"),
    (lambda X, W, b, c, b0: c @ s(W @ X + b), "constant b0 is missing"),
    (lambda X, W, b, c, b0: c @ (W @ X + b) + b0, "activation σ is missing"),
    (lambda X, W, b, c, b0: c @ (s(W @ X) + b) + b0, "goes *inside* σ"),
    (lambda X, W, b, c, b0: c @ (1 / (1 + np.exp(W @ X + b))) + b0, "sign in your sigmoid"),
])
def test_units_forward_typical_mistakes(wrong, words):
    verdict = check_units_forward(wrong)
    assert not verdict.passed
    assert words in verdict.message


def test_units_forward_wrong_shape():
    verdict = check_units_forward(lambda X, W, b, c, b0: (c @ s(W @ X + b) + b0)[None, :])
    assert not verdict.passed and "wrong shape" in verdict.message


# --- Exercise 5: collapse -------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2),
    lambda W1, b1, W2, b2: (np.dot(W2, W1), np.dot(W2, b1) + b2),
])
def test_collapse_correct(right):
    verdict = check_collapse(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2), "order of the product matters"),
    (lambda W1, b1, W2, b2: (W1.T @ W2.T, W2 @ b1 + b2), "transpose of the answer"),
    (lambda W1, b1, W2, b2: (W2 * W1, W2 @ b1 + b2), "element by element"),
    (lambda W1, b1, W2, b2: (W2 @ W1, b1 + b2), "b1 also passes through"),
    (lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1), "own bias b2 is missing"),
    (lambda W1, b1, W2, b2: (W2 @ W1, b2), "Only the weights got multiplied"),
])
def test_collapse_typical_mistakes(wrong, words):
    verdict = check_collapse(wrong)
    assert not verdict.passed
    assert words in verdict.message


def test_collapse_transposed_on_rectangular_layers_gets_a_shape_hint():
    """A transpose that only fails once the layers are not square."""
    def transposed_when_rectangular(W1, b1, W2, b2):
        W = W2 @ W1
        return (W if W.shape[0] == W.shape[1] else W.T), W2 @ b1 + b2

    verdict = check_collapse(transposed_when_rectangular)
    assert not verdict.passed and "transposed" in verdict.message


def test_collapse_must_return_two_values():
    verdict = check_collapse(lambda W1, b1, W2, b2: W2 @ W1)
    assert not verdict.passed and "return W, b" in verdict.message


# --- the mistakes named in the second edition (issue 15) -----------------------------------


@pytest.mark.parametrize("wrong", [
    lambda z: 1 / (1 + math.exp(-z)),
    lambda z: math.exp(z) / (1 + math.exp(z)),
])
def test_sigmoid_math_exp_on_an_array_is_named(wrong):
    verdict = check_sigmoid(wrong)
    assert not verdict.passed
    assert "math module" in verdict.message and "np.exp" in verdict.message


def test_relu_piece_forgotten_bias_is_named():
    verdict = check_relu_piece(lambda x, c, b, w: c * np.maximum(0, w * x))
    assert not verdict.passed and "forgot the bias b" in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda X, W, b, c, b0: c @ np.maximum(0, W @ X + b) + b0, "that is ReLU"),
    (lambda X, W, b, c, b0: c @ np.tanh(W @ X + b) + b0, "np.tanh"),
    (lambda X, W, b, c, b0: c @ np.clip(W @ X + b, 0, 1) + b0, "hard sigmoid"),
    (lambda X, W, b, c, b0: c @ stable_sigmoid(W @ X) + b0, "bias b of the units is missing"),
    (lambda X, W, b, c, b0: c @ (1 / (1 + math.exp(-(W @ X + b)))) + b0, "math module"),
])
def test_units_forward_second_edition_mistakes(wrong, words):
    verdict = check_units_forward(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message
