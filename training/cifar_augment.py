"""Augmentation of CIFAR-10 batches: a random horizontal flip and a random shift.

This is the standard augmentation for small colour photos (a mirrored
airplane is still an airplane; a shift is the usual pad-and-crop). The digit
distortions of :mod:`training.pipeline` (stroke thickness, rotation, zoom)
are not used on colour images.
"""

from __future__ import annotations

import math

import tensorflow as tf

from training.config import Augmentation

FLIP_PROBABILITY = 0.5


def augment_cifar_batch(images: tf.Tensor, augmentation: Augmentation, generator) -> tf.Tensor:
    """Mirror about half the images left to right and shift each by whole pixels.

    Parameters
    ----------
    images : tf.Tensor
        float32 (B, H, W, C) in [0, 1].
    augmentation : Augmentation
        Only ``shift`` is used: each image moves by integers drawn uniformly
        from ±``floor(shift)`` pixels along x and y; what moves in is black
        (zero padding, as pad-and-random-crop gives).
    generator : tf.random.Generator or training.pipeline.StatelessDraws
        Source of the random draws (anything with ``uniform(shape, minval, maxval)``).

    Returns
    -------
    tf.Tensor
        The augmented batch, same shape.
    """
    n = tf.shape(images)[0]
    flip = generator.uniform([n, 1, 1, 1]) < FLIP_PROBABILITY
    images = tf.where(flip, tf.reverse(images, axis=[2]), images)
    limit = math.floor(augmentation.shift)
    if limit < 1:
        return images
    span = float(2 * limit + 1)
    dx = tf.floor(generator.uniform([n], 0.0, span)) - limit
    dy = tf.floor(generator.uniform([n], 0.0, span)) - limit
    ones, zeros = tf.ones_like(dx), tf.zeros_like(dx)
    # The transform maps each output pixel to the input pixel it shows: (x - dx, y - dy).
    transforms = tf.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], axis=1)
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images,
        transforms=transforms,
        output_shape=tf.shape(images)[1:3],
        fill_value=0.0,
        interpolation="NEAREST",
        fill_mode="CONSTANT",
    )
