"""Beyond lines: sigmoid, hard-sigmoid and ReLU pieces, and the networks made of them.

Notation (notebooks 00 and 03): X has shape (n, m), one column per example; y and
ŷ (``y_hat``) have shape (m,). A layer of n1 units computes

    r = W X + b          W (n1, n), b (n1, 1)      r (n1, m): each unit's weighted sum
    a = σ(r)             σ the activation function  a (n1, m): each unit's output
    ŷ = cᵀa + b0         c (n1,), b0 a number       ŷ (m,)

which for one feature (n = 1) is ŷ = b0 + Σᵢ cᵢ σ(bᵢ + wᵢ x). All the unknowns in one
flat vector form θ (:func:`to_theta`); the loss is the MSE, its gradient g = ∇L(θ), and
:func:`fit` repeats θ ← θ − η g (full-batch gradient descent, notebook 02).

Every activation sits next to its derivative, every forward next to its backward; the
unit tests check each gradient against finite differences.

The live figures, each ``(fig, update)`` for :class:`helpers.live.LiveFigure`:
:func:`pieces_sum_figure` (a curve as a constant plus hard sigmoids),
:func:`sigmoid_figure`, :func:`relu_pair_figure`, :func:`fit_units_figure` (the fit as
units are added) and :func:`layers_births_figure` (deeper networks on the births). The
deeper networks themselves come from :mod:`helpers.layers` and :mod:`helpers.training`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection

from helpers import live
from helpers.activations import by_name, relu, sigmoid
from helpers.training import diverged, divergence_limit
from helpers.validate import (
    InputError,
    as_array,
    as_callable,
    as_count,
    as_generator,
    as_instance,
    as_learning_rate,
    as_matrix,
    as_positive,
    as_scalar,
    as_vector,
    same_length,
)

# --- one layer of units: ŷ = b0 + cᵀσ(W X + b) --------------------------------------


class Params(NamedTuple):
    """The unknowns of ŷ = b0 + cᵀσ(W X + b), for n features and n1 units."""

    W: np.ndarray  # (n1, n)  row i: the weights of unit i
    b: np.ndarray  # (n1, 1)  the bias of each unit
    c: np.ndarray  # (n1,)    the height of each unit's piece
    b0: float      # the constant


def make_params(W, b, c, b0) -> Params:
    """Check the shapes and return :class:`Params` (float arrays, b as a column)."""
    W = as_matrix("W", W)
    n1 = W.shape[0]
    b = as_vector("b", np.ravel(as_array("b", b))).reshape(-1, 1)
    c = as_vector("c", c)
    if b.shape[0] != n1 or c.size != n1:
        raise InputError(f"W has {n1} rows (units), so b must have shape ({n1}, 1) and c "
                         f"shape ({n1},); got b {b.shape}, c {c.shape}")
    return Params(W, b, c, as_scalar("b0", b0))


def _params(name: str, params) -> Params:
    """``params`` if it is a :class:`Params` of consistent shapes, or an InputError."""
    as_instance(name, params, Params, "make_params(W, b, c, b0) or init_params(...)")
    W, b, c = (np.asarray(part) for part in params[:3])
    if W.ndim != 2 or b.shape != (W.shape[0], 1) or c.shape != (W.shape[0],) \
            or not np.isfinite(params.b0):
        raise InputError(f"{name} has W {W.shape}, b {b.shape}, c {c.shape}: with n1 = "
                         f"{W.shape[0] if W.ndim else '?'} units, b must be (n1, 1), c (n1,) "
                         f"and b0 a finite number; build it with make_params(W, b, c, b0)")
    return params


_NO_TARGETS = object()


def _data(params: Params, X, y=_NO_TARGETS):
    params = _params("params", params)
    X = as_matrix("X", X)
    if X.shape[0] != params.W.shape[1]:
        raise InputError(f"W has {params.W.shape[1]} columns (features) but X has "
                         f"{X.shape[0]} rows: X must be (n, m), one column per example")
    if y is _NO_TARGETS:
        return X
    y = as_vector("y", y)
    same_length(X=X, y=y)
    return X, y


def forward(params: Params, X, activation: str = "sigmoid"):
    """r = W X + b, a = σ(r), ŷ = cᵀa + b0. X (n, m) -> ``(y_hat (m,), r, a)``, r and a (n1, m).

    r and a are returned because :func:`backward` needs them.
    """
    return _forward(params, _data(params, X), by_name(activation)[0])


def _forward(params: Params, X: np.ndarray, sigma):
    r = params.W @ X + params.b        # (n1, m)
    a = sigma(r)                       # (n1, m)
    y_hat = params.c @ a + params.b0   # (m,)
    return y_hat, r, a


def backward(params: Params, X, y, r, a, y_hat, activation: str = "sigmoid") -> Params:
    """The gradient of L = mean((ŷ − y)²) with respect to each unknown, as a Params.

    From the output back to the weights, each line is "how L changes with this":
    dŷ = 2 (ŷ − y) / m (m,); db0 = Σ dŷ; dc = a dŷ (n1,); da = c dŷᵀ (n1, m);
    dr = da · σ'(r) (n1, m); dW = dr Xᵀ (n1, n); db = Σ over examples of dr (n1, 1).
    """
    X, y = _data(params, X, y)
    shape = (params.W.shape[0], X.shape[1])
    r, a = _sized("r", r, shape), _sized("a", a, shape)
    y_hat = _sized("y_hat", y_hat, y.shape)
    return _backward(params, X, y, r, a, y_hat, by_name(activation)[1])


def _backward(params: Params, X, y, r, a, y_hat, sigma_derivative) -> Params:
    d_y_hat = 2.0 * (y_hat - y) / y.size             # (m,)
    d_b0 = float(np.sum(d_y_hat))
    d_c = a @ d_y_hat                                # (n1,)
    d_a = params.c[:, None] * d_y_hat[None, :]       # (n1, m)
    d_r = d_a * sigma_derivative(r)                  # (n1, m)
    d_W = d_r @ X.T                                  # (n1, n)
    d_b = d_r.sum(axis=1, keepdims=True)             # (n1, 1)
    return Params(d_W, d_b, d_c, d_b0)


def _sized(name: str, values, shape: tuple) -> np.ndarray:
    """values as a finite float array of the given shape (what forward returned)."""
    values = as_array(name, values)
    if values.shape != shape:
        raise InputError(f"{name} must have shape {shape}, as forward returns it; got "
                         f"{values.shape}")
    return values


def predict(params: Params, X, activation: str = "sigmoid") -> np.ndarray:
    """ŷ = b0 + cᵀσ(W X + b), shape (m,)."""
    return forward(params, X, activation)[0]


def pieces(params: Params, X, activation: str = "sigmoid") -> np.ndarray:
    """Each unit's piece cᵢ σ(bᵢ + wᵢᵀx), shape (n1, m): ŷ = b0 + pieces.sum(axis=0)."""
    _, _, a = forward(params, X, activation)
    return params.c[:, None] * a


