"""Driving the course the way a learner does: JupyterLab in a real Chromium.

Used by ``tests/test_browser.py``. Two pieces:

* :class:`JupyterServer` starts JupyterLab on 127.0.0.1 with a free port, a random token
  and its own config, data, runtime, settings and workspace folders (nothing of the
  machine's Jupyter set-up leaks in), serving a *copy* of the notebooks so that autosave
  can never touch the committed ones; it stops the server and its kernels whatever
  happens.
* :class:`NotebookPage` opens one notebook, runs all cells, collects errors, and moves
  the controls of each live figure (``helpers.live`` marks them with CSS classes),
  timing each move in the page: from the input event to the new frame decoded.
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
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},  # no pop-up
    # JupyterLab's default, stated: every cell stays in the page (offscreen ones are
    # skipped by the browser's renderer), as learners have it.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "contentVisibility"},
}


def find_chromium() -> str | None:
    """The Chromium to drive: ``$CHROMIUM`` if set, else the first one on the PATH."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterServer:
    """JupyterLab serving ``files`` (copied into a fresh folder) until :meth:`stop`."""

    def __init__(self, files: dict[str, Path]):
        self.home = Path(tempfile.mkdtemp(prefix="slider-browser-"))
        self.root = self.home / "root"
        for relative, source in files.items():
            (self.root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, self.root / relative)
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> JupyterServer:
        env = dict(os.environ)
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            env[name] = str(self.home / name.lower())
        settings = self.home / "settings"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}",
                   f"--LabApp.user_settings_dir={settings}",
                   f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
                   "--LabApp.expose_app_in_browser=True"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(self.home / "server.log", "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(command, env=env, cwd=self.root, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited: {self.server_log()[-2000:]}")
            try:
                self.api("GET", "/api/status")
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not start in {timeout} s")

    def api(self, method: str, path: str):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def delete_sessions(self) -> None:
        """Shut down every kernel: two cores cannot afford kernels piling up."""
        for session in self.api("GET", "/api/sessions"):
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


# In-page helpers, installed once per page.
PAGE_SCRIPT = """
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
};
window.__sliderTests.listen();
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
        page.on("console", lambda message: self.run.console_errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: self.run.page_errors.append(str(error)))

    # -- opening and running ---------------------------------------------------------------

    def open(self, timeout_ms: float = 90_000) -> None:
        self.page.goto(f"{self.server.url}/lab/tree/{self.path}?reset&token={self.server.token}")
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout_ms)
        self.page.wait_for_function(
            "() => { const w = window.jupyterapp?.shell.currentWidget;"
            " const k = w?.sessionContext?.session?.kernel;"
            " return k && k.status === 'idle' && w.sessionContext.kernelDisplayName"
            " !== 'No Kernel'; }", timeout=timeout_ms)
        self.page.evaluate(PAGE_SCRIPT)

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
        self.page.wait_for_selector(".jp-LogConsolePanel", timeout=10_000)
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

    def move_control(self, name: str, key: str, presses: int = 4) -> list[Move]:
        """Move one control every way a learner can; one :class:`Move` per action."""
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
            return self._player(name, key, control)
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

        for fraction in (0.25, 0.75):
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

    PLAY_SECONDS = 3.0

    def _player(self, name, key, control) -> list[Move]:
        """Step twice; play, counting frames, and move the figure's first slider while it
        plays (the frame after the one in flight must show it); pause; stop."""
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
        play_pause.click()  # pause
        self.page.wait_for_timeout(300)  # the last tick in flight lands
        moves.append(Move(name, key, "stop", self.timed(name, stop.click), ""))
        return moves
