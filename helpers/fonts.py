"""Chinese text in plots, on any machine, with no extra step.

Matplotlib's default font (DejaVu Sans) has no Chinese glyphs: a title such as
"学习率" would come out as empty boxes. The classic fix,
``rcParams["font.sans-serif"] = "SimHei"``, only works on Windows.

:func:`use_cjk_font` instead keeps DejaVu Sans for Latin text and adds a CJK font as a
*fallback*: matplotlib (>= 3.6) takes each glyph from the first font in
``rcParams["font.family"]`` that has it. The CJK font is one already installed on the
machine if there is one, otherwise Noto Sans CJK from the pinned PyPI package
``noto-cjk-sans-otc`` (SIL Open Font Licence), which the course installs with
everything else.
"""

from __future__ import annotations

import matplotlib as mpl
from matplotlib import font_manager

# Fonts with Simplified Chinese glyphs, best first. Any one of them is enough.
KNOWN_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Heiti SC",
    "Microsoft YaHei",
    "SimHei",
)
BUNDLED_CJK_FONT = "Noto Sans CJK SC"


def installed_cjk_font() -> str | None:
    """Name of a CJK font matplotlib already knows about, or None."""
    available = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in KNOWN_CJK_FONTS if name in available), None)


def add_bundled_cjk_font() -> str:
    """Register the Noto Sans CJK collection shipped by ``noto-cjk-sans-otc``."""
    import noto_cjk_sans_otc

    font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
    return BUNDLED_CJK_FONT


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese text; return the name of the CJK font used.

    Safe to call many times: the bundled font is registered at most once.
    """
    name = installed_cjk_font() or add_bundled_cjk_font()
    # Fallback runs along font.family: Latin glyphs from the usual sans-serif font
    # (DejaVu Sans), anything it lacks from the CJK font.
    mpl.rcParams["font.family"] = ["sans-serif", name]
    mpl.rcParams["axes.unicode_minus"] = True  # DejaVu Sans has the true minus sign
    return name
