"""Losses: values, gradients against finite differences, clear errors."""

import numpy as np
import pytest

from helpers import losses
from helpers.gradcheck import numerical_gradient


def test_values():
    y, y_hat = np.array([3.0, -1.0, 2.0]), np.array([2.5, 0.0, 2.0])
    assert losses.mae(y, y_hat) == pytest.approx(0.5)
    assert losses.mse(y, y_hat) == pytest.approx((0.25 + 1.0) / 3)


@pytest.mark.parametrize("m", [1, 2, 7])
@pytest.mark.parametrize("name", ["mse", "mae"])
def test_gradients_match_finite_differences(name, m):
    rng = np.random.default_rng(m)
    y, y_hat = rng.normal(size=m), rng.normal(size=m)  # no ties: |.| is differentiable
    loss, gradient = getattr(losses, name), getattr(losses, f"{name}_gradient")
    expected = numerical_gradient(lambda v: loss(y, v), y_hat)
    np.testing.assert_allclose(gradient(y, y_hat), expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("loss", [losses.mse, losses.mae, losses.mse_gradient])
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
