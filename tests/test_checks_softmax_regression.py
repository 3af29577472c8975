"""The exercise checks of notebook 08: right answers pass, typical wrong answers get the
specific message written for them, and no check lets a warning through."""

import numpy as np
import pytest

from helpers.checks import (
    check_confusion_matrix,
    check_one_hot,
    check_softmax,
    check_softmax_backward,
    check_softmax_cost,
)

ALL_CHECKS = [check_softmax, check_one_hot, check_softmax_cost, check_softmax_backward,
              check_confusion_matrix]


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_messages_name_no_memory_addresses(check):
    verdict = check(lambda *args: np.zeros((1, 1)))
    assert not verdict.passed and " at 0x" not in verdict.message


def softmax(Z):
    t = np.exp(Z - Z.max(axis=0, keepdims=True))
    return t / t.sum(axis=0, keepdims=True)


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


# --- Exercise 1: softmax ------------------------------------------------------------------


def softmax_loop(Z):
    A = np.zeros_like(Z, dtype=float)
    for i in range(Z.shape[1]):
        z = Z[:, i] - np.max(Z[:, i])
        A[:, i] = np.exp(z) / np.sum(np.exp(z))
    return A


def softmax_logsumexp(Z):
    top = Z.max(axis=0)
    return np.exp(Z - top - np.log(np.exp(Z - top).sum(axis=0)))  # (m,) broadcasts by column


