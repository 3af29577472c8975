"""Exercise checks: run a learner's function and say *specifically* what is wrong.

A check never raises into the notebook: a learner who skips an exercise gets
"not implemented yet" and can go on. Each verdict is one of

* not implemented yet (the stub still raises ``NotImplementedError``),
* it raised an error (which, on which input),
* it returns ``None`` (a forgotten ``return``),
* wrong shape (with a hint if the result is transposed),
* NaN or infinity in the result,
* a *typical mistake* recognised by its output (sign flipped, a missing 1/m, ...),
* a wrong value on a given input (with the expected value),
* or correct.

The notebook-specific checks at the bottom (``check_mse`` ...) are short lists of
test cases and typical mistakes handed to :func:`check_function`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: ``passed`` and a message written for the learner."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return ("✅ " if self.passed else "❌ ") + self.message

    def _repr_html_(self) -> str:
        colour, mark = ("#1b7a1b", "✅") if self.passed else ("#b00020", "❌")
        text = html.escape(self.message).replace("\n", "<br>")
        return f"<div style='color:{colour}; font-family:monospace'>{mark} {text}</div>"


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: a function that computes it, and what to tell the learner."""

    message: str
    compute: Callable


def _show(value) -> str:
    """Short, deterministic text for a number or an array."""
    array = np.asarray(value, dtype=float)
    return np.array2string(array, precision=4, suppress_small=True, threshold=12,
                           separator=", ")


def _describe(args: Sequence) -> str:
    return ", ".join(_show(a) if np.ndim(a) or isinstance(a, float) else repr(a) for a in args)


def _copy(args: Sequence) -> tuple:
    """Fresh copies, so that a function that changes its input cannot spoil later cases."""
    return tuple(np.array(a) if isinstance(a, np.ndarray) else a for a in args)


def _as_parts(value, n_parts: int) -> list[np.ndarray]:
    """A result as a list of float arrays (one per part of a tuple result)."""
    if n_parts == 1:
        return [np.asarray(value, dtype=float)]
    return [np.asarray(part, dtype=float) for part in value]


def _matches(got: list, expected: list, rtol: float, atol: float) -> bool:
    return all(g.shape == e.shape and np.allclose(g, e, rtol=rtol, atol=atol)
               for g, e in zip(got, expected, strict=True))


def _shape_hint(got: np.ndarray, expected: np.ndarray) -> str:
    if got.ndim == expected.ndim == 2 and got.shape == expected.shape[::-1]:
        return " It looks transposed: check which axis holds the examples."
    if got.ndim == 0 and expected.ndim > 0:
        return " Did you sum or average over everything instead of along one axis?"
    if got.ndim > 0 and expected.ndim == 0:
        return " A single number was expected: did you forget to sum or average?"
    if got.size == expected.size:
        return " The numbers may be right but arranged differently: check reshape/axes."
    return ""


def check_function(fn: Callable, reference: Callable, cases: Sequence[Sequence], *,
                   mistakes: Sequence[Mistake] = (), name: str | None = None,
                   outputs: Sequence[str] = (), rtol: float = 1e-6,
                   atol: float = 1e-9) -> Verdict:
    """Compare ``fn(*case)`` with ``reference(*case)`` for every case.

    If the function returns several values, name them in ``outputs`` (e.g.
    ``("X", "y")``); the reference then returns a tuple of the same length.
    ``mistakes`` are tried in order once a case fails: if the learner's outputs equal
    a typical mistake's outputs on every case, the verdict names that mistake.
    """
    name = name or getattr(fn, "__name__", "your function")
    try:
        for args in cases:
            verdict = _check_case(fn, reference, args, name, tuple(outputs), rtol, atol)
            if verdict is not None:
                return _diagnose(verdict, fn, cases, mistakes, tuple(outputs), rtol, atol)
        return Verdict(True, f"Correct! {name} passed all {len(cases)} test cases.")
    except Exception as error:  # the checker itself must never break the notebook
        return Verdict(False, f"The checker could not finish ({type(error).__name__}: "
                              f"{error}). Please report this.")


