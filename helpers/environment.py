"""Is this machine ready for the course? One call answers: :func:`check_environment`.

It checks, in order:

1. Python is recent enough (>= 3.10);
2. every package the course pins (the requirements of the installed distribution
   ``slider-by-slider``, i.e. ``dependencies`` in ``pyproject.toml``) is installed --
   markers such as ``python_version < '3.11'`` are honoured; a version other than the
   pinned one is reported with a ⚠ but is not a problem;
3. ipywidgets imports, and JupyterLab's widget extension is installed (no sliders
   without it);
4. a CJK font is active (:func:`helpers.fonts.use_cjk_font`), and a matplotlib title
   in Chinese really renders on an Agg canvas with no "missing from font" warning.

Every problem found is collected; if there is any, a :class:`RuntimeError` lists them
all, each with how to fix it. Otherwise the function returns an
:class:`EnvironmentReport`, whose text lists every item with a ✓ (or a ⚠).
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field
from importlib import metadata

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from packaging.requirements import InvalidRequirement, Requirement

from helpers.fonts import use_cjk_font
from helpers.validate import InputError, as_text

DISTRIBUTION = "slider-by-slider"
MIN_PYTHON = (3, 10)
WIDGET_EXTENSION = "jupyterlab_widgets"  # the JupyterLab side of ipywidgets
CHINESE_SAMPLE = "学习率 learning rate"  # rendered to prove the font has the glyphs
WARNING = "⚠"  # marks a report line that is not a problem but worth knowing

# `make lab` alone reinstalls only when pyproject.toml changed; `make clean lab` rebuilds.
REINSTALL = ("run `make clean lab` in the course folder (it rebuilds .venv with the pinned "
             "packages), or, quicker, `.venv/bin/python -m pip install -e .` there")


@dataclass
class EnvironmentReport:
    """What :func:`check_environment` verified: one line per item, each with a ✓."""

    items: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = ["Environment check: everything the course needs is here."]
        lines += [item if item.startswith(WARNING) else f"✓ {item}" for item in self.items]
        return "\n".join(lines)

    __repr__ = __str__


# --- the individual checks: each returns (what passed, problems found) -----------------

def check_python(version_info=sys.version_info) -> tuple[list[str], list[str]]:
    """Python >= 3.10."""
    if isinstance(version_info, (str, bytes)) or not isinstance(version_info, tuple | list) \
            or len(version_info) < 2 \
            or not all(isinstance(part, int) for part in version_info[:2]):
        raise InputError(f"version_info must be a version such as sys.version_info or "
                         f"(3, 12, 1), got {version_info!r}")
    wanted = ".".join(map(str, MIN_PYTHON))
    if tuple(version_info[:2]) >= MIN_PYTHON:
        return [f"Python >= {wanted}"], []
    found = ".".join(map(str, version_info[:3]))
    return [], [f"Python {found} is too old: the course needs Python >= {wanted}. Install a "
                f"newer Python, then run `make clean lab PYTHON=python3.12` (or any "
                f"version >= {wanted})."]


def check_requirements(distribution: str = DISTRIBUTION) -> tuple[list[str], list[str]]:
    """Every requirement of ``distribution`` that applies here is installed at a
    version its specifier allows."""
    distribution = as_text("distribution", distribution)
    if not distribution:
        raise InputError("distribution is empty: name an installed distribution, e.g. "
                         f"{DISTRIBUTION!r}")
    try:
        requirements = metadata.requires(distribution)
    except metadata.PackageNotFoundError:
        return [], [f"The course package `{distribution}` is not installed in this Python "
                    f"({sys.executable}): {REINSTALL}, and open the notebooks from the "
                    f"course's JupyterLab (`make lab`) so that they use its kernel."]
    passed, problems = [], []
    for text in requirements or []:
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            problems.append(f"`{distribution}` declares a requirement that cannot be read "
                            f"({text!r}: {error}). Please report this.")
            continue
        if requirement.marker is not None and \
                not requirement.marker.evaluate({"extra": ""}):
            continue  # e.g. the pin for another Python version, or an optional extra
        wanted = str(requirement.specifier) or "(any version)"
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{requirement.name} is not installed (the course needs "
                            f"{requirement.name}{wanted}): {REINSTALL}.")
            continue
        if not requirement.specifier.contains(version, prereleases=True):
            # Not fatal: the course runs, but numbers may differ from the saved outputs.
            passed.append(f"{WARNING} {requirement.name} {version} is installed, but the "
                          f"course pins {requirement.name}{wanted}: it should work, though "
                          f"results may differ slightly from the saved outputs; to match "
                          f"them, {REINSTALL}.")
            continue
        pinned = str(requirement.specifier) == f"=={version}"
        passed.append(f"{requirement.name} {version}" + ("" if pinned else f" ({wanted})"))
    return passed, problems


def check_widgets() -> tuple[list[str], list[str]]:
    """ipywidgets imports and JupyterLab's widget extension is installed."""
    try:
        import ipywidgets
    except Exception as error:  # ImportError, or a broken install raising anything
        return [], [f"ipywidgets cannot be imported ({type(error).__name__}: {error}), so "
                    f"no slider can appear: {REINSTALL}."]
    try:
        extension = metadata.version(WIDGET_EXTENSION)
    except metadata.PackageNotFoundError:
        return [], [f"ipywidgets {ipywidgets.__version__} imports, but JupyterLab's widget "
                    f"extension ({WIDGET_EXTENSION}) is missing, so sliders would show as "
                    f"plain text: {REINSTALL}, then reload the JupyterLab page."]
    return [f"ipywidgets imports, and JupyterLab's widget extension is installed "
            f"({WIDGET_EXTENSION} {extension}): sliders can appear"], []


