"""helpers.softmax_regression: hardmax and the temperature, the 2-D data sets of four classes, the
tick rules of the region trainer, the confusion matrix, and the figures of notebook 08."""

import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import gradcheck, layers, live
from helpers import softmax_regression as mc

# --- hardmax and softmax with a temperature -----------------------------------------------


def test_hardmax_puts_the_one_at_the_largest_logit():
    Z = np.array([[5.0, 0.0], [2.0, 3.0], [-1.0, 1.0], [3.0, -4.0]])
    np.testing.assert_array_equal(mc.hardmax(Z), [[1, 0], [0, 1], [0, 0], [0, 0]])


def test_hardmax_shares_ties_as_softmax_does_at_a_tiny_temperature():
    Z = np.array([[2.0], [2.0], [1.0]])
    np.testing.assert_allclose(mc.hardmax(Z)[:, 0], [0.5, 0.5, 0.0])
    np.testing.assert_allclose(mc.softmax_with_temperature(Z, 1e-3), mc.hardmax(Z), atol=1e-12)


def test_softmax_with_temperature():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(4, 7)) * 3
    np.testing.assert_allclose(mc.softmax_with_temperature(Z, 1.0), layers.softmax(Z))
    np.testing.assert_allclose(mc.softmax_with_temperature(Z, 2.5), layers.softmax(Z / 2.5))
    np.testing.assert_allclose(mc.softmax_with_temperature(Z, 1e-4), mc.hardmax(Z), atol=1e-9)
    np.testing.assert_allclose(mc.softmax_with_temperature(Z, 1e6), 0.25, atol=1e-5)
    # a lower temperature gives the largest logit a larger share
    shares = [mc.softmax_with_temperature(Z, T).max(axis=0) for T in (0.5, 1.0, 2.0)]
    assert np.all(shares[0] >= shares[1]) and np.all(shares[1] >= shares[2])


