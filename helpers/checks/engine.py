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

The notebooks' checks (``check_mse`` ...), one module per notebook in this package,
are short lists of test cases and typical mistakes handed to :func:`check_function`.
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
