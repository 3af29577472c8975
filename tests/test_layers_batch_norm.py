"""helpers.layers BatchNorm (notebook 07): its backward in both modes against finite
differences, the identity and the cancelled bias, running averages, training and
evaluation modes, Linear without bias, mlp(batch_norm=True), training, check_model, real
images, and clear errors."""

import numpy as np
import pytest
from gradient_asserts import assert_gradient

from helpers import layers as L
from helpers import training
from helpers.data import flatten_images, load_fashion_mnist
from helpers.gradcheck import check_model, numerical_gradient

SHAPES = [(1, 2), (3, 2), (4, 5), (2, 9), (6, 3)]  # (n, m), m ≥ 2
EPS = 1e-5




def batch_norm(gamma, beta, *, training=True, running=None, epsilon=EPS):
    """A BatchNorm layer with the given gamma, beta (n, 1) and running (mean, var)."""
    layer = L.BatchNorm(gamma.shape[0], epsilon=epsilon)
    layer.gamma[:], layer.beta[:] = gamma, beta
    if running is not None:
        layer.running_mean, layer.running_var = running[0].copy(), running[1].copy()
    L.set_training(layer, training)
    return layer


def random_case(n, m, seed):
    rng = np.random.default_rng(seed)
    Z = rng.normal(loc=rng.normal(size=(n, 1)), scale=rng.uniform(0.5, 3, size=(n, 1)),
                   size=(n, m))
    gamma, beta = rng.uniform(0.5, 2.0, size=(n, 1)), rng.normal(size=(n, 1))
    running = rng.normal(size=(n, 1)), rng.uniform(0.5, 2.0, size=(n, 1))
    return Z, gamma, beta, running, rng.normal(size=(n, m))


# --- backward against finite differences ---------------------------------------------------


@pytest.mark.parametrize("training", [True, False], ids=["training", "evaluation"])
@pytest.mark.parametrize("n, m", SHAPES)
def test_batch_norm_backward_matches_finite_differences(n, m, training):
    """J = Σ Z_tilde·R with a random R, so ∂J/∂Z_tilde = R; check dZ, dgamma and dbeta.
    In training mode dZ is the hard one: the batch mean and variance depend on every
    column. With m = 2 the normalised values are ±1 whatever z (up to ε), so ∂J/∂Z is
    only what ε leaves (~1e-8), below what finite differences resolve: a visible ε
    there makes it measurable."""
    Z, gamma, beta, running, R = random_case(n, m, 0)
    epsilon = 0.5 if m == 2 else EPS

    def J(Z_=Z, gamma_=gamma, beta_=beta):
        return np.sum(batch_norm(gamma_, beta_, training=training, running=running,
                                 epsilon=epsilon).forward(Z_) * R)

    layer = batch_norm(gamma, beta, training=training, running=running, epsilon=epsilon)
    assert layer.forward(Z).shape == (n, m)
    dZ = layer.backward(R)
    assert dZ.shape == (n, m) and layer.dgamma.shape == layer.dbeta.shape == (n, 1)
    assert_gradient(dZ, numerical_gradient(lambda Z_: J(Z_=Z_), Z))
    assert_gradient(layer.dgamma, numerical_gradient(lambda g: J(gamma_=g), gamma))
    assert_gradient(layer.dbeta, numerical_gradient(lambda b: J(beta_=b), beta))
    assert layer.gradients().keys() == {"gamma", "beta"}


def test_training_backward_is_the_formula_of_the_course():
    Z, gamma, beta, _, R = random_case(3, 7, 5)
    layer = batch_norm(gamma, beta)
    layer.forward(Z)
    dZ = layer.backward(R)
    m, std = 7, np.sqrt(Z.var(axis=1, keepdims=True) + EPS)
    Z_norm = (Z - Z.mean(axis=1, keepdims=True)) / std
    expected = gamma / (m * std) * (m * R - R.sum(axis=1, keepdims=True)
                                    - Z_norm * np.sum(R * Z_norm, axis=1, keepdims=True))
    np.testing.assert_allclose(dZ, expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dZ.sum(axis=1), 0.0, atol=1e-12)  # a shift of z changes nothing


def test_the_backward_follows_the_mode_of_the_last_forward():
    Z, gamma, beta, running, R = random_case(2, 4, 0)
    layer = batch_norm(gamma, beta, running=running)
    layer.forward(Z)
    L.set_training(layer, False)  # switched after forward: the batch statistics still apply
    reference = batch_norm(gamma, beta)
    reference.forward(Z)
    np.testing.assert_array_equal(layer.backward(R), reference.backward(R))


