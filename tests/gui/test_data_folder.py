"""A data folder that cannot be used: one message at start, and the rest of the app installs."""

from __future__ import annotations

import os

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMessageBox

from lenet_desktop.gui.data_folder import TITLE
from tests.gui.conftest import digit_strokes, draw_strokes


@pytest.fixture
def data_home(tmp_path):
    """The XDG data folder the GUI fixtures point at (not created yet)."""
    return tmp_path / "xdg"


def start_window(qtbot, recognizer):
    """The window as the app starts it: panels after the first paint, a model behind it."""
    from lenet_desktop.gui.main_window import MainWindow

    window = MainWindow(load_model=False, defer_extensions=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window._extensions_installed, timeout=10_000)
    with qtbot.waitSignal(window.session.recognizer_changed, timeout=10_000):
        window.session.set_recognizer(recognizer)
    return window


def message_boxes(window):
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


@pytest.mark.parametrize("blocked", ["lenet-desktop", "lenet-desktop/samples"])
def test_a_file_in_place_of_the_data_folder_is_one_message_and_the_app_still_installs(
    qtbot, shipped_recognizer, data_home, blocked
):
    file = data_home / blocked
    file.parent.mkdir(parents=True)
    file.write_text("someone's file")

    window = start_window(qtbot, shipped_recognizer)
    try:
        qtbot.waitUntil(lambda: window.data_folder_box is not None, timeout=5000)
        box = window.data_folder_box
        assert message_boxes(window) == [box]
        assert box.windowTitle() == TITLE
        assert f"{os.fspath(file)} is a file, not a folder" in box.text()
        assert "cannot be saved" in box.text()
        assert not box.isModal()  # the window stays usable behind it
        # Everything after the check is installed: the panels and the study menu.
        assert set(window.panels) == {
            dock.objectName().removeprefix("panel_") for dock in window.findChildren(QDockWidget)
        }
        assert window.panels
        assert window.findChild(QAction, "actionOpenStudyReport") is not None

        canvas = window.draw.canvas
        draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
        qtbot.waitUntil(lambda: window.session.explanation is not None, timeout=5000)
        correction = window.retrain.correction
        assert not correction.save_as(7)
        assert correction.status_label.text() == "Not saved (see the message)."
        assert "is a file, not a folder" in correction.status_label.toolTip()
        box = window.retrain.save_error_box
        assert box is not None and box.isVisible()
        assert box.text().startswith("Could not save the sample: The samples folder")
        assert "is a file, not a folder" in box.text()
        assert file.read_text() == "someone's file"
    finally:
        window.close()
        assert window.shutdown(timeout=60)


def test_a_usable_data_folder_shows_no_message(qtbot, shipped_recognizer, data_home):
    window = start_window(qtbot, shipped_recognizer)
    try:
        qtbot.wait(50)
        assert window.data_folder_box is None
        assert message_boxes(window) == []
        assert not data_home.exists()  # nothing is made until something is saved
    finally:
        window.close()
        assert window.shutdown(timeout=60)


def test_as_the_app_starts_the_message_comes_once_the_model_and_panels_are_in(qtbot, data_home):
    from lenet_desktop.gui.main_window import MainWindow

    data_home.mkdir()
    (data_home / "lenet-desktop").write_text("in the way")
    window = MainWindow(defer_extensions=True)  # loads the model itself, as app.py does
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.data_folder_box is not None, timeout=30_000)
        assert window.session.recognizer is not None and window.panels
        assert message_boxes(window) == [window.data_folder_box]
        # Another model later does not bring the message back.
        with qtbot.waitSignal(window.session.recognizer_changed, timeout=10_000):
            window.session.set_recognizer(window.session.recognizer)
        qtbot.wait(50)
        assert message_boxes(window) == [window.data_folder_box]
    finally:
        window.close()
        assert window.shutdown(timeout=60)
