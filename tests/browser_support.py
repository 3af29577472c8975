"""Driving the course the way a learner does: JupyterLab in a real Chromium.

Used by ``tests/test_browser.py``. Two pieces:

* :class:`JupyterServer` starts JupyterLab (or Notebook 7) on 127.0.0.1 with a free port,
  a random token and its own config, data, runtime, settings and workspace folders
  (nothing of the user's Jupyter set-up leaks in), serving a *copy* of the notebooks so
  that autosave can never touch the committed ones; it stops the server and its kernels
  whatever happens. Like every server started from the course's environment, it reads
  the course's Jupyter config there (``helpers.server``: TCP_NODELAY on the kernel
  websockets, no news pop-up, arrow keys for sliders in Notebook 7).
* :class:`NotebookPage` opens one notebook, runs all cells, collects errors, and moves
  the controls of each live figure (``helpers.live`` marks them with CSS classes),
  timing each move in the page: from the input event to the new frame decoded; and it
  drags a slider as a hand does, counting the frames painted per second.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Quiet on a closed network, and no sandbox (CI runs as root).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
LAB_SETTINGS = {
    # JupyterLab's default, stated: every cell stays in the page (offscreen ones are
    # skipped by the browser's renderer), as learners have it. (No news pop-up: the
    # course's own settings, installed in the environment, turn it off.)
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "contentVisibility"},
}
# The two front ends the course runs in: the module to start, its app's config name and
# the URL of an open notebook.
APPS = {
    "lab": ("jupyterlab", "LabApp", "/lab/tree/{path}?reset&token={token}"),
    "notebook": ("notebook", "JupyterNotebookApp", "/notebooks/{path}?token={token}"),
}
# A server as a learner's own `jupyter lab` outside the course's environment runs it:
# jupyter_server's default kernel websocket, Nagle's algorithm on (see helpers.server).
WITHOUT_NODELAY = ["--ServerApp.kernel_websocket_connection_class=jupyter_server.services"
                   ".kernels.connection.channels.ZMQChannelsWebsocketConnection"]
NEWS_QUESTION = "official Jupyter news"  # the pop-up the course's settings turn off
NODELAY_LOGGED = "TCP_NODELAY on its websocket"  # what helpers.server logs per connection


def find_chromium() -> str | None:
    """The Chromium to drive: ``$CHROMIUM`` if set, else the first one on the PATH."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_request(method: str, url: str, token: str, payload: dict | None = None,
                timeout: float = 10):
    """A Jupyter (or JupyterHub) REST call with ``token``: its JSON answer, or None."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, method=method, data=data,
                                     headers={"Authorization": f"token {token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read()
    return json.loads(body) if body else None


class JupyterServer:
    """JupyterLab (``app="lab"``) or Notebook 7 (``app="notebook"``) serving ``files``
    (copied into a fresh folder) until :meth:`stop`; ``extra_args`` go on its command
    line (``WITHOUT_NODELAY``, say)."""

    def __init__(self, files: dict[str, Path], app: str = "lab", extra_args=()):
        self.app, self.extra_args = app, list(extra_args)
        self.home = Path(tempfile.mkdtemp(prefix="slider-browser-"))
        self.root = self.home / "root"
        for relative, source in files.items():
            (self.root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, self.root / relative)
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> JupyterServer:
        from helpers import server

        if not server.installed():
            raise RuntimeError(f"The course's Jupyter config is not installed in {sys.prefix}: "
                               f"run `make` (or `python -m helpers.server --install`)")
        module, app_config, _ = APPS[self.app]
        env = dict(os.environ)
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            env[name] = str(self.home / name.lower())
        settings = self.home / "settings"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        command = [sys.executable, "-m", module, "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}",
                   f"--{app_config}.user_settings_dir={settings}",
                   f"--{app_config}.workspaces_dir={self.home / 'workspaces'}",
                   f"--{app_config}.expose_app_in_browser=True", *self.extra_args]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(self.home / "server.log", "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(command, env=env, cwd=self.root, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{module} exited: {self.server_log()[-2000:]}")
            try:
                self.api("GET", "/api/status")
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{module} did not start in {timeout} s")

    def notebook_url(self, path: str) -> str:
        return self.url + APPS[self.app][2].format(path=path, token=self.token)

    def api(self, method: str, path: str, payload: dict | None = None):
        return api_request(method, f"{self.url}{path}", self.token, payload)

    def websocket_url(self, path: str) -> str:
        """The ``ws://`` address of ``path`` (send the token in a header)."""
        return f"ws://127.0.0.1:{self.port}{path}"

    def start_session(self, path: str) -> None:
        """Start the kernel of the notebook at ``path`` now; JupyterLab, opening the
        notebook later, connects to it (as after a page reload) instead of waiting for a
        new one."""
        self.api("POST", "/api/sessions", {"path": path, "type": "notebook",
                                           "name": path.rsplit("/", 1)[-1],
                                           "kernel": {"name": "python3"}})

    def delete_sessions(self, keep: tuple = ()) -> None:
        """Shut down every kernel but those of the notebooks at ``keep``: two cores cannot
        afford kernels piling up."""
        for session in self.api("GET", "/api/sessions"):
            if session["path"] not in keep:
                self.api("DELETE", f"/api/sessions/{session['id']}")

    def server_log(self) -> str:
        return (self.home / "server.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown")
                self.process.wait(timeout=15)
            except Exception:
                self.process.kill()
                self.process.wait(timeout=15)
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)


