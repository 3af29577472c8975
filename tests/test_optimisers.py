"""helpers.layers optimisers (notebook 06): SGD, Momentum, RMSprop and Adam against hand
computations, their memory per parameter, training with them, and clear errors."""

import math
import warnings

import numpy as np
import pytest

from helpers import layers as L
from helpers import training


class FixedGradients:
    """A 'model' whose gradients we set by hand: parameters w (2,) and b (1, 1)."""

    def __init__(self):
        self.w, self.b = np.array([1.0, -1.0]), np.array([[0.5]])
        self.dw, self.db = np.zeros(2), np.zeros((1, 1))

    def parameters(self):
        return {"w": self.w, "b": self.b}

    def gradients(self):
        return {"w": self.dw, "b": self.db}

    def set(self, dw, db):
        self.dw[:], self.db[:] = dw, db


def steps(optimizer, gradients):
    """Take one step per (dw, db) and return the parameters after each step."""
    model, path = FixedGradients(), []
    for dw, db in gradients:
        model.set(dw, db)
        optimizer.step(model)
        path.append((model.w.copy(), model.b.copy()))
    return path


GRADIENTS = [([2.0, -0.5], 4.0), ([1.0, 0.5], -2.0), ([-3.0, 0.0], 1.0)]


# --- the first steps, by hand -----------------------------------------------------------


def test_sgd_by_hand():
    path = steps(L.SGD(lr=0.1), GRADIENTS[:2])
    np.testing.assert_allclose(path[0][0], [1.0 - 0.2, -1.0 + 0.05], rtol=1e-15)
    np.testing.assert_allclose(path[1][0], [0.8 - 0.1, -0.95 - 0.05], rtol=1e-15)
    np.testing.assert_allclose(path[1][1], [[0.5 - 0.4 + 0.2]], rtol=1e-15)


def test_momentum_by_hand():
    """v = 0.9 v + 0.1 dW from v = 0: v1 = 0.1 g1, v2 = 0.09 g1 + 0.1 g2; W -= lr v."""
    path = steps(L.Momentum(lr=0.5, beta=0.9), GRADIENTS[:2])
    v1 = np.array([0.2, -0.05])
    v2 = np.array([0.9 * 0.2 + 0.1 * 1.0, 0.9 * -0.05 + 0.1 * 0.5])   # [0.28, 0.005]
    np.testing.assert_allclose(path[0][0], [1.0, -1.0] - 0.5 * v1, rtol=1e-15)
    np.testing.assert_allclose(path[1][0], [1.0, -1.0] - 0.5 * v1 - 0.5 * v2, rtol=1e-15)
    vb1, vb2 = 0.4, 0.9 * 0.4 + 0.1 * -2.0                                # 0.4, 0.16
    np.testing.assert_allclose(path[1][1], [[0.5 - 0.5 * vb1 - 0.5 * vb2]], rtol=1e-15)


def test_momentum_with_beta_0_is_plain_gradient_descent():
    a, b = steps(L.Momentum(lr=0.1, beta=0.0), GRADIENTS), steps(L.SGD(lr=0.1), GRADIENTS)
    for (wa, ba), (wb, bb) in zip(a, b, strict=True):
        np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(ba, bb)


def test_rmsprop_by_hand():
    """s1 = 0.001 g², so the first step is lr·g/(√0.001·|g| + ε) ≈ lr·sign(g)·31.6."""
    eps = 1e-8
    path = steps(L.RMSprop(lr=0.01, beta=0.999, epsilon=eps), GRADIENTS[:2])
    g1 = np.array([2.0, -0.5])
    s1 = 0.001 * g1 ** 2
    w1 = np.array([1.0, -1.0]) - 0.01 * g1 / (np.sqrt(s1) + eps)
    np.testing.assert_allclose(path[0][0], w1, rtol=1e-14)
    np.testing.assert_allclose(w1, [1.0 - 0.01 / math.sqrt(0.001), -1.0 + 0.01 / math.sqrt(0.001)],
                               rtol=1e-6)
    g2 = np.array([1.0, 0.5])
    s2 = 0.999 * s1 + 0.001 * g2 ** 2
    np.testing.assert_allclose(path[1][0], w1 - 0.01 * g2 / (np.sqrt(s2) + eps), rtol=1e-14)


