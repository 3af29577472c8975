"""A tiny layer library: each layer's forward and backward side by side (notebooks 05–08).

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

Contents:

* layers (notebook 05): :class:`Linear`, :class:`ReLU`, :class:`Sigmoid`, :class:`Tanh`
  and :class:`Sequential`, built by :func:`mlp`;
* losses: :class:`MSE`, :class:`BinaryCrossEntropy`, :class:`BinaryCrossEntropyWithLogits`;
* optimisers (notebook 06): :class:`SGD`, :class:`Momentum`, :class:`RMSprop` and
  :class:`Adam`, each with ``step(model)``;
* batch normalisation (notebook 07): :class:`BatchNorm`, and the training and evaluation
  modes (:func:`set_training`, :func:`evaluating`);
* C classes (notebook 08): :func:`softmax`, :func:`logsumexp`, :func:`log_softmax`,
  :func:`one_hot`, the :class:`Softmax` layer, the losses :class:`SoftmaxCrossEntropy`
  (on scores z) and :class:`CategoricalCrossEntropy` (on probabilities);
* one step of gradient descent: :func:`sgd_step`; measuring: :func:`predict_classes` and
  :func:`accuracy`. Training loops live in :mod:`helpers.training` (``train``).

Bad input (wrong shapes, NaN, no examples, backward before forward) gets a clear error.

Example (a network for two features, trained on 200 points)::

    import numpy as np
    from helpers.layers import BinaryCrossEntropy, accuracy, mlp, sgd_step
    from helpers.training import train

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

import contextlib
import math
import threading
from collections.abc import Sequence

import numpy as np

from helpers.activations import _sigmoid as sigmoid
from helpers.losses import _cross_entropy_from_z
from helpers.validate import (
    InputError,
    all_finite,
    as_array,
    as_flag,
    as_fraction,
    as_instance,
    as_learning_rate,
    as_list,
    as_model,
    as_scalar,
    is_number,
)
from helpers.validate import as_count as _positive_int
from helpers.validate import as_generator as _check_rng

__all__ = [
    "Layer", "Linear", "BatchNorm", "Activation", "ReLU", "Sigmoid", "Tanh", "Sequential",
    "mlp", "set_training", "evaluating",
    "softmax", "logsumexp", "log_softmax", "one_hot", "Softmax",
    "Loss", "MSE", "BinaryCrossEntropy", "BinaryCrossEntropyWithLogits",
    "SoftmaxCrossEntropy", "CategoricalCrossEntropy",
    "sgd_step", "Optimizer", "SGD", "Momentum", "RMSprop", "Adam",
    "predict_classes", "accuracy", "ACTIVATIONS", "NonFiniteError",
    "grid_forward",
]


class NonFiniteError(InputError):
    """An array that should hold numbers holds NaN or infinity: a bad argument, or, during
    training, values that overflowed (``training.train`` catches it and reports divergence)."""


# --- checking what comes in (cheap: a few comparisons and one sum per array) -----------


def _as_float(owner, name: str, values) -> np.ndarray:
    """``values`` as a float64 array (no copy when it already is one)."""
    try:
        return as_array(name, values, finite=False)
    except InputError:
        raise InputError(f"{owner} expects {name} to be an array of numbers, "
                        f"got {type(values).__name__}") from None


_all_finite = all_finite  # validate's: one sum decides almost always


_OVERFLOW_HINT = " (if it appeared during training, values overflowed: lower the learning rate)"


def _check_finite(owner, name: str, array: np.ndarray, hint: str = "") -> None:
    if not _all_finite(array):
        raise NonFiniteError(f"{owner} got {name} containing NaN or infinity{hint}")


def _as_columns(owner, name: str, values, n_rows: int) -> np.ndarray:
    """``values`` as a float array of shape (n_rows, m) with m ≥ 1 finite columns."""
    if not getattr(owner, "checks_every_input", False) and _inner_input(values, n_rows):
        return values  # a previous layer's output, inside a Sequential
    A = _as_float(owner, name, values)
    if A.ndim != 2 or A.shape[0] != n_rows:
        hint = ""
        if A.ndim == 1 and A.size == n_rows:
            hint = ": one column per example, so one example x is x.reshape(-1, 1)"
        elif A.ndim == 2 and A.shape[1] == n_rows:
            hint = ": one column per example (is it transposed? try .T)"
        raise InputError(f"{owner} expects {name} of shape ({n_rows}, m), "
                         f"got {A.shape}{hint}")
    if A.shape[1] == 0:
        raise InputError(f"{owner} got {name} with no examples: shape {A.shape} (m = 0)")
    _check_finite(owner, name, A, _OVERFLOW_HINT)
    return A


# Inside Sequential.backward the gradients come from the layers' own backward: their
# shapes are checked again, their values not (an overflow in training shows in the next
# forward pass, where training.train() reports it as divergence).
_inside_sequential = threading.local()
# Inside Sequential.forward, after its first layer, a Linear layer or an activation gets
# the previous layer's output: its shape is checked, its values not (an overflow reaches
# the output, which the loss checks; training.train reports it as divergence).
_inner_forward = threading.local()


@contextlib.contextmanager
def _active(flag: threading.local):
    """``flag.active`` is True inside the block (and after it as before: nested blocks)."""
    outermost = not getattr(flag, "active", False)
    flag.active = True
    try:
        yield
    finally:
        if outermost:
            flag.active = False


def _through(layers: list, method: str, value, flag: threading.local, first_gets: str):
    """``value`` through ``layer.<method>`` of each layer in turn, ``flag`` active after the
    first; an InputError of the first layer says what it received (``first_gets``)."""
    first, *rest = layers
    try:
        value = getattr(first, method)(value)
    except InputError as error:  # name the argument the learner passed
        raise type(error)(f"{error} [{first_gets}]") from None
    with _active(flag):
        for layer in rest:
            value = getattr(layer, method)(value)
    return value


def _inner_input(A: np.ndarray, n_rows: int | None = None) -> bool:
    """Whether ``A`` is a previous layer's output, fit to be used as it is."""
    return (getattr(_inner_forward, "active", False) and type(A) is np.ndarray
            and A.dtype == np.float64 and A.size > 0
            and (n_rows is None or (A.ndim == 2 and A.shape[0] == n_rows)))


