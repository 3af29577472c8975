"""helpers.layers for C classes (notebook 08): softmax, log-sum-exp, one_hot, the Softmax
layer, the two cross-entropies (values, stability, gradients against finite differences),
predictions and accuracy, and a softmax classifier on real images."""

import contextlib
import math
import warnings

import numpy as np
import pytest
from gradient_asserts import assert_gradient

from helpers import layers as L
from helpers import training
from helpers.activations import sigmoid
from helpers.data import flatten_images, load_fashion_mnist
from helpers.gradcheck import check_model, numerical_gradient
from helpers.validate import InputError

SHAPES = [(2, 1), (2, 6), (3, 1), (4, 5), (10, 3)]  # (C, m)




def random_labels(C, m, rng, soft=False):
    """One-hot columns, or (soft) random probability columns."""
    if soft:
        P = rng.uniform(size=(C, m))
        return P / P.sum(axis=0, keepdims=True)
    return L.one_hot(rng.integers(0, C, size=m), C)


@contextlib.contextmanager
def no_warnings():
    """Every warning (overflow, invalid value, divide by zero) becomes an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- softmax, logsumexp, log_softmax ----------------------------------------------------


def test_softmax_of_the_worked_example():
    """The course's example: z = [5, 2, −1, 3], t = e^z, a = t / Σ t."""
    z = np.array([[5.0], [2.0], [-1.0], [3.0]])
    t = np.exp(z)
    np.testing.assert_allclose(L.softmax(z), t / t.sum(), rtol=1e-15)
    np.testing.assert_allclose(L.softmax(z).ravel(), [0.842, 0.042, 0.002, 0.114], atol=1e-3)


@pytest.mark.parametrize("C, m", SHAPES)
def test_softmax_columns_are_probabilities(C, m):
    Z = np.random.default_rng(0).normal(scale=5.0, size=(C, m))
    A = L.softmax(Z)
    assert A.shape == (C, m) and (A > 0).all()
    np.testing.assert_allclose(A.sum(axis=0), 1.0, rtol=1e-15)
    assert L.logsumexp(Z).shape == (1, m)
    np.testing.assert_allclose(L.logsumexp(Z), np.log(np.exp(Z).sum(axis=0, keepdims=True)),
                               rtol=1e-14)
    np.testing.assert_allclose(L.log_softmax(Z), np.log(A), rtol=1e-13, atol=1e-13)


def test_softmax_of_one_example_as_a_vector():
    np.testing.assert_allclose(L.softmax(np.array([1.0, 2.0])), L.softmax([[1.0], [2.0]]).ravel())


def test_equal_logits_give_uniform_probabilities():
    for value in [-1000.0, 0.0, 3.7, 1000.0]:
        np.testing.assert_array_equal(L.softmax(np.full((4, 2), value)), 0.25)
    np.testing.assert_allclose(L.log_softmax(np.full((2, 1), 1000.0)), -math.log(2), rtol=1e-15)


def test_huge_logits_are_finite_and_right():
    """Naively e^1000 overflows float64 (inf/inf = NaN); compare with long double, and
    with values worked out by hand."""
    Z = np.array([[1000.0, -1000.0, 1000.0, 0.0],
                  [-1000.0, -1000.0, 999.0, 1000.0],
                  [0.0, -1001.0, -1000.0, -1000.0]])
    with no_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        A, lse, log_A = L.softmax(Z), L.logsumexp(Z), L.log_softmax(Z)
    assert np.isfinite(A).all() and np.isfinite(lse).all() and np.isfinite(log_A).all()
    e = math.exp(-1.0)
    np.testing.assert_allclose(A[:, 2], [1 / (1 + e), e / (1 + e), 0.0], rtol=1e-15)
    np.testing.assert_allclose(lse, [[1000.0, -1000.0 + math.log(2 + e),
                                      1000.0 + math.log1p(e), 1000.0]], rtol=1e-15)
    assert log_A[1, 0] == -2000.0 and log_A[0, 1] == pytest.approx(-math.log(2 + e), rel=1e-15)
    if np.finfo(np.longdouble).maxexp > 1024:  # long double has room for e^1001
        Zl = Z.astype(np.longdouble)
        Tl = np.exp(Zl)
        np.testing.assert_allclose(A, (Tl / Tl.sum(axis=0)).astype(float), rtol=1e-15)
        np.testing.assert_allclose(lse, np.log(Tl.sum(axis=0, keepdims=True)).astype(float),
                                   rtol=1e-15)


