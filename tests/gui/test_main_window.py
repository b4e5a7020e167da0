"""The main window driven offscreen as a user would: draw, clear, undo, menus, model, settings."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMessageBox, QWidget

from lenet_desktop.gui import settings
from lenet_desktop.gui.main_window import MainWindow
from lenet_desktop.model.reading import read_single
from tests.gui.conftest import _send, digit_strokes, draw_strokes


def error_boxes(window) -> list[str]:
    """Texts of the warning boxes the window shows."""
    return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_key_widgets_have_accessible_names(main_window):
    for name in ("drawCanvas", "predictionLabel", "probabilityChart", "cameraView", "modelInput28"):
        widget = main_window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName() == name


def test_empty_canvas_shows_no_prediction_and_a_hint(main_window):
    assert main_window.prediction.label.text() == "—"
    assert "Draw a digit" in main_window.prediction.detail.text()
    assert main_window.prediction.chart.probabilities() is None
    assert main_window.session.explanation is None
    assert main_window.session.image is None


def test_prediction_updates_while_drawing_before_release(qtbot, main_window):
    canvas = main_window.draw.canvas
    seen = []
    main_window.session.explanation_changed.connect(seen.append)
    stroke = digit_strokes(canvas, "1")[0]
    left = Qt.MouseButton.LeftButton
    _send(canvas, QEvent.Type.MouseButtonPress, QPointF(*stroke[0]), left, left)
    for x, y in stroke[1:]:
        _send(canvas, QEvent.Type.MouseMove, QPointF(x, y), Qt.MouseButton.NoButton, left)
    # The button is still down: the answer is already there.
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "1", timeout=3000)
    assert main_window.prediction.chart.probabilities() is not None
    assert seen and seen[-1] is not None and seen[-1].image.shape == (28, 28)
    _send(
        canvas, QEvent.Type.MouseButtonRelease, QPointF(*stroke[-1]), left, Qt.MouseButton.NoButton
    )


def test_clear_button_and_escape_reset_the_prediction(qtbot, main_window):
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "7", timeout=3000)
    qtbot.mouseClick(main_window.draw.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "—", timeout=3000)
    assert canvas.is_empty()
    assert main_window.session.image is None

    draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "7", timeout=3000)
    main_window.activateWindow()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "—", timeout=3000)


def test_undo_removes_the_last_stroke(qtbot, main_window):
    canvas = main_window.draw.canvas
    strokes = digit_strokes(canvas, "4")
    draw_strokes(qtbot, canvas, strokes)
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "4", timeout=3000)
    assert len(canvas.strokes) == 2
    main_window.actions_.undo.trigger()
    assert len(canvas.strokes) == 1
    qtbot.waitUntil(lambda: main_window.prediction.label.text() != "4", timeout=3000)
    qtbot.mouseClick(main_window.draw.undo_button, Qt.MouseButton.LeftButton)
    assert canvas.is_empty()
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "—", timeout=3000)


def test_menus_have_the_expected_shortcuts(main_window):
    actions = main_window.actions_
    assert actions.undo.shortcut().toString() == "Ctrl+Z"
    assert {s.toString() for s in actions.clear.shortcuts()} == {"Esc", "Del"}
    assert actions.open_image.shortcut().toString() == "Ctrl+O"
    assert actions.quit.shortcut().toString() == "Ctrl+Q"
    titles = [a.text() for a in main_window.menuBar().actions()]
    for title in ("&File", "&View", "&Model", "&Help"):
        assert title in titles


def test_status_bar_and_about_show_the_model(qtbot, main_window, shipped_recognizer):
    status = main_window.model_label.text()
    assert "lenet5.keras" in status
    assert f"{shipped_recognizer.test_accuracy:.2%}" in status
    dialog = main_window.show_about()
    qtbot.waitExposed(dialog)
    text = dialog.findChild(QLabel, "aboutText").text()
    assert str(main_window.model_path) in text
    assert f"{shipped_recognizer.test_accuracy:.2%}" in text
    assert shipped_recognizer.sidecar["device"] in text
    dialog.close()


def test_preprocessing_steps_toggle(qtbot, main_window):
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "0"))
    assert not main_window.prediction.steps_visible()
    main_window.actions_.show_steps.setChecked(True)
    names = main_window.prediction.steps.step_names()
    assert main_window.prediction.steps_visible()
    assert names[0].startswith("input") and names[-1] == "centred 28x28"
    # At the window's least width every name fits, wrapped, in the room kept under it.
    main_window.resize(main_window.minimumSizeHint())
    strip = main_window.prediction.steps
    qtbot.waitUntil(lambda: strip.thumb_size() < 72, timeout=3000)
    for name in names:
        needs = strip.caption_needs(name)
        assert needs.height() <= strip.caption_height(), name
        assert needs.width() <= strip.thumb_size() + 4, name
    # As tall as its thumbnails and names: no empty band under a narrow strip.
    qtbot.waitUntil(
        lambda: strip.height() == strip.thumb_size() + strip.caption_height() + 4, timeout=3000
    )


def test_add_panel_docks_with_a_view_toggle(main_window):
    dock = main_window.add_panel("demo", "Demo panel", QLabel("hello"))
    assert dock.objectName() == "panel_demo"
    assert dock.toggleViewAction() in main_window.menus.view.actions()
    assert main_window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea


def test_a_non_image_file_says_why_in_the_photo_tab_and_the_drawing_is_kept(
    qtbot, main_window, tmp_path
):
    from lenet_desktop.gui.recent_files import recent_files

    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "1"))
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "1", timeout=3000)
    strokes = canvas.strokes
    bogus = tmp_path / "notes.png"
    bogus.write_text("this is not an image")
    main_window.open_image(bogus)
    photo = main_window.photo
    assert main_window.tabs.currentWidget() is photo
    qtbot.waitUntil(lambda: not photo.is_opening(), timeout=10_000)
    assert photo.view.message().startswith("Cannot open notes.png:\nnot an image")
    assert "notes.png: cannot be opened (not an image" in photo.summary.text()
    assert "notes.png: not an image" in main_window.statusBar().currentMessage()
    assert error_boxes(main_window) == []  # said in the tab, no box to dismiss
    assert photo.image is None and str(bogus.resolve()) not in recent_files()
    main_window.tabs.setCurrentIndex(0)
    assert canvas.strokes == strokes
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "1", timeout=3000)


def test_bad_model_file_keeps_the_current_model(qtbot, main_window, tmp_path):
    current = main_window.session.recognizer
    bogus = tmp_path / "broken.keras"
    bogus.write_bytes(b"not a zip file")
    main_window.load_model(bogus)
    qtbot.waitUntil(lambda: bool(error_boxes(main_window)), timeout=30_000)
    assert any("broken.keras" in text for text in error_boxes(main_window))
    assert main_window.session.recognizer is current
    assert "lenet5.keras" in main_window.model_label.text()


def test_loading_a_model_swaps_it_live(qtbot, main_window, shipped_model_path):
    with qtbot.waitSignal(main_window.session.recognizer_changed, timeout=60_000) as blocker:
        main_window.load_model(shipped_model_path)
    assert blocker.args[0] is main_window.session.recognizer
    assert main_window.model_path == shipped_model_path


def test_save_drawing_writes_the_canvas(qtbot, main_window, tmp_path):
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
    target = tmp_path / "seven.png"
    main_window.save_drawing(target)
    saved = cv2.imread(str(target), cv2.IMREAD_GRAYSCALE)
    assert np.array_equal(saved, canvas.ink_gray())
    # The file keeps the user's pen, not the model's normalised one: a bolder pen
    # saves more ink, and the saved drawing reads as the same digit.
    canvas.set_pen_width(40)
    main_window.save_drawing(target)
    bold = cv2.imread(str(target), cv2.IMREAD_GRAYSCALE)
    assert (bold < 128).sum() > 1.5 * (saved < 128).sum()
    _, digit = read_single(main_window.session.recognizer, bold)
    assert digit is not None and digit.label == 7


def test_settings_survive_a_restart(qtbot, main_window):
    main_window.add_panel("demo", "Demo panel", QLabel("hello"))
    docks = main_window.findChildren(QDockWidget)
    for dock in docks:
        dock.hide()
    main_window.draw.pen_width.setValue(25)
    main_window.resize(760, 560)
    main_window.splitter.setSizes([420, 300])
    size, sizes = main_window.size(), main_window.splitter.sizes()
    main_window.camera.last_source = "2"
    main_window.close()
    assert settings.read_settings()["pen_width"] == 25

    again = MainWindow(load_model=False)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.draw.canvas.pen_width() == 25
    assert again.camera.last_source == "2"
    assert again.size() == size
    assert again.splitter.sizes() == sizes
    # The dock layout comes back too: the panels closed before are still closed.
    again_docks = again.findChildren(QDockWidget)
    assert len(again_docks) == len(docks) - 1  # the demo panel was not added again
    assert again_docks and not any(dock.isVisible() for dock in again_docks)
    again.close()


def test_settings_live_in_the_per_user_config_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings.set_settings_path(None)
    assert settings.settings_path() == tmp_path / "config" / "lenet-desktop" / "settings.ini"
    settings.write_settings({"pen_width": 31, "splitter_sizes": [300, 200], "show_steps": True})
    values = settings.read_settings()
    assert (values["pen_width"], values["splitter_sizes"], values["show_steps"]) == (
        31,
        [300, 200],
        True,
    )
    assert values["last_camera"] == "0"  # missing keys read as their defaults
