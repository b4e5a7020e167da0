"""Finding and checking MNIST: resolution order and a clear error for every bad file."""

from __future__ import annotations

import numpy as np
import pytest

from tests.training.conftest import tiny_arrays, write_npz
from training import data as data_module
from training.data import (
    ENV_VAR,
    DataError,
    file_fingerprint,
    keras_cache_path,
    load_mnist,
    resolve_mnist_path,
    save_npz_atomic,
)


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No LENET_MNIST, KERAS_HOME unset and HOME pointing at an empty folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    return home


def small_arrays() -> dict[str, np.ndarray]:
    return tiny_arrays(n_train=40, n_test=20)


def make_file(path, **changes):
    arrays = small_arrays()
    arrays.update(changes)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_npz(path, **arrays)
    return path


def test_explicit_path_wins_over_env_and_cache(clean_env, tmp_path, monkeypatch):
    explicit = make_file(tmp_path / "explicit.npz")
    env_file = make_file(tmp_path / "env.npz")
    make_file(clean_env / ".keras" / "datasets" / "mnist.npz")
    monkeypatch.setenv(ENV_VAR, str(env_file))
    assert resolve_mnist_path(explicit) == explicit
    assert load_mnist(explicit).source == str(explicit)


def test_env_var_wins_over_keras_cache(clean_env, tmp_path, monkeypatch):
    env_file = make_file(tmp_path / "env.npz")
    make_file(clean_env / ".keras" / "datasets" / "mnist.npz")
    monkeypatch.setenv(ENV_VAR, str(env_file))
    assert resolve_mnist_path() == env_file
    assert load_mnist().source == str(env_file)


def test_keras_cache_under_home(clean_env):
    cached = make_file(clean_env / ".keras" / "datasets" / "mnist.npz")
    assert keras_cache_path() == cached
    assert resolve_mnist_path() == cached
    assert load_mnist().source == str(cached)


def test_keras_home_moves_the_cache(clean_env, tmp_path, monkeypatch):
    keras_home = tmp_path / "kh"
    cached = make_file(keras_home / "datasets" / "mnist.npz")
    make_file(clean_env / ".keras" / "datasets" / "mnist.npz", y_test=np.zeros(20, np.uint8))
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    assert resolve_mnist_path() == cached


def test_nothing_found_means_keras_download(clean_env, monkeypatch):
    assert resolve_mnist_path() is None
    calls = []

    def fake_load_data():
        # Stands in for the network: Keras writes the file into its cache.
        calls.append(True)
        make_file(keras_cache_path())

    import keras

    monkeypatch.setattr(keras.datasets.mnist, "load_data", fake_load_data)
    loaded = load_mnist()
    assert calls == [True]
    assert loaded.source == str(clean_env / ".keras" / "datasets" / "mnist.npz")
    assert len(loaded.x_train) == 40


def test_failed_download_is_a_clear_error(clean_env, monkeypatch):
    import keras

    def offline():
        raise OSError("network is unreachable")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(DataError, match="could not download.*network is unreachable"):
        load_mnist()


def test_loaded_arrays_and_fingerprint(tmp_path):
    path = make_file(tmp_path / "m.npz")
    loaded = load_mnist(path)
    assert loaded.x_train.shape == (40, 28, 28) and loaded.x_train.dtype == np.uint8
    assert loaded.y_train.dtype == np.int64 and loaded.y_test.shape == (20,)
    np.testing.assert_array_equal(loaded.y_train, small_arrays()["y_train"])
    assert loaded.fingerprint.startswith("sha256:") and len(loaded.fingerprint) == 7 + 64
    assert loaded.fingerprint == file_fingerprint(path)
    other = make_file(tmp_path / "other.npz", y_test=np.zeros(20, np.uint8))
    assert file_fingerprint(other) != loaded.fingerprint


def test_missing_explicit_file(tmp_path):
    missing = tmp_path / "nope.npz"
    with pytest.raises(DataError, match="not found.*nope.npz"):
        load_mnist(missing)


def test_env_var_naming_a_missing_file(clean_env, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "gone.npz"))
    with pytest.raises(DataError, match=f"{ENV_VAR}.*gone.npz.*does not exist"):
        load_mnist()


def test_corrupt_file(tmp_path):
    path = tmp_path / "corrupt.npz"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(DataError, match="corrupt.npz.*not a readable"):
        load_mnist(path)


def test_truncated_file(tmp_path):
    good = make_file(tmp_path / "good.npz")
    path = tmp_path / "truncated.npz"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(DataError, match="truncated.npz"):
        load_mnist(path)


def test_wrong_keys(tmp_path):
    path = tmp_path / "keys.npz"
    write_npz(path, images=np.zeros((3, 28, 28), np.uint8), labels=np.zeros(3, np.uint8))
    with pytest.raises(DataError, match="keys.npz is missing x_train, y_train, x_test, y_test"):
        load_mnist(path)


def test_one_missing_key_is_named(tmp_path):
    path = make_file(tmp_path / "three.npz", y_test=None)
    with pytest.raises(DataError, match="three.npz is missing y_test"):
        load_mnist(path)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"x_train": np.zeros((40, 32, 32), np.uint8)}, r"x_train has shape \(40, 32, 32\)"),
        ({"x_test": np.zeros((20, 784), np.uint8)}, r"x_test has shape \(20, 784\)"),
        ({"x_train": np.zeros((40, 28, 28), np.float32)}, "x_train has dtype float32"),
        ({"y_train": np.zeros(39, np.uint8)}, r"y_train has shape \(39,\), expected \(40,\)"),
        ({"y_test": np.zeros((20, 10), np.uint8)}, "y_test has shape"),
        ({"y_test": np.zeros(20, np.float64)}, "y_test has dtype float64"),
        ({"y_train": np.full(40, 10, np.uint8)}, "y_train holds labels outside 0..9"),
        (
            {"x_test": np.zeros((0, 28, 28), np.uint8), "y_test": np.zeros(0, np.uint8)},
            "test split is empty",
        ),
    ],
)
def test_wrong_shapes_dtypes_and_labels(tmp_path, changes, message):
    path = make_file(tmp_path / "bad.npz", **changes)
    with pytest.raises(DataError, match=message) as caught:
        load_mnist(path)
    assert str(path) in str(caught.value)


def test_pickled_object_arrays_are_refused(tmp_path):
    path = make_file(tmp_path / "objects.npz", y_train=np.array([object()] * 40, dtype=object))
    with pytest.raises(DataError, match="objects.npz"):
        load_mnist(path)


def test_save_npz_atomic_round_trip_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "saved.npz"
    save_npz_atomic(target, **small_arrays())
    assert load_mnist(target).x_test.shape == (20, 28, 28)
    assert sorted(p.name for p in target.parent.iterdir()) == ["saved.npz"]


def test_save_npz_atomic_failure_keeps_old_file(tmp_path, monkeypatch):
    target = make_file(tmp_path / "keep.npz")
    before = target.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(data_module.np, "savez_compressed", broken)
    with pytest.raises(OSError, match="disk full"):
        save_npz_atomic(target, **small_arrays())
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.npz"]
