"""Animations in one call: a figure and its update function become a GIF, shown inline.

The classic way (``matplotlib.animation`` with a writer) makes learners hunt for
ffmpeg or ImageMagick. Here one call does everything with Pillow, which the course
already installs::

    fig, ax = live.figure(figsize=(5, 3))       # static artists drawn once,
    (line,) = ax.plot([], [], animated=True)    # moving ones animated=True

    def update(k):                              # the same kind of update function
        line.set_data(xs, ws[k] * xs)           # as a live figure's

    animation.animate(fig, update, range(20), path="fit.gif", fps=4)

Each frame is drawn as a live figure draws it (the static background once, then the
animated artists on top), all frames are written to one GIF file, and the returned
:class:`Animation` shows the GIF in the notebook. Keep GIFs small: a small figure, a
low dpi and a few dozen frames at most.
"""

from __future__ import annotations

import base64
import io
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from helpers.live import Blitter
from helpers.validate import (
    InputError,
    as_callable,
    as_figure,
    as_flag,
    as_list,
    as_path,
    as_positive,
)

MAX_FRAMES = 500  # a GIF is for a handful of frames; more is a mistake (or a video)


@dataclass(frozen=True, repr=False)
class Animation:
    """A GIF written to ``path``; in a notebook it shows itself, playing.

    Attributes:
        data: the GIF file's bytes.
        path: where it was written.
        frames: the number of frames in the file.
        fps: frames per second.
        size: (width, height) in pixels.
    """

    data: bytes
    path: Path
    frames: int
    fps: float
    size: tuple[int, int]
    still: bytes = field(default=b"")  # the last frame as PNG, for places with no kernel

    def __repr__(self) -> str:
        # Short and stable (strict notebook tests compare it): the file name, not the
        # (temporary) folder.
        width, height = self.size
        return (f"Animation({self.frames} frames at {self.fps:g} fps, {width}×{height} px, "
                f"saved as {self.path.name})")

    def _repr_mimebundle_(self, **kwargs):
        # In JupyterLab: an image widget that plays the GIF. Elsewhere (GitHub, a
        # notebook opened without running it): a still of the last frame. Both are left
        # out of the strict comparison of outputs, the text below is not.
        player = widgets.Image(value=self.data, format="gif",
                               layout={"max_width": "100%"})
        bundle = player._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = base64.b64encode(self.still).decode("ascii")
        return bundle


def render(fig: Figure) -> Image.Image:
    """The figure as an RGB image, its ``animated=True`` artists included."""
    blitter = Blitter(as_figure("fig", fig))
    blitter.draw()
    return _as_rgb(blitter.fig.canvas)


def animate(fig: Figure, update: Callable, frames: Iterable, path, *, fps: float = 4,
            loop: bool = True) -> Animation:
    """Call ``update`` once per frame, draw the figure each time, save all as a GIF.

    Args:
        fig: a figure from :func:`helpers.live.figure` (any Agg figure works); what
            moves must be ``animated=True``, or the axes limits must change (slower).
        update: called as ``update(**frame)`` when a frame is a dict, else
            ``update(frame)``; it moves the animated artists, as a live figure's does.
        frames: the frames' arguments, e.g. ``range(20)`` or a list of dicts; 1 to 500.
        path: the GIF file to write (its folder must exist).
        fps: frames per second, > 0.
        loop: play for ever (True) or once.

    Returns:
        an :class:`Animation`; as the last expression of a cell it plays in the notebook.

    Consecutive identical frames are merged by the GIF format (their times add up).
    """
    fig = as_figure("fig", fig)
    update = as_callable("update", update, "def update(k): line.set_data(...)")
    if isinstance(frames, (str, bytes)) or not isinstance(frames, Iterable):
        raise InputError(f"frames must be the frames' arguments, e.g. range(10) or a list "
                         f"of dicts; got {type(frames).__name__}")
    # At most one frame too many is drawn from the iterable: an endless one (say,
    # itertools.count()) is refused instead of filling the memory.
    frames = list(itertools.islice(frames, MAX_FRAMES + 1))
    if not frames:
        raise InputError("frames is empty: give at least one frame, e.g. range(10)")
    if len(frames) > MAX_FRAMES:
        raise InputError(f"frames has more than {MAX_FRAMES} frames, too many for a GIF: "
                         f"take every k-th frame, e.g. frames[::k] (or "
                         f"itertools.islice(frames, {MAX_FRAMES}) for an endless iterator)")
    fps = _fps(fps)
    loop = as_flag("loop", loop)
    path = as_path("path", path)
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist "
                         f"(make it first, or use tempfile.mkdtemp())")
    blitter = Blitter(fig)  # the static background is drawn once per static state
    images = [_draw_frame(blitter, update, frame) for frame in frames]
    data = write_gif(images, path, fps=fps, loop=loop)
    with Image.open(io.BytesIO(data)) as gif:
        n_frames = gif.n_frames
    still = io.BytesIO()
    images[-1].save(still, "PNG")
    return Animation(data, path, n_frames, fps, images[0].size, still.getvalue())


