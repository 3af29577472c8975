"""Gradient checking: compare an analytic gradient with finite differences.

The course checks every gradient it derives this way (and so do the unit tests).

* :func:`numerical_gradient` -- ∂f/∂p for a function f of an array p;
* :func:`compare` -- one analytic gradient against a numerical one, as a readable row;
* :func:`check_model` -- every gradient of a model from :mod:`helpers.layers` at once::

      report = check_model(model, loss, X, Y)
      report        # one row per array, e.g.
      # dW1 (8, 2)   exact: False   approximate: True   max diff: 3.1e-10   relative error: ...
      report.ok     # True when every relative error is below 1e-6
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from helpers.validate import (
    InputError,
    as_array,
    as_callable,
    as_count,
    as_flag,
    as_generator,
    as_model,
    as_positive,
    as_text,
)


def numerical_gradient(f: Callable[[np.ndarray], float], p, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂pᵢ by central differences, (f(p + eps·eᵢ) − f(p − eps·eᵢ)) / 2eps, for every
    coordinate i of p; the result has p's shape. Exact for quadratics up to rounding."""
    f = as_callable("f", f, "lambda p: np.sum(p ** 2)")
    p, eps = as_array("p", p), as_positive("eps", eps)
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        step = np.zeros_like(p)
        step[i] = eps
        grad[i] = (_number(f, p + step) - _number(f, p - step)) / (2 * eps)
    return grad


def _number(f, p):
    """f(p), which must be one number, or an InputError naming f."""
    value = f(p)
    if np.ndim(value) != 0 or isinstance(value, (str, bytes)):
        raise InputError(f"f must return one number (the function's value at p), got "
                         f"{type(value).__name__} of shape {np.shape(value)}")
    return value


# --- comparing gradients, the way a learner reads them (after karpathy's ``cmp``) -------


@dataclass(frozen=True)
class GradientCheck:
    """One gradient compared with its finite-difference estimate.

    ``exact``: every entry equal; ``approximate``: equal up to rounding
    (np.allclose, rtol 1e-5, atol 1e-8); ``max_diff``: the largest |analytic − numeric|;
    ``relative_error`` = ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖), 1e-11 to 1e-8
    for a correct gradient and ~1 for a wrong one; ``ok``: relative_error < ``tol``.
    ``n_checked`` entries were compared (fewer than the array has if it was sampled).

    Shown as one line. For a correct gradient the line gives the bound ("relative error
    < 1e-6"), not the digits: they are rounding noise, and differ from one processor (or
    NumPy build) to the next. A wrong gradient's errors are shown, to two digits.
    """

    name: str
    shape: tuple
    exact: bool
    approximate: bool
    max_diff: float
    relative_error: float
    ok: bool
    n_checked: int
    tol: float = 1e-6

    def line(self, name_width: int = 6, shape_width: int = 10) -> str:
        """The row as text, with the name and shape padded to the given widths."""
        name_width = as_count("name_width", name_width, minimum=0)
        shape_width = as_count("shape_width", shape_width, minimum=0)
        sampled = "" if self.n_checked == math.prod(self.shape) else \
            f"   ({self.n_checked} of {math.prod(self.shape)} entries)"
        if self.ok:
            errors = f"relative error < {_power_of_ten(self.tol)}"
        else:
            errors = (f"relative error {self.relative_error:.2g}, "
                      f"max diff {self.max_diff:.1e}")
        return (f"{self.name:<{name_width}} {str(self.shape):<{shape_width}}"
                f"   exact: {self.exact!s:<5}   approximate: {self.approximate!s:<5}"
                f"   {errors}  {'✓' if self.ok else '✗'}{sampled}")

    def __repr__(self) -> str:
        return self.line(len(self.name), len(str(self.shape)))


