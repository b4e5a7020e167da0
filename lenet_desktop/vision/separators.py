"""Punctuation between digits: "." "," "-" "/" told from digits and from specks.

A separator is found by where it sits in its line of digits and its shape,
never by the recognizer (which would read a dash as a 1 and a dot as a 0): a
dot or comma is a small solid blot in the bottom of the line, between two
digits (a comma is taller than wide, or reaches below the line); a dash is a
flat stroke at mid-height; a slash is a straight stroke, as tall as the
digits and leaning. Anything small that is not between two digits of a line
is a speck and is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import numpy as np

from lenet_desktop.vision.gather import Group

MARK_SIZE = 0.5
"""Dots, commas and dashes are at most this many line heights on their long side ..."""
DOT_SIZE = 0.1
"""... and dots and commas at least this many (smaller is dust)."""
LOW = 0.6
"""A dot's centre is below this fraction of the line's height from its top."""
DASH_ASPECT = 1.4
"""A dash is at least this many times wider than tall ..."""
DASH_BAND = (0.25, 0.8)
"""... with its centre within this band of the line's height."""
SLASH_LEAN = 35.0
"""A slash leans at least this many degrees from the vertical ..."""
SLASH_STRAIGHT = 8.0
"""... and its ink is this many times longer than wide (principal axes)."""
SLASH_HEIGHT = 0.6
"""... and at least this fraction of the line's height."""


@dataclass
class SeparatorCandidate:
    """A separator found in a frame."""

    box: tuple[int, int, int, int]
    """Ink box (x, y, w, h) in the input image's pixel coordinates."""
    char: str
    line: int


def _between(group: Group, row: list[Group]) -> bool:
    """Whether ``group`` lies in a gap between two digits of ``row`` (sorted left to right)."""
    cx = (group.x0 + group.x1) / 2
    for left, right in zip(row, row[1:], strict=False):
        if (left.x0 + left.x1) / 2 < cx < (right.x0 + right.x1) / 2:
            slack = 0.3 * group.width
            return group.x0 >= left.x1 - slack and group.x1 <= right.x0 + slack
    return False


def _line_band(row: list[Group]) -> tuple[float, float]:
    return float(median(g.y0 for g in row)), float(median(g.y1 for g in row))


def small_mark(group: Group, row: list[Group]) -> str | None:
    """ "." "," or "-" when a small group is one of those between two digits of ``row``."""
    if len(row) < 2:
        return None
    top, bottom = _line_band(row)
    height = max(1.0, bottom - top)
    long, short = max(group.width, group.height), min(group.width, group.height)
    if long > MARK_SIZE * height or not _between(group, row):
        return None
    centre = ((group.y0 + group.y1) / 2 - top) / height
    if group.width >= DASH_ASPECT * group.height and group.width >= 0.15 * height:
        return "-" if DASH_BAND[0] <= centre <= DASH_BAND[1] else None
    if long < max(3.0, DOT_SIZE * height) or centre < LOW:
        return None
    if group.area < 0.3 * group.width * group.height:
        return None
    below = group.y1 - bottom
    if group.height > 1.4 * group.width or below > 0.12 * height:
        return ","
    return "." if short >= 0.5 * long else None


def is_slash(group: Group, mask: np.ndarray, row: list[Group]) -> bool:
    """Whether a digit-sized group is a straight, leaning stroke between two digits."""
    if len(row) < 2:
        return False
    top, bottom = _line_band(row)
    if group.height < SLASH_HEIGHT * (bottom - top) or not _between(group, row):
        return False
    ys, xs = np.nonzero(mask)
    if len(xs) < 10:
        return False
    cov = np.cov(np.stack([xs, ys]).astype(np.float64))
    values, vectors = np.linalg.eigh(cov)
    if values[0] <= 0 or values[1] / values[0] < SLASH_STRAIGHT**2:
        return False
    vx, vy = vectors[:, 1]
    lean = np.degrees(np.arctan2(abs(vx), abs(vy)))
    # A slash leans right: its top is to the right of its bottom.
    return lean >= SLASH_LEAN and vx * vy < 0


def split_separators(
    rows: list[list[Group]], others: list[Group], mask_of
) -> tuple[list[list[Group]], list[tuple[Group, str, int]]]:
    """Take the separators out of lines of digit groups, and find them among the small groups.

    Parameters
    ----------
    rows : list of list of Group
        Lines of digit-sized groups, left to right.
    others : list of Group
        Groups too small to be digits (specks, dots, commas).
    mask_of : callable
        ``mask_of(group)``: the group's uint8 ink mask over its box.

    Returns
    -------
    rows : list of list of Group
        The lines without their separators.
    separators : list of (Group, str, int)
        Each separator, its character and its line.
    """
    found = []
    kept_rows = []
    for line, row in enumerate(rows):
        kept = []
        for group in row:
            rest = [g for g in row if g is not group]
            char = small_mark(group, rest)
            if char is None and is_slash(group, mask_of(group), rest):
                char = "/"
            if char is None:
                kept.append(group)
            else:
                found.append((group, char, line))
        kept_rows.append(kept)
    for group in others:
        cy = (group.y0 + group.y1) / 2
        for line, row in enumerate(kept_rows):
            if len(row) < 2:
                continue
            top, bottom = _line_band(row)
            if top <= cy <= bottom + 0.4 * (bottom - top):
                char = small_mark(group, row)
                if char is not None:
                    found.append((group, char, line))
                break
    return kept_rows, found
