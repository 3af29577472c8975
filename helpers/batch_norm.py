"""Batch normalisation (Batch 归一化): experiments and live figures (notebook 07).

The layer itself is :class:`helpers.layers.BatchNorm`; this module holds what notebook 07
does *with* it. Notation: Z has shape (n, m), one row per unit and one column per example;
a unit's batch statistics are taken along its row,

    μ = (1/m) Σ z,   σ² = (1/m) Σ (z − μ)²,   z_norm = (z − μ) / √(σ² + ε),   z̃ = γ z_norm + β.

The parts, each usable without a browser:

* statistics: :func:`batch_statistics`, :func:`normalise`, :func:`batch_estimates`
  (μ and σ² of many random mini-batches of one unit), :func:`running_average` (the
  layer's exponentially weighted average), :func:`forward_with_batch_statistics` (a
  network that normalises with each *test* batch's own statistics, even a batch of one),
  :func:`evaluation_data` (what the test-time figure shows, from a trained network);
* experiments: :func:`compare_learning_rates` (the same network with and without batch
  normalisation, trained at many learning rates) and :func:`record_training` (training
  that keeps, after every step, a histogram of what each activation function receives);
* live figures, each a ``(fig, update)`` pair for :class:`helpers.live.LiveFigure`:
  :func:`gamma_beta_figure`, :func:`learning_rate_figure`, :func:`histogram_figure` and
  :func:`evaluation_figure`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from helpers import layers, live, training
from helpers.activations import _sigmoid as sigmoid
from helpers.validate import (
    InputError,
    as_array,
    as_count,
    as_factor,
    as_fraction,
    as_generator,
    as_instance,
    as_learning_rate,
    as_list,
    as_matrix,
    as_model,
    as_positive,
    as_scalar,
    as_text,
    as_vector,
)

#: Colours of the two kinds of network in every figure.
PLAIN_COLOUR, BN_COLOUR = "tab:orange", "tab:blue"


# --- data ------------------------------------------------------------------------------


# --- batch statistics ------------------------------------------------------------------


def batch_statistics(Z):
    """Z (n, m) -> μ (n, 1), σ² (n, 1): each unit's mean and variance (1/m) over the batch."""
    Z = as_matrix("Z", Z)
    mu = Z.mean(axis=1, keepdims=True)                     # (n, 1)
    var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)      # (n, 1), the 1/m variance
    return mu, var


def normalise(Z, mu, var, epsilon: float = 1e-5):
    """z_norm = (z − μ) / √(σ² + ε) for Z (n, m) and μ, σ² of shape (n, 1)."""
    Z = as_matrix("Z", Z)
    mu, var = as_array("mu", mu), as_array("var", var)
    if mu.shape != (Z.shape[0], 1) or var.shape != (Z.shape[0], 1):
        raise InputError(f"Z has {Z.shape[0]} units (rows), so mu and var must have shape "
                         f"({Z.shape[0]}, 1); got {mu.shape} and {var.shape}")
    epsilon = as_positive("epsilon", epsilon)
    if np.any(var < 0):
        raise InputError("var holds variances: every entry must be ≥ 0")
    return (Z - mu) / np.sqrt(var + epsilon)               # (n, m)


