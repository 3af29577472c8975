"""A tiny layer library: each layer's forward and backward side by side (notebook 05).

Notation (notebook 00): X has shape (n, m), one column per example; labels Y have shape
(1, m). Layer l computes z^[l] = W^[l] a^[l-1] + b^[l] with W^[l] of shape (n^[l], n^[l-1])
and b^[l] of shape (n^[l], 1), then a^[l] = g(z^[l]) with an activation function g.

Every layer has two methods, and they sit next to each other in this file:

* ``forward(A_prev) -> A``: computes the layer's output from its input and keeps what
  ``backward`` will need (and its last output, as ``.Z`` or ``.A``, for histograms);
* ``backward(dA) -> dA_prev``: given how the cost J changes with the layer's output
  (dA = ∂J/∂A), returns how J changes with its input (∂J/∂A_prev) and stores the
  gradients of its own parameters (``dW``, ``db``).

``parameters()`` and ``gradients()`` return dicts of arrays with the same keys; the
parameter arrays are the layer's own, so :func:`sgd_step` updates them in place. A loss
has ``forward(prediction, Y) -> J`` (a number: the mean over the m examples) and
``backward() -> d prediction``. Everything is float64.

Contents: the layers :class:`Linear`, :class:`ReLU`, :class:`Sigmoid`, :class:`Tanh` and
:class:`Sequential` (built by :func:`mlp`); the losses :class:`MSE`,
:class:`BinaryCrossEntropy` and :class:`BinaryCrossEntropyWithLogits`; training with
:func:`sgd_step` and :func:`train` (which returns a :class:`History`); :func:`accuracy`.
Bad input (wrong shapes, NaN, no examples, backward before forward) gets a clear error.

Example (a network for two features, trained on 200 points)::

    import numpy as np
    from helpers.layers import BinaryCrossEntropy, accuracy, mlp, sgd_step, train

    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 200))                           # (n, m) = (2, 200)
    Y = (X[0] * X[1] > 0).astype(float).reshape(1, -1)      # (1, m): labels 0 or 1
    model = mlp([2, 8, 8, 1], activation="tanh", output="sigmoid", rng=rng)
    print(model)   # Sequential(Linear(2→8), Tanh, Linear(8→8), Tanh, Linear(8→1), Sigmoid)
    loss = BinaryCrossEntropy()

    # one step of gradient descent, by hand
    y_hat = model.forward(X)      # (1, m): the predicted probability for every example
    J = loss.forward(y_hat, Y)    # a number: the cost
    dA = loss.backward()          # (1, m): ∂J/∂ŷ
    model.backward(dA)            # fills dW and db of every Linear layer
    sgd_step(model, lr=0.5)       # W ← W − lr·dW and b ← b − lr·db, for every layer

    # or many steps at once
    history = train(model, loss, X, Y, lr=0.5, epochs=300)
    print(f"cost {history.costs[-1]:.3f}, accuracy {accuracy(model, X, Y):.2f}")

``helpers.gradcheck.check_model(model, loss, X, Y)`` compares every gradient the layers
compute with finite differences, and the unit tests do the same for every layer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from helpers.piecewise import sigmoid

__all__ = [
    "Layer", "Linear", "Activation", "ReLU", "Sigmoid", "Tanh", "Sequential", "mlp",
    "Loss", "MSE", "BinaryCrossEntropy", "BinaryCrossEntropyWithLogits",
    "sgd_step", "train", "History", "accuracy", "ACTIVATIONS", "NonFiniteError",
]


class NonFiniteError(ValueError):
    """An array that should hold numbers holds NaN or infinity."""


# --- checking what comes in (cheap: a few comparisons and one sum per array) -----------


def _as_float(owner, name: str, values) -> np.ndarray:
    """``values`` as a float64 array (no copy when it already is one)."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{owner} expects {name} to be an array of numbers, "
                        f"got {type(values).__name__}") from None


def _all_finite(array: np.ndarray) -> bool:
    """True if no entry is NaN or ±inf. One sum decides almost always (a NaN or inf
    makes the sum non-finite); only if the sum overflows are the entries looked at."""
    with np.errstate(over="ignore", invalid="ignore"):
        if math.isfinite(array.sum()):
            return True
    return bool(np.isfinite(array).all())


_OVERFLOW_HINT = " (if it appeared during training, values overflowed: lower the learning rate)"


