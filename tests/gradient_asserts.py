"""Comparing an analytic gradient with a numerical one, for the tests of helpers.layers
(computed here independently of helpers.gradcheck, which is itself under test), and the
activations' names and corners, for the tests of the activations and of what is built on
them."""

import numpy as np


def relative_error(analytic, numeric) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖); the shapes must agree."""
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    assert analytic.shape == numeric.shape
    scale = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-300)
    return float(np.linalg.norm(analytic - numeric) / scale)


def assert_gradient(analytic, numeric, tol=1e-6):
    error = relative_error(analytic, numeric)
    assert error < tol, f"relative error {error:.2e}\nanalytic\n{analytic}\nnumeric\n{numeric}"


ACTIVATION_NAMES = ["sigmoid", "hard sigmoid", "ReLU", "linear"]


def away_from_corners(z, corners=(0.0, 1.0), margin=1e-3):
    """Move values off the corners of ReLU / hard sigmoid, where no derivative exists."""
    z = np.array(z, dtype=float)
    for corner in corners:
        near = np.abs(z - corner) < margin
        z[near] = corner + 2 * margin
    return z
