"""The exercise checks of notebook 07: right answers pass, typical wrong answers get the
specific message written for them."""

import numpy as np
import pytest

from helpers import layers
from helpers.checks import (
    check_batch_norm_eval_forward,
    check_batch_norm_forward,
    check_batch_norm_param_backward,
    check_identity_gamma_beta,
    check_update_running,
)

ALL_CHECKS = [check_batch_norm_forward, check_identity_gamma_beta,
              check_batch_norm_param_backward, check_update_running,
              check_batch_norm_eval_forward]


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_messages_name_no_memory_addresses(check):
    verdict = check(lambda *args: np.zeros((1, 1)))
    assert not verdict.passed and " at 0x" not in verdict.message


# --- Exercise 1: batch_norm_forward -------------------------------------------------------


def forward(Z, gamma, beta, epsilon):
    mu = Z.mean(axis=1, keepdims=True)
    var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
    return gamma * (Z - mu) / np.sqrt(var + epsilon) + beta


def forward_with_the_layer(Z, gamma, beta, epsilon):
    bn = layers.BatchNorm(Z.shape[0], epsilon=epsilon)
    bn.gamma[...], bn.beta[...] = gamma, beta
    return bn.forward(Z)


@pytest.mark.parametrize("right", [
    forward,
    lambda Z, g, b, e: g * (Z - Z.mean(1, keepdims=True)) / np.sqrt(Z.var(1, keepdims=True)
                                                                     + e) + b,
    lambda Z, g, b, e: (g.T * (Z.T - Z.T.mean(0)) / np.sqrt(Z.T.var(0) + e) + b.T).T,
    forward_with_the_layer,
])
def test_batch_norm_forward_correct(right):
    verdict = check_batch_norm_forward(right)
    assert verdict.passed, verdict.message
    assert "passed all 6 test cases" in verdict.message


def mean_var(Z, axis=1, ddof=0):
    return Z.mean(axis=axis, keepdims=True), Z.var(axis=axis, keepdims=True, ddof=ddof)


@pytest.mark.parametrize("wrong, words", [
    (lambda Z, g, b, e: g * (Z - mean_var(Z)[0]) / (np.sqrt(mean_var(Z)[1]) + e) + b,
     "*inside* the square root"),
    (lambda Z, g, b, e: g * (Z - mean_var(Z, 0)[0]) / np.sqrt(mean_var(Z, 0)[1] + e) + b,
     "wrong axis"),
    (lambda Z, g, b, e: g * (Z - Z.mean(axis=1)) / np.sqrt(Z.var(axis=1) + e) + b,
     "keepdims=True"),
    (lambda Z, g, b, e: g * (Z - mean_var(Z)[0]) / np.sqrt(mean_var(Z, ddof=1)[1] + e) + b,
     "1/(m − 1)"),
    (lambda Z, g, b, e: (Z - mean_var(Z)[0]) / np.sqrt(mean_var(Z)[1] + e), "is missing"),
    (lambda Z, g, b, e: b * (Z - mean_var(Z)[0]) / np.sqrt(mean_var(Z)[1] + e) + g,
     "swapped"),
    (lambda Z, g, b, e: g * (Z - mean_var(Z)[0]) / (mean_var(Z)[1] + e) + b,
     "square root is missing"),
    (lambda Z, g, b, e: g * Z / np.sqrt(mean_var(Z)[1] + e) + b, "Subtract the mean"),
])
def test_batch_norm_forward_typical_mistakes(wrong, words):
    verdict = check_batch_norm_forward(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


def test_batch_norm_forward_wrong_shape_and_transpose():
    verdict = check_batch_norm_forward(lambda Z, g, b, e: forward(Z, g, b, e).T)
    assert not verdict.passed and "transposed" in verdict.message, verdict.message
    verdict = check_batch_norm_forward(lambda Z, g, b, e: forward(Z, g, b, e).mean())
    assert not verdict.passed and "wrong shape" in verdict.message


def test_batch_norm_forward_leaves_its_input_alone():
    """A learner who normalises Z in place still gets a correct verdict on the values."""
    def in_place(Z, gamma, beta, epsilon):
        Z -= Z.mean(axis=1, keepdims=True)
        Z /= np.sqrt((Z ** 2).mean(axis=1, keepdims=True) + epsilon)
        return gamma * Z + beta

    assert check_batch_norm_forward(in_place).passed


# --- Exercise 2: identity_gamma_beta --------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda Z, e: (np.sqrt(Z.var(axis=1, keepdims=True) + e), Z.mean(axis=1, keepdims=True)),
    lambda Z, e: (np.sqrt(((Z - Z.mean(1)[:, None]) ** 2).mean(1) + e)[:, None],
                  Z.mean(1).reshape(-1, 1)),
])
def test_identity_gamma_beta_correct(right):
    verdict = check_identity_gamma_beta(right)
    assert verdict.passed, verdict.message


