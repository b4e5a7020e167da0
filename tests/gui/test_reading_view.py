"""The Photo and Camera tabs show a reading whole: digit and separator boxes, and doubt.

Readings are built by hand (the vision code is tested on its own), so each test
knows exactly what must be drawn and said.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QPoint

import lenet_desktop.model.reading as reading_module
from lenet_desktop.gui.inputs.frame_view import FrameViewWidget
from lenet_desktop.gui.inputs.reading_overlay import (
    BOX_COLOR,
    DOUBT_COLOR,
    NOT_SURE_COLOR,
    SEPARATOR_COLOR,
    _tag_text,
    reading_summary,
)
from lenet_desktop.model.reading import ReadDigit, Reading, ReadSeparator
from tests.gui.conftest import paper_with_digits

FRAME_SHAPE = (200, 400, 3)


def digit(label: int, box, confidence: float, line: int = 0) -> ReadDigit:
    probabilities = np.full(10, (1 - confidence) / 9, np.float32)
    probabilities[label] = confidence
    pixels = np.zeros((28, 28), np.float32)
    pixels[6:22, 12:16] = 1.0
    return ReadDigit(box, pixels, label, confidence, probabilities, line)


def amount(sure: bool | None = None, confidence: float | None = None) -> Reading:
    """ "3.500" on one line: four digits and a decimal point."""
    digits = [
        digit(3, (20, 60, 50, 80), 0.99),
        digit(5, (120, 60, 50, 80), 0.97),
        digit(0, (190, 60, 50, 80), 0.70),
        digit(0, (260, 60, 50, 80), 0.98),
    ]
    point = ReadSeparator((88, 128, 12, 12), ".")
    return Reading(digits, separators=[point], confidence=confidence, sure=sure)


def paper() -> np.ndarray:
    return np.full(FRAME_SHAPE, 235, np.uint8)


@pytest.fixture
def view(qtbot):
    widget = FrameViewWidget("testView")
    qtbot.addWidget(widget)
    widget.resize(400, 200)  # one widget pixel per frame pixel
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def colour_near(image, x: int, y: int, colour, radius: int = 3) -> bool:
    """Whether ``colour`` is painted within ``radius`` pixels of (x, y) of ``image``."""
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            pixel = image.pixelColor(QPoint(x + dx, y + dy))
            if (
                max(
                    abs(pixel.red() - colour.red()),
                    abs(pixel.green() - colour.green()),
                    abs(pixel.blue() - colour.blue()),
                )
                < 30
            ):
                return True
    return False


def test_digits_and_separators_are_both_boxed_and_listed(view):
    reading = amount(sure=True, confidence=0.95)
    view.show_reading(paper(), reading)

    assert view.labels() == [3, 5, 0, 0]
    assert view.separator_boxes() == [(88, 128, 12, 12)]
    assert [s.char for s in view.separators()] == ["."]
    assert view.text() == "3.500"
    assert view.sure() is True
    assert view.verdict() == "Reads: 3.500 (95% sure)"
    assert "4 digits, 1 separator read" in view.accessibleDescription()

    shown = view.grab().toImage()
    corner = view.widget_point(20, 100).toPoint()  # the left edge of the 3's box
    assert colour_near(shown, corner.x(), corner.y(), BOX_COLOR)
    edge = view.widget_point(88, 134).toPoint()  # the left edge of the point's box
    assert colour_near(shown, edge.x(), edge.y(), SEPARATOR_COLOR)
    assert not colour_near(shown, edge.x(), edge.y(), BOX_COLOR)
    # A separator is not a digit: clicking it explains nothing.
    assert view.digit_at(view.widget_point(94, 134)) == -1


def test_an_uncertain_reading_is_marked_not_sure_with_its_confidence(view):
    view.show_reading(paper(), amount(sure=False, confidence=0.62))

    assert view.sure() is False
    assert view.verdict() == "Not sure: 3.500? (62%)"
    assert "Not sure: 3.500? (62%)" in view.accessibleDescription()
    shown = view.grab().toImage()
    assert colour_near(shown, 12, 12, NOT_SURE_COLOR)  # the banner, in amber

    view.show_reading(paper(), amount(sure=True, confidence=0.95))
    assert not colour_near(view.grab().toImage(), 12, 12, NOT_SURE_COLOR)


def test_a_mark_too_small_to_be_sure_of_is_boxed_as_doubtful_and_said_so(view):
    speck = digit(4, (200, 90, 6, 7), 0.97)
    speck.tiny = True
    reading = Reading([speck], confidence=0.97 * 0.5)
    assert reading.sure is False
    view.show_reading(paper(), reading)
    shown = view.grab().toImage()
    left = view.widget_point(200, 93).toPoint()
    assert colour_near(shown, left.x(), left.y(), DOUBT_COLOR, radius=1)
    assert not colour_near(shown, left.x(), left.y(), BOX_COLOR, radius=1)
    assert _tag_text(4, 0.97, tiny=True) == "4 tiny"
    assert _tag_text(4, 0.97, tiny=False) == "4"
    assert _tag_text(4, 0.62, tiny=False) == "4 62%"
    assert reading_summary(reading) == (
        "1 digit, not sure: 4? (48%); 1 mark too small to be sure of"
    )
    # A sure reading of ordinary digits says nothing of the kind.
    assert "too small" not in reading_summary(amount(sure=False, confidence=0.62))


def test_the_whole_number_confidence_comes_from_the_reading(view):
    reading = amount()  # confidence and sure as the reading computes them
    view.show_reading(paper(), reading)
    assert view.sure() is reading.sure
    assert f"{reading.confidence:.0%}" in view.verdict()
    view.set_frame(paper())  # a plain frame forgets the reading
    assert view.separators() == [] and view.sure() is None and view.verdict() == ""


def open_with_reading(qtbot, main_window, tmp_path, monkeypatch, reading):
    monkeypatch.setattr(reading_module, "read_frame", lambda recognizer, image, *a, **k: reading)
    path = tmp_path / "amount.png"
    cv2.imwrite(str(path), paper_with_digits("47"))
    main_window.open_image(path)
    tab = main_window.photo
    qtbot.waitUntil(
        lambda: tab.image is not None and not tab.is_opening() and not tab.is_reading(),
        timeout=20_000,
    )
    return tab


def test_the_photo_tab_says_an_uncertain_reading_is_not_sure(
    qtbot, main_window, tmp_path, monkeypatch
):
    tab = open_with_reading(
        qtbot, main_window, tmp_path, monkeypatch, amount(sure=False, confidence=0.62)
    )
    assert tab.view.separator_boxes() == [(88, 128, 12, 12)]
    assert tab.summary.text() == (
        "amount.png: 4 digits, 1 separator, not sure: 3.500? (62%). Click a digit to explain it."
    )
    # The answer beside the photo says it too, until a digit is clicked.
    assert main_window.prediction.detail.text().startswith("Not sure: 3.500? (62%).")


def test_the_photo_tab_says_a_sure_reading_with_its_confidence(
    qtbot, main_window, tmp_path, monkeypatch
):
    tab = open_with_reading(
        qtbot, main_window, tmp_path, monkeypatch, amount(sure=True, confidence=0.93)
    )
    assert "4 digits, 1 separator, reads 3.500 (93% sure)." in tab.summary.text()
    assert main_window.prediction.detail.text().startswith("Reads: 3.500 (93% sure).")


def test_a_too_cluttered_image_says_so_in_the_photo_tab(qtbot, main_window, tmp_path, monkeypatch):
    tab = open_with_reading(
        qtbot, main_window, tmp_path, monkeypatch, Reading(error="too cluttered to read")
    )
    assert tab.view.message() == "Cannot read this image: too cluttered to read"
    assert "too cluttered to read" in tab.summary.text()
    assert tab.view.frame() is not None and tab.view.digits() == []


def test_the_camera_tab_boxes_separators_and_marks_doubt(
    qtbot, main_window, digits_video, monkeypatch
):
    reading = amount(sure=False, confidence=0.41)
    monkeypatch.setattr(reading_module, "read_frame", lambda recognizer, frame, *a, **k: reading)
    camera = main_window.camera
    main_window.open_camera(str(digits_video))
    qtbot.waitUntil(lambda: camera.view.text() == "3.500", timeout=20_000)
    assert camera.view.separator_boxes() == [(88, 128, 12, 12)]
    assert camera.view.verdict() == "Not sure: 3.500? (41%)"
    assert camera.readout.text() == "4 digits, 1 separator, not sure: 3.500? (41%)"
    camera.stop()


def test_a_speckled_photo_is_refused_by_the_shared_budget_and_the_tab_says_so(
    qtbot, main_window, tmp_path
):
    # The real detector, with the budget every reader shares: 20% black specks are far
    # more marks than any number has.
    speckled = np.full((200, 200), 255, np.uint8)
    speckled[np.random.default_rng(0).random((200, 200)) < 0.2] = 0
    path = tmp_path / "specks.png"
    cv2.imwrite(str(path), speckled)
    main_window.open_image(path)
    tab = main_window.photo
    qtbot.waitUntil(lambda: "too cluttered" in tab.view.message(), timeout=20_000)
    assert tab.view.message() == "Cannot read this image: too cluttered to read"
    assert not tab.is_reading()
    # The next photo is read as usual.
    good = tmp_path / "good.png"
    cv2.imwrite(str(good), paper_with_digits("47"))
    main_window.open_image(good)
    qtbot.waitUntil(lambda: tab.view.labels() == [4, 7], timeout=20_000)
    assert tab.view.message() == ""