def test_softmax_of_z_and_0_is_the_sigmoid():
    """C = 2: e^z / (e^z + e^0) = σ(z), so softmax regression with two classes is logistic
    regression."""
    z = np.linspace(-30, 30, 13)
    A = L.softmax(np.stack([z, np.zeros_like(z)]))
    np.testing.assert_allclose(A[0], sigmoid(z), rtol=1e-14)
    np.testing.assert_allclose(A[1], sigmoid(-z), rtol=1e-14)


# --- one_hot ------------------------------------------------------------------------------


def test_one_hot():
    np.testing.assert_array_equal(L.one_hot([2, 0], 3), [[0, 1], [0, 0], [1, 0]])
    Y = L.one_hot(np.array([1, 3, 3, 0]), 4)
    assert Y.shape == (4, 4) and Y.dtype == float
    np.testing.assert_array_equal(Y.argmax(axis=0), [1, 3, 3, 0])
    np.testing.assert_array_equal(Y.sum(axis=0), 1.0)
    np.testing.assert_array_equal(L.one_hot(np.array([1.0, 0.0]), 2), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(L.one_hot([[1, 0]], 2), [[0, 1], [1, 0]])  # (1, m) too


@pytest.mark.parametrize("labels, C, error, message", [
    ([0, 3], 3, ValueError, r"one_hot got labels from 0 to 3, but with C = 3 classes every "
                            r"label must be in 0\.\.2"),
    ([-1, 1], 3, ValueError, r"got labels from -1 to 1"),
    ([0.5, 1.0], 3, ValueError, r"one_hot expects integer labels \(class numbers 0, 1, 2, "
                                r"\.\.\.\), got 0\.5"),
    ([0.0, np.nan], 3, ValueError, r"expects integer labels .*got nan"),
    (["cat", "dog"], 3, TypeError, r"expects integer labels .*got an array of <U3"),
    ([0, 1], 1, ValueError, r"one_hot needs C ≥ 2 classes, got C = 1"),
    ([0, 1], 0, ValueError, r"C \(the number of classes\) must be a positive integer, got 0"),
    ([0, 1], 2.5, ValueError, r"must be a positive integer, got 2\.5"),
    ([], 3, ValueError, r"expects integer labels of shape \(m,\), .*got shape \(0,\)"),
    ([[0, 1], [1, 0]], 3, ValueError, r"got shape \(2, 2\)"),
])
def test_one_hot_errors(labels, C, error, message):
    with pytest.raises(error, match=message):
        L.one_hot(labels, C)


# --- the Softmax layer and the losses against finite differences -------------------------


@pytest.mark.parametrize("C, m", SHAPES)
def test_softmax_layer_backward_matches_finite_differences(C, m):
    """J = Σ A·R with a random R, so ∂J/∂A = R; check dZ."""
    rng = np.random.default_rng(0)
    Z, R = rng.normal(scale=2.0, size=(C, m)), rng.normal(size=(C, m))
    layer = L.Softmax()
    assert layer.forward(Z).shape == (C, m)
    dZ = layer.backward(R)
    assert dZ.shape == (C, m)
    assert_gradient(dZ, numerical_gradient(lambda Z_: np.sum(L.Softmax().forward(Z_) * R), Z))
    np.testing.assert_allclose(dZ.sum(axis=0), 0.0, atol=1e-12)  # softmax ignores a shift


@pytest.mark.parametrize("soft", [False, True], ids=["one-hot", "soft labels"])
@pytest.mark.parametrize("C, m", SHAPES)
def test_softmax_cross_entropy_backward_matches_finite_differences(C, m, soft):
    rng = np.random.default_rng(0)
    Z, Y = rng.normal(scale=2.0, size=(C, m)), random_labels(C, m, rng, soft)
    loss = L.SoftmaxCrossEntropy()
    J = loss.forward(Z, Y)
    assert isinstance(J, float) and J > 0
    dZ = loss.backward()
    np.testing.assert_allclose(dZ, (L.softmax(Z) - Y) / m, rtol=1e-15)  # dz = ŷ − y, with 1/m
    assert_gradient(dZ, numerical_gradient(lambda Z_: L.SoftmaxCrossEntropy().forward(Z_, Y), Z))


@pytest.mark.parametrize("soft", [False, True], ids=["one-hot", "soft labels"])
@pytest.mark.parametrize("C, m", SHAPES)
def test_categorical_cross_entropy_backward_matches_finite_differences(C, m, soft):
    rng = np.random.default_rng(0)
    A, Y = L.softmax(rng.normal(size=(C, m))), random_labels(C, m, rng, soft)
    loss = L.CategoricalCrossEntropy()
    J = loss.forward(A, Y)
    assert J == pytest.approx(-np.sum(Y * np.log(A)) / m, rel=1e-14)
    dA = loss.backward()
    assert_gradient(dA, numerical_gradient(
        lambda A_: L.CategoricalCrossEntropy().forward(A_, Y), A))


@pytest.mark.parametrize("C, m", SHAPES)
def test_softmax_then_categorical_cross_entropy_gives_the_same_dz(C, m):
    rng = np.random.default_rng(C + m)
    Z, Y = rng.normal(scale=3.0, size=(C, m)), random_labels(C, m, rng)
    fused, layer, separate = L.SoftmaxCrossEntropy(), L.Softmax(), L.CategoricalCrossEntropy()
    J_fused = fused.forward(Z, Y)
    J_separate = separate.forward(layer.forward(Z), Y)
    assert J_fused == pytest.approx(J_separate, rel=1e-12)
    np.testing.assert_allclose(layer.backward(separate.backward()), fused.backward(),
                               rtol=1e-10, atol=1e-15)


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    Z = np.array([[1000.0, -1000.0, 500.0], [-1000.0, 1000.0, 500.0]])
    Y = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    loss = L.SoftmaxCrossEntropy()
    with no_warnings():
        J = loss.forward(Z, Y)
        dZ = loss.backward()
    # only the first example is wrong, by 2000; the third costs log 2
    assert J == pytest.approx((2000.0 + math.log(2)) / 3, rel=1e-15)
    np.testing.assert_allclose(dZ, np.array([[1, 0, -0.5], [-1, 0, 0.5]]) / 3, atol=1e-16)


def test_categorical_cross_entropy_clips_a_probability_of_0():
    with no_warnings():
        J = L.CategoricalCrossEntropy().forward([[1.0, 0.5], [0.0, 0.5]], [[0, 1], [1, 0]])
    assert J == pytest.approx((-math.log(1e-12) + math.log(2)) / 2, rel=1e-12)


@pytest.mark.parametrize("m", [1, 7])
def test_with_two_classes_softmax_cross_entropy_is_binary_cross_entropy(m):
    """Scores [z; 0] with labels [y; 1 − y]: the same cost as the logistic regression of
    notebook 04, and the first row of dZ is its dz = (σ(z) − y)/m."""
    rng = np.random.default_rng(m)
    z, y = rng.normal(scale=3.0, size=(1, m)), rng.integers(0, 2, size=(1, m)).astype(float)
    softmax_loss, binary_loss = L.SoftmaxCrossEntropy(), L.BinaryCrossEntropyWithLogits()
    J = softmax_loss.forward(np.vstack([z, np.zeros_like(z)]), np.vstack([y, 1 - y]))
    assert J == pytest.approx(binary_loss.forward(z, y), rel=1e-13)
    np.testing.assert_allclose(softmax_loss.backward()[0:1], binary_loss.backward(), rtol=1e-12)
    assert L.BinaryCrossEntropy().forward(sigmoid(z), y) == pytest.approx(J, rel=1e-10)


# --- models, predictions, accuracy --------------------------------------------------------


def test_mlp_with_a_softmax_output():
    rng = np.random.default_rng(0)
    model = L.mlp([4, 8, 3], activation="tanh", output="softmax", rng=rng)
    assert repr(model) == "Sequential(Linear(4→8), Tanh, Linear(8→3), Softmax)"
    A = model.forward(rng.normal(size=(4, 5)))
    assert A.shape == (3, 5) and model.output is A
    np.testing.assert_allclose(A.sum(axis=0), 1.0, rtol=1e-15)
    assert list(model.parameters()) == ["W1", "b1", "W2", "b2"]


@pytest.mark.parametrize("sizes, m", [([3, 5, 4], 1), ([2, 6, 6, 3], 9), ([5, 2], 4)])
def test_check_model_passes_for_softmax_networks(sizes, m):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(sizes[0], m))
    Y = random_labels(sizes[-1], m, rng)
    on_logits = L.mlp(sizes, activation="tanh", rng=np.random.default_rng(0))
    on_probabilities = L.mlp(sizes, activation="tanh", output="softmax",
                             rng=np.random.default_rng(0))
    a = check_model(on_logits, L.SoftmaxCrossEntropy(), X, Y, include_input=True)
    b = check_model(on_probabilities, L.CategoricalCrossEntropy(), X, Y, include_input=True)
    assert a.ok, a
    assert b.ok, b
    for name, g in on_logits.gradients().items():  # the same network, the same gradients
        np.testing.assert_allclose(g, on_probabilities.gradients()[name], rtol=1e-9, atol=1e-15)


