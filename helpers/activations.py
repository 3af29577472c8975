"""Activation functions (激活函数) and their derivatives, elementwise on any shape.

A building block of the whole course: notebook 03 meets them one by one, notebook 04's
logistic regression is a sigmoid of a line, and the layers of :mod:`helpers.layers` (05
onwards) apply them to whole matrices.

Every activation sits next to its derivative; the unit tests check each derivative
against finite differences.
"""

from __future__ import annotations

import numpy as np

from helpers.validate import InputError, as_array

# Each public function checks its input (numbers, no NaN or infinity) and calls the
# unchecked one with a leading underscore, which the training loops use: there an
# overflow must reach the divergence check, not stop with an error.


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise; never overflows.

    The textbook formula overflows for z < −709 (e^(−z) is too big for a float64). Here
    the exponent is always −|z| ≤ 0, so e^(−|z|) lies in (0, 1]; for z < 0 we use the
    same value written as σ(z) = e^z / (1 + e^z).
    """
    return _sigmoid(as_array("z", z))


def _sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # in (0, 1]
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z):
    """dσ/dz = σ(z) (1 − σ(z)), elementwise: 1/4 at z = 0, tiny for large |z|."""
    return _sigmoid_derivative(as_array("z", z))


def _sigmoid_derivative(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def hard_sigmoid(z):
    """The hard sigmoid: 0 for z ≤ 0, z on [0, 1], 1 for z ≥ 1 (a ramp between flats)."""
    return _hard_sigmoid(as_array("z", z))


def _hard_sigmoid(z):
    return np.clip(np.asarray(z, dtype=float), 0.0, 1.0)


def hard_sigmoid_derivative(z):
    """1 on the ramp 0 < z < 1, else 0 (at the two corners we take 0)."""
    return _hard_sigmoid_derivative(as_array("z", z))


def _hard_sigmoid_derivative(z):
    z = np.asarray(z, dtype=float)
    return ((z > 0) & (z < 1)).astype(float)


def relu(z):
    """ReLU(z) = max(0, z), elementwise (线性整流, rectified linear unit)."""
    return _relu(as_array("z", z))


def _relu(z):
    return np.maximum(0.0, np.asarray(z, dtype=float))


def relu_derivative(z):
    """1 where z > 0, else 0 (at the corner z = 0 we take 0)."""
    return _relu_derivative(as_array("z", z))


def _relu_derivative(z):
    return (np.asarray(z, dtype=float) > 0).astype(float)


def linear_activation(z):
    """The identity: a "layer without an activation function"."""
    return _linear_activation(as_array("z", z))


def _linear_activation(z):
    return np.asarray(z, dtype=float)


def linear_activation_derivative(z):
    """1 everywhere."""
    return _linear_activation_derivative(as_array("z", z))


def _linear_activation_derivative(z):
    return np.ones_like(np.asarray(z, dtype=float))


#: name -> (function, derivative)
ACTIVATIONS = {
    "sigmoid": (_sigmoid, _sigmoid_derivative),
    "hard sigmoid": (_hard_sigmoid, _hard_sigmoid_derivative),
    "ReLU": (_relu, _relu_derivative),
    "linear": (_linear_activation, _linear_activation_derivative),
}


def by_name(activation: str):
    """(function, derivative) of the activation called ``activation`` (see ACTIVATIONS)."""
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise InputError(f"activation must be one of {sorted(ACTIVATIONS)}, "
                         f"not {activation!r}")
    return ACTIVATIONS[activation]
