"""Cut candidates for touching and overlapping digits, and the images of the pieces between them.

A group of ink wider than a digit may be two or more digits that touch. It
is over-segmented: columns where little ink crosses (minima of the column
profile, the valleys between touching digits) become cut candidates, and
every run of pieces between two cuts that could be one digit becomes a
:class:`Segment` with its MNIST-style image. Which cuts are real is decided
by the recognizer (:mod:`lenet_desktop.model.segmentation`), which scores all
segments of all groups in one batched call.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from lenet_desktop.vision.budget import Budget
from lenet_desktop.vision.preprocess import digit_from_ink

WIDE = 1.0
"""Groups wider than this many typical digit heights are segmented."""
MAX_CUTS = 7
"""Most cut candidates inside one group."""
MIN_WIDTH = 0.12
"""A segment is at least this many digit heights wide ..."""
MAX_WIDTH = 1.3
"""... and at most this many."""
MIN_HEIGHT = 0.45
"""A segment's ink is at least this fraction of the group's height tall."""
FILL_GAP = 0.9
"""Cut candidates are added until none are further apart than this many digit heights."""
SEPARATION = 0.12
"""Cut candidates are at least this many digit heights apart."""


@dataclass
class Segment:
    """The ink between two cut candidates of a group, as one possible digit."""

    start: int
    """Index of the cut it starts at (0 = the group's left edge)."""
    stop: int
    """Index of the cut it ends at (the last = the group's right edge)."""
    box: tuple[int, int, int, int]
    """Ink box (x, y, w, h) in the crop's pixel coordinates."""
    digit: np.ndarray
    """float32 (28, 28) image."""
    width: float
    """Width in typical digit heights."""


def cut_positions(mask: np.ndarray, reference: float) -> list[int]:
    """Cut candidates (columns of ``mask``), its left and right edges included.

    Interior cuts are the deepest minima of the column profile, smoothed
    over a few pixels, at least :data:`SEPARATION` digit heights apart.
    """
    w = mask.shape[1]
    profile = (mask > 0).sum(axis=0).astype(np.float32)
    k = max(1, int(round(0.04 * reference))) * 2 + 1
    smooth = cv2.blur(profile[None, :], (k, 1), borderType=cv2.BORDER_REPLICATE)[0]
    edge = max(1, int(MIN_WIDTH * reference))
    interior = np.arange(edge, w - edge)
    if len(interior) == 0:
        return [0, w]
    left = smooth[interior - 1]
    right = smooth[np.minimum(interior + 1, w - 1)]
    minima = interior[(smooth[interior] <= left) & (smooth[interior] <= right)]
    order = minima[np.argsort(smooth[minima], kind="stable")]
    chosen: list[int] = []
    gap = max(2, int(SEPARATION * reference))
    for column in order.tolist():
        if all(abs(column - c) >= gap for c in chosen):
            chosen.append(column)
        if len(chosen) == MAX_CUTS:
            break
    cuts = [0, *sorted(chosen), w]
    # No stretch between cuts wider than a digit: cut it where the least ink crosses.
    longest = FILL_GAP * reference
    i = 0
    while i < len(cuts) - 1 and len(cuts) < 2 * MAX_CUTS + 2:
        a, b = cuts[i], cuts[i + 1]
        lo, hi = a + int(0.3 * reference), b - int(0.3 * reference)
        if b - a > longest and hi > lo:
            cuts.insert(i + 1, lo + int(np.argmin(smooth[lo:hi])))
            continue
        i += 1
    return cuts


def segments(
    ink: np.ndarray, mask: np.ndarray, floor: float, reference: float, budget: Budget
) -> tuple[int, list[Segment], list[tuple[int, int]]]:
    """Every plausible digit between two cut candidates of a wide group.

    Parameters
    ----------
    ink, mask : ndarray
        uint8 crops of the group (relative ink; its own pixels non-zero).
    floor : float
        The weak ink level (see :func:`lenet_desktop.vision.preprocess.normalise_ink`).
    reference : float
        Typical digit height in the crop's pixels.

    Returns
    -------
    cuts : int
        Number of cut positions (edges included).
    list of Segment
    gaps : list of (int, int)
        Spans between neighbouring cuts with too little ink to be a digit,
        which a reading may pass over.
    """
    positions = cut_positions(mask, reference)
    found: list[Segment] = []
    gaps: list[tuple[int, int]] = []
    height = mask.shape[0]
    inked = mask > 0
    columns = inked.any(axis=0)
    # Which rows hold ink between each pair of neighbouring cuts: a segment's rows are
    # the union over the spans it covers.
    spans = np.stack(
        [inked[:, a:b].any(axis=1) for a, b in zip(positions, positions[1:], strict=False)]
    )
    for i in range(len(positions) - 1):
        rows = np.flatnonzero(spans[i])
        if len(rows) == 0 or rows[-1] - rows[0] + 1 < MIN_HEIGHT * height:
            gaps.append((i, i + 1))  # too little ink for a digit: a link, a tail, a gap
        covered = np.zeros(height, bool)
        for j in range(i + 1, len(positions)):
            width = (positions[j] - positions[i]) / reference
            if width > MAX_WIDTH:
                break
            covered |= spans[j - 1]
            if width < MIN_WIDTH:
                continue
            rows = np.flatnonzero(covered)
            cols = positions[i] + np.flatnonzero(columns[positions[i] : positions[j]])
            if len(rows) == 0 or rows[-1] - rows[0] + 1 < MIN_HEIGHT * height:
                continue
            y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
            budget.spend((y1 - y0) * (x1 - x0), "segmenting")
            # The box lies within the segment's columns: its mask is the group's.
            digit = digit_from_ink(ink[y0:y1, x0:x1], mask[y0:y1, x0:x1], floor)[3]
            box = (int(x0), int(y0), int(x1 - x0), int(y1 - y0))
            found.append(Segment(i, j, box, digit, float(width)))
    return len(positions), found, gaps
