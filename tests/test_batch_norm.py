"""helpers.batch_norm: the statistics, experiments and live figures of notebook 07."""

import copy
import warnings

import live_driver
import numpy as np
import pytest

from helpers import batch_norm, data, layers, live, training


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def small_bn_model(seed=0, sizes=(2, 6, 5, 1)):
    return layers.mlp(list(sizes), activation="tanh", batch_norm=True,
                      rng=np.random.default_rng(seed), init="xavier")


def moons(m=60, seed=0):
    return data.make_dataset("moons", m, 0.1, np.random.default_rng(seed))


# --- statistics --------------------------------------------------------------------------


def test_batch_statistics_are_per_unit_over_the_examples_with_1_over_m():
    Z = np.random.default_rng(0).normal(3, 2, size=(4, 7))
    mu, var = batch_norm.batch_statistics(Z)
    assert mu.shape == var.shape == (4, 1)
    np.testing.assert_allclose(mu[:, 0], Z.mean(axis=1))
    np.testing.assert_allclose(var[:, 0], Z.var(axis=1, ddof=0))


@pytest.mark.parametrize("Z, words", [(np.ones(5), "2-D"), (np.ones((3, 0)), "empty"),
                                      (np.array([[1.0, np.nan]]), "NaN")])
def test_batch_statistics_bad_input(Z, words):
    with pytest.raises(ValueError, match=words):
        batch_norm.batch_statistics(Z)


def test_normalise_gives_mean_0_and_variance_just_below_1():
    Z = np.random.default_rng(1).normal(-2, 0.5, size=(3, 50))
    mu, var = batch_norm.batch_statistics(Z)
    Z_norm = batch_norm.normalise(Z, mu, var, epsilon=1e-5)
    np.testing.assert_allclose(Z_norm.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Z_norm.var(axis=1), var[:, 0] / (var[:, 0] + 1e-5))
    with pytest.raises(ValueError, match=r"shape \(3, 1\)"):
        batch_norm.normalise(Z, mu[:, 0], var)
    with pytest.raises(ValueError, match="epsilon"):
        batch_norm.normalise(Z, mu, var, epsilon=0)


def test_batch_estimates_are_the_statistics_of_real_batches_drawn_epoch_by_epoch():
    z = np.arange(12.0) ** 2
    means, variances = batch_norm.batch_estimates(z, 4, 7, np.random.default_rng(0))
    assert means.shape == variances.shape == (7,)
    # the same draws, by hand: 3 batches per epoch, a new permutation per epoch
    rng = np.random.default_rng(0)
    order = np.concatenate([rng.permutation(12) for _ in range(3)])
    batches = z[order[:28]].reshape(7, 4)
    np.testing.assert_allclose(means, batches.mean(axis=1))
    np.testing.assert_allclose(variances, batches.var(axis=1))
    # one epoch covers every value exactly once
    np.testing.assert_allclose(np.sort(batches[:3].ravel()), z)


def test_batch_estimates_of_batches_of_one_have_variance_0():
    z = np.random.default_rng(2).normal(size=30)
    means, variances = batch_norm.batch_estimates(z, 1, 45, np.random.default_rng(0))
    assert np.all(variances == 0) and set(means) <= set(z)
    with pytest.raises(ValueError, match="more than the 30 values"):
        batch_norm.batch_estimates(z, 31, 5, np.random.default_rng(0))
    with pytest.raises(ValueError, match="batch_size"):
        batch_norm.batch_estimates(z, 0, 5, np.random.default_rng(0))


def test_running_average_is_the_layers_exponentially_weighted_average():
    values = np.array([2.0, 4.0, -1.0, 3.0])
    got = batch_norm.running_average(values, 0.9, start=1.0)
    expected, r = [], 1.0
    for v in values:
        r = 0.9 * r + 0.1 * v
        expected.append(r)
    np.testing.assert_allclose(got, expected)
    np.testing.assert_allclose(batch_norm.running_average(values, 0.0, 5.0), values)


