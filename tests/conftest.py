"""Shared fixtures: the browser tests' Jupyter servers and Chromium.

JupyterLab as ``make lab`` starts it, with the course's Jupyter config (TCP_NODELAY on
the kernel websockets, see helpers.server); the same JupyterLab without that setting, as a
learner's own ``jupyter lab`` runs it (started only for the drags that measure the
difference); Notebook 7 as ``jupyter notebook`` starts it from the course's environment.
"""

from __future__ import annotations

import os
from dataclasses import asdict

# One BLAS thread for the notebooks' kernels and the tests, as `make` sets it (see the
# Makefile): faster on a busy 2-core machine, and the same arithmetic as the outputs.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from pathlib import Path  # noqa: E402

import pytest
from course_run import add_kernel_checks, record_failed_cell  # noqa: E402

# Every pin resolved for every supported Python, in the background (test_project.py).
from pin_resolution import (  # noqa: F401
    pin_resolutions,
    pytest_collection_finish,
    pytest_unconfigure,
    pytest_xdist_node_collection_finished,
)

from browser_support import (
    CHROMIUM_FLAGS,
    WITHOUT_NODELAY,
    Drag,
    JupyterServer,
    Move,
    NotebookPage,
    find_chromium,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
BROKEN_NOTEBOOK = "fixtures/broken_callback.ipynb"
# The least a live figure can cost in the browser on this machine: one cell, one slider,
# one line. Its latency is printed beside the course's (see test_browser.py).
REFERENCE_NOTEBOOK = "fixtures/reference_one_line.ipynb"
REFERENCE = "reference: one cell, one line"  # its name in the latency table
REFERENCE_WITHOUT = "reference, without TCP_NODELAY"  # the same, on a server without it
REFERENCE_FIGURE = "reference_one_line"
# One figure of each kind, in one notebook, for the drags on every server: the one-line
# reference (light), a copy of 04's logistic_boundary on made-up data of the same size
# (heavy: about the same kernel-side time per move, 13-14 ms, and frame), and 05's
# playground, built by the same helpers call (it plays while a slider is dragged).
DRAG_NOTEBOOK = "fixtures/drag_kinds.ipynb"
DRAG_KINDS = [(REFERENCE_FIGURE, "w", "light"), ("drag_heavy", "w1", "heavy"),
              ("playground", "lr", "playing")]
LATENCIES: list = []  # every Move timed by the browser tests, for the summary table
FRAME_RATES: list = []  # (notebook, figure, frames per second) of each figure that plays
DRAGS: list = []  # (front end, TCP_NODELAY on?, notebook, Drag) of every drag


SKIPPED_BROWSER: list[str] = []  # the one line said when the browser tests cannot run


# Strict nbval's kernels compute with another processor's arithmetic: OpenBLAS on an old
# core's kernels and NumPy without its AVX2/FMA loops, while `make notebooks` saved the
# outputs with this machine's own. An output that hinges on the last bit of floating point
# (and would differ on a learner's laptop or Apple silicon) then fails here too. Only on
# x86-64 Linux with AVX2 (elsewhere the settings do not apply); only for the kernels that
# nbval starts, so the browser tests' timings stay those of the real machine.
OTHER_ARITHMETIC = {"OPENBLAS_CORETYPE": "Prescott", "NPY_DISABLE_CPU_FEATURES": "X86_V3"}


def _other_arithmetic_applies() -> bool:
    import platform
    import sys

    if sys.platform != "linux" or platform.machine() != "x86_64":
        return False
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    return "avx2" in flags and "fma" in flags


def start_kernels_with_other_arithmetic(items) -> None:
    """Make each nbval notebook start its kernel with OTHER_ARITHMETIC in its environment
    (and only its kernel: the variables are put back once it has started)."""
    if not _other_arithmetic_applies():
        return
    notebooks = {id(item.parent): item.parent for item in items
                 if type(item.parent).__name__ == "IPyNbFile"}
    for notebook in notebooks.values():
        notebook.setup = _with_other_arithmetic(notebook.setup)


def _with_other_arithmetic(setup):
    def start():
        saved = {name: os.environ.get(name) for name in OTHER_ARITHMETIC}
        os.environ.update(OTHER_ARITHMETIC)
        try:
            setup()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    return start


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    record_failed_cell(item, outcome.get_result())


@pytest.hookimpl(trylast=True)  # after -k and --deselect have chosen the items
def pytest_collection_modifyitems(config, items):
    """Each notebook that strict nbval executes gets its solutions and sweep checks in the
    same kernel (course_run.py); their stand-alone copies are then left out.

    Without Chromium the browser tests are left out (and one line says so), except in
    CI, where a missing browser is an error."""
    in_nbval = add_kernel_checks(items, NOTEBOOKS)
    start_kernels_with_other_arithmetic(items)
    stand_alone = [item for item in items
                   if getattr(item, "originalname", None) in (
                       "test_every_control_of_every_live_figure",
                       "test_solutions_pass_their_checks")
                   and item.callspec.params["path"].resolve() in in_nbval]
    if stand_alone:
        items[:] = [item for item in items if item not in stand_alone]
        config.hook.pytest_deselected(items=stand_alone)
    browser_tests = [item for item in items if "browser" in item.keywords]
    if hasattr(config, "workerinput"):  # `make test`'s parallel workers: see parallel_order
        items.sort(key=parallel_order)
    if not browser_tests or find_chromium():
        return
    if os.environ.get("CI") == "true":
        return  # each browser test fails, saying why (the chromium fixture)
    items[:] = [item for item in items if item not in browser_tests]
    config.hook.pytest_deselected(items=browser_tests)
    SKIPPED_BROWSER.append(f"{len(browser_tests)} browser tests skipped: no Chromium found "
                           f"(install Debian's `chromium`, or set CHROMIUM=/path/to/chrome)")


def parallel_order(item) -> int:
    """`make test` runs the tests in two processes (pytest-xdist), one file or notebook at
    a time each, handed out in this order: the browser tests, the longest file, start at
    once in one process while the other takes the notebooks and then the rest."""
    if "browser" in item.keywords:
        return 0
    return 1 if item.path.suffix == ".ipynb" else 2


# Files whose tests run in the browser tests' process, after them: the class on a hub
# (Chromium, a hub, two servers and their kernels) would otherwise run beside the browser
# tests and starve the drags they measure.
AFTER_THE_BROWSER_TESTS = ("tests/test_jupyterhub.py",)
BROWSER_TESTS_FILE = "tests/test_browser.py"


@pytest.hookimpl(optionalhook=True)  # xdist's hook: absent with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """`make test`'s scheduling (--dist loadfile: one file or notebook at a time per
    process), with the files of AFTER_THE_BROWSER_TESTS counted as part of the browser
    tests' file."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class CourseScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return BROWSER_TESTS_FILE if scope in AFTER_THE_BROWSER_TESTS else scope

    return CourseScheduling(config, log)


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
        files[name] = write_notebook(fixtures / Path(name).name, source)
    files[DRAG_NOTEBOOK] = drag_notebook(fixtures)
    server = JupyterServer(files).start()
    yield server
    server.stop()


