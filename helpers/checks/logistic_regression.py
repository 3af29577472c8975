"""Checks for the exercises of notebook 04, logistic regression.

Shapes as in the notebook: X (n, m), Y (1, m), w (n, 1), b a number; the data come
first, as in the notebook's exercises (Ng's assignment writes ``propagate(w, b, X, Y)``).
The cases use n ≠ m so that a transposed matrix shows in the shape of the result, plus
one square case where a transpose still runs and is recognised by its values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.activations import _sigmoid
from helpers.checks.engine import (
    Mistake,
    Verdict,
    check_function,
    error_text,
    exercise_check,
    learner_error,
    read_only,
)

__all__ = ["check_logistic_forward", "check_logistic_cost", "check_logistic_propagate",
           "check_logistic_optimize", "check_logistic_predict"]

_RNG = np.random.default_rng(2404)  # fixed cases, the same for every learner


def _case(n: int, m: int, scale: float = 1.0):
    w = _RNG.normal(scale=scale, size=(n, 1))
    X = _RNG.normal(size=(n, m))
    Y = np.zeros((1, m))
    Y[0, _RNG.permutation(m)[:m // 2 + 1]] = 1.0  # both labels occur
    return X, Y, w, float(_RNG.normal())


_CASES = read_only([_case(3, 5), _case(4, 4), _case(2, 7), _case(6, 3)])


def _wrong_matmul(fn: Callable, args, name: str) -> Verdict | None:
    """w @ X (instead of w.T @ X) raises a shape error that says little to a learner."""
    error = learner_error(fn, args, name=name)
    if isinstance(error, ValueError) and any(
            word in error_text(error) for word in ("matmul", "aligned", "broadcast")):
        return Verdict(False, f"Your function raised a shape error ({type(error).__name__}"
                              "): the shapes in a product do not fit. w has shape (n, 1) "
                              "and X (n, m), one column per example: the weighted sums "
                              "are z = wᵀX + b, `w.T @ X + b`, of shape (1, m).")
    return None  # the engine reports other errors


def _or_parameters_first(verdict: Verdict, ngs: Callable, reference: Callable, cases,
                         name: str, ours: str, outputs=()) -> Verdict:
    """``verdict``; but if the learner's function, called as ``ngs`` calls it (in the order
    of Ng's assignment: w and b first), passes, a verdict that says so."""
    if verdict.passed or not check_function(ngs, reference, cases, name=name,
                                            outputs=outputs).passed:
        return verdict
    return Verdict(False, f"Your {name} takes w and b first, as Ng's assignment does; this "
                          f"course puts the data first, as notebooks 01-02 do: "
                          f"def {ours}. Change the order of the arguments in the def line.")


# --- Exercise 1: the model's output A = σ(wᵀX + b) --------------------------------------


def _forward(X, w, b):
    return _sigmoid(w.T @ X + b)


_FORWARD_MISTAKES = [
    Mistake("You computed Xᵀw, shape (m, 1): one row per example. The course keeps one "
            "column per example: z = wᵀX + b, `w.T @ X + b`, shape (1, m).",
            lambda X, w, b: _sigmoid(X.T @ w + b)),
    Mistake("That is z = wᵀX + b, the weighted sum. The model's output is a = σ(z), a "
            "probability between 0 and 1.", lambda X, w, b: w.T @ X + b),
    Mistake("The bias b is missing: a = σ(wᵀX + b).", lambda X, w, b: _sigmoid(w.T @ X)),
    Mistake("The bias belongs inside σ: a = σ(wᵀX + b), not σ(wᵀX) + b.",
            lambda X, w, b: _sigmoid(w.T @ X) + b),
    Mistake("A sign slip in the sigmoid: σ(z) = 1 / (1 + e^(−z)), with a minus. Yours "
            "gives σ(−z) = 1 − σ(z), the probability of the other class.",
            lambda X, w, b: 1.0 / (1.0 + np.exp(w.T @ X + b))),
    Mistake("That is tanh(z), another activation: logistic regression uses the sigmoid "
            "σ(z) = 1 / (1 + e^(−z)), whose values lie between 0 and 1 (tanh's between −1 "
            "and 1).", lambda X, w, b: np.tanh(w.T @ X + b)),
    Mistake("That is ReLU, max(0, z), another activation: logistic regression uses the "
            "sigmoid σ(z) = 1 / (1 + e^(−z)), a probability between 0 and 1.",
            lambda X, w, b: np.maximum(0.0, w.T @ X + b)),
    Mistake("The sum over the features runs along axis 0 (down each column of X): "
            "np.sum(w * X, axis=0), or simply w.T @ X. You summed along axis 1, over the "
            "examples.", lambda X, w, b: _sigmoid(np.sum(w * X, axis=1) + b)),
]


