"""helpers.logistic_regression: the cost and its gradients against finite differences, the explicit
loop of the course's formulas, clear errors, training on the real images, the
computation graph's values, the notebook's three live figures."""

import math
import warnings

import numpy as np
import pytest
from live_driver import moved, readouts

from helpers import data, live
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
    J, dw, db = lg.propagate(X, Y, w, b)
    assert J == pytest.approx(naive_cost(w, b, X, Y), rel=1e-12)
    assert dw.shape == (n, 1) and isinstance(db, float)
    numerical_dw = numerical_gradient(lambda v: lg.propagate(X, Y, v, b)[0], w)
    numerical_db = numerical_gradient(lambda v: lg.propagate(X, Y, w, float(v))[0], b)
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
    got = lg.propagate(X, Y, w, b)
    assert got[0] == pytest.approx(J / 6, rel=1e-12)
    np.testing.assert_allclose(got[1], dw / 6, rtol=1e-12)
    assert got[2] == pytest.approx(db / 6, rel=1e-12)


def test_cost_functions_agree_and_stay_finite():
    w, b, X, Y = problem(3, 9, 1)
    A = lg.probabilities(X, w, b)
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
        J, dw, db = lg.propagate(np.array([[1.0, -1.0]]), np.array([[0.0, 1.0]]),
                                 np.array([[800.0]]), 0.0)
    assert J == pytest.approx(800.0) and np.isfinite(dw).all() and db == pytest.approx(0.0)


def test_loss_is_minus_log_of_the_probability_of_the_right_label():
    a = np.array([0.9, 0.2])
    np.testing.assert_allclose(lg.loss(a, np.array([1.0, 1.0])), -np.log(a))
    np.testing.assert_allclose(lg.loss(a, np.array([0.0, 0.0])), -np.log(1 - a))


def test_predict_and_the_confusion_counts():
    w, b = np.array([[1.0], [-1.0]]), 0.0
    X = np.array([[2.0, 0.0, 1.0, -3.0, 0.5], [0.0, 2.0, 0.0, 0.0, 0.5]])  # z: 2, −2, 1, −3, 0
    np.testing.assert_array_equal(lg.predict(X, w, b), [[1, 0, 1, 0, 0]])  # a > 0.5
    np.testing.assert_array_equal(lg.predict(X, w, b, threshold=0.8), [[1, 0, 0, 0, 0]])
    np.testing.assert_array_equal(lg.predict(X, w, b, threshold=0.1), [[1, 1, 1, 0, 1]])
    Y = np.array([[1, 1, 0, 0, 1]])
    counts = lg.confusion_counts(lg.predict(X, w, b), Y)
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
    assert ce[5, 7] == pytest.approx(lg.propagate(x[None], y[None], [[ws[7]]], bs[5])[0])
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

    values = lg.graph_values(x, y, w, b)
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
        values = lg.graph_values(5.0, 0, 5.0, 5.0)  # z = 30
    assert all(np.isfinite(v) and (d is None or np.isfinite(d)) for v, d in values.values())


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
    run = lg.train(X_train, Y_train, lr=0.5, steps=300)
    assert not run.stopped and run.costs.shape == (301,)
    assert run.costs[0] == pytest.approx(np.log(2))
    assert run.costs[-1] < 0.15
    assert lg.accuracy(lg.predict(X_train, run.w, run.b), Y_train) > 0.95
    assert lg.accuracy(lg.predict(X_test, run.w, run.b), Y_test) > 0.90


def test_small_learning_rate_goes_downhill_at_every_step():
    w, b, X, Y = problem(3, 50, 2)
    run = lg.train(X, Y, lr=0.1, steps=100)
    assert np.all(np.diff(run.costs) <= 1e-15)


def test_a_huge_learning_rate_is_stopped_by_the_cost_limit(shoes):
    X_train, Y_train, _, _ = shoes
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = lg.train(X_train, Y_train, lr=1000.0, steps=50)
    assert run.stopped and run.stopped_at == len(run.costs) - 1
    assert run.costs[-1] > lg.MAX_COST and np.all(run.costs[:-1] <= lg.MAX_COST)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = lg.train(X_train, Y_train, lr=1e308, steps=5)
    assert run.stopped and np.all(np.isfinite(run.costs))


