"""Checks for the exercises of notebook 02, gradient descent."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from helpers import gradient_descent
from helpers.checks.engine import (
    Mistake,
    Verdict,
    call_learner,
    check_function,
    describe_call,
    exercise_check,
    learner_parts,
    read_only,
)

__all__ = ["check_gradient", "check_descent_step", "check_steps_per_epoch", "check_one_epoch",
           "check_ema", "check_bias_correction"]

_RNG = np.random.default_rng(2002)  # fixed cases, the same for every learner


def _line_cases() -> list[tuple]:
    """(x, y, w, b) cases: sizes that tell sum from mean (and m from m − 1), x not near 1
    (x from x²)."""
    x1, y1 = np.array([0.2, 0.5, 0.9]), np.array([0.7, 0.8, 1.2])
    x2 = _RNG.uniform(0, 1, 8)
    y2 = 0.7 * x2 + 0.5 + _RNG.uniform(0, 0.2, 8)
    return [(x1, y1, 0.3, 0.1), (x2, y2, -1.0, 2.0), (np.array([2.0, 3.0]),
                                                      np.array([1.0, 0.5]), 0.5, -0.5)]


_LINE_CASES = read_only(_line_cases())


def _gradient(x, y, w, b):
    return gradient_descent.gradient(x, y, w, b)


def _residuals(x, y, w, b):
    return w * x + b - y  # ŷ − y, (m,)


@exercise_check
def check_gradient(fn: Callable) -> Verdict:
    """``fn(x, y, w, b)`` -> (dw, db), the gradient of the MSE of ŷ = w·x + b."""
    def signs_flipped(x, y, w, b):
        dw, db = _gradient(x, y, w, b)
        return -dw, -db

    def summed(x, y, w, b):
        r = _residuals(x, y, w, b)
        return 2 * np.sum(r * x), 2 * np.sum(r)

    def no_two(x, y, w, b):
        r = _residuals(x, y, w, b)
        return np.mean(r * x), np.mean(r)

    def x_not_squared(x, y, w, b):  # dw = 2xw + 2xb − 2xy instead of 2x²w + ...
        return np.mean(2 * x * w + 2 * x * b - 2 * x * y), 2 * np.mean(_residuals(x, y, w, b))

    def over_m_minus_1(x, y, w, b):
        r = _residuals(x, y, w, b)
        return 2 * np.sum(r * x) / (x.size - 1), 2 * np.sum(r) / (x.size - 1)

    def no_x_in_dw(x, y, w, b):
        r = _residuals(x, y, w, b)
        return 2 * np.mean(r), 2 * np.mean(r)

    def swapped(x, y, w, b):
        dw, db = _gradient(x, y, w, b)
        return db, dw

    return check_function(
        fn, _gradient, _LINE_CASES, outputs=("dw", "db"), name="gradient",
        mistakes=[
            Mistake("Both signs are flipped: with r = ŷ − y, dw = (2/m) Σ r·x and "
                    "db = (2/m) Σ r. (Using y − ŷ needs a minus sign in front.) With this "
                    "sign, the update w − lr·dw would climb uphill.", signs_flipped),
            Mistake("Those are sums over the examples: the loss is a *mean*, so divide by "
                    "m (np.mean does it).", summed),
            Mistake("You divided by m − 1: the loss is the mean over the m examples, so "
                    "divide the sums by m (np.mean does it).", over_m_minus_1),
            Mistake("The factor 2 is missing: the derivative of (ŷ − y)² is 2(ŷ − y) "
                    "times the derivative of ŷ.", no_two),
            Mistake("In dw, the w term needs x², not x: for one example "
                    "dw = 2x²w + 2xb − 2xy, because ŷ = wx + b is multiplied by x once "
                    "more.", x_not_squared),
            Mistake("dw is missing the factor x: ∂ŷ/∂w = x, so dw = (2/m) Σ (ŷ − y)·x, "
                    "while db = (2/m) Σ (ŷ − y) because ∂ŷ/∂b = 1.", no_x_in_dw),
            Mistake("dw and db are swapped: return them in the order (dw, db).", swapped),
        ])


@exercise_check
def check_descent_step(fn: Callable) -> Verdict:
    """``fn(w, b, dw, db, lr)`` -> (w, b) after one update of gradient descent."""
    cases = [(1.0, 0.5, 2.0, -4.0, 0.1), (-0.3, 2.0, -0.5, 0.25, 0.5),
             (0.0, 0.0, 3.0, 1.0, 0.01)]
    return check_function(
        fn, lambda w, b, dw, db, lr: (w - lr * dw, b - lr * db), cases,
        outputs=("w", "b"), name="descent_step",
        mistakes=[
            Mistake("The step goes uphill: the gradient points to where the loss *grows*, "
                    "so subtract it: w − lr·dw.",
                    lambda w, b, dw, db, lr: (w + lr * dw, b + lr * db)),
            Mistake("The learning rate is missing: the step is lr·dw, not dw.",
                    lambda w, b, dw, db, lr: (w - dw, b - db)),
            Mistake("Multiply the gradient by lr, don't divide by it.",
                    lambda w, b, dw, db, lr: (w - dw / lr, b - db / lr)),
            Mistake("Only w moved: b needs its own update, b − lr·db.",
                    lambda w, b, dw, db, lr: (w - lr * dw, b)),
            Mistake("w and b took each other's slope: w goes with dw, b with db.",
                    lambda w, b, dw, db, lr: (w - lr * db, b - lr * dw)),
        ])


@exercise_check
def check_steps_per_epoch(fn: Callable) -> Verdict:
    """``fn(m, batch_size)`` -> the number of steps (updates) in one epoch: ceil(m / B)."""
    cases = [(100, 10), (100, 30), (7, 2), (5, 5), (10, 1), (1000, 64)]
    return check_function(
        fn, lambda m, batch_size: float(math.ceil(m / batch_size)), cases,
        name="steps_per_epoch",
        mistakes=[
            Mistake("The last, smaller batch is missing: when B does not divide m, the "
                    "examples left over still make one more update. Round *up*: "
                    "math.ceil(m / B) (or -(-m // B)).",
                    lambda m, batch_size: float(m // batch_size)),
            Mistake("You used round(m / B): it rounds 100 / 30 = 3.33 down to 3 and "
                    "forgets the last 10 examples. Any remainder is one more batch, so "
                    "round *up*: math.ceil(m / B).",
                    lambda m, batch_size: float(round(m / batch_size))),
            Mistake("An epoch is a whole number of updates: round m / B up with "
                    "math.ceil.", lambda m, batch_size: m / batch_size),
            Mistake("That is the batch size: an epoch has one update per *batch*, so "
                    "count the batches, m / B rounded up.",
                    lambda m, batch_size: float(batch_size)),
            Mistake("That is the number of examples m: only stochastic gradient descent "
                    "(B = 1) makes one update per example.", lambda m, batch_size: float(m)),
            Mistake("Divide m by B, not multiply.", lambda m, batch_size: float(m * batch_size)),
            Mistake("Divide m by B, not B by m.",
                    lambda m, batch_size: float(math.ceil(batch_size / m))),
        ])


def _epoch_cases() -> list[tuple]:
    """(x, y, w, b, lr, batch_size, rng) cases: m = 10, B = 3 (10/3 = 3.33: ceil 4, round
    3), m = 11, B = 4 (2.75: ceil and round 3, floor 2), batch (B = m) and SGD (B = 1)."""
    cases = []
    for m, batch_size, seed in ((10, 3, 1), (11, 4, 2), (6, 6, 3), (5, 1, 4)):
        x = _RNG.uniform(0, 1, m)
        y = 0.7 * x + 0.5 + _RNG.uniform(0, 0.2, m)
        cases.append((x, y, 1.5, -0.3, 0.4, batch_size, np.random.default_rng(seed)))
    return cases


_EPOCH_CASES = read_only(_epoch_cases())


def _epoch(x, y, w, b, lr, batch_size, rng, *, order=None, n_batches=None, grad=None,
           carry=True, sign=-1.0, separately=False):
    """One epoch of mini-batch descent, or a typical mistake of it: ``order`` (the
    shuffle), ``n_batches``, ``grad(xb, yb, w, b, x, y)`` -> (dw, db), ``carry`` (each
    update starts where the last one ended), ``sign`` of the step, ``separately`` (x and
    y shuffled by two different orders)."""
    m = x.size
    order = rng.permutation(m) if order is None else order
    order_y = rng.permutation(m) if separately else order
    n_batches = math.ceil(m / batch_size) if n_batches is None else n_batches
    grad = grad or (lambda xb, yb, w, b, x, y: _gradient(xb, yb, w, b))
    path, w_now, b_now = [], w, b
    for i in range(n_batches):
        batch, batch_y = (o[i * batch_size:(i + 1) * batch_size] for o in (order, order_y))
        dw, db = grad(x[batch], y[batch_y], w_now, b_now, x, y)
        w_new, b_new = w_now + sign * lr * dw, b_now + sign * lr * db
        path.append((w_new, b_new))
        if carry:
            w_now, b_now = w_new, b_new
    return np.array(path)


@exercise_check
def check_one_epoch(fn: Callable) -> Verdict:
    """``fn(x, y, w, b, lr, batch_size, rng)`` -> the path (ceil(m / B), 2) of one epoch
    of mini-batch descent, shuffled by ``rng.permutation(m)``."""

    def other_rng(x, y, w, b, lr, batch_size, rng):  # the learner's, with another rng
        args = (x, y, w, b, lr, batch_size, np.random.default_rng(12345))
        where = describe_call("one_epoch", args)
        return learner_parts(call_learner(fn, args, name="one_epoch", where=where),
                             name="one_epoch", where=where)[0]

    def over_m(xb, yb, w, b, x, y):
        r = _residuals(xb, yb, w, b)
        return 2 * np.sum(r * xb) / x.size, 2 * np.sum(r) / x.size

    def whole_data(xb, yb, w, b, x, y):
        return _gradient(x, y, w, b)

    def no_two(xb, yb, w, b, x, y):
        dw, db = _gradient(xb, yb, w, b)
        return dw / 2, db / 2

    def once_at_the_end(x, y, w, b, lr, batch_size, rng):
        steps = _epoch(x, y, w, b, lr, batch_size, rng, carry=False)
        dw, db = (w - steps[:, 0]) / lr, (b - steps[:, 1]) / lr  # each batch's gradient
        return np.array([[w - lr * dw.mean(), b - lr * db.mean()]])

    def with_start(x, y, w, b, lr, batch_size, rng):
        return np.vstack([[w, b], _epoch(x, y, w, b, lr, batch_size, rng)])

    return check_function(
        fn, _epoch, _EPOCH_CASES, name="one_epoch",
        mistakes=[
            Mistake("No shuffle: the batches take the examples in their stored order. "
                    "Shuffle first, order = rng.permutation(m), then slice the order.",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng,
                                                          order=np.arange(x.size))),
            Mistake("x and y were shuffled separately, each in its own order, so the pairs "
                    "(x, y) no longer match. Draw one order and index both with it: "
                    "x[batch], y[batch].",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng,
                                                          separately=True)),
            Mistake("The last, smaller batch is dropped: with m = 10 and B = 3 there are "
                    "4 batches (3 + 3 + 3 + 1), not 3. Loop over range(0, m, B): the slice "
                    "order[start:start + B] is shorter at the end.",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng,
                                                          n_batches=x.size // B)),
            Mistake("You counted the batches with round(m / B): 10 / 3 = 3.33 rounds to 3 "
                    "and loses the last example. The count is ceil(m / B); or loop over "
                    "range(0, m, B).",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng,
                                                          n_batches=round(x.size / B))),
            Mistake("Each update starts again from the w, b the epoch started with: the "
                    "new w, b of one batch must be where the next batch starts (assign "
                    "w, b = w - lr * dw, b - lr * db inside the loop).",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng,
                                                          carry=False)),
            Mistake("You updated once, at the end, with the average of the batch "
                    "gradients: that is batch descent in disguise. Update after every "
                    "batch, and return the (w, b) after each update.", once_at_the_end),
            Mistake("Every update uses the gradient of all the data (x, y): compute it on "
                    "the batch only, xb = x[batch], yb = y[batch].",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng,
                                                          grad=whole_data)),
            Mistake("The same shuffle every epoch: your path does not depend on rng. Draw "
                    "the order from the rng you are given, order = rng.permutation(m), "
                    "inside the function; a generator made there with a fixed seed "
                    "(np.random.default_rng(0)) repeats one order in every epoch.",
                    other_rng),
            Mistake("You divided by m: the batch's gradient is a mean over its own B "
                    "examples (np.mean on the batch), and the last batch may be smaller.",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng,
                                                          grad=over_m)),
            Mistake("The steps go uphill: subtract the gradient, w − lr·dw and b − lr·db.",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng,
                                                          sign=1.0)),
            Mistake("The factor 2 is missing from the gradient: dw = 2·mean((ŷ − y)·x), "
                    "db = 2·mean(ŷ − y) on the batch.",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng,
                                                          grad=no_two)),
            Mistake("Your path starts with the starting (w, b): return only the (w, b) "
                    "after each update, one row per batch.", with_start),
            Mistake("Each row must be (w, b): yours are (b, w).",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng)[:, ::-1]),
            Mistake("That is only the last (w, b): return the whole path, one row (w, b) "
                    "after each update, e.g. np.array(path).",
                    lambda x, y, w, b, lr, B, rng: _epoch(x, y, w, b, lr, B, rng)[-1]),
        ])


def _ema(values, beta):
    return gradient_descent.ema(values, beta)


_EMA_CASES = read_only([(np.array([1.0, 2.0, 3.0]), 0.5), (_RNG.normal(1.0, 0.5, 12), 0.9),
                        (np.array([4.0, 0.0, 4.0, 0.0]), 0.25)])


@exercise_check
def check_ema(fn: Callable) -> Verdict:
    """``fn(values, beta)`` -> the exponentially weighted average, v₀ = 0, no correction."""

    def swapped(values, beta):
        return gradient_descent.ema(values, 1 - beta) if beta > 0 else np.zeros_like(values)

    def starts_at_first(values, beta):
        out, v = np.empty_like(values), values[0]
        for t, value in enumerate(values):
            v = value if t == 0 else beta * v + (1 - beta) * value
            out[t] = v
        return out

    return check_function(
        fn, _ema, _EMA_CASES, name="ema",
        mistakes=[
            Mistake("β and 1 − β are swapped: the old average keeps the weight β, the new "
                    "value gets 1 − β: v = β·v + (1 − β)·ℓ.", swapped),
            Mistake("Start from v = 0 (as the formula says), not from the first value. "
                    "Starting from 0 drags the first averages down; bias correction, the "
                    "next exercise, is the cure.", starts_at_first),
            Mistake("That is the bias-corrected average: here return v itself, without "
                    "dividing by 1 − βᵗ.",
                    lambda values, beta: gradient_descent.ema(values, beta, bias_correction=True)),
            Mistake("That is the plain running mean of all values so far: the weights "
                    "must shrink by β at each step.",
                    lambda values, beta: np.cumsum(values) / np.arange(1, values.size + 1)),
        ])


def _corrected(v, beta):
    return v / (1 - beta ** np.arange(1, v.size + 1))


_CORRECTION_CASES = read_only([(gradient_descent.ema(values, beta), beta)
                               for values, beta in ((np.array([1.0, 2.0, 3.0, 4.0]), 0.5),
                                                    (_RNG.normal(1.0, 0.5, 12), 0.9),
                                                    (_RNG.normal(2.0, 0.5, 30), 0.98))])


@exercise_check
def check_bias_correction(fn: Callable) -> Verdict:
    """``fn(v, beta)`` -> v_t / (1 − β^t) for t = 1, 2, ..., k, v (k,) the EMA from v₀ = 0."""
    for v, beta in _CORRECTION_CASES:  # t from 0: a division by 0 at the start
        args = (v, beta)
        where = describe_call("bias_correction", args)
        with np.errstate(divide="ignore", invalid="ignore"):
            try:
                got = learner_parts(call_learner(fn, args, name="bias_correction",
                                                 where=where),
                                    name="bias_correction", where=where)[0]
            except Exception:
                break  # check_function says what happened
        if got.shape == v.shape and not np.isfinite(got[0]) \
                and np.allclose(got[1:], v[1:] / (1 - beta ** np.arange(1, v.size))):
            return Verdict(False, f"{where}: the first value is {got[0]}: t starts at 0, "
                                  f"so 1 − β⁰ = 0 and v₁ is divided by 0. The first average "
                                  f"is v₁, at t = 1: t = np.arange(1, v.size + 1).")
    return check_function(
        fn, _corrected, _CORRECTION_CASES, name="bias_correction",
        mistakes=[
            Mistake("The correction is missing: that is v itself. Divide each vₜ by "
                    "1 − βᵗ.", lambda v, beta: v),
            Mistake("You divided by 1 − β instead of 1 − βᵗ: the correction must fade as "
                    "t grows (βᵗ → 0), so the power of t matters: 1 - beta ** t.",
                    lambda v, beta: v / (1 - beta)),
            Mistake("Divide by 1 − βᵗ, do not multiply: the early averages are too small "
                    "and must grow.", lambda v, beta: v * (1 - beta ** np.arange(1, v.size + 1))),
            Mistake("You divided by βᵗ: the factor is 1 − βᵗ, the total weight the "
                    "average has given out after t steps.",
                    lambda v, beta: v / beta ** np.arange(1, v.size + 1)),
            Mistake("t is off by one: the first value is v₁, at t = 1, divided by "
                    "1 − β¹ = 1 − β (t = np.arange(1, k + 1)).",
                    lambda v, beta: v / (1 - beta ** np.arange(2, v.size + 2))),
        ])
