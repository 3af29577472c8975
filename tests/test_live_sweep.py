"""Every control of every live figure of every notebook, driven in the notebook's kernel.

Each control goes to its minimum, its maximum and 20 random values (on its step grid),
through the same path as a slider move in the browser. No move may raise or warn
(overflow, invalid value...), and the picture must change whenever the value does.
"""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import NOTEBOOKS

MARKER = "SWEEP "
DRIVER = (f"import json as _json\nfrom helpers import live as _live\n"
          f"print({MARKER!r} + _json.dumps(_live.drive_all(n_random=20, seed=1)))")


def sweep(path: Path) -> dict:
    """Run the notebook, then drive every control; ``{figure: {control: record}}``."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(DRIVER))
    NotebookClient(notebook, timeout=600, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    stdout = "".join(o.get("text", "") for o in notebook.cells[-1].outputs
                     if o.get("name") == "stdout")
    return json.loads(stdout.split(MARKER, 1)[1])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_control_of_every_live_figure(path):
    figures = sweep(path)
    shown = sum("LiveFigure(" in o.get("data", {}).get("text/plain", "")
                for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
                for o in c.outputs)
    assert len(figures) == shown, "every displayed live figure is in the registry"
    problems = []
    for figure, controls in figures.items():
        for key, record in controls.items():
            assert len(record["moves_ms"]) + len(record["errors"]) >= 2, f"{figure}.{key}"
            problems += [f"{figure}: {error}" for error in record["errors"]]
            problems += [f"{figure}: {key}={value!r} left the picture unchanged"
                         for value in record["unchanged"]]
    assert not problems, "\n".join(problems)
