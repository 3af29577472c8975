"""helpers.logistic_regression: the cost and its gradients against finite differences, the explicit
loop of the course's formulas, clear errors, training on the real images, the
computation graph."""

import warnings

import numpy as np
import pytest

from helpers import data
from helpers import logistic_regression as lg
from helpers.gradcheck import numerical_gradient
from helpers.validate import InputError


def problem(n: int, m: int, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
    w = rng.normal(size=(n, 1))
    b = float(rng.normal())
    return w, b, X, Y


def naive_cost(w, b, X, Y):
    """J written as in the course, with the plain sigmoid (fine for moderate z)."""
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


# --- forward and backward -------------------------------------------------------------


@pytest.mark.parametrize("n, m", [(1, 1), (3, 7), (5, 2)])
@pytest.mark.parametrize("seed", range(3))
def test_propagate_gradients_match_finite_differences(n, m, seed):
    w, b, X, Y = problem(n, m, seed)
    J, dw, db = lg.propagate(w, b, X, Y)
    assert J == pytest.approx(naive_cost(w, b, X, Y), rel=1e-12)
    assert dw.shape == (n, 1) and isinstance(db, float)
    numerical_dw = numerical_gradient(lambda v: lg.propagate(v, b, X, Y)[0], w)
    numerical_db = numerical_gradient(lambda v: lg.propagate(w, float(v), X, Y)[0], b)
    np.testing.assert_allclose(dw, numerical_dw, rtol=1e-6, atol=1e-9)
    assert db == pytest.approx(float(numerical_db), rel=1e-6, abs=1e-9)


def test_propagate_is_the_course_formulas_one_example_at_a_time():
    """dz = a − y, dw = x·dz, db = dz for each example, then the mean over the m."""
    w, b, X, Y = problem(4, 6, 7)
    J, dw, db = 0.0, np.zeros((4, 1)), 0.0
    for i in range(6):
        z = float(w[:, 0] @ X[:, i] + b)
        a = 1 / (1 + np.exp(-z))
        J += -(Y[0, i] * np.log(a) + (1 - Y[0, i]) * np.log(1 - a))
        dz = a - Y[0, i]
        dw += X[:, [i]] * dz
        db += dz
    got = lg.propagate(w, b, X, Y)
    assert got[0] == pytest.approx(J / 6, rel=1e-12)
    np.testing.assert_allclose(got[1], dw / 6, rtol=1e-12)
    assert got[2] == pytest.approx(db / 6, rel=1e-12)


def test_cost_functions_agree_and_stay_finite():
    w, b, X, Y = problem(3, 9, 1)
    A = lg.probabilities(w, b, X)
    assert A.shape == (1, 9) and np.all((A > 0) & (A < 1))
    assert lg.cost(A, Y) == pytest.approx(lg.cost_from_z(w.T @ X + b, Y), rel=1e-10)
    assert lg.squared_error_cost(A, Y) == pytest.approx(float(np.mean((A - Y) ** 2)))
    # certain and wrong: safe logs, no warning, no infinity
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        assert lg.loss(np.array([0.0, 1.0]), np.array([1.0, 0.0])) == pytest.approx(
            [-np.log(lg.EPS)] * 2, rel=1e-3)
        big = lg.cost_from_z(np.array([[-1000.0, 1000.0]]), np.array([[1.0, 0.0]]))
        assert big == pytest.approx(1000.0)
        J, dw, db = lg.propagate(np.array([[800.0]]), 0.0, np.array([[1.0, -1.0]]),
                                 np.array([[0.0, 1.0]]))
    assert J == pytest.approx(800.0) and np.isfinite(dw).all() and db == pytest.approx(0.0)


def test_loss_is_minus_log_of_the_probability_of_the_right_label():
    a = np.array([0.9, 0.2])
    np.testing.assert_allclose(lg.loss(a, np.array([1.0, 1.0])), -np.log(a))
    np.testing.assert_allclose(lg.loss(a, np.array([0.0, 0.0])), -np.log(1 - a))


def test_predict_and_the_confusion_counts():
    w, b = np.array([[1.0], [-1.0]]), 0.0
    X = np.array([[2.0, 0.0, 1.0, -3.0, 0.5], [0.0, 2.0, 0.0, 0.0, 0.5]])  # z: 2, −2, 1, −3, 0
    np.testing.assert_array_equal(lg.predict(w, b, X), [[1, 0, 1, 0, 0]])  # a > 0.5
    np.testing.assert_array_equal(lg.predict(w, b, X, threshold=0.8), [[1, 0, 0, 0, 0]])
    np.testing.assert_array_equal(lg.predict(w, b, X, threshold=0.1), [[1, 1, 1, 0, 1]])
    Y = np.array([[1, 1, 0, 0, 1]])
    counts = lg.confusion_counts(lg.predict(w, b, X), Y)
    assert counts == lg.Counts(tp=1, fp=1, tn=1, fn=2)
    assert counts.accuracy == pytest.approx(2 / 5)
    assert lg.accuracy(Y, Y) == 1.0


# --- the surface, the boundary line, the graph ------------------------------------------


def test_cost_surface_matches_propagate_and_is_convex_for_cross_entropy_only():
    rng = np.random.default_rng(5)
    x = rng.normal(size=40)
    y = (x + rng.normal(scale=0.8, size=40) > 0).astype(float)
    ws, bs = np.linspace(-8, 8, 41), np.linspace(-8, 8, 33)
    ce = lg.cost_surface(x, y, ws, bs)
    se = lg.cost_surface(x, y, ws, bs, "squared error")
    assert ce.shape == se.shape == (33, 41)
    assert ce[5, 7] == pytest.approx(lg.propagate([[ws[7]]], bs[5], x[None], y[None])[0])
    a = 1 / (1 + np.exp(-(ws[3] * x + bs[9])))
    assert se[9, 3] == pytest.approx(np.mean((a - y) ** 2))
    # second differences along every grid line: ≥ 0 for a convex function
    assert min(np.diff(ce, 2, axis=0).min(), np.diff(ce, 2, axis=1).min()) > -1e-12
    assert min(np.diff(se, 2, axis=0).min(), np.diff(se, 2, axis=1).min()) < -1e-4


def test_line_in_box_lies_on_the_line():
    for w1, w2, c in [(1.0, 2.0, -0.5), (3.0, 0.0, 1.0), (0.0, -2.0, 0.4), (0.2, 0.1, 3.0)]:
        x1, x2 = lg.line_in_box(w1, w2, c, (-3, 3), (-2, 2))
        np.testing.assert_allclose(w1 * x1 + w2 * x2 + c, 0.0, atol=1e-12)
        assert x1[0] != x1[1] or x2[0] != x2[1]
    assert lg.line_in_box(0.0, 0.0, 1.0, (-3, 3), (-2, 2)) is None


@pytest.mark.parametrize("y", [0, 1])
def test_graph_values_are_the_derivatives_of_the_loss(y):
    w, b, x = 0.7, -0.4, 1.8

    def loss_at(w_, b_, x_, a_=None):
        a = 1 / (1 + np.exp(-(w_ * x_ + b_))) if a_ is None else a_
        return -(y * np.log(a) + (1 - y) * np.log(1 - a))

    values = lg.graph_values(w, b, x, y)
    z = w * x + b
    a = 1 / (1 + np.exp(-z))
    assert values["z"][0] == pytest.approx(z) and values["a"][0] == pytest.approx(a)
    assert values["L"] == (pytest.approx(loss_at(w, b, x)), 1.0)
    numerical = {
        "w": numerical_gradient(lambda p: loss_at(float(p), b, x), w),
        "b": numerical_gradient(lambda p: loss_at(w, float(p), x), b),
        "x": numerical_gradient(lambda p: loss_at(w, b, float(p)), x),
        "z": numerical_gradient(lambda p: loss_at(0, float(p), 0), z),
        "a": numerical_gradient(lambda p: loss_at(w, b, x, float(p)), a),
    }
    for node, expected in numerical.items():
        assert values[node][1] == pytest.approx(float(expected), rel=1e-6), node
    assert values["z"][1] == pytest.approx(a - y)
    assert values["y"] == (y, None)


def test_graph_values_stay_finite_far_out():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = lg.graph_values(5.0, 5.0, 5.0, 0)  # z = 30
    assert all(np.isfinite(v) and (d is None or np.isfinite(d)) for v, d in values.values())


def test_draw_computation_graph_returns_the_texts_to_update():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    texts = lg.draw_computation_graph(ax)
    assert set(texts) == set(lg.GRAPH_NODES)
    assert texts["y"][1] is None
    assert all(value.get_animated() for value, _ in texts.values())
    assert all(d.get_animated() for _, d in texts.values() if d is not None)


# --- training ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shoes():
    """Sneakers (y = 1) against sandals (y = 0), as notebook 04 uses them."""
    clothes = data.load_fashion_mnist()

    def pick(images, labels):
        keep = (labels == 7) | (labels == 5)
        return data.flatten_images(images[keep]), (labels[keep] == 7).astype(float)[None, :]

    return (*pick(clothes.images_train, clothes.labels_train),
            *pick(clothes.images_test, clothes.labels_test))


def test_training_on_sneakers_and_sandals_reaches_90_percent_on_the_test_set(shoes):
    X_train, Y_train, X_test, Y_test = shoes
    run = lg.train(X_train, Y_train, lr=0.5, num_iterations=300)
    assert not run.diverged and run.costs.shape == (301,)
    assert run.costs[0] == pytest.approx(np.log(2))
    assert run.costs[-1] < 0.15
    assert lg.accuracy(lg.predict(run.w, run.b, X_train), Y_train) > 0.95
    assert lg.accuracy(lg.predict(run.w, run.b, X_test), Y_test) > 0.90


def test_small_learning_rate_goes_downhill_at_every_step():
    w, b, X, Y = problem(3, 50, 2)
    run = lg.train(X, Y, lr=0.1, num_iterations=100)
    assert np.all(np.diff(run.costs) <= 1e-15)


def test_a_huge_learning_rate_is_stopped_as_diverged(shoes):
    X_train, Y_train, _, _ = shoes
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = lg.train(X_train, Y_train, lr=1000.0, num_iterations=50)
    assert run.diverged and run.diverged_at == len(run.costs) - 1
    assert run.costs[-1] > lg.MAX_COST and np.all(run.costs[:-1] <= lg.MAX_COST)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = lg.train(X_train, Y_train, lr=1e308, num_iterations=5)
    assert run.diverged and np.all(np.isfinite(run.costs))


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, words", [
    ({"lr": 0.0}, "must be positive"),
    ({"lr": -0.1}, "must be positive"),
    ({"lr": float("nan")}, "finite"),
    ({"num_iterations": 0}, "positive integer"),
    ({"num_iterations": 2.5}, "positive integer"),
])
def test_train_rejects_bad_settings(kwargs, words):
    w, b, X, Y = problem(2, 5, 0)
    settings = {"lr": 0.1, "num_iterations": 10, **kwargs}
    with pytest.raises(ValueError, match=words):
        lg.train(X, Y, **settings)