def _diagnose(verdict: Verdict, fn, cases, mistakes, outputs, rtol, atol) -> Verdict:
    """Name the typical mistake whose outputs equal the learner's on *every* case."""
    if not isinstance(verdict, _WrongResult):
        return verdict  # not implemented, crashed, returns None...: already specific
    n_parts = max(len(outputs), 1)
    for mistake in mistakes:
        try:
            if all(_matches(_as_parts(fn(*_copy(args)), n_parts),
                            _as_parts(mistake.compute(*_copy(args)), n_parts), rtol, atol)
                   for args in cases):
                return Verdict(False, f"{verdict.message} {mistake.message}")
        except Exception:
            continue
    return Verdict(False, verdict.message)


class _WrongResult(Verdict):
    """A verdict that only says "wrong value" or "wrong shape": a typical mistake may
    explain it."""


def _check_case(fn, reference, args, name, outputs, rtol, atol) -> Verdict | None:
    """None if ``fn`` is right on this case, otherwise the verdict that explains why."""
    where = f"{name}({_describe(args)})"
    n_parts = max(len(outputs), 1)
    try:
        result = fn(*_copy(args))
    except NotImplementedError:
        return Verdict(False, f"{name} is not implemented yet: replace "
                              f"`raise NotImplementedError` with your code.")
    except Exception as error:
        return Verdict(False, f"{where} raised {type(error).__name__}: {error}")
    if result is None:
        return Verdict(False, f"{name} returns None: did you forget the `return` statement?")
    if n_parts > 1 and not (isinstance(result, tuple) and len(result) == n_parts):
        return Verdict(False, f"{name} should return {n_parts} values: "
                              f"`return {', '.join(outputs)}`.")
    try:
        got = _as_parts(result, n_parts)
    except (TypeError, ValueError):
        return Verdict(False, f"{where} returned a {type(result).__name__}, "
                              f"not a number or an array of numbers.")
    expected = _as_parts(reference(*_copy(args)), n_parts)
    labels = outputs or ("the result",)
    for label, g, e in zip(labels, got, expected, strict=True):
        if g.shape != e.shape:
            return _WrongResult(False, f"{where}: {label} has the wrong shape: got "
                                       f"{g.shape}, expected {e.shape}.{_shape_hint(g, e)}")
        if not np.all(np.isfinite(g)):
            return Verdict(False, f"{where}: {label} contains NaN or infinity: {_show(g)}")
    if _matches(got, expected, rtol, atol):
        return None
    label, g, e = next((label, g, e) for label, g, e in zip(labels, got, expected, strict=True)
                       if not np.allclose(g, e, rtol=rtol, atol=atol))
    return _WrongResult(False, f"{where}: {label} is {_show(g)}, expected {_show(e)}.")


def check_value(answer, expected, *, name: str = "your answer",
                mistakes: Sequence[tuple[object, str]] = (), rtol: float = 1e-6) -> Verdict:
    """Check a number or a tuple/array of numbers; ``mistakes`` are (wrong value, message)."""
    if answer is None or answer is Ellipsis:
        return Verdict(False, f"{name} is not filled in yet: replace the ... with your answer.")
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Verdict(False, f"{name} should be a number, not {type(answer).__name__}.")
    wanted = np.asarray(expected, dtype=float)

    def same(a, b) -> bool:
        b = np.asarray(b, dtype=float)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=0))

    if same(got, wanted):
        return Verdict(True, f"Correct! {name} = {_show(got)}.")
    for wrong, message in mistakes:
        if same(got, wrong):
            return Verdict(False, f"{name} = {_show(got)} is not right. {message}")
    return Verdict(False, f"{name} = {_show(got)} is not right; try again.")


