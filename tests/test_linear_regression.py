"""The live figures of notebook 01 (helpers.linear_regression): each builds, follows every
control without error, shows what its readout says, and refuses bad input clearly."""

from typing import NamedTuple

import numpy as np
import pytest
from live_driver import moves_change_the_picture, readouts

from helpers import linear, linear_regression, live, losses
from helpers.validate import InputError


@pytest.fixture
def births():
    """Counts with a weekly cycle, like notebook 01's births (thousands)."""
    rng = np.random.default_rng(0)
    days = np.arange(120)
    return 9.5 + np.where(days % 7 < 5, 0.8, -1.6) + rng.normal(0, 0.3, days.size)


@pytest.fixture
def line_fit(births):
    x, y = births[:-1], births[1:]
    ws, bs = np.linspace(-0.5, 1.5, 21), np.linspace(-4.0, 14.0, 19)
    surfaces = {name: linear.loss_surface(x, y, ws, bs, name) for name in ("MSE", "MAE")}
    fig, update = linear_regression.line_fit_figure(x, y, ws, bs, surfaces)
    figure = live.LiveFigure(fig, update, name="test_line_fit", controls={
        "w": live.slider("w", -0.5, 1.5, 0.01, value=1.0),
        "b": live.slider("b", -4.0, 14.0, 0.05, value=0.0),
        "loss": live.choice("loss", ["MSE", "MAE"], buttons=True)})
    yield figure, x, y
    figure.close()


def test_line_fit_follows_w_b_and_the_loss(line_fit):
    figure, x, y = line_fit
    moves_change_the_picture(figure, [{"w": 0.5}, {"b": 4.0}, {"loss": "MAE"}, {"w": 1.2}])
    w, b = figure.values["w"], figure.values["b"]
    assert f"MAE L(w, b) = {losses.mae(y, b + w * x):.3f}" in readouts(figure)
    line = next(line for line in figure.fig.axes[0].lines if line.get_animated())
    np.testing.assert_allclose(line.get_ydata(), b + w * np.asarray(line.get_xdata()))


def test_line_fit_swaps_surfaces_with_one_full_redraw_per_loss(line_fit):
    figure, _, _ = line_fit
    for loss in ("MAE", "MSE", "MAE", "MSE"):
        figure.redraw(loss=loss)
    assert figure.full_redraws == 2  # one background per surface, then cached


def test_house_model_readout_is_the_mae():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.uniform(50, 300, 40), rng.uniform(0, 120, 40)])  # (2, m)
    price = X[0] - X[1] + 80 + rng.normal(0, 20, 40)
    fig, update = linear_regression.house_model_figure(X, price)
    figure = live.LiveFigure(fig, update, name="test_house_model", controls={
        "w1": live.slider("w1", -1.0, 3.0, 0.02, value=0.5),
        "w2": live.slider("w2", -3.0, 1.0, 0.02, value=0.0),
        "b": live.slider("b", -100.0, 200.0, 1.0, value=50.0)})
    try:
        moves_change_the_picture(figure, [{"w1": 1.0}, {"w2": -1.0}, {"b": 80.0}])
        mae = losses.mae(price, linear.predict(X, [1.0, -1.0], 80.0))
        assert readouts(figure) == [f"MAE = {mae:.1f} k$"]
    finally:
        figure.close()


class LagModel(NamedTuple):  # as notebook 01's lag_model returns it
    w: np.ndarray
    b: float
    mae_train: float
    mae_test: float
    y_hat_test: np.ndarray


def test_lag_days_shows_each_models_predictions_and_weights(births):
    n_test, K = 20, 14
    dates = np.arange("1978-01-01", "1978-04-30", dtype="datetime64[D]")[:births.size]
    models = {}
    for k in range(1, K + 1):
        X, y = linear.lag_features(births, k)
        w, b = linear.fit_least_squares(X[:, :-n_test], y[:-n_test])
        y_hat = linear.predict(X, w, b)
        models[k] = LagModel(w, b, losses.mae(y[:-n_test], y_hat[:-n_test]),
                             losses.mae(y[-n_test:], y_hat[-n_test:]), y_hat[-n_test:])
    fig, update = linear_regression.lag_days_figure(dates[-n_test:], births[-n_test:], models)
    figure = live.LiveFigure(fig, update, name="test_lag_days", controls={
        "k": live.slider("k", 1, K, 1, value=7)})
    try:
        moves_change_the_picture(figure, [{"k": 1}, {"k": K}, {"k": 3}])
        model = models[3]
        assert readouts(figure) == [f"k = 3: train MAE {model.mae_train:.3f}, "
                                    f"test MAE {model.mae_test:.3f}"]
        predicted = next(line for line in figure.fig.axes[0].lines if line.get_animated())
        np.testing.assert_allclose(predicted.get_ydata(), model.y_hat_test)
        bars = next(c for c in figure.fig.axes[1].collections if c.get_animated())
        heights = [segment[1, 1] for segment in bars.get_segments()]
        np.testing.assert_allclose(heights, np.r_[model.w, np.zeros(K - 3)])
    finally:
        figure.close()


def test_clear_errors(births):
    x, y = births[:-1], births[1:]
    ws, bs = np.linspace(0, 1, 3), np.linspace(0, 1, 2)
    surface = linear.loss_surface(x, y, ws, bs)
    with pytest.raises(InputError, match="each key of surfaces must be one of"):
        linear_regression.line_fit_figure(x, y, ws, bs, {"RMSE": surface})
    with pytest.raises(InputError, match="surfaces is empty"):
        linear_regression.line_fit_figure(x, y, ws, bs, {})
    with pytest.raises(InputError, match=r"surface has shape \(3, 2\)"):
        linear_regression.line_fit_figure(x, y, ws, bs, {"MSE": surface.T})
    with pytest.raises(InputError, match="X must have 2 rows"):
        linear_regression.house_model_figure(np.ones((3, 5)), np.ones(5))
    dates = np.arange("1978-01-01", "1978-01-04", dtype="datetime64[D]")
    model = LagModel(np.ones(1), 0.0, 0.1, 0.2, np.ones(3))
    with pytest.raises(InputError, match="dates must hold one date"):
        linear_regression.lag_days_figure(np.arange(3), np.ones(3), {1: model})
    with pytest.raises(InputError, match="lag_models must map k = 1, 2"):
        linear_regression.lag_days_figure(dates, np.ones(3), {2: model})
    with pytest.raises(InputError, match=r"lag_models\[1\].w must hold k = 1 weights"):
        linear_regression.lag_days_figure(dates, np.ones(3), {1: model._replace(w=np.ones(2))})
    with pytest.raises(InputError, match=r"lag_models\[1\].y_hat_test"):
        linear_regression.lag_days_figure(dates, np.ones(3), {1: model._replace(y_hat_test=None)})
