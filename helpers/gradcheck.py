"""Gradient checking: compare an analytic gradient with finite differences.

The course checks every gradient it derives this way (and so do the unit tests)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], p, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂pᵢ by central differences, (f(p + eps·eᵢ) − f(p − eps·eᵢ)) / 2eps, for every
    coordinate i of p; the result has p's shape. Exact for quadratics up to rounding."""
    p = np.asarray(p, dtype=float)
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        step = np.zeros_like(p)
        step[i] = eps
        grad[i] = (f(p + step) - f(p - step)) / (2 * eps)
    return grad
