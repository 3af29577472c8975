"""The set-up files agree with each other."""

import os
import re
import sys
from pathlib import Path

import pytest
from pin_resolution import PLATFORMS, SUPPORTED_MINORS

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
    for minor in SUPPORTED_MINORS:
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


def constraints(python=None, platform=None) -> dict[str, str]:
    """normalised name -> pinned version in constraints.txt, for the given Python (default:
    the running one) on the given platform (a key of pin_resolution.PLATFORMS; default:
    this one); markers are evaluated as pip evaluates them."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    environment = default_environment()
    if python is not None:
        environment.update(python_version=f"{python[0]}.{python[1]}",
                           python_full_version=f"{python[0]}.{python[1]}.0")
    if platform is not None:
        environment.update(PLATFORMS[platform])
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"constraints.txt: {line}: pin an exact version"
        name = normalise(requirement.name)
        assert name not in pins, f"constraints.txt pins {name} twice for Python {python}"
        pins[name] = spec.version
    return pins


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("minor", SUPPORTED_MINORS)
def test_constraints_agree_with_the_pins_of_pyproject(minor):
    locked = constraints((3, minor))
    assert len(locked) > 50
    for name, version in pyproject_pins((3, minor)).items():
        assert locked.get(normalise(name)) == version, f"{name}: run `make lock`"


def test_installed_packages_match_the_lock():
    from importlib import metadata

    locked = constraints()
    installed = {normalise(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {name: (installed[name], version) for name, version in locked.items()
             if name in installed and installed[name] != version}
    assert not wrong, f"installed vs locked: {wrong}; run `make clean test`"


def test_the_supported_pythons_are_the_same_everywhere():
    """README, the Makefile's note, the resolution test and the forks' CI matrix agree."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first, last = f"3.{SUPPORTED_MINORS[0]}", f"3.{SUPPORTED_MINORS[-1]}"
    assert f"Python {first} to {last}" in readme
    assert f"Python {first} to {last}" in (ROOT / "Makefile").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8")
    tested = re.findall(r"python: \"(3\.\d+)\"", workflow)
    assert sorted(set(tested), key=lambda v: int(v.split(".")[1])) == \
        [f"3.{minor}" for minor in SUPPORTED_MINORS]
    assert "macos" in workflow, "Apple silicon is tested by the forks' workflow"


def test_every_pin_installs_on_every_supported_python_and_platform(pin_resolutions):
    """uv resolves pyproject.toml under constraints.txt, wheels only, for each supported
    Python on each platform (run in the background while the suite runs; see conftest),
    and finds exactly the pins of constraints.txt: nothing missing, nothing to build."""
    failures = []
    for (python, platform), (status, output) in pin_resolutions.items():
        if status == "offline":
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI=true but the package index cannot be reached: {output}")
            pytest.skip(f"the package index cannot be reached ({output})")
        if status != "ok":
            failures.append(f"Python {python} on {platform}:\n{output}")
            continue
        wanted = constraints(tuple(int(part) for part in python.split(".")), platform)
        resolved = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", output, flags=re.M))
        resolved = {normalise(name): version for name, version in resolved.items()}
        if len(resolved) < 50:  # every one of the course's ~100 packages is listed
            failures.append(f"Python {python} on {platform}: uv listed only "
                            f"{len(resolved)} packages:\n{output[:500]}")
            continue
        moved = {name: (version, wanted[name]) for name, version in resolved.items()
                 if name in wanted and wanted[name] != version}
        if moved:
            failures.append(f"Python {python} on {platform}: resolved off the pins "
                            f"(resolved, pinned): {moved}")
        missing = sorted(set(resolved) - set(wanted))
        if missing:
            failures.append(f"Python {python} on {platform}: not pinned in constraints.txt: "
                            f"{missing}; run `make lock`")
    assert not failures, "\n\n".join(failures)
