"""Every control of every live figure of every notebook, driven in the notebook's kernel
(after the run with every exercise's solution in place, see course_run.py).

Each control goes to its minimum, its maximum and 20 random values (on its step grid),
through the same path as a slider move in the browser. No move may raise or warn
(overflow, invalid value...), and the picture must change whenever the value does.
"""

import nbformat
import pytest
from course_run import run

from conftest import NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_control_of_every_live_figure(path):
    figures = run(path).sweep
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
