"""helpers.piecewise_fitting: hard sigmoids from ReLUs, the one-layer model, θ, gradients,
fitting, networks (the activations themselves: test_activations.py)."""

import warnings

import numpy as np
import pytest
from gradient_asserts import ACTIVATION_NAMES
from live_driver import readouts

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


def test_activation_functions_refuse_nan_and_infinity():
    for f in (act.sigmoid, act.relu, act.hard_sigmoid, act.linear_activation):
        with pytest.raises(InputError, match="z contains NaN or infinity"):
            f([0.0, np.nan])
        with pytest.raises(InputError, match="z is None: pass an array of numbers"):
            f(None)


# --- the live figures ------------------------------------------------------------------


def test_pieces_sum_figure_copies_the_curve_through_k_knots():
    x = np.linspace(-1, 1, 201)
    fig, update = pw.pieces_sum_figure(x, np.cos)
    update(4)
    copy = next(line for line in fig.axes[0].lines if line.get_animated()).get_ydata()
    knots = np.linspace(-1, 1, 5)
    np.testing.assert_allclose(copy, np.interp(x, knots, np.cos(knots)), atol=1e-12)
    gap = np.max(np.abs(copy - np.cos(x)))
    assert readouts(fig) == [f"K = 4 pieces: largest gap {gap:.3f}"]
    update(1)
    assert len(fig.axes[1].collections[0].get_segments()) == 1
    with pytest.raises(InputError, match="curve"):
        pw.pieces_sum_figure(x, "cos")


@pytest.mark.parametrize("c, b, w, words", [(2.0, 1.0, 1.0, "middle at x = −b/w = -1.00"),
                                            (1.0, 0.0, 0.0, "w = 0: no steepness")])
def test_sigmoid_figure_reads_out_the_middle_and_slope(c, b, w, words):
    fig, update = pw.sigmoid_figure()
    update(c, b, w)
    assert words in readouts(fig)[0]
    curve = next(line for line in fig.axes[0].lines if line.get_animated())
    np.testing.assert_allclose(curve.get_ydata(), c * act.sigmoid(b + w * curve.get_xdata()))


def test_relu_pair_figure_sums_two_relus_to_a_hard_sigmoid():
    fig, update = pw.relu_pair_figure()
    update(1.5, 0.5, 1.0)
    total = [line for line in fig.axes[1].lines if line.get_animated()][-1]
    np.testing.assert_allclose(total.get_ydata(),
                               1.5 * act.hard_sigmoid(0.5 + total.get_xdata()), atol=1e-12)
    assert "corner at x = −b/w = -0.50" in readouts(fig)[0]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(set(label.split(":")[0] for label in labels)) == 3  # no two start alike
    update(1.0, 0.5, 0.0)
    assert "w = 0: no corner" in readouts(fig)[0]


def test_fit_units_figure_shows_each_fit_and_names_its_pieces():
    x = np.linspace(-1, 1, 21)
    y = np.abs(x)
    fits = {}
    for kind in ("sigmoid", "ReLU"):
        for n1, fit in enumerate(pw.fit_unit_by_unit(x[None, :], y, 3, activation=kind,
                                                     steps=20, rng=np.random.default_rng(0)),
                                 start=1):
            fits["abs", kind, n1] = fit
    fig, update = pw.fit_units_figure(x, {"abs": y}, fits, 20)
    update(2, "ReLU", "abs")
    ax_fit, ax_units, ax_parts, _ = fig.axes
    np.testing.assert_allclose(ax_fit.lines[1].get_ydata(),
                               pw.predict(fits["abs", "ReLU", 2].params, x[None, :], "ReLU"))
    assert "ReLU" in ax_parts.get_ylabel() and len(ax_parts.collections[0].get_segments()) == 2
    update(3, "sigmoid", "abs")
    assert "σ" in ax_parts.get_ylabel()
    assert f"MSE = {fits['abs', 'sigmoid', 3].losses[-1]:.4f}" in readouts(fig)[0]


