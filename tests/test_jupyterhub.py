"""A class on JupyterHub, for real: the course's hub configuration (deploy/jupyterhub/) run
with JupyterHub, configurable-http-proxy, nbgitpuller and jupyterhub-idle-culler on
127.0.0.1, two learners in Chromium.

Each learner logs in and gets their own copy of the course, pulled by nbgitpuller from a
local git repository: alice through the teacher's link to notebook 01 (the hub asks her to
log in first), bob at the hub's own address, whose start page (an nbgitpuller link) opens
notebook 00; he then opens 01. Each runs notebook 01, drags a slider and gets frames;
their kernel imports the course's files from their own copy. One learner edits notebook 01
and saves; the teacher pushes an update; the learner follows the link again: the update
arrives and the edit is still there.

What is not tested here: The Littlest JupyterHub's installer (systemd, system users),
building a container image, and Kubernetes (Zero to JupyterHub) -- none can run on the CI
machine. deploy/jupyterhub/README.md says so too.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest

from browser_support import NotebookPage
from hub_support import PROXY, Hub, course_repository, git

pytestmark = pytest.mark.browser

LEARNERS = ("alice", "bob")
FIRST = "notebooks/00_welcome.ipynb"
SECOND = "notebooks/01_linear_regression.ipynb"
FIGURE, SLIDER = "line_fit", "w"  # 01's first live figure and its slider
HUB_PACKAGES = ("jupyterhub", "nbgitpuller", "jupyterhub_idle_culler")
LEARNER_EDIT = "My own note: the slope is how steep the line is."
TEACHER_EDIT = "Update from the teacher: read section 2 before the class."
# Prints where the kernel's course comes from (run in the learner's own kernel).
WHERE_FROM = "import helpers, helpers.data; print(helpers.__file__); print(helpers.data.DATA_DIR)"


def hub_missing() -> str | None:
    missing = [name for name in HUB_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        return (f"the hub's packages are not installed ({', '.join(missing)}): `make hub` "
                f"(or pip install -e '.[hub]')")
    if not PROXY.exists():
        return f"configurable-http-proxy is not installed: `make hub` ({PROXY})"
    return None


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    reason = hub_missing()
    if reason:  # a learner's laptop has no hub; CI must
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    repo = course_repository(tmp_path_factory.mktemp("course"))
    hub = Hub(repo).start()
    yield hub
    hub.stop()


@pytest.fixture(scope="module")
def learners(hub, chromium):
    """Each learner logged in, in a browser context of their own (their own cookies):
    alice by the teacher's link to notebook 01 (the hub asks her to log in first), bob at
    the hub's own address (he lands on notebook 00, then opens 01 in JupyterLab)."""
    pages = {}
    for name in LEARNERS:  # both log in, then their servers start side by side
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        pages[name] = page = context.new_page()
        after_login = hub.pull_link(SECOND) if name == "alice" else None
        page.goto(f"{hub.url}/hub/login" + (
            "" if after_login is None else "?" + urlencode({"next": after_login})))
        page.fill("#username_input", name)
        page.fill("#password_input", hub.password)
        page.click("#login_submit")
    open_in_lab(pages["alice"], f"slider-by-slider/{SECOND}")  # the link she followed
    page = pages["bob"]
    open_in_lab(page, f"slider-by-slider/{FIRST}")  # the hub's default address
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session"
        "?.kernel?.status === 'idle'", timeout=60_000)
    page.evaluate("() => { for (const widget of [...window.jupyterapp.shell"
                  ".widgets('main')]) { widget.dispose(); } }")
    yield pages
    for page in pages.values():
        page.context.close()