def missing_glyph_warnings(text: str = CHINESE_SAMPLE) -> list[str]:
    """Draw ``text`` as a title on an Agg canvas; return matplotlib's "missing from
    font" warnings (an empty list when every glyph was found).

    Uses the current ``rcParams``: call :func:`helpers.fonts.use_cjk_font` first.
    """
    text = as_text("text", text)
    fig = Figure(figsize=(3, 1))
    FigureCanvasAgg(fig)
    fig.add_subplot().set_title(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def check_cjk_font() -> tuple[list[str], list[str]]:
    """A CJK font is active, and a Chinese title renders with every glyph."""
    import matplotlib as mpl

    passed, problems = [], []
    try:
        name = use_cjk_font()
    except Exception as error:  # e.g. noto-cjk-sans-otc not installed
        return [], [f"No CJK font could be set up ({type(error).__name__}: {error}), so "
                    f"Chinese labels would show as empty boxes: {REINSTALL}."]
    families = list(mpl.rcParams["font.family"])
    if name and name in families:
        passed.append(f"CJK font active: {name}")
    else:
        problems.append(f"The CJK font {name!r} is not in matplotlib's font.family "
                        f"({families}): something reset the fonts. Run "
                        f"`from helpers.fonts import use_cjk_font; use_cjk_font()` or restart "
                        f"the kernel (Kernel → Restart Kernel and Run All Cells).")
    missing = missing_glyph_warnings()
    if missing:
        problems.append(f"A Chinese title ({CHINESE_SAMPLE!r}) does not render: matplotlib "
                        f"says {missing[0]!r} ({len(missing)} missing glyphs in all). Restart "
                        f"the kernel; if it persists, {REINSTALL}.")
    else:
        passed.append(f"a Chinese title ({CHINESE_SAMPLE}) renders with every glyph")
    return passed, problems


def check_environment() -> EnvironmentReport:
    """Check everything the course needs; raise a RuntimeError listing every problem
    (with how to fix it), or return an :class:`EnvironmentReport`."""
    report, problems = EnvironmentReport(), []
    for check in (check_python, check_requirements, check_widgets, check_cjk_font):
        passed, found = check()
        report.items += passed
        problems += found
    if problems:
        listing = "\n".join(f"✗ {problem}" for problem in problems)
        raise RuntimeError(f"The environment check found {len(problems)} "
                           f"problem{'s' if len(problems) > 1 else ''}:\n{listing}")
    return report
