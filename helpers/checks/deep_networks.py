"""Checks for the exercises of notebook 05, deep networks and backpropagation.

The layer library's convention holds throughout: the loss's backward already divides by
m, so a layer's dW = dZ A_prevᵀ and db = Σ dZ over the examples, with no 1/m of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from helpers.activations import _relu, _sigmoid
from helpers.checks.engine import (
    Mistake,
    TimedOut,
    Verdict,
    call_learner,
    check_function,
    exercise_check,
    learner_parts,
    read_only,
)
from helpers.gradcheck import numerical_gradient

__all__ = ["check_n_parameters", "check_two_layer_forward", "check_relu_backward",
           "check_dense_backward", "check_two_layer_backward", "check_numerical_gradient"]

_RNG = np.random.default_rng(2505)  # fixed cases, the same for every learner




# --- Exercise 1: counting weights and biases --------------------------------------------

_SIZES = [([5, 6],), ([5, 6, 1],), ([2, 8, 8, 1],), ([784, 16, 16, 1],), ([3, 3, 3],),
          ([1, 4, 1],)]


def _pairs(sizes):
    return list(zip(sizes[:-1], sizes[1:], strict=True))


def _n_parameters(sizes):
    return sum(n_out * n_in + n_out for n_in, n_out in _pairs(sizes))


@exercise_check
def check_n_parameters(fn: Callable) -> Verdict:
    """``fn(sizes)`` must return the number of weights and biases of a fully connected
    network with layer sizes [n, n^[1], ..., n^[L]]: Σ (n^[l]·n^[l−1] + n^[l])."""
    return check_function(
        fn, _n_parameters, _SIZES,
        mistakes=[
            Mistake("You counted the weights but not the biases: every unit of layer l "
                    "also has one bias, so each layer adds n^[l] more.",
                    lambda s: sum(o * i for i, o in _pairs(s))),
            Mistake("The input layer has no biases (it only holds x): only layers 1 to L "
                    "have one bias per unit.",
                    lambda s: sum(o * i for i, o in _pairs(s)) + sum(s)),
            Mistake("A layer has one bias per unit of *that* layer, n^[l], not one per "
                    "input n^[l−1]: b^[l] has shape (n^[l], 1).",
                    lambda s: sum(o * i + i for i, o in _pairs(s))),
            Mistake("W^[l] has n^[l] × n^[l−1] entries and b^[l] has n^[l]: the bias is one "
                    "number per unit, not an extra row and column.",
                    lambda s: sum((o + 1) * (i + 1) for i, o in _pairs(s))),
            Mistake("Weights only connect *consecutive* layers: add n^[l]·n^[l−1] + n^[l] "
                    "over l = 1 … L instead of multiplying all the sizes.",
                    lambda s: int(np.prod(s))),
            Mistake("That is the number of units (the circles), not of parameters (the "
                    "lines and the biases).", lambda s: sum(s)),
            Mistake("Only the first layer is counted: add up every layer l = 1 … L.",
                    lambda s: s[1] * s[0] + s[1]),
        ], name="n_parameters")


# --- Exercise 2: the forward pass of a two-layer network --------------------------------


def _forward_case(n: int, n1: int, m: int):
    return (_RNG.normal(size=(n, m)), _RNG.normal(size=(n1, n)), _RNG.normal(size=(n1, 1)),
            _RNG.normal(size=(1, n1)), _RNG.normal(size=(1, 1)))


# Square W1 first (n = n1): then a transposed W1 still runs, and can be recognised.
_SQUARE_FORWARD = read_only([_forward_case(3, 3, 5), _forward_case(2, 2, 4)])
_OTHER_FORWARD = read_only([_forward_case(4, 3, 6), _forward_case(2, 5, 3)])


def _two_layer_forward(X, W1, b1, W2, b2):
    return _sigmoid(W2 @ _relu(W1 @ X + b1) + b2)


_FORWARD_MISTAKES = [
    Mistake("W1 has one row per unit of layer 1 and X one column per example: "
            "z1 = W1 @ X + b1. You used the transpose of W1.",
            lambda X, W1, b1, W2, b2: _sigmoid(W2 @ _relu(W1.T @ X + b1) + b2)),
    Mistake("That is z2 = W2 a1 + b2, the output layer before its activation: the "
            "prediction is a2 = σ(z2), a probability between 0 and 1.",
            lambda X, W1, b1, W2, b2: W2 @ _relu(W1 @ X + b1) + b2),
    Mistake("The hidden layer's ReLU is missing: without it the two layers collapse "
            "into one linear map (notebook 03).",
            lambda X, W1, b1, W2, b2: _sigmoid(W2 @ (W1 @ X + b1) + b2)),
    Mistake("The hidden layer uses ReLU, a1 = max(0, z1); σ belongs to the output layer "
            "only.", lambda X, W1, b1, W2, b2: _sigmoid(W2 @ _sigmoid(W1 @ X + b1) + b2)),
    Mistake("The output layer uses σ, not ReLU: a2 = σ(z2) is a probability.",
            lambda X, W1, b1, W2, b2: _relu(W2 @ _relu(W1 @ X + b1) + b2)),
    Mistake("The bias b1 goes *inside* the ReLU: z1 = W1 X + b1, then a1 = max(0, z1).",
            lambda X, W1, b1, W2, b2: _sigmoid(W2 @ (_relu(W1 @ X) + b1) + b2)),
    Mistake("The bias b2 is missing: z2 = W2 a1 + b2.",
            lambda X, W1, b1, W2, b2: _sigmoid(W2 @ _relu(W1 @ X + b1))),
    Mistake("Check the sign in your sigmoid: σ(z) = 1 / (1 + e^(−z)).",
            lambda X, W1, b1, W2, b2: 1.0 / (1.0 + np.exp(W2 @ _relu(W1 @ X + b1) + b2))),
]


@exercise_check
def check_two_layer_forward(fn: Callable) -> Verdict:
    """``fn(X, W1, b1, W2, b2)`` must return a2 = σ(W2 ReLU(W1 X + b1) + b2), shape (1, m),
    for X (n, m), W1 (n1, n), b1 (n1, 1), W2 (1, n1), b2 (1, 1)."""
    verdict = check_function(fn, _two_layer_forward, _SQUARE_FORWARD,
                             mistakes=_FORWARD_MISTAKES, name="two_layer_forward")
    if not verdict:
        return verdict
    return check_function(fn, _two_layer_forward, _SQUARE_FORWARD + _OTHER_FORWARD,
                          mistakes=_FORWARD_MISTAKES, name="two_layer_forward")


# --- Exercise 3: the backward pass of ReLU ---------------------------------------------


def _away_from_zero(shape):
    """Random numbers, none closer than 0.05 to 0 (ReLU has no slope at 0)."""
    z = _RNG.normal(size=shape)
    return np.where(np.abs(z) < 0.05, np.sign(z + 1e-9) * 0.3, z)


_RELU_CASES = read_only([(_RNG.normal(size=(3, 4)), _away_from_zero((3, 4))),
                         (_RNG.normal(size=(2, 6)), _away_from_zero((2, 6))),
                         (np.array([[1.5, -2.0, 0.7, 3.0]]), np.array([[2.0, 1.0, -0.5, -3.0]]))])


@exercise_check
def check_relu_backward(fn: Callable) -> Verdict:
    """``fn(dA, Z)`` must return dZ = dA ⊙ ReLU′(Z): dA where Z > 0, else 0."""
    return check_function(
        fn, lambda dA, Z: dA * (Z > 0), _RELU_CASES,
        mistakes=[
            Mistake("The chain rule multiplies: dZ = dA ⊙ ReLU′(Z). You returned ReLU′(Z) "
                    "alone, without the gradient dA that arrives from the layer above.",
                    lambda dA, Z: (Z > 0).astype(float)),
            Mistake("ReLU's slope is 1 where z > 0 and 0 elsewhere; you multiplied dA by z "
                    "itself.", lambda dA, Z: dA * Z),
            Mistake("You multiplied dA by ReLU(z) = max(0, z), the *value*; the chain rule "
                    "needs the *slope*, 1 where z > 0 and 0 elsewhere.",
                    lambda dA, Z: dA * _relu(Z)),
            Mistake("You applied the ReLU to the gradient. Which entries pass is decided by "
                    "Z (the forward pass), not by the sign of dA.",
                    lambda dA, Z: _relu(dA)),
            Mistake("The gate is the wrong way round: the gradient passes where z > 0 (the "
                    "unit was active), not where z < 0.", lambda dA, Z: dA * (Z < 0)),
            Mistake("A sign slip: dZ = dA ⊙ ReLU′(Z), and the slope is +1 (not −1) where "
                    "z > 0.", lambda dA, Z: -dA * (Z > 0)),
        ], name="relu_backward")


# --- Exercise 4: the backward pass of a dense layer -------------------------------------


def _dense_case(n_in: int, n_out: int, m: int):
    return (_RNG.normal(size=(n_out, m)) / m, _RNG.normal(size=(n_in, m)),
            _RNG.normal(size=(n_out, n_in)))


# Square first (n_in = n_out = m): then a transposed dW or W still has the right shape.
_SQUARE_DENSE = read_only([_dense_case(3, 3, 3), _dense_case(2, 2, 2)])
_OTHER_DENSE = read_only([_dense_case(4, 3, 5), _dense_case(2, 5, 6), _dense_case(3, 1, 4)])


def _dense_backward(dZ, A_prev, W):
    return dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True), W.T @ dZ


_DW_MISTAKES = [
    Mistake("dW must have the shape of W, (n_out, n_in): dW = dZ @ A_prev.T. You "
            "computed its transpose (A_prev @ dZ.T).", lambda dZ, A, W: A @ dZ.T),
    Mistake("The 1/m is already inside dZ (the loss's backward divides by m): "
            "dW = dZ @ A_prev.T, without dividing again.",
            lambda dZ, A, W: dZ @ A.T / dZ.shape[1]),
    Mistake("A sign slip: dW = dZ @ A_prev.T, with a plus. The minus belongs to the "
            "update W ← W − lr·dW, not to the gradient.", lambda dZ, A, W: -(dZ @ A.T)),
    Mistake("dZ @ A_prev.T sums over the examples; dZ * A_prev would multiply entry by "
            "entry. With these square arrays that runs, but it is not the gradient.",
            lambda dZ, A, W: dZ * A),
]

_DB_MISTAKES = [
    Mistake("db sums dZ over the examples, which are the *columns*: "
            "dZ.sum(axis=1, keepdims=True). You summed over axis 0, the units.",
            lambda dZ, A, W: dZ.sum(axis=0, keepdims=True)),
    Mistake("db must have the shape of b, (n_out, 1): add keepdims=True, "
            "dZ.sum(axis=1, keepdims=True).", lambda dZ, A, W: dZ.sum(axis=1)),
    Mistake("db sums dZ over the examples, which are the *columns*: axis=1, not axis=0.",
            lambda dZ, A, W: dZ.sum(axis=0)),
    Mistake("db is one number per unit, (n_out, 1): sum dZ over the examples only "
            "(axis=1, keepdims=True), not over everything.", lambda dZ, A, W: dZ.sum()),
    Mistake("The 1/m is already inside dZ (the loss's backward divides by m): db is the "
            "plain sum, dZ.sum(axis=1, keepdims=True), not the mean.",
            lambda dZ, A, W: dZ.mean(axis=1, keepdims=True)),
    Mistake("A sign slip: db = +Σ dZ over the examples.",
            lambda dZ, A, W: -dZ.sum(axis=1, keepdims=True)),
]

_DA_MISTAKES = [
    Mistake("The gradient flows back through the *transpose*: dA_prev = W.T @ dZ (shape "
            "(n_in, m)). W @ dZ runs here only because W is square.",
            lambda dZ, A, W: W @ dZ),
    Mistake("dA_prev needs W, not the layer's input: dA_prev = W.T @ dZ (z = W a_prev + b, "
            "so ∂z/∂a_prev = W).", lambda dZ, A, W: A.T @ dZ),
    Mistake("A sign slip: dA_prev = +W.T @ dZ.", lambda dZ, A, W: -(W.T @ dZ)),
    Mistake("The 1/m is already inside dZ: dA_prev = W.T @ dZ, without dividing by m.",
            lambda dZ, A, W: W.T @ dZ / dZ.shape[1]),
]

_DENSE_PARTS = [(0, "dW", _DW_MISTAKES), (1, "db", _DB_MISTAKES),
                (2, "dA_prev", _DA_MISTAKES)]


@exercise_check
def check_dense_backward(fn: Callable) -> Verdict:
    """``fn(dZ, A_prev, W)`` must return ``(dW, db, dA_prev)`` of a dense layer
    z = W a_prev + b: dW = dZ A_prevᵀ (n_out, n_in), db = Σ dZ over the examples
    (n_out, 1), dA_prev = Wᵀ dZ (n_in, m). dZ already holds the 1/m."""
    cases = _SQUARE_DENSE + _OTHER_DENSE
    outputs = ("dW", "db", "dA_prev")
    verdict = check_function(fn, _dense_backward, cases, outputs=outputs,
                             name="dense_backward")
    if verdict or "in the order" in verdict.message or "returned None as" in verdict.message:
        return verdict  # right, or right values in another order, or a part missing
    for group in (_SQUARE_DENSE, cases):  # square first: there every wrong part still runs
        try:
            runs = all(isinstance(r, (tuple, list)) and len(r) == 3
                       for r in (call_learner(fn, args, name="dense_backward")
                                 for args in group))
        except TimedOut:
            raise  # that is the verdict
        except Exception:
            runs = False
        if not runs:
            return verdict  # it says which input raised, or what came back
        for index, label, mistakes in _DENSE_PARTS:
            part = check_function(lambda *args, i=index: fn(*args)[i],
                                  lambda *args, i=index: _dense_backward(*args)[i], group,
                                  mistakes=mistakes, name=f"{label} of dense_backward")
            if not part:
                return part
    return verdict


# --- Exercise 5: the gradient by finite differences -------------------------------------


@dataclass(frozen=True)
class _Function:
    """A test function with a readable name (a lambda would print its memory address).
    Frozen: the learner's function receives this very object, and cannot change it."""

    text: str
    f: Callable

    def __call__(self, p):
        return float(self.f(p))

    def __repr__(self) -> str:
        return self.text


