"""Bad input gets the course's own clear error: every public function of ``helpers``,
driven with generated bad arguments (issue 13, part 4).

Every public callable of every module (functions, classes and their public methods) is
found by introspection and must have an entry in :data:`CASES`, a small and fast valid
call, unless :func:`exemption` explains why it cannot get a bad argument. For each
parameter in turn the valid call is repeated with bad values suited to it (wrong shape,
empty, NaN, inf, None, a string, 0 and negative counts and rates, a non-bool flag, an
endless iterator, a wrong type). Each bad call must either

* raise :class:`helpers.validate.InputError` whose message names the parameter (or one of
  the documented domain errors of that function, e.g. ``DataFileError`` for a folder
  without the data file), or
* work, if the value happens to mean something: then its result holds no NaN or inf,

and never raise anything else, warn, hang (a few seconds at most, via SIGALRM) or draw
endlessly from an iterator.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import math
import pkgutil
import re
import signal
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, is_dataclass
from functools import cache
from pathlib import Path

import nbformat
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import helpers
from helpers import (
    animation,
    data,
    descent,
    environment,
    gradcheck,
    hyperparams,
    layers,
    linear,
    live,
    logistic,
    losses,
    multiclass,
    normalisation,
    notebook_runner,
    piecewise,
    playground,
    plotting,
    validate,
)
from helpers.validate import InputError

# Every module of helpers is driven, except these (each with the reason); a new module is
# driven as soon as it exists.
OUT_OF_SCOPE = {
    "checks": "the exercise checks judge the learner's functions; tests/test_checks*.py "
              "drive them with wrong answers",
    "server": "a Jupyter server extension and its command line (python -m helpers.server "
              "--install), not called from notebooks",
}
MODULES = sorted(module.name for module in pkgutil.iter_modules(helpers.__path__)
                 if module.name not in OUT_OF_SCOPE)

TIMEOUT = 5.0  # seconds per call: a hang fails instead of blocking the suite
DRAW_LIMIT = 100_000  # items an endless iterator gives before the call counts as a hang


# --- discovering what must be covered -----------------------------------------------------


def public_callables() -> dict[str, object]:
    """{"module.function": f, "module.Class": C, "module.Class.method": C.method} for every
    public name defined in a module of helpers (not imported into it)."""
    found = {}
    for module_name in MODULES:
        module = importlib.import_module(f"helpers.{module_name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                found[f"{module_name}.{name}"] = obj
            elif inspect.isclass(obj):
                found[f"{module_name}.{name}"] = obj
                for method_name, method in vars(obj).items():
                    if not method_name.startswith("_") and inspect.isfunction(method):
                        found[f"{module_name}.{name}.{method_name}"] = method
    return found


def resolve(name: str):
    """The callable "module.name[.attribute]" names (inherited methods too), or None."""
    module, *path = name.split(".")
    obj = importlib.import_module(f"helpers.{module}")
    for part in path:
        obj = getattr(obj, part, None)
    return obj if callable(obj) else None


def parameters(obj) -> list[inspect.Parameter]:
    """The parameters a caller passes (not self, cls)."""
    params = list(inspect.signature(obj).parameters.values())
    if params and params[0].name in ("self", "cls") and not inspect.isclass(obj):
        params = params[1:]
    return params


# Callables that cannot be given a bad argument here, each with the reason.
EXEMPT = {
    "live.Blitter": "an internal drawing helper of live.py (the lead engineer's); "
                    "LiveFigure and animation.render/animate check the figure before "
                    "building one",
    "live.control_values": "a driver for the benchmarks and browser tests (the lead "
                           "engineer's, being changed now), not for learners",
    "live.drive": "a driver for the benchmarks and browser tests (see control_values)",
    "live.drive_all": "a driver for the benchmarks and browser tests (see control_values)",
    "layers.Layer.forward": "abstract: every layer defines its own (each is covered)",
    "layers.Layer.backward": "abstract: every layer defines its own (each is covered)",
    "playground.PixelImage.draw": "called by matplotlib with its renderer, never by a "
                                  "learner",
    "playground.PixelImage.set": "generated by matplotlib's Artist for every subclass",
}


def exemption(name: str, obj) -> str | None:
    """Why ``obj`` needs no case, or None."""
    if name in EXEMPT:
        return EXEMPT[name]
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return "an exception class"
    if inspect.isclass(obj) and (
            (issubclass(obj, tuple) and hasattr(obj, "_fields"))
            or (is_dataclass(obj) and not hasattr(obj, "__post_init__"))):
        return "a record of results (a NamedTuple or a dataclass that checks nothing), " \
               "built by the function that returns it"
    if not [p for p in parameters(obj) if p.kind is not p.VAR_KEYWORD]:
        return "takes no arguments"
    return None


# --- the bad values ---------------------------------------------------------------------------


class Hang(BaseException):  # noqa: N818  (a BaseException: no `except Exception` hides it)
    """A call ran past its time, or drew too much from an endless iterator."""


class Endless:
    """An unbounded iterator (itertools.count()) that raises :class:`Hang` once more than
    DRAW_LIMIT items have been drawn: a function that tries to exhaust it would never
    return (list(itertools.count()) cannot even be interrupted)."""

    def __init__(self):
        self.count = itertools.count()

    def __iter__(self):
        return self

    def __next__(self):
        value = next(self.count)
        if value >= DRAW_LIMIT:
            raise Hang(f"drew {DRAW_LIMIT} items from an endless iterator")
        return value

    def __repr__(self):
        return "itertools.count()"


def _with(array, value) -> np.ndarray:
    bad = np.array(array, dtype=float)
    bad.flat[bad.size // 2] = value
    return bad


def bad_values(kind: str, good) -> list[tuple[str, object]]:
    """(label, value) pairs that are wrong for a parameter of this kind."""
    generic = [("None", None), ("a string", "no"), ("an object", object())]
    values = []
    if kind in ("array", "vector", "matrix", "images"):
        array = np.asarray(good if good is not None else [[1.0, 2.0]], dtype=float)
        if array.ndim < {"vector": 1, "matrix": 2}.get(kind, 0):
            array = np.atleast_2d(array) if kind == "matrix" else np.atleast_1d(array)
        if array.size:
            values += [("NaN", _with(array, np.nan)), ("inf", _with(array, np.inf))]
        values += [("3-D", np.ones((2, 2, 2))), ("a ragged list", [[1.0], [1.0, 2.0]])]
        if kind == "vector":
            values += [("2-D", array[None, :]), ("empty", np.empty(0))]
        if kind == "matrix":
            values += [("1-D", array.ravel()), ("empty", array[:, :0])]
            if array.ndim == 2 and array.shape[0] != array.shape[1]:
                values.append(("transposed", array.T))
        if kind == "images":
            values += [("2-D", np.ones((3, 4))), ("empty", np.zeros((0, 4, 4))),
                       ("grey levels already in [0, 1]", np.full((2, 4, 4), 0.5))]
    elif kind == "scalar":
        values += [("NaN", np.nan), ("inf", np.inf), ("an array", np.array([1.0, 2.0])),
                   ("True", True)]
    elif kind == "positive":
        values += [("0", 0), ("negative", -0.5), ("NaN", np.nan), ("inf", np.inf),
                   ("True", True)]
    elif kind == "non-negative":
        values += [("negative", -0.5), ("NaN", np.nan), ("inf", np.inf), ("True", True)]
    elif kind == "count":
        values += [("0", 0), ("negative", -1), ("2.5", 2.5), ("True", True)]
    elif kind == "count0":
        values += [("negative", -1), ("2.5", 2.5), ("True", True)]
    elif kind == "fraction":
        values += [("1", 1.0), ("negative", -0.1), ("NaN", np.nan)]
    elif kind == "flag":
        values += [("'no'", "no"), ("1.5", 1.5), ("1", 1)]
    elif kind == "rng":
        values += [("a seed", 0), ("a RandomState", np.random.RandomState(0))]
    elif kind == "choice":
        values += [("unknown", "nonsense"), ("a number", 3)]
    elif kind == "sizes":
        values += [("endless", Endless()), ("empty", []), ("with 0", [2, 0, 1]),
                   ("with -1", [2, -1, 1]), ("with 2.5", [2, 2.5, 1])]
    elif kind == "iterable":
        values += [("endless", Endless()), ("a number", 3)]
    elif kind in ("callable", "model", "text", "path", "figure", "ax", "object"):
        values += [("a number", 3)]
    elif kind == "figsize":
        values += [("a number", 3), ("negative", (-1, 2)), ("NaN", (np.nan, 2)),
                   ("three numbers", (1, 2, 3))]
    else:
        raise AssertionError(f"unknown kind {kind!r}")
    return values + generic


# --- running one call ------------------------------------------------------------------------


def _alarm(signum, frame):
    raise Hang("timed out")


def call(func: Callable, args: tuple, kwargs: dict, timeout: float):
    """Run func(*args, **kwargs) with a time limit; return (result, error, warnings)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    result = error = None
    try:
        with warnings.catch_warnings(record=True) as caught, \
                np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
            warnings.simplefilter("always")
            try:
                result = func(*args, **kwargs)
            except Exception as exception:  # judged by the caller
                error = exception
    except Hang as hang:
        error = hang
        caught = []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return result, error, caught


