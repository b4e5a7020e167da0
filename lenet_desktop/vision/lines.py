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
PEN_SHARE = 0.1
"""When less than this share of the ink lies off the candidate lines, and none of it is
long enough to be the pen's (:func:`_has_pen`), there is no pen's stroke to compare
them with ..."""
BLANK_THIN = 0.05
"""... and a line is then one thinner than this fraction of the image's short side (the
one stroke of a tight crop of a 1 or a 7 is thicker)."""
CRUMB = 3.0
"""A piece left beside a removed line no longer than this many times the lines'
thickness is a crumb of it (see :func:`_crumbs`)."""
PEN_PIECE = 5.0
"""A piece off the lines this many times longer than their thickness, and not one of
their dashes, is the pen's (see :func:`_has_pen`)."""
RUN = 4.0
"""A remnant of a ruling is made of runs at least this many times its lines' thickness ..."""
CROSSING_COVER = 0.9
"""... along its directions, covering this share of its pixels (see :func:`_crossings`)."""
SIDE_PX = 3
"""Lines this many pixels beyond either edge of a rule found in pieces ..."""
BESIDE = 0.4
"""... have at most this share of its ink on them."""
PARALLEL = 4.0
"""A piece cut short by the border is part of a ruling when it is this parallel to it."""
COARSE = 4
"""Long pieces are looked for first at this fraction of the resolution."""
BRIDGE = 7
"""Longest gap (pixels) a removed line may leave in a stroke that crossed it."""


def _extended(x0, y0, x1, y1, reach: float, shift: float = 0.0):
    """End points ``reach`` pixels beyond both ends of a segment, moved ``shift`` sideways."""
    length = float(np.hypot(x1 - x0, y1 - y0))
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    sx, sy = -uy * shift, ux * shift
    a = (int(round(x0 + sx - ux * reach)), int(round(y0 + sy - uy * reach)))
    b = (int(round(x1 + sx + ux * reach)), int(round(y1 + sy + uy * reach)))
    return a, b


def _through(shape: tuple[int, int], x0, y0, x1, y1, shift: float = 0.0):
    """(inside, a, b): the infinite line through a segment (moved ``shift`` sideways),
    clipped to the image; ``inside`` is false when it misses the image."""
    h, w = shape
    a, b = _extended(x0, y0, x1, y1, float(h + w), shift)
    return cv2.clipLine((0, 0, w, h), a, b)


def _chord(shape: tuple[int, int], x0, y0, x1, y1) -> float:
    """Length of the infinite line through a segment, clipped to the image."""
    inside, a, b = _through(shape, x0, y0, x1, y1)
    return float(np.hypot(b[0] - a[0], b[1] - a[1])) if inside else 0.0


def _clear_beside(mask: np.ndarray, near: np.ndarray, segment, thickness: float) -> bool:
    """Whether lines parallel to a rule found in pieces, just clear of it, hold little ink.

    A faint rule is found in pieces; together they still cover :data:`CROSSING`
    of the line through them (:func:`_coverage`). So does every line through a
    dense pattern, or along the edge of a printed band: a rule has paper on both
    sides (under :data:`BESIDE` of its own ink, :data:`SIDE_PX` beyond its edges). The
    sides are measured on the ink ``mask`` itself, where specks of noise stay small.
    """
    on = _coverage(near, *segment)
    shift = np.ceil(thickness) + SIDE_PX
    side = max(_coverage(mask, *segment, offset) for offset in (-shift, shift))
    return side <= BESIDE * on


def _coverage(near: np.ndarray, x0, y0, x1, y1, shift: float = 0.0) -> float:
    """Share of the infinite line through a segment (moved ``shift`` pixels sideways),
    within the image, that has ink on it. ``near`` is the ink mask grown by a pixel, so
    that a line a pixel off counts."""
    h, w = near.shape
    inside, a, b = _through(near.shape, x0, y0, x1, y1, shift)
    steps = int(np.hypot(b[0] - a[0], b[1] - a[1]))
    if not inside or steps < 2:
        return 0.0
    xs = np.clip(np.round(np.linspace(a[0], b[0], steps)).astype(int), 0, w - 1)
    ys = np.clip(np.round(np.linspace(a[1], b[1], steps)).astype(int), 0, h - 1)
    return float(np.count_nonzero(near[ys, xs])) / steps


def _thickness(mask: np.ndarray, x0, y0, x1, y1) -> float:
    """Ink thickness across a segment (median over its length); inf where it is no line."""
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
        return np.inf  # not a line, or thicker than the window measures
    return float(np.median(runs))


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


def _band(shape: tuple[int, int], lines) -> np.ndarray:
    """uint8 mask of ``lines`` ((x0, y0, x1, y1), thickness), each extended to the border."""
    band = np.zeros(shape, np.uint8)
    for segment, thickness in lines:
        a, b = _extended(*segment, float(sum(shape)))
        cv2.line(band, a, b, 255, int(np.ceil(thickness)) + 2)
    return band


