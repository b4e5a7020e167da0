"""Digits written more faintly than the rest of their number.

The ink mask keeps a piece only when some of its pixels are surely ink
(hysteresis, :func:`lenet_desktop.vision.ink.ink_components`). Where one
digit of a number is pressed harder than the others, or the light falls off
across a crop, the surely-ink level follows the darkest digit and a fainter
one may not reach it anywhere: the number is read with a digit left out,
and read as sure. The same happens when the fainter digits are taken for a
printed background (:func:`~lenet_desktop.vision.pattern.remove_faint_pattern`).
A faint piece, or a few gathered, is taken as a digit only where it looks like
one beside the digits already found: as tall as they are, on their line but
clear of them (not a shadow beside a stroke), clear of the image's border (a
cell's wall, a shadow's edge), not a sliver, and one of a few. Texture and
noise make no such pieces beside a line of digits.
"""

from __future__ import annotations

from dataclasses import replace
from statistics import median

import cv2
import numpy as np

from lenet_desktop.vision.gather import Group
from lenet_desktop.vision.ink import Components

FAINT_PIECE = 0.15
"""A faint piece looked at is at least this fraction of the found digits' median height
(a digit may be broken into a few such pieces) ..."""
FAINT_SHORTEST = 0.6
"""... and a faint digit at least this fraction of it ..."""
FAINT_TALLEST = 1.6
"""... and at most this many times it."""
FAINT_WIDEST = 1.5
"""It is no wider than this many times that height (touching digits are not rescued),"""
FAINT_SLENDER = 0.3
"""at least this fraction of its own height wide (a wall or a rule is thinner),"""
FAINT_FILL = 0.1
"""its ink fills at least this fraction of its box,"""
FAINT_MARGIN = 0.15
"""keeps this fraction of that height clear of the image's border (a wall, a shadow's
edge, a band of pattern along a crop's side),"""
FAINT_LINE = 0.5
"""and it overlaps a found digit in height by this fraction of the shorter of the two,
but none in width (a shadow or the soft edge beside a stroke does)."""
FAINT_MOST = 12
"""More faint pieces than this beside a line are texture, not a digit or two."""


def faint_pieces(parts: Components, digits: list[Group], shape: tuple[int, int]) -> np.ndarray:
    """The faint pieces of ``parts`` that may make digits beside ``digits``.

    Parameters
    ----------
    parts : Components
        The ink's pieces; only those in ``parts.faint`` are looked at.
    digits : list of Group
        The digits found from the surely-inked pieces.
    shape : tuple of int
        (height, width) of the image the pieces were found in.

    Returns
    -------
    ndarray
        int64 indices into ``parts.stats``; empty when there are none, or so
        many that they are texture. Gather them with the other pieces, then
        keep only the groups :func:`faint_digit` accepts.
    """
    if not digits or parts.faint.size == 0:
        return np.zeros(0, np.int64)
    tall = median(g.height for g in digits)
    h, w = shape
    x, y, bw, bh = (parts.stats[parts.faint, k].astype(np.int64) for k in range(4))
    sized = (
        (bh >= FAINT_PIECE * tall)
        & (bh <= FAINT_TALLEST * tall)
        & (bw <= FAINT_WIDEST * tall)
        & (x > 0)
        & (y > 0)
        & (x + bw < w)
        & (y + bh < h)
    )
    if not sized.any():
        return np.zeros(0, np.int64)
    y0, y1 = y[sized, None], (y + bh)[sized, None]
    on_line = _line_overlap(y0, y1, digits) >= FAINT_LINE
    chosen = parts.faint[np.flatnonzero(sized)[on_line]]
    return chosen if chosen.size <= FAINT_MOST else np.zeros(0, np.int64)


def with_faint_ink(parts: Components, mask: np.ndarray, digits: list[Group]) -> Components:
    """``parts`` with the pieces of ``mask`` that may make digits beside ``digits`` added
    to its faint pieces.

    For the ink :func:`~lenet_desktop.vision.pattern.remove_faint_pattern` took
    out as a printed background: a number whose digits were written with two
    pens, one of them far fainter, looks like dark strokes on a faint pattern
    too. ``mask`` (uint8, 0/255) must not overlap the pieces of ``parts``.
    Pieces shorter than :data:`FAINT_PIECE` of the digits' height are left
    out; more than :data:`FAINT_MOST` others make a printed background
    indeed, and ``parts`` is returned as it is.
    """
    if not digits:
        return parts
    count, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(
        mask, 8, cv2.CV_32S, cv2.CCL_BBDT
    )
    tall = median(g.height for g in digits)
    sized = np.flatnonzero(stats[1:, cv2.CC_STAT_HEIGHT] >= FAINT_PIECE * tall) + 1
    if sized.size == 0 or sized.size > FAINT_MOST:
        return parts
    first = parts.stats.shape[0]
    lookup = np.zeros(count, np.int32)
    lookup[sized] = np.arange(first, first + sized.size, dtype=np.int32)
    new = lookup[labels]
    merged = np.where(new > 0, new, parts.labels)
    return replace(
        parts,
        labels=merged,
        stats=np.vstack([parts.stats, stats[sized]]),
        faint=np.concatenate([parts.faint, np.arange(first, first + sized.size, dtype=np.int64)]),
    )


def faint_digit(group: Group, digits: list[Group], shape: tuple[int, int]) -> bool:
    """Whether a group of faint pieces is a digit beside ``digits`` (see the module's notes).

    Parameters
    ----------
    group : Group
        Gathered from pieces of :func:`faint_pieces` only.
    digits : list of Group
        The digits found from the surely-inked pieces.
    shape : tuple of int
        (height, width) of the image the pieces were found in.

    Returns
    -------
    bool
        True when it is as tall as the digits, on their line but clear of them,
        clear of the border and neither a sliver nor nearly empty.
    """
    if not digits:
        return False
    tall = median(g.height for g in digits)
    h, w = shape
    sized = (
        FAINT_SHORTEST * tall <= group.height <= FAINT_TALLEST * tall
        and FAINT_SLENDER * group.height <= group.width <= FAINT_WIDEST * tall
        and group.area >= FAINT_FILL * group.width * group.height
        and min(group.x0, group.y0, w - group.x1, h - group.y1) >= FAINT_MARGIN * tall
    )
    beside = all(group.x1 <= g.x0 or group.x0 >= g.x1 for g in digits)
    overlap = _line_overlap(np.array([[group.y0]]), np.array([[group.y1]]), digits)
    return bool(sized and beside and overlap[0] >= FAINT_LINE)


def _line_overlap(y0: np.ndarray, y1: np.ndarray, digits: list[Group]) -> np.ndarray:
    """Largest height overlap of each span (column vectors) with a digit, over the shorter."""
    top = np.array([g.y0 for g in digits])[None, :]
    bottom = np.array([g.y1 for g in digits])[None, :]
    heights = np.array([g.height for g in digits])[None, :]
    overlap = np.minimum(y1, bottom) - np.maximum(y0, top)
    return (overlap / np.maximum(1, np.minimum(y1 - y0, heights))).max(axis=1)
