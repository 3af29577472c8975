"""Checks for the exercises of notebook 03, beyond lines: sigmoid and ReLU pieces."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.activations import _sigmoid
from helpers.checks.engine import (
    Mistake,
    Verdict,
    check_function,
    error_text,
    exercise_check,
    learner_error,
    read_only,
)

__all__ = ["check_sigmoid", "check_relu_piece", "check_sigmoid_derivative",
           "check_units_forward", "check_collapse"]

_RNG = np.random.default_rng(2303)  # fixed cases, the same for every learner



# --- Exercise 1: the sigmoid ----------------------------------------------------------

_Z = read_only([np.array([-3.0, -0.5, 0.25, 1.0, 4.0]), _RNG.normal(scale=2.0, size=(2, 3)),
                np.array([-6.5])])


_MATH_ON_ARRAY = ("The math module's functions (math.exp, math.log ...) take one number "
                  "at a time, and z is an array: use np.exp, which works element by "
                  "element: {fix}.")


def _math_on_array(fn: Callable, args, name: str, fix: str) -> Verdict | None:
    """math.exp(array) raises "only ... arrays can be converted to Python scalars"."""
    error = learner_error(fn, args, name=name)
    if isinstance(error, TypeError) and "converted to Python scalars" in error_text(error):
        return Verdict(False, _MATH_ON_ARRAY.format(fix=fix))
    return None


@exercise_check
def check_sigmoid(fn: Callable) -> Verdict:
    """``fn(z)`` must return σ(z) = 1 / (1 + e^(−z)) elementwise, the shape of z."""
    verdict = _math_on_array(fn, _Z[0:1], "sigmoid", "1 / (1 + np.exp(-z))")
    if verdict is not None:
        return verdict
    return check_function(
        fn, _sigmoid, [(z,) for z in _Z],
        mistakes=[
            Mistake("The sign in the exponent has slipped: σ(z) = 1 / (1 + e^(−z)), with "
                    "a minus. With e^(+z) the curve falls instead of rising (you get "
                    "σ(−z)).", lambda z: 1.0 / (1.0 + np.exp(z))),
            Mistake("That is 1 / (1 − e^(−z)): the denominator is 1 *plus* e^(−z).",
                    lambda z: 1.0 / (1.0 - np.exp(-z))),
            Mistake("That is the denominator 1 + e^(−z) itself: σ is one *over* it.",
                    lambda z: 1.0 + np.exp(-z)),
            Mistake("np.tanh is also S-shaped, but it goes from −1 to 1; σ goes from 0 to "
                    "1: σ(z) = 1 / (1 + e^(−z)).", np.tanh),
        ], name="sigmoid")


# --- Exercise 2: one ReLU piece -------------------------------------------------------

_X = read_only(np.linspace(-2.0, 2.0, 9))
_RELU_CASES = read_only([(_X, 1.5, 0.5, 2.0), (_X, -0.8, -1.0, 1.5), (_X, 2.0, 1.0, -1.0),
                         (_RNG.uniform(-3, 3, 6), 0.7, 0.2, -2.5)])


_MAX_HINT = ("{how} does not compare element by element. Use np.maximum(0, b + w * x): "
             "it keeps, for each x, the larger of 0 and b + w·x.")


def _max_misused(fn: Callable, args) -> Verdict | None:
    """Python's max(0, array) and np.max(0, array) raise errors that say little."""
    error = learner_error(fn, args, name="relu_piece")
    if isinstance(error, ValueError) and "truth value" in error_text(error):
        return Verdict(False, _MAX_HINT.format(how="Python's max(0, array) asks "
                                                   "whether the whole array is > 0: it"))
    if isinstance(error, TypeError) and ("axis" in error_text(error)
                                         or "integer" in error_text(error)):
        return Verdict(False, _MAX_HINT.format(how="np.max(0, array) takes the "
                                                   "largest element along an axis; it"))
    return None  # the engine reports other errors


