"""Gradient descent: gradients against finite differences, convergence to known optima
(a quadratic, least squares) for every variant, divergence detected without a warning,
clear errors, the exponentially weighted average."""

import warnings

import numpy as np
import pytest
from live_driver import moves_change_the_picture, readouts

from helpers import animation, data, linear, live
from helpers import gradient_descent as gd
from helpers.gradcheck import numerical_gradient
from helpers.validate import InputError


@pytest.fixture
def beans():
    return data.beans(60, np.random.default_rng(3))


def least_squares(x, y):
    """The exact optimum, from np.linalg.lstsq directly (independent of the helpers)."""
    design = np.stack([x, np.ones_like(x)], 1)  # (m, 2)
    (w, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    return w, b


# --- forward and backward -------------------------------------------------------------

@pytest.mark.parametrize("m", [1, 2, 9])
def test_gradient_matches_finite_differences(m):
    rng = np.random.default_rng(m)
    x, y = rng.normal(size=m), rng.normal(size=m)
    for w, b in [(0.3, -1.2), (-2.0, 0.5), (0.0, 0.0)]:
        expected = numerical_gradient(lambda p: gd.loss(x, y, *p), [w, b])
        np.testing.assert_allclose(gd.gradient(x, y, w, b), expected, rtol=1e-6,
                                   atol=1e-8)


def test_loss_and_the_one_example_formulas_of_the_course():
    x, y, w, b = 0.5, 1.2, 0.8, 0.3
    assert gd.loss([x], [y], w, b) == pytest.approx((w * x + b - y) ** 2)
    dw, db = gd.gradient([x], [y], w, b)
    assert dw == pytest.approx(2 * x**2 * w + 2 * x * b - 2 * x * y)
    assert db == pytest.approx(2 * b + 2 * x * w - 2 * y)
    np.testing.assert_allclose(gd.predict([0.0, 1.0], 2.0, 1.0), [1.0, 3.0])


def test_valleys_gradient_matches_finite_differences_and_has_a_saddle():
    for p in [(0.3, -0.7), (-1.5, 1.1), (1.0, 0.0)]:
        expected = numerical_gradient(gd.valleys, p)
        np.testing.assert_allclose(gd.valleys_gradient(p), expected, rtol=1e-6,
                                   atol=1e-8)
    np.testing.assert_array_equal(gd.valleys_gradient([0.0, 0.0]), [0.0, 0.0])
    grid = np.stack(np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 1, 3)))
    assert gd.valleys(grid).shape == (3, 5)
    assert gd.valleys_gradient(grid).shape == (2, 3, 5)


# --- convergence ----------------------------------------------------------------------

def test_descend_reaches_the_minimum_of_a_quadratic():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])  # positive definite: one minimum, at c
    c = np.array([1.0, -2.0])

    def f(p):
        return 0.5 * (p - c) @ A @ (p - c)

    def grad(p):
        return A @ (p - c)

    np.testing.assert_allclose(numerical_gradient(f, [0.2, 0.4]), grad(np.array([0.2, 0.4])),
                               rtol=1e-6, atol=1e-8)
    run = gd.descend(f, grad, [5.0, 5.0], lr=0.2, steps=200)
    assert not run.diverged and run.steps == 200
    np.testing.assert_allclose(run.params[-1], c, atol=1e-8)
    assert run.params.shape == (201, 2) and run.losses.shape == (201,)
    assert np.all(np.diff(run.losses) <= 0)  # small enough lr: downhill at every step


def test_batch_gradient_descent_reaches_least_squares(beans):
    x, y = beans
    run = gd.gradient_descent(x, y, lr=0.5, steps=2000, w0=-1.0, b0=2.0)
    np.testing.assert_allclose(run.params[-1], least_squares(x, y), atol=1e-6)
    assert run.steps_per_epoch == 1 and not run.diverged
    assert run.losses[-1] == pytest.approx(gd.loss(x, y, *least_squares(x, y)))