# --- what it computes -------------------------------------------------------------------


def test_forward_normalises_each_unit_over_the_batch():
    Z, gamma, beta, _, _ = random_case(4, 50, 2)
    layer = batch_norm(np.ones((4, 1)), np.zeros((4, 1)))
    out = layer.forward(Z)
    np.testing.assert_allclose(out.mean(axis=1), 0.0, atol=1e-14)
    np.testing.assert_allclose(out.var(axis=1), Z.var(axis=1) / (Z.var(axis=1) + EPS),
                               rtol=1e-12)  # ≈ 1: ε sits inside the square root
    np.testing.assert_allclose(layer.mu, Z.mean(axis=1, keepdims=True), rtol=1e-14)
    np.testing.assert_allclose(layer.var, Z.var(axis=1, keepdims=True), rtol=1e-12)  # 1/m
    assert layer.Z is Z and layer.Z_tilde is out is layer.output
    layer.gamma[:], layer.beta[:] = gamma, beta
    np.testing.assert_allclose(layer.forward(Z), gamma * layer.Z_norm + beta, rtol=1e-15)


@pytest.mark.parametrize("n, m", SHAPES)
def test_gamma_sqrt_var_plus_eps_and_beta_mu_give_the_identity(n, m):
    Z = random_case(n, m, 3)[0]
    mu, var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
    layer = batch_norm(np.sqrt(var + EPS), mu)
    np.testing.assert_allclose(layer.forward(Z), Z, rtol=1e-12, atol=1e-12)


def test_the_bias_before_batch_norm_cancels():
    """z + b − mean(z + b) = z − mean(z): the same output for any b, and db = 0."""
    rng = np.random.default_rng(4)
    W, A_prev = rng.normal(size=(3, 4)), rng.normal(size=(4, 8))
    outputs, R = [], rng.normal(size=(3, 8))
    for b in [np.zeros((3, 1)), rng.normal(scale=10, size=(3, 1)), np.full((3, 1), -7.5)]:
        model = L.Sequential(L.Linear.from_arrays(W, b), L.BatchNorm(3))
        outputs.append(model.forward(A_prev))
        model.backward(R)
        np.testing.assert_allclose(model[0].db, 0.0, atol=1e-12)
    for out in outputs[1:]:
        np.testing.assert_allclose(out, outputs[0], rtol=1e-12, atol=1e-12)


def test_running_averages_by_hand():
    """One unit, momentum 0.9: batches [1, 3] (μ 2, σ² 1) and [0, 4] (μ 2, σ² 4).
    mean: 0 → 0.9·0 + 0.1·2 = 0.2 → 0.9·0.2 + 0.1·2 = 0.38;
    var:  1 → 0.9·1 + 0.1·1 = 1.0 → 0.9·1.0 + 0.1·4 = 1.3 (the 1/m variance, not 1/(m−1))."""
    layer = L.BatchNorm(1)
    np.testing.assert_array_equal(layer.running_mean, [[0.0]])
    np.testing.assert_array_equal(layer.running_var, [[1.0]])
    layer.forward([[1.0, 3.0]])
    np.testing.assert_allclose(layer.running_mean, [[0.2]], rtol=1e-15)
    np.testing.assert_allclose(layer.running_var, [[1.0]], rtol=1e-15)
    layer.forward([[0.0, 4.0]])
    np.testing.assert_allclose(layer.running_mean, [[0.38]], rtol=1e-15)
    np.testing.assert_allclose(layer.running_var, [[1.3]], rtol=1e-15)


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9, 0.99])
def test_running_averages_after_k_batches_are_the_ema(momentum):
    rng = np.random.default_rng(0)
    layer, mean, var = L.BatchNorm(3, momentum=momentum), np.zeros((3, 1)), np.ones((3, 1))
    for k in range(6):
        Z = rng.normal(loc=k, scale=k + 1, size=(3, 10))
        layer.forward(Z)
        mean = momentum * mean + (1 - momentum) * Z.mean(axis=1, keepdims=True)
        var = momentum * var + (1 - momentum) * Z.var(axis=1, keepdims=True)
    np.testing.assert_allclose(layer.running_mean, mean, rtol=1e-13)
    np.testing.assert_allclose(layer.running_var, var, rtol=1e-13)
    if momentum == 0.0:  # no memory: the last batch's statistics
        np.testing.assert_allclose(layer.running_mean, Z.mean(axis=1, keepdims=True), rtol=1e-14)


