"""Time every slider of every live figure in the course, as the kernel sees it.

    python benchmarks/bench_live.py [NOTEBOOK ...] [--moves N] [--check] [--json PATH]
    make bench                                  (every notebooks/NN_*.ipynb)

For each notebook this script

1. starts a fresh ``python3`` kernel in the notebook's folder and runs every code cell,
   timing the whole run (wall clock, kernel start-up excluded);
2. then, in the same kernel, moves every control of every figure in
   ``helpers.live.registry()`` through its extremes and N random values with
   ``drive_all`` of ``tests/live_driver.py`` (one ``control.value = v`` at a time).

3. re-runs every cell that makes a live figure ``--reruns`` times (30 by default), as a
   learner who runs a cell again and again, and measures how much the kernel's memory
   (resident set size) grew: IPython's history keeps every figure a cell returned, so a
   figure that did not let go of its canvas and cached backgrounds when it was replaced
   would pile up.

``control.value = v`` runs exactly the path a browser slider move triggers, so each
move's wall-clock time is the kernel-side cost of one slider step: the figure's
``update`` callback + blitting (or a full redraw when an axis' limits change) + JPEG
encoding + sending the frame (and the control's new value) over the widget comm. It
excludes the browser: network, decoding and painting the image are measured elsewhere.

A figure is within target when, over all its controls pooled, the median move takes at
most 16 ms (one frame at 60 Hz) and the 95th percentile at most 25 ms, and when 30
re-runs of its cell grow the kernel by at most 20 MB. Moves that raise
are caught in the kernel, counted and reported, and the run goes on.

Standard output gets one line of machine info and three markdown tables (per figure, per
notebook, memory per re-run cell); per-control numbers and raw timings go to the JSON file
(``benchmarks/results/latest.json`` unless ``--json PATH``). With ``--check`` the exit
status is 1 when a figure misses the target, a move raised or a notebook failed to run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import psutil
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from live_driver import kernel_import  # noqa: E402  (the tests' driver, loaded in each kernel)

DEFAULT_JSON = ROOT / "benchmarks" / "results" / "latest.json"
TARGET_MEDIAN_MS = 16.0
TARGET_P95_MS = 25.0
TARGET_RERUN_MB = 20.0  # kernel growth over 30 re-runs of one live-figure cell
CELL_TIMEOUT_S = 600  # per notebook cell, as helpers/notebook_runner.py
DRIVER_TIMEOUT_S = 3600  # the driver cell moves every control of every figure
RESULT_MARKER = "BENCH_LIVE_RESULT "
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")  # colours in kernel tracebacks


# --- kernel side ------------------------------------------------------------------------

def driver_source(moves: int) -> str:
    """The code cell run after the notebook: ``tests/live_driver.py``'s ``drive_all``,
    printed as JSON.

    It is the same driver the tests use to sweep every control (tests/course_run.py).
    """
    return ("import json as _json, os as _os, platform as _platform\n"
            "import matplotlib as _matplotlib\n"
            f"{kernel_import()}"
            "_kernel = {'cpu_count': _os.cpu_count(), 'python': _platform.python_version(),\n"
            "           'matplotlib': _matplotlib.__version__}\n"
            f"_figures = _driver.drive_all(n_random={moves}, seed=0)\n"
            f"print({RESULT_MARKER!r} + _json.dumps({{'kernel': _kernel, 'figures': _figures}}))\n")


# --- running one notebook -------------------------------------------------------------

class NotebookFailed(Exception):
    """A cell of the notebook, or the driver, failed; the message says where and why."""


def short_error(error: Exception) -> str:
    """One line: the exception's type and the last line of its message, no colours."""
    lines = ANSI_ESCAPE.sub("", str(error)).strip().splitlines()
    return f"{type(error).__name__}: {lines[-1] if lines else ''}"


def run_cell(client: NotebookClient, cell, index: int, where: str) -> None:
    try:
        client.execute_cell(cell, index)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        raise NotebookFailed(f"{where}: {short_error(error)}") from error


def execute_notebook(client: NotebookClient, notebook) -> float:
    """Run every code cell in order; return the wall-clock seconds."""
    start = time.perf_counter()
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            run_cell(client, cell, index, f"cell {index}")
    return time.perf_counter() - start


def parse_driver_output(cell) -> dict:
    """The JSON line the driver printed (stdout may arrive in several chunks)."""
    stdout = "".join(output.get("text", "") for output in cell.get("outputs", [])
                     if output.get("output_type") == "stream" and output.get("name") == "stdout")
    for line in stdout.splitlines():
        if line.startswith(RESULT_MARKER):
            return json.loads(line[len(RESULT_MARKER):])
    raise NotebookFailed(f"driver: printed no result; stdout ended with {stdout[-300:]!r}")