@exercise_check
def check_relu_piece(fn: Callable) -> Verdict:
    """``fn(x, c, b, w)`` must return c · max(0, b + w x) elementwise, shape of x."""
    verdict = _max_misused(fn, _RELU_CASES[0])
    if verdict is not None:
        return verdict
    return check_function(
        fn, lambda x, c, b, w: c * np.maximum(0.0, b + w * x), _RELU_CASES,
        mistakes=[
            Mistake("The max is taken of the wrong thing: ReLU acts on the whole "
                    "b + w·x, so the corner sits at x = −b/w. You took max(0, x) and "
                    "applied w and b afterwards.",
                    lambda x, c, b, w: c * (b + w * np.maximum(0.0, x))),
            Mistake("The max is taken of the wrong thing: ReLU acts on the whole "
                    "b + w·x, so the corner sits at x = −b/w. You took max(0, x) and "
                    "applied w and b afterwards.",
                    lambda x, c, b, w: c * w * np.maximum(0.0, x) + b),
            Mistake("b belongs inside the max: c·max(0, b + w·x). Added outside, it only "
                    "lifts the piece and the corner stays at x = 0.",
                    lambda x, c, b, w: c * np.maximum(0.0, w * x) + b),
            Mistake("The height c multiplies the ReLU from outside: c·max(0, b + w·x). "
                    "Inside the max, a negative c gives a different piece.",
                    lambda x, c, b, w: np.maximum(0.0, c * (b + w * x))),
            Mistake("You forgot the height c: c·max(0, b + w·x).",
                    lambda x, c, b, w: np.maximum(0.0, b + w * x)),
            Mistake("You forgot the bias b: c·max(0, b + w·x). Without it every corner "
                    "sits at x = 0.", lambda x, c, b, w: c * np.maximum(0.0, w * x)),
            Mistake("ReLU keeps the *larger* of 0 and b + w·x: np.maximum, not "
                    "np.minimum.", lambda x, c, b, w: c * np.minimum(0.0, b + w * x)),
        ], name="relu_piece")


# --- Exercise 3: the derivative of the sigmoid ----------------------------------------


@exercise_check
def check_sigmoid_derivative(fn: Callable) -> Verdict:
    """``fn(z)`` must return dσ/dz = σ(z)(1 − σ(z)) elementwise."""
    return check_function(
        fn, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z)), [(z,) for z in _Z],
        mistakes=[
            Mistake("That is σ(z) itself. Its derivative is σ(z)·(1 − σ(z)): the slope "
                    "is largest (1/4) in the middle and near 0 on both flat sides.",
                    _sigmoid),
            Mistake("That is 1 − σ(z); the derivative is σ(z)·(1 − σ(z)).",
                    lambda z: 1.0 - _sigmoid(z)),
            Mistake("That is σ(z)²; the derivative is σ(z)·(1 − σ(z)).",
                    lambda z: _sigmoid(z) ** 2),
            Mistake("A sign slip: σ(z)·(1 − σ(z)), with a minus inside the brackets.",
                    lambda z: _sigmoid(z) * (1.0 + _sigmoid(z))),
            Mistake("The brackets hold 1 − σ(z), not 1 − z: σ(z)·(1 − σ(z)).",
                    lambda z: _sigmoid(z) * (1.0 - z)),
            Mistake("The overall sign is wrong: σ rises everywhere, so its slope "
                    "σ(z)·(1 − σ(z)) is positive.",
                    lambda z: -_sigmoid(z) * (1.0 - _sigmoid(z))),
        ], name="sigmoid_derivative")


# --- Exercise 4: a layer of units in matrix form ---------------------------------------


def _units_case(n: int, n1: int, m: int):
    return (_RNG.normal(size=(n, m)), _RNG.normal(size=(n1, n)),
            _RNG.normal(size=(n1, 1)), _RNG.normal(size=n1), float(_RNG.normal()))


# Square W first (n = n1): then a transposed W still runs, and can be recognised.
_SQUARE_UNITS = read_only([_units_case(3, 3, 5), _units_case(2, 2, 4)])
_OTHER_UNITS = read_only([_units_case(3, 4, 6), _units_case(1, 5, 7)])


def _units_forward(X, W, b, c, b0):
    return c @ _sigmoid(W @ X + b) + b0


_UNITS_MISTAKES = [
    Mistake("W has one row per unit and X one column per example: r = W @ X + b. "
            "You used the transpose of W.",
            lambda X, W, b, c, b0: c @ _sigmoid(W.T @ X + b) + b0),
    Mistake("Each unit's output a must be weighted by its height c: ŷ = cᵀa + b0 "
            "(c @ a), not a plain sum of the a's.",
            lambda X, W, b, c, b0: np.sum(_sigmoid(W @ X + b), axis=0) + b0),
    Mistake("The constant b0 is missing: ŷ = cᵀa + b0.",
            lambda X, W, b, c, b0: c @ _sigmoid(W @ X + b)),
    Mistake("The activation σ is missing: without it ŷ = cᵀ(W X + b) + b0 is a linear "
            "function of x again (section 7).",
            lambda X, W, b, c, b0: c @ (W @ X + b) + b0),
    Mistake("The bias b goes *inside* σ: r = W X + b, then a = σ(r).",
            lambda X, W, b, c, b0: c @ (_sigmoid(W @ X) + b) + b0),
    Mistake("Check the sign in your sigmoid: σ(z) = 1 / (1 + e^(−z)).",
            lambda X, W, b, c, b0: c @ (1.0 / (1.0 + np.exp(W @ X + b))) + b0),
    Mistake("The wrong activation: that is ReLU, max(0, r). These units use the sigmoid, "
            "a = σ(r) (activations.sigmoid).",
            lambda X, W, b, c, b0: c @ np.maximum(0.0, W @ X + b) + b0),
    Mistake("The wrong activation: np.tanh goes from −1 to 1. These units use the "
            "sigmoid, a = σ(r) (activations.sigmoid), from 0 to 1.",
            lambda X, W, b, c, b0: c @ np.tanh(W @ X + b) + b0),
    Mistake("The wrong activation: that is the hard sigmoid, clip(r, 0, 1). These units "
            "use the smooth sigmoid, a = σ(r) (activations.sigmoid).",
            lambda X, W, b, c, b0: c @ np.clip(W @ X + b, 0.0, 1.0) + b0),
    Mistake("The bias b of the units is missing: r = W X + b, then a = σ(r).",
            lambda X, W, b, c, b0: c @ _sigmoid(W @ X) + b0),
]