@pytest.mark.parametrize("batch_size, lr, tolerance", [
    (10, 0.05, 0.02),  # mini-batch
    (1, 0.01, 0.02),  # stochastic: a small lr keeps the noise small
])
def test_stochastic_variants_reach_least_squares_within_their_noise(beans, batch_size, lr,
                                                                     tolerance):
    x, y = beans
    rng = np.random.default_rng(0)
    run = gd.gradient_descent(x, y, lr=lr, steps=20_000, batch_size=batch_size,
                              rng=rng)
    # the last epochs wander around the optimum: their average is within tolerance of it
    last = run.params[-5 * run.steps_per_epoch:].mean(axis=0)
    np.testing.assert_allclose(last, least_squares(x, y), atol=tolerance)
    assert run.steps_per_epoch == -(-x.size // batch_size)


def test_decaying_lr_makes_sgd_converge_tightly(beans):
    """With lr shrinking like 1/k (one epoch at a time) SGD settles on the optimum."""
    x, y = beans
    rng, w, b = np.random.default_rng(1), 0.0, 0.0
    for epoch in range(1, 301):
        run = gd.gradient_descent(x, y, lr=0.2 / epoch ** 0.75, steps=x.size,
                                  batch_size=1, rng=rng, w0=w, b0=b)
        w, b = run.params[-1]
    np.testing.assert_allclose((w, b), least_squares(x, y), atol=5e-3)


def test_one_parameter_model_keeps_b_fixed():
    x, y = data.beans(50, np.random.default_rng(0), bias=False)
    run = gd.gradient_descent(x, y, lr=1.0, steps=500, fit_bias=False)
    assert np.all(run.params[:, 1] == 0.0)
    assert run.params[-1, 0] == pytest.approx(np.sum(x * y) / np.sum(x * x))  # w* = Σxy/Σx²


def test_fixed_step_moves_by_exactly_lr_and_ends_near_the_optimum(beans):
    x, y = beans
    run = gd.gradient_descent(x, y, lr=0.01, steps=400, sign_only=True)
    steps = np.abs(np.diff(run.params, axis=0))
    assert np.allclose(steps[steps > 0], 0.01)
    np.testing.assert_allclose(run.params[-1], least_squares(x, y), atol=0.1)


def test_epochs_visit_every_example_once():
    """An epoch of mini-batches uses each example exactly once, in a new order."""
    x = np.arange(10.0)
    y = np.zeros(10)
    run = gd.gradient_descent(x, y, lr=1e-9, steps=8, batch_size=3,
                              rng=np.random.default_rng(0))
    assert run.steps_per_epoch == 4  # 3 + 3 + 3 + 1
    # the batch losses of one epoch, weighted by batch size, give the full loss
    sizes = np.array([3, 3, 3, 1])
    for epoch in range(2):
        batch = run.batch_losses[4 * epoch:4 * epoch + 4]
        assert np.sum(batch * sizes) / 10 == pytest.approx(run.losses[4 * epoch], rel=1e-6)


def test_same_seed_same_path(beans):
    x, y = beans
    runs = [gd.gradient_descent(x, y, 0.1, 50, batch_size=4,
                                rng=np.random.default_rng(7)) for _ in range(2)]
    np.testing.assert_array_equal(runs[0].params, runs[1].params)


# --- divergence -----------------------------------------------------------------------

@pytest.mark.parametrize("lr", [1.0, 10.0, 1e200])
def test_divergence_is_detected_and_stops_without_a_warning(beans, lr):
    x, y = beans
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow or invalid-value warning would fail
        run = gd.gradient_descent(x, y, lr=lr, steps=1000)
    assert run.diverged and run.diverged_at < 1000
    assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.losses))
    assert len(run.params) == len(run.losses) == len(run.batch_losses) + 1
    assert run.steps in (run.diverged_at, run.diverged_at - 1)
    assert run.losses[-1] > gd.MAX_LOSS or lr == 1e200


