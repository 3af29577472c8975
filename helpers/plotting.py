"""Small plot helpers. Each takes the axes to draw on and returns what it drew."""

from __future__ import annotations

import numpy as np
from matplotlib import colors


def error_surface(ax, ws, bs, surface, *, levels: int = 25, log: bool = True,
                  cmap: str = "viridis", colorbar: bool = True):
    """Filled contours of a loss L(w, b) over a grid (the error surface, 误差曲面).

    ``surface`` has shape (len(bs), len(ws)), as :func:`helpers.linear.loss_surface`
    returns. With ``log=True`` the colours follow log L, so the valley stays visible.
    """
    surface = np.asarray(surface, dtype=float)
    if log:
        low, high = surface.min(), surface.max()
        levels_ = np.geomspace(max(low, high * 1e-6), high, levels)
        norm = colors.LogNorm(levels_[0], levels_[-1])
    else:
        levels_, norm = levels, None
    filled = ax.contourf(ws, bs, surface, levels=levels_, norm=norm, cmap=cmap)
    ax.set_xlabel("w")
    ax.set_ylabel("b")
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label="L(w, b)")
    return filled