def _check_finite(owner, name: str, array: np.ndarray, hint: str = "") -> None:
    if not _all_finite(array):
        raise NonFiniteError(f"{owner} got {name} containing NaN or infinity{hint}")


def _as_columns(owner, name: str, values, n_rows: int) -> np.ndarray:
    """``values`` as a float array of shape (n_rows, m) with m ≥ 1 finite columns."""
    A = _as_float(owner, name, values)
    if A.ndim != 2 or A.shape[0] != n_rows:
        hint = ""
        if A.ndim == 1 and A.size == n_rows:
            hint = ": one column per example, so one example x is x.reshape(-1, 1)"
        elif A.ndim == 2 and A.shape[1] == n_rows:
            hint = ": one column per example (is it transposed? try .T)"
        raise ValueError(f"{owner} expects {name} of shape ({n_rows}, m), "
                         f"got {A.shape}{hint}")
    if A.shape[1] == 0:
        raise ValueError(f"{owner} got {name} with no examples: shape {A.shape} (m = 0)")
    _check_finite(owner, name, A, _OVERFLOW_HINT)
    return A


def _check_incoming(owner, name: str, d_out, out: np.ndarray | None) -> np.ndarray:
    """The gradient arriving at ``backward``: forward must have run, and it must have the
    shape of the output that forward produced."""
    if out is None:
        raise RuntimeError(f"{owner}.backward was called before forward: run forward "
                           f"first (backward needs the values forward keeps)")
    d_out = _as_float(owner, name, d_out)
    if d_out.shape != out.shape:
        raise ValueError(f"{owner}.backward expects {name} of shape {out.shape} (the "
                         f"shape of its last output), got {d_out.shape}")
    return d_out


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _check_rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a NumPy random Generator, np.random.default_rng(seed); "
                        f"got {type(rng).__name__}")
    return rng


# --- the layers -------------------------------------------------------------------------


class Layer:
    """What every layer has: forward, backward, parameters() and gradients().

    A layer without parameters (an activation function) returns ``{}`` from both.
    ``layer(A_prev)`` is the same as ``layer.forward(A_prev)``.
    """

    def forward(self, A_prev):
        """A_prev (n_in, m) -> A (n_out, m); keeps what backward needs."""
        raise NotImplementedError

    def backward(self, dA):
        """dA = ∂J/∂A (n_out, m) -> dA_prev = ∂J/∂A_prev (n_in, m); stores gradients."""
        raise NotImplementedError

    def parameters(self) -> dict:
        return {}

    def gradients(self) -> dict:
        return {}

    def __call__(self, A_prev):
        return self.forward(A_prev)


class Linear(Layer):
    """z = W a_prev + b for every example: a dense (全连接) layer of n_out units.

    W has shape (n_out, n_in), b (n_out, 1). ``init`` sets the random start of W:
    "he" draws W ~ N(0, 2/n_in) (for ReLU networks), "xavier" W ~ N(0, 1/n_in) (for tanh
    and sigmoid), a number s draws W ~ N(0, s²) (0 gives all zeros). b starts at 0.
    """

    def __init__(self, n_in: int, n_out: int, *, rng: np.random.Generator, init="he"):
        n_in, n_out = _positive_int("n_in", n_in), _positive_int("n_out", n_out)
        std = _init_std(init, n_in)
        W = _check_rng(rng).normal(0.0, 1.0, size=(n_out, n_in)) * std  # (n_out, n_in)
        self._set(W, np.zeros((n_out, 1)))                                # b (n_out, 1)

    @classmethod
    def from_arrays(cls, W, b) -> Linear:
        """A Linear layer with copies of the given W (n_out, n_in) and b (n_out, 1)."""
        layer = cls.__new__(cls)
        W = np.array(W, dtype=float)  # a copy
        if W.ndim != 2 or W.size == 0 or not _all_finite(W):
            raise ValueError(f"W must be a non-empty 2-D array (n_out, n_in) of finite "
                             f"numbers, got shape {W.shape}")
        b = np.array(b, dtype=float)
        if b.shape not in [(W.shape[0], 1), (W.shape[0],)] or not _all_finite(b):
            raise ValueError(f"W has {W.shape[0]} rows (units), so b must have shape "
                             f"({W.shape[0]}, 1) and finite numbers; got shape {b.shape}")
        layer._set(W, b.reshape(-1, 1))
        return layer

    def _set(self, W: np.ndarray, b: np.ndarray) -> None:
        self.W, self.b = W, b                  # (n_out, n_in), (n_out, 1)
        self.n_out, self.n_in = W.shape
        self.dW = self.db = None               # filled by backward
        self.A_prev = self.Z = None            # filled by forward

    def forward(self, A_prev):
        """A_prev (n_in, m) -> Z = W A_prev + b, (n_out, m)."""
        self.A_prev = _as_columns(self, "A_prev", A_prev, self.n_in)  # (n_in, m)
        self.Z = self.W @ self.A_prev + self.b                         # (n_out, m)
        return self.Z

    def backward(self, dZ):
        """dZ (n_out, m) -> dA_prev = Wᵀ dZ, (n_in, m); stores dW and db."""
        dZ = _check_incoming(self, "dZ", dZ, self.Z)     # (n_out, m)
        self.dW = dZ @ self.A_prev.T                      # (n_out, n_in)
        self.db = dZ.sum(axis=1, keepdims=True)           # (n_out, 1)
        return self.W.T @ dZ                              # (n_in, m)

    def parameters(self) -> dict:
        return {"W": self.W, "b": self.b}

    def gradients(self) -> dict:
        if self.dW is None:
            raise RuntimeError(f"{self!r} has no gradients yet: run forward, then backward")
        return {"W": self.dW, "b": self.db}

    @property
    def output(self):
        """The last output Z (n_out, m), or None before the first forward."""
        return self.Z

    def __repr__(self) -> str:
        return f"Linear({self.n_in}→{self.n_out})"


