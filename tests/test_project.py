"""The set-up files agree with each other."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONDA_NAMES = {"matplotlib-base": "matplotlib"}


def pyproject_pins(python=(3, 11)) -> dict[str, str]:
    """name -> pinned version for the given Python (environment.yml uses 3.11)."""
    tomllib = pytest.importorskip("tomllib")
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        environment = {"python_version": f"{python[0]}.{python[1]}"}
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"{line}: pin an exact version"
        pins[requirement.name] = spec.version
    return pins


def environment_pins() -> dict[str, str]:
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    pins = {}
    for name, version in re.findall(r"^\s*-\s*([A-Za-z0-9_.-]+)\s*==?\s*([0-9][^\s#]*)",
                                    text, flags=re.M):
        pins[CONDA_NAMES.get(name, name)] = version
    return pins


def test_environment_yml_names_the_same_packages_and_versions():
    conda = environment_pins()
    python = conda.pop("python")
    assert conda == pyproject_pins(tuple(int(p) for p in python.split(".")[:2]))


def test_every_dependency_is_pinned_for_every_python():
    for minor in (10, 11, 12, 13, 14):
        assert pyproject_pins((3, minor)), f"no pins for Python 3.{minor}"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make lab" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert notebook.name in readme, f"README's table of notebooks lacks {notebook.name}"


def test_running_python_is_supported():
    assert sys.version_info >= (3, 10)


def constraints() -> dict[str, str]:
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    return {name.lower(): version for name, version in
            re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) ; python_version == \"3\.11\"$", text,
                       flags=re.M)}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_constraints_agree_with_the_pins_of_pyproject():
    locked = {normalise(name): version for name, version in constraints().items()}
    assert len(locked) > 50
    for name, version in pyproject_pins((3, 11)).items():
        assert locked.get(normalise(name)) == version, f"{name}: run `make lock`"


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the lock is for Python 3.11")
def test_installed_packages_match_the_lock():
    from importlib import metadata

    locked = {normalise(name): version for name, version in constraints().items()}
    installed = {normalise(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {name: (installed[name], version) for name, version in locked.items()
             if name in installed and installed[name] != version}
    assert not wrong, f"installed vs locked: {wrong}; run `make clean test`"
