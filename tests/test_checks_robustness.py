"""An exercise check never raises, never blames itself for what the learner's code did,
and cannot be changed by the learner's code (issue 13, part 5).

Every check of every notebook module (found from each module's ``__all__``), and the
engine's own ``check_function``, ``check_value`` and ``check_choice``, gets a battery of
garbage: functions that raise every kind of exception, loop for ever, return None,
strings, arrays of strings, 10**400, NaN, objects whose special methods raise, ragged
lists, generators..., functions that change their inputs in place; and, for the checks
that take an answer rather than a function, the same garbage as answers. Each must come
back as a failed :class:`Verdict` that does not say "The checker could not finish ...
Please report this" (that is kept for the checker's own bugs). After all of it, every
check still passes the right answers of the other tests (tests/test_checks_*.py) and
gives the typical mistakes they feed it the same diagnoses, word for word.
"""

from __future__ import annotations

import copy
import decimal
import importlib
import inspect
import pkgutil
import signal
import threading
import time
from collections.abc import Callable

import numpy as np
import pytest
import test_checks as engine_tests
import test_checks_batch_norm as batch_norm_tests
import test_checks_deep_networks as deep_networks_tests
import test_checks_gradient_descent as gradient_descent_tests
import test_checks_hyperparameter_search as hyperparameters_tests
import test_checks_logistic_regression as logistic_regression_tests
import test_checks_piecewise_fitting as piecewise_tests
import test_checks_softmax_regression as softmax_tests
import test_checks_welcome as welcome_tests

import helpers.checks as package
from helpers import linear
from helpers.checks import engine

MODULES = [importlib.import_module(f"helpers.checks.{info.name}")
           for info in pkgutil.iter_modules(package.__path__) if info.name != "engine"]

LIMIT = 0.02          # the engine's time limit in the battery, seconds
ENDLESS = 6.0         # how long "endless" code runs before it gives up (a broken limit)
NOT_STOPPED = "the time limit did not stop it"


# --- the checks, and what the other tests say about them ----------------------------------


def example_check_function(fn):
    """The engine's check_function on a small exercise of its own (two outputs)."""
    return engine.check_function(
        fn, lambda x, k: (x * k, x.sum()), [(np.arange(4.0), 2), (np.ones((2, 3)), -1)],
        outputs=("scaled", "total"), name="example",
        mistakes=[engine.Mistake("Multiply, don't add.", lambda x, k: (x + k, x.sum()))])


def example_check_value(answer):
    return engine.check_value(answer, 1_000_000, mistakes=[(300, "Multiply, don't add.")])


def example_check_choice(answer):
    return engine.check_choice(answer, "regression",
                               explanations={"classification": "A number, not a class."})


CHECKS: dict[str, Callable] = {name: getattr(module, name) for module in MODULES
                               for name in module.__all__}
CHECKS.update({"check_function": example_check_function, "check_value": example_check_value,
               "check_choice": example_check_choice})


def takes_a_function(check) -> bool:
    return list(inspect.signature(check).parameters) == ["fn"]


def _rows(test) -> tuple[list[str], list[tuple]]:
    """The argument names and rows of a test's ``@pytest.mark.parametrize``."""
    mark = next(m for m in test.pytestmark if m.name == "parametrize")
    names = mark.args[0]
    names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
    rows = [tuple(getattr(row, "values", row)) if len(names) > 1 else
            tuple(getattr(row, "values", (row,))) for row in mark.args[1]]
    return names, rows


def from_tests(*tests, spread=False) -> tuple[list[tuple], list[tuple[tuple, str]]]:
    """(right answers, [(wrong answer, words of its diagnosis)]) from parametrized tests:
    a row whose words are None is a right answer. Answers become argument tuples
    (``spread``: the answer already is one, as for check_task_kinds)."""
    rights, mistakes = [], []
    for test in tests:
        names, rows = _rows(test)
        for row in rows:
            answer = row[0]
            args = tuple(answer) if spread else (answer,)
            if len(names) == 1 or row[-1] is None:
                rights.append(args)
            else:
                mistakes.append((args, row[-1]))
    return rights, mistakes


def fns(*answers) -> list[tuple]:
    return [(answer,) for answer in answers]


def _join(first, second):
    return first[0] + second[0], first[1] + second[1]


def _lag_rows(series, k):
    X, y = linear.lag_features(series, k)
    return X.T, y


