"""helpers.piecewise_fitting: hard sigmoids from ReLUs, the one-layer model, θ, gradients,
fitting, networks (the activations themselves: test_activations.py)."""

import warnings

import numpy as np
import pytest
from gradient_asserts import ACTIVATION_NAMES

from helpers import activations as act
from helpers import piecewise_fitting as pw
from helpers.gradcheck import numerical_gradient
from helpers.validate import InputError


def test_two_relus_make_exactly_one_hard_sigmoid():
    z = np.concatenate([np.linspace(-3, 4, 701), [0.0, 1.0]])
    np.testing.assert_array_equal(act.relu(z) - act.relu(z - 1), act.hard_sigmoid(z))
    # and as units of the model: c·hard(b + w x) = c·ReLU(b + w x) − c·ReLU(b − 1 + w x)
    x = np.linspace(-2, 2, 81)[None, :]
    hard = pw.make_params([[1.5], [-4.0]], [0.5, 2.0], [2.0, -0.7], 0.3)
    pairs = pw.relu_pairs(hard)
    assert pairs.W.shape == (4, 1) and pairs.c.shape == (4,)
    np.testing.assert_allclose(pw.predict(pairs, x, "ReLU"), pw.predict(hard, x, "hard sigmoid"),
                               rtol=0, atol=1e-12)


# --- a piecewise linear curve = constant + hard sigmoids ------------------------------


def test_hard_sigmoid_pieces_rebuild_any_piecewise_linear_curve():
    rng = np.random.default_rng(3)
    knots_x = np.sort(rng.uniform(-1, 1, 7))
    knots_y = rng.normal(size=7)
    params = pw.hard_sigmoid_pieces(knots_x, knots_y)
    assert params.W.shape == (6, 1) and params.b0 == knots_y[0]
    x = np.linspace(-1.5, 1.5, 301)  # beyond both ends too: flat there
    np.testing.assert_allclose(pw.predict(params, x[None, :], "hard sigmoid"),
                               pw.piecewise_linear(x, knots_x, knots_y), atol=1e-12)
    np.testing.assert_allclose(pw.pieces(params, x[None, :], "hard sigmoid").sum(axis=0)
                               + params.b0, pw.piecewise_linear(x, knots_x, knots_y),
                               atol=1e-12)


def test_piecewise_linear_rejects_unsorted_knots():
    with pytest.raises(ValueError, match="increasing order"):
        pw.piecewise_linear([0.0], [0.0, 1.0, 0.5], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="increasing order"):
        pw.hard_sigmoid_pieces([0.0], [1.0])
    with pytest.raises(ValueError, match="numbers of examples differ"):
        pw.hard_sigmoid_pieces([0.0, 1.0], [1.0, 2.0, 3.0])


# --- the model ŷ = b0 + cᵀσ(W X + b) --------------------------------------------------


def random_params(n, n1, rng):
    return pw.make_params(rng.normal(size=(n1, n)), rng.normal(size=(n1, 1)),
                          rng.normal(size=n1), float(rng.normal()))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_matrix_form_equals_the_sum_over_units(activation):
    rng = np.random.default_rng(1)
    params, X = random_params(3, 4, rng), rng.normal(size=(3, 6))
    sigma = act.ACTIVATIONS[activation][0]
    y_hat, r, a = pw.forward(params, X, activation)
    assert y_hat.shape == (6,) and r.shape == a.shape == (4, 6)
    for j in range(6):  # one example at a time, one unit at a time
        total = params.b0
        for i in range(4):
            total += params.c[i] * sigma(params.b[i, 0] + params.W[i] @ X[:, j])
        assert y_hat[j] == pytest.approx(total)
    np.testing.assert_allclose(pw.pieces(params, X, activation).sum(axis=0) + params.b0, y_hat)


def test_one_feature_is_the_books_formula():
    params = pw.make_params([[2.0], [-1.0]], [0.5, 1.0], [1.5, -0.5], 0.25)
    x = np.array([-1.0, 0.0, 2.0])
    expected = 0.25 + 1.5 * act.sigmoid(0.5 + 2.0 * x) - 0.5 * act.sigmoid(1.0 - x)
    np.testing.assert_allclose(pw.predict(params, x[None, :]), expected)