# --- all the unknowns as one vector θ ------------------------------------------------


def n_unknowns(n: int, n1: int) -> int:
    """How many numbers θ holds: n1·n weights, n1 biases, n1 heights and b0."""
    n, n1 = as_count("n", n), as_count("n1", n1)
    return n1 * n + n1 + n1 + 1


def to_theta(params: Params) -> np.ndarray:
    """θ = [W row by row, b, c, b0], shape (n1·n + 2·n1 + 1,)."""
    return _to_theta(_params("params", params))


def _to_theta(params: Params) -> np.ndarray:
    return np.concatenate([params.W.ravel(), params.b.ravel(), params.c, [params.b0]])


def from_theta(theta, n: int, n1: int) -> Params:
    """The inverse of :func:`to_theta` for n features and n1 units."""
    theta = as_vector("theta", theta)
    if theta.size != n_unknowns(n, n1):
        raise InputError(f"theta has {theta.size} numbers; n = {n} features and n1 = {n1} "
                         f"units need n1·n + 2·n1 + 1 = {n_unknowns(n, n1)}")
    return _from_theta(theta, n, n1)


def _from_theta(theta: np.ndarray, n: int, n1: int) -> Params:
    W = theta[:n1 * n].reshape(n1, n)
    b = theta[n1 * n:n1 * n + n1].reshape(n1, 1)
    c = theta[n1 * n + n1:n1 * n + 2 * n1]
    return Params(W, b, c, float(theta[-1]))


def loss(theta, X, y, n1: int, activation: str = "sigmoid") -> float:
    """L(θ) = mean((ŷ − y)²) of the model whose unknowns are θ."""
    X = as_matrix("X", X)
    params = _theta_for(theta, X, n1)
    X, y = _data(params, X, y)
    return float(np.mean((predict(params, X, activation) - y) ** 2))


def gradient(theta, X, y, n1: int, activation: str = "sigmoid") -> np.ndarray:
    """g = ∇L(θ), the same shape as θ (by :func:`backward`)."""
    X = as_matrix("X", X)
    params = _theta_for(theta, X, n1)
    X, y = _data(params, X, y)
    y_hat, r, a = forward(params, X, activation)
    return to_theta(backward(params, X, y, r, a, y_hat, activation))


def _theta_for(theta, X: np.ndarray, n1) -> Params:
    """The Params in θ for the n features of X and n1 units, or an InputError."""
    theta, n1, n = as_vector("theta", theta), as_count("n1", n1), X.shape[0]
    if theta.size != n_unknowns(n, n1):
        raise InputError(f"theta has {theta.size} numbers, but X has n = {n} features (rows) "
                         f"and with n1 = {n1} units they need n1·n + 2·n1 + 1 = "
                         f"{n_unknowns(n, n1)} (X must be (n, m), one column per example)")
    return _from_theta(theta, n, n1)


# --- fitting by gradient descent -----------------------------------------------------

#: a loss more than this many times the first one counts as diverged (发散)
DIVERGENCE_FACTOR = 1e6


