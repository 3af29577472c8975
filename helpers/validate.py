"""Clear errors for bad input: a learner should read what is wrong, not a wall of NaN.

Every check here raises :class:`InputError`, the course's one error for a bad argument.
Its message names the argument, says what was wrong and how to fix it. It is both a
``ValueError`` and a ``TypeError``, so ``except ValueError`` (or ``TypeError``) in a
learner's code still catches it.

The modules of ``helpers`` check their arguments with these functions, one of each kind:

* arrays: :func:`as_array` (any shape), :func:`as_vector` (m,), :func:`as_matrix` (n, m),
  :func:`same_length`, :func:`all_finite`;
* numbers: :func:`as_scalar` (any finite number), :func:`as_positive` (a rate, a size),
  :func:`as_learning_rate`, :func:`as_non_negative`, :func:`as_factor` (> 1),
  :func:`as_count` (an integer),
  :func:`as_fraction` (a weight in [0, 1)), :func:`is_number`;
* everything else: :func:`as_flag` (True or False), :func:`as_choice` (one of a few
  options), :func:`as_generator` (a NumPy random Generator), :func:`as_callable`,
  :func:`as_list` (a finite sequence), :func:`as_model` (an object with the methods a
  network or a loss has), :func:`as_instance`, :func:`as_images` (grey levels 0..255),
  :func:`as_text`, :func:`as_path`, :func:`as_size` (a figure size), :func:`as_figure` and
  :func:`as_axes` (matplotlib's).

Each one is cheap (a few comparisons, one pass over an array at most).
"""

from __future__ import annotations

import itertools
import math
import numbers
import os
from collections.abc import Hashable, Iterable
from pathlib import Path

import numpy as np


class InputError(ValueError, TypeError):
    """A bad argument to a function of ``helpers``: the message names the argument, what
    was wrong and the fix."""


def _type_name(value) -> str:
    return type(value).__name__


def _described(value) -> str:
    """A short description of a bad value for a message: its repr if short, else its type."""
    text = repr(value)
    return text if len(text) <= 40 else f"a {_type_name(value)}"


# --- arrays -----------------------------------------------------------------------------


def as_array(name: str, values, *, finite: bool = True) -> np.ndarray:
    """``values`` as a float array of any shape (no copy when it already is one), or an
    InputError: None, strings, ragged lists and other objects are refused, and so are
    NaN and infinity unless ``finite=False``."""
    if type(values) is np.ndarray and values.dtype == np.float64:  # the usual case: fast
        if finite and not all_finite(values):
            raise InputError(f"{name} contains NaN or infinity: every entry must be a finite "
                             f"number")
        return values
    if values is None:
        raise InputError(f"{name} is None: pass an array of numbers")
    if isinstance(values, (str, bytes)):
        raise InputError(f"{name} must be an array of numbers, got the string "
                         f"{_described(values)}")
    try:
        array = np.asarray(values)
        if array.dtype.kind not in "biuf":  # strings, objects, complex numbers, dates...
            if array.dtype.kind != "O" or not all(isinstance(v, numbers.Real)
                                                   for v in array.flat):
                raise TypeError  # (None in an object array would become NaN)
            array = array.astype(float)  # an object array of numbers (Fractions, big ints)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} must be an array of numbers (a list, a NumPy array), got "
                         f"{_described(values)}") from None
    array = array.astype(float, copy=False)
    if finite and not all_finite(array):
        raise InputError(f"{name} contains NaN or infinity: every entry must be a finite "
                         f"number")
    return array


def all_finite(array: np.ndarray) -> bool:
    """True if no entry is NaN or ±inf. One sum decides almost always (a NaN or inf makes
    the sum non-finite); only if the sum overflows are the entries looked at."""
    if not (isinstance(array, np.ndarray) and array.dtype.kind in "biuf"):
        array = as_array("array", array, finite=False)
    if array.size <= 4096:  # small: looking at every entry is the quickest
        return bool(np.isfinite(array).all())
    with np.errstate(over="ignore", invalid="ignore"):
        if math.isfinite(array.sum()):
            return True
    return bool(np.isfinite(array).all())


def as_vector(name: str, values) -> np.ndarray:
    """``values`` as a non-empty 1-D float array of finite numbers, or an InputError."""
    array = as_array(name, values, finite=False)
    if array.ndim != 1:
        raise InputError(f"{name} must be a 1-D array, got shape {array.shape}")
    if array.size == 0:
        raise InputError(f"{name} is empty: it needs at least one number")
    if not all_finite(array):
        raise InputError(f"{name} contains NaN or infinity")
    return array


