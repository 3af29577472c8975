"""helpers.activations: values, stability at ±1000, derivatives against finite differences."""

import warnings

import numpy as np
import pytest
from gradient_asserts import ACTIVATION_NAMES, away_from_corners

from helpers import activations as act


def test_sigmoid_values_and_symmetry():
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(act.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(act.sigmoid(-z), 1 - act.sigmoid(z), atol=1e-15)
    assert act.sigmoid(0.0) == 0.5
    assert act.sigmoid(np.zeros((2, 3))).shape == (2, 3)


@pytest.mark.parametrize("name", ["sigmoid", "hard sigmoid", "ReLU"])
def test_activations_are_stable_at_plus_and_minus_1000(name):
    function, derivative = act.ACTIVATIONS[name]
    z = np.array([-1000.0, -710.0, 0.0, 710.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        values, slopes = function(z), derivative(z)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))
    if name != "ReLU":
        np.testing.assert_array_equal(values[[0, -1]], [0.0, 1.0])
    np.testing.assert_array_equal(slopes[[0, -1]], [0.0, 0.0 if name != "ReLU" else 1.0])


def test_the_naive_sigmoid_would_overflow():
    """What the stable version avoids (the notebook shows the same)."""
    with pytest.warns(RuntimeWarning, match="overflow"):
        1 / (1 + np.exp(-np.array([-1000.0])))


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_each_derivative_matches_finite_differences(name):
    function, derivative = act.ACTIVATIONS[name]
    z = away_from_corners(np.random.default_rng(0).uniform(-4, 4, 50))
    eps = 1e-6
    numerical = (function(z + eps) - function(z - eps)) / (2 * eps)
    np.testing.assert_allclose(derivative(z), numerical, rtol=1e-6, atol=1e-9)


def test_relu_and_hard_sigmoid_values():
    z = np.array([-2.0, 0.0, 0.3, 1.0, 2.5])
    np.testing.assert_array_equal(act.relu(z), [0.0, 0.0, 0.3, 1.0, 2.5])
    np.testing.assert_array_equal(act.hard_sigmoid(z), [0.0, 0.0, 0.3, 1.0, 1.0])
    np.testing.assert_array_equal(act.relu_derivative(z), [0, 0, 1, 1, 1])
    np.testing.assert_array_equal(act.hard_sigmoid_derivative(z), [0, 0, 1, 0, 0])