def non_finite(result, depth: int = 0) -> str | None:
    """Where a result holds NaN or inf (numbers, arrays, tuples, lists, dicts), or None."""
    if depth > 4 or isinstance(result, (bool, np.bool_, str, bytes)):
        return None
    if isinstance(result, (int, float, np.number)):
        return None if math.isfinite(float(result)) else f"the number {result}"
    if isinstance(result, np.ndarray):
        if result.dtype.kind in "fc" and not np.all(np.isfinite(result)):
            return f"an array of shape {result.shape} with NaN or inf"
        return None
    if isinstance(result, (tuple, list)):
        items = enumerate(result[:50])
    elif isinstance(result, dict):
        items = list(result.items())[:50]
    else:
        return None
    for key, item in items:
        found = non_finite(item, depth + 1)
        if found:
            return f"[{key!r}]: {found}"
    return None


def mentions(message: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) is not None


# --- the cases -------------------------------------------------------------------------------


@dataclass
class Case:
    """A valid call, how to fuzz its parameters, and what else it may raise.

    ``build()`` returns ``(callable, kwargs)`` or ``(callable, args, kwargs)`` afresh for
    every call (methods mutate their object). ``kinds`` says what each parameter is
    (parameters not listed get the generic bad values: None, a string, an object).
    ``allowed`` are documented domain errors; ``names`` maps a parameter to the word its
    error message must contain (by default the parameter's own name); ``extra`` holds
    (label, args, kwargs) of further bad calls, for *args and **kwargs (args None: the
    valid call's); ``fixed`` parameters are not fuzzed (with the reason).
    """

    build: Callable
    kinds: dict = field(default_factory=dict)
    allowed: tuple = ()
    names: dict = field(default_factory=dict)
    extra: tuple = ()
    fixed: dict = field(default_factory=dict)
    timeout: float = TIMEOUT


CASES: dict[str, Case] = {}


def case(name: str, build: Callable, kinds: dict | None = None, **options) -> None:
    assert name not in CASES, name
    CASES[name] = Case(build, kinds or {}, **options)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


X = np.array([[0.1, -0.4, 0.8, 0.3, -0.2], [0.5, 0.2, -0.6, 0.9, -0.1]])   # (2, 5)
Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])                                   # (1, 5)
x = np.array([0.1, 0.4, 0.6, 0.9, 0.3])                                     # (5,)
y = np.array([0.6, 0.8, 0.9, 1.2, 0.7])                                     # (5,)
labels = np.array([0, 1, 1, 0, 1])                                          # (5,)


def model(sizes=(2, 3, 1), **options):
    return layers.mlp(list(sizes), rng=rng(), **options)


def bce():
    return layers.BinaryCrossEntropyWithLogits()


def stepped_model():
    """A model after one forward and backward pass (its gradients are filled)."""
    net, loss = model(), bce()
    loss.forward(net.forward(X), Y)
    net.backward(loss.backward())
    return net


def axes():
    fig = Figure(figsize=(2, 1.5), dpi=40)
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def small_figure():
    fig, ax = live.figure(figsize=(1.5, 1), dpi=30)
    ax.set(xlim=(0, 3), ylim=(0, 3))
    (line,) = ax.plot([], [], animated=True)
    return fig, line


def moons(m=16, seed=0):
    return playground.make_dataset("moons", m, 0.1, rng(seed))


@cache
def hp_split():
    r = rng(0)

    def blobs(m):
        Y_ = (np.arange(m) % 2).astype(float)[None, :]
        return r.normal(size=(3, m)) + 0.8 * (2 * Y_ - 1), Y_

    (X_train, Y_train), (X_dev, Y_dev), (X_test, Y_test) = blobs(16), blobs(8), blobs(8)
    return hyperparams.Split(X_train, Y_train, X_dev, Y_dev, X_test, Y_test, np.zeros((3, 1)))


def config(**changes):
    return hyperparams.Config(**{"lr": 0.1, "hidden_units": 2, "batch_size": 8, **changes})


@cache
def results():
    return hyperparams.one_at_a_time(config(), {"lr": [0.1, 0.3]}, hp_split(), epochs=1)


@cache
def trials():
    return hyperparams.caviar([config(), config(lr=0.3)], hp_split(), epochs=1)


def panda():
    return hyperparams.Panda(hp_split(), hidden_units=2, batch_size=8, steps_per_tick=1,
                             max_catch_up=1)


def region_trainer():
    return multiclass.RegionTrainer(m_train=8, m_test=4, hidden_units=2, steps_per_tick=1,
                                    resolution=4)


def court():
    return playground.Playground(m_train=8, m_test=4, steps_per_tick=1, resolution=4)


@cache
def recording(batch_norm: bool):
    X_, Y_ = moons(16)
    return normalisation.record_training(
        layers.mlp([2, 3, 1], activation="tanh", batch_norm=batch_norm, rng=rng()), bce(),
        X_, Y_, optimizer=layers.SGD(0.1), epochs=1, batch_size=4, rng=rng(1),
        edges=[-2.0, 0.0, 2.0])


@cache
def runs():
    X_, Y_ = moons(16)
    return normalisation.compare_learning_rates([2, 2, 1], [0.1, 1e4], X_, Y_, X_, Y_,
                                                epochs=1, batch_size=8)


def bn_model():
    return layers.mlp([2, 3, 1], activation="tanh", batch_norm=True, rng=rng())


@cache
def evaluation():
    X_, Y_ = moons(16)
    net = bn_model()
    return normalisation.evaluation_data(net, net[0], 0, X_, X_, Y_, batch_sizes=[1, 4],
                                         n_shown=2)


def params():
    return piecewise.make_params([[1.0], [2.0]], [[0.0], [-1.0]], [0.5, -0.5], 0.1)


x1 = x[None, :]  # (1, 5): one feature for piecewise


def network():
    return piecewise.init_network([1, 3, 1], rng())


@cache
def tiny_notebook(folder: str) -> Path:
    path = Path(folder) / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), path)
    return path


# --- animation
case("animation.render", lambda: (animation.render, {"fig": small_figure()[0]}),
     {"fig": "figure"})


def _animate():
    fig, line = small_figure()
    return animation.animate, {"fig": fig, "update": lambda k: line.set_data([0, k], [0, k]),
                               "frames": range(2), "path": "a.gif"}


case("animation.animate", _animate, {"fig": "figure", "update": "callable",
                                      "frames": "iterable", "path": "path", "fps": "positive",
                                      "loop": "flag"})
case("animation.write_gif", lambda: (animation.write_gif, {
    "images": [np.zeros((4, 4, 3), np.uint8), np.full((4, 4, 3), 200, np.uint8)],
    "path": "b.gif"}), {"images": "iterable", "path": "path", "fps": "positive",
                        "loop": "flag"})

# --- data
case("data.sha256_of", lambda: (data.sha256_of, {"path": data.DATA_DIR / "ames_houses.csv"}),
     {"path": "path"})
case("data.verified_path", lambda: (data.verified_path, {"name": "ames_houses.csv"}),
     {"name": "choice", "data_dir": "path"}, allowed=(data.DataFileError,))
