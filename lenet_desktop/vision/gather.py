"""Gather the pieces of broken digits into one group per digit, in bounded work.

The pieces of a digit broken by faint ink (the bar of a 5, the halves of an 8,
a dot of a stroke) are joined closest pair first, but nothing grows taller or
wider than a digit. All pair gaps are held in one matrix, with each row's
smallest gap kept up to date, so that gathering ``n`` pieces costs about
``n**2`` work units, spent from the read's :class:`~lenet_desktop.vision.budget.Budget`.
The digits found are then put in lines of writing (:func:`reading_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import numpy as np

from lenet_desktop.vision.budget import Budget

STACK_OVERLAP = 0.3
"""Pieces overlapping horizontally by this fraction of the narrower one can be one digit."""
STACK_GAP = 0.3
"""... and are at most this many typical digit heights apart vertically."""
FRAGMENT_SIZE = 0.6
"""Pieces whose long side is under this fraction of the typical digit height are fragments ..."""
FRAGMENT_GAP = 0.25
"""... that join a digit at most this many typical digit heights away."""
DUST = 0.12
"""Pieces whose long side is under this fraction of the typical digit height are dust."""
MAX_DIGIT_HEIGHT = 1.3
"""A merged digit is at most this many typical digit heights tall, and as wide."""
MAX_DIGIT_WIDTH = 1.3
LINE_OVERLAP = 0.5
"""Digits share a line when their heights overlap by this fraction of the shorter."""
LINE_FOLLOW = 2
"""A digit is compared with this many of the latest digits of a line (its neighbours)."""


@dataclass
class Group:
    """Pieces of ink that make one digit (or mark), at the working resolution."""

    labels: list[int]
    x0: int
    y0: int
    x1: int
    y1: int
    area: int

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    def absorb(self, other: Group) -> None:
        self.labels += other.labels
        self.x0, self.y0 = min(self.x0, other.x0), min(self.y0, other.y0)
        self.x1, self.y1 = max(self.x1, other.x1), max(self.y1, other.y1)
        self.area += other.area


def typical_height(groups: list[Group]) -> float:
    """Height of a typical digit: the upper quartile of the heights of the substantial pieces.

    The upper quartile, because the pieces of broken digits and wide, flat
    digits are shorter than the writing height; whole digits are not taller.
    """
    if not groups:
        return 0.0
    largest = max(g.area for g in groups)
    heights = sorted(g.height for g in groups if g.area >= 0.2 * largest)
    return float(heights[(3 * (len(heights) - 1) + 3) // 4])


def merge_pieces(pieces: list[Group], budget: Budget) -> list[Group]:
    """Gather the pieces of broken digits into one group per digit.

    Pieces that overlap a lot horizontally and are close vertically become
    one digit, and a fragment too small to be a digit joins the digit nearest
    to it; nothing grows taller or wider than a digit, so neighbouring digits
    and lines stay apart. The closest pair is joined first, so a fragment
    goes to its own digit rather than to a larger neighbour.

    Raises
    ------
    TooClutteredError
        More pieces than ``budget`` allows.
    """
    if len(pieces) < 2:
        return pieces
    reference = typical_height(pieces)
    dust = max(3.0, DUST * reference)
    groups = [g for g in pieces if max(g.width, g.height) >= dust]
    budget.check_pieces(len(groups))
    n = len(groups)
    if n < 2:
        return groups
    budget.spend(n * n, "gathering pieces")
    boxes = np.array([(g.x0, g.y0, g.x1, g.y1, g.area) for g in groups], np.float64)
    alive = np.ones(n, bool)
    order = np.arange(n)
    gaps = _gaps(boxes, order, order, reference)
    best = gaps.min(axis=1)
    best_at = gaps.argmin(axis=1)
    while True:
        small = int(np.argmin(best))
        if not np.isfinite(best[small]):
            break
        big = int(best_at[small])
        budget.spend(4 * n, "gathering pieces")
        groups[big].absorb(groups[small])
        g = groups[big]
        boxes[big] = (g.x0, g.y0, g.x1, g.y1, g.area)
        alive[small] = False
        gaps[small, :] = np.inf
        gaps[:, small] = np.inf
        live = np.flatnonzero(alive)
        gaps[big, live] = _gaps(boxes, np.array([big]), live, reference)[0]
        gaps[live, big] = _gaps(boxes, live, np.array([big]), reference)[:, 0]
        gaps[big, big] = np.inf
        stale = alive & ((best_at == small) | (best_at == big))
        stale[big] = True
        best[small] = np.inf
        column = gaps[:, big]
        better = alive & ~stale & (column < best)
        best[better] = column[better]
        best_at[better] = big
        rows = np.flatnonzero(stale)
        budget.spend(len(rows) * n, "gathering pieces")
        for row in rows:
            best_at[row] = int(np.argmin(gaps[row]))
            best[row] = gaps[row, best_at[row]]
    return [g for g, keep in zip(groups, alive, strict=True) if keep]


def _gaps(boxes: np.ndarray, small: np.ndarray, big: np.ndarray, reference: float) -> np.ndarray:
    """Gap (len(small), len(big)) between groups when ``small`` can join ``big``, else inf.

    A group joins only one at least as large (ties broken by index), never itself.
    """
    a = boxes[small][:, None, :]
    b = boxes[big][None, :, :]
    ax0, ay0, ax1, ay1, aa = (a[..., k] for k in range(5))
    bx0, by0, bx1, by1, ba = (b[..., k] for k in range(5))
    aw, ah, bw, bh = ax1 - ax0, ay1 - ay0, bx1 - bx0, by1 - by0
    union_w = np.maximum(ax1, bx1) - np.minimum(ax0, bx0)
    union_h = np.maximum(ay1, by1) - np.minimum(ay0, by0)
    fits = (union_h <= MAX_DIGIT_HEIGHT * np.maximum(reference, bh)) & (
        union_w <= MAX_DIGIT_WIDTH * np.maximum(reference, bw)
    )
    gap_x = np.maximum(np.maximum(ax0 - bx1, bx0 - ax1), 0)
    gap_y = np.maximum(np.maximum(ay0 - by1, by0 - ay1), 0)
    overlap = np.minimum(bx1, ax1) - np.maximum(bx0, ax0)
    stacked = (overlap >= STACK_OVERLAP * np.minimum(bw, aw)) & (gap_y <= STACK_GAP * reference)
    far = np.maximum(gap_x, gap_y)
    fragment = (np.maximum(aw, ah) < FRAGMENT_SIZE * reference) & (far <= FRAGMENT_GAP * reference)
    gap = np.where(stacked, gap_y, np.where(fragment, far, np.inf))
    si, bi = small[:, None], big[None, :]
    larger = (ba > aa) | ((ba == aa) & (bi > si))
    return np.where(fits & larger, gap, np.inf)


def reading_lines(groups: list[Group]) -> list[list[Group]]:
    """Groups in lines (top to bottom) of digits sorted left to right (a list per line).

    A line is followed from left to right: a group joins the line one of
    whose latest groups (the last :data:`LINE_FOLLOW`, so that a comma between
    two digits does not break it) it overlaps in height by :data:`LINE_OVERLAP`
    of the shorter; a row photographed at a tilt stays one line even where its
    ends no longer overlap.
    """
    lines: list[list[Group]] = []
    for group in sorted(groups, key=lambda g: (g.x0, g.y0)):
        best, best_overlap = None, 0.0
        for line in lines:
            overlap = max(height_overlap(group, g) for g in line[-LINE_FOLLOW:])
            if overlap >= LINE_OVERLAP and overlap > best_overlap:
                best, best_overlap = line, overlap
        if best is None:
            lines.append([group])
        else:
            best.append(group)
    lines.sort(key=lambda line: median((g.y0 + g.y1) / 2 for g in line))
    return lines


def height_overlap(a: Group, b: Group) -> float:
    """How much two groups overlap in height, as a fraction of the shorter one's height."""
    return (min(a.y1, b.y1) - max(a.y0, b.y0)) / max(1, min(a.height, b.height))
