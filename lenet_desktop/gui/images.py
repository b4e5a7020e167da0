"""NumPy images to QImage (no widgets here)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def gray_to_qimage(array: np.ndarray) -> QImage:
    """A uint8 or [0, 1] float (H, W) array as a Format_Grayscale8 QImage (its own copy)."""
    data = np.asarray(array)
    if data.ndim != 2:
        raise ValueError(f"expected a 2-D grey image, got shape {data.shape}")
    if data.dtype != np.uint8:
        data = np.clip(data.astype(np.float32) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    data = np.ascontiguousarray(data)
    height, width = data.shape
    return QImage(data.data, width, height, width, QImage.Format.Format_Grayscale8).copy()


def to_display8(array: np.ndarray) -> np.ndarray:
    """Any image :func:`lenet_desktop.vision.io.read_image` returns, as uint8 grey or BGR.

    16-bit images keep their top 8 bits, float images are taken to span [0, 1] (or
    [0, 255] when larger), and transparent pixels of BGRA images show white paper.
    """
    data = np.asarray(array)
    if data.dtype == np.uint16:
        data = (data >> 8).astype(np.uint8)
    elif data.dtype != np.uint8:
        values = data.astype(np.float32)
        scale = 255.0 if np.nanmax(values, initial=0.0) <= 1.0 else 1.0
        data = np.clip(np.nan_to_num(values) * scale, 0, 255).astype(np.uint8)
    if data.ndim == 3 and data.shape[2] == 4:
        alpha = data[:, :, 3:4].astype(np.float32) / 255.0
        data = (data[:, :, :3] * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    if data.ndim == 3 and data.shape[2] == 1:
        data = data[:, :, 0]
    return data


def bgr_to_qimage(array: np.ndarray) -> QImage:
    """A BGR (H, W, 3), BGRA or grey (H, W) image of any depth as a QImage (its own copy)."""
    data = to_display8(array)
    if data.ndim == 2:
        return gray_to_qimage(data)
    if data.ndim != 3 or data.shape[2] not in (3, 4) or data.dtype != np.uint8:
        raise ValueError(f"expected a uint8 BGR image, got {data.dtype} {data.shape}")
    data = np.ascontiguousarray(data[:, :, :3])
    height, width = data.shape[:2]
    image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_BGR888)
    return image.copy()
