"""Where the Retrain dialog opens: beside the main window, never over the canvas.

Training takes minutes and the window stays usable meanwhile (drawing, the
camera), so the dialog goes where it hides the least: beside the window when
the screen has room, else over the window's right-hand part (the panels and
the answer), leaving the input in view: a user can draw while training runs.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

MIN_WIDTH = 720
"""The narrowest the dialog is placed at (its form and curves still fit)."""
OVER_WINDOW_SHARE = 0.66
"""Share of the window's width the dialog covers when it cannot go beside it."""


def beside_rect(window: QRect, screen: QRect, width: int, height: int) -> QRect:
    """Where a ``width`` x ``height`` dialog goes for a window at ``window`` on ``screen``."""
    height = min(height, screen.height())
    top = max(screen.top(), min(window.top(), screen.bottom() - height + 1))
    room_right = screen.right() - window.right()
    room_left = window.left() - screen.left()
    if room_right >= MIN_WIDTH or room_left >= MIN_WIDTH:
        if room_right >= room_left:
            return QRect(window.right() + 1, top, min(width, room_right), height)
        fitted = min(width, room_left)
        return QRect(window.left() - fitted, top, fitted, height)
    fitted = min(screen.width(), max(MIN_WIDTH, int(window.width() * OVER_WINDOW_SHARE)))
    left = min(window.right() + 1, screen.right() + 1) - fitted
    return QRect(max(screen.left(), left), top, fitted, height)


def place_beside(dialog: QWidget, window: QWidget) -> None:
    """Move and size ``dialog`` beside ``window`` (see :func:`beside_rect`)."""
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    hint = dialog.sizeHint()
    height = max(hint.height(), min(frame.height(), screen.height()))
    rect = beside_rect(frame, screen, max(hint.width(), MIN_WIDTH), height)
    dialog.resize(rect.size())
    dialog.move(rect.topLeft())
