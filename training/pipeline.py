"""The ``tf.data`` input pipeline, with augmentation done on whole batches.

Augmentation builds one projective transform per image (rotation, zoom and
shift composed) and applies the batch with a single
``ImageProjectiveTransformV3`` op; stroke thickness is varied by blending
each image with its grey-scale dilation or erosion.
"""

from __future__ import annotations

import math
import os

import numpy as np
import tensorflow as tf

from training import distort
from training.config import Augmentation
from training.transforms import to_model_input  # noqa: F401  (re-exported: TF-free there)

PREFETCH_BATCHES = 8
"""Batches made ready ahead of the model (one group of training steps' worth)."""
AUGMENT_CALLS = max(1, min(4, os.cpu_count() or 1))
"""Batches augmented in parallel."""


def make_dataset(
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int,
    *,
    shuffle: bool = False,
    augmentation: Augmentation | None = None,
    seed: int = 0,
    augmenter=None,
) -> tf.data.Dataset:
    """Batched, prefetched dataset of (image, label) pairs.

    Images stay in memory in their own dtype (uint8 MNIST is a quarter of the
    size of float32) and each batch is gathered by index and converted to
    float32 in one vectorised step, so there is no per-image work in
    ``tf.data``. Augmentation draws stateless random numbers from a seed per
    batch, so it can run in parallel and still repeat exactly for a seed.
    Parallelism and prefetching are fixed rather than autotuned: with
    autotuning, starting a new epoch's iterator now and then stalls for one
    to several seconds on a small CPU.

    Parameters
    ----------
    images : ndarray
        uint8 (N, H, W) or (N, H, W, C), or float (N, H, W, C) in [0, 1]:
        28x28 digits, or 32x32x3 CIFAR-10 images.
    labels : ndarray
        Integer class labels (N,).
    batch_size : int
    shuffle : bool
        Reshuffle every epoch (seeded).
    augmentation : Augmentation, optional
        Random distortions applied to every batch, different every epoch.
    seed : int
    augmenter : callable, optional
        ``augmenter(batch, augmentation, draws)`` distorts a batch instead
        of :func:`augment_batch` (CIFAR-10 uses
        :func:`training.cifar_augment.augment_cifar_batch`).

    Returns
    -------
    tf.data.Dataset
        Batches of float32 (B, H, W, C) images in [0, 1] and int32 labels.
    """
    array = np.asarray(images)
    if array.ndim == 3:
        array = array[..., None]
    if not np.issubdtype(array.dtype, np.integer):
        array = array.astype(np.float32, copy=False)
    x = tf.constant(array)
    y = tf.constant(np.asarray(labels, dtype=np.int32))
    count = len(labels)
    scale = 1.0 / 255.0 if np.issubdtype(array.dtype, np.integer) else 1.0

    def gather(indices):
        batch_x = tf.cast(tf.gather(x, indices), tf.float32)
        if scale != 1.0:
            batch_x = batch_x * scale
        return batch_x, tf.gather(y, indices)

    dataset = tf.data.Dataset.range(count)
    if shuffle:
        dataset = dataset.shuffle(count, seed=seed, reshuffle_each_iteration=True)
    # Gathering a batch is a single cheap op: no need for parallel calls.
    dataset = dataset.batch(batch_size).map(gather)
    if augmentation is not None and augmentation.enabled:
        # One random int64 per batch, different in every epoch and repeatable for a seed.
        batch_seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)

        def augment(batch, batch_seed):
            batch_x, batch_y = batch
            draws = StatelessDraws(tf.stack([batch_seed, tf.constant(seed, tf.int64)]))
            return (augmenter or augment_batch)(batch_x, augmentation, draws), batch_y

        dataset = tf.data.Dataset.zip(dataset, batch_seeds)
        dataset = dataset.map(augment, num_parallel_calls=AUGMENT_CALLS)
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.prefetch(PREFETCH_BATCHES).with_options(options)


class StatelessDraws:
    """Uniform random numbers from a fixed seed, with ``tf.random.Generator``'s ``uniform``.

    Each call folds a counter into the seed, so successive draws differ while
    the whole sequence depends on the seed alone (no shared state, which lets
    ``tf.data`` augment several batches at once, reproducibly).
    """

    def __init__(self, seed) -> None:
        self.seed = tf.cast(seed, tf.int64)
        self.calls = 0

    def uniform(self, shape, minval=0.0, maxval=1.0) -> tf.Tensor:
        """float32 values drawn uniformly from [minval, maxval)."""
        self.calls += 1
        seed = tf.random.experimental.stateless_fold_in(self.seed, self.calls)
        return tf.random.stateless_uniform(shape, seed=seed, minval=minval, maxval=maxval)