def _lag_oldest_first(series, k):
    X, y = linear.lag_features(series, k)
    return X[::-1], y


W, G, P = welcome_tests, gradient_descent_tests, piecewise_tests
LR, D, H = logistic_regression_tests, deep_networks_tests, hyperparameters_tests
B, S, E = batch_norm_tests, softmax_tests, engine_tests

KNOWN: dict[str, tuple[list[tuple], list[tuple[tuple, str]]]] = {
    # 00 welcome
    "check_task_kinds": (
        [("regression", "classification", "structured learning"), ("回归", "分类", "结构化学习")],
        from_tests(W.test_task_kinds_explains_each_wrong_choice, spread=True)[1]),
    "check_notation_shapes": ([((5, 100), (100,))],
                              [(((100, 5), (100,)), "one COLUMN per example")]),
    "check_X_shape": _join(([((5, 100),), ([5, 100],)], []),
                           _join(from_tests(W.test_X_shape_mistakes),
                                 from_tests(W.test_X_shape_unusable_answers))),
    "check_y_shape": ([((100,),), (100,)], [(((1, 100),), "1-D array of shape (m,)"),
                                           (((100, 1),), "other libraries' layout")]),
    "check_feature_means": (fns(lambda X: np.mean(X, axis=1)),
                            from_tests(W.test_feature_means_typical_mistakes)[1]),
    "check_line_through_points": ([((-2, 4),)],
                                  from_tests(W.test_line_through_points_mistakes)[1]),
    # 01 linear regression
    "check_mse": from_tests(E.test_check_mse),
    "check_mae": from_tests(E.test_check_mae),
    "check_predict": from_tests(E.test_check_predict),
    "check_grid_evaluations": from_tests(E.test_check_grid_evaluations),
    "check_lag_features": (fns(linear.lag_features), [((_lag_rows,), "transposed"),
                                                      ((_lag_oldest_first,), "opposite order")]),
    # 02 gradient descent
    "check_gradient": from_tests(G.test_gradient_correct, G.test_gradient_typical_mistakes),
    "check_descent_step": (fns(lambda w, b, dw, db, lr: (w - lr * dw, b - lr * db)),
                           from_tests(G.test_descent_step_typical_mistakes)[1]),
    "check_steps_per_epoch": from_tests(G.test_steps_per_epoch_correct,
                                        G.test_steps_per_epoch_typical_mistakes),
    "check_ema": (fns(G.ema), from_tests(G.test_ema_typical_mistakes)[1]),
    "check_one_epoch": from_tests(G.test_one_epoch_correct, G.test_one_epoch_typical_mistakes),
    "check_bias_correction": (
        fns(lambda v, beta: v / (1 - beta ** np.arange(1, v.size + 1))),
        from_tests(G.test_bias_correction_typical_mistakes)[1]),
    # 03 piecewise
    "check_sigmoid": from_tests(P.test_sigmoid_correct, P.test_sigmoid_typical_mistakes),
    "check_relu_piece": from_tests(P.test_relu_piece_correct,
                                   P.test_relu_piece_typical_mistakes),
    "check_sigmoid_derivative": from_tests(P.test_sigmoid_derivative_correct,
                                           P.test_sigmoid_derivative_typical_mistakes),
    "check_units_forward": from_tests(P.test_units_forward_correct,
                                      P.test_units_forward_typical_mistakes),
    "check_collapse": from_tests(P.test_collapse_correct, P.test_collapse_typical_mistakes),
    # 04 logistic regression
    "check_logistic_forward": from_tests(LR.test_forward_correct,
                                         LR.test_forward_typical_mistakes),
    "check_logistic_cost": from_tests(LR.test_cost_correct, LR.test_cost_typical_mistakes),
    "check_logistic_propagate": from_tests(LR.test_propagate_correct,
                                           LR.test_propagate_typical_mistakes),
    "check_logistic_predict": from_tests(LR.test_predict_correct,
                                         LR.test_predict_typical_mistakes),
    "check_logistic_optimize": from_tests(LR.test_optimize_correct,
                                          LR.test_optimize_typical_mistakes),
    # 05 deep networks
    "check_n_parameters": from_tests(D.test_n_parameters_correct,
                                     D.test_n_parameters_typical_mistakes),
    "check_two_layer_forward": from_tests(D.test_two_layer_forward_correct,
                                          D.test_two_layer_forward_typical_mistakes),
    "check_relu_backward": from_tests(D.test_relu_backward_correct,
                                      D.test_relu_backward_typical_mistakes),
    "check_dense_backward": from_tests(D.test_dense_backward_correct,
                                       D.test_dense_backward_typical_mistakes),
    "check_numerical_gradient": from_tests(D.test_numerical_gradient_correct,
                                           D.test_numerical_gradient_typical_mistakes),
    "check_two_layer_backward": from_tests(D.test_two_layer_backward_correct,
                                           D.test_two_layer_backward_typical_mistakes),
    # 06 hyperparameters
    "check_random_search": from_tests(H.test_random_search_correct,
                                      H.test_random_search_typical_mistakes),
    "check_sample_learning_rates": from_tests(H.test_sample_learning_rates_correct,
                                              H.test_sample_learning_rates_typical_mistakes),
    "check_sample_betas": from_tests(H.test_sample_betas_correct,
                                     H.test_sample_betas_typical_mistakes),
    "check_zoom": from_tests(H.test_zoom_correct, H.test_zoom_typical_mistakes),
    # 07 batch normalisation
    "check_batch_norm_forward": from_tests(B.test_batch_norm_forward_correct,
                                           B.test_batch_norm_forward_typical_mistakes),
    "check_batch_norm_eval_forward": from_tests(B.test_batch_norm_eval_forward_correct,
                                                B.test_batch_norm_eval_forward_typical_mistakes),
    "check_identity_gamma_beta": from_tests(B.test_identity_gamma_beta_correct,
                                            B.test_identity_gamma_beta_typical_mistakes),
    "check_batch_norm_param_backward": from_tests(B.test_param_backward_correct,
                                                  B.test_param_backward_typical_mistakes),
    "check_update_running": from_tests(B.test_update_running_correct,
                                       B.test_update_running_typical_mistakes),
    # 08 softmax
    "check_softmax": from_tests(S.test_softmax_correct, S.test_softmax_typical_mistakes),
    "check_one_hot": from_tests(S.test_one_hot_correct, S.test_one_hot_typical_mistakes),
    "check_softmax_cost": from_tests(S.test_softmax_cost_correct,
                                     S.test_softmax_cost_typical_mistakes),
    "check_softmax_backward": from_tests(S.test_softmax_backward_correct,
                                         S.test_softmax_backward_typical_mistakes),
    "check_confusion_matrix": from_tests(S.test_confusion_matrix_correct,
                                         S.test_confusion_matrix_typical_mistakes),
    # the engine
    "check_function": (fns(lambda x, k: (x * k, np.sum(x))),
                       [((lambda x, k: (x + k, np.sum(x)),), "Multiply, don't add."),
                        ((lambda x, k: (x * k, np.mean(x)),), "total is")]),
    "check_value": ([(100**3,), (1e6,)], [((300,), "Multiply"), ((7,), "try again")]),
    "check_choice": ([(" Regression",), ("regression",)],
                     [(("classification",), "A number, not a class."), (("x",), "try again")]),
}


