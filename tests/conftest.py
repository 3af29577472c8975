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
    """JupyterLab serving copies of the notebooks and a deliberately broken one."""
    fixture = tmp_path_factory.mktemp("fixtures") / "broken_callback.ipynb"
    write_broken_notebook(fixture)
    files = {f"notebooks/{path.name}": path for path in NOTEBOOKS}
    files[BROKEN_NOTEBOOK] = fixture
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


def write_broken_notebook(path: Path) -> None:
    """A live figure whose update raises once its slider moves: the test must see it."""
    import nbformat

    source = '''from helpers import live

fig, ax = live.figure(figsize=(3, 2))
ax.set(xlim=(0, 1), ylim=(0, 1))
(point,) = ax.plot([0.5], [0.5], "o", animated=True)


def update_broken(w):
    if w != 0.5:
        raise ZeroDivisionError("a deliberately broken callback")
    point.set_data([w], [w])


live.LiveFigure(fig, update_broken, controls={"w": live.slider("w", 0.0, 1.0, 0.1, 0.5)})'''
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(notebook, path)


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
