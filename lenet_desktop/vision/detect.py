"""A whole photo or camera frame to every digit in it, in reading order.

:func:`find_digits` measures the ink at a working resolution (large inputs are
shrunk to :data:`DETECT_SIDE` on the long side), removes ruled lines, paper
edges and specks, gathers the pieces of broken digits, orders the digits left
to right and line by line, and makes each an MNIST-style 28x28 image with the
same code as the single-digit path. Digits that are small at the working
resolution are cut again from the full-resolution image.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

import cv2
import numpy as np

from lenet_desktop.vision.budget import Budget, default_budget
from lenet_desktop.vision.convert import to_gray8
from lenet_desktop.vision.faint import faint_digit, faint_pieces, with_faint_ink
from lenet_desktop.vision.gather import Group, merge_pieces, reading_lines, typical_height
from lenet_desktop.vision.ink import InkMap, ink_components, ink_map
from lenet_desktop.vision.lines import remove_lines
from lenet_desktop.vision.not_digits import (
    drop_specks,
    is_mesh,
    without_cell_walls,
    without_edge_walls,
    without_hairlines,
)
from lenet_desktop.vision.pattern import remove_faint_pattern
from lenet_desktop.vision.polarity import is_close_up, polarity_and_close_up, small_copy
from lenet_desktop.vision.preprocess import FIT_SIZE, digit_from_ink, full_box
from lenet_desktop.vision.rules import remove_rules
from lenet_desktop.vision.segments import WIDE, Segment, segments
from lenet_desktop.vision.separators import (
    MARK_SIZE,
    SeparatorCandidate,
    may_be_slash,
    split_separators,
)

DETECT_SIDE = 640
"""Long side of the working copy that digits are found in."""
SMALL_SIDE = 96
"""Images with a shorter short side are enlarged to it (within :data:`DETECT_SIDE`)."""
EDGE_SLENDER = 20
"""Pieces touching the border and spanning half the image, this many times longer than
they are thick on average, are the edge of the paper."""


@dataclass
class DigitCandidate:
    """One digit found in a frame: where it is and its MNIST-style image."""

    box: tuple[int, int, int, int]
    """Ink box (x, y, w, h) in the input image's pixel coordinates."""
    digit: np.ndarray
    """float32 (28, 28) in [0, 1], bright ink on black."""
    line: int
    """Index of the line of writing it is on (0 = top)."""
    options: list[Segment] = field(default_factory=list)
    """For a group wider than a digit (touching digits): the segments it may be cut into,
    their boxes in the crop's coordinates (see :meth:`crop_to_image`); empty otherwise."""
    cuts: int = 0
    """Number of cut positions the options run between (edges included)."""
    gaps: list[tuple[int, int]] = field(default_factory=list)
    """Spans between neighbouring cuts that hold too little ink to be a digit."""
    crop_size: tuple[int, int] = (1, 1)
    """(width, height) of the crop the options' boxes are measured in."""
    may_be_slash: bool = False
    """Whether it is a straight, leaning stroke between digits that may be a "/" as well
    as a 1 (see :func:`~lenet_desktop.vision.separators.may_be_slash`)."""
    tiny: bool = False
    """Whether it is too small to be sure of (set by the reader, which knows the image)."""

    def crop_to_image(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """A box in the crop's coordinates as a box in the image's."""
        x, y, w, h = self.box
        sx, sy = w / self.crop_size[0], h / self.crop_size[1]
        bx, by, bw, bh = box
        left, top = x + int(np.floor(bx * sx)), y + int(np.floor(by * sy))
        right = max(left + 1, min(x + w, x + int(np.ceil((bx + bw) * sx))))
        bottom = max(top + 1, min(y + h, y + int(np.ceil((by + bh) * sy))))
        return left, top, right - left, bottom - top


def find_marks(
    image: np.ndarray, ink: str = "auto", budget: Budget | None = None
) -> tuple[list[DigitCandidate], list[SeparatorCandidate]]:
    """Find every digit and separator (". , - /") in a photo or frame.

    Parameters
    ----------
    image : ndarray
        Grey, BGR or BGRA, 8/16-bit or float, any size (see
        :func:`lenet_desktop.vision.convert.to_gray8`).
    ink : {"auto", "dark", "light"}
        Ink polarity; ``"auto"`` decides from the image.
    budget : Budget, optional
        The work this read may do (:func:`default_budget` when omitted).

    Returns
    -------
    digits : list of DigitCandidate
        In reading order (lines top to bottom, left to right within a
        line); empty when the image holds no digit.
    separators : list of SeparatorCandidate
        In reading order.

    Raises
    ------
    TooClutteredError
        The image holds more marks than ``budget`` allows (a ``ValueError``
        whose message is ``"too cluttered to read"``).
    ValueError
        If ``image`` is not an image array, or ``ink`` is not one of the three.
    """
    budget = default_budget() if budget is None else budget
    gray = to_gray8(image)
    work, scale = working_copy(gray)
    if ink not in ("auto", "dark", "light"):
        raise ValueError(f"ink must be 'auto', 'dark' or 'light', not {ink!r}")
    if ink != "auto" or scale <= 1.0:
        found = _find(gray, work, scale, ink, budget)
    else:
        # A small crop: its polarity is easily misjudged (a shadow, a dark border), and it
        # is cheap to look again the other way round when nothing was found.
        ink = _plausible_polarity(work)
        found = _find(gray, work, scale, ink, budget)
        if not found.digits and not found.walls:
            # (Nothing but a cell's walls: the polarity was right and the cell is empty;
            # the other way round its paper would be read as ink.)
            other = "light" if ink == "dark" else "dark"
            found = _find(gray, work, scale, other, budget)
    if not found.digits and is_close_up(work):
        # Digits on a busy background (a cheque's security pattern) can pass for a close-up,
        # whose paper is then measured on the pattern and no ink is left: look again as at
        # an ordinary photo.
        found = _find(gray, work, scale, ink, budget, close_up=False)
    return found.digits, found.separators


class _Found(NamedTuple):
    """What one look at the working copy found."""

    digits: list[DigitCandidate]
    separators: list[SeparatorCandidate]
    walls: int
    """How many groups were dropped as the walls of a table cell."""


def _find(gray, work, scale, ink, budget, close_up=None) -> _Found:
    """:func:`find_marks` on the working copy ``work`` (``scale`` times ``gray``)."""
    found = ink_map(work, ink, remove_lighting=True, close_up=close_up)
    remove_rules(found)
    remove_lines(found, budget)
    pattern = remove_faint_pattern(found, budget)
    parts = ink_components(found)
    budget.spend(len(parts.kept), "pieces of ink")
    groups, digits, reference, walls = _digit_groups(parts, found, scale, budget)
    if digits and cv2.countNonZero(pattern):
        parts = with_faint_ink(parts, pattern, digits)
    faint = faint_pieces(parts, digits, work.shape)
    if faint.size:  # a digit written more faintly than the rest: look again with it
        again = _digit_groups(
            replace(parts, kept=np.union1d(parts.kept, faint)), found, scale, budget
        )
        pale = set(faint.tolist())
        extra = [
            g for g in again[1] if pale.issuperset(g.labels) and faint_digit(g, digits, work.shape)
        ]
        groups, digits = groups + extra, digits + extra
    masks: dict[int, tuple[Group, np.ndarray]] = {}

    def mask_of(group: Group) -> np.ndarray:  # each group's mask is made once
        held = masks.get(id(group))
        if held is None or held[0] is not group:
            held = masks[id(group)] = (group, _group_mask(group, parts.labels))
        return held[1]

    digits = [g for g in digits if not is_mesh(mask_of(g), g)]
    kept = {id(g) for g in digits}
    others = [g for g in groups if id(g) not in kept]
    rows, marks = split_separators(
        reading_lines(digits),
        others,
        mask_of,
        lambda g: _pieces_of(g, parts.stats),
    )
    candidates = []
    for line, row in enumerate(r for r in rows if r):
        for group in row:
            mask = mask_of(group)
            candidate = _candidate(group, mask, found, gray, scale, line, reference, budget)
            rest = [g for g in row if g is not group]
            candidate.may_be_slash = may_be_slash(group, mask, rest)
            candidates.append(candidate)
    lines = {old: new for new, old in enumerate(i for i, r in enumerate(rows) if r)}
    separators = [
        SeparatorCandidate(
            full_box((g.x0, g.y0, g.x1, g.y1), work.shape, gray.shape), char, lines[line]
        )
        for g, char, line in marks
        if line in lines
    ]
    return _Found(candidates, separators, walls)


def _digit_groups(parts, found: InkMap, scale: float, budget: Budget):
    """The pieces gathered into groups, and those of them that may be digits.

    Returns all groups, the digits among them, the typical digit height and the
    number of groups dropped as a table cell's walls.
    """
    shape = found.weak.shape
    groups = merge_pieces(_pieces(parts, shape), budget)
    digits = drop_specks(groups, shape, enlarged=scale > 1.0)
    reference = typical_height(digits)
    digits = [g for g in digits if max(g.width, g.height) >= MARK_SIZE * reference]
    digits = without_hairlines(digits, found.weak)
    unwalled = len(digits)
    digits = without_cell_walls(digits, shape[0], shape[1], enlarged=scale > 1.0)
    if scale > 1.0:  # a small crop, of a table cell perhaps: its walls came with it
        digits = without_edge_walls(digits, found.weak)
    return groups, digits, reference, unwalled - len(digits)


def find_digits(
    image: np.ndarray, ink: str = "auto", budget: Budget | None = None
) -> list[DigitCandidate]:
    """Find every digit in a photo or frame (:func:`find_marks` without the separators)."""
    return find_marks(image, ink, budget)[0]


def _group_mask(group: Group, labels: np.ndarray) -> np.ndarray:
    """uint8 mask (0/255) of a group's own pixels over its box."""
    region = labels[group.y0 : group.y1, group.x0 : group.x1]
    lookup = np.zeros(int(region.max(initial=0)) + 1, np.uint8)
    lookup[[label for label in group.labels if label < len(lookup)]] = 255
    return lookup[region]


def _pieces_of(group: Group, stats: np.ndarray) -> list[Group]:
    """A group's pieces of ink, one Group each (``stats`` of the connected components)."""
    pieces = []
    for label in group.labels:
        x, y, w, h, area = (int(v) for v in stats[label, :5])
        pieces.append(Group([label], x, y, x + w, y + h, area))
    return pieces


def _plausible_polarity(work: np.ndarray) -> str:
    """The ink polarity, overruled to dark ink when the strokes say so.

    For small crops (enlarged by :func:`working_copy`), where shadows and a
    table's dark border can outvote the strokes: features as narrow as a
    third of the image's short side (a crop's strokes, not its shadows or its
    light) that stick out darker, against those that stick out lighter,
    decide between the two. A close-up (a tight crop, whose thin features are
    the paper between wide strokes) keeps the polarity it was given.
    """
    polarity, close_up = polarity_and_close_up(work)
    if polarity == "light" and not close_up:
        size = max(3, min(work.shape) // 3) | 1
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
        small = small_copy(work)
        dark = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, kernel).astype(np.float32)
        bright = cv2.morphologyEx(small, cv2.MORPH_TOPHAT, kernel).astype(np.float32)
        if float(np.percentile(dark, 97)) > 1.2 * float(np.percentile(bright, 97)):
            return "dark"
    return polarity


def working_copy(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The image at the resolution digits are found at, and its scale.

    Large images are shrunk to :data:`DETECT_SIDE` on the long side; small
    ones (a crop of a table cell, a few tens of pixels high) are enlarged so
    that their short side is :data:`SMALL_SIDE`, where the light can be
    estimated and a digit's strokes are several pixels wide.
    """
    h, w = gray.shape
    if max(h, w) > DETECT_SIDE:
        scale = DETECT_SIDE / max(h, w)
    elif min(h, w) < SMALL_SIDE and max(h, w) * SMALL_SIDE / min(h, w) <= DETECT_SIDE:
        scale = SMALL_SIDE / min(h, w)
    elif min(h, w) < SMALL_SIDE:
        scale = DETECT_SIDE / max(h, w)
    else:
        return gray, 1.0
    if abs(scale - 1.0) < 1e-6:
        return gray, 1.0
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(gray, size, interpolation=interpolation), scale


def _pieces(parts, shape: tuple[int, int]) -> list[Group]:
    """Kept components as groups, without paper edges, left-over rules and dust."""
    h, w = shape
    kept = parts.kept
    x, y, bw, bh, area = (parts.stats[kept, k].astype(np.int64) for k in range(5))
    touches = (x == 0) | (y == 0) | (x + bw == w) | (y + bh == h)
    # The paper's edge or the table around it: a long thin band. A digit that fills a
    # tightly cropped image touches the border too, but it is not that slender.
    edge = (
        touches
        & ((bw > 0.5 * w) | (bh > 0.5 * h))
        & (np.maximum(bw, bh) ** 2 >= EDGE_SLENDER * area)
    )
    rule = (bw > 0.3 * w) & (bh * 8 < bw)  # what is left of a ruled line
    chosen = np.flatnonzero((area >= 3) & ~edge & ~rule)
    return [
        Group(
            [int(kept[i])], int(x[i]), int(y[i]), int(x[i] + bw[i]), int(y[i] + bh[i]), int(area[i])
        )
        for i in chosen.tolist()
    ]


def _candidate(
    group: Group,
    mask: np.ndarray,
    found: InkMap,
    gray: np.ndarray,
    scale: float,
    line: int,
    reference: float,
    budget: Budget,
) -> DigitCandidate:
    """Cut one digit out and make it MNIST-style, from full resolution when that helps.

    ``mask`` is the group's own pixels over its box (see :func:`_group_mask`).
    """
    box = full_box((group.x0, group.y0, group.x1, group.y1), found.weak.shape, gray.shape)
    if scale < 1.0 and group.height < 2 * FIT_SIZE:
        ink, mask = _full_resolution_ink(group, mask, found, gray, scale, box)
    else:
        ink = found.ink[group.y0 : group.y1, group.x0 : group.x1]
    _, _, _, digit = digit_from_ink(ink, mask, found.weak_level)
    candidate = DigitCandidate(box, digit, line, crop_size=(mask.shape[1], mask.shape[0]))
    if group.width > WIDE * reference:
        in_crop = reference * mask.shape[0] / max(1, group.height)
        candidate.cuts, candidate.options, candidate.gaps = segments(
            ink, mask, found.weak_level, in_crop, budget
        )
    return candidate


def _full_resolution_ink(group, mask, found: InkMap, gray, scale, box):
    """The digit's ink measured on the full-resolution image, within its (enlarged) mask."""
    x, y, w, h = box
    x1, y1 = min(gray.shape[1], x + w), min(gray.shape[0], y + h)
    crop = gray[y:y1, x:x1]
    page = crop if found.polarity == "dark" else cv2.bitwise_not(crop)
    light_small = _paper_of(found, group)
    size = (page.shape[1], page.shape[0])
    light = cv2.resize(light_small, size, interpolation=cv2.INTER_LINEAR)
    paper = np.maximum(light, np.uint8(16))
    ink = cv2.divide(cv2.subtract(light, page), paper, scale=255.0)
    gate = cv2.resize(mask, size, interpolation=cv2.INTER_NEAREST)
    return ink, gate


def _paper_of(found: InkMap, group: Group) -> np.ndarray:
    """The paper brightness under ``group`` at the working resolution."""
    return found.light[group.y0 : group.y1, group.x0 : group.x1]