def test_too_large_lr_on_a_quadratic_diverges_at_the_predicted_rate():
    """On f = w², each step multiplies w by (1 − 2·lr): lr = 1.5 doubles it every step."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = gd.descend(lambda p: p[0] ** 2, lambda p: 2 * p, [1.0], lr=1.5,
                         steps=100, max_loss=1e6)
    np.testing.assert_allclose(run.params[:5, 0], [1, -2, 4, -8, 16])
    assert run.diverged_at == 10  # 2^10 = 1024, squared > 1e6


def test_no_divergence_just_below_the_limit():
    run = gd.descend(lambda p: p[0] ** 2, lambda p: 2 * p, [1.0], lr=0.99, steps=500)
    assert not run.diverged and abs(run.params[-1, 0]) < 1e-3


def test_noise_needs_an_rng_and_pushes_off_a_saddle():
    stuck = gd.descend(gd.valleys, gd.valleys_gradient, [0.0, 1.0], lr=0.05,
                       steps=300)
    np.testing.assert_allclose(stuck.params[-1], [0.0, 0.0], atol=1e-6)  # stalls
    pushed = gd.descend(gd.valleys, gd.valleys_gradient, [0.0, 1.0],
                        lr=0.05, steps=300, noise=0.5, rng=np.random.default_rng(0))
    assert abs(pushed.params[-1, 0]) > 0.8  # in one of the two valleys
    with pytest.raises(TypeError, match="default_rng"):
        gd.descend(gd.valleys, gd.valleys_gradient, [0.0, 1.0], 0.1, 5,
                   noise=0.1)


# --- errors ---------------------------------------------------------------------------

def test_clear_errors(beans):
    x, y = beans
    for lr in (0.0, -0.1):
        with pytest.raises(ValueError, match="lr .* must be positive"):
            gd.gradient_descent(x, y, lr=lr, steps=10)
    with pytest.raises(ValueError, match="empty"):
        gd.gradient_descent([], [], lr=0.1, steps=10)
    with pytest.raises(ValueError, match="numbers of examples differ"):
        gd.gradient_descent(x, y[:-1], lr=0.1, steps=10)
    with pytest.raises(ValueError, match="1-D"):
        gd.gradient_descent(x[None, :], y, lr=0.1, steps=10)
    for bad in (0, x.size + 1, 2.5):
        with pytest.raises(ValueError, match="batch_size must be"):
            gd.gradient_descent(x, y, lr=0.1, steps=10, batch_size=bad,
                                rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="default_rng"):
        gd.gradient_descent(x, y, lr=0.1, steps=10, batch_size=5)
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="steps must be"):
            gd.gradient_descent(x, y, lr=0.1, steps=bad)
    with pytest.raises(ValueError, match="already above max_loss"):
        gd.gradient_descent(x, y, lr=0.1, steps=10, w0=1e4)
    with pytest.raises(ValueError, match="numbers of examples differ"):
        gd.gradient(x, y[:3], 1.0, 0.0)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        gd.descend(gd.valleys, gd.valleys_gradient, [0, 0], 0.1, 5, noise=-1)


def test_steps_per_epoch():
    assert gd.steps_per_epoch(100, 100) == 1
    assert gd.steps_per_epoch(100, 1) == 100
    assert gd.steps_per_epoch(100, 30) == 4  # 30 + 30 + 30 + 10
    assert gd.steps_per_epoch(100, 25) == 4
    with pytest.raises(ValueError, match="between 1 and m"):
        gd.steps_per_epoch(10, 11)
    with pytest.raises(ValueError, match="positive integer"):
        gd.steps_per_epoch(0, 1)


def test_zero_steps_is_just_the_start(beans):
    x, y = beans
    run = gd.gradient_descent(x, y, lr=0.1, steps=0, w0=0.5, b0=0.2)
    np.testing.assert_array_equal(run.params, [[0.5, 0.2]])
    assert run.batch_losses.shape == (0,) and not run.diverged


# --- the exponentially weighted average -----------------------------------------------

def test_ema_values():
    values = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(gd.ema(values, 0.5), [0.5, 1.25, 2.125])
    # bias correction divides by 1 − βᵗ: 0.5, 0.75, 0.875
    np.testing.assert_allclose(gd.ema(values, 0.5, bias_correction=True),
                               [1.0, 1.25 / 0.75, 2.125 / 0.875])
    np.testing.assert_array_equal(gd.ema(values, 0.0), values)
    constant = gd.ema(np.full(50, 4.0), 0.9, bias_correction=True)
    np.testing.assert_allclose(constant, 4.0)  # corrected: no drag towards 0


def test_ema_smooths_noise():
    rng = np.random.default_rng(0)
    noisy = 1.0 + rng.normal(scale=0.5, size=5000)
    smooth = gd.ema(noisy, 0.99, bias_correction=True)
    assert np.std(smooth[500:]) < np.std(noisy) / 5
    assert abs(np.mean(smooth[500:]) - 1.0) < 0.05


def test_ema_errors():
    for beta in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError, match=r"beta must be in \[0, 1\)"):
            gd.ema([1.0, 2.0], beta)
    with pytest.raises(ValueError, match="empty"):
        gd.ema([], 0.5)


def test_least_squares_helper_agrees(beans):
    """The course's closed form (notebook 01) and lstsq agree: one optimum to aim at."""
    x, y = beans
    w, b = linear.fit_least_squares(x[None, :], y)
    np.testing.assert_allclose((w[0], b), least_squares(x, y))


