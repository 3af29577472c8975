"""Small data sets for the course, loaded with plain NumPy.

Two real data sets ship with the course as CSV files in ``data/`` (nothing is
ever downloaded):

* ``births_us_1969_1988.csv`` -- number of babies born in the US on each day,
  1969-01-01 to 1988-12-31 (7,305 days). Load it with :func:`load_births`.
* ``ames_houses.csv`` -- 2,930 house sales in Ames, Iowa, 2006-2010.
  Load it with :func:`load_houses`.

Every file is checked against the SHA-256 checksum in :data:`CHECKSUMS` before it
is read, so a missing or accidentally edited file gives a clear error
(:class:`DataFileError`) instead of a silently wrong plot.

There is also a toy data set, :func:`beans`, generated on the fly from a random
number generator. See ``data/README.md`` for sources and licences.

Example::

    import numpy as np
    from helpers.data import beans, load_births, load_houses

    births = load_births()            # births.dates, births.counts
    houses = load_houses()            # houses.area, houses.age, houses.price
    x, y = beans(100, np.random.default_rng(0))
"""

import csv
import hashlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# SHA-256 of each shipped file; data/README.md lists the same values.
CHECKSUMS = {
    "births_us_1969_1988.csv": "cb3eb974c695aa313d9c97dc63ae6d9297a12420c75ca8204a1a2b56cd4ebe03",
    "ames_houses.csv": "3cb9f1b1ea084e1ba92e42d0ad7ef86ee89eb77f734e3da818a23058a2a1ccd2",
}

# The script in data/ that rebuilds each file.
MAKE_SCRIPTS = {
    "births_us_1969_1988.csv": "make_births.py",
    "ames_houses.csv": "make_houses.py",
}

SQFT_TO_M2 = 0.09290304  # one square foot in square metres (exact)


class DataFileError(RuntimeError):
    """A course data file is missing or its contents are not the shipped ones."""


# --------------------------------------------------------------------------
# Finding and checking files
# --------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    """Return the SHA-256 hex digest of the file at ``path``."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _how_to_restore(name: str) -> str:
    """Return the advice on how to get a good copy of data file ``name`` back."""
    return (
        f"restore it with `git checkout -- data/{name}`, "
        f"or regenerate it with `python data/{MAKE_SCRIPTS[name]}`"
    )