def _cut_short(rest: np.ndarray, lines, widest: float) -> np.ndarray:
    """Pieces of ``rest`` that are more of the same ruling, too short to be found as lines.

    Where a ruling crosses a corner of the image its lines are too short for
    the Hough transform, and the lines of squared paper are cut into dashes
    where the other lines crossed them. A piece that is a straight band,
    parallel to a line found (within :data:`PARALLEL` degrees) and no thicker
    than it, nor than ``widest`` (thinner than the pen), is one of them.
    """
    out = np.zeros_like(rest)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    angles = [np.degrees(np.arctan2(y1 - y0, x1 - x0)) % 180.0 for (x0, y0, x1, y1), _ in lines]
    thickest = min(max(t for _, t in lines) + 1.0, widest)
    for i in range(1, count):
        x, y, bw, bh, area = (int(v) for v in stats[i, :5])
        if area < 6:
            continue
        ys, xs = np.nonzero(labels[y : y + bh, x : x + bw] == i)
        values, vectors = np.linalg.eigh(np.cov(np.stack([xs, ys]).astype(np.float64)))
        length = 4.0 * np.sqrt(max(values[1], 0.0))  # a band's length is sqrt(12) sigma
        if length < 2 * thickest or area / length > thickest:
            continue  # not a thin band
        angle = np.degrees(np.arctan2(vectors[1, 1], vectors[0, 1])) % 180.0
        if any(min(abs(angle - a), 180.0 - abs(angle - a)) <= PARALLEL for a in angles):
            out[labels == i] = 255
    return out


def _line_kernel(angle: float, length: int) -> np.ndarray:
    """A one-pixel line ``length`` long at ``angle`` degrees, as a structuring element."""
    kernel = np.zeros((length, length), np.uint8)
    c = (length - 1) / 2.0
    dx, dy = c * np.cos(np.radians(angle)), c * np.sin(np.radians(angle))
    a, b = (int(round(c - dx)), int(round(c - dy))), (int(round(c + dx)), int(round(c + dy)))
    cv2.line(kernel, a, b, 1, 1)
    return kernel


def _crossed(rest: np.ndarray, lines) -> np.ndarray:
    """The pixels of ``lines`` that a stroke of ``rest`` crosses: ink on both sides of the
    line, across it (up to :data:`BRIDGE` pixels). Along the line they are not bridged:
    two digits close together on a rule are not joined by the piece of rule between them."""
    crossed = np.zeros_like(rest)
    for direction in _directions(lines):
        own = [(seg, t) for seg, t in lines if _angle_apart(seg, direction) <= PARALLEL]
        across = _line_kernel(direction + 90.0, BRIDGE)
        closed = cv2.morphologyEx(rest, cv2.MORPH_CLOSE, across)
        crossed |= cv2.bitwise_and(closed, _band(rest.shape, own))
    return crossed


def _angle_apart(segment, direction: float) -> float:
    x0, y0, x1, y1 = segment
    angle = float(np.degrees(np.arctan2(y1 - y0, x1 - x0)) % 180.0)
    return min(abs(angle - direction), 180.0 - abs(angle - direction))


def _crumbs(left: np.ndarray, removed: np.ndarray, lines) -> np.ndarray:
    """Pieces of ``left`` no longer than :data:`CRUMB` times the lines' thickness that touch
    what was removed: what a line leaves where it was cut (a digit is longer)."""
    thick = float(np.median([t for _, t in lines])) + 1.0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(left, connectivity=8)
    if count <= 1:
        return np.zeros_like(left)
    extent = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    near = cv2.dilate(removed, np.ones((3, 3), np.uint8)) > 0
    touching = np.bincount(labels[near], minlength=count) > 0
    crumb = (extent <= CRUMB * thick) & touching
    crumb[0] = False
    return (crumb[labels] * 255).astype(np.uint8)


def _directions(lines) -> list[float]:
    """The ruling's directions (degrees in [0, 180)): its lines' angles, one per
    :data:`PARALLEL` degrees (a squared page has two)."""
    directions: list[float] = []
    for (x0, y0, x1, y1), _ in lines:
        angle = float(np.degrees(np.arctan2(y1 - y0, x1 - x0)) % 180.0)
        if all(min(abs(angle - d), 180.0 - abs(angle - d)) > PARALLEL for d in directions):
            directions.append(angle)
    return directions


