"""Move every control of every live figure in a kernel, as a learner would.

The one driver of the kernel-side sweep (``tests/course_run.py``), the unit tests of
``helpers.live`` and the benchmark (``benchmarks/bench_live.py``). It is test harness, not
part of the learner's ``helpers``: a notebook's kernel loads it with :func:`kernel_import`.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import ipywidgets as widgets
import numpy as np

from helpers.live import LiveFigure, registry

HERE = Path(__file__).resolve().parent


def kernel_import(name: str = "_driver") -> str:
    """Code for a notebook's kernel that imports this module as ``name``."""
    return (f"import sys as _sys\n_sys.path.insert(0, {str(HERE)!r})\n"
            f"import live_driver as {name}\n_sys.path.remove({str(HERE)!r})\n")


def control_values(control, n_random: int, rng: np.random.Generator) -> list:
    """Values to drive a control through: its extremes, then ``n_random`` random ones.

    Used by the benchmark and the tests that move every control of every figure. A
    :func:`player` goes forward tick by tick from where it is, as when it plays.
    """
    if isinstance(control, widgets.Play):
        return [min(control.value + i, control.max) for i in range(1, n_random + 3)]
    if isinstance(control, widgets.FloatLogSlider):
        exponents = [control.min, control.max, *rng.uniform(control.min, control.max, n_random)]
        return [float(control.base ** e) for e in exponents]
    if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
        # Random values on the slider's step grid: the values a learner can reach.
        steps = rng.integers(0, round((control.max - control.min) / control.step) + 1,
                             n_random)
        values = [control.min, control.max, *(control.min + steps * control.step)]
        if isinstance(control, widgets.IntSlider):
            return [int(v) for v in values]
        return [float(min(v, control.max)) for v in values]
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons)):
        labels = [option[1] if isinstance(option, tuple) else option
                  for option in control.options]
        return [labels[i] for i in rng.integers(0, len(labels), n_random + 2)]
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [bool(i % 2) for i in range(n_random + 2)]
    raise TypeError(f"don't know how to drive a {type(control).__name__}")


def drive(figure: LiveFigure, key: str, values) -> dict:
    """Move one control through ``values`` as a learner would, and record what happened.

    Returns ``{"moves_ms": [...], "full_redraws": n, "errors": [...], "unchanged": [...]}``:
    the wall-clock time of each move (callback + draw + encode + send), the full redraws
    it caused, the moves that raised (a warning such as "overflow encountered" counts as
    an error), and the values after which the frame stayed the same though the value
    changed. The control is put back to its first value at the end.
    """
    control = figure.controls[key]
    initial = control.value
    record = {"moves_ms": [], "full_redraws": 0, "errors": [], "unchanged": []}
    for value in values:
        if value == control.value:
            continue  # setting the same value triggers nothing
        frame, full_redraws = bytes(figure.image.value), figure.full_redraws
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                control.value = value
        except Exception as error:
            record["errors"].append(f"{key}={value!r}: {type(error).__name__}: {error}")
            continue
        record["moves_ms"].append((time.perf_counter() - start) * 1e3)
        record["full_redraws"] += figure.full_redraws - full_redraws
        if bytes(figure.image.value) == frame:
            record["unchanged"].append(value)
    try:
        control.value = initial
    except Exception as error:
        record["errors"].append(f"{key}={initial!r} (restoring): {error}")
    return record


def drive_all(n_random: int = 100, seed: int = 0) -> dict:
    """Drive every control of every registered figure through its extremes and
    ``n_random`` random values (see :func:`drive`); ``{figure: {control: record}}``."""
    rng = np.random.default_rng(seed)
    return {name: {key: drive(figure, key, control_values(control, n_random, rng))
                   for key, control in figure.controls.items()}
            for name, figure in registry().items()}


# --- for the unit tests of the notebooks' figures ------------------------------------------


def readouts(figure) -> list[str]:
    """The texts of the animated artists (the readouts) of a LiveFigure or a figure."""
    fig = getattr(figure, "fig", figure)
    return [t.get_text() for ax in fig.axes for t in ax.texts if t.get_animated()]


def moved(figure: LiveFigure, **change) -> bool:
    """Whether a redraw with ``change`` gives a new frame."""
    before = bytes(figure.image.value)
    return figure.redraw(**change) != before


def moves_change_the_picture(figure: LiveFigure, moves: list[dict]) -> None:
    """Each move (control name -> value) must redraw without error and change the frame."""
    for move in moves:
        assert moved(figure, **move), move
