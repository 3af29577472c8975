"""The exercise checks of notebook 00: right answers pass, typical wrong answers get
the specific message written for them."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import checks
from helpers.checks import (
    check_feature_means,
    check_line_through_points,
    check_notation_shapes,
    check_task_kinds,
    check_X_shape,
    check_y_shape,
)

# --- Exercise 1: kinds of task --------------------------------------------------------


def test_task_kinds_correct():
    verdict = check_task_kinds("regression", "classification", "structured learning")
    assert verdict.passed
    assert verdict.message.startswith("Correct!")


def test_task_kinds_accepts_chinese_names_and_any_case():
    assert check_task_kinds("回归", " Classification ", "结构化学习").passed
    assert check_task_kinds("REGRESSION", "分类", "structured").passed


def test_task_kinds_not_filled_in():
    verdict = check_task_kinds(..., ..., ...)
    assert not verdict.passed
    assert verdict.message.count("not filled in yet") == 3


@pytest.mark.parametrize("answers, name, words", [
    (("classification", "classification", "structured learning"), "temperature",
     "continuous scale"),
    (("structured learning", "classification", "structured learning"), "temperature",
     "single number"),
    (("regression", "regression", "structured learning"), "go_move", "361"),
    (("regression", "structured learning", "structured learning"), "go_move",
     "single choice"),
    (("regression", "classification", "classification"), "caption", "whole sentence"),
    (("regression", "classification", "regression"), "caption", "not a number"),
])
def test_task_kinds_explains_each_wrong_choice(answers, name, words):
    verdict = check_task_kinds(*answers)
    assert not verdict.passed
    assert f"{name} = " in verdict.message
    assert words in verdict.message
    assert len(verdict.message.splitlines()) == 1  # only the wrong answer is discussed


def test_task_kinds_unknown_word_and_wrong_type():
    verdict = check_task_kinds("regresion", 3, "structured learning")
    assert not verdict.passed
    assert "'regresion' is not one of the three kinds" in verdict.message
    assert "go_move should be a string" in verdict.message


# --- Exercise 2: notation -------------------------------------------------------------


def test_X_shape():
    assert check_X_shape((5, 100)).passed
    assert check_X_shape([5, 100]).passed
    assert check_X_shape(np.zeros((5, 100)).shape).passed
    assert check_X_shape((5, 100)).message == "Correct! X_shape = (5, 100)."


@pytest.mark.parametrize("answer, words", [
    ((100, 5), "one COLUMN per example"),
    ((5,), "single example"),
    ((100,), "shape of y"),
    ((500,), "2-D array"),
    ((3, 3), "Count the features n and the examples m"),
])
def test_X_shape_mistakes(answer, words):
    verdict = check_X_shape(answer)
    assert not verdict.passed
    assert words in verdict.message


@pytest.mark.parametrize("answer, words", [
    (..., "not filled in yet"),
    (None, "not filled in yet"),
    ("5x100", "should be a shape"),
    ((5.0, 100.0), "should be a shape"),
])
def test_X_shape_unusable_answers(answer, words):
    verdict = check_X_shape(answer)
    assert not verdict.passed
    assert words in verdict.message


def test_y_shape():
    assert check_y_shape((100,)).passed
    assert check_y_shape(100).passed


def test_notation_shapes_combines_both_answers():
    verdict = check_notation_shapes((5, 100), (100,))
    assert verdict.passed and verdict.message.startswith("Correct! X_shape = (5, 100)")
    verdict = check_notation_shapes(..., ...)
    assert not verdict.passed
    assert verdict.message.splitlines() == [
        "X_shape is not filled in yet: replace the ... with a shape such as (3, 7).",
        "y_shape is not filled in yet: replace the ... with a shape such as (3, 7)."]
    verdict = check_notation_shapes((100, 5), (100,))
    assert not verdict.passed
    assert "one COLUMN per example" in verdict.message and "y_shape" not in verdict.message
    for answer, words in [((1, 100), "1-D array of shape (m,)"),
                          ((100, 1), "other libraries' layout"),
                          ((5, 100), "shape of X"),
                          ((5,), "per *example*")]:
        verdict = check_y_shape(answer)
        assert not verdict.passed and words in verdict.message, answer


# --- Exercise 3: feature_means --------------------------------------------------------


def test_feature_means_correct():
    verdict = check_feature_means(lambda X: np.mean(X, axis=1))
    assert verdict.passed
    assert "passed all 3 test cases" in verdict.message
    assert check_feature_means(lambda X: X.sum(axis=1) / X.shape[1]).passed


def test_feature_means_not_implemented():
    def feature_means(X):
        raise NotImplementedError

    verdict = check_feature_means(feature_means)
    assert not verdict.passed
    assert "not implemented yet" in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda X: np.mean(X, axis=0), "mean of each *example*"),
    (lambda X: X.T.mean(axis=1), "mean of each *example*"),
    (lambda X: np.mean(X), "one mean over all the numbers"),
    (lambda X: np.mean(X, axis=1, keepdims=True), "keepdims=True"),
    (lambda X: np.sum(X, axis=1), "*sum* of each feature"),
])
def test_feature_means_typical_mistakes(wrong, words):
    verdict = check_feature_means(wrong)
    assert not verdict.passed
    assert words in verdict.message
    assert verdict.message.count(words) == 1


def test_feature_means_other_wrong_answers():
    verdict = check_feature_means(lambda X: np.median(X, axis=1))
    assert not verdict.passed and "expected" in verdict.message

    verdict = check_feature_means(lambda X: None)
    assert not verdict.passed and "forget the `return`" in verdict.message

    def changes_its_input(X):
        X[:] = 0  # spoiling the input must not spoil the checker's cases
        return X.mean(axis=1)

    assert not check_feature_means(changes_its_input).passed
    assert check_feature_means(lambda X: np.mean(X, axis=1)).passed


# --- Exercise 4: a line through two points --------------------------------------------


def test_line_through_points():
    verdict = check_line_through_points((-2, 4))
    assert verdict.passed
    assert "(1, 2) and (3, -2)" in verdict.message
    # what a slider with step 0.1 actually gives
    assert check_line_through_points((-2.0000000000000004, 4.000000000000001)).passed


@pytest.mark.parametrize("answer, words", [
    (..., "not filled in yet"),
    ((2, 0), "slope w is negative"),
    ((-0.5, 2.5), "rise over run"),
    ((-2, 3), "now choose b"),
    ((1, 1), "Move the sliders"),
    ("ab", "two numbers"),
    ((1, 2, 3), "two numbers"),
])
def test_line_through_points_mistakes(answer, words):
    verdict = check_line_through_points(answer)
    assert not verdict.passed
    assert words in verdict.message


# --- the notebook's exercises: every folded solution makes its check pass ---------------

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "00_welcome.ipynb"
SOLUTION = re.compile(r"^<details><summary>Solution</summary>\n\n```python\n(.*?)\n```\n\n"
                      r"</details>$", re.DOTALL)


def _exercises():
    """(title, stub, check, solution) for each exercise of notebook 00."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    found = []
    for i, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.startswith("### Exercise"):
            stub, check, solution = ("".join(c["source"]) for c in cells[i + 1:i + 4])
            assert [c["cell_type"] for c in cells[i + 1:i + 4]] == ["code", "code", "markdown"]
            match = SOLUTION.match(solution)
            assert match, f"{text.splitlines()[0]}: the solution cell has the wrong form"
            found.append((text.splitlines()[0], stub, check, match.group(1)))
    return found


