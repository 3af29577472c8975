"""Gradient descent (梯度下降) and its variants, for notebook 02.

The model is the line of the beans (豆豆) data, ŷ = w·x + b, scored by the mean squared
error. Notation (notebook 00): one feature, so the m examples are a row of X; the code
keeps them 1-D: ``x`` and ``y`` have shape (m,). ``lr`` is the learning rate η.

Forward and backward sit side by side:

* :func:`loss` -- forward propagation (前向传播): ŷ = w·x + b, then L = (1/m) Σ (ŷ − y)²;
* :func:`gradient` -- backward propagation (反向传播): (dw, db) = (∂L/∂w, ∂L/∂b).

One update (更新) of gradient descent, one *step*, is ``w, b = w - lr * dw, b - lr * db``.
:func:`gradient_descent` repeats it ``steps`` times, in any of the four variants of the
notebook:

* batch gradient descent: ``batch_size=None``, all m examples per step; an epoch
  (轮), one pass over the data, is 1 step;
* stochastic gradient descent (SGD): ``batch_size=1``, one example per step; m
  steps per epoch;
* mini-batch: ``batch_size=B``; ceil(m / B) steps per epoch (:func:`steps_per_epoch`);
* fixed step: ``sign_only=True``, every step moves each parameter by exactly ``lr``
  against the sign of its slope (with any of the batch sizes above).

:func:`one_epoch` is the loop of one epoch of mini-batch descent written out (the
notebook's exercise), and :func:`run_epochs` repeats any such epoch function, the
course's or the learner's, into a :class:`Descent`.

Every run returns a :class:`Descent`: the path of the parameters, the loss at each
point, and whether (and at which step) it diverged. A diverging run *stops* at the
first step whose loss is not finite or exceeds ``max_loss``: no NaN, no overflow
warning reaches the learner. :func:`descend` does the same for any function of a
parameter vector (the saddle surface :func:`valleys`, a quadratic...), with optional
noise in the gradient, and :func:`ema` smooths a noisy loss curve.

The live figures of the notebook are each a ``(fig, update)`` pair for
:class:`helpers.live.LiveFigure`; the runs they show are made in the notebook:
:func:`bowl_figure`, :func:`learning_rate_figure`, :func:`variants_figure`,
:func:`saddle_figure` and :func:`loss_average_figure`; :func:`fit_figure` draws the
frames of the animation.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from matplotlib.lines import Line2D

from helpers import linear, live, plotting
from helpers.training import batches, diverged
from helpers.validate import (
    InputError,
    as_array,
    as_callable,
    as_count,
    as_flag,
    as_fraction,
    as_generator,
    as_instance,
    as_learning_rate,
    as_matrix,
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
        params: shape (k + 1, d): the parameters before the first step (row 0) and
            after each of the k steps made; for the line d = 2, columns (w, b).
        losses: shape (k + 1,): the loss on *all* the data at each row of ``params``.
        batch_losses: shape (k,): the loss on the examples each step used -- what a
            training loop sees; noisy when the batches are small.
        diverged_at: the step whose loss was not finite or above ``max_loss``, where
            the run stopped; None if it did not diverge. A non-finite point is not kept.
        steps_per_epoch: steps that make one pass over the data (one epoch, 轮).
    """

    params: np.ndarray
    losses: np.ndarray
    batch_losses: np.ndarray
    diverged_at: int | None
    steps_per_epoch: int

    @property
    def diverged(self) -> bool:
        """Whether the run diverged (and stopped early)."""
        return self.diverged_at is not None

    @property
    def steps(self) -> int:
        """How many steps (updates) were made (and kept)."""
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


def steps_per_epoch(m: int, batch_size: int) -> int:
    """Steps (updates) in one epoch (轮), one pass over m examples in batches of B:
    ceil(m / B).

    The last batch is smaller when B does not divide m: it still counts as a step.
    """
    m, batch_size = as_count("m", m), as_count("batch_size", batch_size)
    if batch_size > m:
        raise InputError(f"batch_size must be between 1 and m = {m}, got {batch_size}")
    return math.ceil(m / batch_size)


