"""Drawing: artists for the course's figures that must be fast inside a live figure.

A building block: :class:`PixelImage` shows a small colour image (decision regions) that
fills an axes, without ``imshow``'s resampling (notebooks 05 and 08).
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist

from helpers.validate import InputError, as_axes


class PixelImage(Artist):
    """A colour image that fills an axes, drawn pixel for pixel (nearest neighbour).

    ``imshow`` resamples its data for every frame (5-10 ms for an axes of 400 × 400
    pixels); this artist enlarges the small image by repeating rows and columns and hands
    the pixels straight to the renderer (about 0.2 ms). ``set_data(rgba)`` takes an array
    (rows, columns, 4) of uint8 whose row 0 is the *bottom* of the axes (origin="lower").
    For figures drawn into a pixel buffer (Agg), as :mod:`helpers.live` does.
    """

    def __init__(self, ax, rgba: np.ndarray):
        super().__init__()
        self.axes_box = as_axes(ax).bbox
        self.set_data(rgba)

    def set_data(self, rgba: np.ndarray) -> None:
        try:
            rgba = np.asarray(rgba)
        except ValueError:  # a ragged list
            rgba = np.asarray(None)
        if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8 or 0 in rgba.shape:
            raise InputError(f"PixelImage needs uint8 RGBA data of shape (rows, columns, 4) as "
                             f"rgba, got {rgba.dtype} of shape {rgba.shape}")
        self.rgba = rgba
        self.stale = True

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        x0, y0, x1, y1 = np.round(self.axes_box.extents).astype(int)
        rows, columns = self.rgba.shape[:2]
        # the renderer fills pixel rows from the bottom up: pixel i shows row ⌊i·rows/height⌋
        which_rows = np.arange(y1 - y0) * rows // (y1 - y0)
        which_columns = np.arange(x1 - x0) * columns // (x1 - x0)
        pixels = self.rgba.take(which_rows, axis=0).take(which_columns, axis=1)
        gc = renderer.new_gc()
        renderer.draw_image(gc, x0, y0, pixels)
        gc.restore()
        self.stale = False
