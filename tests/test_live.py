"""helpers.live: blitted frames are right, fast paths are taken, errors are visible."""

import base64
import io

import live_driver
import numpy as np
import pytest
from PIL import Image

from helpers import live
from helpers.validate import InputError


def make_view(fmt="png", name="test_view"):
    fig, ax = live.figure(figsize=(4, 3))
    xs = np.linspace(0, 1, 50)
    ax.plot(xs, xs**2, "k.")  # static
    ax.set(xlim=(0, 1), ylim=(-2, 2))
    (line,) = ax.plot([], [], "r-", animated=True)
    label = ax.text(0.05, 0.9, "", transform=ax.transAxes, animated=True)

    def update_test(w, b, kind):
        line.set_data(xs, w * xs + b if kind == "line" else w * xs**2 + b)
        label.set_text(f"w = {w:.2f}")

    view = live.LiveFigure(fig, update_test, name=name, fmt=fmt, controls={
        "w": live.slider("w", -2.0, 2.0, 0.1, value=1.0),
        "b": live.slider("b", -1.0, 1.0, 0.1, value=0.0),
        "kind": live.choice("kind", ["line", "parabola"]),
    })
    return view, ax, (line, label)


def pixels(frame: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(frame)).convert("RGB"), dtype=int)


def test_blitted_frame_equals_a_full_redraw():
    view, ax, moving = make_view()
    blitted = view.redraw(w=-1.3, b=0.4, kind="parabola")
    for artist in moving:
        artist.set_animated(False)
    view.fig.canvas.draw()
    full = np.asarray(view.fig.canvas.buffer_rgba())[..., :3].astype(int)
    differs = np.abs(pixels(blitted) - full).max(axis=-1) > 0
    # Identical but where a moving line crosses the axes frame: a full draw puts the
    # frame (zorder 2.5) on top, a blit draws the moving artists last.
    assert differs.mean() < 1e-3
    view.close()


def test_slider_moves_change_the_frame_without_full_redraws():
    view, _, _ = make_view()
    first = bytes(view.image.value)
    view.controls["w"].value = -0.5
    assert bytes(view.image.value) != first
    view.controls["kind"].value = "parabola"
    view.controls["b"].value = 0.3
    assert view.full_redraws == 1 and view.frames == 4
    assert view.values == {"w": -0.5, "b": 0.3, "kind": "parabola"}
    assert len(view.timings_ms) == 4
    view.close()


def test_changing_axis_limits_triggers_one_full_redraw():
    view, ax, _ = make_view()
    original = view.update

    def update_and_zoom(**values):
        original(**values)
        ax.set_ylim(-abs(values["w"]) - 1, abs(values["w"]) + 1)

    view.update = update_and_zoom
    view.redraw(w=1.5)
    view.redraw(w=1.5, b=0.2)  # same limits: blit only
    assert view.full_redraws == 2
    view.close()


def test_registry_replaces_a_figure_made_again_under_the_same_name():
    first, _, _ = make_view(name="again")
    second, _, _ = make_view(name="again")
    assert live.registry()["again"] is second
    assert first.closed and first.widget is None and first.fig is None  # let go
    second.close()
    assert "again" not in live.registry()


def test_repr_is_short_and_stable_and_the_bundle_has_a_still_image():
    view, _, _ = make_view(fmt="jpeg", name="stable")
    assert repr(view) == "LiveFigure('stable', controls: w, b, kind)"
    bundle = view._repr_mimebundle_()
    assert bundle["text/plain"] == repr(view)
    assert base64.b64decode(bundle["image/jpeg"])[:2] == b"\xff\xd8"  # a JPEG
    assert "application/vnd.jupyter.widget-view+json" in bundle
    view.close()


def test_errors_in_update_are_shown_under_the_figure_and_raised():
    view, _, _ = make_view(name="broken")

    def broken(**values):
        raise ValueError("learning rate must be positive")

    view.update = broken
    with pytest.raises(ValueError):
        view.controls["w"].value = 0.5
    assert "learning rate must be positive" in view.status.value
    view.close()


def test_unknown_control_and_bad_format_are_clear_errors():
    view, _, _ = make_view()
    with pytest.raises(TypeError, match="no control named"):
        view.redraw(lr=0.1)
    with pytest.raises(ValueError, match="fmt"):
        live.LiveFigure(view.fig, view.update, controls={}, fmt="gif")
    view.close()