def batch_estimates(z, batch_size: int, n_batches: int, rng: np.random.Generator):
    """The mean and variance (1/B) of ``n_batches`` mini-batches of ``batch_size`` values
    of z (m,), drawn as training draws them: shuffle, cut into batches, and shuffle again
    when the values run out (a batch never straddles two epochs).

    Returns ``(means, variances)``, each of shape (n_batches,).
    """
    z = as_vector("z", z)
    batch_size = as_count("batch_size", batch_size)
    n_batches = as_count("n_batches", n_batches)
    if batch_size > z.size:
        raise InputError(f"batch_size = {batch_size} is more than the {z.size} values")
    per_epoch = z.size // batch_size
    epochs = -(-n_batches // per_epoch)
    order = np.concatenate([as_generator(rng).permutation(z.size)[:per_epoch * batch_size]
                            for _ in range(epochs)])
    batches = z[order[:n_batches * batch_size]].reshape(n_batches, batch_size)
    means = batches.mean(axis=1)
    return means, ((batches - means[:, None]) ** 2).mean(axis=1)


def running_average(values, momentum: float, start: float):
    """The running average of a sequence of batch statistics, as BatchNorm keeps it:
    r₀ = start, rₜ = momentum · rₜ₋₁ + (1 − momentum) · valueₜ. Returns (r₁, ..., r_k).

    ``momentum`` is the weight of the *old* average (the β of notebook 02's exponentially
    weighted average); the layer starts the mean at 0 and the variance at 1.
    """
    values = as_vector("values", values)
    momentum = as_fraction("running_average", "momentum", momentum, "0.9")
    averaged, r = np.empty_like(values), as_scalar("start", start)
    for t, value in enumerate(values):
        r = momentum * r + (1.0 - momentum) * value
        averaged[t] = r
    return averaged


def forward_with_batch_statistics(model, X, batch_size: int):
    """The model's output for X (n, m), computed in test batches of ``batch_size``
    columns, every BatchNorm layer normalising with *that batch's own* μ and σ² (as in
    training) instead of its running averages. Returns (n_out, m).

    This is what goes wrong at test time without running averages: a prediction that
    depends on the other examples of its batch, and with a batch of one, z − μ = 0 for
    every unit, so every example gets the same output. The model's running averages are
    not touched (its other layers keep this forward's values, as after any forward).
    """
    model = _network("model", model)
    X = _inputs_of(model, "X", X)
    batch_size = as_count("batch_size", batch_size)
    outputs = []
    for start in range(0, X.shape[1], batch_size):
        A = X[:, start:start + batch_size]
        for layer in model:
            if isinstance(layer, layers.BatchNorm):
                mu, var = batch_statistics(A)
                A = layer.gamma * normalise(A, mu, var, layer.epsilon) + layer.beta
            else:
                A = layer.forward(A)
        outputs.append(A)
    return np.hstack(outputs)


def _network(name: str, model):
    """A model of helpers.layers (a Sequential: its layers one after the other)."""
    as_model(name, model, ("forward", "backward", "parameters", "gradients"),
             "layers.mlp([2, 8, 1], batch_norm=True, rng=rng)")
    if not isinstance(model, layers.Sequential):
        raise InputError(f"{name} must be a layers.Sequential, e.g. layers.mlp([2, 8, 1], "
                         f"batch_norm=True, rng=rng); got {type(model).__name__}")
    return model


def _inputs_of(model, name: str, X) -> np.ndarray:
    """X as the input (n, m) of the model's first layer, or an InputError naming it."""
    X = as_matrix(name, X)
    n_in = getattr(model[0], "n_in", None) if len(model) else None
    if n_in is not None and X.shape[0] != n_in:
        hint = " (transposed? try .T)" if X.shape[1] == n_in else ""
        raise InputError(f"{name} must have shape ({n_in}, m), one column of {n_in} features "
                         f"per example, for the model's first layer {model[0]!r}; got "
                         f"{X.shape}{hint}")
    return X


def _labels_for(name: str, Y, m: int) -> np.ndarray:
    """Labels 0/1 as an array (1, m) (given as (1, m) or (m,)), or an InputError."""
    Y = as_array(name, Y)
    if Y.shape not in ((1, m), (m,)):
        raise InputError(f"{name} must have shape (1, {m}), one label per example (column); "
                         f"got {Y.shape}")
    if not np.all((Y == 0) | (Y == 1)):
        raise InputError(f"{name} must hold labels 0 and 1")
    return Y.reshape(1, m)


# --- experiments -----------------------------------------------------------------------


@dataclass
class Run:
    """One network trained at one learning rate (see :func:`compare_learning_rates`).

    ``costs[e]`` is the training cost after e epochs (``costs[0]``: before training),
    measured in evaluation mode as :func:`helpers.training.train` does; ``diverged_at`` the
    epoch at which the cost exploded (training stopped there) or None; ``test_accuracy``
    the fraction of test images classified right (None if it diverged).
    """

    lr: float
    batch_norm: bool
    costs: np.ndarray
    diverged_at: int | None
    test_accuracy: float | None


def compare_learning_rates(sizes: Sequence[int], lrs: Sequence[float], X, Y, X_test, Y_test,
                           *, activation: str = "sigmoid", init="xavier", epochs: int,
                           batch_size: int, seed: int = 0,
                           divergence_factor: float = 10.0) -> dict:
    """Train ``layers.mlp(sizes, activation=..., init=..., batch_norm=bn)`` at every
    learning rate, with (bn=True) and without (bn=False) batch normalisation;
    ``{(bn, lr): Run}``.

    Every network starts from the weights of ``seed`` and sees the same mini-batches
    (plain gradient descent, mini-batches of ``batch_size``); its output is z, the loss
    the cross-entropy on z. A run diverges when its cost exceeds ``divergence_factor``
    times the cost before training.
    """
    X, X_test = as_matrix("X", X), as_matrix("X_test", X_test)
    sizes = [as_count("every size in sizes", size) for size in
             as_list("sizes", sizes, what="a list of layer sizes, e.g. [784, 16, 1]")]
    if len(sizes) < 2 or sizes[0] != X.shape[0] or X_test.shape[0] != X.shape[0]:
        raise InputError(f"sizes must start with the number of features: X has {X.shape[0]} "
                         f"rows and X_test {X_test.shape[0]}, sizes is {sizes}")
    _labels_for("Y", Y, X.shape[1]), _labels_for("Y_test", Y_test, X_test.shape[1])
    lrs = [as_learning_rate(lr, "every entry of lrs (a learning rate)")
           for lr in as_list("lrs", lrs, what="a list of learning rates")]
    epochs, batch_size = as_count("epochs", epochs), as_count("batch_size", batch_size)
    seed = as_count("seed", seed, minimum=0)
    as_factor("divergence_factor", divergence_factor)
    layers.mlp(sizes, activation=activation, rng=np.random.default_rng(seed), init=init)
    loss = layers.BinaryCrossEntropyWithLogits()
    runs = {}
    for batch_norm in (False, True):
        for lr in lrs:
            model = layers.mlp(sizes, activation=activation, batch_norm=batch_norm,
                               rng=np.random.default_rng(seed), init=init)
            history = training.train(model, loss, X, Y, lr=lr, epochs=epochs,
                                     batch_size=batch_size,
                                     rng=np.random.default_rng(seed + 1),
                                     divergence_factor=divergence_factor)
            accuracy = None
            if not history.diverged:
                accuracy = layers.accuracy(model, X_test, Y_test, threshold=0.0)
            runs[batch_norm, float(lr)] = Run(
                float(lr), batch_norm, np.array([history.initial_cost, *history.costs]),
                history.diverged_at, accuracy)
    return runs


@dataclass
class Recording:
    """What :func:`record_training` keeps: snapshot k is taken after k steps.

    ``counts[k, l]`` is the histogram (over ``edges``) of the values that activation
    layer l received in the mini-batch of step k + 1 (for k = 0, the first mini-batch
    before any update), pooled over its units; values beyond the edges count in the
    outermost bins. ``means[k, l]`` and ``stds[k, l]`` are their mean and standard
    deviation, ``unit_means[l][k]`` each unit's mean (n^[l],), ``costs[k]`` the
    mini-batch cost of step k + 1 (training mode). ``z_unit_means[l][k]`` is each unit's
    mean of z^[l], the output of the Linear layer before activation l: the same as
    ``unit_means`` without batch normalisation; with it, z *before* it is normalised
    (``unit_means`` then holds the batch mean of z̃, which is β by construction).
    """

    edges: np.ndarray
    counts: np.ndarray = field(repr=False)
    means: np.ndarray = field(repr=False)
    stds: np.ndarray = field(repr=False)
    unit_means: list = field(repr=False)
    costs: np.ndarray = field(repr=False)
    steps_per_epoch: int = 0
    z_unit_means: list = field(default_factory=list, repr=False)

    @property
    def n_snapshots(self) -> int:
        return self.counts.shape[0]


def _activation_layers(model) -> list:
    found = [layer for layer in _network("model", model)
             if isinstance(layer, layers.Activation)]
    if not found:
        raise InputError(f"{model!r} has no activation layers to record")
    return found


def _linear_before(model, activation):
    """The last Linear layer before ``activation`` in ``model`` (its z), or None."""
    linear = None
    for layer in model:
        if layer is activation:
            return linear
        if isinstance(layer, layers.Linear):
            linear = layer
    return None


def record_training(model, loss, X, Y, *, optimizer, epochs: int, batch_size: int,
                    rng: np.random.Generator, edges) -> Recording:
    """Train ``model`` with mini-batches and ``optimizer`` (any object with
    ``step(model)``) for ``epochs`` epochs, recording after every step what each
    activation layer received: z^[l] without batch normalisation, z̃^[l] with it.

    Each snapshot comes from the mini-batch of the next step, before its update (so the
    last step's batch is used only to look); every epoch uses m // batch_size full
    mini-batches of a new shuffle. The model is left in training mode. Raises InputError
    (a ValueError) if training diverges (a value that is not finite): lower the
    optimizer's learning rate.
    """
    model = _network("model", model)
    loss = as_model("loss", loss, ("forward", "backward"), "layers.BinaryCrossEntropyWithLogits()")
    optimizer = as_model("optimizer", optimizer, ("step",), "layers.SGD(0.1)")
    X = _inputs_of(model, "X", X)
    Y = as_array("Y", Y)
    if Y.shape[-1:] != (X.shape[1],) or Y.ndim > 2:
        raise InputError(f"Y must have one column per example of X, shape (n_out, "
                         f"{X.shape[1]}) or ({X.shape[1]},); got {Y.shape}")
    epochs, batch_size = as_count("epochs", epochs), as_count("batch_size", batch_size)
    rng, edges = as_generator(rng), as_vector("edges", edges)
    watched = _activation_layers(model)
    m = X.shape[1]
    if batch_size > m:
        raise InputError(f"batch_size = {batch_size} is more than the {m} examples")
    batches = [batch for _ in range(epochs)
               for batch in training.batches(m, batch_size, rng, whole_only=True)]
    counts, means, stds, costs = [], [], [], []
    unit_means = [[] for _ in watched]
    linears = [_linear_before(model, layer) for layer in watched]
    z_unit_means = [[] for _ in watched]
    layers.set_training(model, True)
    for step, batch in enumerate(batches):
        with np.errstate(over="ignore", invalid="ignore"):  # overflow raises below instead
            try:
                cost = loss.forward(model.forward(X[:, batch]), Y[..., batch])
            except layers.NonFiniteError:
                cost = math.inf
        if training.diverged(cost, math.inf):  # not a finite number
            raise InputError(f"training diverged at step {step}: lower the optimizer's "
                             f"learning rate (optimizer.lr)")
        costs.append(cost)
        row_counts, row_means, row_stds = [], [], []
        for l, layer in enumerate(watched):
            Z = layer.Z                                       # (n^[l], batch_size)
            row_counts.append(np.histogram(np.clip(Z, edges[0], edges[-1]), edges)[0])
            row_means.append(Z.mean())
            row_stds.append(Z.std())
            unit_means[l].append(Z.mean(axis=1))
            z_before = Z if linears[l] is None else linears[l].Z  # z^[l] before BN
            z_unit_means[l].append(z_before.mean(axis=1))
        counts.append(row_counts)
        means.append(row_means)
        stds.append(row_stds)
        if step < len(batches) - 1:
            with np.errstate(over="ignore", invalid="ignore"):
                model.backward(loss.backward())
                optimizer.step(model)
    return Recording(edges, np.array(counts), np.array(means), np.array(stds),
                     [np.array(u) for u in unit_means], np.array(costs),
                     steps_per_epoch=m // batch_size,
                     z_unit_means=[np.array(u) for u in z_unit_means])


# --- live figures ----------------------------------------------------------------------


def _readout(ax, x, y, ha="left", va="top", **kwargs):
    return ax.text(x, y, "", transform=ax.transAxes, ha=ha, va=va, fontsize=9,
                   animated=True, bbox={"fc": "white", "alpha": 0.9, "ec": "0.8"}, **kwargs)


def gamma_beta_figure(z, *, epsilon: float = 1e-5, bins: int = 30, z_limit: float = 10.0):
    """γ and β sliders on a normalised distribution: ``update(gamma, beta)``.

    Left: the histogram of z̃ = γ z_norm + β, where z_norm normalises the values z (m,)
    (one unit over many examples), with the sigmoid σ drawn over it (its scale on the
    right); right: the histogram of what the unit then outputs, a = σ(z̃). Returns
    ``(fig, update)``.
    """
    z = as_vector("z", z)
    epsilon, bins = as_positive("epsilon", epsilon), as_count("bins", bins)
    z_limit = as_positive("z_limit", z_limit)
    if z.size < 2 or np.all(z == z[0]):
        raise InputError("z needs at least two different values to be normalised")
    z_norm = normalise(z[None, :], *batch_statistics(z[None, :]), epsilon)[0]   # (m,)
    counts, norm_edges = np.histogram(z_norm, bins=bins)
    a_edges = np.linspace(0.0, 1.0, 21)
    fig, (ax_z, ax_a) = live.figure(1, 2, figsize=(10.5, 3.8), width_ratios=[1.5, 1])
    ax_z.set(xlim=(-z_limit, z_limit), ylim=(0, 1.15 * counts.max()),
             xlabel="z̃ = γ·z_norm + β", ylabel="examples per bin",
             title="what the activation receives: z̃")
    for side in (-1, 1):
        ax_z.axvspan(4 * side, z_limit * side, color="#b00020", alpha=0.07, lw=0)
    ax_z.text(-z_limit + 0.3, 1.1 * counts.max(), "σ saturated\n(slope < 0.02)", fontsize=8,
              va="top", color="#b00020")
    ax_sigma = ax_z.twinx()
    zs = np.linspace(-z_limit, z_limit, 400)
    ax_sigma.plot(zs, sigmoid(zs), color="0.35", lw=1.2, ls="--")
    ax_sigma.set(ylim=(0, 1.15), ylabel="σ(z̃)")
    hist_z = ax_z.stairs(counts, norm_edges, fill=True, color=BN_COLOUR, alpha=0.6,
                         animated=True)
    a_max = 0.35 * z.size
    ax_a.set(xlim=(0, 1), ylim=(0, a_max), xlabel="a = σ(z̃)", ylabel="examples per bin",
             title="what the unit outputs: a = σ(z̃)")
    hist_a = ax_a.stairs(np.zeros(a_edges.size - 1), a_edges, fill=True, color="tab:green",
                         alpha=0.6, animated=True)
    readout = _readout(ax_a, 0.03, 0.97)
    mu, var = float(z.mean()), float(z.var())
    ax_z.text(0.98, 0.97, f"z back: γ = √(σ² + ε) = {math.sqrt(var + epsilon):.2f},\n"
              f"β = μ = {mu:.2f}", transform=ax_z.transAxes, ha="right", va="top",
              fontsize=8, color="0.3")

    def update_gamma_beta(gamma, beta):
        z_tilde = gamma * z_norm + beta                                     # (m,)
        hist_z.set_data(counts, gamma * norm_edges + beta)
        a = sigmoid(z_tilde)
        hist_a.set_data(np.minimum(np.histogram(a, a_edges)[0], a_max * 0.98))
        saturated = np.mean((a < 0.018) | (a > 0.982))
        readout.set_text(f"z̃: mean {z_tilde.mean():.2f}, std {z_tilde.std():.2f}\n"
                         f"saturated: {saturated:.0%} of the examples")

    return fig, update_gamma_beta


def _nearest(values: np.ndarray, value: float) -> float:
    """The entry of ``values`` nearest to ``value`` on a log scale."""
    return float(values[np.argmin(np.abs(np.log(values) - math.log(value)))])


def learning_rate_figure(runs: dict, *, cost_limits=(0.15, 12.0)):
    """BN on/off × learning rate: ``update(lr)`` shows the training curves of the run
    whose learning rate is nearest to ``lr`` (left) and marks ``lr`` on the final cost of
    every run (right). ``runs`` comes from :func:`compare_learning_rates`."""
    if not (isinstance(runs, dict) and runs and all(
            isinstance(key, tuple) and len(key) == 2 and isinstance(run, Run)
            for key, run in runs.items())):
        raise InputError(f"runs must be what compare_learning_rates returns, {{(batch_norm, "
                         f"lr): Run}}; got {type(runs).__name__}")
    if not all((bn, lr) in runs for _, lr in runs for bn in (False, True)):
        raise InputError("runs must hold every learning rate both with and without batch "
                         "normalisation, as compare_learning_rates returns them")
    limits = as_vector("cost_limits", cost_limits)
    if limits.shape != (2,) or not 0 < limits[0] < limits[1]:
        raise InputError(f"cost_limits must be two numbers 0 < low < high (a log axis), got "
                         f"{cost_limits!r}")
    lrs = np.array(sorted({lr for _, lr in runs}))
    epochs = max(len(run.costs) for run in runs.values()) - 1
    low, high = cost_limits
    fig, (ax_curve, ax_lr) = live.figure(1, 2, figsize=(10.5, 4.0), width_ratios=[1.2, 1])
    ax_curve.set(xlim=(0, epochs), ylim=cost_limits, yscale="log", xlabel="epoch",
                 ylabel="training cost J (cross-entropy)", title="training (训练) curves")
    ax_lr.set(xscale="log", yscale="log", xlim=(lrs[0] / 1.5, lrs[-1] * 1.5),
              ylim=cost_limits, xlabel="learning rate (学习率)",
              title="cost after the last epoch (×: diverged)")
    artists = {}
    for batch_norm, colour, label, cross in ((False, PLAIN_COLOUR, "without BN", high / 1.2),
                                             (True, BN_COLOUR, "with BN", high / 1.6)):
        finals = [runs[batch_norm, lr] for lr in lrs]
        ok = [run.diverged_at is None for run in finals]
        costs = np.array([min(run.costs[-1], high) for run in finals])
        ax_lr.plot(lrs[ok], costs[ok], "-o", color=colour, ms=4, label=label)
        ax_lr.plot(lrs[np.logical_not(ok)], np.full(len(ok) - sum(ok), cross), "x",
                   color=colour, ms=8, mew=2)
        (curve,) = ax_curve.plot([], [], "-o", color=colour, ms=3, lw=2, label=label,
                                 animated=True)
        (blast,) = ax_curve.plot([], [], "x", color=colour, ms=12, mew=3, animated=True)
        (ring,) = ax_lr.plot([], [], "o", ms=12, mfc="none", mec=colour, mew=2, animated=True)
        artists[batch_norm] = curve, blast, ring, cross
    ax_lr.legend(loc="upper left", fontsize=9)
    ax_curve.legend(loc="lower left", fontsize=9)
    marker = ax_lr.axvline(lrs[0], color="0.3", lw=1, ls=":", animated=True)
    readout = _readout(ax_curve, 0.98, 0.97, ha="right")
    epochs_axis = np.arange(epochs + 1)

    def update_learning_rate(lr):
        nearest = _nearest(lrs, lr)
        marker.set_xdata([lr, lr])
        lines = [f"nearest trained learning rate: {nearest:.3g}"]
        for batch_norm, (curve, blast, ring, cross) in artists.items():
            run = runs[batch_norm, nearest]
            shown = np.clip(run.costs, low, high)
            curve.set_data(epochs_axis[:shown.size], shown)
            name = "with BN" if batch_norm else "without BN"
            if run.diverged_at is None:
                blast.set_data([], [])
                ring.set_data([nearest], [shown[-1]])
                lines.append(f"{name}: cost {run.costs[-1]:.3f}, test {run.test_accuracy:.1%}")
            else:
                blast.set_data([shown.size - 1], [shown[-1]])
                ring.set_data([nearest], [cross])
                lines.append(f"{name}: diverged in epoch {run.diverged_at + 1}")
        readout.set_text("\n".join(lines))

    return fig, update_learning_rate


def histogram_figure(plain: Recording, normalised: Recording, *, saturation: float = 4.0):
    """Each hidden layer's activation input while training, without (left column: z^[l])
    and with (right column: z̃^[l]) batch normalisation: ``update(tick)`` shows the
    snapshot after ``tick`` steps (the last one beyond). Grey outline: the first
    snapshot; dotted line: the mean; ticks at the bottom: each unit's own mean; red
    bands: where σ is saturated (|z| > 4)."""
    as_instance("plain", plain, Recording, "record_training(...)")
    as_instance("normalised", normalised, Recording, "record_training(...)")
    saturation = as_positive("saturation", saturation)
    if plain.counts.shape[1:] != normalised.counts.shape[1:]:
        raise InputError("the two recordings must watch as many layers with the same bins")
    n_layers, edges = plain.counts.shape[1], plain.edges
    n_values = plain.counts[0, 0].sum()
    top = 1.2 * max(plain.counts[0].max(), normalised.counts[0].max(),
                    normalised.counts[-1].max())
    # no sharex: shared axes make every limit lookup (done on each frame) slow
    fig, axes = live.figure(n_layers, 2, figsize=(10.5, 1.65 * n_layers + 0.5))
    axes = np.atleast_2d(axes)
    moving = []
    for column, (recording, colour, name, symbol) in enumerate(
            ((plain, PLAIN_COLOUR, "without BN", "z"), (normalised, BN_COLOUR, "with BN",
                                                         "z̃"))):
        for l in range(n_layers):
            ax = axes[l, column]
            ax.set(xlim=(edges[0], edges[-1]), ylim=(0, top), yticks=[])
            for side in (-1, 1):
                ax.axvspan(saturation * side, edges[-1] * side, color="#b00020", alpha=0.07,
                           lw=0)
            ax.stairs(recording.counts[0, l], edges, color="0.55", lw=1)
            ax.set_title(f"layer {l + 1} {name}: {symbol}$^{{[{l + 1}]}}$ "
                         f"({n_values} values)", fontsize=10)
            hist = ax.stairs(recording.counts[0, l], edges, fill=True, color=colour,
                             alpha=0.55, animated=True)
            mean = ax.axvline(0.0, color="black", ls=":", lw=1.5, animated=True)
            (rug,) = ax.plot([], [], "|", color="black", ms=9, mew=1, animated=True)
            moving.append((recording, l, hist, mean, rug))
    for ax in axes[:-1].ravel():
        ax.tick_params(labelbottom=False)
    for ax in axes[-1]:
        ax.set_xlabel("what the activation function receives")
    readout = _readout(axes[0, 1], 0.98, 0.95, ha="right")
    last = min(plain.n_snapshots, normalised.n_snapshots) - 1
    per_epoch = plain.steps_per_epoch or 1

    def update_histograms(tick):
        k = min(int(tick), last)
        for recording, l, hist, mean, rug in moving:
            hist.set_data(recording.counts[k, l])
            mean.set_xdata([recording.means[k, l]] * 2)
            unit_means = recording.unit_means[l][k]                   # (n^[l],)
            rug.set_data(unit_means, np.full(unit_means.size, 0.06 * top))
        readout.set_text(f"step {k} (epoch {k / per_epoch:.1f}): cost {plain.costs[k]:.2f} "
                         f"without BN, {normalised.costs[k]:.2f} with")

    return fig, update_histograms


@dataclass
class EvaluationData:
    """What :func:`evaluation_figure` shows.

    ``z_train`` (m,): one unit's z (the input of its BatchNorm) over all the training
    images, the population whose μ and σ² the running averages estimate. ``labels``
    (k,): the classes (0/1) of the k test images drawn as bars; ``running_outputs``
    (k,): the network's ŷ for them with the running averages (evaluation mode);
    ``batch_outputs[B]`` (k,): its ŷ when every BatchNorm layer normalises with the
    statistics of the image's own test batch of B images; ``batch_accuracy[B]`` and
    ``running_accuracy``: the test accuracy each way. ``class_names``: the two classes;
    ``momentum``: the momentum with which the trained layers kept their running averages.
    """

    z_train: np.ndarray
    labels: np.ndarray
    running_outputs: np.ndarray
    batch_outputs: dict
    running_accuracy: float
    batch_accuracy: dict
    class_names: tuple = ("class 0", "class 1")
    momentum: float = 0.9


def evaluation_data(model, unit_layer, unit: int, X_train, X_test, Y_test, *,
                    batch_sizes: Sequence[int], n_shown: int = 8,
                    class_names=("class 0", "class 1")) -> EvaluationData:
    """Everything :func:`evaluation_figure` needs from a trained model whose output is z:
    the z of ``unit`` of the Linear layer ``unit_layer`` over X_train, and the model's
    predictions for the first ``n_shown`` test images in evaluation mode and with test
    batch statistics (:func:`forward_with_batch_statistics`) for every batch size."""
    model = _network("model", model)
    if not (isinstance(unit_layer, layers.Linear) and any(layer is unit_layer
                                                           for layer in model)):
        raise InputError(f"unit_layer must be one of the model's Linear layers, e.g. "
                         f"model[0]; got {unit_layer!r:.60}")
    unit = as_count("unit", unit, minimum=0)
    if unit >= unit_layer.n_out:
        raise InputError(f"unit must be from 0 to {unit_layer.n_out - 1} ({unit_layer!r} has "
                         f"{unit_layer.n_out} units), got {unit}")
    X_train, X_test = _inputs_of(model, "X_train", X_train), _inputs_of(model, "X_test", X_test)
    _labels_for("Y_test", Y_test, X_test.shape[1])
    batch_sizes = [as_count("every entry of batch_sizes", size) for size in
                   as_list("batch_sizes", batch_sizes, what="a list of batch sizes")]
    if not batch_sizes:
        raise InputError("batch_sizes is empty: give at least one test batch size")
    class_names = as_list("class_names", class_names, limit=3, what="two class names")
    if len(class_names) != 2:
        raise InputError(f"class_names must be two names (class 0, class 1), got "
                         f"{class_names!r}")
    class_names = [as_text("every entry of class_names", name) for name in class_names]
    n_shown = as_count("n_shown", n_shown)
    with layers.evaluating(model):
        model.forward(X_train)
        z_train = np.array(unit_layer.Z[unit])                       # (m,)
        running = sigmoid(model.forward(X_test)[0])                  # (m_test,)
    labels = np.asarray(Y_test, dtype=float).ravel()
    batch_outputs, batch_accuracy = {}, {}
    for size in batch_sizes:
        y_hat = sigmoid(forward_with_batch_statistics(model, X_test, size)[0])
        batch_outputs[int(size)] = y_hat[:n_shown]
        batch_accuracy[int(size)] = float(np.mean((y_hat >= 0.5) == (labels == 1)))
    momenta = {layer.momentum for layer in model if isinstance(layer, layers.BatchNorm)}
    if len(momenta) != 1:
        raise InputError(f"the model needs BatchNorm layers, all with the same momentum; "
                         f"got momenta {sorted(momenta)}")
    return EvaluationData(z_train, labels[:n_shown], running[:n_shown], batch_outputs,
                          float(np.mean((running >= 0.5) == (labels == 1))), batch_accuracy,
                          tuple(class_names), momenta.pop())


def evaluation_figure(data: EvaluationData, *, n_batches: int = 150, seed: int = 0):
    """Batch statistics vs running averages: ``update(train_batch, test_batch, momentum)``.

    Top (``train_batch``, ``momentum``): for one unit, μ and σ² of each of ``n_batches``
    training mini-batches of ``train_batch`` images (dots), a simulated running average of
    them with ``momentum`` (lines) and the values over all training images (dashed).
    Bottom (``test_batch`` only): the network's ŷ for a few test images, with each test
    batch's own statistics, batches of ``test_batch`` (grey), and with the trained layers'
    own running averages (blue, kept with ``data.momentum``; the slider does not change
    them). With a test batch of one, z − μ = 0 in every unit and every image gets the
    same ŷ. ``test_batch`` must be one of the sizes in ``data.batch_outputs``.
    """
    data = as_instance("data", data, EvaluationData, "evaluation_data(...)")
    n_batches = as_count("n_batches", n_batches)
    seed = as_count("seed", seed, minimum=0)
    z = data.z_train
    mu_pop, var_pop = float(z.mean()), float(z.var())
    spread = math.sqrt(var_pop)
    fig, axes = live.figure(2, 2, figsize=(10.5, 6.2), height_ratios=[1, 1.15])
    ax_mu, ax_var = axes[0]
    for ax in axes[1]:
        ax.remove()
    ax_bars = fig.add_subplot(axes[0, 0].get_gridspec()[1, :])   # the whole bottom row
    steps = np.arange(1, n_batches + 1)
    artists = {}
    for ax, key, population, name, limits in (
            (ax_mu, "mu", mu_pop, "μ", (min(0.0, mu_pop - 3.5 * spread),
                                        max(0.0, mu_pop + 3.5 * spread))),
            (ax_var, "var", var_pop, "σ²", (-0.03 * max(1.3, 2.5 * var_pop),
                                            max(1.3, 2.5 * var_pop)))):
        ax.set(xlim=(0, n_batches), ylim=limits, xlabel="training step (one mini-batch each)",
               title=f"{name} of each mini-batch (dots), running average (line)")
        ax.axhline(population, color="black", ls="--", lw=1.2,
                   label=f"over all training images: {population:.2f}")
        ax.legend(loc="upper right", fontsize=9)
        (dots,) = ax.plot([], [], ".", color="0.5", ms=3.5, animated=True)
        (line,) = ax.plot([], [], color=BN_COLOUR, lw=2, animated=True)
        artists[key] = dots, line
    top_readout = _readout(ax_mu, 0.01, 0.03, va="bottom")
    shown = np.arange(data.labels.size)
    width = 0.38
    ax_bars.set(xlim=(-0.6, shown.size - 0.4), ylim=(0, 1.6), xticks=shown,
                xticklabels=[f"test image {i + 1}\n({data.class_names[int(y)]})"
                             for i, y in enumerate(data.labels)],
                yticks=[0, 0.5, 1], ylabel=f"ŷ = P({data.class_names[1]})",
                title="at test time: the trained network's ŷ for single test images")
    ax_bars.axhline(0.5, color="0.4", lw=1, ls=":")
    ax_bars.bar(shown + width / 2, data.running_outputs, width, color=BN_COLOUR,
                label=f"running averages (momentum {data.momentum:g}): "
                      f"test accuracy {data.running_accuracy:.1%}")
    batch_bars = ax_bars.bar(shown - width / 2, np.zeros(shown.size), width, color="0.6",
                             label="the test batch's own μ and σ²", animated=True)
    # the legend above the bars (ŷ ≤ 1), in the headroom of the y axis up to 1.6
    ax_bars.legend(loc="upper right", fontsize=10, ncols=1, framealpha=0.95)
    readout = _readout(ax_bars, 0.01, 0.97)
    cache: dict[int, tuple] = {}
    sizes = sorted(data.batch_outputs)

    def estimates(batch_size):
        if batch_size not in cache:
            cache[batch_size] = batch_estimates(z, batch_size, n_batches,
                                                np.random.default_rng(seed))
        return cache[batch_size]

    def update_evaluation(train_batch, test_batch, momentum):
        if test_batch not in data.batch_outputs:
            raise InputError(f"test_batch must be one of the test batch sizes that "
                             f"evaluation_data computed ({sizes[0]} to {sizes[-1]}, "
                             f"{len(sizes)} sizes), got {test_batch!r}")
        train_batch, test_batch = as_count("train_batch", train_batch), int(test_batch)
        means, variances = estimates(train_batch)
        running_mu = running_average(means, momentum, 0.0)      # the layer starts at 0
        running_var = running_average(variances, momentum, 1.0)  # ... and at 1
        for key, values, running in (("mu", means, running_mu),
                                     ("var", variances, running_var)):
            dots, line = artists[key]
            dots.set_data(steps, values)
            line.set_data(steps, running)
        top_readout.set_text(f"training batches of {train_batch}, momentum {momentum:.2f}")
        for bar, height in zip(batch_bars, data.batch_outputs[test_batch], strict=True):
            bar.set_height(height)
        readout.set_text(f"test batches of {test_batch}: test accuracy "
                         f"{data.batch_accuracy[test_batch]:.1%}")

    return fig, update_evaluation