def test_every_check_is_known_here():
    """A new check needs its right answers and typical mistakes in KNOWN above."""
    assert sorted(KNOWN) == sorted(CHECKS)
    for name, (rights, mistakes) in KNOWN.items():
        assert rights, f"{name}: no right answer"
        assert mistakes, f"{name}: no typical mistake"


# --- garbage ---------------------------------------------------------------------------------


def _refusing(*methods: str, error: type[BaseException] = RuntimeError):
    """An object whose ``methods`` all raise ``error``."""
    def refuse(self, *args, **kwargs):
        raise error(f"{type(self).__name__} refuses")

    name = "Refuses" + "".join(m.strip("_").title() for m in methods)
    return type(name, (), dict.fromkeys(methods, refuse))()


class _Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("this exception cannot be printed")


class _NotAnException(BaseException):
    """A BaseException that is not an Exception (as SystemExit and GeneratorExit)."""


class _LiarSequence:
    """Says it holds 2 items, raises when asked for one."""

    def __len__(self):
        return 2

    def __getitem__(self, index):
        raise IndexError("no items after all")


class _ArrayLies:
    def __array__(self, dtype=None, copy=None):
        return "not an array"


class _AttributesRaise:
    def __getattr__(self, name):
        raise RuntimeError(f"no attribute {name} for you")


class _InterfaceRaises:
    @property
    def __array_interface__(self):
        raise RuntimeError("no interface")