def _init_std(init, n_in: int) -> float:
    """The standard deviation of the initial weights."""
    if isinstance(init, str):
        if init == "he":
            return math.sqrt(2.0 / n_in)
        if init == "xavier":
            return math.sqrt(1.0 / n_in)
    elif isinstance(init, (int, float, np.number)) and not isinstance(init, bool):
        if math.isfinite(init) and init >= 0:
            return float(init)
    raise ValueError(f'init must be "he", "xavier" or a standard deviation ≥ 0, got {init!r}')


class Activation(Layer):
    """An activation function (激活函数) applied to every entry: A = g(Z), any shape.

    ``.Z`` and ``.A`` keep the last input and output; there are no parameters.
    """

    Z = A = None

    def _input(self, Z) -> np.ndarray:
        Z = _as_float(self, "Z", Z)
        if Z.size == 0:
            raise ValueError(f"{self!r} got an empty Z of shape {Z.shape}")
        _check_finite(self, "Z", Z, _OVERFLOW_HINT)
        return Z

    @property
    def output(self):
        """The last output A, or None before the first forward."""
        return self.A

    def __repr__(self) -> str:
        return type(self).__name__


class ReLU(Activation):
    """a = max(0, z); da/dz = 1 where z > 0, else 0 (线性整流)."""

    def forward(self, Z):
        self.Z = self._input(Z)               # (n, m)
        self.A = np.maximum(self.Z, 0.0)      # (n, m)
        return self.A

    def backward(self, dA):
        dA = _check_incoming(self, "dA", dA, self.A)
        return dA * (self.Z > 0)              # dZ (n, m)


class Sigmoid(Activation):
    """a = σ(z) = 1 / (1 + e^(−z)), computed without overflow; da/dz = a (1 − a)."""

    def forward(self, Z):
        self.Z = self._input(Z)               # (n, m)
        self.A = sigmoid(self.Z)              # (n, m)
        return self.A

    def backward(self, dA):
        dA = _check_incoming(self, "dA", dA, self.A)
        return dA * self.A * (1.0 - self.A)   # dZ (n, m)


class Tanh(Activation):
    """a = tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)); da/dz = 1 − a².

    tanh is a sigmoid stretched to (−1, 1): tanh(z) = 2σ(2z) − 1.
    """

    def forward(self, Z):
        self.Z = self._input(Z)               # (n, m)
        self.A = np.tanh(self.Z)              # (n, m)
        return self.A

    def backward(self, dA):
        dA = _check_incoming(self, "dA", dA, self.A)
        return dA * (1.0 - self.A ** 2)       # dZ (n, m)


ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}


