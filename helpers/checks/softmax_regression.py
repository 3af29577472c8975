"""Checks for the exercises of notebook 08, softmax regression.

Shapes as in the notebook: logits Z (C, m), one row per class and one column per example;
one-hot labels Y (C, m); integer labels (m,). The cases use C ≠ m, so that a transposed
result shows in its shape, plus square cases where a transpose still runs and is
recognised by its values. A learner's function runs with NumPy's floating-point warnings
silenced: an overflow must not fill the notebook with warnings, the check explains it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from helpers.activations import _sigmoid
from helpers.checks.engine import (
    Mistake,
    TimedOut,
    Verdict,
    call_learner,
    check_function,
    error_text,
    exercise_check,
    learner_error,
    learner_parts,
    name_of,
    read_only,
)

__all__ = ["check_softmax", "check_one_hot", "check_softmax_cost", "check_softmax_backward",
           "check_confusion_matrix"]

_RNG = np.random.default_rng(2508)  # fixed cases, the same for every learner


def _softmax(Z):
    """The reference: column-wise, each column's max subtracted (no overflow)."""
    t = np.exp(Z - Z.max(axis=0, keepdims=True))
    return t / t.sum(axis=0, keepdims=True)



def _quiet(fn: Callable) -> Callable:
    """``fn`` with NumPy's floating-point warnings silenced (the verdict explains them)."""
    if not callable(fn):
        return fn  # the engine says that it is not a function

    def run(*args):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return fn(*args)

    run.__name__ = name_of(fn)
    run.__wrapped__ = fn  # its parameters' names, for the messages
    return run


def _shape_error(fn: Callable, args, advice: str, name: str) -> Verdict | None:
    """A broadcasting error (the sum along the wrong axis, without keepdims) says little
    to a learner: say what it means."""
    error = learner_error(fn, args, name=name)
    if isinstance(error, ValueError) and any(
            word in error_text(error) for word in ("broadcast", "matmul", "aligned")):
        return Verdict(False, f"Your function raised a shape error (ValueError: "
                              f"{error_text(error)}). {advice}")
    return None  # the engine reports other errors


def _logits(C: int, m: int, scale: float = 2.0) -> np.ndarray:
    return _RNG.normal(scale=scale, size=(C, m))


def _labels(C: int, m: int) -> np.ndarray:
    """m integer labels in 0..C−1, every class present when m ≥ C."""
    labels = np.arange(m) % C
    return _RNG.permutation(labels)


def _one_hot(labels, C):
    Y = np.zeros((C, len(labels)))
    Y[labels, np.arange(len(labels))] = 1.0
    return Y


def _hardmax(Z):
    """The course's hardmax (as softmax_regression.hardmax): 1 at the largest logit of each column,
    a tie sharing the 1 equally."""
    top = Z == Z.max(axis=0, keepdims=True)          # (C, m)
    return top / top.sum(axis=0, keepdims=True)


# --- Exercise 1: a numerically stable softmax -------------------------------------------

# Non-square first (a transposed result shows in its shape), one square case (a softmax
# over the rows still runs there), and the course's example z = [5, 2, −1, 3].
_SOFTMAX_CASES = read_only([(_logits(4, 3),), (_logits(3, 3),), (_logits(2, 5),),
                            (np.array([[5.0], [2.0], [-1.0], [3.0]]),)])

_AXIS_ADVICE = ("Z has one column per example: take the max and the sum of each column, "
                "over axis 0 with keepdims=True, so that they have shape (1, m) and "
                "broadcast against Z (C, m).")

