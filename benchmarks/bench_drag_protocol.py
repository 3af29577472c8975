"""A slider drag through the kernel websocket, as ipywidgets sends it, with and without
TCP_NODELAY: how many frames come back per second, with no browser in the way.

    python benchmarks/bench_drag_protocol.py [--moves 300] [--rate 60] [--runs 2]
        [--notebook notebooks/01_linear_regression.ipynb --figure line_fit --control w]

For each setting (the course's ``helpers.server.NoDelayKernelWebsocketConnection``, then
jupyter_server's default connection, Nagle's algorithm on) the script starts JupyterLab
as the browser tests do (``tests/browser_support.JupyterServer``), starts a kernel, runs the
notebook's code cells through the websocket, and drags the figure's slider: ``--moves``
new values at ``--rate`` per second, a few slider steps apart, back and forth, sent as
ipywidgets sends them -- one value in flight; the newest waiting value goes when the
kernel reports "idle" for the one in flight (values in between are merged, as in the
browser). It counts the frames (the figure's image updates) that come back, and times,
for each value, the kernel's "idle" after its frame.

Standard output: one line per run, then a markdown table (with the median of the
figure's own redraw time in the kernel, ``LiveFigure.timings_ms``, for the same frames).
This is the measurement behind ``helpers/server.py`` and the note for upstream in
``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import nbformat
from jupyter_server.services.kernels.connection.base import deserialize_binary_message
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import WITHOUT_NODELAY, JupyterServer  # noqa: E402  (the tests' server)

# The extra command-line arguments of each setting: the course's config as installed
# (TCP_NODELAY), or jupyter_server's default kernel websocket (Nagle's algorithm on).
SETTINGS = {"TCP_NODELAY": [], "without (Nagle)": WITHOUT_NODELAY}


class Kernel:
    """A kernel's websocket, spoken as the browser speaks it (JSON messages; binary ones
    for messages with buffers)."""

    def __init__(self, ws, session: str):
        self.ws, self.session = ws, session
        self.bytes_received = 0  # message payloads, as the browser would receive them

    def send(self, channel: str, msg_type: str, content: dict) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                       "username": "bench", "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
            "buffers": []}))
        return msg_id

    async def receive(self) -> dict:
        raw = await self.ws.read_message()
        if raw is None:
            raise ConnectionError("the kernel websocket closed")
        self.bytes_received += len(raw)
        return deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)

    async def execute(self, code: str) -> str:
        """Run code; return its printed output (raise on an error)."""
        msg_id = self.send("shell", "execute_request", {
            "code": code, "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        printed, done = [], False
        while not done:
            msg = await self.receive()
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                printed.append(msg["content"]["text"])
            elif kind == "error":
                raise RuntimeError("\n".join(msg["content"]["traceback"]))
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                done = True
        return "".join(printed)


async def drag(server, cells: list[str], figure: str, control: str, moves: int,
               rate: float, before_drag=None, after_drag=None) -> dict:
    """Start a kernel on ``server`` (a ``JupyterServer``, or anything with its ``api``,
    ``websocket_url`` and ``token``: a learner's server behind a hub, say), run ``cells``
    in it, then drag ``figure``'s ``control`` (``moves`` values at ``rate`` per second). Returns the
    counts and medians printed by this script, plus every round trip (``round_trips_ms``)
    and the bytes the websocket brought (``bytes_received``). ``before_drag`` and
    ``after_drag``, if given, are awaited once the cells have run and once the drag is done
    (the kernel still running): several learners' drags start and end together."""
    kernel_model = server.api("POST", "/api/kernels")
    session = uuid.uuid4().hex
    ws = await websocket_connect(HTTPRequest(
        server.websocket_url(f"/api/kernels/{kernel_model['id']}/channels?session_id={session}"),
        headers={"Authorization": f"token {server.token}"}), max_message_size=64 * 2**20)
    kernel = Kernel(ws, session)
    try:
        for code in cells:
            await kernel.execute(code)
        slider_id, image_id, low, high, step, value = (await kernel.execute(
            f"from helpers import live as _live\n_f = _live.registry()[{figure!r}]\n"
            f"_c = _f.controls[{control!r}]\n"
            f"print(_c.model_id, _f.image.model_id, _c.min, _c.max, _c.step, _c.value)"
        )).split()
        low, high, step, value = float(low), float(high), float(step), float(value)
        # a few slider steps per move, as a hand's 3 pixels on the browser's slider
        per_move = max(step, (high - low) / 66)
        targets, direction = [], 1
        for _ in range(moves):
            if not low <= value + direction * per_move <= high:
                direction = -direction
            value = round((value + direction * per_move - low) / step) * step + low
            targets.append(min(max(value, low), high))

        if before_drag is not None:
            await before_drag()
        start, bytes_before = time.perf_counter(), kernel.bytes_received
        sent, in_flight, latest = None, None, None
        frames, frame_at, idle_after_frame, round_trips = 0, None, [], []
        sent_at = 0.0

        def send(v):
            nonlocal sent, in_flight, sent_at
            sent, sent_at = v, time.perf_counter()
            in_flight = kernel.send("shell", "comm_msg", {
                "comm_id": slider_id,
                "data": {"method": "update", "state": {"value": v}, "buffer_paths": []}})

        async def pace():
            nonlocal latest
            for i, v in enumerate(targets):
                await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
                latest = v
                if in_flight is None and latest != sent:
                    send(latest)

        pacer = asyncio.ensure_future(pace())
        deadline = start + moves / rate + 2.0
        while time.perf_counter() < deadline and not (pacer.done() and in_flight is None):
            try:
                msg = await asyncio.wait_for(kernel.receive(), timeout=0.5)
            except asyncio.TimeoutError:
                continue
            kind = msg["header"]["msg_type"]
            parent = msg.get("parent_header", {}).get("msg_id")
            if kind == "comm_msg" and msg["content"].get("comm_id") == image_id:
                frames, frame_at = frames + 1, time.perf_counter()
            elif (kind == "status" and parent == in_flight
                  and msg["content"]["execution_state"] == "idle"):
                now = time.perf_counter()
                round_trips.append((now - sent_at) * 1e3)
                if frame_at is not None and frame_at >= sent_at:
                    idle_after_frame.append((now - frame_at) * 1e3)
                in_flight = None
                if latest is not None and latest != sent:
                    send(latest)
        await pacer
        seconds = time.perf_counter() - start
        bytes_received = kernel.bytes_received - bytes_before
        if after_drag is not None:
            await after_drag()
        kernel_ms = float(await kernel.execute(
            f"import numpy as _np\nprint(_np.median(list(_f.timings_ms)[-{frames}:]))"))
        return {"moves": moves, "frames": frames, "seconds": seconds,
                "frames_per_second": frames / (moves / rate),
                "idle_after_frame_ms": statistics.median(idle_after_frame),
                "round_trip_ms": statistics.median(round_trips), "kernel_ms": kernel_ms,
                "round_trips_ms": round_trips, "bytes_received": bytes_received}
    finally:
        ws.close()
        server.api("DELETE", f"/api/kernels/{kernel_model['id']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="notebooks/01_linear_regression.ipynb")
    parser.add_argument("--figure", default="line_fit")
    parser.add_argument("--control", default="w")
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--rate", type=float, default=60.0, help="moves per second")
    parser.add_argument("--runs", type=int, default=2, help="runs per setting, alternated")
    args = parser.parse_args(argv)
    notebook_path = (ROOT / args.notebook).resolve()
    cells = [cell.source for cell in nbformat.read(notebook_path, as_version=4).cells
             if cell.cell_type == "code"]
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as `make` runs the kernels
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    files = {f"notebooks/{notebook_path.name}": notebook_path}
    servers = {name: JupyterServer(files, extra_args=extra).start()
               for name, extra in SETTINGS.items()}
    results: dict[str, list[dict]] = {name: [] for name in SETTINGS}
    try:
        for run in range(args.runs):
            for name in SETTINGS if run % 2 == 0 else reversed(SETTINGS):
                result = asyncio.run(drag(servers[name], cells, args.figure, args.control,
                                          args.moves, args.rate))
                results[name].append(result)
                print(f"{name}: {result['frames']} frames for {args.moves} moves at "
                      f"{args.rate:g} Hz ({result['frames_per_second']:.1f} frames/s); "
                      f"idle {result['idle_after_frame_ms']:.1f} ms after the frame; "
                      f"value to idle {result['round_trip_ms']:.1f} ms (the figure's redraw "
                      f"{result['kernel_ms']:.1f} ms)", flush=True)
    finally:
        for server in servers.values():
            server.stop()
    print(f"\n{args.figure}.{args.control} ({args.notebook}), {args.moves} moves at "
          f"{args.rate:g} Hz, {args.runs} runs per setting")
    print("| kernel websocket | frames | frames/s | idle after the frame, ms | "
          "value to idle, ms | redraw (kernel), ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in results.items():
        column = [" / ".join(f"{r[key]:{fmt}}" for r in runs) for key, fmt in
                  (("frames", "d"), ("frames_per_second", ".1f"),
                   ("idle_after_frame_ms", ".1f"), ("round_trip_ms", ".1f"),
                   ("kernel_ms", ".1f"))]
        print(f"| {name} | " + " | ".join(column) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
