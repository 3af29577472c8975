"""Checks for the exercises of notebook 01, linear regression."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.checks.engine import (
    Mistake,
    Verdict,
    check_function,
    error_text,
    exercise_check,
    learner_error,
    read_only,
)

__all__ = [
    "check_grid_evaluations",
    "check_lag_features",
    "check_mae",
    "check_mse",
    "check_predict",
]

_RNG = np.random.default_rng(2024)  # fixed cases, the same for every learner
_Y = read_only([np.array([3.0, -1.0, 2.0]), _RNG.normal(size=7), np.array([5.0, 1.0])])
_Y_HAT = read_only([np.array([2.5, 0.0, 2.0]), _RNG.normal(size=7), np.array([2.0, 1.5])])


@exercise_check
def check_mse(fn: Callable) -> Verdict:
    """``fn(y, y_hat)`` must return the mean squared error, a single number."""
    return check_function(
        fn, lambda y, y_hat: np.mean((y - y_hat) ** 2), list(zip(_Y, _Y_HAT, strict=True)),
        mistakes=[
            Mistake("That is the *sum* of squared errors: divide by m, the number "
                    "of examples (np.mean does it for you).",
                    lambda y, y_hat: np.sum((y - y_hat) ** 2)),
            Mistake("That is the mean *absolute* error (MAE): square the errors instead.",
                    lambda y, y_hat: np.mean(np.abs(y - y_hat))),
            Mistake("The errors are not squared: positive and negative errors cancel out.",
                    lambda y, y_hat: np.mean(y - y_hat)),
            Mistake("The errors are not squared: positive and negative errors cancel out.",
                    lambda y, y_hat: np.mean(y_hat - y)),
            Mistake("That is the *root* mean squared error: leave out the square root.",
                    lambda y, y_hat: np.sqrt(np.mean((y - y_hat) ** 2))),
            Mistake("That is half the MSE: the 1/2 some books add (to tidy up the "
                    "derivative) is not part of the MSE here.",
                    lambda y, y_hat: np.mean((y - y_hat) ** 2) / 2),
            Mistake("That squares the *mean* error: square each error first, then average.",
                    lambda y, y_hat: np.mean(y - y_hat) ** 2),
            Mistake("You divided by m - 1: the MSE is the mean, the sum of squared errors "
                    "divided by m, the number of examples.",
                    lambda y, y_hat: np.sum((y - y_hat) ** 2) / (len(y) - 1)),
        ], name="mse")


@exercise_check
def check_mae(fn: Callable) -> Verdict:
    """``fn(y, y_hat)`` must return the mean absolute error, a single number."""
    return check_function(
        fn, lambda y, y_hat: np.mean(np.abs(y - y_hat)), list(zip(_Y, _Y_HAT, strict=True)),
        mistakes=[
            Mistake("That is the *sum* of absolute errors: divide by m, the number of "
                    "examples.", lambda y, y_hat: np.sum(np.abs(y - y_hat))),
            Mistake("That is the mean *squared* error (MSE): take the absolute value "
                    "instead of squaring.", lambda y, y_hat: np.mean((y - y_hat) ** 2)),
            Mistake("The absolute value is missing: positive and negative errors cancel.",
                    lambda y, y_hat: np.mean(y - y_hat)),
            Mistake("The absolute value is missing: positive and negative errors cancel.",
                    lambda y, y_hat: np.mean(y_hat - y)),
            Mistake("Take the absolute value of each error before averaging, not of the "
                    "average.", lambda y, y_hat: np.abs(np.mean(y - y_hat))),
            Mistake("You divided by m - 1: the MAE is the mean, the sum of absolute errors "
                    "divided by m, the number of examples.",
                    lambda y, y_hat: np.sum(np.abs(y - y_hat)) / (len(y) - 1)),
        ], name="mae")


@exercise_check
def check_predict(fn: Callable) -> Verdict:
    """``fn(X, w, b)``: X (n, m) one column per example, w (n,), b a number -> (m,)."""
    rng = np.random.default_rng(7)
    cases = [(rng.normal(size=(2, 5)), np.array([1.5, -2.0]), 0.5),
             (rng.normal(size=(3, 4)), rng.normal(size=3), -1.0),
             (rng.normal(size=(1, 6)), np.array([3.0]), 2.0)]
    error = learner_error(fn, cases[0], name="predict")
    if isinstance(error, ValueError) and ("matmul" in error_text(error)
                                          or "broadcast" in error_text(error)):
        return Verdict(False, f"predict(X, w, b) with X of shape (2, 5) and w of shape (2,) "
                              f"raised ValueError: {error_text(error)}. X has one *column* "
                              f"per example, so the predictions are w @ X (that is wᵀX): "
                              f"X @ w or w * X pair the weights with the wrong axis.")
    return check_function(
        fn, lambda X, w, b: w @ X + b, cases,
        mistakes=[
            Mistake("The bias b is missing (forgotten?): ŷ = wᵀX + b, so add b to w @ X.",
                    lambda X, w, b: w @ X),
            Mistake("The bias should be added, not subtracted.", lambda X, w, b: w @ X - b),
            Mistake("Each example's prediction needs the *sum* over features of w_j x_j: "
                    "use w @ X.", lambda X, w, b: np.mean(w[:, None] * X, axis=0) + b),
            Mistake("Your predictions are a (1, m) row: the course keeps ŷ 1-D, of shape "
                    "(m,), as w @ X + b gives it for w of shape (n,).",
                    lambda X, w, b: (w @ X + b)[None, :]),
            Mistake("That adds up all the predictions into one number: return one prediction "
                    "per example, w @ X + b, of shape (m,).",
                    lambda X, w, b: np.sum(w @ X + b)),
        ], name="predict")


@exercise_check
def check_grid_evaluations(fn: Callable) -> Verdict:
    """``fn(k, values)`` -> how many loss evaluations a grid search needs: values ** k."""
    cases = [(1, 100), (2, 100), (3, 10), (5, 7)]
    return check_function(
        fn, lambda k, values: float(values) ** k, cases,
        mistakes=[
            Mistake("Every value of one parameter is tried with *every* combination of the "
                    "others, so the counts multiply: values × values × ... (k times).",
                    lambda k, values: float(k * values)),
            Mistake("The exponent is the number of parameters k: values ** k.",
                    lambda k, values: float(k) ** values),
            Mistake("Every value of one parameter is tried with *every* combination of the "
                    "others, so the counts multiply, they don't add.",
                    lambda k, values: float(k + values)),
            Mistake("One factor short: that is values ** (k - 1). Each of the k parameters "
                    "multiplies the count by values, so it is values ** k.",
                    lambda k, values: float(values) ** (k - 1)),
        ], name="grid_evaluations")


@exercise_check
def check_lag_features(fn: Callable) -> Verdict:
    """``fn(series, k)`` -> (X, y): y (m,) holds days k, ..., of the series and column t
    of X (k, m) the k days before day t+k, most recent first: row j-1 is j days before."""
    cases = [(np.arange(10.0), 3), (np.array([5.0, 1.0, 4.0, 2.0, 8.0, 7.0]), 1),
             (np.linspace(0, 1, 12) ** 2, 5)]

    def window(series, k, newest):  # row j, column t: day t + newest - j
        m = len(series) - k
        return np.stack([series[newest - j:newest - j + m] for j in range(k)])

    def reference(series, k):
        return window(series, k, k - 1), series[k:]

    def leaky(series, k):  # each column starts with the very day it should predict
        return window(series, k, k), series[k:]

    def oldest_first(series, k):  # the right days, in the opposite order
        return window(series, k, k - 1)[::-1], series[k:]

    def last_day_as_target(series, k):  # y[t] is the newest day of the window itself
        return window(series, k, k - 1), series[k - 1:-1]

    return check_function(
        fn, reference, cases, outputs=("X", "y"),
        mistakes=[
            Mistake("Your features include the day being predicted (a 'leak' from the "
                    "future): row 0 must be the day *before* y[t].", leaky),
            Mistake("The rows are in the opposite order: row 0 must be yesterday (1 day "
                    "before), row k-1 the day k days before.", oldest_first),
            Mistake("y is one day early: y[t] must be the day *after* the window, "
                    "series[t + k], not its last day.", last_day_as_target),
        ], name="lag_features")
