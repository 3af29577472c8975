"""The course as a learner meets it: JupyterLab in Chromium, every notebook run, every
control of every live figure moved.

For each notebook: open it, run all cells, and check that no cell shows an error, the
browser logged no error, the page raised nothing and JupyterLab's Log Console is empty
(an exception inside a widget callback shows up only there). Then each control of each
live figure is moved every way a learner can (keyboard on the slider handle, typing into
the readout, dropdowns, toggle buttons, checkboxes; a player is stepped, played -- it
must keep redrawing, with a slider moved while it plays -- paused and stopped):
the readout must show the new value and a new frame must arrive. Each move's latency,
measured in the page from the input event to the new frame decoded and painted, goes
into the table printed at the end.
Screenshots of each figure are saved under tests/artifacts/browser/.

Notebooks and figures are found, not listed: a new notebook or live figure is covered
from its first commit. A notebook with a deliberately broken callback proves that the
checks can fail, and a one-cell notebook with the cheapest possible live figure (one
line, one slider) measures what JupyterLab and Chromium alone cost per move on this
machine: its row closes the latency table, for comparison.
"""

from __future__ import annotations

import pytest

from browser_support import NotebookPage
from conftest import (
    ARTIFACTS,
    BROKEN_NOTEBOOK,
    FRAME_RATES,
    LATENCIES,
    NOTEBOOKS,
    REFERENCE,
    REFERENCE_NOTEBOOK,
)

# A figure that plays (training) keeps redrawing: a new frame at least every 250 ms, even
# on a slow or busy machine. How fast it plays is a speed figure, not a pass/fail line: the
# rate is printed with the latency table and reported in the README (12-14 frames per
# second on the machine of 2026-11-23, 8-9 on the slower one of 2026-12-03).
MIN_FRAMES_PER_SECOND = 4

pytestmark = pytest.mark.browser


def open_and_run(chromium, server, path: str) -> NotebookPage:
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    notebook = NotebookPage(page, server, path)
    notebook.open()
    notebook.run_all()
    return notebook


def problems(notebook: NotebookPage, log_console: bool = True) -> list[str]:
    """Everything that went wrong, as a learner or the browser would see it.

    The Log Console keeps every message, so it is read once at the end (opening it
    earlier would shrink the notebook while the controls are timed)."""
    found = [f"cell output: {text}" for text in notebook.error_outputs()]
    if log_console:
        found += [f"Log Console: {text}" for text in notebook.log_console()]
    found += [f"browser console: {text}" for text in notebook.run.console_errors]
    found += [f"page error: {text}" for text in notebook.run.page_errors]
    return found


def report(found: list[str]) -> str:
    return "\n".join(text if len(text) < 800 else f"{text[:400]} ... {text[-400:]}"
                     for text in found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_every_control_moves(chromium, jupyter_server, path):
    notebook = open_and_run(chromium, jupyter_server, f"notebooks/{path.name}")
    try:
        found = problems(notebook, log_console=False)
        assert not found, report(found)
        figures = notebook.figures()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for figure in figures:
            for key in notebook.controls(figure):
                moves = notebook.move_control(figure, key)
                LATENCIES.extend((path.stem, move) for move in moves)
                missing = [m.how for m in moves if m.latency_ms is None]
                assert not missing, f"{figure}.{key}: no new frame after {missing}"
            if figure in notebook.run.frame_rates:
                rate = notebook.run.frame_rates[figure]
                FRAME_RATES.append((path.stem, figure, rate))
                assert rate >= MIN_FRAMES_PER_SECOND, f"{figure} played {rate:.1f} frames/s"
            notebook.figure(figure).screenshot(
                path=ARTIFACTS / f"{path.stem}__{figure}.png")
        found = problems(notebook)
        assert not found, report(found)
    finally:
        notebook.page.close()
        jupyter_server.delete_sessions()


def test_a_broken_callback_fails_the_checks(chromium, jupyter_server):
    notebook = open_and_run(chromium, jupyter_server, BROKEN_NOTEBOOK)
    try:
        assert not problems(notebook, log_console=False), "it breaks only when moved"
        (figure,) = notebook.figures()
        notebook.figure(figure).locator(".noUi-handle").focus()
        latency = notebook.timed(figure, lambda: notebook.page.keyboard.press("ArrowRight"),
                                 timeout_ms=2_000)
        assert latency is None, "a broken callback cannot send a new frame"
        found = problems(notebook)
        # The traceback lands under the cell or in the Log Console: either way it is seen.
        assert any("deliberately broken" in p for p in found), found
    finally:
        notebook.page.close()
        jupyter_server.delete_sessions()


def test_reference_one_line_figure(chromium, jupyter_server):
    """The floor of the latency table: the same path (key press, kernel, frame, page) for
    a figure whose update moves one line, in a notebook of one cell."""
    notebook = open_and_run(chromium, jupyter_server, REFERENCE_NOTEBOOK)
    try:
        (figure,) = notebook.figures()
        moves = notebook.move_control(figure, "w", presses=20)
        LATENCIES.extend((REFERENCE, move) for move in moves)
        assert all(move.latency_ms is not None for move in moves), moves
        found = problems(notebook)
        assert not found, report(found)
    finally:
        notebook.page.close()
        jupyter_server.delete_sessions()