def check_choice(answer, expected, *, name: str = "your answer",
                 explanations: dict[str, str] | None = None) -> Verdict:
    """Check a choice among words (case and spaces ignored).

    ``explanations`` maps a wrong choice to what to tell the learner who picked it.
    """
    if answer is None or answer is Ellipsis or answer == "":
        return Verdict(False, f"{name} is not filled in yet.")
    if not isinstance(answer, str):
        return Verdict(False, f"{name} should be a string such as {expected!r}.")
    normal = answer.strip().lower()
    if normal == expected.strip().lower():
        return Verdict(True, f"Correct! {name} = {expected!r}.")
    for wrong, message in (explanations or {}).items():
        if normal == wrong.strip().lower():
            return Verdict(False, f"{name} = {answer!r} is not right. {message}")
    return Verdict(False, f"{name} = {answer!r} is not right; try again.")


# --- the course's exercises -------------------------------------------------------------

_RNG = np.random.default_rng(2024)  # fixed cases, the same for every learner
_Y = [np.array([3.0, -1.0, 2.0]), _RNG.normal(size=7), np.array([5.0])]
_Y_HAT = [np.array([2.5, 0.0, 2.0]), _RNG.normal(size=7), np.array([2.0])]


def check_mse(fn: Callable) -> Verdict:
    """``fn(y, y_hat)`` must return the mean squared error, a single number."""
    return check_function(
        fn, lambda y, y_hat: np.mean((y - y_hat) ** 2), list(zip(_Y, _Y_HAT, strict=True)),
        mistakes=[
            Mistake("That is the *sum* of squared errors: divide by m, the number "
                    "of examples (np.mean does it for you).",
                    lambda y, y_hat: np.sum((y - y_hat) ** 2)),
            Mistake("That is the mean *absolute* error (MAE): square the errors instead.",
                    lambda y, y_hat: np.mean(np.abs(y - y_hat))),
            Mistake("The errors are not squared: positive and negative errors cancel out.",
                    lambda y, y_hat: np.mean(y - y_hat)),
            Mistake("The errors are not squared: positive and negative errors cancel out.",
                    lambda y, y_hat: np.mean(y_hat - y)),
            Mistake("That is the *root* mean squared error: leave out the square root.",
                    lambda y, y_hat: np.sqrt(np.mean((y - y_hat) ** 2))),
            Mistake("That is half the MSE: the 1/2 some books add (to tidy up the "
                    "derivative) is not part of the MSE here.",
                    lambda y, y_hat: np.mean((y - y_hat) ** 2) / 2),
            Mistake("That squares the *mean* error: square each error first, then average.",
                    lambda y, y_hat: np.mean(y - y_hat) ** 2),
        ], name="mse")


def check_mae(fn: Callable) -> Verdict:
    """``fn(y, y_hat)`` must return the mean absolute error, a single number."""
    return check_function(
        fn, lambda y, y_hat: np.mean(np.abs(y - y_hat)), list(zip(_Y, _Y_HAT, strict=True)),
        mistakes=[
            Mistake("That is the *sum* of absolute errors: divide by m, the number of "
                    "examples.", lambda y, y_hat: np.sum(np.abs(y - y_hat))),
            Mistake("That is the mean *squared* error (MSE): take the absolute value "
                    "instead of squaring.", lambda y, y_hat: np.mean((y - y_hat) ** 2)),
            Mistake("The absolute value is missing: positive and negative errors cancel.",
                    lambda y, y_hat: np.mean(y - y_hat)),
            Mistake("The absolute value is missing: positive and negative errors cancel.",
                    lambda y, y_hat: np.mean(y_hat - y)),
            Mistake("Take the absolute value of each error before averaging, not of the "
                    "average.", lambda y, y_hat: np.abs(np.mean(y - y_hat))),
        ], name="mae")