_SOFTMAX_MISTAKES = [
    Mistake("You normalised each *row* (one class across the examples). The probabilities "
            "of one example are a column: sum over axis=0, `t.sum(axis=0, keepdims=True)`.",
            lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)),
    Mistake("You divided by the sum over the whole matrix, so the columns do not each sum "
            "to 1. Every example (column) is normalised on its own: "
            "`t.sum(axis=0, keepdims=True)`.", lambda Z: np.exp(Z) / np.exp(Z).sum()),
    Mistake("t = e^z is only the first step: divide each column by its sum, a = t / Σ t, "
            "so that the probabilities add up to 1.", lambda Z: np.exp(Z)),
    Mistake("Softmax exponentiates before normalising: t = e^z, a = t / Σ t. Dividing z by "
            "its sum gives negative 'probabilities'.", lambda Z: Z / Z.sum(axis=0)),
    Mistake("Divide by the column's *sum*, not its largest entry: then the probabilities add "
            "up to 1.", lambda Z: np.exp(Z) / np.exp(Z).max(axis=0, keepdims=True)),
    Mistake("That is the hardmax: a 1 for the largest logit and 0 elsewhere. Softmax keeps "
            "every class's share: a = e^z / Σ e^z.", _hardmax),
    Mistake("σ(z) for each class on its own is logistic regression's output: the C numbers "
            "do not add up to 1. Softmax normalises the whole column: a = e^z / Σ e^z.",
            _sigmoid),
    Mistake("The result is transposed: softmax(Z) has Z's shape (C, m), one column per "
            "example.", lambda Z: _softmax(Z).T),
]

# Logits far from 0: e^1000 overflows to inf, e^(−2000) underflows to 0.
_HUGE = read_only((np.array([[1000.0, 1001.0], [999.0, 998.0], [998.0, 1000.0]]),))
_SPREAD = read_only((np.array([[1000.0, -1000.0], [999.0, -1002.0], [998.0, -1001.0]]),))
# +1000 and -1000 in one column: only each column's max keeps every e^(z - c) <= 1; a
# column's min or mean leaves e^1000 or more, which overflows. [0, -1200]: the mean
# (e^600) still fits in a float, the min (e^1200) does not.
_MIXED = read_only((np.array([[1000.0], [-1000.0], [3.0]]),))
_MIN_PROBE = read_only((np.array([[0.0], [-1200.0]]),))
_EQUAL = read_only((np.array([[7.0, -1000.0, 0.0], [7.0, -1000.0, 0.0],
                              [7.0, -1000.0, 0.0]]),))


def _non_finite(fn: Callable, args) -> bool:
    try:
        got = learner_parts(call_learner(fn, args, name="softmax"), name="softmax",
                            where="softmax")[0]
    except TimedOut:
        raise
    except Exception:
        return False
    return not np.all(np.isfinite(got))


@exercise_check
def check_softmax(fn: Callable) -> Verdict:
    """``fn(Z)`` must return softmax(Z), column by column, for logits Z of shape (C, m),
    without overflow: finite and correct for logits of ±1000."""
    fn = _quiet(fn)
    verdict = _shape_error(fn, _SOFTMAX_CASES[0], _AXIS_ADVICE, "softmax")
    if verdict is not None:
        return verdict
    verdict = check_function(fn, _softmax, _SOFTMAX_CASES, mistakes=_SOFTMAX_MISTAKES,
                             name="softmax")
    if not verdict:
        return verdict
    if _non_finite(fn, _HUGE):
        return Verdict(False, "Right for moderate logits, but softmax([1000, 999, 998]) gives "
                              "NaN: e^1000 overflows to inf, and inf / inf is NaN. Subtract "
                              "each column's largest logit first, t = e^(z − max z): the "
                              "probabilities are exactly the same and the largest t is "
                              "e^0 = 1.")
    if _non_finite(fn, _MIXED):
        what = ("each column's min" if _non_finite(fn, _MIN_PROBE)
                else "something below each column's max (its mean?)")
        return Verdict(False, f"Right for logits that are all large, but with +1000 and −1000 "
                              f"in one column it gives NaN: you subtracted {what}. After "
                              f"that, the largest logit still has e^(1000 or more), which "
                              f"overflows to inf. Subtract each column's max, "
                              f"`Z.max(axis=0, keepdims=True)`: then every t = e^(z − max z) "
                              f"is at most 1.")
    if _non_finite(fn, _SPREAD):
        return Verdict(False, "You subtracted the largest logit of the whole matrix. That "
                              "is mathematically allowed (any constant per column cancels), "
                              "but here the second example's logits are all about 2000 below "
                              "it: e^(−2000) underflows to 0 and 0 / 0 is NaN. Subtract each "
                              "column's own max, `Z.max(axis=0, keepdims=True)`.")
    verdict = check_function(fn, _softmax, [_HUGE, _MIXED, _SPREAD, _EQUAL], name="softmax")
    if not verdict:
        return verdict
    n = len(_SOFTMAX_CASES) + 4
    in_place = verdict.message.partition(" But it changes")  # Z -= Z.max(...): say so
    note = in_place[1] + in_place[2]
    return Verdict(True, f"Correct! softmax passed all {n} test cases, including logits of "
                         f"±1000 (no overflow, no NaN).{note}")


