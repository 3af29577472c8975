"""A class's JupyterHub on this machine: the course's hub configuration, run for real.

Used by ``tests/test_jupyterhub.py`` and ``benchmarks/bench_classroom.py``.
:class:`Hub` starts JupyterHub with ``deploy/jupyterhub/jupyterhub_config.py`` (the course's
settings, the idle culler) and configurable-http-proxy, on 127.0.0.1 only, with three
changes a test needs: a password for every learner (the dummy authenticator), learners'
homes in a temporary folder instead of system users (``SimpleLocalProcessSpawner``), and the
course's hub kernel spec (``python -m helpers.server --install --hub``) installed in a
folder of its own instead of in this environment. :func:`course_repository` makes the git
repository the learners pull the course from. Everything stops, and the folder goes, in
:meth:`Hub.stop`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
from pathlib import Path

from browser_support import api_request, free_port

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "jupyterhub"
# configurable-http-proxy at the version of deploy/jupyterhub/proxy/package-lock.json,
# installed by `make hub` (CI) into .venv.
PROXY = ROOT / ".venv" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
# What a clone holds besides the course (left out of the learners' repository).
NOT_COURSE = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                    "node_modules", "artifacts", "results", ".*_cache",
                                    ".ipynb_checkpoints")
TEST_CONFIG = """
import os, sys
c = get_config()
load_subconfig({config!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.db_url = "sqlite:///{home}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{home}/cookie_secret"
c.JupyterHub.pid_file = "{home}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{home}/homes/{{username}}"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment.update({{"JUPYTER_PATH": "{home}/kernels/share/jupyter",
                               "JUPYTER_CONFIG_DIR": "{home}/jupyter-config"}})
c.Spawner.args.append("--LabApp.expose_app_in_browser=True")  # the tests' handle on the page
if os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")
c.JupyterHub.services.append({{"name": "test-admin", "api_token": {admin_token!r}}})
c.JupyterHub.load_roles.append({{"name": "test-admin", "scopes": ["admin:users",
    "admin:servers", "tokens", "list:services", "read:services"],
    "services": ["test-admin"]}})
c.JupyterHub.cleanup_servers = True
# a test's servers stop at once (a server without a terminal waits for a confirmation of
# Ctrl-C that never comes: SIGTERM stops it and its kernels cleanly)
c.LocalProcessSpawner.interrupt_timeout = 1
c.LocalProcessSpawner.term_timeout = 5
"""


def course_repository(folder: Path) -> Path:
    """A git repository (``folder/slider-by-slider``) holding the course as it is in this
    working tree, committed on ``main``; learners pull it by its ``file://`` address."""
    repo = folder / "slider-by-slider"
    shutil.copytree(ROOT, repo, ignore=NOT_COURSE)
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "The course")
    return repo


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Teacher", GIT_AUTHOR_EMAIL="teacher@example.org",
               GIT_COMMITTER_NAME="Teacher", GIT_COMMITTER_EMAIL="teacher@example.org")
    # nothing of the developer's git config that could stop a commit (signing, hooks)
    return subprocess.run(["git", "-C", str(repo), "-c", "commit.gpgsign=false", "-c",
                           "core.hooksPath=/dev/null", *args], check=True,
                          capture_output=True, text=True, env=env).stdout


