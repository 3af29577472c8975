"""Training: the rules every trainer of the course follows.

A building block (notebooks 05 and 08 use it through their figures): :class:`TickTrainer`
trains a model while a Play button runs, a few steps per tick of the player, and stops
when the cost diverges.
"""

from __future__ import annotations

import numpy as np

from helpers import layers
from helpers.validate import as_count, as_instance, as_learning_rate, as_model


class TickTrainer:
    """The rules a model that trains while Play runs follows (notebooks 05 and 08).

    A subclass keeps ``settings`` (what, when changed, needs a new model), ``lr``,
    ``tick``, ``steps_per_tick``, ``max_catch_up``, ``divergence_factor``, ``loss`` and
    ``split`` (with ``X_train`` and ``Y_train``), and provides ``reset(settings)`` (a new
    model from the same seed, handed to :meth:`start`) and ``evaluate()`` (what the
    figure shows; it appends (step, training cost, test cost) to ``history``).
    """

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
        limit = self.divergence_factor * self.first_cost
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in range(steps):
                try:
                    cost = self.loss.forward(self.model.forward(X), Y)
                except layers.NonFiniteError:
                    cost = np.inf  # a layer got inf or NaN from the one before: overflow
                if not cost <= limit:  # also true for NaN
                    self.diverged_at = self.steps
                    shown = min(cost, 1e12) if np.isfinite(cost) else 1e12
                    self.history.append((self.steps, shown, np.nan))
                    return
                self.model.backward(self.loss.backward())  # the loss's backward holds 1/m
                layers.sgd_step(self.model, self.lr)
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
