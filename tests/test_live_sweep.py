"""Every control of every live figure of every notebook, driven in the notebook's kernel
(see course_run.py): this file runs the sweep without nbval; in the full suite it runs in
nbval's kernel after the notebook's last cell, and this file is left out."""

import pytest
from course_run import check_sweep, run_check

from conftest import NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_control_of_every_live_figure(path):
    run_check(path, check_sweep)
