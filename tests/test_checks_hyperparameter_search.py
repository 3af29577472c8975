"""The exercise checks of notebook 06: right answers pass, typical wrong answers get the
specific message written for them."""

import numpy as np
import pytest

from helpers import hyperparameter_search
from helpers.checks import (
    check_random_search,
    check_sample_betas,
    check_sample_learning_rates,
    check_zoom,
)

ALL_CHECKS = [check_random_search, check_sample_learning_rates, check_sample_betas,
              check_zoom]


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_messages_name_no_memory_addresses(check):
    verdict = check(lambda *args: 12345.0 if len(args) != 2 else np.zeros(3))
    assert not verdict.passed and " at 0x" not in verdict.message


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_a_crash_is_reported(check):
    verdict = check(lambda *args: 1 / 0)
    assert not verdict.passed and "ZeroDivisionError" in verdict.message


# --- Exercise 2: sample_learning_rates ---------------------------------------------------------


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


# --- Exercise 3: sample_betas -----------------------------------------------------------------


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


# --- Exercise 1: random_search ---------------------------------------------------------------


def _search(pick=np.argmin, alpha=lambda x: 10.0 ** x, draw=lambda rng, n: rng.uniform(-4, 0, n),
            cost_of=lambda x: x, swap=False):
    def random_search(dev_cost, n, seed):
        rng = np.random.default_rng(seed)
        xs = draw(rng, n)
        costs = np.array([dev_cost(cost_of(x)) for x in xs])
        i = int(pick(costs))
        result = (alpha(xs[i]), costs[i])
        return result[::-1] if swap else result
    return random_search


def _loop_search(dev_cost, n, seed):
    rng = np.random.default_rng(seed)
    best_lr, best_cost = None, np.inf
    for _ in range(n):
        x = rng.uniform(-4, 0)
        cost = dev_cost(x)
        if cost < best_cost:
            best_lr, best_cost = 10 ** x, cost
    return best_lr, best_cost


@pytest.mark.parametrize("right", [
    _loop_search,
    _search(),
    _search(draw=lambda rng, n: -4 * rng.uniform(0, 1, n)),       # α = 10^(−4r): the same scale
    lambda dev_cost, n, seed: list(_loop_search(dev_cost, n, seed)),
])
def test_random_search_correct(right):
    verdict = check_random_search(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (_search(pick=np.argmax), "*highest* dev cost"),
    (_search(alpha=lambda x: x), "exponent x = log10 α"),
    (_search(draw=lambda rng, n: np.log10(rng.uniform(1e-4, 1, n))), "uniformly between 1e-4"),
    (_search(cost_of=lambda x: 10.0 ** x), "not α itself"),
    (_search(swap=True), "in the order best_cost, best_lr"),
    (lambda dev_cost, n, seed: (10 ** np.random.default_rng(seed).uniform(-4, 0), 0.5),
     "expected"),
])
def test_random_search_typical_mistakes(wrong, words):
    verdict = check_random_search(wrong)
    assert not verdict.passed and words in verdict.message, verdict.message


# --- Exercise 4: zoom ------------------------------------------------------------------------


def _zoom(order=np.argsort, widen=lambda m, size: m * size, over_all=False, axis=0,
          swap=False):
    def zoom(points, costs, best, margin):
        chosen = points if over_all else points[order(costs)[:best]]
        low, high = chosen.min(axis=axis), chosen.max(axis=axis)
        result = (low - widen(margin, high - low), high + widen(margin, high - low))
        return result[::-1] if swap else result
    return zoom


def _zoom_by_loop(points, costs, best, margin):
    order = sorted(range(len(costs)), key=lambda i: costs[i])[:best]
    low = [min(points[i, k] for i in order) for k in range(2)]
    high = [max(points[i, k] for i in order) for k in range(2)]
    return ([lo - margin * (hi - lo) for lo, hi in zip(low, high, strict=True)],
            [hi + margin * (hi - lo) for lo, hi in zip(low, high, strict=True)])


@pytest.mark.parametrize("right", [
    _zoom(),
    lambda p, c, b, m: [list(x) for x in _zoom()(p, c, b, m)],
    _zoom_by_loop,
    _zoom(order=lambda c: np.argsort(c, kind="stable")),
])
def test_zoom_correct(right):
    verdict = check_zoom(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (_zoom(order=lambda c: np.argsort(c)[::-1]), "*highest* costs"),
    (_zoom(order=lambda c: np.arange(c.size)), "first trials drawn"),
    (_zoom(widen=lambda m, size: 0 * size), "not widened"),
    (_zoom(widen=lambda m, size: m + 0 * size), "not by margin itself"),
    (_zoom(over_all=True), "*all* the points"),
    (_zoom(axis=1), "wrong shape"),
    (_zoom(swap=True), "in the order high, low"),
])
def test_zoom_typical_mistakes(wrong, words):
    verdict = check_zoom(wrong)
    assert not verdict.passed and words in verdict.message, verdict.message