def _central(f, p, eps):
    return numerical_gradient(f, p, eps)  # the course's one reference


def _one_sided(f, p, eps):
    p = np.array(p, dtype=float)
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        step = np.zeros_like(p)
        step[i] = eps
        grad[i] = (f(p + step) - f(p)) / eps
    return grad


def _all_at_once(f, p, eps):
    p = np.array(p, dtype=float)
    return np.full_like(p, (f(p + eps) - f(p - eps)) / (2 * eps))


def _never_restored(f, p, eps):
    """Nudges p in place, up then down, and never puts it back."""
    p = np.array(p, dtype=float)
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        p[i] += eps
        up = f(p)
        p[i] -= 2 * eps
        grad[i] = (up - f(p)) / (2 * eps)
    return grad


_CUBIC = _Function("f(p) = Σ p³ + p₀·p₁", lambda p: np.sum(p ** 3) + p.flat[0] * p.flat[1])
_WAVE = _Function("f(P) = Σ P·sin(P)", lambda p: np.sum(p * np.sin(p)))
_GRADIENT_CASES = read_only([(_CUBIC, np.array([0.5, -1.2, 2.0]), 1e-3),
                             (_WAVE, np.array([[0.3, -1.0, 2.0], [1.5, -0.4, 0.8]]), 1e-3),
                             (_CUBIC, np.array([1.0, 2.0]), 1e-4)])