class _SlowFloat:
    """Its __float__ takes 'for ever' (until ENDLESS seconds have passed)."""

    def __float__(self):
        end = time.monotonic() + ENDLESS
        while time.monotonic() < end:
            pass
        raise AssertionError(NOT_STOPPED)


class _UnprintableInt(int):
    def __repr__(self):
        raise RuntimeError("no repr")

    __str__ = __repr__


def _generator():
    yield from (1.0, 2.0, 3.0)


def garbage_values() -> list[tuple[str, object]]:
    """(label, value) pairs: what a learner might hand over instead of numbers. Fresh
    objects on every call (generators are used up)."""
    return [
        ("None", None), ("Ellipsis", ...), ("NotImplemented", NotImplemented),
        ("True", True), ("empty string", ""), ("string", "abc"), ("blank string", "   "),
        ("numeric string", "0.5"), ("bytes", b"abc"), ("numpy string", np.str_("abc")),
        ("numpy bytes", np.bytes_(b"abc")),
        ("array of strings", np.array(["a", "b", "c"])),
        ("2-D array of strings", np.array([["a", "b"], ["c", "d"]])),
        ("array of numeric strings", np.array(["1", "2"])),
        ("10**400", 10**400), ("-10**400", -10**400), ("10**5000", 10**5000),
        ("huge tuple", (10**400, 10**400)), ("unprintable int", _UnprintableInt(3)),
        ("nan", float("nan")), ("inf", float("inf")), ("-inf", -np.inf),
        ("numpy nan", np.float64("nan")), ("nan array", np.full(3, np.nan)),
        ("nan matrix", np.full((3, 3), np.nan)), ("inf array", np.array([np.inf, -np.inf])),
        ("complex", 1 + 2j), ("complex array", np.array([1 + 1j, 2 - 1j])),
        ("decimal 1e999", decimal.Decimal("1e999")), ("decimal nan", decimal.Decimal("NaN")),
        ("empty list", []), ("empty tuple", ()), ("empty array", np.empty(0)),
        ("empty matrix", np.empty((3, 0))), ("ragged list", [[1.0, 2.0], [3.0]]),
        ("ragged tuple", ((1, 2), (3,))), ("mixed list", [1.0, "a"]), ("list of None", [None]),
        ("tuple of None", (None, None)), ("triple of None", (None, None, None)),
        ("tuple of Ellipsis", (..., ...)), ("tuple of strings", ("a", "b")),
        ("triple of strings", ("a", "b", "c")), ("object array", np.array([None, 1.0])),
        ("dict", {"a": 1}), ("empty dict", {}), ("set", {1, 2}), ("object", object()),
        ("range", range(3)), ("generator", _generator()), ("slice", slice(1, 2)),
        ("module", np), ("function", print), ("class", float), ("exception", ValueError("x")),
        ("datetime", np.datetime64("2024-01-01")),
        ("datetime array", np.array(["2024-01-01"], dtype="datetime64[D]")),
        ("__float__ raises", _refusing("__float__")),
        ("__float__ and __index__ raise", _refusing("__float__", "__index__", "__int__")),
        ("__array__ raises", _refusing("__array__")),
        ("__array__ lies", _ArrayLies()), ("__array_interface__ raises", _InterfaceRaises()),
        ("every attribute raises", _AttributesRaise()),
        ("__eq__ and __bool__ raise", _refusing("__eq__", "__ne__", "__bool__")),
        ("__len__ raises", _refusing("__len__", "__getitem__")),
        ("__iter__ raises", _refusing("__iter__")), ("lying sequence", _LiarSequence()),
        ("__repr__ and __str__ raise", _refusing("__repr__", "__str__")),
        ("__hash__ raises", _refusing("__hash__")),
        ("pair of refusers", (_refusing("__float__"), _refusing("__array__"))),
        ("triple of refusers", (_refusing("__float__"),) * 3),
        ("list with a refuser", [_refusing("__float__"), 1.0]),
        ("slow __float__", _SlowFloat()),
    ]


def _raising(factory):
    def fn(*args):
        raise factory()
    return fn


def _recurse(*args):
    return _recurse(*args)


def _endless(*args):
    end = time.monotonic() + ENDLESS
    while time.monotonic() < end:
        pass
    return NOT_STOPPED