# --- Exercise 2: one-hot encoding --------------------------------------------------------

_ONE_HOT_CASES = read_only([(np.array([2, 0, 3, 1]), 4),  # square: a transpose still runs
                            (np.array([1, 0, 1]), 2),
                            (np.array([3, 3, 0, 9, 5, 1]), 10),
                            (np.array([0, 2, 2, 1, 0]), 5)])  # classes 3 and 4 absent


def _one_hot_labels_max(labels, C):
    return _one_hot(labels, int(labels.max()) + 1)


_ONE_HOT_MISTAKES = [
    Mistake("You built one *row* per example, shape (m, C). The course keeps one column per "
            "example: Y has shape (C, m), with Y[label, i] = 1 for example i.",
            lambda labels, C: _one_hot(labels, C).T),
    Mistake("Y has C rows, one per class, even when the largest label of these examples is "
            "smaller (here classes 3 and 4 do not occur): use C, not labels.max() + 1.",
            _one_hot_labels_max),
    Mistake("The rows are shifted by one: class k is row k, counting from 0 (label 0 → row 0).",
            lambda labels, C: _one_hot((labels - 1) % C, C)),
    Mistake("That is the labels as one row. One-hot encoding turns each label into a column "
            "of C numbers: a single 1 in the row of its class, 0 elsewhere.",
            lambda labels, C: labels[None, :].astype(float)),
]


@exercise_check
def check_one_hot(fn: Callable) -> Verdict:
    """``fn(labels, C)`` must return Y of shape (C, m): Y[k, i] = 1 if labels[i] == k,
    else 0, for integer labels (m,) in 0..C−1."""
    return check_function(fn, _one_hot, _ONE_HOT_CASES, mistakes=_ONE_HOT_MISTAKES,
                          name="one_hot")


# --- Exercise 3: the cross-entropy cost of softmax ---------------------------------------


def _cost_case(C: int, m: int):
    return _softmax(_logits(C, m, 1.5)), _one_hot(_labels(C, m), C)


_COST_CASES = read_only([_cost_case(4, 6), _cost_case(3, 3), _cost_case(10, 7),
                         _cost_case(2, 9)])


def _cost(Y_hat, Y):
    return float(-np.sum(Y * np.log(Y_hat)) / Y.shape[1])


_COST_MISTAKES = [
    Mistake("That is the sum of the losses, m times too big: the cost is their mean, "
            "J = −(1/m) Σᵢ Σⱼ yⱼ log ŷⱼ. Divide by m = Y.shape[1].",
            lambda Y_hat, Y: float(-np.sum(Y * np.log(Y_hat)))),
    Mistake("The sign is wrong: log ŷ < 0 for ŷ < 1, so the loss needs the minus in front, "
            "L = −Σⱼ yⱼ log ŷⱼ, to be positive.", lambda Y_hat, Y: -_cost(Y_hat, Y)),
    Mistake("You averaged over all C × m entries: the cost is the mean over the m *examples* "
            "of each example's loss (a sum over the C classes). Sum everything, then divide "
            "by m only.", lambda Y_hat, Y: float(-np.mean(Y * np.log(Y_hat)))),
    Mistake("That is the binary cross-entropy applied to every class as a yes/no question, "
            "with the (1 − y) log(1 − ŷ) terms. Softmax's loss is L = −Σⱼ yⱼ log ŷⱼ: only "
            "the true class's log-probability counts (raising it lowers the others, because "
            "the column sums to 1).",
            lambda Y_hat, Y: float(-np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat))
                                   / Y.shape[1])),
    Mistake("The one-hot y is missing: L = −Σⱼ yⱼ log ŷⱼ keeps only the true class's "
            "log ŷ; you added the logs of every class.",
            lambda Y_hat, Y: float(-np.sum(np.log(Y_hat)) / Y.shape[1])),
    Mistake("np.log10 is the logarithm to base 10: the cross-entropy uses the natural "
            "logarithm, np.log.", lambda Y_hat, Y: float(-np.sum(Y * np.log10(Y_hat))
                                                         / Y.shape[1])),
]


