"""Drawings and scans as the app turns them into MNIST digits (NumPy and OpenCV only, no Qt).

The canvas of the app keeps a drawing as strokes (lists of points on a
:data:`PAPER_SIZE` square sheet). The image it gives the model is not what is
on screen: :func:`model_image` renders the strokes with a pen width
normalised to the digit's size (:func:`model_pen_width`), so the same digit
drawn with a 6 px or a 40 px pen, large or small, reads the same. Training
renders the pen trajectories of real writers with the same function (and a
range of widths around the normalised one), then :func:`drawing_digit` gives
the 28x28 digit the app's preprocessing gives a clean drawing.
:func:`scan_digit` is the same last step for a scanned bitmap.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from training.digit_format import digit_from_ink

PAPER_SIZE = 280
"""Side of the canvas's square paper in paper units (the model image is this size)."""
TABLET_BOX = 500
"""Side of the box the pen trajectories were written in, in tablet units (y points up)."""
WIDTH_RATIO = 0.13
"""The model image's pen width as a fraction of the digit's size (the longer side of
the box around its stroke points); about MNIST's stroke width relative to its digits."""
MIN_WIDTH = 1.5
"""The narrowest model pen (paper units), for dots and tiny digits."""
SUPERSAMPLE = 2
"""Strokes are drawn this many times larger and shrunk by area averaging (anti-aliasing)."""
INK_FLOOR = 0.06 * 255
"""Ink fainter than this (of full black on white paper) is not part of the digit, as in
the app's ink map for clean paper."""

Strokes = Sequence[Sequence[Sequence[float]]]
"""Strokes as sequences of (x, y) points in paper units."""


def tablet_to_paper(strokes: Sequence[np.ndarray], box: float = TABLET_BOX) -> list[np.ndarray]:
    """Tablet strokes (x right, y up, 0..``box``) to paper units of the canvas (y down)."""
    scale = PAPER_SIZE / box
    out = []
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        out.append(np.column_stack([points[:, 0] * scale, (box - points[:, 1]) * scale]))
    return out


def digit_size(strokes: Strokes) -> float:
    """The longer side of the box around every stroke point (0 for a single dot)."""
    points = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes if len(s)]
    if not points:
        return 0.0
    every = np.concatenate(points)
    return float((every.max(axis=0) - every.min(axis=0)).max())


def model_pen_width(strokes: Strokes, ratio: float = WIDTH_RATIO) -> float:
    """The pen width the model image is drawn with: ``ratio`` times the digit's size."""
    return max(MIN_WIDTH, ratio * digit_size(strokes))


def render_strokes(strokes: Strokes, width: float, size: int = PAPER_SIZE) -> np.ndarray:
    """Draw strokes with a round pen of ``width`` paper units: dark ink on white paper.

    Parameters
    ----------
    strokes : sequence of point sequences
        (x, y) in paper units; a stroke of one point leaves a dot.
    width : float
        Pen width in paper units.
    size : int
        Side of the square image in pixels (paper units are scaled to it).

    Returns
    -------
    ndarray
        uint8 (size, size), 255 paper, 0 full ink, anti-aliased.
    """
    if not width > 0:
        raise ValueError(f"pen width must be positive, not {width}")
    big = size * SUPERSAMPLE
    scale = big / PAPER_SIZE
    ink = np.zeros((big, big), dtype=np.uint8)
    thickness = max(1, int(round(width * scale)))
    fixed = 16  # 4 fractional bits: cv2's sub-pixel coordinates
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        if len(points) == 0:
            continue
        pixels = np.rint(points * scale * fixed).astype(np.int32)
        if len(points) == 1 or np.all(pixels == pixels[0]):
            radius = max(1, int(round(thickness * fixed / 2)))
            cv2.circle(ink, tuple(int(v) for v in pixels[0]), radius, 255, -1, cv2.LINE_AA, 4)
        else:
            cv2.polylines(ink, [pixels.reshape(-1, 1, 2)], False, 255, thickness, cv2.LINE_AA, 4)
    small = cv2.resize(ink, (size, size), interpolation=cv2.INTER_AREA)
    return 255 - small


def model_image(strokes: Strokes, ratio: float = WIDTH_RATIO) -> np.ndarray:
    """The canvas's image for the model: the strokes drawn with :func:`model_pen_width`.

    Returns
    -------
    ndarray
        uint8 (:data:`PAPER_SIZE`, :data:`PAPER_SIZE`), dark ink on white paper.
    """
    return render_strokes(strokes, model_pen_width(strokes, ratio))


def drawing_digit(gray: np.ndarray) -> np.ndarray | None:
    """The MNIST-style 28x28 digit of a clean drawing (dark ink on white paper).

    The ink is the paper's brightness minus the pixel's, cropped to the box
    around every pixel above :data:`INK_FLOOR`, then :func:`digit_from_ink`:
    what the app's preprocessing does to a canvas drawing.

    Returns
    -------
    ndarray or None
        float32 (28, 28) in [0, 1], bright ink on black; ``None`` when blank.
    """
    return _ink_digit(255 - np.asarray(gray, dtype=np.uint8))


def scan_digit(bitmap: np.ndarray) -> np.ndarray | None:
    """The MNIST-style 28x28 digit of a scanned bitmap (1 or 255 = ink, or grey ink in 0..1).

    Returns
    -------
    ndarray or None
        float32 (28, 28) in [0, 1]; ``None`` when the bitmap has no ink.
    """
    array = np.asarray(bitmap)
    if np.issubdtype(array.dtype, np.floating) or array.max() <= 1:
        array = np.clip(array.astype(np.float32) * 255.0, 0, 255)
    return _ink_digit(np.rint(array).astype(np.uint8))


def low_resolution(bitmap: np.ndarray, side: int = 16, binary: bool = False) -> np.ndarray:
    """A scan at ``side`` x ``side`` pixels: grey by area averaging, or thresholded at half.

    Returns
    -------
    ndarray
        float32 (side, side) in [0, 1] (0 or 1 when ``binary``).
    """
    grey = cv2.resize(
        np.asarray(bitmap, dtype=np.float32), (side, side), interpolation=cv2.INTER_AREA
    )
    return (grey >= 0.5).astype(np.float32) if binary else grey


def _ink_digit(ink: np.ndarray) -> np.ndarray | None:
    mask = np.where(ink > INK_FLOOR, 255, 0).astype(np.uint8)
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if len(rows) == 0:
        return None
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    return digit_from_ink(ink[y0:y1, x0:x1], mask[y0:y1, x0:x1], INK_FLOOR)[3]