class Sequential(Layer):
    """Layers one after the other: forward goes first to last, backward last to first.

    ``parameters()`` names the arrays as the course does: W1, b1 for the first Linear
    layer (W^[1], b^[1]), W2, b2 for the second, and so on; ``gradients()`` has the same
    keys. ``len(model)``, ``model[0]``, ``model[1:]`` and ``for layer in model`` work.
    """

    def __init__(self, *layers):
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for layer in layers:
            if not (hasattr(layer, "forward") and hasattr(layer, "backward")):
                raise TypeError(f"Sequential takes layers (with forward and backward), "
                                f"got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, X):
        """X (n, m) -> the last layer's output; each layer checks its input."""
        A = X
        for layer in self.layers:
            A = layer.forward(A)
        return A

    def backward(self, dA):
        """∂J/∂(output) -> ∂J/∂X, through every layer in reverse; fills every gradient."""
        for layer in reversed(self.layers):
            dA = layer.backward(dA)
        return dA

    def _named(self, method: str) -> dict:
        """{"W1": ..., "b1": ..., "W2": ...}: layer l's arrays get the number l, counting
        the Linear layers (a layer with parameters after Linear l also gets l)."""
        named, l = {}, 0
        for layer in self.layers:
            l += isinstance(layer, Linear)
            for key, array in getattr(layer, method)().items():
                name = f"{key}{l}"
                if name in named:
                    raise ValueError(f"two arrays are both named {name}: give each layer "
                                     f"with parameters its own Linear layer")
                named[name] = array
        return named

    def parameters(self) -> dict:
        return self._named("parameters")

    def gradients(self) -> dict:
        return self._named("gradients")

    def n_parameters(self) -> int:
        """How many numbers training adjusts (every weight and bias)."""
        return sum(p.size for p in self.parameters().values())

    @property
    def output(self):
        return getattr(self.layers[-1], "output", None)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        return f"Sequential({', '.join(map(repr, self.layers))})"


def mlp(sizes: Sequence[int], *, activation: str = "relu", output: str | None = None,
        rng: np.random.Generator, init="he") -> Sequential:
    """A multilayer perceptron: sizes = [n, n^[1], ..., n^[L]] (inputs, then each layer).

    ``activation`` ("relu", "sigmoid" or "tanh") follows every Linear layer but the last;
    ``output`` is None (the last layer's z is the output) or "sigmoid". For example
    ``mlp([2, 8, 1], activation="tanh", output="sigmoid", rng=rng)`` is
    Sequential(Linear(2→8), Tanh, Linear(8→1), Sigmoid).
    """
    sizes = [_positive_int("every size in sizes", size) for size in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes needs the number of inputs and at least one layer size, "
                         f"e.g. [2, 8, 1]; got {sizes}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, "
                         f"got {activation!r}")
    if output not in (None, "sigmoid"):
        raise ValueError(f'output must be None or "sigmoid", got {output!r}')
    layers = []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        layers.append(Linear(n_in, n_out, rng=rng, init=init))
        if l < len(sizes) - 1:
            layers.append(ACTIVATIONS[activation]())
    if output == "sigmoid":
        layers.append(Sigmoid())
    return Sequential(*layers)


# --- the losses: the cost J is the mean over the m examples ----------------------------


class Loss:
    """forward(prediction, Y) -> the cost J (a float); backward() -> ∂J/∂prediction.

    The prediction has shape (n_out, m), or (m,); Y has the same shape (for one output
    a (1, m) prediction also takes Y of shape (m,), and the other way round).
    ``loss(prediction, Y)`` is the same as ``loss.forward(prediction, Y)``.
    """

    prediction = Y = None

    def _inputs(self, prediction, Y):
        """Both as float arrays of the prediction's shape, checked."""
        P = _as_float(self, "the prediction", prediction)
        Y = _as_float(self, "Y", Y)
        if P.ndim not in (1, 2) or P.size == 0:
            raise ValueError(f"{self!r} expects a prediction of shape (n_out, m) or (m,) "
                             f"with m ≥ 1, got {P.shape}")
        m = P.shape[-1]
        if Y.shape != P.shape and {Y.shape, P.shape} != {(m,), (1, m)}:
            raise ValueError(f"{self!r}: Y has shape {Y.shape} but the prediction has "
                             f"shape {P.shape}; they must match (one column per example)")
        Y = Y.reshape(P.shape)
        _check_finite(self, "a prediction", P, _OVERFLOW_HINT)
        _check_finite(self, "Y", Y)
        return P, Y

    def _m(self) -> int:
        return self.prediction.shape[-1]  # the number of examples (columns)

    def _check_forward_ran(self) -> None:
        if self.prediction is None:
            raise RuntimeError(f"{self!r}.backward was called before forward: run "
                               f"forward(prediction, Y) first")

    def __call__(self, prediction, Y) -> float:
        return self.forward(prediction, Y)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSE(Loss):
    """J = (1/m) Σ (ŷ − y)², summed over every output and example; ∂J/∂ŷ = 2 (ŷ − y) / m."""

    def forward(self, Y_hat, Y) -> float:
        self.prediction, self.Y = self._inputs(Y_hat, Y)        # (n_out, m) each
        return float(np.sum((self.prediction - self.Y) ** 2) / self._m())

    def backward(self):
        self._check_forward_ran()
        return 2.0 * (self.prediction - self.Y) / self._m()     # dY_hat (n_out, m)


def _check_labels(loss: Loss, Y: np.ndarray) -> None:
    if Y.min() < 0 or Y.max() > 1:
        raise ValueError(f"{loss!r} expects labels Y between 0 and 1 (0 or 1 for a class), "
                         f"got values from {Y.min():g} to {Y.max():g}")


class BinaryCrossEntropy(Loss):
    """The cross-entropy (交叉熵) of probabilities a = ŷ in (0, 1), e.g. a sigmoid output:
    J = −(1/m) Σ [y log a + (1 − y) log(1 − a)]; ∂J/∂a = (−y/a + (1 − y)/(1 − a)) / m.

    a is clipped to [1e-12, 1 − 1e-12] only so that log never sees 0.
    """

    eps = 1e-12

    def forward(self, A, Y) -> float:
        A, self.Y = self._inputs(A, Y)                             # (1, m) each
        if A.min() < 0 or A.max() > 1:
            raise ValueError(f"{self!r} expects probabilities between 0 and 1 (a sigmoid "
                             f"output), got values from {A.min():g} to {A.max():g}; for "
                             f"raw scores z use BinaryCrossEntropyWithLogits")
        _check_labels(self, self.Y)
        self.prediction = np.clip(A, self.eps, 1.0 - self.eps)    # (1, m)
        a, y = self.prediction, self.Y
        return float(-np.sum(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)) / self._m())

    def backward(self):
        self._check_forward_ran()
        a, y = self.prediction, self.Y
        return (-y / a + (1.0 - y) / (1.0 - a)) / self._m()       # dA (1, m)


