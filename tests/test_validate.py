"""helpers.validate: every validator accepts good input and names what is wrong with bad."""

import numpy as np
import pytest

from helpers.validate import (
    as_count,
    as_fraction,
    as_generator,
    as_matrix,
    as_positive,
    as_scalar,
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