def test_theta_round_trip_and_count():
    rng = np.random.default_rng(2)
    params = random_params(3, 5, rng)
    theta = pw.to_theta(params)
    assert theta.shape == (pw.n_unknowns(3, 5),) == (5 * 3 + 5 + 5 + 1,)
    back = pw.from_theta(theta, 3, 5)
    for original, restored in zip(params, back, strict=True):
        np.testing.assert_array_equal(original, restored)
    with pytest.raises(ValueError, match="need n1·n"):
        pw.from_theta(theta[:-1], 3, 5)


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("n, n1", [(1, 1), (1, 4), (3, 5)])
def test_gradient_matches_finite_differences(activation, n, n1):
    rng = np.random.default_rng(10 * n + n1)
    X, y = rng.normal(size=(n, 8)), rng.normal(size=8)
    for _ in range(100):  # ReLU and hard sigmoid have corners (at r = 0 and 1): avoid them
        params = random_params(n, n1, rng)
        r = params.W @ X + params.b
        if np.min(np.abs(r)) > 1e-3 and np.min(np.abs(r - 1)) > 1e-3:
            break
    theta = pw.to_theta(params)
    g = pw.gradient(theta, X, y, n1, activation)
    expected = numerical_gradient(lambda t: pw.loss(t, X, y, n1, activation), theta)
    np.testing.assert_allclose(g, expected, rtol=1e-5, atol=1e-7)


def test_gradient_matches_finite_differences_for_relu_everywhere_smooth():
    """A ReLU model whose units are all active or all inactive on the data: exact."""
    X = np.linspace(1.0, 2.0, 6)[None, :]
    params = pw.make_params([[1.0], [-1.0], [2.0]], [0.5, -3.0, 1.0], [0.7, 1.2, -0.4], 0.1)
    y = np.sin(X[0])
    theta = pw.to_theta(params)
    expected = numerical_gradient(lambda t: pw.loss(t, X, y, 3, "ReLU"), theta)
    np.testing.assert_allclose(pw.gradient(theta, X, y, 3, "ReLU"), expected, rtol=1e-6,
                               atol=1e-9)


# --- fitting by gradient descent ------------------------------------------------------


def test_fit_reaches_a_known_piecewise_linear_target():
    x = np.linspace(-1, 1, 101)
    y = pw.piecewise_linear(x, [-1.0, -0.4, 0.3, 1.0], [0.0, 1.0, 0.2, 0.6])
    result = pw.fit(x[None, :], y, 8, activation="ReLU", lr=0.05, steps=4000,
                    rng=np.random.default_rng(0))
    assert result.losses.shape == (4001,)
    assert result.losses[0] > 0.05          # the starting point is poor ...
    assert result.losses[-1] < 1e-3         # ... the fit is close (stated goal)
    assert result.losses[-1] == pytest.approx(pw.loss(pw.to_theta(result.params),
                                                       x[None, :], y, 8, "ReLU"))
    again = pw.fit(x[None, :], y, 8, activation="ReLU", lr=0.05, steps=4000,
                   rng=np.random.default_rng(0))
    np.testing.assert_array_equal(again.losses, result.losses)  # seeded: reproducible


def test_fit_with_sigmoids_falls_steadily():
    x = np.linspace(-1, 1, 60)
    y = np.sin(2.5 * x)
    result = pw.fit(x[None, :], y, 3, activation="sigmoid", lr=0.25, steps=3000,
                    rng=np.random.default_rng(1))
    assert np.all(np.diff(result.losses) <= 1e-12)  # a small lr: every step goes down
    assert result.losses[-1] < 0.02 * result.losses[0]


def test_fit_with_linear_units_is_only_a_line():
    """Without an activation function the best the model can do is the best line."""
    rng = np.random.default_rng(4)
    x = np.linspace(-1, 1, 50)
    y = x**2 + 0.1 * rng.normal(size=50)
    result = pw.fit(x[None, :], y, 5, activation="linear", lr=0.02, steps=3000, rng=rng)
    slope, intercept = np.polyfit(x, y, 1)
    best_line = np.mean((slope * x + intercept - y) ** 2)
    assert result.losses[-1] == pytest.approx(best_line, rel=1e-6)


def test_fit_starts_from_given_params():
    x = np.linspace(-1, 1, 20)[None, :]
    start = pw.hard_sigmoid_pieces([-1.0, 0.0, 1.0], [0.0, 1.0, 0.0])
    y = pw.predict(start, x, "hard sigmoid")
    result = pw.fit(x, y, 2, activation="hard sigmoid", lr=0.1, steps=5,
                    rng=np.random.default_rng(0), params=start)
    assert result.losses[0] == pytest.approx(0.0, abs=1e-25)