def test_evaluation_uses_the_running_averages_and_leaves_them():
    Z, gamma, beta, running, _ = random_case(3, 6, 1)
    layer = batch_norm(gamma, beta, training=False, running=running)
    out = layer.forward(Z)
    expected = gamma * (Z - running[0]) / np.sqrt(running[1] + EPS) + beta
    np.testing.assert_allclose(out, expected, rtol=1e-13)
    np.testing.assert_array_equal(layer.running_mean, running[0])
    np.testing.assert_array_equal(layer.running_var, running[1])


def test_in_evaluation_an_example_gets_the_same_answer_alone_or_in_any_batch():
    Z, gamma, beta, running, _ = random_case(3, 6, 2)
    layer = batch_norm(gamma, beta, training=False, running=running)
    together = layer.forward(Z)
    for j in range(6):
        np.testing.assert_array_equal(layer.forward(Z[:, j:j + 1]), together[:, j:j + 1])
    np.testing.assert_array_equal(layer.forward(Z[:, ::-1]), together[:, ::-1])
    training = batch_norm(gamma, beta)  # in training mode the batch matters
    assert not np.allclose(training.forward(Z[:, :3])[:, 0], training.forward(Z)[:, 0])


def test_repeated_training_forwards_on_the_same_batch_do_not_drift():
    """The running averages change at every forward, but the training-mode output does
    not depend on them."""
    Z, gamma, beta, _, _ = random_case(4, 5, 3)
    layer = batch_norm(gamma, beta)
    first = layer.forward(Z).copy()
    for _ in range(20):
        np.testing.assert_array_equal(layer.forward(Z), first)
    np.testing.assert_allclose(layer.running_mean, (1 - 0.9 ** 21) * Z.mean(axis=1,
                                                                               keepdims=True))


# --- modes --------------------------------------------------------------------------------


def test_every_layer_starts_in_training_mode_and_set_training_switches_all():
    model = L.mlp([2, 3, 1], batch_norm=True, output="sigmoid", rng=np.random.default_rng(0))
    assert model.training and all(layer.training for layer in model)
    L.set_training(model, False)
    assert not model.training and not any(layer.training for layer in model)
    L.set_training(model, True)
    assert all(layer.training for layer in model)
    with pytest.raises(TypeError, match=r"set_training needs True \(training mode\) or False "
                                        r"\(evaluation mode\), got 'eval'"):
        L.set_training(model, "eval")


def test_evaluating_switches_and_restores_each_layers_mode():
    model = L.mlp([2, 3, 3, 1], batch_norm=True, rng=np.random.default_rng(0))
    model[1].training = False  # a mixed state comes back as it was
    before = [layer.training for layer in model]
    with L.evaluating(model) as same:
        assert same is model and not any(layer.training for layer in model)
    assert [layer.training for layer in model] == before
    with pytest.raises(KeyError), L.evaluating(model):
        raise KeyError("an error inside the block")
    assert [layer.training for layer in model] == before
    layer = L.BatchNorm(2)
    with L.evaluating(layer):
        assert not layer.training
    assert layer.training


def test_accuracy_and_predict_classes_evaluate_without_touching_running_averages():
    rng = np.random.default_rng(0)
    model = L.mlp([2, 4, 3], batch_norm=True, output="softmax", rng=rng)
    model.forward(rng.normal(size=(2, 10)))  # some running averages
    bn = model[1]
    mean, var = bn.running_mean.copy(), bn.running_var.copy()
    x = rng.normal(size=(2, 1))
    classes = L.predict_classes(model, x)  # one example: only possible in evaluation mode
    assert classes.shape == (1,)
    assert L.accuracy(model, x, classes) == 1.0
    np.testing.assert_array_equal(bn.running_mean, mean)
    np.testing.assert_array_equal(bn.running_var, var)
    assert model.training and bn.training


# --- Linear without bias and mlp(batch_norm=True) ----------------------------------------


