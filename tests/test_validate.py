"""helpers.validate: every validator accepts good input and names what is wrong with bad."""

import itertools

import numpy as np
import pytest

from helpers.layers import ReLU, Sequential
from helpers.validate import (
    InputError,
    all_finite,
    as_array,
    as_axes,
    as_callable,
    as_choice,
    as_count,
    as_factor,
    as_figure,
    as_flag,
    as_fraction,
    as_generator,
    as_images,
    as_instance,
    as_learning_rate,
    as_list,
    as_matrix,
    as_model,
    as_non_negative,
    as_path,
    as_positive,
    as_scalar,
    as_size,
    as_text,
    as_vector,
    is_number,
    same_length,
)


@pytest.mark.parametrize("value, minimum", [(1, 1), (np.int64(7), 1), (0, 0), (2, 2)])
def test_as_count_accepts_integers_from_the_minimum(value, minimum):
    assert as_count("n", value, minimum) == value
    assert type(as_count("n", value, minimum)) is int


@pytest.mark.parametrize("value, minimum, message", [
    (0, 1, "n must be a positive integer, got 0"),
    (2.0, 1, "n must be a positive integer, got 2.0"),
    (True, 1, "n must be a positive integer, got True"),
    (-1, 0, "n must be an integer ≥ 0, got -1"),
    (1, 2, "n must be an integer ≥ 2, got 1"),
])
def test_as_count_refuses_with_a_clear_message(value, minimum, message):
    with pytest.raises(ValueError, match=message):
        as_count("n", value, minimum)


def test_as_generator():
    rng = np.random.default_rng(0)
    assert as_generator(rng) is rng
    for bad in (0, None, np.random.RandomState(0)):
        with pytest.raises(TypeError, match=r"np.random.default_rng\(seed\)"):
            as_generator(bad)


def test_arrays_and_scalars():
    assert as_vector("x", [1, 2]).tolist() == [1.0, 2.0]
    assert as_matrix("X", [[1, 2]]).shape == (1, 2)
    assert as_scalar("lr", np.float32(0.5)) == 0.5
    for call, message in [
        (lambda: as_vector("x", []), "x is empty"),
        (lambda: as_vector("x", [[1]]), "x must be a 1-D array"),
        (lambda: as_matrix("X", [1, 2]), r"shape \(n, m\)"),
        (lambda: as_matrix("X", [[np.nan]]), "X contains NaN"),
        (lambda: as_scalar("lr", [1, 2]), "lr must be a single number"),
        (lambda: as_scalar("lr", np.inf), "lr is inf"),
        (lambda: same_length(x=np.zeros(3), y=np.zeros(4)), "x has 3, y has 4"),
    ]:
        with pytest.raises(ValueError, match=message):
            call()
    with pytest.raises(TypeError, match="lr must be a number"):
        as_scalar("lr", "fast")


@pytest.mark.parametrize("value", [0.5, 3, np.float32(1e-6), np.int64(2)])
def test_as_positive_accepts_positive_numbers(value):
    assert as_positive("lr", value) == pytest.approx(float(value))
    assert type(as_positive("lr", value)) is float


@pytest.mark.parametrize("value, error, message", [
    (0, ValueError, "lr must be a positive finite number, got 0.0"),
    (-0.1, ValueError, "lr must be a positive finite number, got -0.1"),
    (np.inf, ValueError, "lr must be a positive finite number, got inf"),
    (np.nan, ValueError, "lr must be a positive finite number, got nan"),
    (True, TypeError, "lr must be a number, got bool"),
    ("0.1", TypeError, "lr must be a number, got str"),
    (np.array([0.1, 0.2]), TypeError, "lr must be a number, got ndarray"),
])
def test_as_positive_names_what_is_wrong(value, error, message):
    with pytest.raises(error, match=message):
        as_positive("lr", value)


@pytest.mark.parametrize("value", [0, 0.0, 0.9, np.float64(0.999)])
def test_as_fraction_accepts_the_weight_of_an_old_average(value):
    assert as_fraction("Adam", "beta1", value, "0.9") == float(value)