for loader in ("load_births", "load_houses", "load_fashion_mnist"):
    case(f"data.{loader}", lambda loader=loader: (getattr(data, loader), {}),
         {"data_dir": "path"}, allowed=(data.DataFileError,))
case("data.flatten_images", lambda: (data.flatten_images, {
    "images": np.arange(2 * 4 * 4, dtype=np.uint8).reshape(2, 4, 4)}), {"images": "images"})
case("data.beans", lambda: (data.beans, {"n": 5, "rng": rng()}),
     {"n": "count", "rng": "rng", "bias": "flag"})

# --- descent
case("descent.predict", lambda: (descent.predict, {"x": x, "w": 0.5, "b": 0.1}),
     {"x": "array", "w": "scalar", "b": "scalar"})
for fn in ("loss", "gradient"):
    case(f"descent.{fn}", lambda fn=fn: (getattr(descent, fn), {"x": x, "y": y, "w": 0.5}),
         {"x": "vector", "y": "vector", "w": "scalar", "b": "scalar"})
case("descent.updates_per_epoch", lambda: (descent.updates_per_epoch,
                                           {"m": 10, "batch_size": 3}),
     {"m": "count", "batch_size": "count"})
case("descent.gradient_descent", lambda: (descent.gradient_descent, {
    "x": x, "y": y, "lr": 0.1, "updates": 3, "batch_size": 2, "rng": rng()}),
     {"x": "vector", "y": "vector", "lr": "positive", "updates": "count0", "w0": "scalar",
      "b0": "scalar", "batch_size": "count", "rng": "rng", "sign_only": "flag",
      "fit_bias": "flag", "max_loss": "positive"})
case("descent.descend", lambda: (descent.descend, {
    "loss_fn": descent.valleys, "gradient_fn": descent.valleys_gradient, "start": [0.5, 0.5],
    "lr": 0.1, "updates": 3, "noise": 0.1, "rng": rng()}),
     {"loss_fn": "callable", "gradient_fn": "callable", "start": "vector", "lr": "positive",
      "updates": "count0", "noise": "non-negative", "rng": "rng", "max_loss": "positive"})
for fn in ("valleys", "valleys_gradient"):
    case(f"descent.{fn}", lambda fn=fn: (getattr(descent, fn), {"p": [0.5, -0.2]}),
         {"p": "array", "tilt": "scalar"})
case("descent.ema", lambda: (descent.ema, {"values": y, "beta": 0.9}),
     {"values": "vector", "beta": "fraction", "bias_correction": "flag"})

# --- environment
case("environment.check_python", lambda: (environment.check_python,
                                          {"version_info": (3, 11, 0)}),
     {"version_info": "object"})
case("environment.check_requirements", lambda: (environment.check_requirements, {}),
     {"distribution": "text"})
case("environment.missing_glyph_warnings", lambda: (environment.missing_glyph_warnings,
                                                    {"text": "学"}), {"text": "text"})

# --- gradcheck
case("gradcheck.numerical_gradient", lambda: (gradcheck.numerical_gradient, {
    "f": lambda p: float(np.sum(p ** 2)), "p": [1.0, 2.0]}),
     {"f": "callable", "p": "array", "eps": "positive"})
case("gradcheck.GradientCheck.line", lambda: (
    gradcheck.compare("dW", [1.0], [1.0]).line, {"name_width": 4}),
     {"name_width": "count0", "shape_width": "count0"})
case("gradcheck.compare", lambda: (gradcheck.compare, {
    "name": "dW", "analytic": [[1.0, 2.0]], "numeric": [[1.0, 2.0]]}),
     {"name": "text", "analytic": "array", "numeric": "array", "tol": "positive"})
case("gradcheck.check_model", lambda: (gradcheck.check_model, {
    "model": model((2, 2, 1)), "loss": bce(), "X": X, "Y": Y, "max_entries": 2,
    "rng": rng()}),
     {"model": "model", "loss": "model", "X": "matrix", "Y": "matrix", "eps": "positive",
      "tol": "positive", "include_input": "flag", "max_entries": "count", "rng": "rng"})

# --- hyperparams
case("hyperparams.log_uniform", lambda: (hyperparams.log_uniform, {
    "low": 1e-3, "high": 1.0, "n": 3, "rng": rng()}),
     {"low": "positive", "high": "positive", "n": "count", "rng": "rng"})
case("hyperparams.sample_learning_rates", lambda: (hyperparams.sample_learning_rates,
                                                   {"n": 3, "rng": rng()}),
     {"n": "count", "rng": "rng"})
case("hyperparams.sample_betas", lambda: (hyperparams.sample_betas, {"n": 3, "rng": rng()}),
     {"n": "count", "rng": "rng", "low": "fraction", "high": "fraction"})
case("hyperparams.averaging_window", lambda: (hyperparams.averaging_window,
                                              {"beta": [0.9, 0.99]}), {"beta": "array"})
case("hyperparams.share_per_bin", lambda: (hyperparams.share_per_bin, {
    "samples": [0.1, 0.5, 2.0], "edges": [0.0, 1.0, 3.0]}),
     {"samples": "array", "edges": "vector"})
case("hyperparams.grid_trials", lambda: (hyperparams.grid_trials, {"k": 2}),
     {"k": "count", "low": "vector", "high": "vector"})
case("hyperparams.random_trials", lambda: (hyperparams.random_trials, {"n": 3, "rng": rng()}),
     {"n": "count", "rng": "rng", "low": "vector", "high": "vector"})
case("hyperparams.distinct_values", lambda: (hyperparams.distinct_values, {
    "trials": [[0.1, 0.2], [0.1, 0.3]], "column": 0}),
     {"trials": "matrix", "column": "count0"})
case("hyperparams.toy_dev_cost", lambda: (hyperparams.toy_dev_cost, {"log_lr": [-2.0, -1.0]}),
     {"log_lr": "array"})
case("hyperparams.fashion_split", lambda: (hyperparams.fashion_split, {
    "images_train": np.arange(8 * 16, dtype=np.uint8).reshape(8, 4, 4) % 255,
    "labels_train": np.array([0, 1, 2, 0, 1, 2, 0, 1]),
    "images_test": np.zeros((3, 4, 4), np.uint8), "labels_test": np.array([0, 1, 2]),
    "pair": (0, 1), "dev_per_class": 1, "rng": rng()}),
     {"images_train": "images", "labels_train": "vector", "images_test": "images",
      "labels_test": "vector", "pair": "iterable", "dev_per_class": "count", "rng": "rng"})
case("hyperparams.Config", lambda: (hyperparams.Config, {"lr": 0.1}),
     {"lr": "positive", "beta": "fraction", "hidden_units": "count", "batch_size": "count",
      "hidden_layers": "count0", "decay": "non-negative", "optimizer": "choice",
      "epsilon": "positive", "beta2": "fraction"})
case("hyperparams.Config.make_model", lambda: (config().make_model, {"n": 3, "rng": rng()}),
     {"n": "count", "rng": "rng"})
case("hyperparams.Config.learning_rate", lambda: (config(decay=0.5).learning_rate,
                                                  {"epoch": 2}), {"epoch": "count0"})
case("hyperparams.evaluate", lambda: (hyperparams.evaluate, {
    "model": model((3, 2, 1)), "X": hp_split().X_dev, "Y": hp_split().Y_dev}),
     {"model": "model", "X": "matrix", "Y": "matrix"})
case("hyperparams.run_trial", lambda: (hyperparams.run_trial, {
    "config": config(), "split": hp_split(), "epochs": 1}),
     {"config": "object", "split": "object", "epochs": "count", "seed": "count0",
      "divergence_factor": "positive"})
case("hyperparams.one_at_a_time", lambda: (hyperparams.one_at_a_time, {
    "base": config(), "variations": {"lr": [0.1]}, "split": hp_split(), "epochs": 1}),
     {"base": "object", "variations": "object", "split": "object", "epochs": "count",
      "seed": "count0"})
case("hyperparams.spreads", lambda: (hyperparams.spreads, {"results": results()}),
     {"results": "object"})