def _power_of_ten(value: float) -> str:
    """1e-06 -> "1e-6" (another number keeps its %g form)."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}" if float(f"{value:.0e}") == value else f"{value:g}"


def compare(name: str, analytic, numeric, *, tol: float = 1e-6) -> GradientCheck:
    """Compare an analytic gradient with a numerical one of the same shape (NaN or inf
    entries make the check fail)."""
    name, tol = as_text("name", name), as_positive("tol", tol)
    a = as_array("analytic", analytic, finite=False)
    n = as_array("numeric", numeric, finite=False)
    if a.shape != n.shape:
        hint = " (transposed?)" if a.shape[::-1] == n.shape and a.ndim == 2 else ""
        raise InputError(f"{name}: the analytic gradient has shape {a.shape} but the "
                         f"numerical one {n.shape}{hint}; a gradient has the shape of "
                         f"what it is the gradient of (analytic {a.shape}, numeric "
                         f"{n.shape})")
    with np.errstate(all="ignore"):  # NaN or inf entries simply make the check fail
        diff = np.abs(a - n)
        max_diff = float(diff.max()) if diff.size else 0.0
        scale = max(float(np.linalg.norm(a) + np.linalg.norm(n)), np.finfo(float).tiny)
        relative_error = float(np.linalg.norm(a - n)) / scale
    if not math.isfinite(relative_error):
        relative_error = math.inf
    return GradientCheck(name=name, shape=a.shape, exact=bool(np.all(a == n)),
                         approximate=bool(np.allclose(a, n, rtol=1e-5, atol=1e-8)),
                         max_diff=max_diff, relative_error=relative_error,
                         ok=relative_error < tol, n_checked=a.size, tol=tol)


@dataclass
class GradientReport:
    """The rows of :func:`check_model`, one per gradient; ``ok`` if every row is.

    Shown as an aligned table; ``report["dW1"]`` (or ``report[0]``) is one row.
    """

    rows: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(row.ok for row in self.rows)

    @property
    def max_relative_error(self) -> float:
        return max((row.relative_error for row in self.rows), default=0.0)

    def __getitem__(self, key):
        if isinstance(key, str):
            for row in self.rows:
                if row.name == key:
                    return row
            raise KeyError(f"no gradient named {key!r}; the rows are "
                           f"{[row.name for row in self.rows]}")
        return self.rows[key]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        if not self.rows:
            return "GradientReport: no gradients were checked ✗"
        name_width = max(len(row.name) for row in self.rows)
        shape_width = max(len(str(row.shape)) for row in self.rows)
        lines = [row.line(name_width, shape_width) for row in self.rows]
        wrong = [row.name for row in self.rows if not row.ok]
        if wrong:
            lines.append(f"✗ {', '.join(wrong)} {'does' if len(wrong) == 1 else 'do'} not "
                         f"match finite differences")
        else:
            lines.append("✓ the gradient matches finite differences" if len(self.rows) == 1
                         else f"✓ all {len(self.rows)} gradients match finite differences")
        return "\n".join(lines)


def check_model(model, loss, X, Y, *, eps: float = 1e-6, tol: float = 1e-6,
                include_input: bool = False, max_entries: int | None = None,
                rng: np.random.Generator | None = None) -> GradientReport:
    """Check every gradient that ``model.backward`` computes against finite differences.

    Runs ``loss.forward(model.forward(X), Y)`` and ``model.backward(loss.backward())``
    once and keeps the gradients; then, for every entry p of every parameter array (in
    place, restored afterwards), estimates ∂J/∂p ≈ (J(p + eps) − J(p − eps)) / 2eps.
    Works for any model with forward, backward, parameters() and gradients() (a single
    layer too). ``include_input`` also checks dX, what backward returns (always checked
    when the model has no parameters). Each entry costs two forward passes: for big
    arrays, ``max_entries`` (with ``rng``) checks only that many random entries of each.
    The model is left as after one forward and backward pass on X.

    A model with BatchNorm is checked in the mode it is in: in training mode (the usual
    case) every cost re-normalises the same batch X, so the check covers how the batch
    mean and variance depend on every example. Its running averages do not change that
    output; they are put back afterwards, as if only one forward pass had run.
    """
    model = as_model("model", model, ("forward", "backward", "parameters", "gradients"),
                     "layers.mlp([2, 3, 1], rng=rng)")
    loss = as_model("loss", loss, ("forward", "backward"), "layers.MSE()")
    X = as_array("X", X).copy()  # a copy: dX is estimated by nudging it in place
    Y = as_array("Y", Y)
    eps, tol = as_positive("eps", eps), as_positive("tol", tol)
    include_input = as_flag("include_input", include_input)
    if max_entries is not None:
        max_entries = as_count("max_entries", max_entries)
        as_generator(rng, "(max_entries needs rng = np.random.default_rng(seed) to pick "
                          "entries)")
    saved = _running_averages(model)

    def cost() -> float:
        return float(loss.forward(model.forward(X), Y))

    def run_backward():
        cost()
        return model.backward(loss.backward())

    dX = np.array(run_backward(), dtype=float)
    arrays = dict(model.parameters())
    analytic = {f"d{name}": np.array(g, dtype=float) for name, g in model.gradients().items()}
    if include_input or not arrays:
        arrays["X"], analytic["dX"] = X, dX
    rows = []
    try:
        for name, array in arrays.items():
            indices = _entries(array.shape, max_entries, rng)
            numeric = _numerical_in_place(cost, array, indices, eps)
            chosen = analytic[f"d{name}"][tuple(np.transpose(indices))]
            row = compare(f"d{name}", chosen, numeric, tol=tol)
            rows.append(replace(row, shape=array.shape))
    finally:
        for layer, name, array in saved:
            setattr(layer, name, array)
        run_backward()
    return GradientReport(rows)


def _running_averages(model) -> list:
    """(layer, name, copy) for every array attribute called running_... (BatchNorm's
    running_mean and running_var) in the model or its layers (recursively)."""
    found = [(model, name, value.copy())
             for name, value in getattr(model, "__dict__", {}).items()
             if name.startswith("running_") and isinstance(value, np.ndarray)]
    for layer in getattr(model, "layers", ()):
        found += _running_averages(layer)
    return found


def _entries(shape: tuple, max_entries: int | None, rng) -> np.ndarray:
    """The indices to check, (k, ndim): all of them, or max_entries random ones."""
    size = math.prod(shape)
    flat = np.arange(size)
    if max_entries is not None and max_entries < size:
        flat = np.sort(rng.choice(size, size=max_entries, replace=False))
    return np.stack(np.unravel_index(flat, shape), axis=-1).reshape(len(flat), len(shape))


def _numerical_in_place(cost: Callable[[], float], array: np.ndarray, indices, eps: float):
    """∂cost/∂array[i] by central differences for each index i, nudging array in place."""
    grad = np.empty(len(indices))
    for k, index in enumerate(map(tuple, indices)):
        old = array[index]
        try:
            array[index] = old + eps
            plus = cost()
            array[index] = old - eps
            minus = cost()
        finally:
            array[index] = old
        grad[k] = (plus - minus) / (2 * eps)
    return grad