def test_non_finite_parameters_flags_and_points_get_clear_errors(beans):
    x, y = beans
    with pytest.raises(InputError, match="w is nan: it must be a finite number"):
        gd.loss(x, y, np.nan)
    with pytest.raises(InputError, match="w is inf"):
        gd.gradient(x, y, np.inf)
    with pytest.raises(InputError, match="b must be a number, not str"):
        gd.loss(x, y, 1.0, "0")
    for flag in ("sign_only", "fit_bias"):
        with pytest.raises(InputError, match=f"{flag} must be True or False, got 'no'"):
            gd.gradient_descent(x, y, lr=0.1, steps=3, **{flag: "no"})
    with pytest.raises(InputError, match="bias_correction must be True or False"):
        gd.ema([1.0, 2.0], 0.5, bias_correction="no")
    with pytest.raises(InputError, match=r"p must have shape \(2, \.\.\.\)"):
        gd.valleys([1.0])
    with pytest.raises(InputError, match="loss_fn must be a function"):
        gd.descend(None, gd.valleys_gradient, [0.0, 1.0], 0.1, 3)


# --- the live figures of notebook 02 --------------------------------------------------

@pytest.fixture
def grid(beans):
    x, y = beans
    ws, bs = np.linspace(-1.0, 2.5, 15), np.linspace(-1.0, 2.0, 13)
    return ws, bs, linear.loss_surface(x, y, ws, bs)


@pytest.fixture
def shown():
    """Live figures made by a test, closed after it."""
    made = []

    def show(fig, update, **controls):
        made.append(live.LiveFigure(fig, update, name=f"test_gd_{len(made)}",
                                    controls=controls))
        return made[-1]

    yield show
    for figure in made:
        figure.close()


def test_bowl_figure_shows_the_gradient(beans, grid, shown):
    x, y = beans
    figure = shown(*gd.bowl_figure(x, y, *grid), w=live.slider("w", -1.0, 2.5, 0.05, value=-0.5),
                   b=live.slider("b", -1.0, 2.0, 0.05, value=1.5))
    moves_change_the_picture(figure, [{"w": 0.7}, {"b": 0.5}, {"w": 2.5}])
    dw, db = gd.gradient(x, y, 2.5, 0.5)
    assert readouts(figure) == [f"L = {gd.loss(x, y, 2.5, 0.5):.3f}\n∂L/∂w = {dw:+.3f}",
                                f"∂L/∂b = {db:+.3f}"]