case("hyperparams.SearchSpace", lambda: (hyperparams.SearchSpace, {}),
     {"lr_low": "positive", "lr_high": "positive", "beta_low": "fraction",
      "beta_high": "fraction", "units_low": "count", "units_high": "count",
      "batch_sizes": "sizes"})
case("hyperparams.sample_configs", lambda: (hyperparams.sample_configs, {
    "n": 2, "space": hyperparams.SearchSpace(), "rng": rng()}),
     {"n": "count", "space": "object", "rng": "rng"})
case("hyperparams.caviar", lambda: (hyperparams.caviar, {
    "configs": [config()], "split": hp_split(), "epochs": 1}),
     {"configs": "iterable", "split": "object", "epochs": "count", "seed": "count0"})
for fn in ("ranked", "pick_best", "results_table"):
    case(f"hyperparams.{fn}", lambda fn=fn: (getattr(hyperparams, fn), {"trials": trials()}),
         {"trials": "iterable", **({"rows": "count"} if fn == "results_table" else {})})
case("hyperparams.zoom_box", lambda: (hyperparams.zoom_box, {
    "points": [[-3.0, -2.0], [-2.0, -1.5], [-1.0, -2.5]], "costs": [0.5, 0.3, 0.4],
    "best": 2}),
     {"points": "matrix", "costs": "vector", "best": "count", "margin": "non-negative",
      "low": "vector", "high": "vector"})
case("hyperparams.Panda", lambda: (hyperparams.Panda, {
    "split": hp_split(), "hidden_units": 2, "batch_size": 8}),
     {"split": "object", "hidden_units": "count", "batch_size": "count", "beta": "fraction",
      "steps_per_tick": "count", "max_catch_up": "count", "seed": "count0",
      "divergence_factor": "positive"})
case("hyperparams.Panda.advance", lambda: (panda().advance, {"tick": 1, "lr": 0.1}),
     {"tick": "count0", "lr": "positive"})
case("hyperparams.Panda.reset", lambda: (panda().reset, {"lr": 0.1}), {"lr": "positive"})


def _restore():
    p = panda()
    return p.restore, {"saved": p.checkpoint()}


case("hyperparams.Panda.restore", _restore, {"saved": "object"})
case("hyperparams.Panda.train", lambda: (panda().train, {"steps": 1}), {"steps": "count0"})
case("hyperparams.babysit", lambda: (hyperparams.babysit, {
    "panda": panda(), "lr": 0.1, "epochs": 1}),
     {"panda": "object", "lr": "positive", "epochs": "count", "up": "positive",
      "down": "positive", "patience": "count"})
for fn in ("grid_vs_random_figure", "scale_figure"):
    case(f"hyperparams.{fn}", lambda fn=fn: (getattr(hyperparams, fn), {"figsize": (3, 2)}),
         {"figsize": "figsize"})
case("hyperparams.panda_figure", lambda: (hyperparams.panda_figure, {
    "panda": panda(), "figsize": (3, 2)}),
     {"panda": "object", "max_ticks": "count", "figsize": "figsize"})
case("hyperparams.plot_priority", lambda: (hyperparams.plot_priority, {
    "results": results(), "labels": {"lr": "α"}, "ax": axes()}),
     {"results": "object", "labels": "object", "ax": "ax", "formats": "object"})
case("hyperparams.plot_coarse_to_fine", lambda: (hyperparams.plot_coarse_to_fine, {
    "rounds": [(np.array([[-2.0, -2.0], [-1.0, -1.5]]), np.array([0.4, 0.6]))],
    "box": ([-2.5, -2.5], [-0.5, -1.2]), "ax": axes()}),
     {"rounds": "iterable", "box": "object", "ax": "ax", "vmin": "scalar", "vmax": "scalar"})

# --- layers
case("layers.Linear", lambda: (layers.Linear, {"n_in": 2, "n_out": 3, "rng": rng()}),
     {"n_in": "count", "n_out": "count", "rng": "rng", "init": "choice", "bias": "flag"})
case("layers.Linear.forward", lambda: (layers.Linear(2, 3, rng=rng()).forward,
                                       {"A_prev": X}), {"A_prev": "matrix"})


def _after_forward(layer, inputs, name):
    layer.forward(inputs)
    return layer.backward, {name: np.ones_like(layer.forward(inputs))}


case("layers.Linear.backward", lambda: _after_forward(layers.Linear(2, 3, rng=rng()), X,
                                                      "dZ"), {"dZ": "matrix"})
case("layers.BatchNorm", lambda: (layers.BatchNorm, {"n": 2}),
     {"n": "count", "momentum": "fraction", "epsilon": "positive"})
case("layers.BatchNorm.forward", lambda: (layers.BatchNorm(2).forward, {"Z": X}),
     {"Z": "matrix"})
case("layers.BatchNorm.backward", lambda: _after_forward(layers.BatchNorm(2), X, "dZ_tilde"),
     {"dZ_tilde": "matrix"})
for activation in ("ReLU", "Sigmoid", "Tanh", "Softmax"):
    cls = getattr(layers, activation)
    case(f"layers.{activation}.forward", lambda cls=cls: (cls().forward, {"Z": X}),
         {"Z": "matrix"})
    case(f"layers.{activation}.backward", lambda cls=cls: _after_forward(cls(), X, "dA"),
         {"dA": "matrix"})  # (inherited from Activation: each activation's backward)
case("layers.Activation.backward", lambda: _after_forward(layers.Tanh(), X, "dA"),
     {"dA": "matrix"})
for fn in ("logsumexp", "softmax", "log_softmax"):
    case(f"layers.{fn}", lambda fn=fn: (getattr(layers, fn), {"Z": X}), {"Z": "matrix"})
case("layers.one_hot", lambda: (layers.one_hot, {"labels": labels, "C": 2}),
     {"labels": "vector", "C": "count"})
case("layers.Sequential", lambda: (layers.Sequential, (layers.ReLU(),), {}), extra=(
    ("no layers", (), {}), ("None", (None,), {}), ("a string", ("no",), {}),
    ("a number", (3,), {})))
case("layers.Sequential.forward", lambda: (model().forward, {"X": X}), {"X": "matrix"})
case("layers.Sequential.backward", lambda: _after_forward(model(), X, "dA"), {"dA": "matrix"})
case("layers.set_training", lambda: (layers.set_training, {"model": model(), "flag": False}),
     {"model": "model", "flag": "flag"})
case("layers.evaluating", lambda: (layers.evaluating, {"model": model()}), {"model": "model"})
case("layers.mlp", lambda: (layers.mlp, {"sizes": [2, 3, 1], "rng": rng()}),
     {"sizes": "sizes", "activation": "choice", "output": "choice", "rng": "rng",
      "init": "choice", "batch_norm": "flag", "momentum": "fraction"})
for loss_name, prediction in (("MSE", "Y_hat"), ("BinaryCrossEntropy", "A"),
                              ("BinaryCrossEntropyWithLogits", "Z"),
                              ("SoftmaxCrossEntropy", "Z"), ("CategoricalCrossEntropy", "A")):
    cls = getattr(layers, loss_name)
    C = 1 if "Binary" in loss_name or loss_name == "MSE" else 2
    P = np.full((C, 5), 0.5) if C == 2 else np.array([[0.2, 0.7, 0.6, 0.1, 0.9]])
    T = layers.one_hot(labels, 2) if C == 2 else Y
    case(f"layers.{loss_name}.forward", lambda cls=cls, P=P, T=T, prediction=prediction: (
        cls().forward, {prediction: P, "Y": T}), {prediction: "matrix", "Y": "matrix"},
         names={prediction: "prediction"})  # the losses call their first argument so
case("layers.sgd_step", lambda: (layers.sgd_step, {"model": stepped_model(), "lr": 0.1}),
     {"model": "model", "lr": "positive"})
for opt in ("Optimizer", "SGD"):
    case(f"layers.{opt}", lambda opt=opt: (getattr(layers, opt), {"lr": 0.1}),
         {"lr": "positive"})
case("layers.Optimizer.step", lambda: (layers.SGD(0.1).step, {"model": stepped_model()}),
     {"model": "model"})