def test_linear_without_bias():
    """bias=False: only W is a parameter; b is a read-only column of zeros, so z = W a."""
    rng = np.random.default_rng(0)
    layer = L.Linear(4, 8, rng=rng, bias=False)
    assert repr(layer) == "Linear(4→8, no bias)" and layer.bias is False
    assert list(layer.parameters()) == ["W"]
    np.testing.assert_array_equal(layer.b, np.zeros((8, 1)))
    with pytest.raises(ValueError, match="read-only"):
        layer.b += 1.0
    W, A_prev, R = rng.normal(size=(3, 2)), rng.normal(size=(2, 5)), rng.normal(size=(3, 5))
    layer = L.Linear.from_arrays(W, None)
    assert repr(layer) == "Linear(2→3, no bias)"
    np.testing.assert_array_equal(layer.forward(A_prev), W @ A_prev)
    dA_prev = layer.backward(R)
    assert list(layer.gradients()) == ["W"]
    assert_gradient(layer.dW, numerical_gradient(
        lambda W_: np.sum(L.Linear.from_arrays(W_, None).forward(A_prev) * R), W))
    assert_gradient(dA_prev, numerical_gradient(
        lambda A_: np.sum(L.Linear.from_arrays(W, None).forward(A_) * R), A_prev))
    L.Adam(lr=0.1).step(layer)  # an optimiser moves W only
    np.testing.assert_array_equal(layer.b, 0.0)
    assert L.Linear(2, 3, rng=rng).bias is True
    with pytest.raises(TypeError, match="bias must be True or False, got 'no'"):
        L.Linear(2, 3, rng=rng, bias="no")


def test_mlp_with_batch_norm():
    rng = np.random.default_rng(0)
    model = L.mlp([2, 8, 4, 1], activation="tanh", output="sigmoid", batch_norm=True,
                  momentum=0.8, rng=rng)
    assert repr(model) == ("Sequential(Linear(2→8, no bias), BatchNorm(8), Tanh, "
                           "Linear(8→4, no bias), BatchNorm(4), Tanh, Linear(4→1), Sigmoid)")
    assert list(model.parameters()) == ["W1", "gamma1", "beta1", "W2", "gamma2", "beta2",
                                        "W3", "b3"]
    assert model.n_parameters() == 16 + 8 + 8 + 32 + 4 + 4 + 4 + 1
    assert model[1].momentum == 0.8 and model[1].gamma is model.parameters()["gamma1"]
    assert repr(L.mlp([3, 5], batch_norm=True, rng=rng)) == "Sequential(Linear(3→5))"
    with pytest.raises(TypeError, match="batch_norm must be True or False, got 1"):
        L.mlp([2, 3, 1], batch_norm=1, rng=rng)


# --- gradient checks of whole models -----------------------------------------------------


@pytest.mark.parametrize("training", [True, False], ids=["training", "evaluation"])
@pytest.mark.parametrize("sizes, m, activation, output, loss", [
    ([3, 5, 1], 4, "tanh", "sigmoid", L.BinaryCrossEntropy()),
    ([2, 6, 4, 1], 9, "sigmoid", None, L.BinaryCrossEntropyWithLogits()),
    ([4, 5, 5, 3], 3, "tanh", None, L.SoftmaxCrossEntropy()),
])
def test_check_model_passes_for_batch_norm_networks(sizes, m, activation, output, loss,
                                                     training):
    rng = np.random.default_rng(0)
    model = L.mlp(sizes, activation=activation, output=output, batch_norm=True, rng=rng)
    for layer in model:  # gamma and beta away from their start, running averages too
        if isinstance(layer, L.BatchNorm):
            layer.gamma[:] = rng.uniform(0.5, 2, size=layer.gamma.shape)
            layer.beta[:] = rng.normal(size=layer.beta.shape)
            layer.running_mean = rng.normal(size=layer.beta.shape)
            layer.running_var = rng.uniform(0.5, 2, size=layer.beta.shape)
    X = rng.normal(size=(sizes[0], m))
    Y = (L.one_hot(rng.integers(0, sizes[-1], size=m), sizes[-1]) if sizes[-1] > 1
         else rng.integers(0, 2, size=(1, m)).astype(float))
    L.set_training(model, training)
    report = check_model(model, loss, X, Y, include_input=True)
    assert report.ok, report
    assert report.max_relative_error < 1e-6
    assert [row.name for row in report] == [f"d{k}" for k in model.parameters()] + ["dX"]


def test_check_model_leaves_running_averages_as_after_one_forward():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(2, 6)), rng.integers(0, 2, size=(1, 6)).astype(float)
    checked = L.mlp([2, 4, 1], batch_norm=True, output="sigmoid", rng=np.random.default_rng(1))
    once = L.mlp([2, 4, 1], batch_norm=True, output="sigmoid", rng=np.random.default_rng(1))
    assert check_model(checked, L.BinaryCrossEntropy(), X, Y).ok
    once.forward(X)
    np.testing.assert_array_equal(checked[1].running_mean, once[1].running_mean)
    np.testing.assert_array_equal(checked[1].running_var, once[1].running_var)


