"""A small neural-network playground in plain NumPy (notebook 05).

In the spirit of TensorFlow Playground: a 2-D data set (:func:`make_dataset`: moons,
circles, xor, spiral), a fully connected network built with :mod:`helpers.layers`, and
a figure that redraws the decision regions (决策区域) while the network trains.

The parts, each usable without a browser:

* :func:`make_dataset` -- X (2, m), one column per point, and labels Y (1, m) of 0/1;
* :class:`Playground` -- the state: data, network, training history. Its
  :meth:`Playground.advance` takes the controls' values (a tick counter from a Play
  button, the data set, width, depth, activation and learning rate) and trains just
  enough to follow them (see its docstring for the exact rules);
* :func:`playground_figure` -- the figure and its ``update`` function for
  :class:`helpers.live.LiveFigure`;
* :func:`init_scale_figure` -- the spread of activations and gradients through untrained
  layers, for a chosen scale of the initial weights;
* :func:`depth_figure` -- the overfitting of deeper networks on Fashion-MNIST.

The notebook's drawings of a network and of a computation graph are
:func:`helpers.drawing.draw_network` and :func:`helpers.drawing.draw_computation_graph`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from helpers import layers, live
from helpers.activations import _sigmoid as sigmoid
from helpers.data import DATASETS, make_dataset
from helpers.drawing import RegionsFigure
from helpers.layers import grid_forward
from helpers.losses import _cross_entropy_from_z
from helpers.training import TickTrainer
from helpers.validate import (
    InputError,
    as_choice,
    as_instance,
    as_learning_rate,
    as_positive,
)
from helpers.validate import as_count as _positive_int

ACTIVATIONS = ("relu", "tanh", "sigmoid")

#: TensorFlow Playground's colours: class 0 orange, class 1 blue.
CLASS_COLOURS = ("#e8710a", "#0b6fb8")
#: The background: P(y = 1) from 0 (light orange) through ½ (white) to 1 (light blue).
REGION_CMAP = LinearSegmentedColormap.from_list(
    "playground_regions", ["#f7b877", "#fdebd9", "#ffffff", "#d3e6f5", "#7fb5e0"])


# --- data sets ------------------------------------------------------------------------


# --- the playground's state -------------------------------------------------------------


class Settings(NamedTuple):
    """What a network is built from; changing any of these starts a new network."""

    dataset: str
    width: int       # units per hidden layer
    depth: int       # number of hidden layers (0: a logistic regression, a straight boundary)
    activation: str  # of the hidden layers: "relu", "tanh" or "sigmoid"


@dataclass
class Split:
    """One data set: its training points and its test points."""

    X_train: np.ndarray  # (2, m_train)
    Y_train: np.ndarray  # (1, m_train)
    X_test: np.ndarray   # (2, m_test)
    Y_test: np.ndarray   # (1, m_test)
    X_points: np.ndarray = field(repr=False)  # (2, m_train + m_test): both, side by side


def _cost(z: np.ndarray, Y: np.ndarray) -> float:
    """Cross-entropy cost of the sigmoid of z, computed from z without overflow."""
    return float(np.mean(_cross_entropy_from_z(z, Y)))


class Playground(TickTrainer):
    """A network learning one of the 2-D data sets, one tick at a time.

    A *tick* is one beat of the Play button; each tick trains ``steps_per_tick`` steps of
    full-batch gradient descent on the cross-entropy cost (the loss's backward already
    holds the 1/m). :meth:`advance` follows the controls:

    * the tick grows by k: train k ticks' worth of steps (at most ``max_catch_up``
      ticks at once: when the browser sends ticks faster than the kernel trains, it
      merges them, and the figure must not fall further behind);
    * the tick goes down (Stop sets it to 0), or the data set, width, depth or
      activation change: a new network from the same seed (so the same settings always
      start from the same weights), then, if tick > 0, ``min(tick, max_catch_up)``
      ticks' worth of training;
    * the learning rate changes: the same network trains on with the new rate;
    * the cost becomes non-finite or grows ``divergence_factor``-fold over the cost of
      the new network (tenfold: with the cross-entropy, a cost of 7 means the network
      is confidently wrong almost everywhere): training stops (:attr:`diverged_at` is
      the step) until a new network starts (any change above, or a new learning rate).

    After every call, :attr:`probabilities` holds P(y = 1) on a ``resolution`` ×
    ``resolution`` grid over [−extent, extent]² (the decision regions), and
    :attr:`history` the step, training cost and test cost after every tick.
    """

    def __init__(self, *, m_train: int = 200, m_test: int = 100, steps_per_tick: int = 10,
                 max_catch_up: int = 3, resolution: int = 80, extent: float = 1.6,
                 noise: dict[str, float] | None = None, seed: int = 0, data_seed: int = 5,
                 divergence_factor: float = 10.0):
        super().__init__(steps_per_tick=steps_per_tick, max_catch_up=max_catch_up,
                         resolution=resolution, extent=extent,
                         divergence_factor=divergence_factor, seed=seed)
        self.m_train = _positive_int("m_train", m_train, minimum=2)
        self.m_test = _positive_int("m_test", m_test, minimum=2)
        data_seed = _positive_int("data_seed", data_seed, minimum=0)
        if noise is not None and not isinstance(noise, dict):
            raise InputError(f"noise must be None or a dict {{data set: standard deviation}}, "
                             f"e.g. {{'moons': 0.2}}; got {type(noise).__name__}")
        unknown = set(noise or {}) - set(DATASETS)
        if unknown:
            raise InputError(f"noise is given per data set, one of {DATASETS}; got "
                             f"{sorted(unknown)}")
        noise = {"moons": 0.12, "circles": 0.08, "xor": 0.08, "spiral": 0.06,
                 **(noise or {})}
        rng = np.random.default_rng(data_seed)
        self.data: dict[str, Split] = {}
        for name in DATASETS:
            X, Y = make_dataset(name, self.m_train + self.m_test, noise[name], rng)
            train, test = slice(0, self.m_train), slice(self.m_train, None)
            self.data[name] = Split(X[:, train], Y[:, train], X[:, test], Y[:, test], X)
        self.model = None
        self.diverged_at: int | None = None
        self.loss = layers.BinaryCrossEntropyWithLogits()

    # -- the rules of the controls -----------------------------------------------------

    def advance(self, tick: int, dataset: str, width: int, depth: int, activation: str,
                lr: float) -> Playground:
        """Follow the controls (see the class docstring); returns ``self``."""
        tick = _positive_int("tick", tick, minimum=0)
        settings = self._settings(dataset, width, depth, activation)
        lr = as_learning_rate(lr)
        return self.follow(tick, settings, lr)

    def _settings(self, dataset, width, depth, activation) -> Settings:
        return Settings(as_choice("dataset", dataset, DATASETS), _positive_int("width", width),
                        _positive_int("depth (hidden layers)", depth, minimum=0),
                        as_choice("activation", activation, ACTIVATIONS))

    def reset(self, settings: Settings) -> None:
        """A new network for ``settings``, always from the same seed, and no history."""
        as_instance("settings", settings, Settings, "Settings('moons', 8, 2, 'tanh')")
        self._settings(*settings)
        self.settings = settings
        self.start(layers.mlp([2, *[settings.width] * settings.depth, 1],
                              activation=settings.activation, output=None,
                              rng=np.random.default_rng(self.seed),
                              init="he" if settings.activation == "relu" else "xavier"))

    # -- training and evaluating -------------------------------------------------------

    @property
    def split(self) -> Split:
        return self.data[self.settings.dataset]

    def evaluate(self) -> None:
        """The costs and accuracies on the training and test points (one forward pass of
        the layer library), and P(y = 1) on the grid (:func:`grid_forward`)."""
        split, m_train = self.split, self.m_train
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                z = self.model.forward(split.X_points)[0]     # (m_train + m_test,)
        except layers.NonFiniteError:  # weights so large that the forward pass overflows
            self.diverged_at = self.steps
            return
        z_train, z_test = z[:m_train], z[m_train:]
        self.train_accuracy = float(np.mean((z_train > 0) == (split.Y_train[0] == 1)))
        self.test_accuracy = float(np.mean((z_test > 0) == (split.Y_test[0] == 1)))
        self.train_cost = _cost(z_train, split.Y_train[0])
        self.test_cost = _cost(z_test, split.Y_test[0])
        self.history.append((self.steps, self.train_cost, self.test_cost))
        z_grid = grid_forward(self.model, self.grid32)[0]    # (resolution²,)
        self.probabilities = np.nan_to_num(sigmoid(z_grid), nan=0.5).reshape(
            self.resolution, self.resolution)

    def describe(self) -> str:
        """The network in one line, e.g. "2 → 8 → 8 → 1, tanh". Without hidden layers the
        width and activation are unused, and it says so (every control shows)."""
        width, depth, activation = (self.settings.width, self.settings.depth,
                                    self.settings.activation)
        if depth == 0:
            return f"2 → 1, no hidden layer ({width} units, {activation}: unused)"
        return " → ".join(map(str, [2, *[width] * depth, 1])) + f", {activation}"




# --- the live figure ----------------------------------------------------------------------


def playground_figure(court: Playground, *, max_ticks: int = 1000, figsize=(10.0, 4.3)):
    """The playground's figure and its ``update(tick, dataset, width, depth, activation,
    lr)`` for :class:`helpers.live.LiveFigure` -> ``(fig, update)``.

    Left: the decision regions, P(y = 1) on the grid (redrawn in place), the training
    points (filled dots) and the test points (rings). Right: the training and test cost
    after every tick (logarithmic axes with fixed limits) and a readout. If training
    diverges, both panels say so (a red ✕ where the cost exploded).
    """
    court = as_instance("court", court, Playground, "Playground()")
    max_ticks = _positive_int("max_ticks", max_ticks)
    view = RegionsFigure(court.extent, CLASS_COLOURS, max_steps=max_ticks * court.steps_per_tick,
                         cost_top=3.0, figsize=figsize, legend="points")

    def labels(split):
        return split.Y_train[0], split.Y_test[0]

    # One tick finishes training before the next one starts: LiveFigure.redraw holds the
    # course's one drawing lock around update (widget callbacks may come on two threads).
    def update_playground(tick, dataset, width, depth, activation, lr):
        court.advance(tick, dataset, width, depth, activation, lr)
        diverged = view.show(court, dataset, REGION_CMAP(court.probabilities, bytes=True),
                             labels)
        first = f"{court.describe()} · lr {lr:.3g} · tick {tick}"
        if diverged:
            view.readout.set_text(f"{first}\ndiverged at step {court.diverged_at}: the cost "
                                  f"grew {court.divergence_factor:g}-fold. Lower the learning "
                                  f"rate!")
        else:
            view.readout.set_text(f"{first}\nstep {court.steps}: cost {court.train_cost:.3f} "
                                  f"(test {court.test_cost:.3f}), accuracy "
                                  f"{court.train_accuracy:.0%} (test {court.test_accuracy:.0%})")

    return view.fig, update_playground


def depth_figure(runs: dict, *, test_every: int = 10):
    """The networks of each depth and seed, trained on the same images: ``runs[depth,
    seed]`` holds the training cost after every step (``"train"``), the test cost every
    ``test_every`` steps (``"test"``) and the two accuracies (``"accuracy"``). Left: one
    network's two costs during its training; right: the final costs of every depth (dots:
    seeds, lines: their mean). ``update(depth, seed)``."""
    runs = as_instance("runs", runs, dict, "{(depth, seed): {'train': ..., 'test': ..., "
                                           "'accuracy': ...}}")
    test_every = _positive_int("test_every", test_every)
    if not runs or not all(isinstance(key, tuple) and len(key) == 2 for key in runs):
        raise InputError("runs must map (depth, seed) to a run, for every depth and seed")
    depths = sorted({depth for depth, _ in runs})
    seeds = sorted({seed for _, seed in runs})
    if len(runs) != len(depths) * len(seeds):
        raise InputError(f"runs must hold every depth {depths} with every seed {seeds}")
    epochs = len(runs[depths[0], seeds[0]]["train"]) - 1
    steps_all, steps_test = np.arange(epochs + 1), np.arange(0, epochs + 1, test_every)
    fig, (ax_curves, ax_depth) = live.figure(1, 2, figsize=(10.5, 3.9), width_ratios=[1.4, 1])
    ax_curves.set(xlim=(0, epochs), ylim=(0.005, 1.0), yscale="log", xlabel="step",
                  ylabel="cost J (cross-entropy)", title="one network's training (训练)")
    (train_curve,) = ax_curves.plot([], [], color="tab:blue", lw=2, animated=True)
    (test_curve,) = ax_curves.plot([], [], color="tab:orange", lw=2, ls="--", animated=True)
    ax_curves.legend([train_curve, test_curve], ["training cost", "test cost"],
                     loc="lower left")
    for column, colour in (("train", "tab:blue"), ("test", "tab:orange")):
        finals = np.array([[runs[d, s][column][-1] for s in seeds] for d in depths])
        ax_depth.plot(np.repeat(depths, len(seeds)), finals.ravel(), ".", color=colour,
                      alpha=0.5)
        ax_depth.plot(depths, finals.mean(axis=1), "-o", color=colour,
                      label=f"{'training' if column == 'train' else 'test'} cost")
    ax_depth.set(yscale="log", ylim=(0.005, 1.0), xlim=(depths[0] - 0.4, depths[-1] + 0.4),
                 xticks=depths, xlabel="hidden layers (0: logistic regression)",
                 title="overfitting (过拟合)")
    ax_depth.legend(loc="lower left")
    (train_ring,) = ax_depth.plot([], [], "o", ms=13, mfc="none", mec="tab:blue", mew=2,
                                  animated=True)
    (test_ring,) = ax_depth.plot([], [], "o", ms=13, mfc="none", mec="tab:orange", mew=2,
                                 animated=True)
    readout = ax_curves.text(0.98, 0.97, "", transform=ax_curves.transAxes, ha="right",
                             va="top", animated=True, bbox={"fc": "white", "alpha": 0.9})

    def update_depth_fashion(depth, seed):
        run = runs[depth, seed]
        train_curve.set_data(steps_all, run["train"])
        test_curve.set_data(steps_test, run["test"])
        train_ring.set_data([depth], [run["train"][-1]])
        test_ring.set_data([depth], [run["test"][-1]])
        readout.set_text(f"{depth} hidden layer{'' if depth == 1 else 's'}, seed {seed}\n"
                         f"accuracy: training {run['accuracy'][0]:.1%}, "
                         f"test {run['accuracy'][1]:.1%}")

    return fig, update_depth_fashion


def init_scale_figure(*, n_units: int = 100, depth: int = 20, m: int = 100, seed: int = 0,
                      figsize=(9.0, 3.6)):
    """The spread (standard deviation) of the activations a^[l] through ``depth`` untrained
    dense layers of ``n_units`` units (no biases) on ``m`` random inputs, and of the
    gradient dA^[l] that gets back to each layer when one of spread 1 leaves the top.
    The weights are W ~ N(0, c/n): c = n·Var(w) is 1 for Xavier, 2 for He.
    ``update(activation, c)`` with activation "relu" or "tanh"."""
    n_units, depth = _positive_int("n_units", n_units), _positive_int("depth", depth)
    m, seed = _positive_int("m", m), _positive_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_units, m))                                   # (n, m)
    W_unit = rng.normal(size=(depth, n_units, n_units)) / np.sqrt(n_units)  # Var = 1/n
    dA_top = rng.normal(size=(n_units, m))                              # spread 1
    g = {"relu": (lambda z: np.maximum(0.0, z), lambda a: a > 0),       # g, and g' from a
         "tanh": (np.tanh, lambda a: 1.0 - a * a)}
    lowest, highest = 1e-13, 1e7
    fig, ax = live.figure(1, 1, figsize=figsize)
    ax.set(yscale="log", ylim=(lowest, highest), xlim=(0, depth), xlabel="layer l",
           xticks=np.arange(0, depth + 1, 5),
           ylabel="spread (standard deviation)",
           title="untrained layers: weight scale and depth (权重初始化)")
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    layer = np.arange(depth + 1)
    (a_line,) = ax.plot([], [], "o-", ms=3, color="tab:blue", animated=True,
                        label="activations $a^{[l]}$")
    (da_line,) = ax.plot([], [], "s--", ms=3, color="tab:orange", animated=True,
                         label="gradients $dA^{[l]}$")
    ax.legend(loc="lower left")
    readout = ax.text(0.98, 0.97, "", transform=ax.transAxes, ha="right", va="top",
                      animated=True, bbox={"fc": "white", "alpha": 0.9})

    def update_init_scale(activation, c):
        g_of, slope_of = g[as_choice("activation", activation, tuple(g))]
        c = as_positive("c", c)
        W = np.sqrt(c) * W_unit                                         # (depth, n, n)
        As = [X]
        for l in range(depth):                                          # forward
            As.append(g_of(W[l] @ As[-1]))
        dA, da_spread = dA_top, [dA_top.std()]
        for l in reversed(range(depth)):                                # backward
            dA = W[l].T @ (dA * slope_of(As[l + 1]))
            da_spread.append(dA.std())
        a_spread = [A.std() for A in As]
        a_line.set_data(layer, np.clip(a_spread, lowest, highest))
        da_line.set_data(layer, np.clip(da_spread[::-1], lowest, highest))
        name = {1.0: " (Xavier)", 2.0: " (He)"}.get(float(c), "")
        readout.set_text(f"{activation}, n·Var(w) = {c:.3g}{name}\n"
                         f"layer {depth}: activations {a_spread[-1]:.1e}\n"
                         f"layer 0: gradients {da_spread[-1]:.1e}")

    return fig, update_init_scale