def _endless_swallowing(*args):
    """An endless loop that swallows every Exception on its way."""
    end = time.monotonic() + ENDLESS
    while time.monotonic() < end:
        try:
            float("x")
        except Exception:
            pass
    return NOT_STOPPED


def _returns_a_generator(*args):
    yield from args


EXCEPTIONS = [
    ValueError, TypeError, ZeroDivisionError, IndexError, lambda: KeyError("k"), AttributeError,
    NameError, AssertionError, RecursionError, MemoryError, OverflowError, FloatingPointError,
    StopIteration, RuntimeError, LookupError, OSError, ImportError, np.linalg.LinAlgError,
    RuntimeWarning, lambda: UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad byte"),
    lambda: ValueError("The truth value of an array with more than one element is ambiguous"),
    lambda: TypeError("'axis' must be an integer"), lambda: ValueError("matmul: mismatch"),
    _Unprintable, lambda: ValueError("x" * 1_000_000), lambda: SystemExit(1),
    lambda: SystemExit("bye"), GeneratorExit, _NotAnException,
]


def _each_array(args, action):
    """Apply ``action`` to every ndarray among ``args`` (nested in lists, tuples, dicts too),
    whatever it raises."""
    for value in args:
        if isinstance(value, np.ndarray):
            try:
                action(value)
            except Exception:
                pass
        elif isinstance(value, (list, tuple)):
            _each_array(value, action)
        elif isinstance(value, dict):
            _each_array(value.values(), action)


def _subtract_max(a):
    a -= a.max()


def _zero(a):
    a[...] = 0


def _sort(a):
    a.sort(axis=None) if a.ndim == 1 else a.sort()


def _negate(a):
    np.negative(a, out=a)


def _flatten_in_place(a):
    a.shape = (-1,)


def _through_the_base(a):
    if a.base is not None and isinstance(a.base, np.ndarray):
        a.base[...] = 7


def _everything_else(args):
    """Lists, dicts, generators and callables among the inputs, changed in place."""
    for value in args:
        if isinstance(value, list):
            value.append(value[0] if value else 1)
            value.reverse()
        elif isinstance(value, dict):
            value.clear()
        elif isinstance(value, np.random.Generator):
            value.random(1000)
        elif callable(value) and not isinstance(value, type):
            for attribute in ("f", "text", "__call__"):
                try:
                    setattr(value, attribute, lambda *a: 0.0)
                except Exception:
                    pass


def _mutator(action):
    def fn(*args):
        if action is _everything_else:
            _everything_else(args)
        else:
            _each_array(args, action)
        return args[0] if args else None
    fn.__name__ = f"mutates_{action.__name__.strip('_')}"
    return fn


MUTATORS = [_mutator(action) for action in (_subtract_max, _zero, _sort, _negate,
                                            _flatten_in_place, _through_the_base,
                                            _everything_else)]


def _mutating_right(right):
    """A right answer that, after computing its result, spoils every input it was given."""
    def fn(*args):
        result = copy.deepcopy(right(*args))  # not a view of an input it then spoils
        for action in (_subtract_max, _sort, _zero):
            _each_array(args, action)
        _everything_else(args)
        return result
    return fn


def _raises_label(error: BaseException) -> str:
    said = f"({error.args[0]!r:.30})" if error.args and not isinstance(error, _Unprintable) \
        else ""
    return f"raises {type(error).__name__}{said}"


def function_garbage() -> list[tuple[str, Callable | object]]:
    """(label, what is given to a check that expects a function)."""
    battery = [(_raises_label(f()), _raising(f)) for f in EXCEPTIONS]
    battery += [("recurses for ever", _recurse), ("endless loop", _endless),
                ("endless loop swallowing errors", _endless_swallowing),
                ("is a generator function", _returns_a_generator),
                ("returns its own inputs", lambda *args: args),
                ("returns None", lambda *args: None)]
    for label, value in garbage_values():
        battery.append((f"returns {label}", lambda *args, v=value: v))
        battery.append((f"returns a pair of {label}", lambda *args, v=value: (v, v)))
        battery.append((f"returns a triple of {label}", lambda *args, v=value: (v, v, v)))
    battery += [(f"is {label}, not a function", value) for label, value in garbage_values()
                if not callable(value)]
    battery += [(m.__name__, m) for m in MUTATORS]
    return battery


