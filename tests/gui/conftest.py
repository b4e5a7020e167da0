"""GUI fixtures: the real main window offscreen, and mouse strokes a person would draw."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from lenet_desktop.gui import settings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Every GUI test keeps its settings and user data in its own temporary folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "settings.ini"
    settings.set_settings_path(path)
    yield path
    settings.set_settings_path(None)


@pytest.fixture
def main_window(qtbot, shipped_recognizer):
    """The main window, shown offscreen, with the shipped model loaded."""
    from lenet_desktop.gui.main_window import MainWindow

    window = MainWindow(load_model=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.recognizer_changed, timeout=10_000):
        window.set_recognizer(shipped_recognizer)
    yield window
    # Close here, while settings still point at tmp_path (closeEvent saves them).
    window.close()
    window.shutdown()


# -- mouse strokes ---------------------------------------------------------------


def _send(widget, kind, point: QPointF, button, buttons) -> None:
    global_point = QPointF(widget.mapToGlobal(point))
    event = QMouseEvent(kind, point, global_point, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def draw_strokes(qtbot, canvas, strokes) -> None:
    """Draw ``strokes`` on ``canvas`` with real press / move / release mouse events.

    ``strokes`` is a list of strokes, each a list of (x, y) in canvas-widget pixels.
    Events are processed after each stroke, as a person's drawing would be.
    """
    left = Qt.MouseButton.LeftButton
    none = Qt.MouseButton.NoButton
    for stroke in strokes:
        points = [QPointF(float(x), float(y)) for x, y in stroke]
        _send(canvas, QEvent.Type.MouseButtonPress, points[0], left, left)
        for point in points[1:]:
            _send(canvas, QEvent.Type.MouseMove, point, none, left)
        _send(canvas, QEvent.Type.MouseButtonRelease, points[-1], left, none)
        qtbot.wait(1)


def _line(p0, p1, steps: int = 12):
    return [(p0[0] + (p1[0] - p0[0]) * t / steps, p0[1] + (p1[1] - p0[1]) * t / steps)
            for t in range(steps + 1)]


# Digits as a person draws them, in unit coordinates of the paper (0..1, y down).
DIGIT_STROKES = {
    # A slightly tilted ellipse, started at the top and closed with a little overlap.
    "0": [
        [
            (0.5 + 0.22 * math.sin(a) + 0.03 * math.cos(a), 0.5 - 0.32 * math.cos(a))
            for a in [i * 2 * math.pi / 40 for i in range(43)]
        ]
    ],
    # A near-vertical line with a small slant.
    "1": [_line((0.54, 0.18), (0.47, 0.82))],
    # The open 4: a down-and-right stroke, then the crossing vertical.
    "4": [
        _line((0.40, 0.18), (0.28, 0.58)) + _line((0.28, 0.58), (0.74, 0.58))[1:],
        _line((0.62, 0.30), (0.62, 0.84)),
    ],
    # A top bar and a long diagonal, drawn in one stroke.
    "7": [_line((0.28, 0.22), (0.72, 0.22)) + _line((0.72, 0.22), (0.45, 0.84))[1:]],
}


def digit_strokes(canvas, digit: str):
    """The strokes of ``digit`` ("0", "1", "4" or "7") in ``canvas`` widget pixels."""
    rect = canvas.paper_rect()
    return [
        [(rect.x() + u * rect.width(), rect.y() + v * rect.height()) for u, v in stroke]
        for stroke in DIGIT_STROKES[digit]
    ]