def as_matrix(name: str, values) -> np.ndarray:
    """``values`` as a non-empty 2-D float array (n features, m examples), or an
    InputError."""
    array = as_array(name, values, finite=False)
    if array.ndim != 2:
        raise InputError(f"{name} must be 2-D with one column per example, "
                         f"shape (n, m); got shape {array.shape}")
    if array.size == 0:
        raise InputError(f"{name} is empty: shape {array.shape}")
    if not all_finite(array):
        raise InputError(f"{name} contains NaN or infinity")
    return array


def same_length(**arrays: np.ndarray) -> None:
    """Raise an InputError naming the arrays if their numbers of examples (last axis)
    differ."""
    lengths = {}
    for name, a in arrays.items():
        a = a if isinstance(a, np.ndarray) else as_array(name, a, finite=False)
        if a.ndim == 0:
            raise InputError(f"{name} must be an array with one entry per example, got a "
                             f"single number")
        lengths[name] = a.shape[-1]
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise InputError(f"the numbers of examples differ: {described}")


# --- numbers ----------------------------------------------------------------------------


def is_number(value) -> bool:
    """True for one real number (int, float or NumPy scalar); False for True/False,
    strings, arrays and anything else."""
    return (not isinstance(value, (bool, np.bool_))
            and isinstance(value, (int, float, np.number))
            and not isinstance(value, np.complexfloating) and np.ndim(value) == 0)


def as_scalar(name: str, value) -> float:
    """``value`` as a finite float (a number, or a 0-d array), or a clear error; True/False,
    strings and None are refused."""
    if isinstance(value, float) and math.isfinite(value):  # the usual case: fast
        return float(value)
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise InputError(f"{name} must be a number, not {_type_name(value)}")
    try:
        ndim = np.ndim(value)
    except (TypeError, ValueError):  # a ragged list
        raise InputError(f"{name} must be a single number, not {_type_name(value)}") from None
    if ndim != 0:
        raise InputError(f"{name} must be a single number, got shape {np.shape(value)}")
    if np.iscomplexobj(value):
        raise InputError(f"{name} must be a real number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} must be a number, not {_type_name(value)}") from None
    if not math.isfinite(number):
        raise InputError(f"{name} is {number}: it must be a finite number")
    return number


def as_positive(name: str, value, hint: str = "", *, what: str | None = None) -> float:
    """``value`` as a positive finite float (a learning rate, a temperature...), or a
    clear error; True/False and strings are refused. ``hint`` follows the message (say,
    why it must be positive); ``what`` replaces "a positive finite number" in it (e.g.
    "a positive number such as 0.1")."""
    if not is_number(value):
        raise InputError(f"{name} must be {what or 'a number'}, got "
                         f"{_described(value) if what else _type_name(value)}{hint}")
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        shown = repr(value) if what else number
        raise InputError(f"{name} must be {what or 'a positive finite number'}, got "
                         f"{shown}{hint}")
    return number


def as_non_negative(name: str, value, hint: str = "", *, what: str | None = None) -> float:
    """``value`` as a finite float >= 0 (a standard deviation, a decay, a margin...), or a
    clear error; True/False and strings are refused. ``what`` replaces "a finite number
    >= 0" in the message."""
    what = what or "a finite number >= 0"
    if not is_number(value):
        raise InputError(f"{name} must be {what}, got {_described(value)}{hint}")
    number = float(value)
    if not (math.isfinite(number) and number >= 0):
        raise InputError(f"{name} must be {what}, got {number}{hint}")
    return number


def as_learning_rate(lr, name: str = "the learning rate lr") -> float:
    """``lr`` as a positive finite float, or an InputError that says why it must be
    positive. The one check of a learning rate, for every trainer of the course."""
    if not is_number(lr):
        raise InputError(f"{name} must be a number, got {_type_name(lr)}: a positive number "
                         f"such as 0.1")
    number = float(lr)
    if not (math.isfinite(number) and number > 0):
        why = (" (lr must be positive: a step of −lr × gradient with lr ≤ 0 does not go "
               "downhill; try 0.1)" if number <= 0 else "")
        raise InputError(f"{name} must be a positive finite number, got {number}{why}")
    return number