def test_learning_rate_figure_follows_lr_and_steps_and_says_when_it_diverged(beans, grid,
                                                                            shown):
    x, y = beans
    x_nb, y_nb = data.beans(40, np.random.default_rng(0), bias=False)

    def runs(lr):
        return (gd.gradient_descent(x_nb, y_nb, lr, 30, w0=-0.5, fit_bias=False),
                gd.gradient_descent(x, y, lr, 30, w0=2.0, b0=1.8))

    fig, update = gd.learning_rate_figure(runs, x_nb, y_nb, *grid, w_best_nb=0.7,
                                          best=least_squares(x, y), start=(2.0, 1.8))
    figure = shown(fig, update, lr=live.log_slider("lr", -4, 1, value=0.1),
                   steps=live.slider("steps", 0, 30, 1, value=10))
    moves_change_the_picture(figure, [{"steps": 20}, {"lr": 0.5}, {"steps": 0}, {"steps": 30},
                                      {"lr": 10.0}])
    one, two = runs(10.0)
    assert one.diverged and two.diverged
    assert readouts(figure) == [
        f"lr = 10: diverged at step {one.diverged_at}\n(L > 1e+06: stopped)",
        f"lr = 10: diverged at step {two.diverged_at}\n(L > 1e+06: stopped)"]


def test_variants_figure_follows_every_control(beans, grid, shown):
    x, y = beans
    m, rng = x.size, np.random.default_rng(0)
    runs = {B: gd.gradient_descent(x, y, 0.2, 4 * gd.steps_per_epoch(m, B), batch_size=B,
                                   rng=rng) for B in range(1, m + 1)}
    fixed = gd.gradient_descent(x, y, 0.05, 4, sign_only=True)
    fig, update = gd.variants_figure(runs, fixed, *grid, best=least_squares(x, y),
                                     best_loss=gd.loss(x, y, *least_squares(x, y)),
                                     lr=0.2, step_size=0.05)
    figure = shown(fig, update, variant=live.choice("variant", gd.VARIANTS,
                                                    value="mini-batch", buttons=True),
                   batch_size=live.slider("B", 1, m, 1, value=10),
                   epochs=live.slider("epochs", 1, 4, 1, value=2))
    moves_change_the_picture(figure, [{"batch_size": 7}, {"epochs": 4}, *[
        {"variant": name} for name in ("batch", "stochastic", "fixed step", "mini-batch")]])
    k = 4 * gd.steps_per_epoch(m, 7)
    assert readouts(figure)[0] == (
        f"mini-batch, B = 7, lr 0.2\n1 epoch = ⌈{m}/7⌉ = {gd.steps_per_epoch(m, 7)} "
        f"update(s)\n4 epoch(s) = {k} update(s), loss {runs[7].losses[k]:.4f}")


def test_saddle_figure_says_where_each_run_ended(shown):
    def saddle_run(w1, w2, noise):
        return gd.descend(gd.valleys, gd.valleys_gradient, [w1, w2], 0.05, 150, noise=noise,
                          rng=np.random.default_rng(7))

    fig, update = gd.saddle_figure(saddle_run, global_minimum=-1.119, local_minimum=0.894,
                                   steps=150)
    figure = shown(fig, update, w1=live.slider("w1", -1.8, 1.8, 0.01, value=0.0),
                   w2=live.slider("w2", -1.5, 1.5, 0.05, value=1.4),
                   noise=live.slider("noise", 0.0, 2.0, 0.05, value=0.0))
    assert readouts(figure) == ["plain: stuck at the saddle\nnoise 0.00: stuck at the saddle"]
    moves_change_the_picture(figure, [{"w1": -1.5}, {"w2": -1.0}, {"noise": 0.5}])
    assert readouts(figure)[0].startswith("plain: global minimum\n")