def answer_garbage(check) -> list[tuple[str, tuple]]:
    """(label, arguments) for a check that takes answers: each garbage value in each place,
    the others right, and garbage everywhere."""
    right = KNOWN[_name(check)][0][0]
    battery = []
    for label, value in garbage_values():
        for i in range(len(right)):
            battery.append((f"{label} as answer {i}", right[:i] + (value,) + right[i + 1:]))
        if len(right) > 1:
            battery.append((f"{label} everywhere", (value,) * len(right)))
    return battery


def _name(check) -> str:
    return next(name for name, c in CHECKS.items() if c is check)


def battery(check) -> list[tuple[str, tuple]]:
    """(label, arguments) of every garbage call for ``check``."""
    if takes_a_function(check):
        return [(label, (fn,)) for label, fn in function_garbage()]
    return answer_garbage(check)


def problem(check, args, label) -> str | None:
    """What is wrong with how ``check(*args)`` handled garbage, or None."""
    started = time.monotonic()
    try:
        verdict = check(*args)
    except BaseException as error:  # noqa: B036 - that is what is tested
        try:
            text = str(error)[:200]
        except Exception:
            text = "?"
        return f"{label}: RAISED {type(error).__name__}: {text}"
    took = time.monotonic() - started
    if not isinstance(verdict, engine.Verdict):
        return f"{label}: returned {type(verdict).__name__}, not a Verdict"
    message = verdict.message
    if verdict.passed:
        return f"{label}: PASSED: {message[:200]}"
    if "could not finish" in message or "Please report" in message:
        return f"{label}: BLAMED ITSELF: {message[:200]}"
    if took > ENDLESS * 2 / 3:
        return f"{label}: NOT STOPPED, took {took:.1f} s: {message[:200]}"
    if label.startswith("endless") and "did not finish" not in message:
        return f"{label}: TIME LIMIT NOT SAID: {message[:200]}"
    return None


@pytest.fixture
def short_limit(monkeypatch):
    monkeypatch.setattr(engine, "TIME_LIMIT", LIMIT, raising=False)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_garbage_gets_a_verdict(name, short_limit):
    """Never raises, never passes, never blames the checker: every garbage call."""
    check = CHECKS[name]
    calls = battery(check)
    problems = [p for label, args in calls if (p := problem(check, args, label))]
    assert not problems, f"{len(problems)} of {len(calls)} garbage calls:\n" + "\n".join(problems)


# --- the learner's code cannot change a check ------------------------------------------------


def _state(value, depth=0):
    """A comparable deep copy of a module global: arrays, lists, tuples, dicts, and the
    attributes of other objects in them."""
    if depth > 6:
        return None
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.dtype.str, value.tobytes())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_state(v, depth + 1) for v in value])
    if isinstance(value, dict):
        return ("dict", sorted((repr(k), _state(v, depth + 1)) for k, v in value.items()))
    if isinstance(value, (int, float, str, bytes, bool, type(None))):
        return value
    if hasattr(value, "__dict__") and not inspect.isroutine(value) and not inspect.isclass(
            value) and not inspect.ismodule(value):
        return (type(value).__name__, {k: (v if callable(v) else _state(v, depth + 1))
                                       for k, v in vars(value).items()})
    return ("id", id(value))


def module_state() -> dict[str, object]:
    return {f"{module.__name__}.{name}": _state(value) for module in MODULES
            for name, value in vars(module).items()
            if not name.startswith("__") and isinstance(value, (np.ndarray, list, tuple, dict))}


PRISTINE = module_state()  # taken when the tests are collected, before any check ran


def diagnoses() -> dict[str, list[str]]:
    """Every check's verdicts on its right answers and typical mistakes."""
    found = {}
    with np.errstate(all="ignore"):
        for name, (rights, mistakes) in KNOWN.items():
            found[name] = [repr(CHECKS[name](*args)) for args in rights] + \
                          [repr(CHECKS[name](*args)) for args, _ in mistakes]
    return found


def assert_diagnoses_right(found: dict[str, list[str]]):
    wrong = []
    for name, (rights, mistakes) in KNOWN.items():
        verdicts = found[name]
        for verdict in verdicts[:len(rights)]:
            if not verdict.startswith("✓ "):
                wrong.append(f"{name}: a right answer failed: {verdict[:300]}")
        for verdict, (_, words) in zip(verdicts[len(rights):], mistakes, strict=True):
            if verdict.startswith("✓ ") or words not in verdict:
                wrong.append(f"{name}: {words!r} not said: {verdict[:300]}")
    assert not wrong, "\n".join(wrong)