def open_in_lab(page, path: str, timeout_ms: float = 60_000) -> None:
    """Wait until JupyterLab shows the notebook at ``path`` (after a pull's redirect)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "(path) => window.jupyterapp?.shell.currentWidget?.context?.path === path",
            arg=path, timeout=timeout_ms)
    except PlaywrightTimeout:
        shown = page.evaluate("() => window.jupyterapp?.shell.currentWidget?.context?.path")
        text = page.evaluate("() => document.body.innerText.slice(0, 600)")
        raise AssertionError(f"JupyterLab did not show {path} at {page.url} (it shows "
                             f"{shown}); the page says: {text}") from None


def follow(page, link: str, path: str) -> None:
    """Follow ``link`` (a course's nbgitpuller link) and wait for JupyterLab to show the
    notebook at ``path``."""
    page.goto(link)
    open_in_lab(page, path)


def kernel_says(page, code: str) -> str:
    """Run ``code`` in the kernel of the notebook open in ``page``; its printed text."""
    return page.evaluate(
        """async (code) => {
             const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
             const future = kernel.requestExecute({code});
             let text = '';
             future.onIOPub = (msg) => {
               if (msg.header.msg_type === 'stream') { text += msg.content.text; }
               if (msg.header.msg_type === 'error') { text += msg.content.evalue; }
             };
             await future.done;
             return text;
           }""", code)


def cell_sources(path: Path) -> list[str]:
    return ["".join(cell["source"]) for cell in
            json.loads(path.read_text(encoding="utf-8"))["cells"]]


def test_each_learner_pulls_the_course_runs_notebook_01_and_drags_a_slider(hub, learners):
    for name, page in learners.items():
        course = hub.learner_home(name) / "slider-by-slider"
        assert (course / ".git").is_dir() and (course / SECOND).is_file(), (
            f"{name}: nbgitpuller did not clone the course into {course}")
        notebook = NotebookPage(page, server=None, path=f"slider-by-slider/{SECOND}")
        notebook.open()
        notebook.run_all()
        assert notebook.error_outputs() == [], f"{name}: errors under cells"
        drag = notebook.drag(FIGURE, SLIDER, "light")
        assert drag.values > 2 and drag.frames > 0, (
            f"{name}: dragging {FIGURE}.{SLIDER} through the hub gave {drag.frames} frames "
            f"for {drag.values} slider values")
        assert not notebook.run.page_errors, notebook.run.page_errors

        module, data_dir = kernel_says(page, WHERE_FROM).split()
        assert Path(module).resolve() == (course / "helpers" / "__init__.py").resolve(), (
            f"{name}'s kernel imported {module}, not their own copy of the course")
        assert Path(data_dir).resolve() == (course / "data").resolve()


def test_a_learners_edit_survives_a_course_update(hub, learners):
    name, page = "alice", learners["alice"]
    path = f"slider-by-slider/{SECOND}"
    follow(page, hub.pull_link(SECOND), path)
    # The learner writes in the notebook's first cell, in JupyterLab, and saves.
    page.evaluate("""async (text) => {
        const widget = window.jupyterapp.shell.currentWidget;
        await widget.context.ready;
        const cell = widget.content.model.cells.get(0).sharedModel;
        cell.setSource(cell.getSource() + '\\n\\n' + text);
        await widget.context.save(); }""", LEARNER_EDIT)
    course = hub.learner_home(name) / "slider-by-slider"
    assert LEARNER_EDIT in cell_sources(course / SECOND)[0]

    # The teacher updates notebook 00 (and the last cell of 01) and commits.
    for relative, index in ((FIRST, 0), (SECOND, -1)):
        notebook = hub.repo / relative
        content = json.loads(notebook.read_text(encoding="utf-8"))
        content["cells"][index]["source"] = [TEACHER_EDIT + "\n\n",
                                             *content["cells"][index]["source"]]
        notebook.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    git(hub.repo, "commit", "--quiet", "-am", "An update for the class")

    follow(page, hub.pull_link(SECOND), path)  # the same link, followed again
    assert TEACHER_EDIT in cell_sources(course / FIRST)[0], "the update did not arrive"
    sources = cell_sources(course / SECOND)
    assert LEARNER_EDIT in sources[0], "the learner's edit was lost in the update"
    assert TEACHER_EDIT in sources[-1], "the update of the edited notebook was not merged"


def test_the_idle_culler_runs_and_each_server_culls_idle_kernels(hub, learners):
    culler = hub.api("GET", "/hub/api/services/idle-culler")
    assert "jupyterhub_idle_culler" in " ".join(culler["command"])
    os.kill(culler["pid"], 0)  # running (raises if not)
    for name in LEARNERS:
        pid = hub.api("GET", f"/hub/api/users/{name}")["servers"][""]["state"]["pid"]
        command = subprocess.run(["ps", "-ww", "-o", "command=", "-p", str(pid)], check=True,
                                 capture_output=True, text=True).stdout
        assert f"--MappingKernelManager.cull_idle_timeout={hub.kernel_idle_s}" in command
        assert "--MappingKernelManager.cull_connected=True" in command
