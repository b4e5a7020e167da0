"""A whole photo or camera frame to every digit in it, in reading order.

:func:`find_digits` measures the ink at a working resolution (large inputs are
shrunk to :data:`DETECT_SIDE` on the long side), removes ruled lines, paper
edges and specks, gathers the pieces of broken digits, orders the digits left
to right and line by line, and makes each an MNIST-style 28x28 image with the
same code as the single-digit path. Digits that are small at the working
resolution are cut again from the full-resolution image.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import cv2
import numpy as np

from lenet_desktop.vision.budget import Budget, default_budget
from lenet_desktop.vision.convert import to_gray8
from lenet_desktop.vision.gather import Group, merge_pieces, typical_height
from lenet_desktop.vision.ink import InkMap, ink_components, ink_map
from lenet_desktop.vision.preprocess import FIT_SIZE, digit_from_ink, full_box
from lenet_desktop.vision.rules import remove_rules

DETECT_SIDE = 640
"""Long side of the working copy that digits are found in."""
MIN_HEIGHT = 6
"""No digit is shorter than this many pixels at the working resolution."""
MIN_HEIGHT_FRACTION = 0.02
"""... nor shorter than this fraction of the working image's short side."""
SPECK_HEIGHT = 0.4
"""Groups both shorter and narrower than this fraction of the typical digit height are specks."""
EDGE_SLENDER = 20
"""Pieces touching the border and spanning half the image, this many times longer than
they are thick on average, are the edge of the paper."""
LINE_OVERLAP = 0.5
"""Digits share a line when their heights overlap by this fraction of the shorter."""


@dataclass
class DigitCandidate:
    """One digit found in a frame: where it is and its MNIST-style image."""

    box: tuple[int, int, int, int]
    """Ink box (x, y, w, h) in the input image's pixel coordinates."""
    digit: np.ndarray
    """float32 (28, 28) in [0, 1], bright ink on black."""
    line: int
    """Index of the line of writing it is on (0 = top)."""


def find_digits(
    image: np.ndarray, ink: str = "auto", budget: Budget | None = None
) -> list[DigitCandidate]:
    """Find every digit in a photo or frame.

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
    list of DigitCandidate
        In reading order (lines top to bottom, left to right within a
        line); empty when the image holds no digit.

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
    scale = 1.0
    work = gray
    if max(gray.shape) > DETECT_SIDE:
        scale = DETECT_SIDE / max(gray.shape)
        size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
        work = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    found = ink_map(work, ink, remove_lighting=True)
    remove_rules(found)
    parts = ink_components(found)
    budget.spend(len(parts.kept), "pieces of ink")
    groups = merge_pieces(_pieces(parts, work.shape), budget)
    groups = _drop_specks(groups, work.shape)
    candidates = []
    for line, row in enumerate(_reading_lines(groups)):
        for group in row:
            candidates.append(_candidate(group, parts.labels, found, gray, scale, line))
    return candidates


def _pieces(parts, shape: tuple[int, int]) -> list[Group]:
    """Kept components as groups, without paper edges, left-over rules and dust."""
    h, w = shape
    pieces = []
    for label in parts.kept.tolist():
        x, y, bw, bh, area = (int(v) for v in parts.stats[label])
        if area < 3:
            continue
        touches = x == 0 or y == 0 or x + bw == w or y + bh == h
        if touches and (bw > 0.5 * w or bh > 0.5 * h) and max(bw, bh) ** 2 >= EDGE_SLENDER * area:
            # The paper's edge or the table around it: a long thin band. A digit that fills
            # a tightly cropped image touches the border too, but it is not that slender.
            continue
        if bw > 0.3 * w and bh * 8 < bw:
            continue  # what is left of a ruled line
        pieces.append(Group([label], x, y, x + bw, y + bh, area))
    return pieces


def _drop_specks(groups: list[Group], shape: tuple[int, int]) -> list[Group]:
    """Keep groups tall or wide enough to be a digit next to the others."""
    if not groups:
        return groups
    reference = typical_height(groups)
    smallest = max(MIN_HEIGHT, MIN_HEIGHT_FRACTION * min(shape))
    kept = []
    for group in groups:
        if max(group.height, group.width) < SPECK_HEIGHT * reference:
            continue
        if group.height < smallest:
            continue
        kept.append(group)
    return kept


def _reading_lines(groups: list[Group]) -> list[list[Group]]:
    """Groups in lines (top to bottom) of digits sorted left to right."""
    lines: list[list[Group]] = []
    for group in sorted(groups, key=lambda g: (g.y0 + g.y1) / 2):
        for line in lines:
            top = median(g.y0 for g in line)
            bottom = median(g.y1 for g in line)
            overlap = min(bottom, group.y1) - max(top, group.y0)
            if overlap >= LINE_OVERLAP * min(bottom - top, group.height):
                line.append(group)
                break
        else:
            lines.append([group])
    lines.sort(key=lambda line: median((g.y0 + g.y1) / 2 for g in line))
    return [sorted(line, key=lambda g: g.x0) for line in lines]


def _candidate(
    group: Group,
    labels: np.ndarray,
    found: InkMap,
    gray: np.ndarray,
    scale: float,
    line: int,
) -> DigitCandidate:
    """Cut one digit out and make it MNIST-style, from full resolution when that helps."""
    region = labels[group.y0 : group.y1, group.x0 : group.x1]
    lookup = np.zeros(int(region.max(initial=0)) + 1, np.uint8)
    lookup[[label for label in group.labels if label < len(lookup)]] = 255
    mask = lookup[region]
    box = full_box((group.x0, group.y0, group.x1, group.y1), labels.shape, gray.shape)
    if scale < 1.0 and group.height < 2 * FIT_SIZE:
        ink, mask = _full_resolution_ink(group, mask, found, gray, scale, box)
    else:
        ink = found.ink[group.y0 : group.y1, group.x0 : group.x1]
    _, _, _, digit = digit_from_ink(ink, mask, found.weak_level)
    return DigitCandidate(box, digit, line)


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
