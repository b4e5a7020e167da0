"""The CIFAR-10 loader on tiny files written in the real layout, and its errors."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from tests.training.cifar_files import (
    batch_record,
    cifar_images,
    write_cifar_archive,
    write_cifar_folder,
    write_pickle,
)
from training.cifar import CLASS_NAMES, ENV_VAR, load_cifar10, resolve_cifar10_path
from training.data import DataError
from training.datasets import load_dataset


@pytest.fixture
def no_cifar_anywhere(tmp_path, monkeypatch):
    """No LENET_CIFAR10 and an empty Keras cache, so nothing is found by accident."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    return tmp_path / "keras-home" / "datasets"


@pytest.fixture
def batches(tmp_path):
    """A batches folder and what was written into it."""
    folder = tmp_path / "cifar-10-batches-py"
    return folder, write_cifar_folder(folder)


def test_images_come_back_as_written(batches, no_cifar_anywhere):
    folder, written = batches
    data = load_cifar10(folder)
    assert data.x_train.shape == (200, 32, 32, 3) and data.x_train.dtype == np.uint8
    assert data.x_test.shape == (60, 32, 32, 3)
    first, labels = written["data_batch_1"]
    np.testing.assert_array_equal(data.x_train[:40], first)
    np.testing.assert_array_equal(data.y_train[:40], labels)
    last, _ = written["data_batch_5"]
    np.testing.assert_array_equal(data.x_train[-40:], last)
    np.testing.assert_array_equal(data.x_test, written["test_batch"][0])
    assert data.y_train.dtype == np.int64
    assert data.class_names == CLASS_NAMES
    assert data.source == str(folder) and data.fingerprint.startswith("sha256:")


def test_a_pixel_keeps_its_colour(tmp_path, no_cifar_anywhere):
    # Rows hold the R plane, then G, then B: a red pixel must stay red.
    folder = tmp_path / "b"
    write_cifar_folder(folder)
    images, labels = cifar_images(3, seed=9)
    images[:] = 0
    images[0, 4, 7] = (255, 10, 0)
    write_pickle(folder / "test_batch", batch_record(images, labels, "test"))
    data = load_cifar10(folder)
    assert tuple(data.x_test[0, 4, 7]) == (255, 10, 0)
    assert data.x_test[0].sum() == 265


def test_archive_parent_folder_and_numpy_1_pickles(tmp_path, no_cifar_anywhere):
    folder = tmp_path / "unpacked" / "cifar-10-batches-py"
    write_cifar_folder(folder, legacy_numpy=True)
    from_folder = load_cifar10(folder)
    from_parent = load_cifar10(tmp_path / "unpacked")
    archive = write_cifar_archive(tmp_path / "cifar-10-python.tar.gz", folder)
    from_archive = load_cifar10(archive)
    for other in (from_parent, from_archive):
        np.testing.assert_array_equal(other.x_train, from_folder.x_train)
        np.testing.assert_array_equal(other.y_test, from_folder.y_test)
        # Same bytes, same fingerprint: run ids do not depend on how the data are stored.
        assert other.fingerprint == from_folder.fingerprint
    assert from_archive.source == str(archive)


def test_resolution_order(tmp_path, monkeypatch, no_cifar_anywhere):
    assert resolve_cifar10_path() is None  # Keras would download
    keras3 = no_cifar_anywhere / "cifar-10-batches-py-target" / "cifar-10-batches-py"
    write_cifar_folder(keras3, per_batch=2, n_test=2)
    keras2_archive = no_cifar_anywhere / "cifar-10-batches-py.tar.gz"
    write_cifar_archive(keras2_archive, keras3)
    assert resolve_cifar10_path() == keras3
    keras2 = no_cifar_anywhere / "cifar-10-batches-py"
    write_cifar_folder(keras2, per_batch=2, n_test=2)
    assert resolve_cifar10_path() == keras3  # Keras 3's folder first
    env = tmp_path / "env" / "cifar-10-batches-py"
    write_cifar_folder(env, per_batch=2, n_test=2)
    monkeypatch.setenv(ENV_VAR, str(env.parent))
    assert resolve_cifar10_path() == env
    explicit = tmp_path / "explicit"
    write_cifar_folder(explicit, per_batch=2, n_test=2)
    assert resolve_cifar10_path(explicit) == explicit
    assert load_dataset("cifar10", explicit).source == str(explicit)


