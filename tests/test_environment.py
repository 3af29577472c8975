"""Tests for helpers/environment.py: it passes here, and each check can fail."""

from importlib import metadata

import matplotlib as mpl
import pytest

from helpers import environment
from helpers.environment import check_environment, missing_glyph_warnings


def test_passes_here_and_lists_every_item_with_a_tick():
    report = check_environment()
    text = str(report)
    lines = text.splitlines()[1:]
    assert lines and all(line.startswith("✓ ") for line in lines)
    assert "✓ Python >= 3.10" in lines
    for requirement in ("numpy", "matplotlib", "ipywidgets", "noto-cjk-sans-otc"):
        assert any(line.startswith(f"✓ {requirement} ") for line in lines), requirement
    assert "JupyterLab's widget extension" in text
    assert "CJK font active" in text
    assert "renders with every glyph" in text
    assert repr(report) == text


def test_report_has_no_machine_specific_numbers_but_package_versions():
    text = str(check_environment())
    python = ".".join(map(str, __import__("sys").version_info[:3]))
    assert python not in text
    assert "/" not in text  # no paths


def _with_requires(monkeypatch, requirements):
    real = metadata.requires
    monkeypatch.setattr(metadata, "requires",
                        lambda dist: requirements if dist == environment.DISTRIBUTION
                        else real(dist))


def test_another_version_is_a_warning_with_the_fix_not_an_error(monkeypatch):
    _with_requires(monkeypatch, ["numpy==0.0.1", "matplotlib>=1"])
    report = str(check_environment())
    (line,) = [line for line in report.splitlines() if line.startswith("⚠")]
    assert f"numpy {metadata.version('numpy')} is installed" in line
    assert "numpy==0.0.1" in line and "make clean lab" in line


def test_every_problem_is_listed_not_just_the_first(monkeypatch):
    _with_requires(monkeypatch, ["no-such-package-abc==1.0", "no-such-package-xyz==1.0"])
    with pytest.raises(RuntimeError) as error:
        check_environment()
    message = str(error.value)
    assert "2 problems:" in message
    assert message.count("✗ ") == 2
    assert "no-such-package-xyz is not installed" in message
    assert "make clean lab" in message


def test_version_lookup_is_compared_with_the_pin(monkeypatch):
    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda name: "1.0.0" if name == "numpy" else real(name))
    assert "⚠ numpy 1.0.0 is installed, but the course pins numpy==" in str(
        check_environment())


def test_markers_skip_requirements_for_other_pythons(monkeypatch):
    _with_requires(monkeypatch, ["numpy==0.0.1; python_version < '3.0'",
                                 "no-such-package-xyz; extra == 'docs'"])
    text = str(check_environment())
    assert "numpy" not in text and "no-such-package-xyz" not in text


def test_missing_course_package_says_how_to_install(monkeypatch):
    def requires(dist):
        raise metadata.PackageNotFoundError(dist)

    monkeypatch.setattr(metadata, "requires", requires)
    with pytest.raises(RuntimeError, match="`slider-by-slider` is not installed"):
        check_environment()


def test_too_old_python_is_reported():
    passed, problems = environment.check_python((3, 9, 18))
    assert not passed
    assert "Python 3.9.18 is too old" in problems[0]
    assert environment.check_python((3, 10, 0)) == (["Python >= 3.10"], [])


def test_missing_widget_extension_is_reported(monkeypatch):
    real = metadata.version

    def version(name):
        if name == environment.WIDGET_EXTENSION:
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "version", version)
    with pytest.raises(RuntimeError, match="widget extension .* is missing"):
        check_environment()


def test_chinese_title_renders_with_the_cjk_font():
    environment.use_cjk_font()
    assert missing_glyph_warnings() == []


def test_glyph_check_fails_loudly_without_the_cjk_font(monkeypatch):
    # Pretend the font is set up, but leave only DejaVu Sans (no Chinese glyphs).
    name = environment.use_cjk_font()
    monkeypatch.setattr(environment, "use_cjk_font", lambda: name)
    monkeypatch.setitem(mpl.rcParams, "font.family", ["sans-serif"])
    assert missing_glyph_warnings(), "DejaVu Sans alone should lack Chinese glyphs"
    with pytest.raises(RuntimeError) as error:
        check_environment()
    message = str(error.value)
    assert "does not render" in message
    assert "missing from font" in message
    assert "is not in matplotlib's font.family" in message


def test_font_setup_failure_is_reported(monkeypatch):
    def broken():
        raise ModuleNotFoundError("No module named 'noto_cjk_sans_otc'")

    monkeypatch.setattr(environment, "use_cjk_font", broken)
    with pytest.raises(RuntimeError, match="No CJK font could be set up"):
        check_environment()