case("layers.Momentum", lambda: (layers.Momentum, {"lr": 0.1}),
     {"lr": "positive", "beta": "fraction"})
case("layers.RMSprop", lambda: (layers.RMSprop, {"lr": 0.1}),
     {"lr": "positive", "beta": "fraction", "epsilon": "positive"})
case("layers.Adam", lambda: (layers.Adam, {"lr": 0.1}),
     {"lr": "positive", "beta1": "fraction", "beta2": "fraction", "epsilon": "positive"})
case("layers.train", lambda: (layers.train, {
    "model": model(), "loss": bce(), "X": X, "Y": Y, "lr": 0.1, "epochs": 2,
    "batch_size": 2, "rng": rng()}),
     {"model": "model", "loss": "model", "X": "matrix", "Y": "matrix", "lr": "positive",
      "optimizer": "model", "epochs": "count", "batch_size": "count", "rng": "rng",
      "divergence_factor": "positive"})
for fn in ("predict_classes", "accuracy"):
    case(f"layers.{fn}", lambda fn=fn: (getattr(layers, fn), {
        "model": model(), "X": X, **({"Y": Y} if fn == "accuracy" else {})}),
         {"model": "model", "X": "matrix", "threshold": "scalar",
          **({"Y": "matrix"} if fn == "accuracy" else {})})

# --- linear
case("linear.predict", lambda: (linear.predict, {"X": X, "w": [0.5, -0.5], "b": 0.1}),
     {"X": "matrix", "w": "vector", "b": "scalar"})
for fn in ("loss_surface", "grid_search"):
    case(f"linear.{fn}", lambda fn=fn: (getattr(linear, fn), {
        "x": x, "y": y, "ws": [0.0, 1.0], "bs": [0.0, 0.5, 1.0]}),
         {"x": "vector", "y": "vector", "ws": "vector", "bs": "vector", "loss": "choice"})
case("linear.lag_features", lambda: (linear.lag_features, {"series": y, "k": 2}),
     {"series": "vector", "k": "count"})
case("linear.fit_least_squares", lambda: (linear.fit_least_squares, {"X": X[:1], "y": y}),
     {"X": "matrix", "y": "vector"})

# --- live
case("live.figure", lambda: (live.figure, {"figsize": (2, 1.5), "dpi": 30}),
     {"nrows": "count", "ncols": "count", "figsize": "figsize", "dpi": "positive"},
     extra=(("an unknown keyword", (), {"nonsense": 1}),))
case("live.slider", lambda: (live.slider, {
    "description": "w", "min": 0.0, "max": 1.0, "step": 0.1, "value": 0.5}),
     {"description": "text", "min": "scalar", "max": "scalar", "step": "positive",
      "value": "scalar", "continuous": "flag", "readout_format": "text"})
case("live.log_slider", lambda: (live.log_slider, {
    "description": "lr", "min_exponent": -3.0, "max_exponent": 0.0, "value": 0.1}),
     {"description": "text", "min_exponent": "scalar", "max_exponent": "scalar",
      "value": "positive", "base": "positive", "step": "positive", "continuous": "flag",
      "readout_format": "text"})
case("live.choice", lambda: (live.choice, {"description": "data", "options": ["a", "b"]}),
     {"description": "text", "options": "iterable", "value": "choice", "buttons": "flag"})
case("live.toggle", lambda: (live.toggle, {"description": "on"}),
     {"description": "text", "value": "flag"})
case("live.player", lambda: (live.player, {}),
     {"description": "text", "max_ticks": "count", "interval_ms": "count"})


def _live_figure():
    fig, line = small_figure()

    def update_fuzz(w):
        line.set_data([0, w], [0, w])

    return live.LiveFigure, {"fig": fig, "update": update_fuzz, "name": "fuzz",
                             "controls": {"w": live.slider("w", 0.0, 2.0, 0.5, value=1.0)}}


case("live.LiveFigure", _live_figure,
     {"fig": "figure", "update": "callable", "controls": "object", "name": "text",
      "fmt": "choice", "quality": "count"})


def _redraw():
    figure_class, kwargs = _live_figure()
    return figure_class(**kwargs).redraw, {"w": 1.5}


case("live.LiveFigure.redraw", _redraw,
     extra=(("an unknown control", None, {"nonsense": 1}),))  # values go to the update

# --- logistic
w2 = np.array([[0.5], [-0.5]])
case("logistic.as_labels", lambda: (logistic.as_labels, {"name": "Y", "Y": Y}),
     {"name": "text", "Y": "matrix"}, names={"Y": "Y"})
case("logistic.as_weights", lambda: (logistic.as_weights, {"w": w2, "n": 2}),
     {"w": "matrix", "n": "count"})
case("logistic.probabilities", lambda: (logistic.probabilities, {"w": w2, "b": 0.1, "X": X}),
     {"w": "matrix", "b": "scalar", "X": "matrix"})
case("logistic.predict", lambda: (logistic.predict, {"w": w2, "b": 0.1, "X": X}),
     {"w": "matrix", "b": "scalar", "X": "matrix", "threshold": "scalar"})
case("logistic.loss", lambda: (logistic.loss, {"a": [0.2, 0.9], "y": [0.0, 1.0]}),
     {"a": "array", "y": "array"})
for fn, first in (("cost", "A"), ("cost_from_z", "Z"), ("squared_error_cost", "A")):
    case(f"logistic.{fn}", lambda fn=fn, first=first: (getattr(logistic, fn), {
        first: np.full((1, 5), 0.4), "Y": Y}), {first: "matrix", "Y": "matrix"})
case("logistic.propagate", lambda: (logistic.propagate, {"w": w2, "b": 0.1, "X": X, "Y": Y}),
     {"w": "matrix", "b": "scalar", "X": "matrix", "Y": "matrix"})
case("logistic.train", lambda: (logistic.train, {
    "X": X, "Y": Y, "lr": 0.1, "num_iterations": 2}),
     {"X": "matrix", "Y": "matrix", "lr": "positive", "num_iterations": "count",
      "w0": "matrix", "b0": "scalar", "max_cost": "positive"})
for fn in ("confusion_counts", "accuracy"):
    case(f"logistic.{fn}", lambda fn=fn: (getattr(logistic, fn), {"Y_pred": Y, "Y": Y[:, ::-1]}),
         {"Y_pred": "matrix", "Y": "matrix"})
case("logistic.cost_surface", lambda: (logistic.cost_surface, {
    "x": x, "y": Y[0], "ws": [0.0, 1.0], "bs": [-1.0, 0.0, 1.0]}),
     {"x": "vector", "y": "vector", "ws": "vector", "bs": "vector", "kind": "choice"})
case("logistic.line_in_box", lambda: (logistic.line_in_box, {
    "w1": 1.0, "w2": 2.0, "c": 0.5, "xlim": (-1.0, 1.0), "ylim": (-2.0, 2.0)}),
     {"w1": "scalar", "w2": "scalar", "c": "scalar", "xlim": "vector", "ylim": "vector"})
case("logistic.graph_values", lambda: (logistic.graph_values, {
    "w": 0.5, "b": 0.1, "x": 2.0, "y": 1.0}),
     {"w": "scalar", "b": "scalar", "x": "scalar", "y": "scalar"})
case("logistic.draw_computation_graph", lambda: (logistic.draw_computation_graph,
                                                 {"ax": axes()}),
     {"ax": "ax", "fontsize": "positive"})

# --- losses
for fn in ("mae", "mae_gradient", "mse", "mse_gradient"):
    case(f"losses.{fn}", lambda fn=fn: (getattr(losses, fn), {"y": y, "y_hat": x}),
         {"y": "vector", "y_hat": "vector"})

# --- multiclass
Z3 = np.array([[1.0, -1.0], [0.5, 2.0], [0.0, 0.0]])
case("multiclass.hardmax", lambda: (multiclass.hardmax, {"Z": Z3}), {"Z": "matrix"})
case("multiclass.softmax_with_temperature", lambda: (multiclass.softmax_with_temperature,
                                                     {"Z": Z3, "T": 0.5}),
     {"Z": "matrix", "T": "positive"}, names={"T": "T"})
