"""Drawing: artists for the course's figures that must be fast inside a live figure.

A building block: :class:`PixelImage` shows a small colour image (decision regions) that
fills an axes, without ``imshow``'s resampling; :class:`RegionsFigure` is the figure of a
classifier of 2-D points that trains while Play runs (notebooks 05 and 08).
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist

from helpers.training import TickTrainer
from helpers.validate import (
    InputError,
    as_axes,
    as_callable,
    as_choice,
    as_count,
    as_instance,
    as_list,
    as_positive,
)


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


# --- a model that learns 2-D data: its decision regions beside its costs -----------------


class RegionsFigure:
    """The figure of a classifier of 2-D points that trains while Play runs (notebooks 05
    and 08): the decision regions (决策区域) as a :class:`PixelImage` with the training
    points (dots) and the test points (rings) on the left; the training and test cost after
    every step on logarithmic axes on the right, with a red ✕ and a warning where the cost
    exploded, and a readout.

    ``show(trainer, dataset, rgba, labels)`` draws a trainer's state (a
    :class:`helpers.training.TickTrainer` with ``split``, ``history`` and
    ``diverged_at``): the region colours ``rgba`` (rows, columns, 4), the points of class k
    where ``labels(split)`` (the training and the test labels, arrays (m,)) equal k (set
    again only when ``dataset`` changes), the two cost curves and the divergence marks.
    The notebook's module writes the readout's text (:attr:`readout`); ``show`` colours it
    red after a divergence.
    """

    LEGENDS = ("points", "classes")

    def __init__(self, extent: float, class_colours, *, max_steps: int, cost_top: float,
                 legend: str = "points", figsize=(10.0, 4.3), dot_size: float = 5.0):
        from helpers import live

        e = as_positive("extent", extent)
        self.class_colours = as_list("class_colours", class_colours)
        if len(self.class_colours) < 2:
            raise InputError(f"class_colours needs one colour per class, at least 2; got "
                             f"{self.class_colours}")
        dot_size = as_positive("dot_size", dot_size)
        self.cost_top = as_positive("cost_top", cost_top)
        fig, (ax_regions, ax_cost) = live.figure(1, 2, figsize=figsize, width_ratios=[1, 1.25])
        self.fig, self.ax_regions, self.ax_cost = fig, ax_regions, ax_cost
        ax_regions.set(xlim=(-e, e), ylim=(-e, e), xlabel="x₁", ylabel="x₂", aspect="equal",
                       title="decision regions (决策区域)")
        self.regions = PixelImage(ax_regions, np.full((2, 2, 4), 255, dtype=np.uint8))
        self.regions.set_animated(True)
        self.regions.set_zorder(0)
        ax_regions.add_artist(self.regions)
        for spine in ax_regions.spines.values():
            spine.set_animated(True)  # drawn after the regions, which would cover them
        self.dots = {}
        for k, colour in enumerate(self.class_colours):
            (self.dots["train", k],) = ax_regions.plot(
                [], [], "o", ms=dot_size, color=colour, mec="white", mew=0.5, animated=True)
            (self.dots["test", k],) = ax_regions.plot(
                [], [], "o", ms=dot_size + 0.5, mfc="none", mec=colour, mew=1.2, animated=True)
        if as_choice("legend", legend, self.LEGENDS) == "points":  # which are test points
            ax_regions.legend([self.dots["train", 1], self.dots["test", 1]],
                              ["training points", "test points"], loc="lower left",
                              fontsize=8, framealpha=0.8)
        else:  # which colour is which class
            classes = range(len(self.class_colours))
            ax_regions.legend([self.dots["train", k] for k in classes],
                              [f"class {k}" for k in classes], loc="lower left", fontsize=7.5,
                              ncols=2, framealpha=0.8)
        ax_cost.set(xlim=(1, as_count("max_steps", max_steps)), ylim=(1e-3, self.cost_top),
                    xscale="log", yscale="log", xlabel="step of gradient descent",
                    ylabel="cost J (cross-entropy)")
        ax_cost.grid(True, which="major", color="0.9")
        (self.train_line,) = ax_cost.plot([], [], color="tab:blue", lw=1.8, animated=True)
        (self.test_line,) = ax_cost.plot([], [], color="tab:orange", lw=1.5, ls="--",
                                         animated=True)
        (self.exploded,) = ax_cost.plot([], [], "X", color="#b00020", ms=11, animated=True)
        ax_cost.legend([self.train_line, self.test_line], ["training cost", "test cost"],
                       loc="upper right", fontsize=9)
        self.alarm = ax_regions.text(0.5, 0.5, "", transform=ax_regions.transAxes,
                                     ha="center", va="center", fontsize=13, color="#b00020",
                                     animated=True,
                                     bbox={"fc": "white", "ec": "#b00020", "alpha": 0.9})
        # text is the costly part of a frame (about 1-1.5 ms per line): a short readout
        self.readout = ax_cost.text(0.02, 0.03, "", transform=ax_cost.transAxes, ha="left",
                                    va="bottom", fontsize=9, animated=True,
                                    bbox={"fc": "white", "alpha": 0.9})
        self._shown_dataset = None

    def show(self, trainer, dataset, rgba, labels) -> bool:
        """Draw ``trainer``'s state (see the class docstring); returns whether it diverged."""
        as_instance("trainer", trainer, TickTrainer, "deep_networks.Playground()")
        labels = as_callable("labels", labels, "lambda split: (split.labels_train, "
                                               "split.labels_test)")
        self.regions.set_data(rgba)
        if self._shown_dataset != dataset:
            split = trainer.split
            train_labels, test_labels = labels(split)
            for k in range(len(self.class_colours)):
                self.dots["train", k].set_data(*split.X_train[:, train_labels == k])
                self.dots["test", k].set_data(*split.X_test[:, test_labels == k])
            self._shown_dataset = dataset
        steps, train_costs, test_costs = np.array(trainer.history[1:]).reshape(-1, 3).T
        self.train_line.set_data(steps, train_costs)  # step 0 has no place on a log axis
        self.test_line.set_data(steps, test_costs)
        diverged = trainer.diverged_at is not None
        # where it exploded, kept inside the axes (the cost may be far above them)
        self.exploded.set_data([max(trainer.diverged_at, 1)] if diverged else [],
                               [min(trainer.history[-1][1], 0.8 * self.cost_top)]
                               if diverged else [])
        self.alarm.set_text(f"diverged at step {trainer.diverged_at}\nlower the learning rate"
                            if diverged else "")
        self.readout.set_color("#b00020" if diverged else "black")  # its text: the module's
        return diverged
