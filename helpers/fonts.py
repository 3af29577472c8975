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

import os
from pathlib import Path

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
    "Noto Sans CJK JP",  # all CJK characters, Japanese glyph shapes: the last resort
)
BUNDLED_CJK_FONT = "Noto Sans CJK SC"


def installed_cjk_font() -> str | None:
    """Name of a CJK font matplotlib already knows about, or None."""
    available = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in KNOWN_CJK_FONTS if name in available), None)


def add_bundled_cjk_font() -> str:
    """Register Noto Sans CJK SC from the ``noto-cjk-sans-otc`` package; return its name."""
    import noto_cjk_sans_otc

    collection = Path(str(noto_cjk_sans_otc.FONT_PATH))
    try:
        font_file = _simplified_chinese_face(collection)
    except (OSError, StopIteration):  # no writable cache: take the collection as it is
        font_file = collection
    font_manager.fontManager.addfont(str(font_file))
    return font_manager.FontProperties(fname=str(font_file)).get_name()


def _simplified_chinese_face(collection: Path) -> Path:
    """The Simplified Chinese face of the collection, as a font file of its own.

    Matplotlib 3.10 reads only the first face of a ``.ttc`` collection, which is the
    Japanese one; the SC face is extracted once (about 1 s) into matplotlib's cache.
    """
    target = Path(mpl.get_cachedir()) / "NotoSansCJKsc-Regular.otf"
    if not target.exists():
        from fontTools.ttLib import TTCollection

        faces = TTCollection(str(collection), lazy=True).fonts
        face = next(f for f in faces if f["name"].getDebugName(1) == BUNDLED_CJK_FONT)
        partial = target.with_suffix(f".{os.getpid()}.part")
        face.save(str(partial))
        partial.replace(target)  # atomic: a parallel kernel never sees half a file
    return target


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese text; return the name of the CJK font used.

    Safe to call many times: once registered, the bundled font counts as installed.
    """
    name = installed_cjk_font() or add_bundled_cjk_font()
    # Fallback runs along font.family: Latin glyphs from the usual sans-serif font
    # (DejaVu Sans), anything it lacks from the CJK font.
    mpl.rcParams["font.family"] = ["sans-serif", name]
    mpl.rcParams["axes.unicode_minus"] = True  # DejaVu Sans has the true minus sign
    return name