case("multiclass.logit_bars_figure", lambda: (multiclass.logit_bars_figure, {
    "names": ["a", "b"], "figsize": (3, 1.5)}),
     {"names": "iterable", "names_zh": "iterable", "z_limit": "positive",
      "figsize": "figsize"})
case("multiclass.make_classes", lambda: (multiclass.make_classes, {
    "name": "blobs", "m": 8, "rng": rng()}), {"name": "choice", "m": "count", "rng": "rng"})
case("multiclass.RegionTrainer", lambda: (multiclass.RegionTrainer, {
    "m_train": 8, "m_test": 4, "hidden_units": 2, "steps_per_tick": 1, "resolution": 4}),
     {"m_train": "count", "m_test": "count", "hidden_units": "count",
      "steps_per_tick": "count", "max_catch_up": "count", "resolution": "count",
      "extent": "positive", "seed": "count0", "data_seed": "count0",
      "divergence_factor": "positive"})
case("multiclass.RegionTrainer.advance", lambda: (region_trainer().advance, {
    "tick": 1, "dataset": "blobs", "hidden": True, "lr": 0.5}),
     {"tick": "count0", "dataset": "choice", "hidden": "flag", "lr": "positive"})
case("multiclass.RegionTrainer.reset", lambda: (region_trainer().reset, {
    "settings": multiclass.Settings("blobs", False)}), {"settings": "object"})
case("multiclass.regions_figure", lambda: (multiclass.regions_figure, {
    "trainer": region_trainer(), "figsize": (3, 1.5)}),
     {"trainer": "object", "max_ticks": "count", "figsize": "figsize"})
case("multiclass.confusion_matrix", lambda: (multiclass.confusion_matrix, {
    "y_true": labels, "y_pred": labels[::-1], "C": 2}),
     {"y_true": "vector", "y_pred": "vector", "C": "count"})
M2 = np.array([[2, 1], [0, 2]])
case("multiclass.draw_confusion_matrix", lambda: (multiclass.draw_confusion_matrix, {
    "M": M2, "names": ["a", "b"], "ax": axes()}),
     {"M": "matrix", "names": "iterable", "ax": "ax", "fontsize": "positive"})
case("multiclass.confusion_figure", lambda: (multiclass.confusion_figure, {
    "M": multiclass.confusion_matrix(labels, labels[::-1], 2),
    "images": np.zeros((5, 4, 4), np.uint8), "y_true": labels, "y_pred": labels[::-1],
    "names": ["a", "b"], "names_zh": ["甲", "乙"], "rows": 1, "columns": 2,
    "figsize": (3, 1.5)}),
     {"M": "matrix", "images": "images", "y_true": "vector", "y_pred": "vector",
      "names": "iterable", "names_zh": "iterable", "rows": "count", "columns": "count",
      "figsize": "figsize"})
case("multiclass.weights_figure", lambda: (multiclass.weights_figure, {
    "W": np.ones((2, 16)) * [[1.0], [-1.0]], "mean_images": np.full((2, 4, 4), 0.5),
    "names": ["a", "b"], "names_zh": ["甲", "乙"], "figsize": (3, 1.5)}),
     {"W": "matrix", "mean_images": "array", "names": "iterable", "names_zh": "iterable",
      "figsize": "figsize"})

# --- normalisation
case("normalisation.two_classes", lambda: (normalisation.two_classes, {
    "images": np.arange(6 * 4, dtype=np.uint8).reshape(6, 2, 2),
    "labels": np.array([0, 1, 2, 0, 1, 2]), "pair": (0, 1), "per_class": 1, "rng": rng()}),
     {"images": "images", "labels": "vector", "pair": "iterable", "per_class": "count",
      "rng": "rng"})
case("normalisation.batch_statistics", lambda: (normalisation.batch_statistics, {"Z": X}),
     {"Z": "matrix"})
case("normalisation.normalise", lambda: (normalisation.normalise, {
    "Z": X, "mu": [[0.0], [0.1]], "var": [[1.0], [2.0]]}),
     {"Z": "matrix", "mu": "matrix", "var": "matrix", "epsilon": "positive"})
case("normalisation.batch_estimates", lambda: (normalisation.batch_estimates, {
    "z": y, "batch_size": 2, "n_batches": 3, "rng": rng()}),
     {"z": "vector", "batch_size": "count", "n_batches": "count", "rng": "rng"})
case("normalisation.running_average", lambda: (normalisation.running_average, {
    "values": y, "momentum": 0.9, "start": 0.0}),
     {"values": "vector", "momentum": "fraction", "start": "scalar"})
case("normalisation.forward_with_batch_statistics", lambda: (
    normalisation.forward_with_batch_statistics, {"model": bn_model(), "X": X,
                                                  "batch_size": 2}),
     {"model": "model", "X": "matrix", "batch_size": "count"})
case("normalisation.compare_learning_rates", lambda: (normalisation.compare_learning_rates, {
    "sizes": [2, 2, 1], "lrs": [0.1], "X": X, "Y": Y, "X_test": X, "Y_test": Y, "epochs": 1,
    "batch_size": 4}),
     {"sizes": "sizes", "lrs": "iterable", "X": "matrix", "Y": "matrix", "X_test": "matrix",
      "Y_test": "matrix", "activation": "choice", "init": "choice", "epochs": "count",
      "batch_size": "count", "seed": "count0", "divergence_factor": "positive"})
case("normalisation.record_training", lambda: (normalisation.record_training, {
    "model": model(), "loss": bce(), "X": X, "Y": Y, "optimizer": layers.SGD(0.1),
    "epochs": 1, "batch_size": 2, "rng": rng(), "edges": [-1.0, 0.0, 1.0]}),
     {"model": "model", "loss": "model", "X": "matrix", "Y": "matrix", "optimizer": "model",
      "epochs": "count", "batch_size": "count", "rng": "rng", "edges": "vector"})
case("normalisation.gamma_beta_figure", lambda: (normalisation.gamma_beta_figure, {
    "z": y, "bins": 3}),
     {"z": "vector", "epsilon": "positive", "bins": "count", "z_limit": "positive"})
case("normalisation.learning_rate_figure", lambda: (normalisation.learning_rate_figure, {
    "runs": runs()}), {"runs": "object", "cost_limits": "vector"})
case("normalisation.histogram_figure", lambda: (normalisation.histogram_figure, {
    "plain": recording(False), "normalised": recording(True)}),
     {"plain": "object", "normalised": "object", "saturation": "positive"})


def _evaluation_data():
    X_, Y_ = moons(16)
    net = bn_model()
    return normalisation.evaluation_data, {
        "model": net, "unit_layer": net[0], "unit": 0, "X_train": X_, "X_test": X_,
        "Y_test": Y_, "batch_sizes": [1, 4], "n_shown": 2}


case("normalisation.evaluation_data", _evaluation_data,
     {"model": "model", "unit_layer": "model", "unit": "count0", "X_train": "matrix",
      "X_test": "matrix", "Y_test": "matrix", "batch_sizes": "sizes", "n_shown": "count",
      "class_names": "iterable"})
case("normalisation.evaluation_figure", lambda: (normalisation.evaluation_figure, {
    "data": evaluation(), "n_batches": 5}),
     {"data": "object", "n_batches": "count", "seed": "count0"})

# --- piecewise
for fn in ("sigmoid", "sigmoid_derivative", "hard_sigmoid", "hard_sigmoid_derivative",
           "relu", "relu_derivative", "linear_activation", "linear_activation_derivative"):
    case(f"piecewise.{fn}", lambda fn=fn: (getattr(piecewise, fn), {"z": X}), {"z": "array"})
case("piecewise.make_params", lambda: (piecewise.make_params, {
    "W": [[1.0]], "b": [[0.0]], "c": [0.5], "b0": 0.1}),
     {"W": "matrix", "b": "matrix", "c": "vector", "b0": "scalar"})
for fn in ("forward", "predict", "pieces"):
    case(f"piecewise.{fn}", lambda fn=fn: (getattr(piecewise, fn), {
        "params": params(), "X": x1}),
         {"params": "object", "X": "matrix", "activation": "choice"})


