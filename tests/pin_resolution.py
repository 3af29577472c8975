"""Does every pin install on every supported Python and platform? Asked in the background.

uv resolves pyproject.toml under constraints.txt, wheels only (nothing may need a
compiler), once for each supported Python on each platform the README names. That takes
the package index about ten seconds per target, almost all of it waiting on the
network, so the resolutions start as soon as the suite is collected and run one after
the other while the other tests use the CPU; ``test_project.py`` collects the answers.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUPPORTED_MINORS = (10, 11, 12, 13)  # Python 3.10 to 3.13, as the README promises
# Linux on x86-64 and ARM, and macOS on Apple silicon (uv's names for them), with the
# environment markers that hold there (which lines of constraints.txt apply).
PLATFORMS = {
    "x86_64-manylinux_2_28": {"sys_platform": "linux", "platform_system": "Linux",
                              "os_name": "posix", "platform_machine": "x86_64"},
    "aarch64-manylinux_2_28": {"sys_platform": "linux", "platform_system": "Linux",
                               "os_name": "posix", "platform_machine": "aarch64"},
    "aarch64-apple-darwin": {"sys_platform": "darwin", "platform_system": "Darwin",
                             "os_name": "posix", "platform_machine": "arm64"},
}
TEST_NAME = "test_every_pin_installs_on_every_supported_python_and_platform"
TIMEOUT_S = 120  # per resolution
OFFLINE_SIGNS = ("Failed to fetch", "network", "dns error", "Connection", "timed out")

_results: dict[tuple[str, str], tuple[str, str]] = {}
_thread: threading.Thread | None = None
_answers: Path | None = None  # where the controller of parallel workers writes them


def _uv() -> str | None:
    return shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


def _resolve(python: str, platform: str) -> tuple[str, str]:
    """("ok", the pins uv chose) or ("failed" / "offline", what uv said)."""
    uv = _uv()
    if uv is None:
        return "failed", "uv is not installed: run `make clean test`"
    environment = dict(os.environ)
    environment.setdefault("UV_CACHE_DIR", str(ROOT / ".venv" / "uv-cache"))
    command = [uv, "pip", "compile", "pyproject.toml", "--extra", "data",
               "-c", "constraints.txt", "--python-version", python,
               "--python-platform", platform, "--only-binary", ":all:",
               "--no-header", "--no-annotate", "--quiet"]  # the pins, on stdout
    try:
        done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True,
                              text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return "offline", f"no answer from the package index in {TIMEOUT_S} s"
    if done.returncode == 0:
        return "ok", done.stdout
    said = done.stderr.strip()
    if any(sign in said for sign in OFFLINE_SIGNS) and "No solution found" not in said:
        return "offline", said.splitlines()[-1] if said else "no network"
    return "failed", said


def _resolve_each() -> None:
    for minor in SUPPORTED_MINORS:
        for platform in PLATFORMS:
            status, output = _resolve(f"3.{minor}", platform)
            _results[f"3.{minor}", platform] = (status, output)
            if status == "offline":
                return  # one answer is enough: the index cannot be reached


def _resolve_all(answers: Path | None = None) -> None:
    """Every resolution; with `answers`, the results also go there as JSON (for
    `make test`'s parallel workers, see below)."""
    _resolve_each()
    if answers is not None and _answers is not None:  # None: the session is over
        partial = answers.with_suffix(".partial")
        partial.write_text(json.dumps([[*key, *value] for key, value in _results.items()]))
        partial.replace(answers)  # whole, or not there yet


def _start(answers: Path | None = None) -> None:
    global _thread, _answers
    if _thread is None:
        _answers = answers
        _thread = threading.Thread(target=_resolve_all, args=(answers,),
                                   name="pin-resolution", daemon=True)
        _thread.start()


def _answers_file(testrunuid: str) -> Path:
    return Path(tempfile.gettempdir()) / f"slider-by-slider-pins-{testrunuid}.json"


def pytest_collection_finish(session):
    """Start the resolutions if the test that reads them was collected (by this process
    when it runs the tests itself; `make test`'s parallel workers leave it to the
    controller, below)."""
    if not hasattr(session.config, "workerinput") and any(
            item.name == TEST_NAME for item in session.items):
        _start()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """With pytest-xdist (`make test`), the controller starts the resolutions as soon as a
    worker has collected the test, and writes the answers to a file that the worker which
    runs the test reads."""
    if any(nodeid.endswith("::" + TEST_NAME) for nodeid in ids):
        _start(_answers_file(node.workerinput["testrunuid"]))


def pytest_unconfigure(config):
    """The controller removes the answers file at the end of the run."""
    global _answers
    answers, _answers = _answers, None
    if answers is not None:
        answers.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def pin_resolutions(request) -> dict[tuple[str, str], tuple[str, str]]:
    """{(python, platform): (status, output)}, once the background resolutions are done."""
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is not None:  # a parallel worker: the controller resolves
        answers = _answers_file(workerinput["testrunuid"])
        deadline = time.monotonic() + TIMEOUT_S * len(SUPPORTED_MINORS) * len(PLATFORMS)
        while not answers.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the resolutions never arrived in {answers}")
            time.sleep(0.5)
        rows = json.loads(answers.read_text())
        return {(python, platform): (status, output)
                for python, platform, status, output in rows}
    if _thread is None:  # collected without the hook (another conftest): resolve now
        _resolve_all()
    else:
        _thread.join()
    return dict(_results)
