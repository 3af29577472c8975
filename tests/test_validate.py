"""helpers.validate: every validator accepts good input and names what is wrong with bad."""

import numpy as np
import pytest

from helpers.validate import as_count, as_generator, as_matrix, as_scalar, as_vector, same_length


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