@pytest.fixture
def jupyter_server_without_nodelay(tmp_path_factory):
    """JupyterLab without the course's TCP_NODELAY setting, serving the drag notebook."""
    fixtures = tmp_path_factory.mktemp("fixtures-nagle")
    server = JupyterServer({DRAG_NOTEBOOK: drag_notebook(fixtures)},
                           extra_args=WITHOUT_NODELAY).start()
    yield server
    server.stop()


@pytest.fixture
def notebook7_server(tmp_path_factory):
    """Notebook 7 (``jupyter notebook``) from the course's environment, serving the drag
    notebook."""
    fixtures = tmp_path_factory.mktemp("fixtures-notebook7")
    server = JupyterServer({DRAG_NOTEBOOK: drag_notebook(fixtures)}, app="notebook").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if find_chromium() is None:  # only in CI: elsewhere the browser tests are left out
        pytest.fail("CI=true but no Chromium was found for the browser tests: install "
                    "Debian's `chromium` (.ci/run does) or set CHROMIUM")
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


# 04's logistic_boundary (the slowest figure kernel-side) on made-up data of the same
# size: a 72 x 56 probability grid, 1,200 points, two lines, a four-line readout.
HEAVY_SOURCE = '''import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D

from helpers import activations, live, logistic_regression

rng = np.random.default_rng(0)
y_train = (np.arange(1200) % 2).astype(float)
F_train = rng.normal(0, 0.8, (2, 1200)) + np.where(y_train == 1, 0.7, -0.7)
Y_train = y_train[None, :]
box = (-2.6, 3.2, -1.8, 3.6)
edges_x1, edges_x2 = np.linspace(box[0], box[1], 73), np.linspace(box[2], box[3], 57)
G1, G2 = np.meshgrid((edges_x1[:-1] + edges_x1[1:]) / 2, (edges_x2[:-1] + edges_x2[1:]) / 2)
pale = ListedColormap(colormaps["RdBu_r"](np.linspace(0, 1, 256)) * 0.5 + 0.5)
fig, (ax, ax_info) = live.figure(1, 2, figsize=(9.5, 4.6), width_ratios=[2.2, 1])
cells = ax.pcolormesh(edges_x1, edges_x2, np.zeros_like(G1), cmap=pale, vmin=0, vmax=1,
                      animated=True)
ax.plot(*F_train[:, y_train == 1], "^", ms=3.2, mew=0, color="darkred", animated=True)
ax.plot(*F_train[:, y_train == 0], "o", ms=3, mew=0, color="navy", animated=True)
(wrong,) = ax.plot([], [], "o", ms=6.5, mfc="none", mec="k", mew=0.8, animated=True)
(boundary,) = ax.plot([], [], "k-", lw=2.2, animated=True)
(threshold,) = ax.plot([], [], "k--", lw=1.4, animated=True)
ax.set(xlim=box[:2], ylim=box[2:], xlabel="x1", ylabel="x2", title="decision boundary")
fig.colorbar(cells, ax=ax, label="a", fraction=0.05)
ax_info.axis("off")
ax_info.legend(handles=[Line2D([], [], marker="^", ls="", color="darkred", label="y = 1"),
                        Line2D([], [], marker="o", ls="", color="navy", label="y = 0"),
                        Line2D([], [], color="k", lw=2.2, label="a = 0.5"),
                        Line2D([], [], color="k", ls="--", label="a = t")], loc="upper left")
info = ax_info.text(0.02, 0.55, "", va="top", family="monospace", fontsize=9.5, animated=True)


def drag_heavy(w1, w2, b, t):
    cells.set_array(activations.sigmoid(w1 * G1 + w2 * G2 + b).ravel())
    for line, level in ((boundary, 0.0), (threshold, np.log(t / (1 - t)))):
        ends = logistic_regression.line_in_box(w1, w2, b - level, box[:2], box[2:])
        line.set_data(*(ends if ends is not None else ([], [])))
    w = np.array([[w1], [w2]])
    predicted = logistic_regression.predict(F_train, w, b, t)
    counts = logistic_regression.confusion_counts(predicted, Y_train)
    wrong.set_data(*F_train[:, predicted[0] != y_train])
    J = logistic_regression.cost_from_z(w.T @ F_train + b, Y_train)
    info.set_text(f"J {J:.3f}     t {t:.2f}\\nTP {counts.tp:4d}  FP {counts.fp:4d}\\n"
                  f"FN {counts.fn:4d}  TN {counts.tn:4d}\\naccuracy {counts.accuracy:.3f}")


live.LiveFigure(fig, drag_heavy, controls={
    "w1": live.slider("w1", -6.0, 6.0, 0.05, value=2.0),
    "w2": live.slider("w2", -6.0, 6.0, 0.05, value=-1.0),
    "b": live.slider("b", -6.0, 6.0, 0.05, value=0.5),
    "t": live.slider("t", 0.05, 0.95, 0.01, value=0.5)})'''

