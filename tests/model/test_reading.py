"""Reading digits: labels, boxes and the number they spell, from one batched model call."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_desktop.model.calibration import calibration_path, load_threshold
from lenet_desktop.model.reading import (
    ReadDigit,
    Reading,
    ReadSeparator,
    _reading,
    read_frame,
    read_many,
    read_single,
)
from tests.support.scenes import digit_canvas, digit_lines_photo, digit_row_photo


class CountingRecognizer:
    """Wraps a recognizer and counts the model calls and the digits in them."""

    def __init__(self, recognizer):
        self.recognizer = recognizer
        self.calls = []

    def probabilities(self, images):
        self.calls.append(len(images))
        return self.recognizer.probabilities(images)


def _digits(mnist, wanted):
    """The first MNIST test image of each wanted label."""
    return [mnist.x_test[int(np.flatnonzero(mnist.y_test == label)[0])] for label in wanted]


def _digits_read_right(mnist, recognizer, wanted):
    """The first MNIST test image of each wanted label that ``recognizer`` reads right alone.

    For tests of how digits are grouped into numbers and lines, not of the model: the
    first test 5 (index 8) is one that a model may fairly read as a 6.
    """
    out = []
    for label in wanted:
        for index in np.flatnonzero(mnist.y_test == label):
            image = mnist.x_test[int(index)]
            if int(np.argmax(recognizer.probabilities(image.astype(np.float32) / 255))) == label:
                out.append(image)
                break
    return out


def _read(label, line=0, x=0, confidence=1.0):
    probs = np.eye(10, dtype=np.float32)[label]
    box = (x, 10 * line, 8, 10)
    return ReadDigit(box, np.zeros((28, 28), np.float32), label, confidence, probs, line)


def test_separators_take_their_place_in_the_text():
    digits = [_read(3, x=0), _read(5, x=20), _read(0, x=30), _read(0, x=40)]
    dot = ReadSeparator((11, 8, 3, 3), ".")
    reading = Reading(digits, separators=[dot])
    assert reading.text == "3.500"
    assert [getattr(i, "char", None) for i in reading.items] == [None, ".", None, None, None]
    dash = ReadSeparator((10, 14, 6, 2), "-", line=1)
    two_lines = Reading([_read(1), _read(2, 1), _read(7, 1, x=20)], separators=[dash])
    assert two_lines.text == "1 2-7"
    with pytest.raises(ValueError, match="separator"):
        ReadSeparator((0, 0, 1, 1), "7")


def test_whole_number_confidence_and_sure():
    reading = Reading([_read(1, confidence=0.99), _read(2, confidence=0.5)], threshold=0.6)
    assert reading.confidence == pytest.approx(0.495) and not reading.sure
    confident = Reading([_read(1, confidence=0.99), _read(2, confidence=0.98)], threshold=0.6)
    assert confident.sure and 0.0 <= confident.confidence <= 1.0
    assert not Reading().sure and Reading().confidence == 0.0
    # A clear reading of a cut group: the cutting's doubt lowers the confidence, but a
    # share of 1/4 (four ways of cutting, most of them reading the same) does not veto it.
    cut = _reading([_read(4, confidence=0.99), _read(7, confidence=0.99)], 0.25, [], 0.77)
    assert 0.77 < cut.confidence < 0.99**2 and cut.sure
    doubtful = _reading([_read(4, confidence=0.99), _read(7, confidence=0.99)], 1e-4, [], 0.77)
    assert not doubtful.sure
    cluttered = Reading(error="too cluttered to read")
    assert not cluttered.ok and not cluttered.sure and cluttered.text == ""


def test_threshold_file_beside_the_model(tmp_path):
    model = tmp_path / "m.keras"
    assert calibration_path(model) == tmp_path / "m.reading.json"
    default = load_threshold(model)
    calibration_path(model).write_text('{"threshold": 0.42}')
    assert load_threshold(model) == pytest.approx(0.42)
    calibration_path(model).write_text('{"threshold": "nan"}')
    assert load_threshold(model) == default
    # A calibration made on other weights is not used for these.
    calibration_path(model).write_text('{"threshold": 0.37, "weights_sha256": "aaa"}')
    assert load_threshold(model, "aaa") == pytest.approx(0.37)
    assert load_threshold(model, "bbb") == default


def test_text_joins_digits_and_separates_lines():
    reading = Reading([_read(2), _read(0), _read(2), _read(6), _read(1, line=1), _read(9, line=1)])
    assert reading.text == "2026 19"
    assert Reading().text == "" and Reading().ok
    assert not Reading(error="broken").ok


@pytest.mark.mnist
def test_a_number_is_read_in_one_model_call(mnist, shipped_recognizer):
    counting = CountingRecognizer(shipped_recognizer)
    scene = digit_row_photo(_digits(mnist, [2, 0, 2, 6]), np.random.default_rng(1))
    reading = read_frame(counting, scene.image)
    assert reading.text == "2026"
    assert counting.calls == [4]
    for digit, box in zip(reading.digits, scene.boxes, strict=True):
        assert digit.probabilities.shape == (10,)
        assert digit.confidence == pytest.approx(float(digit.probabilities.max()))
        assert digit.label == int(np.argmax(digit.probabilities))
        x, y, w, h = box
        assert abs(digit.box[0] - x) <= 4 and abs(digit.box[1] - y) <= 4


@pytest.mark.mnist
def test_lines_of_numbers(mnist, shipped_recognizer):
    lines = [
        _digits_read_right(mnist, shipped_recognizer, digits)
        for digits in ([3, 1, 4], [1, 5, 9, 2])
    ]
    scene = digit_lines_photo(lines, np.random.default_rng(2))
    assert read_frame(shipped_recognizer, scene.image).text == "314 1592"


def test_blank_frame_reads_nothing(shipped_recognizer):
    counting = CountingRecognizer(shipped_recognizer)
    reading = read_frame(counting, np.full((240, 320), 210, np.uint8))
    assert reading.digits == [] and reading.text == "" and reading.ok
    assert counting.calls == []


@pytest.mark.mnist
def test_single_digit_like_the_canvas(mnist, shipped_recognizer):
    (seven,) = _digits(mnist, [7])
    photo = digit_canvas(seven, np.random.default_rng(3)).image
    result, digit = read_single(shipped_recognizer, photo)
    assert result.found and digit.label == 7 and digit.box == result.box
    np.testing.assert_array_equal(digit.digit, result.digit)
    blank, nothing = read_single(shipped_recognizer, np.full((50, 50), 255, np.uint8))
    assert nothing is None and blank.reason.startswith("no digit")


@pytest.mark.mnist
def test_many_images_share_batches_and_keep_going_past_bad_ones(mnist, shipped_recognizer):
    counting = CountingRecognizer(shipped_recognizer)
    rng = np.random.default_rng(4)
    images = [
        digit_row_photo(_digits(mnist, [4, 2]), rng).image,
        ValueError("cannot read photo.png"),
        np.zeros((5, 5, 2), np.uint8),
        np.full((100, 100), 255, np.uint8),
        digit_row_photo(_digits(mnist, [8, 0, 8]), rng).image,
    ]
    readings = read_many(counting, iter(images))
    assert [r.text for r in readings] == ["42", "", "", "", "808"]
    assert [r.ok for r in readings] == [True, False, False, True, True]
    assert readings[1].error == "cannot read photo.png"
    assert "grey, BGR or BGRA" in readings[2].error
    # One shared call: the five digits, and the segments of any digit wide enough to be cut.
    assert len(counting.calls) == 1 and counting.calls[0] >= 5
    single = read_many(counting, [digit_canvas(_digits(mnist, [5])[0], rng).image], single=True)
    assert single[0].text == "5"