class BinaryCrossEntropyWithLogits(Loss):
    """The cross-entropy of a = σ(z), computed from z directly (no overflow, no log 0):
    J = (1/m) Σ [softplus(z) − y z] with softplus(z) = log(1 + e^z); ∂J/∂z = (a − y) / m,
    the course's dz = a − y.
    """

    def forward(self, Z, Y) -> float:
        self.prediction, self.Y = self._inputs(Z, Y)               # (1, m) each
        _check_labels(self, self.Y)
        z, y = self.prediction, self.Y
        softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))   # log(1 + e^z)
        return float(np.sum(softplus - y * z) / self._m())

    def backward(self):
        self._check_forward_ran()
        return (sigmoid(self.prediction) - self.Y) / self._m()    # dZ (1, m)


# --- training -------------------------------------------------------------------------


def _learning_rate(lr) -> float:
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.number)) \
            or np.ndim(lr) != 0:
        raise TypeError(f"the learning rate lr must be a number, got {type(lr).__name__}")
    lr = float(lr)
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"the learning rate lr must be a positive finite number, got {lr}")
    return lr


def sgd_step(model, lr: float) -> None:
    """One step of gradient descent: p ← p − lr · dp for every parameter p, in place."""
    lr = _learning_rate(lr)
    gradients = model.gradients()
    for name, p in model.parameters().items():
        p -= lr * gradients[name]