def init_params(X, y, n1: int, rng: np.random.Generator, steepness: float = 3.0) -> Params:
    """A random start for n1 units, spread over the data.

    Each unit's weights are drawn from a normal distribution with standard deviation
    ``steepness`` / (spread of each feature), and its bias puts the middle of its piece
    (where b + wᵀx = 0) on a randomly chosen example; the heights c start small, b0 at
    the mean of y.
    """
    X, y = as_matrix("X", X), as_vector("y", y)
    same_length(X=X, y=y)
    n1 = as_count("n1 (the number of units)", n1)
    rng, steepness = as_generator(rng), as_positive("steepness", steepness)
    spread = np.maximum(X.std(axis=1), 1e-12)                     # (n,)
    W = rng.normal(size=(n1, X.shape[0])) * steepness / spread    # (n1, n)
    centres = X[:, rng.integers(0, X.shape[1], n1)]               # (n, n1)
    b = -np.sum(W * centres.T, axis=1, keepdims=True)             # (n1, 1)
    c = rng.normal(size=n1) * 0.1 * max(float(y.std()), 1e-12)    # (n1,)
    return Params(W, b, c, float(y.mean()))


class Fit(NamedTuple):
    """What :func:`fit` returns: the trained unknowns and L(θ) before each step."""

    params: Params
    losses: np.ndarray  # (steps + 1,): the loss at the start and after every step


def fit(X, y, n1: int, *, activation: str = "sigmoid", lr: float = 0.1, steps: int = 1000,
        rng: np.random.Generator, params: Params | None = None,
        steepness: float = 3.0) -> Fit:
    """Fit ŷ = b0 + cᵀσ(W X + b) by full-batch gradient descent θ ← θ − lr · ∇L(θ).

    Starts from ``params`` if given, else from :func:`init_params` with ``rng`` and
    ``steepness``. Raises FloatingPointError if the loss grows a millionfold or is not a number
    (lr too large), before anything overflows.
    """
    X, y = as_matrix("X", X), as_vector("y", y)
    same_length(X=X, y=y)
    lr, steps = as_learning_rate(lr), as_count("steps", steps)
    sigma, sigma_derivative = by_name(activation)
    n1 = as_count("n1 (the number of units)", n1)
    steepness = as_positive("steepness", steepness)
    params = init_params(X, y, n1, rng, steepness) if params is None else _params("params",
                                                                                 params)
    if params.W.shape != (n1, X.shape[0]):
        raise InputError(f"params are for W of shape {params.W.shape}, not ({n1}, "
                         f"{X.shape[0]})")
    n, theta = X.shape[0], to_theta(params)
    losses = np.empty(steps + 1)
    limit = math.inf  # set from the first loss (the course's divergence rule, training.diverged)
    for step in range(steps + 1):
        params = _from_theta(theta, n, n1)
        y_hat, r, a = _forward(params, X, sigma)
        losses[step] = np.mean((y_hat - y) ** 2)
        if step == 0 and math.isfinite(losses[0]):
            limit = divergence_limit(losses[0], DIVERGENCE_FACTOR)
        if diverged(float(losses[step]), limit):
            raise FloatingPointError(f"gradient descent diverged at step {step} (the loss "
                                     f"was {losses[step]:.3g}, more than a million times "
                                     f"the first): try a smaller lr than {lr}")
        if step == steps:
            break
        g = _to_theta(_backward(params, X, y, r, a, y_hat, sigma_derivative))  # ∇L(θ)
        theta = theta - lr * g
    return Fit(params, losses)


def add_unit(params: Params, new: Params) -> Params:
    """``params`` with the units of ``new`` appended at height c = 0: ŷ does not change."""
    params, new = _params("params", params), _params("new", new)
    if new.W.shape[1] != params.W.shape[1]:
        raise InputError(f"new has {new.W.shape[1]} features (columns of W) but params has "
                         f"{params.W.shape[1]}: the units must see the same inputs")
    return Params(np.vstack([params.W, new.W]), np.vstack([params.b, new.b]),
                  np.concatenate([params.c, np.zeros_like(new.c)]), params.b0)


def fit_unit_by_unit(X, y, max_units: int, *, activation: str = "sigmoid", lr: float = 1.0,
                     steps: int = 1000, rng: np.random.Generator,
                     steepness: float = 3.0) -> list[Fit]:
    """Fits with 1, 2, ..., ``max_units`` units: ``fits[n1 - 1]`` has n1 units.

    The fit with n1 units starts from the trained n1 − 1 units plus one new random unit
    (:func:`init_params`) whose height c is 0, so it starts exactly where the previous fit
    ended rather than from scratch (the loss may still rise for a few steps if the first
    steps overshoot). With n1 units the learning rate is
    ``lr / (n1 + 1)``: a step moves all n1 heights and b0 at once, so ŷ can move up to
    n1 + 1 times as far as for one of them, and the step must shrink as units are added.
    """
    X, y = as_matrix("X", X), as_vector("y", y)
    same_length(X=X, y=y)
    max_units = as_count("max_units", max_units)
    by_name(activation)
    lr, steps = as_learning_rate(lr), as_count("steps", steps)
    rng, steepness = as_generator(rng), as_positive("steepness", steepness)
    fits, params = [], None
    for n1 in range(1, max_units + 1):
        new = init_params(X, y, 1, rng, steepness)
        start = new if params is None else add_unit(params, new)
        fits.append(fit(X, y, n1, activation=activation, lr=lr / (n1 + 1), steps=steps,
                        rng=rng, params=start))
        params = fits[-1].params
    return fits