# 05's playground, as notebook 05 makes it.
PLAYGROUND_SOURCE = '''from helpers import data, deep_networks, live

court = deep_networks.Playground()
fig, update_playground = deep_networks.playground_figure(court, max_ticks=1000)
live.LiveFigure(fig, update_playground, name="playground", controls={
    "tick": live.player("train", max_ticks=1000, interval_ms=40),
    "dataset": live.choice("data", data.DATASETS, buttons=True),
    "depth": live.slider("hidden layers", 0, 4, 1, value=2),
    "width": live.slider("units per layer", 1, 8, 1, value=6),
    "activation": live.choice("activation", ["tanh", "relu", "sigmoid"], buttons=True),
    "lr": live.log_slider("learning rate", -3, 1.5, value=0.3),
})'''


def write_notebook(path: Path, *sources: str) -> Path:
    """A notebook of these code cells."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)
    return path


def drag_notebook(folder: Path) -> Path:
    """The notebook of DRAG_KINDS: one light, one heavy and one playing figure."""
    return write_notebook(folder / Path(DRAG_NOTEBOOK).name, REFERENCE_SOURCE, HEAVY_SOURCE,
                          PLAYGROUND_SOURCE)


def pytest_sessionfinish(session):
    """A parallel worker sends what the summary needs to the controller, which prints it."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["course_summary"] = {
            "skipped_browser": list(SKIPPED_BROWSER),
            "latencies": [(notebook, asdict(move)) for notebook, move in LATENCIES],
            "frame_rates": list(FRAME_RATES),
            "drags": [(*where, asdict(drag)) for *where, drag in DRAGS]}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    summary = getattr(node, "workeroutput", {}).get("course_summary")
    if summary is None:
        return
    SKIPPED_BROWSER.extend(line for line in summary["skipped_browser"]
                           if line not in SKIPPED_BROWSER)  # every worker collects
    LATENCIES.extend((notebook, Move(**move)) for notebook, move in summary["latencies"])
    FRAME_RATES.extend(tuple(rate) for rate in summary["frame_rates"])
    DRAGS.extend((*where, Drag(**drag)) for *where, drag in summary["drags"])


