"""The drawing canvas: strokes drawn with real mouse events are read back by the shipped model."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lenet_desktop.gui.inputs.canvas import PAPER_SIZE, DrawCanvasWidget
from tests.gui.conftest import DIGIT_STROKES, digit_strokes, draw_strokes


@pytest.fixture
def canvas(qtbot):
    """A bare canvas, shown offscreen at a typical size."""
    widget = DrawCanvasWidget()
    widget.resize(400, 400)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_mouse_strokes_become_ink(qtbot, canvas):
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
    assert len(canvas.strokes) == 1
    image = canvas.render_gray()
    assert image.shape == (PAPER_SIZE, PAPER_SIZE)
    assert image.dtype == np.uint8
    # White paper with dark, anti-aliased ink (grey levels in between on the edges).
    assert image[0, 0] == 255
    assert (image < 50).sum() > 500
    assert ((image > 50) & (image < 200)).sum() > 50


def test_model_image_is_read_only_and_follows_the_strokes(canvas):
    canvas.set_strokes([[(10, 10), (270, 270)]])
    image = canvas.render_gray()
    assert not image.flags["WRITEABLE"]
    assert canvas.render_gray() is image  # kept until the drawing changes
    # The diagonal runs corner to corner in paper units.
    assert image[140, 140] < 50 and image[10, 270] == 255
    canvas.set_strokes([[(10, 270), (270, 10)]])
    assert canvas.render_gray()[10, 270] < 50


def test_undo_and_clear(qtbot, canvas):
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "4"))
    assert len(canvas.strokes) == 2
    canvas.undo()
    assert len(canvas.strokes) == 1
    canvas.clear()
    assert canvas.is_empty()
    assert canvas.render_gray().min() == 255


def test_escape_clears(qtbot, canvas):
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "1"))
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.is_empty()


def test_strokes_keep_their_place_when_resized(qtbot, canvas):
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "1"))
    before = canvas.render_gray() < 128
    canvas.resize(600, 500)
    after = canvas.render_gray() < 128
    # Redrawn whole rather than segment by segment: only anti-aliased edge pixels may differ.
    assert before.sum() > 1000
    assert (before != after).sum() < 0.02 * before.sum()


def test_pen_width_thickens_the_screen_ink_but_not_the_models(canvas):
    canvas.set_strokes([[(60, 140), (220, 140)]])
    canvas.set_pen_width(10)
    thin = (canvas.screen_gray() < 128).sum()
    model_thin = canvas.render_gray().copy()
    canvas.set_pen_width(30)
    thick = (canvas.screen_gray() < 128).sum()
    assert thick > 2 * thin
    assert np.array_equal(canvas.render_gray(), model_thin)
    canvas.set_pen_width(1000)
    assert canvas.pen_width() == 40


def test_model_pen_is_in_proportion_to_the_digit(canvas):
    canvas.set_strokes([[(100, 100), (140, 100)]])
    short = (canvas.render_gray() < 128).sum(axis=0).max()
    canvas.set_strokes([[(20, 100), (260, 100)]])
    long = (canvas.render_gray() < 128).sum(axis=0).max()
    assert long > 4 * short  # six times the length, six times the stroke width


@pytest.mark.parametrize("digit", sorted(DIGIT_STROKES))
def test_drawn_digit_is_read_back(qtbot, main_window, digit):
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, digit))
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == digit, timeout=3000)
    label, confidence, probabilities = main_window.session.explanation.answer()
    assert label == int(digit)
    assert probabilities.shape == (10,)
    assert main_window.prediction.chart.probabilities().argmax() == int(digit)
    assert main_window.session.image.shape == (28, 28)


def test_pen_tablet_strokes_draw_too(canvas):
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
    from PySide6.QtWidgets import QApplication

    pen = QPointingDevice(
        "test pen",
        1,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        3,
    )

    def send(kind, x, y, buttons):
        point = QPointF(x, y)
        event = QTabletEvent(
            kind,
            pen,
            point,
            QPointF(canvas.mapToGlobal(point)),
            0.5,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            buttons,
        )
        QApplication.sendEvent(canvas, event)
        return event.isAccepted()

    left = Qt.MouseButton.LeftButton
    assert send(QEvent.Type.TabletPress, 200, 80, left)
    for i in range(1, 11):
        send(QEvent.Type.TabletMove, 200 - i * 2, 80 + i * 24, left)
    send(QEvent.Type.TabletRelease, 180, 320, Qt.MouseButton.NoButton)
    assert len(canvas.strokes) == 1
    assert len(canvas.strokes[0]) == 11
    assert (canvas.render_gray() < 50).sum() > 500


NINE = [
    # A loop drawn anticlockwise from its right side, then the stem down from it.
    [(0.62 - 0.14 * (1 - math.cos(a)), 0.34 - 0.13 * math.sin(a)) for a in
     [i * 2 * math.pi / 30 for i in range(31)]]
    + [(0.62 - 0.01 * i, 0.34 + 0.045 * i) for i in range(1, 11)],
]  # fmt: skip


def test_one_drawing_reads_the_same_with_pen_6_and_pen_40(qtbot, main_window):
    canvas = main_window.draw.canvas

    def read(pen, scale, centre=(0.5, 0.5)):
        canvas.clear()
        main_window.draw.pen_width.setValue(pen)
        rect = canvas.paper_rect()
        strokes = [
            [
                (
                    rect.x() + (centre[0] + (u - 0.5) * scale) * rect.width(),
                    rect.y() + (centre[1] + (v - 0.5) * scale) * rect.height(),
                )
                for u, v in stroke
            ]
            for stroke in NINE
        ]
        draw_strokes(qtbot, canvas, strokes)
        qtbot.waitUntil(lambda: main_window.session.explanation is not None, timeout=3000)
        qtbot.wait(20)
        label, confidence, _ = main_window.session.explanation.answer()
        return label, confidence, main_window.session.image.copy()

    thin = read(6, 1.0)
    bold = read(40, 1.0)
    assert thin[0] == bold[0] == 9
    assert np.abs(thin[2] - bold[2]).max() < 0.02  # the same 28x28 image
    assert thin[1] == pytest.approx(bold[1], abs=0.01)
    small_bold = read(40, 0.45, (0.3, 0.35))
    assert small_bold[0] == 9
    assert np.abs(small_bold[2] - thin[2]).mean() < 0.03