def _check_incoming(owner, name: str, d_out, out: np.ndarray | None) -> np.ndarray:
    """The gradient arriving at ``backward``: forward must have run, it must have the
    shape of the output that forward produced, and (from outside a Sequential) hold no
    NaN or infinity."""
    if out is None:
        raise RuntimeError(f"{owner}.backward was called before forward: run forward "
                           f"first (backward needs the values forward keeps)")
    d_out = _as_float(owner, name, d_out)
    if d_out.shape != out.shape:
        raise InputError(f"{owner}.backward expects {name} of shape {out.shape} (the "
                         f"shape of its last output), got {d_out.shape}")
    if not getattr(_inside_sequential, "active", False):
        _check_finite(owner, name, d_out)
    return d_out


def _epsilon(owner: str, value, example: str = "1e-8") -> float:
    if not is_number(value):
        raise InputError(f"{owner}: epsilon must be a small positive number, e.g. {example}; "
                        f"got {type(value).__name__}")
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise InputError(f"{owner}: epsilon must be a small positive number, e.g. {example} "
                         f"(it keeps a division away from 0), got {value}")
    return value


# --- the layers -------------------------------------------------------------------------


class Layer:
    """What every layer has: forward, backward, parameters() and gradients().

    A layer without parameters (an activation function) returns ``{}`` from both.
    ``layer(A_prev)`` is the same as ``layer.forward(A_prev)``.

    ``training`` is True in training mode (the default) and False in evaluation mode;
    only :class:`BatchNorm` behaves differently (see :func:`evaluating` and
    :func:`set_training`). ``uses_batch_statistics`` is True for a layer whose output in
    training mode depends on the whole mini-batch (BatchNorm), so ``training.train`` never
    gives it a batch of one example.
    """

    training = True
    uses_batch_statistics = False
    checks_every_input = False  # True: also checked for NaN inside a Sequential

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
    With ``bias=False`` the layer has no bias to learn, as before a :class:`BatchNorm`
    layer, whose mean subtraction would cancel b anyway: ``b`` is then a read-only
    column of zeros, so z = W a_prev exactly, and ``parameters()`` and ``gradients()``
    hold only W (nothing trains b; ``bias`` says which kind of layer it is).
    """

    def __init__(self, n_in: int, n_out: int, *, rng: np.random.Generator, init="he",
                 bias: bool = True):
        n_in, n_out = _positive_int("n_in", n_in), _positive_int("n_out", n_out)
        std = _init_std(init, n_in)
        bias = as_flag("bias", bias)
        W = _check_rng(rng).normal(0.0, 1.0, size=(n_out, n_in)) * std  # (n_out, n_in)
        self._set(W, np.zeros((n_out, 1)), bias=bool(bias))               # b (n_out, 1)

    @classmethod
    def from_arrays(cls, W, b) -> Linear:
        """A Linear layer with copies of the given W (n_out, n_in) and b (n_out, 1);
        b=None gives a layer without a bias."""
        layer = cls.__new__(cls)
        W = as_array("W", W, finite=False).copy()
        if W.ndim != 2 or W.size == 0 or not _all_finite(W):
            raise InputError(f"W must be a non-empty 2-D array (n_out, n_in) of finite "
                             f"numbers, got shape {W.shape}")
        if b is None:
            layer._set(W, np.zeros((W.shape[0], 1)), bias=False)
            return layer
        b = as_array("b", b, finite=False).copy()
        if b.shape not in [(W.shape[0], 1), (W.shape[0],)] or not _all_finite(b):
            raise InputError(f"W has {W.shape[0]} rows (units), so b must have shape "
                             f"({W.shape[0]}, 1) and finite numbers (or be None: no "
                             f"bias); got shape {b.shape}")
        layer._set(W, b.reshape(-1, 1))
        return layer

    def _set(self, W: np.ndarray, b: np.ndarray, bias: bool = True) -> None:
        self.W, self.b = W, b                  # (n_out, n_in), (n_out, 1)
        self.bias = bias
        if not bias:
            self.b.flags.writeable = False     # zeros that stay zeros
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
        return {"W": self.W, "b": self.b} if self.bias else {"W": self.W}

    def gradients(self) -> dict:
        if self.dW is None:
            raise RuntimeError(f"{self!r} has no gradients yet: run forward, then backward")
        return {"W": self.dW, "b": self.db} if self.bias else {"W": self.dW}

    @property
    def output(self):
        """The last output Z (n_out, m), or None before the first forward."""
        return self.Z

    def __repr__(self) -> str:
        no_bias = "" if self.bias else ", no bias"
        return f"Linear({self.n_in}→{self.n_out}{no_bias})"


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
    raise InputError(f'init must be "he", "xavier" or a standard deviation ≥ 0, got {init!r}')


class BatchNorm(Layer):
    """Batch normalisation (Batch 归一化) of z, unit by unit, over the m examples of a
    mini-batch; it goes after a Linear layer and before the activation (notebook 07).

    Training mode (``training`` True), for Z (n, m)::

        mu     = (1/m) Σ z                   the batch mean of each unit,     (n, 1)
        var    = (1/m) Σ (z − mu)²           its variance (1/m, not 1/(m−1)), (n, 1)
        Z_norm = (Z − mu) / √(var + ε)       mean 0, variance ≈ 1 per unit,   (n, m)
        Z_tilde = gamma · Z_norm + beta      the learned scale and shift,     (n, m)

    gamma (n, 1) starts at ones and beta (n, 1) at zeros; both are trained like W and b
    (``parameters()`` is {"gamma", "beta"}; Sequential calls them gamma1, beta1 after
    Linear 1). ε (``epsilon``) sits *inside* the square root. With gamma = √(var + ε) and
    beta = mu the layer gives back its input. The layer keeps ``.Z`` (its input), ``.mu``,
    ``.var``, ``.Z_norm`` and ``.Z_tilde`` (its output) for histograms.

    Each training-mode forward also updates the running averages used at test time, an
    exponentially weighted average (指数加权平均) over the mini-batches::

        running_mean ← momentum · running_mean + (1 − momentum) · mu
        running_var  ← momentum · running_var  + (1 − momentum) · var

    ``momentum`` is the weight of the OLD average and the new batch gets 1 − momentum:
    the β of notebook 02's EMA (Keras's convention). PyTorch's ``momentum`` is the
    weight of the new batch instead, so its default 0.1 is our 0.9. They start at
    running_mean = 0 and running_var = 1, and running_var averages the same 1/m
    (biased) batch variance as the formula above.

    Evaluation mode (``training`` False) normalises with running_mean and running_var
    instead, so each example's output no longer depends on the others in its batch
    (one example alone gets the same answer as within a batch), and leaves them as they
    are. backward follows the mode of the last forward.
    """

    uses_batch_statistics = True
    checks_every_input = True  # its running averages must never take in a NaN

    def __init__(self, n: int, *, momentum: float = 0.9, epsilon: float = 1e-5):
        self.n = _positive_int("n (the number of units)", n)
        self.momentum = as_fraction("BatchNorm", "momentum", momentum, "0.9")
        self.epsilon = _epsilon("BatchNorm", epsilon, "1e-5")
        self.gamma, self.beta = np.ones((self.n, 1)), np.zeros((self.n, 1))  # (n, 1) each
        self.running_mean, self.running_var = np.zeros((self.n, 1)), np.ones((self.n, 1))
        self.dgamma = self.dbeta = None                   # filled by backward
        self.Z = self.mu = self.var = self.Z_norm = self.Z_tilde = None  # by forward
        self._std = self._batch_mode = None

    def forward(self, Z):
        """Z (n, m) -> Z_tilde = gamma · Z_norm + beta, (n, m)."""
        Z = _as_columns(self, "Z", Z, self.n)                        # (n, m)
        if self.training:
            mu, var = self._batch_statistics(Z)                      # (n, 1) each
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            mu, var = self.running_mean.copy(), self.running_var.copy()  # (n, 1) each
        self.Z, self.mu, self.var, self._batch_mode = Z, mu, var, self.training
        self._std = np.sqrt(var + self.epsilon)                      # (n, 1)
        self.Z_norm = (Z - mu) / self._std                           # (n, m)
        self.Z_tilde = self.gamma * self.Z_norm + self.beta          # (n, m)
        return self.Z_tilde

    def backward(self, dZ_tilde):
        """dZ_tilde (n, m) -> dZ (n, m); stores dgamma and dbeta (n, 1).

        In training mode mu and var depend on every column, so every example's dZ
        depends on the whole batch:
        dZ = gamma / (m √(var + ε)) · (m dZ_tilde − Σ dZ_tilde − Z_norm Σ(dZ_tilde Z_norm)),
        sums over the m examples. In evaluation mode mu and var are constants:
        dZ = gamma / √(var + ε) · dZ_tilde.
        """
        dZ_tilde = _check_incoming(self, "dZ_tilde", dZ_tilde, self.Z_tilde)  # (n, m)
        self.dgamma = np.sum(dZ_tilde * self.Z_norm, axis=1, keepdims=True)   # (n, 1)
        self.dbeta = dZ_tilde.sum(axis=1, keepdims=True)                       # (n, 1)
        if not self._batch_mode:
            return self.gamma / self._std * dZ_tilde                           # (n, m)
        m = dZ_tilde.shape[1]
        return (self.gamma / (m * self._std)) * (
            m * dZ_tilde - self.dbeta - self.Z_norm * self.dgamma)             # (n, m)

    def _batch_statistics(self, Z: np.ndarray):
        """The mean and the (1/m) variance of each unit over the batch, (n, 1) each."""
        if Z.shape[1] < 2:
            raise InputError(f"{self!r} got a batch of one example (Z of shape {Z.shape}) in "
                             f"training mode: its variance is 0, so every normalised value "
                             f"would be 0 and the output would be beta whatever the input. "
                             f"Normalise over a mini-batch of m ≥ 2 examples, or use "
                             f"evaluation mode for single examples (it uses the running "
                             f"averages): with evaluating(model): ...")
        mu = Z.mean(axis=1, keepdims=True)                           # (n, 1)
        var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)            # (n, 1)
        return mu, var

    def parameters(self) -> dict:
        return {"gamma": self.gamma, "beta": self.beta}

    def gradients(self) -> dict:
        if self.dgamma is None:
            raise RuntimeError(f"{self!r} has no gradients yet: run forward, then backward")
        return {"gamma": self.dgamma, "beta": self.dbeta}

    @property
    def output(self):
        """The last output Z_tilde (n, m), or None before the first forward."""
        return self.Z_tilde

    def __repr__(self) -> str:
        return f"BatchNorm({self.n})"


class Activation(Layer):
    """An activation function (激活函数) applied to every entry: A = g(Z), any shape.

    ``.Z`` and ``.A`` keep the last input and output; there are no parameters.
    """

    Z = A = None

    def backward(self, dA):
        """dA = ∂J/∂A (the shape of A) -> dZ = ∂J/∂Z = dA · g'(Z)."""
        raise NotImplementedError

    def _input(self, Z) -> np.ndarray:
        if _inner_input(Z):
            return Z
        Z = _as_float(self, "Z", Z)
        if Z.size == 0:
            raise InputError(f"{self!r} got an empty Z of shape {Z.shape}")
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


