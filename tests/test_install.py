"""The course as a normal package, as a JupyterHub image or `pip install .` installs it.

The wheel is built from a copy of the course folder and installed, with the pinned
packages, into a fresh virtual environment (uv, from its cache after the first run). That
environment then loads every data set from the copy inside the package
(``helpers/datasets``, found with importlib.resources), honours ``$SLIDER_BY_SLIDER_DATA``,
and runs notebook 01 under strict nbval from a folder that holds only ``notebooks/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pin_resolution import OFFLINE_SIGNS

from helpers.data import CHECKSUMS, DATA_DIR_VARIABLE
from hub_support import NOT_COURSE

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "01_linear_regression.ipynb"  # reads two of the data sets
# Loads every data set the notebooks use, then says where from.
LOAD_EVERY_DATA_SET = """
import helpers, helpers.data as data
from helpers import hyperparameter_search, piecewise_fitting
for name in sorted(data.CHECKSUMS):
    data.verified_path(name)
births, houses, clothes = data.load_births(), data.load_houses(), data.load_fashion_mnist()
assert births.counts.shape == (7305,) and houses.price.shape == (2930,), "shapes"
assert clothes.images_train.shape == (6000, 28, 28), "shapes"
piecewise_fitting.load_depth_runs()
for experiment in ("priority", "caviar"):
    hyperparameter_search.load_runs(experiment)
print(helpers.__file__)
print(data.DATA_DIR)
"""


def run(command: list, online: bool = False, **kwargs) -> subprocess.CompletedProcess:
    """Run ``command``; it must succeed. One that needs the package index (``online``) and
    finds no network skips the test, except in CI (as the pin resolutions do)."""
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                            timeout=600, **kwargs)
    said = result.stderr + result.stdout
    if (online and result.returncode != 0 and os.environ.get("CI") != "true"
            and any(sign in said for sign in OFFLINE_SIGNS)):
        pytest.skip(f"no network for the package index: {said.strip().splitlines()[-1]}")
    assert result.returncode == 0, (f"{' '.join(map(str, command))} failed:\n"
                                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python of a fresh venv with the course's wheel installed, the wheel)."""
    uv = Path(sys.executable).with_name("uv")
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_COURSE)  # the course only
    run([uv, "build", "--wheel", "--quiet", "--out-dir", work / "dist", source], online=True)
    (wheel,) = (work / "dist").glob("*.whl")
    run([uv, "venv", "--quiet", "--python", sys.executable, work / "venv"])
    python = work / "venv" / "bin" / "python"
    run([uv, "pip", "install", "--quiet", "--python", python, "-c", ROOT / "constraints.txt",
         wheel], online=True)
    return python, wheel


def class_folder(tmp_path: Path) -> Path:
    """A folder with only the course's notebooks/, as a teacher hands them out."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "class" / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return tmp_path / "class"


def clean_env(tmp_path: Path, **extra) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key not in (DATA_DIR_VARIABLE, "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(MPLCONFIGDIR=str(tmp_path / "mplconfig"), OPENBLAS_NUM_THREADS="1",
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter"), **extra)
    return env


def test_the_wheel_holds_every_data_set(installed):
    _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in CHECKSUMS if f"helpers/datasets/{name}" not in names]
    assert not missing, f"the wheel lacks {missing}: see [tool.setuptools] in pyproject.toml"
    assert "helpers/datasets/README.md" in names  # sources and licences travel with them
    assert "helpers/jupyter_config/etc/jupyter/jupyter_server_config.json" in names
    modules = {path.relative_to(ROOT).as_posix() for path in (ROOT / "helpers").rglob("*.py")}
    assert not modules - names, (f"the wheel lacks {sorted(modules - names)}: list every "
                                 f"package in pyproject.toml's [tool.setuptools] packages")


def test_an_installed_course_loads_every_data_set_from_the_package(installed, tmp_path):
    python, _ = installed
    folder = class_folder(tmp_path)
    printed = run([python, "-c", LOAD_EVERY_DATA_SET], cwd=folder,
                  env=clean_env(tmp_path)).stdout.split()
    site = python.parent.parent.resolve()
    assert Path(printed[0]).resolve().is_relative_to(site), "helpers came from elsewhere"
    assert Path(printed[1]).resolve() == Path(printed[0]).resolve().parent / "datasets"


def test_the_data_folder_variable_points_elsewhere(installed, tmp_path):
    python, _ = installed
    folder = class_folder(tmp_path)
    printed = run([python, "-c", LOAD_EVERY_DATA_SET], cwd=folder,
                  env=clean_env(tmp_path, **{DATA_DIR_VARIABLE: str(ROOT / "data")})
                  ).stdout.split()
    assert Path(printed[1]) == ROOT / "data"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run([python, "-c", "from helpers.data import load_births; "
                             "load_births()"], capture_output=True, text=True, cwd=folder,
                            env=clean_env(tmp_path, **{DATA_DIR_VARIABLE: str(empty)}),
                            timeout=120)
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert "DataFileError" in message and f"${DATA_DIR_VARIABLE} names {empty}" in message


def test_a_notebook_runs_from_a_folder_of_notebooks_only(installed, tmp_path):
    """Strict nbval in the fresh environment: the same outputs as the committed ones."""
    python, _ = installed
    folder = class_folder(tmp_path)
    assert sorted(path.name for path in folder.iterdir()) == ["notebooks"]
    run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "--rootdir", folder, "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", ROOT / "tests" / "nbval_sanitize.cfg",
         f"notebooks/{NOTEBOOK}"], cwd=folder, env=clean_env(tmp_path))