def test_predict_classes_and_accuracy_for_several_classes():
    model = L.Sequential(L.Linear.from_arrays(np.eye(3), np.zeros(3)), L.Softmax())
    X = np.array([[5.0, 0.0, 0.0, 1.0], [0.0, 5.0, 0.0, 2.0], [0.0, 0.0, 5.0, 0.0]])
    predicted = L.predict_classes(model, X)
    np.testing.assert_array_equal(predicted, [0, 1, 2, 1])
    assert predicted.dtype.kind == "i" and predicted.shape == (4,)
    assert L.accuracy(model, X, [0, 1, 2, 1]) == 1.0
    assert L.accuracy(model, X, np.array([0, 1, 2, 0])) == 0.75
    assert L.accuracy(model, X, L.one_hot([0, 2, 2, 0], 3)) == 0.5
    assert L.accuracy(model[:1], X, [[0, 1, 1, 1]]) == 0.75  # the scores z: same argmax


def test_predict_classes_for_one_sigmoid_output():
    model = L.Sequential(L.Linear.from_arrays([[1.0]], [[0.0]]), L.Sigmoid())
    X = np.array([[-2.0, 0.0, 1.0]])
    np.testing.assert_array_equal(L.predict_classes(model, X), [0, 1, 1])
    np.testing.assert_array_equal(L.predict_classes(model, X, threshold=0.9), [0, 0, 0])
    np.testing.assert_array_equal(L.predict_classes(model[:1], X, threshold=0.0), [0, 1, 1])


