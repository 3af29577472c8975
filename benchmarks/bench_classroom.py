"""A class on one machine: N learners drag a slider at once, through a real JupyterHub.

    make bench-classroom
    python benchmarks/bench_classroom.py [--learners 1 2 4 8 16] [--seconds 10] [--rate 10]

The hub is the course's configuration (``deploy/jupyterhub/``) as ``tests/hub_support.py``
runs it: JupyterHub, configurable-http-proxy, each learner's own server (a local process
here, as one machine of The Littlest JupyterHub runs them) and kernel. Each simulated
learner is a kernel-websocket client, not a browser
(``benchmarks/bench_drag_protocol.py``'s ``drag``, through the proxy with the learner's own
token): it runs notebook 01's code cells, then drags ``line_fit``'s slider ``w`` at a
learner's pace (``--rate`` new values a second; ipywidgets keeps one value in flight and
merges those that come meanwhile), all learners at once, for ``--seconds``.

For each class size N it prints one row:
* **round trip**, median and 95th percentile over every learner's moves: from a value
  sent to the kernel's "idle" after its frame, through the proxy;
* **moves without a frame**: values merged away because the one before was still in
  flight (the learner sees a slider that jumps);
* **CPU per learner**: the learner's server and kernel, in % of one core, and the hub with
  its proxy for the whole class;
* **memory per learner**: resident memory of the learner's server and kernel;
* **bandwidth per learner**: what the websocket brought, in KB/s (the frames, mostly).

The deploy README's sizing table (deploy/jupyterhub/README.md) comes from this output.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil  # (a dependency of Jupyter's)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_drag_protocol import drag  # noqa: E402

from hub_support import Hub, course_repository  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "01_linear_regression.ipynb"
FIGURE, CONTROL = "line_fit", "w"


def with_descendants(pids: list[int]) -> list[psutil.Process]:
    """The processes ``pids`` and all their children, grandchildren, ..."""
    found = []
    for pid in pids:
        try:
            process = psutil.Process(pid)
            found += [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
    return found


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User and system CPU time the processes have used so far."""
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def rss_mb(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            total += process.memory_info().rss / 2**20
        except psutil.NoSuchProcess:
            continue
    return total


class Gate:
    """Every one of ``n`` learners waits here; the last to arrive calls ``action`` (a
    measurement), then all go on together."""

    def __init__(self, n: int, action):
        self.n, self.arrived, self.action, self.event = n, 0, action, None

    async def __call__(self) -> None:
        self.event = self.event or asyncio.Event()
        self.arrived += 1
        if self.arrived == self.n:
            self.action()
            self.event.set()
        await self.event.wait()


def measure(hub: Hub, names: list[str], cells: list[str], seconds: float,
            rate: float) -> dict:
    started = {user["name"] for user in hub.api("GET", "/hub/api/users")}
    for name in names:  # the new learners' servers start at once, as a class logs in
        if name not in started:
            hub.add_learner(name)
            hub.api("POST", f"/hub/api/users/{name}/server")
    for name in names:
        hub.wait_ready(name)
    servers = [hub.learner_server(name) for name in names]
    moves = round(seconds * rate)
    at = {}

    def snapshot(when: str) -> None:
        """CPU seconds so far of each learner's server and kernel, and of the hub and its
        proxy; at the end, their memory too."""
        learners = [with_descendants([server.pid]) for server in servers]
        theirs = {process for processes in learners for process in processes}
        hubs = [process for process in with_descendants([hub.process.pid])
                if process not in theirs]
        at[when] = {"time": time.perf_counter(), "client": time.process_time(),
                    "learners": [cpu_seconds(processes) for processes in learners],
                    "hub": cpu_seconds(hubs), "hub_memory": rss_mb(hubs),
                    "memory": [rss_mb(processes) for processes in learners]}

    async def class_drags():
        start, end = Gate(len(servers), lambda: snapshot("start")), Gate(
            len(servers), lambda: snapshot("end"))
        return await asyncio.gather(*(
            drag(server, cells, FIGURE, CONTROL, moves, rate, before_drag=start,
                 after_drag=end) for server in servers))

    results = asyncio.run(class_drags())
    wall = at["end"]["time"] - at["start"]["time"]
    round_trips = [ms for result in results for ms in result["round_trips_ms"]]
    frames = sum(result["frames"] for result in results)
    return {
        "learners": len(names),
        "median_ms": statistics.median(round_trips),
        "p95_ms": statistics.quantiles(round_trips, n=20)[-1],
        "dropped": 1 - frames / (moves * len(names)),
        "cpu_per_learner": statistics.mean(
            (end - start) / wall
            for end, start in zip(at["end"]["learners"], at["start"]["learners"],
                                  strict=True)),
        "hub_cpu": (at["end"]["hub"] - at["start"]["hub"]) / wall,
        "client_cpu": (at["end"]["client"] - at["start"]["client"]) / wall,
        "hub_memory_mb": at["end"]["hub_memory"],
        "memory_mb": statistics.mean(at["end"]["memory"]),
        "kb_per_s": statistics.mean(r["bytes_received"] / r["seconds"] / 1024
                                    for r in results),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--seconds", type=float, default=10.0, help="each drag's length")
    parser.add_argument("--rate", type=float, default=10.0, help="moves per second")
    args = parser.parse_args(argv)
    cells = [cell.source for cell in nbformat.read(NOTEBOOK, as_version=4).cells
             if cell.cell_type == "code"]
    folder = Path(tempfile.mkdtemp(prefix="slider-class-"))
    hub = Hub(course_repository(folder))
    rows = []
    try:
        hub.start()
        for n in sorted(args.learners):
            row = measure(hub, [f"learner{i:02d}" for i in range(n)], cells, args.seconds,
                          args.rate)
            rows.append(row)
            print(f"{n} learners: median {row['median_ms']:.0f} ms, p95 {row['p95_ms']:.0f} "
                  f"ms, {row['dropped']:.0%} of moves without a frame", flush=True)
    finally:
        hub.stop()
        shutil.rmtree(folder, ignore_errors=True)
    cores = os.cpu_count()
    print(f"\n{cores} cores; each learner drags {FIGURE}.{CONTROL} (notebook 01) "
          f"at {args.rate:g} moves/s for {args.seconds:g} s, all at once, through the hub")
    print("| learners | round trip median, ms | p95, ms | moves without a frame | "
          "CPU per learner, % of a core | hub + proxy, % of a core | "
          "memory per learner, MB | bandwidth per learner, KB/s | "
          "the simulated learners (this script), % of a core |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['learners']} | {row['median_ms']:.0f} | {row['p95_ms']:.0f} | "
              f"{row['dropped']:.0%} | {row['cpu_per_learner']:.0%} | {row['hub_cpu']:.0%} | "
              f"{row['memory_mb']:.0f} | {row['kb_per_s']:.0f} | {row['client_cpu']:.0%} |")
    print_sizing(rows, cores)
    return 0


# A class whose drags all come back within this (95th percentile), with no move left
# without its frame, still feels live; the sizing rules are taken at that load.
P95_LIMIT_MS = 100
CLASS_SIZES = (10, 30, 100, 300)


def print_sizing(rows: list[dict], cores: int) -> None:
    """The deploy README's sizing table: learners per core at the largest measured class
    that stayed within P95_LIMIT_MS, memory and bandwidth per learner at their highest."""
    live = [row for row in rows if row["p95_ms"] <= P95_LIMIT_MS and row["dropped"] == 0]
    if not live:
        print(f"\nNo class size kept its p95 within {P95_LIMIT_MS} ms: no sizing table.")
        return
    per_core = max(row["learners"] for row in live) / cores
    memory_mb = max(row["memory_mb"] for row in rows)
    hub_mb = max(row["hub_memory_mb"] for row in rows)
    mbit_s = max(row["kb_per_s"] for row in rows) * 1024 * 8 / 1e6
    print(f"\nSizing: {per_core:g} learners dragging at once per core (p95 within "
          f"{P95_LIMIT_MS} ms, every move with its frame); {memory_mb:.0f} MB per learner "
          f"(server and one notebook's kernel) plus {hub_mb:.0f} MB for the hub and its "
          f"proxy; {mbit_s:.1f} Mbit/s per learner while they drag.")
    print("| learners | cores, all dragging at once | cores, a quarter at once | "
          "memory, GB | bandwidth, all dragging, Mbit/s |")
    print("|---:|---:|---:|---:|---:|")
    for n in CLASS_SIZES:
        print(f"| {n} | {math.ceil(n / per_core)} | {math.ceil(n / 4 / per_core)} | "
              f"{(n * memory_mb + hub_mb) / 1024:.1f} | {n * mbit_s:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
