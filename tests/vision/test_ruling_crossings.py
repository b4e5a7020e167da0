"""Where two lines of squared paper cross and neither was found, the "+" left is no 4."""

from __future__ import annotations

import cv2
import numpy as np

from lenet_desktop.vision.detect import find_digits
from lenet_desktop.vision.lines import _crossings, _directions
from tests.support.numbers import blank_sheets

# A ruling's lines as remove_lines keeps them: ((x0, y0, x1, y1), thickness).
UPRIGHT = [((0, 10, 200, 10), 2.0), ((10, 0, 10, 200), 2.0), ((0, 60, 200, 61), 2.0)]


def test_the_rulings_directions_are_its_lines_angles_once_each():
    assert [round(d) for d in _directions(UPRIGHT)] == [0, 90]
    tilted = [((0, 0, 100, 29), 2.0), ((0, 10, 100, 39), 2.0), ((50, 0, 21, 100), 2.0)]
    assert [round(d) for d in _directions(tilted)] == [16, 106]


def test_a_thin_cross_or_corner_along_the_ruling_is_a_remnant():
    rest = np.zeros((200, 200), np.uint8)
    rest[80:121, 100:102] = 255
    rest[100:102, 80:121] = 255  # a "+" of the ruling's 2 px lines
    rest[150:182, 30:32] = 255
    rest[180:182, 30:61] = 255  # an "L"
    removed = _crossings(rest, UPRIGHT, 9.0)
    assert cv2.countNonZero(cv2.bitwise_and(rest, cv2.bitwise_not(removed))) == 0


def test_a_pens_digits_are_not_remnants():
    rest = np.zeros((200, 200), np.uint8)
    # A 4 of straight upright and level strokes, but as thick as a pen's (6 px) ...
    cv2.line(rest, (60, 30), (60, 90), 255, 6)
    cv2.line(rest, (30, 70), (80, 70), 255, 6)
    # ... and a thin 0, not made of straight runs.
    cv2.ellipse(rest, (150, 140), (18, 30), 0, 0, 360, 255, 2)
    assert cv2.countNonZero(_crossings(rest, UPRIGHT, 9.0)) == 0
    # Nor is a thin cross at an angle the ruling does not have (a handwritten x).
    x = np.zeros((200, 200), np.uint8)
    cv2.line(x, (80, 80), (120, 120), 255, 2)
    cv2.line(x, (120, 80), (80, 120), 255, 2)
    assert cv2.countNonZero(_crossings(x, UPRIGHT, 9.0)) == 0


# Blank squared pages (seed 13) whose crossings read as digits ("444", "4", "7") before.
READ_BEFORE = [10, 24, 63, 64, 79, 116, 130, 132, 150, 262]


def test_blank_squared_pages_with_crossings_left_give_no_digits():
    sheets = blank_sheets("squared", max(READ_BEFORE) + 1, seed=13)
    assert [find_digits(sheets[i]) for i in READ_BEFORE] == [[] for _ in READ_BEFORE]


def test_a_stroke_across_a_rule_is_kept_but_digits_along_it_are_not_joined():
    from lenet_desktop.vision.lines import _crossed

    rule = [((0, 50, 199, 50), 2.0)]  # a level rule through y = 50
    rest = np.zeros((100, 200), np.uint8)
    rest[30:49, 40:44] = 255
    rest[52:70, 40:44] = 255  # a stroke cut by the rule: ink just above and below it
    rest[40:49, 100:120] = 255
    rest[40:49, 124:140] = 255  # two digits close together, sitting on the rule
    crossed = _crossed(rest, rule)
    assert crossed[49:52, 40:44].all()  # the stroke is bridged across the rule ...
    assert not crossed[49:52, 120:124].any()  # ... the rule between the digits is not


def test_crumbs_beside_a_removed_line_go_and_digits_stay():
    from lenet_desktop.vision.lines import CRUMB, _crumbs

    removed = np.zeros((100, 200), np.uint8)
    removed[49:52, :] = 255  # a line taken out
    left = np.zeros_like(removed)
    crumb = int(CRUMB * 3)  # lines 2 px thick: a crumb is at most 9 px long
    left[52 : 52 + crumb, 30:33] = 255  # a stub of a crossing line, touching it
    left[20:45, 80:84] = 255  # a digit's stroke, not touching
    left[52:80, 120:140] = 255  # a digit sitting on the line, longer than a crumb
    left[10:14, 170:174] = 255  # a speck away from every line
    gone = _crumbs(left, removed, [((0, 50, 199, 50), 2.0)])
    assert gone[52:55, 30:33].all()
    assert not gone[:, 60:].any()


# Notebook rows (seed 11) read wrong while a rule joined the digits sitting on it into one
# piece, and crumbs of cut lines were read as digits beside the number.
JOINED = [65, 112, 165, 194, 226, 231]


def test_a_number_sitting_on_a_rule_is_read_digit_by_digit(mnist, shipped_recognizer):
    from lenet_desktop.model.reading import read_frame
    from tests.support.numbers import Glyphs, samples

    rows = samples("notebook", max(JOINED) + 1, Glyphs(mnist.x_test, mnist.y_test), 11)
    assert [read_frame(shipped_recognizer, rows[i].image).text for i in JOINED] == [
        rows[i].digits for i in JOINED
    ]
