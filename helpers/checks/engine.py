"""Exercise checks: run a learner's answer and say *specifically* what is wrong.

A check never raises into the notebook: a learner who skips an exercise gets
"not implemented yet" and can go on. Each verdict is one of

* not implemented yet (the stub still raises ``NotImplementedError``),
* it raised an error (which, on which input),
* it did not finish within :data:`TIME_LIMIT` seconds (a loop that never ends),
* it returns ``None`` (a forgotten ``return``),
* it returned something that is not numbers (what came back: its type and a short repr),
* wrong shape (with a hint if the result is transposed),
* NaN or infinity in the result,
* a *typical mistake* recognised by its output (sign flipped, a missing 1/m, ...),
* a wrong value on a given input (with the expected value),
* or correct.

The notebooks' checks (``check_mse`` ...), one module per notebook in this package,
are short lists of test cases and typical mistakes handed to :func:`check_function`.

Three rules hold for every check, and the engine is where they are kept:

* **One way in.** Every call of a learner's function goes through :func:`call_learner`.
  It hands the function deep copies of the check's cases, so that an answer which works
  in place (``Z -= Z.max(axis=0, keepdims=True)``) cannot change them for the rest of the
  kernel's life; it stops a function that runs longer than :data:`TIME_LIMIT`; and it
  puts NumPy's error state and print options back afterwards.
* **One way back.** Whatever the learner's function returned becomes numbers through
  :func:`learner_parts` (or, for an answer typed into a cell, :func:`answer_floats`); when
  it cannot, the verdict says what came back and what was expected.
* **Never raise.** Every public check is wrapped in :func:`exercise_check`. A
  :class:`Stop` raised anywhere inside a check carries the learner's verdict out of it;
  any other error is the checker's own bug, the only case that says "Please report this".
"""

from __future__ import annotations

import contextlib
import copy
import functools
import html
import itertools
import math
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

TIME_LIMIT: float | None = 10.0
"""Seconds one call of a learner's function may take before it is stopped (``None`` or 0:
no limit). The limit needs SIGALRM, so it holds in the main thread of a Unix process (a
Jupyter kernel runs its cells there); elsewhere (Windows, other threads) a function runs
without one."""

_REPEAT = 0.05  # after the limit, the alarm repeats: a learner's `except:` cannot hide it


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: ``passed`` and a message written for the learner."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        # ✓ and ✗ are in every text font; ✅ and ❌ need a colour-emoji font.
        return ("✓ " if self.passed else "✗ ") + self.message

    def _repr_html_(self) -> str:
        colour, mark = ("#1b7a1b", "✓") if self.passed else ("#b00020", "✗")
        text = html.escape(self.message).replace("\n", "<br>")
        return f"<div style='color:{colour}; font-family:monospace'>{mark} {text}</div>"


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: a function that computes it, and what to tell the learner."""

    message: str
    compute: Callable


class Stop(Exception):
    """Ends a check with ``verdict``: what the learner's code did (raised, ran out of time,
    returned something that is not numbers). :func:`exercise_check` returns the verdict."""

    def __init__(self, verdict: Verdict):
        super().__init__(verdict.message)
        self.verdict = verdict


class TimedOut(Stop):
    """The :class:`Stop` of a learner's code that ran out of time: a check that would
    otherwise go on after an error (to look for a better explanation) stops there."""


class _OutOfTime(BaseException):
    """Raised inside the learner's code when the time limit is up: a BaseException, so that
    the learner's own ``except Exception`` does not swallow it."""


# --- never raise ---------------------------------------------------------------------------


class _Record:
    """The last verdict of each check run in this kernel, by the check's name: what
    ``checks.progress`` shows, without running the learner's code again."""

    def __init__(self):
        self.verdicts: dict[str, Verdict] = {}


RECORD = _Record()