@exercise_check
def check_units_forward(fn: Callable) -> Verdict:
    """``fn(X, W, b, c, b0)`` must return ŷ = cᵀσ(W X + b) + b0, shape (m,), for X (n, m),
    W (n1, n), b (n1, 1), c (n1,) and a number b0."""
    verdict = _math_on_array(fn, _SQUARE_UNITS[0], "units_forward",
                             "activations.sigmoid(r), or 1 / (1 + np.exp(-r))")
    if verdict is not None:
        return verdict
    verdict = check_function(fn, _units_forward, _SQUARE_UNITS, mistakes=_UNITS_MISTAKES,
                             name="units_forward")
    if not verdict:
        return verdict
    return check_function(fn, _units_forward, _SQUARE_UNITS + _OTHER_UNITS,
                          mistakes=_UNITS_MISTAKES, name="units_forward")


# --- Exercise 5: two linear layers collapse into one ----------------------------------


def _layers_case(n: int, n1: int, n2: int):
    return (_RNG.normal(size=(n1, n)), _RNG.normal(size=(n1, 1)),
            _RNG.normal(size=(n2, n1)), _RNG.normal(size=(n2, 1)))


_SQUARE_LAYERS = read_only([_layers_case(3, 3, 3), _layers_case(2, 2, 2)])
_OTHER_LAYERS = read_only([_layers_case(3, 5, 2), _layers_case(1, 4, 1)])

_COLLAPSE_MISTAKES = [
    Mistake("The order of the product matters: x meets W1 first, so W2 (W1 x) = "
            "(W2 @ W1) x. W1 @ W2 is a different matrix.",
            lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2)),
    Mistake("That is the transpose of the answer: (W2 W1)ᵀ = W1ᵀ W2ᵀ. "
            "Use W2 @ W1.",
            lambda W1, b1, W2, b2: (W1.T @ W2.T, W2 @ b1 + b2)),
    Mistake("W2 * W1 multiplies element by element; the layers compose by the matrix "
            "product W2 @ W1.",
            lambda W1, b1, W2, b2: (W2 * W1, W2 @ b1 + b2)),
    Mistake("b1 also passes through the second layer: W2 (W1 x + b1) + b2 = "
            "(W2 W1) x + (W2 b1 + b2).",
            lambda W1, b1, W2, b2: (W2 @ W1, b1 + b2)),
    Mistake("The second layer's own bias b2 is missing: b = W2 @ b1 + b2.",
            lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1)),
    Mistake("b1 also passes through the second layer: W2 (W1 x + b1) + b2 = "
            "(W2 W1) x + (W2 b1 + b2). Only the weights got multiplied.",
            lambda W1, b1, W2, b2: (W2 @ W1, b2)),
]


@exercise_check
def check_collapse(fn: Callable) -> Verdict:
    """``fn(W1, b1, W2, b2)`` must return ``(W, b)`` with W2 (W1 x + b1) + b2 = W x + b:
    W = W2 @ W1 (n2, n), b = W2 @ b1 + b2 (n2, 1)."""
    def reference(W1, b1, W2, b2):
        return W2 @ W1, W2 @ b1 + b2

    verdict = check_function(fn, reference, _SQUARE_LAYERS, mistakes=_COLLAPSE_MISTAKES,
                             outputs=("W", "b"), name="collapse")
    if not verdict:
        return verdict
    return check_function(fn, reference, _SQUARE_LAYERS + _OTHER_LAYERS,
                          mistakes=_COLLAPSE_MISTAKES, outputs=("W", "b"), name="collapse")