@exercise_check
def check_softmax_cost(fn: Callable) -> Verdict:
    """``fn(Y_hat, Y)`` must return J = −(1/m) Σᵢ Σⱼ Y[j, i] log Y_hat[j, i], a number, for
    probabilities Y_hat (C, m) (columns summing to 1) and one-hot labels Y (C, m)."""
    return check_function(_quiet(fn), _cost, _COST_CASES, mistakes=_COST_MISTAKES,
                          name=name_of(fn, "softmax_cost"))


# --- Exercise 4: the gradient of the cost with respect to the logits -----------------------


def _backward_case(C: int, m: int):
    return _logits(C, m), _one_hot(_labels(C, m), C)


# Square first (C = m): a transposed result still runs there.
_BACKWARD_CASES = read_only([_backward_case(3, 3), _backward_case(4, 6), _backward_case(10, 5),
                             _backward_case(2, 7)])


def _backward(Z, Y):
    return (_softmax(Z) - Y) / Z.shape[1]


_BACKWARD_MISTAKES = [
    Mistake("dz = ŷ − y is the derivative of *one* example's loss. The cost J is the mean "
            "over the m examples, so ∂J/∂Z = (Ŷ − Y) / m: divide by m = Z.shape[1].",
            lambda Z, Y: _softmax(Z) - Y),
    Mistake("A sign slip: ∂J/∂Z = (Ŷ − Y) / m, the prediction minus the label. The minus of "
            "the update belongs to W ← W − lr·dW, not to the gradient.",
            lambda Z, Y: (Y - _softmax(Z)) / Z.shape[1]),
    Mistake("ŷ is the softmax of the logits, Ŷ = softmax(Z), not Z itself: "
            "∂J/∂Z = (softmax(Z) − Y) / m.", lambda Z, Y: (Z - Y) / Z.shape[1]),
    Mistake("σ(z) − y is logistic regression's dz. With C classes ŷ is the softmax of the "
            "whole column: ∂J/∂Z = (softmax(Z) − Y) / m.",
            lambda Z, Y: (_sigmoid(Z) - Y) / Z.shape[1]),
    Mistake("Divide by m, the number of examples (columns), not by C × m.",
            lambda Z, Y: (_softmax(Z) - Y) / Z.size),
    Mistake("Your softmax normalises the rows: each *column* (one example) must sum to 1.",
            lambda Z, Y: (np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True) - Y) / Z.shape[1]),
    Mistake("The extra factor ŷ(1 − ŷ) is too much: the cross-entropy's 1/ŷ and softmax's "
            "slope cancel, and what is left is simply ∂J/∂Z = (Ŷ − Y) / m.",
            lambda Z, Y: (_softmax(Z) - Y) * _softmax(Z) * (1 - _softmax(Z)) / Z.shape[1]),
    Mistake("The result is transposed: ∂J/∂Z has the shape of Z, (C, m).",
            lambda Z, Y: _backward(Z, Y).T),
]


