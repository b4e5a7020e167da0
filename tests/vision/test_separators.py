"""Separators told from digits by where they sit in their line: long, gathered and lone commas."""

from __future__ import annotations

import cv2
import numpy as np

from lenet_desktop.vision.gather import Group
from lenet_desktop.vision.separators import is_slash, may_be_slash, split_separators


def _box(label: int, x0: int, y0: int, x1: int, y1: int, fill: float = 0.5) -> Group:
    return Group([label], x0, y0, x1, y1, int(fill * (x1 - x0) * (y1 - y0)))


def _no_slash(group: Group) -> np.ndarray:
    return np.zeros((group.height, group.width), np.uint8)


def _digits() -> list[Group]:
    """Three digits 40 px tall (rows 10-50), with room for a mark after the first."""
    return [_box(1, 0, 10, 25, 50), _box(2, 60, 10, 85, 50), _box(3, 95, 10, 120, 50)]


def test_a_long_comma_hanging_below_the_line_is_a_comma():
    first, second, third = _digits()
    # 24 px long (0.6 of the line, longer than a dot or dash may be), starting at 0.7 of
    # the line's height and reaching 12 px below it; a thin slanted tail fills 20% of its box.
    comma = _box(4, 35, 38, 45, 62, fill=0.2)
    rows, marks = split_separators([[first, comma, second, third]], [], _no_slash)
    assert rows == [[first, second, third]]
    assert [(m[0], m[1], m[2]) for m in marks] == [(comma, ",", 0)]


def test_a_stroke_as_long_that_stays_within_the_line_is_not_a_comma():
    first, second, third = _digits()
    stroke = _box(4, 35, 24, 45, 48, fill=0.2)
    rows, marks = split_separators([[first, stroke, second, third]], [], _no_slash)
    assert rows == [[first, stroke, second, third]] and marks == []


def test_a_comma_gathered_into_the_digit_beside_it_is_taken_out_again():
    first, second, third = _digits()
    body = _box(5, 26, 10, 50, 50)
    comma = _box(6, 53, 40, 59, 60, fill=0.4)
    merged = Group([5, 6], 26, 10, 59, 60, body.area + comma.area)
    pieces = {5: body, 6: comma}

    def pieces_of(group):
        return [pieces[label] for label in group.labels]

    row = [first, merged, _box(2, 70, 10, 95, 50), _box(3, 100, 10, 125, 50)]
    rows, marks = split_separators([row], [], _no_slash, pieces_of)
    assert [(g.x0, g.x1, g.y1) for g in rows[0]] == [
        (0, 25, 50),
        (26, 50, 50),
        (70, 95, 50),
        (100, 125, 50),
    ]
    assert [(m[0], m[1]) for m in marks] == [(comma, ",")]


def test_a_faint_edge_piece_within_the_line_stays_with_its_digit():
    first, second, third = _digits()
    body = _box(5, 26, 10, 50, 50)
    edge = _box(6, 51, 30, 54, 48, fill=0.4)  # slim, low, but not below the line
    merged = Group([5, 6], 26, 10, 54, 50, body.area + edge.area)
    pieces = {5: body, 6: edge}
    row = [first, merged, _box(2, 70, 10, 95, 50), _box(3, 100, 10, 125, 50)]
    rows, marks = split_separators(
        [row], [], _no_slash, lambda g: [pieces[label] for label in g.labels]
    )
    assert rows == [row] and marks == []


def test_a_comma_put_on_a_line_of_its_own_belongs_to_the_line_above():
    first, second, third = _digits()
    comma = _box(4, 35, 45, 45, 68, fill=0.3)  # its centre is below the digits' band
    rows, marks = split_separators([[first, second, third], [comma]], [], _no_slash)
    assert rows == [[first, second, third], []]
    assert [(m[0], m[1], m[2]) for m in marks] == [(comma, ",", 0)]


def test_a_lone_digit_on_its_own_line_stays_a_digit():
    first, second, third = _digits()
    other = _box(4, 30, 90, 55, 130)  # a digit on the next line, as tall as the others
    rows, marks = split_separators([[first, second, third], [other]], [], _no_slash)
    assert rows == [[first, second, third], [other]] and marks == []


def _stroke(lean_degrees: float, height: int = 40, pen: int = 4) -> tuple[Group, np.ndarray]:
    """A straight stroke as tall as the digits, its top ``lean_degrees`` to the right."""
    width = int(round(height * np.tan(np.radians(lean_degrees)))) + pen + 1
    mask = np.zeros((height, width), np.uint8)
    cv2.line(mask, (width - 1 - pen // 2, 0), (pen // 2, height - 1), 255, pen)
    return Group([4], 35, 10, 35 + width, 10 + height, int((mask > 0).sum())), mask


def test_a_steep_slash_is_a_slash_and_a_slanted_stroke_only_may_be_one():
    first, second, third = _digits()
    row = [first, _box(2, 80, 10, 105, 50), _box(3, 110, 10, 135, 50)]
    steep, steep_mask = _stroke(40.0)
    assert is_slash(steep, steep_mask, row) and may_be_slash(steep, steep_mask, row)
    slanted, slanted_mask = _stroke(22.0)  # as a slanted 1 leans
    assert not is_slash(slanted, slanted_mask, row)
    assert may_be_slash(slanted, slanted_mask, row)
    upright, upright_mask = _stroke(4.0)  # a 1 written upright is a 1
    assert not may_be_slash(upright, upright_mask, row)