def _crossings(rest: np.ndarray, lines, widest: float) -> np.ndarray:
    """Pieces of ``rest`` (the ink left once the lines are out) made only of thin runs
    along the ruling: crossings, corners, "#".

    Where two lines of squared paper were both too short for the Hough transform
    (cut by the photo's corner, or found only in part), what is left where they
    cross is a "+", an "L" or a "#": no one straight band, so :func:`_cut_short`
    keeps it, and the recognizer reads a 4 or a 7. A piece is such a remnant
    when at least :data:`CROSSING_COVER` of it lies on runs :data:`RUN` times
    the lines' thickness long along the ruling's directions and it is nowhere
    thicker than the lines (nor than ``widest``, thinner than the pen).
    """
    out = np.zeros_like(rest)
    thickest = min(max(t for _, t in lines) + 1.0, widest)
    length = max(5, int(round(RUN * thickest)))
    runs = np.zeros_like(rest)
    grown = cv2.dilate(rest, np.ones((3, 3), np.uint8))  # a thin line at a slant is a staircase
    for angle in _directions(lines):
        runs |= cv2.morphologyEx(grown, cv2.MORPH_OPEN, _line_kernel(angle, length))
    runs &= rest
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    if count <= 1 or not runs.any():
        return out
    on = np.bincount(labels.ravel(), (runs > 0).ravel(), count)
    depth = cv2.distanceTransform(rest, cv2.DIST_L2, 3)
    deepest = np.zeros(count, np.float32)
    np.maximum.at(deepest, labels.ravel(), depth.ravel())
    area = stats[:, cv2.CC_STAT_AREA]
    remnant = (on >= CROSSING_COVER * area) & (2.0 * deepest <= thickest) & (area >= 6)
    remnant[0] = False
    if remnant.any():
        out[remnant[labels]] = 255
    return out


def _has_pen(pen: np.ndarray, candidates) -> bool:
    """Whether the ink off the candidate lines holds the pen's strokes, not only the ruling's.

    Where the Hough transform missed part of a ruling (a faint or shaded part of
    the page), its dashes and the crumbs where its lines cross are left off the
    lines, as thin as they are: taken for the pen, they make every line look as
    thick as the pen, and nothing is taken out of a blank page. Without the
    dashes (:func:`_cut_short` pieces no thicker than the lines' median) and the
    crossings of lines not found (:func:`_crossings`), a piece
    at least :data:`PEN_PIECE` times that thickness long must be left: on blank
    pages the longest left is under 4 times, a digit's strokes are 9 times and more.
    """
    thick = float(np.median([t for _, t in candidates])) + 1.0
    rest = cv2.bitwise_and(pen, cv2.bitwise_not(_cut_short(pen, candidates, thick)))
    rest = cv2.bitwise_and(rest, cv2.bitwise_not(_crossings(rest, candidates, thick)))
    _, _, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    extent = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    return bool((extent >= PEN_PIECE * thick).any())


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
    candidates = []
    near = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    for x0, y0, x1, y1 in segments.reshape(-1, 4)[:MAX_LINES].tolist():
        length = float(np.hypot(x1 - x0, y1 - y0))
        long = length >= CROSSING * _chord((h, w), x0, y0, x1, y1)
        if not long and _coverage(near, x0, y0, x1, y1) < CROSSING:
            continue
        budget.spend(int(length) * 13, "measuring lines")
        thickness = _thickness(mask, x0, y0, x1, y1)
        if not np.isfinite(thickness) or length < SLENDER * thickness:
            continue
        if not long and not _clear_beside(mask, near, (x0, y0, x1, y1), thickness):
            continue
        candidates.append(((x0, y0, x1, y1), thickness))
    if not candidates:
        return removed
    # The pen's strokes are measured on the ink off the candidate lines: on a blank ruled
    # page every stroke is a line, and as thick as itself.
    lines_band = _band(mask.shape, candidates)
    pen = cv2.bitwise_and(mask, cv2.bitwise_not(lines_band))
    blank = BLANK_THIN * min(h, w)  # no pen ink to compare with: only fine lines
    widest = blank
    has_pen = _has_pen(pen, candidates)
    if cv2.countNonZero(pen) >= PEN_SHARE * count or has_pen:
        widest = THINNER * stroke_width(pen)
        if all(t > widest for _, t in candidates) and not has_pen:
            widest = blank  # what was measured is more of the ruling: the page is blank
    lines = [(seg, t) for seg, t in candidates if t <= widest]
    band = _band(mask.shape, lines)
    if not band.any():
        return removed
    line_ink = cv2.bitwise_and(mask, band)
    rest = cv2.bitwise_and(mask, cv2.bitwise_not(band))
    removed = cv2.bitwise_and(line_ink, cv2.bitwise_not(_crossed(rest, lines)))
    removed = cv2.bitwise_or(removed, _cut_short(rest, lines, widest))
    left = cv2.bitwise_and(mask, cv2.bitwise_not(removed))
    removed = cv2.bitwise_or(removed, _crossings(left, lines, widest))
    left = cv2.bitwise_and(mask, cv2.bitwise_not(removed))
    removed = cv2.bitwise_or(removed, _crumbs(left, removed, lines))
    keep = cv2.bitwise_not(removed)
    found.weak = cv2.bitwise_and(found.weak, keep)
    found.strong = cv2.bitwise_and(found.strong, keep)
    return removed