@exercise_check
def check_softmax_backward(fn: Callable) -> Verdict:
    """``fn(Z, Y)`` must return ∂J/∂Z = (softmax(Z) − Y) / m, shape (C, m), for logits Z
    (C, m) and one-hot labels Y (C, m), with J the mean cross-entropy cost."""
    fn = _quiet(fn)
    verdict = _shape_error(fn, _BACKWARD_CASES[1], _AXIS_ADVICE, "softmax_backward")
    if verdict is not None:
        return verdict
    return check_function(fn, _backward, _BACKWARD_CASES, mistakes=_BACKWARD_MISTAKES,
                          name="softmax_backward")


# --- Exercise 5: the confusion matrix ----------------------------------------------------


def _confusion(y_true, y_pred, C):
    M = np.zeros((C, C), dtype=int)
    np.add.at(M, (y_true, y_pred), 1)
    return M


def _confusion_case(C: int, m: int):
    y_true = _RNG.integers(0, C, m)
    right = _RNG.random(m) < 0.6
    return y_true, np.where(right, y_true, _RNG.integers(0, C, m)), C


_CONFUSION_CASES = read_only([
    (np.array([0, 0, 1, 2, 2, 2, 1]), np.array([0, 1, 1, 2, 0, 2, 2]), 3),
    (np.array([1, 1, 0, 2, 1]), np.array([1, 2, 0, 2, 0]), 4),     # class 3 absent
    _confusion_case(10, 60),
    _confusion_case(4, 25),
])

_CONFUSION_MISTAKES = [
    Mistake("The matrix is transposed: row k holds the examples whose *true* class is k and "
            "column j those *predicted* as j, so M[true, predicted] += 1.",
            lambda t, p, C: _confusion(t, p, C).T),
    Mistake("The confusion matrix counts examples; you divided by m. (Dividing each row by "
            "its sum gives a per-class rate, a different table.)",
            lambda t, p, C: _confusion(t, p, C) / len(t)),
    Mistake("The matrix is C × C for C classes, even when some class never occurs in these "
            "labels: use C, not the largest label + 1.",
            lambda t, p, C: _confusion(t, p, int(max(t.max(), p.max())) + 1)),
    Mistake("Only the diagonal is filled: the examples whose prediction is wrong belong off "
            "the diagonal, at M[true, predicted].",
            lambda t, p, C: np.diag(np.diag(_confusion(t, p, C)))),
    Mistake("Each pair (true, predicted) is counted only once: with fancy indexing, "
            "`M[y_true, y_pred] += 1` adds 1 a single time to a cell that several examples "
            "share. Loop over the examples (`for k, j in zip(y_true, y_pred): M[k, j] += 1`) "
            "or use `np.add.at(M, (y_true, y_pred), 1)`, which adds once per example.",
            lambda t, p, C: (_confusion(t, p, C) > 0).astype(int)),
]


@exercise_check
def check_confusion_matrix(fn: Callable) -> Verdict:
    """``fn(y_true, y_pred, C)`` must return the C × C matrix of counts M with M[k, j] the
    number of examples of true class k predicted as class j (labels are integers (m,))."""
    verdict = check_function(_quiet(fn), _confusion, _CONFUSION_CASES,
                             mistakes=_CONFUSION_MISTAKES, name="confusion_matrix")
    if verdict or not _rows_normalised(_quiet(fn), _CONFUSION_CASES[0]):
        return verdict
    return Verdict(False, f"{verdict.message} The confusion matrix counts examples; you "
                          f"divided each row by its sum, which gives the fraction of each "
                          f"true class predicted as each class (a class with no examples "
                          f"would even give 0 / 0).")


def _rows_normalised(fn: Callable, args) -> bool:
    """True if ``fn`` returns the counts divided by their row sums (on a case where every
    class occurs, so no row is 0 / 0)."""
    M = _confusion(*args)
    try:
        got = learner_parts(call_learner(fn, args, name="confusion_matrix"),
                            name="confusion_matrix",
                            where="confusion_matrix")[0]
    except TimedOut:
        raise
    except Exception:
        return False
    return got.shape == M.shape and np.allclose(got, M / M.sum(axis=1, keepdims=True))