def as_factor(name: str, value) -> float:
    """``value`` as a finite float > 1 (a growth factor, such as divergence_factor), or an
    InputError."""
    if not (is_number(value) and math.isfinite(value) and value > 1):  # NaN fails too
        raise InputError(f"{name} must be a number > 1, got {value!r}")
    return float(value)


def as_count(name: str, value, minimum: int = 1) -> int:
    """``value`` as an int ≥ ``minimum`` (a number of steps, units, examples...), or an
    InputError; True/False and floats such as 3.0 are refused."""
    if isinstance(minimum, bool) or not isinstance(minimum, int):
        raise InputError(f"minimum must be an integer, got {_described(minimum)}")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or value < minimum:
        what = "a positive integer" if minimum == 1 else f"an integer ≥ {minimum}"
        raise InputError(f"{name} must be {what}, got {_described(value)}")
    return int(value)


def as_fraction(owner: str, name: str, value, example: str) -> float:
    """``value`` as a number in [0, 1), the weight of the old average in an exponentially
    weighted one (a momentum or a β), or a clear error naming ``owner`` and ``name``."""
    if not is_number(value):
        raise InputError(f"{owner}: {name} must be a number in [0, 1), e.g. {example}; "
                         f"got {_type_name(value)}")
    value = float(value)
    if not 0.0 <= value < 1.0:  # NaN fails too
        raise InputError(f"{owner}: {name} must be in [0, 1), e.g. {example} (it weighs the "
                         f"old average; 1 would never learn anything new), got {value}")
    return value


# --- everything else --------------------------------------------------------------------


def as_flag(name: str, value) -> bool:
    """``value`` as a bool if it is True or False (a Python or a NumPy bool), or an
    InputError: a string such as "no" would count as True, and 1.5 is not a yes or no."""
    if not isinstance(value, (bool, np.bool_)):
        raise InputError(f"{name} must be True or False, got {_described(value)}")
    return bool(value)


def as_choice(name: str, value, options):
    """``value`` if it is one of ``options`` (compared by ==, True and 1 told apart), or
    an InputError listing them."""
    options = as_list("options", options, limit=1000, what="a list of the allowed values")
    if not any(_same_option(value, option) for option in options):
        listed = ", ".join(repr(o) for o in options)
        raise InputError(f"{name} must be one of {listed}; got {_described(value)}")
    return value


def _same_option(value, option) -> bool:
    if value is option:
        return True
    if not isinstance(value, Hashable) or isinstance(value, (bool, np.bool_)) \
            or isinstance(option, (bool, np.bool_)):
        return False
    try:
        return bool(value == option)
    except (TypeError, ValueError):
        return False


def as_generator(rng, purpose: str = "") -> np.random.Generator:
    """``rng`` if it is a NumPy random Generator, or an InputError saying how to make one;
    ``purpose`` says what it is needed for (e.g. "to shuffle the examples")."""
    if not isinstance(rng, np.random.Generator):
        why = f" {purpose}" if purpose else ""
        raise InputError(f"rng must be a NumPy random Generator{why}, "
                         f"np.random.default_rng(seed); got {_type_name(rng)}")
    return rng


def as_callable(name: str, value, example: str = ""):
    """``value`` if it can be called (a function), or an InputError."""
    if not callable(value):
        such = f", such as {example}" if example else ""
        raise InputError(f"{name} must be a function{such}; got {_described(value)}")
    return value


def as_list(name: str, values, *, limit: int = 10_000, what: str = "a list") -> list:
    """The items of a finite sequence (a list, a tuple, an array, a range...) as a list,
    or an InputError: None, a string, a number, and an endless iterator (more than
    ``limit`` items are never drawn from it) are refused."""
    if values is None or isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InputError(f"{name} must be {what}, got {_described(values)}")
    if isinstance(values, np.ndarray) and values.ndim == 0:
        raise InputError(f"{name} must be {what}, got a single number")
    limit = as_count("limit", limit)
    items = list(itertools.islice(values, limit + 1))
    if len(items) > limit:
        raise InputError(f"{name} has more than {limit} items (is it an endless iterator, "
                         f"such as itertools.count()?): pass {what} of at most {limit}")
    return items


def as_model(name: str, model, methods=("forward", "backward"), example: str = "") -> object:
    """``model`` if it has every method in ``methods`` (a network, a layer, a loss...), or
    an InputError saying what it should be."""
    if not (isinstance(methods, tuple) and all(isinstance(m, str) for m in methods)):
        raise InputError(f"methods must be a tuple of method names, got {_described(methods)}")
    missing = [m for m in methods if not callable(getattr(model, m, None))]
    if missing:
        such = f", e.g. {example}" if example else ""
        raise InputError(f"{name} must be an object with {' and '.join(methods)} "
                         f"methods{such}; got {_described(model)}")
    return model


