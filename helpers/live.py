"""Live figures: plots that follow a slider in a few milliseconds.

The one way this course draws interactive figures. The pattern has two parts:

1. A figure, drawn once. Everything that never moves (data points, a contour plot,
   axis labels) is drawn normally. Everything that moves is created with
   ``animated=True`` -- matplotlib's flag for "leave me out of the full redraw".
2. A pure ``update`` function that takes the control values as keyword arguments and
   moves the animated artists in place (``line.set_data``, ``text.set_text``...). It
   never creates a figure and never reads widgets.

:class:`LiveFigure` wires the two together::

    fig, ax = live.figure()
    ax.scatter(x, y)                                  # static: drawn once
    (line,) = ax.plot([], [], "r-", animated=True)    # moves with the sliders

    def update_line(w, b):
        line.set_data(xs, w * xs + b)

    live.LiveFigure(fig, update_line, controls={
        "w": live.slider("w", -3, 3, 0.1, value=1.0),
        "b": live.slider("b", -5, 5, 0.1, value=0.0),
    })

On each slider move it restores the cached background (the static artists, drawn once),
draws only the animated artists on top ("blitting"), encodes the frame as JPEG and sends
it to an ``ipywidgets.Image``: about 3-15 ms (text is the costly part: ~1.5 ms per
line of a readout), where ``interact`` with a fresh inline figure costs about 170 ms.
A full redraw happens only when ``update`` changes an axis' limits or shows/hides a
static artist (say, to swap one contour plot for another), and only the first time
for each such state: backgrounds are cached per state. Anything else about a static
artist that ``update`` changes (a colour, a text) would not show: make it animated.

``view.redraw(w=2.0)`` runs the same path without a browser. The benchmarks and tests
drive every figure of :func:`registry` that way (their driver is ``tests/live_driver.py``,
not part of this package).
"""

from __future__ import annotations

import base64
import gc
import html
import io
import math
import os
import threading
import time
import traceback
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from traitlets import TraitError

from helpers.fonts import use_cjk_font
from helpers.validate import (
    InputError,
    as_callable,
    as_choice,
    as_count,
    as_figure,
    as_flag,
    as_list,
    as_positive,
    as_scalar,
    as_size,
    as_text,
)

_REGISTRY: dict[str, LiveFigure] = {}

FRAME_FORMATS = ("jpeg", "png")
# JupyterLab may deliver widget messages on more than one kernel thread (a comm subshell
# beside the main shell): a tick of a player and a slider move can then arrive together.
# matplotlib is not thread-safe, so every redraw (update, blit, encode) holds this lock.
_DRAW_LOCK = threading.RLock()
MAX_BACKGROUNDS = 8  # cached static backgrounds per figure, ~1.5 MB each


def _pixel_ratio() -> float:
    """Frame pixels per CSS pixel: 1 (default), or 2 for screens with a device pixel ratio
    of 2, from the environment variable SLIDER_PIXEL_RATIO. A ratio of 2 draws and sends
    four times the pixels: sharper on a HiDPI laptop, but each move costs about twice the
    kernel time (``make bench`` measures both; see benchmarks/README.md)."""
    text = os.environ.get("SLIDER_PIXEL_RATIO", "1")
    try:
        ratio = float(text)
    except ValueError:
        ratio = math.nan
    if not 1 <= ratio <= 4:
        raise InputError(f"SLIDER_PIXEL_RATIO must be a number from 1 to 4 (2 for a HiDPI "
                         f"screen), got {text!r}")
    return ratio


PIXEL_RATIO = _pixel_ratio()


def figure(nrows: int = 1, ncols: int = 1, *, figsize=(8.0, 3.6), dpi: int = 100, **subplot_kw):
    """A matplotlib figure owned by the caller, not by pyplot; returns ``(fig, axes)``.

    Nothing is shown in the notebook until the figure is handed to :class:`LiveFigure`.
    ``axes`` is a single Axes for a 1x1 grid, otherwise an array (as ``plt.subplots``).
    The figure is shown ``figsize × dpi`` CSS pixels wide; its frames have
    :data:`PIXEL_RATIO` times as many pixels across.
    """
    as_count("nrows", nrows), as_count("ncols", ncols)
    as_size("figsize", figsize), as_positive("dpi", dpi)
    use_cjk_font()
    fig = Figure(figsize=figsize, dpi=dpi * PIXEL_RATIO, layout="constrained")
    fig.live_pixel_ratio = PIXEL_RATIO  # read by LiveFigure for the frame's shown size
    FigureCanvasAgg(fig)
    try:
        axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    except (TypeError, ValueError) as error:  # only the keywords are left to be wrong
        raise InputError(f"live.figure cannot use the keywords {sorted(subplot_kw)} "
                         f"(those of Figure.subplots: sharex, sharey, width_ratios, "
                         f"height_ratios, subplot_kw, gridspec_kw): {error}") from None
    return fig, axes


