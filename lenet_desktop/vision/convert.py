"""Any image array to 8 bits, with one rule for every depth: for detection and for display.

Photos, scans and frames arrive as 8, 10, 12, 14 or 16-bit integers, as floats
(in [0, 1] or in [0, 255]), as bool masks, grey or BGR, with or without alpha.
:func:`to_unit` is the one rule that maps each of them to [0, 1];
:func:`to_gray8` (what the vision code reads) and :func:`to_display8` (what the
window shows, colour kept) are both built on it, so an image is never seen one
way by the detector and another way by the user. A 12-bit scan stored in 16
bits, for instance, reaches full white in both.
"""

from __future__ import annotations

import cv2
import numpy as np

COMMON_DEPTHS = (8, 10, 12, 14, 16, 32, 64)
"""Bit depths an integer image is assumed to use: the smallest one that holds its values."""


def _checked(image: np.ndarray) -> np.ndarray:
    """``image`` as an array of a supported shape and dtype (a trailing channel of 1 dropped)."""
    array = np.asarray(image)
    if array.dtype == object or np.iscomplexobj(array) or array.dtype.kind not in "biuf":
        raise ValueError(f"unsupported image dtype {array.dtype}")
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ValueError(f"expected a grey, BGR or BGRA image, got shape {array.shape}")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError("the image is empty")
    return array


def to_unit(array: np.ndarray) -> np.ndarray:
    """Pixel values of any dtype as float32 in [0, 1], by the rule every conversion shares.

    Parameters
    ----------
    array : ndarray
        bool, integer or float values (any shape; channels are scaled alike).

    Returns
    -------
    ndarray
        float32 of the same shape. Integers are divided by the largest value of
        the smallest common bit depth (:data:`COMMON_DEPTHS`) that holds their
        maximum, so 8-bit 255, 12-bit 4095 and 16-bit 65535 are all 1.0 and a
        12-bit scan stored in 16 bits keeps its contrast; negative integers
        count as 0. Floats up to 1 are taken as they are, floats up to 255 as
        8-bit levels, larger ones are scaled by their maximum; NaN and
        infinities count as 0.
    """
    array = np.asarray(array)
    if array.dtype == bool:
        return array.astype(np.float32)
    if np.issubdtype(array.dtype, np.integer):
        if np.iinfo(array.dtype).min < 0:
            array = np.clip(array, 0, None)
        top = float(array.max(initial=0))
        for bits in COMMON_DEPTHS:
            if top <= 2.0**bits - 1:
                top = 2.0**bits - 1
                break
        return (array.astype(np.float64) / top).astype(np.float32)
    work = np.nan_to_num(array.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    top = work.max(initial=0.0)
    if top > 1.0:
        work = work / (255.0 if top <= 255.0 else top)
    return np.clip(work, 0.0, 1.0).astype(np.float32)


def _unit_to_uint8(unit: np.ndarray) -> np.ndarray:
    return np.clip(unit * 255.0 + 0.5, 0, 255).astype(np.uint8)


def _on_white_paper(colour: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Composite ``colour`` (unit floats) over white: see-through pixels are paper."""
    if colour.ndim == 3:
        alpha = alpha[:, :, None]
    return colour * alpha + (1.0 - alpha)


def to_gray8(image: np.ndarray) -> np.ndarray:
    """Any 2-D or 3-D image array to uint8 grey.

    Accepts bool, integer (8/16/32-bit) or float arrays; grey (H, W) or
    (H, W, 1), BGR (H, W, 3) or BGRA (H, W, 4) where transparent pixels count
    as white paper. Values are scaled by :func:`to_unit`.

    Raises
    ------
    ValueError
        For arrays that are not images (wrong number of dimensions or
        channels, empty, complex or object dtype).
    """
    array = _checked(image)
    if array.dtype == np.uint8:
        if array.ndim == 2:
            return np.ascontiguousarray(array)
        if array.shape[2] == 3:
            return cv2.cvtColor(np.ascontiguousarray(array), cv2.COLOR_BGR2GRAY)
        if bool((array[:, :, 3] == 255).all()):
            return cv2.cvtColor(np.ascontiguousarray(array), cv2.COLOR_BGRA2GRAY)
    alpha = None
    if array.ndim == 3 and array.shape[2] == 4:
        alpha = to_unit(array[:, :, 3])
        array = array[:, :, :3]
    unit = to_unit(array)
    if unit.ndim == 3:
        unit = cv2.cvtColor(np.ascontiguousarray(unit), cv2.COLOR_BGR2GRAY)
    if alpha is not None:
        unit = _on_white_paper(unit, alpha)
    return _unit_to_uint8(unit)


def to_display8(image: np.ndarray) -> np.ndarray:
    """Any image :func:`to_gray8` accepts, as uint8 grey (H, W) or BGR (H, W, 3) to show.

    Colour is kept; values are scaled by :func:`to_unit` (the same rule as
    detection), and transparent pixels of BGRA images show white paper.

    Raises
    ------
    ValueError
        For arrays that are not images.
    """
    array = _checked(image)
    if array.dtype == np.uint8 and (array.ndim == 2 or array.shape[2] == 3):
        return array
    alpha = None
    if array.ndim == 3 and array.shape[2] == 4:
        alpha = to_unit(array[:, :, 3])
        array = array[:, :, :3]
    unit = to_unit(array)
    if alpha is not None:
        unit = _on_white_paper(unit, alpha)
    return _unit_to_uint8(unit)
