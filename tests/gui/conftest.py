"""GUI fixtures: the real main window offscreen, and mouse strokes a person would draw."""

from __future__ import annotations

import atexit
import json
import math
import os
import shutil
import tempfile

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from lenet_desktop.gui import settings


def _desktop_sized_offscreen_screen() -> None:
    """Give the offscreen platform a 1920x1080 screen instead of its default 800x600.

    The main window with its docked panels is wider than 800 pixels; on a tiny screen
    Qt clamps restored geometry and tests would see sizes no desktop shows.
    """
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        return
    screen = {"name": "test", "x": 0, "y": 0, "width": 1920, "height": 1080}
    screen.update(logicalDpi=96, logicalBaseDpi=96, dpr=1)
    folder = tempfile.mkdtemp(prefix="lenet-qpa-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # Qt has read it by then
    path = os.path.join(folder, "screens.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"screens": [screen]}, handle)
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"


# Before pytest-qt creates the QApplication.
_desktop_sized_offscreen_screen()


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
    with qtbot.waitSignal(window.session.recognizer_changed, timeout=10_000):
        window.session.set_recognizer(shipped_recognizer)
    yield window
    # Close here, while settings still point at tmp_path (closeEvent saves them).
    window.close()
    assert window.shutdown(timeout=60), "a worker did not stop"


DIGITS = "1470"
"""The digits of the test video."""


@pytest.fixture
def digits_video(tmp_path):
    """An MJPG .avi of a sheet with the digits 1 4 7 0, slightly moving, 10 fps."""
    import cv2
    import numpy as np

    base = paper_with_digits(DIGITS)
    height, width = base.shape[:2]
    path = tmp_path / "digits.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (width, height))
    assert writer.isOpened()
    for shift in range(12):
        matrix = np.float32([[1, 0, shift % 4], [0, 1, shift % 3]])
        frame = cv2.warpAffine(base, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
        writer.write(frame)
    writer.release()
    return path


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
    return [
        (p0[0] + (p1[0] - p0[0]) * t / steps, p0[1] + (p1[1] - p0[1]) * t / steps)
        for t in range(steps + 1)
    ]


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


def paper_with_digits(digits: str, cell: int = 90, thickness: int = 7, margin: int = 80):
    """A BGR photo-like image: ``digits`` (from DIGIT_STROKES) in dark ink on uneven paper.

    Each digit is drawn with the strokes a person would use, in a ``cell`` pixel
    square, left to right, with ``margin`` pixels of paper around them, as in a
    photo of a note; the paper gets a lighting gradient and mild noise.
    """
    import cv2
    import numpy as np

    height, width = cell + 2 * margin, cell * len(digits) + 2 * margin
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    paper = 225 - 30 * xs / width - 10 * ys / height
    ink = np.zeros((height, width), np.uint8)
    for i, digit in enumerate(digits):
        for stroke in DIGIT_STROKES[digit]:
            points = np.array(
                [(margin + (i + u) * cell, margin + v * cell) for u, v in stroke], np.float32
            )
            cv2.polylines(
                ink,
                [np.round(points * 16).astype(np.int32)],
                False,
                255,
                thickness,
                cv2.LINE_AA,
                shift=4,
            )
    rng = np.random.default_rng(0)
    gray = paper * (1 - 0.8 * ink / 255.0) + rng.normal(0, 3, paper.shape)
    gray = np.clip(gray, 0, 255).astype(np.uint8)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


# -- questions -------------------------------------------------------------------


def open_confirm_box(qtbot, parent):
    """The confirmation question open over ``parent`` (waits for it to show)."""
    from PySide6.QtWidgets import QMessageBox

    def find():
        boxes = [b for b in parent.findChildren(QMessageBox, "confirmBox") if b.isVisible()]
        return boxes[-1] if boxes else None

    qtbot.waitUntil(lambda: find() is not None, timeout=5000)
    return find()


def answer_confirm(qtbot, parent, yes: bool = True) -> str:
    """Click the confirming button (or Cancel) of the question open over ``parent``.

    Returns the question's text, for the test to check what was asked.
    """
    from PySide6.QtWidgets import QMessageBox, QPushButton

    box = open_confirm_box(qtbot, parent)
    text = box.text()
    if yes:
        button = box.findChild(QPushButton, "confirmButton")
    else:
        button = box.button(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    return text


# -- the retrain dialog -----------------------------------------------------------


@pytest.fixture
def workers():
    """A worker registry, shut down (and every thread joined) after the test."""
    from lenet_desktop.gui.threads import WorkerRegistry

    registry = WorkerRegistry()
    yield registry
    assert registry.shutdown(timeout=60), "a worker did not stop"


def new_dialog(qtbot, tmp_path, models_dir, recognizer, workers):
    """The retrain dialog over ``recognizer`` (in its own session), saving into ``models_dir``."""
    from lenet_desktop.gui.retrain.dialog import RetrainDialog
    from lenet_desktop.gui.session import Session
    from lenet_desktop.userdata import UserDataset

    session = Session()
    session.set_recognizer(recognizer)
    widget = RetrainDialog(UserDataset(tmp_path / "samples"), models_dir, session, workers)
    widget.set_device("CPU (test)")
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def dialog(qtbot, tmp_path, shipped_recognizer, workers):
    """The retrain dialog over the shipped model, saving into tmp_path/models."""
    return new_dialog(qtbot, tmp_path, tmp_path / "models", shipped_recognizer, workers)