def _piecewise_backward():
    y_hat, r, a = piecewise.forward(params(), x1)
    return piecewise.backward, {"params": params(), "X": x1, "y": y, "r": r, "a": a,
                                "y_hat": y_hat}


case("piecewise.backward", _piecewise_backward,
     {"params": "object", "X": "matrix", "y": "vector", "r": "matrix", "a": "matrix",
      "y_hat": "vector", "activation": "choice"})
case("piecewise.n_unknowns", lambda: (piecewise.n_unknowns, {"n": 1, "n1": 2}),
     {"n": "count", "n1": "count"})
case("piecewise.to_theta", lambda: (piecewise.to_theta, {"params": params()}),
     {"params": "object"})
case("piecewise.from_theta", lambda: (piecewise.from_theta, {
    "theta": piecewise.to_theta(params()), "n": 1, "n1": 2}),
     {"theta": "vector", "n": "count", "n1": "count"})
for fn in ("loss", "gradient"):
    case(f"piecewise.{fn}", lambda fn=fn: (getattr(piecewise, fn), {
        "theta": piecewise.to_theta(params()), "X": x1, "y": y, "n1": 2}),
         {"theta": "vector", "X": "matrix", "y": "vector", "n1": "count",
          "activation": "choice"})
case("piecewise.init_params", lambda: (piecewise.init_params, {
    "X": x1, "y": y, "n1": 2, "rng": rng()}),
     {"X": "matrix", "y": "vector", "n1": "count", "rng": "rng", "steepness": "positive"})
case("piecewise.fit", lambda: (piecewise.fit, {
    "X": x1, "y": y, "n1": 2, "steps": 3, "rng": rng()}),
     {"X": "matrix", "y": "vector", "n1": "count", "activation": "choice", "lr": "positive",
      "steps": "count", "rng": "rng", "params": "object", "steepness": "positive"},
     allowed=(FloatingPointError,))  # documented: "diverged at step k: try a smaller lr"
case("piecewise.add_unit", lambda: (piecewise.add_unit, {"params": params(),
                                                         "new": params()}),
     {"params": "object", "new": "object"})
case("piecewise.fit_unit_by_unit", lambda: (piecewise.fit_unit_by_unit, {
    "X": x1, "y": y, "max_units": 2, "steps": 2, "rng": rng()}),
     {"X": "matrix", "y": "vector", "max_units": "count", "activation": "choice",
      "lr": "positive", "steps": "count", "rng": "rng", "steepness": "positive"},
     allowed=(FloatingPointError,))
case("piecewise.piecewise_linear", lambda: (piecewise.piecewise_linear, {
    "x": x, "knots_x": [0.0, 0.5, 1.0], "knots_y": [0.0, 1.0, 0.5]}),
     {"x": "array", "knots_x": "vector", "knots_y": "vector"})
case("piecewise.hard_sigmoid_pieces", lambda: (piecewise.hard_sigmoid_pieces, {
    "knots_x": [0.0, 0.5, 1.0], "knots_y": [0.0, 1.0, 0.5]}),
     {"knots_x": "vector", "knots_y": "vector"})
case("piecewise.relu_pairs", lambda: (piecewise.relu_pairs, {"params": params()}),
     {"params": "object"})
case("piecewise.init_network", lambda: (piecewise.init_network, {
    "sizes": [1, 3, 1], "rng": rng()}), {"sizes": "sizes", "rng": "rng"})
for fn in ("network_forward", "network_predict"):
    case(f"piecewise.{fn}", lambda fn=fn: (getattr(piecewise, fn), {
        "layers": network(), "X": x1}), {"layers": "iterable", "X": "matrix"})


def _network_backward():
    net = network()
    y_hat, zs, activations = piecewise.network_forward(net, x1)
    return piecewise.network_backward, {"layers": net, "y": y, "y_hat": y_hat, "zs": zs,
                                        "activations": activations}


case("piecewise.network_backward", _network_backward,
     {"layers": "iterable", "y": "vector", "y_hat": "vector", "zs": "iterable",
      "activations": "iterable"})
case("piecewise.train_network", lambda: (piecewise.train_network, {
    "X": x1, "y": y, "hidden": [3], "lr": 0.1, "steps": 3, "rng": rng()}),
     {"X": "matrix", "y": "vector", "hidden": "sizes", "lr": "positive", "steps": "count",
      "rng": "rng"})
case("piecewise.draw_units_diagram", lambda: (piecewise.draw_units_diagram, {
    "n": 2, "n1": 2, "ax": axes()}),
     {"n": "count", "n1": "count", "ax": "ax", "activation": "text"})

# --- playground
case("playground.make_dataset", lambda: (playground.make_dataset, {
    "name": "xor", "m": 6, "noise": 0.1, "rng": rng()}),
     {"name": "choice", "m": "count", "noise": "non-negative", "rng": "rng"})


def _followed(method):
    trainer = court()
    trainer.advance(0, "xor", 2, 1, "tanh", 0.1)
    return getattr(trainer, method)


case("playground.TickTrainer.start", lambda: (_followed("start"), {"model": model()}),
     {"model": "model"})
case("playground.TickTrainer.train", lambda: (_followed("train"), {"steps": 2}),
     {"steps": "count0"})
case("playground.TickTrainer.follow", lambda: (_followed("follow"), {
    "tick": 1, "settings": playground.Settings("xor", 2, 1, "tanh"), "lr": 0.1}),
     {"tick": "count0", "settings": "object", "lr": "positive"})
case("playground.Playground", lambda: (playground.Playground, {
    "m_train": 8, "m_test": 4, "steps_per_tick": 1, "resolution": 4}),
     {"m_train": "count", "m_test": "count", "steps_per_tick": "count",
      "max_catch_up": "count", "resolution": "count", "extent": "positive",
      "noise": "object", "seed": "count0", "data_seed": "count0",
      "divergence_factor": "positive"})
case("playground.Playground.advance", lambda: (court().advance, {
    "tick": 1, "dataset": "xor", "width": 2, "depth": 1, "activation": "tanh", "lr": 0.1}),
     {"tick": "count0", "dataset": "choice", "width": "count", "depth": "count0",
      "activation": "choice", "lr": "positive"})
case("playground.Playground.reset", lambda: (court().reset, {
    "settings": playground.Settings("xor", 2, 1, "tanh")}), {"settings": "object"})
case("playground.grid_forward", lambda: (playground.grid_forward, {
    "model": model(), "X": X.astype(np.float32)}), {"model": "model", "X": "matrix"})


def _pixel_image():
    return playground.PixelImage, {"ax": axes(), "rgba": np.zeros((2, 2, 4), np.uint8)}


case("playground.PixelImage", _pixel_image, {"ax": "ax", "rgba": "images"})


def _set_data():
    cls, kwargs = _pixel_image()
    return cls(**kwargs).set_data, {"rgba": np.zeros((3, 3, 4), np.uint8)}


case("playground.PixelImage.set_data", _set_data, {"rgba": "images"})
case("playground.playground_figure", lambda: (playground.playground_figure, {
    "court": court(), "figsize": (3, 1.5)}),
     {"court": "object", "max_ticks": "count", "figsize": "figsize"})
case("playground.count_parameters", lambda: (playground.count_parameters,
                                             {"sizes": [2, 3, 1]}), {"sizes": "sizes"})
case("playground.draw_network", lambda: (playground.draw_network, {
    "sizes": [2, 3, 1], "ax": axes()}), {"sizes": "sizes", "ax": "ax", "max_drawn": "count"})
case("playground.draw_computation_graph", lambda: (playground.draw_computation_graph, {
    "nodes": [playground.Node("x", (0, 0), "x", 1.0),
              playground.Node("z", (1, 0), "z = 2x", 2.0, 1.0)],
    "edges": [("x", "z")], "ax": axes()}),
     {"nodes": "iterable", "edges": "iterable", "ax": "ax", "loss_name": "text"})

# --- plotting
case("plotting.error_surface", lambda: (plotting.error_surface, {
    "ws": [0.0, 1.0], "bs": [0.0, 1.0, 2.0], "surface": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
    "ax": axes(), "levels": 3}),
     {"ws": "vector", "bs": "vector", "surface": "matrix", "ax": "ax", "levels": "count",
      "log": "flag", "cmap": "choice", "colorbar": "flag"})

