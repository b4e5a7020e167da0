"""Remove straight lines at any angle: table borders, boxes, ruled and squared paper.

:mod:`lenet_desktop.vision.rules` takes out horizontal and vertical rules that
span the page. Photos are tilted, and a crop of a table cell has its border
along its edges, so here straight segments of any angle are found with a
probabilistic Hough transform on the ink mask. A segment is a line, not a
stroke, when it crosses most of the image along its direction (a rule runs
off the crop; no digit stroke does) and is thin for its length. Its pixels are
taken out of the mask, except where a digit's stroke crosses it (the ink
continues on both sides), as in :func:`lenet_desktop.vision.rules.remove_rules`.
"""

from __future__ import annotations

import cv2
import numpy as np

from lenet_desktop.vision.budget import Budget
from lenet_desktop.vision.ink import InkMap

CROSSING = 0.75
"""A line covers at least this fraction of the image's extent along its direction ..."""
SLENDER = 12.0
"""... and is at least this many times longer than it is thick."""
MIN_LENGTH = 20
"""Shorter segments are never lines (pixels at the working resolution)."""
MAX_LINES = 60
"""Most segments considered (a page of squared paper has a few tens)."""
THINNER = 0.8
"""A line is thinner than this fraction of the ink's thick strokes (printed lines are
finer than a pen's digits; a digit's straight stroke is as thick as its others)."""
COARSE = 4
"""Long pieces are looked for first at this fraction of the resolution."""
BRIDGE = 7
"""Longest gap (pixels) a removed line may leave in a stroke that crossed it."""


def _chord(shape: tuple[int, int], x0, y0, x1, y1) -> float:
    """Length of the infinite line through a segment, clipped to the image."""
    h, w = shape
    length = float(np.hypot(x1 - x0, y1 - y0))
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    reach = float(h + w)
    a = (int(round(x0 - ux * reach)), int(round(y0 - uy * reach)))
    b = (int(round(x1 + ux * reach)), int(round(y1 + uy * reach)))
    inside, a, b = cv2.clipLine((0, 0, w, h), a, b)
    return float(np.hypot(b[0] - a[0], b[1] - a[1])) if inside else 0.0


