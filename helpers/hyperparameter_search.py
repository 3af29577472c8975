"""Hyperparameter search (超参数调试) in plain NumPy (notebook 06), and its figures.

The parts, each usable without a browser:

* sampling: :func:`log_uniform` (α = 10^(−4·r) and friends), :func:`sample_learning_rates`,
  :func:`sample_betas` (β through 1 − β on a log scale), :func:`averaging_window`,
  :func:`share_per_bin`, :func:`grid_trials` and :func:`random_trials` (two hyperparameters
  at once), :func:`distinct_values`;
* a real task: :func:`fashion_split` cuts two Fashion-MNIST classes into a training set, a
  development (dev) set and a test set (:class:`Split`);
* training one configuration: :class:`Config` (learning rate, momentum β, hidden units,
  mini-batch size, hidden layers, learning-rate decay, optimiser) and :func:`run_trial`,
  which returns a :class:`Trial` (costs per epoch, dev accuracy, divergence);
* searching: :func:`one_at_a_time` (vary each hyperparameter alone), :func:`sample_configs`
  and :func:`caviar` (many random configurations), :func:`zoom_box` (coarse to fine),
  :func:`pick_best` (on the dev set) and :func:`results_table`;
* the panda: :class:`Panda` babysits one model a few mini-batch steps per tick of a Play
  button, with a learning rate that may change while it trains; :func:`babysit` does it
  by a fixed rule;
* saved trainings: :func:`load_runs` reads ``data/hyperparameter_runs.csv`` (made by
  ``data/make_hyperparameter_runs.py``) back as trials;
* the optimisers on one bowl: :func:`bowl_cost`, :func:`optimizer_paths` (the library's
  SGD, Momentum, RMSprop and Adam, step by step);
* figures: :func:`optimizers_figure`, :func:`grid_vs_random_figure`, :func:`scale_figure`,
  :func:`panda_figure`
  (live, for :class:`helpers.live.LiveFigure`), :func:`plot_priority` and
  :func:`plot_coarse_to_fine` (static).

Every model is a ``helpers.layers`` network: X (784, m), one column per image, labels Y
(1, m), ReLU hidden layers and one output unit whose z goes to the cross-entropy
(``BinaryCrossEntropyWithLogits``). Randomness always comes from a seed or a Generator
passed in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace

import numpy as np

from helpers import layers, training
from helpers.validate import (
    InputError,
    as_array,
    as_axes,
    as_choice,
    as_count,
    as_factor,
    as_generator,
    as_images,
    as_instance,
    as_learning_rate,
    as_list,
    as_matrix,
    as_model,
    as_non_negative,
    as_scalar,
    as_vector,
    is_number,
)

__all__ = [
    "log_uniform", "sample_learning_rates", "sample_betas", "averaging_window",
    "share_per_bin", "grid_trials", "random_trials", "distinct_values", "toy_dev_cost",
    "Split", "fashion_split", "Config", "Trial", "run_trial", "evaluate", "one_at_a_time",
    "spreads", "SearchSpace", "sample_configs", "caviar", "pick_best", "ranked",
    "results_table", "zoom_box", "load_runs", "Panda", "babysit", "bowl_cost",
    "optimizer_paths", "optimizers_figure", "grid_vs_random_figure",
    "scale_figure", "panda_figure", "plot_priority", "plot_coarse_to_fine",
]


# --- checking what comes in ------------------------------------------------------------


def _seed(seed) -> int:
    return as_count("seed", seed, minimum=0)


def _divergence_factor(value) -> float:
    return as_factor("divergence_factor", value)


def _results(results) -> dict:
    """:func:`one_at_a_time`'s results, {name: [(value, Trial), ...]}, or an InputError."""
    if not isinstance(results, dict) or not results:
        raise InputError(f"results must be what one_at_a_time returns, {{hyperparameter: "
                         f"[(value, trial), ...]}}; got {type(results).__name__}")
    for name, runs in results.items():
        runs = as_list(f"results[{name!r}]", runs, what="a list of (value, trial) pairs")
        if not runs or not all(isinstance(run, tuple) and len(run) == 2
                               and isinstance(run[1], Trial) for run in runs):
            raise InputError(f"results[{name!r}] must be a non-empty list of (value, trial) "
                             f"pairs, as one_at_a_time returns")
    return results


def _trials(trials) -> list:
    trials = as_list("trials", trials, what="a list of trials (run_trial, caviar)")
    for trial in trials:
        as_instance("every entry of trials", trial, Trial, "hyperparameter_search.run_trial(...)")
    return trials


# --- sampling: the right scale -----------------------------------------------------------


