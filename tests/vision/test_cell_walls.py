"""The wall of a table cell beside a number is not read as a 1."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from lenet_desktop.vision.detect import find_marks
from lenet_desktop.vision.gather import Group
from lenet_desktop.vision.not_digits import without_cell_walls, without_edge_walls
from tests.support.numbers import Glyphs, blank_sheets, samples


def _group(x0, y0, width, height, area=None):
    return Group([0], x0, y0, x0 + width, y0 + height, area or width * height // 2)


def test_a_full_height_upright_band_at_the_end_is_a_cell_wall():
    digits = [_group(12, 14, 45, 66), _group(70, 12, 44, 68)]
    wall = _group(130, 0, 8, 96, 530)
    assert without_cell_walls([*digits, wall], 96) == digits
    left_wall = _group(0, 2, 7, 92, 500)
    assert without_cell_walls([left_wall, *digits], 96) == digits


def test_a_wall_cut_short_by_the_crop_or_beside_a_big_digit_is_a_cell_wall():
    digits = [_group(24, 20, 39, 59), _group(81, 41, 56, 42)]
    short_wall = _group(185, 9, 11, 79, 540)  # 0.82 of the crop's height, digits 59 high
    assert without_cell_walls([*digits, short_wall], 96) == digits
    big_four = _group(2, 9, 83, 87, 3221)
    full_wall = _group(137, 1, 8, 95, 562)  # the whole height, the 4 nearly as tall
    assert without_cell_walls([big_four, full_wall], 96) == [big_four]


def test_a_written_one_within_the_cells_margins_is_kept():
    digits = [_group(12, 14, 45, 66), _group(70, 12, 44, 68)]
    one = _group(130, 12, 9, 70, 500)
    assert without_cell_walls([*digits, one], 96) == [*digits, one]
    # A 1 as tall as a tight crop, beside digits as tall, is no wall either.
    tight = [_group(0, 0, 40, 96), _group(50, 2, 40, 94), _group(100, 0, 9, 96, 600)]
    assert without_cell_walls(tight, 96) == tight


def test_a_band_between_digits_or_alone_is_kept():
    middle = [_group(12, 14, 45, 66), _group(70, 0, 8, 96, 530), _group(90, 12, 44, 68)]
    assert without_cell_walls(middle, 96) == middle
    alone = [_group(40, 0, 8, 96, 530)]
    assert without_cell_walls(alone, 96) == alone


def test_the_walls_of_an_empty_cell_are_not_ones():
    # A 250x96 crop of an empty cell: its right wall, or what is left of both walls.
    right = _group(244, 4, 5, 60, 280)
    assert without_cell_walls([right], 96, 250) == []
    left, broken_right = _group(0, 20, 4, 40, 150), _group(246, 30, 4, 25, 90)
    assert without_cell_walls([left, broken_right], 96, 250) == []


def test_a_tight_crop_of_a_one_or_of_eleven_keeps_its_ones():
    one = _group(1, 0, 12, 96, 900)
    assert without_cell_walls([one], 96, 16) == [one]
    eleven = [_group(0, 0, 10, 96, 800), _group(30, 0, 10, 96, 800)]
    assert without_cell_walls(eleven, 96, 40) == eleven
    # A 1 written in the middle of a wide cell is no wall.
    middle = _group(120, 10, 9, 70, 500)
    assert without_cell_walls([middle], 96, 250) == [middle]


def test_a_wall_with_the_stubs_of_the_borders_at_its_ends_is_a_wall():
    # A 250x96 crop of an empty cell whose top and bottom borders left stubs on its
    # left wall ("[", 30 wide): as thin as a line over the crop's height.
    bracket = _group(3, 6, 30, 85, 600)
    assert without_cell_walls([bracket], 96, 250) == []
    ell = _group(0, 0, 32, 96, 520)  # the wall and the stub of the bottom border
    assert without_cell_walls([ell], 96, 250) == []


def test_the_wall_of_a_box_drawn_inside_the_crop_is_a_wall():
    # The box's right side stands 10 px in from the crop's edge (within 0.15 of the height).
    inset = _group(234, 8, 6, 80, 460)
    assert without_cell_walls([inset], 96, 250) == []
    # Further in, or short of most of the height, it may be a written 1.
    further = _group(214, 8, 6, 80, 460)
    assert without_cell_walls([further], 96, 250) == [further]
    short = _group(234, 30, 6, 50, 290)
    assert without_cell_walls([short], 96, 250) == [short]


def test_a_seven_at_the_side_of_an_empty_cell_is_kept():
    # A pen's 7 is as wide as the stubbed wall, but its strokes hold about twice the ink.
    seven = _group(205, 8, 40, 80, 1024)
    assert without_cell_walls([seven], 96, 250) == [seven]


def test_the_two_sides_of_an_empty_box_are_walls():
    # 128x96: a box drawn 8 px in from the sides, each side 71 px high (short of the
    # three quarters of the height a lone wall must span this far in).
    sides = [_group(8, 13, 5, 71, 348), _group(115, 13, 5, 71, 350)]
    assert without_cell_walls(sides, 96, 128) == []
    # Not a matching pair (a shorter 1 lower down beside one side): the 1 is kept, and
    # the side too, being no wall on its own this far in and this short.
    one = _group(8, 30, 5, 50, 240)
    assert without_cell_walls([one, sides[1]], 96, 128) == [one, sides[1]]


@pytest.mark.parametrize("index", [19, 44, 71])
def test_empty_cells_whose_walls_read_as_a_one_read_nothing(index):
    # Three empty cells of the benchmark's generator (seed 2026) that read as a sure 1:
    # a wall with the stub of the bottom border ("L", 19), a wall with both stubs ("[",
    # 71), and a box (44) whose walls, once dropped, left nothing, so the paper between
    # them was read again as light ink on dark ("444444"): nothing was written there.
    image = blank_sheets("empty cell", index + 1, 2026)[index]
    assert find_marks(image) == ([], [])


def _ink(groups_boxes, shape=(96, 300), stroke=10):
    """An ink mask of digit-like rings (pen strokes ``stroke`` wide) in the given boxes."""
    mask = np.zeros(shape, np.uint8)
    for x, y, w, h in groups_boxes:
        cv2.ellipse(
            mask,
            (x + w // 2, y + h // 2),
            (w // 2 - stroke // 2, h // 2 - stroke // 2),
            0,
            0,
            360,
            255,
            stroke,
        )
    return mask


def test_a_thin_band_by_the_crops_side_beside_digits_is_a_cell_wall():
    digits = [_group(30, 15, 45, 62, 1600), _group(90, 15, 45, 62, 1600)]
    mask = _ink([(30, 15, 45, 62), (90, 15, 45, 62)])
    left = _group(2, 10, 6, 66, 330)  # 5 px thick, 2 px from the side: the cell's wall
    right = _group(292, 0, 6, 68, 380)
    assert without_edge_walls([left, *digits], mask) == digits
    assert without_edge_walls([*digits, right], mask) == digits


def test_a_written_one_is_kept_by_the_side_of_a_cell_or_of_a_tight_crop():
    digits = [_group(30, 15, 45, 62, 1600), _group(90, 15, 45, 62, 1600)]
    mask = _ink([(30, 15, 45, 62), (90, 15, 45, 62)])
    one = _group(12, 15, 12, 62, 620)  # 10 px thick: a pen's 1, though near the side
    assert without_edge_walls([one, *digits], mask) == [one, *digits]
    away = _group(160, 15, 6, 62, 330)  # thin, but well in from the side
    assert without_edge_walls([*digits, away], mask) == [*digits, away]
    # A tight crop: the digits fill its height and its thin 1 touches its side.
    tight = [_group(30, 1, 45, 94, 2400), _group(90, 2, 45, 93, 2400)]
    tight_mask = _ink([(30, 1, 45, 94), (90, 2, 45, 93)])
    thin_one = _group(0, 3, 7, 90, 450)
    assert without_edge_walls([thin_one, *tight], tight_mask) == [thin_one, *tight]
    # ... or where only the 1 reaches the top: the ink still fills the height.
    low = [_group(30, 12, 45, 84, 2400), _group(90, 20, 45, 60, 2000)]
    low_mask = _ink([(30, 12, 45, 84), (90, 20, 45, 60)])
    tall_one = _group(292, 0, 7, 60, 450)
    assert without_edge_walls([*low, tall_one], low_mask) == [*low, tall_one]
    assert without_edge_walls([one], mask) == [one]


@pytest.mark.parametrize(
    ("index", "digits"), [(33, "448"), (70, "32646"), (90, "6"), (126, "6297"), (233, "42239")]
)
def test_generated_logbook_cells_with_a_wall_by_their_side_read_no_extra_one(mnist, index, digits):
    # Held-out crops of bench/read_numbers.py read with the wall as a 1 ("4481", "16"), sure.
    glyphs = Glyphs(mnist.x_test, mnist.y_test)
    sample = list(samples("logbook", index + 1, glyphs, 2026))[index]
    assert sample.digits == digits
    assert len(find_marks(sample.image)[0]) == len(digits)


def test_a_lone_band_a_few_pixels_in_from_a_small_crops_side_is_a_wall():
    # A 180x96 enlargement of an empty cell whose right wall was cut 6 px in, 75% high.
    wall = _group(165, 4, 9, 71, 330)
    assert without_cell_walls([wall], 96, 180, enlarged=True) == []
    # In a whole frame, a lone 1 that far from the side is a 1.
    assert without_cell_walls([wall], 96, 180) == [wall]
    # A written 1 alone in a cell sits within its margins, further in.
    one = _group(150, 14, 9, 66, 420)
    assert without_cell_walls([one], 96, 180, enlarged=True) == [one]


@pytest.mark.parametrize("index", [151, 172])
def test_empty_cells_with_a_wall_cut_a_little_in_read_nothing(index):
    # Read as a sure "1" before (seed 11 of bench/read_numbers.py's blanks).
    sheet = blank_sheets("empty cell", index + 1, seed=11)[index]
    assert find_marks(sheet)[0] == []
