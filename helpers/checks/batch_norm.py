"""Checks for the exercises of notebook 07, batch normalisation (Batch 归一化).

The course's conventions hold throughout: Z has shape (n, m), one column per example, so
the batch statistics of unit i are taken along its row (``axis=1``); the variance is the
biased one, σ² = (1/m) Σ (z − μ)²; ε goes *inside* the square root; γ and β have shape
(n, 1). The running averages follow the layer library: running ← momentum · running +
(1 − momentum) · batch value (``momentum`` is the weight of the old average).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.checks.engine import Mistake, Verdict, check_function, exercise_check, read_only

__all__ = ["check_batch_norm_forward", "check_identity_gamma_beta",
           "check_batch_norm_param_backward", "check_update_running",
           "check_batch_norm_eval_forward"]

_RNG = np.random.default_rng(2507)  # fixed cases, the same for every learner


def _z(n: int, m: int, spread: float = 1.0) -> np.ndarray:
    """Pre-activations whose units have different means and spreads, (n, m)."""
    centres = _RNG.normal(0.0, 3.0, size=(n, 1))
    scales = spread * _RNG.uniform(0.5, 2.0, size=(n, 1))
    return centres + scales * _RNG.normal(size=(n, m))


def _stats(Z, ddof: int = 0):
    mu = Z.mean(axis=1, keepdims=True)                               # (n, 1)
    var = ((Z - mu) ** 2).sum(axis=1, keepdims=True) / (Z.shape[1] - ddof)
    return mu, var


# --- Exercise 1: the forward pass -------------------------------------------------------


def _forward(Z, gamma, beta, epsilon):
    mu, var = _stats(Z)
    return gamma * (Z - mu) / np.sqrt(var + epsilon) + beta


def _forward_case(n: int, m: int, epsilon: float, spread: float = 1.0):
    return (_z(n, m, spread), _RNG.uniform(0.5, 2.0, size=(n, 1)),
            _RNG.normal(size=(n, 1)), epsilon)


# Square Z first (n = m): then the wrong axis and a forgotten keepdims still run, and can
# be recognised. A large ε on a small spread makes an ε outside the root visible.
_SQUARE_FORWARD = read_only([_forward_case(4, 4, 1e-3), _forward_case(3, 3, 0.5, spread=0.3),
                             _forward_case(5, 5, 0.1)])
_OTHER_FORWARD = read_only([_forward_case(3, 8, 1e-3), _forward_case(2, 6, 0.5, spread=0.3),
                            _forward_case(6, 2, 1e-3)])


def _rows(Z, axis):
    """Statistics along ``axis`` without keepdims, as a learner might write them."""
    mu = Z.mean(axis=axis)
    return mu, ((Z - mu) ** 2).mean(axis=axis)


_KEEPDIMS = ("μ and σ² need keepdims=True: Z.mean(axis=1) has shape (n,), and (n, m) − (n,) "
             "lines it up with the *columns*, not the rows (with n = m it runs, silently "
             "wrong). Use Z.mean(axis=1, keepdims=True), shape (n, 1).")

_FORWARD_MISTAKES = [
    Mistake("ε goes *inside* the square root: z_norm = (z − μ) / √(σ² + ε). Outside it, "
            "(z − μ) / (√σ² + ε), a unit whose z hardly varies still gets blown up.",
            lambda Z, g, b, e: g * (Z - _stats(Z)[0]) / (np.sqrt(_stats(Z)[1]) + e) + b),
    Mistake("You normalised over the wrong axis: each *unit* (a row of Z) is normalised "
            "over the *examples* of the batch (its columns), so μ and σ² are taken with "
            "axis=1, not axis=0.",
            lambda Z, g, b, e: g * (Z - Z.mean(axis=0, keepdims=True))
            / np.sqrt(Z.var(axis=0, keepdims=True) + e) + b),
    *[Mistake(_KEEPDIMS, compute) for compute in (
        lambda Z, g, b, e: g * (Z - _rows(Z, 1)[0]) / np.sqrt(_rows(Z, 1)[1] + e) + b,
        lambda Z, g, b, e: g * (Z - Z.mean(axis=1)) / np.sqrt(Z.var(axis=1) + e) + b)],
    Mistake("It looks transposed: z̃ has the shape of Z, (n, m), one row per unit.",
            lambda Z, g, b, e: _forward(Z, g, b, e).T),
    Mistake("The variance of batch normalisation is the plain mean of the squared "
            "deviations, (1/m) Σ (z − μ)², not the 'unbiased' 1/(m − 1) version "
            "(np.var's default ddof=0 is right; ddof=1 is not).",
            lambda Z, g, b, e: g * (Z - _stats(Z)[0]) / np.sqrt(_stats(Z, 1)[1] + e) + b),
    Mistake("That is z_norm, with mean 0 and variance 1: the last step, z̃ = γ·z_norm + β, "
            "is missing.",
            lambda Z, g, b, e: (Z - _stats(Z)[0]) / np.sqrt(_stats(Z)[1] + e)),
    Mistake("γ and β are swapped: γ multiplies (it sets the spread), β is added (it sets "
            "the mean): z̃ = γ·z_norm + β.",
            lambda Z, g, b, e: b * (Z - _stats(Z)[0]) / np.sqrt(_stats(Z)[1] + e) + g),
    Mistake("Divide by the standard deviation √(σ² + ε), not by the variance σ² + ε: "
            "the square root is missing.",
            lambda Z, g, b, e: g * (Z - _stats(Z)[0]) / (_stats(Z)[1] + e) + b),
    Mistake("Subtract the mean first: z_norm = (z − μ) / √(σ² + ε). Dividing z itself "
            "leaves each unit's mean in place.",
            lambda Z, g, b, e: g * Z / np.sqrt(_stats(Z)[1] + e) + b),
]


@exercise_check
def check_batch_norm_forward(fn: Callable) -> Verdict:
    """``fn(Z, gamma, beta, epsilon)`` must return z̃ = γ (z − μ)/√(σ² + ε) + β, shape
    (n, m), with μ and σ² (1/m) of each unit (row) over the examples (columns)."""
    verdict = check_function(fn, _forward, _SQUARE_FORWARD, mistakes=_FORWARD_MISTAKES,
                             name="batch_norm_forward")
    if not verdict:
        return verdict
    return check_function(fn, _forward, _SQUARE_FORWARD + _OTHER_FORWARD,
                          mistakes=_FORWARD_MISTAKES, name="batch_norm_forward")


# --- Exercise 2: the γ and β that undo the normalisation --------------------------------


def _identity(Z, epsilon):
    mu, var = _stats(Z)
    return np.sqrt(var + epsilon), mu


_IDENTITY_CASES = read_only([(_z(4, 4), 1e-3), (_z(3, 3, 0.3), 0.5), (_z(3, 7), 1e-3),
                             (_z(5, 3, 0.5), 0.2)])

_IDENTITY_MISTAKES = [
    Mistake("γ must undo the division by √(σ² + ε), ε included: γ = √(σ² + ε). Without ε, "
            "z̃ comes back slightly too small.",
            lambda Z, e: (np.sqrt(_stats(Z)[1]), _stats(Z)[0])),
    Mistake("γ is a standard deviation, √(σ² + ε), not the variance σ² + ε.",
            lambda Z, e: (_stats(Z)[1] + e, _stats(Z)[0])),
    Mistake("γ and β are swapped: γ = √(σ² + ε) multiplies z_norm back to z's spread, "
            "β = μ adds z's mean back.",
            lambda Z, e: (_stats(Z)[0], np.sqrt(_stats(Z)[1] + e))),
    Mistake("β must *add back* the mean that normalising subtracted: β = +μ.",
            lambda Z, e: (np.sqrt(_stats(Z)[1] + e), -_stats(Z)[0])),
    Mistake("γ multiplies z_norm, so it must be the standard deviation √(σ² + ε) itself, "
            "not 1/√(σ² + ε) (that would divide a second time).",
            lambda Z, e: (1 / np.sqrt(_stats(Z)[1] + e), _stats(Z)[0])),
    Mistake("Use the plain variance (1/m) Σ (z − μ)², the one normalising used, not the "
            "1/(m − 1) version.",
            lambda Z, e: (np.sqrt(_stats(Z, 1)[1] + e), _stats(Z)[0])),
    Mistake("One γ and one β per *unit* (row), from that unit's mean and variance over "
            "the examples: axis=1, not axis=0.",
            lambda Z, e: (np.sqrt(Z.var(axis=0, keepdims=True) + e),
                          Z.mean(axis=0, keepdims=True))),
]


@exercise_check
def check_identity_gamma_beta(fn: Callable) -> Verdict:
    """``fn(Z, epsilon)`` must return ``(gamma, beta)``, both (n, 1), for which batch
    normalisation gives Z back: γ = √(σ² + ε), β = μ."""
    return check_function(fn, _identity, _IDENTITY_CASES, mistakes=_IDENTITY_MISTAKES,
                          outputs=("gamma", "beta"), name="identity_gamma_beta")


# --- Exercise 3: dγ and dβ --------------------------------------------------------------


def _param_backward(dZ_tilde, Z_norm):
    return ((dZ_tilde * Z_norm).sum(axis=1, keepdims=True),
            dZ_tilde.sum(axis=1, keepdims=True))


def _backward_case(n: int, m: int):
    Z = _z(n, m)
    mu, var = _stats(Z)
    return _RNG.normal(size=(n, m)) / m, (Z - mu) / np.sqrt(var + 1e-5)


_SQUARE_BACKWARD = read_only([_backward_case(3, 3), _backward_case(4, 4)])
_OTHER_BACKWARD = read_only([_backward_case(2, 5), _backward_case(4, 3), _backward_case(1, 6)])

_PARAM_MISTAKES = [
    Mistake("γ and β are one number per *unit*, so their gradients sum over the examples "
            "(the columns): axis=1, not axis=0.",
            lambda d, Zn: ((d * Zn).sum(axis=0, keepdims=True), d.sum(axis=0, keepdims=True))),
    Mistake("dγ and dβ must have the shapes of γ and β, (n, 1): add keepdims=True.",
            lambda d, Zn: ((d * Zn).sum(axis=1), d.sum(axis=1))),
    Mistake("z̃ = γ·z_norm + β, so ∂z̃/∂γ = z_norm: dγ = Σ dz̃ ⊙ z_norm. You left out "
            "z_norm (that is dβ).",
            lambda d, Zn: (d.sum(axis=1, keepdims=True), d.sum(axis=1, keepdims=True))),
    Mistake("dz̃ already holds the 1/m of the cost (the loss's backward put it there): "
            "sum over the examples, don't average.",
            lambda d, Zn: ((d * Zn).mean(axis=1, keepdims=True),
                           d.mean(axis=1, keepdims=True))),
    Mistake("dγ and dβ are swapped: β is added (∂z̃/∂β = 1, dβ = Σ dz̃), γ multiplies "
            "z_norm (dγ = Σ dz̃ ⊙ z_norm).",
            lambda d, Zn: (d.sum(axis=1, keepdims=True), (d * Zn).sum(axis=1, keepdims=True))),
    Mistake("Sum the products dz̃ ⊙ z_norm: (Σ dz̃)·(Σ z_norm) multiplies the sums, and "
            "Σ z_norm is 0.",
            lambda d, Zn: (d.sum(axis=1, keepdims=True) * Zn.sum(axis=1, keepdims=True),
                           d.sum(axis=1, keepdims=True))),
    Mistake("A sign slip: dγ = +Σ dz̃ ⊙ z_norm and dβ = +Σ dz̃ (the minus belongs to the "
            "update, γ ← γ − lr·dγ).",
            lambda d, Zn: (-(d * Zn).sum(axis=1, keepdims=True),
                           -d.sum(axis=1, keepdims=True))),
]


@exercise_check
def check_batch_norm_param_backward(fn: Callable) -> Verdict:
    """``fn(dZ_tilde, Z_norm)`` must return ``(dgamma, dbeta)``, both (n, 1):
    dγ = Σ_examples dz̃ ⊙ z_norm, dβ = Σ_examples dz̃."""
    outputs = ("dgamma", "dbeta")
    verdict = check_function(fn, _param_backward, _SQUARE_BACKWARD, mistakes=_PARAM_MISTAKES,
                             outputs=outputs, name="batch_norm_param_backward")
    if not verdict:
        return verdict
    return check_function(fn, _param_backward, _SQUARE_BACKWARD + _OTHER_BACKWARD,
                          mistakes=_PARAM_MISTAKES, outputs=outputs,
                          name="batch_norm_param_backward")


# --- Exercise 4: one step of the running average ----------------------------------------


def _update_running(running, batch_value, momentum):
    return momentum * running + (1 - momentum) * batch_value


_RUNNING_CASES = read_only([(np.zeros((3, 1)), _RNG.normal(size=(3, 1)), 0.9),
                            (_RNG.normal(size=(4, 1)), _RNG.normal(size=(4, 1)), 0.9),
                            (np.ones((2, 1)), _RNG.uniform(0.5, 3.0, size=(2, 1)), 0.75),
                            (_RNG.normal(size=(3, 1)), _RNG.normal(size=(3, 1)), 0.99)])

_RUNNING_MISTAKES = [
    Mistake("The momentum is the weight of the *old* average: running ← momentum·running "
            "+ (1 − momentum)·batch value. You gave it to the new batch value.",
            lambda r, v, mo: (1 - mo) * r + mo * v),
    Mistake("The new value's weight is 1 − momentum: the two weights add up to 1, so the "
            "average stays on the scale of the values.",
            lambda r, v, mo: mo * r + v),
    Mistake("The old average must be kept with the weight momentum: running ← "
            "momentum·running + (1 − momentum)·batch value.",
            lambda r, v, mo: (1 - mo) * v),
    Mistake("That is the batch value alone: the running average must remember the "
            "earlier batches (momentum·running).", lambda r, v, mo: v),
    Mistake("Averaging the two with equal weights ignores the momentum: running ← "
            "momentum·running + (1 − momentum)·batch value.",
            lambda r, v, mo: (r + v) / 2),
]


@exercise_check
def check_update_running(fn: Callable) -> Verdict:
    """``fn(running, batch_value, momentum)`` must return momentum·running +
    (1 − momentum)·batch_value (the layer library's convention)."""
    return check_function(fn, _update_running, _RUNNING_CASES, mistakes=_RUNNING_MISTAKES,
                          name="update_running")


# --- Exercise 5: the forward pass in evaluation mode ------------------------------------


def _eval_forward(Z, gamma, beta, running_mean, running_var, epsilon):
    return gamma * (Z - running_mean) / np.sqrt(running_var + epsilon) + beta


def _eval_case(n: int, m: int, epsilon: float, mean_low: float = -4.0):
    """A test batch whose own statistics are far from the running averages, and running
    variances small enough next to ε that a forgotten ε shows."""
    Z = _z(n, m)
    return (Z, _RNG.uniform(0.5, 2.0, size=(n, 1)), _RNG.normal(size=(n, 1)),
            _RNG.uniform(mean_low, 4.0, size=(n, 1)), _RNG.uniform(0.2, 3.0, size=(n, 1)),
            epsilon)


# Batches of several examples first (then the batch's own statistics can be recognised;
# positive running means, so that swapping them with the variances stays finite), then
# single examples: the case evaluation mode exists for.
_EVAL_BATCHES = read_only([_eval_case(3, 5, 0.1, 0.5), _eval_case(4, 6, 1e-3, 0.5),
                           _eval_case(2, 8, 0.5, 0.5)])
_EVAL_SINGLE = read_only([_eval_case(3, 1, 0.1), _eval_case(5, 1, 1e-5)])

_TEST_BATCH = ("At test time the layer must not use the test batch's own μ and σ²: "
               "normalise with the running averages, (z − running_mean) / "
               "√(running_var + ε). The batch's statistics make an example's answer depend "
               "on the other examples in its batch, and with one example z − μ = 0.")

_EVAL_MISTAKES = [
    Mistake(_TEST_BATCH, lambda Z, g, b, rm, rv, e: _forward(Z, g, b, e)),
    Mistake(_TEST_BATCH + " (And the variance would be the 1/m one, not 1/(m − 1).)",
            lambda Z, g, b, rm, rv, e: g * (Z - _stats(Z)[0])
            / np.sqrt(_stats(Z, 1)[1] + e) + b),
    Mistake("running_var is already the variance to divide by: do not turn it into an "
            "'unbiased' one with m/(m − 1) (the course averages the 1/m batch variance; "
            "PyTorch's running_var is unbiased, but that is a different layer).",
            lambda Z, g, b, rm, rv, e: g * (Z - rm)
            / np.sqrt(rv * Z.shape[1] / max(Z.shape[1] - 1, 1) + e) + b),
    Mistake("ε is missing: divide by √(running_var + ε), with the same ε as in training.",
            lambda Z, g, b, rm, rv, e: g * (Z - rm) / np.sqrt(rv) + b),
    Mistake("ε goes *inside* the square root: √(running_var + ε), not √running_var + ε.",
            lambda Z, g, b, rm, rv, e: g * (Z - rm) / (np.sqrt(rv) + e) + b),
    Mistake("Divide by the standard deviation √(running_var + ε), not by the variance "
            "running_var + ε: the square root is missing.",
            lambda Z, g, b, rm, rv, e: g * (Z - rm) / (rv + e) + b),
    Mistake("γ and β are swapped: γ multiplies (it sets the spread), β is added (it sets "
            "the mean): z̃ = γ·z_norm + β.",
            lambda Z, g, b, rm, rv, e: b * (Z - rm) / np.sqrt(rv + e) + g),
    Mistake("running_mean and running_var are swapped: subtract the running *mean*, "
            "divide by the root of the running *variance*.",
            lambda Z, g, b, rm, rv, e: g * (Z - rv) / np.sqrt(rm + e) + b),
    Mistake("That is z_norm: the last step, z̃ = γ·z_norm + β, is missing (the learned γ "
            "and β are used at test time too).",
            lambda Z, g, b, rm, rv, e: (Z - rm) / np.sqrt(rv + e)),
    Mistake("Subtract the running mean first: z_norm = (z − running_mean) / "
            "√(running_var + ε).",
            lambda Z, g, b, rm, rv, e: g * Z / np.sqrt(rv + e) + b),
]


@exercise_check
def check_batch_norm_eval_forward(fn: Callable) -> Verdict:
    """``fn(Z, gamma, beta, running_mean, running_var, epsilon)`` must return
    z̃ = γ (z − running_mean)/√(running_var + ε) + β, shape (n, m), for any m ≥ 1."""
    name = "batch_norm_eval_forward"
    verdict = check_function(fn, _eval_forward, _EVAL_BATCHES, mistakes=_EVAL_MISTAKES,
                             name=name)
    if not verdict:
        return verdict
    return check_function(fn, _eval_forward, _EVAL_BATCHES + _EVAL_SINGLE,
                          mistakes=_EVAL_MISTAKES, name=name)