# --- the deeper networks of section 8, trained once by data/make_depth_runs.py --------

class DepthRuns(NamedTuple):
    """What :func:`load_depth_runs` returns."""

    #: ``table[training_from][depth]``: a list of (training MAE, test MAE), one per seed
    #: (depth 0, the least-squares line, has one); MAE in thousands of births
    table: dict
    #: ``predictions[depth][seed]``: the prediction for every day of 1978 (365,) of the
    #: network trained on the 300 days of 1978 before the test days
    predictions: dict
    dates: np.ndarray  # (365,) datetime64[D], the days of 1978


def load_depth_runs(data_dir=None) -> DepthRuns:
    """The results of section 8's networks (1 to 4 hidden layers, seeds 0 to 3), trained
    once by ``data/make_depth_runs.py`` because training them all takes minutes.
    ``data_dir`` defaults to the course's data folder."""
    import csv

    from helpers.data import DATA_DIR, verified_path

    data_dir = DATA_DIR if data_dir is None else data_dir
    table: dict = {}
    with verified_path("depth_runs.csv", data_dir).open(newline="", encoding="ascii") as file:
        for row in csv.DictReader(file):
            rows = table.setdefault(row["training_from"], {}).setdefault(
                int(row["hidden_layers"]), [])
            rows.append((float(row["train_mae"]), float(row["test_mae"])))
    path = verified_path("depth_predictions_1978.csv", data_dir)
    with path.open(newline="", encoding="ascii") as file:
        header, *rows = list(csv.reader(file))
    values = np.array([[float(v) for v in row[1:]] for row in rows])  # (365, networks)
    predictions: dict = {}
    for column, name in enumerate(header[1:]):  # h{depth}_s{seed}
        depth, seed = (int(part[1:]) for part in name.split("_"))
        predictions.setdefault(depth, {})[seed] = values[:, column]
    dates = np.array([row[0] for row in rows], dtype="datetime64[D]")
    return DepthRuns(table, predictions, dates)


# --- a piecewise linear curve as a sum of hard sigmoids ------------------------------


def piecewise_linear(x, knots_x, knots_y) -> np.ndarray:
    """The curve through the points (knots_x[i], knots_y[i]), flat beyond the ends."""
    knots_x, knots_y = _knots(knots_x, knots_y)
    return np.interp(as_array("x", x), knots_x, knots_y)


def _knots(knots_x, knots_y) -> tuple[np.ndarray, np.ndarray]:
    knots_x, knots_y = as_vector("knots_x", knots_x), as_vector("knots_y", knots_y)
    same_length(knots_x=knots_x, knots_y=knots_y)
    if knots_x.size < 2 or np.any(np.diff(knots_x) <= 0):
        raise InputError("knots_x must hold at least 2 values in increasing order")
    return knots_x, knots_y


def hard_sigmoid_pieces(knots_x, knots_y) -> Params:
    """A constant plus one hard sigmoid per segment that give :func:`piecewise_linear`.

    b0 is the height of the first knot; segment i, from knot i to knot i+1, adds a hard
    sigmoid that climbs by cᵢ = Δyᵢ while x crosses the segment: wᵢ = 1 / Δxᵢ and
    bᵢ = −wᵢ xᵢ, so bᵢ + wᵢ x goes from 0 to 1 there. Use with ``activation="hard
    sigmoid"``; the result has n = 1 feature and n1 = len(knots_x) − 1 units.
    """
    knots_x, knots_y = _knots(knots_x, knots_y)
    w = 1.0 / np.diff(knots_x)                                     # (n1,)
    return Params(w[:, None], (-w * knots_x[:-1])[:, None], np.diff(knots_y),
                  float(knots_y[0]))


def relu_pairs(params: Params) -> Params:
    """The same curve with ReLUs: each hard sigmoid c·hard(z) = c·ReLU(z) − c·ReLU(z − 1).

    Returns 2·n1 ReLU units (use with ``activation="ReLU"``): unit i and unit n1 + i
    share the weights of hard sigmoid i; the second is shifted by 1 and has height −cᵢ.
    """
    params = _params("params", params)
    return Params(np.vstack([params.W, params.W]), np.vstack([params.b, params.b - 1.0]),
                  np.concatenate([params.c, -params.c]), params.b0)


# --- the live figures of notebook 03: each returns (fig, update) for live.LiveFigure ----

_PIECE_COLOURS = colormaps["tab10"].colors
_READOUT = {"fc": "white", "alpha": 0.85}


def _colours(count: int) -> list:
    return [_PIECE_COLOURS[i % 10] for i in range(count)]


