"""Geometric transforms of 28x28 digit images (rotate, shift, flip).

Used for the robustness figures of a model and by the app's rotate / shift /
flip explorer, so both apply exactly the same distortion: rotation about the
image centre with bilinear interpolation, shifts in pixels, zeros (background)
filling whatever moves in from outside.
"""

from __future__ import annotations

import cv2
import numpy as np

CENTRE = (13.5, 13.5)


def to_model_input(images: np.ndarray) -> np.ndarray:
    """uint8 images (N, 28, 28) to float32 model input (N, 28, 28, 1) in [0, 1].

    Images that already have a channel axis (N, H, W, C) keep their shape.
    """
    array = np.asarray(images)
    if array.ndim == 3:
        array = array[..., None]
    if np.issubdtype(array.dtype, np.integer):
        return array.astype(np.float32) / 255.0
    return array.astype(np.float32, copy=False)


def affine_matrix(angle: float = 0.0, dx: float = 0.0, dy: float = 0.0) -> np.ndarray:
    """2x3 matrix that rotates by ``angle`` degrees (counter-clockwise) about
    the centre of a 28x28 image, then shifts by ``(dx, dy)`` pixels."""
    matrix = cv2.getRotationMatrix2D(CENTRE, float(angle), 1.0)
    matrix[0, 2] += dx
    matrix[1, 2] += dy
    return matrix


def transform(
    images: np.ndarray,
    angle: float | np.ndarray = 0.0,
    dx: float | np.ndarray = 0.0,
    dy: float | np.ndarray = 0.0,
    flip: bool | np.ndarray = False,
) -> np.ndarray:
    """Flip (horizontally), rotate and shift a batch of 28x28 images.

    Parameters
    ----------
    images : ndarray
        Shape (28, 28), (N, 28, 28) or (N, 28, 28, 1); any real dtype.
    angle, dx, dy : float or ndarray of shape (N,)
        Rotation in degrees (counter-clockwise) and shift in pixels (x to the
        right, y down), one value for all images or one per image.
    flip : bool or ndarray of shape (N,)
        Mirror left-right before rotating.

    Returns
    -------
    ndarray
        Same shape and dtype as ``images``.
    """
    array = np.asarray(images)
    single = array.ndim == 2
    batch = array[None] if single else array
    squeeze_channel = batch.ndim == 4
    if squeeze_channel:
        batch = batch[..., 0]
    if batch.ndim != 3 or batch.shape[1:] != (28, 28):
        raise ValueError(f"expected 28x28 images, got shape {array.shape}")
    n = len(batch)
    angles = np.broadcast_to(np.asarray(angle, dtype=np.float64), (n,))
    dxs = np.broadcast_to(np.asarray(dx, dtype=np.float64), (n,))
    dys = np.broadcast_to(np.asarray(dy, dtype=np.float64), (n,))
    flips = np.broadcast_to(np.asarray(flip, dtype=bool), (n,))
    work = batch.astype(np.float32, copy=False)
    out = np.empty(work.shape, dtype=np.float32)
    for i in range(n):
        image = work[i, :, ::-1] if flips[i] else work[i]
        if angles[i] == 0 and dxs[i] == 0 and dys[i] == 0:
            out[i] = image
            continue
        out[i] = cv2.warpAffine(
            np.ascontiguousarray(image),
            affine_matrix(angles[i], dxs[i], dys[i]),
            (28, 28),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=0,
        )
    if np.issubdtype(array.dtype, np.integer):
        info = np.iinfo(array.dtype)
        out = np.clip(np.rint(out), info.min, info.max)
    out = out.astype(array.dtype, copy=False)
    if squeeze_channel:
        out = out[..., None]
    return out[0] if single else out


def random_rotation(images: np.ndarray, max_degrees: float, seed: int = 0) -> np.ndarray:
    """Rotate each image by an angle drawn uniformly from ±``max_degrees``."""
    rng = np.random.default_rng(seed)
    angles = rng.uniform(-max_degrees, max_degrees, size=len(images))
    return transform(images, angle=angles)


def random_shift(images: np.ndarray, max_pixels: int, axis: str = "x", seed: int = 0) -> np.ndarray:
    """Shift each image by a whole number of pixels drawn uniformly from ±``max_pixels``.

    ``axis`` is ``"x"`` (horizontal), ``"y"`` (vertical) or ``"xy"`` (both,
    drawn independently).
    """
    if axis not in ("x", "y", "xy"):
        raise ValueError(f"axis must be 'x', 'y' or 'xy', not {axis!r}")
    rng = np.random.default_rng(seed)
    n = len(images)
    dx = rng.integers(-max_pixels, max_pixels + 1, size=n) if "x" in axis else 0
    dy = rng.integers(-max_pixels, max_pixels + 1, size=n) if "y" in axis else 0
    return transform(images, dx=dx, dy=dy)


def flip_horizontal(images: np.ndarray) -> np.ndarray:
    """Mirror each image left to right."""
    return transform(images, flip=True)
