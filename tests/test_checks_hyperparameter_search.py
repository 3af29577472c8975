"""The exercise checks of notebook 06: right answers pass, typical wrong answers get the
specific message written for them."""

import numpy as np
import pytest

from helpers import hyperparameter_search
from helpers.checks import (
    check_choose_configuration,
    check_distinct_values,
    check_lr_decay,
    check_sample_betas,
    check_sample_learning_rates,
)

ALL_CHECKS = [check_lr_decay, check_distinct_values, check_sample_learning_rates,
              check_sample_betas, check_choose_configuration]


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_messages_name_no_memory_addresses(check):
    verdict = check(lambda *args: 12345.0 if len(args) != 2 else np.zeros(3))
    assert not verdict.passed and " at 0x" not in verdict.message


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_a_crash_is_reported(check):
    verdict = check(lambda *args: 1 / 0)
    assert not verdict.passed and "ZeroDivisionError" in verdict.message


# --- Exercise 1: lr_decay -------------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda lr0, decay_rate, epoch_num: lr0 / (1 + decay_rate * epoch_num),
    lambda lr0, decay_rate, epoch_num: lr0 * (1 + decay_rate * epoch_num) ** -1,
    lambda lr0, decay_rate, epoch_num: hyperparameter_search.Config(lr=lr0, decay=decay_rate)
    .learning_rate(epoch_num),
])
def test_lr_decay_correct(right):
    verdict = check_lr_decay(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda a, d, e: a / (1 + d) * e, "Mind the brackets"),
    (lambda a, d, e: a * (1 + d * e), "must shrink"),
    (lambda a, d, e: a / (1 + e), "decay_rate is missing"),
    (lambda a, d, e: a * d ** e, "exponential decay"),
    (lambda a, d, e: a - d * e, "fixed amount"),
    (lambda a, d, e: a / (2 + d * e), "expected"),
])
def test_lr_decay_typical_mistakes(wrong, words):
    verdict = check_lr_decay(wrong)
    assert not verdict.passed and words in verdict.message, verdict.message


def test_lr_decay_without_the_1_divides_by_zero_and_says_where():
    verdict = check_lr_decay(lambda a, d, e: a / (d * e))
    assert not verdict.passed and "ZeroDivisionError" in verdict.message
    assert verdict.message.startswith("lr_decay(0.2, 1., 0) raised")
    assert "the 1 is missing" in verdict.message
    with np.errstate(all="ignore"):  # the same with NumPy's numbers: inf, not an error
        verdict = check_lr_decay(lambda a, d, e: np.float64(a) / (d * e))
    assert not verdict.passed and "the 1 is missing" in verdict.message, verdict.message


# --- Exercise 2: distinct_values --------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda trials, column: len(np.unique(trials[:, column])),
    lambda trials, column: len(set(trials[:, column].tolist())),
    hyperparameter_search.distinct_values,
    lambda trials, column: np.unique(trials[:, column]).size,
])
def test_distinct_values_correct(right):
    verdict = check_distinct_values(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda t, c: len(t), "number of trials"),
    (lambda t, c: len(np.unique(t)), "both columns at once"),
    (lambda t, c: len(np.unique(t[c])), "is a *row*"),
    (lambda t, c: len(np.unique(t[:, 1 - c])), "the other column"),
    (lambda t, c: len(np.unique(t[:, c])) + 1, "expected"),
])
def test_distinct_values_typical_mistakes(wrong, words):
    verdict = check_distinct_values(wrong)
    assert not verdict.passed and words in verdict.message, verdict.message