@exercise_check
def check_logistic_forward(fn: Callable) -> Verdict:
    """``fn(X, w, b)`` must return A = σ(wᵀX + b), shape (1, m), for X (n, m), w (n, 1)."""
    cases = [(X, w, b) for X, _, w, b in _CASES]
    verdict = _wrong_matmul(fn, cases[0], "forward")
    if verdict is None:
        verdict = check_function(fn, _forward, cases, mistakes=_FORWARD_MISTAKES,
                                 name="forward")
    return _or_parameters_first(verdict, lambda X, w, b: fn(w, b, X), _forward, cases,
                                "forward", "forward(X, w, b)")


# --- Exercise 2: the cross-entropy cost -------------------------------------------------


def _cost_cases():
    cases = []
    for m in (6, 9, 4):
        A = _RNG.uniform(0.05, 0.95, size=(1, m))
        Y = np.zeros((1, m))
        Y[0, _RNG.permutation(m)[:m // 2]] = 1.0
        cases.append((A, Y))
    return cases


_COST_CASES = read_only(_cost_cases())


def _losses(A, Y):
    return -(Y * np.log(A) + (1 - Y) * np.log(1 - A))  # (1, m)


_COST_MISTAKES = [
    Mistake("That is the sum of the losses, m times too big: the cost is their mean, "
            "J = (1/m) Σ L. Divide by m = A.shape[1] (or use np.mean).",
            lambda A, Y: float(np.sum(_losses(A, Y)))),
    Mistake("You divided by m − 1: the cost is the plain mean of the m losses, "
            "J = (1/m) Σ L (m − 1 belongs to the sample variance, not here).",
            lambda A, Y: float(np.sum(_losses(A, Y)) / (A.shape[1] - 1))),
    Mistake("The sign is wrong: log a < 0 for a < 1, so the cost needs the minus in front, "
            "J = −(1/m) Σ [y log a + (1 − y) log(1 − a)], to be positive.",
            lambda A, Y: -float(np.mean(_losses(A, Y)))),
    Mistake("You averaged along axis 0, down the single row: that leaves one loss per "
            "example, shape (m,). The examples lie along axis 1; average over them (or over "
            "everything) to get one number.", lambda A, Y: np.mean(_losses(A, Y), axis=0)),
    Mistake("You summed along axis 0, down the single row: that leaves one number per "
            "example, shape (m,). The examples lie along axis 1: sum over them (or over "
            "everything), then divide by m.",
            lambda A, Y: np.sum(_losses(A, Y), axis=0) / A.shape[1]),
    Mistake("The second term is missing: for y = 0 the loss is −log(1 − a). "
            "L = −(y log a + (1 − y) log(1 − a)).",
            lambda A, Y: float(-np.mean(Y * np.log(A)))),
    Mistake("The logs must be natural logs, np.log; np.log10 makes every loss 2.3 times "
            "smaller.", lambda A, Y: float(np.mean(_losses(A, Y)) / np.log(10))),
    Mistake("That is the squared error (1/m) Σ (a − y)². The cost of logistic regression "
            "is the cross-entropy, −(1/m) Σ [y log a + (1 − y) log(1 − a)].",
            lambda A, Y: float(np.mean((A - Y) ** 2))),
    Mistake("The two terms are swapped: y goes with log a (the probability of y = 1) "
            "and 1 − y with log(1 − a).",
            lambda A, Y: float(-np.mean(Y * np.log(1 - A) + (1 - Y) * np.log(A)))),
]


@exercise_check
def check_logistic_cost(fn: Callable) -> Verdict:
    """``fn(A, Y)`` must return J = −(1/m) Σ [y log a + (1 − y) log(1 − a)], a number."""
    return check_function(fn, lambda A, Y: float(np.mean(_losses(A, Y))), _COST_CASES,
                          mistakes=_COST_MISTAKES, name="cross_entropy_cost")


# --- Exercise 3: propagate, forward and backward ----------------------------------------


def _propagate(X, Y, w, b, *, dz_sign=1.0, w_scale=None, b_scale=None, cost_scale=None):
    m = X.shape[1]
    A = _forward(X, w, b)
    cost = float(np.mean(_losses(A, Y))) * (cost_scale or 1.0)
    dZ = dz_sign * (A - Y)
    dw = X @ dZ.T / m * (w_scale or 1.0)
    db = float(np.sum(dZ) / m) * (b_scale or 1.0)
    return cost, dw, db


def _with(dw=None, db=None):
    """A mistake that changes dw and/or db only: ``dw(A, X, Y)``, ``db(A, Y)``."""
    def compute(X, Y, w, b):
        A = _forward(X, w, b)
        cost, right_dw, right_db = _propagate(X, Y, w, b)
        return (cost, right_dw if dw is None else dw(A, X, Y),
                right_db if db is None else db(A, Y))
    return compute


_PROPAGATE_MISTAKES = [
    Mistake("dw has the shape of w transposed: dZ @ X.T is (1, n). dw must have the shape "
            "of w, (n, 1), so that w − lr·dw works: dw = (1/m) X dZᵀ, `X @ dZ.T / m`.",
            _with(dw=lambda A, X, Y: (A - Y) @ X.T / X.shape[1])),
    Mistake("A sign slip: dz = a − y (not y − a). With y − a both dw and db point uphill, "
            "and gradient descent would climb.",
            lambda X, Y, w, b: _propagate(X, Y, w, b, dz_sign=-1.0)),
    Mistake("The 1/m is missing in dw and db: they are the *mean* over the m examples, "
            "dw = (1/m) X dZᵀ and db = (1/m) Σ dz.",
            lambda X, Y, w, b: _propagate(X, Y, w, b, w_scale=X.shape[1],
                                          b_scale=X.shape[1])),
    Mistake("The 1/m is missing in dw: dw = (1/m) X dZᵀ.",
            lambda X, Y, w, b: _propagate(X, Y, w, b, w_scale=X.shape[1])),
    Mistake("The 1/m is missing in db: db = (1/m) Σ dz.",
            lambda X, Y, w, b: _propagate(X, Y, w, b, b_scale=X.shape[1])),
    Mistake("The 1/m is missing in the cost: J = (1/m) Σ L.",
            lambda X, Y, w, b: _propagate(X, Y, w, b, cost_scale=X.shape[1])),
    Mistake("db sums along the wrong axis: dZ has shape (1, m), so np.sum(dZ, axis=0) "
            "keeps one number per example. Sum over the examples (axis 1, or everything): "
            "db = np.sum(dZ) / m.",
            _with(db=lambda A, Y: np.sum(A - Y, axis=0) / A.shape[1])),
    Mistake("dw sums along the wrong axis: X * dZ has shape (n, m) and the examples lie "
            "along axis 1; you summed over the features (axis 0). dw = (1/m) X dZᵀ.",
            _with(dw=lambda A, X, Y: np.sum(X * (A - Y), axis=0, keepdims=True) / X.shape[1])),
    Mistake("dz = a − y: you used a alone (the label y is missing).",
            _with(dw=lambda A, X, Y: X @ A.T / X.shape[1],
                  db=lambda A, Y: float(np.sum(A) / A.shape[1]))),
]


@exercise_check
def check_logistic_propagate(fn: Callable) -> Verdict:
    """``fn(X, Y, w, b)`` must return ``(cost, dw, db)``: the cross-entropy cost, dw of
    shape (n, 1) and db a number."""
    outputs = ("cost", "dw", "db")
    verdict = _wrong_matmul(fn, _CASES[0], "propagate")
    if verdict is None:
        verdict = check_function(fn, _propagate, _CASES, mistakes=_PROPAGATE_MISTAKES,
                                 outputs=outputs, name="propagate")
    return _or_parameters_first(verdict, lambda X, Y, w, b: fn(w, b, X, Y), _propagate,
                                _CASES, "propagate", "propagate(X, Y, w, b)", outputs)


# --- Exercise 4: optimize, the gradient descent loop ------------------------------------


def _optimize_cases():
    cases = []
    for (X, Y, w, b), lr, steps in zip(_CASES[:3], (0.5, 1.0, 0.3), (4, 3, 5), strict=True):
        cases.append((X, Y, w, b, lr, steps))
    return cases


_OPTIMIZE_CASES = read_only(_optimize_cases())


def _descend(X, Y, w, b, lr, steps, *, w_step=None, b_step=None, first=0, count=None,
             record_after=False, record=True):
    """The loop, with the changes a mistake makes: ``w_step(dw, db)``, ``b_step(dw, db)``
    (what is subtracted, before lr), ``count`` updates, costs recorded after each update
    or not at all."""
    costs = []
    for _ in range(steps if count is None else count(steps)):
        cost, dw, db = _propagate(X, Y, w, b)
        if record and not record_after:
            costs.append(cost)
        w = w - lr * (dw if w_step is None else w_step(dw, db))
        b = b - lr * (db if b_step is None else b_step(dw, db))
        if record and record_after:
            costs.append(_propagate(X, Y, w, b)[0])
    return w, b, np.array(costs[first:])


def _optimize(X, Y, w, b, lr, steps):
    return _descend(X, Y, w, b, lr, steps)


_OPTIMIZE_MISTAKES = [
    Mistake("A sign slip: gradient descent goes *down*hill, w ← w − lr·dw and "
            "b ← b − lr·db. With a plus the cost grows at every update.",
            lambda *case: _descend(*case, w_step=lambda dw, db: -dw,
                                   b_step=lambda dw, db: -db)),
    Mistake("A sign slip in the update of w: w ← w − lr·dw, with a minus.",
            lambda *case: _descend(*case, w_step=lambda dw, db: -dw)),
    Mistake("A sign slip in the update of b: b ← b − lr·db, with a minus.",
            lambda *case: _descend(*case, b_step=lambda dw, db: -db)),
    Mistake("You updated w with db: each parameter moves with its own derivative, "
            "w ← w − lr·dw.", lambda *case: _descend(*case, w_step=lambda dw, db: db)),
    Mistake("You updated b with dw: each parameter moves with its own derivative, "
            "b ← b − lr·db (db is a number, dw has the shape of w).",
            lambda *case: _descend(*case, b_step=lambda dw, db: dw)),
    Mistake("b is never updated: the loop needs b ← b − lr·db as well as w ← w − lr·dw.",
            lambda *case: _descend(*case, b_step=lambda dw, db: 0.0)),
    Mistake("w is never updated: the loop needs w ← w − lr·dw as well as b ← b − lr·db.",
            lambda *case: _descend(*case, w_step=lambda dw, db: 0.0 * dw)),
    Mistake("costs is empty: you forgot to record the cost. Append the cost that "
            "propagate returns, at every update: costs.append(cost).",
            lambda *case: _descend(*case, record=False)),
    Mistake("You recorded the cost after each update; record it before, as it comes from "
            "propagate: costs[0] is the cost at the start.",
            lambda *case: _descend(*case, record_after=True)),
    Mistake("One update too many: `for _ in range(steps)` makes exactly steps updates.",
            lambda *case: _descend(*case, count=lambda steps: steps + 1)),
    Mistake("One update too few: `for _ in range(steps)` makes exactly steps updates.",
            lambda *case: _descend(*case, count=lambda steps: steps - 1)),
    Mistake("costs holds only the cost at the start: the cost is appended once, before the "
            "loop. Append it inside the loop, at every update.",
            lambda *case: (*_descend(*case)[:2], _descend(*case)[2][:1])),
    Mistake("costs holds only the last cost: the cost is appended once, after the loop. "
            "Append it inside the loop, at every update.",
            lambda *case: (*_descend(*case)[:2], _descend(*case)[2][-1:])),
]


def _costs_flattened(fn: Callable) -> Callable:
    """``fn`` whose costs, if they came back as one-element arrays ((1, 1), the cost of
    Ng's np.dot), read as numbers: that is accepted."""
    def optimize(*args):
        result = fn(*args)
        try:
            costs = np.asarray(result[2], dtype=float)
            if isinstance(result, (tuple, list)) and len(result) == 3 and costs.ndim > 1 \
                    and costs.size == len(result[2]):
                return (result[0], result[1], costs.reshape(-1))
        except Exception:  # the engine says what is wrong with what came back
            pass
        return result
    return optimize


@exercise_check
def check_logistic_optimize(fn: Callable) -> Verdict:
    """``fn(X, Y, w, b, lr, steps)`` must make ``steps`` updates w ← w − lr·dw,
    b ← b − lr·db and return ``(w, b, costs)``, costs the cost before each update."""
    outputs = ("w", "b", "costs")
    name = "optimize"
    flat = _costs_flattened(fn)
    verdict = check_function(flat, _optimize, _OPTIMIZE_CASES, mistakes=_OPTIMIZE_MISTAKES,
                             outputs=outputs, name=name)
    if verdict.passed:
        return verdict
    for order, words in (
            (lambda X, Y, w, b, lr, steps: flat(X, Y, w, b, steps, lr),
             "You swapped lr and steps in the def line: def optimize(X, Y, w, b, lr, steps)."),
            (lambda X, Y, w, b, lr, steps: flat(w, b, X, Y, steps, lr),
             "Your optimize takes its arguments in the order of Ng's assignment, optimize(w, "
             "b, X, Y, num_iterations, learning_rate); this course puts the data first: def "
             "optimize(X, Y, w, b, lr, steps)."),
            (lambda X, Y, w, b, lr, steps: flat(w, b, X, Y, lr, steps),
             "Your optimize takes w and b first, as Ng's assignment does; this course puts "
             "the data first: def optimize(X, Y, w, b, lr, steps).")):
        if check_function(order, _optimize, _OPTIMIZE_CASES, outputs=outputs,
                          name=name).passed:
            return Verdict(False, words)
    return verdict


# --- Exercise 5: predict with a threshold ------------------------------------------------


def _predict_cases():
    cases = []
    for (X, _, w, b), threshold in zip(_CASES, (0.5, 0.3, 0.8, 0.65), strict=True):
        a = _forward(X, w, b)
        if np.any(np.isclose(a, threshold, atol=1e-6)):
            raise RuntimeError("a case sits on its threshold: change the seed")
        cases.append((X, w, b, threshold))
    return cases


_PREDICT_CASES = read_only(_predict_cases())


def _predict(X, w, b, threshold):
    return (_forward(X, w, b) > threshold).astype(float)


_PREDICT_MISTAKES = [
    Mistake("Those are the probabilities a; the prediction is a label, 1 where "
            "a > threshold and 0 elsewhere.", lambda X, w, b, t: _forward(X, w, b)),
    Mistake("The threshold is compared with a = σ(z), a probability, not with z = wᵀx + b.",
            lambda X, w, b, t: (w.T @ X + b > t).astype(float)),
    Mistake("The comparison is the wrong way round: predict 1 where a > threshold.",
            lambda X, w, b, t: (_forward(X, w, b) < t).astype(float)),
    Mistake("Your function ignores its threshold argument and always uses 0.5 (np.round "
            "does the same): compare a with `threshold`.",
            lambda X, w, b, t: (_forward(X, w, b) > 0.5).astype(float)),
    Mistake("The labels are right but flattened to shape (m,): keep the shape (1, m) of Y.",
            lambda X, w, b, t: _predict(X, w, b, t).ravel()),
]


@exercise_check
def check_logistic_predict(fn: Callable) -> Verdict:
    """``fn(X, w, b, threshold)`` must return 1.0 where σ(wᵀx + b) > threshold and 0.0
    elsewhere, shape (1, m) (booleans are fine too)."""
    verdict = _wrong_matmul(fn, _PREDICT_CASES[0], "predict")
    if verdict is None:
        verdict = check_function(fn, _predict, _PREDICT_CASES, mistakes=_PREDICT_MISTAKES,
                                 name="predict")
    return _or_parameters_first(verdict, lambda X, w, b, t: fn(w, b, X, t), _predict,
                                _PREDICT_CASES, "predict", "predict(X, w, b, threshold=0.5)")
