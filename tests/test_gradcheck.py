"""helpers.gradcheck: the numerical gradient, compare (karpathy's cmp) and check_model."""

import re
import warnings

import numpy as np
import pytest

from helpers import layers as L
from helpers.gradcheck import (
    GradientCheck,
    GradientReport,
    check_model,
    compare,
    numerical_gradient,
)
from helpers.validate import InputError


def test_numerical_gradient_is_exact_for_a_quadratic():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    p = np.array([0.5, -1.5])
    grad = numerical_gradient(lambda q: q @ A @ q + 4 * q[0], p)
    np.testing.assert_allclose(grad, 2 * A @ p + [4, 0], rtol=1e-8)
    assert grad.shape == p.shape


# --- compare ---------------------------------------------------------------------------


def test_compare_equal_gradients():
    g = np.arange(6.0).reshape(2, 3)
    row = compare("dW", g, g.copy())
    assert isinstance(row, GradientCheck)
    assert (row.name, row.shape, row.n_checked) == ("dW", (2, 3), 6)
    assert row.exact and row.approximate and row.ok
    assert row.max_diff == 0.0 and row.relative_error == 0.0


def test_compare_rounding_differences_are_approximate_not_exact():
    rng = np.random.default_rng(0)
    g = rng.normal(size=(4, 2))
    row = compare("db", g, g + 1e-10 * rng.normal(size=g.shape))
    assert not row.exact and row.approximate and row.ok
    assert 0 < row.max_diff < 1e-9 and row.relative_error < 1e-8


def test_compare_a_gradient_off_by_a_factor_of_two():
    g = np.array([[1.0, -2.0, 3.0]])
    row = compare("dW", 2 * g, g)
    assert not row.exact and not row.approximate and not row.ok
    assert row.max_diff == 3.0
    assert row.relative_error == pytest.approx(1 / 3)  # ‖2g − g‖ / (‖2g‖ + ‖g‖)


def test_compare_a_sign_slip():
    g = np.array([0.5, -0.25])
    assert compare("dz", -g, g).relative_error == pytest.approx(1.0)


def test_compare_two_zero_gradients_is_ok():
    row = compare("db", np.zeros((3, 1)), np.zeros((3, 1)))
    assert row.ok and row.relative_error == 0.0


def test_compare_tolerance():
    g = np.ones(3)
    assert compare("d", g, g * (1 + 1e-5)).ok is False
    assert compare("d", g, g * (1 + 1e-5), tol=1e-4).ok is True


def test_compare_nan_fails_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = compare("dW", np.array([1.0, np.nan]), np.array([1.0, 2.0]))
        row_inf = compare("dW", np.array([np.inf, 1.0]), np.array([np.inf, 1.0]))
    assert not row.ok and not row.approximate
    assert not row_inf.ok


def test_compare_shapes_must_match():
    with pytest.raises(ValueError, match=r"dW: the analytic gradient has shape \(2, 8\) but "
                                         r"the numerical one \(8, 2\) \(transposed\?\)"):
        compare("dW", np.zeros((2, 8)), np.zeros((8, 2)))
    with pytest.raises(ValueError, match=r"shape \(3,\) but the numerical one \(3, 1\)"):
        compare("db", np.zeros(3), np.zeros((3, 1)))


def test_a_row_reads_like_karpathys_cmp():
    rng = np.random.default_rng(0)
    g = rng.normal(size=(8, 2))
    text = repr(compare("dW1", g, g + 1e-10))
    assert text == "dW1 (8, 2)   exact: False   approximate: True    relative error < 1e-6  ✓"
    wrong = repr(compare("dW1", 2 * g, g))
    assert re.fullmatch(r"dW1 \(8, 2\)   exact: False   approximate: False   "
                        r"relative error 0\.33, max diff \d\.\de[+-]\d\d  ✗", wrong), wrong


def test_a_correct_row_shows_a_bound_not_the_rounding_noise():
    """The digits of a correct gradient's error depend on the processor's rounding: two
    runs that differ in the last bits print the same line."""
    g = np.random.default_rng(1).normal(size=(4, 3))
    assert repr(compare("dW", g, g + 1e-10)) == repr(compare("dW", g, g + 3e-10))
    assert "relative error < 1e-8" in repr(compare("dW", g, g + 1e-12, tol=1e-8))


# --- the report and check_model ---------------------------------------------------------


def _small_problem(seed=0, activation="tanh"):
    rng = np.random.default_rng(seed)
    model = L.mlp([2, 8, 8, 1], activation=activation, output="sigmoid", rng=rng)
    X = rng.normal(size=(2, 12))
    Y = (X[0] > X[1]).astype(float)[None, :]
    return model, L.BinaryCrossEntropy(), X, Y