def exercise_check(check: Callable[..., Verdict]) -> Callable[..., Verdict]:
    """``check`` made safe for a notebook: a :class:`Stop` becomes its verdict, and any
    other error (a bug of the checker itself) a verdict that asks to report it. Only
    KeyboardInterrupt (the kernel's stop button) goes through. The verdict is recorded
    (:data:`RECORD`)."""
    @functools.wraps(check)
    def safe(*args, **kwargs) -> Verdict:
        try:
            verdict = check(*args, **kwargs)
        except Stop as stop:
            verdict = stop.verdict
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: B036 - a check must never break the notebook
            verdict = Verdict(False, f"The checker could not finish ({type(error).__name__}: "
                                     f"{error_text(error)}). Please report this.")
        RECORD.verdicts[check.__name__] = verdict
        return verdict
    return safe


# --- one way in: calling the learner's function --------------------------------------------


def fresh_copy(value):
    """A deep copy of one argument, so that nothing the learner's function does to it can
    reach the check's own cases: arrays (writeable, even if the original is read-only),
    lists, dicts, nested tuples, a random Generator (a fresh one in the same state).
    Functions pass through; what cannot be copied is handed over as it is."""
    if callable(value):
        return value
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


def read_only(value):
    """``value`` with every ndarray in it (nested in lists, tuples, dicts) made read-only:
    the module-level cases of a check, as a second line of defence behind the copies."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, (list, tuple)):
        for item in value:
            read_only(item)
    elif isinstance(value, dict):
        for item in value.values():
            read_only(item)
    return value


class _Limit:
    """Whether a time limit is on (``active``), and whether the learner's code is what
    runs under it (``armed``): see :func:`_time_limit`."""

    active = False
    armed = False


_NEVER_INTERRUPTED = (globals(), vars(contextlib))  # see _time_limit


def _can_limit() -> bool:
    return (hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
            and threading.current_thread() is threading.main_thread())


def _alarm(signum, frame):
    if not _Limit.armed:
        return  # an alarm still on its way after the limit was lifted
    if frame is not None and any(frame.f_globals is g for g in _NEVER_INTERRUPTED):
        return  # the way out of the `with`: the next repeat, if the learner's code runs on
    raise _OutOfTime


def _handle_alarms_on_their_way() -> None:
    """Run the handler for an alarm that has arrived but not been handled yet (this call
    checks for signals), while :func:`_alarm` is still the handler and lets it go."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, ())


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`_OutOfTime` in the code run inside once ``seconds`` have passed (and
    every ``_REPEAT`` s after that, until it ends). Without SIGALRM, or outside the main
    thread, the code runs without a limit; inside another limit, under that one. The
    previous SIGALRM handler and timer (if any) are put back afterwards, the timer with
    the time it had left. In place of SIGALRM's default action (to end the process),
    :func:`_alarm` stays the handler: an alarm still on its way, a few microseconds after
    the timer was stopped, would otherwise end the kernel (or, caught half-way, print
    "Signal 14 ignored due to race condition"). Not armed, it does nothing.

    An alarm is raised only while the code inside runs (``_Limit.armed``), and only in
    other modules' code (the learner's): one that arrives while this module or
    ``contextlib`` runs (the way out of the ``with``, the tidying up below) is let go. So
    the tidying up always finishes: otherwise an alarm at the start of ``finally`` would
    leave the repeating timer and its handler in place, and :class:`_OutOfTime` would
    later break out of code that has nothing to do with a check. Callers put
    ``_time_limit`` last in their ``with``, so it is the first to end."""
    if not seconds or seconds <= 0 or not _can_limit() or _Limit.active:
        yield
        return
    started = time.monotonic()
    try:
        previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, 0)
        previous_handler = signal.signal(signal.SIGALRM, _alarm)
    except (ValueError, OSError):  # signals are not ours to use here
        yield
        return
    if previous_delay:  # a timer of someone else's that fires first still fires first
        seconds = min(seconds, previous_delay)
    try:
        _Limit.active = True
        signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
        _Limit.armed = True
        yield
    finally:
        _Limit.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        _handle_alarms_on_their_way()
        if callable(previous_handler):  # someone else's handler: theirs again
            signal.signal(signal.SIGALRM, previous_handler)
        _Limit.active = False
        if previous_delay:
            left = previous_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), previous_interval)


def _limit_text() -> str:
    return f"{TIME_LIMIT:g} s"


class _Call:
    """``name(args)`` as the verdicts show it, worked out only when a message shows it."""

    def __init__(self, name: str, args: Sequence):
        self.name, self.args, self._text = name, args, None

    def __str__(self) -> str:
        if self._text is None:
            self._text = f"{self.name}({_describe(self.args)})"
        return self._text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def describe_call(name: str, args: Sequence) -> _Call:
    """``name(args)`` as the verdicts show it, numbers and small arrays in full (worked out
    when an f-string or ``str`` needs it: most calls of a right answer never show it)."""
    return _Call(name, args)


def name_of(fn, default: str = "your function") -> str:
    """The name of the learner's function (``default`` if it has none, or a strange one)."""
    try:
        name = getattr(fn, "__name__", None)
    except Exception:
        return default
    return name if isinstance(name, str) and name else default