def test_identity_gamma_beta_really_gives_z_back():
    Z = np.random.default_rng(0).normal(3.0, 2.0, size=(4, 9))
    gamma = np.sqrt(Z.var(axis=1, keepdims=True) + 0.1)
    beta = Z.mean(axis=1, keepdims=True)
    np.testing.assert_allclose(forward(Z, gamma, beta, 0.1), Z, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("wrong, words", [
    (lambda Z, e: (np.sqrt(mean_var(Z)[1]), mean_var(Z)[0]), "ε included"),
    (lambda Z, e: (mean_var(Z)[1] + e, mean_var(Z)[0]), "not the variance"),
    (lambda Z, e: (mean_var(Z)[0], np.sqrt(mean_var(Z)[1] + e)), "swapped"),
    (lambda Z, e: (np.sqrt(mean_var(Z)[1] + e), -mean_var(Z)[0]), "*add back*"),
    (lambda Z, e: (1 / np.sqrt(mean_var(Z)[1] + e), mean_var(Z)[0]), "divide a second"),
    (lambda Z, e: (np.sqrt(mean_var(Z, ddof=1)[1] + e), mean_var(Z)[0]), "1/(m − 1)"),
    (lambda Z, e: (np.sqrt(mean_var(Z, 0)[1] + e), mean_var(Z, 0)[0]), "axis=1, not axis=0"),
])
def test_identity_gamma_beta_typical_mistakes(wrong, words):
    verdict = check_identity_gamma_beta(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


def test_identity_gamma_beta_must_return_two_values_of_shape_n_1():
    verdict = check_identity_gamma_beta(lambda Z, e: np.sqrt(Z.var(axis=1) + e))
    assert not verdict.passed and "return gamma, beta" in verdict.message
    verdict = check_identity_gamma_beta(lambda Z, e: (np.sqrt(Z.var(axis=1) + e),
                                                      Z.mean(axis=1)))
    assert not verdict.passed and "wrong shape" in verdict.message


# --- Exercise 3: batch_norm_param_backward ---------------------------------------------------


def param_backward(d, Zn):
    return (d * Zn).sum(axis=1, keepdims=True), d.sum(axis=1, keepdims=True)


def param_backward_with_the_layer(dZ_tilde, Z_norm):
    """The library's BatchNorm, fed the normalised batch itself: it normalises Z_norm to
    itself up to ε, and its kept Z_norm is then set to exactly the one given."""
    bn = layers.BatchNorm(Z_norm.shape[0])
    bn.forward(Z_norm)
    bn.Z_norm = Z_norm
    bn.backward(dZ_tilde)
    return bn.dgamma, bn.dbeta


@pytest.mark.parametrize("right", [
    param_backward,
    lambda d, Zn: (np.einsum("nm,nm->n", d, Zn)[:, None], d @ np.ones((d.shape[1], 1))),
    param_backward_with_the_layer,
])
def test_param_backward_correct(right):
    verdict = check_batch_norm_param_backward(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda d, Zn: ((d * Zn).sum(axis=0, keepdims=True), d.sum(axis=0, keepdims=True)),
     "axis=1, not axis=0"),
    (lambda d, Zn: ((d * Zn).sum(axis=1), d.sum(axis=1)), "keepdims=True"),
    (lambda d, Zn: (d.sum(axis=1, keepdims=True), d.sum(axis=1, keepdims=True)),
     "left out z_norm"),
    (lambda d, Zn: ((d * Zn).mean(axis=1, keepdims=True), d.mean(axis=1, keepdims=True)),
     "don't average"),
    (lambda d, Zn: param_backward(d, Zn)[::-1], "swapped"),
    (lambda d, Zn: (d.sum(1, keepdims=True) * Zn.sum(1, keepdims=True),
                    d.sum(1, keepdims=True)), "multiplies the sums"),
    (lambda d, Zn: tuple(-g for g in param_backward(d, Zn)), "sign slip"),
])
def test_param_backward_typical_mistakes(wrong, words):
    verdict = check_batch_norm_param_backward(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


def test_param_backward_only_one_part_wrong_says_which():
    verdict = check_batch_norm_param_backward(
        lambda d, Zn: ((d * Zn).sum(axis=1, keepdims=True), d.sum(axis=0, keepdims=True)))
    assert not verdict.passed and "dbeta" in verdict.message


# --- Exercise 4: update_running --------------------------------------------------------------


@pytest.mark.parametrize("right", [
    lambda r, v, mo: mo * r + (1 - mo) * v,
    lambda r, v, mo: r + (1 - mo) * (v - r),   # the same, written as a step towards v
])
def test_update_running_correct(right):
    verdict = check_update_running(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda r, v, mo: (1 - mo) * r + mo * v, "weight of the *old* average"),
    (lambda r, v, mo: mo * r + v, "weight is 1 − momentum"),
    (lambda r, v, mo: (1 - mo) * v, "must be kept"),
    (lambda r, v, mo: v, "batch value alone"),
    (lambda r, v, mo: (r + v) / 2, "equal weights"),
])
def test_update_running_typical_mistakes(wrong, words):
    verdict = check_update_running(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


# --- Exercise 5: batch_norm_eval_forward -----------------------------------------------------


def eval_forward(Z, gamma, beta, running_mean, running_var, epsilon):
    return gamma * (Z - running_mean) / np.sqrt(running_var + epsilon) + beta


def eval_forward_with_the_layer(Z, gamma, beta, running_mean, running_var, epsilon):
    bn = layers.BatchNorm(Z.shape[0], epsilon=epsilon)
    bn.gamma[...], bn.beta[...] = gamma, beta
    bn.running_mean, bn.running_var = running_mean.copy(), running_var.copy()
    bn.training = False
    return bn.forward(Z)


@pytest.mark.parametrize("right", [
    eval_forward,
    lambda Z, g, b, rm, rv, e: g / np.sqrt(rv + e) * Z + (b - g * rm / np.sqrt(rv + e)),
    lambda Z, g, b, rm, rv, e: (g.T * (Z.T - rm.T) / (rv.T + e) ** 0.5 + b.T).T,
    eval_forward_with_the_layer,
])
def test_batch_norm_eval_forward_correct(right):
    verdict = check_batch_norm_eval_forward(right)
    assert verdict.passed, verdict.message
    assert "passed all 5 test cases" in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda Z, g, b, rm, rv, e: forward(Z, g, b, e), "test batch's own μ and σ²"),
    (lambda Z, g, b, rm, rv, e: g * (Z - mean_var(Z)[0]) / np.sqrt(mean_var(Z, ddof=1)[1] + e)
     + b, "1/(m − 1)"),
    (lambda Z, g, b, rm, rv, e: eval_forward(Z, g, b, rm, rv * Z.shape[1] / (Z.shape[1] - 1),
                                             e), "m/(m − 1)"),
    (lambda Z, g, b, rm, rv, e: g * (Z - rm) / np.sqrt(rv) + b, "ε is missing"),
    (lambda Z, g, b, rm, rv, e: g * (Z - rm) / (np.sqrt(rv) + e) + b, "*inside* the square"),
    (lambda Z, g, b, rm, rv, e: g * (Z - rm) / (rv + e) + b, "square root is missing"),
    (lambda Z, g, b, rm, rv, e: eval_forward(Z, b, g, rm, rv, e), "γ and β are swapped"),
    (lambda Z, g, b, rm, rv, e: eval_forward(Z, g, b, rv, rm, e),
     "running_mean and running_var are swapped"),
    (lambda Z, g, b, rm, rv, e: (Z - rm) / np.sqrt(rv + e), "is missing"),
    (lambda Z, g, b, rm, rv, e: g * Z / np.sqrt(rv + e) + b, "Subtract the running mean"),
])
def test_batch_norm_eval_forward_typical_mistakes(wrong, words):
    verdict = check_batch_norm_eval_forward(wrong)
    assert not verdict.passed
    assert words in verdict.message, verdict.message


def test_batch_norm_eval_forward_handles_a_batch_of_one():
    """A function that only works for batches of several examples fails on the single
    examples (the case evaluation mode exists for), without crashing the check."""
    def needs_a_batch(Z, g, b, rm, rv, e):
        if Z.shape[1] < 2:
            raise ValueError("one example")
        return eval_forward(Z, g, b, rm, rv, e)

    verdict = check_batch_norm_eval_forward(needs_a_batch)
    assert not verdict.passed and "one example" in verdict.message, verdict.message