@exercise_check
def check_numerical_gradient(fn: Callable) -> Verdict:
    """``fn(f, p, eps)`` must return the central differences (f(p + eps·eᵢ) −
    f(p − eps·eᵢ)) / 2eps for every entry i of p, an array of p's shape."""
    verdict = _check_numerical_gradient(fn)
    if verdict or not verdict.message.startswith("numerical_gradient("):
        return verdict  # right, or it raised, or returned something that is not numbers
    f, p, _ = _GRADIENT_CASES[0]
    try:
        slopes = [learner_parts(call_learner(fn, (f, p, eps), name="numerical_gradient"),
                                name="numerical_gradient", where="numerical_gradient")[0]
                  for eps in (1e-2, 1e-1)]
    except TimedOut:
        raise
    except Exception:
        return verdict
    if slopes[0].shape == slopes[1].shape and np.array_equal(slopes[0], slopes[1]):
        return Verdict(False, f"{verdict.message} Your result is the same for eps = 0.01 "
                              f"and eps = 0.1: the function ignores its eps argument (a "
                              f"step fixed inside it?). Nudge by the eps it is given.")
    return verdict


def _check_numerical_gradient(fn: Callable) -> Verdict:
    return check_function(
        fn, _central, _GRADIENT_CASES,
        mistakes=[
            Mistake("Divide by 2·eps: p + eps and p − eps are 2·eps apart. Your slopes are "
                    "twice too large.", lambda f, p, eps: 2 * _central(f, p, eps)),
            Mistake("A sign slip: the slope is (f(p + eps) − f(p − eps)) / 2eps, the upper "
                    "point first.", lambda f, p, eps: -_central(f, p, eps)),
            Mistake("That is the one-sided difference (f(p + eps) − f(p)) / eps. It is "
                    "close, but its error shrinks only like eps; the central difference's "
                    "shrinks like eps², which is why gradient checking uses it.",
                    _one_sided),
            Mistake("Nudge one entry at a time: p + eps moves *every* entry, and gives one "
                    "slope along the diagonal, not the partial derivative of each entry.",
                    _all_at_once),
            Mistake("After nudging p[i] up and down, put it back (p[i] += eps) before the "
                    "next entry, or work on a copy: your later entries were measured at a "
                    "shifted point.", _never_restored),
        ], name="numerical_gradient")


