"""Drawing: the course's diagrams, and artists that must be fast inside a live figure.

A building block:

* :func:`draw_computation_graph` -- a computation graph (计算图): a box per node, values
  forward above the boxes, derivatives backward under them (notebooks 04 and 05; its
  numbers can be live);
* :func:`draw_network` -- a fully connected network, a line per weight, its parameters
  counted (:func:`count_parameters`, notebook 05) or named (the units of notebook 03);
* :class:`PixelImage` shows a small colour image (decision regions) that fills an axes,
  without ``imshow``'s resampling; :class:`RegionsFigure` is the figure of a classifier
  of 2-D points that trains while Play runs (notebooks 05 and 08).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from matplotlib.artist import Artist

from helpers.training import TickTrainer
from helpers.validate import (
    InputError,
    as_axes,
    as_callable,
    as_choice,
    as_count,
    as_flag,
    as_instance,
    as_list,
    as_positive,
    as_scalar,
    as_text,
)

# --- a computation graph: values forward, derivatives backward -----------------------------


class Node(NamedTuple):
    """One node of a computation graph, for :func:`draw_computation_graph`."""

    name: str                    # its symbol, e.g. "z₁"; the edges name nodes by it
    xy: tuple                    # where its box sits: (x, y) in data coordinates
    label: str | None = None     # what the box says, e.g. "z₁ = w₁x + b₁" (default: name)
    value: float | None = None   # its value, from the forward pass (None: not known yet)
    grad: float | None = None    # ∂L/∂(this node), from the backward pass
    backward: str | None = None  # how that derivative is computed, e.g. "dz = a − y"


def draw_computation_graph(nodes: Sequence[Node], edges: Sequence[tuple[str, str]], *,
                           ax=None, animated: bool = False, loss_name: str = "L",
                           fontsize: float = 10):
    """Draw a computation graph (计算图): a box per node that says what it computes, an
    arrow per edge (from, to), from the right side of a box to the left side of the next:
    the forward pass runs left to right.

    Above each box goes the node's value (blue: forward); under it the derivative of the
    loss with respect to the node (red: backward), after a label that says how it is
    computed (the node's ``backward``, by default "∂L/∂name"), moved to the left if an
    arrow leaves the node downwards. A node gets a derivative if it has a ``grad`` or a
    ``backward``: a label y, which we never change, has neither.
    Inputs (no arrow in) have blue boxes, computed nodes orange ones.

    Returns ``{name: (value_text, derivative_text or None)}``, the Text artists of the
    numbers. With ``animated=True`` they are animated, for a live figure whose update
    fills them (``text.set_text``). Draws on ``ax`` (default: the current pyplot axes).
    """
    nodes = [_checked_node(node) for node in as_list("nodes", nodes, limit=1000,
                                                      what="a list of Node")]
    edges = as_list("edges", edges, limit=10_000, what="a list of (from, to) pairs")
    if not nodes or not all(isinstance(e, tuple | list) and len(e) == 2 for e in edges):
        raise InputError("nodes must hold at least one Node and edges be (from, to) pairs of "
                         "node names")
    where = {node.name: node for node in nodes}
    for start, end in edges:
        if start not in where or end not in where:
            raise InputError(f"edge {start!r} → {end!r} names a node that is not in nodes: "
                             f"{sorted(where)}")
    ax, animated = as_axes(ax), as_flag("animated", animated)
    loss_name, fontsize = as_text("loss_name", loss_name), as_positive("fontsize", fontsize)
    computed = {end for _, end in edges}
    # a node with an arrow going down has its derivative moved left, out of the arrow's way
    downwards = {start for start, end in edges if where[end].xy[1] < where[start].xy[1]}
    boxes, texts = {}, {}
    for node in nodes:
        label = node.name if node.label is None else node.label
        boxes[node.name] = ax.text(
            *node.xy, label, ha="center", va="center", fontsize=fontsize + 1,
            bbox={"boxstyle": "round,pad=0.35", "ec": "0.4",
                  "fc": "#fff3d6" if node.name in computed else "#e3eef9"})
        gap = (0.6 * (label.count("\n") + 1) + 0.35) * (fontsize + 1) + 3  # points
        value = ax.annotate(_number(node.value), node.xy, xytext=(0, gap),
                            textcoords="offset points", ha="center", va="bottom",
                            fontsize=fontsize, color="tab:blue", animated=animated)
        derivative = None
        if node.grad is not None or node.backward is not None:
            how = node.backward or f"∂{loss_name}/∂{node.name}"
            split = -26 if node.name in downwards else 16  # points right of the centre
            ax.annotate(f"{how} =", node.xy, xytext=(split, -gap), textcoords="offset points",
                        ha="right", va="top", fontsize=0.9 * fontsize, color="tab:red")
            derivative = ax.annotate(_number(node.grad), node.xy, xytext=(split + 4, -gap),
                                     textcoords="offset points", ha="left", va="top",
                                     fontsize=fontsize, color="tab:red", animated=animated)
        texts[node.name] = (value, derivative)
    for start, end in edges:  # from the right side of a box to the left side of the next
        ax.annotate("", xy=(0, 0.5), xycoords=boxes[end], xytext=(1, 0.5),
                    textcoords=boxes[start],
                    arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 1.3,
                                "patchA": boxes[start].get_bbox_patch(),
                                "patchB": boxes[end].get_bbox_patch(),
                                "shrinkA": 2, "shrinkB": 2})
    ax.text(0.5, 1.0, "forward: values, left to right →", transform=ax.transAxes,
            ha="center", va="top", fontsize=fontsize, color="tab:blue")
    ax.text(0.5, 0.0, f"← backward: derivatives of {loss_name}, right to left",
            transform=ax.transAxes, ha="center", va="bottom", fontsize=fontsize,
            color="tab:red")
    xs, ys = [node.xy[0] for node in nodes], [node.xy[1] for node in nodes]
    ax.set_xlim(min(xs) - 1.4, max(xs) + 1.0)  # room for a derivative moved left
    ax.set_ylim(min(ys) - 1.1, max(ys) + 1.0)
    ax.axis("off")
    return texts


def _checked_node(node) -> Node:
    as_instance("every entry of nodes", node, Node, "Node('z', (1, 0), 'z = w·x', 2.0)")
    name = as_text("a node's name", node.name)
    for field in ("label", "backward"):
        if getattr(node, field) is not None:
            as_text(f"node {name}'s {field}", getattr(node, field))
    for field in ("value", "grad"):
        if getattr(node, field) is not None:
            as_scalar(f"node {name}'s {field}", getattr(node, field))
    if not (isinstance(node.xy, tuple | list) and len(node.xy) == 2):
        raise InputError(f"node {name}'s xy must be a point (x, y), got {node.xy!r}")
    as_scalar(f"node {name}'s x", node.xy[0]), as_scalar(f"node {name}'s y", node.xy[1])
    return node


def _number(value) -> str:
    return "" if value is None else f"{value:.4g}"


# --- a fully connected network -------------------------------------------------------------

_LAYER_COLOURS = {"input": ("#e3eef9", "tab:blue"), "hidden": ("#fde9c9", "tab:orange"),
                  "output": ("#dff2df", "tab:green")}
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def count_parameters(sizes: Sequence[int]) -> list[tuple[int, int]]:
    """(weights, biases) of each layer of a fully connected network with layer sizes
    ``sizes`` = [n, n^[1], ..., n^[L]]: layer l has n^[l]·n^[l−1] weights and n^[l] biases."""
    sizes = [as_count("every layer size in sizes", n)
             for n in as_list("sizes", sizes, what="a list of layer sizes, e.g. [5, 6, 1]")]
    if len(sizes) < 2:
        raise InputError(f"sizes needs the inputs and at least one layer, e.g. [5, 6, 1]; "
                         f"got {sizes}")
    return [(n_out * n_in, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]


def draw_network(sizes: Sequence[int], *, ax=None, max_drawn: int = 8,
                 activation: str | None = None, unit_names=None, weight_names=None,
                 bias_names=None, captions=None):
    """Draw a fully connected network with layer sizes ``sizes`` = [n, n^[1], ..., n^[L]]:
    a circle per unit, a line per weight. Above each layer go its name and size, under
    it the count of its weights and biases, and the title adds them up.

    A layer with more than ``max_drawn`` units is drawn with ``max_drawn`` of them and a
    "⋮". For a network whose unknowns have names (notebook 03), each optional:

    * ``activation``: a symbol written in every hidden unit, e.g. "σ";
    * ``unit_names``: a name (or None) per layer, written in its units, e.g.
      ("x", None, "ŷ"): x₁, x₂, ...; in a layer of one unit, the name alone;
    * ``weight_names``: a name per layer of weights, e.g. ("w", "c"). The lines into a
      single unit are all named (c₁, c₂, ...) and drawn in blue; the lines of a wider
      layer only the first and the last (w₁₁ ... w₄₃: wᵢⱼ joins input j to unit i);
    * ``bias_names``: a name per layer of biases, written above its units, e.g.
      ("b", "b₀"): b₁, b₂, ... for the hidden units, b₀ for the single output;
    * ``captions``: a text per layer (inputs first) under its units, in place of the
      names, the counts and the title.

    Draws on ``ax`` (default: the current pyplot axes) and returns it.
    """
    sizes = as_list("sizes", sizes, what="a list of layer sizes, e.g. [5, 6, 1]")
    counts = count_parameters(sizes)
    ax, max_drawn = as_axes(ax), as_count("max_drawn", max_drawn)
    L = len(sizes) - 1
    if activation is not None:
        activation = as_text("activation", activation)
    unit_names = _per_layer("unit_names", unit_names, L + 1)
    weight_names = _per_layer("weight_names", weight_names, L)
    bias_names = _per_layer("bias_names", bias_names, L)
    captions = None if captions is None else _per_layer("captions", captions, L + 1)
    tallest = min(max(sizes), max_drawn)
    top, bottom = (tallest - 1) / 2, -(tallest - 1) / 2
    labelled = activation is not None or any(unit_names)
    radius = 12 if labelled else 8  # of a unit's circle, in points: room for a name
    grey, width = ("0.6", 1.0) if labelled else ("0.72", 0.7)  # of a line (fewer: darker)

    def column(n: int) -> np.ndarray:  # the heights of the units drawn, top to bottom
        shown = min(n, max_drawn)
        return np.arange(shown)[::-1] - (shown - 1) / 2

    if (any(unit_names) or any(weight_names) or any(bias_names)) and tallest < max(sizes):
        raise InputError(f"unit, weight and bias names need every unit drawn, but a layer "
                         f"of sizes {sizes} has more than max_drawn = {max_drawn} units: "
                         f"raise max_drawn or leave the names out")

    def named(name: str, *indices: int) -> str:  # ("w", 2, 3) -> "w₂₃"; (10, 2) -> "w₁₀,₂"
        joiner = "," if max(indices, default=0) > 9 else ""
        return name + joiner.join(map(str, indices)).translate(_SUBSCRIPTS)

    for l in range(1, L + 1):
        ys_in, ys_out = column(sizes[l - 1]), column(sizes[l])
        every = weight_names[l - 1] is not None and sizes[l] == 1  # c₁, c₂, ...: all named
        for i, y_out in enumerate(ys_out):
            for j, y_in in enumerate(ys_in):
                ax.plot([l - 1, l], [y_in, y_out], color="tab:blue" if every else grey,
                        lw=1.5 if every else width, zorder=1)
                first_or_last = (i, j) in ((0, 0), (len(ys_out) - 1, len(ys_in) - 1))
                if weight_names[l - 1] is not None and (every or first_or_last):
                    t = 0.5 if every else 0.28  # how far along the line, from its input
                    ax.annotate(named(weight_names[l - 1], *([] if every else [i + 1]), j + 1),
                                (l - 1 + t, y_in + t * (y_out - y_in)), xytext=(0, 3),
                                textcoords="offset points", ha="center", va="bottom",
                                fontsize=10.5 if every else 9.5,
                                color="tab:blue" if every else "0.3")
    for l, n in enumerate(sizes):
        kind = "input" if l == 0 else "output" if l == L else "hidden"
        face, edge = _LAYER_COLOURS[kind]
        ys = column(n)
        ax.scatter(np.full(ys.size, l), ys, s=(2 * radius) ** 2, c=face, edgecolors=edge,
                   linewidths=1.5, zorder=2)
        for i, y in enumerate(ys):
            own = () if n == 1 else (i + 1,)  # in a layer of one unit, the name alone
            inside = named(unit_names[l], *own) if unit_names[l] else \
                activation if kind == "hidden" else None
            if inside:
                ax.text(l, y, inside, ha="center", va="center", fontsize=12, zorder=3)
            if l > 0 and bias_names[l - 1] is not None:
                ax.annotate(named(bias_names[l - 1], *own), (l, y), xytext=(0, radius + 1),
                            textcoords="offset points", ha="center", va="bottom",
                            fontsize=10, color=edge)
        if n > max_drawn:
            ax.text(l, ys[-1] - 0.6, "⋮", ha="center", va="center", fontsize=13)
        if captions is not None:
            ax.text(l, bottom - 0.6, captions[l], ha="center", va="top", fontsize=10)
            continue
        title = {"input": "input layer\n(输入层)", "output": "output layer\n(输出层)",
                 "hidden": f"hidden layer {l}\n(隐藏层)"}[kind]
        ax.text(l, top + 0.6, f"{title}\n$n^{{[{l}]}}$ = {n}", ha="center", va="bottom",
                fontsize=10)
        if l > 0:
            weights, biases = counts[l - 1]
            ax.text(l - 0.5, bottom - 1.0,
                    f"$W^{{[{l}]}}$: {n} × {sizes[l - 1]}\n= {weights} weights\n"
                    f"$b^{{[{l}]}}$: {biases} bias{'es' if biases > 1 else ''}", ha="center",
                    va="top", fontsize=9.5)
    if captions is None:
        ax.set_title(f"{' → '.join(map(str, sizes))}: {sum(w for w, _ in counts)} weights + "
                     f"{sum(b for _, b in counts)} biases = "
                     f"{sum(w + b for w, b in counts)} parameters", fontsize=11, pad=12)
        ax.set_ylim(bottom - 2.7, top + 2.6)
    else:
        ax.set_ylim(bottom - 1.4, top + 0.8)
    ax.set_xlim(-0.5, L + 0.5)
    ax.axis("off")
    return ax


def _per_layer(name: str, values, n: int) -> list:
    """``values``: one text (or None) per layer, n of them; None for all: n times None."""
    if values is None:
        return [None] * n
    values = as_list(name, values, limit=1000, what=f"a list of {n} texts (or None)")
    if len(values) != n:
        raise InputError(f"{name} needs one text (or None) per layer, {n} of them; got "
                         f"{len(values)}")
    return [None if v is None else as_text(f"every entry of {name}", v) for v in values]


# --- a pixel image, fast inside a live figure ----------------------------------------------


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
