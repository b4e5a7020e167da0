"""A ruling found only in part: its leftover dashes and crumbs are not taken for the pen."""

from __future__ import annotations

import cv2
import numpy as np

from lenet_desktop.vision.detect import find_digits
from lenet_desktop.vision.lines import CRUMB, PEN_SHARE, _has_pen
from tests.support.numbers import blank_sheets
from tests.support.scenes import digit_row_photo


def _vertical_lines(shape, xs, thickness=2):
    return [((x, 0, x, shape[0] - 1), float(thickness)) for x in xs]


def test_dashes_and_crumbs_of_the_ruling_are_not_the_pen():
    shape = (200, 300)
    pen = np.zeros(shape, np.uint8)
    # What the Hough transform left of a ruling: upright dashes between the lines found,
    # and crumbs where other lines crossed them.
    for x in (40, 80, 120, 160):
        for y in range(0, 200, 20):
            cv2.line(pen, (x, y), (x, y + 12), 255, 2)
    for x, y in np.random.default_rng(0).integers(5, 195, size=(30, 2)):
        pen[y : y + 2, x : x + 2] = 255
    candidates = _vertical_lines(shape, (20, 60, 100, 140, 180))
    count = 2 * cv2.countNonZero(pen)  # as much again on the lines found
    assert not _has_pen(pen, candidates, count)
    # A digit's strokes off the lines are the pen's.
    cv2.circle(pen, (240, 100), 25, 255, 5)
    assert cv2.countNonZero(pen[60:140, 200:280]) >= PEN_SHARE * count
    assert _has_pen(pen, candidates, count)


def test_a_pen_dot_no_longer_than_a_crumb_is_not_a_stroke():
    shape = (100, 100)
    pen = np.zeros(shape, np.uint8)
    side = int(CRUMB * 3) - 1  # lines 2 px thick: a crumb is shorter than 2 x 3 px
    pen[50 : 50 + side, 50 : 50 + side] = 255
    assert not _has_pen(pen, _vertical_lines(shape, (10, 90)), cv2.countNonZero(pen))


# Blank ruled pages (seed 11) read as digits before (rows of 1s along the rules where the
# ruling was found only in part, the whole page as an 8 or a 2), nothing now.
READ_BEFORE = [48, 52, 70, 160, 161, 180, 273, 279]


def test_blank_ruled_pages_found_in_part_give_no_digits():
    sheets = blank_sheets("ruled", max(READ_BEFORE) + 1, seed=11)
    assert [find_digits(sheets[i]) for i in READ_BEFORE] == [[] for _ in READ_BEFORE]


def test_digits_on_ruled_paper_are_still_found(mnist):
    rng = np.random.default_rng(5)
    for spacing in (22, 30):
        index = rng.choice(len(mnist.x_test), 4, replace=False)
        scene = digit_row_photo([mnist.x_test[i] for i in index], rng)
        page = scene.image.astype(np.float32)
        for y in range(spacing // 2, page.shape[0], spacing):
            page[y : y + 2] *= 0.75  # printed rules under the digits
        found = find_digits(page.astype(np.uint8))
        assert len(found) == 4, (spacing, [c.box for c in found])