class Hub:
    """JupyterHub with the course's configuration on 127.0.0.1 until :meth:`stop`; the
    learners pull the course from ``repo`` (a ``file://`` git address)."""

    def __init__(self, repo: Path, kernel_idle_s: int = 20 * 60, server_idle_s: int = 3600):
        self.repo, self.kernel_idle_s, self.server_idle_s = repo, kernel_idle_s, server_idle_s
        self.home = Path(tempfile.mkdtemp(prefix="slider-hub-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_hex(8)
        self.admin_token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Hub:
        if not PROXY.exists():
            raise RuntimeError(f"configurable-http-proxy is not installed ({PROXY}): run "
                               f"`make hub`")
        from helpers import server

        server.install_hub_kernel(self.home / "kernels")
        config = self.home / "test_config.py"
        config.write_text(TEST_CONFIG.format(
            config=str(DEPLOY / "jupyterhub_config.py"), port=self.port,
            hub_port=free_port(), proxy=str(PROXY), proxy_api_port=free_port(),
            home=self.home, password=self.password, admin_token=self.admin_token),
            encoding="utf-8")
        env = dict(os.environ, SLIDER_BY_SLIDER_REPO=f"file://{self.repo}",
                   SLIDER_BY_SLIDER_KERNEL_IDLE=str(self.kernel_idle_s),
                   SLIDER_BY_SLIDER_SERVER_IDLE=str(self.server_idle_s))
        # the hub's own proxy token, and nothing of a surrounding hub
        env = {key: value for key, value in env.items() if not key.startswith("JUPYTERHUB_")}
        env["CONFIGPROXY_AUTH_TOKEN"] = secrets.token_hex(16)
        self.log = open(self.home / "hub.log", "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=self.home, env=env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.hub_log()[-3000:]
                self.stop()
                raise RuntimeError(f"jupyterhub exited: {log}")
            try:
                self.api("GET", "/hub/api/")
                return self
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.3)
        log = self.hub_log()[-3000:]
        self.stop()
        raise RuntimeError(f"jupyterhub did not start in {timeout} s: {log}")

    def api(self, method: str, path: str, payload: dict | None = None,
            token: str | None = None):
        return api_request(method, f"{self.url}{path}", token or self.admin_token, payload,
                           timeout=30)

    def learner_home(self, name: str) -> Path:
        return self.home / "homes" / name

    def add_learner(self, name: str) -> None:
        self.api("POST", f"/hub/api/users/{name}")

    def start_server(self, name: str, timeout: float = 120) -> None:
        """Start learner ``name``'s server (as a login does) and wait until it is ready."""
        self.api("POST", f"/hub/api/users/{name}/server")
        self.wait_ready(name, timeout)

    def wait_ready(self, name: str, timeout: float = 120) -> None:
        """Wait until learner ``name``'s server, started, is ready."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"/hub/api/users/{name}")["servers"].get("", {})
            if server.get("ready"):
                return
            time.sleep(0.3)
        raise RuntimeError(f"{name}'s server did not start in {timeout} s")

    def learner_token(self, name: str) -> str:
        return self.api("POST", f"/hub/api/users/{name}/tokens",
                        {"expires_in": 3600, "note": "test"})["token"]

    def pull_link(self, notebook: str) -> str:
        """The nbgitpuller link a teacher shares, for ``notebook`` (course.py's form)."""
        from urllib.parse import urlencode

        return (f"{self.url}/hub/user-redirect/git-pull?" + urlencode({
            "repo": f"file://{self.repo}", "branch": "main",
            "targetPath": "slider-by-slider",
            "urlpath": f"lab/tree/slider-by-slider/{notebook}"}))

    def learner_server(self, name: str) -> LearnerServer:
        return LearnerServer(self, name)

    def hub_log(self) -> str:
        return (self.home / "hub.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Stop the hub (it stops the learners' servers and its proxy), then kill whatever
        of its processes is still running, and remove its folder."""
        import psutil  # (a dependency of Jupyter's)

        leftovers = []
        if self.process is not None and self.process.poll() is None:
            # the servers, their kernels and the proxy start sessions of their own: a
            # hub that has to be killed would leave them running
            leftovers = psutil.Process(self.process.pid).children(recursive=True)
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        for process in leftovers:
            try:
                process.kill()
            except psutil.Error:
                pass
        if self.process is not None:
            self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)


class LearnerServer:
    """A learner's running server, reached through the hub's proxy with a token of the
    learner's own, as their browser reaches it: ``api`` and ``websocket_url`` as
    ``browser_support.JupyterServer`` has them."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.token = hub.learner_token(name)
        self.pid = hub.api("GET", f"/hub/api/users/{name}")["servers"][""]["state"]["pid"]

    def api(self, method: str, path: str, payload: dict | None = None):
        return self.hub.api(method, f"/user/{self.name}{path}", payload, token=self.token)

    def websocket_url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.hub.port}/user/{self.name}{path}"