def test_a_softmax_classifier_learns_five_kinds_of_clothes():
    """Softmax regression (no hidden layer) and a one-hidden-layer network on five
    Fashion-MNIST classes: far above chance (0.2) on the 500 held-out images."""
    clothes = load_fashion_mnist()
    keep_train, keep_test = clothes.labels_train < 5, clothes.labels_test < 5
    X_train = flatten_images(clothes.images_train[keep_train])
    Y_train = L.one_hot(clothes.labels_train[keep_train], 5)
    X_test, labels_test = flatten_images(clothes.images_test[keep_test]), \
        clothes.labels_test[keep_test]
    assert X_train.shape == (784, 3000) and Y_train.shape == (5, 3000)
    for sizes, least in [([784, 5], 0.75), ([784, 32, 5], 0.78)]:
        rng = np.random.default_rng(0)
        model = L.mlp(sizes, rng=rng)
        history = training.train(model, L.SoftmaxCrossEntropy(), X_train, Y_train,
                          optimizer=L.Adam(lr=0.003), epochs=5, batch_size=100, rng=rng)
        assert not history.diverged
        assert history.costs[-1] < 0.5 * history.initial_cost
        assert history.initial_cost == pytest.approx(math.log(5), rel=0.3)  # about uniform
        test_accuracy = L.accuracy(model, X_test, labels_test)
        assert test_accuracy >= least, f"{sizes}: test accuracy {test_accuracy:.3f}"


# --- clear errors -------------------------------------------------------------------------


