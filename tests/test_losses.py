"""Losses: values, gradients against finite differences, clear errors."""

import numpy as np
import pytest

from helpers import losses


def numerical_gradient(f, y_hat, eps=1e-6):
    grad = np.zeros_like(y_hat)
    for i in range(y_hat.size):
        step = np.zeros_like(y_hat)
        step[i] = eps
        grad[i] = (f(y_hat + step) - f(y_hat - step)) / (2 * eps)
    return grad


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