def test_without_the_limit_a_huge_learning_rate_jumps_and_recovers(shoes):
    """Notebook 04, section 7: the cross-entropy's gradient is bounded, so lr = 300 jumps
    to a cost above 1,000 and comes back (no geometric blow-up)."""
    X_train, Y_train, X_test, Y_test = shoes
    run = lg.train(X_train, Y_train, lr=300.0, steps=300, max_cost=math.inf)
    assert not run.stopped and run.costs.shape == (301,)
    assert run.costs[2] > 1000 and run.costs[100] < 10
    assert lg.accuracy(lg.predict(X_test, run.w, run.b), Y_test) >= 0.9
    assert lg.train(X_train, Y_train, lr=300.0, steps=300).stopped_at == 1


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, words", [
    ({"lr": 0.0}, "must be positive"),
    ({"lr": -0.1}, "must be positive"),
    ({"lr": float("nan")}, "finite"),
    ({"steps": 0}, "positive integer"),
    ({"steps": 2.5}, "positive integer"),
])
def test_train_rejects_bad_settings(kwargs, words):
    w, b, X, Y = problem(2, 5, 0)
    settings = {"lr": 0.1, "steps": 10, **kwargs}
    with pytest.raises(ValueError, match=words):
        lg.train(X, Y, **settings)


def test_clear_errors_for_bad_shapes_and_values():
    w, b, X, Y = problem(3, 4, 0)
    with pytest.raises(ValueError, match=r"shape \(n, 1\) = \(3, 1\).*reshape"):
        lg.propagate(X, Y, w.ravel(), b)
    with pytest.raises(ValueError, match=r"shape \(n, 1\) = \(3, 1\)"):
        lg.propagate(X, Y, w[:2], b)
    with pytest.raises(ValueError, match=r"\(1, m\)"):
        lg.propagate(X, Y.T, w, b)
    with pytest.raises(ValueError, match="4 examples .* Y has 3"):
        lg.propagate(X, Y[:, :3], w, b)
    with pytest.raises(ValueError, match="only 0 and 1"):
        lg.propagate(X, Y * 2, w, b)
    with pytest.raises(ValueError, match="NaN"):
        lg.propagate(np.full((3, 4), np.nan), Y, w, b)
    with pytest.raises(ValueError, match="empty"):
        lg.propagate(np.zeros((3, 0)), np.zeros((1, 0)), w, b)
    with pytest.raises(TypeError, match="b must be a number"):
        lg.propagate(X, Y, w, "zero")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        lg.predict(X, w, b, threshold=1.5)
    with pytest.raises(ValueError, match="same shape"):
        lg.cost(np.full((1, 3), 0.5), Y)
    with pytest.raises(ValueError, match=r"probabilities"):
        lg.cost(np.full((1, 4), 1.5), Y)
    with pytest.raises(ValueError, match="kind must be one of"):
        lg.cost_surface([0.0, 1.0], [0, 1], [1.0], [0.0], "MAE")
    with pytest.raises(ValueError, match="label: 0 or 1"):
        lg.graph_values(1.0, 0.5, 1.0, 0.0)


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


# --- the notebook's live figures ---------------------------------------------------------


def test_the_surfaces_figure_follows_the_point():
    rng = np.random.default_rng(3)
    x = rng.normal(size=60)
    y = (x + rng.normal(scale=0.8, size=60) > 0).astype(float)
    ws, bs = np.linspace(-10, 10, 21), np.linspace(-10, 10, 17)
    surfaces = {kind: lg.cost_surface(x, y, ws, bs, kind) for kind in lg.COSTS}
    fig, update = lg.surfaces_figure(x, y, ws, bs, surfaces)
    view = live.LiveFigure(fig, update, name="test_surfaces", controls={
        "w": live.slider("w", -10.0, 10.0, 0.1, value=-6.0),
        "b": live.slider("b", -10.0, 10.0, 0.1, value=6.0)})
    for w, b in [(0.0, 0.0), (3.0, -2.0), (-10.0, 10.0)]:
        assert moved(view, w=w, b=b)
        z = w * x + b
        readout = readouts(fig)[0]
        assert f"cross-entropy {lg.cost_from_z(z[None], y[None]):.3f}" in readout
        assert f"squared error {np.mean((1 / (1 + np.exp(-z)) - y) ** 2):.3f}" in readout
        marks = [line for ax in fig.axes[1:3] for line in ax.lines if line.get_animated()]
        assert all(np.array_equal(line.get_xydata(), [[w, b]]) for line in marks)
    view.close()
    with pytest.raises(InputError, match="surfaces"):
        lg.surfaces_figure(x, y, ws, bs, {"cross-entropy": surfaces["cross-entropy"]})
    with pytest.raises(InputError, match=r"surfaces\['squared error'\] must have shape"):
        lg.surfaces_figure(x, y, ws, bs, {**surfaces, "squared error": np.zeros((2, 2))})


