"""Losses (损失) that compare predictions ``y_hat`` with labels ``y``, shapes (m,).

Each loss sits next to its gradient with respect to ``y_hat``; the unit tests check
every gradient against finite differences.
"""

from __future__ import annotations

import numpy as np

from helpers.validate import as_vector, same_length


def _pair(y, y_hat) -> tuple[np.ndarray, np.ndarray]:
    y, y_hat = as_vector("y", y), as_vector("y_hat", y_hat)
    same_length(y=y, y_hat=y_hat)
    return y, y_hat


def mae(y, y_hat) -> float:
    """Mean absolute error: L = (1/m) Σ |y − ŷ|."""
    y, y_hat = _pair(y, y_hat)
    return float(np.mean(np.abs(y - y_hat)))


def mae_gradient(y, y_hat) -> np.ndarray:
    """dL/dŷ of the MAE: sign(ŷ − y) / m, shape (m,) (0 where ŷ = y)."""
    y, y_hat = _pair(y, y_hat)
    return np.sign(y_hat - y) / y.size


def mse(y, y_hat) -> float:
    """Mean squared error: L = (1/m) Σ (y − ŷ)²."""
    y, y_hat = _pair(y, y_hat)
    return float(np.mean((y - y_hat) ** 2))


def mse_gradient(y, y_hat) -> np.ndarray:
    """dL/dŷ of the MSE: 2 (ŷ − y) / m, shape (m,)."""
    y, y_hat = _pair(y, y_hat)
    return 2.0 * (y_hat - y) / y.size


LOSSES = {"MAE": mae, "MSE": mse}
