"""Two checks of every notebook that need it executed: every exercise's solution passes
its check, and every control of every live figure moves without an error.

Both run in a kernel that has executed the notebook top to bottom. In the full suite that
is strict nbval's own kernel: after a notebook's last cell, :func:`add_kernel_checks`
appends two items to the notebook's nbval items, so the notebook is executed once for
all three checks. ``tests/test_notebooks.py::test_solutions_pass_their_checks`` and
``tests/test_live_sweep.py`` hold the same checks for a run without nbval (e.g.
``pytest tests/test_live_sweep.py``); they execute the notebook themselves, and are left
out of a session where the nbval items carry the checks.

The solutions: each exercise's solution (from its "Solution" block) is executed, then
its check cell again; every verdict must start with ✓. A committed notebook runs with
its stubs in place, so no later cell depends on an exercise: running the pairs after the
notebook gives the verdicts that running them in place would.

The sweep: each control goes to its minimum, its maximum and 20 random values (on its
step grid), through the same path as a slider move in the browser
(``live_driver.drive_all``). No move may raise or warn (overflow, invalid value...), and
the picture must change whenever the value does.
"""

from __future__ import annotations

import functools
import json
import queue
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from live_driver import kernel_import

SOLUTION = re.compile(r"<details><summary>Solution</summary>\s*```python\n(.*?)```", re.S)
STUB = re.compile(r"raise NotImplementedError|^\w+ = \.\.\.\s*(#.*)?$", re.M)
MARKER = "SWEEP "
DRIVER = (f"import json as _json\n{kernel_import()}"
          f"print({MARKER!r} + _json.dumps(_driver.drive_all(n_random=20, seed=1)))")
TIMEOUT = 600  # seconds for one execution


def exercises(notebook) -> list[tuple[int, int, str]]:
    """(stub cell index, check cell index, solution code) for each exercise."""
    found, cells = [], notebook.cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or not STUB.search(cell.source):
            continue
        check = next(j for j in range(i + 1, len(cells))
                     if cells[j].cell_type == "code" and "checks.check_" in cells[j].source)
        solution = next(SOLUTION.search(cells[j].source) for j in range(check + 1, len(cells))
                        if SOLUTION.search(cells[j].source))
        found.append((i, check, solution.group(1)))
    return found


@dataclass
class Output:
    """What one execution printed (stdout), showed (text/plain) and raised."""

    stdout: str = ""
    shown: tuple = ()
    error: str = ""


# --- the two checks, on any kernel that can execute code --------------------------------


def check_solutions(notebook, execute) -> None:
    """Execute each solution, then its check cell: every verdict is ✓."""
    failed = []
    for _, check, solution in exercises(notebook):
        ran = execute(solution)
        verdict = execute(notebook.cells[check].source)
        verdicts = [text for text in verdict.shown if text]
        if ran.error or verdict.error or not verdicts \
                or not all(v.startswith("✓") for v in verdicts):
            said = ran.error or verdict.error or json.dumps(verdicts, ensure_ascii=False)
            failed.append(f"{notebook.cells[check].source.strip()} -> {said}")
    assert not failed, "\n".join(failed)


