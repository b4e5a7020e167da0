"""Whole numbers: touching digits cut by the recognizer, separators, table borders, ruled paper."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_desktop.model.reading import ReadSeparator, read_frame
from lenet_desktop.model.segmentation import best_path, reading_share
from lenet_desktop.vision.segments import Segment
from tests.support.numbers import Glyphs, compose, samples
from tests.support.paper import frame_lines, photograph, rules


class CountingRecognizer:
    def __init__(self, recognizer):
        self.recognizer = recognizer
        self.path = recognizer.path
        self.calls = []

    def probabilities(self, images):
        self.calls.append(len(images))
        return self.recognizer.probabilities(images)


@pytest.fixture(scope="module")
def glyphs(mnist):
    return Glyphs(mnist.x_test, mnist.y_test)


def _photo(ink, rng, background=None):
    absorbed = ink if background is None else np.maximum(ink, background)
    return photograph(absorbed, rng)


SURE = np.eye(10, dtype=np.float32)
"""Row k: digit k read with certainty."""


def _options(*spans: tuple[int, int, float]) -> list[Segment]:
    """Segments (start cut, stop cut, width in digit heights), 10 px to a cut, blank images."""
    digit = np.zeros((28, 28), np.float32)
    return [Segment(a, b, (10 * a, 0, 10 * (b - a), 20), digit, w) for a, b, w in spans]


def test_best_path_prefers_whole_digits_over_pieces():
    sure = SURE
    unsure = np.full(10, 0.1, np.float32)
    options = _options((0, 1, 0.5), (1, 2, 0.5), (0, 2, 1.0), (2, 3, 0.5))
    probabilities = np.stack([sure[4], sure[7], unsure, sure[0]])
    assert best_path(4, options, probabilities) == [0, 1, 3]
    probabilities = np.stack([unsure, unsure, sure[0], sure[0]])
    assert best_path(4, options, probabilities) == [2, 3]
    assert best_path(5, options, probabilities) is None


def test_a_path_does_not_pass_over_ink_for_free():
    fair = np.full(10, 0.4 / 9, np.float32)
    fair[6] = 0.6
    # "66": each 6 read surely, or the first 6 and part of the second read as one
    # 6 at 0.6 with the rest of the second (too low to be a digit) passed over.
    options = _options((0, 1, 0.5), (1, 3, 0.5), (0, 2, 0.8))
    probabilities = np.stack([SURE[6], SURE[6], fair])
    assert best_path(4, options, probabilities, gaps=[(2, 3)]) == [0, 1]


def test_reading_share_counts_cuttings_that_read_the_same_together():
    sure = SURE
    options = _options((0, 1, 0.5), (1, 3, 0.6), (0, 2, 0.6), (2, 3, 0.5))
    # Two ways of cutting, both reading "42" as surely: no doubt about the reading.
    same = np.stack([sure[4], sure[2], sure[4], sure[2]])
    assert reading_share(4, options, same) == pytest.approx(1.0)
    # The second way reads "47": two readings as good as each other.
    rival = np.stack([sure[4], sure[2], sure[4], sure[7]])
    assert reading_share(4, options, rival) == pytest.approx(0.5)
    assert reading_share(5, options, same) == 0.0


@pytest.mark.mnist
def test_touching_digits_are_cut_in_one_model_call(glyphs, shipped_recognizer):
    rng = np.random.default_rng(11)
    right = 0
    for text in ("47", "203", "85", "3190"):
        ink = compose(text, glyphs, rng, 40.0, gap=(-0.1, -0.02)) * 0.85
        counting = CountingRecognizer(shipped_recognizer)
        reading = read_frame(counting, _photo(ink, rng))
        assert len(counting.calls) <= 1
        right += reading.text == text
    assert right >= 3


@pytest.mark.mnist
def test_separators_are_read_in_place_never_as_digits(glyphs, shipped_recognizer):
    rng = np.random.default_rng(5)
    right = 0
    for text in ("3.500", "10,359", "12-50", "7.25"):
        ink = compose(text, glyphs, rng, 44.0, gap=(0.25, 0.4)) * 0.85
        reading = read_frame(shipped_recognizer, _photo(ink, rng))
        digits = "".join(c for c in text if c.isdigit())
        assert len(reading.digits) <= len(digits)
        right += reading.text == text
        assert all(isinstance(s, ReadSeparator) for s in reading.separators)
    assert right >= 3


@pytest.mark.mnist
def test_cell_borders_and_tilted_squared_paper_are_not_digits(glyphs, shipped_recognizer):
    rng = np.random.default_rng(3)
    right = 0
    for angle in (0.0, 17.0, 40.0, 75.0):
        ink = compose("2604", glyphs, rng, 36.0, gap=(0.2, 0.4)) * 0.8
        border = frame_lines(ink.shape, rng, 0.7, box=False)
        grid = rules(ink.shape, rng, 22.0, angle, True, 0.15)
        reading = read_frame(shipped_recognizer, _photo(ink, rng, np.maximum(border, grid)))
        right += reading.text == "2604"
    assert right >= 3


@pytest.mark.mnist
def test_generated_logbook_cells_read_and_errors_are_unsure(glyphs, shipped_recognizer):
    batch = samples("logbook", 20, glyphs, seed=99)
    readings = [read_frame(shipped_recognizer, s.image) for s in batch]
    right = [r.text == s.text for r, s in zip(readings, batch, strict=True)]
    assert sum(right) >= 12
    assert all(0.0 <= r.confidence <= 1.0 for r in readings)
    sure_wrong = sum(r.sure and not ok for r, ok in zip(readings, right, strict=True))
    assert sure_wrong <= 2


@pytest.mark.mnist
def test_a_slash_read_as_a_one_is_never_sure(glyphs, shipped_recognizer):
    rng = np.random.default_rng(8)
    for text in ("8/96", "3/4", "15/45", "60/70"):
        # Upright slashes (see tests.support.numbers.separator_coverage), shaped as a 1 leans.
        ink = compose(text, glyphs, rng, 44.0, gap=(0.2, 0.35)) * 0.85
        reading = read_frame(shipped_recognizer, _photo(ink, rng))
        if "/" not in reading.text:
            assert not reading.sure, (text, reading.text, reading.confidence)


@pytest.mark.mnist
def test_a_cheque_pattern_taken_for_a_close_up_still_gives_its_digits(glyphs, shipped_recognizer):
    import cv2

    from lenet_desktop.vision.polarity import is_close_up

    sample = samples("cheque", 60, glyphs, seed=11)[59]
    assert sample.text == "2,654"
    # Enlarged to 271x639 the thick digits on the pattern look like a tight crop's strokes.
    image = cv2.resize(sample.image, (639, 271), interpolation=cv2.INTER_CUBIC)
    assert is_close_up(image)
    assert read_frame(shipped_recognizer, image).text == "2,654"
