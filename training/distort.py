"""Batch distortions that model real handwriting and real scans (TensorFlow, on whole batches).

Used by :func:`training.pipeline.augment_batch` after the stroke-thickness
change:

- :func:`warp`: one resampling per image of an affine map (rotation, zoom,
  shift, slant/shear, aspect) plus, optionally, an elastic displacement field
  (Simard, Steinkraus and Platt 2003: uniform random displacements smoothed by
  a Gaussian of :data:`ELASTIC_SIGMA` pixels, scaled by ``alpha``);
- :func:`blur`: part-way towards a Gaussian blur (an out-of-focus scan);
- :func:`low_resolution`: the 20x20 digit down to 16x16 and back (a
  low-resolution scan upsampled);
- :func:`binarise`: a thresholded scan.

Each of the last three happens to an image with a given probability.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

ELASTIC_SIGMA = 4.0
"""Smoothing of the elastic field in pixels (Simard et al. use 4 on 28x28 digits)."""
LOW_SIDE = 22
"""The 28x28 field at which the 20x20 digit is 16x16 pixels."""
SIZE = 28


def _gaussian_kernel(sigma: float) -> np.ndarray:
    radius = int(np.ceil(2.5 * sigma))
    x = np.arange(-radius, radius + 1, dtype=np.float32)
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def _smooth(field: tf.Tensor, sigma: float) -> tf.Tensor:
    """Separable Gaussian smoothing of (B, H, W, C) with zero padding."""
    kernel = tf.constant(_gaussian_kernel(sigma))
    channels = field.shape[-1]
    rows = tf.tile(tf.reshape(kernel, [-1, 1, 1, 1]), [1, 1, channels, 1])
    cols = tf.tile(tf.reshape(kernel, [1, -1, 1, 1]), [1, 1, channels, 1])
    field = tf.nn.depthwise_conv2d(field, rows, [1, 1, 1, 1], "SAME")
    return tf.nn.depthwise_conv2d(field, cols, [1, 1, 1, 1], "SAME")


def elastic_field(n, alpha: float, generator) -> tf.Tensor:
    """(B, 28, 28, 2) displacements (x, y) in pixels: smoothed uniform noise times U(0, alpha)."""
    noise = generator.uniform([n, SIZE, SIZE, 2], -1.0, 1.0)
    strength = generator.uniform([n, 1, 1, 1], 0.0, 1.0) * alpha
    return _smooth(noise, ELASTIC_SIGMA) * strength


def sample_bilinear(images: tf.Tensor, xs: tf.Tensor, ys: tf.Tensor) -> tf.Tensor:
    """Images (B, H, W, 1) read at pixel coordinates ``xs``, ``ys`` (B, H, W); 0 outside."""
    shape = tf.shape(images)
    b, h, w = shape[0], shape[1], shape[2]
    flat = tf.reshape(images, [-1])
    x0, y0 = tf.floor(xs), tf.floor(ys)
    fx, fy = xs - x0, ys - y0
    x0, y0 = tf.cast(x0, tf.int32), tf.cast(y0, tf.int32)
    base = tf.reshape(tf.range(b) * h * w, [-1, 1, 1])

    def tap(x, y):
        inside = (x >= 0) & (x < w) & (y >= 0) & (y < h)
        index = base + tf.clip_by_value(y, 0, h - 1) * w + tf.clip_by_value(x, 0, w - 1)
        return tf.where(inside, tf.gather(flat, index), 0.0)

    top = tap(x0, y0) * (1 - fx) + tap(x0 + 1, y0) * fx
    bottom = tap(x0, y0 + 1) * (1 - fx) + tap(x0 + 1, y0 + 1) * fx
    return (top * (1 - fy) + bottom * fy)[..., None]


def warp(images: tf.Tensor, transforms: tf.Tensor, field: tf.Tensor | None) -> tf.Tensor:
    """Resample each image through its inverse affine map (B, 8) plus a displacement field.

    ``transforms`` rows are ``[a0, a1, a2, b0, b1, b2, 0, 0]``: the output
    pixel (x, y) reads the input at ``(a0 x + a1 y + a2, b0 x + b1 y + b2)``
    (as ``ImageProjectiveTransformV3``), moved by ``field`` (B, 28, 28, 2).
    """
    if field is None:
        return tf.raw_ops.ImageProjectiveTransformV3(
            images=images,
            transforms=transforms,
            output_shape=tf.constant([SIZE, SIZE], dtype=tf.int32),
            fill_value=0.0,
            interpolation="BILINEAR",
            fill_mode="CONSTANT",
        )
    ys, xs = tf.meshgrid(
        tf.range(SIZE, dtype=tf.float32), tf.range(SIZE, dtype=tf.float32), indexing="ij"
    )
    t = [tf.reshape(transforms[:, i], [-1, 1, 1]) for i in range(6)]
    x_in = t[0] * xs + t[1] * ys + t[2] + field[..., 0]
    y_in = t[3] * xs + t[4] * ys + t[5] + field[..., 1]
    return sample_bilinear(images, x_in, y_in)


def _chosen(n, probability: float, generator) -> tf.Tensor:
    return tf.cast(generator.uniform([n, 1, 1, 1]) < probability, tf.float32)


def full_white(images: tf.Tensor) -> tf.Tensor:
    """Each image scaled so its brightest pixel is 1, as the app's preprocessing leaves it."""
    peak = tf.reduce_max(images, axis=[1, 2, 3], keepdims=True)
    return tf.where(peak > 0, images / tf.maximum(peak, 1e-6), images)


def blur(images: tf.Tensor, probability: float, generator) -> tf.Tensor:
    """With ``probability``, blend an image part-way into its sigma-1 blur."""
    n = tf.shape(images)[0]
    amount = generator.uniform([n, 1, 1, 1], 0.2, 0.7) * _chosen(n, probability, generator)
    blurred = _smooth(images, 1.0)
    return images + amount * (blurred - images)


def low_resolution(images: tf.Tensor, probability: float, generator) -> tf.Tensor:
    """With ``probability``, an image is shrunk so its 20x20 digit is 16x16, then enlarged."""
    n = tf.shape(images)[0]
    chosen = _chosen(n, probability, generator)
    small = tf.image.resize(images, [LOW_SIDE, LOW_SIDE], method="area")
    back = tf.image.resize(small, [SIZE, SIZE], method="bilinear")
    return images + chosen * (tf.clip_by_value(back, 0.0, 1.0) - images)


def binarise(images: tf.Tensor, probability: float, generator) -> tf.Tensor:
    """With ``probability``, an image is thresholded at a level drawn from U(0.3, 0.6)."""
    n = tf.shape(images)[0]
    chosen = _chosen(n, probability, generator)
    level = generator.uniform([n, 1, 1, 1], 0.3, 0.6)
    binary = tf.cast(images >= level, tf.float32)
    return images + chosen * (binary - images)