def call_learner(fn: Callable, args: Sequence = (), *, name: str | None = None,
                 where: str | _Call | None = None, changed: list[int] | None = None):
    """``fn(*args)`` for the learner's function ``fn``: the one way a check calls it.

    ``fn`` gets deep copies of ``args`` (:func:`fresh_copy`), runs for at most
    :data:`TIME_LIMIT` seconds, and NumPy's error state and print options are put back
    afterwards. Returns what ``fn`` returned. The exceptions the learner's code raised
    (``NotImplementedError``, a shape error, ...) are re-raised as they are, for the caller
    to explain (:func:`raised_verdict` does); a function that is not a function, runs out
    of time, or raises something that is not an Exception (``exit()`` raises SystemExit)
    raises :class:`Stop` with the verdict. ``name`` and ``where`` (the call as the verdict
    shows it) only serve the messages. With a list ``changed``, the positions of the array
    arguments that ``fn`` changed in place are added to it.
    """
    name = name or name_of(fn)
    if not callable(fn):
        raise Stop(Verdict(False, f"{name} should be a function (give the check its name, "
                                  f"without brackets), not {_what(fn)}."))
    copies = tuple(fresh_copy(a) for a in args)
    try:
        with np.errstate(), np.printoptions(), _time_limit(TIME_LIMIT):
            result = fn(*copies)
        if changed is not None:
            changed.extend(i for i, (given, copy) in enumerate(zip(args, copies, strict=True))
                           if _changed_in_place(given, copy) and i not in changed)
        return result
    except _OutOfTime:
        where = where or describe_call(name, args)
        raise TimedOut(Verdict(False, f"{where} did not finish in {_limit_text()}: is there "
                                      f"a loop that never ends?")) from None
    except (Exception, KeyboardInterrupt):
        raise
    except BaseException as error:  # noqa: B036 - SystemExit, GeneratorExit, ...: a verdict
        where = where or describe_call(name, args)
        raise Stop(raised_verdict(error, name, where)) from None


def _changed_in_place(given, copy) -> bool:
    """Whether the learner's function changed its copy of the array ``given``."""
    if not isinstance(given, np.ndarray) or not isinstance(copy, np.ndarray):
        return False
    try:
        return copy.shape != given.shape or not np.array_equal(copy, given, equal_nan=True)
    except Exception:
        return False


def _in_place_note(fn, name: str, changed: list[int]) -> str:
    """What to say about a right answer that changes its inputs in place."""
    import inspect

    try:
        names = list(inspect.signature(fn).parameters)
    except Exception:  # not every callable has a signature (the learner's may do anything)
        names = []
    shown = [f"`{names[i]}`" if i < len(names) else f"argument {i + 1}" for i in sorted(changed)]
    one = shown[0].strip("`")
    return (f" But it changes its input {' and '.join(shown)} in place (an operation such as "
            f"`{one} -= ...` or `{one}[...] = ...`): the caller's array changes too. Compute "
            f"into a new array instead, e.g. `{one} = {one} - ...`.")


