"""The ink polarity of small crops of table cells: ruled borders and shadows don't flip it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from lenet_desktop.vision.detect import working_copy
from lenet_desktop.vision.polarity import border_band, polarity_and_close_up
from tests.support.numbers import Glyphs, samples
from tests.support.paper import degrade, frame_lines, photograph


def _polarity(gray: np.ndarray) -> str:
    return polarity_and_close_up(working_copy(gray)[0])[0]


def _cell(text: str, rng: np.random.Generator) -> np.ndarray:
    """A phone photo of ``text`` written large in a cell: dark border, a shadow across it."""
    ink = np.zeros((60, 40 * len(text) + 30), np.uint8)
    cv2.putText(ink, text, (12, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.9, 255, 6, cv2.LINE_AA)
    absorbed = np.maximum(
        ink.astype(np.float32) / 255.0 * 0.8, frame_lines(ink.shape, rng, 0.8, False)
    )
    photo = photograph(absorbed, rng, shadow=True)
    return degrade(photo, rng, height=34, blur=0.8, jpeg=60)


def test_border_band_is_wider_than_the_outermost_ring():
    image = np.full((48, 100), 200, np.uint8)
    image[0, :] = image[:, 0] = image[-1, :] = image[:, -1] = 20  # a cell's ruled border
    band = border_band(image)
    assert band.size > 2 * (48 + 100)
    assert float(np.median(band)) == 200.0


def test_shadowed_cell_crops_with_a_ruled_border_are_dark_ink():
    rng = np.random.default_rng(4)
    cells = [_cell(text, rng) for text in ("47", "305", "1962", "88", "5")]
    # The border's ring and the shadow made two of these five light ink before.
    assert [_polarity(cell) for cell in cells] == ["dark"] * len(cells)


@pytest.mark.mnist
def test_logbook_cells_of_real_digits_keep_their_polarity(mnist):
    glyphs = Glyphs(mnist.x_test, mnist.y_test)
    cells = [sample.image for sample in samples("logbook", 60, glyphs, seed=31)]
    dark = sum(_polarity(cell) == "dark" for cell in cells)
    light = sum(_polarity(255 - cell) == "light" for cell in cells)
    # Before the band and the stroke votes counted in close-ups: 40 and 22 of 60.
    assert dark == len(cells)
    assert light >= len(cells) - 2
