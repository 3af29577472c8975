"""The linear model, grid search, lag features and least squares."""

import numpy as np
import pytest

from helpers import linear


def test_predict_matches_the_formula():
    X = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]])  # 2 features, 3 examples
    np.testing.assert_allclose(linear.predict(X, [2.0, -1.0], 0.5), [2.5, 3.5, 7.5])
    with pytest.raises(ValueError, match="3 weights but X has 2 features"):
        linear.predict(X, [1.0, 1.0, 1.0], 0.0)
    with pytest.raises(ValueError, match="one column per example"):
        linear.predict([1.0, 2.0], [1.0], 0.0)


@pytest.mark.parametrize("loss", ["MSE", "MAE"])
def test_loss_surface_matches_a_plain_loop(loss):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=20), rng.normal(size=20)
    ws, bs = np.linspace(-1, 1, 5), np.linspace(-2, 2, 4)
    surface = linear.loss_surface(x, y, ws, bs, loss)
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            error = y - (b + w * x)
            expected = np.mean(error**2) if loss == "MSE" else np.mean(np.abs(error))
            assert surface[i, j] == pytest.approx(expected)
    with pytest.raises(ValueError, match="loss must be one of"):
        linear.loss_surface(x, y, ws, bs, "RMSE")


def test_grid_search_finds_the_true_line():
    x = np.linspace(0, 1, 30)
    y = 0.5 + 2.0 * x
    w, b, best = linear.grid_search(x, y, np.linspace(-5, 5, 101), np.linspace(-5, 5, 101))
    assert (w, b) == pytest.approx((2.0, 0.5)) and best == pytest.approx(0.0, abs=1e-20)


def test_lag_features_put_one_example_per_column():
    X, y = linear.lag_features(np.arange(6.0), 2)
    np.testing.assert_array_equal(X, [[1, 2, 3, 4], [0, 1, 2, 3]])  # yesterday, 2 days ago
    np.testing.assert_array_equal(y, [2, 3, 4, 5])
    for bad in (0, 6, 2.5, True):
        with pytest.raises(ValueError, match="k must be an integer"):
            linear.lag_features(np.arange(6.0), bad)


def test_least_squares_matches_numpy_polyfit_and_recovers_planted_weights():
    rng = np.random.default_rng(1)
    x = rng.normal(size=50)
    y = 3.0 - 2.0 * x + rng.normal(scale=0.1, size=50)
    w, b = linear.fit_least_squares(x[None, :], y)
    slope, intercept = np.polyfit(x, y, 1)
    assert (w[0], b) == pytest.approx((slope, intercept))
    X = rng.normal(size=(3, 200))
    w, b = linear.fit_least_squares(X, np.array([1.0, -2.0, 0.5]) @ X + 4.0)
    np.testing.assert_allclose(w, [1.0, -2.0, 0.5])
    assert b == pytest.approx(4.0)
    with pytest.raises(ValueError, match="numbers of examples differ"):
        linear.fit_least_squares(X, np.ones(5))
    with pytest.raises(ValueError, match="needs at least 4"):
        linear.fit_least_squares(X[:, :3], np.ones(3))


@pytest.mark.parametrize("b, error", [(np.nan, "finite"), (np.ones(3), "single number"),
                                      ("one", "must be a number")])
def test_predict_rejects_a_bad_bias(b, error):
    with pytest.raises((ValueError, TypeError), match=error):
        linear.predict(np.ones((2, 3)), [1.0, 1.0], b)