def raised_verdict(error: BaseException, name: str, where: str | _Call) -> Verdict:
    """What to say when the learner's function raised ``error`` in the call ``where``."""
    if isinstance(error, Stop):
        return error.verdict
    if isinstance(error, NotImplementedError):
        return Verdict(False, f"{name} is not implemented yet: replace "
                              f"`raise NotImplementedError` with your code.")
    text = error_text(error)
    hint = ""
    if isinstance(error, TypeError) and "converted to Python scalars" in text:
        hint = (" The math module's functions (math.exp, math.log, math.sqrt ...) take one "
                "number: on arrays, use NumPy's (np.exp, np.log, np.sqrt ...).")
    elif isinstance(error, ValueError) and ("mismatch in its core dimension" in text
                                            or "not aligned" in text):
        hint = (" A matrix product whose inner sizes differ: (a, k) @ (k, b) needs the same "
                "k. Is a matrix transposed, or the product taken in the wrong order?")
    elif isinstance(error, ValueError) and "could not be broadcast together" in text:
        hint = (" Two arrays whose shapes do not fit for an element-by-element operation: "
                "check the axis of a sum or mean (keepdims=True keeps its axis), or a "
                "transposed array.")
    return Verdict(False, f"{where} raised {type(error).__name__}: {text}{hint}")


def learner_error(fn: Callable, args: Sequence, *, name: str | None = None
                  ) -> Exception | None:
    """The exception the learner's function raises on ``args`` (None if it returns), for
    the checks that explain some errors in words of their own. Running out of time raises
    :class:`Stop`, as in :func:`call_learner`."""
    try:
        call_learner(fn, args, name=name)
    except Stop:
        raise
    except Exception as error:
        return error
    return None


# --- one way back: what the learner's function returned, as numbers -------------------------


def _floats(value) -> np.ndarray:
    """``value`` as a float array (read through :func:`read_answer`, under its time limit:
    it may call the learner's own ``__float__`` or ``__array__``). Raises whatever the
    conversion raises, and TypeError for complex numbers (NumPy would drop their imaginary
    part with a warning)."""
    if np.iscomplexobj(value):
        raise TypeError("complex numbers")
    return np.asarray(value, dtype=float)


def learner_parts(result, *, name: str, where: str | _Call, outputs: Sequence[str] = ()
                  ) -> list[np.ndarray]:
    """What the learner's function returned as float arrays, one per output (``outputs``
    names them when there are several). If it cannot be read as numbers, raises
    :class:`Stop` with a verdict that shows what came back and what was expected."""
    outputs = tuple(outputs)
    n_parts = max(len(outputs), 1)
    if result is None:
        raise Stop(Verdict(False, f"{name} returns None: did you forget the `return` "
                                  f"statement? (`print` shows a value; only `return` "
                                  f"gives it back.)"))
    wanted = f"`return {', '.join(outputs)}`"
    if n_parts == 1:
        parts = [result]
    elif isinstance(result, np.ndarray):
        raise Stop(Verdict(False, f"{where} returned one array of shape {result.shape}; it "
                                  f"should return {n_parts} values, each on its own: "
                                  f"{wanted}."))
    else:
        try:  # a tuple or a list of the values
            parts = list(result) if isinstance(result, (tuple, list)) else None
        except Exception:  # a tuple of the learner's own kind, whose iter raises
            parts = None
        if parts is None:
            raise Stop(Verdict(False, f"{where} returned {_what(result)}; it should return "
                                      f"{n_parts} values: {wanted}."))
        if len(parts) != n_parts:
            raise Stop(Verdict(False, f"{where} returned {len(parts)} values; it should "
                                      f"return {n_parts}: {wanted}."))
    labels = outputs or ("the result",)
    arrays = []
    for label, part in zip(labels, parts, strict=True):
        if part is None and n_parts > 1:
            raise Stop(Verdict(False, f"{where} returned None as {label}: is it computed, "
                                      f"and returned in its place ({wanted})?"))
        said = "returned" if n_parts == 1 else f"returned, as {label},"
        arrays.append(_read_floats(
            part, f"what {where} returned",
            lambda part=part, said=said: f"{where} {said} {_what(part)}. A number or an "
                                         f"array of numbers was expected."))
    return arrays