def test_loss_average_figure_smooths_and_reports_divergence(beans, shown):
    x, y = beans
    runs = {lr: gd.gradient_descent(x, y, lr, 200, w0=2.5, b0=-0.4, batch_size=5,
                                    rng=np.random.default_rng(1)) for lr in (0.1, 3.0)}
    assert runs[3.0].diverged
    fig, update = gd.loss_average_figure(runs)
    figure = shown(fig, update, beta=live.slider("β", 0.0, 0.99, 0.01, value=0.9),
                   bias_correction=live.toggle("bias correction", value=True),
                   lr=live.choice("lr", [0.1, 3.0], buttons=True))
    moves_change_the_picture(figure, [{"beta": 0.5}, {"bias_correction": False}, {"lr": 3.0}])
    assert readouts(figure) == [f"β = 0.50: averages about the last 2 losses\ndiverged at "
                                f"update {runs[3.0].diverged_at}: the run stopped"]
    smooth = figure.fig.axes[0].lines[1]
    np.testing.assert_allclose(smooth.get_ydata(), gd.ema(runs[3.0].batch_losses, 0.5))


def test_fit_figure_draws_the_line_after_k_steps(beans, grid):
    x, y = beans
    fit = gd.gradient_descent(x, y, 0.1, 20, w0=2.0, b0=1.8)
    fig, draw_step = gd.fit_figure(fit, x, y, *grid, best=least_squares(x, y))
    line = next(line for line in fig.axes[0].lines if line.get_animated())
    frames = []
    for k in (0, 5, 20):
        draw_step(k)
        w, b = fit.params[k]
        np.testing.assert_allclose(line.get_ydata(), [b, w + b])
        frames.append(np.asarray(animation.render(fig)))
    assert not np.array_equal(frames[0], frames[1]) and not np.array_equal(frames[1], frames[2])


def test_figures_refuse_bad_input_clearly(beans, grid):
    x, y = beans
    ws, bs, surface = grid
    run = gd.gradient_descent(x, y, 0.1, 3)
    with pytest.raises(InputError, match=r"surface has shape \(15, 13\)"):
        gd.bowl_figure(x, y, ws, bs, surface.T)
    with pytest.raises(InputError, match="best must be two numbers"):
        gd.fit_figure(run, x, y, *grid, best=(1.0, 2.0, 3.0))
    with pytest.raises(InputError, match="mini_batch_runs must map every batch size"):
        gd.variants_figure({2: run}, run, *grid, best=(0, 0), best_loss=0.1, lr=0.1, step_size=0.1)
    with pytest.raises(InputError, match=r"mini_batch_runs\[1\] must be a Descent"):
        gd.variants_figure({1: None}, run, *grid, best=(0, 0), best_loss=0.1, lr=0.1,
                           step_size=0.1)
    with pytest.raises(InputError, match="runs is empty"):
        gd.loss_average_figure({})
    with pytest.raises(InputError, match="saddle_run must be a function"):
        gd.saddle_figure(None, global_minimum=-1.1, local_minimum=0.9, steps=10)


# --- one epoch written out, and runs made of epochs ------------------------------------