def test_check_model_report_is_an_aligned_table():
    report = check_model(*_small_problem())
    assert isinstance(report, GradientReport) and report.ok and len(report) == 6
    lines = repr(report).splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["dW1", "db1", "dW2", "db2", "dW3",
                                                        "db3"]
    assert len({line.index("exact:") for line in lines[:-1]}) == 1  # the columns line up
    assert len({line.index("relative error") for line in lines[:-1]}) == 1
    assert lines[-1] == "✓ all 6 gradients match finite differences"
    assert report["dW2"].shape == (8, 8) and report[0] is report["dW1"]
    with pytest.raises(KeyError, match="no gradient named 'dW9'"):
        report["dW9"]


def test_check_model_restores_the_parameters_and_leaves_the_true_gradients():
    model, loss, X, Y = _small_problem(1)
    params = model.parameters()
    before = {name: p.copy() for name, p in params.items()}
    X_before = X.copy()
    check_model(model, loss, X, Y, include_input=True)
    for name, p in model.parameters().items():
        assert p is params[name]
        np.testing.assert_array_equal(p, before[name])
    np.testing.assert_array_equal(X, X_before)
    reference, *_ = _small_problem(1)
    loss.forward(reference.forward(X), Y)
    reference.backward(loss.backward())
    for name, g in reference.gradients().items():
        np.testing.assert_array_equal(model.gradients()[name], g)


def test_check_model_on_single_layers():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(3, 5)), rng.normal(size=(2, 5))
    report = check_model(L.Linear(3, 2, rng=rng), L.MSE(), X, Y)
    assert report.ok and [row.name for row in report] == ["dW", "db"]
    # an activation has no parameters: the gradient with respect to its input is checked
    report = check_model(L.Sigmoid(), L.MSE(), rng.normal(size=(2, 5)), Y)
    assert report.ok and [row.name for row in report] == ["dX"]
    assert repr(report).endswith("✓ the gradient matches finite differences")


def test_check_model_with_sampled_entries():
    model, loss, X, Y = _small_problem(3)
    report = check_model(model, loss, X, Y, max_entries=4, rng=np.random.default_rng(0))
    assert report.ok
    assert [row.n_checked for row in report] == [4, 4, 4, 4, 4, 1]
    assert report["dW2"].shape == (8, 8)
    assert "(4 of 64 entries)" in repr(report["dW2"])
    with pytest.raises(TypeError, match="max_entries needs rng"):
        check_model(model, loss, X, Y, max_entries=4)


class DuckModel:
    """Any object with forward / backward / parameters / gradients: ŷ = w·x, with a
    backward that is deliberately off by a factor of 2 when ``broken``."""

    def __init__(self, broken: bool):
        self.w, self.broken = np.array([[0.7, -0.2]]), broken

    def forward(self, X):
        self.X = X
        return self.w @ X

    def backward(self, dA):
        self.dw = dA @ self.X.T * (2.0 if self.broken else 1.0)
        return self.w.T @ dA

    def parameters(self):
        return {"w": self.w}

    def gradients(self):
        return {"w": self.dw}


@pytest.mark.parametrize("broken", [False, True])
def test_check_model_on_any_object_and_it_can_fail(broken):
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(2, 6)), rng.normal(size=(1, 6))
    report = check_model(DuckModel(broken), L.MSE(), X, Y)
    assert report.ok is (not broken)
    assert report["dw"].relative_error == (pytest.approx(1 / 3, rel=1e-6) if broken
                                           else pytest.approx(0, abs=1e-8))
    if broken:
        assert repr(report).endswith("✗ dw does not match finite differences")


def test_an_empty_report_is_not_ok():
    assert not GradientReport([]).ok
    assert "no gradients were checked" in repr(GradientReport([]))


@pytest.mark.parametrize("kwargs, words", [
    ({"eps": 0}, "eps must be a positive finite number, got 0.0"),
    ({"eps": np.nan}, "eps must be a positive finite number"),
    ({"tol": -1.0}, "tol must be a positive"),
    ({"include_input": "yes"}, "include_input must be True or False"),
    ({"max_entries": 0}, "max_entries must be a positive integer"),
])
def test_check_model_refuses_bad_settings(kwargs, words):
    rng = np.random.default_rng(0)
    model = L.mlp([2, 3, 1], rng=rng)
    X, Y = rng.normal(size=(2, 4)), rng.normal(size=(1, 4))
    with pytest.raises(InputError, match=words):
        check_model(model, L.MSE(), X, Y, **kwargs)
    with pytest.raises(InputError, match="model must be an object with forward"):
        check_model(None, L.MSE(), X, Y)