def gradient_descent(x, y, lr: float, steps: int, *, w0: float = 0.0, b0: float = 0.0,
                     batch_size: int | None = None, rng: np.random.Generator | None = None,
                     sign_only: bool = False, fit_bias: bool = True,
                     max_loss: float = MAX_LOSS) -> Descent:
    """Fit ŷ = w·x + b by gradient descent; return the :class:`Descent` (d = 2: w, b).

    Args:
        x, y: the data, shape (m,) each.
        lr: the learning rate η (学习率), > 0: each step is ``w -= lr * dw``
            (``w -= lr * sign(dw)`` with ``sign_only``), the same for b.
        steps: how many steps (updates, 更新) to make, >= 0.
        w0, b0: where to start.
        batch_size: examples per step: None (all m: batch gradient descent), 1
            (stochastic gradient descent) or B (mini-batch). Each epoch visits the
            examples in a new random order (``rng``) and cuts it into ceil(m / B) batches.
        rng: a ``np.random.Generator``, needed when ``batch_size < m`` (shuffling).
        sign_only: fixed-step descent: move every parameter by exactly ``lr``, against
            the sign of its slope; the size of the slope is ignored.
        fit_bias: False keeps b at b0: the one-parameter model ŷ = w·x (+ b0).
        max_loss: the run stops as diverged at the first step whose loss on all the
            data is not finite or above this bound.

    Raises:
        InputError (a ValueError and a TypeError, see :mod:`helpers.validate`): empty
            data, x and y of different lengths, NaN in the data, lr <= 0, a negative or
            non-integer number of steps, a batch size outside 1..m, a flag that is not
            True or False, ``rng`` missing or not a Generator when examples must be
            shuffled.
    """
    x, y = _data(x, y)
    lr, steps = _check_run(lr, steps)
    m = x.size
    batch_size = m if batch_size is None else batch_size
    per_epoch = steps_per_epoch(m, batch_size)
    if batch_size < m:
        as_generator(rng, "to shuffle the examples")
    w, b = as_scalar("w0", w0), as_scalar("b0", b0)
    sign_only, fit_bias = as_flag("sign_only", sign_only), as_flag("fit_bias", fit_bias)
    max_loss = as_positive("max_loss", max_loss)
    params, losses, batch_losses = [(w, b)], [loss(x, y, w, b)], []
    _check_start(losses[0], max_loss)
    direction = np.sign if sign_only else float
    diverged_at, xb, yb = None, x, y  # with B = m every batch is all the data
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected below
        for k in range(1, steps + 1):
            if batch_size < m:
                if (k - 1) % per_epoch == 0:  # a new epoch: a new order (the course's rule)
                    epoch_batches = batches(m, batch_size, rng)
                batch = epoch_batches[(k - 1) % per_epoch]
                xb, yb = x[batch], y[batch]
            # (Means are written as dot products divided by the size: the same numbers,
            # and several times faster than np.mean on arrays this small.)
            r = w * xb + b - yb                                # forward on the batch, (B,)
            dw, db = 2 * (r @ xb) / r.size, 2 * r.sum() / r.size  # backward
            batch_losses.append(float(r @ r) / r.size)
            w = float(w - lr * direction(dw))
            b = float(b - lr * direction(db)) if fit_bias else b
            r_all = w * x + b - y                              # the loss on all the data
            current = float(r_all @ r_all) / m
            if diverged(current, max_loss):  # the course's rule: NaN and inf too
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


def one_epoch(x, y, w: float, b: float, lr: float, batch_size: int,
              rng: np.random.Generator) -> np.ndarray:
    """One epoch (轮) of mini-batch descent on ŷ = w·x + b, written out: shuffle the m
    examples (``rng.permutation(m)``), cut the order into ceil(m / B) batches (the last one
    smaller when B does not divide m) and update w and b after each batch.

    x, y (m,) -> the path, shape (ceil(m / B), 2): the (w, b) after each update.
    """
    x, y = _data(x, y)
    w, b = as_scalar("w", w), as_scalar("b", b)
    lr = as_learning_rate(lr)
    batch_size = _batch_size(batch_size, x.size)
    rng = as_generator(rng, "to shuffle the examples")
    return _one_epoch(x, y, w, b, lr, batch_size, rng)


def _one_epoch(x, y, w, b, lr, batch_size, rng) -> np.ndarray:
    m = x.size
    order = rng.permutation(m)                    # a new order every epoch
    path = []
    for start in range(0, m, batch_size):         # ceil(m / B) batches
        batch = order[start:start + batch_size]   # the last one may be smaller
        xb, yb = x[batch], y[batch]               # (B,) each, the pairs kept together
        r = w * xb + b - yb                       # forward on the batch: ŷ − y, (B,)
        dw, db = 2 * np.mean(r * xb), 2 * np.mean(r)  # backward: means over the batch
        w, b = w - lr * dw, b - lr * db           # update after every batch
        path.append((w, b))
    return np.array(path)                         # (ceil(m / B), 2)


def run_epochs(epoch: Callable, x, y, lr: float, epochs: int, *, w0: float = 0.0,
               b0: float = 0.0, batch_size: int, rng: np.random.Generator,
               max_loss: float = MAX_LOSS) -> Descent:
    """Mini-batch descent made of whole epochs: ``epoch(x, y, w, b, lr, batch_size, rng)``
    (:func:`one_epoch`, or the learner's own) is called ``epochs`` times, each time from
    where the last one ended, with the same ``rng`` (a new order every epoch).

    Returns a :class:`Descent` like :func:`gradient_descent`'s: ``params`` (k + 1, 2) and
    ``losses`` (k + 1,) on all the data, one row per update. The loss of each batch is not
    known from a path: ``batch_losses`` is empty. The run stops as diverged at the first
    update whose loss is not finite or above ``max_loss``.

    Raises InputError if ``epoch`` returns anything but a path of ceil(m / B) rows (w, b).
    """
    epoch = as_callable("epoch", epoch, "gradient_descent.one_epoch")
    x, y = _data(x, y)
    lr, epochs = as_learning_rate(lr), as_count("epochs", epochs, minimum=0)
    w, b = as_scalar("w0", w0), as_scalar("b0", b0)
    m = x.size
    batch_size = _batch_size(batch_size, m)
    rng = as_generator(rng, "to shuffle the examples")
    max_loss = as_positive("max_loss", max_loss)
    per_epoch = steps_per_epoch(m, batch_size)
    params, losses = [np.array([w, b])], [loss(x, y, w, b)]
    _check_start(losses[0], max_loss)
    diverged_at = None
    for _ in range(epochs):
        path = _epoch_path(epoch(x.copy(), y.copy(), w, b, lr, batch_size, rng), m,
                           batch_size, per_epoch)
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected below
            r = path[:, :1] * x + path[:, 1:] - y            # (k, m): ŷ − y after each update
            path_losses = np.mean(r * r, axis=1)             # (k,)
        for point, current in zip(path, path_losses, strict=True):
            if diverged(float(current), max_loss):
                diverged_at = len(params)
                if not np.isfinite(current):
                    break
            params.append(point)
            losses.append(float(current))
            if diverged_at:
                break
        if diverged_at:
            break
        w, b = (float(v) for v in path[-1])
    return Descent(np.array(params), np.array(losses), np.empty(0), diverged_at, per_epoch)