def write_gif(images, path, *, fps: float = 4, loop: bool = True) -> bytes:
    """Write RGB images (PIL images or (h, w, 3) uint8 arrays) as a GIF; return its bytes.

    All frames share one 256-colour palette, made from (up to 16 of) the frames
    together, so colours neither flicker nor go missing when they appear late.
    """
    images = [_as_image(k, image) for k, image in enumerate(
        as_list("images", images, limit=MAX_FRAMES, what="a list of images"))]
    if not images:
        raise InputError("images is empty: no images to write")
    fps, loop, path = _fps(fps), as_flag("loop", loop), as_path("path", path)
    if len({image.size for image in images}) > 1:
        raise InputError("images: all frames of a GIF must have the same size, got sizes "
                         f"{sorted({image.size for image in images})}")
    images = [image.convert("RGB") for image in images]
    sample = images[::max(1, len(images) // 16)]
    montage = Image.new("RGB", (images[0].width, images[0].height * len(sample)))
    for i, image in enumerate(sample):
        montage.paste(image, (0, i * image.height))
    palette = montage.quantize(colors=256)
    first, *rest = [image.quantize(palette=palette, dither=Image.Dither.NONE)
                    for image in images]
    buffer = io.BytesIO()
    options = {"loop": 0} if loop else {}
    first.save(buffer, "GIF", save_all=True, append_images=rest,
               duration=round(1000 / fps), disposal=1, **options)
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


def _fps(fps) -> float:
    return as_positive("fps (frames per second)", fps, what="a positive number, e.g. 4")


def _as_image(k: int, image) -> Image.Image:
    """Frame k of write_gif as a PIL image, or an InputError."""
    if isinstance(image, Image.Image):
        return image
    array = np.asarray(image) if not isinstance(image, (str, bytes)) else None
    if array is None or array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] != 3 \
            or 0 in array.shape:
        raise InputError(f"images[{k}] must be a PIL image or an RGB array of shape (h, w, 3) "
                         f"and dtype uint8 (as render returns them); got "
                         f"{getattr(array, 'dtype', type(image).__name__)} of shape "
                         f"{getattr(array, 'shape', '?')}")
    return Image.fromarray(array)


# --- drawing ----------------------------------------------------------------------------

def _draw_frame(blitter: Blitter, update: Callable, frame) -> Image.Image:
    """Run ``update`` for one frame and draw it as a live figure does (blitting)."""
    if isinstance(frame, dict):
        update(**frame)
    else:
        update(frame)
    blitter.draw()
    return _as_rgb(blitter.fig.canvas)


def _as_rgb(canvas: FigureCanvasAgg) -> Image.Image:
    return Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy())