def test_notebook_has_at_least_three_exercises():
    titles = [title for title, *_ in _exercises()]
    assert len(titles) >= 3
    assert titles == [f"### Exercise {k}: {t.split(': ', 1)[1]}"
                      for k, t in enumerate(titles, start=1)]


@pytest.mark.parametrize("title, stub, check, solution", _exercises())
def test_stub_fails_and_solution_passes(title, stub, check, solution):
    namespace = {"np": np, "checks": checks}
    exec(stub, namespace)
    assert not eval(check, namespace).passed, title
    exec(solution, namespace)
    verdict = eval(check, namespace)
    assert verdict.passed, f"{title}: {verdict.message}"


# --- the notebook's glossary -------------------------------------------------------------

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


def _glossary() -> dict[str, tuple[str, str]]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    texts = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    (text,) = [t for t in texts if t.startswith("## Glossary 术语表\n")]
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert lines[0] == "| English | 中文 | notebook |"
    rows = [[part.strip() for part in line.strip("|").split("|")] for line in lines[2:]]
    assert all(len(row) == 3 for row in rows)
    english = [row[0] for row in rows]
    assert len(english) == len(set(english)), "one row per term"
    return {en: (zh, notebook) for en, zh, notebook in rows}


def test_glossary_covers_every_course_term():
    glossary = _glossary()
    for term, chinese in COURSE_TERMS.items():
        assert term in glossary, term
        if chinese is not None:
            assert glossary[term][0] == chinese, term
    assert all(re.fullmatch(r"0[0-8]", notebook) for _, notebook in glossary.values())
