"""Plot helpers draw what they promise and reject what they cannot draw."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import linear, plotting


def test_error_surface_draws_filled_contours_on_the_given_axes():
    x = np.linspace(0, 1, 20)
    ws, bs = np.linspace(-1, 3, 30), np.linspace(-2, 2, 20)
    surface = linear.loss_surface(x, 1 + 2 * x, ws, bs)
    fig, ax = plt.subplots()
    contours = plotting.error_surface(ws, bs, surface + 1e-3, ax=ax)
    assert contours.axes is ax and ax.get_xlabel() == "w" and len(fig.axes) == 2  # colorbar
    plt.close(fig)


@pytest.mark.parametrize("surface, error", [
    (np.ones((20, 30)), "flat"),
    (np.zeros((20, 30)), "positive"),
    (np.ones((30, 20)), "must be"),
    (np.full((20, 30), np.nan), "NaN"),
])
def test_error_surface_rejects_what_it_cannot_draw(surface, error):
    with pytest.raises(ValueError, match=error):
        plotting.error_surface(np.linspace(0, 1, 30), np.linspace(0, 1, 20), surface)
