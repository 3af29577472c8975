"""helpers.hyperparameter_search: the samplers and their scales, the split into training, dev and
test sets, one trial, the searches, the panda's tick rules and divergence, and the figures
of notebook 06."""

import math
import warnings

import numpy as np
import pytest

from helpers import data, layers, live
from helpers import hyperparameter_search as hp


def blobs(n: int, m: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping Gaussian clouds in n dimensions: X (n, m), Y (1, m)."""
    Y = (rng.uniform(size=m) < 0.5).astype(float)[None, :]
    X = rng.normal(size=(n, m)) + 0.6 * (2 * Y - 1)
    return X, Y


@pytest.fixture(scope="module")
def split():
    """A small task that trains in milliseconds."""
    rng = np.random.default_rng(0)
    (X_train, Y_train), (X_dev, Y_dev), (X_test, Y_test) = (blobs(20, m, rng)
                                                            for m in (200, 100, 100))
    return hp.Split(X_train, Y_train, X_dev, Y_dev, X_test, Y_test, np.zeros((20, 1)))


def weights(model) -> dict:
    return {name: array.copy() for name, array in model.parameters().items()}


def same_weights(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


# --- sampling ---------------------------------------------------------------------------


def test_log_uniform_gives_every_decade_the_same_share():
    samples = hp.log_uniform(1e-4, 1.0, 40_000, np.random.default_rng(0))
    assert samples.shape == (40_000,)
    assert samples.min() >= 1e-4 and samples.max() <= 1.0
    shares = hp.share_per_bin(samples, [1e-4, 1e-3, 1e-2, 1e-1, 1.0])
    np.testing.assert_allclose(shares, 0.25, atol=0.01)


def test_the_learning_rate_sampler_is_ten_to_the_minus_four_r():
    rng_a, rng_b = np.random.default_rng(3), np.random.default_rng(3)
    alphas = hp.sample_learning_rates(1000, rng_a)
    np.testing.assert_allclose(alphas, 10 ** (-4 * rng_b.uniform(0, 1, 1000)))
    assert alphas.min() >= 1e-4 and alphas.max() <= 1


def test_uniform_sampling_puts_ninety_percent_in_the_last_decade():
    uniform = np.random.default_rng(0).uniform(1e-4, 1, 40_000)
    share = hp.share_per_bin(uniform, [1e-4, 1e-3, 1e-2, 1e-1, 1.0])[-1]
    assert 0.89 < share < 0.91


def test_betas_through_one_minus_beta():
    betas = hp.sample_betas(40_000, np.random.default_rng(1))
    assert betas.min() >= 0.9 and betas.max() <= 0.999
    np.testing.assert_allclose(hp.share_per_bin(betas, [0.9, 0.99, 0.999]), 0.5, atol=0.01)
    again = hp.sample_betas(40_000, np.random.default_rng(1))
    np.testing.assert_array_equal(betas, again)
    narrow = hp.sample_betas(1000, np.random.default_rng(1), low=0.99, high=0.9999)
    assert narrow.min() >= 0.99 and narrow.max() <= 0.9999


def test_averaging_window():
    assert hp.averaging_window(0.9) == pytest.approx(10)
    assert hp.averaging_window(0.999) == pytest.approx(1000)
    np.testing.assert_allclose(hp.averaging_window([0.0, 0.5, 0.99]), [1, 2, 100])
    ratio_low = hp.averaging_window(0.9005) / hp.averaging_window(0.9)
    ratio_high = hp.averaging_window(0.9995) / hp.averaging_window(0.999)
    assert ratio_low == pytest.approx(1.005, abs=1e-3) and ratio_high == pytest.approx(2)


def test_share_per_bin_counts_the_right_edge_and_nothing_outside():
    shares = hp.share_per_bin([0.0, 0.5, 1.0, 2.0], [0.0, 0.5, 1.0])
    np.testing.assert_allclose(shares, [0.25, 0.5])


@pytest.mark.parametrize("call, error, words", [
    (lambda: hp.log_uniform(0, 1, 5, np.random.default_rng(0)), ValueError, "0 < low"),
    (lambda: hp.log_uniform(1, 0.1, 5, np.random.default_rng(0)), ValueError, "low < high"),
    (lambda: hp.log_uniform(1e-4, 1, 0, np.random.default_rng(0)), ValueError, "n must"),
    (lambda: hp.log_uniform(1e-4, 1, 2.5, np.random.default_rng(0)), ValueError, "n must"),
    (lambda: hp.log_uniform(1e-4, 1, 5, 42), TypeError, "default_rng"),
    (lambda: hp.log_uniform(float("nan"), 1, 5, np.random.default_rng(0)), ValueError,
     "finite"),
    (lambda: hp.sample_learning_rates(5, np.random), TypeError, "Generator"),
    (lambda: hp.sample_betas(5, np.random.default_rng(0), low=0.9, high=1.0), ValueError,
     "high < 1"),
    (lambda: hp.averaging_window(1.0), ValueError, "β must be in"),
    (lambda: hp.share_per_bin([], [0, 1]), ValueError, "at least one sample"),
    (lambda: hp.share_per_bin([0.5], [1, 0]), ValueError, "increasing"),
])
def test_bad_sampling_arguments_get_clear_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


# --- grid and random trials -------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 2, 5, 8])
def test_a_grid_tries_k_values_of_each_hyperparameter(k):
    grid = hp.grid_trials(k, (-4, -10), (0, -6))
    assert grid.shape == (k * k, 2)
    assert hp.distinct_values(grid, 0) == k and hp.distinct_values(grid, 1) == k
    assert grid[:, 0].min() > -4 and grid[:, 0].max() < 0
    assert len({tuple(row) for row in grid}) == k * k, "every pair once"


def test_random_trials_try_a_new_value_every_time():
    trials = hp.random_trials(25, np.random.default_rng(0), (-4, -10), (0, -6))
    assert trials.shape == (25, 2)
    assert hp.distinct_values(trials, 0) == 25
    assert np.all((trials >= [-4, -10]) & (trials <= [0, -6]))


@pytest.mark.parametrize("call, words", [
    (lambda: hp.grid_trials(3, (0, 0, 0), (1, 1, 1)), "2 numbers"),
    (lambda: hp.grid_trials(3, (0, 0), (1,)), "2 numbers"),
    (lambda: hp.grid_trials(3, (0, 1), (1, 0)), "low < high"),
    (lambda: hp.grid_trials(3, (0, 0), (0, 1)), "low < high"),
    (lambda: hp.grid_trials(3, (0, float("nan")), (1, 1)), "NaN"),
    (lambda: hp.random_trials(5, np.random.default_rng(0), (0, 0), [[1, 1]]), "1-D"),
    (lambda: hp.random_trials(5, np.random.default_rng(0), (1, 0), (0, 1)), "low < high"),
    (lambda: hp.random_trials(0, np.random.default_rng(0)), "positive integer"),
    (lambda: hp.random_trials(5, 0), "Generator"),
])
def test_bad_search_boxes_get_clear_errors(call, words):
    with pytest.raises((ValueError, TypeError), match=words):
        call()


def test_distinct_values_needs_a_table():
    with pytest.raises(ValueError, match="shape"):
        hp.distinct_values(np.arange(4.0), 0)


def test_the_toy_dev_cost_is_shaped_like_the_measured_learning_rate_row():
    xs = np.linspace(-4, 0, 4001)
    best = xs[np.argmin(hp.toy_dev_cost(xs))]
    assert 10 ** best == pytest.approx(0.16, rel=0.05)
    assert isinstance(hp.toy_dev_cost(-1.0), float)
    measured = hp.load_runs("priority")["lr"]       # notebook 06, section 2
    toy = hp.toy_dev_cost(np.log10([value for value, _ in measured]))
    assert np.abs(toy - [trial.dev_cost for _, trial in measured]).max() < 0.02
    assert hp.toy_dev_cost(-1.0) < np.log(2) - 0.3     # α = 0.1 is good, as measured


# --- the split ----------------------------------------------------------------------------


def test_the_fashion_split_keeps_the_dev_set_apart():
    clothes = data.load_fashion_mnist()
    split = hp.fashion_split(clothes.images_train, clothes.labels_train, clothes.images_test,
                             clothes.labels_test, (2, 4), dev_per_class=150,
                             rng=np.random.default_rng(0))
    assert split.X_train.shape == (784, 900) and split.Y_train.shape == (1, 900)
    assert split.X_dev.shape == (784, 300) and split.X_test.shape == (784, 200)
    assert split.Y_dev.sum() == 150 and split.Y_test.sum() == 100
    np.testing.assert_allclose(split.X_train.mean(axis=1), 0, atol=1e-12)
    # no image is in both the training and the dev set
    train = {tuple(np.round(col, 6)) for col in (split.X_train + split.mean_image).T}
    dev = {tuple(np.round(col, 6)) for col in (split.X_dev + split.mean_image).T}
    assert not train & dev
    assert split.sizes() == "training 900, dev 300, test 200"


@pytest.mark.parametrize("pair, dev, words", [((2, 2), 10, "two different"),
                                              ((2, 4), 0, "dev_per_class"),
                                              ((2, 4), 600, "dev_per_class")])
def test_bad_splits(pair, dev, words):
    clothes = data.load_fashion_mnist()
    with pytest.raises(ValueError, match=words):
        hp.fashion_split(clothes.images_train, clothes.labels_train, clothes.images_test,
                         clothes.labels_test, pair, dev_per_class=dev,
                         rng=np.random.default_rng(0))


# --- one configuration --------------------------------------------------------------------


def test_a_config_builds_its_model_and_optimiser():
    config = hp.Config(lr=0.05, beta=0.8, hidden_units=7, hidden_layers=2)
    model = config.make_model(20, np.random.default_rng(0))
    assert repr(model) == ("Sequential(Linear(20→7), ReLU, Linear(7→7), ReLU, "
                           "Linear(7→1))")
    optimizer = config.make_optimizer()
    assert isinstance(optimizer, layers.Momentum)
    assert optimizer.lr == 0.05 and optimizer.beta == 0.8
    adam = hp.Config(lr=0.001, optimizer="adam", epsilon=1e-6, beta2=0.99).make_optimizer()
    assert isinstance(adam, layers.Adam) and adam.epsilon == 1e-6 and adam.beta1 == 0.9
    assert adam.beta2 == 0.99


def test_learning_rate_decay():
    config = hp.Config(lr=0.2, decay=1.0)
    assert [config.learning_rate(e) for e in range(4)] == pytest.approx([0.2, 0.1, 0.2 / 3,
                                                                         0.05])
    assert hp.Config(lr=0.2).learning_rate(10) == 0.2


@pytest.mark.parametrize("kwargs, words", [
    ({"lr": 0}, "positive"), ({"lr": 0.1, "beta": 1.0}, "beta"),
    ({"lr": 0.1, "hidden_units": 0}, "hidden_units"),
    ({"lr": 0.1, "batch_size": 2.5}, "batch_size"),
    ({"lr": 0.1, "decay": -1}, "decay"), ({"lr": 0.1, "optimizer": "sgd"}, "optimizer"),
    ({"lr": 0.1, "beta": "0.9"}, "beta must be a number"),
    ({"lr": 0.1, "beta": -0.1}, r"beta must be a number in \[0, 1\)"),
    ({"lr": 0.1, "beta": True}, "beta must be"),
    ({"lr": 0.1, "beta2": 1.0}, r"beta2 must be a number in \[0, 1\)"),
    ({"lr": 0.1, "beta2": None}, "beta2 must be a number"),
    ({"lr": 0.1, "epsilon": 0.0}, "epsilon must be a small positive number"),
    ({"lr": 0.1, "epsilon": -1e-8}, "epsilon must be a small positive number"),
    ({"lr": 0.1, "epsilon": "1e-8"}, "epsilon must be a number"),
    ({"lr": 0.1, "epsilon": float("nan")}, "epsilon"),
])
def test_bad_configs(kwargs, words):
    with pytest.raises((ValueError, TypeError), match=words):
        hp.Config(**kwargs)


def test_a_trial_learns_and_is_repeatable(split):
    config = hp.Config(lr=0.1, hidden_units=8, batch_size=32)
    first = hp.run_trial(config, split, epochs=8, seed=1)
    again = hp.run_trial(config, split, epochs=8, seed=1)
    assert not first.diverged and len(first.train_costs) == 8
    assert first.dev_cost < first.initial_dev_cost
    assert first.train_costs[-1] < first.train_costs[0]
    assert first.dev_accuracy > 0.75
    assert first.dev_cost == again.dev_cost and first.train_costs == again.train_costs
    cost, accuracy = hp.evaluate(first.model, split.X_dev, split.Y_dev)
    assert cost == first.dev_cost and accuracy == first.dev_accuracy


def test_a_trial_with_decay_uses_each_epochs_rate(split, monkeypatch):
    config = hp.Config(lr=0.3, decay=2.0, hidden_units=4)
    rates = []

    class Watched(layers.Momentum):
        def step(self, model):
            rates.append(self.lr)
            super().step(model)

    monkeypatch.setattr(hp.Config, "make_optimizer", lambda self: Watched(self.lr, self.beta))
    hp.run_trial(config, split, epochs=3, seed=0)
    steps = math.ceil(split.m_train / config.batch_size)
    assert rates == pytest.approx([0.3] * steps + [0.1] * steps + [0.06] * steps)


def test_a_diverging_trial_stops_without_warnings(split):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trial = hp.run_trial(hp.Config(lr=1e6, beta=0.0, hidden_units=8), split, epochs=5)
    assert trial.diverged and trial.dev_cost == math.inf and trial.train_cost == math.inf
    assert trial.diverged_at < 5


def test_evaluate_reports_an_overflowing_model_as_infinitely_bad():
    model = layers.Sequential(layers.Linear.from_arrays([[1e308, 1e308]], [[0.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost, accuracy = hp.evaluate(model, np.ones((2, 3)), np.ones((1, 3)))
    assert cost == math.inf and math.isnan(accuracy)


# --- searching ----------------------------------------------------------------------------


def test_one_at_a_time_trains_the_base_once(split):
    base = hp.Config(lr=0.1, hidden_units=4)
    results = hp.one_at_a_time(base, {"lr": [0.01, 0.1], "beta": [0.9, 0.5]}, split,
                               epochs=2)
    assert [value for value, _ in results["lr"]] == [0.01, 0.1]
    assert results["lr"][1][1] is results["beta"][0][1], "the base run is shared"
    assert results["beta"][1][1].config == hp.Config(lr=0.1, beta=0.5, hidden_units=4)
    spread = hp.spreads(results)
    costs = [t.dev_cost for _, t in results["lr"]]
    assert spread["lr"] == pytest.approx(max(costs) - min(costs))
    with pytest.raises(ValueError, match="unknown hyperparameters"):
        hp.one_at_a_time(base, {"momentum": [0.9]}, split, epochs=1)


def test_sampled_configs_stay_in_the_search_space():
    space = hp.SearchSpace()
    configs = hp.sample_configs(200, space, np.random.default_rng(0))
    lrs = np.array([c.lr for c in configs])
    betas = np.array([c.beta for c in configs])
    units = np.array([c.hidden_units for c in configs])
    assert lrs.min() >= 1e-4 and lrs.max() <= 1
    assert betas.min() >= 0.9 and betas.max() <= 0.999
    assert units.min() >= 50 and units.max() <= 100 and len(set(units)) > 30
    assert {c.batch_size for c in configs} == set(space.batch_sizes)
    assert hp.sample_configs(3, space, np.random.default_rng(1)) == \
        hp.sample_configs(3, space, np.random.default_rng(1))


def trial_with(accuracy, cost, diverged=False):
    trial = hp.Trial(hp.Config(lr=0.1), final_dev_cost=cost, dev_accuracy=accuracy)
    trial.diverged_at = 0 if diverged else None
    return trial


def test_ranking_on_the_dev_set():
    trials = [trial_with(0.80, 0.40), trial_with(0.85, 0.45), trial_with(0.85, 0.38),
              trial_with(0.99, 0.1, diverged=True), trial_with(0.50, 0.69)]
    assert hp.ranked(trials) == [2, 0, 1, 4, 3], "by dev cost, diverged last"
    assert hp.pick_best(trials) == 2
    table = hp.results_table(trials).splitlines()
    assert table[0].startswith("rank") and len(table) == 6
    assert "diverged" in table[-1] and "85.0%" in table[1]
    assert len(hp.results_table(trials, rows=2).splitlines()) == 3
    with pytest.raises(ValueError, match="at least one"):
        hp.pick_best([])


def test_caviar_trains_every_configuration(split):
    configs = [hp.Config(lr=lr, hidden_units=4) for lr in (0.001, 0.3)]
    trials = hp.caviar(configs, split, epochs=3)
    assert [t.config for t in trials] == configs
    assert hp.pick_best(trials) == 1, "the faster learning rate wins after 3 epochs"


def test_the_saved_runs_load_as_trials():
    priority = hp.load_runs("priority")
    assert set(priority) == {"lr", "beta", "hidden_units", "batch_size", "hidden_layers",
                             "decay", "adam beta", "adam beta2", "adam epsilon"}
    assert [value for value, _ in priority["hidden_units"]] == [25, 50, 75, 100]
    assert all(isinstance(v, int) for v, _ in priority["batch_size"])
    assert priority["adam beta"][0][1].config.optimizer == "adam"
    caviar = hp.load_runs("caviar")
    assert [t.config for t in caviar] == hp.sample_configs(24, hp.SearchSpace(),
                                                           np.random.default_rng(6))
    assert all(0 <= t.test_accuracy <= 1 and t.model is None for t in caviar)
    assert all(math.isnan(t.test_accuracy) for _, t in priority["lr"])
    with pytest.raises(ValueError, match="experiment"):
        hp.load_runs("panda")


def test_altered_or_missing_runs_get_clear_errors(tmp_path):
    """The file is checked as every course data file is (tests/test_data.py)."""
    import shutil

    with pytest.raises(data.DataFileError, match="missing.*make_hyperparameter_runs"):
        hp.load_runs("caviar", tmp_path)
    with pytest.raises(ValueError, match="data_dir"):
        hp.load_runs("caviar", 3)
    shutil.copyfile(data.DATA_DIR / hp.RUNS_FILE, tmp_path / hp.RUNS_FILE)
    assert len(hp.load_runs("caviar", tmp_path)) == 24
    path = tmp_path / hp.RUNS_FILE
    path.write_bytes(path.read_bytes().replace(b"caviar", b"caviaR", 1))
    with pytest.raises(data.DataFileError, match="altered"):
        hp.load_runs("caviar", tmp_path)


def test_the_saved_runs_agree_with_a_fresh_trial():
    clothes = data.load_fashion_mnist()
    split = hp.fashion_split(clothes.images_train, clothes.labels_train, clothes.images_test,
                             clothes.labels_test, (2, 4), dev_per_class=150,
                             rng=np.random.default_rng(0))
    fresh = hp.run_trial(hp.Config(lr=0.1), split, epochs=10, seed=0)
    saved = dict(hp.load_runs("priority")["lr"])[0.1]
    assert fresh.dev_cost == pytest.approx(saved.dev_cost, abs=1e-5)
    assert fresh.dev_accuracy == pytest.approx(saved.dev_accuracy, abs=1e-5)


# --- the optimisers on one bowl -------------------------------------------------------------


def test_the_optimiser_paths_are_the_librarys_updates():
    paths = hp.optimizer_paths(steps=5, start=(-4.0, 1.0))
    assert list(paths) == ["gradient descent", "momentum", "RMSprop", "Adam"]
    assert all(p.shape == (6, 2) for p in paths.values())
    w = np.array([-4.0, 1.0])
    assert np.allclose(paths["gradient descent"][1], w - 0.09 * np.array([1.0, 20.0]) * w)
    assert np.allclose(paths["momentum"][1], w - 0.09 * 0.1 * np.array([1.0, 20.0]) * w)
    assert np.allclose(np.abs(paths["Adam"][1] - w), 0.1, rtol=1e-6), "bias-corrected: α"
    assert np.allclose(np.abs(paths["RMSprop"][1] - w), 0.1 / np.sqrt(0.1), rtol=1e-6)
    long = hp.optimizer_paths(steps=80)
    assert all(hp.bowl_cost(p)[-1] < 0.02 for p in long.values())


def test_the_bowl_cost_and_its_gradient_agree():
    w, h = np.array([0.7, -0.3]), 1e-6
    numeric = [(hp.bowl_cost(w + h * e) - hp.bowl_cost(w - h * e)) / (2 * h)
               for e in np.eye(2)]
    assert np.allclose(numeric, hp._Bowl(w).gradients()["w"], rtol=1e-6)
    with pytest.raises(ValueError, match="w must"):
        hp.bowl_cost([1.0, 2.0, 3.0])


def test_the_optimizers_figure_only_moves_artists():
    fig, update = hp.optimizers_figure(steps=20)
    figure = live.LiveFigure(fig, update, name="test_optimizers",
                             controls={"t": live.slider("t", 0, 20, 1, value=3)})
    try:
        drive_every_control(figure, {"t": [0, 20, 7]})
        assert figure.full_redraws == 1
        texts = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_animated()]
        assert texts[0].splitlines()[0].startswith("gradient")
    finally:
        figure.close()


def test_zoom_box_surrounds_the_best_points_and_stays_inside():
    points = np.array([[-3.5, -2.5], [-1.0, -2.0], [-0.8, -1.9], [-1.2, -2.2], [-3.0, -1.2]])
    costs = np.array([0.7, 0.40, 0.42, 0.45, 0.65])
    low, high = hp.zoom_box(points, costs, best=3, low=[-4, -3], high=[0, -1])
    assert np.all(low <= points[1:4].min(axis=0)) and np.all(high >= points[1:4].max(axis=0))
    assert np.all(low >= [-4, -3]) and np.all(high <= [0, -1])
    assert np.all(high - low < [2, 1]), "a smaller box than the whole range"
    assert not np.all((points[0] >= low) & (points[0] <= high))
    with pytest.raises(ValueError, match="points must be"):
        hp.zoom_box(points, costs[:3])


# --- the panda ------------------------------------------------------------------------------


@pytest.fixture
def panda(split):
    return hp.Panda(split, hidden_units=8, batch_size=32, steps_per_tick=2, max_catch_up=3)


def test_the_panda_trains_steps_per_tick_per_tick(panda, split):
    panda.advance(0, 0.1)
    assert len(panda.history) == 1 and panda.examples_seen == 0
    panda.advance(1, 0.1)
    assert panda.examples_seen == 2 * 32 and len(panda.history) == 2
    panda.advance(2, 0.1)
    epoch, train_cost, dev_cost, accuracy, lr = panda.history[-1]
    assert epoch == pytest.approx(4 * 32 / split.m_train) and lr == 0.1
    assert 0 <= accuracy <= 1 and dev_cost > 0 and train_cost > 0


def test_merged_ticks_are_caught_up_to_the_cap(panda):
    panda.advance(10, 0.1)
    assert panda.examples_seen == 3 * 2 * 32
    panda.advance(10, 0.1)
    assert panda.examples_seen == 3 * 2 * 32, "the same tick again trains nothing"


def test_stop_starts_again_from_the_same_weights(panda):
    first = weights(panda.model)
    for tick in range(1, 6):
        panda.advance(tick, 0.1)
    assert not same_weights(first, weights(panda.model))
    panda.advance(0, 0.1)
    assert same_weights(first, weights(panda.model)) and len(panda.history) == 1


def test_the_same_ticks_give_the_same_history(split):
    a, b = (hp.Panda(split, hidden_units=8, steps_per_tick=2) for _ in range(2))
    for tick in range(1, 6):
        a.advance(tick, 0.1)
        b.advance(tick, 0.1)
    assert a.history == b.history


def test_a_new_learning_rate_keeps_the_network_and_is_recorded(panda):
    for tick in range(1, 4):
        panda.advance(tick, 0.1)
    before = weights(panda.model)
    panda.advance(3, 0.02)
    assert same_weights(before, weights(panda.model))
    assert panda.optimizer.lr == 0.02
    panda.advance(4, 0.02)
    assert [row[4] for row in panda.history] == [0.1, 0.1, 0.1, 0.1, 0.02]


def test_the_panda_learns(panda):
    for tick in range(1, 40):
        panda.advance(tick, 0.1)
    assert panda.history[-1][2] < panda.first_cost
    epoch, cost, accuracy = panda.best()
    assert cost == min(row[2] for row in panda.history) and accuracy > 0.75


def test_a_diverging_panda_goes_back_and_waits_for_a_new_rate(panda):
    for tick in range(1, 4):
        panda.advance(tick, 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tick = 3
        while panda.diverged_at is None and tick < 40:
            tick += 1
            panda.advance(tick, 1e4)
    assert panda.diverged_at is not None
    healthy = weights(panda.model)
    assert all(np.all(np.isfinite(w)) for w in healthy.values())
    assert same_weights(healthy, panda.healthy)
    panda.advance(tick + 1, 1e4)
    assert same_weights(healthy, weights(panda.model)), "no training while diverged"
    panda.advance(tick + 2, 0.1)
    assert panda.diverged_at is None and not same_weights(healthy, weights(panda.model))


def test_bad_panda_controls(panda):
    with pytest.raises(ValueError, match="tick"):
        panda.advance(-1, 0.1)
    with pytest.raises(ValueError, match="positive"):
        panda.advance(1, 0.0)
    with pytest.raises(ValueError, match="divergence_factor"):
        hp.Panda(panda.split, divergence_factor=1.0)


def test_babysitting_keeps_the_best_copy(panda, split):
    log = hp.babysit(panda, 0.01, epochs=30, up=1.5, down=0.5, patience=2)
    assert log[0].startswith("epoch  1  lr 0.01 ")
    assert "best so far" in log[0]
    rates = [row[4] for row in panda.history[1:]]
    assert rates[1] == pytest.approx(0.015), "raised by half after a good epoch"
    best = min(row[2] for row in panda.history)
    assert hp.evaluate(panda.model, split.X_dev, split.Y_dev)[0] == pytest.approx(best)
    if len(log) < 30:
        assert log[-1].startswith("2 epochs in a row")
    with pytest.raises(ValueError, match="up must be"):
        hp.babysit(panda, 0.01, epochs=3, down=1.5)


# --- the figures ------------------------------------------------------------------------------


def drive_every_control(figure, values: dict):
    """Move each control through its values: no warning, and every move changes the frame."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for key, sequence in values.items():
            for value in sequence:
                before = bytes(figure.image.value)
                assert figure.redraw(**{key: value}) != before, f"{key}={value}"


def test_the_grid_vs_random_figure():
    fig, update = hp.grid_vs_random_figure()
    figure = live.LiveFigure(fig, update, name="test_grid_vs_random", controls={
        "k": live.slider("k", 2, 8, 1, value=5), "seed": live.slider("seed", 0, 30, 1, 1)})
    try:
        drive_every_control(figure, {"k": [2, 8, 3], "seed": [0, 30, 7]})
        texts = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_animated()]
        assert texts[0].startswith("3 values of α") and texts[1].startswith("9 values of α")
        assert figure.full_redraws == 1
    finally:
        figure.close()


