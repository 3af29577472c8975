"""The course's Jupyter servers: kernel websockets that send small messages at once.

A slider drag in the browser is paced by the kernel: ipywidgets keeps one value in flight
and sends the next one when the kernel reports "idle" after the frame. jupyter_server's
kernel websocket leaves Nagle's algorithm on, so after each frame the small messages
that follow it ("idle", say) wait on the socket for the browser's delayed ACK of what was
sent before, 40 ms on Linux. A drag then gets at most 20 frames per second whatever the
figure costs (the kernel needs 5-14 ms per frame, ``make bench``). With TCP_NODELAY
"idle" arrives 1 ms after the frame instead of 42 ms, and every move of a 60 Hz drag gets
its frame: 300 frames for 300 moves instead of about 100 (a Python client dragging 01's
``line_fit`` as ipywidgets does, on the 2-core machine: ``benchmarks/bench_drag_protocol.py``;
in the browser, see ``benchmarks/README.md``).

:class:`NoDelayKernelWebsocketConnection` is jupyter_server's default kernel websocket
connection plus ``set_nodelay(True)`` when the websocket opens. jupyter_server takes it
through its supported extension point, ``ServerApp.kernel_websocket_connection_class``,
which the course's config file names. ``python -m helpers.server --install`` merges the
course's Jupyter config (``helpers/jupyter_config/``, laid out as under an environment's prefix)
into this Python environment, where every server started from it reads it:
``jupyter lab``, ``jupyter notebook``, a JupyterHub single-user server. Nothing is written
to the user's home. The config is

* ``etc/jupyter/jupyter_server_config.json``: this connection class;
* ``share/jupyter/lab/settings/overrides.d/slider_by_slider.json``: JupyterLab's and
  Notebook 7's defaults: no "Would you like to get notified about official Jupyter
  news?" pop-up over the figures, and the notebook's arrow-key shortcuts (cell cursor)
  left out when a slider has the focus. Notebook 7 handles shortcuts before the page
  (it starts Lumino without ``bubblingKeydown``, which JupyterLab sets and no setting
  exposes), so without this the arrows on a focused slider moved the cell cursor.

On a class's JupyterHub (``deploy/jupyterhub/``), ``python -m helpers.server --install --hub``
also installs the environment's ``python3`` kernel spec with what a learner's kernel needs
(:data:`HUB_KERNEL_ENV`): the learner's own copy of the course, which nbgitpuller pulls
into ``~/slider-by-slider``, first on the path; one BLAS thread; matplotlib's caches in the
learner's home. Only the kernels get them: a learner's edit of ``helpers/`` can break their
own notebooks, never their server.

A server started elsewhere, without this config, works the same, only slower (and with
the pop-up, and in Notebook 7 without arrow keys on sliders).
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from pathlib import Path

from jupyter_server.services.kernels.connection.channels import (
    ZMQChannelsWebsocketConnection,
)

# The course's config files, laid out as under an environment's prefix (sys.prefix): each
# one is merged into the file of the same path there (see :func:`install`).
CONFIG_SOURCE = Path(__file__).resolve().parent / "jupyter_config"
CONFIG_FILES = (
    # read by every Jupyter server started from the environment (traitlets config)
    "etc/jupyter/jupyter_server_config.json",
    # JupyterLab's and Notebook 7's settings defaults (jupyterlab_server's overrides.d)
    "share/jupyter/lab/settings/overrides.d/slider_by_slider.json",
)


def set_nodelay(handler) -> bool:
    """Turn Nagle's algorithm off on an open websocket handler's TCP socket; returns
    whether TCP_NODELAY is now on.

    A websocket whose connection or stream is already gone (the browser closed it while it
    opened) is left alone, as is a socket that is not TCP (a Unix socket): the connection
    goes on as it would have without the setting.
    """
    connection = getattr(handler, "ws_connection", None)
    stream = getattr(connection, "stream", None)
    if stream is None or stream.closed():
        return False
    try:
        handler.set_nodelay(True)
    except (AssertionError, OSError):  # closed in between (tornado asserts it is open)
        return False
    return nodelay_of(handler)


def nodelay_of(handler) -> bool:
    """Whether the handler's socket has TCP_NODELAY set (False when it has no socket)."""
    connection = getattr(handler, "ws_connection", None)
    sock = getattr(getattr(connection, "stream", None), "socket", None)
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    try:
        return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    except OSError:
        return False


class NoDelayKernelWebsocketConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection with TCP_NODELAY on its socket.

    Set by ``c.ServerApp.kernel_websocket_connection_class``; everything else (channels,
    rate limits, replay on reconnection) is jupyter_server's own.
    """

    def connect(self):
        # Called from the handler's open(): the websocket is accepted and its stream is
        # detached from the HTTP connection, so the option stays set for its lifetime.
        if set_nodelay(self.websocket_handler):
            self.log.info("Kernel %s: TCP_NODELAY on its websocket (helpers.server)",
                          self.kernel_id)
        else:
            self.log.debug("Kernel %s: websocket without TCP_NODELAY (closed, or no TCP)",
                           self.kernel_id)
        return super().connect()


def _merged(base: dict, ours: dict) -> dict:
    """``base`` with every setting of ``ours`` put in (nested dicts merged, ours win)."""
    merged = dict(base)
    for key, value in ours.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def install(prefix: str | Path = sys.prefix, source: Path = CONFIG_SOURCE) -> list[Path]:
    """Merge the course's Jupyter config files into the same files under ``prefix``
    (settings already there stay, the course's are added or replaced); returns the files
    written. Nothing is written outside ``prefix``: not in the user's home."""
    written = []
    for relative in CONFIG_FILES:
        target = Path(prefix) / relative
        existing = _read_json(target)
        merged = _merged(existing, _read_json(source / relative))
        if target.exists() and merged == existing:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
        written.append(target)
    return written


def installed(prefix: str | Path = sys.prefix, source: Path = CONFIG_SOURCE) -> bool:
    """Whether every setting of the course's config files is in force under ``prefix``."""
    for relative in CONFIG_FILES:
        existing = _read_json(Path(prefix) / relative)
        if _merged(existing, _read_json(source / relative)) != existing:
            return False
    return True


# The folder of each learner's home that nbgitpuller pulls the course into (its
# ``targetPath``; deploy/jupyterhub/course.py names the same folder).
COURSE_FOLDER = "slider-by-slider"
# The kernel environment of a class's hub (jupyter_client puts each ${NAME} from the
# server's environment in, when it starts a kernel): the learner's copy of the course
# before the installed one; one BLAS thread, as `make` sets it (many kernels share few
# cores); matplotlib's font cache in the learner's home, built once per learner.
HUB_KERNEL_ENV = {
    "PYTHONPATH": "${HOME}/" + COURSE_FOLDER,
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLCONFIGDIR": "${HOME}/.cache/" + COURSE_FOLDER + "/matplotlib",
}


def install_hub_kernel(prefix: str | Path = sys.prefix) -> Path:
    """Install the ``python3`` kernel spec under ``prefix`` with :data:`HUB_KERNEL_ENV`
    (ipykernel's own installer, as ``python -m ipykernel install --prefix P --env ...``);
    returns its folder."""
    from ipykernel.kernelspec import install as install_kernel_spec

    return Path(install_kernel_spec(prefix=str(prefix), env=dict(HUB_KERNEL_ENV)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.server",
        description="Install the course's Jupyter config (TCP_NODELAY on kernel websockets, "
                    "no news pop-up) into this Python environment.")
    parser.add_argument("--install", action="store_true", help="copy the config files")
    parser.add_argument("--hub", action="store_true",
                        help="with --install: also the kernel spec for a class's JupyterHub "
                             "(deploy/jupyterhub/README.md)")
    parser.add_argument("--prefix", default=sys.prefix,
                        help="environment prefix (default: this Python's, %(default)s)")
    args = parser.parse_args(argv)
    if not args.install:
        state = "installed" if installed(args.prefix) else "NOT installed"
        print(f"The course's Jupyter config is {state} under {args.prefix}")
        return 0
    for path in install(args.prefix):
        print(f"wrote {path}")
    if args.hub:
        print(f"wrote {install_hub_kernel(args.prefix) / 'kernel.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