@pytest.mark.parametrize("loss_class", [L.SoftmaxCrossEntropy, L.CategoricalCrossEntropy])
def test_softmax_losses_want_one_hot_columns(loss_class):
    A = L.softmax(np.random.default_rng(0).normal(size=(3, 4)))
    with pytest.raises(ValueError, match=r"Y has shape \(4,\) but the prediction has shape "
                                         r"\(3, 4\); Y must be \(C, m\).*did you pass integer "
                                         r"labels\? use one_hot\(labels, C\)"):
        loss_class().forward(A, np.array([0, 2, 1, 1]))
    with pytest.raises(ValueError, match=r"Y has shape \(4, 3\).*transposed\? try \.T"):
        loss_class().forward(A, L.one_hot([0, 2, 1, 1], 3).T)
    with pytest.raises(ValueError, match=r"every column of Y to hold class probabilities .* "
                                         r"column sums from 0 to 2.*use one_hot\(labels, C\)"):
        loss_class().forward(A, [[1, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0]])
    with pytest.raises(ValueError, match=r"expects a prediction of shape \(C, m\): C ≥ 2 "
                                         r"rows.*got \(1, 4\).*BinaryCrossEntropy"):
        loss_class().forward(np.full((1, 4), 0.5), np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"got a prediction containing NaN"):
        loss_class().forward(np.full((2, 1), np.nan), [[1.0], [0.0]])
    with pytest.raises(RuntimeError, match="backward was called before forward"):
        loss_class().backward()


def test_categorical_cross_entropy_wants_probabilities():
    with pytest.raises(ValueError, match=r"expects probabilities between 0 and 1 \(a softmax "
                                         r"output\), got values from -2 to 3; for raw scores z "
                                         r"use SoftmaxCrossEntropy"):
        L.CategoricalCrossEntropy().forward([[3.0, -2.0], [0.5, 1.0]], [[1, 0], [0, 1]])


def test_softmax_input_errors():
    with pytest.raises(ValueError, match=r"softmax got Z containing NaN or infinity"):
        L.softmax([[np.inf], [0.0]])
    with pytest.raises(ValueError, match=r"logsumexp expects Z of shape \(C, m\).*got \(0,\)"):
        L.logsumexp([])
    with pytest.raises(ValueError, match=r"expects Z of shape \(C, m\).*got \(2, 2, 2\)"):
        L.Softmax().forward(np.zeros((2, 2, 2)))
    with pytest.raises(RuntimeError, match="backward was called before forward"):
        L.Softmax().backward(np.ones((2, 3)))
    layer = L.Softmax()
    layer.forward(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"Softmax\.backward expects dA of shape \(3, 2\)"):
        layer.backward(np.zeros((2, 3)))


def test_accuracy_errors_for_several_classes():
    model = L.Sequential(L.Linear.from_arrays(np.eye(3), np.zeros(3)), L.Softmax())
    X = np.eye(3)
    with pytest.raises(ValueError, match=r"predictions for 3 classes and 3 examples, so Y "
                                         r"must be one-hot of shape \(3, 3\) or integer labels "
                                         r"of shape \(3,\); got shape \(2, 3\)"):
        L.accuracy(model, X, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"accuracy got labels from 0 to 3, but the model has "
                                         r"C = 3 classes"):
        L.accuracy(model, X, [0, 1, 3])
    with pytest.raises(ValueError, match=r"accuracy expects integer labels"):
        L.accuracy(model, X, [0, 1, 1.5])


def test_mlp_output_choices():
    with pytest.raises(ValueError, match=r'output must be None, "sigmoid" \(two classes\) '
                                         r'or "softmax" \(several classes\), got \'relu\''):
        L.mlp([2, 3], output="relu", rng=np.random.default_rng(0))


def test_a_softmax_over_one_output_unit_is_refused():
    """A softmax over one unit is 1 whatever the input: such a model could never learn."""
    with pytest.raises(InputError, match=r'output="softmax" needs at least 2 output units.*'
                                         r'sizes ends in 1.*use output="sigmoid"'):
        L.mlp([2, 3, 1], output="softmax", rng=np.random.default_rng(0))
    assert repr(L.mlp([2, 3, 2], output="softmax", rng=np.random.default_rng(0))) == (
        "Sequential(Linear(2→3), ReLU, Linear(3→2), Softmax)")