def test_the_graph_figure_shows_the_graph_values():
    fig, update = lg.graph_figure()
    view = live.LiveFigure(fig, update, name="test_graph", controls={
        "w": live.slider("w", -4.0, 4.0, 0.1, value=0.8),
        "b": live.slider("b", -4.0, 4.0, 0.1, value=-0.5),
        "x": live.slider("x", -3.0, 3.0, 0.1, value=1.5),
        "y": live.choice("y: label", [1, 0], value=1, buttons=True)})
    for change in ({"w": 2.0}, {"y": 0}, {"x": -1.0, "b": 0.5}, {"w": -4.0, "x": 3.0}):
        assert moved(view, **change)
        values = view.values
        graph = lg.graph_values(values["x"], values["y"], values["w"], values["b"])
        shown = readouts(fig)
        assert len(shown) == 2 * len(lg.GRAPH_NODES) - 1  # y has no derivative
        for name in ("z", "a", "L"):
            assert f"{graph[name][0]:.3f}" in shown and f"{graph[name][1]:.3f}" in shown
        assert f"{values['y']:.0f}" in shown
    view.close()


def test_the_graph_figure_shows_the_values_of_the_function_it_is_given():
    def doubled(x, y, w, b):
        return {node: (2 * value, None if d is None else 2 * d)
                for node, (value, d) in lg.graph_values(x, y, w, b).items()}

    fig, update = lg.graph_figure(doubled)
    update(0.8, -0.5, 1.5, 1)
    fig.canvas.draw()
    shown = readouts(fig)
    graph = lg.graph_values(1.5, 1, 0.8, -0.5)
    for name in ("z", "a", "L"):
        assert f"{2 * graph[name][0]:.3f}" in shown and f"{2 * graph[name][1]:.3f}" in shown
    with pytest.raises(InputError, match="values must be a function"):
        lg.graph_figure("graph_values")


def test_the_boundary_figure_counts_what_predict_gets_wrong():
    rng = np.random.default_rng(1)
    Y = (np.arange(80) % 2).astype(float)[None, :]
    X = rng.normal(size=(2, 80)) + np.where(Y == 1, 0.8, -0.8)
    fig, update = lg.boundary_figure(X, Y)
    view = live.LiveFigure(fig, update, name="test_boundary", controls={
        "w1": live.slider("w₁", -4.0, 4.0, 0.05, value=1.0),
        "w2": live.slider("w₂", -4.0, 4.0, 0.05, value=0.0),
        "b": live.slider("b", -4.0, 4.0, 0.05, value=0.0),
        "t": live.slider("threshold t", 0.01, 0.99, 0.01, value=0.5)})
    for change in ({"w2": 1.5}, {"t": 0.9}, {"b": -1.0, "w1": -2.0}, {"w1": 0.0, "w2": 0.0}):
        assert moved(view, **change)
        w1, w2, b, t = (view.values[key] for key in ("w1", "w2", "b", "t"))
        w = np.array([[w1], [w2]])
        counts = lg.confusion_counts(lg.predict(X, w, b, t), Y)
        info = next(text for text in readouts(fig) if "accuracy" in text)
        assert f"TP {counts.tp:4d}  FP {counts.fp:4d}" in info
        assert f"accuracy {counts.accuracy:.3f}" in info
    view.close()
    with pytest.raises(InputError, match=r"X must have shape \(2, m\)"):
        lg.boundary_figure(X[:1], Y)
    with pytest.raises(InputError, match="box must be four numbers"):
        lg.boundary_figure(X, Y, box=(1.0, 0.0, -1.0, 1.0))
