"""Remove a faint printed background (a security pattern, a faint grid) from an ink mask.

A cheque's guilloche or a faint printed grid puts much faint ink in the mask,
far fainter than the pen's: where it is a good part of the possible ink and
lies away from the dark strokes, it is taken out (:func:`remove_faint_pattern`).
"""

from __future__ import annotations

import cv2
import numpy as np

from lenet_desktop.vision.budget import Budget
from lenet_desktop.vision.ink import InkMap

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