def test_adam_by_hand():
    """Step 1: v̂ = g, ŝ = g², so each entry moves by lr·g/(|g| + ε), almost exactly lr."""
    eps = 1e-8
    adam = L.Adam(lr=0.01, epsilon=eps)
    path = steps(adam, GRADIENTS[:2])
    g1, g2 = np.array([2.0, -0.5]), np.array([1.0, 0.5])
    w1 = np.array([1.0, -1.0]) - 0.01 * g1 / (np.abs(g1) + eps)
    np.testing.assert_allclose(path[0][0], w1, rtol=1e-15)
    np.testing.assert_allclose(path[0][0], [0.99, -0.99], rtol=1e-8)
    v2 = 0.9 * 0.1 * g1 + 0.1 * g2
    s2 = 0.999 * 0.001 * g1 ** 2 + 0.001 * g2 ** 2
    v_hat, s_hat = v2 / (1 - 0.9 ** 2), s2 / (1 - 0.999 ** 2)
    np.testing.assert_allclose(path[1][0], w1 - 0.01 * v_hat / (np.sqrt(s_hat) + eps),
                               rtol=1e-14)
    assert adam.t == 2
    np.testing.assert_allclose(adam.v["w"], v2, rtol=1e-15)
    np.testing.assert_allclose(adam.s["w"], s2, rtol=1e-15)


def test_adam_without_bias_correction_would_take_tiny_first_steps():
    """Why the correction: v = 0.1 g after one step, but Adam's step is the full lr."""
    model = FixedGradients()
    model.set([1e-3, -1e-3], 0.0)
    L.Adam(lr=0.1).step(model)
    np.testing.assert_allclose(model.w, [0.9, -0.9], rtol=1e-4)
    np.testing.assert_array_equal(model.b, [[0.5]])  # a zero gradient does not move it


# --- memory per parameter, lr changes, repr ---------------------------------------------


