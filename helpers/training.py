"""Training: one core for every trainer of the course (notebooks 05 to 08).

* **One step** of gradient descent on a batch: forward, cost, backward, update
  (:func:`step`). Every trainer takes its steps with it.
* **One batching rule** (:func:`batches`): every epoch a new shuffle of the m examples,
  cut into consecutive mini-batches of ``batch_size`` (the last one may be smaller).
* **One divergence rule** (:func:`diverged`): a run has diverged when a cost is not a
  finite number, or is more than ``divergence_factor`` times the cost the run started
  from. Each trainer says which cost it started from and which factor it uses.
* :func:`cost` measures a model in evaluation mode, :func:`train` trains for whole
  epochs (notebooks 06-08), :class:`TickTrainer` trains while a Play button runs, a few
  steps per tick (the playgrounds of notebooks 05 and 08).

The notebooks' own trainers (:mod:`helpers.hyperparameter_search`'s ``run_trial`` and
``Panda``, :mod:`helpers.batch_norm`'s ``record_training``) keep only what is their own:
what they record, and what they do after a divergence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from helpers import layers
from helpers.validate import (
    InputError,
    all_finite,
    as_array,
    as_count,
    as_factor,
    as_flag,
    as_generator,
    as_instance,
    as_learning_rate,
    as_matrix,
    as_model,
    as_positive,
    as_scalar,
    is_number,
)

# --- the core ------------------------------------------------------------------------------


def divergence_limit(first_cost: float, divergence_factor: float) -> float:
    """The highest cost a run may reach: ``divergence_factor`` × the cost it started from
    (at least 1e-12, so that a run that starts at cost 0 has a limit too)."""
    first_cost = as_scalar("first_cost", first_cost)
    return as_factor("divergence_factor", divergence_factor) * max(first_cost, 1e-12)


def diverged(cost: float, limit: float) -> bool:
    """The course's one divergence rule: True when ``cost`` is not a finite number or is
    above ``limit``. The limit is :func:`divergence_limit` (a factor × the cost the run
    started from) for the trainers of 03 and 05-08, a fixed bound for the small runs of 02
    and 04 (their ``max_loss``, ``max_cost``), ``math.inf`` when only a cost that is not a
    number counts."""
    if type(cost) is float and type(limit) is float and limit == limit:  # usual: quick
        return not (cost <= limit and math.isfinite(cost))
    if not is_number(cost):
        raise InputError(f"cost must be a number (NaN and inf are allowed: they mean "
                         f"divergence), got {cost!r}")
    if not is_number(limit) or math.isnan(limit):
        raise InputError(f"limit must be a number (inf: no limit), got {limit!r}")
    return not (cost <= limit and math.isfinite(cost))  # NaN and inf too


def step(model, loss, optimizer, X, Y, *, limit: float = math.inf) -> float:
    """One step of gradient descent on the batch (X, Y): forward, cost, backward (the
    loss's backward holds the 1/m), then ``optimizer.step(model)``. Returns the cost
    before the update. A cost above ``limit`` (see :func:`diverged`) is returned without
    an update. A layer that meets inf or NaN raises :class:`layers.NonFiniteError`."""
    model, loss = _model_and_loss(model, loss)
    as_model("optimizer", optimizer, ("step",), "layers.SGD(0.1)")
    X, Y = _examples(X, Y)
    return _step(model, loss, optimizer, X, Y, limit)


def _step(model, loss, optimizer, X, Y, limit: float) -> float:
    """:func:`step` on arguments already checked."""
    batch_cost = loss.forward(model.forward(X), Y)
    if diverged(batch_cost, limit):
        return batch_cost
    model.backward(loss.backward())
    optimizer.step(model)
    return batch_cost


def batches(m: int, batch_size: int | None, rng, *, single_joins: bool = False,
            whole_only: bool = False) -> list:
    """The columns of each step of one epoch: all of them (``batch_size`` None: batch
    gradient descent), or a new shuffle of the m examples (``rng.permutation(m)``) cut
    into consecutive mini-batches of ``batch_size``. The last one may be smaller;
    ``single_joins`` joins a last batch of one example to the one before (BatchNorm
    cannot normalise over one example); ``whole_only`` drops a smaller last batch."""
    m = as_count("m", m)
    single_joins, whole_only = as_flag("single_joins", single_joins), as_flag("whole_only",
                                                                             whole_only)
    if batch_size is None:
        return [slice(None)]
    batch_size = as_count("batch_size", batch_size)
    if whole_only and batch_size > m:
        raise InputError(f"batch_size = {batch_size} is more than the {m} examples: no whole "
                         f"mini-batch")
    order = as_generator(rng, "to shuffle the examples").permutation(m)
    if whole_only:
        order = order[:m - m % batch_size]
        m = order.size
    starts = list(range(0, m, batch_size))
    if single_joins and len(starts) > 1 and m - starts[-1] == 1:
        starts.pop()
    return [order[start:end] for start, end in zip(starts, [*starts[1:], m], strict=True)]


def cost(model, loss, X, Y) -> float:
    """The cost on X in evaluation mode, without changing BatchNorm's running averages
    (inf if a layer overflowed)."""
    model, loss = _model_and_loss(model, loss)
    X, Y = _examples(X, Y)
    try:
        with layers.evaluating(model):
            return loss.forward(model.forward(X), Y)
    except layers.NonFiniteError:
        return math.inf


def _model_and_loss(model, loss):
    model = as_model("model", model, ("forward", "backward", "parameters", "gradients"),
                     "layers.mlp([2, 3, 1], rng=rng)")
    return model, as_model("loss", loss, ("forward", "backward"), "layers.MSE()")


def _examples(X, Y) -> tuple[np.ndarray, np.ndarray]:
    """X (n, m) and Y (m,) or (C, m): finite numbers, one column of Y per example."""
    X, Y = as_matrix("X", X), as_array("Y", Y)
    if not all_finite(X):
        raise InputError("X contains NaN or infinity: every entry must be a finite number")
    if Y.ndim not in (1, 2) or Y.shape[-1] != X.shape[1]:
        raise InputError(f"X has {X.shape[1]} examples (columns) but Y has shape {Y.shape}: "
                         f"Y must be (m,) or (C, m), one column per column of X")
    return X, Y


# --- whole epochs --------------------------------------------------------------------------


@dataclass
class History:
    """What :func:`train` returns.

    ``costs[e]`` is the cost on the whole training set after epoch e (0, 1, ...), and
    ``initial_cost`` the cost before training. Both are measured in evaluation mode, as
    the model would answer at test time (BatchNorm with its running averages, which
    measuring does not change); without BatchNorm the two modes give the same cost. The
    costs of the mini-batches during an epoch are not recorded.

    ``diverged_at`` is the epoch at which the cost became NaN/infinite or grew a
    millionfold over ``initial_cost`` (the factor is :func:`train`'s
    ``divergence_factor``); training stopped there, the last entry of ``costs`` is that
    epoch's cost (inf if it was not a number), and the parameters are no longer usable.
    Otherwise ``diverged_at`` is None.
    """

    costs: list = field(default_factory=list)
    diverged_at: int | None = None
    initial_cost: float = math.nan

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None


def train(model, loss, X, Y, *, lr: float | None = None, optimizer=None, epochs: int,
          batch_size: int | None = None, rng: np.random.Generator | None = None,
          divergence_factor: float = 1e6) -> History:
    """Gradient descent: ``epochs`` passes over X (n, m) and Y (1, m) or (m,).

    Give exactly one of ``lr`` (plain gradient descent, W ← W − lr·dW) or ``optimizer``
    (any object with ``step(model)``: :class:`~helpers.layers.SGD`, ``Momentum``, ``RMSprop``,
    :class:`Adam`; it keeps its memory, so passing the same one to several calls of
    train continues where the last call stopped, and you may change ``optimizer.lr``
    between calls).

    With ``batch_size=None`` every epoch is one step on all m examples (batch gradient
    descent); otherwise the examples are shuffled with ``rng`` and each epoch takes one
    step per mini-batch of ``batch_size`` examples (the last batch may be smaller; for a
    model with BatchNorm a last batch of a single example joins the one before, and
    batch_size must be at least 2). The steps run in training mode; the costs of
    :class:`History` are measured in evaluation mode, and afterwards every layer is back
    in the mode it was in.

    Stops early, without warnings, if the cost diverges: becomes NaN or infinite, or
    exceeds ``divergence_factor`` × the initial cost (see :class:`History`). A
    cross-entropy on a sigmoid output rarely explodes (a too large lr rather saturates
    the sigmoid and the cost stays high); a smaller factor, e.g. 10, catches that too.
    """
    model = as_model("model", model, ("forward", "backward", "parameters", "gradients"),
                     "layers.mlp([2, 3, 1], rng=rng)")
    loss = as_model("loss", loss, ("forward", "backward"), "layers.MSE()")
    X = layers._as_float("train", "X", X)
    if X.ndim != 2 or X.shape[1] == 0:
        raise InputError(f"X must have shape (n, m) with m ≥ 1 examples, got {X.shape}")
    layers._check_finite("train", "X", X)
    Y = layers._as_float("train", "Y", Y)
    if Y.size == 0 or Y.shape[-1] != X.shape[1]:
        raise InputError(f"X has {X.shape[1]} examples (columns) but Y has shape {Y.shape}: "
                         f"Y must be (1, m) or (m,), one label per column of X")
    layers._check_finite("train", "Y", Y)
    optimizer, epochs = _optimizer(lr, optimizer), as_count("epochs", epochs)
    as_factor("divergence_factor", divergence_factor)
    if batch_size is not None:
        batch_size = as_count("batch_size", batch_size)
        rng = as_generator(rng)
        if batch_size == 1 and layers._uses_batch_statistics(model):
            raise InputError("batch_size must be at least 2 for a model with BatchNorm: it "
                             "normalises over the examples of each mini-batch, and one "
                             "example has variance 0")
    for name, p in model.parameters().items():
        if not layers._all_finite(p):
            raise InputError(f"the model's {name} contains NaN or infinity (did an earlier "
                             f"training diverge?): build a new model")
    history = History()
    # overflow is detected below, never warned about; steps in training mode
    with np.errstate(all="ignore"), layers._mode(model, True):
        if batch_size is None and not layers._uses_batch_statistics(model):
            return _batch_epochs(model, loss, X, Y, optimizer, epochs, divergence_factor,
                                 history)
        history.initial_cost = cost(model, loss, X, Y)
        if not math.isfinite(history.initial_cost):
            history.diverged_at = 0
            return history
        limit = divergence_limit(history.initial_cost, divergence_factor)
        for epoch in range(epochs):
            epoch_cost = _one_epoch(model, loss, X, Y, optimizer, batch_size, rng)
            history.costs.append(epoch_cost if math.isfinite(epoch_cost) else math.inf)
            if diverged(epoch_cost, limit):
                history.diverged_at = epoch
                break
    return history


def _optimizer(lr, optimizer):
    """The update rule train uses: SGD(lr), or the optimiser given (exactly one of them)."""
    if optimizer is None:
        if lr is None:
            raise InputError("the learning rate lr must be a number, got NoneType: pass "
                            "lr=... (plain gradient descent) or optimizer=... (e.g. "
                            "optimizer=Adam(lr=0.001))")
        return layers.SGD(lr)
    if lr is not None:
        raise InputError(f"pass either lr or optimizer, not both: the optimizer has its own "
                        f"learning rate (optimizer.lr), got lr={lr!r} and {optimizer!r}")
    if not callable(getattr(optimizer, "step", None)):
        raise InputError(f"optimizer must have a step(model) method, e.g. Adam(lr=0.001); "
                        f"got {type(optimizer).__name__}")
    return optimizer


def _batch_epochs(model, loss, X, Y, optimizer, epochs, divergence_factor, history):
    """Batch gradient descent on a model without BatchNorm: one step per epoch, and the two
    modes give the same cost, so the cost after epoch e is the one that the next step
    measures before its update. Each cost is computed once; the rules are those above."""
    limit = math.inf
    for epoch in range(epochs + 1):  # one more forward pass: the cost after the last epoch
        try:
            if epoch < epochs:
                now = _step(model, loss, optimizer, X, Y, limit)  # no update above limit
            else:
                now = loss.forward(model.forward(X), Y)
        except layers.NonFiniteError:
            now = math.inf
        if epoch == 0:
            history.initial_cost = now
            if not math.isfinite(now):
                history.diverged_at = 0
                return history
            limit = divergence_limit(now, divergence_factor)
            continue
        history.costs.append(now if math.isfinite(now) else math.inf)
        if diverged(now, limit):
            history.diverged_at = epoch - 1
            break
    return history


def _one_epoch(model, loss, X, Y, optimizer, batch_size, rng) -> float:
    """One pass over the data in training mode; returns the cost on all of it afterwards,
    in evaluation mode (inf if it overflowed)."""
    try:
        for batch in batches(X.shape[1], batch_size, rng,
                             single_joins=layers._uses_batch_statistics(model)):
            step(model, loss, optimizer, X[:, batch], Y[..., batch])
    except layers.NonFiniteError:
        return math.inf
    return cost(model, loss, X, Y)


# --- while a Play button runs ------------------------------------------------------------


class TickTrainer:
    """The rules a model that trains while Play runs follows (notebooks 05 and 08).

    A subclass keeps ``settings`` (what, when changed, needs a new model), ``lr``,
    ``tick``, ``steps_per_tick``, ``max_catch_up``, ``divergence_factor``, ``loss`` and
    ``split`` (with ``X_train`` and ``Y_train``), and provides ``reset(settings)`` (a new
    model from the same seed, handed to :meth:`start`) and ``evaluate()`` (what the
    figure shows; it appends (step, training cost, test cost) to ``history``).
    """

    def __init__(self, *, steps_per_tick: int, max_catch_up: int, resolution: int,
                 extent: float, divergence_factor: float, seed: int):
        """The tick rules, and the grid of points the decision regions are drawn on:
        ``resolution`` × ``resolution`` points over [−extent, extent]²."""
        self.steps_per_tick = as_count("steps_per_tick", steps_per_tick)
        self.max_catch_up = as_count("max_catch_up", max_catch_up)
        self.resolution = as_count("resolution", resolution, minimum=2)
        self.extent = as_positive("extent", extent)
        self.divergence_factor = as_factor("divergence_factor", divergence_factor)
        self.seed = as_count("seed", seed, minimum=0)
        axis = np.linspace(-self.extent, self.extent, self.resolution)
        g1, g2 = np.meshgrid(axis, axis)
        self.grid = np.vstack([g1.ravel(), g2.ravel()])  # (2, resolution²), row by row
        self.grid32 = self.grid.astype(np.float32)         # for pictures (grid_forward)
        self.settings = None  # what the model is built from (a subclass's Settings)
        self.tick = 0
        self.lr = None

    def start(self, model) -> None:
        """Train ``model`` from step 0: no history, no divergence, the first costs."""
        self.model = as_model("model", model, ("forward", "backward", "parameters",
                                               "gradients"), "layers.mlp([2, 8, 1], rng=rng)")
        self.steps = 0
        self.diverged_at = None
        self.history: list[tuple[int, float, float]] = []
        self.evaluate()
        self.first_cost = max(self.history[0][1], 1e-12)

    def train(self, steps: int) -> None:
        """``steps`` steps of full-batch gradient descent, or fewer if the cost diverges.

        Diverging means: the cost is not a finite number, or it is more than
        ``divergence_factor`` times the cost of the new model. Training then stops,
        :attr:`diverged_at` is that step, and the last entry of :attr:`history` holds the
        exploded cost (at most 1e12, so that it can be drawn).
        """
        steps = as_count("steps", steps, minimum=0)
        X, Y = self.split.X_train, self.split.Y_train
        limit = divergence_limit(self.first_cost, self.divergence_factor)
        self._sgd = layers.SGD(self.lr)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in range(steps):
                try:  # full-batch gradient descent; no update once the cost is too high
                    cost = step(self.model, self.loss, self._sgd, X, Y, limit=limit)
                except layers.NonFiniteError:
                    cost = np.inf  # a layer got inf or NaN from the one before: overflow
                if diverged(cost, limit):
                    self.diverged_at = self.steps
                    shown = min(cost, 1e12) if np.isfinite(cost) else 1e12
                    self.history.append((self.steps, shown, np.nan))
                    return
                self.steps += 1

    def follow(self, tick: int, settings, lr: float):
        """Train as far as ``tick``, restarting first when the settings changed, the tick
        went down (Stop) or a new learning rate follows a divergence; returns ``self``."""
        tick = as_count("tick", tick, minimum=0)
        settings = as_instance("settings", settings, tuple, "Settings(...)")  # checked by reset
        lr = as_learning_rate(lr)
        new_rate = self.lr is not None and lr != self.lr
        restart = (settings != self.settings or tick < self.tick
                   or (new_rate and self.diverged_at is not None))
        self.lr = lr
        if restart:
            self.reset(settings)
            ticks = min(tick, self.max_catch_up)
        else:
            ticks = min(tick - self.tick, self.max_catch_up)
        self.tick = tick
        if ticks > 0 and self.diverged_at is None:
            self.train(ticks * self.steps_per_tick)
            if self.diverged_at is None:
                self.evaluate()
        return self