def _batch_size(batch_size, m: int) -> int:
    batch_size = as_count("batch_size", batch_size)
    if batch_size > m:
        raise InputError(f"batch_size must be between 1 and m = {m}, got {batch_size}")
    return batch_size


def _epoch_path(path, m: int, batch_size: int, per_epoch: int) -> np.ndarray:
    """What an epoch function returned, as its path (per_epoch, 2), or an InputError."""
    try:
        path = np.asarray(path, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"epoch must return the path, an array of (w, b) rows; got "
                         f"{type(path).__name__}") from None
    if path.shape != (per_epoch, 2):
        raise InputError(f"epoch returned a path of shape {path.shape}, not ({per_epoch}, 2): "
                         f"one epoch of m = {m} examples in batches of {batch_size} is "
                         f"ceil({m}/{batch_size}) = {per_epoch} updates, one row (w, b) each")
    return path


# --- any function of a parameter vector -----------------------------------------------

def descend(loss_fn: Callable, gradient_fn: Callable, start, lr: float, steps: int, *,
            noise: float = 0.0, rng: np.random.Generator | None = None,
            max_loss: float = MAX_LOSS) -> Descent:
    """Gradient descent on any function: p ← p − lr · (∇f(p) + noise · ε).

    Args:
        loss_fn: f(p) -> a number, for p of shape (d,).
        gradient_fn: ∇f(p) -> shape (d,).
        start: the first p, shape (d,).
        lr: the learning rate, > 0; steps: how many steps (updates), >= 0.
        noise: standard deviation of Gaussian noise ε ~ N(0, 1) added to every gradient
            component, a stand-in for the noise of stochastic gradients; needs ``rng``.
        max_loss: the run stops as diverged when f is not finite or above this bound.

    The noise for all the steps is drawn at once, ``noise * rng.standard_normal((steps,
    d))``: the same ``rng`` state gives the same path.

    Returns a :class:`Descent` with ``params`` (k + 1, d); ``batch_losses`` are the
    losses at the points each step started from, and an epoch is one step.
    """
    loss_fn = as_callable("loss_fn", loss_fn, "gradient_descent.valleys")
    gradient_fn = as_callable("gradient_fn", gradient_fn, "gradient_descent.valleys_gradient")
    p = as_vector("start", start).copy()
    lr, steps = _check_run(lr, steps)
    noise = as_non_negative("noise", noise, what=">= 0 (a standard deviation)")
    if noise > 0:
        as_generator(rng, "to draw the gradient noise")
    max_loss = as_positive("max_loss", max_loss)
    params, losses = [p.copy()], [_value_of("loss_fn", loss_fn, p)]
    _check_start(losses[0], max_loss)
    diverged_at = None
    kicks = noise * rng.standard_normal((steps, p.size)) if noise > 0 else None
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected below
        for k in range(1, steps + 1):
            g = _gradient_of(gradient_fn, p)
            if kicks is not None:
                g = g + kicks[k - 1]
            p = p - lr * g
            current = _value_of("loss_fn", loss_fn, p, finite=False)
            if diverged(current, max_loss):  # the course's rule: NaN and inf too
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


# --- the live figures of notebook 02 (they draw; the runs come from the notebook) -----------

VARIANTS = ("batch", "stochastic", "mini-batch", "fixed step")  # of variants_figure
LOOPS = ("the course's", "yours")  # whose epoch loop variants_figure shows
_BOX = {"fc": "white", "alpha": 0.85}