def augment_batch(images: tf.Tensor, augmentation: Augmentation, generator) -> tf.Tensor:
    """Apply random thickness change, rotation, zoom, shift and the real-variation distortions.

    Slant, aspect and the elastic field join the one resampling of the
    affine map; blur, low resolution and binarisation follow
    (:mod:`training.distort`). Draws for a distortion are made only when it
    is on, so a setting without them repeats earlier results exactly.

    Parameters
    ----------
    images : tf.Tensor
        float32 (B, 28, 28, 1) in [0, 1].
    augmentation : Augmentation
    generator : tf.random.Generator or StatelessDraws
        Source of the random draws (anything with ``uniform(shape, minval, maxval)``).

    Returns
    -------
    tf.Tensor
        The distorted batch, same shape, still in [0, 1].
    """
    n = tf.shape(images)[0]
    if augmentation.thickness > 0:
        images = _vary_thickness(images, augmentation.thickness, generator, n)
    angle = generator.uniform([n], -1.0, 1.0) * (augmentation.rotation * math.pi / 180.0)
    scale = 1.0 + generator.uniform([n], -1.0, 1.0) * augmentation.zoom
    tx = generator.uniform([n], -1.0, 1.0) * augmentation.shift
    ty = generator.uniform([n], -1.0, 1.0) * augmentation.shift
    # Inverse map (output pixel -> input pixel): p_in = M p_out + c - M (c + t),
    # with M = R(-angle) / scale and c the image centre.
    cos, sin = tf.cos(angle) / scale, tf.sin(angle) / scale
    centre = 13.5
    a0, a1 = cos, sin
    b0, b1 = -sin, cos
    if augmentation.aspect > 0:
        # Width by `stretch`, height by 1 / stretch: the inverse map divides x, multiplies y.
        stretch = 1.0 + generator.uniform([n], -1.0, 1.0) * augmentation.aspect
        a0, a1, b0, b1 = a0 / stretch, a1 / stretch, b0 * stretch, b1 * stretch
    if augmentation.shear > 0:
        # Forward x' = x + s (c - y) (tops lean right for s > 0); inverse adds s (y' - c).
        slant = generator.uniform([n], -1.0, 1.0) * augmentation.shear
        a0, a1 = a0 + slant * b0, a1 + slant * b1
    a2 = centre - (a0 * (centre + tx) + a1 * (centre + ty))
    b2 = centre - (b0 * (centre + tx) + b1 * (centre + ty))
    zeros = tf.zeros_like(a0)
    transforms = tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)
    field = None
    if augmentation.elastic > 0:
        field = distort.elastic_field(n, augmentation.elastic, generator)
    images = distort.warp(images, transforms, field)
    if augmentation.blur > 0:
        images = distort.blur(images, augmentation.blur, generator)
    if augmentation.low_res > 0:
        images = distort.low_resolution(images, augmentation.low_res, generator)
    if augmentation.blur > 0 or augmentation.low_res > 0:
        images = distort.full_white(images)
    if augmentation.binarise > 0:
        images = distort.binarise(images, augmentation.binarise, generator)
    return images


def _vary_thickness(images, probability, generator, n):
    # Each image is thickened with probability p/2, thinned with probability
    # p/2, by blending it part-way towards its 3x3 grey-scale dilation or
    # erosion.
    choice = generator.uniform([n, 1, 1, 1])
    amount = generator.uniform([n, 1, 1, 1], 0.3, 1.0)
    thicker = choice < probability / 2
    thinner = tf.logical_and(choice >= probability / 2, choice < probability)
    # Filter only the images that change (a fraction p of the batch).
    chosen = tf.where(tf.reshape(tf.logical_or(thicker, thinner), [-1]))[:, 0]
    subset = tf.gather(images, chosen)
    dilated = _window3x3(subset, tf.maximum, 0.0)
    eroded = _window3x3(subset, tf.minimum, math.inf)
    target = tf.where(tf.gather(thicker, chosen), dilated, eroded)
    changed = subset + tf.gather(amount, chosen) * (target - subset)
    return tf.tensor_scatter_nd_update(images, chosen[:, None], changed)


def _window3x3(images, reduce, fill):
    """3x3 maximum or minimum filter, done as two 3-tap passes over shifted slices.

    Same result as ``max_pool2d(images, 3, 1, "SAME")`` (and its erosion
    counterpart) for images >= 0, at about 70% of its cost for one channel.
    """
    padded = tf.pad(images, [[0, 0], [1, 1], [1, 1], [0, 0]], constant_values=fill)
    rows = reduce(reduce(padded[:, :-2], padded[:, 1:-1]), padded[:, 2:])
    return reduce(reduce(rows[:, :, :-2], rows[:, :, 1:-1]), rows[:, :, 2:])