def test_the_learners_code_cannot_change_the_checks():
    """Answers that change their inputs in place (``Z -= Z.max(...)``, ``a[...] = 0``,
    ``a.sort()``, ``sizes.append(...)``, ...) leave every check's own cases as they were:
    afterwards, every check still passes its right answers and says word for word what it
    said before about the typical mistakes."""
    before = diagnoses()
    function_checks = [check for check in CHECKS.values() if takes_a_function(check)]
    with np.errstate(all="ignore"):
        for check in function_checks:
            for mutator in MUTATORS:
                check(mutator)
        for name, (rights, _) in KNOWN.items():
            if takes_a_function(CHECKS[name]):
                for (right,) in rights:
                    check = CHECKS[name]
                    verdict = check(_mutating_right(right))
                    assert verdict.passed, f"{name}: a right answer that then spoils its " \
                                           f"inputs failed: {verdict.message}"
    changed = [name for name, state in module_state().items() if state != PRISTINE.get(name)]
    assert not changed, f"the learner's code changed the checks' own data: {changed}"
    after = diagnoses()
    assert_diagnoses_right(after)
    assert after == before


def test_the_checks_own_arrays_are_read_only():
    """A second line of defence: the module-level arrays of the cases cannot be written."""
    writeable = []

    def visit(value, where):
        if isinstance(value, np.ndarray) and value.flags.writeable:
            writeable.append(where)
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                visit(item, f"{where}[{i}]")

    for module in MODULES:
        for name, value in vars(module).items():
            if not name.startswith("__"):
                visit(value, f"{module.__name__}.{name}")
    assert not writeable, writeable


# --- the time limit ---------------------------------------------------------------------------


def test_an_endless_loop_is_stopped_and_the_verdict_says_so(monkeypatch):
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.2, raising=False)
    started = time.monotonic()
    verdict = CHECKS["check_mse"](_endless)
    assert time.monotonic() - started < 2.0
    assert not verdict.passed
    assert "did not finish in 0.2 s" in verdict.message
    assert "loop that never ends" in verdict.message


def test_the_time_limit_is_10_seconds_by_default():
    assert engine.TIME_LIMIT == 10


def test_an_endless_loop_that_swallows_errors_is_stopped_too(monkeypatch):
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.1, raising=False)
    verdict = CHECKS["check_sigmoid"](_endless_swallowing)
    assert not verdict.passed and "did not finish" in verdict.message


def test_an_endless_loop_that_swallows_everything_is_stopped_by_the_repeated_alarm(
        monkeypatch):
    """A bare ``except:`` swallows the first alarm; the alarm repeats until one lands
    outside the ``try``."""
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.1, raising=False)

    def swallows_everything(y, y_hat):
        end = time.monotonic() + ENDLESS
        while time.monotonic() < end:
            try:
                float("x")
            except BaseException:  # noqa: B036 - the learner's code, not ours
                pass
        return NOT_STOPPED

    started = time.monotonic()
    verdict = CHECKS["check_mse"](swallows_everything)
    assert time.monotonic() - started < ENDLESS / 2
    assert not verdict.passed and "did not finish in 0.1 s" in verdict.message


def test_the_previous_alarm_handler_and_timer_are_put_back(monkeypatch):
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.1, raising=False)
    calls = []

    def previous(signum, frame):
        calls.append(signum)

    old = signal.signal(signal.SIGALRM, previous)
    signal.setitimer(signal.ITIMER_REAL, 50.0)
    try:
        verdict = CHECKS["check_relu_piece"](_endless)
        assert "did not finish" in verdict.message
        assert CHECKS["check_mse"](lambda y, y_hat: np.mean((y - y_hat) ** 2)).passed
        assert signal.getsignal(signal.SIGALRM) is previous
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 45.0 < remaining <= 50.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert not calls