def bowl_figure(x, y, ws, bs, surface):
    """The error surface as a bowl, and its two slices through (w, b): ``update(w, b)``
    -> ``(fig, update)``.

    Left: ``surface``, L(w, b) of the data x, y (m,) on the grid ws × bs, shape
    (len(bs), len(ws)) as :func:`helpers.linear.loss_surface` returns it, in 3-D, with the
    slice along w (b fixed, red) and along b (w fixed, orange) through (w, b). Middle and
    right: the two slices as curves, with their tangents at (w, b): their slopes, ∂L/∂w
    and ∂L/∂b, are the two components of the gradient.
    """
    x, y = _data(x, y)
    ws, bs, surface = _grid(ws, bs, surface)
    L_top = np.ceil(surface.max())  # the height shown

    fig, (ax3d, ax_w, ax_b) = live.figure(1, 3, figsize=(11, 4), width_ratios=[1.5, 1, 1])
    spec = ax3d.get_subplotspec()
    ax3d.remove()  # the first panel becomes a 3-D one
    ax3d = fig.add_subplot(spec, projection="3d")
    W, B = np.meshgrid(ws, bs)
    ax3d.plot_surface(W, B, surface, cmap="viridis", alpha=0.75,
                      rstride=3, cstride=3, linewidth=0.2, edgecolor="white")
    ax3d.set(xlabel="w", ylabel="b", xlim=(ws[0], ws[-1]), ylim=(bs[0], bs[-1]),
             zlim=(0, L_top), title="the error surface L(w, b) (误差曲面): a bowl")
    ax3d.view_init(elev=25, azim=-130)
    ax_w.set(xlabel="w", ylabel="L", xlim=(ws[0], ws[-1]), ylim=(0, L_top),
             title="slice along w (b fixed)")
    ax_b.set(xlabel="b", xlim=(bs[0], bs[-1]), ylim=(0, L_top), title="slice along b (w fixed)")
    for ax in (ax_w, ax_b):
        ax.grid(alpha=0.3)

    (slice_w_3d,) = ax3d.plot([], [], [], "-", color="crimson", lw=2.5, animated=True)
    (slice_b_3d,) = ax3d.plot([], [], [], "-", color="darkorange", lw=2.5, animated=True)
    (point_3d,) = ax3d.plot([], [], [], "o", color="black", ms=6, animated=True)
    (slice_w,) = ax_w.plot([], [], "-", color="crimson", lw=2, animated=True)
    (tangent_w,) = ax_w.plot([], [], "--", color="black", lw=1.2, animated=True)
    (point_w,) = ax_w.plot([], [], "o", color="black", ms=6, animated=True)
    (slice_b,) = ax_b.plot([], [], "-", color="darkorange", lw=2, animated=True)
    (tangent_b,) = ax_b.plot([], [], "--", color="black", lw=1.2, animated=True)
    (point_b,) = ax_b.plot([], [], "o", color="black", ms=6, animated=True)
    text_w = ax_w.text(0.03, 0.95, "", transform=ax_w.transAxes, va="top", animated=True,
                       bbox=_BOX)
    text_b = ax_b.text(0.03, 0.95, "", transform=ax_b.transAxes, va="top", animated=True,
                       bbox=_BOX)

    def clipped(values):  # leave out the part of a curve above the top of the plot
        return np.where(values <= L_top, values, np.nan)

    def update_bowl(w, b):
        along_w = linear.loss_surface(x, y, ws, [b])[0]  # (len(ws),): L(·, b)
        along_b = linear.loss_surface(x, y, [w], bs)[:, 0]  # (len(bs),): L(w, ·)
        L = loss(x, y, w, b)
        dw, db = gradient(x, y, w, b)
        slice_w_3d.set_data_3d(ws, np.full_like(ws, b), clipped(along_w))
        slice_b_3d.set_data_3d(np.full_like(bs, w), bs, clipped(along_b))
        point_3d.set_data_3d([w], [b], [min(L, L_top)])
        slice_w.set_data(ws, along_w)
        slice_b.set_data(bs, along_b)
        tangent_w.set_data(ws, L + dw * (ws - w))
        tangent_b.set_data(bs, L + db * (bs - b))
        point_w.set_data([w], [L])
        point_b.set_data([b], [L])
        text_w.set_text(f"L = {L:.3f}\n∂L/∂w = {dw:+.3f}")
        text_b.set_text(f"∂L/∂b = {db:+.3f}")

    return fig, update_bowl


