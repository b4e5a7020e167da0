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

import cv2
import numpy as np

from lenet_desktop.vision.gather import Group

MARK_SIZE = 0.5
"""Dots, commas and dashes are at most this many line heights on their long side ..."""
COMMA_SIZE = 0.8
"""... except a comma, which hangs below the line and may be this many line heights long."""
DOT_FILL = 0.3
"""A dot's ink fills at least this fraction of its box ..."""
COMMA_FILL = 0.15
"""... a comma's (see :func:`_hangs_below`) at least this fraction."""
COMMA_TOP = 0.4
"""A comma's top is below this fraction of the line's height from its top ..."""
COMMA_BELOW = 0.12
"""... and it reaches this fraction of the line's height below the line."""
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
DOUBT_LEAN = 12.0
"""A stroke between digits leaning at least this many degrees ..."""
DOUBT_STRAIGHT = 4.0
"""... and this many times longer than wide may be a slash as well as a 1."""


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
    hangs = _hangs_below(group, top, bottom)
    if long > (COMMA_SIZE if hangs else MARK_SIZE) * height or not _between(group, row):
        return None
    centre = ((group.y0 + group.y1) / 2 - top) / height
    if group.width >= DASH_ASPECT * group.height and group.width >= 0.15 * height:
        return "-" if DASH_BAND[0] <= centre <= DASH_BAND[1] else None
    if long < max(3.0, DOT_SIZE * height) or centre < LOW:
        return None
    # A dot is a solid blot; a comma's slanted tail fills less of its box.
    if group.area < (COMMA_FILL if hangs else DOT_FILL) * group.width * group.height:
        return None
    below = group.y1 - bottom
    if group.height > 1.4 * group.width or below > COMMA_BELOW * height:
        return ","
    return "." if short >= 0.5 * long else None


def _hangs_below(group: Group, top: float, bottom: float) -> bool:
    """Whether a group starts low in the line and reaches below it, taller than wide: a comma."""
    height = max(1.0, bottom - top)
    return (
        group.y0 - top >= COMMA_TOP * height
        and group.y1 - bottom >= COMMA_BELOW * height
        and group.height > 1.4 * group.width
    )


def is_slash(
    group: Group,
    mask: np.ndarray,
    row: list[Group],
    lean: float = SLASH_LEAN,
    straight: float = SLASH_STRAIGHT,
) -> bool:
    """Whether a digit-sized group is a straight, leaning stroke between two digits.

    ``lean`` (degrees from the vertical) and ``straight`` (length over width)
    are the least a slash has; :func:`may_be_slash` asks with lower ones.
    """
    if len(row) < 2:
        return False
    top, bottom = _line_band(row)
    if group.height < SLASH_HEIGHT * (bottom - top) or not _between(group, row):
        return False
    moments = cv2.moments(mask, binaryImage=True)
    if moments["m00"] < 10:
        return False
    # The principal axes of the ink, from its second moments.
    xx, yy, xy = (moments[k] / moments["m00"] for k in ("mu20", "mu02", "mu11"))
    spread = float(np.hypot((xx - yy) / 2.0, xy))
    major, minor = (xx + yy) / 2.0 + spread, (xx + yy) / 2.0 - spread
    if minor <= 0 or major / minor < straight**2:
        return False
    direction = 0.5 * np.arctan2(2.0 * xy, xx - yy)  # of the major axis, from the x axis
    angle = np.degrees(np.arctan2(abs(np.cos(direction)), abs(np.sin(direction))))
    # A slash leans right: its top is to the right of its bottom (y grows downwards).
    return angle >= lean and xy < 0


def may_be_slash(group: Group, mask: np.ndarray, row: list[Group]) -> bool:
    """Whether a stroke kept as a digit (a 1) could as well be a slash.

    A hand-drawn slash that leans less than :data:`SLASH_LEAN` has the shape
    of a slanted 1 (their lean and straightness overlap completely); only
    context tells them apart, so a reading of such a 1 is given as unsure.
    """
    return is_slash(group, mask, row, DOUBT_LEAN, DOUBT_STRAIGHT)


def split_separators(
    rows: list[list[Group]], others: list[Group], mask_of, pieces_of=None
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
    pieces_of : callable, optional
        ``pieces_of(group)``: the group's pieces, one Group each. A dot or comma
        gathered into the digit beside it is taken out again.

    Returns
    -------
    rows : list of list of Group
        The lines without their separators.
    separators : list of (Group, str, int)
        Each separator, its character and its line.
    """
    if pieces_of is not None:
        rows = [_detach_marks(row, pieces_of) for row in rows]
    rows, found = _lone_marks(rows)
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
        line = _line_of(group, kept_rows)
        if line is not None:
            char = small_mark(group, kept_rows[line])
            if char is not None:
                found.append((group, char, line))
    return kept_rows, found


def _line_of(group: Group, rows: list[list[Group]]) -> int | None:
    """The first line of two or more digits whose band (extended below) holds the group's centre."""
    cy = (group.y0 + group.y1) / 2
    for line, row in enumerate(rows):
        if len(row) < 2:
            continue
        top, bottom = _line_band(row)
        if top <= cy <= bottom + 0.4 * (bottom - top):
            return line
    return None


def _lone_marks(rows: list[list[Group]]) -> tuple[list[list[Group]], list[tuple[Group, str, int]]]:
    """Lines of one group that are a dot or comma of another line (a comma hangs low)."""
    found = []
    kept = []
    for row in rows:
        if len(row) == 1:
            line = _line_of(row[0], [r if r is not row else [] for r in rows])
            char = None if line is None else small_mark(row[0], rows[line])
            if char is not None:
                found.append((row[0], char, line))
                kept.append([])
                continue
        kept.append(row)
    return kept, found


def _detach_marks(row: list[Group], pieces_of) -> list[Group]:
    """``row`` with each dot or comma that was gathered into a digit as a group of its own."""
    out = []
    for group in row:
        pieces = pieces_of(group) if len(group.labels) > 1 else []
        for piece in pieces:
            rest = [p for p in pieces if p is not piece]
            body = Group([], rest[0].x0, rest[0].y0, rest[0].x1, rest[0].y1, 0)
            for p in rest:
                body.absorb(p)
            others = sorted([g for g in row if g is not group] + [body], key=lambda g: g.x0)
            char = small_mark(piece, others)
            # Only a plain dot, or a comma that hangs below the line: a slim piece in the
            # bottom of the line is as often a faint edge of the digit or a speck.
            if char == "." or (char == "," and _hangs_below(piece, *_line_band(others))):
                out += [body, piece]
                break
        else:
            out.append(group)
    return sorted(out, key=lambda g: g.x0)
