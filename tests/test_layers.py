"""helpers.layers: every backward against finite differences, the model builder, training,
divergence, clear errors, and a two-layer network on real images."""

import math
import textwrap
import warnings

import numpy as np
import pytest
from gradient_asserts import assert_gradient

from helpers import layers as L
from helpers import training
from helpers.data import flatten_images, load_fashion_mnist
from helpers.gradcheck import check_model, numerical_gradient

SHAPES = [(1, 1, 1), (3, 2, 1), (4, 3, 5), (2, 5, 7), (6, 1, 3)]  # (n_in, n_out, m)




# --- every layer's backward against finite differences --------------------------------


@pytest.mark.parametrize("n_in, n_out, m", SHAPES)
def test_linear_backward_matches_finite_differences(n_in, n_out, m):
    """J = Σ Z·R with a random R, so ∂J/∂Z = R; check dW, db and dA_prev."""
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(n_out, n_in)), rng.normal(size=(n_out, 1))
    A_prev, R = rng.normal(size=(n_in, m)), rng.normal(size=(n_out, m))
    layer = L.Linear.from_arrays(W, b)
    Z = layer.forward(A_prev)
    assert Z.shape == (n_out, m)
    dA_prev = layer.backward(R)
    assert layer.dW.shape == W.shape and layer.db.shape == (n_out, 1)
    assert dA_prev.shape == (n_in, m)
    assert_gradient(layer.dW, numerical_gradient(
        lambda W_: np.sum(L.Linear.from_arrays(W_, b).forward(A_prev) * R), W))
    assert_gradient(layer.db, numerical_gradient(
        lambda b_: np.sum(L.Linear.from_arrays(W, b_).forward(A_prev) * R), b))
    assert_gradient(dA_prev, numerical_gradient(
        lambda A_: np.sum(L.Linear.from_arrays(W, b).forward(A_) * R), A_prev))