def test_the_scale_figure():
    fig, update = hp.scale_figure()
    figure = live.LiveFigure(fig, update, name="test_scale", controls={
        "sampling": live.choice("sampling", ["uniform", "log scale"]),
        "n": live.slider("n", 10, 1000, 10, value=200),
        "seed": live.slider("seed", 0, 30, 1, value=0)})
    try:
        drive_every_control(figure, {"sampling": ["log scale", "uniform"], "n": [10, 1000],
                                     "seed": [30, 0, 5]})
        figure.redraw(sampling="uniform", n=1000)
        lr_bars = [b.get_height() for b in fig.axes[1].patches]
        assert lr_bars[-1] > 0.85, "uniform: most learning rates in [0.1, 1]"
        figure.redraw(sampling="log scale")
        lr_bars = [b.get_height() for b in fig.axes[1].patches]
        np.testing.assert_allclose(lr_bars, 0.25, atol=0.06)
        with pytest.raises(ValueError, match="sampling"):
            update(sampling="linear", n=10, seed=0)
    finally:
        figure.close()


def test_the_panda_figure_follows_ticks_and_says_when_it_diverged(split):
    panda = hp.Panda(split, hidden_units=8, steps_per_tick=2)
    fig, update = hp.panda_figure(panda, max_ticks=50)
    figure = live.LiveFigure(fig, update, name="test_panda", controls={
        "tick": live.player(max_ticks=50), "lr": live.log_slider("lr", -4, 1, value=0.1)})
    readout = next(t for t in fig.axes[0].texts if t.get_animated())
    try:
        drive_every_control(figure, {"tick": range(1, 6), "lr": [1e-4, 10.0, 0.1]})
        assert readout.get_text().startswith("tick 5 ·")
        figure.redraw(lr=1e4)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for tick in range(6, 40):
                figure.redraw(tick=tick)
                if panda.diverged_at is not None:
                    break
        assert panda.diverged_at is not None
        assert "diverged at epoch" in readout.get_text()
        assert readout.get_color() == "#b00020"
        before = bytes(figure.image.value)
        assert figure.redraw(tick=tick + 1) != before, "the tick still shows"
        figure.redraw(lr=0.1)
        assert "diverged" not in readout.get_text()
        figure.redraw(tick=0)
        assert readout.get_text().startswith("tick 0 ·") and len(panda.history) == 1
        assert figure.full_redraws == 1
    finally:
        figure.close()


def test_the_static_figures_draw():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rng = np.random.default_rng(0)
    trials = {"lr": [(0.01, trial_with(0.7, 0.6)), (0.1, trial_with(0.85, 0.35))],
              "beta": [(0.9, trial_with(0.85, 0.35)), (0.999, trial_with(0.8, 0.5))],
              "epsilon": [(1e-8, trial_with(0.85, 0.351)), (1e-6, trial_with(0.85, 0.35))]}
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = hp.plot_priority(trials, {"lr": "learning rate"}, ax=fig.subplots())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["epsilon", "beta", "learning rate"], "the widest spread on top"
    fig.canvas.draw()
    fig = Figure()
    FigureCanvasAgg(fig)
    rounds = [(rng.uniform([-4, -3], [0, -1], (6, 2)), rng.uniform(0.3, 0.7, 6)),
              (rng.uniform([-2, -2.5], [-1, -1.5], (6, 2)), rng.uniform(0.3, 0.5, 6))]
    ax, mapping = hp.plot_coarse_to_fine(rounds, ([-2, -2.5], [-1, -1.5]), ax=fig.subplots())
    assert len(ax.collections) == 2 and len(ax.patches) == 1 and mapping is not None
    fig.canvas.draw()
