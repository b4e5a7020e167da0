"""The user's own handwriting dataset: add, list, delete, load; atomic and crash-tolerant."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_desktop.userdata import UserDataset, default_dataset, to_uint8


def digit(seed: int) -> np.ndarray:
    """A random float 28x28 image in [0, 1]."""
    return np.random.default_rng(seed).random((28, 28), dtype=np.float32)


def test_add_then_load_round_trips_pixels_and_labels(tmp_path):
    dataset = UserDataset(tmp_path / "samples")
    images = [digit(i) for i in range(3)]
    for image, label in zip(images, (7, 0, 7), strict=True):
        dataset.add(image, label)

    x, y = dataset.load_arrays()

    assert x.dtype == np.uint8 and x.shape == (3, 28, 28)
    assert sorted(y.tolist()) == [0, 7, 7]
    expected = {to_uint8(image).tobytes() for image in images}
    assert {row.tobytes() for row in x} == expected
    assert dataset.counts() == [1, 0, 0, 0, 0, 0, 0, 2, 0, 0]
    assert len(dataset) == 3


def test_add_accepts_uint8_and_channel_axis(tmp_path):
    dataset = UserDataset(tmp_path)
    image = (digit(5) * 255).astype(np.uint8)
    sample = dataset.add(image[..., None], 3)
    assert sample.label == 3
    assert np.array_equal(dataset.load_image(sample), image)


@pytest.mark.parametrize("label", [-1, 10, 2.5, True])
def test_bad_label_is_refused_and_nothing_written(tmp_path, label):
    dataset = UserDataset(tmp_path)
    with pytest.raises(ValueError, match="label"):
        dataset.add(digit(0), label)
    assert list(tmp_path.iterdir()) == []


def test_bad_shape_is_refused(tmp_path):
    with pytest.raises(ValueError, match="28x28"):
        UserDataset(tmp_path).add(np.zeros((20, 20)), 1)


def test_listing_ignores_temporary_and_foreign_files(tmp_path):
    dataset = UserDataset(tmp_path)
    kept = dataset.add(digit(1), 4)
    # What a crash in the middle of write_atomic leaves behind, and unrelated files.
    (tmp_path / f".4_{'a' * 32}.png.k2j3h4.tmp").write_bytes(b"\x89PNG half")
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "12_abc.png").write_bytes(b"")

    assert [s.path for s in dataset.samples()] == [kept.path]
    assert len(dataset.load_arrays()[0]) == 1


def test_unreadable_sample_is_skipped_when_loading(tmp_path):
    dataset = UserDataset(tmp_path)
    dataset.add(digit(2), 1)
    (tmp_path / f"5_{'b' * 32}.png").write_bytes(b"not a png")

    x, y = dataset.load_arrays()

    assert y.tolist() == [1]
    assert len(dataset.samples()) == 2


def test_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    dataset = UserDataset(tmp_path)
    dataset.add(digit(3), 2)

    def crash(path, data):
        raise OSError("disk full")

    monkeypatch.setattr("lenet_desktop.userdata.write_bytes_atomic", crash)
    with pytest.raises(OSError, match="disk full"):
        dataset.add(digit(4), 9)
    assert [s.label for s in dataset.samples()] == [2]


def test_crash_inside_the_atomic_writer_removes_its_temporary_file(tmp_path, monkeypatch):
    import training.atomic

    dataset = UserDataset(tmp_path)

    def failing_fsync(fd):
        raise OSError("I/O error")

    monkeypatch.setattr(training.atomic.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="I/O error"):
        dataset.add(digit(6), 8)
    assert list(tmp_path.iterdir()) == []


def test_delete_removes_only_the_given_samples(tmp_path):
    dataset = UserDataset(tmp_path)
    first = dataset.add(digit(1), 1)
    second = dataset.add(digit(2), 2)

    assert dataset.delete([first]) == 1
    assert dataset.delete([first]) == 0
    assert [s.sample_id for s in dataset.samples()] == [second.sample_id]


def test_missing_folder_is_an_empty_dataset(tmp_path):
    dataset = UserDataset(tmp_path / "never-created")
    x, y = dataset.load_arrays()
    assert x.shape == (0, 28, 28) and y.shape == (0,)
    assert dataset.samples() == []


def test_default_dataset_lives_in_the_xdg_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    dataset = default_dataset()
    assert dataset.folder == tmp_path / "lenet-desktop" / "samples"
    dataset.add(digit(0), 0)
    assert len(list(dataset.folder.glob("0_*.png"))) == 1


def test_a_file_where_the_samples_folder_should_be_is_said_in_words(tmp_path, monkeypatch):
    from lenet_desktop.paths import DataFolderError

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    (tmp_path / "lenet-desktop").write_text("in the way")
    dataset = default_dataset()  # made without touching the disk
    assert dataset.samples() == [] and len(dataset) == 0
    with pytest.raises(DataFolderError, match="is a file, not a folder"):
        dataset.add(digit(1), 1)
    assert (tmp_path / "lenet-desktop").read_text() == "in the way"


def write_sample_file(folder, label: int, data: bytes, n: int):
    path = folder / f"{label}_{n:032x}.png"
    path.write_bytes(data)
    return path


def test_unreadable_samples_are_listed_with_why_and_not_counted(tmp_path):
    import cv2

    dataset = UserDataset(tmp_path)
    good = [dataset.add(digit(i), i) for i in range(3)]
    ok, big = cv2.imencode(".png", np.zeros((40, 30), np.uint8))
    assert ok
    write_sample_file(tmp_path, 4, b"", 1)
    write_sample_file(tmp_path, 5, b"\x89PNG\r\n garbage", 2)
    write_sample_file(tmp_path, 6, big.tobytes(), 3)
    write_sample_file(tmp_path, 7, b"\0" * 100_000, 4)

    scan = dataset.scan()

    assert [s.sample_id for s, _pixels in scan.usable] == [s.sample_id for s in good]
    reasons = {bad.sample.label: bad.reason for bad in scan.unreadable}
    assert reasons == {
        4: "the file is empty",
        5: "not a readable PNG image",
        6: "the image is 30x40, not 28x28",
        7: "the file is 100,000 bytes, too large for a 28x28 sample",
    }
    assert len(dataset) == 3
    assert dataset.counts() == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert len(dataset.load_arrays()[0]) == 3
    assert dataset.delete([bad.sample for bad in scan.unreadable]) == 4
    assert dataset.scan().unreadable == [] and len(dataset.samples()) == 3
