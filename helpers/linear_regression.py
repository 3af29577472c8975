"""Linear regression (线性回归): the live figures of notebook 01.

The maths stays in the notebook and in the building blocks it imports (:mod:`helpers.linear`
for the model, :mod:`helpers.losses` for MAE and MSE); this module only draws. Each figure
is a ``(fig, update)`` pair for :class:`helpers.live.LiveFigure`:

* :func:`line_fit_figure` -- the line ŷ = b + w·x₁ over the data, its residuals and its
  loss, and a dot on the error surface (误差曲面);
* :func:`house_model_figure` -- the house model ŷ = x₁w₁ + x₂w₂ + b against each feature;
* :func:`lag_days_figure` -- the models that read the last k days: their predictions on
  the test days, and their weights.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np

from helpers import linear, live, losses, plotting
from helpers.validate import (
    InputError,
    as_choice,
    as_instance,
    as_matrix,
    as_scalar,
    as_vector,
    same_length,
)

BIRTHS_LIMITS = (6.9, 11.0)  # thousands of births: both axes of the line fit
_READOUT = {"bbox": {"fc": "white", "alpha": 0.8}, "animated": True}


def line_fit_figure(x, y, ws, bs, surfaces: dict):
    """The line ŷ = b + w·x₁ and its place on the error surface: ``update(w, b, loss)``
    -> ``(fig, update)``.

    Left: the samples x, y (m,), the line, the residuals y − ŷ (red segments) and the loss
    L(w, b) of the chosen name (a key of :data:`helpers.losses.LOSSES`). Right: that
    loss's error surface, ``surfaces[loss]`` of shape (len(bs), len(ws)) as
    :func:`helpers.linear.loss_surface` returns it, with a white dot at (w, b).
    """
    x, y = as_vector("x", x), as_vector("y", y)
    same_length(x=x, y=y)
    ws, bs = as_vector("ws", ws), as_vector("bs", bs)
    surfaces = as_instance("surfaces", surfaces, dict,
                           "{'MSE': linear.loss_surface(x, y, ws, bs, 'MSE')}")
    if not surfaces:
        raise InputError("surfaces is empty: give at least one {loss name: surface}")
    for name in surfaces:
        as_choice("each key of surfaces", name, sorted(losses.LOSSES))

    fig, (ax_fit, ax_surface) = live.figure(1, 2, figsize=(10, 4))
    ax_fit.scatter(x, y, s=8, alpha=0.6)
    ax_fit.set(xlabel="x₁: births today (thousands)", ylabel="y: births tomorrow (thousands)",
               title="the model ŷ = b + w·x₁ (模型)", xlim=BIRTHS_LIMITS, ylim=BIRTHS_LIMITS)
    contours = {name: plotting.error_surface(ws, bs, surface, ax=ax_surface, colorbar=False)
                for name, surface in surfaces.items()}
    ax_surface.set_title("error surface L(w, b) (误差曲面)")

    x_line = np.array(BIRTHS_LIMITS)
    (line,) = ax_fit.plot([], [], "r-", lw=2, animated=True)
    (residuals,) = ax_fit.plot([], [], color="tab:red", lw=0.6, alpha=0.7, animated=True)
    gaps = np.full_like(x, np.nan)
    x_residuals = np.stack([x, x, gaps], 1).ravel()  # x, x, NaN per sample: one path, fast
    loss_text = ax_fit.text(0.03, 0.93, "", transform=ax_fit.transAxes, fontsize=11,
                            **_READOUT)
    (marker,) = ax_surface.plot([], [], "wo", ms=9, mec="k", animated=True)
    name_text = ax_surface.text(0.03, 0.93, "", transform=ax_surface.transAxes, color="white",
                                animated=True, fontsize=11)

    def update_line_fit(w, b, loss):
        y_hat = b + w * x
        line.set_data(x_line, b + w * x_line)
        residuals.set_data(x_residuals, np.stack([y, y_hat, gaps], 1).ravel())  # y to ŷ
        loss_text.set_text(f"{loss} L(w, b) = {losses.LOSSES[loss](y, y_hat):.3f}")
        marker.set_data([w], [b])
        name_text.set_text(f"{loss}, log colour scale")
        for name, contour in contours.items():  # show only the chosen surface
            contour.set_visible(name == loss)

    return fig, update_line_fit


def house_model_figure(X, price):
    """The house model ŷ = x₁w₁ + x₂w₂ + b against each feature: ``update(w1, w2, b)``
    -> ``(fig, update)``.

    X (2, m) holds the living area x₁ (m²) and the age x₂ (years) of m houses, ``price``
    (m,) their prices (k$). Left: price against area, with the model's line for a new
    house and a 50-year-old one; right: price against age, for 100 m² and 200 m². The
    readout is the MAE of the model on all the houses.
    """
    X, price = as_matrix("X", X), as_vector("price", price)
    if X.shape[0] != 2:
        raise InputError(f"X must have 2 rows, the area and the age of each house; got shape "
                         f"{X.shape}")
    same_length(X=X, price=price)
    area, age = X

    fig, (ax_area, ax_age) = live.figure(1, 2, figsize=(10, 4))
    ax_area.scatter(area, price, s=3, c=age, cmap="viridis", alpha=0.5)
    ax_area.set(xlabel="x₁: living area (m²)", ylabel="price (k$)", xlim=(0, 400),
                ylim=(0, 650), title="price vs area (colour: age)")
    ax_age.scatter(age, price, s=3, c=area, cmap="magma", alpha=0.5)
    ax_age.set(xlabel="x₂: age (years)", xlim=(-2, 140), ylim=(0, 650),
               title="price vs age (colour: area)")

    area_grid, age_grid = np.array([0.0, 400.0]), np.array([-2.0, 140.0])
    lines = {}
    for ax, key, colour, label in ((ax_area, "new", "gold", "age 0 years"),
                                   (ax_area, "old", "purple", "age 50 years"),
                                   (ax_age, "small", "black", "area 100 m²"),
                                   (ax_age, "large", "orange", "area 200 m²")):
        (lines[key],) = ax.plot([], [], "-", color=colour, lw=2.5, animated=True, label=label)
    ax_area.legend(handles=[lines["new"], lines["old"]], loc="upper left")
    ax_age.legend(handles=[lines["small"], lines["large"]], loc="upper right")
    house_text = ax_area.text(0.97, 0.04, "", ha="right", transform=ax_area.transAxes,
                              **_READOUT)

    def update_house_model(w1, w2, b):
        lines["new"].set_data(area_grid, w1 * area_grid + w2 * 0 + b)
        lines["old"].set_data(area_grid, w1 * area_grid + w2 * 50 + b)
        lines["small"].set_data(age_grid, w1 * 100 + w2 * age_grid + b)
        lines["large"].set_data(age_grid, w1 * 200 + w2 * age_grid + b)
        mae = losses.mae(price, linear.predict(X, [w1, w2], b))
        house_text.set_text(f"MAE = {mae:.1f} k$")

    return fig, update_house_model


def lag_days_figure(dates, y_test, lag_models: dict):
    """The models that read the last k days: ``update(k)`` -> ``(fig, update)``.

    ``lag_models`` maps k = 1, 2, ..., K to a fitted model with ``w`` (k,) -- ``w[j-1]``
    weighs the day j days before --, ``y_hat_test`` (its predictions of ``y_test``, the
    test days' counts, one per date of ``dates``) and the numbers ``mae_train`` and
    ``mae_test``. Left: the test days, real and predicted by the model of k days, with its
    train and test MAE; right: its k weights, on an axis of K days.
    """
    y_test = as_vector("y_test", y_test)
    dates = np.asarray(dates)
    if dates.dtype.kind != "M" or dates.shape != y_test.shape:
        raise InputError(f"dates must hold one date (np.datetime64) per value of y_test "
                         f"({y_test.size}); got {dates.dtype} of shape {dates.shape}")
    lag_models = as_instance("lag_models", lag_models, dict, "{k: lag_model(k, ...)}")
    if not lag_models or set(lag_models) != set(range(1, len(lag_models) + 1)):
        raise InputError(f"lag_models must map k = 1, 2, ..., K to a model; got the keys "
                         f"{list(lag_models)[:5]}")
    for k, model in lag_models.items():
        _check_lag_model(k, model, y_test)

    fig, (ax_pred, ax_w) = live.figure(1, 2, figsize=(10, 3.8), width_ratios=[1.6, 1])
    ax_pred.plot(dates, y_test, "k.-", lw=0.8, ms=3, label="real")
    ax_pred.set(ylabel="thousands of births", ylim=(6.5, 11.0),
                title=f"test set: last {dates.size} days of {dates[-1].astype('datetime64[Y]')} "
                      f"(测试集)")
    ax_pred.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    (pred_line,) = ax_pred.plot(dates, np.zeros(dates.size), "r-", lw=1.5, animated=True,
                                label="predicted")
    ax_pred.legend(handles=[ax_pred.lines[0], pred_line], loc="lower left")
    lag_text = ax_pred.text(0.99, 0.03, "", ha="right", transform=ax_pred.transAxes,
                            **_READOUT)
    days_ago = np.arange(1, len(lag_models) + 1)
    # one thick vertical segment per weight: a single artist, cheap to redraw
    weight_bars = ax_w.vlines(days_ago, 0, 0, colors="tab:blue", lw=5, capstyle="butt",
                              animated=True)
    ax_w.axhline(0, color="gray", lw=0.5)
    all_weights = np.concatenate([np.asarray(model.w) for model in lag_models.values()])
    ax_w.set(xlabel="days before the predicted day", ylabel="weight wⱼ",
             xlim=(0, days_ago.size + 1), ylim=(all_weights.min() - 0.05,
                                               all_weights.max() + 0.05),
             title="weights (权重)")
    ax_w.set_xticks([1, *range(7, days_ago.size + 1, 7)])

    def update_lag_days(k):
        model = lag_models[k]
        pred_line.set_ydata(model.y_hat_test)
        lag_text.set_text(f"k = {k}: train MAE {model.mae_train:.3f}, "
                          f"test MAE {model.mae_test:.3f}")
        heights = np.zeros(days_ago.size)
        heights[:k] = model.w  # w[j-1] weighs the day j days ago
        weight_bars.set_segments(np.stack([np.stack([days_ago, 0 * heights], 1),
                                           np.stack([days_ago, heights], 1)], 1))

    return fig, update_lag_days


def _check_lag_model(k: int, model, y_test: np.ndarray) -> None:
    """An InputError naming ``lag_models[k]`` unless it has what :func:`lag_days_figure`
    reads: ``w`` (k,), ``y_hat_test`` like ``y_test``, ``mae_train`` and ``mae_test``."""
    name = f"lag_models[{k}]"
    w = as_vector(f"{name}.w", getattr(model, "w", None))
    if w.size != k:
        raise InputError(f"{name}.w must hold k = {k} weights, one per day used; got {w.size}")
    y_hat = as_vector(f"{name}.y_hat_test", getattr(model, "y_hat_test", None))
    same_length(y_test=y_test, **{f"{name}.y_hat_test": y_hat})
    for score in ("mae_train", "mae_test"):
        as_scalar(f"{name}.{score}", getattr(model, score, None))