def test_running_average_matches_the_batch_norm_layer():
    rng = np.random.default_rng(3)
    bn = layers.BatchNorm(1, momentum=0.8)
    batches = [rng.normal(2, 3, size=(1, 10)) for _ in range(6)]
    for Z in batches:
        bn.forward(Z)
    mus = [Z.mean() for Z in batches]
    variances = [Z.var() for Z in batches]
    assert np.isclose(batch_norm.running_average(mus, 0.8, 0.0)[-1], bn.running_mean[0, 0])
    assert np.isclose(batch_norm.running_average(variances, 0.8, 1.0)[-1],
                      bn.running_var[0, 0])


@pytest.mark.parametrize("momentum", [1.0, -0.1, 1.5])
def test_running_average_bad_momentum(momentum):
    with pytest.raises(ValueError, match="momentum"):
        batch_norm.running_average([1.0, 2.0], momentum, 0.0)


def test_forward_with_batch_statistics_is_training_mode_for_one_whole_batch():
    X, _ = moons(40)
    model = small_bn_model()
    expected = copy.deepcopy(model).forward(X)               # training mode, one batch
    running = [layer.running_mean.copy() for layer in model if hasattr(layer, "running_mean")]
    got = batch_norm.forward_with_batch_statistics(model, X, 40)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    after = [layer.running_mean for layer in model if hasattr(layer, "running_mean")]
    for before, now in zip(running, after, strict=True):
        np.testing.assert_array_equal(before, now)           # running averages untouched


def test_forward_with_batch_statistics_batches_of_one_give_every_example_the_same_answer():
    X, _ = moons(25)
    model = small_bn_model()
    for layer in model:  # some non-trivial gamma and beta
        if isinstance(layer, layers.BatchNorm):
            layer.gamma[...] = np.random.default_rng(1).uniform(0.5, 2, size=layer.gamma.shape)
            layer.beta[...] = np.random.default_rng(2).normal(size=layer.beta.shape)
    out = batch_norm.forward_with_batch_statistics(model, X, 1)
    assert out.shape == (1, 25)
    np.testing.assert_allclose(out, out[0, 0])
    # batches of 5: each batch of 5 is normalised on its own
    out5 = batch_norm.forward_with_batch_statistics(model, X, 5)
    np.testing.assert_allclose(out5[:, 5:10],
                               batch_norm.forward_with_batch_statistics(model, X[:, 5:10], 5))


# --- experiments ---------------------------------------------------------------------------


def test_compare_learning_rates_trains_both_networks_at_every_rate():
    X, Y = moons(80)
    X_test, Y_test = moons(40, seed=1)
    runs = batch_norm.compare_learning_rates([2, 8, 8, 1], [0.1, 1.0, 1e4], X, Y, X_test,
                                             Y_test, activation="tanh", epochs=4,
                                             batch_size=16, seed=0)
    assert set(runs) == {(bn, lr) for bn in (False, True) for lr in (0.1, 1.0, 1e4)}
    for (bn, lr), run in runs.items():
        assert run.batch_norm == bn and run.lr == lr
        if run.diverged_at is None:
            assert run.costs.shape == (5,) and 0 <= run.test_accuracy <= 1
        else:
            assert run.test_accuracy is None and run.costs.size == run.diverged_at + 2
    assert runs[False, 1e4].diverged_at is not None
    assert runs[True, 1.0].costs[-1] < runs[True, 1.0].costs[0]
    again = batch_norm.compare_learning_rates([2, 8, 8, 1], [1.0], X, Y, X_test, Y_test,
                                              activation="tanh", epochs=4, batch_size=16)
    np.testing.assert_array_equal(again[True, 1.0].costs, runs[True, 1.0].costs)


