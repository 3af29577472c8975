"""helpers has two layers: building blocks, and one module per notebook (helpers/__init__.py).

A notebook's module, its checks module and the notebook share one name; a notebook's
module imports building blocks only, never another notebook's module.
"""

import ast
from pathlib import Path

import pytest

from conftest import NOTEBOOKS

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
MODULES = {path.stem for path in HELPERS.glob("*.py")} - {"__init__"}
CHECKS = {path.stem for path in (HELPERS / "checks").glob("*.py")} - {"__init__", "engine"}
TOPICS = [path.stem[3:] for path in NOTEBOOKS]  # "02_gradient_descent" -> "gradient_descent"
NOTEBOOK_MODULES = [topic for topic in TOPICS if topic in MODULES]


def helpers_imported_by(path: Path) -> set[str]:
    """The modules of helpers that a file imports (``from helpers import x``,
    ``from helpers.x import y``, ``import helpers.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "helpers":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names
                      if alias.name.startswith("helpers.")}
    return found


def test_every_notebook_has_a_module_of_its_name():
    assert NOTEBOOK_MODULES == TOPICS, "each notebook: a module named as the notebook"


@pytest.mark.parametrize("topic", TOPICS)
def test_each_notebook_has_a_checks_module_of_its_name(topic):
    assert topic in CHECKS, f"helpers/checks/{topic}.py holds notebook {topic}'s checks"


def test_no_checks_module_without_its_notebook():
    assert CHECKS <= set(TOPICS)


@pytest.mark.parametrize("module", NOTEBOOK_MODULES)
def test_a_notebooks_module_imports_building_blocks_only(module):
    others = helpers_imported_by(HELPERS / f"{module}.py") & (set(NOTEBOOK_MODULES) - {module})
    assert not others, f"helpers/{module}.py imports another notebook's module: {others}"


def test_building_blocks_import_no_notebooks_module():
    for module in MODULES - set(NOTEBOOK_MODULES):
        found = helpers_imported_by(HELPERS / f"{module}.py") & set(NOTEBOOK_MODULES)
        assert not found, f"helpers/{module}.py (a building block) imports {found}"


def test_the_package_docstring_maps_every_module():
    import helpers

    for module in MODULES:
        assert f"helpers.{module}" in helpers.__doc__, f"helpers/__init__.py: map {module}"