# --- softmax: C classes, one row of scores z per class (notebook 08) ---------------------


def _logits(owner: str, Z) -> np.ndarray:
    """Z as a float array of shape (C, m) (or (C,), one example), finite and not empty."""
    Z = _as_float(owner, "Z", Z)
    if Z.ndim not in (1, 2) or Z.size == 0:
        raise InputError(f"{owner} expects Z of shape (C, m): one row per class, one column "
                         f"per example; got {Z.shape}")
    _check_finite(owner, "Z", Z, _OVERFLOW_HINT)
    return Z


def logsumexp(Z) -> np.ndarray:
    """log Σⱼ e^(zⱼ) over the rows of each column: Z (C, m) -> (1, m), without overflow.

    Computed as max + log Σⱼ e^(zⱼ − max): the largest term becomes e^0 = 1, so nothing
    overflows, and the sum is at least 1, so its log is finite.
    """
    Z = _logits("logsumexp", Z)
    top = Z.max(axis=0, keepdims=True)                           # (1, m)
    with np.errstate(under="ignore"):                           # e^(−2000) is just 0
        return top + np.log(np.exp(Z - top).sum(axis=0, keepdims=True))  # (1, m)


def softmax(Z) -> np.ndarray:
    """t = e^z, a = t / Σⱼ tⱼ in every column: Z (C, m) -> A (C, m), columns summing to 1.

    Each column's max is subtracted first: e^(z − max) / Σ e^(zⱼ − max) is the same
    number (the factor e^(−max) cancels), but e^z can no longer overflow.
    """
    Z = _logits("softmax", Z)
    with np.errstate(under="ignore"):
        T = np.exp(Z - Z.max(axis=0, keepdims=True))             # (C, m), each column's max is 1
    return T / T.sum(axis=0, keepdims=True)                      # (C, m)