def pieces_sum_figure(x, curve):
    """A smooth ``curve`` (a function of x) on the grid ``x`` and its piecewise linear
    copy through K + 1 evenly spaced knots. Top: the curve, the copy and its largest gap;
    bottom: the constant b₀ and the K hard sigmoid pieces that add up to the copy.
    ``update(K)``."""
    x = as_vector("x", x)
    curve = as_callable("curve", curve, "def smooth_curve(x): return np.sin(x)")
    truth = as_vector("curve(x)", curve(x))
    same_length(**{"x": x, "curve(x)": truth})
    fig, (ax_sum, ax_parts) = live.figure(2, 1, figsize=(8, 5.2), sharex=True,
                                          height_ratios=[1.3, 1])
    ax_sum.plot(x, truth, color="0.55", lw=6, alpha=0.5)
    ax_sum.set(ylim=(0.3, 1.85), xlim=(x[0] - 0.03, x[-1] + 0.03), ylabel="y",
               title="constant + K hard sigmoids (Hard Sigmoid 函数)")
    (approx_line,) = ax_sum.plot([], [], "r-", lw=1.8, animated=True)
    (knot_dots,) = ax_sum.plot([], [], "ko", ms=4, animated=True)
    ax_sum.legend([ax_sum.lines[0], approx_line], ["smooth curve", "constant + K pieces"],
                  loc="lower left", fontsize=9)
    gap_text = ax_sum.text(0.98, 0.95, "", transform=ax_sum.transAxes, ha="right", va="top",
                           animated=True, bbox=_READOUT)
    ax_parts.axhline(0, color="0.6", lw=0.6)
    ax_parts.set(ylim=(-1.1, 1.2), xlabel="x", ylabel="pieces")
    piece_lines = LineCollection([], lw=1.6, animated=True)
    ax_parts.add_collection(piece_lines)
    (constant_line,) = ax_parts.plot([], [], "k:", lw=1.5, animated=True)
    ax_parts.legend([constant_line, piece_lines], ["constant b₀", "the K hard sigmoid pieces"],
                    loc="lower left", fontsize=9, ncol=2)

    def update_pieces_sum(K):
        knots = np.linspace(x[0], x[-1], K + 1)
        params = hard_sigmoid_pieces(knots, curve(knots))
        copy = predict(params, x[None, :], "hard sigmoid")
        approx_line.set_data(x, copy)
        knot_dots.set_data(knots, curve(knots))
        gap_text.set_text(f"K = {K} pieces: largest gap {np.max(np.abs(copy - truth)):.3f}")
        parts = pieces(params, x[None, :], "hard sigmoid")  # (K, len(x))
        piece_lines.set_segments([np.column_stack([x, part]) for part in parts])
        piece_lines.set_color(_colours(K))
        constant_line.set_data([x[0], x[-1]], [params.b0, params.b0])

    return fig, update_pieces_sum


def sigmoid_figure():
    """One sigmoid piece c·σ(b + w·x) beside σ(x), with its height c, its middle at
    x = −b/w and the tangent there (slope c·w/4). ``update(c, b, w)``."""
    x = np.linspace(-6, 6, 400)
    fig, ax = live.figure(figsize=(8, 3.8))
    ax.plot(x, sigmoid(x), color="0.7", ls="--", lw=1.5)
    ax.axhline(0, color="0.6", lw=0.6)
    ax.axvline(0, color="0.6", lw=0.6)
    ax.set(xlim=(-6, 6), ylim=(-3.3, 3.3), xlabel="x", ylabel="y",
           title="y = c / (1 + e^(−(b + w·x)))  (S 型函数)")
    (curve,) = ax.plot([], [], color="tab:blue", lw=2.5, animated=True)
    (height_line,) = ax.plot([], [], color="tab:red", ls=":", lw=1.5, animated=True)
    (middle_dot,) = ax.plot([], [], "o", color="tab:red", ms=7, animated=True)
    (tangent,) = ax.plot([], [], color="tab:orange", lw=2, animated=True)
    fig.legend([ax.lines[0], curve, height_line, tangent],
               ["σ(x): c = 1, b = 0, w = 1", "c·σ(b + w·x)", "height c", "slope in the middle"],
               loc="outside lower center", ncol=4, fontsize=9)
    readout = ax.text(0.02, 0.96, "", transform=ax.transAxes, va="top", animated=True,
                      bbox=_READOUT)

    def update_sigmoid(c, b, w):
        curve.set_data(x, c * sigmoid(b + w * x))
        height_line.set_data([-6, 6], [c, c])
        if w == 0:
            middle_dot.set_data([], [])
            tangent.set_data([], [])
            readout.set_text(f"height c = {c:.1f}\nw = 0: no steepness,\n"
                             f"a flat line at c/2 = {c / 2:.2f}")
            return
        middle, slope = -b / w + 0.0, c * w / 4  # (+ 0.0 turns −0.0 into 0.0)
        middle_dot.set_data([middle], [c / 2])
        half = 0.9 / np.hypot(1.0, slope)  # a tangent of the same length at any slope
        tangent.set_data([middle - half, middle + half],
                         [c / 2 - slope * half, c / 2 + slope * half])
        readout.set_text(f"height c = {c:.1f}\nmiddle at x = −b/w = {middle:.2f}\n"
                         f"slope there c·w/4 = {slope:.2f}")

    return fig, update_sigmoid


