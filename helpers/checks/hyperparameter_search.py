"""Checks for the exercises of notebook 06, hyperparameter search (超参数调试).

The two samplers are random, so their checks look at what a sampler *does* rather than
at exact numbers: they draw many samples with a seeded Generator and look at the range
and at the share of samples in each decade, which is where the typical mistakes show
(a uniform sampler puts 90% of the learning rates in [0.1, 1]; 10**(-4) * r puts all of
them below 1e-4; sampling β itself puts 91% of the betas below 0.99).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from helpers.checks.engine import (
    Mistake,
    Stop,
    Verdict,
    call_learner,
    check_function,
    exercise_check,
    learner_parts,
    raised_verdict,
    read_only,
)

__all__ = ["check_random_search", "check_sample_learning_rates", "check_sample_betas",
           "check_zoom"]

_RNG = np.random.default_rng(2606)  # fixed cases, the same for every learner


# --- the samples of a learner's sampler ----------------------------------------------------


def _samples(fn: Callable, name: str, n: int, seed: int) -> np.ndarray:
    """fn(n, rng) as a float array of shape (n,); or Stop with a verdict saying why not."""
    where = f"{name}({n}, rng)"
    try:
        result = call_learner(fn, (n, np.random.default_rng(seed)), name=name, where=where)
    except Exception as error:
        raise Stop(raised_verdict(error, name, where=name)) from None
    samples = learner_parts(result, name=name, where=where)[0]
    if samples.shape != (n,):
        hint = " Return a 1-D array: rng.uniform(0, 1, n) has shape (n,)." \
            if samples.size == n else ""
        raise Stop(Verdict(False, f"{where} returned shape {samples.shape}, expected ({n},): "
                                  f"one sample per entry.{hint}"))
    if not np.all(np.isfinite(samples)):
        raise Stop(Verdict(False, f"{where} returned NaN or infinity."))
    return samples


def _same_seed_same_samples(fn: Callable, name: str) -> None:
    if not np.array_equal(_samples(fn, name, 50, seed=7), _samples(fn, name, 50, seed=7)):
        raise Stop(Verdict(False, f"{name} gave different samples for the same seed: draw the "
                                  f"random numbers from the rng you are given "
                                  f"(rng.uniform(...)), not from np.random, so that a seed "
                                  f"gives the same search."))


def _shares(samples: np.ndarray, edges) -> np.ndarray:
    counts, _ = np.histogram(samples, bins=edges)
    return counts / samples.size


def _show_shares(shares, labels) -> str:
    return ", ".join(f"{label}: {share:.0%}" for label, share in zip(labels, shares,
                                                                     strict=True))


# --- Exercise 1: a random search, by hand ------------------------------------------------------


@dataclass(frozen=True)  # frozen: a learner's code cannot change the checks' own cases
class _Cost:
    """A dev cost of log10 α for the cases, shown by its name in the messages."""

    name: str
    formula: Callable

    def __call__(self, log_lr):
        return self.formula(log_lr)

    def __repr__(self) -> str:
        return self.name


def _toy_formula(log_lr):
    from helpers.hyperparameter_search import toy_dev_cost
    return toy_dev_cost(log_lr)


def _random_search_with(draw):
    """A random search whose exponents come from ``draw(rng)`` (one number per trial)."""
    def search(dev_cost, n, seed):
        rng = np.random.default_rng(seed)
        best_lr, best_cost = None, np.inf
        for _ in range(n):
            x = draw(rng)
            cost = float(dev_cost(x))
            if cost < best_cost:
                best_lr, best_cost = 10.0 ** x, cost
        return best_lr, best_cost
    return search


_random_search = _random_search_with(lambda rng: rng.uniform(-4, 0))
_random_search_r = _random_search_with(lambda rng: -4 * rng.uniform(0, 1))   # also right


def _search_mistake(pick=np.argmin, alpha=lambda x: 10.0 ** x, scale="log", cost_of="log"):
    def search(dev_cost, n, seed):
        rng = np.random.default_rng(seed)
        xs = rng.uniform(-4, 0, n) if scale == "log" else np.log10(rng.uniform(1e-4, 1, n))
        costs = np.array([float(dev_cost(x if cost_of == "log" else 10.0 ** x)) for x in xs])
        i = int(pick(costs))
        return alpha(xs[i]), costs[i]
    return search


_toy = _Cost("toy_dev_cost", _toy_formula)
_valley = _Cost("valley", lambda log_lr: 0.3 + 0.1 * (log_lr + 2.5) ** 2)
_v = _Cost("v_shape", lambda log_lr: 0.4 + 0.2 * np.abs(log_lr + 1.0))
_SEARCH_CASES = [(_toy, 25, 1), (_valley, 10, 5), (_v, 40, 7), (_toy, 1, 3)]


@exercise_check
def check_random_search(fn: Callable) -> Verdict:
    """``fn(dev_cost, n, seed)`` must try n learning rates α = 10^x, x = rng.uniform(-4, 0)
    with rng = np.random.default_rng(seed), and return (the best α, its dev cost), the
    best being the lowest ``dev_cost(x)``."""
    first = check_function(fn, _random_search, _SEARCH_CASES, outputs=("best_lr", "best_cost"),
                           name="random_search")
    if first.passed:
        return first
    if check_function(fn, _random_search_r, _SEARCH_CASES, outputs=("best_lr", "best_cost"),
                      name="random_search").passed:
        return Verdict(True, f"Correct! random_search passed all {len(_SEARCH_CASES)} test "
                             f"cases (with x = −4·r, r uniform in [0, 1]: the same scale).")
    return check_function(
        fn, _random_search, _SEARCH_CASES, outputs=("best_lr", "best_cost"),
        mistakes=[
            Mistake("You kept the trial with the *highest* dev cost: the best is the lowest "
                    "(np.argmin, or `if cost < best_cost`).",
                    _search_mistake(pick=np.argmax)),
            Mistake("You returned the exponent x = log10 α, not the learning rate: "
                    "return 10 ** x.", _search_mistake(alpha=lambda x: x)),
            Mistake("You drew α uniformly between 1e-4 and 1: then almost every trial lands "
                    "in [0.1, 1]. Draw the exponent uniformly, x = rng.uniform(-4, 0), and "
                    "α = 10 ** x.", _search_mistake(scale="uniform")),
            Mistake("dev_cost takes the exponent x = log10 α (like toy_dev_cost), not α "
                    "itself: call dev_cost(x).", _search_mistake(cost_of="alpha")),
        ], name="random_search")


# --- Exercise 4: coarse to fine, the zoom ------------------------------------------------------


def _zoom_with(order=lambda c: np.argsort(c, kind="stable"), margin_of=lambda m, size: m * size,
               over="best"):
    def zoom(points, costs, best, margin):
        chosen = points[order(costs)[:best]] if over == "best" else points
        low, high = chosen.min(axis=0), chosen.max(axis=0)                 # (2,) each
        return low - margin_of(margin, high - low), high + margin_of(margin, high - low)
    return zoom


_zoom = _zoom_with()
_ZOOM_POINTS = read_only(np.round(_RNG.uniform([-4.0, -3.0], [0.0, -0.3], (12, 2)), 3))
_ZOOM_COSTS = read_only(np.round(_RNG.uniform(0.35, 0.7, 12), 4))
_ZOOM_CASES = [(_ZOOM_POINTS, _ZOOM_COSTS, 3, 0.25), (_ZOOM_POINTS, _ZOOM_COSTS, 4, 0.5),
               (_ZOOM_POINTS[:7], _ZOOM_COSTS[:7], 2, 0.1)]


@exercise_check
def check_zoom(fn: Callable) -> Verdict:
    """``fn(points, costs, best, margin)`` must return (low, high), shape (2,) each: the
    smallest box around the ``best`` points of lowest cost, widened on each side by
    ``margin`` × its size."""
    return check_function(
        fn, _zoom, _ZOOM_CASES, outputs=("low", "high"),
        mistakes=[
            Mistake("You zoomed around the trials with the *highest* costs: np.argsort sorts "
                    "from low to high, so the best are np.argsort(costs)[:best].",
                    _zoom_with(order=lambda c: np.argsort(c)[::-1])),
            Mistake("points[:best] are the first trials drawn, not the best ones: sort by "
                    "cost first, points[np.argsort(costs)[:best]].",
                    _zoom_with(order=lambda c: np.arange(c.size))),
            Mistake("The box is not widened: add margin × (high − low) on each side, so that "
                    "the best point is not on the edge of round 2.",
                    _zoom_with(margin_of=lambda m, size: 0.0 * size)),
            Mistake("margin is a fraction of the box's size: widen by margin × (high − low), "
                    "not by margin itself.", _zoom_with(margin_of=lambda m, size: m + 0 * size)),
            Mistake("You put the box around *all* the points: keep only the best ones, "
                    "points[np.argsort(costs)[:best]].", _zoom_with(over="all")),
        ], name="zoom")


# --- Exercise 2: learning rates on a log scale ----------------------------------------------

_DECADES = read_only(np.array([1e-4, 1e-3, 1e-2, 1e-1, 1.0]))
_DECADE_NAMES = ["[1e-4, 1e-3]", "[1e-3, 0.01]", "[0.01, 0.1]", "[0.1, 1]"]
_N = 20000


@exercise_check
def check_sample_learning_rates(fn: Callable) -> Verdict:
    """``fn(n, rng)`` must return n learning rates α = 10^(−4·r), r uniform in [0, 1]:
    shape (n,), all in [1e-4, 1], a quarter of them in each decade."""
    name = "sample_learning_rates"
    _same_seed_same_samples(fn, name)
    alphas = _samples(fn, name, _N, seed=606)
    low, high = alphas.min(), alphas.max()
    where = f"Your {_N} samples go from {low:.3g} to {high:.3g}."
    if high <= 1e-4 * (1 + 1e-9):
        return Verdict(False, f"{where} 10**(-4) * r multiplies r by 1e-4: every sample is "
                              f"below 1e-4. The random number belongs in the exponent: "
                              f"10 ** (-4 * r).")
    if low >= 1 - 1e-9:
        return Verdict(False, f"{where} The exponent's sign: α = 10 ** (-4 * r) is at most "
                              f"1; 10 ** (4 * r) goes up to 10000.")
    if high > 1 + 1e-9 or low < 1e-4 * (1 - 1e-9):
        return Verdict(False, f"{where} They should stay within [1e-4, 1]: r uniform in "
                              f"[0, 1] and α = 10 ** (-4 * r).")
    if 0.015 < low < 0.02:
        return Verdict(False, f"{where} np.exp(-4 * r) is e^(−4r), which only goes down to "
                              f"e^−4 ≈ 0.018: the course's scale is in powers of 10, "
                              f"10 ** (-4 * r).")
    if low > 2e-4:
        return Verdict(False, f"{where} They should reach down to 1e-4: the exponent −4·r "
                              f"goes from 0 to −4.")
    shares = _shares(alphas, _DECADES)
    seen = _show_shares(shares, _DECADE_NAMES)
    if shares[-1] > 0.8:
        return Verdict(False, f"{seen}. That is uniform sampling between 1e-4 and 1: about "
                              f"90% land in [0.1, 1] and the small learning rates are hardly "
                              f"ever tried. Sample the exponent: 10 ** (-4 * r).")
    if np.any(np.abs(shares - 0.25) > 0.02):
        return Verdict(False, f"{seen}. On a log scale each decade gets the same share, "
                              f"about 25%: α = 10 ** (-4 * r) with r uniform in [0, 1].")
    return Verdict(True, f"Correct! {name}: all in [1e-4, 1], and per decade {seen}.")


# --- Exercise 3: β through 1 − β -------------------------------------------------------------

_BETA_EDGES = read_only(np.array([0.9, 0.99, 0.999]))
_BETA_NAMES = ["[0.9, 0.99]", "[0.99, 0.999]"]


@exercise_check
def check_sample_betas(fn: Callable) -> Verdict:
    """``fn(n, rng)`` must return n values of β in [0.9, 0.999] with 1 − β on a log scale
    (1 − β = 10^r, r uniform in [−3, −1]): half of them in [0.9, 0.99], half in
    [0.99, 0.999]."""
    name = "sample_betas"
    _same_seed_same_samples(fn, name)
    betas = _samples(fn, name, _N, seed=707)
    low, high = betas.min(), betas.max()
    where = f"Your {_N} samples go from {low:.4g} to {high:.4g}."
    tol = 1e-9
    if 1e-3 - tol <= low and high <= 0.1 + tol:
        return Verdict(False, f"{where} Those are values of 1 − β: return β = 1 − 10 ** r.")
    if low < 0.9 - tol or high > 0.999 + tol:
        return Verdict(False, f"{where} β must stay in [0.9, 0.999], so 1 − β = 10 ** r goes "
                              f"from 0.1 down to 0.001: r uniform in [−3, −1] (not [−1, 0] "
                              f"or [−3, 0]).")
    if low > 0.99 - 1e-4 or high < 0.99 + 1e-4:
        return Verdict(False, f"{where} β should fill all of [0.9, 0.999]: r uniform in "
                              f"[−3, −1], two decades of 1 − β.")
    shares = _shares(betas, _BETA_EDGES)
    seen = _show_shares(shares, _BETA_NAMES)
    if shares[0] > 0.8:
        return Verdict(False, f"{seen}. Sampling β itself — uniformly, or on a log scale, "
                              f"which on [0.9, 0.999] is almost the same — puts about 91% "
                              f"below 0.99, where the averaging window 1/(1 − β) only goes "
                              f"from 10 to 100. Sample 1 − β on a log scale: "
                              f"β = 1 − 10 ** r, r uniform in [−3, −1].")
    if np.any(np.abs(shares - 0.5) > 0.02):
        return Verdict(False, f"{seen}. With 1 − β on a log scale, [0.9, 0.99] and "
                              f"[0.99, 0.999] each get about half: β = 1 − 10 ** r with r "
                              f"uniform in [−3, −1].")
    return Verdict(True, f"Correct! {name}: all in [0.9, 0.999], {seen}.")
