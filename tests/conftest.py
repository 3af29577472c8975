"""Shared fixtures: the browser tests' JupyterLab server and Chromium (one per run)."""

from __future__ import annotations

import os

# One BLAS thread for the notebooks' kernels and the tests, as `make` sets it (see the
# Makefile): faster on a busy 2-core machine, and the same arithmetic as the outputs.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from pathlib import Path  # noqa: E402

import pytest

from browser_support import CHROMIUM_FLAGS, JupyterServer, find_chromium

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
BROKEN_NOTEBOOK = "fixtures/broken_callback.ipynb"
# The least a live figure can cost in the browser on this machine: one cell, one slider,
# one line. Its latency is printed beside the course's (see test_browser.py).
REFERENCE_NOTEBOOK = "fixtures/reference_one_line.ipynb"
REFERENCE = "reference: one cell, one line"  # its name in the latency table
LATENCIES: list = []  # every Move timed by the browser tests, for the summary table
FRAME_RATES: list = []  # (notebook, figure, frames per second) of each figure that plays


SKIPPED_BROWSER: list[str] = []  # the one line said when the browser tests cannot run


def pytest_collection_modifyitems(config, items):
    """Without Chromium the browser tests are left out (and one line says so), except in
    CI, where a missing browser is an error."""
    browser_tests = [item for item in items if "browser" in item.keywords]
    if not browser_tests or find_chromium():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true but no Chromium was found for the browser tests: "
                                "install Debian's `chromium` (.ci/run does) or set CHROMIUM")
    items[:] = [item for item in items if item not in browser_tests]
    config.hook.pytest_deselected(items=browser_tests)
    SKIPPED_BROWSER.append(f"{len(browser_tests)} browser tests skipped: no Chromium found "
                           f"(install Debian's `chromium`, or set CHROMIUM=/path/to/chrome)")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs JupyterLab in a real Chromium")


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory):
    """JupyterLab serving copies of the notebooks, a deliberately broken one and the
    one-line reference."""
    fixtures = tmp_path_factory.mktemp("fixtures")
    files = {f"notebooks/{path.name}": path for path in NOTEBOOKS}
    for name, source in ((BROKEN_NOTEBOOK, BROKEN_SOURCE),
                         (REFERENCE_NOTEBOOK, REFERENCE_SOURCE)):
        files[name] = write_one_cell_notebook(fixtures / Path(name).name, source)
    server = JupyterServer(files).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(),
                                             args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# A live figure whose update raises once its slider moves: the test must see it.
BROKEN_SOURCE = '''from helpers import live

fig, ax = live.figure(figsize=(3, 2))
ax.set(xlim=(0, 1), ylim=(0, 1))
(point,) = ax.plot([0.5], [0.5], "o", animated=True)


def update_broken(w):
    if w != 0.5:
        raise ZeroDivisionError("a deliberately broken callback")
    point.set_data([w], [w])


live.LiveFigure(fig, update_broken, controls={"w": live.slider("w", 0.0, 1.0, 0.1, 0.5)})'''

# The same size of frame as the course's figures (8 x 3.6 inches at 100 dpi), the least
# work per move: one line, no text.
REFERENCE_SOURCE = '''from helpers import live

fig, ax = live.figure()
ax.set(xlim=(0, 10), ylim=(-10, 40))
(line,) = ax.plot([0, 10], [1, 21], animated=True)


def reference_one_line(w):
    line.set_ydata([1, 1 + 10 * w])


live.LiveFigure(fig, reference_one_line, controls={"w": live.slider("w", -1.0, 5.0, 0.05, 2.0)})'''


def write_one_cell_notebook(path: Path, source: str) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(notebook, path)
    return path


def pytest_terminal_summary(terminalreporter):
    """The latency table: notebook, figure, control, median and max (ms)."""
    for line in SKIPPED_BROWSER:
        terminalreporter.write_line(line, yellow=True)
    if not LATENCIES:
        return
    import numpy as np

    rows: dict[tuple, list] = {}
    for notebook, move in LATENCIES:
        rows.setdefault((notebook, move.figure, move.control), []).append(move.latency_ms)
    write = terminalreporter.write_line
    write("")
    write("End-to-end latency in Chromium: input event -> new frame decoded and painted")
    write("| notebook | figure | control | moves | median ms | max ms |")
    write("|---|---|---|---:|---:|---:|")
    for (notebook, figure, control), times in rows.items():
        done = [t for t in times if t is not None]
        median = f"{np.median(done):.0f}" if done else "-"
        worst = f"{max(done):.0f}" if done else "-"
        write(f"| {notebook} | {figure} | {control} | {len(times)} | {median} | {worst} |")
    for notebook, figure, rate in FRAME_RATES:
        write(f"{notebook} {figure}: {rate:.1f} frames per second while it plays")
    course = [np.median(done) for (notebook, *_), times in rows.items()
              if notebook != REFERENCE and (done := [t for t in times if t is not None])]
    reference = [t for (notebook, *_), times in rows.items() if notebook == REFERENCE
                 for t in times if t is not None]
    if course and reference:
        write(f"Median over the course's controls: {np.median(course):.0f} ms; the one-line "
              f"reference: {np.median(reference):.0f} ms (JupyterLab, the kernel round trip "
              f"and Chromium alone, on this machine)")