def test_state_is_kept_per_parameter_name():
    rng = np.random.default_rng(0)
    model = L.mlp([3, 4, 1], rng=rng)
    X, Y = rng.normal(size=(3, 6)), rng.normal(size=(1, 6))
    adam, history = L.Adam(lr=0.01), {name: [] for name in model.parameters()}
    loss = L.MSE()
    for _ in range(3):
        loss.forward(model.forward(X), Y)
        model.backward(loss.backward())
        for name, g in model.gradients().items():
            history[name].append(g.copy())
        adam.step(model)
    assert list(adam.v) == list(adam.s) == ["W1", "b1", "W2", "b2"]
    for name, p in model.parameters().items():
        assert adam.v[name].shape == adam.s[name].shape == p.shape
        g1, g2, g3 = history[name]  # each average sees only its own parameter's gradients
        np.testing.assert_allclose(adam.v[name], 0.1 * (0.81 * g1 + 0.9 * g2 + g3),
                                   rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(adam.s[name],
                                   0.001 * (0.999 ** 2 * g1 ** 2 + 0.999 * g2 ** 2 + g3 ** 2),
                                   rtol=1e-12, atol=1e-300)


def test_one_optimiser_for_one_model():
    rng = np.random.default_rng(0)
    momentum = L.Momentum(lr=0.1)
    for sizes in ([2, 3, 1], [2, 5, 1]):
        model = L.mlp(sizes, rng=rng)
        model.forward(np.ones((2, 4)))
        model.backward(np.ones((1, 4)))
        if sizes[1] == 3:
            momentum.step(model)
        else:
            with pytest.raises(ValueError, match=r"remembers W1 with shape \(3, 2\), but the "
                                                 r"model's W1 has shape \(5, 2\): use a new "
                                                 r"optimiser for each model"):
                momentum.step(model)


def test_lr_can_change_between_steps():
    model, sgd = FixedGradients(), L.SGD(lr=0.1)
    model.set([1.0, 1.0], 1.0)
    sgd.step(model)
    sgd.lr = 0.5
    sgd.step(model)
    np.testing.assert_allclose(model.w, [1.0 - 0.6, -1.0 - 0.6], rtol=1e-15)
    assert repr(sgd) == "SGD(lr=0.5)"
    with pytest.raises(ValueError, match="the learning rate lr must be a positive finite"):
        sgd.lr = -0.1
    assert sgd.lr == 0.5


def test_reprs():
    assert repr(L.Adam(lr=0.001)) == "Adam(lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08)"
    assert repr(L.Momentum(lr=0.1, beta=0.95)) == "Momentum(lr=0.1, beta=0.95)"
    assert repr(L.RMSprop(lr=0.01)) == "RMSprop(lr=0.01, beta=0.999, epsilon=1e-08)"


def test_step_needs_gradients():
    model = L.mlp([2, 3, 1], rng=np.random.default_rng(0))
    with pytest.raises(RuntimeError, match=r"has no gradients yet: run forward, then backward"):
        L.Adam(lr=0.1).step(model)


# --- they all minimise --------------------------------------------------------------------


def _two_blobs(m: int, rng):
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    X = rng.normal(size=(2, m)) + 2.0 * (Y - 0.5)
    return X, Y


OPTIMISERS = [lambda: L.SGD(lr=0.5), lambda: L.Momentum(lr=0.5, beta=0.9),
              lambda: L.RMSprop(lr=0.01), lambda: L.Adam(lr=0.01)]


@pytest.mark.parametrize("batch_size", [None, 20])
@pytest.mark.parametrize("make", OPTIMISERS, ids=["SGD", "Momentum", "RMSprop", "Adam"])
def test_every_optimiser_minimises_a_small_problem(make, batch_size):
    rng = np.random.default_rng(0)
    X, Y = _two_blobs(200, rng)
    model = L.mlp([2, 8, 1], activation="tanh", output="sigmoid", rng=rng)
    history = training.train(model, L.BinaryCrossEntropy(), X, Y, optimizer=make(), epochs=60,
                      batch_size=batch_size, rng=rng)
    assert history.diverged_at is None
    assert history.costs[-1] < 0.5 * history.initial_cost
    assert L.accuracy(model, X, Y) > 0.9


def test_adam_beats_sgd_on_a_badly_scaled_problem():
    """One feature 100× larger than the other: plain GD must use a tiny lr; Adam scales
    each weight's step by its own gradient size."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 100)) * np.array([[100.0], [1.0]])
    Y = 0.03 * X[:1] + 2.0 * X[1:]
    costs = {}
    for name, kwargs in {"sgd": {"lr": 5e-5}, "adam": {"optimizer": L.Adam(lr=0.05)}}.items():
        model = L.Sequential(L.Linear.from_arrays(np.zeros((1, 2)), np.zeros((1, 1))))
        history = training.train(model, L.MSE(), X, Y, epochs=300, **kwargs)
        assert not history.diverged
        costs[name] = history.costs[-1]
    assert costs["adam"] < 1e-6 < 1.0 < costs["sgd"]


# --- train with an optimiser ------------------------------------------------------------


def test_train_with_sgd_is_train_with_lr():
    rng = np.random.default_rng(1)
    X, Y = _two_blobs(30, rng)
    a = L.mlp([2, 4, 1], output="sigmoid", rng=np.random.default_rng(2))
    b = L.mlp([2, 4, 1], output="sigmoid", rng=np.random.default_rng(2))
    ha = training.train(a, L.BinaryCrossEntropy(), X, Y, lr=0.3, epochs=3)
    hb = training.train(b, L.BinaryCrossEntropy(), X, Y, optimizer=L.SGD(0.3), epochs=3)
    assert ha.costs == hb.costs
    for p, q in zip(a.parameters().values(), b.parameters().values(), strict=True):
        np.testing.assert_array_equal(p, q)


def test_the_same_optimiser_continues_across_calls_of_train():
    """Babysitting ("panda"): train a few epochs, look, change lr, go on."""
    rng = np.random.default_rng(3)
    X, Y = _two_blobs(40, rng)
    a = L.mlp([2, 4, 1], output="sigmoid", rng=np.random.default_rng(4))
    b = L.mlp([2, 4, 1], output="sigmoid", rng=np.random.default_rng(4))
    adam_a, adam_b = L.Adam(lr=0.05), L.Adam(lr=0.05)
    training.train(a, L.BinaryCrossEntropy(), X, Y, optimizer=adam_a, epochs=4)
    for _ in range(4):
        training.train(b, L.BinaryCrossEntropy(), X, Y, optimizer=adam_b, epochs=1)
    assert adam_a.t == adam_b.t == 4
    for p, q in zip(a.parameters().values(), b.parameters().values(), strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-13)
    adam_b.lr = 0.01  # a smaller lr from now on
    training.train(b, L.BinaryCrossEntropy(), X, Y, optimizer=adam_b, epochs=1)
    assert adam_b.t == 5


def test_a_diverging_momentum_stops_training_without_warnings():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 50))
    Y = (X.sum(axis=0, keepdims=True) > 0).astype(float)
    model = L.mlp([3, 8, 1], activation="relu", rng=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = training.train(model, L.MSE(), X, Y, optimizer=L.Momentum(lr=20.0), epochs=500)
    assert history.diverged and len(history.costs) == history.diverged_at + 1 < 500


# --- clear errors -------------------------------------------------------------------------


@pytest.mark.parametrize("make, message", [
    (lambda: L.Momentum(lr=0.1, beta=1.0), r"Momentum: beta must be in \[0, 1\), e\.g\. 0\.9 "
                                           r"\(it weighs the old average.*got 1\.0"),
    (lambda: L.Momentum(lr=0.1, beta=-0.1), r"Momentum: beta must be in \[0, 1\)"),
    (lambda: L.RMSprop(lr=0.1, beta=1.5), r"RMSprop: beta must be in \[0, 1\), e\.g\. 0\.999"),
    (lambda: L.Adam(lr=0.1, beta1=np.nan), r"Adam: beta1 must be in \[0, 1\)"),
    (lambda: L.Adam(lr=0.1, beta2=1.0), r"Adam: beta2 must be in \[0, 1\)"),
    (lambda: L.Adam(lr=0.1, epsilon=0.0), r"Adam: epsilon must be a small positive number, "
                                          r"e\.g\. 1e-8 .*got 0\.0"),
    (lambda: L.RMSprop(lr=0.1, epsilon=-1e-8), r"RMSprop: epsilon must be a small positive"),
    (lambda: L.Adam(lr=0.0), r"the learning rate lr must be a positive finite number, got 0"),
    (lambda: L.SGD(lr=np.inf), r"the learning rate lr must be a positive finite number"),
])
def test_bad_optimiser_settings(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make", [lambda: L.Adam(lr="0.1"), lambda: L.Momentum(0.1, beta="0.9"),
                                  lambda: L.Adam(0.1, epsilon=None)])
def test_optimiser_settings_that_are_not_numbers(make):
    with pytest.raises(TypeError, match="must be a"):
        make()


def test_train_needs_exactly_one_of_lr_and_optimizer():
    rng = np.random.default_rng(0)
    model = L.mlp([2, 3, 1], rng=rng)
    X, Y = rng.normal(size=(2, 6)), rng.normal(size=(1, 6))
    with pytest.raises(TypeError, match=r"the learning rate lr must be a number, got NoneType: "
                                        r"pass lr=\.\.\. .* or optimizer=\.\.\."):
        training.train(model, L.MSE(), X, Y, epochs=1)
    with pytest.raises(TypeError, match=r"pass either lr or optimizer, not both"):
        training.train(model, L.MSE(), X, Y, lr=0.1, optimizer=L.Adam(lr=0.1), epochs=1)
    with pytest.raises(TypeError, match=r"optimizer must have a step\(model\) method, e\.g\. "
                                        r"Adam\(lr=0\.001\); got str"):
        training.train(model, L.MSE(), X, Y, optimizer="adam", epochs=1)