# --- training -----------------------------------------------------------------------------


def _two_blobs(m: int, rng):
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    X = rng.normal(size=(2, m)) + 2.0 * (Y - 0.5)
    return X, Y


def test_full_batch_training_with_batch_norm_is_gradient_descent_in_training_mode():
    """Two epochs of train = two steps of (training-mode) forward, backward, sgd_step."""
    rng = np.random.default_rng(1)
    X, Y = _two_blobs(30, rng)
    a = L.mlp([2, 4, 1], output="sigmoid", batch_norm=True, rng=np.random.default_rng(2))
    b = L.mlp([2, 4, 1], output="sigmoid", batch_norm=True, rng=np.random.default_rng(2))
    history = training.train(a, L.BinaryCrossEntropy(), X, Y, lr=0.3, epochs=2)
    loss = L.BinaryCrossEntropy()
    for _ in range(2):
        loss.forward(b.forward(X), Y)
        b.backward(loss.backward())
        L.sgd_step(b, lr=0.3)
    for p, q in zip(a.parameters().values(), b.parameters().values(), strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-13)
    np.testing.assert_array_equal(a[1].running_mean, b[1].running_mean)  # measuring: no change
    with L.evaluating(b):  # the recorded cost is the evaluation-mode one
        assert history.costs[-1] == pytest.approx(loss.forward(b.forward(X), Y), rel=1e-13)


@pytest.mark.parametrize("batch_size", [None, 16])
@pytest.mark.parametrize("make", [lambda: {"lr": 0.5}, lambda: {"optimizer": L.Adam(lr=0.02)}],
                         ids=["lr", "Adam"])
def test_batch_norm_networks_train(make, batch_size):
    rng = np.random.default_rng(0)
    X, Y = _two_blobs(200, rng)
    model = L.mlp([2, 8, 8, 1], activation="relu", output="sigmoid", batch_norm=True, rng=rng)
    history = training.train(model, L.BinaryCrossEntropy(), X, Y, epochs=40, batch_size=batch_size,
                      rng=rng, **make())
    assert not history.diverged
    assert history.costs[-1] < 0.6 * history.initial_cost
    assert L.accuracy(model, X, Y) > 0.9
    assert model.training and all(layer.training for layer in model)


def test_train_puts_back_the_mode_it_found():
    rng = np.random.default_rng(0)
    X, Y = _two_blobs(20, rng)
    model = L.mlp([2, 3, 1], output="sigmoid", batch_norm=True, rng=rng)
    L.set_training(model, False)
    training.train(model, L.BinaryCrossEntropy(), X, Y, lr=0.1, epochs=2)
    assert not any(layer.training for layer in model)
    np.testing.assert_raises(AssertionError, np.testing.assert_array_equal,
                             model[1].running_mean, 0.0)  # it trained in training mode


def test_a_last_mini_batch_of_one_example_joins_the_one_before():
    """21 examples in batches of 10: 10 and 11, never a batch of one for BatchNorm."""
    rng = np.random.default_rng(0)
    X, Y = _two_blobs(21, rng)
    model = L.mlp([2, 3, 1], output="sigmoid", batch_norm=True, rng=rng)
    sizes = []
    bn_forward = model[1].forward
    model[1].forward = lambda Z: (sizes.append(np.shape(Z)[1]) if model[1].training
                                  else None) or bn_forward(Z)
    training.train(model, L.BinaryCrossEntropy(), X, Y, lr=0.1, epochs=2, batch_size=10, rng=rng)
    assert sizes == [10, 11, 10, 11]
    plain = L.mlp([2, 3, 1], output="sigmoid", rng=rng)  # without BatchNorm: 10, 10, 1
    training.train(plain, L.BinaryCrossEntropy(), X, Y, lr=0.1, epochs=1, batch_size=10, rng=rng)
    with pytest.raises(ValueError, match=r"batch_size must be at least 2 for a model with "
                                         r"BatchNorm"):
        training.train(model, L.BinaryCrossEntropy(), X, Y, lr=0.1, epochs=1, batch_size=1, rng=rng)


def test_optimisers_train_gamma_and_beta():
    rng = np.random.default_rng(0)
    X, Y = _two_blobs(40, rng)
    model = L.mlp([2, 3, 1], output="sigmoid", batch_norm=True, rng=rng)
    adam = L.Adam(lr=0.05)
    training.train(model, L.BinaryCrossEntropy(), X, Y, optimizer=adam, epochs=3)
    assert list(adam.v) == ["W1", "gamma1", "beta1", "W2", "b2"]
    assert not np.allclose(model[1].gamma, 1.0) and not np.allclose(model[1].beta, 0.0)