@pytest.mark.parametrize("batch_size", [1, 7, 10, 60])
def test_run_epochs_of_one_epoch_is_gradient_descent(beans, batch_size):
    """The loop of the exercise, chained by run_epochs, makes the same path as
    gradient_descent with the same seed (both shuffle with rng.permutation(m))."""
    x, y = beans
    m, epochs = x.size, 4
    ref = gd.gradient_descent(x, y, 0.2, epochs * gd.steps_per_epoch(m, batch_size), w0=2.0,
                              b0=1.8, batch_size=batch_size, rng=np.random.default_rng(5))
    run = gd.run_epochs(gd.one_epoch, x, y, 0.2, epochs, w0=2.0, b0=1.8,
                        batch_size=batch_size, rng=np.random.default_rng(5))
    assert run.steps_per_epoch == ref.steps_per_epoch == gd.steps_per_epoch(m, batch_size)
    np.testing.assert_allclose(run.params, ref.params, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(run.losses, ref.losses, rtol=1e-12, atol=1e-14)
    assert not run.diverged and run.batch_losses.size == 0


def test_one_epoch_path_shape_and_each_step_is_the_batch_gradient():
    x = np.arange(10.0) / 10
    y = 0.7 * x + 0.5
    path = gd.one_epoch(x, y, 2.0, 1.8, 0.1, 3, np.random.default_rng(0))
    assert path.shape == (4, 2)  # ceil(10 / 3) updates: 3 + 3 + 3 + 1
    order = np.random.default_rng(0).permutation(10)
    w, b = 2.0, 1.8
    for k, start in enumerate(range(0, 10, 3)):
        batch = order[start:start + 3]
        # the gradient of the batch's MSE, from finite differences (independent)
        g = numerical_gradient(lambda p, batch=batch: gd.loss(x[batch], y[batch], *p), [w, b])
        w, b = w - 0.1 * g[0], b - 0.1 * g[1]
        np.testing.assert_allclose(path[k], [w, b], rtol=1e-6)
    # one batch of all the data is one step of batch gradient descent
    dw, db = gd.gradient(x, y, 2.0, 1.8)
    np.testing.assert_allclose(gd.one_epoch(x, y, 2.0, 1.8, 0.1, 10, np.random.default_rng(1)),
                               [[2.0 - 0.1 * dw, 1.8 - 0.1 * db]])


def test_run_epochs_stops_a_diverging_epoch_and_refuses_a_wrong_path(beans):
    x, y = beans
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = gd.run_epochs(gd.one_epoch, x, y, 5.0, 50, batch_size=6,
                            rng=np.random.default_rng(0))
    assert run.diverged and run.steps < 50 * 10
    assert np.all(np.isfinite(run.losses)) and run.losses[-1] > gd.MAX_LOSS
    assert gd.run_epochs(gd.one_epoch, x, y, 0.1, 0, batch_size=6,
                         rng=np.random.default_rng(0)).steps == 0
    with pytest.raises(InputError, match=r"epoch returned a path of shape \(2,\), not \(10, 2\)"):
        gd.run_epochs(lambda *args: (0.5, 0.1), x, y, 0.1, 2, batch_size=6,
                      rng=np.random.default_rng(0))


def test_variants_figure_shows_the_learners_loop_or_says_why_not(beans, grid, shown):
    x, y = beans
    m = x.size
    runs = {B: gd.gradient_descent(x, y, 0.2, 3 * gd.steps_per_epoch(m, B), batch_size=B,
                                   rng=np.random.default_rng(B)) for B in range(1, m + 1)}
    fixed = gd.gradient_descent(x, y, 0.05, 3, sign_only=True)
    epoch = {"fn": gd.one_epoch}

    def your_runs(B):
        return gd.run_epochs(epoch["fn"], x, y, 0.2, 3, batch_size=B,
                             rng=np.random.default_rng(B))

    fig, update = gd.variants_figure(runs, fixed, *grid, best=least_squares(x, y),
                                     best_loss=0.01, lr=0.2, step_size=0.05,
                                     your_runs=your_runs)
    figure = shown(fig, update, variant=live.choice("variant", gd.VARIANTS, value="mini-batch"),
                   batch_size=live.slider("B", 1, m, 1, value=10),
                   epochs=live.slider("epochs", 1, 3, 1, value=2),
                   loop=live.choice("whose loop", gd.LOOPS))
    course = readouts(figure)[0]
    moves_change_the_picture(figure, [{"loop": "yours"}])
    assert readouts(figure)[0] == course + "\nyour loop"  # the same numbers: the same path

    def stub(*args):
        raise NotImplementedError

    epoch["fn"] = stub
    moves_change_the_picture(figure, [{"epochs": 3}])
    assert "your loop raised NotImplementedError" in readouts(figure)[0]
    epoch["fn"] = lambda *args: gd.one_epoch(*args)[-1]  # only the last (w, b)
    moves_change_the_picture(figure, [{"batch_size": 7}])
    assert "not (9, 2)" in readouts(figure)[0].replace("\n", " ")
