"""Small plot helpers. Each takes the axes to draw on and returns what it drew."""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps, colors

from helpers.validate import InputError, as_axes, as_count, as_flag, as_matrix, as_vector


def error_surface(ws, bs, surface, *, ax=None, levels: int = 25, log: bool = True,
                  cmap: str = "viridis", colorbar: bool = True):
    """Filled contours of a loss L(w, b) over a grid (the error surface, 误差曲面).

    ``surface`` has shape (len(bs), len(ws)), as :func:`helpers.linear.loss_surface`
    returns. Draws on ``ax`` (default: the current pyplot axes) and returns the
    contours. With ``log=True`` the colours follow log L, so the valley stays visible.
    """
    ws, bs = as_vector("ws", ws), as_vector("bs", bs)
    surface = as_matrix("surface", surface)
    levels = as_count("levels", levels, minimum=2)
    log, colorbar = as_flag("log", log), as_flag("colorbar", colorbar)
    if not (isinstance(cmap, colors.Colormap) or isinstance(cmap, str) and cmap in colormaps):
        raise InputError(f"cmap must be the name of a matplotlib colour map, such as "
                         f"'viridis', or a Colormap; got {cmap!r}")
    if surface.shape != (bs.size, ws.size):
        raise InputError(f"surface has shape {surface.shape}; with {ws.size} values of w "
                         f"and {bs.size} of b it must be (len(bs), len(ws)) = "
                         f"({bs.size}, {ws.size})")
    if log and not surface.min() > 0:
        raise InputError("a log colour scale needs a positive surface: pass log=False")
    if not surface.max() > surface.min():
        raise InputError("the surface is flat (one value everywhere): nothing to contour")
    ax = as_axes(ax)
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