# --- controls: thin, consistent wrappers over ipywidgets -----------------------------

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "340px"}


def slider(description: str, min: float, max: float, step: float, value: float,
           *, continuous: bool = True, readout_format: str | None = None):
    """A slider for a number. Integer arguments give an IntSlider.

    Set ``continuous=False`` for expensive updates (training): the figure then follows
    when the handle is released, not on every pixel of the drag.
    """
    description = as_text("description", description)
    for name, number in (("min", min), ("max", max), ("step", step), ("value", value)):
        as_scalar(f"slider {description!r}: {name}", number)
    as_flag("continuous", continuous)
    if readout_format is not None:
        as_text("readout_format", readout_format)
    if not step > 0:
        raise InputError(f"slider {description!r}: step must be positive, got {step}")
    if not min < max:
        raise InputError(f"slider {description!r}: min ({min}) must be below max ({max})")
    if not min <= value <= max:
        raise InputError(f"slider {description!r}: value {value} is outside [{min}, {max}]")
    is_int = all(isinstance(v, (int, np.integer)) for v in (min, max, step, value))
    cls = widgets.IntSlider if is_int else widgets.FloatSlider
    options = {"readout_format": readout_format} if readout_format else {}
    try:
        return cls(value=value, min=min, max=max, step=step, description=description,
                   continuous_update=continuous, style=_STYLE, layout=_LAYOUT, **options)
    except TraitError as error:  # e.g. a readout_format that is no number format
        raise InputError(f"slider {description!r}: {error}") from None


def log_slider(description: str, min_exponent: float, max_exponent: float, value: float,
               *, base: float = 10, step: float = 0.05, continuous: bool = True,
               readout_format: str = ".3g"):
    """A slider whose handle moves on a log scale, from base**min to base**max."""
    description = as_text("description", description)
    owner = f"log_slider {description!r}"
    as_scalar(f"{owner}: min_exponent", min_exponent)
    as_scalar(f"{owner}: max_exponent", max_exponent)
    as_positive(f"{owner}: value", value), as_positive(f"{owner}: step", step)
    if not (as_positive(f"{owner}: base", base) != 1):
        raise InputError(f"{owner}: base must be a positive number other than 1, e.g. 10")
    as_flag("continuous", continuous), as_text("readout_format", readout_format)
    if not min_exponent < max_exponent:
        raise InputError(f"{owner}: min exponent must be below max (min_exponent "
                         f"{min_exponent}, max_exponent {max_exponent})")
    with np.errstate(over="ignore"):
        low, high = float(base) ** min_exponent, float(base) ** max_exponent
    if not (np.isfinite(low) and np.isfinite(high) and low > 0):
        raise InputError(f"{owner}: base**min_exponent and base**max_exponent must be "
                         f"positive finite numbers, got {low:g} and {high:g}")
    if not base**min_exponent <= value <= base**max_exponent:
        raise InputError(f"{owner}: value {value} is outside "
                         f"[{base**min_exponent:g}, {base**max_exponent:g}]")
    try:
        control = widgets.FloatLogSlider(value=value, base=base, min=min_exponent,
                                         max=max_exponent, step=step, description=description,
                                         continuous_update=continuous,
                                         readout_format=readout_format, style=_STYLE,
                                         layout=_LAYOUT)
    except TraitError as error:  # e.g. a readout_format that is no number format
        raise InputError(f"{owner}: {error}") from None
    control.add_class("live-log-slider")  # its handle's aria values are exponents
    return control