def run_driver(client: NotebookClient, notebook, moves: int) -> dict:
    """Run the driver as one more code cell of the notebook (the notebook is not saved)."""
    cell = nbformat.v4.new_code_cell(driver_source(moves))
    notebook.cells.append(cell)
    client.timeout = DRIVER_TIMEOUT_S
    run_cell(client, cell, len(notebook.cells) - 1, "driver")
    return parse_driver_output(cell)


def live_figure_cells(notebook) -> list[tuple[int, str]]:
    """(index, figure name) of every cell whose committed output is a live figure."""
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = output.get("data", {}).get("text/plain", "")
            if match := re.match(r"LiveFigure\('([^']+)'", text):
                found.append((index, match.group(1)))
    return found


def rerun_cells(client: NotebookClient, notebook, reruns: int) -> list[dict]:
    """Re-run each live-figure cell ``reruns`` times; the kernel's growth in MB."""
    kernel = psutil.Process(client.km.provisioner.process.pid)
    results = []
    for index, name in live_figure_cells(notebook):
        cell = notebook.cells[index]
        run_cell(client, cell, index, f"cell {index} (re-run)")  # settle caches first
        before = kernel.memory_info().rss
        start = time.perf_counter()
        for _ in range(reruns):
            run_cell(client, cell, index, f"cell {index} (re-run)")
        results.append({"figure": name, "cell": index, "reruns": reruns,
                        "growth_mb": (kernel.memory_info().rss - before) / 2**20,
                        "seconds_per_run": (time.perf_counter() - start) / max(reruns, 1)})
    return results


def bench_notebook(path: Path, moves: int, reruns: int = 30) -> dict:
    """Execute one notebook in a fresh kernel, drive its live figures, re-run their cells."""
    notebook = nbformat.read(path, as_version=4)
    # store_widget_state=False: the notebook is not saved, so don't spend CPU (2 cores,
    # shared with the kernel) keeping a base64 copy of every frame sent.
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    result = {"notebook": path.name, "path": str(path), "execution_s": None,
              "error": None, "kernel": None, "figures": [], "reruns": []}
    with client.setup_kernel():  # shuts the kernel down on the way out, even on errors
        try:
            result["execution_s"] = execute_notebook(client, notebook)
            raw = run_driver(client, notebook, moves)
            if reruns:
                client.timeout = CELL_TIMEOUT_S
                result["reruns"] = rerun_cells(client, notebook, reruns)
        except NotebookFailed as error:
            result["error"] = str(error)
            return result
    result["kernel"] = raw["kernel"]
    result["figures"] = [summarise_figure(name, controls)
                         for name, controls in raw["figures"].items()]
    return result


# --- statistics and verdicts ----------------------------------------------------------

def stats(moves_ms: list[float]) -> dict:
    """Median, 95th percentile and max of a list of move times (None when empty)."""
    if not moves_ms:
        return {"moves": 0, "median_ms": None, "p95_ms": None, "max_ms": None}
    times = np.asarray(moves_ms)
    return {"moves": len(times), "median_ms": float(np.median(times)),
            "p95_ms": float(np.percentile(times, 95)), "max_ms": float(times.max())}


def within_target(summary: dict) -> bool | None:
    """True/False against the target; None when there was nothing to time."""
    if summary["errors"]:
        return False
    if not summary["moves"]:
        return None
    return summary["median_ms"] <= TARGET_MEDIAN_MS and summary["p95_ms"] <= TARGET_P95_MS


def summarise_figure(name: str, controls: dict) -> dict:
    """Per-control and pooled numbers for one figure."""
    per_control = {}
    for key, record in controls.items():
        per_control[key] = {**stats(record["moves_ms"]),
                            "full_redraws": record["full_redraws"],
                            "errors": record["errors"], "moves_ms": record["moves_ms"]}
    pooled = [t for record in controls.values() for t in record["moves_ms"]]
    summary = {"figure": name, "controls": list(controls), **stats(pooled),
               "full_redraws": sum(c["full_redraws"] for c in controls.values()),
               "errors": [f"{key}={error}" for key, record in controls.items()
                          for error in record["errors"]]}
    summary["within_target"] = within_target(summary)
    summary["per_control"] = per_control
    return summary


def rerun_within_target(rerun: dict) -> bool:
    """30 re-runs may grow the kernel by TARGET_RERUN_MB; fewer, in proportion."""
    return rerun["growth_mb"] <= TARGET_RERUN_MB * max(rerun["reruns"], 1) / 30


def failed(results: list[dict]) -> bool:
    """What --check rejects: a figure off target, a move that raised, a notebook error,
    a live-figure cell whose re-runs grow the kernel too much."""
    return any(r["error"] or any(f["within_target"] is False for f in r["figures"])
               or not all(rerun_within_target(x) for x in r.get("reruns", []))
               for r in results)


# --- output ---------------------------------------------------------------------------