def check_predict(fn: Callable) -> Verdict:
    """``fn(X, w, b)``: X (n, m) one column per example, w (n,), b a number -> (m,)."""
    rng = np.random.default_rng(7)
    cases = [(rng.normal(size=(2, 5)), np.array([1.5, -2.0]), 0.5),
             (rng.normal(size=(3, 4)), rng.normal(size=3), -1.0),
             (rng.normal(size=(1, 6)), np.array([3.0]), 2.0)]
    return check_function(
        fn, lambda X, w, b: w @ X + b, cases,
        mistakes=[
            Mistake("The bias b is missing: ŷ = wᵀX + b.", lambda X, w, b: w @ X),
            Mistake("The bias should be added, not subtracted.", lambda X, w, b: w @ X - b),
            Mistake("Each example's prediction needs the *sum* over features of w_j x_j: "
                    "use w @ X.", lambda X, w, b: np.mean(w[:, None] * X, axis=0) + b),
        ], name="predict")


def check_grid_evaluations(fn: Callable) -> Verdict:
    """``fn(k, values)`` -> how many loss evaluations a grid search needs: values ** k."""
    cases = [(1, 100), (2, 100), (3, 10), (5, 7)]
    return check_function(
        fn, lambda k, values: float(values) ** k, cases,
        mistakes=[
            Mistake("Every value of one parameter is tried with *every* combination of the "
                    "others, so the counts multiply: values × values × ... (k times).",
                    lambda k, values: float(k * values)),
            Mistake("The exponent is the number of parameters k: values ** k.",
                    lambda k, values: float(k) ** values),
            Mistake("Every value of one parameter is tried with *every* combination of the "
                    "others, so the counts multiply, they don't add.",
                    lambda k, values: float(k + values)),
        ], name="grid_evaluations")


def check_lag_features(fn: Callable) -> Verdict:
    """``fn(series, k)`` -> (X, y): y (m,) holds days k, ..., of the series and column t
    of X (k, m) the k days before day t+k, most recent first: row j-1 is j days before."""
    cases = [(np.arange(10.0), 3), (np.array([5.0, 1.0, 4.0, 2.0, 8.0, 7.0]), 1),
             (np.linspace(0, 1, 12) ** 2, 5)]

    def window(series, k, newest):  # row j, column t: day t + newest - j
        m = len(series) - k
        return np.stack([series[newest - j:newest - j + m] for j in range(k)])

    def reference(series, k):
        return window(series, k, k - 1), series[k:]

    def leaky(series, k):  # each column starts with the very day it should predict
        return window(series, k, k), series[k:]

    def oldest_first(series, k):  # the right days, in the opposite order
        return window(series, k, k - 1)[::-1], series[k:]

    def last_day_as_target(series, k):  # y[t] is the newest day of the window itself
        return window(series, k, k - 1), series[k - 1:-1]

    return check_function(
        fn, reference, cases, outputs=("X", "y"),
        mistakes=[
            Mistake("Your features include the day being predicted (a 'leak' from the "
                    "future): row 0 must be the day *before* y[t].", leaky),
            Mistake("The rows are in the opposite order: row 0 must be yesterday (1 day "
                    "before), row k-1 the day k days before.", oldest_first),
            Mistake("y is one day early: y[t] must be the day *after* the window, "
                    "series[t + k], not its last day.", last_day_as_target),
        ], name="lag_features")


# --- 00_welcome exercises ---
# Checks for notebooks/00_welcome.ipynb; tested in tests/test_checks_welcome.py.

_TASK_KINDS = ("regression", "classification", "structured learning")
_TASK_ALIASES = {"回归": "regression", "分类": "classification",
                 "结构化学习": "structured learning", "structured": "structured learning"}
