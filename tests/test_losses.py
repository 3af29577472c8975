"""Losses: values, the cross-entropy from z against finite differences, clear errors."""

import numpy as np
import pytest

from helpers import losses
from helpers.gradcheck import numerical_gradient


def test_values():
    y, y_hat = np.array([3.0, -1.0, 2.0]), np.array([2.5, 0.0, 2.0])
    assert losses.mae(y, y_hat) == pytest.approx(0.5)
    assert losses.mse(y, y_hat) == pytest.approx((0.25 + 1.0) / 3)


@pytest.mark.parametrize("m", [1, 2, 7])
def test_cross_entropy_from_z_is_the_cross_entropy_of_the_sigmoid(m):
    rng = np.random.default_rng(m)
    z, y = rng.normal(0, 3, m), rng.integers(0, 2, m).astype(float)
    a = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(losses.cross_entropy_from_z(z, y),
                               -(y * np.log(a) + (1 - y) * np.log(1 - a)), rtol=1e-10)
    # its derivative is the course's dz = a − y (the layers' and logistic regression's)
    expected = numerical_gradient(lambda v: np.sum(losses.cross_entropy_from_z(v, y)), z)
    np.testing.assert_allclose(a - y, expected, rtol=1e-6, atol=1e-9)


def test_cross_entropy_from_z_never_overflows():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        L = losses.cross_entropy_from_z(np.array([-1000.0, 1000.0]), np.array([1.0, 0.0]))
    np.testing.assert_allclose(L, [1000.0, 1000.0])


@pytest.mark.parametrize("loss", [losses.mse, losses.mae])
def test_bad_input_is_a_clear_error(loss):
    with pytest.raises(ValueError, match="numbers of examples differ"):
        loss(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="empty"):
        loss([], [])
    with pytest.raises(ValueError, match="NaN"):
        loss([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="1-D"):
        loss(np.ones((2, 2)), np.ones((2, 2)))


def test_numerical_gradient_of_a_known_function():
    p = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(numerical_gradient(lambda q: np.sum(q**2), p), 2 * p,
                               rtol=1e-7)
