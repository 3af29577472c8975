"""helpers.deep_networks: the 2-D data sets, the tick rules of the playground, divergence,
the figure (the drawings of notebook 05 are tested in test_drawing.py)."""

import warnings

import numpy as np
import pytest

from helpers import data, layers, live
from helpers import deep_networks as pg

SETTINGS = {"dataset": "moons", "width": 4, "depth": 2, "activation": "tanh", "lr": 0.3}


@pytest.fixture
def court():
    """A small, fast playground."""
    return pg.Playground(m_train=60, m_test=30, steps_per_tick=5, max_catch_up=3,
                         resolution=12)


def weights(court) -> dict:
    return {name: array.copy() for name, array in court.model.parameters().items()}


def same_weights(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


# --- the data sets ----------------------------------------------------------------------


@pytest.mark.parametrize("name", data.DATASETS)
@pytest.mark.parametrize("m", [2, 7, 200])
def test_every_data_set_has_the_course_shapes_and_balanced_labels(name, m):
    X, Y = data.make_dataset(name, m, 0.1, np.random.default_rng(0))
    assert X.shape == (2, m) and Y.shape == (1, m)
    assert X.dtype == float and Y.dtype == float
    assert set(np.unique(Y)) <= {0.0, 1.0}
    assert Y.sum() == m - m // 2  # class 1 gets the odd point
    assert np.all(np.isfinite(X)) and np.all(np.abs(X) < 2.5)


@pytest.mark.parametrize("name", data.DATASETS)
def test_data_sets_are_deterministic_and_shuffled(name):
    X1, Y1 = data.make_dataset(name, 100, 0.1, np.random.default_rng(3))
    X2, Y2 = data.make_dataset(name, 100, 0.1, np.random.default_rng(3))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert 0 < Y1[0, :50].sum() < 50, "the classes are mixed, not one after the other"
    X3, _ = data.make_dataset(name, 100, 0.1, np.random.default_rng(4))
    assert not np.array_equal(X1, X3)


def test_the_shapes_of_the_data_sets_without_noise():
    rng = np.random.default_rng(0)
    X, Y = data.make_dataset("circles", 400, 0.0, rng)
    radius = np.hypot(*X)
    assert radius[Y[0] == 1].max() <= 0.5 and radius[Y[0] == 0].min() >= 0.8
    X, Y = data.make_dataset("xor", 400, 0.0, rng)
    np.testing.assert_array_equal(Y[0] == 1, X[0] * X[1] > 0)
    assert np.abs(X).min() >= 0.1
    X, Y = data.make_dataset("moons", 400, 0.0, rng)
    upper = Y[0] == 0  # class 0 is the upper half circle around (−0.5, −0.25)
    np.testing.assert_allclose(np.hypot(X[0, upper] + 0.5, X[1, upper] + 0.25), 1.0)
    np.testing.assert_allclose(np.hypot(X[0, ~upper] - 0.5, X[1, ~upper] - 0.25), 1.0)
    X, Y = data.make_dataset("spiral", 400, 0.0, rng)
    assert np.hypot(*X).max() <= 1.3 + 1e-12
    # the two arms are each other turned by half a turn
    arm0, arm1 = X[:, Y[0] == 0], X[:, Y[0] == 1]
    assert arm0.shape == arm1.shape


def test_noise_moves_the_points():
    clean, _ = data.make_dataset("circles", 200, 0.0, np.random.default_rng(1))
    noisy, _ = data.make_dataset("circles", 200, 0.2, np.random.default_rng(1))
    spread = np.std(noisy - clean)
    assert 0.1 < spread < 0.3


@pytest.mark.parametrize("args, error, words", [
    (("stars", 10, 0.1), ValueError, "moons"),
    (("moons", 1, 0.1), ValueError, r"m \(the number of points\)"),
    (("moons", 10.0, 0.1), ValueError, "integer"),
    (("moons", True, 0.1), ValueError, "integer"),
    (("moons", 10, -0.1), ValueError, ">= 0"),
    (("moons", 10, np.nan), ValueError, "finite"),
    (("moons", 10, "a lot"), TypeError, "number"),
])
def test_data_sets_reject_bad_input(args, error, words):
    with pytest.raises(error, match=words):
        data.make_dataset(*args, np.random.default_rng(0))


def test_data_sets_need_a_generator():
    with pytest.raises(TypeError, match="default_rng"):
        data.make_dataset("moons", 10, 0.1, 42)


# --- the playground: re-initialisation is deterministic --------------------------------


def test_a_new_network_always_starts_from_the_same_weights(court):
    court.advance(0, **SETTINGS)
    start = weights(court)
    court.advance(4, **SETTINGS)
    assert not same_weights(start, weights(court))
    court.advance(0, **SETTINGS)  # Stop
    assert same_weights(start, weights(court)) and court.steps == 0
    court.advance(0, **{**SETTINGS, "width": 5})
    court.advance(0, **SETTINGS)  # back: the same start again
    assert same_weights(start, weights(court))
    other = pg.Playground(m_train=60, m_test=30, steps_per_tick=5, resolution=12)
    other.advance(0, **SETTINGS)
    assert same_weights(start, weights(other))


def test_the_same_ticks_give_the_same_network(court):
    for tick in range(1, 6):
        court.advance(tick, **SETTINGS)
    after = weights(court)
    court.advance(0, **SETTINGS)
    for tick in range(1, 6):
        court.advance(tick, **SETTINGS)
    assert same_weights(after, weights(court))
    np.testing.assert_array_equal(court.history[-1], court.history[-1])


@pytest.mark.parametrize("change", [{"dataset": "xor"}, {"width": 3}, {"depth": 1},
                                    {"activation": "relu"}])
def test_changing_the_network_or_data_starts_again(court, change):
    court.advance(0, **SETTINGS)
    for tick in range(1, 8):
        court.advance(tick, **SETTINGS)
    assert court.steps == 7 * 5
    court.advance(7, **{**SETTINGS, **change})
    assert court.settings == pg.Settings(**{k: v for k, v in {**SETTINGS, **change}.items()
                                            if k != "lr"})
    # a new network, then at most max_catch_up ticks of training
    assert court.steps == 3 * 5
    assert [h[0] for h in court.history] == [0, 15]


# --- the playground: ticks ---------------------------------------------------------------


def test_one_tick_is_steps_per_tick_steps(court):
    court.advance(0, **SETTINGS)
    assert court.steps == 0 and len(court.history) == 1
    court.advance(1, **SETTINGS)
    assert court.steps == 5 and [h[0] for h in court.history] == [0, 5]
    court.advance(2, **SETTINGS)
    assert court.steps == 10


def test_merged_ticks_are_caught_up_but_not_beyond_the_cap(court):
    court.advance(0, **SETTINGS)
    court.advance(2, **SETTINGS)      # two ticks merged into one message
    assert court.steps == 10
    court.advance(50, **SETTINGS)     # far behind: only max_catch_up ticks
    assert court.steps == 10 + 3 * 5
    assert court.tick == 50
    court.advance(51, **SETTINGS)
    assert court.steps == 10 + 3 * 5 + 5


def test_the_same_tick_again_changes_nothing(court):
    court.advance(3, **SETTINGS)
    before, steps = weights(court), court.steps
    court.advance(3, **SETTINGS)
    assert same_weights(before, weights(court)) and court.steps == steps


def test_a_smaller_tick_starts_again_and_trains_from_scratch(court):
    for tick in range(0, 10):
        court.advance(tick, **SETTINGS)
    court.advance(2, **SETTINGS)
    assert court.steps == 2 * 5
    fresh = pg.Playground(m_train=60, m_test=30, steps_per_tick=5, resolution=12)
    fresh.advance(0, **SETTINGS)
    fresh.advance(2, **SETTINGS)
    assert same_weights(weights(court), weights(fresh))


def test_a_new_learning_rate_keeps_the_network(court):
    for tick in range(0, 4):
        court.advance(tick, **SETTINGS)
    before, steps = weights(court), court.steps
    court.advance(4, **{**SETTINGS, "lr": 0.05})
    assert court.steps == steps + 5 and court.lr == 0.05
    # exactly one step of size 0.05 ... five times, from the same weights
    twin = pg.Playground(m_train=60, m_test=30, steps_per_tick=5, resolution=12)
    for tick in range(0, 4):
        twin.advance(tick, **SETTINGS)
    assert same_weights(before, weights(twin))
    twin.lr = 0.05
    twin.train(5)
    assert same_weights(weights(court), weights(twin))


def test_training_lowers_the_cost_and_learns_the_moons(court):
    court.advance(0, **SETTINGS)
    start = court.train_cost
    for tick in range(1, 41):
        court.advance(tick, **SETTINGS)
    assert court.train_cost < start / 3
    assert court.train_accuracy > 0.9 and court.test_accuracy > 0.8
    costs = np.array(court.history)[:, 1]
    assert costs[-1] < costs[len(costs) // 2] < costs[0]


def test_the_decision_regions_follow_the_network(court):
    court.advance(0, **SETTINGS)
    assert court.probabilities.shape == (12, 12)
    assert np.all((court.probabilities > 0) & (court.probabilities < 1))
    z = court.model.forward(court.grid)[0].reshape(12, 12)
    np.testing.assert_allclose(court.probabilities, 1 / (1 + np.exp(-z)), rtol=1e-5)
    # row 0 of the grid is its bottom (x₂ = −extent), column 0 its left (x₁ = −extent)
    assert court.grid[:, 0].tolist() == [-1.6, -1.6]
    assert court.grid[:, 11].tolist() == [1.6, -1.6]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_the_float32_grid_pass_is_the_models_forward_pass(activation):
    model = layers.mlp([2, 8, 8, 1], activation=activation, output="sigmoid",
                       rng=np.random.default_rng(3))
    X = np.random.default_rng(4).uniform(-2, 2, (2, 500))
    fast = layers.grid_forward(model, X)
    assert fast.dtype == np.float32 and fast.shape == (1, 500)
    np.testing.assert_allclose(fast, model.forward(X), rtol=1e-5, atol=1e-6)


def test_the_float32_grid_pass_knows_batch_norm_and_softmax():
    rng = np.random.default_rng(5)
    X = rng.uniform(-2, 2, (2, 300))
    model = layers.mlp([2, 6, 6, 3], activation="relu", output="softmax", batch_norm=True,
                       rng=rng)
    model.forward(X)  # training mode: the running averages move away from 0 and 1
    for layer in model:
        if isinstance(layer, layers.BatchNorm):
            layer.gamma, layer.beta = rng.uniform(0.5, 2, layer.gamma.shape), rng.normal(
                size=layer.beta.shape)
    fast = layers.grid_forward(model, X)
    with layers.evaluating(model):  # the running averages, as grid_forward uses them
        np.testing.assert_allclose(fast, model.forward(X), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(fast.sum(axis=0), 1.0, rtol=1e-5)


def test_the_float32_grid_pass_overflows_quietly():
    model = layers.mlp([2, 8, 1], activation="relu", rng=np.random.default_rng(3))
    model[0].W *= 1e300
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast = layers.grid_forward(model, np.ones((2, 3)))
    assert not np.all(np.isfinite(fast))
    with pytest.raises(TypeError, match="does not know"):
        layers.grid_forward(layers.Sequential(layers.MSE()), np.ones((2, 3)))


def test_the_cost_is_the_layer_librarys_cross_entropy(court):
    court.advance(0, **SETTINGS)
    split = court.split
    expected = layers.BinaryCrossEntropyWithLogits().forward(
        court.model.forward(split.X_train), split.Y_train)
    assert court.train_cost == pytest.approx(expected, rel=1e-12)
    assert court.train_accuracy == layers.accuracy(court.model, split.X_train, split.Y_train,
                                                   threshold=0.0)


def test_no_hidden_layer_is_a_straight_boundary(court):
    court.advance(0, **{**SETTINGS, "depth": 0, "dataset": "xor"})
    assert repr(court.model) == "Sequential(Linear(2→1))"
    assert court.describe() == "2 → 1, no hidden layer (4 units, tanh: unused)"
    court.advance(0, **{**SETTINGS, "depth": 3, "width": 5, "activation": "relu"})
    assert court.describe() == "2 → 5 → 5 → 5 → 1, relu"


# --- the playground: divergence ----------------------------------------------------------


@pytest.mark.parametrize("activation, lr", [("relu", 100.0), ("tanh", 100.0)])
def test_a_diverging_learning_rate_stops_training_without_warnings(activation, lr):
    court = pg.Playground(steps_per_tick=10)
    settings = {**SETTINGS, "dataset": "moons", "width": 8, "depth": 4,
                "activation": activation, "lr": lr}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for tick in range(0, 30):
            court.advance(tick, **settings)
    assert court.diverged_at is not None
    steps, picture = court.steps, court.probabilities.copy()
    assert court.history[-1][0] == court.diverged_at == steps
    assert not court.history[-1][1] <= 10 * court.first_cost
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        court.advance(30, **settings)  # stopped: no more training
    assert court.steps == steps
    np.testing.assert_array_equal(court.probabilities, picture)
    court.advance(31, **{**settings, "lr": 0.1})  # a new rate: a new network
    assert court.diverged_at is None and court.steps == 3 * 10


def test_an_overflowing_network_counts_as_diverged(court):
    court.advance(0, **SETTINGS)
    for p in court.model.parameters().values():
        p *= 1e200  # far beyond anything a float64 can multiply
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        court.train(3)
    assert court.diverged_at == 0 and court.history[-1][1] == 1e12


# --- the playground: bad input ---------------------------------------------------------


@pytest.mark.parametrize("change, error, words", [
    ({"tick": -1}, ValueError, "tick"),
    ({"tick": 1.5}, ValueError, "tick"),
    ({"dataset": "stars"}, ValueError, "dataset must be one of"),
    ({"width": 0}, ValueError, "width"),
    ({"depth": -1}, ValueError, "depth"),
    ({"activation": "softsign"}, ValueError, "activation must be one of"),
    ({"lr": 0.0}, ValueError, "positive"),
    ({"lr": -0.1}, ValueError, "positive"),
    ({"lr": np.nan}, ValueError, "positive"),
    ({"lr": "fast"}, TypeError, "number"),
])
def test_bad_controls_get_a_clear_error_and_change_nothing(court, change, error, words):
    court.advance(2, **SETTINGS)
    before, steps = weights(court), court.steps
    with pytest.raises(error, match=words):
        court.advance(**{"tick": 3, **SETTINGS, **change})
    assert same_weights(before, weights(court)) and court.steps == steps


@pytest.mark.parametrize("kwargs, words", [
    ({"m_train": 1}, "m_train"), ({"steps_per_tick": 0}, "steps_per_tick"),
    ({"resolution": 1}, "resolution"), ({"extent": 0.0}, "extent"),
    ({"divergence_factor": 1.0}, "divergence_factor"),
    ({"noise": {"stars": 0.1}}, "noise is given per data set"),
    ({"noise": {"moons": -0.1}}, "noise"),
])
def test_bad_settings_of_the_playground(kwargs, words):
    with pytest.raises(ValueError, match=words):
        pg.Playground(**kwargs)


# --- the figure ------------------------------------------------------------------------


@pytest.fixture
def view():
    court = pg.Playground(steps_per_tick=5, resolution=40)
    fig, update = pg.playground_figure(court, max_ticks=100)
    figure = live.LiveFigure(fig, update, name="test_playground", controls={
        "tick": live.player(max_ticks=100),
        "dataset": live.choice("data", data.DATASETS),
        "width": live.slider("width", 1, 8, 1, value=4),
        "depth": live.slider("depth", 0, 4, 1, value=2),
        "activation": live.choice("activation", pg.ACTIVATIONS),
        "lr": live.log_slider("lr", -3, 1.5, 0.3),
    })
    yield figure, court
    figure.close()


def test_every_tick_changes_the_frame(view):
    figure, court = view
    frames = [bytes(figure.image.value)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for tick in range(1, 8):
            frames.append(figure.redraw(tick=tick))
        frames.append(figure.redraw(tick=0))
    assert len(set(frames[:-1])) == len(frames) - 1
    assert frames[-1] == frames[0], "Stop: back to the first picture"
    assert figure.full_redraws == 1, "nothing in the playground forces a full redraw"
    assert court.steps == 0


def test_every_control_changes_the_frame_at_tick_0(view):
    figure, _ = view
    for key, value in [("dataset", "spiral"), ("depth", 0), ("width", 7),
                       ("activation", "tanh"), ("lr", 0.02)]:
        before = bytes(figure.image.value)
        assert figure.redraw(**{key: value}) != before, key


def test_the_figure_says_when_training_diverged(view):
    figure, court = view
    readout = next(t for t in figure.fig.axes[1].texts if t.get_animated())
    figure.redraw(activation="tanh", depth=2, width=6, lr=30.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for tick in range(1, 40):
            figure.redraw(tick=tick)
            if court.diverged_at is not None:
                break
    assert court.diverged_at is not None
    assert "diverged at step" in readout.get_text()
    assert "Lower the learning rate!" in readout.get_text()
    alarm = next(t for t in figure.fig.axes[0].texts if t.get_animated())
    assert alarm.get_text().startswith(f"diverged at step {court.diverged_at}")
    frame = bytes(figure.image.value)
    assert figure.redraw(tick=tick + 1) != frame, "the tick still shows"
    figure.redraw(lr=0.3)
    assert "diverged" not in readout.get_text() and alarm.get_text() == ""


def test_the_update_can_be_called_from_two_threads_at_once():
    """JupyterLab may deliver widget messages on two kernel threads: ticks on one, a
    slider on the other. Training must never see a half-finished step of the other."""
    import threading

    court = pg.Playground(m_train=60, m_test=30, steps_per_tick=20, resolution=20)
    fig, update = pg.playground_figure(court, max_ticks=400)
    view = live.LiveFigure(fig, update, name="two_threads", controls={
        "tick": live.player("train", max_ticks=400),
        "dataset": live.choice("data", data.DATASETS, value="moons"),
        "width": live.slider("width", 1, 8, 1, value=6),
        "depth": live.slider("depth", 0, 4, 1, value=2),
        "activation": live.choice("activation", ["tanh", "relu", "sigmoid"]),
        "lr": live.slider("lr", 0.01, 3.0, 0.01, value=0.3)})
    errors = []

    def run(calls):  # LiveFigure.redraw is the path of every widget message
        try:
            for call in calls:
                view.redraw(**call)
        except Exception as error:  # pragma: no cover - what the test must not see
            errors.append(error)

    ticks = threading.Thread(target=run, args=([{"tick": t} for t in range(1, 200)],))
    depths = threading.Thread(target=run, args=([{"tick": 0, "depth": 1 + t % 3}
                                                for t in range(200)],))
    ticks.start()
    depths.start()
    ticks.join()
    depths.join()
    view.close()
    assert not errors, errors


def test_the_depth_figure_shows_the_run_chosen():
    from live_driver import moved, readouts

    def run(cost, accuracy):
        return {"train": np.linspace(0.7, cost, 31), "test": np.linspace(0.7, 2 * cost, 4),
                "accuracy": [accuracy, accuracy - 0.1]}

    runs = {(depth, seed): run(0.5 / (depth + 1) + 0.01 * seed, 0.8 + 0.02 * depth)
            for depth in range(3) for seed in (0, 1)}
    fig, update = pg.depth_figure(runs, test_every=10)
    figure = live.LiveFigure(fig, update, controls={
        "depth": live.slider("hidden layers", 0, 2, 1, value=1),
        "seed": live.choice("seed", [0, 1], buttons=True)})
    assert readouts(figure) == ["1 hidden layer, seed 0\naccuracy: training 82.0%, test 72.0%"]
    assert moved(figure, depth=2) and moved(figure, seed=1)
    assert readouts(figure)[0].startswith("2 hidden layers, seed 1")
    with pytest.raises(ValueError, match="every depth"):
        pg.depth_figure({(0, 0): runs[0, 0], (1, 1): runs[1, 1]})


# --- the scale of the initial weights -----------------------------------------------------


def test_the_init_scale_figure_follows_he_and_xavier():
    from live_driver import moved, readouts

    fig, update = pg.init_scale_figure(n_units=50, depth=10, m=40)
    figure = live.LiveFigure(fig, update, controls={
        "activation": live.choice("activation", ["relu", "tanh"], buttons=True),
        "c": live.log_slider("c", -3, 3, value=2.0, base=2, step=0.25)})
    text = readouts(figure)[0]
    assert text.startswith("relu, n·Var(w) = 2 (He)\nlayer 10: activations ")
    a_line, da_line = fig.axes[0].lines[1:3]
    assert 0.2 < a_line.get_ydata()[-1] < 5 and 0.2 < da_line.get_ydata()[0] < 5
    assert moved(figure, c=0.5)  # a quarter of He's variance: halves the spread per layer
    assert a_line.get_ydata()[-1] < 1e-2 and da_line.get_ydata()[0] < 1e-2
    assert moved(figure, activation="tanh", c=1.0)
    assert readouts(figure)[0].startswith("tanh, n·Var(w) = 1 (Xavier)")


def test_the_init_scale_figure_matches_a_plain_forward_and_backward_pass():
    """Against an independent computation with the layer library's Linear and ReLU."""
    n, depth, m, c = 20, 6, 30, 3.0
    fig, update = pg.init_scale_figure(n_units=n, depth=depth, m=m, seed=4)
    update("relu", c)
    rng = np.random.default_rng(4)
    X = rng.normal(size=(n, m))
    W_unit = rng.normal(size=(depth, n, n)) / np.sqrt(n)
    dA_top = rng.normal(size=(n, m))
    model = layers.Sequential(*[part for l in range(depth) for part in (
        layers.Linear.from_arrays(np.sqrt(c) * W_unit[l], np.zeros((n, 1))), layers.ReLU())])
    model.forward(X)
    spreads = [X.std()] + [layer.output.std() for layer in model if isinstance(layer, layers.ReLU)]
    dX = model.backward(dA_top)
    a_line, da_line = fig.axes[0].lines[1:3]
    np.testing.assert_allclose(a_line.get_ydata(), spreads, rtol=1e-10)
    assert da_line.get_ydata()[-1] == pytest.approx(dA_top.std())
    assert da_line.get_ydata()[0] == pytest.approx(dX.std(), rel=1e-10)


@pytest.mark.parametrize("bad, words", [(("sigmoid", 2.0), "activation"), (("relu", 0.0), "c"),
                                        (("relu", float("nan")), "c")])
def test_the_init_scale_figure_rejects_bad_controls(bad, words):
    _, update = pg.init_scale_figure(n_units=5, depth=2, m=3)
    with pytest.raises(ValueError, match=words):
        update(*bad)