# In-page helpers, installed once per page (a page may show several notebooks in turn).
PAGE_SCRIPT = """
if (!window.__sliderTests) {
window.__sliderTests = {
  lastInput: null,
  listen() {
    for (const type of ['keydown', 'pointerdown', 'change', 'input']) {
      document.addEventListener(type, (event) => {
        if (this.armed && this.lastInput === null) { this.lastInput = event.timeStamp; }
      }, true);
    }
  },
  // Resolves with ms from the first input event after arming to the nth new frame
  // decoded and painted, or null if fewer frames came within the timeout.
  arm(image, timeoutMs, nth = 1) {
    const token = (this.token = (this.token || 0) + 1);
    this.armed = true; this.lastInput = null;
    let last = image.src, seen = 0;
    return new Promise((resolve) => {
      let finished = false;
      const done = (value) => {
        if (finished) { return; }
        finished = true; observer.disconnect();
        if (this.token === token) { this.armed = false; }
        resolve(value);
      };
      const observer = new MutationObserver(async () => {
        if (image.src === last) { return; }
        last = image.src;
        if (this.lastInput === null || ++seen < nth) { return; }
        try { await image.decode(); } catch (error) { /* counted as changed */ }
        const start = this.lastInput;
        requestAnimationFrame(() => done(performance.now() - start));
      });
      observer.observe(image, {attributes: true, attributeFilter: ['src']});
      setTimeout(() => done(null), timeoutMs);
    });
  },
  // Resolves with the number of new frames the image showed within ms.
  countFrames(image, ms) {
    let last = image.src, frames = 0;
    return new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (image.src !== last) { last = image.src; frames += 1; }
      });
      observer.observe(image, {attributes: true, attributeFilter: ['src']});
      setTimeout(() => { observer.disconnect(); resolve(frames); }, ms);
    });
  },
  // Drags a slider's handle as a hand does: mouse down on it, then a move every display
  // frame (requestAnimationFrame: 60 Hz, as the browser delivers a real mouse's moves)
  // at pxPerFrame pixels per 16.7 ms, back and forth along the track, then mouse up.
  // Resolves with the moves made, the slider values reached, the new frames set on the
  // image (received) and those painted: loaded by a display frame (a frame replaced
  // before the next display frame is received but never painted).
  drag(handle, image, ms, pxPerFrame) {
    const track = handle.closest('.noUi-target').getBoundingClientRect();
    const box = handle.getBoundingClientRect();
    const y = box.y + box.height / 2, x0 = box.x + box.width / 2;
    const lo = track.left + 2, hi = track.right - 2, span = hi - lo;
    const direction = x0 - lo < hi - x0 ? 1 : -1;  // towards the farther end first
    const at = (elapsed) => {  // back and forth between lo and hi
      const u = ((x0 - lo + direction * pxPerFrame * elapsed * 0.06) % (2 * span)
                 + 2 * span) % (2 * span);
      return lo + (u <= span ? u : 2 * span - u);
    };
    const fire = (type, x) => handle.dispatchEvent(new MouseEvent(type, {
      bubbles: true, cancelable: true, composed: true, view: window, clientX: x,
      clientY: y, button: 0, buttons: type === 'mouseup' ? 0 : 1}));
    let received = 0, frames = 0, moves = 0, last = image.src, painted = image.src;
    const values = new Set([handle.getAttribute('aria-valuenow')]);
    const observer = new MutationObserver(() => {
      if (image.src !== last) { last = image.src; received += 1; }
    });
    observer.observe(image, {attributes: true, attributeFilter: ['src']});
    return new Promise((resolve) => {
      let start = null, x = x0;
      const step = (now) => {
        if (image.src !== painted && image.complete && image.naturalWidth > 0) {
          painted = image.src; frames += 1;  // shown from this display frame on
        }
        if (start === null) { start = now; fire('mousedown', x); frames = 0; }
        const elapsed = now - start;
        if (elapsed >= ms) {
          fire('mouseup', x); observer.disconnect();
          resolve({ms: elapsed, moves, frames, received, values: values.size});
          return;
        }
        if (elapsed > 0) {
          x = at(elapsed); fire('mousemove', x); moves += 1;
          values.add(handle.getAttribute('aria-valuenow'));
        }
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
  },
};
window.__sliderTests.listen();
}
"""


