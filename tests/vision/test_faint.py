"""A digit written more faintly than the rest of its number is still found."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from lenet_desktop.vision.detect import find_digits
from lenet_desktop.vision.faint import (
    FAINT_MOST,
    faint_digit,
    faint_pieces,
    with_faint_ink,
)
from lenet_desktop.vision.gather import Group
from lenet_desktop.vision.ink import Components, ink_components, ink_map
from tests.support.numbers import Glyphs, samples

PAPER = 190.0


def _crop(levels, noise=4.0, seed=0, blur=0.7, text="384", background=None):
    """A 36x84 crop of a table cell: one digit per level (its ink's grey), on noisy paper."""
    rng = np.random.default_rng(seed)
    page = np.full((36, 84), PAPER) if background is None else background.astype(np.float64)
    for i, (char, level) in enumerate(zip(text, levels, strict=True)):
        ink = np.zeros(page.shape, np.uint8)
        cv2.putText(
            ink, char, (6 + 26 * i, 29), cv2.FONT_HERSHEY_SIMPLEX, 0.95, 255, 2, cv2.LINE_AA
        )
        share = ink.astype(np.float64) / 255.0
        page = page * (1 - share) + level * share
    page += rng.normal(0, noise, page.shape)
    if blur:
        page = cv2.GaussianBlur(page, (0, 0), blur)
    return np.clip(page, 0, 255).astype(np.uint8)


def _lefts(image):
    return [d.box[0] for d in find_digits(image)]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("faint", [110, 130])
def test_digits_written_with_a_fainter_pen_are_found_beside_the_dark_one(faint, seed):
    # The dark 3 sets what surely is ink; the 8 and 4, a third as dark, were taken for a
    # faint printed background and the number was read as "3".
    lefts = _lefts(_crop((30, faint, faint), seed=seed))
    assert len(lefts) == 3
    assert lefts == sorted(lefts)
    assert lefts[1] > 20 and lefts[2] > 45  # the 8 and the 4, not pieces of the 3


def test_a_number_written_evenly_is_found_as_before():
    assert len(_lefts(_crop((30, 30, 30)))) == 3


def test_a_faint_printed_pattern_beside_a_number_is_not_read_as_digits():
    # Faint wavy lines over the whole crop (a cheque's pattern): many pieces, all texture.
    background = np.full((36, 84), PAPER)
    for k in range(-40, 84, 6):
        xs = np.arange(84)
        ys = (k + 0.5 * xs + 3 * np.sin(xs / 4.0)).astype(np.int32)
        for x, y in zip(xs, ys, strict=True):
            if 0 <= y < 36:
                background[y, x] = 140
    image = _crop((30, 30, 30), background=background)
    assert len(find_digits(image)) == 3


def test_a_faint_cell_wall_beside_a_number_is_not_a_digit():
    image = _crop((30, 30, 30))
    image[:, 80:82] = 150  # the cell's faint right wall, down the crop's whole height
    assert len(find_digits(image)) == 3


def _group(x0, y0, width, height, area=None, labels=(0,)):
    return Group(list(labels), x0, y0, x0 + width, y0 + height, area or width * height // 3)


def test_a_faint_group_is_a_digit_only_when_it_looks_like_one_on_the_line():
    digits = [_group(10, 20, 40, 60), _group(60, 22, 38, 58)]
    shape = (100, 300)
    assert faint_digit(_group(110, 21, 36, 58), digits, shape)
    assert not faint_digit(_group(110, 21, 6, 58), digits, shape)  # a sliver: a rule
    assert not faint_digit(_group(110, 21, 36, 20), digits, shape)  # too short
    assert not faint_digit(_group(110, 0, 36, 58), digits, shape)  # touches the border
    assert not faint_digit(_group(3, 21, 5, 58), digits, shape)  # a band along its side
    assert not faint_digit(_group(2, 21, 8, 58), [_group(60, 22, 38, 58)], shape)
    assert not faint_digit(_group(110, 21, 36, 58, area=20), digits, shape)  # too little ink
    assert not faint_digit(_group(110, 21, 200, 58), digits, shape)  # wider than a digit
    assert not faint_digit(_group(110, 21, 36, 58), [], shape)


def _components(boxes, shape=(100, 300), seeded=1):
    """Filled boxes as pieces of ink; the first ``seeded`` hold sure ink."""
    labels = np.zeros(shape, np.int32)
    stats = [[0, 0, shape[1], shape[0], 0]]
    for i, (x, y, w, h) in enumerate(boxes, 1):
        labels[y : y + h, x : x + w] = i
        stats.append([x, y, w, h, w * h])
    index = np.arange(1, len(boxes) + 1, dtype=np.int64)
    return Components(labels, np.array(stats, np.int32), index[:seeded], index[seeded:])


def test_faint_pieces_beside_a_line_of_digits_are_candidates_texture_is_not():
    digits = [_group(10, 20, 40, 60)]
    parts = _components([(10, 20, 40, 60), (70, 22, 30, 55), (150, 5, 4, 6), (200, 0, 30, 50)])
    assert faint_pieces(parts, digits, (100, 300)).tolist() == [2]
    # One faint piece too many beside the line: texture, none is taken.
    many = [(10, 20, 40, 60)] + [(60 + 15 * k, 30, 10, 30) for k in range(FAINT_MOST + 1)]
    assert faint_pieces(_components(many), digits, (100, 300)).size == 0
    assert faint_pieces(parts, [], (100, 300)).size == 0


def test_ink_taken_out_as_a_pattern_becomes_faint_pieces_unless_it_is_a_real_pattern():
    parts = _components([(10, 20, 40, 60)])
    mask = np.zeros((100, 300), np.uint8)
    mask[22:80, 70:100] = 255
    digits = [_group(10, 20, 40, 60)]
    added = with_faint_ink(parts, mask, digits)
    assert added.faint.tolist() == [2]
    assert added.stats[2, :4].tolist() == [70, 22, 30, 58]
    assert np.all(added.labels[22:80, 70:100] == 2)
    assert np.array_equal(added.labels[20:80, 10:50], parts.labels[20:80, 10:50])
    pattern = np.zeros((100, 300), np.uint8)
    mask[50:52, 150:152] = 255  # a speck: too small to look at
    assert with_faint_ink(parts, mask, digits).faint.tolist() == [2]
    assert with_faint_ink(parts, mask, []) is parts
    pattern = np.zeros((100, 300), np.uint8)
    pattern[10:90, 100::8] = 255  # a printed background: far more pieces than a digit or two
    assert with_faint_ink(parts, pattern, digits) is parts


def test_ink_components_keeps_unseeded_pieces_as_faint():
    page = np.full((80, 120), 200, np.uint8)
    cv2.rectangle(page, (10, 10), (40, 60), 20, 4)  # dark
    cv2.rectangle(page, (70, 10), (100, 60), 170, 4)  # faint
    found = ink_map(page, "dark", remove_lighting=False)
    found.strong[:, 60:] = 0  # as if nothing there reached the surely-ink level
    parts = ink_components(found)
    lefts = sorted(int(parts.stats[i, 0]) for i in parts.kept)
    faint_lefts = sorted(int(parts.stats[i, 0]) for i in parts.faint)
    assert len(lefts) == 1 and lefts[0] < 15
    assert len(faint_lefts) == 1 and 65 < faint_lefts[0] < 75


@pytest.mark.parametrize(("index", "digits"), [(167, "82"), (264, "384"), (307, "337")])
def test_generated_logbook_cells_with_a_faint_digit_keep_it(mnist, index, digits):
    # Crops of the held-out set of bench/read_numbers.py that were read with digits left out
    # ("8", "3", "3"), and read as sure.
    glyphs = Glyphs(mnist.x_test, mnist.y_test)
    sample = list(samples("logbook", index + 1, glyphs, 2026))[index]
    assert sample.digits == digits
    assert len(find_digits(sample.image)) == len(digits)
