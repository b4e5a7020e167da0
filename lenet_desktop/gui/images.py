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


def bgr_to_qimage(array: np.ndarray) -> QImage:
    """A uint8 BGR (H, W, 3) or grey (H, W) array as a QImage (its own copy)."""
    data = np.asarray(array)
    if data.ndim == 2:
        return gray_to_qimage(data)
    if data.ndim != 3 or data.shape[2] not in (3, 4) or data.dtype != np.uint8:
        raise ValueError(f"expected a uint8 BGR image, got {data.dtype} {data.shape}")
    data = np.ascontiguousarray(data[:, :, :3])
    height, width = data.shape[:2]
    image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_BGR888)
    return image.copy()
