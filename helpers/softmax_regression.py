"""Softmax regression (Softmax 回归): the figures and experiments of notebook 08.

Softmax itself lives in :mod:`helpers.layers` (``softmax``, ``log_softmax``, ``one_hot``,
``SoftmaxCrossEntropy`` ...). This module holds what the notebook draws with it:

* :func:`hardmax` and :func:`softmax_with_temperature` -- the two ways of turning logits
  z (C, m) into one column per example that sums to 1;
* :func:`logit_bars_figure` -- logits, softmax(z / T) and hardmax(z) as bars, for
  :class:`helpers.live.LiveFigure` (a slider per logit and one for the temperature T);
* :func:`make_classes` -- two 2-D data sets of four classes ("blobs", "pinwheel");
* :class:`RegionTrainer` and :func:`regions_figure` -- softmax regression (or a network
  with one hidden layer) learning such a data set tick by tick, its decision regions
  (决策区域) redrawn as it learns;
* :func:`confusion_matrix`, :func:`draw_confusion_matrix`, :func:`confusion_figure` (pick
  a cell, see its images) and :func:`weights_figure` (pick a class, see its weights).

Shapes follow the course: X (n, m) one column per example, logits Z and probabilities
Ŷ (C, m) one row per class, integer labels (m,), one-hot labels Y (C, m).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import Normalize, to_rgb
from matplotlib.patches import Rectangle

from helpers import layers
from helpers.drawing import PixelImage, RegionsFigure
from helpers.layers import grid_forward
from helpers.training import TickTrainer
from helpers.validate import (
    InputError,
    as_array,
    as_axes,
    as_choice,
    as_count,
    as_flag,
    as_generator,
    as_images,
    as_instance,
    as_list,
    as_matrix,
    as_positive,
)

__all__ = ["ANIMALS", "ANIMALS_ZH", "CLASS_COLOURS", "DATASETS", "hardmax",
           "softmax_with_temperature", "logit_bars_figure", "make_classes", "RegionTrainer",
           "regions_figure", "confusion_matrix", "draw_confusion_matrix", "confusion_figure",
           "weights_figure"]

#: The course's four classes (COURSE.md, notebook 08): 0 other, 1 cat, 2 dog, 3 chick.
ANIMALS = ("other", "cat", "dog", "chick")
ANIMALS_ZH = ("其他", "猫", "狗", "小鸡")
#: One colour per class of the 2-D data sets (and of the four animals).
CLASS_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728")
DATASETS = ("blobs", "pinwheel")


# --- checking what comes in ---------------------------------------------------------------


def _logits(name: str, Z) -> np.ndarray:
    """Z as a finite float array of shape (C, m) with C ≥ 1 and m ≥ 1."""
    try:
        Z = np.asarray(Z, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be an array of numbers, got {type(Z).__name__}") from None
    if Z.ndim != 2 or 0 in Z.shape:
        hint = " (one example z is z.reshape(-1, 1))" if Z.ndim == 1 else ""
        raise InputError(f"{name} must have shape (C, m), one column per example, "
                         f"got {Z.shape}{hint}")
    if not np.all(np.isfinite(Z)):
        raise InputError(f"{name} contains NaN or infinity")
    return Z


def _class_labels(name: str, labels, C: int) -> np.ndarray:
    """Integer labels (m,) in 0..C−1, or a clear error."""
    try:
        labels = np.asarray(labels)
    except ValueError:  # a ragged list
        raise InputError(f"{name} must be a non-empty 1-D array of class numbers (m,), got "
                         f"a ragged list") from None
    if labels.ndim != 1 or labels.size == 0:
        raise InputError(f"{name} must be a non-empty 1-D array of class numbers (m,), "
                         f"got shape {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        if not (np.issubdtype(labels.dtype, np.floating) and np.all(np.isfinite(labels))
                and np.all(labels == np.round(labels))):
            raise InputError(f"{name} must hold integer class numbers, got {labels.dtype}")
        labels = labels.astype(int)
    if labels.min() < 0 or labels.max() >= C:
        raise InputError(f"{name} must be class numbers from 0 to C − 1 = {C - 1}, got values "
                         f"from {labels.min()} to {labels.max()}")
    return labels


# --- hardmax, softmax and the temperature ---------------------------------------------------


def hardmax(Z) -> np.ndarray:
    """(C, m) -> (C, m): 1 for the largest logit of each column, 0 elsewhere.

    Ties share the 1 equally (two largest logits get ½ each): that is what
    softmax(z / T) tends to as the temperature T goes to 0.
    """
    Z = _logits("Z", Z)
    top = Z == Z.max(axis=0, keepdims=True)          # (C, m), True at the largest
    return top / top.sum(axis=0, keepdims=True)      # (C, m), each column sums to 1


def softmax_with_temperature(Z, T: float) -> np.ndarray:
    """softmax(Z / T), column by column: T = 1 is softmax itself, T → 0 tends to the
    hardmax, a large T to the uniform 1/C."""
    Z, T = _logits("Z", Z), as_positive("the temperature T", T)
    with np.errstate(over="ignore"):
        scaled = Z / T                                    # (C, m)
    if not np.all(np.isfinite(scaled)):
        raise InputError(f"the temperature T = {T:g} is so small that z / T overflows: "
                         f"use a larger T (softmax(z / T) is the hardmax long before that)")
    return layers.softmax(scaled)


_BAR_WIDTH = 0.65


def _bar_outlines(heights) -> np.ndarray:
    """(C,) heights -> (C, 4, 2): the corners of a bar of each height at x = 0 … C − 1."""
    x = np.arange(len(heights))[:, None] + np.array([-1, -1, 1, 1]) * _BAR_WIDTH / 2
    y = np.zeros((len(heights), 4))
    y[:, 1:3] = np.asarray(heights, dtype=float)[:, None]
    return np.stack([x, y], axis=2)


def _bars(ax, colours):
    """Bars as one animated PolyCollection (one artist: about ten times faster to draw
    than ax.bar's rectangles, one by one)."""
    bars = PolyCollection(_bar_outlines(np.zeros(len(colours))), facecolors=colours,
                          edgecolors="none", animated=True)
    ax.add_collection(bars)
    return bars


def logit_bars_figure(names: Sequence[str], names_zh: Sequence[str] | None = None, *,
                      z_limit: float = 10.0, figsize=(10.5, 3.4)):
    """Three panels of bars, one bar per class: the logits z, softmax(z / T) and hardmax(z).

    Returns ``(fig, update)``; ``update(temperature, z0, z1, ...)`` takes one logit per
    class (keywords z0 … z{C−1}) and the temperature T > 0. The logit axis is fixed at
    ±``z_limit``; the logits and the softmax have a one-line readout of their numbers.
    """
    from helpers import live

    names = _names("names", names)
    names_zh = None if names_zh is None else _names("names_zh", names_zh, len(names))
    z_limit = as_positive("z_limit", z_limit)
    C = len(names)
    if C < 2:
        raise InputError(f"softmax needs at least 2 classes, got names {list(names)}")
    labels = [f"{k} {name}" + (f"\n{names_zh[k]}" if names_zh else "")
              for k, name in enumerate(names)]
    fig, (ax_z, ax_soft, ax_hard) = live.figure(1, 3, figsize=figsize)
    x = np.arange(C)
    colours = [CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(C)]
    ax_z.set(ylim=(-z_limit, z_limit), title="logits z (未归一化的对数概率)")
    ax_z.axhline(0, color="0.5", lw=0.8)
    ax_soft.set(ylim=(0, 1.12), title="softmax(z / T)")
    ax_hard.set(ylim=(0, 1.12), title="hardmax(z)")
    for ax in (ax_soft, ax_hard):
        ax.axhline(1 / C, color="0.6", ls=":", lw=1)  # the uniform 1/C
    for ax in (ax_z, ax_soft, ax_hard):
        ax.set_xticks(x, labels, fontsize=9)
        ax.set_xlim(-0.6, C - 0.4)
    bars = {key: _bars(ax, colours)
            for key, ax in (("z", ax_z), ("soft", ax_soft), ("hard", ax_hard))}
    box = {"fc": "white", "alpha": 0.85, "ec": "none"}
    # two readouts (the hardmax needs none): text is the costly part of a frame
    readouts = {key: ax.text(0.5, 0.97, "", transform=ax.transAxes, ha="center", va="top",
                             fontsize=9, animated=True, bbox=box)
                for key, ax in (("z", ax_z), ("soft", ax_soft))}

    def numbers(values, digits):
        return "[" + ", ".join(f"{v:.{digits}f}" for v in values) + "]"

    def update_logit_bars(temperature, **logits):
        z = np.array([logits[f"z{k}"] for k in range(C)], dtype=float)   # (C,)
        a = softmax_with_temperature(z[:, None], temperature)[:, 0]      # (C,)
        hard = hardmax(z[:, None])[:, 0]                                 # (C,)
        bars["z"].set_verts(_bar_outlines(z))
        bars["soft"].set_verts(_bar_outlines(a))
        bars["hard"].set_verts(_bar_outlines(hard))
        readouts["z"].set_text(f"z = {numbers(z, 1)}")
        readouts["soft"].set_text(f"T = {temperature:.3g}: {numbers(a, 3)}")

    return fig, update_logit_bars


# --- 2-D data sets of four classes -----------------------------------------------------------

_BLOB_CENTRES = np.array([[-0.9, 0.5], [0.55, 0.95], [0.95, -0.55], [-0.45, -0.95]])


def _blobs(counts, rng):
    """Four round clouds (standard deviation 0.38) around fixed centres."""
    return [_BLOB_CENTRES[k][:, None] + 0.38 * rng.normal(size=(2, n))
            for k, n in enumerate(counts)]


def _pinwheel(counts, rng):
    """Four arms that curl around the centre: class k starts at angle k·90°, and the
    farther out a point is, the more its arm has turned (2 radians per unit of radius)."""
    arms = []
    for k, n in enumerate(counts):
        r = rng.uniform(0.15, 1.6, n)
        angle = k * np.pi / 2 + 2.0 * r + 0.2 * rng.normal(size=n)
        arms.append(np.vstack([r * np.cos(angle), r * np.sin(angle)]))
    return arms


_MAKERS = {"blobs": _blobs, "pinwheel": _pinwheel}


def make_classes(name: str, m: int, rng: np.random.Generator):
    """``m`` points of the 2-D data set ``name`` ("blobs" or "pinwheel") in four classes
    -> ``(X (2, m), labels (m,) of int 0..3)``, in random order.

    The classes are as balanced as m allows (m // 4 points each, the first m % 4 classes
    one more). All points lie within about [−2, 2]².
    """
    name = as_choice("name (the data set)", name, DATASETS)
    m = as_count("m (the number of points)", m, minimum=4)
    rng = as_generator(rng)
    counts = [m // 4 + (k < m % 4) for k in range(4)]
    X = np.hstack(_MAKERS[name](counts, rng))                          # (2, m)
    labels = np.repeat(np.arange(4), counts)                           # (m,)
    order = rng.permutation(m)
    return X[:, order], labels[order]


# --- softmax regression learning a 2-D data set, tick by tick --------------------------------


class Settings(NamedTuple):
    """What a model is built from; changing either starts a new model."""

    dataset: str
    hidden: bool  # False: softmax regression 2 → 4; True: 2 → hidden units (tanh) → 4


class _Split(NamedTuple):
    X_train: np.ndarray        # (2, m_train)
    labels_train: np.ndarray   # (m_train,)
    Y_train: np.ndarray        # (4, m_train), one-hot
    X_test: np.ndarray         # (2, m_test)
    labels_test: np.ndarray    # (m_test,)
    Y_test: np.ndarray         # (4, m_test)


class RegionTrainer(TickTrainer):
    """A softmax classifier learning one of the 2-D data sets, one tick at a time.

    The model is softmax regression, Z = W X + b with W (4, 2) -- or, with ``hidden``,
    a hidden layer (隐藏层) of ``hidden_units`` tanh units first. Its outputs are the
    logits; the cost is ``layers.SoftmaxCrossEntropy`` (whose backward is (Ŷ − Y)/m). A
    tick trains ``steps_per_tick`` steps of full-batch gradient descent. :meth:`advance`
    follows the controls as notebook 05's playground does:

    * the tick grows by k: train k ticks' worth of steps (at most ``max_catch_up`` ticks
      at once, so that the figure never falls further behind);
    * the tick goes down (Stop sets it to 0), or the data set or ``hidden`` change: a new
      model from the same seed, then ``min(tick, max_catch_up)`` ticks of training;
    * the learning rate changes: the same model trains on with the new rate;
    * the cost becomes non-finite or grows ``divergence_factor``-fold over the new
      model's: training stops (:attr:`diverged_at` is the step) until a new model
      starts (any change above, or a new learning rate).

    After every call :attr:`regions` holds the picture of the decision regions (决策区域)
    on a ``resolution`` × ``resolution`` grid over [−extent, extent]² (RGBA bytes, row 0
    at the bottom), and :attr:`history` the step, training cost and test cost.
    """

    n_classes = 4

    def __init__(self, *, m_train: int = 200, m_test: int = 200, hidden_units: int = 16,
                 steps_per_tick: int = 10, max_catch_up: int = 2, resolution: int = 64,
                 extent: float = 2.0, seed: int = 0, data_seed: int = 8,
                 divergence_factor: float = 10.0):
        super().__init__(steps_per_tick=steps_per_tick, max_catch_up=max_catch_up,
                         resolution=resolution, extent=extent,
                         divergence_factor=divergence_factor, seed=seed)
        self.m_train = as_count("m_train", m_train, minimum=4)
        self.m_test = as_count("m_test", m_test, minimum=4)
        self.hidden_units = as_count("hidden_units", hidden_units)
        data_seed = as_count("data_seed", data_seed, minimum=0)
        rng = np.random.default_rng(data_seed)
        self.data: dict[str, _Split] = {}
        for name in DATASETS:  # drawn separately, so that both are balanced
            X_train, labels_train = make_classes(name, self.m_train, rng)
            X_test, labels_test = make_classes(name, self.m_test, rng)
            self.data[name] = _Split(X_train, labels_train,
                                     layers.one_hot(labels_train, self.n_classes),
                                     X_test, labels_test,
                                     layers.one_hot(labels_test, self.n_classes))
        self.palette = np.array([to_rgb(c) for c in CLASS_COLOURS]) * 255  # (4, 3)
        self.loss = layers.SoftmaxCrossEntropy()
        self.model = None
        self.diverged_at: int | None = None

    # -- the rules of the controls -----------------------------------------------------

    def advance(self, tick: int, dataset: str, hidden: bool, lr: float) -> RegionTrainer:
        """Follow the controls (see the class docstring); returns ``self``."""
        tick = as_count("tick", tick, minimum=0)
        dataset = as_choice("dataset", dataset, DATASETS)
        settings = Settings(dataset, as_flag("hidden", hidden))
        lr = as_positive("the learning rate lr", lr)
        return self.follow(tick, settings, lr)

    def reset(self, settings: Settings) -> None:
        """A new model for ``settings``, always from the same seed, and no history."""
        as_instance("settings", settings, Settings, "Settings('blobs', hidden=False)")
        as_choice("settings.dataset", settings.dataset, DATASETS)
        as_flag("settings.hidden", settings.hidden)
        self.settings = settings
        sizes = [2, self.hidden_units, self.n_classes] if settings.hidden else [2, 4]
        self.start(layers.mlp(sizes, activation="tanh", rng=np.random.default_rng(self.seed),
                              init="xavier"))

    # -- training and evaluating -------------------------------------------------------

    @property
    def split(self) -> _Split:
        return self.data[self.settings.dataset]

    def evaluate(self) -> None:
        """Costs and accuracies on the training and test points, and the decision regions:
        the colour of the most probable class, paler where the model is less sure."""
        split = self.split
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                Z_train = self.model.forward(split.X_train)        # (4, m_train)
                Z_test = self.model.forward(split.X_test)          # (4, m_test)
                Z_grid = grid_forward(self.model, self.grid32)     # (4, resolution²)
                if not np.all(np.isfinite(Z_grid)):  # float32 overflows before float64
                    Z_grid = self.model.forward(self.grid)
        except layers.NonFiniteError:
            self.diverged_at = self.steps
            return
        self.train_cost = self.loss.forward(Z_train, split.Y_train)
        self.test_cost = self.loss.forward(Z_test, split.Y_test)
        self.train_accuracy = float(np.mean(Z_train.argmax(axis=0) == split.labels_train))
        self.test_accuracy = float(np.mean(Z_test.argmax(axis=0) == split.labels_test))
        self.history.append((self.steps, self.train_cost, self.test_cost))
        self.regions = self._colours(layers.softmax(Z_grid))

    def _colours(self, P: np.ndarray) -> np.ndarray:
        """(4, r²) probabilities -> (r, r, 4) RGBA bytes: white mixed with the colour of
        the most probable class, by how sure the model is (max P from ¼ to 1)."""
        best = P.argmax(axis=0)                                               # (r²,)
        sure = (P.max(axis=0) - 0.25) / 0.75                                  # (r²,) 0..1
        strength = (0.12 + 0.5 * np.clip(sure, 0, 1))[:, None]                # (r², 1)
        rgb = 255 - strength * (255 - self.palette[best])                     # (r², 3)
        rgba = np.empty((self.resolution ** 2, 4), dtype=np.uint8)
        rgba[:, :3] = np.round(rgb)
        rgba[:, 3] = 255
        return rgba.reshape(self.resolution, self.resolution, 4)

    def describe(self) -> str:
        """The model in words, e.g. "softmax regression 2 → 4"."""
        if self.settings.hidden:
            return f"2 → {self.hidden_units} (tanh) → 4, then softmax"
        return "softmax regression 2 → 4 (no hidden layer)"


def regions_figure(trainer: RegionTrainer, *, max_ticks: int = 1000, figsize=(10.0, 4.3)):
    """The figure of a :class:`RegionTrainer` and its ``update(tick, dataset, hidden, lr)``
    for :class:`helpers.live.LiveFigure` -> ``(fig, update)``.

    Left: the decision regions (redrawn in place), the training points (dots) and the test
    points (rings), coloured by class. Right: the training and test cost after every tick
    (logarithmic axes, fixed limits) and a readout; if training diverges, both say so.
    """
    trainer = as_instance("trainer", trainer, RegionTrainer, "RegionTrainer()")
    max_ticks = as_count("max_ticks", max_ticks)
    view = RegionsFigure(trainer.extent, CLASS_COLOURS, figsize=figsize, dot_size=4.5,
                         max_steps=max_ticks * trainer.steps_per_tick, cost_top=20.0,
                         legend="classes")
    view.ax_cost.axhline(np.log(4), color="0.6", ls=":", lw=1)
    view.ax_cost.text(1.3, np.log(4) * 1.08, "log 4: uniform ¼", fontsize=8, color="0.4")

    def labels(split):
        return split.labels_train, split.labels_test

    # One tick finishes training before the next one starts: LiveFigure.redraw holds the
    # course's one drawing lock around update.
    def update_regions(tick, dataset, hidden, lr):
        trainer.advance(tick, dataset, hidden, lr)
        # one line: text is the costly part of a frame (about 1.5 ms per line)
        if view.show(trainer, dataset, trainer.regions, labels):
            view.readout.set_text(f"lr {lr:.3g} · tick {tick}: diverged at step "
                                  f"{trainer.diverged_at}, the cost grew "
                                  f"{trainer.divergence_factor:g}-fold")
        else:
            view.readout.set_text(f"lr {lr:.3g} · step {trainer.steps}: cost "
                                  f"{trainer.train_cost:.3f} (test {trainer.test_cost:.3f}), "
                                  f"accuracy {trainer.train_accuracy:.0%} "
                                  f"(test {trainer.test_accuracy:.0%})")

    return view.fig, update_regions


# --- the confusion matrix ------------------------------------------------------------------


def confusion_matrix(y_true, y_pred, C: int) -> np.ndarray:
    """The C × C matrix of counts (混淆矩阵): M[k, j] = how many examples of true class k
    were predicted as class j. Rows: true classes; columns: predictions; the diagonal
    holds the right answers. y_true and y_pred are integer labels (m,)."""
    C = as_count("C (the number of classes)", C, minimum=2)
    y_true = _class_labels("y_true", y_true, C)
    y_pred = _class_labels("y_pred", y_pred, C)
    if y_true.shape != y_pred.shape:
        raise InputError(f"y_true and y_pred must have the same length, got {y_true.size} "
                         f"and {y_pred.size}")
    M = np.zeros((C, C), dtype=int)
    np.add.at(M, (y_true, y_pred), 1)
    return M


def draw_confusion_matrix(M, names: Sequence[str], *, ax=None, fontsize: float = 8):
    """Draw the confusion matrix M (C, C) as a table of counts: a square per cell, darker
    for more examples, the count written in it; rows are the true classes, columns the
    predictions. Returns the axes."""
    names = _names("names", names)
    C = len(names)
    M = _counts("M", M, C)
    ax, fontsize = as_axes(ax), as_positive("fontsize", fontsize)
    ax.imshow(np.log1p(M), cmap="Blues", vmin=0, vmax=np.log1p(max(M.max(), 1)) * 1.15)
    for k in range(C):
        for j in range(C):
            if M[k, j]:
                dark = np.log1p(M[k, j]) > 0.6 * np.log1p(M.max())
                ax.text(j, k, str(M[k, j]), ha="center", va="center", fontsize=fontsize,
                        color="white" if dark else "black")
    ax.set_xticks(range(C), names, rotation=90, fontsize=fontsize)
    ax.set_yticks(range(C), names, fontsize=fontsize)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    return ax


def _mosaic(images: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Up to rows × columns images (k, h, w) side by side in one array; empty places 0."""
    h, w = images.shape[1:]
    sheet = np.zeros((rows * (h + 2), columns * (w + 2)), dtype=float)
    for i, image in enumerate(images[:rows * columns]):
        r, c = divmod(i, columns)
        sheet[r * (h + 2) + 1:r * (h + 2) + 1 + h, c * (w + 2) + 1:c * (w + 2) + 1 + w] = image
    return sheet


def _grey_pixels(sheet: np.ndarray) -> np.ndarray:
    """Grey levels 0..255 (0: background) -> RGBA bytes for a PixelImage, dark ink on
    white, row 0 at the bottom."""
    grey = (255 - np.clip(sheet, 0, 255)).astype(np.uint8)[::-1]       # (rows, columns)
    rgba = np.empty((*grey.shape, 4), dtype=np.uint8)
    rgba[..., :3] = grey[..., None]
    rgba[..., 3] = 255
    return rgba


def confusion_figure(M, images, y_true, y_pred, names: Sequence[str],
                     names_zh: Sequence[str], *, rows: int = 3, columns: int = 6,
                     figsize=(10.5, 4.6)):
    """Pick a cell of the confusion matrix, see its images.

    Left: the confusion matrix M (C, C) (drawn once) and a frame around the chosen cell.
    Right: up to rows × columns of the images (m, h, w) whose true class is ``true`` and
    whose predicted class is ``predicted``, in their order. Returns ``(fig, update)``,
    ``update(true, predicted)`` with class numbers.
    """
    from helpers import live

    names = _names("names", names)
    C = len(names)
    names_zh = _names("names_zh", names_zh, C)
    M = _counts("M", M, C)
    y_true = _class_labels("y_true", y_true, C)
    y_pred = _class_labels("y_pred", y_pred, C)
    images = as_images("images", images)
    rows, columns = as_count("rows", rows), as_count("columns", columns)
    if images.ndim != 3 or images.shape[0] != y_true.size or y_pred.size != y_true.size:
        raise InputError(f"images must be (m, h, w) with one image per label; got images "
                         f"{images.shape}, {y_true.size} true and {y_pred.size} predicted "
                         f"labels")
    fig, (ax_m, ax_images) = live.figure(1, 2, figsize=figsize, width_ratios=[1, 1.35])
    short = [f"{k} {name}" for k, name in enumerate(names)]
    draw_confusion_matrix(M, short, ax=ax_m)
    ax_m.set_title("confusion matrix (混淆矩阵), test set", fontsize=10)
    frame = Rectangle((-0.5, -0.5), 1, 1, fill=False, ec="#d62728", lw=2.5, animated=True)
    ax_m.add_patch(frame)
    blank = _mosaic(images[:0], rows, columns)
    ax_images.set_box_aspect(blank.shape[0] / blank.shape[1])  # the sheet fills the axes
    ax_images.axis("off")
    # drawn pixel for pixel (imshow would resample the sheet for every frame: ~7 ms)
    picture = PixelImage(ax_images, _grey_pixels(blank))
    picture.set_animated(True)
    ax_images.add_artist(picture)
    ax_images.set_title("\n", fontsize=10)  # keeps room for the two lines of the readout
    title = ax_images.text(0.5, 1.02, "", transform=ax_images.transAxes, ha="center",
                           va="bottom", fontsize=10, animated=True)

    def update_confusion(true, predicted):
        which = np.flatnonzero((y_true == true) & (y_pred == predicted))
        frame.set_xy((predicted - 0.5, true - 0.5))
        picture.set_data(_grey_pixels(_mosaic(images[which], rows, columns)))
        verdict = "right" if true == predicted else "wrong"
        title.set_text(f"true {names[true]} ({names_zh[true]}) → predicted {names[predicted]} "
                       f"({names_zh[predicted]})\n{len(which)} test image"
                       f"{'' if len(which) == 1 else 's'} ({verdict})"
                       + (f", the first {rows * columns} shown" if len(which) > rows * columns
                          else ""))

    return fig, update_confusion


def weights_figure(W, mean_images, names: Sequence[str], names_zh: Sequence[str], *,
                   figsize=(8.0, 3.6)):
    """Pick a class, see what softmax regression learned for it.

    Left: the mean training image of class k (mean_images (C, h, w)). Right: row k of W
    (C, h·w) folded back into an h × w image: red pixels raise the logit z_k, blue ones
    lower it (one colour scale for every class). Returns ``(fig, update)``,
    ``update(k)`` with a class number.
    """
    from helpers import live

    W, mean_images = as_matrix("W", W), as_array("mean_images", mean_images)
    if mean_images.ndim != 3 or 0 in mean_images.shape or mean_images.min() < 0 \
            or mean_images.max() > 1:
        raise InputError(f"mean_images must be (C, h, w), one mean image per class with "
                         f"values in [0, 1] (grey levels / 255); got shape "
                         f"{mean_images.shape}")
    C, h, w = mean_images.shape
    names = _names("names", names)
    names_zh = _names("names_zh", names_zh, len(names))
    if W.shape != (C, h * w) or len(names) != C:
        raise InputError(f"W must have shape (C, h·w) = ({C}, {h * w}) and names {C} "
                         f"entries, for mean_images of shape {mean_images.shape}; got W "
                         f"{W.shape} and {len(names)} names")
    limit = max(float(np.quantile(np.abs(W), 0.995)), 1e-12)  # (all-zero weights: any scale)
    norm = Normalize(-limit, limit)
    cmap = colormaps["RdBu_r"]
    # every picture coloured once, here; a move only swaps them (PixelImage: no resampling)
    means = [_grey_pixels(255 * image) for image in mean_images]
    rows_of_W = [cmap(norm(row.reshape(h, w)[::-1]), bytes=True) for row in W]
    fig, (ax_mean, ax_w) = live.figure(1, 2, figsize=figsize)
    pictures = []
    for ax, first in ((ax_mean, means[0]), (ax_w, rows_of_W[0])):
        ax.set_box_aspect(h / w)
        ax.set_xticks([])
        ax.set_yticks([])
        picture = PixelImage(ax, first)
        picture.set_animated(True)
        ax.add_artist(picture)
        pictures.append(picture)
        for spine in ax.spines.values():
            spine.set_animated(True)  # drawn after the picture, which would cover them
    fig.colorbar(ScalarMappable(norm, cmap), ax=ax_w, shrink=0.85, label="weight")
    titles = [ax.text(0.5, 1.02, "", transform=ax.transAxes, ha="center", va="bottom",
                      fontsize=10, animated=True) for ax in (ax_mean, ax_w)]

    def update_weights(k):
        pictures[0].set_data(means[k])
        pictures[1].set_data(rows_of_W[k])
        titles[0].set_text(f"mean image: {names[k]} ({names_zh[k]})")
        titles[1].set_text(f"weights of z_{k}, row {k} of W")

    return fig, update_weights


def _names(name: str, names, C: int | None = None) -> list[str]:
    """Class names as a list of strings (C of them, if C is given), or an InputError."""
    names = as_list(name, names, limit=1000, what="a list of class names")
    if not names or not all(isinstance(n, str) for n in names) \
            or C is not None and len(names) != C:
        count = f"{C} " if C is not None else ""
        raise InputError(f"{name} must be a list of {count}class names (strings), one per "
                         f"class; got {names!r:.80}")
    return names


def _counts(name: str, M, C: int) -> np.ndarray:
    """A confusion matrix (C, C) of counts (whole numbers ≥ 0), as given, or an InputError."""
    counts = as_array(name, M)
    if counts.shape != (C, C):
        raise InputError(f"{name} must have shape ({C}, {C}), one row and column per name; "
                         f"got {counts.shape}")
    if np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise InputError(f"{name} must hold counts (whole numbers ≥ 0), as confusion_matrix "
                         f"returns them")
    return np.asarray(M)
