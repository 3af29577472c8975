"""Gradient descent (梯度下降) and its variants, for notebook 02.

The model is the line of the beans (豆豆) data, ŷ = w·x + b, scored by the mean squared
error. Notation (notebook 00): one feature, so the m examples are a row of X; the code
keeps them 1-D: ``x`` and ``y`` have shape (m,). ``lr`` is the learning rate η.

Forward and backward sit side by side:

* :func:`loss` -- forward propagation (前向传播): ŷ = w·x + b, then L = (1/m) Σ (ŷ − y)²;
* :func:`gradient` -- backward propagation (反向传播): (dw, db) = (∂L/∂w, ∂L/∂b).

One update of gradient descent is ``w, b = w - lr * dw, b - lr * db``.
:func:`gradient_descent` repeats it, in any of the four variants of the notebook:

* batch gradient descent: ``batch_size=None``, all m examples per update; an epoch
  (轮), one pass over the data, is 1 update;
* stochastic gradient descent (SGD): ``batch_size=1``, one example per update; m
  updates per epoch;
* mini-batch: ``batch_size=B``; ceil(m / B) updates per epoch (:func:`updates_per_epoch`);
* fixed step: ``sign_only=True``, every update moves each parameter by exactly ``lr``
  against the sign of its slope (with any of the batch sizes above).

Every run returns a :class:`Descent`: the path of the parameters, the loss at each
point, and whether (and at which update) it diverged. A diverging run *stops* at the
first update whose loss is not finite or exceeds ``max_loss``: no NaN, no overflow
warning reaches the learner. :func:`descend` does the same for any function of a
parameter vector (the saddle surface :func:`valleys`, a quadratic...), with optional
noise in the gradient, and :func:`ema` smooths a noisy loss curve.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from helpers.validate import (
    InputError,
    as_array,
    as_callable,
    as_count,
    as_flag,
    as_fraction,
    as_generator,
    as_learning_rate,
    as_non_negative,
    as_positive,
    as_scalar,
    as_vector,
    same_length,
)

MAX_LOSS = 1e6  # a loss above this counts as diverged (发散)


class Descent(NamedTuple):
    """The record of one run of gradient descent.

    Attributes:
        params: shape (k + 1, d): the parameters before the first update (row 0) and
            after each of the k updates made; for the line d = 2, columns (w, b).
        losses: shape (k + 1,): the loss on *all* the data at each row of ``params``.
        batch_losses: shape (k,): the loss on the examples each update used -- what a
            training loop sees; noisy when the batches are small.
        diverged_at: the update whose loss was not finite or above ``max_loss``, where
            the run stopped; None if it did not diverge. A non-finite point is not kept.
        updates_per_epoch: updates that make one pass over the data (one epoch, 轮).
    """

    params: np.ndarray
    losses: np.ndarray
    batch_losses: np.ndarray
    diverged_at: int | None
    updates_per_epoch: int

    @property
    def diverged(self) -> bool:
        """Whether the run diverged (and stopped early)."""
        return self.diverged_at is not None

    @property
    def updates(self) -> int:
        """How many updates were made (and kept)."""
        return len(self.params) - 1


# --- the line ŷ = w·x + b: forward and backward ---------------------------------------

def predict(x, w: float, b: float = 0.0) -> np.ndarray:
    """ŷ = w·x + b for every example. x (m,) -> (m,)."""
    return _predict(as_array("x", x), as_scalar("w", w), as_scalar("b", b))


def _predict(x: np.ndarray, w: float, b: float) -> np.ndarray:
    return w * x + b


def loss(x, y, w: float, b: float = 0.0) -> float:
    """Forward: the MSE L(w, b) = (1/m) Σ (w·x + b − y)². x, y (m,) -> a number."""
    x, y = _data(x, y)
    w, b = as_scalar("w", w), as_scalar("b", b)
    return float(np.mean((_predict(x, w, b) - y) ** 2))


def gradient(x, y, w: float, b: float = 0.0) -> tuple[float, float]:
    """Backward: (dw, db) = (∂L/∂w, ∂L/∂b) of :func:`loss`. x, y (m,) -> two numbers.

    With r = ŷ − y (shape (m,)): dw = (2/m) Σ r·x and db = (2/m) Σ r; for one example,
    dw = 2x²w + 2xb − 2xy and db = 2b + 2xw − 2y.
    """
    x, y = _data(x, y)
    w, b = as_scalar("w", w), as_scalar("b", b)
    r = _predict(x, w, b) - y  # (m,) residuals ŷ − y
    return float(2 * np.mean(r * x)), float(2 * np.mean(r))


def updates_per_epoch(m: int, batch_size: int) -> int:
    """Updates in one epoch (轮), one pass over m examples in batches of B: ceil(m / B).

    The last batch is smaller when B does not divide m: it still counts as an update.
    """
    m, batch_size = as_count("m", m), as_count("batch_size", batch_size)
    if batch_size > m:
        raise InputError(f"batch_size must be between 1 and m = {m}, got {batch_size}")
    return math.ceil(m / batch_size)


def gradient_descent(x, y, lr: float, updates: int, *, w0: float = 0.0, b0: float = 0.0,
                     batch_size: int | None = None, rng: np.random.Generator | None = None,
                     sign_only: bool = False, fit_bias: bool = True,
                     max_loss: float = MAX_LOSS) -> Descent:
    """Fit ŷ = w·x + b by gradient descent; return the :class:`Descent` (d = 2: w, b).

    Args:
        x, y: the data, shape (m,) each.
        lr: the learning rate η (学习率), > 0: each update is ``w -= lr * dw``
            (``w -= lr * sign(dw)`` with ``sign_only``), the same for b.
        updates: how many updates (更新) to make, >= 0.
        w0, b0: where to start.
        batch_size: examples per update: None (all m: batch gradient descent), 1
            (stochastic gradient descent) or B (mini-batch). Each epoch visits the
            examples in a new random order (``rng``) and cuts it into ceil(m / B) batches.
        rng: a ``np.random.Generator``, needed when ``batch_size < m`` (shuffling).
        sign_only: fixed-step descent: move every parameter by exactly ``lr``, against
            the sign of its slope; the size of the slope is ignored.
        fit_bias: False keeps b at b0: the one-parameter model ŷ = w·x (+ b0).
        max_loss: the run stops as diverged at the first update whose loss on all the
            data is not finite or above this bound.

    Raises:
        InputError (a ValueError and a TypeError, see :mod:`helpers.validate`): empty
            data, x and y of different lengths, NaN in the data, lr <= 0, a negative or
            non-integer number of updates, a batch size outside 1..m, a flag that is not
            True or False, ``rng`` missing or not a Generator when examples must be
            shuffled.
    """
    x, y = _data(x, y)
    lr, updates = _check_run(lr, updates)
    m = x.size
    batch_size = m if batch_size is None else batch_size
    per_epoch = updates_per_epoch(m, batch_size)
    if batch_size < m:
        as_generator(rng, "to shuffle the examples")
    w, b = as_scalar("w0", w0), as_scalar("b0", b0)
    sign_only, fit_bias = as_flag("sign_only", sign_only), as_flag("fit_bias", fit_bias)
    max_loss = as_positive("max_loss", max_loss)
    params, losses, batch_losses = [(w, b)], [loss(x, y, w, b)], []
    _check_start(losses[0], max_loss)
    step = np.sign if sign_only else float
    diverged_at, xb, yb = None, x, y  # with B = m every batch is all the data
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected below
        for k in range(1, updates + 1):
            if batch_size < m:
                start = ((k - 1) % per_epoch) * batch_size
                if start == 0:
                    order = rng.permutation(m)  # a new epoch: a new order
                batch = order[start:start + batch_size]
                xb, yb = x[batch], y[batch]
            # (Means are written as dot products divided by the size: the same numbers,
            # and several times faster than np.mean on arrays this small.)
            r = w * xb + b - yb                                # forward on the batch, (B,)
            dw, db = 2 * (r @ xb) / r.size, 2 * r.sum() / r.size  # backward
            batch_losses.append(float(r @ r) / r.size)
            w = float(w - lr * step(dw))
            b = float(b - lr * step(db)) if fit_bias else b
            r_all = w * x + b - y                              # the loss on all the data
            current = float(r_all @ r_all) / m
            if not current <= max_loss:  # catches NaN and infinity too
                diverged_at = k
                if not np.isfinite(current):
                    batch_losses.pop()
                    break
            params.append((w, b))
            losses.append(current)
            if diverged_at:
                break
    return Descent(np.array(params), np.array(losses), np.array(batch_losses),
                   diverged_at, per_epoch)


# --- any function of a parameter vector -----------------------------------------------

def descend(loss_fn: Callable, gradient_fn: Callable, start, lr: float, updates: int, *,
            noise: float = 0.0, rng: np.random.Generator | None = None,
            max_loss: float = MAX_LOSS) -> Descent:
    """Gradient descent on any function: p ← p − lr · (∇f(p) + noise · ε).

    Args:
        loss_fn: f(p) -> a number, for p of shape (d,).
        gradient_fn: ∇f(p) -> shape (d,).
        start: the first p, shape (d,).
        lr: the learning rate, > 0; updates: how many updates, >= 0.
        noise: standard deviation of Gaussian noise ε ~ N(0, 1) added to every gradient
            component, a stand-in for the noise of stochastic gradients; needs ``rng``.
        max_loss: the run stops as diverged when f is not finite or above this bound.

    The noise for all the updates is drawn at once, ``noise * rng.standard_normal((updates,
    d))``: the same ``rng`` state gives the same path.

    Returns a :class:`Descent` with ``params`` (k + 1, d); ``batch_losses`` are the
    losses at the points each update started from, and an epoch is one update.
    """
    loss_fn = as_callable("loss_fn", loss_fn, "gradient_descent.valleys")
    gradient_fn = as_callable("gradient_fn", gradient_fn, "gradient_descent.valleys_gradient")
    p = as_vector("start", start).copy()
    lr, updates = _check_run(lr, updates)
    noise = as_non_negative("noise", noise, what=">= 0 (a standard deviation)")
    if noise > 0:
        as_generator(rng, "to draw the gradient noise")
    max_loss = as_positive("max_loss", max_loss)
    params, losses = [p.copy()], [_value_of("loss_fn", loss_fn, p)]
    _check_start(losses[0], max_loss)
    diverged_at = None
    kicks = noise * rng.standard_normal((updates, p.size)) if noise > 0 else None
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected below
        for k in range(1, updates + 1):
            g = _gradient_of(gradient_fn, p)
            if kicks is not None:
                g = g + kicks[k - 1]
            p = p - lr * g
            current = _value_of("loss_fn", loss_fn, p, finite=False)
            if not current <= max_loss:  # catches NaN and infinity too
                diverged_at = k
                if not np.isfinite(current):
                    break
            params.append(p)
            losses.append(current)
            if diverged_at:
                break
    losses_array = np.array(losses)
    return Descent(np.array(params), losses_array, losses_array[:len(params) - 1].copy(),
                   diverged_at, 1)


def valleys(p, tilt: float = 0.15) -> np.ndarray:
    """Forward: a non-convex surface f = ½(w₁² − 1)² + 2w₂² + tilt · w₁³.

    Two valleys along w₁ and a saddle point (鞍点) between them at (0, 0), where the
    gradient is 0 although it is not a minimum: a maximum along w₁, a minimum along w₂.
    With tilt = 0.15 the valleys hold a local minimum near (0.89, 0) and the global
    minimum near (−1.12, 0). ``p`` has shape (2, ...): p[0] is w₁, p[1] is w₂, on any
    grid; the result has shape (...).
    """
    w1, w2 = _point("p", p)
    tilt = as_scalar("tilt", tilt)
    return 0.5 * (w1**2 - 1) ** 2 + 2 * w2**2 + tilt * w1**3


def valleys_gradient(p, tilt: float = 0.15) -> np.ndarray:
    """Backward: ∇f of :func:`valleys`, shape (2, ...): (2w₁(w₁² − 1) + 3·tilt·w₁², 4w₂)."""
    w1, w2 = _point("p", p)
    tilt = as_scalar("tilt", tilt)
    return np.array([2 * w1 * (w1**2 - 1) + 3 * tilt * w1**2, 4 * w2])


# --- smoothing a noisy loss curve -----------------------------------------------------

def ema(values, beta: float, bias_correction: bool = False) -> np.ndarray:
    """Exponentially weighted (moving) average (指数加权平均) of a sequence, shape (k,).

    v₀ = 0, vₜ = β·vₜ₋₁ + (1 − β)·θₜ: roughly the mean of the last 1/(1 − β) values.
    Starting from 0 drags the first values down; ``bias_correction`` divides vₜ by
    (1 − βᵗ) to undo that. β = 0 returns the values themselves.
    """
    values = as_vector("values", values)
    beta = as_fraction("ema", "beta", beta, "0.9")
    bias_correction = as_flag("bias_correction", bias_correction)
    averaged = np.empty_like(values)
    v = 0.0
    for t, value in enumerate(values):
        v = beta * v + (1 - beta) * value
        averaged[t] = v
    if bias_correction:
        averaged /= 1 - beta ** np.arange(1, values.size + 1)
    return averaged


# --- argument checks ------------------------------------------------------------------

def _data(x, y) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_vector("x", x), as_vector("y", y)
    same_length(x=x, y=y)
    return x, y


def _check_run(lr, updates) -> tuple[float, int]:
    return as_learning_rate(lr), as_count("updates", updates, minimum=0)


def _value_of(name: str, f, p: np.ndarray, finite: bool = True) -> float:
    """f(p) as a float (NaN and infinity allowed unless ``finite``), or an InputError
    naming the function."""
    value = f(p)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must return a number, got {type(value).__name__}") from None
    if finite and not np.isfinite(number):
        raise InputError(f"{name} returned {number} at the start {p}: it must be finite there")
    return number


def _gradient_of(gradient_fn, p: np.ndarray) -> np.ndarray:
    """gradient_fn(p) as a float array of p's shape, or an InputError."""
    g = as_array("what gradient_fn returns", gradient_fn(p), finite=False)
    if g.shape != p.shape:
        raise InputError(f"gradient_fn returned shape {g.shape}, but the gradient of f at p "
                         f"has p's shape {p.shape}")
    return g


def _point(name: str, p) -> np.ndarray:
    """p as a float array of shape (2, ...), finite, or an InputError."""
    p = as_array(name, p)
    if p.ndim == 0 or p.shape[0] != 2:
        raise InputError(f"{name} must have shape (2, ...): {name}[0] is w₁ and {name}[1] is "
                         f"w₂ (a point, or two grids); got shape {p.shape}")
    return p


def _check_start(first_loss: float, max_loss: float) -> None:
    if not first_loss <= max_loss:
        raise InputError(f"the loss at the start is {first_loss:.3g}, already above "
                         f"max_loss = {max_loss:.3g}: start closer or raise max_loss")
