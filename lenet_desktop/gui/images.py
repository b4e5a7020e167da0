"""NumPy images to QImage (no widgets here), scaled as :mod:`lenet_desktop.vision.convert` does."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from lenet_desktop.vision.convert import to_display8


def gray_to_qimage(array: np.ndarray) -> QImage:
    """A grey (H, W) array of any depth (uint8, [0, 1] floats...) as a Format_Grayscale8 QImage.

    The QImage holds its own copy of the pixels.
    """
    data = np.asarray(array)
    if data.ndim != 2:
        raise ValueError(f"expected a 2-D grey image, got shape {data.shape}")
    data = np.ascontiguousarray(to_display8(data))
    height, width = data.shape
    return QImage(data.data, width, height, width, QImage.Format.Format_Grayscale8).copy()


def bgr_to_qimage(array: np.ndarray) -> QImage:
    """A BGR (H, W, 3), BGRA or grey (H, W) image of any depth as a QImage (its own copy).

    Deep and float images are scaled by the same rule the detector reads them with
    (:func:`lenet_desktop.vision.convert.to_unit`), so what is shown is what is read.
    """
    data = to_display8(array)
    if data.ndim == 2:
        return gray_to_qimage(data)
    if data.ndim != 3 or data.shape[2] not in (3, 4) or data.dtype != np.uint8:
        raise ValueError(f"expected a uint8 BGR image, got {data.dtype} {data.shape}")
    data = np.ascontiguousarray(data[:, :, :3])
    height, width = data.shape[:2]
    image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_BGR888)
    return image.copy()