def answer_floats(answer, name: str) -> np.ndarray:
    """An answer typed into a cell, as a float array; or :class:`Stop` with a verdict that
    says what it is."""
    return _read_floats(answer, name,
                        lambda: f"{name} should be a number, not {_what(answer)}.")


def _read_floats(value, reading: str, refused: Callable[[], str]) -> np.ndarray:
    """``value`` as a float array. If it cannot be read, :class:`Stop` with the message
    ``refused()``; if reading it runs out of time, :class:`TimedOut` (``reading`` names
    what was read)."""
    failed = object()
    got = read_answer(lambda: _floats(value), failed, what=reading,
                      methods="its __float__ or __array__")
    if got is failed:
        raise Stop(Verdict(False, refused()))
    return got


def read_answer(read: Callable[[], object], default=None, *, what: str = "your answer",
                methods: str = "one of its methods"):
    """``read()``: code that runs the learner's own methods on an answer (``__iter__``,
    ``__float__`` ...), under the time limit. Returns ``default`` if it raised anything;
    raises :class:`Stop` if it ran out of time (the message names ``what`` was read and
    whose ``methods`` may loop)."""
    try:
        with _time_limit(TIME_LIMIT):
            return read()
    except KeyboardInterrupt:
        raise
    except _OutOfTime:
        raise TimedOut(Verdict(False, f"Reading {what} did not finish in {_limit_text()}: "
                                      f"does {methods} run a loop that never ends?")) from None
    except BaseException:  # noqa: B036 - whatever the learner's object raises
        return default


def plain_text(answer) -> str | None:
    """A str answer (numpy's str_ included) as a plain str; None for anything else."""
    return str.__str__(answer) if isinstance(answer, str) else None


# --- showing values ---------------------------------------------------------------------------


def _show(value, precision: int = 4) -> str:
    """Short, deterministic text for a number or an array."""
    array = np.asarray(value, dtype=float)
    return np.array2string(array, precision=precision, suppress_small=True, threshold=12,
                           separator=", ")


def _show_both(got, expected) -> tuple[str, str]:
    """``got`` and ``expected`` as text, with as many digits as it takes (up to 17) for
    the two to read differently."""
    for precision in (4, 6, 8, 12, 17):
        shown = _show(got, precision), _show(expected, precision)
        if shown[0] != shown[1]:
            return shown
    return shown


def _describe(args: Sequence) -> str:
    return ", ".join(_describe_one(a) for a in args)


def _describe_one(value) -> str:
    if isinstance(value, np.random.Generator):  # its repr holds an address: not shown
        return "rng"
    return _show(value) if np.ndim(value) or isinstance(value, float) else repr(value)


def error_text(error: BaseException, limit: int = 500) -> str:
    """An exception's message, safely (its ``__str__`` is the learner's code too)."""
    try:
        text = str(error)
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: B036 - the learner's __str__ may do anything
        return "(its message cannot be shown)"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def short_repr(value, limit: int = 60) -> str:
    """A one-line repr of a value the learner gave, at most ``limit`` characters; it never
    raises (the value's ``__repr__`` is the learner's code)."""
    if isinstance(value, int) and not isinstance(value, bool) and _digits(value) > 30:
        return f"an int of {_digits(value)} digits"
    try:
        with _time_limit(TIME_LIMIT):
            if isinstance(value, np.ndarray):
                with np.printoptions(threshold=6, edgeitems=2):
                    text = repr(value)
            else:
                text = repr(value)
        if not isinstance(text, str):
            raise TypeError
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: B036 - the learner's __repr__ may do anything
        return f"<a {type(value).__name__} that cannot be shown>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _digits(number: int) -> int:
    """How many decimal digits an int has (Python refuses to print more than 4300)."""
    number = abs(int.__index__(number))  # a plain int, whatever subclass it was
    try:
        return len(str(number))
    except ValueError:  # beyond 4300 digits: from its size in bits, within one digit
        return math.floor(number.bit_length() * math.log10(2)) + 1