@pytest.mark.parametrize("value, error, message", [
    (1.0, ValueError, r"Adam: beta1 must be in \[0, 1\), e.g. 0.9 .*1 would never learn"),
    (-0.1, ValueError, r"Adam: beta1 must be in \[0, 1\)"),
    (np.nan, ValueError, r"Adam: beta1 must be in \[0, 1\)"),
    (False, TypeError, r"Adam: beta1 must be a number in \[0, 1\), e.g. 0.9; got bool"),
    ("0.9", TypeError, "got str"),
])
def test_as_fraction_names_owner_and_value(value, error, message):
    with pytest.raises(error, match=message):
        as_fraction("Adam", "beta1", value, "0.9")



@pytest.mark.parametrize("value, expected", [
    (3, True), (0.5, True), (np.float32(2.0), True), (np.int64(-1), True),
    (True, False), ("1", False), (None, False), (np.array(1.0), False),
    (np.array([1.0]), False), ([1.0], False),
])
def test_is_number_means_one_real_number(value, expected):
    assert is_number(value) is expected


# --- the course's one error, and validators that never leak a raw NumPy error -----------


def test_input_error_is_a_value_error_and_a_type_error():
    assert issubclass(InputError, ValueError) and issubclass(InputError, TypeError)
    with pytest.raises(InputError):
        as_count("n", 0)


@pytest.mark.parametrize("bad, words", [
    (None, "x is None"), ("abc", "the string 'abc'"), (["a", "b"], "array of numbers"),
    ([[1.0], [1.0, 2.0]], "array of numbers"), (object(), "array of numbers"),
    ([1 + 2j], "array of numbers"), ([1.0, None], "array of numbers"),
    ([1.0, np.nan], "NaN or infinity"), (np.array([np.inf]), "NaN or infinity"),
])
def test_as_array_refuses_what_is_not_finite_numbers(bad, words):
    with pytest.raises(InputError, match=words):
        as_array("x", bad)


def test_as_array_converts_without_copying_floats():
    values = np.arange(3.0)
    assert as_array("x", values) is values
    assert as_array("x", [True, False]).tolist() == [1.0, 0.0]
    assert as_array("x", np.float32(2.5)).shape == ()
    assert np.isnan(as_array("x", [np.nan], finite=False)[0])


@pytest.mark.parametrize("call", [
    lambda: as_vector("x", None), lambda: as_vector("x", "1, 2"),
    lambda: as_matrix("x", [[1.0], [2.0, 3.0]]), lambda: as_scalar("x", "1.5"),
    lambda: as_scalar("x", True), lambda: as_scalar("x", None),
    lambda: as_scalar("x", [[1], [1, 2]]), lambda: as_scalar("x", 1j),
    lambda: same_length(x=[1.0], y=None), lambda: all_finite("no"),
])
def test_the_validators_never_leak_a_raw_numpy_error(call):
    with pytest.raises(InputError, match="x|array"):
        call()


def test_as_flag_takes_only_true_and_false():
    assert as_flag("bias", True) is True and as_flag("bias", np.False_) is False
    for bad in ("no", "False", 1, 0, 1.5, None):
        with pytest.raises(InputError, match="bias must be True or False, got"):
            as_flag("bias", bad)


def test_as_choice():
    assert as_choice("loss", "MSE", ("MSE", "MAE")) == "MSE"
    assert as_choice("output", None, (None, "sigmoid")) is None
    for bad in ("mse", 3, None, ["MSE"], np.array(["MSE"]), True):
        with pytest.raises(InputError, match="loss must be one of 'MSE', 'MAE'; got"):
            as_choice("loss", bad, ("MSE", "MAE"))
    with pytest.raises(InputError, match="options"):
        as_choice("loss", "MSE", itertools.count())