def log_uniform(low: float, high: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` numbers between ``low`` and ``high`` (both > 0), uniform on a log scale: the
    exponent r is uniform between log10(low) and log10(high) and the value is 10^r, so
    every decade ([1e-4, 1e-3], [1e-3, 1e-2], ...) gets the same share. Shape (n,).

    ``log_uniform(1e-4, 1, n, rng)`` is the course's α = 10^(−4·rand).
    """
    low, high = as_scalar("low", low), as_scalar("high", high)
    if not 0 < low < high:
        raise InputError(f"a log scale needs 0 < low < high, got low={low}, high={high}")
    r = as_generator(rng).uniform(np.log10(low), np.log10(high), as_count("n", n))
    return 10.0 ** r


def sample_learning_rates(n: int, rng: np.random.Generator) -> np.ndarray:
    """α = 10^(−4·r) with r uniform in [0, 1]: ``n`` learning rates in [1e-4, 1], the same
    share in each of the four decades. Shape (n,)."""
    r = as_generator(rng).uniform(0.0, 1.0, as_count("n", n))
    return 10.0 ** (-4.0 * r)


def sample_betas(n: int, rng: np.random.Generator, low: float = 0.9,
                 high: float = 0.999) -> np.ndarray:
    """``n`` values of β in [low, high] for an exponentially weighted average (momentum):
    1 − β is sampled on a log scale (1 − β = 10^r, r uniform in [−3, −1] for the default
    [0.9, 0.999]), so [0.9, 0.99] and [0.99, 0.999] get the same share. Shape (n,)."""
    low, high = as_scalar("low", low), as_scalar("high", high)
    if not 0 <= low < high < 1:
        raise InputError(f"β needs 0 ≤ low < high < 1, got low={low}, high={high}")
    return 1.0 - log_uniform(1.0 - high, 1.0 - low, n, rng)


def averaging_window(beta) -> np.ndarray | float:
    """1 / (1 − β): about how many recent values an exponentially weighted average with
    weight β on the old average remembers (β = 0.9: 10, β = 0.999: 1000)."""
    beta = as_array("beta", beta)
    if np.any(beta < 0) or np.any(beta >= 1):
        raise InputError(f"β must be in [0, 1) (beta, the weight of the old average), got "
                         f"{beta}")
    window = 1.0 / (1.0 - beta)
    return float(window) if window.ndim == 0 else window


def share_per_bin(samples, edges) -> np.ndarray:
    """The fraction of ``samples`` in each bin [edges[i], edges[i+1]] (the last bin
    includes its right edge): shape (len(edges) − 1,); values outside count in no bin."""
    samples = as_array("samples", samples).ravel()
    edges = as_array("edges", edges)
    if samples.size == 0:
        raise InputError("share_per_bin needs at least one sample: samples is empty")
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise InputError(f"edges must be increasing, at least two of them; got {edges}")
    counts, _ = np.histogram(samples, bins=edges)
    return counts / samples.size


def _box(low, high) -> tuple[np.ndarray, np.ndarray]:
    """The corners of a search box over two hyperparameters, shape (2,) each, with
    low < high on both axes, or a clear error."""
    low, high = as_vector("low", low), as_vector("high", high)
    if low.shape != (2,) or high.shape != (2,):
        raise InputError(f"low and high must each hold 2 numbers (one per hyperparameter), "
                         f"got shapes {low.shape} and {high.shape}")
    if np.any(low >= high):
        raise InputError(f"the box needs low < high on both axes, got low={low.tolist()}, "
                         f"high={high.tolist()}")
    return low, high


def grid_trials(k: int, low=(0.0, 0.0), high=(1.0, 1.0)) -> np.ndarray:
    """A k × k grid over the box [low, high] (two hyperparameters): every pair of k
    values per axis, each value in the middle of one of k equal cells. Shape (k², 2),
    one trial per row."""
    k = as_count("k", k)
    low, high = _box(low, high)
    centres = (np.arange(k) + 0.5) / k                      # (k,) in (0, 1)
    a, b = np.meshgrid(centres, centres, indexing="ij")
    return low + np.column_stack([a.ravel(), b.ravel()]) * (high - low)   # (k², 2)


def random_trials(n: int, rng: np.random.Generator, low=(0.0, 0.0),
                  high=(1.0, 1.0)) -> np.ndarray:
    """``n`` trials drawn uniformly in the box [low, high]: shape (n, 2), one per row."""
    low, high = _box(low, high)
    return low + as_generator(rng).uniform(size=(as_count("n", n), 2)) * (high - low)


def distinct_values(trials, column: int) -> int:
    """How many different values of hyperparameter ``column`` the trials (n, 2) try."""
    trials = as_array("trials", trials)
    if trials.ndim != 2 or trials.size == 0:
        raise InputError(f"trials must have shape (n, hyperparameters), one trial per row, "
                         f"got {trials.shape}")
    column = as_count("column", column, minimum=0)
    if column >= trials.shape[1]:
        raise InputError(f"column must be from 0 to {trials.shape[1] - 1} (trials has "
                         f"{trials.shape[1]} columns), got {column}")
    return int(np.unique(trials[:, column]).size)


def toy_dev_cost(log_lr) -> np.ndarray | float:
    """A made-up dev cost that depends on the learning rate only (``log_lr`` is log10 α),
    shaped like the learning rate's row measured in notebook 06, section 2 (about 0.69 at
    α = 1e-4, 0.36 at α = 0.1, 0.46 at α = 1): a broad valley around
    α = 10^−0.8 ≈ 0.16, where it is 0.35."""
    x = as_array("log_lr", log_lr)
    cost = 0.70 - 0.35 * np.exp(-((x + 0.8) / 1.3) ** 2)
    return float(cost) if cost.ndim == 0 else cost


# --- the real task: two classes of Fashion-MNIST --------------------------------------


@dataclass
class Split:
    """Training, development (dev) and test sets: X (784, m) one column per image (the
    mean training image subtracted), Y (1, m) of 0 and 1."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    mean_image: np.ndarray = field(repr=False)   # (784, 1), from the training images only

    @property
    def n(self) -> int:
        return self.X_train.shape[0]

    @property
    def m_train(self) -> int:
        return self.X_train.shape[1]

    def sizes(self) -> str:
        return (f"training {self.X_train.shape[1]}, dev {self.X_dev.shape[1]}, "
                f"test {self.X_test.shape[1]}")


def fashion_split(images_train, labels_train, images_test, labels_test, pair, *,
                  dev_per_class: int, rng: np.random.Generator) -> Split:
    """Two classes ``pair`` = (class for y = 0, class for y = 1) of an image set.

    Of each class's training images, ``dev_per_class`` (chosen at random) form the dev
    set and the rest the training set; the test images of the two classes form the test
    set. Images become columns of 784 numbers in [0, 1] (``data.flatten_images``), then
    the mean training image is subtracted from all three sets.
    """
    from helpers.data import flatten_images

    rng = as_generator(rng)
    images_train = as_images("images_train", images_train)
    images_test = as_images("images_test", images_test)
    labels_train = _labels_of("labels_train", labels_train, "images_train", images_train)
    labels_test = _labels_of("labels_test", labels_test, "images_test", images_test)
    pair = as_list("pair", pair, limit=3, what="two class numbers, e.g. (7, 9)")
    if len(pair) != 2 or not all(is_number(c) for c in pair) or pair[0] == pair[1]:
        raise InputError(f"pair must be two different classes, got {pair!r}")
    dev_per_class = as_count("dev_per_class", dev_per_class)
    train, dev = [], []
    for c in pair:
        mine = rng.permutation(np.flatnonzero(labels_train == c))
        if not 0 < dev_per_class < mine.size:
            raise InputError(f"class {c} has {mine.size} training images: dev_per_class must "
                             f"be between 1 and {mine.size - 1}, got {dev_per_class!r}")
        dev.append(mine[:dev_per_class])
        train.append(mine[dev_per_class:])
    test = np.flatnonzero(np.isin(labels_test, pair))

    def xy(images, labels, chosen):
        return flatten_images(images[chosen]), (labels[chosen] == pair[1])[None, :] * 1.0

    X_train, Y_train = xy(images_train, labels_train, rng.permutation(np.concatenate(train)))
    X_dev, Y_dev = xy(images_train, labels_train, rng.permutation(np.concatenate(dev)))
    X_test, Y_test = xy(images_test, labels_test, test)
    mean_image = X_train.mean(axis=1, keepdims=True)                        # (784, 1)
    return Split(X_train - mean_image, Y_train, X_dev - mean_image, Y_dev,
                 X_test - mean_image, Y_test, mean_image)


def _labels_of(name: str, labels, images_name: str, images: np.ndarray) -> np.ndarray:
    """Class numbers (m,), one per image, or an InputError."""
    labels = as_vector(name, labels)
    if labels.size != images.shape[0]:
        raise InputError(f"{name} must hold one class number per image of {images_name}: "
                         f"{labels.size} labels for {images.shape[0]} images")
    return labels


# --- one configuration, trained -----------------------------------------------------------

OPTIMIZERS = ("momentum", "adam")


@dataclass(frozen=True)
class Config:
    """The hyperparameters (超参数) of one model and its training.

    ``lr`` the learning rate α; ``beta`` the momentum β (Adam's β₁ with "adam");
    ``hidden_units`` per hidden layer; ``batch_size`` the mini-batch size;
    ``hidden_layers``; ``decay`` the learning-rate decay, α_epoch = α / (1 + decay·epoch);
    ``optimizer`` "momentum" or "adam" (with ``beta2`` β₂ and ``epsilon`` ε, used by
    Adam only).
    """

    lr: float
    beta: float = 0.9
    hidden_units: int = 64
    batch_size: int = 64
    hidden_layers: int = 1
    decay: float = 0.0
    optimizer: str = "momentum"
    epsilon: float = 1e-8
    beta2: float = 0.999

    def __post_init__(self):
        as_learning_rate(self.lr)
        for name in ("beta", "beta2", "epsilon"):
            value = getattr(self, name)
            if not is_number(value):
                raise InputError(f"{name} must be a number, not {type(value).__name__}")
        for name in ("beta", "beta2"):
            if not 0 <= getattr(self, name) < 1:  # NaN fails too
                raise InputError(f"{name} must be a number in [0, 1), "
                                 f"got {getattr(self, name)!r}")
        if not 0 < self.epsilon < np.inf:
            raise InputError(f"epsilon must be a small positive number such as 1e-8, "
                             f"got {self.epsilon!r}")
        as_count("hidden_units", self.hidden_units)
        as_count("batch_size", self.batch_size)
        as_count("hidden_layers", self.hidden_layers, minimum=0)
        as_non_negative("decay", self.decay, what="a number ≥ 0 (0: no decay)")
        as_choice("optimizer", self.optimizer, OPTIMIZERS)

    def make_optimizer(self):
        if self.optimizer == "adam":
            return layers.Adam(self.lr, beta1=self.beta, beta2=self.beta2,
                               epsilon=self.epsilon)
        return layers.Momentum(self.lr, beta=self.beta)

    def make_model(self, n: int, rng: np.random.Generator):
        """784 → hidden_units (× hidden_layers, ReLU) → 1: the output is z."""
        n = as_count("n (the number of inputs)", n)
        return layers.mlp([n, *[self.hidden_units] * self.hidden_layers, 1],
                          activation="relu", rng=rng)

    def learning_rate(self, epoch: int) -> float:
        """The learning rate of epoch 0, 1, ...: α / (1 + decay·epoch)."""
        epoch = as_count("epoch", epoch, minimum=0)
        return self.lr / (1.0 + self.decay * epoch)

    def describe(self) -> str:
        return (f"α={self.lr:.2g} β={self.beta:.3g} units={self.hidden_units} "
                f"batch={self.batch_size}")


@dataclass
class Trial:
    """What :func:`run_trial` returns.

    ``train_costs[e]``: the mean cost of the mini-batches of epoch e (measured while the
    weights moved: cheap, and what most libraries print); ``initial_dev_cost`` before
    training, ``dev_cost`` and ``dev_accuracy`` after it (the dev set is measured only
    then: the trials are many, and each forward pass over it costs time).
    ``diverged_at``: the epoch at which a cost became NaN/infinite or more than
    ``divergence_factor`` × the initial dev cost (training stopped there; ``dev_cost``
    is then inf), else None. ``model`` is the trained network.
    """

    config: Config
    train_costs: list = field(default_factory=list)
    initial_dev_cost: float = math.nan
    final_dev_cost: float = math.nan
    dev_accuracy: float = math.nan
    diverged_at: int | None = None
    model: object = field(default=None, repr=False)
    test_cost: float = math.nan         # measured only when asked (load_runs: the caviar)
    test_accuracy: float = math.nan

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def dev_cost(self) -> float:
        return math.inf if self.diverged else self.final_dev_cost

    @property
    def train_cost(self) -> float:
        return math.inf if self.diverged or not self.train_costs else self.train_costs[-1]


def evaluate(model, X, Y) -> tuple[float, float]:
    """(cost, accuracy) of a model whose output is z, on X (n, m) and Y (1, m): the
    cross-entropy of σ(z), and the fraction with (z > 0) == (y == 1). (inf, nan) if the
    forward pass overflows."""
    model = as_model("model", model, example="Config(lr=0.1).make_model(784, rng)")
    X, Y = as_matrix("X", X), as_matrix("Y", Y)
    try:
        with np.errstate(all="ignore"):
            z = model.forward(X)                                        # (1, m)
            cost = layers.BinaryCrossEntropyWithLogits().forward(z, Y)
    except layers.NonFiniteError:
        return math.inf, math.nan
    return cost, float(np.mean((z > 0) == (Y == 1)))


def run_trial(config: Config, split: Split, *, epochs: int, seed: int = 0,
              divergence_factor: float = 10.0) -> Trial:
    """Train one network with ``config`` on ``split``'s training set for ``epochs``
    epochs of shuffled mini-batches; measure the dev set before and after.

    The same seed gives the same first weights and the same order of mini-batches.
    Stops (``Trial.diverged_at``) when a cost explodes (see :class:`Trial`); no warning
    leaks out.
    """
    config = as_instance("config", config, Config, "Config(lr=0.1)")
    split = as_instance("split", split, Split, "fashion_split(...)")
    epochs = as_count("epochs", epochs)
    rng = np.random.default_rng(_seed(seed))
    divergence_factor = _divergence_factor(divergence_factor)
    model = config.make_model(split.n, rng)
    optimizer = config.make_optimizer()
    loss = layers.BinaryCrossEntropyWithLogits()
    trial = Trial(config, model=model)
    trial.initial_dev_cost, _ = evaluate(model, split.X_dev, split.Y_dev)
    limit = training.divergence_limit(trial.initial_dev_cost, divergence_factor)
    for epoch in range(epochs):
        optimizer.lr = config.learning_rate(epoch)
        costs = []
        try:
            with np.errstate(all="ignore"):
                for batch in training.batches(split.m_train, config.batch_size, rng):
                    costs.append(training.step(model, loss, optimizer, split.X_train[:, batch],
                                               split.Y_train[:, batch]))
                    if training.diverged(costs[-1], limit):
                        raise layers.NonFiniteError("the cost exploded")
        except layers.NonFiniteError:
            trial.diverged_at = epoch
            return trial
        trial.train_costs.append(float(np.mean(costs)))
    trial.final_dev_cost, trial.dev_accuracy = evaluate(model, split.X_dev, split.Y_dev)
    if training.diverged(trial.final_dev_cost, limit):
        trial.diverged_at = epochs - 1
    return trial


# --- searching -------------------------------------------------------------------------


def one_at_a_time(base: Config, variations: dict[str, Sequence], split: Split, *,
                  epochs: int, seed: int = 0) -> dict[str, list[tuple[object, Trial]]]:
    """Vary each hyperparameter alone around ``base``: ``variations`` maps a field of
    :class:`Config` to the values to try. Returns {field: [(value, trial), ...]}; a
    configuration that appears twice (the base, say) is trained once."""
    base = as_instance("base", base, Config, "Config(lr=0.1)")
    split = as_instance("split", split, Split, "fashion_split(...)")
    epochs, seed = as_count("epochs", epochs), _seed(seed)
    if not isinstance(variations, dict):
        raise InputError(f"variations must be a dict {{hyperparameter: [values, ...]}}, e.g. "
                         f"{{'lr': [0.01, 0.1]}}; got {type(variations).__name__}")
    variations = {name: as_list(f"variations[{name!r}]", values, what="a list of values")
                  for name, values in variations.items()}
    names = {f.name for f in fields(Config)}
    unknown = set(variations) - names
    if unknown:
        raise InputError(f"unknown hyperparameters {sorted(unknown)}; Config has {sorted(names)}")
    done: dict[Config, Trial] = {}
    results = {}
    for name, values in variations.items():
        results[name] = []
        for value in values:
            config = replace(base, **{name: value})
            if config not in done:
                done[config] = run_trial(config, split, epochs=epochs, seed=seed)
            results[name].append((value, done[config]))
    return results


def spreads(results: dict[str, list[tuple[object, Trial]]]) -> dict[str, float]:
    """For each hyperparameter of :func:`one_at_a_time`'s results: the largest minus the
    smallest final dev cost over its values (a diverged run counts as 10 × its initial
    dev cost, so that it stays finite)."""
    out = {}
    for name, runs in _results(results).items():
        costs = [_shown_cost(trial) for _, trial in runs]
        out[name] = float(max(costs) - min(costs))
    return out


def _shown_cost(trial: Trial) -> float:
    return trial.dev_cost if not trial.diverged else 10.0 * trial.initial_dev_cost


@dataclass(frozen=True)
class SearchSpace:
    """Where random search samples: α on a log scale in [lr_low, lr_high], β through
    1 − β on a log scale in [beta_low, beta_high], hidden units uniformly among the
    integers in [units_low, units_high], mini-batch sizes uniformly among
    ``batch_sizes``."""

    lr_low: float = 1e-4
    lr_high: float = 1.0
    beta_low: float = 0.9
    beta_high: float = 0.999
    units_low: int = 50
    units_high: int = 100
    batch_sizes: tuple = (16, 32, 64, 128, 256)

    def __post_init__(self):
        lr_low, lr_high = as_scalar("lr_low", self.lr_low), as_scalar("lr_high", self.lr_high)
        if not 0 < lr_low < lr_high:
            raise InputError(f"a log scale needs 0 < lr_low < lr_high, got lr_low={lr_low}, "
                             f"lr_high={lr_high}")
        low, high = as_scalar("beta_low", self.beta_low), as_scalar("beta_high", self.beta_high)
        if not 0 <= low < high < 1:
            raise InputError(f"β needs 0 ≤ beta_low < beta_high < 1, got beta_low={low}, "
                             f"beta_high={high}")
        units_low = as_count("units_low", self.units_low)
        if as_count("units_high", self.units_high) < units_low:
            raise InputError(f"units_high must be ≥ units_low = {units_low}, got "
                             f"{self.units_high}")
        sizes = as_list("batch_sizes", self.batch_sizes, limit=1000,
                        what="a tuple of mini-batch sizes")
        if not sizes:
            raise InputError("batch_sizes is empty: give at least one mini-batch size")
        object.__setattr__(self, "batch_sizes", tuple(
            as_count("every entry of batch_sizes", size) for size in sizes))


def sample_configs(n: int, space: SearchSpace, rng: np.random.Generator) -> list[Config]:
    """``n`` random configurations from ``space`` (see :class:`SearchSpace`)."""
    n, rng = as_count("n", n), as_generator(rng)
    space = as_instance("space", space, SearchSpace, "SearchSpace()")
    lrs = log_uniform(space.lr_low, space.lr_high, n, rng)
    betas = sample_betas(n, rng, space.beta_low, space.beta_high)
    units = rng.integers(space.units_low, space.units_high + 1, n)
    batches = rng.choice(np.asarray(space.batch_sizes), n)
    return [Config(float(lr), float(beta), int(h), int(b))
            for lr, beta, h, b in zip(lrs, betas, units, batches, strict=True)]


def caviar(configs: Sequence[Config], split: Split, *, epochs: int,
           seed: int = 0) -> list[Trial]:
    """Train every configuration (the same seed for each), no one watching: the
    "caviar" strategy. Returns the trials in the order of ``configs``."""
    configs = as_list("configs", configs, what="a list of Config")
    for config in configs:
        as_instance("every entry of configs", config, Config, "Config(lr=0.1)")
    split = as_instance("split", split, Split, "fashion_split(...)")
    epochs, seed = as_count("epochs", epochs), _seed(seed)
    return [run_trial(config, split, epochs=epochs, seed=seed) for config in configs]


def _rank_key(trial: Trial):
    return (trial.dev_cost, -trial.dev_accuracy if not trial.diverged else 0.0)


def ranked(trials: Sequence[Trial]) -> list[int]:
    """The indices of ``trials`` from best to worst on the dev set: lowest dev cost
    first (the measure of sections 2 to 5), ties broken by the higher dev accuracy;
    diverged trials last."""
    trials = _trials(trials)
    return sorted(range(len(trials)), key=lambda i: _rank_key(trials[i]))


def pick_best(trials: Sequence[Trial]) -> int:
    """The index of the best trial on the *dev* set (see :func:`ranked`)."""
    trials = _trials(trials)
    if not trials:
        raise InputError("pick_best needs at least one trial: trials is empty")
    return ranked(trials)[0]


def results_table(trials: Sequence[Trial], *, rows: int | None = None) -> str:
    """The trials as a text table, best first on the dev set (:func:`ranked`)."""
    trials = _trials(trials)
    rows = None if rows is None else as_count("rows", rows)
    lines = ["rank   learning rate α   momentum β   hidden units   mini-batch   "
             "training cost   dev cost   dev accuracy"]
    order = ranked(trials)
    for rank, i in enumerate(order[:rows] if rows else order, start=1):
        t, c = trials[i], trials[i].config
        end = (f"{'diverged':>13s}   {'-':>8s}   {'-':>12s}" if t.diverged else
               f"{t.train_cost:13.3f}   {t.dev_cost:8.3f}   {t.dev_accuracy:12.1%}")
        lines.append(f"{rank:4d}   {c.lr:15.2e}   {c.beta:10.4f}   {c.hidden_units:12d}   "
                     f"{c.batch_size:10d}   {end}")
    return "\n".join(lines)


def zoom_box(points, costs, *, best: int = 3, margin: float = 0.25,
             low=None, high=None) -> tuple[np.ndarray, np.ndarray]:
    """Coarse to fine (由粗到精): the smallest box around the ``best`` points with the
    lowest cost, widened by ``margin`` × its size (at least ``margin`` × the whole
    range) on each side and kept inside [low, high]. ``points`` (n, d) should be in the
    coordinates the search samples uniformly (exponents for a log scale). Returns
    (box_low, box_high), each of shape (d,)."""
    points, costs = as_array("points", points), as_array("costs", costs)
    if points.ndim != 2 or points.size == 0 or costs.shape != (points.shape[0],):
        raise InputError(f"points must be (n, d) and costs (n,); got {points.shape} and "
                         f"{costs.shape}")
    best = min(as_count("best", best), points.shape[0])
    margin = as_non_negative("margin", margin)
    chosen = points[np.argsort(costs, kind="stable")[:best]]
    low = points.min(axis=0) if low is None else _corner("low", low, points.shape[1])
    high = points.max(axis=0) if high is None else _corner("high", high, points.shape[1])
    size = np.maximum(chosen.max(axis=0) - chosen.min(axis=0), (high - low) * margin)
    box_low = np.maximum(chosen.min(axis=0) - margin * size, low)
    box_high = np.minimum(chosen.max(axis=0) + margin * size, high)
    return box_low, box_high


def _corner(name: str, corner, d: int) -> np.ndarray:
    corner = as_vector(name, corner)
    if corner.shape != (d,):
        raise InputError(f"{name} must hold one number per column of points, {d}; got "
                         f"shape {corner.shape}")
    return corner


# --- trainings done once and saved: data/hyperparameter_runs.csv ----------------------

RUNS_FILE = "hyperparameter_runs.csv"  # its SHA-256 is in data.CHECKSUMS
_INT_FIELDS = ("hidden_units", "batch_size", "hidden_layers")


def load_runs(experiment: str, data_dir=None):
    """The trainings of notebook 06 that ``data/make_hyperparameter_runs.py`` did once
    (the same ``one_at_a_time`` and ``caviar`` calls, 10 epochs, seed 0), as trials
    without their networks (``Trial.model`` is None).

    ``experiment`` "priority": {hyperparameter: [(value, Trial), ...]}, as
    :func:`one_at_a_time` returns (Adam's under "adam beta", "adam beta2", "adam
    epsilon"); "caviar": the list of trials of the 24 random configurations, in order,
    each with its ``test_cost`` and ``test_accuracy``. ``data_dir`` defaults to the
    course's data folder; the file's SHA-256 is checked (``data.verified_path``).
    """
    import csv

    from helpers.data import DATA_DIR, verified_path

    experiment = as_choice("experiment", experiment, ("priority", "caviar"))
    path = verified_path(RUNS_FILE, DATA_DIR if data_dir is None else data_dir)
    raw = path.read_bytes()
    priority, caviar_trials = {}, []
    for row in csv.DictReader(raw.decode("ascii").splitlines()):
        config = Config(**{f.name: (int(row[f.name]) if f.name in _INT_FIELDS else
                                    row[f.name] if f.name == "optimizer" else
                                    float(row[f.name])) for f in fields(Config)})
        trial = Trial(config, train_costs=[float(row["train_cost"])],
                      initial_dev_cost=float(row["initial_dev_cost"]),
                      final_dev_cost=float(row["dev_cost"]),
                      dev_accuracy=float(row["dev_accuracy"]),
                      diverged_at=int(row["diverged_at"]) if row["diverged_at"] else None,
                      test_cost=float(row["test_cost"]),
                      test_accuracy=float(row["test_accuracy"]))
        if row["experiment"] == "caviar":
            caviar_trials.append(trial)
        else:
            value = float(row["value"])
            value = int(value) if row["varied"] in _INT_FIELDS else value
            priority.setdefault(row["varied"], []).append((value, trial))
    return priority if experiment == "priority" else caviar_trials


# --- the panda: one model, babysat ----------------------------------------------------


class Panda:
    """One network learning the training set of ``split``, a few mini-batches per tick.

    A *tick* is one beat of the Play button: ``steps_per_tick`` steps of gradient descent
    with momentum (β = ``beta``) on mini-batches of ``batch_size`` (a fresh shuffle every
    epoch), then the dev cost and accuracy. :meth:`advance` follows the controls:

    * the tick grows by k: train k ticks (at most ``max_catch_up`` at once: when the
      browser sends ticks faster than the kernel trains, it merges them);
    * the tick goes down (Stop sets it to 0): a new network from the same seed;
    * the learning rate changes: the same network trains on with the new rate (the
      babysitter's hand);
    * a mini-batch cost or the dev cost becomes NaN/infinite or more than
      ``divergence_factor`` × the first dev cost (fourfold: a cross-entropy of 2.8 means
      confidently wrong on most images): the network goes back to its weights after the
      last healthy tick (and its momentum to 0), :attr:`diverged_at` says when (in
      epochs), and it trains no more until the learning rate changes.

    :attr:`history` holds, after every tick: the epoch (examples seen / training-set
    size), the training cost (the mean over the last epoch's mini-batches), the dev
    cost, the dev accuracy and the learning rate used during that tick (row 0: before
    training, with the rate it will start with).
    """

    def __init__(self, split: Split, *, hidden_units: int = 64, batch_size: int = 64,
                 beta: float = 0.9, steps_per_tick: int = 3, max_catch_up: int = 3,
                 seed: int = 0, divergence_factor: float = 4.0):
        self.split = as_instance("split", split, Split, "fashion_split(...)")
        self.config = Config(lr=0.1, beta=beta, hidden_units=hidden_units,
                             batch_size=batch_size)
        self.steps_per_tick = as_count("steps_per_tick", steps_per_tick)
        self.max_catch_up = as_count("max_catch_up", max_catch_up)
        self.divergence_factor = _divergence_factor(divergence_factor)
        self.seed = _seed(seed)
        self.steps_per_epoch = math.ceil(split.m_train / batch_size)
        self.loss = layers.BinaryCrossEntropyWithLogits()
        self.tick = 0
        self.model = None
        self.reset(0.1)

    # -- the rules of the controls ------------------------------------------------------

    def advance(self, tick: int, lr: float) -> Panda:
        """Follow the controls (see the class docstring); returns ``self``."""
        tick = as_count("tick", tick, minimum=0)
        lr = as_learning_rate(lr)
        if tick < self.tick:
            self.reset(lr)
            ticks = min(tick, self.max_catch_up)
        else:
            ticks = min(tick - self.tick, self.max_catch_up)
        if lr != self.optimizer.lr:
            self.optimizer.lr = lr
            self.diverged_at = None          # a new rate: the babysitter tries again
            if len(self.history) == 1:       # nothing trained yet: start with this rate
                self.history[0] = (*self.history[0][:4], lr)
        self.tick = tick
        for _ in range(ticks):
            if self.diverged_at is not None:
                break
            self.train(self.steps_per_tick)
            self.record()
        return self

    def reset(self, lr: float) -> None:
        """A new network (always from the same seed), a new optimiser, no history."""
        rng = np.random.default_rng(self.seed)
        self.model = self.config.make_model(self.split.n, rng)
        self.optimizer = replace(self.config, lr=lr).make_optimizer()
        self.rng = rng
        self.batches, self.position = self._new_epoch(), 0
        self.examples_seen = 0
        self.batch_costs: list[float] = []
        self.diverged_at: float | None = None
        self.history: list[tuple[float, float, float, float, float]] = []
        self.first_cost, accuracy = evaluate(self.model, self.split.X_dev, self.split.Y_dev)
        self.history.append((0.0, self.first_cost, self.first_cost, accuracy, lr))
        self.healthy = self.checkpoint()     # the weights to go back to if training explodes

    # -- training -------------------------------------------------------------------------

    @property
    def epoch(self) -> float:
        return self.examples_seen / self.split.m_train

    def _new_epoch(self) -> list:
        return training.batches(self.split.m_train, self.config.batch_size, self.rng)

    def _next_batch(self) -> np.ndarray:
        if self.position >= len(self.batches):
            self.batches, self.position = self._new_epoch(), 0
        self.position += 1
        return self.batches[self.position - 1]

    def checkpoint(self) -> dict:
        """Copies of every parameter array, to go back to."""
        return {name: p.copy() for name, p in self.model.parameters().items()}

    def restore(self, saved: dict) -> None:
        """Put the parameters of a :meth:`checkpoint` back, and the momentum to 0."""
        parameters = self.model.parameters()
        if not isinstance(saved, dict) or set(saved) != set(parameters) or any(
                np.shape(saved[name]) != p.shape for name, p in parameters.items()):
            raise InputError(f"saved must be what checkpoint() returned for this model, a "
                             f"dict of arrays {sorted(parameters)}; got "
                             f"{type(saved).__name__}")
        for name, p in parameters.items():
            p[...] = saved[name]
        self.optimizer = replace(self.config, lr=self.optimizer.lr).make_optimizer()

    @property
    def limit(self) -> float:
        """A cost above this has exploded: ``divergence_factor`` × the first dev cost."""
        return training.divergence_limit(self.first_cost, self.divergence_factor)

    def _explode(self) -> None:
        self.diverged_at = self.epoch
        self.restore(self.healthy)

    def train(self, steps: int) -> None:
        """``steps`` mini-batch steps, or fewer if a cost explodes (then back to the
        weights of the last healthy tick; see the class docstring)."""
        steps = as_count("steps", steps, minimum=0)
        limit = self.limit
        X, Y = self.split.X_train, self.split.Y_train
        with np.errstate(all="ignore"):
            for _ in range(steps):
                batch = self._next_batch()
                try:
                    cost = training.step(self.model, self.loss, self.optimizer, X[:, batch],
                                         Y[:, batch])
                except layers.NonFiniteError:
                    cost = math.inf
                self.examples_seen += batch.size
                if training.diverged(cost, limit):
                    self._explode()
                    return
                self.batch_costs.append(cost)
        del self.batch_costs[:-self.steps_per_epoch]   # keep one epoch's worth

    def record(self) -> None:
        """Append (epoch, training cost, dev cost, dev accuracy, lr) to the history; if
        the dev cost has exploded, go back to the last healthy weights, else remember
        these as healthy."""
        dev_cost, accuracy = evaluate(self.model, self.split.X_dev, self.split.Y_dev)
        train_cost = float(np.mean(self.batch_costs)) if self.batch_costs else self.first_cost
        self.history.append((self.epoch, train_cost, dev_cost, accuracy, self.optimizer.lr))
        if training.diverged(dev_cost, self.limit):
            self._explode()
        elif self.diverged_at is None:
            self.healthy = self.checkpoint()

    def best(self) -> tuple[float, float, float]:
        """(epoch, dev cost, dev accuracy) of the tick with the lowest dev cost so far."""
        epoch, _, dev_cost, accuracy, _ = min(self.history, key=lambda row: row[2])
        return epoch, dev_cost, accuracy


def babysit(panda: Panda, lr: float, *, epochs: int, up: float = 1.5, down: float = 0.5,
            patience: int = 3) -> list[str]:
    """Babysit ``panda`` by a fixed rule, one epoch ("day") at a time, from a new network
    with learning rate ``lr`` (the "bold driver" rule):

    after each epoch look at the dev cost. If it is the lowest so far, keep a copy of the
    weights and multiply the learning rate by ``up`` (all is well: go a little faster);
    otherwise go back to the best copy and multiply the learning rate by ``down``. Stop
    after ``epochs`` epochs, or earlier when ``patience`` epochs in a row brought nothing
    better (early stopping); the best copy is the network kept. Returns one line per
    epoch saying what was seen and done.
    """
    panda = as_instance("panda", panda, Panda, "Panda(split)")
    epochs, patience = as_count("epochs", epochs), as_count("patience", patience)
    if not (as_scalar("up", up) >= 1 and 0 < as_scalar("down", down) < 1):
        raise InputError(f"up must be ≥ 1 and down in (0, 1), got up={up!r}, down={down!r}")
    panda.reset(lr)
    best_cost, best_saved, log, failures = panda.first_cost, panda.checkpoint(), [], 0
    for day in range(1, epochs + 1):
        panda.train(panda.steps_per_epoch)
        panda.record()
        _, _, dev_cost, accuracy, used = panda.history[-1]
        if panda.diverged_at is None and dev_cost < best_cost:
            best_cost, best_saved, failures = dev_cost, panda.checkpoint(), 0
            panda.optimizer.lr = used * up
            note = f"best so far: keep a copy, lr × {up:g}"
        else:
            failures += 1
            panda.diverged_at = None
            panda.restore(best_saved)
            panda.optimizer.lr = used * down
            note = f"worse: back to the best copy, lr × {down:g}"
        log.append(f"epoch {day:2d}  lr {used:<7.3g} dev cost {dev_cost:.3f}  "
                   f"dev accuracy {accuracy:.1%}  {note}")
        if failures == patience:
            log.append(f"{patience} epochs in a row without a better dev cost: stop")
            break
    panda.restore(best_saved)
    return log


# --- figures ---------------------------------------------------------------------------


def _power_ticks(ax, axis: str, exponents) -> None:
    """Label an axis drawn in exponents with 10^k."""
    labels = [f"$10^{{{k}}}$" if k not in (0, 1) else f"{10 ** k:g}" for k in exponents]
    if axis == "x":
        ax.set_xticks(list(exponents), labels)
    else:
        ax.set_yticks(list(exponents), labels)


def grid_vs_random_figure(*, figsize=(10.5, 5.6)):
    """Grid search vs random search over two hyperparameters of which only one matters.

    Returns ``(fig, update)`` with ``update(k, seed)``: left, a k × k grid; right, k²
    random trials (from ``seed``). Top: the trials over (log10 α, log10 ε), on the made-up
    dev cost :func:`toy_dev_cost` that depends on α only (colour); bottom: each trial
    projected on the α axis — the values of α actually tried — and the best one found.
    """
    from helpers import live

    fig, axes = live.figure(2, 2, figsize=figsize, height_ratios=[1.5, 1])
    xs = np.linspace(-4, 0, 400)
    low, high = (-4.0, -10.0), (0.0, -6.0)
    artists = {}
    for col, kind in enumerate(("grid", "random")):
        top, bottom = axes[0, col], axes[1, col]
        top.imshow(toy_dev_cost(xs)[None, :], extent=(-4, 0, -10, -6), aspect="auto",
                   cmap="viridis_r", origin="lower", vmin=0.28, vmax=0.85)
        top.set(xlim=(-4, 0), ylim=(-10, -6), ylabel="Adam's ε (does not matter)",
                title=("grid search (网格搜索)" if kind == "grid" else
                       "random search (随机搜索)"))
        _power_ticks(top, "x", range(-4, 1))
        _power_ticks(top, "y", range(-10, -5))
        bottom.plot(xs, toy_dev_cost(xs), color="0.35", lw=1.5)
        bottom.set(xlim=(-4, 0), ylim=(0.25, 0.85), xlabel="learning rate α (matters)",
                   ylabel="dev cost")
        _power_ticks(bottom, "x", range(-4, 1))
        (points,) = top.plot([], [], "o", ms=6, mfc="white", mec="black", animated=True)
        (tried,) = bottom.plot([], [], "|", ms=14, mew=1.6, color="tab:blue", animated=True)
        (best,) = bottom.plot([], [], "*", ms=15, color="#d62728", mec="white",
                              animated=True)
        readout = bottom.text(0.02, 0.95, "", transform=bottom.transAxes, va="top",
                              fontsize=9, animated=True,
                              bbox={"fc": "white", "alpha": 0.85, "ec": "none"})
        artists[kind] = (points, tried, best, readout)

    def update_grid_vs_random(k, seed):
        trials = {"grid": grid_trials(k, low, high),
                  "random": random_trials(k * k, np.random.default_rng(seed), low, high)}
        for kind, found in trials.items():
            points, tried, best, readout = artists[kind]
            costs = toy_dev_cost(found[:, 0])
            i = int(np.argmin(costs))
            points.set_data(found[:, 0], found[:, 1])
            tried.set_data(found[:, 0], costs)
            best.set_data([found[i, 0]], [costs[i]])
            readout.set_text(f"{distinct_values(found, 0)} values of α · best {costs[i]:.3f}")

    return fig, update_grid_vs_random


_LR_EDGES = np.array([1e-4, 1e-3, 1e-2, 1e-1, 1.0])
_BETA_EDGES = np.array([0.9, 0.99, 0.999])


def scale_figure(*, figsize=(10.5, 5.4)):
    """Where samples land: uniform sampling vs sampling on a log scale (对数尺度).

    Returns ``(fig, update)`` with ``update(sampling, n, seed)``, ``sampling`` one of
    "uniform" and "log scale". Top row: n learning rates α in [1e-4, 1] (uniform: on the
    numbers themselves; log scale: α = 10^(−4·r)); bottom row: n momentum values β in
    [0.9, 0.999] (uniform on β; log scale: 1 − β = 10^r with r in [−3, −1]). Left: the
    samples on an ordinary axis; right: the share in each decade (of α, of 1 − β).
    """
    from helpers import live

    fig, axes = live.figure(2, 2, figsize=figsize, width_ratios=[1.5, 1])
    (ax_a, ax_a_bins), (ax_b, ax_b_bins) = axes
    ax_a.set(xlim=(0, 1), ylim=(0, 1), yticks=[], xlabel="learning rate α (ordinary axis)",
             title="where the samples land")
    ax_b.set(xlim=(0.9, 1.0), ylim=(0, 1), yticks=[],
             xlabel="momentum β (ordinary axis; the window 1/(1 − β) above)")
    window = ax_b.secondary_xaxis("top", functions=(_window_of, _beta_of))
    window.set_ticks([10, 20, 50, 100, 1000])
    labels_a = ["$10^{-4}$–$10^{-3}$", "$10^{-3}$–$10^{-2}$", "0.01–0.1", "0.1–1"]
    labels_b = ["β 0.9–0.99\nwindow 10–100", "β 0.99–0.999\nwindow 100–1000"]
    bars = {}
    for ax, labels, key, title in ((ax_a_bins, labels_a, "lr", "share per decade of α"),
                                   (ax_b_bins, labels_b, "beta",
                                    "share per decade of 1 − β")):
        x = np.arange(len(labels))
        ax.axhline(1 / len(labels), color="0.5", ls="--", lw=1)
        bars[key] = ax.bar(x, np.zeros(len(labels)), color="tab:blue", animated=True)
        ax.set(ylim=(0, 1.25), xlim=(-0.6, len(labels) - 0.4), title=title,
               yticks=[0, 0.25, 0.5, 0.75, 1.0])
        ax.set_xticks(x, labels, fontsize=8)
        ax.yaxis.set_major_formatter(_percent)
    (dots_a,) = ax_a.plot([], [], "o", ms=3, alpha=0.5, color="tab:blue", animated=True)
    (dots_b,) = ax_b.plot([], [], "o", ms=3, alpha=0.5, color="tab:orange", animated=True)
    for bar in bars["beta"]:
        bar.set_color("tab:orange")
    # short readouts: text is the costly part of a frame (~40 µs per character)
    text_a = ax_a_bins.text(0.03, 0.96, "", transform=ax_a_bins.transAxes, va="top",
                            fontsize=9, animated=True)
    text_b = ax_b_bins.text(0.03, 0.96, "", transform=ax_b_bins.transAxes, va="top",
                            fontsize=9, animated=True)

    def update_scale(sampling, n, seed):
        if sampling not in ("uniform", "log scale"):
            raise InputError(f'sampling must be "uniform" or "log scale", got {sampling!r}')
        rng = np.random.default_rng(seed)
        jitter = rng.uniform(0.05, 0.95, (2, n))
        if sampling == "uniform":
            alphas = rng.uniform(1e-4, 1.0, n)
            betas = rng.uniform(0.9, 0.999, n)
        else:
            alphas = log_uniform(1e-4, 1.0, n, rng)
            betas = sample_betas(n, rng)
        dots_a.set_data(alphas, jitter[0])
        dots_b.set_data(betas, jitter[1])
        share_a = share_per_bin(alphas, _LR_EDGES)
        share_b = share_per_bin(betas, _BETA_EDGES)     # the decades of 1 − β
        for bar, share in zip(bars["lr"], share_a, strict=True):
            bar.set_height(share)
        for bar, share in zip(bars["beta"], share_b, strict=True):
            bar.set_height(share)
        text_a.set_text(f"{share_a[-1]:.0%} in [0.1, 1]")
        text_b.set_text(f"{share_b[1]:.0%} with β ≥ 0.99")

    return fig, update_scale


def _window_of(beta):
    with np.errstate(divide="ignore"):
        return 1.0 / np.maximum(1.0 - np.asarray(beta, dtype=float), 1e-9)


def _beta_of(window):
    return 1.0 - 1.0 / np.maximum(np.asarray(window, dtype=float), 1e-9)


def _percent(value, _position=None) -> str:
    return f"{value:.0%}"


def panda_figure(panda: Panda, *, max_ticks: int = 300, figsize=(10.0, 4.6)):
    """The panda's figure and its ``update(tick, lr)`` for :class:`helpers.live.LiveFigure`
    -> ``(fig, update)``.

    Top: the training cost and the dev cost after every tick, against the epoch (fixed
    axes; a cost above the top is drawn at the top), with a ring on the lowest dev cost
    so far (the weights a babysitter would keep). Bottom: the learning rate used at every
    tick (log scale; each step covers the tick that used it, and the dot is the rate the
    next tick will use): the babysitter's hand. If a cost explodes, a red ✕ and a
    message.
    """
    from helpers import live

    panda = as_instance("panda", panda, Panda, "Panda(split)")
    max_ticks = as_count("max_ticks", max_ticks)
    max_epoch = max_ticks * panda.steps_per_tick * panda.config.batch_size / panda.split.m_train
    fig, (ax_cost, ax_lr) = live.figure(2, 1, figsize=figsize, height_ratios=[2.6, 1],
                                        sharex=True)
    top = 1.2
    ax_cost.set(xlim=(0, max_epoch), ylim=(0, top), ylabel="cost J (cross-entropy)",
                title="panda: one model, babysat (熊猫模式)")
    ax_cost.grid(True, color="0.92")
    ax_lr.set(ylim=(5e-5, 30), yscale="log", xlabel="epoch", ylabel="learning rate α")
    ax_lr.set_yticks([1e-4, 1e-2, 1])
    ax_lr.grid(True, color="0.92")
    (train_line,) = ax_cost.plot([], [], color="tab:blue", lw=1.6, animated=True)
    (dev_line,) = ax_cost.plot([], [], color="tab:orange", lw=1.8, animated=True)
    (best_ring,) = ax_cost.plot([], [], "o", ms=11, mfc="none", mec="tab:green", mew=2,
                                animated=True)
    (exploded,) = ax_cost.plot([], [], "X", ms=12, color="#b00020", animated=True)
    ax_cost.legend([train_line, dev_line, best_ring],
                   ["training cost (mean over the last epoch's mini-batches)", "dev cost",
                    "lowest dev cost so far"], loc="upper right", fontsize=8)
    (lr_line,) = ax_lr.step([], [], where="pre", color="tab:purple", lw=1.6, animated=True)
    (lr_now,) = ax_lr.plot([], [], "o", ms=7, color="tab:purple", animated=True)
    readout = ax_cost.text(0.01, 0.03, "", transform=ax_cost.transAxes, fontsize=9,
                           animated=True, bbox={"fc": "white", "alpha": 0.9})
    # LiveFigure.redraw holds the course's one drawing lock around update: one tick
    # finishes training before the next one starts.
    def update_panda(tick, lr):
        panda.advance(tick, lr)
        epochs, train_costs, dev_costs, accuracies, lrs = np.array(panda.history).T
        # (a few hundred rows at most: the conversion takes microseconds)
        train_line.set_data(epochs, np.minimum(train_costs, top))
        dev_line.set_data(epochs, np.minimum(dev_costs, top))
        lr_line.set_data(epochs, lrs)
        lr_now.set_data([epochs[-1]], [lr])
        best_epoch, best_cost, _ = panda.best()
        best_ring.set_data([best_epoch], [min(best_cost, top)])     # the legend names it
        # one short line: text is the costly part of a frame (~40 µs per character)
        first = (f"tick {tick} · α {lr:.3g} · dev cost {dev_costs[-1]:.3f} "
                 f"({accuracies[-1]:.1%})")
        if panda.diverged_at is not None:
            exploded.set_data([min(panda.diverged_at, max_epoch)], [top * 0.97])
            readout.set_text(f"{first}\ndiverged at epoch {panda.diverged_at:.1f}: "
                             f"lower α")
            readout.set_color("#b00020")
        else:
            exploded.set_data([], [])
            readout.set_text(first)
            readout.set_color("black")

    return fig, update_panda


# --- the optimisers on one problem --------------------------------------------------------

_CURVATURE = np.array([1.0, 20.0])     # the bowl J(w) = ½ (1·w₁² + 20·w₂²)
OPTIMIZER_SETTINGS = {"gradient descent": ("SGD", {"lr": 0.09}),
                      "momentum": ("Momentum", {"lr": 0.09, "beta": 0.9}),
                      "RMSprop": ("RMSprop", {"lr": 0.1, "beta": 0.9}),
                      "Adam": ("Adam", {"lr": 0.1})}


class _Bowl:
    """A "model" with one parameter w (2,) on the bowl J(w) = ½ Σ cᵢ wᵢ², for the
    optimisers of ``helpers.layers`` (they only need parameters() and gradients())."""

    def __init__(self, start):
        self.w = np.array(start, dtype=float)

    def parameters(self) -> dict:
        return {"w": self.w}

    def gradients(self) -> dict:
        return {"w": _CURVATURE * self.w}                  # dJ/dw


def bowl_cost(w) -> np.ndarray:
    """J(w) = ½ (w₁² + 20 w₂²) for points w (..., 2): a long narrow valley."""
    w = as_array("w", w)
    if w.shape[-1:] != (2,):
        raise InputError(f"w must hold points (..., 2), got shape {w.shape}")
    return 0.5 * np.sum(_CURVATURE * w ** 2, axis=-1)


def optimizer_paths(steps: int = 80, start=(-4.0, 1.0)) -> dict[str, np.ndarray]:
    """The path of each optimiser of ``OPTIMIZER_SETTINGS`` (the library's own
    ``layers.SGD``, ``Momentum``, ``RMSprop``, ``Adam``) on :func:`bowl_cost` from
    ``start``: {name: array (steps + 1, 2)}, row t the point after t steps."""
    steps = as_count("steps", steps)
    start = as_vector("start", start)
    if start.shape != (2,):
        raise InputError(f"start must be a point (w₁, w₂), got shape {start.shape}")
    paths = {}
    for name, (kind, settings) in OPTIMIZER_SETTINGS.items():
        bowl, optimizer = _Bowl(start), getattr(layers, kind)(**settings)
        points = [bowl.w.copy()]
        for _ in range(steps):
            optimizer.step(bowl)
            points.append(bowl.w.copy())
        paths[name] = np.array(points)                     # (steps + 1, 2)
    return paths


def optimizers_figure(*, steps: int = 80, figsize=(10.5, 4.4)):
    """Gradient descent, momentum, RMSprop and Adam side by side on one bowl.

    Returns ``(fig, update)`` with ``update(t)``: the paths up to step t on the contours
    of :func:`bowl_cost` (left) and each cost against the step, log scale (right). The
    paths are computed once (:func:`optimizer_paths`); a move of the slider only moves
    the artists.
    """
    from helpers import live

    steps = as_count("steps", steps)
    paths = optimizer_paths(steps)
    costs = {name: bowl_cost(p) for name, p in paths.items()}
    fig, (ax, ax_cost) = live.figure(1, 2, figsize=figsize, width_ratios=[1.4, 1])
    g1, g2 = np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-1.6, 1.6, 120))
    ax.contour(g1, g2, bowl_cost(np.stack([g1, g2], axis=-1)), levels=[0.1, 0.5, 2, 5, 10,
                                                                         18, 30], colors="0.8")
    ax.plot([0], [0], "*", ms=12, color="black")
    ax.set(xlim=(-4.5, 4.5), ylim=(-1.6, 1.6), xlabel="$w_1$ (gentle slope)",
           ylabel="$w_2$ (steep slope)",
           title=r"$J(w) = \frac{1}{2}(w_1^2 + 20\,w_2^2)$")
    ax_cost.set(xlim=(0, steps), ylim=(1e-4, 40), yscale="log", xlabel="step t",
                ylabel="cost J")
    colours = ["0.45", "tab:blue", "tab:orange", "tab:green"]
    artists = []
    for (name, path), colour in zip(paths.items(), colours, strict=True):
        (line,) = ax.plot([], [], "-", color=colour, lw=1.5, animated=True, label=name)
        (dot,) = ax.plot([], [], "o", color=colour, ms=6, animated=True)
        ax_cost.plot(np.arange(steps + 1), costs[name], color=colour, lw=1.2, alpha=0.35)
        (now,) = ax_cost.plot([], [], "o", color=colour, ms=6, animated=True)
        artists.append((line, dot, now, path, costs[name]))
    ax.legend(loc="lower right", fontsize=8)
    cursor = ax_cost.axvline(0, color="0.3", lw=1, ls=":", animated=True)
    readout = ax_cost.text(0.97, 0.97, "", transform=ax_cost.transAxes, ha="right",
                           va="top", fontsize=8, animated=True, family="monospace")

    def update_optimizers(t):
        t = min(as_count("t", t, minimum=0), steps)
        for line, dot, now, path, cost in artists:
            line.set_data(path[:t + 1, 0], path[:t + 1, 1])
            dot.set_data([path[t, 0]], [path[t, 1]])
            now.set_data([t], [max(cost[t], 1e-4)])
        cursor.set_xdata([t, t])
        readout.set_text("\n".join(f"{name:16s} {costs[name][t]:8.2g}" for name in paths))

    return fig, update_optimizers


def plot_priority(results: dict[str, list[tuple[object, Trial]]], labels: dict[str, str],
                  *, ax=None, formats: dict[str, Callable] | None = None):
    """Each hyperparameter of :func:`one_at_a_time` as a row: a dot per value tried at
    its final dev cost, a bar over the spread, the best value written on the left (green)
    and the worst on the right (red); rows sorted by spread, the largest on top. Returns
    the axes."""
    results = _results(results)
    if not isinstance(labels, dict):
        raise InputError(f"labels must be a dict {{hyperparameter: label}}, e.g. {{'lr': "
                         f"'learning rate α'}}; got {type(labels).__name__}")
    if formats is not None and not (isinstance(formats, dict) and all(
            callable(f) for f in formats.values())):
        raise InputError(f"formats must be None or a dict {{hyperparameter: function}}, e.g. "
                         f"{{'lr': '{{:.0e}}'.format}}; got {type(formats).__name__}")
    ax = as_axes(ax)
    formats = formats or {}
    spread = spreads(results)
    order = sorted(results, key=spread.get)
    for row, name in enumerate(order):
        costs = [_shown_cost(trial) for _, trial in results[name]]
        ax.plot([min(costs), max(costs)], [row, row], color="0.8", lw=8,
                solid_capstyle="round", zorder=1)
        ax.plot(costs, [row] * len(costs), "o", color="tab:blue", zorder=2)
        show = formats.get(name, "{:g}".format)
        values = [value for value, _ in results[name]]
        best, worst = int(np.argmin(costs)), int(np.argmax(costs))
        ax.annotate(f"{show(values[best])} ", (costs[best], row), xytext=(-6, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=8,
                    color="tab:green")
        ax.annotate(f" {show(values[worst])}", (costs[worst], row), xytext=(6, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=8,
                    color="#b00020")
    ax.set_yticks(range(len(order)), [labels.get(name, name) for name in order])
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.margins(x=0.1)  # room for the labels at both ends
    ax.set_xlabel("dev cost after training (lower is better)")
    return ax


def plot_coarse_to_fine(rounds: Sequence[tuple[np.ndarray, np.ndarray]], box, *, ax=None,
                        vmin: float | None = None, vmax: float | None = None):
    """The trials of a coarse-to-fine search over (log10 α, log10(1 − β)): ``rounds`` is
    [(points (n, 2), costs (n,)), ...] (circles for the first round, triangles after),
    coloured by dev cost; ``box`` = (low, high) the zoomed region. Returns the axes and
    the colour mapping (for a colour bar)."""
    from matplotlib.patches import Rectangle

    rounds = [_round(k, entry) for k, entry in enumerate(
        as_list("rounds", rounds, what="a list of (points (n, 2), costs (n,)) pairs"))]
    if not rounds:
        raise InputError("rounds is empty: give at least one (points, costs) pair")
    box = as_list("box", box, limit=3, what="a pair (low, high) of corners")
    if len(box) != 2:
        raise InputError(f"box must be a pair (low, high) of corners, got {len(box)} items")
    low, high = _box(*box)
    ax = as_axes(ax)
    costs = np.concatenate([c for _, c in rounds])
    vmin = float(np.min(costs)) if vmin is None else as_scalar("vmin", vmin)
    vmax = float(np.max(costs)) if vmax is None else as_scalar("vmax", vmax)
    mapping = None
    for k, (points, c) in enumerate(rounds):
        mapping = ax.scatter(points[:, 0], points[:, 1], c=np.minimum(c, vmax),
                             marker="o" if k == 0 else "^", s=60 if k == 0 else 45,
                             cmap="viridis_r", vmin=vmin, vmax=vmax, edgecolors="black",
                             linewidths=0.6, label=f"round {k + 1}", zorder=3)
    ax.add_patch(Rectangle(low, *(high - low), fill=False, ec="#d62728", lw=2, ls="--",
                           zorder=2, label="zoom for round 2"))
    ax.set(xlim=(-4, 0), ylim=(-3, -1), xlabel="learning rate α",
           ylabel="momentum β")
    _power_ticks(ax, "x", range(-4, 1))
    ax.set_yticks([-3, -2, -1], ["0.999", "0.99", "0.9"])
    ax.legend(loc="lower left", fontsize=8)
    return ax, mapping


def _round(k: int, entry) -> tuple[np.ndarray, np.ndarray]:
    """Round k of plot_coarse_to_fine: (points (n, 2), costs (n,)), or an InputError."""
    if not (isinstance(entry, tuple | list) and len(entry) == 2):
        raise InputError(f"rounds[{k}] must be a pair (points (n, 2), costs (n,)), got "
                         f"{type(entry).__name__}")
    points, costs = as_array(f"rounds[{k}] points", entry[0]), as_vector(f"rounds[{k}] costs",
                                                                          entry[1])
    if points.shape != (costs.size, 2):
        raise InputError(f"rounds[{k}]: points must be ({costs.size}, 2), one row per cost; "
                         f"got {points.shape}")
    return points, costs