def test_record_training_keeps_a_histogram_of_every_activation_input_per_step():
    X, Y = moons(70)
    edges = np.linspace(-4, 4, 17)
    recordings = {}
    for bn in (False, True):
        model = layers.mlp([2, 6, 5, 1], activation="tanh", batch_norm=bn,
                           rng=np.random.default_rng(0), init="xavier")
        recordings[bn] = batch_norm.record_training(
            model, layers.BinaryCrossEntropyWithLogits(), X, Y,
            optimizer=layers.SGD(0.5), epochs=3, batch_size=16,
            rng=np.random.default_rng(1), edges=edges)
    rec = recordings[True]
    assert rec.steps_per_epoch == 4 and rec.n_snapshots == 12
    assert rec.counts.shape == (12, 2, 16)
    np.testing.assert_array_equal(rec.counts[:, 0].sum(axis=1), 6 * 16)  # every value counted
    np.testing.assert_array_equal(rec.counts[:, 1].sum(axis=1), 5 * 16)
    assert [u.shape for u in rec.unit_means] == [(12, 6), (12, 5)]
    # with batch normalisation each unit's z̃ has mean β (0 at the start) and std ~γ (1)
    np.testing.assert_allclose(rec.unit_means[0][0], 0, atol=1e-12)
    np.testing.assert_allclose(rec.stds[0], 1, atol=1e-3)
    assert rec.costs.shape == (12,) and np.all(np.isfinite(rec.costs))
    assert not np.allclose(recordings[False].unit_means[1][0], 0, atol=1e-3)


def test_record_training_keeps_the_z_before_normalisation():
    """z_unit_means: each unit's mean of the Linear layer's z; without BN it is what the
    activation receives, with BN the z before normalising (z̃'s batch mean is then β)."""
    X, Y = moons(70)
    for bn in (False, True):
        model = layers.mlp([2, 6, 5, 1], activation="tanh", batch_norm=bn,
                           rng=np.random.default_rng(0), init="xavier")
        rec = batch_norm.record_training(
            model, layers.BinaryCrossEntropyWithLogits(), X, Y,
            optimizer=layers.SGD(0.5), epochs=3, batch_size=16,
            rng=np.random.default_rng(1), edges=np.linspace(-4, 4, 17))
        assert [u.shape for u in rec.z_unit_means] == [(12, 6), (12, 5)]
        if not bn:
            for z_means, means in zip(rec.z_unit_means, rec.unit_means, strict=True):
                np.testing.assert_array_equal(z_means, means)
            continue
        linears = [layer for layer in model if isinstance(layer, layers.Linear)]
        np.testing.assert_allclose(rec.z_unit_means[1][-1], linears[1].Z.mean(axis=1))
        for l in (1, 2):  # the last snapshot's z̃ means are the final β, up to rounding
            np.testing.assert_allclose(rec.unit_means[l - 1][-1],
                                       model.parameters()[f"beta{l}"][:, 0], atol=1e-12)
        assert not np.allclose(rec.z_unit_means[0], rec.unit_means[0], atol=1e-3)


def record(model, X, Y, lr=0.1, batch_size=8):
    return batch_norm.record_training(model, layers.BinaryCrossEntropyWithLogits(), X, Y,
                                      optimizer=layers.SGD(lr), epochs=3,
                                      batch_size=batch_size, rng=np.random.default_rng(0),
                                      edges=[-1, 0, 1])


def test_record_training_needs_activation_layers_and_stops_on_divergence():
    X, Y = moons(40)
    with pytest.raises(ValueError, match="no activation layers"):
        record(layers.Sequential(layers.Linear(2, 1, rng=np.random.default_rng(0))), X, Y)
    with pytest.raises(ValueError, match="more than the 40 examples"):
        record(layers.mlp([2, 3, 1], rng=np.random.default_rng(0)), X, Y, batch_size=41)
    with pytest.raises(ValueError, match="diverged at step"):
        record(layers.mlp([2, 8, 8, 1], activation="relu", rng=np.random.default_rng(0)),
               X * 1e3, Y, lr=1e250)


# --- live figures ---------------------------------------------------------------------------