def test_add_unit_leaves_the_prediction_unchanged():
    rng = np.random.default_rng(5)
    x = np.linspace(-1, 1, 30)[None, :]
    params, new = random_params(1, 3, rng), random_params(1, 2, rng)
    grown = pw.add_unit(params, new)
    assert grown.W.shape == (5, 1) and grown.c.shape == (5,)
    np.testing.assert_allclose(pw.predict(grown, x), pw.predict(params, x), atol=1e-15)


@pytest.mark.parametrize("activation, lr, steepness", [("sigmoid", 1.0, 3.0),
                                                       ("ReLU", 0.5, 1.0)])
def test_fit_unit_by_unit_continues_each_fit_from_the_previous_one(activation, lr, steepness):
    x = np.linspace(-1, 1, 51)
    y = pw.piecewise_linear(x, [-1.0, -0.3, 0.4, 1.0], [0.2, 1.0, 0.1, 0.8])
    fits = pw.fit_unit_by_unit(x[None, :], y, 5, activation=activation, lr=lr, steps=800,
                               rng=np.random.default_rng(1), steepness=steepness)
    assert [f.params.W.shape[0] for f in fits] == [1, 2, 3, 4, 5]
    for previous, current in zip(fits[:-1], fits[1:], strict=True):
        assert current.losses[0] == pytest.approx(previous.losses[-1], rel=1e-12)
    finals = [f.losses[-1] for f in fits]
    assert finals[-1] < 0.2 * finals[0]
    with pytest.raises(ValueError, match="max_units must be a positive integer"):
        pw.fit_unit_by_unit(x[None, :], y, 0, rng=np.random.default_rng(1))


@pytest.mark.parametrize("kwargs, error, words", [
    ({"lr": 0.0}, ValueError, "lr must be positive"),
    ({"lr": -0.1}, ValueError, "lr must be positive"),
    ({"n1": 0}, ValueError, "positive integer"),
    ({"n1": 2.5}, ValueError, "positive integer"),
    ({"steps": 0}, ValueError, "positive integer"),
    ({"activation": "tanh"}, ValueError, "activation must be one of"),
    ({"rng": 0}, TypeError, "np.random.default_rng"),
    ({"X": np.ones(5)}, ValueError, "one column per example"),
    ({"X": np.ones((1, 0)), "y": np.ones(0)}, ValueError, "empty"),
    ({"y": np.ones(4)}, ValueError, "numbers of examples differ"),
    ({"y": [1.0, np.nan, 0.0, 0.0, 1.0]}, ValueError, "NaN"),
])
def test_fit_rejects_bad_input(kwargs, error, words):
    arguments = {"X": np.linspace(0, 1, 5)[None, :], "y": np.ones(5), "n1": 2,
                 "activation": "sigmoid", "lr": 0.1, "steps": 10,
                 "rng": np.random.default_rng(0)}
    arguments.update(kwargs)
    X, y, n1 = arguments.pop("X"), arguments.pop("y"), arguments.pop("n1")
    with pytest.raises(error, match=words):
        pw.fit(X, y, n1, **arguments)


def test_fit_reports_divergence_instead_of_overflowing():
    x = np.linspace(-1, 1, 30)[None, :]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FloatingPointError, match="diverged at step"):
            pw.fit(x, 3 * x[0], 4, activation="ReLU", lr=50.0, steps=200,
                   rng=np.random.default_rng(0))