def pytest_terminal_summary(terminalreporter):
    """The latency table (notebook, figure, control, median and max ms), the frame rates of
    the figures that play, and the frame rates during drags, with and without TCP_NODELAY."""
    for line in SKIPPED_BROWSER:
        terminalreporter.write_line(line, yellow=True)
    if LATENCIES:
        write_latencies(terminalreporter.write_line)
    if DRAGS:
        write_drags(terminalreporter.write_line)


def write_latencies(write) -> None:
    import numpy as np

    rows: dict[tuple, list] = {}
    for notebook, move in LATENCIES:
        rows.setdefault((notebook, move.figure, move.control), []).append(move.latency_ms)
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
              if notebook not in (REFERENCE, REFERENCE_WITHOUT)
              and (done := [t for t in times if t is not None])]
    reference, without = ([t for (notebook, *_), times in rows.items() if notebook == name
                           for t in times if t is not None]
                          for name in (REFERENCE, REFERENCE_WITHOUT))
    if course and reference:
        write(f"Median over the course's controls: {np.median(course):.0f} ms; the one-line "
              f"reference: {np.median(reference):.0f} ms (JupyterLab, the kernel round trip "
              f"and Chromium alone, on this machine)")
    if reference and without:
        write(f"The one-line reference with the course's TCP_NODELAY: "
              f"{np.median(reference):.0f} ms; without it: {np.median(without):.0f} ms")


def write_drags(write) -> None:
    """One row per dragged slider: frames painted per second with the course's
    TCP_NODELAY and without it (a server as a learner's own `jupyter lab` runs it)."""
    rows: dict[tuple, dict] = {}
    for front_end, nodelay, _, drag in DRAGS:
        row = rows.setdefault((front_end, drag.figure, drag.kind, drag.control),
                              {True: [], False: [], "moves": [], "received": []})
        row[nodelay].append(f"{drag.frames_per_second:.1f}")
        row["moves"].append(f"{drag.moves_per_second:.0f}")
        row["received"].append(f"{drag.received_per_second:.1f}")
    write("")
    write(f"Frames painted per second while a slider is dragged "
          f"({NotebookPage.DRAG_SECONDS:g} s, a mouse move at every display frame)")
    write("| front end | figure | kind | control | TCP_NODELAY frames/s | without frames/s "
          "| frames received/s | mouse moves/s |")
    write("|---|---|---|---|---:|---:|---:|---:|")
    for (front_end, figure, kind, control), row in sorted(rows.items(), key=drag_order):
        write(f"| {front_end} | {figure} | {kind} | {control} | "
              f"{' / '.join(row[True]) or '-'} | {' / '.join(row[False]) or '-'} | "
              f"{' / '.join(row['received'])} | {' / '.join(row['moves'])} |")


def drag_order(item) -> tuple:
    (front_end, figure, kind, _), _ = item
    return front_end != "JupyterLab", ("light", "heavy", "playing").index(kind), figure