def machine_info() -> str:
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"matplotlib {matplotlib.__version__}, pixel ratio "
            f"{os.environ.get('SLIDER_PIXEL_RATIO', '1')}")


def fmt_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def figure_table(results: list[dict]) -> list[str]:
    mark = {True: "✓", False: "✗", None: "–"}
    lines = ["| notebook | figure | controls | moves | median ms | p95 ms | full redraws "
             "| errors | within target |",
             "|---|---|---:|---:|---:|---:|---:|---:|:---:|"]
    for result in results:
        for f in result["figures"]:
            lines.append(f"| {result['notebook']} | {f['figure']} | {len(f['controls'])} "
                         f"| {f['moves']} | {fmt_ms(f['median_ms'])} | {fmt_ms(f['p95_ms'])} "
                         f"| {f['full_redraws']} | {len(f['errors'])} "
                         f"| {mark[f['within_target']]} |")
    return lines


def notebook_table(results: list[dict]) -> list[str]:
    lines = ["| notebook | execution s | live figures |", "|---|---:|---:|"]
    for result in results:
        seconds = ("–" if result["execution_s"] is None else f"{result['execution_s']:.1f}")
        error = (result["error"] or "").replace("|", "\\|")  # keep the table's columns
        figures = f"error: {error}" if error else len(result["figures"])
        lines.append(f"| {result['notebook']} | {seconds} | {figures} |")
    return lines


def rerun_table(results: list[dict]) -> list[str]:
    rows = [(result["notebook"], rerun) for result in results for rerun in result["reruns"]]
    if not rows:
        return []
    mark = {True: "✓", False: "✗"}
    lines = ["| notebook | figure | re-runs of its cell | s per run | kernel growth MB "
             "| within target |", "|---|---|---:|---:|---:|:---:|"]
    for notebook, rerun in rows:
        lines.append(f"| {notebook} | {rerun['figure']} | {rerun['reruns']} "
                     f"| {rerun['seconds_per_run']:.2f} | {rerun['growth_mb']:.1f} "
                     f"| {mark[rerun_within_target(rerun)]} |")
    worst = max(rows, key=lambda row: row[1]["growth_mb"])
    lines += ["", f"Memory: {len(rows)} live-figure cells re-run; the largest growth is "
                  f"{worst[1]['growth_mb']:.1f} MB ({worst[0]} {worst[1]['figure']}); "
                  f"target <= {TARGET_RERUN_MB:g} MB per 30 re-runs"]
    return lines


def report(results: list[dict], moves: int) -> str:
    target = f"target: median <= {TARGET_MEDIAN_MS:g} ms and p95 <= {TARGET_P95_MS:g} ms"
    reruns = rerun_table(results)
    return "\n".join([f"Machine: {machine_info()}; moves per control: {moves} + 2 extremes; "
                      f"{target}", "", *figure_table(results), "", *notebook_table(results),
                      *([""] + reruns if reruns else [])])


def write_json(path: Path, results: list[dict], moves: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(),
                            "matplotlib": matplotlib.__version__,
                            "platform": platform.platform()},
                "moves": moves,
                "target": {"median_ms": TARGET_MEDIAN_MS, "p95_ms": TARGET_P95_MS},
                "notebooks": results}
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")


# --- command line ---------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebooks/NN_*.ipynb)")
    parser.add_argument("--moves", type=int, default=100,
                        help="random values per control, after its two extremes")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a figure misses the target or anything raised")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON,
                        help=f"where to write all results (default: {DEFAULT_JSON})")
    parser.add_argument("--pixel-ratio", type=float, default=None,
                        help="frame pixels per CSS pixel in the kernels (SLIDER_PIXEL_RATIO; "
                             "2 = sharp on a HiDPI screen, four times the pixels)")
    parser.add_argument("--reruns", type=int, default=30,
                        help="re-runs of each live-figure cell for the memory table (0: none)")
    args = parser.parse_args(argv)
    if args.moves < 0:
        parser.error("--moves must be >= 0")
    if args.reruns < 0:
        parser.error("--reruns must be >= 0")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.pixel_ratio is not None:  # the kernels inherit the environment
        os.environ["SLIDER_PIXEL_RATIO"] = f"{args.pixel_ratio:g}"
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        print("no notebooks to benchmark", file=sys.stderr)
        return 2
    results = []
    try:
        for path in paths:
            print(f"benchmarking {path} ...", file=sys.stderr, flush=True)
            results.append(bench_notebook(path.resolve(), args.moves, args.reruns))
    except KeyboardInterrupt:  # the kernel is already shut down; report what is done
        print("interrupted: the tables cover the notebooks finished so far", file=sys.stderr)
        print(report(results, args.moves))
        return 130
    print(report(results, args.moves))
    write_json(args.json, results, args.moves)
    print(f"\nresults written to {args.json}", file=sys.stderr)
    return 1 if args.check and failed(results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