def test_control_factories_validate_their_arguments():
    with pytest.raises(ValueError, match="min"):
        live.slider("w", 1.0, -1.0, 0.1, value=0.0)
    with pytest.raises(ValueError, match="outside"):
        live.slider("w", -1.0, 1.0, 0.1, value=3.0)
    with pytest.raises(ValueError, match="outside"):
        live.log_slider("lr", -4, 0, value=10.0)
    with pytest.raises(ValueError, match="option"):
        live.choice("kind", [])
    assert type(live.slider("k", 1, 10, 1, value=3)).__name__ == "IntSlider"


def test_control_values_cover_the_extremes():
    rng = np.random.default_rng(0)
    values = live_driver.control_values(live.log_slider("lr", -4, 1, value=0.1), 5, rng)
    assert values[:2] == pytest.approx([1e-4, 10.0]) and len(values) == 7
    values = live_driver.control_values(live.slider("k", 1, 10, 1, value=3), 5, rng)
    assert values[:2] == [1, 10] and all(isinstance(v, int) for v in values)
    values = live_driver.control_values(live.slider("b", -1.0, 1.0, 0.25, value=0.0), 50, rng)
    assert set(values) <= {-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0}  # on steps
    values = live_driver.control_values(live.choice("c", ["a", "b"]), 20, rng)
    assert set(values) == {"a", "b"}
    assert set(live_driver.control_values(live.toggle("t"), 3, rng)) == {True, False}


def test_showing_or_hiding_a_static_artist_triggers_a_full_redraw():
    view, ax, _ = make_view()
    (extra,) = ax.plot([0, 1], [1, -1], "b-")  # static, e.g. one of two contour plots
    original = view.update

    def update_and_toggle(**values):
        original(**values)
        extra.set_visible(values["kind"] == "line")

    view.update = update_and_toggle
    view.redraw(kind="line")  # new artist: the cached background is stale anyway
    before = view.full_redraws
    view.redraw(kind="parabola")
    view.redraw(w=0.3)
    assert view.full_redraws == before + 1
    view.redraw(kind="line")  # back to a state seen before: its background is cached
    view.redraw(kind="parabola")
    assert view.full_redraws == before + 1
    view.close()


def test_drive_reports_errors_warnings_and_frozen_frames():
    view, ax, (line, label) = make_view(name="driven")

    def update_badly(w, b, kind):
        if w > 1.5:
            raise ValueError("too steep")
        np.exp(np.array([1000.0 * b]))  # overflows (a RuntimeWarning) when b > 0.71
        line.set_data([0, 1], [0, 1])  # ignores the sliders: the frame never changes

    view.update = update_badly
    record = live_driver.drive(view, "w", [-1.0, 2.0, 0.5])
    assert any("too steep" in error for error in record["errors"])
    assert record["unchanged"] == [0.5] and len(record["moves_ms"]) == 2  # -1.0 moved the line
    record = live_driver.drive(view, "b", [0.9])
    assert any("overflow" in error for error in record["errors"])
    assert view.controls["b"].value == 0.0  # put back
    view.close()


def test_drive_all_covers_every_registered_figure():
    view, _, _ = make_view(name="everything")
    results = live_driver.drive_all(n_random=3, seed=0)
    assert set(results["everything"]) == {"w", "b", "kind"}
    assert not any(r["errors"] or r["unchanged"] for r in results["everything"].values())
    view.close()


def make_player_view(name="test_player"):
    fig, ax = live.figure(figsize=(3, 2))
    ax.set(xlim=(0, 10), ylim=(0, 1))
    (dot,) = ax.plot([], [], "ro", animated=True)
    seen = []

    def update_ticks(tick, height):
        seen.append(tick)
        dot.set_data([tick % 10], [height])

    view = live.LiveFigure(fig, update_ticks, name=name, controls={
        "tick": live.player("train", max_ticks=5, interval_ms=40),
        "height": live.slider("height", 0.0, 1.0, 0.1, value=0.5),
    })
    return view, seen


def test_player_is_a_tick_counter_with_a_step_button():
    view, seen = make_player_view()
    player = view.controls["tick"]
    assert (player.value, player.min, player.max, player.interval) == (0, 0, 5, 40)
    step = next(item for item in view.bar.children if isinstance(item, live.widgets.Button))
    assert "live-step--tick" in step._dom_classes
    first = bytes(view.image.value)
    step.click()
    step.click()
    assert player.value == 2 and seen[-2:] == [1, 2]
    assert bytes(view.image.value) != first
    for _ in range(5):
        step.click()  # never beyond max_ticks
    assert player.value == 5
    view.close()
    assert player.comm is None and step.comm is None  # every widget closed


