"""helpers.server: TCP_NODELAY on the kernel websockets of the course's Jupyter servers,
and the config that gives it (and the course's JupyterLab settings) to every server
started from the course's environment."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from jupyter_server.serverapp import ServerApp
from jupyter_server.services.kernels.connection.channels import (
    ZMQChannelsWebsocketConnection,
)
from tornado.httpserver import HTTPServer
from tornado.web import Application
from tornado.websocket import WebSocketHandler, websocket_connect

from helpers import server


def run_in_own_loop(coroutine):
    """asyncio.run in a thread of its own: in the whole suite, the browser tests'
    Playwright keeps an event loop running in the main thread, where asyncio.run refuses."""
    import threading

    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")

CLASS_NAME = "helpers.server.NoDelayKernelWebsocketConnection"


# -- the connection class -------------------------------------------------------------------

def test_the_class_is_jupyter_servers_default_connection_plus_nodelay():
    assert issubclass(server.NoDelayKernelWebsocketConnection, ZMQChannelsWebsocketConnection)
    app = ServerApp()
    app.kernel_websocket_connection_class = CLASS_NAME  # the trait the config sets
    assert app.kernel_websocket_connection_class is server.NoDelayKernelWebsocketConnection


def test_set_nodelay_turns_nagle_off_on_a_real_websocket():
    """A tornado websocket on loopback: Nagle is on when it opens, off after set_nodelay."""
    seen = {}

    class Handler(WebSocketHandler):
        def open(self):
            seen["before"] = server.nodelay_of(self)
            seen["set"] = server.set_nodelay(self)
            seen["after"] = server.nodelay_of(self)
            sock = self.ws_connection.stream.socket
            # nonzero when set: 1 on Linux, the flag's bit (4) on macOS
            seen["socket"] = bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            self.write_message("opened")

    async def main():
        http = HTTPServer(Application([(r"/ws", Handler)]))
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        http.add_socket(listener)
        port = listener.getsockname()[1]
        client = await websocket_connect(f"ws://127.0.0.1:{port}/ws")
        assert await client.read_message() == "opened"
        client.close()
        http.stop()

    run_in_own_loop(main())
    assert seen == {"before": False, "set": True, "after": True, "socket": True}


class Stream:
    def __init__(self, closed: bool):
        self.socket = None
        self._closed = closed

    def closed(self) -> bool:
        return self._closed


class Connection:
    def __init__(self, stream):
        self.stream = stream


class Handler:
    """A websocket handler whose connection is in some broken state."""

    def __init__(self, connection, error: Exception | None = None):
        self.ws_connection, self.error = connection, error

    def set_nodelay(self, value: bool) -> None:
        if self.error is not None:
            raise self.error


@pytest.mark.parametrize("handler", [
    Handler(None),                                               # the websocket is gone
    Handler(Connection(None)),                                   # its stream is gone
    Handler(Connection(Stream(closed=True))),                    # closed
    Handler(Connection(Stream(closed=False)), AssertionError()),  # closed in between
    Handler(Connection(Stream(closed=False)), OSError(9, "bad file descriptor")),
    Handler(Connection(Stream(closed=False))),                   # no TCP socket
], ids=["no connection", "no stream", "closed", "assert", "oserror", "no socket"])
def test_set_nodelay_leaves_a_gone_websocket_alone(handler):
    assert server.set_nodelay(handler) is False
    assert server.nodelay_of(handler) is False


# -- the config files ----------------------------------------------------------------------

def test_the_config_names_the_class_and_the_settings():
    config = json.loads((server.CONFIG_SOURCE / server.CONFIG_FILES[0]).read_text())
    assert config["ServerApp"]["kernel_websocket_connection_class"] == CLASS_NAME
    overrides = json.loads((server.CONFIG_SOURCE / server.CONFIG_FILES[1]).read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false"}
    shortcuts = overrides["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    # each notebook arrow-key shortcut: the default switched off, the same without sliders
    defaults = json.loads((Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab"
                           / "notebook-extension/tracker.json").read_text())
    arrows = [s for s in defaults["jupyter.lab.shortcuts"]
              if s["keys"] in (["ArrowUp"], ["ArrowDown"], ["ArrowLeft"], ["ArrowRight"])]
    assert len(arrows) == 4
    for default in arrows:
        assert {**default, "disabled": True} in shortcuts
        assert {**default, "selector": default["selector"] + ":not([role=slider])"} in shortcuts
    assert len(shortcuts) == 8


def test_install_merges_into_a_prefix_and_is_idempotent(tmp_path):
    theirs = tmp_path / server.CONFIG_FILES[0]
    theirs.parent.mkdir(parents=True)
    theirs.write_text(json.dumps({"ServerApp": {"iopub_msg_rate_limit": 5000},
                                  "MappingKernelManager": {"cull_idle_timeout": 600}}))
    assert not server.installed(tmp_path)
    written = server.install(tmp_path)
    assert sorted(written) == sorted(tmp_path / name for name in server.CONFIG_FILES)
    assert server.installed(tmp_path)
    merged = json.loads(theirs.read_text())
    assert merged == {"ServerApp": {"iopub_msg_rate_limit": 5000,
                                    "kernel_websocket_connection_class": CLASS_NAME},
                      "MappingKernelManager": {"cull_idle_timeout": 600}}
    assert server.install(tmp_path) == []  # nothing to do the second time
    assert server.main(["--install", "--prefix", str(tmp_path)]) == 0


def test_the_config_is_installed_in_this_environment():
    """`make` installs it (python -m helpers.server --install) where every Jupyter server
    started from the course's environment reads it."""
    assert server.installed(), "run `make` or `python -m helpers.server --install`"


