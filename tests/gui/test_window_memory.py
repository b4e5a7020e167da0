"""What the window keeps between runs: the model in use, the tab, folders, recent files."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from lenet_desktop.gui import settings
from lenet_desktop.gui.main_window import MainWindow
from tests.gui.conftest import paper_with_digits


def start_window(qtbot, **kwargs) -> MainWindow:
    """A window started as the app starts it: the model loads once it is on screen."""
    window = MainWindow(**kwargs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def copy_model(source: Path, folder: Path) -> Path:
    """A copy of a model with its sidecar, as a retrained model sits in the models folder."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "lenet5-mine.keras"
    shutil.copy(source, target)
    shutil.copy(source.with_suffix(".json"), target.with_suffix(".json"))
    return target


def info_boxes(window) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_the_model_in_use_is_loaded_again_at_start(qtbot, shipped_model_path, tmp_path):
    mine = copy_model(shipped_model_path, tmp_path / "models")
    settings.write_settings({"model_path": str(mine)})

    window = start_window(qtbot)
    qtbot.waitUntil(lambda: window.session.recognizer is not None, timeout=60_000)

    assert window.model_path == mine
    assert "lenet5-mine.keras" in window.model_label.text()
    assert info_boxes(window) == []
    window.close()


def test_a_missing_model_falls_back_to_the_shipped_one_and_says_so(
    qtbot, shipped_model_path, tmp_path
):
    gone = tmp_path / "models" / "lenet5-gone.keras"
    settings.write_settings({"model_path": str(gone)})

    window = start_window(qtbot)
    qtbot.waitUntil(lambda: window.session.recognizer is not None, timeout=60_000)

    assert window.model_path == window.shipped_model_path
    status = window.statusBar().currentMessage()
    assert str(gone) in status and "shipped model" in status
    boxes = info_boxes(window)
    assert len(boxes) == 1 and str(gone) in boxes[0].text()
    # The message does not block the window: drawing and the menus go on.
    assert boxes[0].windowModality().name == "NonModal"
    assert settings.read_settings()["model_path"] == ""  # the shipped model is in use now
    window.close()


def test_a_model_that_no_longer_loads_falls_back_too(qtbot, tmp_path):
    broken = tmp_path / "lenet5-broken.keras"
    broken.write_bytes(b"not a zip file")
    settings.write_settings({"model_path": str(broken)})

    window = start_window(qtbot)
    qtbot.waitUntil(lambda: window.model_path == window.shipped_model_path, timeout=60_000)

    assert "could not be loaded" in window.statusBar().currentMessage()
    assert any("lenet5-broken.keras" in b.text() for b in info_boxes(window))
    window.close()


def test_the_tab_comes_back_after_a_restart(qtbot, main_window):
    main_window.tabs.setCurrentIndex(2)
    main_window.close()

    again = MainWindow(load_model=False)
    qtbot.addWidget(again)
    assert again.tabs.currentWidget() is again.photo
    assert again.photo.active and not again.draw.active
    again.close()


def test_file_dialogs_start_in_the_last_folder_of_their_kind(
    qtbot, main_window, tmp_path, monkeypatch
):
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    photo = pictures / "note.png"
    assert cv2.imwrite(str(photo), paper_with_digits("47"))
    asked = []

    def pick_open(_parent, title="", folder="", _filter="", *args, **kwargs):
        asked.append((title, folder))
        return (str(photo), "") if title == "Open image" else ("", "")

    def pick_save(_parent, title="", suggested="", _filter="", *args, **kwargs):
        asked.append((title, suggested))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick_open))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(pick_save))
    actions = main_window.actions_

    actions.open_image.trigger()  # first time: the home folder, not the working folder
    qtbot.mouseClick(main_window.photo.open_button, Qt.MouseButton.LeftButton)  # the same
    # ...then where the last photo came from
    actions.load_model.trigger()  # models keep a folder of their own
    actions.open_video.trigger()
    main_window.draw.canvas.set_strokes([[(100, 60), (120, 220)]])
    actions.save_drawing.trigger()  # a drawing is saved beside the photos

    home = str(Path.home())
    assert asked == [
        ("Open image", home),
        ("Open image", str(pictures)),  # the Photo tab's button asks too
        ("Load model", home),
        ("Open video file", home),
        ("Save drawing", str(pictures / "digit.png")),
    ]
    main_window.close()
    again = MainWindow(load_model=False)  # and after a restart
    qtbot.addWidget(again)
    asked.clear()
    again.actions_.open_image.trigger()
    assert asked == [("Open image", str(pictures))]
    again.close()


def test_open_recent_lists_the_files_opened_and_greys_out_missing_ones(
    qtbot, main_window, tmp_path
):
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    assert cv2.imwrite(str(first), paper_with_digits("47"))
    assert cv2.imwrite(str(second), paper_with_digits("10"))
    for path in (first, second, first):
        main_window.open_image(path)
        # A file becomes recent once it has been opened (decoded in a worker).
        qtbot.waitUntil(lambda: not main_window.photo.is_opening(), timeout=10_000)
    menu = main_window.menus.recent
    menu.rebuild()
    assert menu.paths() == [str(first.resolve()), str(second.resolve())]

    second.unlink()
    menu.rebuild()
    entries = {a.data(): a for a in menu.actions() if a.data()}
    assert not entries[str(second.resolve())].isEnabled()
    assert "not found" in entries[str(second.resolve())].text()
    assert entries[str(first.resolve())].isEnabled()

    main_window.tabs.setCurrentIndex(0)
    entries[str(first.resolve())].trigger()
    assert main_window.tabs.currentWidget() is main_window.photo
    qtbot.waitUntil(lambda: main_window.photo.view.labels() == [4, 7], timeout=20_000)

    clear = next(a for a in menu.actions() if a.objectName() == "actionClearRecent")
    clear.trigger()
    assert menu.paths() == [] and settings.read_settings()["recent_files"] == []
