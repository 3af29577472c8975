"""Slider by Slider's settings for a class's JupyterHub, whatever the hub runs on.

Loaded by ``jupyterhub_config.py`` here (one machine, no distribution); on The Littlest
JupyterHub, copy it to ``/opt/tljh/config/jupyterhub_config.d/slider_by_slider.py``; on
Zero to JupyterHub, put it in ``hub.extraConfig`` (README.md in this folder says how).

* Every server starts on an **nbgitpuller** link: the course is cloned into
  ``~/slider-by-slider`` the first time, later updates are merged in without overwriting
  what the learner changed, and JupyterLab opens notebook 00.
* Idle **kernels** are shut down after ``SLIDER_BY_SLIDER_KERNEL_IDLE`` seconds (default 20
  minutes), even while their notebook is open; idle **servers** are the idle culler's job
  (jupyterhub_config.py, or the distribution's own).
* ``python course.py notebooks/03_piecewise_fitting.ipynb`` prints the link to share for a
  notebook.

Set ``SLIDER_BY_SLIDER_REPO`` (and ``SLIDER_BY_SLIDER_BRANCH``) in the hub's environment, or
edit the defaults below, to the git address of your copy of the course.
"""

import os
from urllib.parse import urlencode

COURSE_REPO = os.environ.get("SLIDER_BY_SLIDER_REPO",
                             "https://github.com/YOUR-ACCOUNT/slider-by-slider")
COURSE_BRANCH = os.environ.get("SLIDER_BY_SLIDER_BRANCH", "main")
# The folder of each learner's home (helpers.server.COURSE_FOLDER names the same one: the
# kernels put it first on their path).
COURSE_FOLDER = "slider-by-slider"
FIRST_NOTEBOOK = "notebooks/00_welcome.ipynb"
KERNEL_IDLE_S = int(os.environ.get("SLIDER_BY_SLIDER_KERNEL_IDLE", 20 * 60))


def pull_link(notebook: str = FIRST_NOTEBOOK) -> str:
    """The nbgitpuller path (under a user's server) that pulls the course and opens
    ``notebook``; a link to share is the hub's address + ``/hub/user-redirect`` + this."""
    return "/git-pull?" + urlencode({
        "repo": COURSE_REPO, "branch": COURSE_BRANCH, "targetPath": COURSE_FOLDER,
        "urlpath": f"lab/tree/{COURSE_FOLDER}/{notebook}"})


def configure(c) -> None:
    """The course's settings, on JupyterHub's config object ``c``."""
    c.Spawner.default_url = pull_link()
    c.Spawner.args.extend([
        f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE_S}",
        "--MappingKernelManager.cull_interval=60",
        # also the kernels of notebooks still open in a tab: a class leaves many open
        "--MappingKernelManager.cull_connected=True",
    ])


# JupyterHub's config loader (a config file, load_subconfig, Zero to JupyterHub's
# hub.extraConfig) runs this file with its config object as ``c``.
if "c" in globals():
    configure(c)  # noqa: F821
elif __name__ == "__main__":  # python course.py [notebook]: the link to share
    import sys

    print("https://<your hub>/hub/user-redirect" + pull_link(*sys.argv[1:2]))
