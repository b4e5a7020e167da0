"""Remove ruled lines (and other long straight strokes) from an ink mask.

Lined paper puts long thin lines through the ink mask; where a digit touches
one, line and digit become a single piece. Long straight runs are found with
a morphological opening by a line-shaped kernel much longer than any digit
stroke; runs that belong to something spanning a good part of the page are
rules, and are taken out of the mask. Where a digit's stroke crossed a rule,
the gap is bridged again.
"""

from __future__ import annotations

import cv2
import numpy as np

from lenet_desktop.vision.ink import InkMap

RUN_FRACTION = 1 / 6
"""A straight run at least this fraction of the page's width (height) may be part of a rule."""
SPAN = {"horizontal": 0.5, "vertical": 0.8}
"""A rule spans at least this fraction of the page: half its width for the printed lines,
nearly all its height for a margin line. No digit is that wide or, in a frame, that tall."""
CROSSING = 9
"""Longest gap (pixels) a rule can leave in a stroke that crossed it."""
COARSE = 4
"""Rules are told from other runs at this fraction of the resolution."""
SLENDER = 25
"""A rule is at least this many times longer than it is thick (on average). A digit's
stroke is not, even where the digit fills the page (a tight crop of a number)."""


def rule_mask(mask: np.ndarray) -> np.ndarray:
    """Pixels of ``mask`` (0/255) that lie on horizontal or vertical rules."""
    h, w = mask.shape
    rules = np.zeros_like(mask)
    for direction, length, span in (
        ("horizontal", int(w * RUN_FRACTION), w * SPAN["horizontal"]),
        ("vertical", int(h * RUN_FRACTION), h * SPAN["vertical"]),
    ):
        if length < 8:
            continue
        shape = (length, 1) if direction == "horizontal" else (1, length)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape)
        # An opening, split so that the dilation is skipped on pages without long runs.
        cores = cv2.erode(mask, kernel)
        if cv2.countNonZero(cores) == 0:
            continue
        runs = cv2.dilate(cores, kernel)
        rules |= _long_ones(runs, span, direction)
    return rules


def _long_ones(runs: np.ndarray, span: float, direction: str) -> np.ndarray:
    """The parts of ``runs`` that belong to a line spanning at least ``span`` pixels."""
    h, w = runs.shape
    small_size = (max(1, w // COARSE), max(1, h // COARSE))
    cover = cv2.resize(runs, small_size, interpolation=cv2.INTER_AREA)
    coarse = (cover > 0).astype(np.uint8)
    # Join the pieces of a rule broken by a gap in the print, only along the rule.
    along = np.ones((1, 3) if direction == "horizontal" else (3, 1), np.uint8)
    coarse = cv2.dilate(coarse, along)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(coarse, connectivity=8)
    long = np.zeros(count, np.uint8)
    side = cv2.CC_STAT_WIDTH if direction == "horizontal" else cv2.CC_STAT_HEIGHT
    # Full-resolution area of each piece: the coarse copy holds each cell's mean coverage.
    area = np.bincount(labels.ravel(), cover.ravel(), count) * (w * h / cover.size / 255.0)
    for label in range(1, count):
        length = stats[label, side] * COARSE
        if length >= span and length >= SLENDER * area[label] / length:
            long[label] = 255
    if not long.any():
        return np.zeros_like(runs)
    near = cv2.resize(long[labels], (w, h), interpolation=cv2.INTER_NEAREST)
    return cv2.bitwise_and(runs, near)


def remove_rules(found: InkMap) -> np.ndarray:
    """Take rules out of ``found.weak`` and ``found.strong`` (in place).

    Strokes that crossed a rule are bridged across it again: a rule pixel
    stays ink when the digit's ink continues right above and below it.

    Returns
    -------
    ndarray
        uint8 mask of the rule pixels that were removed.
    """
    rules = rule_mask(found.weak)
    if not rules.any():
        return rules
    weak = cv2.bitwise_and(found.weak, cv2.bitwise_not(rules))
    bridge_v = cv2.morphologyEx(weak, cv2.MORPH_CLOSE, np.ones((CROSSING, 1), np.uint8))
    bridge_h = cv2.morphologyEx(weak, cv2.MORPH_CLOSE, np.ones((1, CROSSING), np.uint8))
    restored = cv2.bitwise_and(rules, cv2.bitwise_or(bridge_v, bridge_h))
    removed = cv2.bitwise_and(rules, cv2.bitwise_not(restored))
    keep = cv2.bitwise_not(removed)
    found.weak = cv2.bitwise_and(found.weak, keep)
    found.strong = cv2.bitwise_and(found.strong, keep)
    return removed