# --- Exercise 3: sample_learning_rates ---------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda n, rng: 10 ** (-4 * rng.uniform(0, 1, n)),
    lambda n, rng: 10 ** (-4 * rng.random(n)),
    lambda n, rng: 10 ** rng.uniform(-4, 0, n),
    lambda n, rng: np.power(10.0, -4 * rng.uniform(size=n)),
    hyperparameter_search.sample_learning_rates,
    lambda n, rng: hyperparameter_search.log_uniform(1e-4, 1, n, rng),
    lambda n, rng: np.array([10 ** (-4 * rng.uniform()) for _ in range(n)]),
])
def test_sample_learning_rates_correct(right):
    verdict = check_sample_learning_rates(right)
    assert verdict.passed, verdict.message
    assert "25%" in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda n, rng: 10 ** (-4) * rng.uniform(0, 1, n), "multiplies r by 1e-4"),
    (lambda n, rng: rng.uniform(1e-4, 1, n), "uniform sampling between 1e-4 and 1"),
    (lambda n, rng: 10 ** (4 * rng.uniform(0, 1, n)), "The exponent's sign"),
    (lambda n, rng: 10 ** (-rng.uniform(0, 1, n)), "reach down to 1e-4"),
    (lambda n, rng: 10 ** (-3 * rng.uniform(0, 1, n)), "reach down to 1e-4"),
    (lambda n, rng: 10 ** (-5 * rng.uniform(0, 1, n)), "within [1e-4, 1]"),
    (lambda n, rng: np.exp(-4 * rng.uniform(0, 1, n)), "np.exp(-4 * r) is e^(−4r)"),
    (lambda n, rng: 10 ** (-4 * np.random.default_rng().uniform(0, 1, n)), "same seed"),
    (lambda n, rng: 10 ** (-4 * rng.uniform(0, 1, (n, 1))), "Return a 1-D array"),
    (lambda n, rng: 10 ** (-4 * rng.uniform(0, 1, n + 1)), "expected ("),
    (lambda n, rng: 10 ** (-4 * rng.uniform(0, 1, n) ** 2), "about 25%"),
    (lambda n, rng: "0.01", "returned shape ()"),
])
def test_sample_learning_rates_typical_mistakes(wrong, words):
    verdict = check_sample_learning_rates(wrong)
    assert not verdict.passed and words in verdict.message, verdict.message


# --- Exercise 4: sample_betas -----------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda n, rng: 1 - 10 ** rng.uniform(-3, -1, n),
    lambda n, rng: 1 - 10 ** (-1 - 2 * rng.random(n)),
    hyperparameter_search.sample_betas,
    lambda n, rng: 1 - hyperparameter_search.log_uniform(0.001, 0.1, n, rng),
])
def test_sample_betas_correct(right):
    verdict = check_sample_betas(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda n, rng: rng.uniform(0.9, 0.999, n), "Sampling β itself"),
    (lambda n, rng: 10 ** rng.uniform(np.log10(0.9), np.log10(0.999), n), "Sampling β itself"),
    (lambda n, rng: 10 ** rng.uniform(-3, -1, n), "values of 1 − β"),
    (lambda n, rng: 1 - 10 ** rng.uniform(-1, 0, n), "r uniform in [−3, −1]"),
    (lambda n, rng: 1 - 10 ** rng.uniform(-3, 0, n), "r uniform in [−3, −1]"),
    (lambda n, rng: 1 - 10 ** rng.uniform(-4, -1, n), "r uniform in [−3, −1]"),
    (lambda n, rng: 1 - 10 ** rng.uniform(-3, -2, n), "fill all of [0.9, 0.999]"),
    (lambda n, rng: 1 - 10 ** rng.uniform(-2, -1, n), "fill all of [0.9, 0.999]"),
    (lambda n, rng: 1 - 10 ** -rng.uniform(1, 3, n) ** 0.5 - 0.0, "r uniform in [−3, −1]"),
    (lambda n, rng: 1 - 10 ** (-1 - 2 * rng.random(n) ** 2), "each get about half"),
    (lambda n, rng: 1 - 10 ** np.random.default_rng().uniform(-3, -1, n), "same seed"),
])
def test_sample_betas_typical_mistakes(wrong, words):
    verdict = check_sample_betas(wrong)
    assert not verdict.passed and words in verdict.message, verdict.message


# --- Exercise 5: choose_configuration -----------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda train_cost, dev_accuracy, test_accuracy: int(np.argmax(dev_accuracy)),
    lambda train_cost, dev_accuracy, test_accuracy: np.argmax(dev_accuracy),
    lambda train_cost, dev_accuracy, test_accuracy: list(dev_accuracy).index(max(dev_accuracy)),
    lambda train_cost, dev_accuracy, test_accuracy: int(np.argmin(-np.asarray(dev_accuracy))),
])
def test_choose_configuration_correct(right):
    verdict = check_choose_configuration(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda tr, dv, te: int(np.argmax(te)), "*test* set"),
    (lambda tr, dv, te: int(np.argmin(tr)), "lowest *training* cost"),
    (lambda tr, dv, te: int(np.argmin(dv)), "np.argmin picks the *lowest*"),
    (lambda tr, dv, te: float(np.max(dv)), "not *which* configuration"),
    (lambda tr, dv, te: int(np.argmax(tr)), "largest training cost"),
    (lambda tr, dv, te: 0, "expected"),
])
def test_choose_configuration_typical_mistakes(wrong, words):
    verdict = check_choose_configuration(wrong)
    assert not verdict.passed and words in verdict.message, verdict.message
