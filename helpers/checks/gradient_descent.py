"""Checks for the exercises of notebook 02, gradient descent."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from helpers import gradient_descent
from helpers.checks.engine import Mistake, Verdict, check_function, exercise_check, read_only

__all__ = ["check_gradient", "check_descent_step", "check_steps_per_epoch", "check_ema"]

_RNG = np.random.default_rng(2002)  # fixed cases, the same for every learner


def _line_cases() -> list[tuple]:
    """(x, y, w, b) cases: sizes that tell sum from mean, x not near 1 (x from x²)."""
    x1, y1 = np.array([0.2, 0.5, 0.9]), np.array([0.7, 0.8, 1.2])
    x2 = _RNG.uniform(0, 1, 8)
    y2 = 0.7 * x2 + 0.5 + _RNG.uniform(0, 0.2, 8)
    return [(x1, y1, 0.3, 0.1), (x2, y2, -1.0, 2.0), (np.array([2.0]), np.array([1.0]), 0.5,
                                                      -0.5)]


_LINE_CASES = read_only(_line_cases())


def _gradient(x, y, w, b):
    return gradient_descent.gradient(x, y, w, b)


def _residuals(x, y, w, b):
    return w * x + b - y  # ŷ − y, (m,)


@exercise_check
def check_gradient(fn: Callable) -> Verdict:
    """``fn(x, y, w, b)`` -> (dw, db), the gradient of the MSE of ŷ = w·x + b."""
    def signs_flipped(x, y, w, b):
        dw, db = _gradient(x, y, w, b)
        return -dw, -db

    def summed(x, y, w, b):
        r = _residuals(x, y, w, b)
        return 2 * np.sum(r * x), 2 * np.sum(r)

    def no_two(x, y, w, b):
        r = _residuals(x, y, w, b)
        return np.mean(r * x), np.mean(r)

    def x_not_squared(x, y, w, b):  # dw = 2xw + 2xb − 2xy instead of 2x²w + ...
        return np.mean(2 * x * w + 2 * x * b - 2 * x * y), 2 * np.mean(_residuals(x, y, w, b))

    def no_x_in_dw(x, y, w, b):
        r = _residuals(x, y, w, b)
        return 2 * np.mean(r), 2 * np.mean(r)

    def swapped(x, y, w, b):
        dw, db = _gradient(x, y, w, b)
        return db, dw

    return check_function(
        fn, _gradient, _LINE_CASES, outputs=("dw", "db"), name="gradient",
        mistakes=[
            Mistake("Both signs are flipped: with r = ŷ − y, dw = (2/m) Σ r·x and "
                    "db = (2/m) Σ r. (Using y − ŷ needs a minus sign in front.) With this "
                    "sign, the update w − lr·dw would climb uphill.", signs_flipped),
            Mistake("Those are sums over the examples: the loss is a *mean*, so divide by "
                    "m (np.mean does it).", summed),
            Mistake("The factor 2 is missing: the derivative of (ŷ − y)² is 2(ŷ − y) "
                    "times the derivative of ŷ.", no_two),
            Mistake("In dw, the w term needs x², not x: for one example "
                    "dw = 2x²w + 2xb − 2xy, because ŷ = wx + b is multiplied by x once "
                    "more.", x_not_squared),
            Mistake("dw is missing the factor x: ∂ŷ/∂w = x, so dw = (2/m) Σ (ŷ − y)·x, "
                    "while db = (2/m) Σ (ŷ − y) because ∂ŷ/∂b = 1.", no_x_in_dw),
            Mistake("dw and db are swapped: return them in the order (dw, db).", swapped),
        ])


@exercise_check
def check_descent_step(fn: Callable) -> Verdict:
    """``fn(w, b, dw, db, lr)`` -> (w, b) after one update of gradient descent."""
    cases = [(1.0, 0.5, 2.0, -4.0, 0.1), (-0.3, 2.0, -0.5, 0.25, 0.5),
             (0.0, 0.0, 3.0, 1.0, 0.01)]
    return check_function(
        fn, lambda w, b, dw, db, lr: (w - lr * dw, b - lr * db), cases,
        outputs=("w", "b"), name="descent_step",
        mistakes=[
            Mistake("The step goes uphill: the gradient points to where the loss *grows*, "
                    "so subtract it: w − lr·dw.",
                    lambda w, b, dw, db, lr: (w + lr * dw, b + lr * db)),
            Mistake("The learning rate is missing: the step is lr·dw, not dw.",
                    lambda w, b, dw, db, lr: (w - dw, b - db)),
            Mistake("Multiply the gradient by lr, don't divide by it.",
                    lambda w, b, dw, db, lr: (w - dw / lr, b - db / lr)),
            Mistake("Only w moved: b needs its own update, b − lr·db.",
                    lambda w, b, dw, db, lr: (w - lr * dw, b)),
            Mistake("w and b took each other's slope: w goes with dw, b with db.",
                    lambda w, b, dw, db, lr: (w - lr * db, b - lr * dw)),
        ])


@exercise_check
def check_steps_per_epoch(fn: Callable) -> Verdict:
    """``fn(m, batch_size)`` -> the number of steps (updates) in one epoch: ceil(m / B)."""
    cases = [(100, 10), (100, 30), (7, 2), (5, 5), (10, 1), (1000, 64)]
    return check_function(
        fn, lambda m, batch_size: float(math.ceil(m / batch_size)), cases,
        name="steps_per_epoch",
        mistakes=[
            Mistake("The last, smaller batch is missing: when B does not divide m, the "
                    "examples left over still make one more update. Round *up*: "
                    "math.ceil(m / B) (or -(-m // B)).",
                    lambda m, batch_size: float(m // batch_size)),
            Mistake("An epoch is a whole number of updates: round m / B up with "
                    "math.ceil.", lambda m, batch_size: m / batch_size),
            Mistake("That is the batch size: an epoch has one update per *batch*, so "
                    "count the batches, m / B rounded up.",
                    lambda m, batch_size: float(batch_size)),
            Mistake("That is the number of examples m: only stochastic gradient descent "
                    "(B = 1) makes one update per example.", lambda m, batch_size: float(m)),
            Mistake("Divide m by B, not multiply.", lambda m, batch_size: float(m * batch_size)),
            Mistake("Divide m by B, not B by m.",
                    lambda m, batch_size: float(math.ceil(batch_size / m))),
        ])


def _ema(values, beta):
    return gradient_descent.ema(values, beta)


_EMA_CASES = read_only([(np.array([1.0, 2.0, 3.0]), 0.5), (_RNG.normal(1.0, 0.5, 12), 0.9),
                        (np.array([4.0, 0.0, 4.0, 0.0]), 0.25)])


@exercise_check
def check_ema(fn: Callable) -> Verdict:
    """``fn(values, beta)`` -> the exponentially weighted average, v₀ = 0, no correction."""

    def swapped(values, beta):
        return gradient_descent.ema(values, 1 - beta) if beta > 0 else np.zeros_like(values)

    def starts_at_first(values, beta):
        out, v = np.empty_like(values), values[0]
        for t, value in enumerate(values):
            v = value if t == 0 else beta * v + (1 - beta) * value
            out[t] = v
        return out

    return check_function(
        fn, _ema, _EMA_CASES, name="ema",
        mistakes=[
            Mistake("β and 1 − β are swapped: the old average keeps the weight β, the new "
                    "value gets 1 − β: v = β·v + (1 − β)·θ.", swapped),
            Mistake("Start from v = 0 (as the formula says), not from the first value. "
                    "Starting from 0 drags the first averages down; bias correction, in "
                    "the next section, is the cure.", starts_at_first),
            Mistake("That is the bias-corrected average: here return v itself, without "
                    "dividing by 1 − βᵗ.",
                    lambda values, beta: gradient_descent.ema(values, beta, bias_correction=True)),
            Mistake("That is the plain running mean of all values so far: the weights "
                    "must shrink by β at each step.",
                    lambda values, beta: np.cumsum(values) / np.arange(1, values.size + 1)),
        ])