# --- Exercise: the backward pass of a whole two-layer network ---------------------------


def _backward_case(n: int, n1: int, m: int):
    X, W1, b1, W2, b2 = _forward_case(n, n1, m)
    Y = (_RNG.random(size=(1, m)) < 0.5).astype(float)
    Y[0, :2] = 0.0, 1.0  # both classes in every case
    return X, Y, W1, b1, W2, b2


# Square W1 first (n = n1): then a transposed dW1 still has the right shape.
_SQUARE_BACKWARD = read_only([_backward_case(3, 3, 5), _backward_case(2, 2, 4)])
_OTHER_BACKWARD = read_only([_backward_case(4, 3, 6), _backward_case(2, 5, 3)])


def _two_layer_backward(X, Y, W1, b1, W2, b2, *, gate=True, dz2="right", extra_m=False,
                        db_axis=1, transpose=False, gate_by_value=False):
    """The reference (with no keyword) and, with one keyword changed, a typical slip."""
    m = X.shape[1]
    Z1 = W1 @ X + b1                     # (n1, m)
    A1 = _relu(Z1)                       # (n1, m)
    A2 = _sigmoid(W2 @ A1 + b2)          # (1, m)
    dZ2 = {"right": (A2 - Y) / m, "no m": A2 - Y, "sign": (Y - A2) / m,
           "sigma again": (A2 - Y) * A2 * (1 - A2) / m}[dz2]          # (1, m)
    dA1 = W2.T @ dZ2                                                    # (n1, m)
    dZ1 = dA1 * A1 if gate_by_value else dA1 * (Z1 > 0) if gate else dA1  # (n1, m)
    again = m if extra_m else 1          # "all": every gradient, "dW": the dW's only
    dW1 = (X @ dZ1.T if transpose else dZ1 @ X.T) / again               # (n1, n)
    dW2 = (A1 @ dZ2.T if transpose else dZ2 @ A1.T) / again             # (1, n1)
    again = m if extra_m == "all" else 1
    db1 = dZ1.sum(axis=db_axis, keepdims=True) / again                  # (n1, 1)
    db2 = dZ2.sum(axis=db_axis, keepdims=True) / again                  # (1, 1)
    return dW1, db1, dW2, db2


