"""Where the insight panels sit: docked on the right, with a share of the width that holds.

The panels are the point of the app, so they get room: their docks exist
from the window's first frame (holding a "Loading the panels…" line until the
panels are built behind it), the first start gives them
:data:`DEFAULT_PANEL_SHARE` of the width, and when the window grows or
shrinks the dock area keeps its share (Qt's own rule gives every extra pixel
to the central widget, which left blank gaps beside the canvas). Dragging the
separator sets a new share, which the next resize keeps.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabBar

PANEL_TITLES = {
    "activations": "Activations",
    "saliency": "Why this answer",
    "filters": "Filters",
    "transform": "Rotate / shift / flip",
    "robustness": "Robustness",
    "report": "Model report",
}
"""The panels :func:`lenet_desktop.gui.panels.build_panels` makes, by name, with their dock
titles. Their docks are made with the window so the layout is in place from the first
frame; a panel missing here still gets a dock, only later. (The panel's own ``title``
replaces the title here once it is built.)"""
FIRST_PANEL = "activations"
DEFAULT_PANEL_SHARE = 0.45
"""Share of the window width the dock area gets on the first start."""
SHARE_RANGE = (0.2, 0.8)
"""A share set by dragging the separator is kept only inside this range."""
LOADING_TEXT = "Loading the panels…"
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


def loading_label() -> QLabel:
    """What a panel's dock holds until the panel is built."""
    label = QLabel(LOADING_TEXT)
    label.setObjectName("panelLoading")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def right_docks(window: QMainWindow) -> list[QDockWidget]:
    """The docks shown in the window's right area (not floating, not closed)."""
    return [
        dock
        for dock in window.findChildren(QDockWidget)
        if not dock.isHidden() and not dock.isFloating() and window.dockWidgetArea(dock) == RIGHT
    ]


def dock_area_width(window: QMainWindow) -> int:
    """Width of the right dock area now (0 when no dock is shown there)."""
    # Docks behind another tab keep a stale geometry: only the ones on screen count.
    docks = [d for d in right_docks(window) if not d.visibleRegion().isEmpty()]
    if not docks:
        return 0
    left = min(d.geometry().left() for d in docks)
    right = max(d.geometry().right() for d in docks)
    return right - left + 1


def show_whole_tab_titles(window: QMainWindow) -> None:
    """Never elide the dock tab titles ("Activati…"): scroll the tab bar instead."""
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if bar.elideMode() != Qt.TextElideMode.ElideNone:
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)


class PanelShare:
    """Keeps the right dock area at a share of the window width as the window is resized."""

    def __init__(self, window: QMainWindow, share: float = DEFAULT_PANEL_SHARE):
        self.window = window
        self.share = share

    def apply(self, width: int | None = None) -> None:
        """Give the dock area its share of ``width`` (default: the window's width now)."""
        docks = right_docks(self.window)
        if not docks:
            return
        width = self.window.width() if width is None else width
        self.window.resizeDocks([docks[0]], [round(self.share * width)], Qt.Orientation.Horizontal)

    def window_resized(self, old_width: int, new_width: int) -> None:
        """Called from the window's ``resizeEvent``: keep the share the user last chose.

        Qt has already laid the window out at the new size by then, with the docks at
        their old width, so that width over the old window width is the share to keep.
        """
        if old_width <= 0 or new_width == old_width:
            return
        area = dock_area_width(self.window)
        if not area:
            return
        share = area / old_width
        low, high = SHARE_RANGE
        if low <= share <= high:
            self.share = share
        self.apply(new_width)


def install_panels(window, panels: dict) -> None:
    """Put each panel in its dock: the placeholder dock of that name, else a new one
    (``window.add_panel``); each panel then follows its dock's visibility."""
    for name, panel in panels.items():
        dock = window.findChild(QDockWidget, "panel_" + name)
        if dock is None:
            dock = window.add_panel(name, panel.title, panel)
        else:
            old = dock.widget()
            dock.setWidget(panel)
            dock.setWindowTitle(panel.title)
            old.deleteLater()
        panel.follow_dock(dock)
        # A dock already on screen sends no visibility change for its new contents.
        panel.set_on_screen(dock.isVisible() and not dock.visibleRegion().isEmpty())