def test_the_temperature_does_not_overflow():
    Z = np.array([[10.0], [9.0], [-10.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = mc.softmax_with_temperature(Z, 0.01)  # logits of ±1000
    assert np.all(np.isfinite(a)) and a[0, 0] == pytest.approx(1.0)


@pytest.mark.parametrize("T, error", [(0.0, ValueError), (-1.0, ValueError),
                                      (np.nan, ValueError), (np.inf, ValueError),
                                      ("hot", TypeError), (True, TypeError)])
def test_the_temperature_must_be_positive(T, error):
    with pytest.raises(error, match="temperature"):
        mc.softmax_with_temperature(np.zeros((3, 1)), T)


def test_a_tiny_temperature_gets_a_clear_error():
    with pytest.raises(ValueError, match="larger T"):
        mc.softmax_with_temperature(np.array([[1e10], [0.0]]), 1e-300)


@pytest.mark.parametrize("Z, words", [(np.zeros(4), "reshape"), (np.zeros((0, 3)), "shape"),
                                      (np.array([[1.0], [np.nan]]), "NaN")])
def test_hardmax_rejects_bad_logits(Z, words):
    with pytest.raises(ValueError, match=words):
        mc.hardmax(Z)


# --- the 2-D data sets ---------------------------------------------------------------------


@pytest.mark.parametrize("name", mc.DATASETS)
@pytest.mark.parametrize("m", [4, 7, 400])
def test_data_sets_have_the_course_shapes_and_balanced_classes(name, m):
    X, labels = mc.make_classes(name, m, np.random.default_rng(0))
    assert X.shape == (2, m) and labels.shape == (m,)
    assert X.dtype == float and np.issubdtype(labels.dtype, np.integer)
    counts = np.bincount(labels, minlength=4)
    assert counts.sum() == m and counts.max() - counts.min() <= 1
    assert np.all(np.abs(X) < 3.0)


@pytest.mark.parametrize("name", mc.DATASETS)
def test_data_sets_are_deterministic_and_shuffled(name):
    X1, l1 = mc.make_classes(name, 200, np.random.default_rng(3))
    X2, l2 = mc.make_classes(name, 200, np.random.default_rng(3))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(l1, l2)
    assert len(set(l1[:20])) > 1, "the classes are mixed, not one after the other"


def test_the_pinwheel_arms_turn_with_the_radius():
    X, labels = mc.make_classes("pinwheel", 4000, np.random.default_rng(1))
    r, angle = np.hypot(*X), np.arctan2(X[1], X[0])
    inner = (labels == 0) & (r < 0.3)
    outer = (labels == 0) & (r > 1.4)
    # arm 0 starts near angle 0 and has turned by about 2 × 1.5 = 3 radians at the rim
    assert abs(np.angle(np.mean(np.exp(1j * angle[inner])))) < 0.8
    assert abs(np.angle(np.mean(np.exp(1j * angle[outer]))) - 2.9) < 0.5


@pytest.mark.parametrize("args, error, words", [
    (("stars", 10), ValueError, "blobs"),
    (("blobs", 3), ValueError, "integer ≥ 4"),
    (("blobs", 10.0), ValueError, "integer"),
])
def test_data_sets_reject_bad_input(args, error, words):
    with pytest.raises(error, match=words):
        mc.make_classes(*args, np.random.default_rng(0))


def test_data_sets_need_a_generator():
    with pytest.raises(TypeError, match="default_rng"):
        mc.make_classes("blobs", 10, 42)


# --- the region trainer ------------------------------------------------------------------

SETTINGS = {"dataset": "blobs", "hidden": True, "lr": 1.0}


@pytest.fixture
def trainer():
    return mc.RegionTrainer(m_train=60, m_test=40, hidden_units=6, steps_per_tick=5,
                            max_catch_up=3, resolution=12)


def weights(trainer) -> dict:
    return {name: array.copy() for name, array in trainer.model.parameters().items()}


def same_weights(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def test_the_models_and_their_gradients(trainer):
    trainer.advance(0, "blobs", False, 1.0)
    assert repr(trainer.model) == "Sequential(Linear(2→4))"
    trainer.advance(0, "blobs", True, 1.0)
    assert repr(trainer.model) == "Sequential(Linear(2→6), Tanh, Linear(6→4))"
    split = trainer.split
    report = gradcheck.check_model(trainer.model, layers.SoftmaxCrossEntropy(), split.X_train,
                                   split.Y_train)
    assert report.ok, report


def test_a_new_model_always_starts_from_the_same_weights(trainer):
    trainer.advance(0, **SETTINGS)
    start = weights(trainer)
    for tick in range(1, 5):
        trainer.advance(tick, **SETTINGS)
    assert not same_weights(start, weights(trainer))
    trainer.advance(0, **SETTINGS)  # Stop
    assert same_weights(start, weights(trainer)) and trainer.steps == 0
    assert len(trainer.history) == 1


def test_one_tick_is_steps_per_tick_steps_and_catching_up_is_capped(trainer):
    trainer.advance(0, **SETTINGS)
    trainer.advance(1, **SETTINGS)
    assert trainer.steps == 5
    trainer.advance(2, **SETTINGS)
    assert trainer.steps == 10
    trainer.advance(12, **SETTINGS)  # the browser merged ten ticks
    assert trainer.steps == 10 + 3 * 5
    assert [h[0] for h in trainer.history] == [0, 5, 10, 25]


@pytest.mark.parametrize("change", [{"dataset": "pinwheel"}, {"hidden": False}])
def test_changing_the_data_or_the_model_starts_again(trainer, change):
    trainer.advance(0, **SETTINGS)
    for tick in range(1, 6):
        trainer.advance(tick, **SETTINGS)
    trainer.advance(5, **{**SETTINGS, **change})
    assert trainer.steps == 3 * 5  # a new model, then max_catch_up ticks
    assert trainer.settings == mc.Settings(**{k: v for k, v in {**SETTINGS, **change}.items()
                                              if k != "lr"})


def test_a_new_learning_rate_trains_on(trainer):
    trainer.advance(0, **SETTINGS)
    trainer.advance(1, **SETTINGS)
    before = weights(trainer)
    trainer.advance(1, **{**SETTINGS, "lr": 0.5})
    assert same_weights(before, weights(trainer)) and trainer.lr == 0.5
    trainer.advance(2, **{**SETTINGS, "lr": 0.5})
    assert trainer.steps == 10


def test_softmax_regression_learns_the_blobs_but_not_the_pinwheel():
    trainer = mc.RegionTrainer(m_train=200, m_test=100, resolution=8)
    results = {}
    for dataset in mc.DATASETS:
        for hidden in (False, True):
            trainer.advance(0, dataset, hidden, 1.0)
            first = trainer.train_cost
            trainer.train(1500)
            trainer.evaluate()
            assert trainer.train_cost < first
            results[dataset, hidden] = trainer.test_accuracy
    assert results["blobs", False] > 0.9
    assert results["pinwheel", False] < 0.75
    assert results["pinwheel", True] > 0.9


def test_divergence_stops_training_and_a_new_rate_starts_again(trainer):
    trainer.advance(0, "pinwheel", True, 300.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for tick in range(1, 6):
            trainer.advance(tick, "pinwheel", True, 300.0)
    assert trainer.diverged_at is not None
    steps = trainer.steps
    trainer.advance(6, "pinwheel", True, 300.0)
    assert trainer.steps == steps, "no training after divergence"
    assert np.isfinite(trainer.history[-1][1])
    trainer.advance(7, "pinwheel", True, 0.5)
    assert trainer.diverged_at is None and trainer.steps == 3 * 5


def test_the_regions_are_the_colour_of_the_most_probable_class(trainer):
    trainer.advance(0, "blobs", False, 1.0)
    for tick in range(1, 30):
        trainer.advance(tick, "blobs", False, 1.0)
    regions = trainer.regions
    assert regions.shape == (12, 12, 4) and regions.dtype == np.uint8
    assert np.all(regions[..., 3] == 255)
    Z = trainer.model.forward(trainer.grid)                      # (4, 144)
    best = Z.argmax(axis=0).reshape(12, 12)
    palette = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in mc.CLASS_COLOURS])
    rgb = regions[..., :3].astype(float)
    # each pixel is white mixed with its class's colour: closest in direction to that colour
    for k in range(4):
        mask = best == k
        if mask.any():
            shade = 255 - rgb[mask]                              # (pixels, 3)
            target = 255 - palette[k]
            cosine = shade @ target / (np.linalg.norm(shade, axis=1) * np.linalg.norm(target))
            assert np.all(cosine > 0.99)


@pytest.mark.parametrize("kwargs, words", [({"m_train": 2}, "m_train"),
                                           ({"steps_per_tick": 0}, "steps_per_tick"),
                                           ({"extent": -1.0}, "extent"),
                                           ({"divergence_factor": 1.0}, "divergence_factor")])
def test_the_trainer_rejects_bad_settings(kwargs, words):
    with pytest.raises(ValueError, match=words):
        mc.RegionTrainer(**kwargs)


@pytest.mark.parametrize("args, error", [((0, "stars", False, 1.0), ValueError),
                                         ((-1, "blobs", False, 1.0), ValueError),
                                         ((0, "blobs", False, 0.0), ValueError),
                                         ((0, "blobs", False, np.nan), ValueError),
                                         ((0, "blobs", False, "fast"), TypeError)])
def test_the_trainer_rejects_bad_controls(trainer, args, error):
    with pytest.raises(error):
        trainer.advance(*args)


# --- the figures ---------------------------------------------------------------------------


def moves_change_the_frame(view, changes):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = bytes(view.image.value)
        for change in changes:
            view.redraw(**change)
            assert bytes(view.image.value) != frame, change
            frame = bytes(view.image.value)


def test_the_logit_bars_figure():
    fig, update = mc.logit_bars_figure(mc.ANIMALS, mc.ANIMALS_ZH)
    assert isinstance(fig, Figure)
    view = live.LiveFigure(fig, update, name="test_logit_bars", controls={
        **{f"z{k}": live.slider(f"z{k}", -10.0, 10.0, 0.1, value=v)
           for k, v in enumerate([5.0, 2.0, -1.0, 3.0])},
        "temperature": live.log_slider("T", -1.3, 1.3, value=1.0)})
    def heights(ax):
        return [path.vertices[:, 1].max() + path.vertices[:, 1].min()
                for path in ax.collections[0].get_paths()]

    axes = fig.axes
    np.testing.assert_allclose(heights(axes[0]), [5.0, 2.0, -1.0, 3.0])
    np.testing.assert_allclose(heights(axes[1]), layers.softmax(np.array([[5.0], [2.0], [-1.0],
                                                                          [3.0]]))[:, 0])
    assert heights(axes[2]) == [1.0, 0.0, 0.0, 0.0]
    moves_change_the_frame(view, [{"z1": 7.0}, {"temperature": 0.05}, {"temperature": 0.06},
                                  {"temperature": 20.0}, {"z2": -10.0}])
    assert heights(axes[2]) == [0.0, 1.0, 0.0, 0.0]
    view.close()


def test_the_logit_bars_need_two_classes():
    with pytest.raises(ValueError, match="2 classes"):
        mc.logit_bars_figure(["only"])


def test_the_regions_figure_follows_every_control_and_shows_divergence():
    trainer = mc.RegionTrainer(m_train=40, m_test=20, hidden_units=4, resolution=10)
    fig, update = mc.regions_figure(trainer, max_ticks=50)
    view = live.LiveFigure(fig, update, name="test_regions", controls={
        "tick": live.player("train", max_ticks=50),
        "dataset": live.choice("data", mc.DATASETS),
        "hidden": live.toggle("hidden"),
        "lr": live.log_slider("lr", -3, 2.5, value=1.0)})
    moves_change_the_frame(view, [{"tick": 1}, {"tick": 2}, {"dataset": "pinwheel"},
                                  {"hidden": True}, {"lr": 0.01}, {"tick": 3}, {"tick": 0}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.redraw(lr=300.0)
        for tick in range(1, 8):
            view.redraw(tick=tick)
    assert trainer.diverged_at is not None
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("diverged at step" in text for text in texts)
    view.close()


# --- the confusion matrix ------------------------------------------------------------------


def test_the_confusion_matrix_counts_true_against_predicted():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    M = mc.confusion_matrix(y_true, y_pred, 4)
    expected = np.zeros((4, 4), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        expected[t, p] += 1
    np.testing.assert_array_equal(M, expected)
    assert M.sum() == 6 and np.trace(M) == 4 and M[3].sum() == 0


def test_the_confusion_matrix_of_random_labels():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    M = mc.confusion_matrix(y_true, y_pred, 10)
    np.testing.assert_array_equal(M.sum(axis=1), np.bincount(y_true, minlength=10))
    np.testing.assert_array_equal(M.sum(axis=0), np.bincount(y_pred, minlength=10))
    assert np.trace(M) == np.sum(y_true == y_pred)


@pytest.mark.parametrize("y_true, y_pred, C, error, words", [
    ([0, 1, 3], [0, 1, 1], 3, ValueError, "0 to C − 1"),
    ([0, 1], [0, 1, 1], 3, ValueError, "same length"),
    ([0.5, 1], [0, 1], 3, TypeError, "integer"),
    ([0, 1], [0, 1], 1, ValueError, "C"),
    ([], [], 3, ValueError, "non-empty"),
])
def test_the_confusion_matrix_rejects_bad_labels(y_true, y_pred, C, error, words):
    with pytest.raises(error, match=words):
        mc.confusion_matrix(np.array(y_true), np.array(y_pred), C)


def test_draw_confusion_matrix():
    fig = Figure()
    ax = fig.subplots()
    M = np.array([[5, 1], [0, 3]])
    assert mc.draw_confusion_matrix(M, ["a", "b"], ax=ax) is ax
    assert sorted(t.get_text() for t in ax.texts) == ["1", "3", "5"]  # zeros are left blank
    with pytest.raises(ValueError, match="shape"):
        mc.draw_confusion_matrix(M, ["a", "b", "c"], ax=ax)


def test_the_confusion_figure_shows_the_images_of_a_cell():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(30, 4, 4)).astype(np.uint8)
    y_true, y_pred = np.arange(30) % 3, (np.arange(30) // 3) % 3
    M = mc.confusion_matrix(y_true, y_pred, 3)
    names, names_zh = ["a", "b", "c"], ["甲", "乙", "丙"]
    fig, update = mc.confusion_figure(M, images, y_true, y_pred, names, names_zh, rows=1,
                                      columns=2)
    view = live.LiveFigure(fig, update, name="test_confusion", controls={
        "true": live.choice("true", [(n, k) for k, n in enumerate(names)], value=0),
        "predicted": live.choice("predicted", [(n, k) for k, n in enumerate(names)], value=0)})
    which = np.flatnonzero((y_true == 0) & (y_pred == 0))
    texts = [t.get_text() for t in fig.axes[1].texts]
    assert any(f"{which.size} test images (right), the first 2 shown" in t for t in texts)
    picture = next(a for a in fig.axes[1].get_children() if hasattr(a, "rgba"))
    sheet = 255 - picture.rgba[::-1, :, 0].astype(int)          # back to grey levels
    np.testing.assert_array_equal(sheet[1:5, 1:5], images[which[0]])
    np.testing.assert_array_equal(sheet[1:5, 7:11], images[which[1]])
    moves_change_the_frame(view, [{"predicted": 1}, {"true": 2}])
    view.close()


def test_the_confusion_figure_rejects_mismatched_images():
    with pytest.raises(ValueError, match="one image per label"):
        mc.confusion_figure(np.eye(2, dtype=int), np.zeros((3, 4, 4)), np.array([0, 1]),
                            np.array([0, 1]), ["a", "b"], ["甲", "乙"])


def test_the_weights_figure_shows_a_row_of_W():
    rng = np.random.default_rng(0)
    W, mean_images = rng.normal(size=(3, 16)), rng.uniform(size=(3, 4, 4))
    fig, update = mc.weights_figure(W, mean_images, ["a", "b", "c"], ["甲", "乙", "丙"])
    view = live.LiveFigure(fig, update, name="test_weights", controls={
        "k": live.choice("class", [("a", 0), ("b", 1), ("c", 2)], value=1)})
    mean_picture, w_picture = [next(a for a in ax.get_children() if hasattr(a, "rgba"))
                               for ax in fig.axes[:2]]
    grey = 255 - mean_picture.rgba[::-1, :, 0].astype(float)       # row 0 at the top again
    np.testing.assert_allclose(grey, np.round(255 * mean_images[1]), atol=1)
    # red where the weight is positive, blue where it is negative (RdBu_r)
    red, blue = w_picture.rgba[::-1, :, 0].astype(int), w_picture.rgba[::-1, :, 2].astype(int)
    strong = np.abs(W[1].reshape(4, 4)) > 0.3
    np.testing.assert_array_equal((red > blue)[strong], (W[1].reshape(4, 4) > 0)[strong])
    moves_change_the_frame(view, [{"k": 2}, {"k": 0}])
    with pytest.raises(ValueError, match="W must have shape"):
        mc.weights_figure(W[:, :15], mean_images, ["a", "b", "c"], ["甲", "乙", "丙"])
    view.close()