def learning_rate_figure(runs: Callable, x_nb, y_nb, ws, bs, surface, *, w_best_nb: float,
                         best, start):
    """One learning rate, two runs: ``update(lr, steps)`` -> ``(fig, update)``.

    ``runs(lr)`` returns two :class:`Descent` runs with the learning rate lr: one of the
    model ŷ = w·x on the data x_nb, y_nb (m,), one of the line ŷ = w·x + b. Left: the loss
    curve L(w) of the first model with its bottom ``w_best_nb`` (a star) and the first
    ``steps`` steps of its run; right: the error surface (ws, bs, ``surface`` as
    :func:`helpers.linear.loss_surface` returns it) with its bottom ``best`` = (w, b) (a
    star), the ``start`` (w⁰, b⁰) (a square) and the path of the second run. A run that
    diverged within those steps says so, in red.
    """
    runs = as_callable("runs", runs, "def runs(lr): return one_parameter_run, two_run")
    x_nb, y_nb = as_vector("x_nb", x_nb), as_vector("y_nb", y_nb)
    same_length(x_nb=x_nb, y_nb=y_nb)
    ws, bs, surface = _grid(ws, bs, surface)
    w_best_nb = as_scalar("w_best_nb", w_best_nb)
    best, start = _pair("best", best), _pair("start", start)
    w_curve = np.linspace(ws[0], ws[-1], 200)
    L_curve = linear.loss_surface(x_nb, y_nb, w_curve, [0.0])[0]  # L(w) of the model ŷ = w·x

    fig, (ax_1d, ax_2d) = live.figure(1, 2, figsize=(10, 4))
    ax_1d.plot(w_curve, L_curve, color="gray", lw=2)
    ax_1d.plot([w_best_nb], [0], "k*", ms=10)
    ax_1d.set(xlabel="w", ylabel="L(w)", xlim=(ws[0], ws[-1]), ylim=(-0.05, 1.2),
              title="ŷ = w·x: the loss curve")
    plotting.error_surface(ws, bs, surface, ax=ax_2d, colorbar=False)
    ax_2d.plot([best[0]], [best[1]], "w*", ms=12)
    ax_2d.plot([start[0]], [start[1]], "ws", ms=7)
    ax_2d.set(xlim=(ws[0], ws[-1]), ylim=(bs[0], bs[-1]), title="ŷ = w·x + b: the error surface")

    (path_1d,) = ax_1d.plot([], [], "o-", color="crimson", ms=4, lw=1, animated=True)
    (path_2d,) = ax_2d.plot([], [], "o-", color="orange", ms=3, lw=1, animated=True)
    text_1d = ax_1d.text(0.5, 0.95, "", transform=ax_1d.transAxes, ha="center", va="top",
                         animated=True, bbox=_BOX)
    text_2d = ax_2d.text(0.03, 0.04, "", transform=ax_2d.transAxes, animated=True, bbox=_BOX)

    def update_learning_rate(lr, steps):
        one, two = runs(lr)
        k1, k2 = min(steps, one.steps), min(steps, two.steps)
        path_1d.set_data(one.params[:k1 + 1, 0], one.losses[:k1 + 1])
        path_2d.set_data(two.params[:k2 + 1, 0], two.params[:k2 + 1, 1])
        for text, run in ((text_1d, one), (text_2d, two)):
            text.set_color("crimson" if run.diverged and run.diverged_at <= steps else "black")
        text_1d.set_text(_describe(one, lr, steps, lambda w, b: f"w = {w:.3f}"))
        text_2d.set_text(_describe(two, lr, steps, lambda w, b: f"w = {w:.3f}, b = {b:.3f}"))

    return fig, update_learning_rate


def _describe(run: Descent, lr: float, steps: int, what: Callable) -> str:
    """The run after ``steps`` steps, in words (``what(w, b)`` says where it is)."""
    if run.diverged and run.diverged_at <= steps:
        return (f"lr = {lr:.3g}: diverged at step {run.diverged_at}\n"
                f"(L > {MAX_LOSS:.0e}: stopped)")
    w, b = run.params[steps]
    return f"after {steps} steps: {what(w, b)}\nL = {run.losses[steps]:.4f}"


