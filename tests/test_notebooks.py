"""Every notebook follows the course's template, and every exercise's solution passes.

(Strict nbval, configured in pyproject.toml, re-runs each notebook and compares outputs;
these tests check what nbval cannot.)
"""

import re

import nbformat
import pytest
from course_run import check_solutions, exercises, run_check

from conftest import NOTEBOOKS

INTERACT = re.compile(r"\binteract(ive_output)?\s*\(|@(widgets\.)?interact\b")


def read(path):
    return nbformat.read(path, as_version=4)


def markdown(notebook) -> str:
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


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
    assert len(exercises(read(path))) >= 4, "at least 4 exercises with checks and solutions"


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
    """Every solution passes its check (see course_run.py; in the full suite this runs in
    nbval's kernel after the notebook's last cell, and this test is left out)."""
    run_check(path, check_solutions)


def glossary() -> dict[str, tuple[str, str]]:
    """English term -> (Chinese, notebook that introduces it), from notebook 00's table:
    one row per notebook, ``| **NN** title | **term** 中文 · **term**, **synonym** 中文 |``
    (the notebook's terms separated by " · "; synonyms share one entry)."""
    cell = next(c.source for c in read(NOTEBOOKS[0]).cells
                if c.cell_type == "markdown" and c.source.startswith("## Glossary"))
    rows = re.findall(r"^\|\s*\*\*(\d\d)\*\*[^|]*\|\s*(.+?)\s*\|$", cell, re.M)
    assert [notebook for notebook, _ in rows] == sorted(n for n, _ in rows), "notebook order"
    terms = []
    for notebook, entries in rows:
        for entry in entries.split(" · "):
            names = re.findall(r"\*\*([^*]+)\*\*", entry)
            chinese = re.sub(r"\*\*[^*]+\*\*,?\s*", "", entry)
            assert names and chinese.strip(), f"not **English** 中文: {entry!r}"
            terms += [(english, re.sub(r"\s*\([^)]*\)", "", chinese).strip(), notebook)
                      for english in names]
    assert len(terms) == len({english for english, _, _ in terms}), "one entry per term"
    return {english: (chinese, notebook) for english, chinese, notebook in terms}


# Glossary words that are also everyday English ("the mean of", "the cost of a grid"):
# their first appearance is often not the technical term, so they are not checked.
EVERYDAY_WORDS = {"mean", "temperature", "class", "cost", "update", "kernel", "unit",
                  "example", "prediction"}


def prose(path) -> str:
    """A notebook's markdown without tables (overviews, the glossary itself)."""
    cells = [c.source for c in read(path).cells if c.cell_type == "markdown"]
    return "\n".join(line for line in "\n".join(cells).splitlines()
                     if not line.lstrip().startswith("|"))


def first_use(term: str, text: str):
    words = r"\s+".join(re.escape(word) for word in term.split())  # across line breaks
    return re.search(rf"(?<![\w-]){words}(s|es)?(?![\w-])", text, re.I)


COURSE_TERMS = {  # every key term that COURSE.md names, with its Chinese name
    "model": "模型", "loss": "损失", "optimisation": "优化", "regression": "回归",
    "classification": "分类", "structured learning": "结构化学习",
    "linear regression": "线性回归", "weight": "权重", "bias": "偏置",
    "error surface": "误差曲面", "sample": "样本", "label": "标签", "feature": "特征",
    "training set": "训练集", "gradient descent": "梯度下降", "learning rate": "学习率",
    "hyperparameter": "超参数", "parameter": "参数", "epoch": "轮", "update": "更新",
    "saddle point": "鞍点", "exponentially weighted average": "指数加权平均",
    "forward propagation": "前向传播", "backward propagation": "反向传播",
    "training": "训练", "model bias": "模型偏差", "piecewise linear curve": "分段线性曲线",
    "ReLU": "线性整流", "activation function": "激活函数", "overfitting": "过拟合",
    "logistic regression": "逻辑回归", "cross-entropy": "交叉熵",
    "computation graph": "计算图", "deep neural network": "深度神经网络",
    "fully connected layer": "全连接层", "dense layer": "全连接层",
    "backpropagation": "反向传播", "hyperparameter tuning": "超参数调试",
    "batch normalisation": "Batch 归一化", "softmax regression": "Softmax 回归",
    "mini-batch": None, "stochastic gradient descent": None, "local minimum": None,
    "test set": None, "sigmoid": None,
}




def test_glossary_covers_every_term_of_the_syllabus():
    terms = glossary()
    assert len(terms) > 50 and terms["learning rate"][0] == "学习率"
    for term, chinese in COURSE_TERMS.items():
        assert term in terms, term
        assert chinese is None or terms[term][0] == chinese, term


def test_glossary_names_the_notebook_that_introduces_each_term():
    """A term's notebook is the first whose prose uses it; a term only in a table (the
    notation table) belongs to that table's notebook; unwritten notebooks are skipped."""
    written = {path.name[:2]: path for path in NOTEBOOKS}
    texts = {number: prose(path) for number, path in written.items()}
    wrong = []
    for english, (_, notebook) in glossary().items():
        if english in EVERYDAY_WORDS:
            continue
        found = next((n for n, text in texts.items() if first_use(english, text)), None)
        if found is not None and found != notebook:
            wrong.append(f"{english}: first used in {found}, glossary says {notebook}")
        elif found is None and notebook in written and not first_use(
                english, markdown(read(written[notebook]))):
            wrong.append(f"{english}: glossary says {notebook}, which never uses it")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_use_of_each_key_term_carries_its_chinese_name(path):
    """Where a glossary term first appears in a notebook's prose, its Chinese is next to it."""
    text = prose(path)
    missing = []
    for english, (chinese, _) in glossary().items():
        match = first_use(english, text)
        if english in EVERYDAY_WORDS or not match:
            continue
        if chinese not in text[max(0, match.start() - 40):match.end() + 60]:
            context = text[max(0, match.start() - 30):match.end() + 30].replace("\n", " ")
            missing.append(f"{english} ({chinese}): ...{context}...")
    assert not missing, "first use without the Chinese name:\n" + "\n".join(missing)


def test_nbval_kernels_start_with_another_processors_arithmetic(monkeypatch):
    """conftest.py starts each strict-nbval kernel with OpenBLAS on an old core's kernels
    and NumPy without AVX2, and puts the environment back once the kernel has started."""
    import os

    import conftest

    seen = {}

    class IPyNbFile:  # nbval's class name
        def setup(self):
            seen.update({name: os.environ.get(name) for name in conftest.OTHER_ARITHMETIC})

    class Item:
        parent = IPyNbFile()

    monkeypatch.setattr(conftest, "_other_arithmetic_applies", lambda: True)
    for name in conftest.OTHER_ARITHMETIC:
        monkeypatch.delenv(name, raising=False)
    conftest.start_kernels_with_other_arithmetic([Item(), Item()])
    Item.parent.setup()
    assert seen == conftest.OTHER_ARITHMETIC
    assert not any(name in os.environ for name in conftest.OTHER_ARITHMETIC)