@pytest.mark.parametrize("name", ["cifar-10-batches-py-target_archive", "cifar-10-python.tar.gz"])
def test_keras_cache_archive_alone_is_found(tmp_path, no_cifar_anywhere, name):
    # Keras 3's downloaded archive, or the archive from the data set's site put there by hand.
    folder = tmp_path / "b"
    write_cifar_folder(folder, per_batch=2, n_test=2)
    archive = no_cifar_anywhere / name
    archive.parent.mkdir(parents=True)
    write_cifar_archive(archive, folder)
    assert resolve_cifar10_path() == archive
    assert len(load_cifar10().x_train) == 10


def test_missing_places_are_clear_errors(tmp_path, monkeypatch, no_cifar_anywhere):
    with pytest.raises(DataError, match="CIFAR-10 not found: .*nowhere"):
        load_cifar10(tmp_path / "nowhere")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "gone"))
    with pytest.raises(DataError, match=f"{ENV_VAR} points to .*gone, which does not exist"):
        load_cifar10()
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="holds no CIFAR-10 batches"):
        load_cifar10(tmp_path / "empty")


def test_download_failure_is_a_clear_error(monkeypatch, no_cifar_anywhere):
    import keras

    def offline():
        raise OSError("Name or service not known")

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", offline)
    with pytest.raises(DataError, match="Keras could not download it: Name or service"):
        load_cifar10()


def damage(folder, name, record):
    write_pickle(folder / name, record)


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("data_batch_3", "delete", "data_batch_3 is missing"),
        ("test_batch", "garbage", "test_batch is not a CIFAR-10 batch file"),
        ("data_batch_2", "no labels", "data_batch_2 has no labels"),
        ("data_batch_1", "wrong width", r"data has shape \(40, 1024\), expected \(N, 3072\)"),
        ("data_batch_1", "floats", "data has dtype float32, expected uint8"),
        ("data_batch_4", "short labels", "39 labels for 40 images"),
        ("data_batch_5", "label 10", "labels outside 0..9"),
        ("test_batch", "a list", "holds a list, not a dict"),
        ("batches.meta", "cifar100", "does not list the 10 class names"),
        ("batches.meta", "renamed", "not CIFAR-10's"),
    ],
)
def test_malformed_files_are_clear_errors(batches, no_cifar_anywhere, name, change, message):
    folder, written = batches
    images, labels = written.get(name, written["data_batch_1"])
    record = batch_record(images, labels, name)
    if change == "delete":
        (folder / name).unlink()
    elif change == "garbage":
        (folder / name).write_bytes(b"not a pickle at all")
    elif change == "no labels":
        del record[b"labels"]
        damage(folder, name, record)
    elif change == "wrong width":
        record[b"data"] = record[b"data"][:, :1024]
        damage(folder, name, record)
    elif change == "floats":
        record[b"data"] = record[b"data"].astype(np.float32)
        damage(folder, name, record)
    elif change == "short labels":
        record[b"labels"] = record[b"labels"][:-1]
        damage(folder, name, record)
    elif change == "label 10":
        record[b"labels"][0] = 10
        damage(folder, name, record)
    elif change == "a list":
        damage(folder, name, [1, 2, 3])
    elif change == "cifar100":
        damage(folder, name, {b"fine_label_names": [b"apple"] * 100})
    elif change == "renamed":
        damage(folder, name, {b"label_names": [f"class {i}".encode() for i in range(10)]})
    with pytest.raises(DataError, match=message) as info:
        load_cifar10(folder)
    assert str(folder) in str(info.value)


class Boom:
    """Unpickling this would run os.system: the loader must refuse it."""

    def __reduce__(self):
        import os

        return (os.system, ("echo pwned > /dev/null",))


def test_a_pickle_that_runs_code_is_refused(batches, no_cifar_anywhere):
    folder, _ = batches
    (folder / "data_batch_1").write_bytes(pickle.dumps({b"data": Boom()}, protocol=2))
    with pytest.raises(DataError, match="data_batch_1 is not a CIFAR-10 batch file.*system"):
        load_cifar10(folder)


def test_damaged_archive_is_a_clear_error(tmp_path, no_cifar_anywhere):
    bad = tmp_path / "cifar-10-python.tar.gz"
    bad.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(DataError, match="is not a readable CIFAR-10 archive"):
        load_cifar10(bad)
    folder = tmp_path / "b"
    write_cifar_folder(folder, per_batch=2, n_test=2)
    (folder / "test_batch").unlink()
    partial = write_cifar_archive(tmp_path / "partial.tar.gz", folder)
    with pytest.raises(DataError, match="partial.tar.gz has no test_batch"):
        load_cifar10(partial)