_TASK_QUESTIONS = {
    "temperature": ("regression", {
        "classification": "A temperature is a number on a continuous scale (23.4 °C, "
                          "23.5 °C, ...), not one of a fixed list of options: predicting "
                          "a number is regression (回归).",
        "structured learning": "The output is a single number, not something with parts "
                               "that fit together (a sentence, an image): regression."}),
    "go_move": ("classification", {
        "regression": "A move is not a number on a scale: it is one of the 19 × 19 = 361 "
                      "points of the board. Choosing among a fixed set of options is "
                      "classification (分类), however hard the game is.",
        "structured learning": "The game is complex, but one move is a single choice among "
                               "361 fixed options (the points of the board): "
                               "classification."}),
    "caption": ("structured learning", {
        "classification": "A caption is a whole sentence. You could not list every "
                          "possible sentence as a class: the output has structure (words "
                          "in order), so it is structured learning (结构化学习).",
        "regression": "A caption is a sentence, not a number: structured learning, where "
                      "the output is something with structure."}),
}


def check_task_kinds(temperature, go_move, caption) -> Verdict:
    """Which kind of task is each? Answers are "regression", "classification" or
    "structured learning" (the Chinese names are accepted too)."""
    answers = {"temperature": temperature, "go_move": go_move, "caption": caption}
    verdicts = []
    for name, answer in answers.items():
        expected, explanations = _TASK_QUESTIONS[name]
        if isinstance(answer, str):
            answer = _TASK_ALIASES.get(answer.strip().lower(), answer)
            if answer.strip().lower() not in (*_TASK_KINDS, ""):
                kinds = ", ".join(map(repr, _TASK_KINDS))
                verdicts.append(Verdict(False, f"{name} = {answer!r} is not one of the "
                                               f"three kinds: {kinds}."))
                continue
        verdicts.append(check_choice(answer, expected, name=name, explanations=explanations))
    return _combine(verdicts, "Correct! temperature: regression, go_move: classification, "
                              "caption: structured learning.")


def _combine(verdicts: Sequence[Verdict], success: str) -> Verdict:
    """One verdict for several answers: ``success``, or what is wrong with each."""
    if all(verdicts):
        return Verdict(True, success)
    return Verdict(False, "\n".join(v.message for v in verdicts if not v))


def _as_shape(answer) -> tuple[int, ...] | None:
    """``answer`` as a tuple of whole numbers (a shape), or None if it is not one."""
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        return (int(answer),)
    if not isinstance(answer, (tuple, list)):
        return None
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in answer):
        return None
    return tuple(int(a) for a in answer)


def _check_shape(answer, expected: tuple, name: str, mistakes: dict) -> Verdict:
    if answer is None or answer is Ellipsis:
        return Verdict(False, f"{name} is not filled in yet: replace the ... with a shape "
                              f"such as (3, 7).")
    shape = _as_shape(answer)
    if shape is None:
        return Verdict(False, f"{name} should be a shape: a tuple of whole numbers such as "
                              f"(3, 7), not {answer!r}.")
    if shape == expected:
        return Verdict(True, f"Correct! {name} = {expected}.")
    hint = mistakes.get(shape, "Count the features n and the examples m, then use the "
                               "notation table.")
    return Verdict(False, f"{name} = {shape} is not right. {hint}")


def check_X_shape(answer) -> Verdict:
    """The shape of X for n = 5 features and m = 100 examples: (5, 100)."""
    return _check_shape(answer, (5, 100), "X_shape", {
        (100, 5): "X has one COLUMN per example: n = 5 rows (features) by m = 100 "
                  "columns (examples). (100, 5) is the one-row-per-example layout of "
                  "other libraries; this course follows Andrew Ng's notation.",
        (5,): "That is the shape of a single example x (n numbers); X holds all m of them.",
        (100,): "That is the shape of y (one label per example); X holds the features.",
        (500,): "X is a 2-D array (a matrix), not all 500 numbers in a row.",
    })


def check_y_shape(answer) -> Verdict:
    """The shape of the labels y in the course's code for m = 100 examples: (100,)."""
    return _check_shape(answer, (100,), "y_shape", {
        (1, 100): "In the maths Y is a 1 × m row, but the course's code stores y as a "
                  "1-D array of shape (m,): one number per example, no extra axis.",
        (100, 1): "A column of labels is the other libraries' layout; the course's code "
                  "stores y as a 1-D array of shape (m,).",
        (5, 100): "That is the shape of X (the features); y has one label per example.",
        (5,): "y has one label per *example*, not per feature.",
    })


