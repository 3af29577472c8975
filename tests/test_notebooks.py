"""Every notebook follows the course's template, and every exercise's solution passes.

(Strict nbval, configured in pyproject.toml, re-runs each notebook and compares outputs;
these tests check what nbval cannot.)
"""

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTION = re.compile(r"<details><summary>Solution</summary>\s*```python\n(.*?)```", re.S)
STUB = re.compile(r"raise NotImplementedError|^\w+ = \.\.\.\s*(#.*)?$", re.M)
INTERACT = re.compile(r"\binteract(ive_output)?\s*\(|@(widgets\.)?interact\b")


def read(path):
    return nbformat.read(path, as_version=4)


def markdown(notebook) -> str:
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def exercises(notebook) -> list[tuple[int, int, str]]:
    """(stub cell index, check cell index, solution code) for each exercise."""
    found, cells = [], notebook.cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or not STUB.search(cell.source):
            continue
        check = next(j for j in range(i + 1, len(cells))
                     if cells[j].cell_type == "code" and "checks.check_" in cells[j].source)
        solution = next(SOLUTION.search(cells[j].source) for j in range(check + 1, len(cells))
                        if SOLUTION.search(cells[j].source))
        found.append((i, check, solution.group(1)))
    return found


def test_the_course_has_its_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert names[:2] == ["00_welcome.ipynb", "01_linear_regression.ipynb"]
    assert [n[:2] for n in names] == [f"{i:02d}" for i in range(len(names))], "gaps in numbering"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_clean(path):
    notebook = read(path)
    assert "widgets" not in notebook.metadata, "saved widget state: run `make notebooks`"
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "not run top to bottom: `make notebooks`"
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert not INTERACT.search(cell.source), "use helpers.live, not interact"
        for output in cell.outputs:
            assert output.output_type != "error", f"error output in: {cell.source[:60]}"
            assert output.get("name") != "stderr", f"stderr output: {output.get('text')}"
    assert path.stat().st_size < 2_000_000


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_template(path):
    text = markdown(read(path))
    assert text.startswith("# "), "the first cell is the title"
    assert re.search(r"\*\*Step of machine learning[^*]*\*\*", text), "say which step of ML"
    for heading in ("### What you'll learn", "## Summary", "## On your own"):
        assert heading in text, f"missing section {heading!r}"
    assert len(exercises(read(path))) >= 3, "at least 3 exercises with checks and solutions"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_live_figure_is_displayed(path):
    notebook = read(path)
    shown = [o["data"]["text/plain"] for c in notebook.cells if c.cell_type == "code"
             for o in c.outputs if "LiveFigure(" in o.get("data", {}).get("text/plain", "")]
    made = [c for c in notebook.cells if c.cell_type == "code" and "live.LiveFigure(" in c.source]
    assert len(shown) == len(made), "a LiveFigure must be the last expression of its cell"
    names = [re.match(r"LiveFigure\('([^']+)'", s).group(1) for s in shown]
    assert len(names) == len(set(names)), f"two live figures share a name: {names}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_pass_their_checks(path):
    """Put every solution in place of its stub, run the notebook: every check passes."""
    notebook = read(path)
    found = exercises(notebook)
    for stub, _, solution in found:
        notebook.cells[stub].source = solution
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for _, check, _ in found:
        cell = notebook.cells[check]
        verdicts = [o["data"]["text/plain"] for o in cell.outputs if "data" in o]
        assert verdicts and all(v.startswith("✅") for v in verdicts), \
            f"{cell.source.strip()} -> {json.dumps(verdicts, ensure_ascii=False)}"


def glossary() -> dict[str, str]:
    """English term -> Chinese, from the glossary table of notebook 00."""
    cell = next(c.source for c in read(NOTEBOOKS[0]).cells
                if c.cell_type == "markdown" and c.source.startswith("## Glossary"))
    terms = {}
    for english, chinese in re.findall(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*\d\d\s*\|$",
                                       cell, flags=re.M):
        terms[english] = re.sub(r"\s*\([^)]*\)", "", chinese).strip()
    return terms


def test_glossary_is_parsed():
    terms = glossary()
    assert len(terms) > 50 and terms["learning rate"] == "学习率"


# Glossary words that are also everyday English ("the mean of", "the cost of a grid"):
# their first appearance is often not the technical term, so they are not checked.
EVERYDAY_WORDS = {"mean", "temperature", "class", "cost", "update", "kernel", "unit",
                  "example", "prediction"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_use_of_each_key_term_carries_its_chinese_name(path):
    """Where a glossary term first appears in a notebook's prose, its Chinese is next to it.

    Tables (overviews, the glossary itself) are not prose and are skipped.
    """
    cells = [c.source for c in read(path).cells if c.cell_type == "markdown"]
    text = "\n".join(line for line in "\n".join(cells).splitlines()
                     if not line.lstrip().startswith("|"))
    missing = []
    for english, chinese in glossary().items():
        if english in EVERYDAY_WORDS:
            continue
        match = re.search(rf"(?<![\w-]){re.escape(english)}(s|es)?(?![\w-])", text, re.I)
        if match and chinese not in text[max(0, match.start() - 40):match.end() + 60]:
            context = text[max(0, match.start() - 30):match.end() + 30].replace("\n", " ")
            missing.append(f"{english} ({chinese}): ...{context}...")
    assert not missing, "first use without the Chinese name:\n" + "\n".join(missing)