def choice(description: str, options, value=None, *, buttons: bool = False):
    """A choice among options: a dropdown, or a row of toggle buttons."""
    description = as_text("description", description)
    options = as_list(f"choice {description!r}: options", options, limit=1000,
                      what="a list of options")
    if not options:
        raise InputError(f"choice {description!r}: needs at least one option")
    as_flag("buttons", buttons)
    if value is not None:  # a (label, value) pair offers its value
        values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]
        as_choice(f"choice {description!r}: value", value, values)
    value = options[0] if value is None else value
    cls = widgets.ToggleButtons if buttons else widgets.Dropdown
    return cls(options=options, value=value, description=description, style=_STYLE)


def toggle(description: str, value: bool = False):
    """An on/off checkbox."""
    description, value = as_text("description", description), as_flag("value", value)
    return widgets.Checkbox(value=value, description=description, indent=False)


def player(description: str = "train", *, max_ticks: int = 1000, interval_ms: int = 50):
    """Play / Pause / Stop buttons for a figure that moves by itself (training, say).

    The value is a tick counter starting at 0. While playing, the browser adds 1 every
    ``interval_ms``; Pause stops; Stop puts it back to 0. :class:`LiveFigure` adds a
    "step" button next to it that adds 1. The browser does the timing and the kernel
    only handles one tick at a time, so the other controls stay responsive while it
    plays. When the kernel is slower than the interval, ipywidgets merges waiting
    messages: a tick may jump by more than 1, and ``update`` should catch up.
    """
    description = as_text("description", description)
    as_count(f"player {description!r}: max_ticks", max_ticks)
    as_positive(f"player {description!r}: interval_ms", interval_ms)
    control = widgets.Play(value=0, min=0, max=int(max_ticks), step=1,
                           interval=int(interval_ms), description=description,
                           show_repeat=False)
    control.add_class("live-player")
    return control


def _step_button(control: widgets.Play, key: str) -> widgets.Button:
    """A button that advances a player by one tick (when it is paused, say)."""
    button = widgets.Button(description="step", icon="step-forward",
                            tooltip="one tick forward", layout={"width": "80px"})
    button.add_class("live-step")
    button.add_class(f"live-step--{key}")

    def step(_):
        if control.value < control.max:
            control.value += 1

    button.on_click(step)
    return button


# --- the live figure ------------------------------------------------------------------

def _static_state(fig: Figure) -> tuple:
    """What the cached background depends on: axis limits and labels, and which static
    artists show.

    If ``update`` changes any of them (zooms, relabels an axis, or swaps one contour plot
    for another by ``set_visible``), the background must be drawn again.
    """
    return tuple((ax.get_xlim(), ax.get_ylim(), ax.get_xlabel(), ax.get_ylabel(),
                  ax.get_title(),
                  tuple(a.get_visible() for a in ax.get_children() if not a.get_animated()))
                 for ax in fig.axes)


def _animated_artists(fig: Figure) -> list:
    found = fig.findobj(lambda artist: artist.get_animated())
    return sorted(found, key=lambda artist: artist.get_zorder())


class Blitter:
    """Draws frames of a figure by blitting: the static artists are drawn once per static
    state and cached; each frame restores that background and draws only the
    ``animated=True`` artists on top. Used by :class:`LiveFigure` and by
    :func:`helpers.animation.animate`.
    """

    def __init__(self, fig: Figure):
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        self.fig = fig
        self.full_redraws = 0
        self._backgrounds: OrderedDict[tuple, Any] = OrderedDict()
        self._animated: list = []

    def draw(self) -> None:
        """Draw the current frame into the figure's canvas (``canvas.buffer_rgba()``)."""
        canvas = self.fig.canvas
        background = self._backgrounds.get(_static_state(self.fig))
        if background is None:
            background = self._full_redraw()
        canvas.restore_region(background)
        renderer = canvas.get_renderer()
        for artist in self._animated:
            artist.draw(renderer)

    def _full_redraw(self):
        """Draw the static artists and cache them as a background (slow: 40-150 ms).

        Backgrounds are kept per static state (axis limits, visible static artists), so
        a control that flips between a few states pays the full redraw once per state.
        """
        canvas = self.fig.canvas
        canvas.draw()  # animated artists are skipped by a normal draw
        if self.full_redraws == 0:
            # The layout is fixed now: re-running constrained layout on every later full
            # redraw would double its cost for nothing.
            self.fig.set_layout_engine("none")
        background = canvas.copy_from_bbox(self.fig.bbox)
        self._backgrounds[_static_state(self.fig)] = background
        while len(self._backgrounds) > MAX_BACKGROUNDS:
            self._backgrounds.popitem(last=False)  # forget the oldest
        self._animated = _animated_artists(self.fig)
        self.full_redraws += 1
        return background

    def release(self) -> None:
        """Forget the cached backgrounds (about 1.5 MB each) and the animated artists."""
        self._backgrounds.clear()
        self._animated = []