def _thickness(mask: np.ndarray, x0, y0, x1, y1) -> tuple[float, np.ndarray]:
    """Ink thickness across a segment (median over its length) and the band it occupies."""
    length = float(np.hypot(x1 - x0, y1 - y0))
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy, ux
    h, w = mask.shape
    steps = np.linspace(0.0, 1.0, max(8, int(length // 2)))
    half = max(6, int(0.1 * min(h, w)))
    offsets = np.arange(-half, half + 1)
    px = x0 + (x1 - x0) * steps[:, None] + nx * offsets[None, :]
    py = y0 + (y1 - y0) * steps[:, None] + ny * offsets[None, :]
    xi = np.clip(np.round(px).astype(int), 0, w - 1)
    yi = np.clip(np.round(py).astype(int), 0, h - 1)
    on = mask[yi, xi] > 0
    centre = len(offsets) // 2
    # The run of ink through the centre of each cross-section.
    runs, open_runs = [], 0
    for row in on:
        if not row[centre - 1 : centre + 2].any():
            continue
        left = centre
        while left > 0 and row[left - 1]:
            left -= 1
        right = centre
        while right < len(row) - 1 and row[right + 1]:
            right += 1
        runs.append(right - left + 1)
        open_runs += left == 0 or right == len(row) - 1
    if len(runs) < 0.6 * len(on) or open_runs > 0.3 * len(runs):
        return np.inf, on  # not a line, or thicker than the window measures
    return float(np.median(runs)), on


def _has_long_piece(mask: np.ndarray, shortest: int) -> bool:
    """Whether any piece of ``mask`` spans ``shortest`` pixels (checked on a coarse copy).

    Most frames hold only digits, far shorter than a line: this skips the Hough
    transform, which costs several milliseconds on a whole frame.
    """
    h, w = mask.shape
    small = cv2.resize(
        mask, (max(1, w // COARSE), max(1, h // COARSE)), interpolation=cv2.INTER_AREA
    )
    small = cv2.dilate((small > 0).astype(np.uint8), np.ones((2, 2), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(small, connectivity=8)
    extent = np.hypot(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) * COARSE
    return bool((extent >= shortest).any())


def stroke_width(mask: np.ndarray) -> float:
    """Width of the thicker strokes of ``mask`` (upper quartile along their middle lines)."""
    padded = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    depth = cv2.distanceTransform(padded, cv2.DIST_L2, 3)
    ridge = depth[(depth > 0) & (depth >= cv2.dilate(depth, np.ones((3, 3), np.uint8)))]
    return 2.0 * float(np.percentile(ridge, 75)) if ridge.size else 0.0


def remove_lines(found: InkMap, budget: Budget) -> np.ndarray:
    """Take straight lines at any angle out of ``found.weak`` and ``found.strong`` (in place).

    Returns
    -------
    ndarray
        uint8 mask (0/255) of the line pixels that were removed.
    """
    mask = found.weak
    h, w = mask.shape
    removed = np.zeros_like(mask)
    shortest = max(MIN_LENGTH, int(CROSSING * min(h, w) / 2))
    count = cv2.countNonZero(mask)
    if count == 0 or shortest > max(h, w) or not _has_long_piece(mask, shortest):
        return removed
    segments = cv2.HoughLinesP(
        mask, 1, np.pi / 180, threshold=int(0.6 * shortest), minLineLength=shortest, maxLineGap=4
    )
    if segments is None:
        return removed
    band = np.zeros_like(mask)
    stroke = stroke_width(mask)
    for x0, y0, x1, y1 in segments.reshape(-1, 4)[:MAX_LINES].tolist():
        length = float(np.hypot(x1 - x0, y1 - y0))
        if length < CROSSING * _chord((h, w), x0, y0, x1, y1):
            continue
        budget.spend(int(length) * 13, "measuring lines")
        thickness, _ = _thickness(mask, x0, y0, x1, y1)
        if not np.isfinite(thickness) or length < SLENDER * thickness:
            continue
        if thickness > THINNER * stroke:
            continue  # as thick as the pen's strokes: a stroke of a digit (the 7 of a tight crop)
        # Extend the segment to the image's border: the ends are lines too.
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        reach = float(h + w)
        a = (int(round(x0 - ux * reach)), int(round(y0 - uy * reach)))
        b = (int(round(x1 + ux * reach)), int(round(y1 + uy * reach)))
        cv2.line(band, a, b, 255, int(np.ceil(thickness)) + 2)
    if not band.any():
        return removed
    line_ink = cv2.bitwise_and(mask, band)
    rest = cv2.bitwise_and(mask, cv2.bitwise_not(band))
    bridged = cv2.morphologyEx(
        rest, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (BRIDGE, BRIDGE))
    )
    removed = cv2.bitwise_and(line_ink, cv2.bitwise_not(bridged))
    keep = cv2.bitwise_not(removed)
    found.weak = cv2.bitwise_and(found.weak, keep)
    found.strong = cv2.bitwise_and(found.strong, keep)
    return removed


PATTERN_SHARE = 0.2
"""When this share of the possible ink is faint and away from any dark stroke ..."""
PATTERN_CONTRAST = 2.0
"""... and the dark strokes are this many times darker than it, it is a printed
background (a security pattern, a faint grid), not the pen's ink."""


def remove_faint_pattern(found: InkMap, budget: Budget) -> np.ndarray:
    """Take a faint printed background out of ``found.weak`` and ``found.strong`` (in place).

    The ink levels of the possible ink split (Otsu) into faint and dark. When
    much of the faint ink lies away from the dark strokes (not their soft
    edges) and is far fainter than them, everything faint that does not touch
    a dark stroke goes.

    Returns
    -------
    ndarray
        uint8 mask (0/255) of the pixels removed.
    """
    values = found.ink[found.weak > 0]
    removed = np.zeros_like(found.weak)
    if values.size < 64:
        return removed
    budget.spend(values.size // 16, "background pattern")
    level, _ = cv2.threshold(values.reshape(1, -1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    faint_values = values[values <= level]
    dark_values = values[values > level]
    if dark_values.size == 0 or faint_values.size == 0:
        return removed
    if float(np.median(dark_values)) < PATTERN_CONTRAST * float(np.median(faint_values)):
        return removed
    dark = cv2.bitwise_and(found.weak, (found.ink > level).astype(np.uint8) * 255)
    edges = cv2.dilate(dark, np.ones((5, 5), np.uint8))
    faint = cv2.bitwise_and(found.weak, cv2.bitwise_not(edges))
    if cv2.countNonZero(faint) < PATTERN_SHARE * values.size:
        return removed
    removed = faint
    keep = cv2.bitwise_not(removed)
    found.weak = cv2.bitwise_and(found.weak, keep)
    found.strong = cv2.bitwise_and(found.strong, keep)
    return removed
