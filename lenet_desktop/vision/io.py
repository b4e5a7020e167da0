"""Read image files as they are: 8 or 16 bits, grey, BGR or BGRA.

Before anything is decoded, the image's width and height are read from its
header (Pillow reads only the header) and checked against a pixel limit, so a
small file that would decode to gigabytes (a "decompression bomb") is refused
at once with "image too large (W x H)". The limit defaults to what a
50-megapixel camera's photos need, and can be changed with the
``LENET_MAX_PIXELS`` environment variable or per call.
"""

from __future__ import annotations

import os
import struct
import warnings
from pathlib import Path

import cv2
import numpy as np

DEFAULT_MAX_PIXELS = 52_000_000
"""Pixels an image may have: a 50-megapixel camera's largest photos (8256 x 6192, 51.1
million pixels) fit, a 30000 x 30000 bomb (900 million) does not."""
MAX_PIXELS_ENV = "LENET_MAX_PIXELS"


class ImageReadError(ValueError):
    """An image file is missing, unreadable or not an image."""

    def __init__(self, path: str | os.PathLike, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason
        """What is wrong with the file, without its name."""


def max_pixels() -> int:
    """The pixel limit: ``LENET_MAX_PIXELS`` when set to a positive whole number, else the
    default :data:`DEFAULT_MAX_PIXELS`."""
    try:
        value = int(os.environ.get(MAX_PIXELS_ENV, ""))
    except ValueError:
        return DEFAULT_MAX_PIXELS
    return value if value > 0 else DEFAULT_MAX_PIXELS


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""Start-of-frame markers (baseline, progressive, lossless ...): they hold the size."""
JPEG_HEADER_SCAN = 1 << 20
"""Bytes searched for a JPEG's start-of-frame (after EXIF and thumbnails); else Pillow."""


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) >= 24 and data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG's marker segments to its start-of-frame, which holds height and width."""
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a segment
            i += 2
            continue
        if marker in JPEG_FRAME_MARKERS:
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        i += 2 + length
    return None


def header_size(path: str | os.PathLike, data: bytes | None = None) -> tuple[int, int] | None:
    """(width, height) from the image file's header, without decoding its pixels.

    PNG and JPEG headers are read here (from ``data``, the file's bytes, when
    given); other formats are asked of Pillow, which reads only the header.
    ``None`` when neither knows the format (OpenCV may still read it).
    """
    if data is not None:
        head = bytes(data[:JPEG_HEADER_SCAN])
        if head.startswith(PNG_SIGNATURE):
            return _png_size(head)
        if head.startswith(b"\xff\xd8"):
            size = _jpeg_size(head)
            if size is not None:
                return size
    from PIL import Image, UnidentifiedImageError  # only for formats other than PNG and JPEG

    # The pixel count is checked by the caller, from this header, before any decoding;
    # Pillow is asked only for the header, so its own bomb check is not needed.
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                return image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


def read_image(path: str | os.PathLike, limit: int | None = None) -> np.ndarray:
    """Read an image file unchanged (bit depth and alpha kept).

    The size in the header is checked against the pixel limit first. Reading
    goes through ``numpy.fromfile`` and ``cv2.imdecode`` so that paths with
    any characters work on every platform.

    Parameters
    ----------
    path : path-like
    limit : int, optional
        Most pixels (width x height) accepted; default :func:`max_pixels`.

    Returns
    -------
    ndarray
        (H, W) grey, (H, W, 3) BGR or (H, W, 4) BGRA; uint8, uint16 or float32.

    Raises
    ------
    ImageReadError
        The file does not exist, cannot be read, is larger than the limit
        ("image too large (W x H)"), or is not an image OpenCV can decode.
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
    limit = max_pixels() if limit is None else limit
    size = header_size(target, data)
    if size is not None and size[0] * size[1] > limit:
        raise ImageReadError(target, too_large(*size))
    try:
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    except cv2.error:
        image = None
    except MemoryError as exc:
        raise ImageReadError(target, "not enough memory to decode it") from exc
    if image is None or image.size == 0:
        raise ImageReadError(target, "not an image (or in a format OpenCV cannot read)")
    height, width = image.shape[:2]
    if width * height > limit:  # a format whose header Pillow could not read
        raise ImageReadError(target, too_large(width, height))
    return image


def too_large(width: int, height: int) -> str:
    """The reason given for an image over the pixel limit."""
    return (
        f"image too large ({width} x {height}): {width * height / 1e6:.0f} million pixels, "
        f"over the limit of {max_pixels() / 1e6:.0f} million ({MAX_PIXELS_ENV} changes it)"
    )