# -- a real server ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not server.installed(), reason="the course's config is not installed")
def test_a_server_from_this_environment_sets_nodelay_on_kernel_websockets(tmp_path):
    """`jupyter server` started from the course's environment, with nothing on its command
    line: a kernel's websocket gets TCP_NODELAY (the class logs it when it sets it)."""
    port, token = free_port(), secrets.token_hex(8)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    command = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def api(method: str, path: str):
        request = urllib.request.Request(f"{url}{path}", method=method, data=b"{}"
                                         if method == "POST" else None,
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                api("GET", "/api/status")
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        kernel = api("POST", "/api/kernels")

        async def connect():
            ws = await websocket_connect(f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}"
                                         f"/channels?session_id=test&token={token}")
            for _ in range(100):  # until the connection is set up (it logs first)
                if "TCP_NODELAY on its websocket" in log.read_text():
                    break
                await asyncio.sleep(0.05)
            ws.close()

        run_in_own_loop(connect())
        assert f"Kernel {kernel['id']}: TCP_NODELAY on its websocket" in log.read_text()
        api("DELETE", f"/api/kernels/{kernel['id']}")
    finally:
        try:
            api("POST", "/api/shutdown")
            process.wait(timeout=15)
        except Exception:
            process.kill()
            process.wait(timeout=15)


def test_the_hub_kernel_spec_gives_each_learner_their_own_course(tmp_path):
    """``--install --hub``: the python3 kernel spec puts ~/slider-by-slider first on the
    kernel's path (jupyter_client fills in ${HOME} when it starts the kernel)."""
    assert server.main(["--install", "--hub", "--prefix", str(tmp_path)]) == 0
    spec = json.loads((tmp_path / "share/jupyter/kernels/python3/kernel.json")
                      .read_text(encoding="utf-8"))
    assert spec["env"] == server.HUB_KERNEL_ENV
    assert spec["env"]["PYTHONPATH"] == "${HOME}/slider-by-slider"
    assert spec["argv"][0] == sys.executable and "ipykernel_launcher" in spec["argv"]
    assert server.installed(tmp_path)


def test_the_hub_settings_name_the_same_course_folder():
    course = (Path(__file__).resolve().parents[1] / "deploy/jupyterhub/course.py").read_text(
        encoding="utf-8")
    assert f'COURSE_FOLDER = "{server.COURSE_FOLDER}"' in course