def as_axes(ax, name: str = "ax"):
    """``ax`` if it is a matplotlib Axes, or pyplot's current axes for None; otherwise an
    InputError."""
    from matplotlib.axes import Axes

    if ax is None:
        from matplotlib import pyplot as plt

        return plt.gca()
    if not isinstance(ax, Axes):
        raise InputError(f"{name} must be matplotlib axes (fig, ax = plt.subplots()) or None "
                         f"for the current axes; got {_described(ax)}")
    return ax


def as_text(name: str, value) -> str:
    """``value`` if it is a string (a label, a title, a description), or an InputError."""
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string (text), got {_described(value)}")
    return value


def as_path(name: str, value) -> Path:
    """``value`` (a string or a path) as a ``pathlib.Path``, or an InputError."""
    if not isinstance(value, (str, os.PathLike)):
        raise InputError(f"{name} must be a path: a string such as 'data' or a "
                         f"pathlib.Path; got {_described(value)}")
    return Path(value)


def as_size(name: str, value) -> tuple[float, float]:
    """``value`` as two positive finite numbers (a figure's (width, height) in inches),
    or an InputError."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable) \
            or len(items := list(itertools.islice(value, 3))) != 2 \
            or not all(is_number(v) and math.isfinite(v) and v > 0 for v in items):
        raise InputError(f"{name} must be two positive numbers (width, height) in inches, "
                         f"e.g. (8, 3.6); got {_described(value)}")
    return float(items[0]), float(items[1])


def as_figure(name: str, fig):
    """``fig`` if it is a matplotlib Figure (from ``helpers.live.figure``), or an
    InputError."""
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise InputError(f"{name} must be a matplotlib Figure, e.g. fig, ax = "
                         f"live.figure(); got {_described(fig)}")
    return fig


def as_instance(name: str, value, cls, example: str = ""):
    """``value`` if it is an instance of ``cls`` (a class or a tuple of classes), or an
    InputError saying what it should be."""
    classes = cls if isinstance(cls, tuple) else (cls,)
    if not classes or not all(isinstance(c, type) for c in classes):
        raise InputError(f"cls must be a class or a tuple of classes, got {_described(cls)}")
    if not isinstance(value, classes):
        kinds = " or ".join(c.__name__ for c in classes)
        such = f", e.g. {example}" if example else ""
        raise InputError(f"{name} must be a {kinds}{such}; got {_described(value)}")
    return value


def as_images(name: str, images) -> np.ndarray:
    """``images`` as an array of m ≥ 1 images (m, height, width[, channels]) of grey
    levels 0..255 (no copy), or an InputError. Floats already divided by 255 (in [0, 1],
    not whole numbers) are refused: dividing them again would give an almost black X."""
    what = (f"{name} must have shape (m, height, width[, channels]) with m >= 1, holding grey "
            f"levels 0 to 255 (uint8, as data.load_fashion_mnist gives them)")
    if images is None or isinstance(images, (str, bytes)):
        raise InputError(f"{what}; got {_type_name(images)}")
    try:
        images = np.asarray(images)
    except ValueError:  # a ragged list
        raise InputError(f"{what}; got a ragged list") from None
    if images.ndim < 3 or 0 in images.shape:
        raise InputError(f"{what}; got shape {images.shape}")
    if images.dtype.kind not in "uif":
        raise InputError(f"{what}; got an array of {images.dtype}")
    if images.dtype == np.uint8:
        return images  # every value is a grey level
    if not all_finite(images):
        raise InputError(f"{name} contain NaN or infinity: they must hold grey levels from 0 "
                         f"to 255")
    if images.min() < 0 or images.max() > 255:
        raise InputError(f"{name} must hold grey levels from 0 to 255, got values from "
                         f"{images.min()} to {images.max()}")
    if images.dtype.kind == "f" and images.max() <= 1 and np.any(images != np.round(images)):
        raise InputError(f"{name} already lie in [0, 1] (floats such as 0.5), but grey levels "
                         f"0 to 255 are expected (uint8, as data.load_fashion_mnist gives "
                         f"them), and they are divided by 255 here: pass the images before "
                         f"dividing them by 255")
    return images