@dataclass
class Move:
    """One control move in the browser."""

    figure: str
    control: str
    how: str
    latency_ms: float | None
    readout: str = ""


@dataclass
class Drag:
    """One drag of a slider's handle in the browser: moves made, frames painted."""

    figure: str
    control: str
    kind: str  # "light", "heavy" (the slowest kernel-side figures) or "playing"
    seconds: float
    moves: int
    frames: int  # new frames decoded and painted
    received: int  # new frames set on the image (some replaced before they were painted)
    values: int  # distinct slider values the drag went through

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.seconds

    @property
    def received_per_second(self) -> float:
        return self.received / self.seconds

    @property
    def moves_per_second(self) -> float:
        return self.moves / self.seconds


@dataclass
class NotebookRun:
    """What happened while a notebook ran and its controls moved."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    frame_rates: dict[str, float] = field(default_factory=dict)  # player figure -> frames/s


def number(text: str) -> float:
    """A readout's number (ipywidgets writes negative numbers with U+2212)."""
    return float(text.strip().replace("\u2212", "-"))


class NotebookPage:
    """One notebook open in JupyterLab, in a Playwright page."""

    def __init__(self, page, server: JupyterServer, path: str):
        self.page, self.server, self.path = page, server, path
        self.run = NotebookRun()
        self._listeners = (("console", self._console), ("pageerror", self._page_error))
        for event, handler in self._listeners:
            page.on(event, handler)

    def _console(self, message) -> None:
        if message.type == "error":
            self.run.console_errors.append(message.text)

    def _page_error(self, error) -> None:
        self.run.page_errors.append(str(error))

    # -- opening and running ---------------------------------------------------------------

    def open(self, timeout_ms: float = 90_000) -> None:
        """Open the notebook: in the JupyterLab already loaded in the page (as a learner
        opens the next notebook), or by loading JupyterLab at its address."""
        if self.page.evaluate("() => window.jupyterapp?.name === 'JupyterLab'"):
            self.page.evaluate("(path) => window.jupyterapp.commands.execute("
                               "'docmanager:open', {path, factory: 'Notebook'})", self.path)
        else:
            self.page.goto(self.server.notebook_url(self.path))
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout_ms)
        self.page.wait_for_function(
            "() => { const w = window.jupyterapp?.shell.currentWidget;"
            " const k = w?.sessionContext?.session?.kernel;"
            " return k && k.status === 'idle' && w.sessionContext.kernelDisplayName"
            " !== 'No Kernel'; }", timeout=timeout_ms)
        self.page.evaluate(PAGE_SCRIPT)

    def close(self, keep: tuple = ()) -> None:
        """Close the notebook and the Log Console (shutting down every kernel but those
        of the notebooks at ``keep``), and leave JupyterLab open in the page, with nothing
        else in its main area."""
        for event, handler in self._listeners:
            self.page.remove_listener(event, handler)
        self.page.evaluate("() => { for (const area of ['main', 'down']) { for (const widget"
                           " of [...window.jupyterapp.shell.widgets(area)]) {"
                           " widget.dispose(); } } }")
        self.server.delete_sessions(keep)

    def run_all(self, timeout_ms: float = 300_000) -> None:
        self.page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
            ".every(p => /\\[\\d+\\]/.test(p.textContent))", timeout=timeout_ms)
        self.page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
            ".status === 'idle'", timeout=timeout_ms)

    def error_outputs(self) -> list[str]:
        """Text of every error or stderr output shown under a cell."""
        return self.page.eval_on_selector_all(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
            "nodes => nodes.map(n => n.textContent)")

    def log_console(self) -> list[str]:
        """Entries of JupyterLab's Log Console for this notebook (where an exception in
        a widget callback shows up), at every level."""
        if not self.page.query_selector(".jp-LogConsolePanel"):  # the command toggles
            self.page.evaluate("window.jupyterapp.commands.execute('logconsole:open',"
                               " {insertMode: 'split-bottom'})")
        self.page.wait_for_selector(".jp-LogConsolePanel", state="attached", timeout=10_000)
        self.page.wait_for_timeout(300)
        return self.page.eval_on_selector_all(
            ".jp-LogConsolePanel .jp-OutputArea-child",
            "nodes => nodes.map(n => n.textContent)")

    # -- live figures ------------------------------------------------------------------------

    def figures(self) -> list[str]:
        """Names of the live figures on the page, top to bottom."""
        return self.page.eval_on_selector_all(
            ".live-figure", "nodes => nodes.map(n => [...n.classList]"
            ".find(c => c.startsWith('live-figure--')).slice(13))")

    def figure(self, name: str):
        return self.page.locator(f".live-figure--{name}")

    def controls(self, name: str) -> list[str]:
        return self.figure(name).locator(".live-control").evaluate_all(
            "nodes => nodes.map(n => [...n.classList]"
            ".find(c => c.startsWith('live-control--')).slice(14))")

    def timed(self, name: str, action, timeout_ms: float = 5_000,
              prepare=None, nth: int = 1) -> float | None:
        """Do ``prepare()`` (not timed), then ``action()``: ms from the action's first
        input event to the figure's ``nth`` new frame decoded, or None if none came."""
        if prepare is not None:
            prepare()
        image = self.figure(name).locator("img").first
        image.evaluate("(img, [t, nth]) => { window.__sliderPending ="
                       " window.__sliderTests.arm(img, t, nth); }", [timeout_ms, nth])
        action()
        return self.page.evaluate("() => window.__sliderPending")

    DRAG_SECONDS = 1.0
    DRAG_PIXELS = 3  # per 16.7 ms: 180 pixels per second, a hand's slow, careful drag

    def drag(self, name: str, key: str, kind: str, seconds: float | None = None) -> Drag:
        """Drag the handle of slider ``key`` back and forth for ``seconds`` (the figure in
        view), counting the frames painted; see ``PAGE_SCRIPT``'s ``drag``.

        The moves are mouse events dispatched in the page at each display frame. A drag
        by Playwright's ``page.mouse.move`` would be trusted input, but each move waits
        for the busy page to acknowledge it: 121 moves took 7.6-8 s (about 16 Hz, not 60).
        """
        seconds = seconds or self.DRAG_SECONDS
        self.figure(name).scroll_into_view_if_needed()
        handle = self.figure(name).locator(f".live-control--{key} .noUi-handle")
        image = self.figure(name).locator("img").first.element_handle()
        result = handle.evaluate(
            "(handle, [image, ms, px]) => window.__sliderTests.drag(handle, image, ms, px)",
            [image, seconds * 1000, self.DRAG_PIXELS])
        return Drag(name, key, kind, result["ms"] / 1000, result["moves"], result["frames"],
                    result["received"], result["values"])

    def drag_while_playing(self, name: str, key: str, seconds: float | None = None) -> Drag:
        """Play the figure's player, drag slider ``key`` while it plays, pause, stop."""
        play_pause, stop = (self.figure(name).locator(".live-player button").nth(i)
                            for i in (0, 1))
        play_pause.click()
        self.page.wait_for_timeout(300)  # playing
        try:
            return self.drag(name, key, "playing", seconds)
        finally:
            play_pause.click()  # pause
            self.page.wait_for_timeout(300)  # the last tick in flight lands
            stop.click()

    def toasts(self) -> list[str]:
        """Text of the notifications shown in the corner of the page."""
        return self.page.eval_on_selector_all(".Toastify__toast",
                                              "nodes => nodes.map(n => n.textContent)")

    def move_control(self, name: str, key: str, presses: int = 1,
                     while_playing=None) -> list[Move]:
        """Move one control every way a learner can; one :class:`Move` per action.
        ``while_playing()``, if given, runs while a player control plays."""
        control = self.figure(name).locator(f".live-control--{key}")
        classes = control.get_attribute("class") or ""
        if "widget-slider" in classes:
            return self._slider(name, key, control, presses)
        if "widget-dropdown" in classes:
            return self._dropdown(name, key, control)
        if "widget-toggle-buttons" in classes:
            return self._toggle_buttons(name, key, control)
        if "widget-checkbox" in classes:
            return self._checkbox(name, key, control)
        if "widget-play" in classes:
            return self._player(name, key, control, while_playing)
        raise AssertionError(f"{name}.{key}: unknown control ({classes})")

    def _slider(self, name, key, control, presses) -> list[Move]:
        handle, readout = control.locator(".noUi-handle"), control.locator(".widget-readout")
        moves = []
        for i in range(presses):
            at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute(
                "aria-valuemax")
            arrow = "ArrowLeft" if at_max or i % 2 else "ArrowRight"
            before = readout.text_content()
            handle.focus()
            latency = self.timed(name, lambda arrow=arrow: self.page.keyboard.press(arrow))
            after = readout.text_content()
            assert after != before, f"{name}.{key}: {arrow} left the readout at {before}"
            moves.append(Move(name, key, "keyboard", latency, after))
        low = number(handle.get_attribute("aria-valuemin"))
        high = number(handle.get_attribute("aria-valuemax"))
        log_scale = "live-log-slider" in (control.get_attribute("class") or "")
        integers = "." not in readout.text_content() and low.is_integer() and high.is_integer()
        def as_typed(fraction: float) -> str:
            value = low + fraction * (high - low)  # a log slider's ends are exponents
            return (f"{10 ** value:.3g}" if log_scale else f"{round(value)}" if integers
                    else f"{value:.2f}")

        # one typed value (the kernel-side sweep tries every slider at 22 values)
        for fraction in (0.75,) if presses <= 2 else (0.25, 0.75):
            target = readout.text_content()
            # not the value it already has (a slider may have only two values)
            typed = next(t for t in (as_typed(f) for f in (fraction, fraction + 0.15, 0.0, 1.0))
                         if abs(number(t) - number(target)) > 1e-9)

            def type_value(typed=typed):
                readout.click()
                self.page.keyboard.press("Control+A")
                self.page.keyboard.type(typed)

            latency = self.timed(name, lambda: self.page.keyboard.press("Enter"),
                                 prepare=type_value)
            after = readout.text_content()
            assert after != target, f"{name}.{key}: typing {typed} left the readout at {after}"
            moves.append(Move(name, key, "typed", latency, after))
        return moves

    def _dropdown(self, name, key, control) -> list[Move]:
        select = control.locator("select")
        options = select.locator("option").evaluate_all("o => o.map(x => x.textContent)")
        start = select.evaluate("s => s.selectedIndex")
        moves = []
        # every other option, then back to the one that was chosen
        for option in [*options[start + 1:], *options[:start], options[start]]:
            latency = self.timed(name, lambda option=option: select.select_option(label=option))
            shown = select.evaluate("s => s.options[s.selectedIndex].textContent")
            assert shown == option, f"{name}.{key}: chose {option}, shows {shown}"
            moves.append(Move(name, key, "dropdown", latency, shown))
        return moves

    def _toggle_buttons(self, name, key, control) -> list[Move]:
        buttons = control.locator("button")
        labels = buttons.evaluate_all("b => b.map(x => x.textContent.trim())")
        start = labels.index(control.locator("button.mod-active").text_content().strip())
        moves = []
        # every other option, then back to the one that was chosen
        for index in [*(i for i in range(len(labels)) if i != start), start]:
            latency = self.timed(name, lambda index=index: buttons.nth(index).click())
            active = control.locator("button.mod-active").text_content().strip()
            assert active == labels[index], f"{name}.{key}: clicked {labels[index]}, {active}"
            moves.append(Move(name, key, "button", latency, active))
        return moves

    def _checkbox(self, name, key, control) -> list[Move]:
        box = control.locator("input[type=checkbox]")
        moves = []
        for _ in range(2):
            before = box.is_checked()
            latency = self.timed(name, box.click)
            assert box.is_checked() != before, f"{name}.{key}: the checkbox did not flip"
            moves.append(Move(name, key, "checkbox", latency, str(box.is_checked())))
        return moves

    PLAY_SECONDS = 1.5

    def _player(self, name, key, control, while_playing=None) -> list[Move]:
        """Step twice; play, counting frames, and move the figure's first slider while it
        plays (the frame after the one in flight must show it), then ``while_playing()``;
        pause; stop."""
        step = self.figure(name).locator(f".live-step--{key}")
        play_pause, stop = control.locator("button").nth(0), control.locator("button").nth(1)
        moves = [Move(name, key, "step", self.timed(name, step.click), "") for _ in range(2)]
        image = self.figure(name).locator("img").first
        play_pause.click()
        frames = image.evaluate("(img, ms) => window.__sliderTests.countFrames(img, ms)",
                                self.PLAY_SECONDS * 1000)
        self.run.frame_rates[name] = frames / self.PLAY_SECONDS
        sliders = [other for other in self.controls(name) if other != key and "widget-slider"
                   in (self.figure(name).locator(f".live-control--{other}").get_attribute(
                       "class") or "")]
        for other in sliders[:1]:
            handle = self.figure(name).locator(f".live-control--{other} .noUi-handle")
            for arrow in ("ArrowRight", "ArrowLeft"):
                handle.focus()
                latency = self.timed(name, lambda arrow=arrow: self.page.keyboard.press(arrow),
                                     nth=2)
                moves.append(Move(name, f"{other} while playing", "keyboard", latency, ""))
        if while_playing is not None:
            while_playing()
        play_pause.click()  # pause
        self.page.wait_for_timeout(300)  # the last tick in flight lands
        moves.append(Move(name, key, "stop", self.timed(name, stop.click), ""))
        return moves