def test_no_alarm_outlives_the_limit(monkeypatch):
    """An alarm that arrives on the way out of the limit (at the start of its tidying up,
    or a few microseconds after the timer was stopped) is let go. Before, one that hit
    the start of ``finally`` left the repeating timer and its handler in place, and a stray
    _OutOfTime later broke out of unrelated code (it ended a pytest-xdist worker in CI).
    Alarms every 20 µs make the way out meet one many times over."""
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.001, raising=False)
    monkeypatch.setattr(engine, "_REPEAT", 2e-5, raising=False)

    def near_the_limit(*args):
        end = time.monotonic() + 0.001
        while time.monotonic() < end:
            pass
        return 1.0

    class SlowFloat:
        def __float__(self):
            return near_the_limit()

    calls = [lambda: engine.call_learner(_endless_swallowing, (1.0,)),
             lambda: engine.call_learner(near_the_limit, (1.0,)),
             lambda: engine.answer_floats(SlowFloat(), "x"),
             lambda: engine.answer_floats(_SlowFloat(), "x")]
    strays = []
    for _ in range(60):
        for call in calls:
            try:
                try:
                    call()
                except engine.Stop:
                    pass
                end = time.monotonic() + 0.001  # where a stray alarm would land
                while time.monotonic() < end:
                    pass
            except BaseException as error:  # noqa: B036 - what is looked for
                strays.append(repr(error))
    assert not strays, f"{len(strays)} alarms outlived the limit: {strays[:3]}"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert not engine._Limit.active and not engine._Limit.armed


def test_no_limit_outside_the_main_thread(monkeypatch):
    """Signals only reach the main thread: elsewhere a check runs without a limit (and
    does not fail for trying)."""
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.05, raising=False)

    def slow_mse(y, y_hat):
        time.sleep(0.1)
        return np.mean((y - y_hat) ** 2)

    verdicts = []
    thread = threading.Thread(target=lambda: verdicts.append(CHECKS["check_mse"](slow_mse)))
    thread.start()
    thread.join()
    assert verdicts and verdicts[0].passed, verdicts


def test_no_limit_where_the_platform_has_no_setitimer(monkeypatch):
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.05, raising=False)
    monkeypatch.delattr(signal, "setitimer")

    def slow_mse(y, y_hat):
        time.sleep(0.1)
        return np.mean((y - y_hat) ** 2)

    assert CHECKS["check_mse"](slow_mse).passed


def test_interrupting_the_kernel_still_interrupts():
    """The learner's stop button (KeyboardInterrupt) is not turned into a verdict."""
    def interrupted(y, y_hat):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        CHECKS["check_mse"](interrupted)


# --- what a verdict shows ------------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [
    ("abc", "str"), (np.array(["a", "b"]), "<U1"), ({"a": 1}, "dict"), (10**400, "401 digits"),
    (_refusing("__float__"), "RefusesFloat"), (_refusing("__array__"), "RefusesArray"),
], ids=["str", "array of str", "dict", "10**400", "__float__ raises", "__array__ raises"])
def test_the_verdict_shows_what_came_back(value, shown):
    verdict = CHECKS["check_mse"](lambda y, y_hat: value)
    assert not verdict.passed and shown in verdict.message, verdict.message
    verdict = example_check_value(value)
    assert not verdict.passed and shown in verdict.message, verdict.message


def test_the_checker_still_owns_its_own_bugs():
    verdict = engine.check_function(lambda x: x, lambda x: 1 / 0, [(1.0,)])
    assert not verdict.passed and "could not finish" in verdict.message
    assert "Please report this" in verdict.message


def test_marks_render_everywhere():
    assert repr(engine.Verdict(True, "fine")) == "✓ fine"
    assert repr(engine.Verdict(False, "wrong")) == "✗ wrong"
    assert "✓" in engine.Verdict(True, "x")._repr_html_()
    assert "✗" in engine.Verdict(False, "x")._repr_html_()


def test_a_generator_argument_is_a_fresh_equivalent_copy():
    rng = np.random.default_rng(3)
    expected = np.random.default_rng(3).random(3)
    got = engine.call_learner(lambda r: r.random(3), (rng,))
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(rng.random(3), expected)  # the check's own is untouched


def test_arguments_are_deep_copies_and_callables_pass_through():
    nested = ([np.zeros(2)], {"a": np.ones(2)}, (np.arange(3.0),))

    def spoil(listed, mapping, tupled, f):
        listed[0][:] = 5
        listed.append(1)
        mapping["a"][:] = 5
        tupled[0][:] = 5
        return f

    state = copy.deepcopy(nested)
    assert engine.call_learner(spoil, (*nested, np.sum)) is np.sum
    np.testing.assert_array_equal(nested[0][0], state[0][0])
    assert len(nested[0]) == 1
    np.testing.assert_array_equal(nested[1]["a"], state[1]["a"])
    np.testing.assert_array_equal(nested[2][0], state[2][0])
