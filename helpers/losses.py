"""Losses (损失): how far predictions are from the labels.

* :func:`mae` and :func:`mse` compare predictions ``y_hat`` with labels ``y``, shapes
  (m,) (notebooks 00-03);
* :func:`cross_entropy_from_z` is the cross-entropy of a = σ(z), example by example,
  computed from z (notebooks 04 onwards: logistic regression, the playground, the layer
  library's :class:`~helpers.layers.BinaryCrossEntropyWithLogits`).
"""

from __future__ import annotations

import numpy as np

from helpers.validate import InputError, as_array, as_vector, same_length


def _pair(y, y_hat) -> tuple[np.ndarray, np.ndarray]:
    y, y_hat = as_vector("y", y), as_vector("y_hat", y_hat)
    same_length(y=y, y_hat=y_hat)
    return y, y_hat


def mae(y, y_hat) -> float:
    """Mean absolute error: L = (1/m) Σ |y − ŷ|."""
    y, y_hat = _pair(y, y_hat)
    return float(np.mean(np.abs(y - y_hat)))


def mse(y, y_hat) -> float:
    """Mean squared error: L = (1/m) Σ (y − ŷ)²."""
    y, y_hat = _pair(y, y_hat)
    return float(np.mean((y - y_hat) ** 2))


LOSSES = {"MAE": mae, "MSE": mse}


def cross_entropy_from_z(z, y) -> np.ndarray:
    """L = −(y log a + (1 − y) log(1 − a)) with a = σ(z), entry by entry, from z.

    With a = σ(z): −log a = log(1 + e^(−z)) and −log(1 − a) = log(1 + e^z), so
    L = log(1 + e^z) − y·z, and ``np.logaddexp(0, z)`` computes log(1 + e^z) without
    overflow and without log 0. Its derivative is dL/dz = σ(z) − y, the course's
    dz = a − y. ``z`` and ``y`` have the same shape (or shapes that broadcast).
    """
    z, y = as_array("z", z), as_array("y", y)
    try:
        np.broadcast_shapes(z.shape, y.shape)
    except ValueError:
        raise InputError(f"z and y must have the same shape, got {z.shape} and "
                         f"{y.shape}") from None
    return _cross_entropy_from_z(z, y)


def _cross_entropy_from_z(z, y):
    """:func:`cross_entropy_from_z` without the checks, for the training loops."""
    return np.logaddexp(0.0, z) - y * z
