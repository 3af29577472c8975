"""Checks for the exercises of notebook 06, hyperparameter search (超参数调试).

The two samplers are random, so their checks look at what a sampler *does* rather than
at exact numbers: they draw many samples with a seeded Generator and look at the range
and at the share of samples in each decade, which is where the typical mistakes show
(a uniform sampler puts 90% of the learning rates in [0.1, 1]; 10**(-4) * r puts all of
them below 1e-4; sampling β itself puts 91% of the betas below 0.99).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.checks.engine import (
    Mistake,
    Stop,
    Verdict,
    call_learner,
    check_function,
    exercise_check,
    learner_error,
    learner_parts,
    raised_verdict,
    read_only,
)

__all__ = ["check_lr_decay", "check_distinct_values", "check_sample_learning_rates",
           "check_sample_betas", "check_choose_configuration"]

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


# --- Exercise 1: learning-rate decay -------------------------------------------------------

_DECAY_CASES = [(0.2, 1.0, 0), (0.2, 1.0, 3), (0.1, 0.5, 4), (0.05, 0.1, 10), (1.0, 2.0, 1)]


def _lr_decay(lr0, decay_rate, epoch_num):
    return lr0 / (1.0 + decay_rate * epoch_num)


@exercise_check
@exercise_check
def check_lr_decay(fn: Callable) -> Verdict:
    """``fn(lr0, decay_rate, epoch_num)`` must return α = α₀ / (1 + decay_rate · epoch_num)."""
    missing_one = ("the 1 is missing. At epoch 0, decay_rate · epoch_num is 0; with the 1, "
                   "α₀ / (1 + decay_rate · epoch_num) is α₀ at epoch 0.")
    error = learner_error(fn, _DECAY_CASES[0], name="lr_decay")
    if isinstance(error, ZeroDivisionError):
        return Verdict(False, f"lr_decay(0.2, 1., 0) raised ZeroDivisionError: {missing_one}")
    if error is None:
        with np.errstate(all="ignore"):
            got = learner_parts(call_learner(fn, _DECAY_CASES[0], name="lr_decay"),
                                name="lr_decay", where="lr_decay(0.2, 1., 0)")[0]
        if got.size == 1 and np.isinf(got).all():
            return Verdict(False, f"lr_decay(0.2, 1., 0) is inf, a division by 0: "
                                  f"{missing_one}")
    return check_function(
        fn, _lr_decay, _DECAY_CASES,
        mistakes=[
            Mistake("Mind the brackets: α₀ / (1 + decay_rate · epoch_num). You divided α₀ by "
                    "(1 + decay_rate) and then multiplied by the epoch.",
                    lambda a, d, e: a / (1.0 + d) * e),
            Mistake("The learning rate must shrink with the epochs: divide α₀ by "
                    "(1 + decay_rate · epoch_num), do not multiply.",
                    lambda a, d, e: a * (1.0 + d * e)),
            Mistake("decay_rate is missing: α₀ / (1 + decay_rate · epoch_num).",
                    lambda a, d, e: a / (1.0 + e)),
            Mistake("The 1 is missing: α₀ / (1 + decay_rate · epoch_num) is α₀ at epoch 0.",
                    lambda a, d, e: a / (d * e) if d * e else np.inf),
            Mistake("That is exponential decay, α₀ · decay_rate^epoch_num — another schedule "
                    "(with a rate such as 0.95). Here: α₀ / (1 + decay_rate · epoch_num).",
                    lambda a, d, e: a * d ** e),
            Mistake("That makes the learning rate fall by a fixed amount each epoch (and go "
                    "negative); here it is divided: α₀ / (1 + decay_rate · epoch_num).",
                    lambda a, d, e: a - d * e),
        ], name="lr_decay")


# --- Exercise 2: distinct values in grid and random search ---------------------------------


def _distinct(trials, column):
    return len(np.unique(trials[:, column]))


def _grid(k1: int, k2: int) -> np.ndarray:
    a, b = np.meshgrid(np.linspace(0.1, 0.9, k1), np.linspace(-9, -7, k2), indexing="ij")
    return np.column_stack([a.ravel(), b.ravel()])


_WITH_REPEATS = np.array([[0.5, 1.0], [0.5, 2.0], [0.25, 1.0], [0.5, 3.0], [0.75, 2.0],
                          [0.25, 4.0], [0.5, 5.0]])
_DISTINCT_CASES = read_only([(_grid(3, 4), 0), (_grid(3, 4), 1), (_RNG.uniform(size=(10, 2)), 0),
                             (_WITH_REPEATS, 0), (_WITH_REPEATS, 1), (_grid(5, 2), 1)])


@exercise_check
def check_distinct_values(fn: Callable) -> Verdict:
    """``fn(trials, column)`` must return how many different values column ``column`` of
    ``trials`` (n, 2) holds, an int."""
    return check_function(
        fn, _distinct, _DISTINCT_CASES,
        mistakes=[
            Mistake("That is the number of trials (rows), not of *different* values: "
                    "np.unique(trials[:, column]) drops the repeats.",
                    lambda t, c: len(t)),
            Mistake("np.unique(trials) looks at both columns at once: pick the column "
                    "first, trials[:, column].", lambda t, c: len(np.unique(t))),
            Mistake("trials[column] is a *row* (one trial); the values of hyperparameter "
                    "`column` are the column trials[:, column].",
                    lambda t, c: len(np.unique(t[c]))),
            Mistake("You counted the other column: the hyperparameter is trials[:, column].",
                    lambda t, c: len(np.unique(t[:, 1 - c]))),
        ], name="distinct_values")


# --- Exercise 3: learning rates on a log scale ----------------------------------------------

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


# --- Exercise 4: β through 1 − β -------------------------------------------------------------

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


# --- Exercise 5: choosing a configuration on the dev set -------------------------------------


def _table(n: int, best_dev: int, best_test: int, lowest_train: int, worst_dev: int,
           highest_train: int):
    """A made-up results table whose best and worst indices by each column all differ."""
    dev = _RNG.uniform(0.70, 0.80, n)
    dev[best_dev], dev[worst_dev] = 0.86, 0.55
    test = _RNG.uniform(0.70, 0.80, n)
    test[best_test] = 0.88
    train = _RNG.uniform(0.30, 0.40, n)
    train[lowest_train], train[highest_train] = 0.05, 0.69
    return (np.round(train, 3), np.round(dev, 3), np.round(test, 3))


_CHOICE_CASES = read_only([_table(6, 2, 4, 0, 5, 1), _table(8, 5, 1, 3, 0, 6),
                           _table(5, 0, 3, 1, 2, 4)])


def _choose(train_cost, dev_accuracy, test_accuracy):
    return int(np.argmax(dev_accuracy))


@exercise_check
def check_choose_configuration(fn: Callable) -> Verdict:
    """``fn(train_cost, dev_accuracy, test_accuracy)`` (one entry per configuration) must
    return the index of the configuration with the highest dev accuracy."""
    return check_function(
        fn, _choose, _CHOICE_CASES,
        mistakes=[
            Mistake("You chose on the *test* set. Then the test accuracy of your choice is "
                    "the best of many tries — luck included — and no longer an honest "
                    "estimate of how the model does on new images. Choose on the dev set; "
                    "look at the test set once, at the very end.",
                    lambda tr, dv, te: int(np.argmax(te))),
            Mistake("You chose the lowest *training* cost: that rewards the network that "
                    "memorises its training images best (overfitting). Choose on the dev "
                    "set, images the networks never trained on.",
                    lambda tr, dv, te: int(np.argmin(tr))),
            Mistake("np.argmin picks the *lowest* dev accuracy; a higher accuracy is better: "
                    "np.argmax.", lambda tr, dv, te: int(np.argmin(dv))),
            Mistake("That is the best accuracy itself, not *which* configuration has it: "
                    "np.argmax returns its index.", lambda tr, dv, te: float(np.max(dv))),
            Mistake("A lower cost is better, so the largest training cost is the worst "
                    "fit; and the choice belongs to the dev set anyway.",
                    lambda tr, dv, te: int(np.argmax(tr))),
        ], name="choose_configuration")
