"""Chinese text renders with real glyphs, on this machine and on one with no CJK font."""

import warnings

import matplotlib as mpl
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers import fonts


def render_chinese_title() -> None:
    fig = Figure()
    FigureCanvasAgg(fig)
    fig.subplots().set_title("学习率 η = 0.1，损失下降 −3")
    fig.canvas.draw()


def test_chinese_title_has_no_missing_glyphs():
    fonts.use_cjk_font()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        render_chinese_title()


def test_bundled_font_is_used_when_none_is_installed(monkeypatch):
    monkeypatch.setattr(fonts, "installed_cjk_font", lambda: None)
    assert fonts.use_cjk_font() == fonts.BUNDLED_CJK_FONT
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render_chinese_title()


def test_the_test_can_fail_without_a_cjk_font(monkeypatch):
    monkeypatch.setitem(mpl.rcParams, "font.family", ["DejaVu Sans"])
    with pytest.warns(UserWarning, match="missing from font"):
        render_chinese_title()