def _slip(**slip):
    return lambda *args: _two_layer_backward(*args, **slip)


_BACKWARD_MISTAKES = [
    Mistake("You forgot the ReLU's derivative: dZ1 = dA1 ⊙ ReLU′(Z1) = dA1 * (Z1 > 0). "
            "Without it the gradient also flows through the units that were off.",
            _slip(gate=False)),
    Mistake("ReLU′ is the slope (1 where Z1 > 0, else 0), not the value: dZ1 = "
            "dA1 * (Z1 > 0), not dA1 * A1.", _slip(gate_by_value=True)),
    Mistake("You forgot the 1/m: the cost J is the *mean* of the losses, so dZ2 = "
            "(A2 − Y) / m. Your gradients are m times too large.", _slip(dz2="no m")),
    Mistake("You put the 1/m in twice: dZ2 = (A2 − Y) / m already holds it, so dW = dZ "
            "A_prevᵀ and db = Σ dZ need no second division by m.", _slip(extra_m="all")),
    Mistake("You put the 1/m in twice for dW1 and dW2: dZ2 = (A2 − Y) / m already holds "
            "it, so dW = dZ A_prevᵀ, with no second division by m.", _slip(extra_m="dW")),
    Mistake("Wrong transpose: dW1 = dZ1 @ X.T has the shape of W1, (n1, n), and "
            "dW2 = dZ2 @ A1.T that of W2. You computed X @ dZ1.T and A1 @ dZ2.T.",
            _slip(transpose=True)),
    Mistake("db sums dZ over the examples, which are the *columns*: "
            "dZ.sum(axis=1, keepdims=True). You summed over axis 0.", _slip(db_axis=0)),
    Mistake("dZ2 = A2 − Y (divided by m) already contains σ′: the cross-entropy's "
            "derivative and σ's slope cancel (section 3.1). You multiplied by "
            "A2 (1 − A2) a second time.", _slip(dz2="sigma again")),
    Mistake("A sign slip: dZ2 = (A2 − Y) / m, the prediction minus the label.",
            _slip(dz2="sign")),
]


@exercise_check
def check_two_layer_backward(fn: Callable) -> Verdict:
    """``fn(X, Y, W1, b1, W2, b2)`` must return ``(dW1, db1, dW2, db2)``, the gradients of
    the mean cross-entropy J of a2 = σ(W2 ReLU(W1 X + b1) + b2) for labels Y (1, m)."""
    outputs = ("dW1", "db1", "dW2", "db2")
    verdict = check_function(fn, _two_layer_backward, _SQUARE_BACKWARD,
                             mistakes=_BACKWARD_MISTAKES, outputs=outputs,
                             name="two_layer_backward")
    if not verdict:
        return verdict
    return check_function(fn, _two_layer_backward, _SQUARE_BACKWARD + _OTHER_BACKWARD,
                          mistakes=_BACKWARD_MISTAKES, outputs=outputs,
                          name="two_layer_backward")
