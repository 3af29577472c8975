"""The exercise checks of notebook 00: right answers pass, typical wrong answers get
the specific message written for them."""


import numpy as np
import pytest

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
    assert check_task_kinds("REGRESSION", "分类", "Structured").passed


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
    ((4, -2), "swapped"),
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


# --- second edition: more mistakes named, a number in any wrapping accepted -------------


@pytest.mark.parametrize("wrong, words", [
    (lambda X: X.sum(axis=1) / (X.shape[1] - 1), "divided by m - 1"),
    (lambda X: X.sum(axis=1) / X.shape[0], "divided by n, the number of features"),
    (lambda X: np.median(X, axis=1), "median"),
])
def test_feature_means_more_mistakes(wrong, words):
    verdict = check_feature_means(wrong)
    assert not verdict.passed and words in verdict.message


@pytest.mark.parametrize("answer", [
    (np.array([[-2.0]]), np.array([[4.0]])), ([-2], [4]), np.array([[-2.0, 4.0]]),
    [np.float64(-2), 4],
])
def test_line_through_points_accepts_one_element_arrays_and_lists(answer):
    assert check_line_through_points(answer).passed


def test_line_through_points_refuses_a_list_for_one_number():
    verdict = check_line_through_points(([-2, 1], 4))
    assert not verdict.passed and "two numbers" in verdict.message
