"""The course as a learner meets it: JupyterLab in Chromium, every notebook run, every
control of every live figure moved, a slider of each kind of figure dragged.

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

The notebooks of the course's JupyterLab are opened one after the other in one page, as a
learner opens the next notebook: each is closed (its kernel shut down) before the next
opens; after a failure the next one gets a new page.

Notebooks and figures are found, not listed: a new notebook or live figure is covered
from its first commit. A notebook with a deliberately broken callback proves that the
checks can fail, and a one-cell notebook with the cheapest possible live figure (one
line, one slider) measures what JupyterLab and Chromium alone cost per move on this
machine: its row closes the latency table, for comparison.

A drag (mouse down on a slider's handle, a move at every display frame for 1 s, mouse up)
counts the frames painted per second, for each kind of figure: light, heavy (the slowest
kernel-side) and playing (a slider dragged while the figure trains). The course's
figures are dragged in their notebooks; the same kinds (the one-line reference, a copy of
the heaviest figure, 05's playground) are dragged on a server without the course's
TCP_NODELAY setting (helpers.server), where the reference's key presses are timed too,
and in Notebook 7, where arrow keys on a slider must move the slider, not the notebook's
cell cursor. The rates are printed with the latency table; the tests assert only that
frames keep coming.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from browser_support import NEWS_QUESTION, NODELAY_LOGGED, Drag, NotebookPage
from conftest import (
    ARTIFACTS,
    BROKEN_NOTEBOOK,
    DRAG_KINDS,
    DRAG_NOTEBOOK,
    DRAGS,
    FRAME_RATES,
    LATENCIES,
    NOTEBOOKS,
    REFERENCE,
    REFERENCE_FIGURE,
    REFERENCE_NOTEBOOK,
    REFERENCE_WITHOUT,
)

# A figure that plays (training) keeps redrawing: a new frame at least every 250 ms, even
# on a slow or busy machine. How fast it plays is a speed figure, not a pass/fail line: the
# rate is printed with the latency table and reported in benchmarks/README.md.
MIN_FRAMES_PER_SECOND = 4
# A drag must keep frames coming (received by the page; some are replaced before the
# next display frame paints them). How many are painted is a speed figure, printed with
# the latency table (the target: 50 or more per second for a figure whose kernel-side
# median is at most 16 ms); below 5 received per second, something is stuck.
MIN_DRAG_FRAMES_PER_SECOND = 5
# The course's figure of each kind dragged in its notebook: notebook -> (figure, slider,
# kind). logistic_boundary has the highest kernel-side median (benchmarks/README.md).
COURSE_DRAGS = {"01_linear_regression": ("line_fit", "w", "light"),
                "04_logistic_regression": ("logistic_boundary", "w1", "heavy"),
                "05_deep_networks": ("playground", "lr", "playing")}

pytestmark = pytest.mark.browser


def check_drag(front_end: str, nodelay: bool, notebook: str, drag: Drag) -> None:
    DRAGS.append((front_end, nodelay, notebook, drag))
    where = f"{drag.figure}.{drag.control} ({drag.kind}, {front_end})"
    assert drag.values > 2, f"{where}: the drag moved the slider through {drag.values} values"
    assert drag.received_per_second >= MIN_DRAG_FRAMES_PER_SECOND and drag.frames, (
        f"{where}: {drag.received} frames received, {drag.frames} painted in a "
        f"{drag.seconds:.1f} s drag ({drag.moves} mouse moves)")


LAB_PAGES: dict = {}  # server -> its page, JupyterLab loaded, free for the next notebook


def open_and_run(chromium, server, path: str, *, reuse: bool = False) -> NotebookPage:
    page = LAB_PAGES.pop(server, None) if reuse else None
    if page is None or page.is_closed():
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    notebook = NotebookPage(page, server, path)
    notebook.open()
    notebook.run_all()
    return notebook


@contextmanager
def notebook_in_lab(chromium, server, path: str, then: str | None = None):
    """A notebook of the course's JupyterLab, opened and run; afterwards it is closed and
    the page kept for the next notebook, or, after a failure, the page is closed. The
    kernel of the notebook at ``then``, the next one, starts while this one is tested."""
    notebook = open_and_run(chromium, server, path, reuse=True)
    if then is not None:
        server.start_session(then)
    try:
        yield notebook
    except BaseException:
        notebook.page.close()
        server.delete_sessions()
        raise
    notebook.close(keep=(then,))
    LAB_PAGES[server] = notebook.page


def problems(notebook: NotebookPage, log_console: bool = True) -> list[str]:
    """Everything that went wrong, as a learner or the browser would see it.

    The Log Console keeps every message, so it is read once at the end (opening it
    earlier would shrink the notebook while the controls are timed)."""
    found = [f"cell output: {text}" for text in notebook.error_outputs()]
    if log_console:
        found += [f"Log Console: {text}" for text in notebook.log_console()]
    found += [f"pop-up: {text}" for text in notebook.toasts() if NEWS_QUESTION in text]
    found += [f"browser console: {text}" for text in notebook.run.console_errors]
    found += [f"page error: {text}" for text in notebook.run.page_errors]
    return found


def report(found: list[str]) -> str:
    return "\n".join(text if len(text) < 800 else f"{text[:400]} ... {text[-400:]}"
                     for text in found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_every_control_moves(chromium, jupyter_server, path):
    following = NOTEBOOKS[NOTEBOOKS.index(path) + 1:]
    then = f"notebooks/{following[0].name}" if following else None
    with notebook_in_lab(chromium, jupyter_server, f"notebooks/{path.name}", then) as notebook:
        found = problems(notebook, log_console=False)
        assert not found, report(found)
        figures = notebook.figures()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        dragged, drag_key, kind = COURSE_DRAGS.get(path.stem, (None, None, None))

        def drag(figure=dragged, key=drag_key, kind=kind):
            check_drag("JupyterLab", True, path.stem, notebook.drag(figure, key, kind))

        for figure in figures:
            for key in notebook.controls(figure):
                while_playing = drag if figure == dragged and kind == "playing" else None
                moves = notebook.move_control(figure, key, while_playing=while_playing)
                LATENCIES.extend((path.stem, move) for move in moves)
                missing = [m.how for m in moves if m.latency_ms is None]
                assert not missing, f"{figure}.{key}: no new frame after {missing}"
            if figure == dragged and kind != "playing":
                drag()
            if figure in notebook.run.frame_rates:
                rate = notebook.run.frame_rates[figure]
                FRAME_RATES.append((path.stem, figure, rate))
                assert rate >= MIN_FRAMES_PER_SECOND, f"{figure} played {rate:.1f} frames/s"
            notebook.figure(figure).screenshot(
                path=ARTIFACTS / f"{path.stem}__{figure}.png")
        found = problems(notebook)
        assert not found, report(found)


def test_a_broken_callback_fails_the_checks(chromium, jupyter_server):
    # a page of its own: the traceback it provokes stays out of the pages of the others
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
    with notebook_in_lab(chromium, jupyter_server, REFERENCE_NOTEBOOK) as notebook:
        (figure,) = notebook.figures()
        moves = notebook.move_control(figure, "w", presses=20)
        LATENCIES.extend((REFERENCE, move) for move in moves)
        assert all(move.latency_ms is not None for move in moves), moves
        check_drag("JupyterLab", True, REFERENCE, notebook.drag(figure, "w", "light"))
        assert NODELAY_LOGGED in jupyter_server.server_log(), "the course's config is not used"
        found = problems(notebook)
        assert not found, report(found)


def drag_every_kind(notebook: NotebookPage, front_end: str, nodelay: bool) -> None:
    """Drag one slider of each figure of the drag notebook (DRAG_KINDS)."""
    assert notebook.figures() == [figure for figure, _, _ in DRAG_KINDS]
    for figure, key, kind in DRAG_KINDS:
        drag = (notebook.drag_while_playing(figure, key) if kind == "playing"
                else notebook.drag(figure, key, kind))
        check_drag(front_end, nodelay, "drag_kinds", drag)


def test_drags_and_keys_without_tcp_nodelay(chromium, jupyter_server_without_nodelay):
    """The "without" column: a JupyterLab as a learner's own `jupyter lab` outside the course
    runs it (Nagle's algorithm on the kernel websocket). A light, a heavy and a playing
    figure are dragged, and the one-line reference's key presses timed."""
    server = jupyter_server_without_nodelay
    notebook = open_and_run(chromium, server, DRAG_NOTEBOOK)
    try:
        drag_every_kind(notebook, "JupyterLab", False)
        moves = notebook.move_control(REFERENCE_FIGURE, "w", presses=10)
        LATENCIES.extend((REFERENCE_WITHOUT, move) for move in moves)
        assert all(move.latency_ms is not None for move in moves), moves
        assert NODELAY_LOGGED not in server.server_log()
        found = problems(notebook)
        assert not found, report(found)
    finally:
        notebook.page.close()
        server.delete_sessions()


# Notebook 7.6.5's keyboard-shortcuts plugin raises this on every start, with or without
# the course's settings (checked with no settings at all): an upstream bug, harmless here.
NOTEBOOK7_KNOWN_ERROR = "Cannot read properties of undefined (reading 'schema')"


def test_notebook7_runs_and_its_sliders_follow(chromium, notebook7_server):
    """`jupyter notebook` (Notebook 7) from the course's environment: Run All, a drag of each
    kind of figure, and arrow keys on a focused slider move the slider (and bring a frame),
    not the notebook's cell cursor -- while arrow keys still move it between cells."""
    notebook = open_and_run(chromium, notebook7_server, DRAG_NOTEBOOK)
    page = notebook.page
    active_cell = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"

    def found(log_console=False):
        return [text for text in problems(notebook, log_console)
                if text != f"page error: {NOTEBOOK7_KNOWN_ERROR}"]

    try:
        assert not found(), report(found())
        drag_every_kind(notebook, "Notebook 7", True)
        handle = notebook.figure(REFERENCE_FIGURE).locator(".noUi-handle")
        readout = notebook.figure(REFERENCE_FIGURE).locator(".widget-readout")
        handle.focus()  # makes the slider's cell the active one
        cell = page.evaluate(active_cell)
        for arrow in ("ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"):
            before = readout.text_content()
            handle.focus()
            latency = notebook.timed(REFERENCE_FIGURE,
                                     lambda arrow=arrow: page.keyboard.press(arrow))
            assert readout.text_content() != before, f"{arrow} on the slider left it at {before}"
            assert latency is not None, f"{arrow} on the slider brought no new frame"
        assert page.evaluate(active_cell) == cell, "arrow keys on a slider moved the cell cursor"
        page.locator(".jp-Notebook .jp-Cell").first.click()  # a cell, not a slider
        page.keyboard.press("Escape")  # command mode
        page.keyboard.press("ArrowDown")
        assert page.evaluate(active_cell) == 1, "ArrowDown no longer moves between cells"
        assert NODELAY_LOGGED in notebook7_server.server_log(), "the course's config is not used"
        problems_at_the_end = found(log_console=True)
        assert not problems_at_the_end, report(problems_at_the_end)
    finally:
        page.close()
        notebook7_server.delete_sessions()