def test_a_batch_norm_network_on_real_images():
    """Fashion-MNIST, all ten classes: a network with two hidden BatchNorm layers learns
    (test accuracy far above chance, 0.1), and its gradients pass check_model."""
    clothes = load_fashion_mnist()
    X_train, labels_train = flatten_images(clothes.images_train), clothes.labels_train
    X_test, labels_test = flatten_images(clothes.images_test), clothes.labels_test
    rng = np.random.default_rng(0)
    model = L.mlp([784, 32, 16, 10], batch_norm=True, rng=rng)
    history = training.train(model, L.SoftmaxCrossEntropy(), X_train, L.one_hot(labels_train, 10),
                      lr=0.1, epochs=3, batch_size=64, rng=rng)
    assert not history.diverged and history.costs[-1] < 0.35 * history.initial_cost
    test_accuracy = L.accuracy(model, X_test, labels_test)
    assert test_accuracy >= 0.75, f"test accuracy {test_accuracy:.3f}"
    batch = rng.choice(X_train.shape[1], size=32, replace=False)
    report = check_model(model, L.SoftmaxCrossEntropy(), X_train[:, batch],
                         L.one_hot(labels_train[batch], 10), max_entries=25, rng=rng)
    assert report.ok, report
    assert [row.name for row in report] == ["dW1", "dgamma1", "dbeta1", "dW2", "dgamma2",
                                            "dbeta2", "dW3", "db3"]


# --- clear errors -------------------------------------------------------------------------


def test_a_batch_of_one_example_in_training_mode():
    layer = L.BatchNorm(3)
    with pytest.raises(ValueError, match=r"BatchNorm\(3\) got a batch of one example \(Z of "
                                         r"shape \(3, 1\)\) in training mode: its variance is "
                                         r"0, so every normalised value would be 0 and the "
                                         r"output would be beta whatever the input.*m ≥ 2.*"
                                         r"evaluation mode"):
        layer.forward(np.ones((3, 1)))
    with L.evaluating(layer):
        assert layer.forward(np.ones((3, 1))).shape == (3, 1)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"momentum": 1.0}, ValueError, r"BatchNorm: momentum must be in \[0, 1\), e\.g\. 0\.9 "
                                    r"\(it weighs the old average"),
    ({"momentum": -0.1}, ValueError, r"momentum must be in \[0, 1\)"),
    ({"momentum": "0.9"}, TypeError, r"momentum must be a number in \[0, 1\)"),
    ({"epsilon": 0.0}, ValueError, r"BatchNorm: epsilon must be a small positive number, "
                                   r"e\.g\. 1e-5"),
    ({"epsilon": np.nan}, ValueError, r"epsilon must be a small positive number"),
])
def test_bad_batch_norm_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        L.BatchNorm(4, **kwargs)


def test_mlp_checks_the_batch_norm_momentum():
    with pytest.raises(ValueError, match=r"BatchNorm: momentum must be in \[0, 1\)"):
        L.mlp([2, 4, 1], batch_norm=True, momentum=1.0, rng=np.random.default_rng(0))


def test_batch_norm_input_errors():
    layer = L.BatchNorm(4)
    with pytest.raises(ValueError, match=r"n \(the number of units\) must be a positive "
                                         r"integer, got 0"):
        L.BatchNorm(0)
    with pytest.raises(ValueError, match=r"^BatchNorm\(4\) expects Z of shape \(4, m\), got "
                                         r"\(3, 10\)$"):
        layer.forward(np.zeros((3, 10)))
    with pytest.raises(ValueError, match=r"BatchNorm\(4\) got Z containing NaN or infinity"):
        layer.forward(np.full((4, 3), np.nan))
    with pytest.raises(RuntimeError, match=r"BatchNorm\(4\)\.backward was called before "
                                           r"forward"):
        layer.backward(np.ones((4, 3)))
    with pytest.raises(RuntimeError, match=r"BatchNorm\(4\) has no gradients yet"):
        layer.gradients()
    layer.forward(np.arange(12.0).reshape(4, 3))
    with pytest.raises(ValueError, match=r"BatchNorm\(4\)\.backward expects dZ_tilde of shape "
                                         r"\(4, 3\)"):
        layer.backward(np.ones((3, 4)))