def test_clear_errors_for_bad_shapes_and_values():
    w, b, X, Y = problem(3, 4, 0)
    with pytest.raises(ValueError, match=r"shape \(n, 1\) = \(3, 1\).*reshape"):
        lg.propagate(w.ravel(), b, X, Y)
    with pytest.raises(ValueError, match=r"shape \(n, 1\) = \(3, 1\)"):
        lg.propagate(w[:2], b, X, Y)
    with pytest.raises(ValueError, match=r"\(1, m\)"):
        lg.propagate(w, b, X, Y.T)
    with pytest.raises(ValueError, match="4 examples .* Y has 3"):
        lg.propagate(w, b, X, Y[:, :3])
    with pytest.raises(ValueError, match="only 0 and 1"):
        lg.propagate(w, b, X, Y * 2)
    with pytest.raises(ValueError, match="NaN"):
        lg.propagate(w, b, np.full((3, 4), np.nan), Y)
    with pytest.raises(ValueError, match="empty"):
        lg.propagate(w, b, np.zeros((3, 0)), np.zeros((1, 0)))
    with pytest.raises(TypeError, match="b must be a number"):
        lg.propagate(w, "zero", X, Y)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        lg.predict(w, b, X, threshold=1.5)
    with pytest.raises(ValueError, match="same shape"):
        lg.cost(np.full((1, 3), 0.5), Y)
    with pytest.raises(ValueError, match=r"probabilities"):
        lg.cost(np.full((1, 4), 1.5), Y)
    with pytest.raises(ValueError, match="kind must be one of"):
        lg.cost_surface([0.0, 1.0], [0, 1], [1.0], [0.0], "MAE")
    with pytest.raises(ValueError, match="label: 0 or 1"):
        lg.graph_values(1.0, 0.0, 1.0, 0.5)


@pytest.mark.parametrize("a, y, words", [
    ([2.0], [1.0], r"a holds probabilities ŷ: every value must lie in \[0, 1\]"),
    ([0.5], [3.0], "y must hold only 0 and 1"),
    (None, [1.0], "a is None"),
    ([0.5], None, "y is None"),
    ([np.nan], [1.0], "a contains NaN"),
    ([0.2, 0.3], [1.0, 0.0, 1.0], "a has shape .* but y has shape"),
])
def test_loss_checks_its_input_as_cost_does(a, y, words):
    """loss used to return 1e-15, 0.693 and NaN for the first three."""
    with pytest.raises(InputError, match=words):
        lg.loss(a, y)
    assert lg.loss(np.array([0.2, 0.9]), 1).shape == (2,)  # one label for every a
