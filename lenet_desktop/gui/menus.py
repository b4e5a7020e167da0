"""The main window's menus and shortcuts (built here to keep main_window.py wiring only)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from lenet_desktop.gui.inputs.camera import VIDEO_FILTER
from lenet_desktop.gui.inputs.photo import IMAGE_FILTER

MODEL_FILTER = "Keras models (*.keras);;All files (*)"


def open_image_dialog(window) -> None:
    """File → Open image…"""
    path, _ = QFileDialog.getOpenFileName(window, "Open image", "", IMAGE_FILTER)
    if path:
        window.open_image(path)


def open_video_dialog(window) -> None:
    """File → Open video file…"""
    path, _ = QFileDialog.getOpenFileName(window, "Open video file", "", VIDEO_FILTER)
    if path:
        window.open_camera(path)


def save_drawing_dialog(window) -> None:
    """File → Save drawing as PNG…"""
    if window.draw.canvas.is_empty():
        window.status_message("Nothing to save: the canvas is empty.")
        return
    path, _ = QFileDialog.getSaveFileName(window, "Save drawing", "digit.png", "PNG (*.png)")
    if path:
        window.save_drawing(path)


def load_model_dialog(window) -> None:
    """Model → Load model…"""
    start = str(Path(window.model_path).parent) if window.model_path else ""
    path, _ = QFileDialog.getOpenFileName(window, "Load model", start, MODEL_FILTER)
    if path:
        window.load_model(path)


def _action(window, menu, text, slot=None, shortcuts=(), tip="", checkable=False, name=""):
    action = QAction(text, window)
    if shortcuts:
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
    if tip:
        action.setStatusTip(tip)
    if name:
        action.setObjectName(name)
    action.setCheckable(checkable)
    if slot is not None:
        (action.toggled if checkable else action.triggered).connect(slot)
    menu.addAction(action)
    return action


def build_menus(window) -> tuple[SimpleNamespace, SimpleNamespace]:
    """Create File, Edit, View, Model and Help menus on ``window``.

    Returns
    -------
    (menus, actions) : tuple of types.SimpleNamespace
        ``menus.file``, ``.edit``, ``.view``, ``.model``, ``.help`` and
        ``.panels_section`` (where View lists the docked panels); the actions by name.
    """
    bar = window.menuBar()
    menus = SimpleNamespace(
        file=bar.addMenu("&File"),
        edit=bar.addMenu("&Edit"),
        view=bar.addMenu("&View"),
        model=bar.addMenu("&Model"),
        help=bar.addMenu("&Help"),
    )
    a = SimpleNamespace()
    f, e, v, m, h = menus.file, menus.edit, menus.view, menus.model, menus.help
    a.open_image = _action(
        window,
        f,
        "&Open image…",
        lambda: open_image_dialog(window),
        ["Ctrl+O"],
        "Read every digit in a photo",
        name="actionOpenImage",
    )
    a.open_video = _action(
        window,
        f,
        "Open &video file…",
        lambda: open_video_dialog(window),
        ["Ctrl+Shift+O"],
        "Use a video file as the camera",
        name="actionOpenVideo",
    )
    a.save_drawing = _action(
        window,
        f,
        "&Save drawing as PNG…",
        lambda: save_drawing_dialog(window),
        ["Ctrl+S"],
        "Save the canvas as an image",
        name="actionSaveDrawing",
    )
    f.addSeparator()
    a.quit = _action(window, f, "&Quit", window.close, ["Ctrl+Q"], name="actionQuit")
    a.undo = _action(
        window,
        e,
        "&Undo stroke",
        window.draw.canvas.undo,
        ["Ctrl+Z"],
        "Remove the last stroke",
        name="actionUndo",
    )
    a.clear = _action(
        window,
        e,
        "&Clear canvas",
        window.draw.canvas.clear,
        ["Esc", "Del"],
        "Remove every stroke",
        name="actionClear",
    )
    for index, title in enumerate(("&Draw", "&Camera", "&Photo")):
        _action(
            window,
            v,
            title,
            lambda _=False, i=index: window.tabs.setCurrentIndex(i),
            [f"Ctrl+{index + 1}"],
            name=f"actionMode{index}",
        )
    v.addSeparator()
    a.show_steps = _action(
        window,
        v,
        "Show &preprocessing steps",
        window.set_steps_visible,
        ["Ctrl+P"],
        "Show how the input becomes the 28x28 image",
        checkable=True,
        name="actionShowSteps",
    )
    a.full_screen = _action(
        window,
        v,
        "&Full screen",
        window.set_full_screen,
        ["F11"],
        checkable=True,
        name="actionFullScreen",
    )
    v.addSeparator()
    menus.panels_section = v.addSection("Panels")
    a.load_model = _action(
        window,
        m,
        "&Load model…",
        lambda: load_model_dialog(window),
        ["Ctrl+L"],
        "Use another .keras model",
        name="actionLoadModel",
    )
    a.revert_model = _action(
        window,
        m,
        "&Revert to shipped model",
        window.revert_to_shipped,
        (),
        "Use the model that ships with the app",
        name="actionRevertModel",
    )
    a.about = _action(
        window,
        h,
        "&About LeNet Desktop",
        window.show_about,
        ["F1"],
        name="actionAbout",
    )
    return menus, a
