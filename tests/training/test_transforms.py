"""Rotate, shift and flip of 28x28 digits (shared by robustness figures and the app)."""

from __future__ import annotations

import numpy as np
import pytest

from training.transforms import (
    affine_matrix,
    flip_horizontal,
    random_rotation,
    random_shift,
    transform,
)


def blob_images(n: int = 5, seed: int = 0) -> np.ndarray:
    """uint8 images with a random asymmetric blob away from the border."""
    rng = np.random.default_rng(seed)
    images = np.zeros((n, 28, 28), np.uint8)
    images[:, 8:20, 8:20] = rng.integers(0, 256, size=(n, 12, 12), dtype=np.uint8)
    return images


def test_identity_leaves_images_unchanged():
    images = blob_images()
    np.testing.assert_array_equal(transform(images), images)
    np.testing.assert_array_equal(transform(images, angle=360.0), images)


def test_flip_mirrors_left_to_right():
    images = blob_images()
    np.testing.assert_array_equal(flip_horizontal(images), images[:, :, ::-1])
    np.testing.assert_array_equal(flip_horizontal(flip_horizontal(images)), images)


def test_whole_pixel_shift_moves_pixels_exactly():
    images = blob_images()
    moved = transform(images, dx=3, dy=-2)
    expected = np.zeros_like(images)
    expected[:, :-2, 3:] = images[:, 2:, :-3]
    np.testing.assert_array_equal(moved, expected)


def test_quarter_turn_is_counter_clockwise_and_exact():
    images = blob_images()
    np.testing.assert_array_equal(transform(images, angle=90.0), np.rot90(images, 1, axes=(1, 2)))
    np.testing.assert_array_equal(transform(images, angle=-90.0), np.rot90(images, -1, axes=(1, 2)))


def test_rotation_keeps_the_centre_fixed():
    matrix = affine_matrix(angle=37.0)
    centre = np.array([13.5, 13.5, 1.0])
    np.testing.assert_allclose(matrix @ centre, [13.5, 13.5], atol=1e-9)
    np.testing.assert_allclose(affine_matrix(dx=2, dy=-1) @ centre, [15.5, 12.5], atol=1e-9)


def test_per_image_parameters_and_flip_before_rotation():
    images = blob_images(3)
    out = transform(images, angle=[0.0, 90.0, 0.0], dx=[1, 0, 0], flip=[False, False, True])
    np.testing.assert_array_equal(out[0], transform(images[0], dx=1))
    np.testing.assert_array_equal(out[1], np.rot90(images[1]))
    np.testing.assert_array_equal(out[2], images[2, :, ::-1])
    flipped_then_turned = transform(images[:1], angle=90.0, flip=True)
    np.testing.assert_array_equal(flipped_then_turned[0], np.rot90(images[0, :, ::-1]))


@pytest.mark.parametrize("shape", [(28, 28), (4, 28, 28), (4, 28, 28, 1)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_shape_and_dtype_are_kept(shape, dtype):
    images = np.random.default_rng(1).random(shape).astype(dtype)
    out = transform(images, angle=12.0, dx=1.5)
    assert out.shape == shape and out.dtype == dtype


def test_uint8_results_are_rounded_and_clipped():
    images = np.full((1, 28, 28), 255, np.uint8)
    out = transform(images, angle=45.0)
    assert out.dtype == np.uint8
    assert out.max() == 255 and out[0, 14, 14] == 255
    assert out[0, 0, 0] == 0  # a corner rotates in from outside the image


def test_bad_shape_is_refused():
    with pytest.raises(ValueError, match="28x28"):
        transform(np.zeros((2, 32, 32), np.uint8))


def test_random_rotation_is_seeded_and_within_range():
    images = blob_images(20)
    first = random_rotation(images, 30.0, seed=4)
    np.testing.assert_array_equal(first, random_rotation(images, 30.0, seed=4))
    assert not np.array_equal(first, random_rotation(images, 30.0, seed=5))
    angles = np.random.default_rng(4).uniform(-30.0, 30.0, size=20)
    np.testing.assert_array_equal(first, transform(images, angle=angles))


def test_random_shift_uses_whole_pixels_within_range():
    images = blob_images(30)
    shifted = random_shift(images, 3, "x", seed=2)
    for original, moved in zip(images, shifted, strict=True):
        matches = [dx for dx in range(-3, 4) if np.array_equal(moved, transform(original, dx=dx))]
        assert matches, "each image moves by a whole number of pixels within ±3"
    vertical = random_shift(images, 2, "y", seed=2)
    # A vertical shift keeps every column's total ink.
    np.testing.assert_array_equal(vertical.astype(int).sum(axis=1), images.astype(int).sum(axis=1))


def test_random_shift_axis_is_checked():
    with pytest.raises(ValueError, match="axis"):
        random_shift(blob_images(), 2, "z")
