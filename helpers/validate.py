"""Clear errors for bad input: a learner should read what is wrong, not a wall of NaN."""

from __future__ import annotations

import numpy as np


def as_vector(name: str, values) -> np.ndarray:
    """``values`` as a non-empty 1-D float array of finite numbers, or a ValueError."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: it needs at least one number")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity")
    return array


def as_matrix(name: str, values) -> np.ndarray:
    """``values`` as a non-empty 2-D float array (n features, m examples), or a ValueError."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D with one column per example, "
                         f"shape (n, m); got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity")
    return array


def same_length(**arrays: np.ndarray) -> None:
    """Raise a ValueError naming the arrays if their numbers of examples differ."""
    lengths = {name: np.shape(a)[-1] for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"the numbers of examples differ: {described}")


def as_scalar(name: str, value) -> float:
    """``value`` as a finite float, or a clear error."""
    if np.ndim(value) != 0:
        raise ValueError(f"{name} must be a single number, got shape {np.shape(value)}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}") from None
    if not np.isfinite(number):
        raise ValueError(f"{name} is {number}: it must be a finite number")
    return number


def is_number(value) -> bool:
    """True for one real number (int, float or NumPy scalar); False for True/False,
    strings, arrays and anything else."""
    return (not isinstance(value, bool) and isinstance(value, (int, float, np.number))
            and np.ndim(value) == 0)


def as_positive(name: str, value) -> float:
    """``value`` as a positive finite float (a learning rate, a temperature...), or a
    clear error; True/False and strings are refused."""
    if not is_number(value):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    number = float(value)
    if not (np.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive finite number, got {number}")
    return number


def as_count(name: str, value, minimum: int = 1) -> int:
    """``value`` as an int ≥ ``minimum`` (a number of steps, units, examples...), or a
    ValueError; True/False and floats such as 3.0 are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        what = "a positive integer" if minimum == 1 else f"an integer ≥ {minimum}"
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return int(value)


def as_generator(rng) -> np.random.Generator:
    """``rng`` if it is a NumPy random Generator, or a TypeError saying how to make one."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a NumPy random Generator, np.random.default_rng(seed); "
                        f"got {type(rng).__name__}")
    return rng


def as_fraction(owner: str, name: str, value, example: str) -> float:
    """``value`` as a number in [0, 1), the weight of the old average in an exponentially
    weighted one (a momentum or a β), or a clear error naming ``owner`` and ``name``."""
    if not is_number(value):
        raise TypeError(f"{owner}: {name} must be a number in [0, 1), e.g. {example}; "
                        f"got {type(value).__name__}")
    value = float(value)
    if not 0.0 <= value < 1.0:  # NaN fails too
        raise ValueError(f"{owner}: {name} must be in [0, 1), e.g. {example} (it weighs the "
                         f"old average; 1 would never learn anything new), got {value}")
    return value