@pytest.mark.parametrize("right", [softmax, softmax_loop, softmax_logsumexp])
def test_softmax_correct(right):
    verdict = check_softmax(right)
    assert verdict.passed, verdict.message
    assert "±1000" in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True), "e^1000 overflows"),
    (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=0), "whole matrix"),
    (lambda Z: (lambda T: T / T.sum(axis=0))(np.exp(Z - Z.min(axis=0))), "each column's min"),
    (lambda Z: (lambda T: T / T.sum(axis=0))(np.exp(Z - Z.mean(axis=0))), "its mean?"),
    (lambda Z: (lambda T: T / T.sum(axis=0))(np.exp(Z - np.median(Z, axis=0))),
     "below each column's max"),
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "*row*"),
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1), "shape error"),
    (lambda Z: np.exp(Z) / np.exp(Z).sum(), "whole matrix"),
    (lambda Z: np.exp(Z), "only the first step"),
    (lambda Z: Z / Z.sum(axis=0), "exponentiates before"),
    (lambda Z: np.exp(Z) / np.exp(Z).max(axis=0), "*sum*, not its largest"),
    (lambda Z: (Z == Z.max(axis=0)).astype(float), "hardmax"),
    (lambda Z: (Z == Z.max(axis=0)) / (Z == Z.max(axis=0)).sum(axis=0), "hardmax"),
    (sigmoid, "logistic regression's output"),
    (lambda Z: softmax(Z).T, "transposed"),
])
def test_softmax_typical_mistakes(wrong, words):
    with np.errstate(all="raise"):  # the check must silence the learner's overflow itself
        verdict = check_softmax(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


def test_softmax_uniform_columns_are_checked():
    def no_uniform(Z):
        A = softmax(Z)
        return np.where(np.ptp(Z, axis=0) == 0, np.eye(Z.shape[0])[:, :1], A)

    verdict = check_softmax(no_uniform)
    assert not verdict.passed and "expected" in verdict.message


# --- Exercise 2: one_hot ------------------------------------------------------------------


def one_hot(labels, C):
    Y = np.zeros((C, labels.size))
    Y[labels, np.arange(labels.size)] = 1
    return Y


@pytest.mark.parametrize("right", [
    one_hot,
    lambda labels, C: np.eye(C)[:, labels],
    lambda labels, C: (np.arange(C)[:, None] == labels[None, :]).astype(float),
    lambda labels, C: (np.arange(C)[:, None] == labels).astype(int),
])
def test_one_hot_correct(right):
    verdict = check_one_hot(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda labels, C: np.eye(C)[labels], "one *row* per example"),
    (lambda labels, C: np.eye(labels.max() + 1)[:, labels], "not labels.max() + 1"),
    (lambda labels, C: np.eye(C)[:, labels - 1], "shifted by one"),
    (lambda labels, C: labels.reshape(1, -1), "labels as one row"),
])
def test_one_hot_typical_mistakes(wrong, words):
    verdict = check_one_hot(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


# --- Exercise 3: the cost -----------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda Y_hat, Y: -np.sum(Y * np.log(Y_hat)) / Y.shape[1],
    lambda Y_hat, Y: -np.mean(np.sum(Y * np.log(Y_hat), axis=0)),
    lambda Y_hat, Y: float(-np.mean(np.log(Y_hat[Y.argmax(axis=0), np.arange(Y.shape[1])]))),
])
def test_softmax_cost_correct(right):
    verdict = check_softmax_cost(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda Y_hat, Y: -np.sum(Y * np.log(Y_hat)), "m times too big"),
    (lambda Y_hat, Y: np.sum(Y * np.log(Y_hat)) / Y.shape[1], "sign is wrong"),
    (lambda Y_hat, Y: -np.mean(Y * np.log(Y_hat)), "all C × m entries"),
    (lambda Y_hat, Y: -np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)) / Y.shape[1],
     "binary cross-entropy"),
    (lambda Y_hat, Y: -np.sum(np.log(Y_hat)) / Y.shape[1], "one-hot y is missing"),
    (lambda Y_hat, Y: -np.sum(Y * np.log10(Y_hat)) / Y.shape[1], "np.log10"),
    (lambda Y_hat, Y: -np.sum(Y * np.log(Y_hat), axis=0), "forget to average"),
])
def test_softmax_cost_typical_mistakes(wrong, words):
    verdict = check_softmax_cost(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


# --- Exercise 4: the gradient ------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda Z, Y: (softmax(Z) - Y) / Z.shape[1],
    lambda Z, Y: (softmax_loop(Z) - Y) / Y.shape[1],
])
def test_softmax_backward_correct(right):
    verdict = check_softmax_backward(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda Z, Y: softmax(Z) - Y, "divide by m"),
    (lambda Z, Y: (Y - softmax(Z)) / Z.shape[1], "sign slip"),
    (lambda Z, Y: (Z - Y) / Z.shape[1], "not Z itself"),
    (lambda Z, Y: (sigmoid(Z) - Y) / Z.shape[1], "logistic regression's dz"),
    (lambda Z, Y: (softmax(Z) - Y) / Z.size, "not by C × m"),
    (lambda Z, Y: (np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True) - Y) / Z.shape[1],
     "normalises the rows"),
    (lambda Z, Y: (np.exp(Z) / np.exp(Z).sum(axis=1) - Y) / Z.shape[1], "shape error"),
    (lambda Z, Y: (softmax(Z) - Y) * softmax(Z) * (1 - softmax(Z)) / Z.shape[1], "ŷ(1 − ŷ)"),
    (lambda Z, Y: ((softmax(Z) - Y) / Z.shape[1]).T, "transposed"),
])
def test_softmax_backward_typical_mistakes(wrong, words):
    verdict = check_softmax_backward(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


# --- Exercise 5: the confusion matrix -----------------------------------------------------


def confusion_loop(y_true, y_pred, C):
    M = np.zeros((C, C), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        M[t, p] += 1
    return M


def confusion_fancy_index(y_true, y_pred, C):
    M = np.zeros((C, C), dtype=int)
    M[y_true, y_pred] += 1          # a repeated (true, predicted) pair adds only 1
    return M


@pytest.mark.parametrize("right", [
    confusion_loop,
    lambda t, p, C: np.array([[np.sum((t == k) & (p == j)) for j in range(C)]
                              for k in range(C)]),
    lambda t, p, C: np.bincount(t * C + p, minlength=C * C).reshape(C, C),
])
def test_confusion_matrix_correct(right):
    verdict = check_confusion_matrix(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda t, p, C: confusion_loop(t, p, C).T, "transposed"),
    (lambda t, p, C: confusion_loop(t, p, C) / len(t), "you divided by m"),
    (lambda t, p, C: confusion_loop(t, p, C) / confusion_loop(t, p, C).sum(axis=1,
                                                                           keepdims=True),
     "divided each row"),
    (lambda t, p, C: confusion_loop(t, p, max(t.max(), p.max()) + 1), "not the largest label"),
    (lambda t, p, C: np.diag(np.bincount(t[t == p], minlength=C)), "Only the diagonal"),
    (confusion_fancy_index, "counted only once"),
])
def test_confusion_matrix_typical_mistakes(wrong, words):
    with np.errstate(invalid="ignore", divide="ignore"):
        verdict = check_confusion_matrix(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message