@dataclass
class History:
    """What :func:`train` returns.

    ``costs[e]`` is the cost on the whole training set after epoch e (0, 1, ...), and
    ``initial_cost`` the cost before training. ``diverged_at`` is the epoch at which the
    cost became NaN/infinite or grew a millionfold over ``initial_cost`` (the factor is
    :func:`train`'s ``divergence_factor``); training stopped there, the last entry of
    ``costs`` is that epoch's cost (inf if it was not a number), and the parameters are
    no longer usable. Otherwise ``diverged_at`` is None.
    """

    costs: list = field(default_factory=list)
    diverged_at: int | None = None
    initial_cost: float = math.nan

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None


def train(model, loss, X, Y, *, lr: float, epochs: int, batch_size: int | None = None,
          rng: np.random.Generator | None = None, divergence_factor: float = 1e6) -> History:
    """Gradient descent: ``epochs`` passes over X (n, m) and Y (1, m) or (m,).

    With ``batch_size=None`` every epoch is one step on all m examples (batch gradient
    descent); otherwise the examples are shuffled with ``rng`` and each epoch takes one
    step per mini-batch of ``batch_size`` examples (the last batch may be smaller).
    Stops early, without warnings, if the cost diverges: becomes NaN or infinite, or
    exceeds ``divergence_factor`` × the initial cost (see :class:`History`). A
    cross-entropy on a sigmoid output rarely explodes (a too large lr rather saturates
    the sigmoid and the cost stays high); a smaller factor, e.g. 10, catches that too.
    """
    X = _as_float("train", "X", X)
    if X.ndim != 2 or X.shape[1] == 0:
        raise ValueError(f"X must have shape (n, m) with m ≥ 1 examples, got {X.shape}")
    _check_finite("train", "X", X)
    Y = _as_float("train", "Y", Y)
    if Y.size == 0 or Y.shape[-1] != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} examples (columns) but Y has shape {Y.shape}: "
                         f"Y must be (1, m) or (m,), one label per column of X")
    _check_finite("train", "Y", Y)
    lr, epochs = _learning_rate(lr), _positive_int("epochs", epochs)
    if not (isinstance(divergence_factor, (int, float, np.number)) and divergence_factor > 1):
        raise ValueError(f"divergence_factor must be a number > 1, got {divergence_factor!r}")
    if batch_size is not None:
        batch_size = _positive_int("batch_size", batch_size)
        rng = _check_rng(rng)
    for name, p in model.parameters().items():
        if not _all_finite(p):
            raise ValueError(f"the model's {name} contains NaN or infinity (did an earlier "
                             f"training diverge?): build a new model")
    history = History()
    with np.errstate(all="ignore"):  # overflow is detected below, never warned about
        try:
            history.initial_cost = loss.forward(model.forward(X), Y)
        except NonFiniteError:
            history.initial_cost = math.inf
        if not math.isfinite(history.initial_cost):
            history.diverged_at = 0
            return history
        for epoch in range(epochs):
            cost = _one_epoch(model, loss, X, Y, lr, batch_size, rng)
            history.costs.append(cost if math.isfinite(cost) else math.inf)
            if not cost <= divergence_factor * (history.initial_cost + 1e-12):  # NaN too
                history.diverged_at = epoch
                break
    return history


def _one_epoch(model, loss, X, Y, lr, batch_size, rng) -> float:
    """One pass over the data; returns the cost on all of it afterwards (inf if it
    overflowed). With full batches, model holds the forward pass of X on entry."""
    try:
        if batch_size is None:
            model.backward(loss.backward())    # uses the last forward pass, on all of X
            sgd_step(model, lr)
        else:
            order = rng.permutation(X.shape[1])
            for start in range(0, X.shape[1], batch_size):
                batch = order[start:start + batch_size]
                loss.forward(model.forward(X[:, batch]), Y[..., batch])
                model.backward(loss.backward())
                sgd_step(model, lr)
        return loss.forward(model.forward(X), Y)
    except NonFiniteError:
        return math.inf


def accuracy(model, X, Y, threshold: float = 0.5) -> float:
    """The fraction of examples whose predicted class (1 if ŷ ≥ threshold, else 0) is Y.

    For a model with a sigmoid output; for one that outputs z, use threshold=0.0.
    """
    Y_hat = model.forward(X)
    Y = _as_float("accuracy", "Y", Y)
    if Y.size != Y_hat.size or Y_hat.size != Y_hat.shape[-1]:
        raise ValueError(f"the model made {Y_hat.size} predictions but Y has shape {Y.shape}")
    return float(np.mean((Y_hat.ravel() >= threshold) == (Y.ravel() == 1)))
