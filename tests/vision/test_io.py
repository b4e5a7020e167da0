"""Reading image files: depth and alpha kept, clear errors for everything else."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from lenet_desktop.vision.io import ImageReadError, read_image


def _write(path, image, ext):
    ok, data = cv2.imencode(ext, image)
    assert ok
    path.write_bytes(data.tobytes())
    return path


def test_reads_grey_colour_sixteen_bit_and_alpha_unchanged(tmp_path):
    grey = np.arange(64, dtype=np.uint8).reshape(8, 8)
    deep = (np.arange(64, dtype=np.uint16) * 1000).reshape(8, 8)
    bgra = np.dstack([grey, grey, grey, 255 - grey])
    for name, image in {"grey": grey, "deep": deep, "bgra": bgra}.items():
        read = read_image(_write(tmp_path / f"{name}.png", image, ".png"))
        assert read.dtype == image.dtype and read.shape == image.shape
        np.testing.assert_array_equal(read, image)
    jpeg = read_image(_write(tmp_path / "photo.jpg", np.dstack([grey] * 3), ".jpg"))
    assert jpeg.shape == (8, 8, 3) and jpeg.dtype == np.uint8


def test_unusual_characters_in_the_path(tmp_path):
    path = _write(tmp_path / "ziffern 2026 – ä.png", np.zeros((4, 4), np.uint8), ".png")
    assert read_image(path).shape == (4, 4)


def test_missing_empty_directory_and_non_image_files_are_clear_errors(tmp_path):
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "notes.png").write_text("not an image")
    (tmp_path / "folder").mkdir()
    cases = {
        "missing.png": "no such file",
        "empty.png": "empty",
        "notes.png": "not an image",
        "folder": "not a file",
    }
    for name, reason in cases.items():
        with pytest.raises(ImageReadError, match=reason) as caught:
            read_image(tmp_path / name)
        assert isinstance(caught.value, ValueError)
        assert caught.value.path == tmp_path / name
        assert reason in caught.value.reason
        assert str(tmp_path / name) in str(caught.value)
