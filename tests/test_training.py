"""helpers.training: the one divergence rule, the one batching rule, one step, the cost."""

import math

import numpy as np
import pytest

from helpers import layers, training


def test_the_divergence_rule():
    limit = training.divergence_limit(0.7, 10.0)
    assert limit == pytest.approx(7.0)
    assert not training.diverged(6.9, limit) and not training.diverged(7.0, limit)
    assert training.diverged(7.1, limit)
    for cost in (math.nan, math.inf, -math.inf):
        assert training.diverged(cost, limit) and training.diverged(cost, math.inf)
    assert not training.diverged(1e300, math.inf)  # a finite cost with no limit
    assert training.divergence_limit(0.0, 4.0) == pytest.approx(4e-12)  # a start at 0
    with pytest.raises(ValueError, match="divergence_factor"):
        training.divergence_limit(0.7, 1.0)


def test_batches_shuffle_every_epoch_and_cover_every_example():
    rng = np.random.default_rng(0)
    first, second = training.batches(10, 4, rng), training.batches(10, 4, rng)
    assert [b.size for b in first] == [4, 4, 2]
    assert sorted(np.concatenate(first)) == list(range(10))
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))
    # the same draws as a permutation per epoch, cut in order
    order = np.random.default_rng(0).permutation(10)
    assert np.array_equal(np.concatenate(first), order)
    assert training.batches(10, None, rng) == [slice(None)]


def test_batches_single_joins_and_whole_only():
    sizes = [b.size for b in training.batches(9, 4, np.random.default_rng(0), single_joins=True)]
    assert sizes == [4, 5]  # BatchNorm cannot normalise over one example
    whole = training.batches(10, 4, np.random.default_rng(0), whole_only=True)
    assert [b.size for b in whole] == [4, 4]
    with pytest.raises(ValueError, match="more than the 3 examples"):
        training.batches(3, 4, np.random.default_rng(0), whole_only=True)


def toy():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 12))
    Y = (X[:1] > 0).astype(float)
    return layers.mlp([2, 3, 1], rng=rng), layers.BinaryCrossEntropyWithLogits(), X, Y


def test_a_step_returns_the_cost_before_its_update_and_updates():
    model, loss, X, Y = toy()
    before = training.cost(model, loss, X, Y)
    W = model[0].W.copy()
    assert training.step(model, loss, layers.SGD(0.5), X, Y) == pytest.approx(before)
    assert not np.array_equal(W, model[0].W)
    assert training.cost(model, loss, X, Y) < before


def test_a_step_above_the_limit_does_not_update():
    model, loss, X, Y = toy()
    W = model[0].W.copy()
    cost = training.step(model, loss, layers.SGD(0.5), X, Y, limit=1e-9)
    assert cost > 1e-9 and np.array_equal(W, model[0].W)


def test_the_cost_is_measured_in_evaluation_mode():
    rng = np.random.default_rng(2)
    model = layers.mlp([2, 4, 1], batch_norm=True, rng=rng)
    loss, X = layers.BinaryCrossEntropyWithLogits(), rng.normal(size=(2, 20))
    Y = (X[:1] > 0).astype(float)
    running = model[1].running_mean.copy()
    with layers.evaluating(model):
        expected = loss.forward(model.forward(X), Y)
    assert training.cost(model, loss, X, Y) == pytest.approx(expected)
    assert np.array_equal(model[1].running_mean, running)  # measuring changes nothing


@pytest.mark.parametrize("lr", [0.05, 50.0])  # one that converges, one that diverges
def test_batch_epochs_measure_each_cost_once_and_agree_with_the_general_rule(lr, monkeypatch):
    """Batch gradient descent without BatchNorm reuses the cost the next step measures;
    forced through the general path (a cost after every epoch), it gives the same history."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(3, 40)), rng.normal(size=(1, 40))

    def run():
        model = layers.mlp([3, 8, 8, 1], rng=np.random.default_rng(1))
        return training.train(model, layers.MSE(), X, Y, lr=lr, epochs=30), model

    quick, quick_model = run()
    monkeypatch.setattr(layers, "_uses_batch_statistics", lambda model: True)
    general, general_model = run()
    assert quick.initial_cost == general.initial_cost
    assert quick.costs == general.costs and quick.diverged_at == general.diverged_at
    assert (lr > 1) == quick.diverged
    if not quick.diverged:
        for name, p in quick_model.parameters().items():
            np.testing.assert_array_equal(p, general_model.parameters()[name])