def test_layers_births_figure_marks_the_depth_and_seed_shown():
    days = np.arange(10)
    counts = 8 + np.sin(days)
    predictions = {0: {0: counts + 0.1, 1: counts + 0.1}, 1: {0: counts, 1: counts - 0.2}}
    table = {0: [(0.3, 0.4)], 1: [(0.1, 0.5), (0.2, 0.45)]}
    fig, update = pw.layers_births_figure(days, counts, predictions, table, first_test_day=6,
                                          first_shown_day=2)
    update(1, 1)
    assert readouts(fig) == ["1 hidden layer, seed 1\ntraining MAE 0.200, test MAE 0.450"]
    shown = next(line for line in fig.axes[0].lines if line.get_animated())
    np.testing.assert_allclose(shown.get_ydata(), (counts - 0.2)[2:])
    update(0, 1)
    assert readouts(fig)[0].startswith("linear model, seed 1\ntraining MAE 0.300")
    with pytest.raises(InputError, match="first_shown_day"):
        pw.layers_births_figure(days, counts, predictions, table, first_test_day=6,
                                first_shown_day=7)


# --- the saved runs of section 8 (data/make_depth_runs.py) -------------------------------


def test_load_depth_runs_shapes():
    from helpers.piecewise_fitting import load_depth_runs

    runs = load_depth_runs()
    assert sorted(runs.table) == ["1970-01-01", "1975-01-01", "1978-01-01"]
    for by_depth in runs.table.values():
        assert sorted(by_depth) == [0, 1, 2, 3, 4]
        assert len(by_depth[0]) == 1 and all(len(by_depth[d]) == 4 for d in range(1, 5))
        assert all(0.05 < mae < 1.0 for rows in by_depth.values() for row in rows
                   for mae in row)
    assert sorted(runs.predictions) == [1, 2, 3, 4]
    assert runs.dates.shape == (365,) and runs.dates[0] == np.datetime64("1978-01-01")
    for by_seed in runs.predictions.values():
        assert sorted(by_seed) == [0, 1, 2, 3]
        assert all(p.shape == (365,) and 6 < p.min() < p.max() < 13 for p in by_seed.values())


def test_saved_predictions_agree_with_the_saved_table():
    """The MAE of each saved prediction on the last 65 days of 1978 is its test MAE."""
    from helpers import data, losses
    from helpers.piecewise_fitting import load_depth_runs

    runs = load_depth_runs()
    births = data.load_births()
    in_1978 = births.dates.astype("datetime64[Y]").astype(int) + 1970 == 1978
    truth = births.counts[in_1978] / 1000
    for depth, by_seed in runs.predictions.items():
        for seed, prediction in by_seed.items():
            saved_test = runs.table["1978-01-01"][depth][seed][1]
            assert losses.mae(truth[-65:], prediction[-65:]) == pytest.approx(saved_test,
                                                                                abs=1e-4)


def test_load_depth_runs_checks_its_files(tmp_path):
    """The files are checked as every course data file is (tests/test_data.py): a missing
    one says how to rebuild it."""
    import shutil

    from helpers.data import CHECKSUMS, DATA_DIR, DataFileError
    from helpers.piecewise_fitting import load_depth_runs

    with pytest.raises(DataFileError, match="missing.*make_depth_runs"):
        load_depth_runs(tmp_path)
    for name in ("depth_runs.csv", "depth_predictions_1978.csv"):
        assert name in CHECKSUMS
        shutil.copyfile(DATA_DIR / name, tmp_path / name)
    load_depth_runs(tmp_path)
    path = tmp_path / "depth_runs.csv"
    path.write_bytes(path.read_bytes().replace(b"0.278800", b"0.278801"))
    with pytest.raises(DataFileError, match="altered"):
        load_depth_runs(tmp_path)