def check_notation_shapes(X_shape, y_shape) -> Verdict:
    """Exercise 2: X.shape and y.shape for 5 features and 100 examples."""
    return _combine([check_X_shape(X_shape), check_y_shape(y_shape)],
                    "Correct! X_shape = (5, 100): n = 5 rows (features), m = 100 columns "
                    "(examples); y_shape = (100,): one label per example.")


_X_CASES = [
    (np.array([[1.0, 2.0, 6.0], [0.0, 4.0, 5.0], [3.0, 9.0, 0.0]]),),  # n = m = 3
    (np.array([[1.0, 2.0, 3.0, 4.0, 5.0], [10.0, 0.0, 10.0, 0.0, 10.0]]),),  # n=2, m=5
    (np.random.default_rng(0).normal(size=(4, 7)).round(2),),  # n = 4, m = 7
]


def check_feature_means(fn: Callable) -> Verdict:
    """``fn(X)``: X (n, m), one column per example -> the mean of each feature, (n,)."""
    mistakes = [
        Mistake("That is the mean of each *example* (column) over its features: "
                "np.mean(X, axis=0). Each feature is a *row* of X, so average along the "
                "examples, axis=1.", lambda X: np.mean(X, axis=0)),
        Mistake("That is one mean over all the numbers in X: average each feature (row) "
                "separately with axis=1, giving n numbers.", lambda X: np.mean(X)),
        Mistake("Right numbers, but with keepdims=True the result has shape (n, 1); the "
                "course wants a 1-D array of shape (n,).",
                lambda X: np.mean(X, axis=1, keepdims=True)),
        Mistake("That is the *sum* of each feature over the examples: divide by m "
                "(np.mean does it for you).", lambda X: np.sum(X, axis=1)),
    ]
    return check_function(fn, lambda X: np.mean(X, axis=1), _X_CASES, mistakes=mistakes,
                          name="feature_means")


_TARGET_POINTS = ((1.0, 2.0), (3.0, -2.0))


def check_line_through_points(answer) -> Verdict:
    """``answer = (w, b)`` for the line y = w·x + b through (1, 2) and (3, -2):
    (-2, 4)."""
    name = "w_and_b"
    if answer is None or answer is Ellipsis:
        return Verdict(False, f"{name} is not filled in yet: replace the ... with "
                              f"two numbers, e.g. (1.5, -0.5).")
    try:
        w, b = (float(v) for v in answer)
    except (TypeError, ValueError):
        return Verdict(False, f"{name} should be two numbers, w and b, such as (1.5, -0.5); "
                              f"got {answer!r}.")
    misses = [(x, y, w * x + b) for x, y in _TARGET_POINTS if not np.isclose(w * x + b, y)]
    if not misses:
        return Verdict(True, f"Correct! y = {w:g}·x + {b:g} passes through (1, 2) and "
                             f"(3, -2).")
    if np.isclose(w, 2.0):
        hint = ("The line must go *down* from (1, 2) to (3, -2), so its slope w is "
                "negative: w = Δy / Δx = (-2 - 2) / (3 - 1).")
    elif np.isclose(w, -0.5):
        hint = "The slope is rise over run, Δy / Δx, not Δx / Δy."
    elif np.isclose(w, 4.0) and np.isclose(b, -2.0):
        hint = "w and b are swapped: the pair is (w, b), slope first."
    elif np.isclose(w, -2.0):
        hint = "The slope w is right; now choose b so that the line passes through (1, 2)."
    else:
        hint = ("Move the sliders of 'your first slider' until the line touches both "
                "orange points, or compute w = Δy / Δx first.")
    x, y, y_line = misses[0]
    return Verdict(False, f"With w = {w:g}, b = {b:g} the line is at y = {y_line:g} for "
                          f"x = {x:g}, not {y:g}. {hint}")