def relu_pair_figure():
    """Left: one ReLU piece c·max(0, b + w·x) and its corner at x = −b/w. Right: it and a
    second ReLU whose corner is where b + w·x = 1, subtracted: their sum is the hard
    sigmoid c·hard(b + w·x). ``update(c, b, w)``."""
    x = np.linspace(-3, 3, 301)
    fig, (ax_one, ax_two) = live.figure(1, 2, figsize=(10, 3.8), sharey=True)
    for axis in (ax_one, ax_two):
        axis.axhline(0, color="0.6", lw=0.6)
        axis.set(xlim=(-3, 3), ylim=(-3.2, 3.2), xlabel="x", xticks=[-2, -1, 0, 1, 2])
    ax_one.set(ylabel="y", title="one ReLU: c·max(0, b + w·x) (线性整流)")
    ax_two.set_title("two ReLUs make one hard sigmoid")
    (relu_line,) = ax_one.plot([], [], color="tab:purple", lw=2.5, animated=True)
    (corner_dot,) = ax_one.plot([], [], "o", color="tab:purple", ms=7, animated=True)
    (first_relu,) = ax_two.plot([], [], "--", color="tab:purple", lw=1.5, animated=True)
    (second_relu,) = ax_two.plot([], [], "--", color="tab:orange", lw=1.5, animated=True)
    (relu_sum,) = ax_two.plot([], [], color="tab:green", lw=3, animated=True)
    fig.legend([first_relu, second_relu, relu_sum],
               ["c·max(0, b + w·x)", "−c·max(0, b − 1 + w·x)", "their sum = c·hard(b + w·x)"],
               loc="outside lower center", ncol=3, fontsize=9)
    corner_text = ax_one.text(0.03, 0.96, "", transform=ax_one.transAxes, va="top",
                              animated=True, bbox=_READOUT)
    ramp_text = ax_two.text(0.03, 0.96, "", transform=ax_two.transAxes, va="top",
                            animated=True, bbox=_READOUT)

    def update_relu_pair(c, b, w):
        first, second = c * relu(b + w * x), -c * relu(b - 1 + w * x)
        relu_line.set_data(x, first)
        first_relu.set_data(x, first)
        second_relu.set_data(x, second)
        relu_sum.set_data(x, first + second)
        if w == 0:
            corner_dot.set_data([], [])
            corner_text.set_text(f"w = 0: no corner, a flat line\n"
                                 f"at c·max(0, b) = {c * max(0, b):.2f}")
            ramp_text.set_text("w = 0: no ramp")
            return
        corner, other = -b / w + 0.0, (1 - b) / w + 0.0
        corner_dot.set_data([corner], [0.0])
        corner_text.set_text(f"corner at x = −b/w = {corner:.2f}\n"
                             f"slope on its active side: c·w = {c * w:.2f}")
        ramp_text.set_text(f"ramp from x = {min(corner, other):.2f} to "
                           f"{max(corner, other):.2f}\nheight c = {c:.1f}")

    return fig, update_relu_pair