def check_sweep(notebook, execute) -> None:
    """Drive every control of every live figure: no error, every move shows."""
    ran = execute(DRIVER)
    assert not ran.error and MARKER in ran.stdout, ran.error or ran.stdout[-2000:]
    figures = json.loads(ran.stdout.split(MARKER, 1)[1])
    shown = sum("LiveFigure(" in o.get("data", {}).get("text/plain", "")
                for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert len(figures) == shown, "every displayed live figure is in the registry"
    problems = []
    for figure, controls in figures.items():
        for key, record in controls.items():
            assert len(record["moves_ms"]) + len(record["errors"]) >= 2, f"{figure}.{key}"
            problems += [f"{figure}: {error}" for error in record["errors"]]
            problems += [f"{figure}: {key}={value!r} left the picture unchanged"
                         for value in record["unchanged"]]
    assert not problems, "\n".join(problems)


CHECKS = {"solutions pass their checks": check_solutions,
          "every control of every live figure": check_sweep}


# --- in strict nbval's kernel ------------------------------------------------------------


def _executor(kernel, timeout: float):
    """execute(code) -> :class:`Output`, in nbval's running kernel. The kernel's messages
    are read while it works (a sweep sends hundreds of frames); a kernel that dies or
    runs past ``timeout`` seconds fails the check with a message, and is interrupted."""

    def message(stream: str, deadline: float) -> dict:
        while True:  # in short slices, to notice a kernel that died
            if not kernel.is_alive():
                raise AssertionError("the notebook's kernel died")
            if time.monotonic() > deadline:
                kernel.interrupt()
                raise AssertionError(f"no answer from the kernel in {timeout:g} s")
            try:
                return kernel.get_message(stream=stream, timeout=2)
            except queue.Empty:
                continue

    def execute(code: str) -> Output:
        deadline = time.monotonic() + timeout
        msg_id = kernel.execute_cell_input(code, allow_stdin=False)
        out, stdout, shown = Output(), [], []
        while True:
            msg = message("iopub", deadline)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content["name"] == "stdout":
                stdout.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                shown.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                out.error = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                break
        while message("shell", deadline)["parent_header"].get("msg_id") != msg_id:
            pass  # the execute_reply, so that no reply is left behind
        out.stdout, out.shown = "".join(stdout), tuple(shown)
        return out

    return execute


FAILED_CELLS: set = set()  # the nbval notebooks (IPyNbFile) in which a cell failed


class KernelCheck(pytest.Item):
    """One of :data:`CHECKS`, run in the kernel of the notebook nbval has just executed."""

    def __init__(self, *, check, **kwargs):
        super().__init__(**kwargs)
        self.check = check

    def runtest(self):
        if self.parent in FAILED_CELLS or getattr(self.parent, "timed_out", False):
            pytest.skip("a cell of this notebook failed (reported above): its kernel is "
                        "not the notebook's")
        kernel = getattr(self.parent, "kernel", None)
        assert kernel is not None and kernel.is_alive(), "the notebook's kernel is not running"
        timeout = float(self.config.getoption("nbval_cell_timeout", None) or TIMEOUT)
        self.check(self.parent.nb, _executor(kernel, timeout))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, AssertionError):
            return f"{self.name}:\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


def record_failed_cell(item, report) -> None:
    """Called with every test report (conftest): remember a notebook whose cell failed."""
    if report.failed and type(item).__name__ == "IPyNbCell":
        FAILED_CELLS.add(item.parent)


def add_kernel_checks(items: list, notebooks: list[Path]) -> set[Path]:
    """After the last nbval item of each course notebook whose every cell is selected, the
    :data:`CHECKS` items (in place, in ``items``); returns the notebooks that got them.
    (A notebook narrowed by ``-k`` or ``--deselect`` keeps its stand-alone tests.)"""
    wanted = {path.resolve() for path in notebooks}
    last, cells = {}, {}
    for index, item in enumerate(items):
        parent = item.parent
        if type(parent).__name__ == "IPyNbFile" and Path(parent.path).resolve() in wanted:
            last[parent] = index
            cells[parent] = cells.get(parent, 0) + 1
    last = {parent: index for parent, index in last.items()
            if cells[parent] == sum(c.cell_type == "code" for c in parent.nb.cells)}
    for parent, index in sorted(last.items(), key=lambda pair: -pair[1]):
        items[index + 1:index + 1] = [KernelCheck.from_parent(parent, name=name, check=check)
                                      for name, check in CHECKS.items()]
    return {Path(parent.path).resolve() for parent in last}


# --- without nbval: execute the notebook here -----------------------------------------


@functools.cache
def _executed(path: Path):
    """The notebook executed by nbclient with its solutions in place, then the driver
    (once for both checks)."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    for stub, _, solution in exercises(notebook):
        notebook.cells[stub].source = solution  # solutions in place, as a learner's
    notebook.cells.append(nbformat.v4.new_code_cell(DRIVER))
    NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def run_check(path: Path, check) -> None:
    """Run ``check`` (one of :data:`CHECKS`) on the outputs of :func:`_executed`: each
    piece of code it asks to execute has run there, as a cell, in notebook order."""
    executed = _executed(path)

    def replay(code: str) -> Output:  # the outputs of the (last) cell that ran ``code``
        cell = next(c for c in reversed(executed.cells) if c.source == code)
        return Output("".join(o.get("text", "") for o in cell.outputs
                              if o.get("name") == "stdout"),
                      tuple(o["data"].get("text/plain", "") for o in cell.outputs
                            if "data" in o),
                      "".join(f"{o['ename']}: {o['evalue']}" for o in cell.outputs
                              if o.get("output_type") == "error"))

    check(nbformat.read(path, as_version=4), replay)