# --- validate: the error must name the thing being checked (the `name` argument)
for fn, value in (("as_array", [1.0]), ("as_vector", [1.0]), ("as_matrix", [[1.0]])):
    case(f"validate.{fn}", lambda fn=fn, value=value: (getattr(validate, fn), {
        "name": "x", "values": value}),
         {"name": "text", "values": "vector" if fn != "as_matrix" else "matrix",
          **({"finite": "flag"} if fn == "as_array" else {})}, names={"values": "x"})
case("validate.all_finite", lambda: (validate.all_finite, {"array": np.ones(2)}),
     {"array": "object"})
case("validate.as_scalar", lambda: (validate.as_scalar, {"name": "w", "value": 1.0}),
     {"name": "text", "value": "scalar"}, names={"value": "w"})
case("validate.is_number", lambda: (validate.is_number, {"value": 1.0}), {"value": "object"})
for fn, kind in (("as_positive", "positive"), ("as_non_negative", "non-negative")):
    case(f"validate.{fn}", lambda fn=fn: (getattr(validate, fn), {"name": "lr", "value": 0.5}),
         {"name": "text", "value": kind, "hint": "text"}, names={"value": "lr"})
case("validate.as_count", lambda: (validate.as_count, {"name": "n", "value": 2}),
     {"name": "text", "value": "count", "minimum": "count0"}, names={"value": "n"})
case("validate.as_fraction", lambda: (validate.as_fraction, {
    "owner": "Adam", "name": "beta1", "value": 0.9, "example": "0.9"}),
     {"owner": "text", "name": "text", "value": "fraction", "example": "text"},
     names={"value": "beta1"})
case("validate.as_flag", lambda: (validate.as_flag, {"name": "bias", "value": True}),
     {"name": "text", "value": "flag"}, names={"value": "bias"})
case("validate.as_choice", lambda: (validate.as_choice, {
    "name": "loss", "value": "MSE", "options": ("MSE", "MAE")}),
     {"name": "text", "value": "choice", "options": "iterable"}, names={"value": "loss"})
case("validate.as_learning_rate", lambda: (validate.as_learning_rate, {"lr": 0.1}),
     {"lr": "positive", "name": "text"})
case("validate.as_factor", lambda: (validate.as_factor, {
    "name": "divergence_factor", "value": 10.0}), {"name": "text", "value": "positive"},
     names={"value": "divergence_factor"})
case("validate.as_text", lambda: (validate.as_text, {"name": "label", "value": "w"}),
     {"name": "text"}, names={"value": "label"})
case("validate.as_path", lambda: (validate.as_path, {"name": "path", "value": "a.gif"}),
     {"name": "text", "value": "path"}, names={"value": "path"})
case("validate.as_size", lambda: (validate.as_size, {"name": "figsize", "value": (3, 2)}),
     {"name": "text", "value": "figsize"}, names={"value": "figsize"})
case("validate.as_figure", lambda: (validate.as_figure, {"name": "fig",
                                                         "fig": small_figure()[0]}),
     {"name": "text", "fig": "figure"})
case("validate.as_instance", lambda: (validate.as_instance, {
    "name": "n", "value": 3, "cls": int}),
     {"name": "text", "value": "object", "cls": "object", "example": "text"},
     names={"value": "n"})
case("validate.as_images", lambda: (validate.as_images, {
    "name": "images", "images": np.zeros((1, 2, 2), np.uint8)}),
     {"name": "text", "images": "images"})
case("validate.as_generator", lambda: (validate.as_generator, {"rng": rng()}),
     {"rng": "rng", "purpose": "text"})
case("validate.as_callable", lambda: (validate.as_callable, {"name": "f", "value": abs}),
     {"name": "text", "value": "callable", "example": "text"}, names={"value": "f"})
case("validate.as_list", lambda: (validate.as_list, {"name": "sizes", "values": [1, 2]}),
     {"name": "text", "values": "iterable", "limit": "count", "what": "text"},
     names={"values": "sizes"})
case("validate.as_model", lambda: (validate.as_model, {"name": "model", "model": model()}),
     {"name": "text", "model": "model", "methods": "iterable", "example": "text"})
case("validate.as_axes", lambda: (validate.as_axes, {"ax": axes()}),
     {"ax": "ax", "name": "text"})
case("validate.same_length", lambda: (validate.same_length, {}),
     extra=(("None", (), {"x": [1.0], "y": None}), ("a string", (), {"x": [1.0], "y": "no"}),
            ("different lengths", (), {"x": [1.0], "y": [1.0, 2.0]})))

# --- notebook_runner (as far as sensible: no kernel is started for a bad argument)
case("notebook_runner.clean", lambda: (notebook_runner.clean, {
    "notebook": nbformat.v4.new_notebook()}), {"notebook": "object"})
case("notebook_runner.execute", lambda: (notebook_runner.execute, {
    "path": tiny_notebook(str(Path.cwd())), "timeout": 60}),
     {"path": "path", "timeout": "count"}, timeout=30.0)
case("notebook_runner.main", lambda: (notebook_runner.main, {"paths": []}),
     {"paths": "iterable"})


# --- the tests ---------------------------------------------------------------------------------


def test_every_public_callable_is_covered():
    """A function added later cannot be forgotten: it needs a case or a reason."""
    found = public_callables()
    missing = [name for name, obj in found.items()
               if name not in CASES and exemption(name, obj) is None]
    assert not missing, f"give these a case in CASES (or a reason in EXEMPT): {missing}"
    stale = sorted(name for name in CASES if name not in found and resolve(name) is None)
    assert not stale, f"these cases name no public callable: {stale}"
    for name, reason in EXEMPT.items():
        assert name in found, f"EXEMPT names {name}, which is not public: {reason}"


def built(case_: Case):
    """(callable, args, kwargs) of a fresh valid call."""
    made = case_.build()
    return made if len(made) == 3 else (made[0], (), made[1])


def variants(case_: Case, func, args: tuple, kwargs: dict):
    """(description, args, kwargs, the parameter that is wrong) for every bad call."""
    for param in parameters(func):
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD) or param.name in case_.fixed:
            continue
        kind = case_.kinds.get(param.name, "object")
        good = kwargs.get(param.name, param.default)
        for label, value in bad_values(kind, good):
            yield f"{param.name}={label}", args, {**kwargs, param.name: value}, param.name
    for label, extra_args, extra_kwargs in case_.extra:
        yield label, args if extra_args is None else extra_args, {**kwargs, **extra_kwargs}, None


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gets_a_clear_error(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a path such as "no" is written here, not in the repo
    figures_before = set(live.registry())
    try:
        check_case(name)
    finally:  # live figures made here leave the registry (drive_all would drive them)
        for key, figure in live.registry().items():
            if key not in figures_before:
                figure.close()


def check_case(name: str) -> None:
    case_ = CASES[name]
    func, args, kwargs = built(case_)
    result, error, caught = call(func, args, kwargs, case_.timeout)
    assert error is None, f"the valid call failed: {error!r}"
    assert not caught, f"the valid call warned: {[str(w.message) for w in caught]}"
    assert non_finite(result) is None, f"the valid call returned {non_finite(result)}"
    problems = []
    for label, bad_args, bad_kwargs, param in variants(case_, func, args, kwargs):
        func, _, _ = built(case_)
        result, error, caught = call(func, bad_args, bad_kwargs, case_.timeout)
        what = f"{name}({label})"
        if isinstance(error, Hang):
            problems.append(f"{what}: hangs ({error})")
        elif error is not None and not isinstance(error, (InputError, *case_.allowed)):
            problems.append(f"{what}: raw {type(error).__name__}: {error}")
        elif isinstance(error, InputError) and param is not None:
            word = case_.names.get(param, param)
            if not mentions(str(error), word):
                problems.append(f"{what}: the message does not name {word!r}: {error}")
        elif error is None and non_finite(result):
            problems.append(f"{what}: returned {non_finite(result)}")
        if caught:
            problems.append(f"{what}: warned {[str(w.message)[:80] for w in caught]}")
    assert not problems, "\n".join(problems)