def test_shapes_are_checked():
    params = pw.make_params([[1.0, 2.0]], [0.0], [1.0], 0.0)  # 2 features, 1 unit
    with pytest.raises(ValueError, match="X has 3 rows"):
        pw.predict(params, np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"b must have shape \(1, 1\)"):
        pw.make_params([[1.0, 2.0]], [0.0, 1.0], [1.0], 0.0)
    with pytest.raises(ValueError, match="one column per example"):
        pw.make_params([1.0, 2.0], [0.0], [1.0], 0.0)
    with pytest.raises(ValueError, match="single number"):
        pw.make_params([[1.0, 2.0]], [0.0], [1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="params are for W of shape"):
        pw.fit(np.ones((1, 4)), np.ones(4), 1, lr=0.1, steps=1, rng=np.random.default_rng(0),
               params=params)


# --- a deeper ReLU network ------------------------------------------------------------


@pytest.mark.parametrize("hidden", [[3], [4, 3], [3, 5, 2]])
def test_network_gradient_matches_finite_differences(hidden):
    rng = np.random.default_rng(len(hidden))
    X, y = rng.normal(size=(2, 7)), rng.normal(size=7)
    layers = pw.init_network([2, *hidden, 1], rng)
    layers = [pw.Layer(layer.W, rng.normal(size=layer.b.shape)) for layer in layers]
    y_hat, zs, activations = pw.network_forward(layers, X)
    assert all(np.min(np.abs(z)) > 1e-4 for z in zs)  # no unit on its corner
    grads = pw.network_backward(layers, y, y_hat, zs, activations)

    shapes = [(part.shape) for layer in layers for part in layer]
    theta = np.concatenate([part.ravel() for layer in layers for part in layer])

    def loss(t):
        parts, start = [], 0
        for shape in shapes:
            size = int(np.prod(shape))
            parts.append(t[start:start + size].reshape(shape))
            start += size
        rebuilt = [pw.Layer(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]
        return np.mean((pw.network_predict(rebuilt, X) - y) ** 2)

    g = np.concatenate([part.ravel() for layer in grads for part in layer])
    np.testing.assert_allclose(g, numerical_gradient(loss, theta), rtol=1e-5, atol=1e-8)


def test_init_network_shapes_and_scale():
    layers = pw.init_network([56, 400, 400, 1], np.random.default_rng(0))
    assert [layer.W.shape for layer in layers] == [(400, 56), (400, 400), (1, 400)]
    assert [layer.b.shape for layer in layers] == [(400, 1), (400, 1), (1, 1)]
    assert np.var(layers[1].W) == pytest.approx(2 / 400, rel=0.05)


def test_train_network_learns_a_kink():
    x = np.linspace(-1, 1, 80)[None, :]
    y = np.abs(x[0])
    result = pw.train_network(x, y, [8, 8], lr=0.05, steps=3000,
                              rng=np.random.default_rng(0))
    assert result.losses[-1] < 1e-3 < result.losses[0]
    assert pw.network_predict(result.layers, x).shape == (80,)


@pytest.mark.parametrize("kwargs, words", [
    ({"hidden": []}, "at least one hidden layer"),
    ({"hidden": [4, 0]}, "positive integer"),
    ({"lr": 0}, "lr must be positive"),
    ({"steps": -1}, "positive integer"),
    ({"X": np.ones((2, 0)), "y": np.ones(0)}, "empty"),
])
def test_train_network_rejects_bad_input(kwargs, words):
    arguments = {"X": np.ones((2, 5)), "y": np.ones(5), "hidden": [3], "lr": 0.1,
                 "steps": 5, "rng": np.random.default_rng(0)}
    arguments.update(kwargs)
    X, y, hidden = arguments.pop("X"), arguments.pop("y"), arguments.pop("hidden")
    with pytest.raises(ValueError, match=words):
        pw.train_network(X, y, hidden, **arguments)
    with pytest.raises(ValueError, match="expects 2 features"):
        pw.network_predict(pw.init_network([2, 3, 1], np.random.default_rng(0)), np.ones((3, 4)))


def test_draw_units_diagram_draws_every_input_unit_and_height():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    assert pw.draw_units_diagram(3, 4, ax=ax) is ax
    texts = {text.get_text() for text in ax.texts}
    assert {"x₁", "x₃", "c₁", "c₄", "b₄", "ŷ", "w₁₁", "w₄₃"} <= texts
    assert len(ax.patches) == 3 + 4 + 1  # one circle per input, unit and the output
    with pytest.raises(ValueError, match="positive integer"):
        pw.draw_units_diagram(0, 2, ax=ax)


def test_train_network_stops_a_diverging_run_like_the_other_trainers():
    """lr = 1e3 used to return NaN losses with overflow warnings."""
    x = np.linspace(-1, 1, 40)[None, :]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = pw.train_network(x, np.abs(x[0]), [8, 8], lr=1e3, steps=200,
                                  rng=np.random.default_rng(0))
    assert result.diverged and 0 < result.diverged_at < 200
    assert np.all(np.isfinite(result.losses)) and result.losses.size <= result.diverged_at + 1
    assert all(np.all(np.isfinite(layer.W)) for layer in result.layers)
    calm = pw.train_network(x, np.abs(x[0]), [8], lr=0.05, steps=50,
                            rng=np.random.default_rng(0))
    assert not calm.diverged and calm.diverged_at is None and calm.losses.shape == (51,)


def test_activation_functions_refuse_nan_and_infinity():
    for f in (act.sigmoid, act.relu, act.hard_sigmoid, act.linear_activation):
        with pytest.raises(InputError, match="z contains NaN or infinity"):
            f([0.0, np.nan])
        with pytest.raises(InputError, match="z is None: pass an array of numbers"):
            f(None)