def log_softmax(Z) -> np.ndarray:
    """log softmax(Z) = Z − logsumexp(Z): Z (C, m) -> (C, m), finite even where softmax
    underflows to 0 (its log would be −inf).

    Computed as (Z − max) − log Σ e^(Z − max), the same formula with each column's max
    subtracted first, which keeps the digits that 1000 + log 2 − 1000 would lose.
    """
    Z = _logits("log_softmax", Z)
    shifted = Z - Z.max(axis=0, keepdims=True)                   # (C, m), ≤ 0
    with np.errstate(under="ignore"):
        return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))  # (C, m)


def one_hot(labels, C: int) -> np.ndarray:
    """Integer labels (m,) in 0..C−1 -> Y (C, m): column i is all 0 but a 1 in row labels[i].

    For example one_hot([2, 0], 3) is [[0, 1], [0, 0], [1, 0]].
    """
    C = _positive_int("C (the number of classes)", C)
    if C < 2:
        raise InputError("one_hot needs C ≥ 2 classes, got C = 1 (one class needs no label)")
    labels = _integer_labels("one_hot", labels)
    if labels.min() < 0 or labels.max() >= C:
        raise InputError(f"one_hot got labels from {labels.min()} to {labels.max()}, but with "
                         f"C = {C} classes every label must be in 0..{C - 1}")
    Y = np.zeros((C, labels.size))                               # (C, m)
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def _integer_labels(owner: str, labels) -> np.ndarray:
    """Class numbers as an int array of shape (m,), m ≥ 1 ((1, m) is flattened)."""
    try:
        array = np.asarray(labels)
    except ValueError:  # a ragged list
        raise InputError(f"{owner} expects integer labels of shape (m,), got a ragged "
                         f"list") from None
    if array.ndim == 2 and array.shape[0] == 1:
        array = array[0]
    if array.ndim != 1 or array.size == 0:
        raise InputError(f"{owner} expects integer labels of shape (m,), one class number "
                         f"per example, got shape {array.shape}")
    if array.dtype.kind in "iub":
        return array.astype(int)
    if array.dtype.kind == "f" and np.isfinite(array).all() \
            and np.array_equal(array, np.round(array)):
        return array.astype(int)
    if array.dtype.kind == "f":
        bad = array[~(np.isfinite(array) & (array == np.round(array)))][0]
        raise InputError(f"{owner} expects integer labels (class numbers 0, 1, 2, ...), "
                         f"got {bad}")
    raise InputError(f"{owner} expects integer labels (class numbers 0, 1, 2, ...), got an "
                    f"array of {array.dtype}")


class Softmax(Activation):
    """a = softmax(z) over each column: the C class probabilities of one example.

    Not entry by entry like the other activations: every aᵢ depends on every zⱼ of its
    column, ∂aᵢ/∂zⱼ = aᵢ (δᵢⱼ − aⱼ). backward multiplies dA by that Jacobian without
    building it: dZ = A ⊙ (dA − Σ_rows(dA ⊙ A)). Followed by
    :class:`CategoricalCrossEntropy` it gives dZ = (ŷ − y)/m, as
    :class:`SoftmaxCrossEntropy` on Z does directly.
    """

    def forward(self, Z):
        self.Z = _logits(repr(self), Z)       # (C, m)
        self.A = softmax(self.Z)              # (C, m)
        return self.A

    def backward(self, dA):
        dA = _check_incoming(self, "dA", dA, self.A)                      # (C, m)
        return self.A * (dA - np.sum(dA * self.A, axis=0, keepdims=True))  # dZ (C, m)