def test_a_player_is_driven_forward_tick_by_tick():
    view, _ = make_player_view()
    view.controls["tick"].value = 1
    values = live_driver.control_values(view.controls["tick"], 6, np.random.default_rng(0))
    assert values == [2, 3, 4, 5, 5, 5, 5, 5]  # from where it is, never past the end
    record = live_driver.drive(view, "tick", values)
    assert not record["errors"] and len(record["moves_ms"]) == 4 and not record["unchanged"]
    assert view.controls["tick"].value == 1  # put back
    view.close()


@pytest.mark.parametrize("kwargs", [{"max_ticks": 0}, {"max_ticks": 2.5}, {"interval_ms": 0}])
def test_player_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError, match="player 'train'"):
        live.player("train", **kwargs)


def test_redraws_from_two_threads_never_overlap():
    """JupyterLab can deliver two widget messages on two kernel threads at once."""
    import threading
    import time

    fig, ax = live.figure(figsize=(3, 2))
    (dot,) = ax.plot([], [], "o", animated=True)
    inside, overlaps = [0], []

    def update_slow(x):
        inside[0] += 1
        overlaps.append(inside[0] > 1)
        time.sleep(0.002)
        dot.set_data([x], [x])
        inside[0] -= 1

    view = live.LiveFigure(fig, update_slow, name="test_threads", controls={
        "x": live.slider("x", 0.0, 1.0, 0.01, value=0.0)})
    threads = [threading.Thread(target=lambda k=k: [view.redraw(x=(k + i) / 100)
                                                    for i in range(20)]) for k in (0, 50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(overlaps) == 41 and not any(overlaps)
    view.close()


def test_bad_arguments_of_figures_and_controls_get_clear_errors():
    fig, ax = live.figure(figsize=(2, 1))
    with pytest.raises(InputError, match="fig must be a matplotlib Figure"):
        live.LiveFigure(None, lambda w: None, controls={})
    with pytest.raises(InputError, match="update must be a function"):
        live.LiveFigure(fig, None, controls={})
    with pytest.raises(InputError, match="controls must be a dict"):
        live.LiveFigure(fig, lambda w: None, controls=None)
    with pytest.raises(InputError, match="slider 'w': value must be a number, not NoneType"):
        live.slider("w", 0.0, 1.0, 0.1, None)
    with pytest.raises(InputError, match="continuous must be True or False, got 'no'"):
        live.slider("w", 0.0, 1.0, 0.1, 0.5, continuous="no")
    with pytest.raises(InputError, match="figsize must be two positive numbers"):
        live.figure(figsize=(0, 3))
    with pytest.raises(InputError, match="nonsense"):
        live.figure(nonsense=1)
    with pytest.raises(InputError, match="value must be True or False"):
        live.toggle("on", value="yes")
    with pytest.raises(InputError, match="choice 'kind': value must be one of 'a', 'b'"):
        live.choice("kind", ["a", "b"], value="c")


# A learner's kernel, run in a subprocess so that its memory is measured alone: IPython's
# shell (history and Out, as in a kernel) runs notebook 00 up to its live figure, then
# runs that cell again 3 times (caches settle) and 30 more times, and prints the growth.
RERUN_SCRIPT = r'''
import json, os, sys
import nbformat, psutil
from IPython.core.interactiveshell import InteractiveShell

path = sys.argv[1]
cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
target = next(i for i, source in enumerate(cells) if "live.LiveFigure(" in source)
os.chdir(os.path.dirname(path))
shell = InteractiveShell.instance()
for source in cells[:target] + [cells[target]] * 4:
    assert shell.run_cell(source, store_history=True).success
process = psutil.Process()
before = process.memory_info().rss
for _ in range(30):
    assert shell.run_cell(cells[target], store_history=True).success
print(json.dumps({"growth_mb": (process.memory_info().rss - before) / 2**20,
                  "kept_in_out": len(shell.user_ns["Out"])}))
'''


def test_running_a_figure_cell_30_times_keeps_the_kernel_small():
    """Out keeps every LiveFigure a cell returned; a closed one must let go of its canvas,
    backgrounds and update function (before the fix: +86 MB for notebook 00's figure)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    notebook = Path(__file__).resolve().parent.parent / "notebooks" / "00_welcome.ipynb"
    done = subprocess.run([sys.executable, "-c", RERUN_SCRIPT, str(notebook)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["kept_in_out"] >= 30  # the history does hold every figure
    assert result["growth_mb"] <= 20, f"30 re-runs grew the kernel by {result['growth_mb']:.0f} MB"
