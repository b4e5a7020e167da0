"""What the Draw, Camera and Photo tabs share: only the tab on screen explains its input."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from lenet_desktop.gui.session import Session


class InputTab(QWidget):
    """Base of the input tabs: the window makes one active; the active one writes to the session."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.active = False
        """Whether this tab is the one on screen (set by the window)."""

    def set_active(self, active: bool) -> None:
        """The window switched to (or away from) this tab."""
        changed = active != self.active
        self.active = active
        if active and changed:
            self.became_active()

    def became_active(self) -> None:
        """Hook: put this tab's input (or its hint) into the session."""
