"""A new source never shows the old one's digit; the camera's controls say what they do."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from lenet_desktop.gui import settings
from lenet_desktop.gui.inputs.camera import CLICK_HINT, FILE_ENTRY
from lenet_desktop.gui.main_window import MainWindow
from tests.gui.conftest import DIGITS, paper_with_digits
from tests.gui.test_camera import click_digit


def answer_file_dialogs(monkeypatch, path) -> list:
    """Every "open file" dialog picks ``path``; returns the (title, folder) each was asked with."""
    asked = []

    def pick(_parent, title="", folder="", _filter="", *args, **kwargs):
        asked.append((title, folder))
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    return asked


def photo_file(tmp_path, digits: str, name: str):
    path = tmp_path / name
    assert cv2.imwrite(str(path), paper_with_digits(digits))
    return path


def shows_maps(window) -> bool:
    """Whether the Activations panel shows the maps of an input (blank maps are all NaN)."""
    data = window.panels["activations"].layer_data("C1")
    return data is not None and not np.isnan(data).all()


def assert_nothing_explained(window) -> None:
    """What a user sees once the previous digit is gone: no answer, no crop, nothing to save."""
    assert window.session.explanation is None and window.session.image is None
    assert window.prediction.label.text() == "—"
    assert window.prediction.detail.text() == CLICK_HINT
    assert "clicked digit" not in window.prediction.detail.text()
    assert window.prediction.input_view.image() is None
    assert window.session.steps == ()
    correction = window.retrain.correction
    assert correction.current_input is None
    assert not any(button.isEnabled() for button in correction.digit_buttons)
    assert not shows_maps(window)


def test_opening_another_photo_forgets_the_digit_clicked_in_the_first(
    qtbot, main_window, tmp_path, monkeypatch
):
    first = photo_file(tmp_path, "47", "first.png")
    second = photo_file(tmp_path, "10", "second.png")
    photo = main_window.photo
    main_window.open_image(first)
    qtbot.waitUntil(lambda: photo.view.labels() == [4, 7], timeout=20_000)
    click_digit(qtbot, photo.view, 1)
    assert main_window.session.explanation.source == "clicked digit"
    assert main_window.prediction.label.text() == "7"
    assert shows_maps(main_window)

    # Ctrl+O from the Photo tab itself, as a user opens the next photo.
    answer_file_dialogs(monkeypatch, second)
    main_window.actions_.open_image.trigger()

    assert_nothing_explained(main_window)
    assert photo.view.selected() == -1
    qtbot.waitUntil(lambda: photo.view.labels() == [1, 0], timeout=20_000)
    assert main_window.retrain.correction.save_as(3) is False  # nothing of the old photo is saved
    assert len(main_window.retrain.dataset) == 0


def test_a_second_video_forgets_the_digit_clicked_in_the_first(
    qtbot, main_window, digits_video, tmp_path
):
    camera = main_window.camera
    main_window.open_camera(str(digits_video))
    qtbot.waitUntil(lambda: len(camera.view.digits()) == len(DIGITS), timeout=20_000)
    click_digit(qtbot, camera.view, 0)
    assert main_window.session.explanation.source == "clicked digit"

    second = tmp_path / "second.avi"
    second.write_bytes(digits_video.read_bytes())
    main_window.open_camera(str(second))

    assert_nothing_explained(main_window)
    assert camera.view.selected() == -1 and not camera.freeze_button.isChecked()
    qtbot.waitUntil(lambda: len(camera.view.digits()) == len(DIGITS), timeout=20_000)
    camera.stop()


def test_stop_keeps_the_digits_readable_and_clickable(qtbot, main_window, digits_video):
    camera = main_window.camera
    main_window.open_camera(str(digits_video))
    qtbot.waitUntil(lambda: len(camera.view.digits()) == len(DIGITS), timeout=20_000)
    assert camera.freeze_button.isEnabled()

    qtbot.mouseClick(camera.start_button, Qt.MouseButton.LeftButton)  # it reads "Stop"

    assert not camera.is_running()
    assert camera.start_button.text() == "Start"
    assert camera.view.message() == ""  # nothing drawn over the last frame's digits
    assert camera.readout.text().startswith("Stopped.")  # said under the view
    assert not camera.freeze_button.isEnabled() and not camera.freeze_button.isChecked()
    assert camera.view.labels() == [int(d) for d in DIGITS]
    click_digit(qtbot, camera.view, 1)
    assert main_window.prediction.label.text() == DIGITS[1]


def test_picking_open_video_file_in_the_source_list_starts_it(
    qtbot, main_window, digits_video, monkeypatch
):
    camera = main_window.camera
    main_window.tabs.setCurrentIndex(1)
    answer_file_dialogs(monkeypatch, digits_video)
    index = camera.picker.findText(FILE_ENTRY)
    camera.picker.setCurrentIndex(index)
    camera.picker.activated.emit(index)  # what choosing the entry with the mouse sends

    assert camera.is_running()
    qtbot.waitUntil(lambda: camera.view.labels() == [int(d) for d in DIGITS], timeout=20_000)
    assert camera.picker.currentText() == "Video: digits.avi"
    camera.stop()


def test_start_without_a_camera_says_so(qtbot, main_window):
    camera = main_window.camera
    main_window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: camera.probed and not camera._probe.busy(), timeout=30_000)
    camera._fill_picker([])  # this machine may have a camera; the test wants none
    assert camera.picker.currentData() is None
    camera.readout.setText("")

    qtbot.mouseClick(camera.start_button, Qt.MouseButton.LeftButton)

    assert not camera.is_running()
    assert "No camera to start" in camera.readout.text()
    assert "No camera to start" in main_window.statusBar().currentMessage()


def test_the_last_video_is_picked_again_after_a_restart(qtbot, main_window, digits_video):
    main_window.open_camera(str(digits_video))
    main_window.camera.stop()
    main_window.close()
    assert settings.read_settings()["last_camera"] == str(digits_video)

    again = MainWindow(load_model=False)
    qtbot.addWidget(again)
    assert again.camera.picker.currentText() == "Video: digits.avi"
    assert again.camera.picker.currentData() == digits_video
    again.close()