def fit_units_figure(x, targets: dict, fits: dict, steps: int):
    """The fits of :func:`fit_unit_by_unit`, one per (target name, kind, n1) key of
    ``fits``, on the grid ``x``: the target and the fit (top left), its pieces cᵢσ(bᵢ + wᵢx)
    and b₀ (bottom left), the MSE after training for every number of units (top right)
    and the whole training that led to the fit shown, ``steps`` per unit (bottom right).
    ``update(units, kind, target)`` only picks arrays computed here."""
    x = as_vector("x", x)
    steps = as_count("steps", steps)
    targets = {name: as_vector(f"targets[{name!r}]", t) for name, t in
               as_instance("targets", targets, dict, '{"smooth": y}').items()}
    fits = as_instance("fits", fits, dict, "{(target, kind, n1): Fit, ...}")
    if not fits or not all(isinstance(key, tuple) and len(key) == 3 for key in fits):
        raise InputError("fits must map (target name, kind, n1) to a Fit, as "
                         "fit_unit_by_unit returns them for n1 = 1, 2, ...")
    kinds = sorted({kind for _, kind, _ in fits}, reverse=True)  # sigmoid, ReLU
    max_units = max(n1 for _, _, n1 in fits)
    missing = [(t, k, n1) for t in targets for k in kinds for n1 in range(1, max_units + 1)
               if (t, k, n1) not in fits]
    if missing or {t for t, _, _ in fits} - set(targets):
        raise InputError(f"fits must hold a fit for every target of targets, every kind and "
                         f"n1 = 1 to {max_units}: missing {missing[:3]}, targets "
                         f"{sorted(targets)}")
    shown = {}
    for (name, kind, n1), unit_fit in fits.items():
        shown[name, kind, n1] = {
            "y_hat": predict(unit_fit.params, x[None, :], kind),
            "pieces": pieces(unit_fit.params, x[None, :], kind),  # (n1, m)
            "b0": unit_fit.params.b0,
            "loss": unit_fit.losses[-1],
            # the whole training: 1 unit for `steps` steps, then 2 units, ... (every 10th)
            "history": np.concatenate([fits[name, kind, j].losses[:-1] for j in
                                       range(1, n1 + 1)] + [unit_fit.losses[-1:]])[::10]}
    final_losses = {(t, k): np.array([fits[t, k, n1].losses[-1]
                                      for n1 in range(1, max_units + 1)])
                    for t in targets for k in kinds}
    pieces_range = {}  # each target and kind of piece gets its own y-range
    for (name, kind, _), v in shown.items():
        low, high = pieces_range.get((name, kind), (0.0, 0.0))
        pieces_range[name, kind] = (min(low, v["pieces"].min(), v["b0"]),
                                    max(high, v["pieces"].max(), v["b0"]))
    all_curves = np.concatenate([v["history"] for v in shown.values()])

    units_range = np.arange(1, max_units + 1)
    fig, ((ax_fit, ax_units), (ax_parts, ax_steps)) = live.figure(
        2, 2, figsize=(10.5, 6), width_ratios=[1.5, 1], height_ratios=[1.2, 1])
    ax_fit.set(xlim=(x[0], x[-1]), ylim=(0.2, 1.9), ylabel="y",
               title="fit = constant + n1 pieces")
    ax_parts.axhline(0, color="0.6", lw=0.6)
    ax_parts.set(xlim=(x[0], x[-1]), xlabel="x")
    ax_units.set(yscale="log", xlim=(0.5, max_units + 0.5), ylim=(all_curves.min() / 2, 0.3),
                 xlabel="units n1", ylabel="MSE after training",
                 title="more units, lower loss")
    ax_units.set_xticks(units_range)
    ax_steps.set(yscale="log", xlim=(0, max_units * steps),
                 ylim=(all_curves.min() / 2, all_curves.max() * 2),
                 xlabel="gradient descent step", ylabel="MSE",
                 title=f"training (训练): a new unit every {steps} steps")
    ax_steps.set_xticks(np.arange(0, max_units * steps + 1, max(1, max_units // 4) * steps))
    for n1 in units_range[1:]:
        ax_steps.axvline((n1 - 1) * steps, color="0.85", lw=0.8)
    (target_line,) = ax_fit.plot([], [], color="0.55", lw=6, alpha=0.5, animated=True)
    (fit_line,) = ax_fit.plot([], [], color="tab:red", lw=2, animated=True)
    fit_text = ax_fit.text(0.02, 0.96, "", transform=ax_fit.transAxes, va="top",
                           animated=True, bbox=_READOUT)
    ax_fit.legend([target_line, fit_line], ["target", "fit"], loc="lower right", fontsize=9)
    fit_pieces = LineCollection([], lw=1.5, animated=True)
    ax_parts.add_collection(fit_pieces)
    (fit_constant,) = ax_parts.plot([], [], "k:", lw=1.5, animated=True)
    ax_parts.legend([fit_constant], ["constant b₀"], loc="lower left", fontsize=9)
    loss_lines = {kind: ax_units.plot([], [], marker, color=colour, ms=4, animated=True,
                                      label=kind)[0]
                  for kind, marker, colour in zip(kinds, ("o-", "s-"),
                                                  ("tab:blue", "tab:purple"), strict=False)}
    (current_dot,) = ax_units.plot([], [], "o", ms=13, mfc="none", mec="tab:red", mew=2,
                                   animated=True)
    ax_units.legend(handles=list(loss_lines.values()), loc="lower left", fontsize=9)
    (step_curve,) = ax_steps.plot([], [], color="tab:red", lw=1.5, animated=True)
    steps_axis = np.arange(0, max_units * steps + 1, 10)

    def update_fit_units(units, kind, target):
        fit = shown[target, kind, units]
        target_line.set_data(x, targets[target])
        fit_line.set_data(x, fit["y_hat"])
        fit_text.set_text(f"{units} {kind} unit{'s' if units > 1 else ''} + constant\n"
                          f"MSE = {fit['loss']:.4f}")
        fit_pieces.set_segments([np.column_stack([x, piece]) for piece in fit["pieces"]])
        fit_pieces.set_color(_colours(units))
        fit_constant.set_data([x[0], x[-1]], [fit["b0"], fit["b0"]])
        low, high = pieces_range[target, kind]  # a new range or label redraws the axes
        ax_parts.set_ylim(low - 0.15, high + 0.15)
        symbol = "σ" if kind == "sigmoid" else "ReLU"
        ax_parts.set_ylabel(f"pieces cᵢ{symbol}(bᵢ + wᵢx)")
        for each, line in loss_lines.items():
            line.set_data(units_range, final_losses[target, each])
        current_dot.set_data([units], [fit["loss"]])
        step_curve.set_data(steps_axis[:fit["history"].size], fit["history"])

    return fig, update_fit_units


def layers_births_figure(dates, counts, predictions: dict, table: dict, *,
                         first_test_day: int = 300, first_shown_day: int = 240):
    """Births per day of one year (``dates``, ``counts`` in thousands) and what networks of
    each depth predicted for them (left, from ``first_shown_day`` on; the test days from
    ``first_test_day`` on are shaded), beside the training and test MAE of every depth and
    seed (right: dots are seeds, lines their mean). ``predictions[depth][seed]`` is a
    prediction for every day, ``table[depth]`` a list of (training MAE, test MAE), one per
    seed (depth 0, the linear model, has one). ``update(depth, seed)``."""
    import matplotlib.dates as mdates

    dates, counts = np.asarray(dates), as_vector("counts", counts)
    predictions = as_instance("predictions", predictions, dict, "{depth: {seed: y_hat}}")
    table = as_instance("table", table, dict, "{depth: [(train MAE, test MAE), ...]}")
    if dates.shape != counts.shape:
        raise InputError(f"dates and counts must have one entry per day each, got "
                         f"{dates.shape} and {counts.shape}")
    first_test_day = as_count("first_test_day", first_test_day)
    first_shown_day = as_count("first_shown_day", first_shown_day, minimum=0)
    if not first_shown_day < first_test_day < counts.size:
        raise InputError(f"need first_shown_day < first_test_day < the {counts.size} days, "
                         f"got {first_shown_day} and {first_test_day}")
    days = np.arange(first_shown_day, counts.size)
    fig, (ax_days, ax_mae) = live.figure(1, 2, figsize=(10.5, 3.9), width_ratios=[1.7, 1])
    ax_days.axvspan(dates[first_test_day], dates[-1], color="tab:orange", alpha=0.12)
    ax_days.plot(dates[days], counts[days], "k.-", lw=0.7, ms=3)
    last = counts.size - 1
    ax_days.text(dates[min(first_test_day + 3, last)], 6.75, "test days (测试集)",
                 color="tab:orange")
    ax_days.text(dates[min(first_shown_day + 3, last)], 6.75, "training days (训练集)",
                 color="0.3")
    ax_days.set(ylim=(6.5, 11.9), ylabel="thousands of births",
                xlim=(dates[days[0]], dates[days[-1]]))
    ax_days.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    (network_line,) = ax_days.plot(dates[days], np.zeros(days.size), color="tab:red", lw=1.4,
                                   animated=True)
    ax_days.legend([ax_days.lines[0], network_line], ["real", "predicted"], loc="upper left",
                   fontsize=9, ncol=2)
    depths = np.array(sorted(table))
    n_seeds = max(len(rows) for rows in table.values())
    for depth, rows in table.items():
        seeds = predictions.get(depth, {})
        if len(rows) not in (1, n_seeds) or sorted(seeds) != list(range(n_seeds)):
            raise InputError(f"predictions[{depth}] must hold seeds 0 to {n_seeds - 1}, and "
                             f"table[{depth}] one row per seed (or one row, for a model "
                             f"without a seed)")
    for column, colour, name in ((0, "tab:blue", "training"), (1, "tab:orange", "test")):
        per_seed = np.array([[table[d][s if len(table[d]) > 1 else 0][column]
                              for s in range(n_seeds)] for d in depths])
        ax_mae.plot(np.repeat(depths, n_seeds), per_seed.ravel(), ".", color=colour, alpha=0.4)
        ax_mae.plot(depths, per_seed.mean(axis=1), "-o", color=colour, label=f"{name} MAE")
    ax_mae.set(xlabel="hidden layers (0: linear)", ylabel="MAE (thousands)", xticks=depths,
               xlim=(depths[0] - 0.4, depths[-1] + 0.4), ylim=(0.0, 0.5),
               title="overfitting (过拟合)")
    ax_mae.legend(loc="lower left", fontsize=9)
    (train_dot,) = ax_mae.plot([], [], "o", ms=12, mfc="none", mec="tab:blue", mew=2,
                               animated=True)
    (test_dot,) = ax_mae.plot([], [], "o", ms=12, mfc="none", mec="tab:orange", mew=2,
                              animated=True)
    readout = ax_days.text(0.99, 0.96, "", transform=ax_days.transAxes, ha="right", va="top",
                           animated=True, bbox=_READOUT)

    def update_layers_births(depth, seed):
        network_line.set_ydata(predictions[depth][seed][days])
        train_mae, test_mae = table[depth][seed if len(table[depth]) > 1 else 0]
        train_dot.set_data([depth], [train_mae])
        test_dot.set_data([depth], [test_mae])
        name = "linear model" if depth == 0 else f"{depth} hidden layer{'s' if depth > 1 else ''}"
        readout.set_text(f"{name}, seed {seed}\ntraining MAE {train_mae:.3f}, "
                         f"test MAE {test_mae:.3f}")

    return fig, update_layers_births
