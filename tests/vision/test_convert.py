"""One conversion rule for every depth: what the detector reads is what the window shows."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from lenet_desktop.vision import to_display8, to_gray8
from lenet_desktop.vision.convert import to_unit


def twelve_bit_scan() -> np.ndarray:
    """A 12-bit scan stored in 16 bits: paper near 4000, a dark stroke near 300."""
    scan = np.full((40, 60), 4000, np.uint16)
    scan[10:30, 28:32] = 300
    return scan


def test_a_twelve_bit_scan_is_displayed_as_bright_as_it_is_read():
    scan = twelve_bit_scan()
    shown, read = to_display8(scan), to_gray8(scan)
    assert shown.dtype == np.uint8 and shown.shape == scan.shape
    # Paper is near white on screen, not the near black (4000 >> 8 = 15) of keeping the top byte.
    assert shown[0, 0] == round(4000 / 4095 * 255) == 249
    assert shown[20, 30] == round(300 / 4095 * 255)
    np.testing.assert_array_equal(shown, read)


@pytest.mark.parametrize(
    "image",
    [
        np.random.default_rng(0).integers(0, 4096, (8, 9, 3)).astype(np.uint16),
        np.random.default_rng(1).integers(0, 65536, (8, 9, 3)).astype(np.uint16),
        np.random.default_rng(2).random((8, 9, 3)).astype(np.float32),
        np.random.default_rng(3).random((8, 9, 3)).astype(np.float64) * 255,
        np.random.default_rng(4).integers(0, 256, (8, 9, 3)).astype(np.uint8),
    ],
    ids=["12-bit", "16-bit", "unit float", "0-255 float", "8-bit"],
)
def test_colour_shown_turns_into_the_grey_that_is_read(image):
    shown = to_display8(image)
    assert shown.shape == image.shape and shown.dtype == np.uint8
    grey_of_shown = cv2.cvtColor(shown, cv2.COLOR_BGR2GRAY).astype(int)
    assert np.abs(grey_of_shown - to_gray8(image).astype(int)).max() <= 1


def test_transparent_pixels_are_white_paper_in_both():
    bgra = np.zeros((2, 2, 4), np.uint16)
    bgra[..., :3] = 3000
    bgra[0, 0, 3] = 4095  # opaque dark pixel; the others are see-through
    shown = to_display8(bgra)
    assert shown.shape == (2, 2, 3)
    assert shown[1, 1].tolist() == [255, 255, 255]
    assert shown[0, 0].tolist() == [round(3000 / 4095 * 255)] * 3
    np.testing.assert_array_equal(cv2.cvtColor(shown, cv2.COLOR_BGR2GRAY), to_gray8(bgra))


def test_unit_rule_for_each_kind_of_value():
    assert to_unit(np.array([0, 255], np.uint8)).tolist() == [0.0, 1.0]
    assert to_unit(np.array([0, 1023], np.uint16)).tolist() == [0.0, 1.0]  # 10 bits
    assert to_unit(np.array([True, False])).tolist() == [1.0, 0.0]
    assert to_unit(np.array([-5, 255], np.int16)).tolist() == [0.0, 1.0]
    assert to_unit(np.array([0.5, np.nan, np.inf])).tolist() == [0.5, 0.0, 0.0]
    assert to_unit(np.array([0.0, 127.5])).tolist() == [0.0, 0.5]
    assert to_unit(np.array([0.0, 1000.0])).tolist() == [0.0, 1.0]


def test_eight_bit_images_pass_through_untouched():
    grey = np.arange(12, dtype=np.uint8).reshape(3, 4)
    np.testing.assert_array_equal(to_display8(grey), grey)
    with pytest.raises(ValueError, match="grey, BGR or BGRA"):
        to_display8(np.zeros((3, 3, 2), np.uint8))
