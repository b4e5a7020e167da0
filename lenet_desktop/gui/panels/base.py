"""What every insight panel shares: knowing whether it is really on screen.

Docked panels sit in tabs, and Qt leaves the panels of unselected tabs
"visible" (``isVisible()`` stays true), so panels follow their dock's
``visibilityChanged`` signal instead. Work a hidden panel would do (repaints,
sweeps, test-set figures) waits until it comes on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from lenet_desktop.gui.panels.blit_canvas import BlitCanvasWidget


class InsightPanel(QWidget):
    """Base of the insight panels: tracks whether the panel is on screen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.on_screen = False
        self._dock = None

    def follow_dock(self, dock) -> None:
        """Take the on-screen state from ``dock`` (its tab selected and the window shown)."""
        self._dock = dock
        dock.visibilityChanged.connect(self.set_on_screen)
        self.set_on_screen(False)

    @Slot(bool)
    def set_on_screen(self, visible: bool) -> None:
        """Record whether the panel can be seen; catch up on deferred work when it can."""
        for canvas in self.findChildren(BlitCanvasWidget):
            canvas.set_active(visible)
        if visible == self.on_screen:
            return
        self.on_screen = visible
        if visible:
            self.came_on_screen()

    def came_on_screen(self) -> None:
        """Hook: the panel has just become visible (override to do deferred work)."""

    def shutdown(self) -> None:
        """Hook: stop and join background threads (the window calls it on close)."""

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dock is None:
            self.set_on_screen(True)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if self._dock is None:
            self.set_on_screen(False)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