class Sequential(Layer):
    """Layers one after the other: forward goes first to last, backward last to first.

    ``parameters()`` names the arrays as the course does: W1, b1 for the first Linear
    layer (W^[1], b^[1]), W2, b2 for the second, and so on; ``gradients()`` has the same
    keys. ``len(model)``, ``model[0]``, ``model[1:]`` and ``for layer in model`` work.
    """

    def __init__(self, *layers):
        layers = tuple(layers)
        if not layers:
            raise InputError("Sequential needs at least one layer")
        for layer in layers:
            if not (hasattr(layer, "forward") and hasattr(layer, "backward")):
                raise InputError(f"Sequential takes layers (with forward and backward), "
                                f"got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, X):
        """X (n, m) -> the last layer's output. The first layer checks X; after it, a Linear
        layer or an activation checks only the shape of what it receives (an overflow
        reaches the output, which a loss checks), BatchNorm checks everything."""
        return _through(self.layers, "forward", X, _inner_forward,
                        f"the model's input X is what its first layer, {self.layers[0]!r}, "
                        f"receives")

    def backward(self, dA):
        """∂J/∂(output) -> ∂J/∂X, through every layer in reverse; fills every gradient."""
        return _through(self.layers[::-1], "backward", dA, _inside_sequential,
                        f"the model's dA is what its last layer, {self.layers[-1]!r}, "
                        f"receives")

    def _named(self, method: str) -> dict:
        """{"W1": ..., "b1": ..., "W2": ...}: layer l's arrays get the number l, counting
        the Linear layers (a layer with parameters after Linear l also gets l)."""
        named, l = {}, 0
        for layer in self.layers:
            l += isinstance(layer, Linear)
            for key, array in getattr(layer, method)().items():
                name = f"{key}{l}"
                if name in named:
                    raise InputError(f"two arrays are both named {name}: give each layer "
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


# --- training mode and evaluation mode ----------------------------------------------------


def _all_layers(model):
    """The model itself and every layer inside it (a Sequential's layers, recursively)."""
    yield model
    for layer in getattr(model, "layers", ()):
        yield from _all_layers(layer)


def set_training(model, flag: bool) -> None:
    """Switch a model (a Sequential or a single layer, and every layer in it) to
    training mode (flag True) or evaluation mode (flag False)."""
    as_model("model", model, ("forward",), "layers.mlp([2, 3, 1], rng=rng)")
    if not isinstance(flag, (bool, np.bool_)):
        raise InputError(f"set_training needs True (training mode) or False (evaluation "
                         f"mode), got {flag!r} for flag")
    for layer in _all_layers(model):
        layer.training = bool(flag)


@contextlib.contextmanager
def _mode(model, flag: bool):
    """Run a block with every layer of model in one mode; restore each layer's after."""
    layers = list(_all_layers(model))
    before = [getattr(layer, "training", True) for layer in layers]
    try:
        set_training(model, flag)
        yield model
    finally:
        for layer, was_training in zip(layers, before, strict=True):
            layer.training = was_training


def evaluating(model):
    """``with evaluating(model): ...`` runs the block in evaluation mode (BatchNorm uses,
    and does not change, its running averages) and then puts every layer back in the
    mode it was in. :func:`accuracy` and :func:`predict_classes` use it."""
    as_model("model", model, ("forward",), "layers.mlp([2, 3, 1], rng=rng)")
    return _mode(model, False)


def _uses_batch_statistics(model) -> bool:
    return any(getattr(layer, "uses_batch_statistics", False) for layer in _all_layers(model))


def mlp(sizes: Sequence[int], *, activation: str = "relu", output: str | None = None,
        rng: np.random.Generator, init="he", batch_norm: bool = False,
        momentum: float = 0.9) -> Sequential:
    """A multilayer perceptron: sizes = [n, n^[1], ..., n^[L]] (inputs, then each layer).

    ``activation`` ("relu", "sigmoid" or "tanh") follows every Linear layer but the last;
    ``output`` is None (the last layer's z is the output), "sigmoid" (one unit: the
    probability of class 1) or "softmax" (C units: the probabilities of C classes). For example
    ``mlp([2, 8, 1], activation="tanh", output="sigmoid", rng=rng)`` is
    Sequential(Linear(2→8), Tanh, Linear(8→1), Sigmoid).

    With ``batch_norm=True`` every hidden layer is Linear without bias → BatchNorm (with
    ``momentum``) → activation: the bias is dropped because BatchNorm subtracts the batch
    mean, which cancels any b, and its beta takes b's role. The output layer keeps its
    bias. ``mlp([2, 8, 1], batch_norm=True, rng=rng)`` is
    Sequential(Linear(2→8, no bias), BatchNorm(8), ReLU, Linear(8→1)).
    """
    sizes = [_positive_int("every size in sizes", size)
             for size in as_list("sizes", sizes, what="a list of layer sizes, e.g. [2, 8, 1]")]
    if len(sizes) < 2:
        raise InputError(f"sizes needs the number of inputs and at least one layer size, "
                         f"e.g. [2, 8, 1]; got {sizes}")
    if activation not in ACTIVATIONS:
        raise InputError(f"activation must be one of {sorted(ACTIVATIONS)}, "
                         f"got {activation!r}")
    if not (output is None or isinstance(output, str) and output in ("sigmoid", "softmax")):
        raise InputError(f'output must be None, "sigmoid" (two classes) or "softmax" '
                         f'(several classes), got {output!r}')
    if output == "softmax" and sizes[-1] < 2:
        raise InputError(f'output="softmax" needs at least 2 output units, one per class, but '
                         f'sizes ends in {sizes[-1]}: a softmax over one unit is 1 whatever '
                         f'the input, so the model could not learn. For two classes use '
                         f'output="sigmoid" with 1 output unit (or softmax with 2 units, '
                         f'sizes {[*sizes[:-1], 2]})')
    batch_norm = as_flag("batch_norm", batch_norm)
    _check_rng(rng)
    momentum = as_fraction("BatchNorm", "momentum", momentum, "0.9")
    layers = []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        hidden = l < len(sizes) - 1
        layers.append(Linear(n_in, n_out, rng=rng, init=init, bias=not (hidden and batch_norm)))
        if hidden and batch_norm:
            layers.append(BatchNorm(n_out, momentum=momentum))
        if hidden:
            layers.append(ACTIVATIONS[activation]())
    if output == "sigmoid":
        layers.append(Sigmoid())
    elif output == "softmax":
        layers.append(Softmax())
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
            raise InputError(f"{self!r} expects a prediction of shape (n_out, m) or (m,) "
                             f"with m ≥ 1, got {P.shape}")
        m = P.shape[-1]
        if Y.shape != P.shape and {Y.shape, P.shape} != {(m,), (1, m)}:
            raise InputError(f"{self!r}: Y has shape {Y.shape} but the prediction has "
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
        raise InputError(f"{loss!r} expects labels Y between 0 and 1 (0 or 1 for a class), "
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
            raise InputError(f"{self!r} expects probabilities between 0 and 1 (a sigmoid "
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
    J = (1/m) Σ [log(1 + e^z) − y z] (:func:`helpers.losses.cross_entropy_from_z`);
    ∂J/∂z = (a − y) / m, the course's dz = a − y.
    """

    def forward(self, Z, Y) -> float:
        self.prediction, self.Y = self._inputs(Z, Y)               # (1, m) each
        _check_labels(self, self.Y)
        return float(np.sum(_cross_entropy_from_z(self.prediction, self.Y)) / self._m())

    def backward(self):
        self._check_forward_ran()
        return (sigmoid(self.prediction) - self.Y) / self._m()    # dZ (1, m)


def _class_columns(loss: Loss, prediction, Y):
    """The prediction and Y as float arrays of the same shape (C, m), C ≥ 2, with every
    column of Y a probability distribution over the C classes (one-hot, or soft)."""
    P, Y = _as_float(loss, "the prediction", prediction), _as_float(loss, "Y", Y)
    if P.ndim != 2 or P.shape[0] < 2 or P.shape[1] == 0:
        raise InputError(f"{loss!r} expects a prediction of shape (C, m): C ≥ 2 rows, one "
                         f"per class, and m ≥ 1 columns, one per example; got {P.shape} (for "
                         f"one output row use BinaryCrossEntropy or ...WithLogits)")
    labels_hint = "did you pass integer labels? use one_hot(labels, C)"
    if Y.shape != P.shape:
        hint = " (transposed? try .T)" if Y.shape == P.shape[::-1] else f"; {labels_hint}"
        raise InputError(f"{loss!r}: Y has shape {Y.shape} but the prediction has shape "
                         f"{P.shape}; Y must be (C, m), a column of class probabilities "
                         f"(one-hot) per example{hint}")
    _check_finite(loss, "a prediction", P, _OVERFLOW_HINT)
    _check_finite(loss, "Y", Y)
    if Y.min() < 0 or Y.max() > 1 or np.abs(Y.sum(axis=0) - 1.0).max() > 1e-6:
        raise InputError(f"{loss!r} expects every column of Y to hold class probabilities "
                         f"(each between 0 and 1, summing to 1; one-hot for a known class); "
                         f"got values from {Y.min():g} to {Y.max():g} and column sums from "
                         f"{Y.sum(axis=0).min():g} to {Y.sum(axis=0).max():g}: {labels_hint}")
    return P, Y


class SoftmaxCrossEntropy(Loss):
    """The cross-entropy of ŷ = softmax(z), computed from the scores Z (C, m) directly:
    J = −(1/m) Σ Y ⊙ log softmax(Z), with log softmax(Z) = Z − logsumexp(Z) (no overflow,
    no log 0); ∂J/∂Z = (softmax(Z) − Y)/m, the course's dz = ŷ − y.

    Y (C, m) holds one-hot columns (:func:`one_hot`), or any probability columns.
    """

    def forward(self, Z, Y) -> float:
        self.prediction, self.Y = _class_columns(self, Z, Y)       # (C, m) each
        log_y_hat = log_softmax(self.prediction)                   # (C, m)
        return float(-np.sum(self.Y * log_y_hat) / self._m())

    def backward(self):
        self._check_forward_ran()
        return (softmax(self.prediction) - self.Y) / self._m()    # dZ (C, m)


class CategoricalCrossEntropy(Loss):
    """The cross-entropy of probabilities A = ŷ (C, m), e.g. a :class:`Softmax` output:
    J = −(1/m) Σ Y ⊙ log A; ∂J/∂A = −Y / (m A).

    A is clipped to at least 1e-12 only so that log never sees 0. Through a Softmax layer
    this backpropagates to dZ = (ŷ − y)/m, as :class:`SoftmaxCrossEntropy` on Z does.
    """

    eps = 1e-12

    def forward(self, A, Y) -> float:
        A, self.Y = _class_columns(self, A, Y)                     # (C, m) each
        if A.min() < 0 or A.max() > 1:
            raise InputError(f"{self!r} expects probabilities between 0 and 1 (a softmax "
                             f"output), got values from {A.min():g} to {A.max():g}; for "
                             f"raw scores z use SoftmaxCrossEntropy")
        self.prediction = np.maximum(A, self.eps)                 # (C, m)
        return float(-np.sum(self.Y * np.log(self.prediction)) / self._m())

    def backward(self):
        self._check_forward_ran()
        return -self.Y / self.prediction / self._m()              # dA (C, m)


# --- training -------------------------------------------------------------------------




def _trainable(name: str, model):
    return as_model(name, model, ("forward", "backward", "parameters", "gradients"),
                    "layers.mlp([2, 3, 1], rng=rng)")


def sgd_step(model, lr: float) -> None:
    """One step of gradient descent: p ← p − lr · dp for every parameter p, in place."""
    as_model("model", model, ("parameters", "gradients"), "layers.mlp([2, 3, 1], rng=rng)")
    lr = as_learning_rate(lr)
    gradients = model.gradients()
    for name, p in model.parameters().items():
        p -= lr * gradients[name]



# --- optimisers (优化器): the update rule, with its own memory per parameter ------------


class Optimizer:
    """An update rule: ``step(model)`` moves every array of ``model.parameters()`` in place,
    using ``model.gradients()`` (so run forward and backward first).

    ``lr`` is an attribute you may change between steps (checked when set). Optimisers
    with a memory keep one array per parameter name, in dicts such as ``v`` (v_dW1,
    v_db1, ... under the keys "W1", "b1", ...): use one optimiser per model.
    """

    def __init__(self, lr: float):
        self.lr = lr

    @property
    def lr(self) -> float:
        """The learning rate α (学习率), a positive finite number."""
        return self._lr

    @lr.setter
    def lr(self, value) -> None:
        self._lr = as_learning_rate(value)

    def step(self, model) -> None:
        """p ← p − (this optimiser's update) for every parameter p, in place."""
        gradients = as_model("model", model, ("parameters", "gradients"),
                             "layers.mlp([2, 3, 1], rng=rng)").gradients()
        self._before_step()
        for name, p in model.parameters().items():
            p -= self._update(name, self._gradient(name, p, gradients))

    def _gradient(self, name: str, p: np.ndarray, gradients: dict) -> np.ndarray:
        if name not in gradients or np.shape(gradients[name]) != p.shape:
            raise InputError(f"{self!r}: the model's {name} has shape {p.shape} but its "
                             f"gradient d{name} is missing or has another shape")
        return gradients[name]

    def _before_step(self) -> None:
        """Called once per step, before the parameters are updated (Adam counts t)."""

    def _update(self, name: str, dp: np.ndarray) -> np.ndarray:
        """How much to subtract from the parameter called ``name``, given its gradient."""
        raise NotImplementedError

    def _memory(self, memory: dict, name: str, dp: np.ndarray) -> np.ndarray:
        """memory[name], created as zeros like dp at the first step."""
        if name not in memory:
            memory[name] = np.zeros_like(dp, dtype=float)
        elif memory[name].shape != dp.shape:
            raise InputError(f"{self!r} remembers {name} with shape {memory[name].shape}, "
                             f"but the model's {name} has shape {dp.shape}: use a new "
                             f"optimiser for each model")
        return memory[name]

    def _settings(self) -> dict:
        return {"lr": self.lr}

    def __repr__(self) -> str:
        settings = ", ".join(f"{key}={value!r}" for key, value in self._settings().items())
        return f"{type(self).__name__}({settings})"


class SGD(Optimizer):
    """Plain gradient descent: W ← W − α dW (the same as :func:`sgd_step`); no memory."""

    def _update(self, name, dW):
        return self.lr * dW


class Momentum(Optimizer):
    """Gradient descent with momentum (动量): v_dW = β v_dW + (1 − β) dW, W ← W − α v_dW.

    v_dW is an exponentially weighted average of the gradients (notebook 02's EMA, over
    about 1/(1 − β) steps), starting at 0, without bias correction; ``v`` holds them.
    """

    def __init__(self, lr: float, beta: float = 0.9):
        super().__init__(lr)
        self.beta = as_fraction("Momentum", "beta", beta, "0.9")
        self.v = {}                                  # v_dW for every parameter name

    def _update(self, name, dW):
        v = self._memory(self.v, name, dW)
        v *= self.beta
        v += (1.0 - self.beta) * dW                  # v = β v + (1 − β) dW
        return self.lr * v

    def _settings(self):
        return {"lr": self.lr, "beta": self.beta}


class RMSprop(Optimizer):
    """RMSprop: s_dW = β s_dW + (1 − β) dW², W ← W − α dW / (√s_dW + ε).

    s_dW averages the squared gradients, so each entry's step is divided by its typical
    size: big steps where the slope is consistently small, small where it is large.
    ``s`` holds them; ε keeps the division away from 0.
    """

    def __init__(self, lr: float, beta: float = 0.999, epsilon: float = 1e-8):
        super().__init__(lr)
        self.beta = as_fraction("RMSprop", "beta", beta, "0.999")
        self.epsilon = _epsilon("RMSprop", epsilon)
        self.s = {}                                  # s_dW for every parameter name

    def _update(self, name, dW):
        s = self._memory(self.s, name, dW)
        s *= self.beta
        s += (1.0 - self.beta) * dW ** 2             # s = β s + (1 − β) dW²
        return self.lr * dW / (np.sqrt(s) + self.epsilon)

    def _settings(self):
        return {"lr": self.lr, "beta": self.beta, "epsilon": self.epsilon}


class Adam(Optimizer):
    """Adam = momentum + RMSprop, with bias correction. At step t = 1, 2, ...:
    v_dW = β₁ v_dW + (1 − β₁) dW, s_dW = β₂ s_dW + (1 − β₂) dW²,
    v̂ = v_dW / (1 − β₁ᵗ), ŝ = s_dW / (1 − β₂ᵗ), W ← W − α v̂ / (√ŝ + ε).

    The corrections undo the start at 0 (without them the first averages are too small).
    ``v`` and ``s`` hold the averages, ``t`` counts the steps taken.
    """

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999,
                 epsilon: float = 1e-8):
        super().__init__(lr)
        self.beta1 = as_fraction("Adam", "beta1", beta1, "0.9")
        self.beta2 = as_fraction("Adam", "beta2", beta2, "0.999")
        self.epsilon = _epsilon("Adam", epsilon)
        self.v, self.s, self.t = {}, {}, 0

    def _before_step(self):
        self.t += 1

    def _update(self, name, dW):
        v, s = self._memory(self.v, name, dW), self._memory(self.s, name, dW)
        v *= self.beta1
        v += (1.0 - self.beta1) * dW                 # v = β₁ v + (1 − β₁) dW
        s *= self.beta2
        s += (1.0 - self.beta2) * dW ** 2            # s = β₂ s + (1 − β₂) dW²
        v_hat = v / (1.0 - self.beta1 ** self.t)     # bias correction
        s_hat = s / (1.0 - self.beta2 ** self.t)
        return self.lr * v_hat / (np.sqrt(s_hat) + self.epsilon)

    def _settings(self):
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2,
                "epsilon": self.epsilon}


def predict_classes(model, X, threshold: float = 0.5) -> np.ndarray:
    """The predicted class of every column of X (n, m): an int array (m,), computed in
    evaluation mode (see :func:`evaluating`).

    For C > 1 output rows, the row with the largest output (argmax: the most probable
    class); for one output row, 1 where ŷ ≥ threshold, else 0 (for a model whose output
    is z rather than σ(z), use threshold=0.0).
    """
    threshold = as_scalar("threshold", threshold)
    return _classes(_outputs(model, X), threshold)


def _outputs(model, X) -> np.ndarray:
    """The model's output for X in evaluation mode, as an array (C, m) (a 1-D output is
    one row)."""
    as_model("model", model, ("forward",), "layers.mlp([2, 3, 1], rng=rng)")
    with evaluating(model):
        Y_hat = np.asarray(model.forward(X))
    return Y_hat.reshape(1, -1) if Y_hat.ndim == 1 else Y_hat        # (C, m)


def _classes(Y_hat: np.ndarray, threshold: float) -> np.ndarray:
    """Y_hat (C, m) -> the class numbers (m,): argmax, or a threshold for one row."""
    if Y_hat.shape[0] == 1:
        return (Y_hat[0] >= threshold).astype(int)                   # (m,)
    return Y_hat.argmax(axis=0)                                      # (m,)


def accuracy(model, X, Y, threshold: float = 0.5) -> float:
    """The fraction of examples whose predicted class (:func:`predict_classes`, in
    evaluation mode) is Y's.

    One output row (a sigmoid): Y (1, m) or (m,) of 0/1 labels; for a model that outputs
    z, use threshold=0.0. C > 1 output rows: Y one-hot (C, m) or integer labels (m,).
    """
    threshold = as_scalar("threshold", threshold)
    Y_hat = _outputs(model, X)                                       # (C, m)
    predicted, (C, m) = _classes(Y_hat, threshold), Y_hat.shape      # (m,)
    Y = Y if isinstance(Y, np.ndarray) else _as_float("accuracy", "Y", Y)
    if C > 1:
        return float(np.mean(predicted == _true_classes(Y, C, m)))
    Y = _as_float("accuracy", "Y", Y)
    if Y.size != m:
        raise InputError(f"the model made {m} predictions but Y has shape {Y.shape}")
    return float(np.mean(predicted == (Y.ravel() == 1)))


def _true_classes(Y: np.ndarray, C: int, m: int) -> np.ndarray:
    """Y as class numbers (m,): from one-hot columns (C, m), or integer labels (m,)."""
    if Y.shape == (C, m):
        return _as_float("accuracy", "Y", Y).argmax(axis=0)
    if Y.shape not in [(m,), (1, m)]:
        raise InputError(f"the model made predictions for {C} classes and {m} examples, so Y "
                         f"must be one-hot of shape ({C}, {m}) or integer labels of shape "
                         f"({m},); got shape {Y.shape}")
    labels = _integer_labels("accuracy", Y)
    if labels.min() < 0 or labels.max() >= C:
        raise InputError(f"accuracy got labels from {labels.min()} to {labels.max()}, but "
                         f"the model has C = {C} classes (labels 0..{C - 1})")
    return labels


# --- pictures: a fast forward pass over a grid of points -----------------------------------


def grid_forward(model, X: np.ndarray) -> np.ndarray:
    """The forward pass of a :class:`Sequential` model in float32, for pictures only.

    The decision regions need thousands of points per frame but not 16 digits: in
    float32, NumPy's tanh and exp run about five times faster than in float64 on this
    course's machines, which keeps a live figure within its time per frame. Every layer
    of this module is known, with the same formulas as its ``forward``; a
    :class:`BatchNorm` uses its running averages (as at test time), whatever the
    model's mode. Nothing is stored in the layers, no checks, no warnings (overflow
    gives inf or NaN, which the caller handles).
    """
    as_instance("model", model, Sequential, "layers.mlp([2, 8, 1], rng=rng)")
    try:
        A = np.asarray(X, dtype=np.float32)
    except (TypeError, ValueError):
        raise InputError(f"X must be an array of numbers (2, m), got {type(X).__name__}") from None
    n_in = getattr(model[0], "n_in", getattr(model[0], "n", A.shape[0] if A.ndim else None))
    if A.ndim != 2 or A.shape[0] != n_in or not np.isfinite(A).all():
        raise InputError(f"X must be finite numbers of shape ({n_in}, m), one column per "
                         f"point, for the model's first layer; got shape {A.shape}")
    f32 = np.float32
    with np.errstate(all="ignore"):
        for layer in model:
            if isinstance(layer, Linear):
                A = layer.W.astype(f32) @ A + layer.b.astype(f32)
            elif isinstance(layer, BatchNorm):
                std = np.sqrt(layer.running_var + layer.epsilon).astype(f32)
                A = (layer.gamma.astype(f32) * (A - layer.running_mean.astype(f32)) / std
                     + layer.beta.astype(f32))
            elif isinstance(layer, ReLU):
                A = np.maximum(A, f32(0))
            elif isinstance(layer, Tanh):
                A = np.tanh(A)
            elif isinstance(layer, Sigmoid):
                e = np.exp(-np.abs(A))                     # as helpers.activations.sigmoid
                A = np.where(A >= 0, 1 / (1 + e), e / (1 + e))
            elif isinstance(layer, Softmax):
                e = np.exp(A - A.max(axis=0, keepdims=True))   # as softmax: no overflow
                A = e / e.sum(axis=0, keepdims=True)
            else:
                raise InputError(f"grid_forward does not know {layer!r}")
    return A
