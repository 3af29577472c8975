"""Checks for the exercises of notebook 00, welcome."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import numpy as np

from helpers.checks.engine import (
    Mistake,
    Verdict,
    check_choice,
    check_function,
    exercise_check,
    plain_text,
    read_answer,
    read_only,
    short_repr,
)

__all__ = [
    "check_feature_means",
    "check_line_through_points",
    "check_notation_shapes",
    "check_task_kinds",
    "check_X_shape",
    "check_y_shape",
]

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


@exercise_check
def check_task_kinds(temperature, go_move, caption) -> Verdict:
    """Which kind of task is each? Answers are "regression", "classification" or
    "structured learning" (the Chinese names are accepted too)."""
    answers = {"temperature": temperature, "go_move": go_move, "caption": caption}
    verdicts = []
    for name, answer in answers.items():
        expected, explanations = _TASK_QUESTIONS[name]
        text = plain_text(answer)
        if text is not None:
            answer = _TASK_ALIASES.get(text.strip().lower(), text)
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
    def whole(a) -> bool:
        return isinstance(a, (int, np.integer)) and not isinstance(a, bool) \
            and abs(int(a)) <= sys.maxsize

    def read():
        if whole(answer):
            return (int(answer),)
        if not isinstance(answer, (tuple, list)):
            return None
        items = tuple(answer)
        if not all(whole(a) for a in items):
            return None
        return tuple(int(a) for a in items)

    return read_answer(read)


def _check_shape(answer, expected: tuple, name: str, mistakes: dict) -> Verdict:
    if answer is None or answer is Ellipsis:
        return Verdict(False, f"{name} is not filled in yet: replace the ... with a shape "
                              f"such as (3, 7).")
    shape = _as_shape(answer)
    if shape is None:
        return Verdict(False, f"{name} should be a shape: a tuple of whole numbers such as "
                              f"(3, 7), not {short_repr(answer)}.")
    if shape == expected:
        return Verdict(True, f"Correct! {name} = {expected}.")
    hint = mistakes.get(shape, "Count the features n and the examples m, then use the "
                               "notation table.")
    return Verdict(False, f"{name} = {shape} is not right. {hint}")


@exercise_check
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


@exercise_check
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


@exercise_check
def check_notation_shapes(X_shape, y_shape) -> Verdict:
    """Exercise 2: X.shape and y.shape for 5 features and 100 examples."""
    return _combine([check_X_shape(X_shape), check_y_shape(y_shape)],
                    "Correct! X_shape = (5, 100): n = 5 rows (features), m = 100 columns "
                    "(examples); y_shape = (100,): one label per example.")


_X_CASES = read_only([
    (np.array([[1.0, 2.0, 6.0], [0.0, 4.0, 5.0], [3.0, 9.0, 0.0]]),),  # n = m = 3
    (np.array([[1.0, 2.0, 3.0, 4.0, 5.0], [10.0, 0.0, 10.0, 0.0, 10.0]]),),  # n=2, m=5
    (np.random.default_rng(0).normal(size=(4, 7)).round(2),),  # n = 4, m = 7
])


@exercise_check
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
        Mistake("You divided by m - 1: a mean divides the sum by m, the number of "
                "examples (m - 1 belongs to some variance estimates, not to the mean).",
                lambda X: np.sum(X, axis=1) / (X.shape[1] - 1)),
        Mistake("You divided by n, the number of features (X.shape[0]): divide each "
                "feature's sum by m, the number of examples (X.shape[1]).",
                lambda X: np.sum(X, axis=1) / X.shape[0]),
        Mistake("That is the median of each feature, not its mean: use np.mean.",
                lambda X: np.median(X, axis=1)),
    ]
    return check_function(fn, lambda X: np.mean(X, axis=1), _X_CASES, mistakes=mistakes,
                          name="feature_means")


_TARGET_POINTS = ((1.0, 2.0), (3.0, -2.0))


@exercise_check
def check_line_through_points(answer) -> Verdict:
    """``answer = (w, b)`` for the line y = w·x + b through (1, 2) and (3, -2):
    (-2, 4)."""
    name = "w_and_b"
    if answer is None or answer is Ellipsis:
        return Verdict(False, f"{name} is not filled in yet: replace the ... with "
                              f"two numbers, e.g. (1.5, -0.5).")

    def number(v) -> float:
        if np.iscomplexobj(v):  # float() would drop a NumPy complex's imaginary part
            raise TypeError("a complex number")
        if isinstance(v, (np.ndarray, list, tuple)):  # [-2.0] or np.array([[-2.0]]): a number
            v = np.asarray(v, dtype=float)
            if v.size != 1:
                raise ValueError("not one number")
            v = v.reshape(())
        return float(v)

    def read() -> tuple[float, ...]:
        if isinstance(answer, np.ndarray) and answer.size == 2:  # np.array([[w, b]])
            return tuple(number(v) for v in answer.ravel())
        return tuple(number(v) for v in answer)

    pair = read_answer(read)
    if pair is None or len(pair) != 2:
        return Verdict(False, f"{name} should be two numbers, w and b, such as (1.5, -0.5); "
                              f"got {short_repr(answer)}.")
    w, b = pair
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
