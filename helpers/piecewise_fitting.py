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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from helpers.activations import _relu, _relu_derivative, by_name
from helpers.validate import (
    InputError,
    as_array,
    as_axes,
    as_count,
    as_generator,
    as_instance,
    as_learning_rate,
    as_list,
    as_matrix,
    as_positive,
    as_scalar,
    as_text,
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
    params = _params("params", params)
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
MAX_LOSS_GROWTH = 1e6

_positive_int = as_count


def init_params(X, y, n1: int, rng: np.random.Generator, steepness: float = 3.0) -> Params:
    """A random start for n1 units, spread over the data.

    Each unit's weights are drawn from a normal distribution with standard deviation
    ``steepness`` / (spread of each feature), and its bias puts the middle of its piece
    (where b + wᵀx = 0) on a randomly chosen example; the heights c start small, b0 at
    the mean of y.
    """
    X, y = as_matrix("X", X), as_vector("y", y)
    same_length(X=X, y=y)
    n1 = _positive_int("n1 (the number of units)", n1)
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
    ``steepness``. Raises FloatingPointError if the loss grows a millionfold (lr too
    large), before anything overflows.
    """
    X, y = as_matrix("X", X), as_vector("y", y)
    same_length(X=X, y=y)
    lr, steps = as_learning_rate(lr), _positive_int("steps", steps)
    sigma, sigma_derivative = by_name(activation)
    n1 = _positive_int("n1 (the number of units)", n1)
    steepness = as_positive("steepness", steepness)
    params = init_params(X, y, n1, rng, steepness) if params is None else _params("params",
                                                                                 params)
    if params.W.shape != (n1, X.shape[0]):
        raise InputError(f"params are for W of shape {params.W.shape}, not ({n1}, "
                         f"{X.shape[0]})")
    n, theta = X.shape[0], to_theta(params)
    losses = np.empty(steps + 1)
    for step in range(steps + 1):
        params = _from_theta(theta, n, n1)
        y_hat, r, a = _forward(params, X, sigma)
        losses[step] = np.mean((y_hat - y) ** 2)
        if not losses[step] <= MAX_LOSS_GROWTH * (losses[0] + 1e-12):
            raise FloatingPointError(f"gradient descent diverged at step {step} (the loss "
                                     f"grew a millionfold): try a smaller lr than {lr}")
        if step == steps:
            break
        g = to_theta(_backward(params, X, y, r, a, y_hat, sigma_derivative))  # ∇L(θ)
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
    max_units = _positive_int("max_units", max_units)
    by_name(activation)
    lr, steps = as_learning_rate(lr), _positive_int("steps", steps)
    rng, steepness = as_generator(rng), as_positive("steepness", steepness)
    fits, params = [], None
    for n1 in range(1, max_units + 1):
        new = init_params(X, y, 1, rng, steepness)
        start = new if params is None else add_unit(params, new)
        fits.append(fit(X, y, n1, activation=activation, lr=lr / (n1 + 1), steps=steps,
                        rng=rng, params=start))
        params = fits[-1].params
    return fits


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


# --- a deeper network: several layers of ReLUs ---------------------------------------


class Layer(NamedTuple):
    """One layer z = W a_prev + b: W (n_out, n_in), b (n_out, 1)."""

    W: np.ndarray
    b: np.ndarray


def init_network(sizes: Sequence[int], rng: np.random.Generator) -> list[Layer]:
    """Layers for ``sizes`` = (n, n1, ..., nL, 1): the inputs, each hidden layer, 1 output.

    Weights are normal with variance 2 / n_in ("He" initialisation: ReLU halves the
    signal, the factor 2 keeps its size the same from layer to layer); biases are 0.
    """
    sizes = [_positive_int("every layer size in sizes", s)
             for s in as_list("sizes", sizes, what="a list of layer sizes, e.g. [1, 8, 1]")]
    if len(sizes) < 2:
        raise InputError("sizes needs at least the number of inputs and of outputs")
    rng = as_generator(rng)
    return [Layer(rng.normal(size=(n_out, n_in)) * np.sqrt(2.0 / n_in), np.zeros((n_out, 1)))
            for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]


def network_forward(layers: Sequence[Layer], X):
    """ReLU after every layer but the last. X (n, m) -> ``(y_hat (m,), zs, activations)``.

    ``activations[l]`` is a^[l] (a^[0] = X) and ``zs[l]`` is z^[l+1] = W a^[l] + b.
    """
    layers, a = _network("layers", layers), as_matrix("X", X)
    if a.shape[0] != layers[0].W.shape[1]:
        raise InputError(f"the first layer expects {layers[0].W.shape[1]} features "
                         f"(rows of X), got {a.shape[0]}")
    return _network_forward(layers, a)


def _network_forward(layers: Sequence[Layer], a: np.ndarray):
    zs, activations = [], [a]
    for index, layer in enumerate(layers):
        z = layer.W @ a + layer.b                        # (n_out, m)
        a = _relu(z) if index < len(layers) - 1 else z   # the output stays linear
        zs.append(z)
        activations.append(a)
    return a[0], zs, activations


def _network(name: str, layers) -> list[Layer]:
    """``layers`` (from :func:`init_network`) as a list of :class:`Layer` whose shapes fit
    together, or an InputError."""
    layers = as_list(name, layers, what="a list of Layer, as init_network returns")
    if not layers:
        raise InputError(f"{name} is empty: build the layers with init_network(sizes, rng)")
    n_in = None
    for k, layer in enumerate(layers):
        as_instance(f"{name}[{k}]", layer, Layer, "init_network(sizes, rng)")
        W, b = np.asarray(layer.W), np.asarray(layer.b)
        if W.ndim != 2 or b.shape != (W.shape[0], 1) or n_in not in (None, W.shape[1]) \
                or not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise InputError(f"{name}[{k}] does not fit: W {W.shape}, b {b.shape} (each W must "
                             f"be (n_out, n_in) of finite numbers with n_in the previous "
                             f"layer's n_out, b (n_out, 1))")
        n_in = W.shape[0]
    return layers


def network_backward(layers: Sequence[Layer], y, y_hat, zs, activations) -> list[Layer]:
    """The gradient of L = mean((ŷ − y)²) for every layer, output first then inwards.

    dz = dL/dz of a layer; dW = dz a_prevᵀ, db = Σ dz over examples; passing through
    the layer and the ReLU before it: da_prev = Wᵀ dz, dz_prev = da_prev · ReLU'(z_prev).
    """
    layers, y = _network("layers", layers), as_vector("y", y)
    y_hat = as_vector("y_hat", y_hat)
    same_length(y=y, y_hat=y_hat)
    m = y.size
    zs = as_list("zs", zs, what="the list zs that network_forward returns")
    activations = as_list("activations", activations,
                          what="the list activations that network_forward returns")
    if len(zs) != len(layers) or len(activations) != len(layers) + 1:
        raise InputError(f"zs and activations must be what network_forward returned for these "
                         f"{len(layers)} layers: {len(layers)} and {len(layers) + 1} arrays, got "
                         f"{len(zs)} and {len(activations)}")
    for k, layer in enumerate(layers):
        n_out, n_in = np.shape(layer.W)
        zs[k] = _sized(f"zs[{k}]", zs[k], (n_out, m))
        activations[k] = _sized(f"activations[{k}]", activations[k], (n_in, m))
    return _network_backward(layers, y, y_hat, zs, activations)


def _network_backward(layers, y, y_hat, zs, activations) -> list[Layer]:
    dz = (2.0 * (y_hat - y) / y.size)[None, :]           # (1, m)
    grads = []
    for index in range(len(layers) - 1, -1, -1):
        grads.append(Layer(dz @ activations[index].T,     # (n_out, n_in)
                           dz.sum(axis=1, keepdims=True)))  # (n_out, 1)
        if index > 0:
            dz = (layers[index].W.T @ dz) * _relu_derivative(zs[index - 1])
    return grads[::-1]


class NetworkFit(NamedTuple):
    """What :func:`train_network` returns.

    ``diverged_at``: the step at which the training MSE became NaN/infinite or grew a
    millionfold over the first (the learning rate is too large); training stopped there,
    ``losses`` ends with the last finite loss and ``layers`` are the weights that gave it.
    None if training did not diverge.
    """

    layers: list[Layer]
    losses: np.ndarray  # (steps + 1,): training MSE at the start and after every step
    diverged_at: int | None = None

    @property
    def diverged(self) -> bool:
        """Whether training diverged (and stopped early)."""
        return self.diverged_at is not None


def train_network(X, y, hidden: Sequence[int], *, lr: float, steps: int,
                  rng: np.random.Generator) -> NetworkFit:
    """A ReLU network with the given hidden layer sizes, trained by full-batch gradient
    descent on the MSE: W ← W − lr·dW, b ← b − lr·db for every layer, ``steps`` times.

    Stops early, without warnings, if the loss diverges (see :class:`NetworkFit`), as
    :func:`fit` and the other trainers of the course do: a loss that is not finite, or
    more than a million times the first one.
    """
    X, y = as_matrix("X", X), as_vector("y", y)
    same_length(X=X, y=y)
    lr, steps = as_learning_rate(lr), _positive_int("steps", steps)
    hidden = [_positive_int("every layer size in hidden", size) for size in
              as_list("hidden", hidden, what="a list of hidden layer sizes, e.g. [8, 8]")]
    if not hidden:
        raise InputError("hidden must list at least one hidden layer size")
    layers = init_network([X.shape[0], *hidden, 1], rng)
    losses = np.empty(steps + 1)
    previous = layers
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected below
        for step in range(steps + 1):
            y_hat, zs, activations = _network_forward(layers, X)
            losses[step] = np.mean((y_hat - y) ** 2)
            if not losses[step] <= MAX_LOSS_GROWTH * (losses[0] + 1e-12):  # NaN too
                if np.isfinite(losses[step]):
                    return NetworkFit(layers, losses[:step + 1].copy(), step)
                return NetworkFit(previous, losses[:step].copy(), step)
            if step == steps:
                break
            grads = _network_backward(layers, y, y_hat, zs, activations)
            previous = layers
            layers = [Layer(layer.W - lr * grad.W, layer.b - lr * grad.b)
                      for layer, grad in zip(layers, grads, strict=True)]
    return NetworkFit(layers, losses)


def network_predict(layers: Sequence[Layer], X) -> np.ndarray:
    """ŷ of the network, shape (m,)."""
    return network_forward(layers, X)[0]


# --- the picture of a layer of units --------------------------------------------------


def draw_units_diagram(n: int = 3, n1: int = 3, *, ax=None, activation: str = "σ"):
    """Draw ŷ = b0 + cᵀσ(W x + b) as a network: n inputs, n1 units, one output.

    Each line is one unknown: wᵢⱼ joins input j to unit i, cᵢ joins unit i to the output.
    Draws on ``ax`` (default: the current pyplot axes) and returns it.
    """
    from matplotlib.patches import Circle

    n, n1 = _positive_int("n", n), _positive_int("n1", n1)
    ax, activation = as_axes(ax), as_text("activation", activation)
    span = 1.4 * (max(n, n1) - 1)  # the taller column has its nodes 1.4 apart

    def column(count: int) -> np.ndarray:  # vertical positions, centred, top to bottom
        if count == 1:
            return np.zeros(1)
        return np.linspace(span / 2, -span / 2, count)

    y_in, y_unit = column(n), column(n1)
    x_in, x_unit, x_out, radius = 0.0, 3.5, 7.0, 0.32
    for i, yu in enumerate(y_unit):
        for j, yi in enumerate(y_in):
            ax.plot([x_in + radius, x_unit - radius], [yi, yu], color="0.6", lw=1, zorder=1)
            if i == 0 and j == 0 or (i == n1 - 1 and j == n - 1):
                t = 0.28  # label a couple of edges, near the inputs
                ax.text(x_in + radius + t * (x_unit - x_in - 2 * radius),
                        yi + t * (yu - yi) + 0.12, f"w{_SUB[i + 1]}{_SUB[j + 1]}",
                        fontsize=10, color="0.3", ha="center")
        ax.plot([x_unit + radius, x_out - radius], [yu, 0.0], color="tab:blue", lw=1.5,
                zorder=1)
        ax.text((x_unit + x_out) / 2, yu / 2 + 0.15, f"c{_SUB[i + 1]}", fontsize=11,
                color="tab:blue", ha="center")
        ax.add_patch(Circle((x_unit, yu), radius, fc="#fde9c9", ec="tab:orange", zorder=2))
        ax.text(x_unit, yu, activation, ha="center", va="center", fontsize=12, zorder=3)
        ax.text(x_unit, yu + radius + 0.08, f"b{_SUB[i + 1]}", ha="center", va="bottom",
                fontsize=10, color="tab:orange")
    for j, yi in enumerate(y_in):
        ax.add_patch(Circle((x_in, yi), radius, fc="#e3eef9", ec="tab:blue", zorder=2))
        ax.text(x_in, yi, f"x{_SUB[j + 1]}", ha="center", va="center", fontsize=12, zorder=3)
    ax.add_patch(Circle((x_out, 0.0), radius, fc="#dff2df", ec="tab:green", zorder=2))
    ax.text(x_out, 0.0, "ŷ", ha="center", va="center", fontsize=13, zorder=3)
    ax.text(x_out, radius + 0.08, "b₀", ha="center", va="bottom", fontsize=10,
            color="tab:green")
    bottom = min(y_in.min(), y_unit.min()) - 0.9
    for x, label in [(x_in, "inputs x\n(n features)"),
                     (x_unit, f"r = b + W x,  a = {activation}(r)\n(n1 units)"),
                     (x_out, "ŷ = b₀ + cᵀa")]:
        ax.text(x, bottom, label, ha="center", va="top", fontsize=10)
    ax.set_xlim(-1.2, 8.2)
    ax.set_ylim(bottom - 0.9, max(y_in.max(), y_unit.max()) + 0.8)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


_SUB = dict(enumerate("₀₁₂₃₄₅₆₇₈₉"))