class LiveFigure:
    """A figure whose controls redraw only what moves. See the module docstring.

    Parameters
    ----------
    fig : Figure from :func:`figure` (or any figure with an Agg canvas).
    update : function called as ``update(**values)`` after every change; it moves the
        ``animated=True`` artists in place and may return nothing.
    controls : ``{argument name: widget}``; widgets from :func:`slider`,
        :func:`log_slider`, :func:`choice`, :func:`toggle`, :func:`player` (or any
        ipywidgets value widget).
    name : key in :func:`registry`; defaults to ``update.__name__``.
    fmt : ``"jpeg"`` (fastest) or ``"png"`` (lossless).
    """

    def __init__(self, fig: Figure, update: Callable[..., Any], controls: dict[str, Any],
                 *, name: str | None = None, fmt: str = "jpeg", quality: int = 85):
        # Checked once, here: a move of a control takes the drawing path only.
        fig = as_figure("fig", fig)
        update = as_callable("update", update, "def update(w): line.set_data(xs, w * xs)")
        if not isinstance(controls, dict) or not all(isinstance(key, str) for key in controls):
            raise InputError(f"controls must be a dict {{argument name: widget}}, e.g. "
                             f"{{'w': live.slider('w', -3, 3, 0.1, value=1.0)}}; got "
                             f"{controls!r:.80}")
        for key, control in controls.items():
            if not (hasattr(control, "value") and callable(getattr(control, "observe", None))):
                raise InputError(f"controls[{key!r}] must be a widget with a value (from "
                                 f"live.slider, choice, toggle, player...), got "
                                 f"{type(control).__name__}")
        if name is not None:
            as_text("name", name)
        as_choice("fmt", fmt, FRAME_FORMATS)
        if not 1 <= as_count("quality", quality) <= 100:
            raise InputError(f"quality must be from 1 to 100 (JPEG quality), got {quality}")
        self.blitter = Blitter(fig)
        self.fig = fig
        self.update = update
        self.controls = dict(controls)
        self.name = name or getattr(update, "__name__", type(update).__name__)
        self.fmt = fmt
        self.quality = quality
        self.values = {key: control.value for key, control in self.controls.items()}
        self.timings_ms: deque[float] = deque(maxlen=2000)
        self.frames = 0

        # Shown at its own size (one frame pixel per CSS pixel, or PIXEL_RATIO of them), so
        # the browser never stretches it into a blur; narrower only when the page is.
        ratio = getattr(fig, "live_pixel_ratio", 1)
        css_width = round(fig.canvas.get_width_height(physical=True)[0] / ratio)
        self.image = widgets.Image(format=fmt, layout={"width": f"{css_width}px",
                                                       "max_width": "100%", "height": "auto"})
        self.status = widgets.HTML()
        items = []
        for key, control in self.controls.items():
            items.append(control)
            if isinstance(control, widgets.Play):
                items.append(_step_button(control, key))
        self.bar = widgets.HBox(items, layout={"flex_flow": "row wrap"})
        self.widget = widgets.VBox([self.bar, self.image, self.status])
        # CSS classes let browser tests find each figure and control by name.
        self.widget.add_class("live-figure")
        self.widget.add_class(f"live-figure--{self.name}")
        self._handlers = {key: self._on_change(key) for key in self.controls}
        for key, control in self.controls.items():
            control.add_class("live-control")
            control.add_class(f"live-control--{key}")
            control.observe(self._handlers[key], names="value")

        self.redraw()
        previous = _REGISTRY.get(self.name)
        if previous is not None:
            previous.close()
        _REGISTRY[self.name] = self

    # The drawing path --------------------------------------------------------------

    def redraw(self, **changes) -> bytes:
        """Apply ``changes`` (control name -> value), redraw, return the encoded frame.

        This is exactly what a slider move does, minus the browser.
        """
        unknown = set(changes) - set(self.values)
        if unknown:
            raise InputError(f"{self.name}: no control named {sorted(unknown)}; "
                            f"controls are {sorted(self.values)}")
        if self.closed:
            raise InputError(f"{self.name} was closed (its cell was run again, or close() "
                             f"was called): use the figure made last, live.registry()"
                             f"[{self.name!r}]")
        with _DRAW_LOCK:
            start = time.perf_counter()
            self.values.update(changes)
            self.update(**self.values)
            self.blitter.draw()
            frame = self._encode()
            self.image.value = frame
            self.frames += 1
            self.timings_ms.append((time.perf_counter() - start) * 1e3)
        return frame

    @property
    def full_redraws(self) -> int:
        """How many times the static background had to be drawn (slow path)."""
        return self.blitter.full_redraws if self.blitter is not None else 0

    def _encode(self) -> bytes:
        canvas = self.fig.canvas
        width, height = canvas.get_width_height(physical=True)
        buffer = io.BytesIO()
        if self.fmt == "jpeg":
            # RGBX: the JPEG encoder reads the RGBA buffer as is, no copy.
            image = Image.frombuffer("RGBX", (width, height), canvas.buffer_rgba(),
                                     "raw", "RGBX", 0, 1)
            # Quality 85 with 4:2:0 chroma: the browser decodes it in ~7 ms, where
            # quality 92 at full chroma took ~20 ms for a 1000 x 400 frame.
            image.save(buffer, "JPEG", quality=self.quality)
        else:
            image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(),
                                     "raw", "RGBA", 0, 1)
            image.save(buffer, "PNG", compress_level=1)
        return buffer.getvalue()

    def _on_change(self, key: str):
        def handler(change):
            try:
                self.redraw(**{key: change["new"]})
                if self.status.value:
                    self.status.value = ""
            except Exception as error:
                # Show the learner what broke, under the figure, then let it reach the
                # kernel's log as well (JupyterLab's Log Console).
                last = traceback.format_exception_only(type(error), error)[-1].strip()
                self.status.value = (f"<pre style='color:#b00020'>update failed for "
                                     f"{html.escape(key)}={change['new']!r}: "
                                     f"{html.escape(last)}</pre>")
                raise

        return handler

    # Display and bookkeeping ----------------------------------------------------------

    def close(self) -> None:
        """Close the widgets (their views disappear), forget the figure and let go of
        everything that weighs: the canvas, the cached backgrounds, the update function
        (and what it holds), the last frame.

        Running a figure's cell again closes the figure it made before. IPython's
        history (``Out``) still holds the old object, so what it keeps must be small:
        without this, 30 re-runs of one cell grew a kernel by 250 MB.
        """
        with _DRAW_LOCK:
            if self.closed:
                return
            for key, handler in self._handlers.items():
                self.controls[key].unobserve(handler, names="value")
            for item in (*self.bar.children, self.bar, self.image, self.status, self.widget):
                # A widget's layout and style are widgets of their own, with comms of
                # their own: close them too, or every re-run leaves about ten behind.
                for part in (getattr(item, "layout", None), getattr(item, "style", None)):
                    if isinstance(part, widgets.Widget):
                        part.close()
                item.close()
            if self.blitter is not None:
                self.blitter.release()
            if self.fig is not None:
                self.fig.clear()
            self.blitter, self.fig, self.update = None, None, None
            self.bar = self.image = self.status = self.widget = None
            self.controls = {key: None for key in self.controls}  # names only, for repr
            self._handlers = {}
        # A figure is a web of reference cycles (artists <-> axes <-> figure) that only
        # the cycle collector frees; collect now, so that a few re-runs' worth of old
        # figures do not pile up first (~20 MB more at the peak, kept by the allocator).
        gc.collect()
        if _REGISTRY.get(self.name) is self:
            del _REGISTRY[self.name]

    @property
    def closed(self) -> bool:
        return self.fig is None

    def __repr__(self) -> str:
        # Short and stable: strict notebook tests compare this text.
        return f"LiveFigure({self.name!r}, controls: {', '.join(self.controls)})"

    def _repr_mimebundle_(self, **kwargs):
        if self.closed:
            return {"text/plain": repr(self)}
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        # A still of the first frame for places with no kernel (GitHub, a closed
        # notebook); JupyterLab shows the live widget instead.
        bundle[f"image/{self.fmt}"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


def registry() -> dict[str, LiveFigure]:
    """Every live figure made in this kernel, by name (a copy)."""
    return dict(_REGISTRY)
