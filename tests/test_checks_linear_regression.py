"""Notebook 01's checks name the typical mistakes of each exercise (second edition):
dividing by m - 1, a forgotten bias, math's functions on an array, values returned in
the wrong order, and a number given as a one-element list or a (1, 1) array (accepted)."""

import math

import numpy as np
import pytest

from helpers import checks


def right_mse(y, y_hat):
    return np.mean((y - y_hat) ** 2)


def right_mae(y, y_hat):
    return np.mean(np.abs(y - y_hat))


@pytest.mark.parametrize("answer", [
    lambda y, y_hat: [right_mse(y, y_hat)],  # a one-element list
    lambda y, y_hat: np.array([[right_mse(y, y_hat)]]),  # a (1, 1) array
    lambda y, y_hat: float(right_mse(y, y_hat)),
])
def test_mse_accepts_a_number_in_any_wrapping(answer):
    assert checks.check_mse(answer).passed


@pytest.mark.parametrize("answer, phrase", [
    (lambda y, y_hat: np.sum((y - y_hat) ** 2) / (len(y) - 1), "divided by m - 1"),
    (lambda y, y_hat: np.mean(math.pow(y - y_hat, 2)), "math module"),
    (lambda y, y_hat: np.sqrt(np.mean((y - y_hat) ** 2)), "*root*"),
])
def test_mse_names_the_mistake(answer, phrase):
    verdict = checks.check_mse(answer)
    assert not verdict.passed and phrase in verdict.message, verdict.message


@pytest.mark.parametrize("answer, phrase", [
    (lambda y, y_hat: np.sum(np.abs(y - y_hat)) / (len(y) - 1), "divided by m - 1"),
    (lambda y, y_hat: np.mean(math.fabs(y - y_hat)), "use NumPy's"),
    (lambda y, y_hat: np.abs(y - y_hat), "wrong shape"),
])
def test_mae_names_the_mistake(answer, phrase):
    verdict = checks.check_mae(answer)
    assert not verdict.passed and phrase in verdict.message, verdict.message
    assert checks.check_mae(lambda y, y_hat: [right_mae(y, y_hat)]).passed


@pytest.mark.parametrize("answer, phrase", [
    (lambda X, w, b: X @ w + b, "w @ X"),
    (lambda X, w, b: w * X + b, "wrong axis"),
    (lambda X, w, b: w @ X, "bias b is missing"),
    (lambda X, w, b: (w @ X + b)[None, :], "(1, m) row"),
    (lambda X, w, b: np.sum(w @ X + b), "one prediction per example"),
])
def test_predict_names_the_mistake(answer, phrase):
    verdict = checks.check_predict(answer)
    assert not verdict.passed and phrase in verdict.message, verdict.message
    assert checks.check_predict(lambda X, w, b: np.dot(w, X) + b).passed


def test_grid_evaluations_one_factor_short():
    verdict = checks.check_grid_evaluations(lambda k, values: values ** (k - 1))
    assert not verdict.passed and "One factor short" in verdict.message
    assert checks.check_grid_evaluations(lambda k, values: values ** k).passed


def test_lag_features_in_the_wrong_order():
    def swapped(series, k):
        m = len(series) - k
        X = np.stack([series[k - j:k - j + m] for j in range(1, k + 1)])
        return series[k:], X

    verdict = checks.check_lag_features(swapped)
    assert not verdict.passed and "in the order y, X; return X, y" in verdict.message
