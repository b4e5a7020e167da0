"""A ruling found only in part: its leftover dashes and crumbs are not taken for the pen."""

from __future__ import annotations

import cv2
import numpy as np

from lenet_desktop.vision.detect import find_digits
from lenet_desktop.vision.lines import PEN_PIECE, _has_pen
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
            pen[y : y + 13, x : x + 2] = 255
    for x, y in np.random.default_rng(0).integers(5, 195, size=(30, 2)):
        pen[y : y + 3, x : x + 3] = 255
    candidates = _vertical_lines(shape, (20, 60, 100, 140, 180))
    assert not _has_pen(pen, candidates)
    # A digit's strokes off the lines are the pen's, even a small one.
    cv2.circle(pen, (240, 100), 9, 255, 3)
    assert _has_pen(pen, candidates)


def test_a_mark_shorter_than_the_pens_least_is_not_a_stroke():
    shape = (100, 100)
    lines = _vertical_lines(shape, (10, 90))  # 2 px thick: the pen's least is 5 x 3 px
    pen = np.zeros(shape, np.uint8)
    pen[50:54, 50 : 50 + int(PEN_PIECE * 3) - 1] = 255
    assert not _has_pen(pen, lines)
    pen[50:54, 50 : 50 + int(PEN_PIECE * 3)] = 255
    assert _has_pen(pen, lines)


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


# Generated notebook rows (seed 11) that a blank-page rule applied to every page with
# fewer pen pixels than ruling pixels read as dozens of 1s and 4s (its lines went, and
# the digits' strokes with them); read right as before now.
NOTEBOOK = [16, 61, 94, 176, 189, 192, 193]


def test_digits_on_a_full_page_of_squared_or_ruled_paper_are_read(mnist, shipped_recognizer):
    from lenet_desktop.model.reading import read_frame
    from tests.support.numbers import Glyphs, samples

    rows = samples("notebook", max(NOTEBOOK) + 1, Glyphs(mnist.x_test, mnist.y_test), 11)
    read = [read_frame(shipped_recognizer, rows[i].image).text for i in NOTEBOOK]
    assert read == [rows[i].digits for i in NOTEBOOK]


# Notebook rows (seed 13) whose pen had fewer pixels than a tenth of all the ink (a full
# page of ruling): taken as blank pages, their digits' strokes went with the lines.
FEW_PEN_PIXELS = [2, 12, 67, 135, 266, 272, 288]


def test_a_short_number_on_a_full_page_of_ruling_is_not_a_blank_page(mnist, shipped_recognizer):
    from lenet_desktop.model.reading import read_frame
    from tests.support.numbers import Glyphs, samples

    rows = samples("notebook", max(FEW_PEN_PIXELS) + 1, Glyphs(mnist.x_test, mnist.y_test), 13)
    read = [read_frame(shipped_recognizer, rows[i].image).text for i in FEW_PEN_PIXELS]
    assert read == [rows[i].digits for i in FEW_PEN_PIXELS]