def test_as_list_refuses_an_endless_iterator_without_hanging():
    assert as_list("sizes", (2, 3)) == [2, 3]
    assert as_list("sizes", range(3)) == [0, 1, 2]
    with pytest.raises(InputError, match="sizes has more than 10 items .*endless"):
        as_list("sizes", itertools.count(), limit=10)
    for bad in (None, "23", 3, np.float64(2.0)):
        with pytest.raises(InputError, match="sizes must be a list"):
            as_list("sizes", bad)


@pytest.mark.parametrize("value, ok", [(0.1, True), (3, True), (0, False), (-0.5, False),
                                       (np.nan, False), (np.inf, False), (True, False),
                                       ("0.1", False), (None, False)])
def test_as_learning_rate(value, ok):
    if ok:
        assert as_learning_rate(value) == value
        return
    with pytest.raises(InputError, match="the learning rate lr must be"):
        as_learning_rate(value)


def test_as_learning_rate_says_why_it_must_be_positive():
    with pytest.raises(InputError, match=r"got -0\.5 \(lr must be positive: a step of "
                                         r"−lr × gradient with lr ≤ 0 does not go downhill"):
        as_learning_rate(-0.5)


def test_numbers_with_a_bound():
    assert as_non_negative("noise", 0) == 0.0 and as_factor("divergence_factor", 10) == 10.0
    for bad in (-0.1, np.nan, np.inf, "0.1", True):
        with pytest.raises(InputError, match="noise must be a finite number >= 0"):
            as_non_negative("noise", bad)
    for bad in (1, 0.5, np.nan, np.inf, "10", None):
        with pytest.raises(InputError, match="divergence_factor must be a number > 1"):
            as_factor("divergence_factor", bad)
    with pytest.raises(InputError, match="fps must be a positive number, e.g. 4, got 0"):
        as_positive("fps", 0, what="a positive number, e.g. 4")
    with pytest.raises(InputError, match="minimum must be an integer"):
        as_count("n", 3, minimum=0.5)


def test_objects():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert as_figure("fig", fig) is fig and as_axes(ax) is ax
    assert as_text("name", "w") == "w" and as_path("path", "a/b").name == "b"
    assert as_size("figsize", (8, 3.6)) == (8.0, 3.6)
    assert as_callable("f", abs) is abs and as_instance("n", 3, int) == 3
    model = Sequential(ReLU())
    assert as_model("model", model) is model
    for call, words in [
        (lambda: as_figure("fig", None), "fig must be a matplotlib Figure"),
        (lambda: as_axes("ax"), "ax must be matplotlib axes"),
        (lambda: as_text("name", 3), "name must be a string"),
        (lambda: as_path("path", 3), "path must be a path"),
        (lambda: as_size("figsize", (8, -1)), "figsize must be two positive numbers"),
        (lambda: as_size("figsize", 8), "figsize must be two positive numbers"),
        (lambda: as_callable("f", "abs"), "f must be a function"),
        (lambda: as_instance("n", "3", int, "3"), "n must be a int, e.g. 3; got '3'"),
        (lambda: as_model("model", "mlp"), "model must be an object with forward and "
                                           "backward methods"),
    ]:
        with pytest.raises(InputError, match=words):
            call()


def test_as_images_takes_grey_levels_and_refuses_images_divided_by_255():
    images = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    assert as_images("images", images) is images
    assert as_images("images", images.astype(float)).dtype == float  # whole numbers
    with pytest.raises(InputError, match=r"images already lie in \[0, 1\].*grey levels 0 to "
                                         r"255 are expected \(uint8"):
        as_images("images", images / 255.0)
    for bad, words in [(np.zeros((3, 4)), "shape"), (np.zeros((0, 3, 3)), "shape"),
                       (np.full((1, 2, 2), 300.0), "from 0 to 255"),
                       (np.full((1, 2, 2), np.nan), "NaN"), (None, "NoneType"),
                       (np.full((1, 2, 2), "a"), "<U1")]:
        with pytest.raises(InputError, match=words):
            as_images("images", bad)
