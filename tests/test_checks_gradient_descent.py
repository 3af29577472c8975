"""The exercise checks of notebook 02: right answers pass, typical wrong answers get the
specific message written for them."""

import math

import numpy as np
import pytest

from helpers.checks import (
    check_descent_step,
    check_ema,
    check_gradient,
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
])
def test_steps_per_epoch_correct(answer):
    assert check_steps_per_epoch(answer).passed


@pytest.mark.parametrize("wrong, phrase", [
    (lambda m, batch_size: m // batch_size, "Round *up*"),
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