def _what(value) -> str:
    """What the learner gave, for a verdict: its type and a short repr."""
    if value is None:
        return "None"
    if value is Ellipsis:
        return "... (Ellipsis)"
    kind = type(value).__name__
    if isinstance(value, int) and not isinstance(value, bool) and _digits(value) > 30:
        too_large = ", too large for a float (they go up to about 1.8e308)" \
            if abs(int.__index__(value)) > sys.float_info.max else ""
        return f"an int of {_digits(value)} digits{too_large}"
    if isinstance(value, np.ndarray):
        kind = f"array of dtype {value.dtype} and shape {value.shape}"
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    return f"{article} {kind}: {short_repr(value)}"


# --- comparing --------------------------------------------------------------------------------


def _as_parts(value, n_parts: int) -> list[np.ndarray]:
    """The checker's own result (a reference's, a mistake's) as a list of float arrays."""
    if n_parts == 1:
        return [np.asarray(value, dtype=float)]
    return [np.asarray(part, dtype=float) for part in value]


def _as_expected(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """A number given as a (1, 1) array or a one-element list reads as that number."""
    return got.reshape(()) if expected.ndim == 0 and got.size == 1 else got


def _matches(got: list, expected: list, rtol: float, atol: float) -> bool:
    return all(_close(_as_expected(g, e), e, rtol, atol)
               for g, e in zip(got, expected, strict=True))


def _close(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> bool:
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol,
                                                            atol=atol))


def _reordered(got: list, expected: list, labels: Sequence[str], rtol: float,
               atol: float) -> str | None:
    """If the right values came back in another order: which order ("db, dw")."""
    if len(got) < 2:
        return None
    for order in itertools.permutations(range(len(got))):
        if list(order) != sorted(order) and _matches([got[i] for i in order], expected,
                                                     rtol, atol):
            returned = [""] * len(got)
            for wanted_at, came_at in enumerate(order):
                returned[came_at] = labels[wanted_at]
            return ", ".join(returned)
    return None


def _shape_hint(got: np.ndarray, expected: np.ndarray) -> str:
    if got.ndim == expected.ndim == 2 and got.shape == expected.shape[::-1]:
        return " It looks transposed: check which axis holds the examples."
    if got.ndim == 0 and expected.ndim > 0 and expected.size:
        for what, value in (("the last of the expected values: return all of them",
                             expected.flat[-1]),
                            ("their sum: sum along one axis, not over everything",
                             expected.sum()),
                            ("their mean: average along one axis, not over everything",
                             expected.mean())):
            if np.isclose(got, value, rtol=1e-6, atol=1e-9):
                return f" Your single number is {what}."
        return f" An array of shape {expected.shape} was expected, not a single number."
    if got.ndim > 0 and expected.ndim == 0 and got.size and np.all(np.isfinite(got)):
        for what, value in (("mean", got.mean()), ("sum", got.sum())):
            if np.isclose(value, expected, rtol=1e-6, atol=1e-9):
                verb = "average" if what == "mean" else "sum"
                return (f" The {what} of your array is the expected number: did you forget "
                        f"to {verb}?")
        return " A single number was expected, not an array."
    if got.size == expected.size:
        return " The numbers may be right but arranged differently: check reshape/axes."
    return ""


def _copies(args: Sequence) -> tuple:
    return tuple(fresh_copy(a) for a in args)


# --- the checks -------------------------------------------------------------------------------


@exercise_check
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
    name = name or name_of(fn)
    outputs = tuple(outputs)
    changed: list[int] = []
    for args in cases:
        verdict = _check_case(fn, reference, args, name, outputs, rtol, atol, changed)
        if verdict is not None:
            return _diagnose(verdict, fn, cases, mistakes, name, outputs, rtol, atol)
    note = _in_place_note(fn, name, changed) if changed else ""
    return Verdict(True, f"Correct! {name} passed all {len(cases)} test cases.{note}")