def verified_path(name: str, data_dir: Path = DATA_DIR) -> Path:
    """Return the path of course data file ``name`` after checking its SHA-256.

    Args:
        name: file name, one of the keys of ``CHECKSUMS``.
        data_dir: folder to look in (tests pass a temporary folder).

    Raises:
        KeyError: ``name`` is not a course data file.
        DataFileError: the file is missing, or its contents differ from the
            shipped file (its SHA-256 does not match ``CHECKSUMS[name]``).
    """
    if name not in CHECKSUMS:
        raise KeyError(f"unknown data file {name!r}; known files: {sorted(CHECKSUMS)}")
    path = Path(data_dir) / name
    if not path.is_file():
        raise DataFileError(
            f"{name} is missing from data/ (looked for {path}). "
            f"It ships with the course: {_how_to_restore(name)}."
        )
    expected, found = CHECKSUMS[name], sha256_of(path)
    if found != expected:
        hint = ""
        if b"\r\n" in path.read_bytes():
            hint = " (it has Windows line endings: git may have converted them on checkout)"
        raise DataFileError(
            f"{name} has been altered{hint}: expected sha256 {expected}, found {found}. "
            f"To get the original back, {_how_to_restore(name)}."
        )
    return path


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Return ``(header, rows)`` of a small CSV file, every value as a string."""
    with open(path, newline="", encoding="ascii") as file:
        reader = csv.reader(file)
        header = next(reader)
        return header, list(reader)


# --------------------------------------------------------------------------
# US daily births
# --------------------------------------------------------------------------


class DailySeries(NamedTuple):
    """A count per day.

    Attributes:
        dates: shape (n_days,), dtype ``datetime64[D]``, consecutive days.
        counts: shape (n_days,), dtype float64, the count on each day.
    """

    dates: np.ndarray
    counts: np.ndarray


def load_births(data_dir: Path = DATA_DIR) -> DailySeries:
    """Load the number of births in the US on each day, 1969-01-01 to 1988-12-31.

    Returns:
        ``DailySeries(dates, counts)``, both of shape (7305,): ``dates`` as
        ``datetime64[D]``, ``counts`` as float64 (babies born that day, about
        7,000 to 12,000; fewer at weekends).

    Raises:
        DataFileError: the file is missing or altered (see :func:`verified_path`).
    """
    _, rows = _read_csv(verified_path("births_us_1969_1988.csv", data_dir))
    dates = np.array([row[0] for row in rows], dtype="datetime64[D]")
    counts = np.array([row[1] for row in rows], dtype=np.int64).astype(np.float64)
    return DailySeries(dates=dates, counts=counts)


# --------------------------------------------------------------------------
# Ames houses
# --------------------------------------------------------------------------


class Houses(NamedTuple):
    """House sales, one entry per house; all arrays have shape (n_houses,), float64.

    Attributes:
        area: above-ground living area in square metres (m^2).
        age: year sold minus year built, in years (0 for a house sold the year it
            was built; -1 for the one house sold the year before it was finished).
        price: sale price in thousands of US dollars (k$, prices of 2006-2010).
    """

    area: np.ndarray
    age: np.ndarray
    price: np.ndarray


def load_houses(data_dir: Path = DATA_DIR) -> Houses:
    """Load 2,930 house sales in Ames, Iowa (2006-2010), in metric-friendly units.

    Returns:
        ``Houses(area, age, price)``, each of shape (2930,), float64:
        ``area`` in m^2 (square feet * 0.09290304), ``age`` in years
        (year sold - year built), ``price`` in thousands of US dollars.

    Raises:
        DataFileError: the file is missing or altered (see :func:`verified_path`).
    """
    _, rows = _read_csv(verified_path("ames_houses.csv", data_dir))
    table = np.array(rows, dtype=np.int64)  # shape (n_houses, 4)
    area_sqft, year_built, year_sold, price_usd = table.T.astype(np.float64)
    return Houses(
        area=area_sqft * SQFT_TO_M2,
        age=year_sold - year_built,
        price=price_usd / 1000.0,
    )


# --------------------------------------------------------------------------
# Toy data: beans (豆豆)
# --------------------------------------------------------------------------


def beans(n: int, rng: np.random.Generator, bias: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Make ``n`` toy beans (豆豆): bean size ``x`` and toxicity ``y``.

    The exact recipe (``u`` is fresh uniform noise in [0, 1)):

    * ``x = rng.uniform(0, 1, n)``                  -- size, in [0, 1)
    * ``u = rng.uniform(0, 1, n)``                  -- drawn after ``x``
    * with ``bias=True``:  ``y = 0.7 * x + 0.5 + u / 5``
    * with ``bias=False``: ``y = 0.7 * x + (u / 5 - 0.1)``

    The noise ``u / 5`` lies in [0, 0.2). Without bias it is centred on zero, so
    the best straight line is close to ``y = 0.7 * x`` through the origin; with
    bias the best line is close to ``y = 0.7 * x + 0.6``. Sizes and toxicities
    are in made-up units.

    Args:
        n: number of beans, a positive int.
        rng: a NumPy random Generator, e.g. ``np.random.default_rng(42)``;
            the same seed gives the same beans.
        bias: whether the toxicity has a constant offset (see above).

    Returns:
        ``(x, y)``, two float64 arrays of shape (n,).

    Raises:
        ValueError: ``n`` is not a positive int.
        TypeError: ``rng`` is not a ``np.random.Generator``, or ``bias`` not a bool.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
        raise ValueError(f"n must be a positive int (the number of beans), got {n!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a NumPy random Generator, got {type(rng).__name__}; "
            "pass `np.random.default_rng(seed)`, e.g. beans(100, np.random.default_rng(0))"
        )
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias must be True or False, got {bias!r}")
    x = rng.uniform(0.0, 1.0, int(n))
    noise = rng.uniform(0.0, 1.0, int(n)) / 5
    if bias:
        return x, 0.7 * x + 0.5 + noise
    return x, 0.7 * x + (noise - 0.1)