def variants_figure(mini_batch_runs: dict, fixed_step_run: Descent, ws, bs, surface, *,
                    best, best_loss: float, lr: float, step_size: float,
                    your_runs: Callable | None = None):
    """The four variants side by side: ``update(variant, batch_size, epochs, loop)`` ->
    ``(fig, update)``, ``variant`` one of :data:`VARIANTS`, ``loop`` one of :data:`LOOPS`.

    ``mini_batch_runs`` maps every batch size B = 1, 2, ..., m to a run of gradient
    descent with the learning rate ``lr`` (B = 1 is stochastic, B = m batch descent);
    ``fixed_step_run`` is fixed-step descent with the step size ``step_size``, all m examples per
    step. Left: the path of each variant after ``epochs`` epochs on the error surface
    (ws, bs, ``surface`` as :func:`helpers.linear.loss_surface` returns it) with its
    bottom ``best`` = (w, b); the chosen variant is drawn strongly, the others faintly.
    Right: the loss on all the data after each step (log axes), ``best_loss`` dotted, and
    a dot at the end of every epoch of the chosen variant.

    ``your_runs(B)``, if given, returns the same run made with the learner's own epoch
    loop (:func:`run_epochs`); ``loop="yours"`` shows those runs for batch, stochastic and
    mini-batch descent. If it raises (the exercise is not done yet, or its path has the
    wrong shape), the figure says so and shows the course's runs.
    """
    mini_batch_runs = as_instance("mini_batch_runs", mini_batch_runs, dict,
                                  "{B: gradient_descent(...) for B in range(1, m + 1)}")
    m = len(mini_batch_runs)
    if not m or set(mini_batch_runs) != set(range(1, m + 1)):
        raise InputError(f"mini_batch_runs must map every batch size B = 1, 2, ..., m to a "
                         f"run; got the keys {list(mini_batch_runs)[:5]}")
    for B, run in mini_batch_runs.items():
        as_instance(f"mini_batch_runs[{B}]", run, Descent)
    fixed_step_run = as_instance("fixed_step_run", fixed_step_run, Descent)
    ws, bs, surface = _grid(ws, bs, surface)
    best, best_loss = _pair("best", best), as_non_negative("best_loss", best_loss)
    lr, step_size = as_learning_rate(lr), as_positive("step_size", step_size)
    if your_runs is not None:
        your_runs = as_callable("your_runs", your_runs,
                                "lambda B: run_epochs(one_epoch, x, y, lr, epochs, ...)")
    colours = dict(zip(VARIANTS, ["crimson", "orange", "deepskyblue", "violet"], strict=True))

    fig, (ax_path, ax_loss) = live.figure(1, 2, figsize=(10, 4))
    plotting.error_surface(ws, bs, surface, ax=ax_path, colorbar=False)
    ax_path.plot([best[0]], [best[1]], "w*", mec="black", ms=13, zorder=10,
                 animated=True)  # animated with a high zorder: drawn over the paths
    ax_path.set(xlim=(ws[0], ws[-1]), ylim=(bs[0], bs[-1]), title="paths on the error surface")
    ax_loss.set(xscale="log", yscale="log", xlim=(1, mini_batch_runs[1].steps),
                ylim=(2e-3, 10), xlabel="update (更新)", ylabel="loss on all the data",
                title="loss after each update")
    ax_loss.axhline(best_loss, color="gray", ls=":", lw=1)
    ax_loss.set_facecolor("#f4f4f4")
    paths = {name: ax_path.plot([], [], "-", color=colours[name], animated=True)[0]
             for name in VARIANTS}
    curves = {name: ax_loss.plot([], [], "-", color=colours[name], animated=True)[0]
              for name in VARIANTS}
    ax_loss.legend(handles=[Line2D([], [], color=colours[name], lw=2, label=name)
                            for name in VARIANTS], loc="lower left", fontsize=8.5)
    (epoch_ends,) = ax_loss.plot([], [], "o", color="black", ms=3, animated=True)
    (end_point,) = ax_path.plot([], [], "o", color="white", mec="black", ms=7, zorder=9,
                                animated=True)
    variant_text = ax_path.text(0.02, 0.03, "", transform=ax_path.transAxes, animated=True,
                                fontsize=9, zorder=10, bbox={"fc": "white", "alpha": 0.9})

    def variant_run(name, batch_size, loop):
        """The run to show, and whose loop made it (for the readout)."""
        if name == "fixed step":
            return fixed_step_run, "fixed step: the course's loop"
        B = {"batch": m, "stochastic": 1, "mini-batch": batch_size}[name]
        if loop != "yours":
            return mini_batch_runs[B], ""
        if your_runs is None:
            return mini_batch_runs[B], "no loop of yours was given: the course's"
        try:
            return as_instance("your_runs(B)", your_runs(B), Descent), "your loop"
        except InputError as error:  # the learner's path has the wrong shape...: say so
            said = textwrap.shorten(str(error), 110)
        except Exception as error:  # the learner's code raised: say what, and go on
            said = f"your loop raised {type(error).__name__}"
        return mini_batch_runs[B], "\n".join(textwrap.wrap(f"{said}; shown: the course's", 50))

    def update_variants(variant, batch_size, epochs, loop=LOOPS[0]):
        runs, whose = {}, {}
        for name in VARIANTS:
            runs[name], whose[name] = variant_run(name, batch_size, loop)
            run = runs[name]
            k = min(epochs * run.steps_per_epoch, run.steps)
            chosen = name == variant
            every = 1 if chosen else max(1, k // 300)  # a faint path needs fewer points
            paths[name].set_data(run.params[:k + 1:every, 0], run.params[:k + 1:every, 1])
            paths[name].set(lw=2.2 if chosen else 0.8, alpha=1.0 if chosen else 0.35,
                            zorder=4 if chosen else 3)
            shown = np.unique(np.geomspace(1, max(k, 1), 300).astype(int))  # for a log axis
            shown = shown[shown <= k]
            curves[name].set_data(shown, run.losses[shown])
            curves[name].set(lw=1.5 if chosen else 0.8, alpha=1.0 if chosen else 0.3)
        run = runs[variant]
        per_epoch = run.steps_per_epoch
        k = min(epochs * per_epoch, run.steps)
        ends = per_epoch * np.arange(1, k // per_epoch + 1)
        if run.diverged and run.diverged_at <= epochs * per_epoch:
            whose[variant] += f": diverged at update {run.diverged_at}, stopped"
        epoch_ends.set_data(ends, run.losses[ends])
        end_point.set_data([run.params[k, 0]], [run.params[k, 1]])
        B = {"batch": m, "stochastic": 1, "mini-batch": batch_size, "fixed step": m}[variant]
        how = f"step {step_size:g}" if variant == "fixed step" else f"lr {lr:g}"
        variant_text.set_text(
            f"{variant}, B = {B}, {how}\n1 epoch = ⌈{m}/{B}⌉ = {per_epoch} update(s)\n"
            f"{epochs} epoch(s) = {k} update(s), loss {run.losses[k]:.4f}"
            + ("" if variant == "mini-batch" else f"\n(the B slider, now {batch_size}, "
                                                  f"is for mini-batch)")
            + (f"\n{whose[variant]}" if loop == "yours" else ""))

    return fig, update_variants


def saddle_figure(saddle_run: Callable, *, global_minimum: float, local_minimum: float,
                  steps: int):
    """Plain and noisy gradient descent near the saddle of :func:`valleys`:
    ``update(w1, w2, noise)`` -> ``(fig, update)``.

    ``saddle_run(w1, w2, noise)`` returns a run of ``steps`` steps of :func:`descend` on
    :func:`valleys` from (w1, w2), with that much gradient noise (0: plain descent). Left:
    the surface, its saddle at (0, 0), its minima at w₁ = ``global_minimum`` and
    ``local_minimum`` (w₂ = 0), and the paths without noise (white) and with it (orange);
    right: f after each step, and where each run ended, in words.
    """
    saddle_run = as_callable("saddle_run", saddle_run,
                             "def saddle_run(w1, w2, noise): return descend(...)")
    minima = {"local minimum": as_scalar("local_minimum", local_minimum),
              "global minimum": as_scalar("global_minimum", global_minimum)}
    steps = as_count("steps", steps)
    g1 = np.linspace(-2.0, 2.0, 161)
    g2 = np.linspace(-1.6, 1.6, 129)
    surface = valleys(np.stack(np.meshgrid(g1, g2)))  # (len(g2), len(g1))
    saddle_level = valleys([0.0, 0.0])

    fig, (ax_s, ax_f) = live.figure(1, 2, figsize=(10, 4), width_ratios=[1.15, 1])
    ax_s.contourf(g1, g2, surface, levels=np.linspace(-0.2, 5, 40), cmap="viridis",
                  extend="max")
    ax_s.contour(g1, g2, surface, levels=[0.0, saddle_level], colors="white",
                 linewidths=0.6, alpha=0.6)
    ax_s.plot([0], [0], "wX", ms=10)
    ax_s.plot(minima["global minimum"], 0, "w*", ms=13)
    ax_s.plot(minima["local minimum"], 0, "w^", ms=8)
    for w1, label in ((0.0, "saddle"), (minima["global minimum"], "global min"),
                      (minima["local minimum"], "local min")):
        ax_s.text(w1, -0.22, label, color="white", ha="center", va="top")
    ax_s.set(xlabel="w₁", ylabel="w₂", xlim=(g1[0], g1[-1]), ylim=(g2[0], g2[-1]),
             title="f(w₁, w₂): two valleys and a saddle (鞍点)")
    ax_f.set(xlabel="update", ylabel="f", xlim=(0, steps), ylim=(-0.3, 2.5),
             title="f after each update")
    ax_f.axhline(saddle_level, color="gray", ls=":", lw=1)
    ax_f.text(steps * 0.98, saddle_level + 0.05, "saddle level", color="gray", ha="right")
    ax_f.grid(alpha=0.3)

    (plain_path,) = ax_s.plot([], [], ".-", color="white", ms=3, lw=1.2, animated=True)
    (noisy_path,) = ax_s.plot([], [], ".-", color="orange", ms=3, lw=1.2, animated=True)
    (start_point,) = ax_s.plot([], [], "s", color="red", mec="white", ms=8, animated=True)
    (plain_curve,) = ax_f.plot([], [], "-", color="black", lw=1.8, animated=True,
                               label="plain gradient descent")
    (noisy_curve,) = ax_f.plot([], [], "-", color="orange", lw=1.8, animated=True,
                               label="with noise")
    ax_f.legend(handles=[plain_curve, noisy_curve], loc="upper right")
    saddle_text = ax_f.text(0.97, 0.6, "", transform=ax_f.transAxes, ha="right", va="top",
                            animated=True, bbox={"fc": "white", "alpha": 0.9})

    def update_saddle(w1, w2, noise):
        start_point.set_data([w1], [w2])
        plain, noisy = saddle_run(w1, w2, 0.0), saddle_run(w1, w2, noise)
        plain_path.set_data(plain.params[:, 0], plain.params[:, 1])
        noisy_path.set_data(noisy.params[:, 0], noisy.params[:, 1])
        plain_curve.set_data(np.arange(plain.losses.size), plain.losses)
        noisy_curve.set_data(np.arange(noisy.losses.size), noisy.losses)
        saddle_text.set_text(f"plain: {_where(plain, minima)}\n"
                             f"noise {noise:.2f}: {_where(noisy, minima)}")

    return fig, update_saddle


def _where(run: Descent, minima: dict) -> str:
    """Where a run on :func:`valleys` ended, in words."""
    w1, w2 = run.params[-1]
    if np.hypot(w1, w2) < 0.05:
        return "stuck at the saddle"
    name = min(minima, key=lambda k: abs(minima[k] - w1))
    return name if np.hypot(w1 - minima[name], w2) < 0.05 else "on its way"


def loss_average_figure(runs: dict):
    """The loss of each mini-batch and its exponentially weighted average (指数加权平均):
    ``update(beta, bias_correction, lr)`` -> ``(fig, update)``.

    ``runs`` maps a learning rate lr to a run of mini-batch descent. The figure shows the
    ``batch_losses`` of the run of lr (grey dots, log axis) and their :func:`ema` with
    that β, bias-corrected (solid) or not (dashed); the readout says about how many
    losses the average spans, and where the run diverged if it did.
    """
    runs = as_instance("runs", runs, dict, "{0.1: gradient_descent(...)}")
    if not runs:
        raise InputError("runs is empty: give at least one {lr: run}")
    for lr, run in runs.items():
        as_instance(f"runs[{lr!r}]", run, Descent)

    fig, ax_ema = live.figure(figsize=(10, 3.8))
    ax_ema.set(yscale="log", xlim=(0, max(run.batch_losses.size for run in runs.values())),
               ylim=(1e-3, 100), xlabel="update (更新)", ylabel="loss of the batch",
               title="the loss of each mini-batch, and its exponentially weighted average "
                     "(指数加权平均)")
    ax_ema.grid(alpha=0.3)
    (raw_dots,) = ax_ema.plot([], [], ".", color="gray", ms=2.5, animated=True)
    (smooth_line,) = ax_ema.plot([], [], "-", color="crimson", lw=2, animated=True)
    ema_text = ax_ema.text(0.99, 0.95, "", transform=ax_ema.transAxes, ha="right", va="top",
                           animated=True, bbox={"fc": "white", "alpha": 0.9})
    ax_ema.legend([Line2D([], [], ls="", marker=".", color="gray"),
                   Line2D([], [], color="crimson", lw=2)],
                  ["loss of each batch", "its average v"], loc="lower left")

    def update_ema(beta, bias_correction, lr):
        run = runs[lr]
        steps = np.arange(1, run.batch_losses.size + 1)
        raw_dots.set_data(steps, run.batch_losses)
        smooth_line.set_data(steps, ema(run.batch_losses, beta, bias_correction))
        smooth_line.set_linestyle("-" if bias_correction else "--")
        stop = (f"\ndiverged at update {run.diverged_at}: the run stopped" if run.diverged
                else "")
        ema_text.set_text(f"β = {beta:.2f}: averages about the last {1 / (1 - beta):.0f} "
                          f"losses{stop}")

    return fig, update_ema


def fit_figure(fit: Descent, x, y, ws, bs, surface, *, best):
    """The line of a run improving, step by step: ``draw_step(k)`` -> ``(fig, draw_step)``,
    for :func:`helpers.animation.animate` (or a live figure with a slider for k).

    Left: the data x, y (m,) and the line ŷ = w·x + b after k steps of ``fit``, a run of
    :func:`gradient_descent`; right: its path so far on the error surface (ws, bs,
    ``surface`` as :func:`helpers.linear.loss_surface` returns it) with the bottom
    ``best`` = (w, b), a star. Small (540 × 216 pixels), to keep a GIF light.
    """
    fit = as_instance("fit", fit, Descent, "gradient_descent(x, y, lr=0.1, steps=300)")
    x, y = _data(x, y)
    ws, bs, surface = _grid(ws, bs, surface)
    best = _pair("best", best)

    fig, (ax_fit, ax_surf) = live.figure(1, 2, figsize=(7.5, 3), dpi=72)
    ax_fit.scatter(x, y, s=8, alpha=0.6)
    ax_fit.set(xlabel="x: bean size", ylabel="y: toxicity", xlim=(0, 1), ylim=(0, 4),
               title="the line ŷ = w·x + b")
    plotting.error_surface(ws, bs, surface, ax=ax_surf, colorbar=False)
    ax_surf.plot([best[0]], [best[1]], "w*", ms=10)
    ax_surf.set(xlim=(ws[0], ws[-1]), ylim=(bs[0], bs[-1]), title="its path on L(w, b)")
    (fit_line,) = ax_fit.plot([], [], "r-", lw=2, animated=True)
    (fit_path,) = ax_surf.plot([], [], "o-", color="orange", ms=2.5, lw=1, animated=True)
    fit_text = ax_fit.text(0.03, 0.95, "", transform=ax_fit.transAxes, va="top", animated=True,
                           fontsize=9, bbox=_BOX)

    def draw_step(k):
        w, b = fit.params[k]
        fit_line.set_data([0, 1], [b, w + b])
        fit_path.set_data(fit.params[:k + 1, 0], fit.params[:k + 1, 1])
        fit_text.set_text(f"update {k}: L = {fit.losses[k]:.4f}")

    return fig, draw_step


# --- argument checks ------------------------------------------------------------------

def _data(x, y) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_vector("x", x), as_vector("y", y)
    same_length(x=x, y=y)
    return x, y


def _grid(ws, bs, surface) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An error surface on a grid, as :func:`helpers.linear.loss_surface` returns it:
    ws (k,), bs (j,) and surface (j, k), or an InputError."""
    ws, bs, surface = as_vector("ws", ws), as_vector("bs", bs), as_matrix("surface", surface)
    if surface.shape != (bs.size, ws.size):
        raise InputError(f"surface has shape {surface.shape}; with {ws.size} values of w and "
                         f"{bs.size} of b it must be (len(bs), len(ws)) = ({bs.size}, {ws.size})")
    return ws, bs, surface


def _pair(name: str, value) -> tuple[float, float]:
    """Two finite numbers, such as a point (w, b), or an InputError."""
    pair = as_vector(name, value)
    if pair.size != 2:
        raise InputError(f"{name} must be two numbers (w, b), got {pair.size}")
    return float(pair[0]), float(pair[1])


def _check_run(lr, steps) -> tuple[float, int]:
    return as_learning_rate(lr), as_count("steps", steps, minimum=0)


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
    if diverged(float(first_loss), max_loss):
        raise InputError(f"the loss at the start is {first_loss:.3g}, already above "
                         f"max_loss = {max_loss:.3g}: start closer or raise max_loss")
