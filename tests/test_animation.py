"""helpers.animation: one call writes a GIF with the expected frames and shows it."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from helpers import animation, live
from helpers.validate import InputError


def moving_dot():
    fig, ax = live.figure(figsize=(2.0, 1.5), dpi=50)
    ax.set(xlim=(0, 10), ylim=(0, 1))
    ax.plot([0, 10], [0.5, 0.5], "k-")  # static
    (dot,) = ax.plot([], [], "ro", ms=8, animated=True)

    def update(k):
        dot.set_data([k], [0.5])

    return fig, update


def test_gif_has_one_frame_per_frame_and_the_right_timing(tmp_path):
    fig, update = moving_dot()
    shown = animation.animate(fig, update, range(7), tmp_path / "dot.gif", fps=5)
    with Image.open(tmp_path / "dot.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames == 7
        assert gif.info["duration"] == 200  # ms per frame at 5 fps
        assert gif.info["loop"] == 0  # for ever
        assert gif.size == (100, 75)
    assert shown.frames == 7 and shown.size == (100, 75)
    assert shown.data == (tmp_path / "dot.gif").read_bytes()
    assert repr(shown) == "Animation(7 frames at 5 fps, 100×75 px, saved as dot.gif)"


def test_animated_artists_are_in_the_frames(tmp_path):
    fig, update = moving_dot()
    animation.animate(fig, update, [1, 9], tmp_path / "two.gif", fps=2)
    with Image.open(tmp_path / "two.gif") as gif:
        frames = []
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(np.asarray(gif.convert("RGB"), dtype=int))
    red = [(f[..., 0] > 200) & (f[..., 1] < 80) for f in frames]
    assert red[0].any() and red[1].any()
    # the dot moved from the left to the right
    assert np.nonzero(red[0])[1].mean() < 40 < np.nonzero(red[1])[1].mean()


def test_dict_frames_are_keyword_arguments(tmp_path):
    fig, ax = live.figure(figsize=(2.0, 1.5), dpi=50)
    ax.set(xlim=(0, 1), ylim=(0, 1))
    (line,) = ax.plot([], [], "b-", animated=True)
    calls = []

    def update(w, b):
        calls.append((w, b))
        line.set_data([0, 1], [b, w + b])

    frames = [{"w": 0.1 * k, "b": 0.2} for k in range(4)]
    shown = animation.animate(fig, update, frames, tmp_path / "line.gif", fps=1, loop=False)
    assert calls == [(f["w"], f["b"]) for f in frames] and shown.frames == 4
    with Image.open(tmp_path / "line.gif") as gif:
        assert "loop" not in gif.info  # played once


def test_shows_itself_in_a_notebook(tmp_path):
    fig, update = moving_dot()
    shown = animation.animate(fig, update, range(3), tmp_path / "dot.gif", fps=3)
    bundle = shown._repr_mimebundle_()
    assert bundle["text/plain"] == repr(shown)
    still = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert still.format == "PNG" and still.size == (100, 75)
    assert "application/vnd.jupyter.widget-view+json" in bundle  # the playing GIF


def test_axis_limits_may_change_between_frames(tmp_path):
    fig, ax = live.figure(figsize=(2.0, 1.5), dpi=50)
    (line,) = ax.plot([0, 1], [0, 1], "k-")

    def zoom(k):
        ax.set_xlim(0, k)

    shown = animation.animate(fig, zoom, [1, 2, 3], tmp_path / "zoom.gif", fps=2)
    assert shown.frames == 3


def test_render_includes_animated_artists():
    fig, update = moving_dot()
    update(5)
    image = np.asarray(animation.render(fig), dtype=int)
    assert ((image[..., 0] > 200) & (image[..., 1] < 80)).any()


def test_write_gif_from_arrays(tmp_path):
    images = [np.full((8, 12, 3), value, dtype=np.uint8) for value in (0, 120, 255)]
    data = animation.write_gif(images, tmp_path / "grey.gif", fps=10)
    with Image.open(io.BytesIO(data)) as gif:
        assert gif.n_frames == 3 and gif.size == (12, 8)
    with pytest.raises(ValueError, match="same size"):
        animation.write_gif([images[0], np.zeros((4, 4, 3), np.uint8)], tmp_path / "x.gif")
    with pytest.raises(ValueError, match="no images"):
        animation.write_gif([], tmp_path / "x.gif")


@pytest.mark.parametrize("frames, fps, message", [
    ([], 4, "frames is empty"),
    (range(3), 0, "fps .* must be a positive number"),
    (range(3), -2, "fps .* must be a positive number"),
    (range(3), "fast", "fps .* must be a positive number"),
    (range(501), 4, "too many"),
])
def test_bad_input_is_a_clear_error(tmp_path, frames, fps, message):
    fig, update = moving_dot()
    with pytest.raises(ValueError, match=message):
        animation.animate(fig, update, frames, tmp_path / "bad.gif", fps=fps)
    assert not (tmp_path / "bad.gif").exists()


def test_missing_folder_and_non_function(tmp_path):
    fig, update = moving_dot()
    with pytest.raises(InputError, match="does not exist"):
        animation.animate(fig, update, range(2), tmp_path / "nowhere" / "a.gif")
    with pytest.raises(TypeError, match="must be a function"):
        animation.animate(fig, "update", range(2), tmp_path / "a.gif")


def test_an_endless_iterator_of_frames_is_refused_at_once(tmp_path):
    """list(itertools.count()) never returned and filled the memory."""
    import itertools
    import time

    fig, update = moving_dot()
    start = time.perf_counter()
    with pytest.raises(InputError, match="frames has more than 500 frames.*islice"):
        animation.animate(fig, update, itertools.count(), tmp_path / "endless.gif")
    assert time.perf_counter() - start < 5 and not (tmp_path / "endless.gif").exists()
    with pytest.raises(InputError, match="fig must be a matplotlib Figure"):
        animation.animate(None, update, range(2), tmp_path / "a.gif")
    with pytest.raises(InputError, match="loop must be True or False"):
        animation.animate(fig, update, range(2), tmp_path / "a.gif", loop="no")
