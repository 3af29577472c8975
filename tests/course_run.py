"""One execution of each notebook serves two tests: every exercise's solution is put in
place of its stub, the notebook runs top to bottom, then every control of every live
figure is moved (``tests/test_notebooks.py`` reads the checks' verdicts,
``tests/test_live_sweep.py`` the sweep). Strict nbval runs the committed notebook
separately, as a learner first meets it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from live_driver import kernel_import
from nbclient import NotebookClient

SOLUTION = re.compile(r"<details><summary>Solution</summary>\s*```python\n(.*?)```", re.S)
STUB = re.compile(r"raise NotImplementedError|^\w+ = \.\.\.\s*(#.*)?$", re.M)
MARKER = "SWEEP "
DRIVER = (f"import json as _json\n{kernel_import()}"
          f"print({MARKER!r} + _json.dumps(_driver.drive_all(n_random=20, seed=1)))")


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


@dataclass(frozen=True)
class Run:
    notebook: nbformat.NotebookNode  # as executed, solutions in place, driver cell last
    exercises: list[tuple[int, int, str]]  # see exercises()
    sweep: dict  # {figure: {control: record}}, see live_driver.drive

    def verdicts(self, check_cell: int) -> list[str]:
        return [o["data"]["text/plain"] for o in self.notebook.cells[check_cell].outputs
                if "data" in o]


@functools.cache
def run(path: Path) -> Run:
    """Execute the notebook with its solutions in place, then drive its live figures."""
    notebook = nbformat.read(path, as_version=4)
    found = exercises(notebook)
    for stub, _, solution in found:
        notebook.cells[stub].source = solution
    notebook.cells.append(nbformat.v4.new_code_cell(DRIVER))
    NotebookClient(notebook, timeout=600, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    stdout = "".join(o.get("text", "") for o in notebook.cells[-1].outputs
                     if o.get("name") == "stdout")
    return Run(notebook, found, json.loads(stdout.split(MARKER, 1)[1]))