def _diagnose(verdict: Verdict, fn, cases, mistakes, name, outputs, rtol, atol) -> Verdict:
    """Name the typical mistake whose outputs equal the learner's on *every* case."""
    if not isinstance(verdict, _WrongResult) or not mistakes:
        return Verdict(False, verdict.message)  # not implemented, raised...: already specific
    n_parts = max(len(outputs), 1)
    try:  # the learner's outputs on every case, once
        got = []
        for args in cases:
            where = describe_call(name, args)
            got.append(learner_parts(call_learner(fn, args, name=name, where=where),
                                     name=name, where=where, outputs=outputs))
    except Exception:
        return Verdict(False, verdict.message)
    for mistake in mistakes:
        try:
            if all(_matches(g, _as_parts(mistake.compute(*_copies(args)), n_parts), rtol, atol)
                   for g, args in zip(got, cases, strict=True)):
                return Verdict(False, f"{verdict.message} {mistake.message}")
        except Exception:
            continue
    return Verdict(False, verdict.message)


class _WrongResult(Verdict):
    """A verdict that only says "wrong value" or "wrong shape": a typical mistake may
    explain it."""


def _check_case(fn, reference, args, name, outputs, rtol, atol,
                changed: list[int] | None = None) -> Verdict | None:
    """None if ``fn`` is right on this case, otherwise the verdict that explains why (the
    arguments it changed in place go into ``changed``)."""
    where = describe_call(name, args)
    try:
        result = call_learner(fn, args, name=name, where=where, changed=changed)
        got = learner_parts(result, name=name, where=where, outputs=outputs)
    except Exception as error:  # the learner's: Stop, or what its code raised
        return raised_verdict(error, name, where)
    expected = _as_parts(reference(*_copies(args)), max(len(outputs), 1))
    labels = outputs or ("the result",)
    got = [_as_expected(g, e) for g, e in zip(got, expected, strict=True)]
    if not _matches(got, expected, rtol, atol):
        order = _reordered(got, expected, labels, rtol, atol)
        if order is not None:
            return _WrongResult(False, f"{where}: the values are right, but you returned "
                                       f"them in the order {order}; return "
                                       f"{', '.join(labels)}.")
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
    shown, wanted = _show_both(g, e)
    return _WrongResult(False, f"{where}: {label} is {shown}, expected {wanted}.")


@exercise_check
def check_value(answer, expected, *, name: str = "your answer",
                mistakes: Sequence[tuple[object, str]] = (), rtol: float = 1e-6) -> Verdict:
    """Check a number or a tuple/array of numbers; ``mistakes`` are (wrong value, message)."""
    if answer is None or answer is Ellipsis:
        return Verdict(False, f"{name} is not filled in yet: replace the ... with your answer.")
    got = answer_floats(answer, name)
    wanted = np.asarray(expected, dtype=float)

    def same(a, b) -> bool:
        b = np.asarray(b, dtype=float)
        a = _as_expected(a, b)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=0))

    if same(got, wanted):
        return Verdict(True, f"Correct! {name} = {_show(got)}.")
    for wrong, message in mistakes:
        if same(got, wrong):
            return Verdict(False, f"{name} = {_show(got)} is not right. {message}")
    return Verdict(False, f"{name} = {_show(got)} is not right; try again.")


@exercise_check
def check_choice(answer, expected, *, name: str = "your answer",
                 explanations: dict[str, str] | None = None) -> Verdict:
    """Check a choice among words (case and spaces ignored).

    ``explanations`` maps a wrong choice to what to tell the learner who picked it.
    """
    text = plain_text(answer)
    if answer is None or answer is Ellipsis or text == "":
        return Verdict(False, f"{name} is not filled in yet.")
    if text is None:
        return Verdict(False, f"{name} should be a string such as {expected!r}, not "
                              f"{_what(answer)}.")
    normal = text.strip().lower()
    if normal == expected.strip().lower():
        return Verdict(True, f"Correct! {name} = {expected!r}.")
    for wrong, message in (explanations or {}).items():
        if normal == wrong.strip().lower():
            return Verdict(False, f"{name} = {text!r} is not right. {message}")
    return Verdict(False, f"{name} = {text!r} is not right; try again.")
