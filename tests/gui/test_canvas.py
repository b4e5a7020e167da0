"""The drawing canvas: strokes drawn with real mouse events are read back by the shipped model."""

from __future__ import annotations

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


def test_render_is_a_view_without_row_padding(canvas):
    canvas.set_strokes([[(10, 10), (270, 270)]])
    image = canvas.render_gray()
    assert not image.flags["OWNDATA"]
    # The diagonal runs corner to corner in paper units.
    assert image[140, 140] < 50 and image[10, 270] == 255


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


def test_pen_width_is_clamped_and_thickens_ink(canvas):
    canvas.set_strokes([[(60, 140), (220, 140)]])
    canvas.set_pen_width(10)
    thin = (canvas.render_gray() < 128).sum()
    canvas.set_pen_width(30)
    thick = (canvas.render_gray() < 128).sum()
    assert thick > 2 * thin
    canvas.set_pen_width(1000)
    assert canvas.pen_width() == 40


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
