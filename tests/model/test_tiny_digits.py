"""A mark a few pixels high is never read as a sure digit (specks, a grid's crumbs)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from lenet_desktop.model.reading import (
    TINY_DOUBT,
    TINY_PX,
    TINY_SHARE,
    mark_tiny,
    read_frame,
    read_many,
)
from lenet_desktop.vision.detect import DigitCandidate
from tests.support.numbers import blank_sheets


def _candidate(height: int) -> DigitCandidate:
    return DigitCandidate((5, 5, max(1, height // 3), height), np.zeros((28, 28), np.float32), 0)


def test_tiny_is_measured_in_the_image_and_against_its_size():
    heights = [6, TINY_PX - 1, TINY_PX, 40]
    page = [_candidate(h) for h in heights]
    mark_tiny(page, (300, 400))
    assert [c.tiny for c in page] == [True, True, False, False]
    # In a small crop (a table cell 30 px high) a digit of 9 px is a third of its height.
    crop = [_candidate(h) for h in heights]
    mark_tiny(crop, (30, 90))
    least = TINY_SHARE * 30
    assert [c.tiny for c in crop] == [h < least for h in heights] == [False] * 4


def _page_with_bar(height: int, width: int) -> np.ndarray:
    page = np.full((300, 400), 235, np.uint8)
    cv2.rectangle(page, (200, 120), (200 + width - 1, 120 + height - 1), 30, -1)
    return page


@pytest.mark.parametrize("height, width", [(8, 2), (9, 3)])
def test_a_tiny_upright_mark_is_read_as_a_1_but_not_sure(shipped_recognizer, height, width):
    reading = read_frame(shipped_recognizer, _page_with_bar(height, width))
    assert [d.label for d in reading.digits] == [1]
    assert reading.digits[0].tiny
    assert reading.digits[0].confidence > reading.threshold  # the network alone is sure ...
    assert not reading.sure  # ... but such a mark is too small to trust
    assert reading.confidence == pytest.approx(reading.digits[0].confidence * TINY_DOUBT)


def test_the_same_mark_written_large_is_sure(shipped_recognizer):
    reading = read_frame(shipped_recognizer, _page_with_bar(48, 7))
    assert [d.label for d in reading.digits] == [1]
    assert not reading.digits[0].tiny
    assert reading.sure
    assert reading.confidence == pytest.approx(reading.digits[0].confidence)


def test_batched_reading_doubts_tiny_marks_alike(shipped_recognizer):
    images = [_page_with_bar(8, 2), _page_with_bar(48, 7)]
    batched = read_many(shipped_recognizer, images)
    alone = [read_frame(shipped_recognizer, image) for image in images]
    assert [r.sure for r in batched] == [r.sure for r in alone] == [False, True]
    assert [r.digits[0].tiny for r in batched] == [True, False]
    for b, a in zip(batched, alone, strict=True):
        assert b.confidence == pytest.approx(a.confidence, rel=1e-5)


# Blank pages (seed 11) that read as a sure digit before tiny marks were doubted:
# specks read as 4, 7 and 3, and a squared page's crumbs as 1s.
SURE_BEFORE = {
    "specks": [28, 53, 69, 161],
    "squared": [20, 35, 42, 58, 71, 100],
    "shadow": [130, 203],
}


@pytest.mark.parametrize("background", sorted(SURE_BEFORE))
def test_blank_pages_with_specks_are_not_read_sure(shipped_recognizer, background):
    wanted = SURE_BEFORE[background]
    sheets = blank_sheets(background, max(wanted) + 1, seed=11)
    readings = [read_frame(shipped_recognizer, sheets[i]) for i in wanted]
    if background != "squared":  # (a squared page's crumbs may be taken out with its lines)
        assert all(r.digits for r in readings)  # still marks on the page ...
    assert not any(r.sure for r in readings)  # ... but none claimed as a sure number


def test_recognize_says_which_marks_are_too_small(tmp_path, capsys):
    import json

    from lenet_desktop.cli import main

    path = tmp_path / "speck.png"
    cv2.imwrite(str(path), _page_with_bar(8, 2))
    assert main([str(path), "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["text"] == "1" and result["sure"] is False
    assert [d["tiny"] for d in result["digits"]] == [True]
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "too small to be sure of" in out and "not sure" in out
