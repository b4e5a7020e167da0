"""The tf.data input pipeline and batch augmentation."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from training.config import Augmentation
from training.pipeline import StatelessDraws, augment_batch, make_dataset, to_model_input


def id_images(n: int) -> np.ndarray:
    """uint8 images whose first pixel is their index, so batches can be traced back."""
    images = np.zeros((n, 28, 28), np.uint8)
    images[:, 0, 0] = np.arange(n)
    return images


def epochs_of(dataset, count: int) -> list[list[np.ndarray]]:
    return [[(x.numpy(), y.numpy()) for x, y in dataset] for _ in range(count)]


def bar_batch(n: int = 16, length: int = 8) -> tf.Tensor:
    """float32 batch of horizontal bars through the image centre."""
    images = np.zeros((n, 28, 28, 1), np.float32)
    images[:, 13:15, 14 - length : 14 + length, 0] = 1.0
    return tf.constant(images)


def moments(images: np.ndarray):
    """Ink mass, centre of mass (x, y) and principal-axis angle (degrees) per image."""
    images = images[..., 0]
    ys, xs = np.mgrid[0:28, 0:28]
    mass = images.sum(axis=(1, 2))
    cx = (images * xs).sum(axis=(1, 2)) / mass
    cy = (images * ys).sum(axis=(1, 2)) / mass
    dx, dy = xs[None] - cx[:, None, None], ys[None] - cy[:, None, None]
    mxx = (images * dx * dx).sum(axis=(1, 2))
    myy = (images * dy * dy).sum(axis=(1, 2))
    mxy = (images * dx * dy).sum(axis=(1, 2))
    angle = 0.5 * np.degrees(np.arctan2(2 * mxy, mxx - myy))
    return mass, cx, cy, angle


def test_to_model_input_scales_uint8_and_adds_channel():
    images = np.array([[[0, 255], [51, 102]]], np.uint8)
    out = to_model_input(images)
    assert out.dtype == np.float32 and out.shape == (1, 2, 2, 1)
    np.testing.assert_allclose(out[0, :, :, 0], [[0.0, 1.0], [0.2, 0.4]])
    floats = np.full((2, 28, 28, 1), 0.5, np.float64)
    assert to_model_input(floats).dtype == np.float32


def test_batches_hold_model_input_in_order():
    images, labels = id_images(70), np.arange(70) % 10
    batches = epochs_of(make_dataset(images, labels, 32), 1)[0]
    assert [len(y) for _, y in batches] == [32, 32, 6]
    x = np.concatenate([b[0] for b in batches])
    y = np.concatenate([b[1] for b in batches])
    assert x.dtype == np.float32 and x.shape == (70, 28, 28, 1)
    assert y.dtype == np.int32
    np.testing.assert_allclose(x, to_model_input(images), rtol=0, atol=1e-7)
    np.testing.assert_array_equal(y, labels)


def test_float_input_is_kept():
    images = to_model_input(id_images(10))
    x, _ = next(iter(make_dataset(images, np.zeros(10), 10)))
    np.testing.assert_array_equal(x.numpy(), images)


def test_shuffle_is_a_new_permutation_every_epoch_and_seeded():
    labels = np.arange(100)
    first, second = epochs_of(make_dataset(id_images(100), labels, 16, shuffle=True, seed=5), 2)
    order1 = np.concatenate([y for _, y in first])
    order2 = np.concatenate([y for _, y in second])
    for order, batches in ((order1, first), (order2, second)):
        np.testing.assert_array_equal(np.sort(order), labels)
        # Images travel with their labels.
        ids = np.concatenate([np.rint(x[:, 0, 0, 0] * 255) for x, _ in batches])
        np.testing.assert_array_equal(ids, order)
    assert not np.array_equal(order1, order2)
    assert not np.array_equal(order1, labels)
    again = epochs_of(make_dataset(id_images(100), labels, 16, shuffle=True, seed=5), 1)[0]
    np.testing.assert_array_equal(np.concatenate([y for _, y in again]), order1)


def test_augmented_batches_stay_valid_and_change():
    images = (bar_batch(40).numpy()[..., 0] * 255).astype(np.uint8)
    augmentation = Augmentation(rotation=20, shift=2, zoom=0.1, thickness=0.3)
    dataset = make_dataset(images, np.arange(40) % 10, 20, augmentation=augmentation, seed=1)
    first, second = epochs_of(dataset, 2)
    for x, _ in first:
        assert x.shape == (20, 28, 28, 1) and x.dtype == np.float32
        assert x.min() >= 0.0 and x.max() <= 1.0 + 1e-6
    np.testing.assert_array_equal(first[0][1], np.arange(20) % 10)
    plain = to_model_input(images[:20])
    assert not np.allclose(first[0][0], plain)
    assert not np.allclose(first[0][0], second[0][0]), "new distortions every epoch"


def test_augmentation_repeats_for_a_seed():
    images = (bar_batch(32).numpy()[..., 0] * 255).astype(np.uint8)
    augmentation = Augmentation(rotation=30, shift=3, zoom=0.2, thickness=0.5)

    def run(seed):
        dataset = make_dataset(
            images, np.zeros(32), 8, shuffle=True, augmentation=augmentation, seed=seed
        )
        return np.concatenate([x for epoch in epochs_of(dataset, 2) for x, _ in epoch])

    np.testing.assert_array_equal(run(3), run(3))
    assert not np.allclose(run(3), run(4))


def test_rotation_turns_within_its_range():
    batch = bar_batch(64)
    out = augment_batch(batch, Augmentation(rotation=20), StatelessDraws([1, 2])).numpy()
    mass, cx, cy, angle = moments(out)
    assert np.abs(angle).max() <= 21.0
    assert np.abs(angle).max() >= 10.0, "some bars turn noticeably"
    np.testing.assert_allclose(cx, 13.5, atol=0.3)
    np.testing.assert_allclose(cy, 13.5, atol=0.3)


def test_shift_moves_within_its_range_without_turning():
    batch = bar_batch(64, length=5)
    out = augment_batch(batch, Augmentation(shift=3), StatelessDraws([3, 4])).numpy()
    mass, cx, cy, angle = moments(out)
    _, cx0, cy0, _ = moments(batch.numpy())
    assert np.abs(cx - cx0).max() <= 3.05 and np.abs(cy - cy0).max() <= 3.05
    assert np.abs(cx - cx0).max() >= 1.5
    np.testing.assert_allclose(angle, 0.0, atol=0.5)
    np.testing.assert_allclose(mass, mass[0], rtol=0.02)


def test_zoom_scales_strokes_within_its_range():
    batch = bar_batch(64, length=6)
    out = augment_batch(batch, Augmentation(zoom=0.2), StatelessDraws([5, 6])).numpy()

    def length(images):
        # Spread of the ink along x, proportional to the bar's length.
        images = images[..., 0]
        xs = np.arange(28)[None, None, :]
        mass = images.sum(axis=(1, 2))
        cx = (images * xs).sum(axis=(1, 2)) / mass
        return np.sqrt((images * (xs - cx[:, None, None]) ** 2).sum(axis=(1, 2)) / mass)

    scale = length(out) / length(batch.numpy())
    assert scale.min() >= 0.78 and scale.max() <= 1.22
    assert scale.min() <= 0.9 and scale.max() >= 1.1, "zooms both in and out"
    np.testing.assert_allclose(moments(out)[3], 0.0, atol=0.5)


def test_thickness_thickens_or_thins_every_stroke_when_certain():
    batch = bar_batch(64, length=6)
    out = augment_batch(batch, Augmentation(thickness=1.0), StatelessDraws([7, 8])).numpy()
    mass0 = moments(batch.numpy())[0]
    mass = moments(out)[0]
    thicker, thinner = mass > mass0 * 1.05, mass < mass0 * 0.95
    assert (thicker | thinner).all()
    assert thicker.any() and thinner.any()
    assert out.min() >= 0.0 and out.max() <= 1.0 + 1e-6


def test_stateless_draws_are_repeatable_and_in_range():
    a = StatelessDraws([1, 2])
    b = StatelessDraws([1, 2])
    first, again = a.uniform([100], -2.0, 3.0), b.uniform([100], -2.0, 3.0)
    np.testing.assert_array_equal(first.numpy(), again.numpy())
    assert first.numpy().min() >= -2.0 and first.numpy().max() < 3.0
    assert not np.array_equal(a.uniform([100]).numpy(), first.numpy())


def test_a_keras_generator_works_too():
    generator = tf.random.Generator.from_seed(0)
    out = augment_batch(bar_batch(4), Augmentation(rotation=10, shift=1), generator)
    assert out.shape == (4, 28, 28, 1)


@pytest.mark.parametrize("count", [1, 33])
def test_small_sets(count):
    dataset = make_dataset(id_images(count), np.zeros(count), 32, shuffle=True)
    assert sum(len(y) for _, y in dataset) == count


def test_window_filter_matches_max_pooling():
    from training.pipeline import _window3x3

    images = tf.constant(np.random.default_rng(2).random((6, 28, 28, 1), dtype=np.float32))
    dilated = _window3x3(images, tf.maximum, 0.0)
    eroded = _window3x3(images, tf.minimum, np.inf)
    np.testing.assert_array_equal(dilated.numpy(), tf.nn.max_pool2d(images, 3, 1, "SAME").numpy())
    np.testing.assert_array_equal(
        eroded.numpy(), (-tf.nn.max_pool2d(-images, 3, 1, "SAME")).numpy()
    )
