"""Ask before doing something that cannot be undone, without blocking the event loop."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def ask(
    parent: QWidget, title: str, text: str, action: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """Open a window-modal question; ``on_yes()`` runs only if the user clicks ``action``.

    The box is opened with ``open()``, never ``exec()``: the event loop keeps running
    (training, the camera), and Cancel or Escape leaves everything as it was.

    Returns
    -------
    QMessageBox
        The open box; its confirming button is named ``confirmButton``.
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    box.setObjectName("confirmBox")
    box.setWindowModality(Qt.WindowModality.WindowModal)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    yes.setObjectName("confirmButton")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(_result: int) -> None:
        if box.clickedButton() is yes:
            on_yes()

    box.finished.connect(finished)
    box.open()
    return box