def _activation_input(name: str, shape, rng) -> np.ndarray:
    if name == "relu":  # keep away from the corner at 0, where ReLU has no derivative
        return rng.uniform(0.1, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    return rng.normal(scale=2.0, size=shape)


@pytest.mark.parametrize("n, m", [(1, 1), (3, 1), (4, 6), (2, 9)])
@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_activation_backward_matches_finite_differences(name, n, m):
    """J = Σ A·R with a random R, so ∂J/∂A = R; check dZ."""
    rng = np.random.default_rng(0)
    Z, R = _activation_input(name, (n, m), rng), rng.normal(size=(n, m))
    layer = L.ACTIVATIONS[name]()
    assert layer.forward(Z).shape == (n, m)
    dZ = layer.backward(R)
    assert dZ.shape == (n, m)
    assert_gradient(dZ, numerical_gradient(
        lambda Z_: np.sum(L.ACTIVATIONS[name]().forward(Z_) * R), Z))


def test_activation_values():
    z = np.array([[-2.0, 0.0, 0.5, 3.0]])
    np.testing.assert_array_equal(L.ReLU().forward(z), [[0.0, 0.0, 0.5, 3.0]])
    np.testing.assert_allclose(L.Sigmoid().forward(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(L.Tanh().forward(z), np.tanh(z), rtol=1e-14)


def test_sigmoid_and_tanh_are_stable_far_from_zero():
    z = np.array([[-1000.0, -710.0, 0.0, 710.0, 1000.0]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        a, t = L.Sigmoid().forward(z), L.Tanh().forward(z)
    np.testing.assert_allclose(a, [[0.0, 0.0, 0.5, 1.0, 1.0]], rtol=0, atol=1e-300)
    np.testing.assert_array_equal(t, [[-1.0, -1.0, 0.0, 1.0, 1.0]])


LOSS_CASES = [  # (loss class, shape of the prediction)
    (L.MSE, (1, 1)), (L.MSE, (1, 7)), (L.MSE, (3, 5)), (L.MSE, (6,)),
    (L.BinaryCrossEntropy, (1, 1)), (L.BinaryCrossEntropy, (1, 8)),
    (L.BinaryCrossEntropy, (5,)),
    (L.BinaryCrossEntropyWithLogits, (1, 1)), (L.BinaryCrossEntropyWithLogits, (1, 8)),
    (L.BinaryCrossEntropyWithLogits, (5,)),
]


@pytest.mark.parametrize("loss_class, shape, labels",
                         [(*case, labels) for case in LOSS_CASES
                          for labels in (("any",) if case[0] is L.MSE else ("0/1", "soft"))])
def test_loss_backward_matches_finite_differences(loss_class, shape, labels):
    rng = np.random.default_rng(0)
    if loss_class is L.BinaryCrossEntropy:
        prediction = rng.uniform(0.05, 0.95, size=shape)   # probabilities
    else:
        prediction = rng.normal(scale=2.0, size=shape)
    if loss_class is L.MSE:
        Y = rng.normal(size=shape)
    elif labels == "0/1":
        Y = rng.integers(0, 2, size=shape).astype(float)
    else:  # soft labels in [0, 1]
        Y = rng.uniform(size=shape)
    loss = loss_class()
    J = loss.forward(prediction, Y)
    assert isinstance(J, float)
    d_prediction = loss.backward()
    assert d_prediction.shape == shape
    assert_gradient(d_prediction, numerical_gradient(
        lambda P: loss_class().forward(P, Y), prediction))


def test_loss_values_match_their_formulas():
    y_hat, Y = np.array([[0.2, 0.9, 0.6]]), np.array([[0.0, 1.0, 1.0]])
    assert L.MSE().forward(y_hat, Y) == pytest.approx(np.mean((y_hat - Y) ** 2), rel=1e-14)
    bce = -np.mean(Y * np.log(y_hat) + (1 - Y) * np.log(1 - y_hat))
    assert L.BinaryCrossEntropy().forward(y_hat, Y) == pytest.approx(bce, rel=1e-14)
    z = np.log(y_hat / (1 - y_hat))  # σ(z) = y_hat
    assert L.BinaryCrossEntropyWithLogits().forward(z, Y) == pytest.approx(bce, rel=1e-12)
    loss = L.BinaryCrossEntropyWithLogits()
    loss.forward(z, Y)
    np.testing.assert_allclose(loss.backward(), (y_hat - Y) / 3, rtol=1e-12)  # dz = (a − y)/m


def test_cross_entropy_with_logits_is_stable_for_huge_z():
    z, Y = np.array([[-1000.0, 1000.0, 800.0]]), np.array([[0.0, 1.0, 0.0]])
    loss = L.BinaryCrossEntropyWithLogits()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert loss.forward(z, Y) == pytest.approx(800.0 / 3)  # only the wrong one costs
        np.testing.assert_allclose(loss.backward(), [[0.0, 0.0, 1 / 3]], atol=1e-15)


def test_cross_entropy_clips_probabilities_of_exactly_0_and_1():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = L.BinaryCrossEntropy().forward(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]]))
    assert J == pytest.approx(-np.log(1e-12) / 2, rel=1e-6)


def test_a_label_vector_of_shape_m_works_with_a_1_by_m_prediction():
    rng = np.random.default_rng(0)
    prediction, y = rng.uniform(0.1, 0.9, size=(1, 6)), rng.integers(0, 2, size=6)
    loss = L.BinaryCrossEntropy()
    J = loss.forward(prediction, y)
    assert J == pytest.approx(L.BinaryCrossEntropy().forward(prediction, y.reshape(1, -1)))
    assert loss.backward().shape == (1, 6)


# --- whole models ----------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("sizes, m", [([2, 8, 8, 1], 1), ([3, 5, 1], 12), ([4, 6, 3, 1], 7)])
def test_check_model_passes_for_whole_networks(sizes, m, activation):
    rng = np.random.default_rng(0)
    model = L.mlp(sizes, activation=activation, output="sigmoid", rng=rng)
    X = rng.normal(size=(sizes[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    report = check_model(model, L.BinaryCrossEntropy(), X, Y, include_input=True)
    assert report.ok, report
    assert [row.name for row in report] == [f"d{k}" for k in model.parameters()] + ["dX"]
    assert report.max_relative_error < 1e-6


@pytest.mark.parametrize("loss_class", [L.MSE, L.BinaryCrossEntropyWithLogits])
def test_check_model_passes_for_networks_without_an_output_sigmoid(loss_class):
    rng = np.random.default_rng(3)
    model = L.mlp([3, 6, 4, 1], activation="tanh", rng=rng)
    X, Y = rng.normal(size=(3, 10)), rng.integers(0, 2, size=(1, 10)).astype(float)
    report = check_model(model, loss_class(), X, Y, include_input=True)
    assert report.ok, report


class SigmoidForgettingAFactor(L.Sigmoid):
    """A typical slip: da/dz = a instead of a (1 − a)."""

    def backward(self, dA):
        return dA * self.A


class LinearWithAMeanForDb(L.Linear):
    """Another: db averaged over the examples, so a factor 1/m too many."""

    def backward(self, dZ):
        dA_prev = super().backward(dZ)
        self.db = dZ.mean(axis=1, keepdims=True)
        return dA_prev


def test_check_model_catches_a_hidden_activation_that_forgets_a_factor():
    rng = np.random.default_rng(0)
    good = L.mlp([2, 5, 4, 1], activation="sigmoid", output="sigmoid", rng=rng)
    broken = L.Sequential(*[SigmoidForgettingAFactor() if i == 1 else layer
                            for i, layer in enumerate(good)])
    X, Y = rng.normal(size=(2, 9)), rng.integers(0, 2, size=(1, 9)).astype(float)
    assert check_model(good, L.BinaryCrossEntropy(), X, Y).ok
    report = check_model(broken, L.BinaryCrossEntropy(), X, Y)
    assert not report.ok
    # only the gradients that flow through the broken activation are wrong
    assert [row.name for row in report if not row.ok] == ["dW1", "db1"]
    assert report["dW1"].relative_error > 1e-2
    assert "✗ dW1, db1 do not match finite differences" in repr(report)


def test_check_model_catches_a_missing_factor_in_db():
    rng = np.random.default_rng(1)
    W, b = rng.normal(size=(3, 2)), rng.normal(size=(3, 1))
    model = L.Sequential(LinearWithAMeanForDb.from_arrays(W, b), L.Tanh(),
                         L.Linear(3, 1, rng=rng), L.Sigmoid())
    X, Y = rng.normal(size=(2, 6)), rng.integers(0, 2, size=(1, 6)).astype(float)
    report = check_model(model, L.BinaryCrossEntropy(), X, Y)
    assert not report.ok
    assert [row.name for row in report if not row.ok] == ["db1"]
    # with m = 6 examples the analytic db1 is 1/6 of the right one: error (1 − 1/6)/(1 + 1/6)
    assert report["db1"].relative_error == pytest.approx(5 / 7, rel=1e-4)


def test_mlp_builds_the_right_layers():
    rng = np.random.default_rng(0)
    model = L.mlp([2, 8, 8, 1], activation="tanh", output="sigmoid", rng=rng)
    assert repr(model) == ("Sequential(Linear(2→8), Tanh, Linear(8→8), Tanh, Linear(8→1), "
                           "Sigmoid)")
    assert [type(layer) for layer in model] == [L.Linear, L.Tanh, L.Linear, L.Tanh, L.Linear,
                                                L.Sigmoid]
    params = model.parameters()
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [p.shape for p in params.values()] == [(8, 2), (8, 1), (8, 8), (8, 1), (1, 8),
                                                  (1, 1)]
    assert model.n_parameters() == 8 * 2 + 8 + 8 * 8 + 8 + 8 + 1 == 105
    assert params["W2"] is model[2].W  # the arrays themselves, not copies
    assert repr(L.mlp([3, 4], rng=rng)) == "Sequential(Linear(3→4))"
    assert repr(L.mlp([3, 4, 2], rng=rng)) == "Sequential(Linear(3→4), ReLU, Linear(4→2))"


def test_sequential_indexing_and_gradients_keys():
    rng = np.random.default_rng(0)
    model = L.mlp([2, 3, 1], activation="relu", output="sigmoid", rng=rng)
    assert len(model) == 4 and isinstance(model[0], L.Linear) and isinstance(model[-1], L.Sigmoid)
    assert repr(model[:2]) == "Sequential(Linear(2→3), ReLU)"
    X = rng.normal(size=(2, 5))
    y_hat = model(X)
    assert y_hat.shape == (1, 5) and model.output is y_hat
    dX = model.backward(np.ones((1, 5)))
    assert dX.shape == (2, 5)
    assert list(model.gradients()) == list(model.parameters())
    for name, p in model.parameters().items():
        assert model.gradients()[name].shape == p.shape


def test_layers_keep_their_outputs_without_copying():
    """For the histograms of notebook 05, and for speed: no needless copies."""
    rng = np.random.default_rng(0)
    model = L.mlp([2, 4, 1], activation="relu", rng=rng)
    X = rng.normal(size=(2, 6))
    model.forward(X)
    linear, relu, last = model
    assert linear.A_prev is X
    assert relu.Z is linear.Z and last.A_prev is relu.A
    assert linear.output is linear.Z and relu.output is relu.A


@pytest.mark.parametrize("init, std", [("he", math.sqrt(2 / 400)), ("xavier", math.sqrt(1 / 400)),
                                       (0.3, 0.3)])
def test_initialisation_scales(init, std):
    layer = L.Linear(400, 300, rng=np.random.default_rng(0), init=init)
    assert layer.W.shape == (300, 400) and layer.b.shape == (300, 1)
    assert layer.W.std() == pytest.approx(std, rel=0.01)
    assert abs(layer.W.mean()) < 0.01 * std
    np.testing.assert_array_equal(layer.b, 0.0)


def test_zero_initialisation_and_the_same_seed_gives_the_same_weights():
    assert not L.Linear(3, 2, rng=np.random.default_rng(0), init=0.0).W.any()
    a = L.mlp([3, 4, 1], rng=np.random.default_rng(5))
    b = L.mlp([3, 4, 1], rng=np.random.default_rng(5))
    for p, q in zip(a.parameters().values(), b.parameters().values(), strict=True):
        np.testing.assert_array_equal(p, q)


def test_from_arrays_copies():
    W, b = np.ones((2, 3)), np.zeros(2)
    layer = L.Linear.from_arrays(W, b)
    W[0, 0] = 5.0
    assert layer.W[0, 0] == 1.0 and layer.b.shape == (2, 1)
    np.testing.assert_array_equal(layer.forward(np.eye(3)), np.ones((2, 3)))
    assert repr(layer) == "Linear(3→2)"


def test_sgd_step_updates_the_parameters_in_place():
    rng = np.random.default_rng(0)
    model = L.mlp([2, 3, 1], rng=rng)
    W1 = model[0].W
    before = {k: p.copy() for k, p in model.parameters().items()}
    model.forward(rng.normal(size=(2, 4)))
    model.backward(np.ones((1, 4)))
    L.sgd_step(model, lr=0.1)
    assert model[0].W is W1
    for name, p in model.parameters().items():
        np.testing.assert_allclose(p, before[name] - 0.1 * model.gradients()[name], rtol=1e-14)


def test_accuracy_counts_the_right_predictions():
    model = L.Sequential(L.Linear.from_arrays([[1.0]], [[0.0]]), L.Sigmoid())
    X = np.array([[-2.0, -1.0, 1.0, 2.0]])
    assert L.accuracy(model, X, [[0, 1, 1, 1]]) == 0.75
    assert L.accuracy(model, X, np.array([0, 0, 1, 1])) == 1.0
    assert L.accuracy(model[:1], X, [0, 0, 1, 1], threshold=0.0) == 1.0  # z instead of σ(z)


# --- training --------------------------------------------------------------------------


def _two_blobs(m: int, rng):
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    X = rng.normal(size=(2, m)) + 2.0 * (Y - 0.5)
    return X, Y


@pytest.mark.parametrize("batch_size", [None, 16])
def test_train_lowers_the_cost(batch_size):
    rng = np.random.default_rng(0)
    X, Y = _two_blobs(200, rng)
    model = L.mlp([2, 8, 1], activation="tanh", output="sigmoid", rng=rng)
    history = training.train(model, L.BinaryCrossEntropy(), X, Y, lr=0.5, epochs=40,
                      batch_size=batch_size, rng=rng)
    assert history.diverged_at is None and not history.diverged
    assert len(history.costs) == 40
    assert history.costs[-1] < 0.5 * history.initial_cost
    assert history.costs[-1] == pytest.approx(L.BinaryCrossEntropy().forward(model(X), Y))
    assert L.accuracy(model, X, Y) > 0.9


def test_full_batch_training_is_plain_gradient_descent():
    """Two epochs of train = two steps of forward, backward, sgd_step by hand."""
    rng = np.random.default_rng(1)
    X, Y = _two_blobs(30, rng)
    a = L.mlp([2, 4, 1], output="sigmoid", rng=np.random.default_rng(2))
    b = L.mlp([2, 4, 1], output="sigmoid", rng=np.random.default_rng(2))
    training.train(a, L.BinaryCrossEntropy(), X, Y, lr=0.3, epochs=2)
    loss = L.BinaryCrossEntropy()
    for _ in range(2):
        loss.forward(b.forward(X), Y)
        b.backward(loss.backward())
        L.sgd_step(b, lr=0.3)
    for p, q in zip(a.parameters().values(), b.parameters().values(), strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-13)


@pytest.mark.parametrize("batch_size", [None, 8])
def test_a_diverging_learning_rate_stops_training_without_warnings(batch_size):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 50))
    Y = (X.sum(axis=0, keepdims=True) > 0).astype(float)
    model = L.mlp([3, 8, 1], activation="relu", rng=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as pytest runs: -W error::RuntimeWarning
        history = training.train(model, L.MSE(), X, Y, lr=5.0, epochs=500, batch_size=batch_size,
                          rng=rng)
    assert history.diverged_at is not None and history.diverged
    assert len(history.costs) == history.diverged_at + 1 < 500
    last = history.costs[-1]
    assert last == math.inf or last > 1e6 * history.initial_cost


def test_an_overflow_inside_the_network_counts_as_divergence():
    """A step so big that the next forward pass overflows to inf inside a layer."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(2, 20)), rng.normal(size=(1, 20))
    model = L.mlp([2, 4, 4, 1], activation="relu", rng=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = training.train(model, L.MSE(), X, Y, lr=1e300, epochs=10)
    assert history.diverged_at == 0 and history.costs == [math.inf]


def test_a_saturating_cross_entropy_counts_as_divergence_with_a_smaller_factor():
    """A too large lr saturates the sigmoid: the cost rises but never a millionfold."""
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(2, 300))
    Y = (X[0] ** 2 + X[1] ** 2 < 0.5).astype(float)[None, :]

    def run(**settings):
        model = L.mlp([2, 16, 16, 1], activation="tanh", output="sigmoid",
                      rng=np.random.default_rng(0))
        return training.train(model, L.BinaryCrossEntropy(), X, Y, lr=30.0, epochs=300, **settings)

    default = run()
    assert default.diverged_at is None and default.costs[-1] > 10 * default.initial_cost
    strict = run(divergence_factor=10)
    assert strict.diverged_at is not None and strict.costs[-1] > 10 * strict.initial_cost
    with pytest.raises(ValueError, match="divergence_factor must be a number > 1, got 1"):
        run(divergence_factor=1)


def test_training_a_model_with_nan_parameters_says_why():
    rng = np.random.default_rng(0)
    model = L.mlp([2, 3, 1], rng=rng)
    model[2].W[0, 1] = np.nan
    with pytest.raises(ValueError, match=r"the model's W2 contains NaN or infinity \(did an "
                                         r"earlier training diverge\?\): build a new model"):
        training.train(model, L.MSE(), np.ones((2, 4)), np.ones((1, 4)), lr=0.1, epochs=1)


def test_the_same_seed_gives_the_same_training():
    def run():
        rng = np.random.default_rng(7)
        X, Y = _two_blobs(64, rng)
        model = L.mlp([2, 5, 1], output="sigmoid", rng=rng)
        return training.train(model, L.BinaryCrossEntropy(), X, Y, lr=0.2, epochs=5, batch_size=10,
                       rng=rng).costs
    assert run() == run()


def test_the_module_docstring_example_runs(capsys):
    code = textwrap.dedent(L.__doc__.split("::\n", 1)[1].split("\n``helpers.gradcheck")[0])
    exec(code, {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == ("Sequential(Linear(2→8), Tanh, Linear(8→8), Tanh, Linear(8→1), "
                          "Sigmoid)")
    assert printed[1].startswith("cost ") and "accuracy" in printed[1]


def test_two_layer_network_reaches_83_percent_on_shirt_vs_tshirt_within_10_epochs():
    """Shirt (positive) vs T-shirt/top (negative), a hard pair of Fashion-MNIST classes:
    mlp([784, 32, 1], relu, sigmoid output), seed 0, mini-batches of 120, lr 0.03, binary
    cross-entropy. Test accuracy ≥ 0.83 on the 200 held-out images after ≤ 10 epochs
    (1,200 training images); better than chance (0.5) and than the untrained network."""
    clothes = load_fashion_mnist()
    shirt, tshirt = clothes.class_names.index("Shirt"), clothes.class_names.index("T-shirt/top")

    def task(images, labels):
        keep = (labels == shirt) | (labels == tshirt)
        return flatten_images(images[keep]), (labels[keep] == shirt).astype(float)[None, :]

    X_train, Y_train = task(clothes.images_train, clothes.labels_train)
    X_test, Y_test = task(clothes.images_test, clothes.labels_test)
    assert X_train.shape == (784, 1200) and X_test.shape == (784, 200)
    rng = np.random.default_rng(0)
    model = L.mlp([784, 32, 1], activation="relu", output="sigmoid", rng=rng)
    before = L.accuracy(model, X_test, Y_test)
    history = training.train(model, L.BinaryCrossEntropy(), X_train, Y_train, lr=0.03, epochs=10,
                      batch_size=120, rng=rng)
    after = L.accuracy(model, X_test, Y_test)
    assert history.diverged_at is None
    assert history.costs[-1] < history.initial_cost
    assert after >= 0.83, f"test accuracy {after:.3f} (before training {before:.3f})"
    assert after > before + 0.1


# --- bad input gets a clear error -------------------------------------------------------


@pytest.fixture
def layer():
    return L.Linear(784, 16, rng=np.random.default_rng(0))


def test_wrong_number_of_rows(layer):
    with pytest.raises(ValueError, match=r"^Linear\(784→16\) expects A_prev of shape "
                                         r"\(784, m\), got \(783, 100\)$"):
        layer.forward(np.zeros((783, 100)))


def test_transposed_input_and_a_single_example_as_a_vector_get_hints(layer):
    with pytest.raises(ValueError, match=r"got \(100, 784\).*transposed\? try \.T"):
        layer.forward(np.zeros((100, 784)))
    with pytest.raises(ValueError, match=r"got \(784,\).*x\.reshape\(-1, 1\)"):
        layer.forward(np.zeros(784))


def test_non_numeric_input(layer):
    with pytest.raises(TypeError, match="expects A_prev to be an array of numbers"):
        layer.forward([["a"] * 3] * 784)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_input(layer, bad):
    X = np.zeros((784, 3))
    X[5, 1] = bad
    with pytest.raises(ValueError, match=r"Linear\(784→16\) got A_prev containing NaN or "
                                         r"infinity"):
        layer.forward(X)
    model = L.Sequential(layer, L.ReLU())
    with pytest.raises(ValueError, match="NaN or infinity"):
        model.forward(X)
    with pytest.raises(ValueError, match="ReLU got Z containing NaN or infinity"):
        L.ReLU().forward(np.array([[1.0, bad]]))
    with pytest.raises(ValueError, match=r"MSE\(\) got a prediction containing NaN"):
        L.MSE().forward(np.array([[1.0, bad]]), np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"MSE\(\) got Y containing NaN"):
        L.MSE().forward(np.zeros((1, 2)), np.array([[1.0, bad]]))
    with pytest.raises(ValueError, match="train got X containing NaN or infinity"):
        training.train(model, L.MSE(), X, np.zeros((16, 3)), lr=0.1, epochs=1)


def test_huge_but_finite_input_is_accepted():
    """The finiteness check sums the array; a sum that overflows is not a NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = L.ReLU().forward(np.array([[1e308, 1e308, -1.0]]))
    assert A[0, 0] == 1e308


def test_empty_data(layer):
    with pytest.raises(ValueError, match=r"got A_prev with no examples: shape \(784, 0\) "
                                         r"\(m = 0\)"):
        layer.forward(np.zeros((784, 0)))
    with pytest.raises(ValueError, match="ReLU got an empty Z"):
        L.ReLU().forward(np.zeros((3, 0)))
    with pytest.raises(ValueError, match="with m ≥ 1"):
        L.MSE().forward(np.zeros((1, 0)), np.zeros((1, 0)))
    model = L.mlp([2, 3, 1], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"X must have shape \(n, m\) with m ≥ 1 examples, "
                                         r"got \(2, 0\)"):
        training.train(model, L.MSE(), np.zeros((2, 0)), np.zeros((1, 0)), lr=0.1, epochs=1)


@pytest.mark.parametrize("lr", [0, -0.1, np.inf, np.nan])
def test_bad_learning_rates(lr):
    rng = np.random.default_rng(0)
    model = L.mlp([2, 3, 1], rng=rng)
    X, Y = rng.normal(size=(2, 5)), rng.normal(size=(1, 5))
    with pytest.raises(ValueError, match=r"the learning rate lr must be a positive finite "
                                         r"number, got"):
        training.train(model, L.MSE(), X, Y, lr=lr, epochs=3)
    model.forward(X)
    model.backward(np.ones((1, 5)))
    with pytest.raises(ValueError, match="the learning rate lr must be a positive finite"):
        L.sgd_step(model, lr)


@pytest.mark.parametrize("lr", ["0.1", None, True, [0.1]])
def test_a_learning_rate_that_is_not_a_number(lr):
    model = L.mlp([2, 3, 1], rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="the learning rate lr must be a number, got"):
        training.train(model, L.MSE(), np.zeros((2, 4)), np.zeros((1, 4)), lr=lr, epochs=1)


def test_backward_before_forward():
    rng = np.random.default_rng(0)
    for layer in [L.Linear(2, 3, rng=rng), L.ReLU(), L.Sigmoid(), L.Tanh(),
                  L.mlp([2, 3, 1], rng=rng)]:
        with pytest.raises(RuntimeError, match=r"backward was called before forward"):
            layer.backward(np.ones((3, 4)))
    for loss in [L.MSE(), L.BinaryCrossEntropy(), L.BinaryCrossEntropyWithLogits()]:
        with pytest.raises(RuntimeError, match=r"backward was called before forward"):
            loss.backward()
    with pytest.raises(RuntimeError, match=r"Linear\(2→3\) has no gradients yet: run "
                                           r"forward, then backward"):
        L.sgd_step(L.mlp([2, 3], rng=rng), lr=0.1)


def test_a_gradient_of_the_wrong_shape():
    layer = L.Linear(2, 3, rng=np.random.default_rng(0))
    layer.forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"Linear\(2→3\)\.backward expects dZ of shape "
                                         r"\(3, 4\) \(the shape of its last output\), "
                                         r"got \(4, 3\)"):
        layer.backward(np.ones((4, 3)))
    relu = L.ReLU()
    relu.forward(np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"ReLU\.backward expects dA of shape \(3, 4\)"):
        relu.backward(np.ones((1, 4)))


def test_loss_shape_mismatches():
    with pytest.raises(ValueError, match=r"Y has shape \(5, 1\) but the prediction has "
                                         r"shape \(1, 5\); they must match"):
        L.MSE().forward(np.zeros((1, 5)), np.zeros((5, 1)))
    with pytest.raises(ValueError, match=r"Y has shape \(1, 4\) but the prediction has "
                                         r"shape \(1, 5\)"):
        L.BinaryCrossEntropy().forward(np.full((1, 5), 0.5), np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"X has 5 examples \(columns\) but Y has shape "
                                         r"\(1, 4\)"):
        training.train(L.mlp([2, 1], rng=np.random.default_rng(0)), L.MSE(), np.zeros((2, 5)),
                np.zeros((1, 4)), lr=0.1, epochs=1)


def test_cross_entropy_needs_probabilities_and_labels_between_0_and_1():
    with pytest.raises(ValueError, match=r"expects probabilities between 0 and 1 .* got "
                                         r"values from -0.5 to 2.*WithLogits"):
        L.BinaryCrossEntropy().forward(np.array([[-0.5, 2.0]]), np.array([[0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"expects labels Y between 0 and 1 .* got values "
                                         r"from -1 to 1"):
        L.BinaryCrossEntropyWithLogits().forward(np.zeros((1, 2)), np.array([[-1.0, 1.0]]))


def test_bad_model_definitions():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"activation must be one of \['relu', 'sigmoid', "
                                         r"'tanh'\], got 'softmax'"):
        L.mlp([2, 3, 1], activation="softmax", rng=rng)
    with pytest.raises(ValueError, match=r'output must be None, "sigmoid" .*got \'relu\''):
        L.mlp([2, 3, 1], output="relu", rng=rng)
    with pytest.raises(ValueError, match=r"sizes needs the number of inputs and at least "
                                         r"one layer size"):
        L.mlp([2], rng=rng)
    with pytest.raises(ValueError, match="every size in sizes must be a positive integer, "
                                         "got 0"):
        L.mlp([2, 0, 1], rng=rng)
    with pytest.raises(TypeError, match=r"rng must be a NumPy random Generator, "
                                        r"np\.random\.default_rng\(seed\); got int"):
        L.Linear(2, 3, rng=0)
    with pytest.raises(ValueError, match=r'init must be "he", "xavier" or a standard '
                                         r'deviation ≥ 0, got \'lecun\''):
        L.Linear(2, 3, rng=rng, init="lecun")
    with pytest.raises(ValueError, match=r"b must have shape \(2, 1\)"):
        L.Linear.from_arrays(np.ones((2, 3)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="Sequential needs at least one layer"):
        L.Sequential()
    with pytest.raises(TypeError, match="Sequential takes layers"):
        L.Sequential(L.ReLU(), np.tanh)


def test_bad_training_settings():
    rng = np.random.default_rng(0)
    model = L.mlp([2, 3, 1], rng=rng)
    X, Y = rng.normal(size=(2, 6)), rng.normal(size=(1, 6))
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 0"):
        training.train(model, L.MSE(), X, Y, lr=0.1, epochs=0)
    with pytest.raises(TypeError, match="rng must be a NumPy random Generator"):
        training.train(model, L.MSE(), X, Y, lr=0.1, epochs=2, batch_size=2)
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        training.train(model, L.MSE(), X, Y, lr=0.1, epochs=2, batch_size=0, rng=rng)
