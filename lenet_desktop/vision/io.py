"""Read image files as they are: 8 or 16 bits, grey, BGR or BGRA."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np


class ImageReadError(ValueError):
    """An image file is missing, unreadable or not an image."""

    def __init__(self, path: str | os.PathLike, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason
        """What is wrong with the file, without its name."""


def read_image(path: str | os.PathLike) -> np.ndarray:
    """Read an image file unchanged (bit depth and alpha kept).

    Reading goes through ``numpy.fromfile`` and ``cv2.imdecode`` so that paths
    with any characters work on every platform.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    ndarray
        (H, W) grey, (H, W, 3) BGR or (H, W, 4) BGRA; uint8, uint16 or float32.

    Raises
    ------
    ImageReadError
        The file does not exist, cannot be read, or is not an image OpenCV can decode.
    """
    target = Path(path)
    if not target.exists():
        raise ImageReadError(target, "no such file")
    if not target.is_file():
        raise ImageReadError(target, "not a file")
    try:
        data = np.fromfile(target, dtype=np.uint8)
    except OSError as exc:
        raise ImageReadError(target, f"cannot read it ({exc.strerror or exc})") from exc
    if data.size == 0:
        raise ImageReadError(target, "the file is empty")
    try:
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    except cv2.error:
        image = None
    if image is None or image.size == 0:
        raise ImageReadError(target, "not an image (or in a format OpenCV cannot read)")
    return image
