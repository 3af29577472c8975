"""Re-execute notebooks in place, top to bottom in a fresh kernel, as CI does.

    python -m helpers.notebook_runner notebooks/*.ipynb      (or: make notebooks)

Afterwards each notebook is cleaned so that it stays small and its diffs readable:

* saved widget state (``metadata.widgets``) is removed;
* a live figure's output keeps its still image and its text but not the link to a
  widget model (``application/vnd.jupyter.widget-view+json``): that model exists only
  in a running kernel, and without the link JupyterLab and GitHub show the still image
  until the cell runs again. Strict nbval ignores both the link and the image.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from helpers.validate import InputError, as_count, as_instance, as_list, as_path

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# The kernels inherit one BLAS thread, as under `make test` (see the Makefile).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")


def clean(notebook) -> None:
    """Strip widget state and widget links in place (see the module docstring)."""
    as_instance("notebook", notebook, nbformat.NotebookNode, "nbformat.read(path, 4)")
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and any(key.startswith("image/") for key in data):
                del data[WIDGET_VIEW]


def execute(path: Path, timeout: int = 600) -> float:
    """Run one notebook in place; return the seconds it took."""
    path, timeout = _notebook("path", path), as_count("timeout (seconds per cell)", timeout)
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    seconds = time.perf_counter() - start
    clean(notebook)
    nbformat.write(notebook, path)
    return seconds


def _notebook(name: str, path) -> Path:
    """``path`` as the Path of an existing .ipynb file, or an InputError."""
    path = as_path(name, path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise InputError(f"{name} must name an existing notebook (a .ipynb file), got "
                         f"{str(path)!r}")
    return path


def main(paths: list[str]) -> int:
    paths = [_notebook("every entry of paths", name)
             for name in as_list("paths", paths, what="a list of notebook paths")]
    if not paths:
        print("usage: python -m helpers.notebook_runner NOTEBOOK.ipynb ...")
        return 2
    for name in paths:
        seconds = execute(name)
        print(f"{name}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
