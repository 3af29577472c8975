"""The linear model (线性模型) ŷ = wᵀX + b and the tools of notebook 01.

Notation (notebook 00): X has shape (n, m) -- n features, one *column* per example;
w has shape (n,); b is a number; y and ŷ have shape (m,).
"""

from __future__ import annotations

import numpy as np

from helpers.losses import LOSSES
from helpers.validate import (
    InputError,
    as_choice,
    as_matrix,
    as_scalar,
    as_vector,
    same_length,
)


def predict(X, w, b: float) -> np.ndarray:
    """ŷ = wᵀX + b: one prediction per column of X. X (n, m), w (n,) -> (m,)."""
    X, w, b = as_matrix("X", X), as_vector("w", w), as_scalar("b", b)
    if w.size != X.shape[0]:
        raise InputError(f"w has {w.size} weights but X has {X.shape[0]} features (rows)")
    return w @ X + b  # (m,)


def loss_surface(x, y, ws, bs, loss: str = "MSE") -> np.ndarray:
    """L(w, b) of the one-feature model ŷ = b + w·x on a grid; shape (len(bs), len(ws)).

    Row i, column j holds the loss of w = ws[j], b = bs[i] (the layout ``contour`` wants).
    """
    x, y = as_vector("x", x), as_vector("y", y)
    same_length(x=x, y=y)
    ws, bs = as_vector("ws", ws), as_vector("bs", bs)
    loss = as_choice("loss", loss, sorted(LOSSES))
    surface = np.empty((bs.size, ws.size))
    for i, b in enumerate(bs):  # one row at a time keeps memory at len(ws) * m
        errors = y - (b + ws[:, None] * x)  # (len(ws), m)
        surface[i] = np.mean(errors**2 if loss == "MSE" else np.abs(errors), axis=1)
    return surface


def grid_search(x, y, ws, bs, loss: str = "MSE") -> tuple[float, float, float]:
    """Try every (w, b) on the grid; return the best ``(w, b, L)``.

    It costs len(ws) * len(bs) loss evaluations: 100^k for k parameters of 100 values.
    """
    surface = loss_surface(x, y, ws, bs, loss)
    i, j = np.unravel_index(np.argmin(surface), surface.shape)
    return float(np.asarray(ws)[j]), float(np.asarray(bs)[i]), float(surface[i, j])


def lag_features(series, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Predict each day from the k days before it.

    Returns X (k, m) and y (m,), m = len(series) - k: y[t] is day t+k of the series and
    column t of X holds the k days before it, most recent first -- row j-1 is the value
    j days before (row 0 is "yesterday"), so that ŷ = b + Σⱼ wⱼ xⱼ with xⱼ "j days ago".
    """
    series = as_vector("series", series)
    if isinstance(k, bool) or not (isinstance(k, (int, np.integer)) and 1 <= k < series.size):
        raise InputError(f"k must be an integer from 1 to {series.size - 1}, got {k!r}")
    m = series.size - k
    X = np.stack([series[k - j:k - j + m] for j in range(1, k + 1)])  # (k, m)
    return X, series[k:]


def fit_least_squares(X, y) -> tuple[np.ndarray, float]:
    """The (w, b) with the smallest MSE, in closed form (``np.linalg.lstsq``)."""
    X, y = as_matrix("X", X), as_vector("y", y)
    same_length(X=X, y=y)
    n, m = X.shape
    if m < n + 1:
        raise InputError(f"{m} examples cannot determine {n} weights and a bias: "
                         f"least squares needs at least {n + 1}")
    design = np.vstack([X, np.ones(X.shape[1])]).T  # (m, n + 1): features and a 1 for b
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    return solution[:-1], float(solution[-1])