def drive(fig, update, controls):
    """Every control through its range: no exception, no warning, the frame changes."""
    figure = live.LiveFigure(fig, update, name=f"test_{update.__name__}", controls=controls)
    try:
        for key, control in controls.items():
            values = live_driver.control_values(control, 12, np.random.default_rng(0))
            record = live_driver.drive(figure, key, values)
            assert not record["errors"], record["errors"]
            assert not record["unchanged"], (key, record["unchanged"])
    finally:
        figure.close()


def test_gamma_beta_figure():
    z = np.random.default_rng(0).normal(2, 0.1, size=300)
    fig, update = batch_norm.gamma_beta_figure(z)
    drive(fig, update, {"gamma": live.slider("γ", 0.05, 5.0, 0.05, value=1.0),
                        "beta": live.slider("β", -5.0, 5.0, 0.1, value=0.0)})
    with pytest.raises(ValueError, match="two different values"):
        batch_norm.gamma_beta_figure(np.ones(10))


def test_learning_rate_figure():
    X, Y = moons(60)
    runs = batch_norm.compare_learning_rates([2, 6, 1], [0.01, 0.3, 1e4], X, Y, X, Y,
                                             activation="tanh", epochs=3, batch_size=20)
    fig, update = batch_norm.learning_rate_figure(runs)
    drive(fig, update, {"lr": live.log_slider("learning rate", -2, 4, value=0.3)})


def test_histogram_figure():
    X, Y = moons(64)
    recordings = [batch_norm.record_training(
        layers.mlp([2, 5, 5, 1], activation="sigmoid", batch_norm=bn,
                   rng=np.random.default_rng(0)),
        layers.BinaryCrossEntropyWithLogits(), X, Y, optimizer=layers.SGD(1.0), epochs=4,
        batch_size=8, rng=np.random.default_rng(1), edges=np.linspace(-6, 6, 25))
        for bn in (False, True)]
    fig, update = batch_norm.histogram_figure(*recordings)
    drive(fig, update, {"tick": live.player(max_ticks=recordings[0].n_snapshots - 1)})


def test_evaluation_data_and_figure():
    X, Y = moons(120)
    model = small_bn_model()
    training.train(model, layers.BinaryCrossEntropyWithLogits(), X, Y, lr=0.5, epochs=5,
                 batch_size=20, rng=np.random.default_rng(0))
    X_test, Y_test = moons(40, seed=3)
    data = batch_norm.evaluation_data(model, model[3], 0, X, X_test, Y_test,
                                      batch_sizes=range(1, 41), n_shown=6)
    assert data.z_train.shape == (120,) and data.running_outputs.shape == (6,)
    np.testing.assert_allclose(data.batch_outputs[1], data.batch_outputs[1][0])  # all alike
    assert data.batch_accuracy[1] in (pytest.approx(Y_test.mean()),
                                      pytest.approx(1 - Y_test.mean()))
    assert data.running_accuracy == layers.accuracy(model, X_test, Y_test, threshold=0.0)
    assert data.momentum == 0.9
    fig, update = batch_norm.evaluation_figure(data, n_batches=60)
    drive(fig, update, {
        "train_batch": live.slider("training mini-batch", 1, 40, 1, value=10),
        "test_batch": live.slider("test batch", 1, 40, 1, value=10),
        "momentum": live.slider("momentum", 0.0, 0.99, 0.01, value=0.9)})
    with pytest.raises(ValueError, match=r"test_batch must be one of .*\(1 to 40.* got 41"):
        update(train_batch=10, test_batch=41, momentum=0.9)
    with pytest.raises(ValueError, match="test_batch .* got 0"):
        update(train_batch=10, test_batch=0, momentum=0.9)
    with pytest.raises(ValueError, match="train_batch must be a positive integer, got 0"):
        update(train_batch=0, test_batch=10, momentum=0.9)
    with pytest.raises(ValueError, match="n_batches must be a positive integer"):
        batch_norm.evaluation_figure(data, n_batches=0)
