"""The first start fits the screen with the panels in place, and the panels share any growth."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QTabBar

from lenet_desktop.gui import dock_layout
from lenet_desktop.gui.main_window import MainWindow


def first_start(qtbot, **kwargs) -> MainWindow:
    window = MainWindow(load_model=False, **kwargs)
    qtbot.addWidget(window)
    return window


def test_first_start_fits_the_screen_with_the_panels_docked_before_the_first_frame(qtbot):
    window = first_start(qtbot, defer_extensions=True)  # as the app starts it
    screen = window.screen().availableGeometry()
    # Before it is shown, the docks are already there: the first frame has the layout.
    docks = window.findChildren(QDockWidget)
    assert sorted(d.objectName() for d in docks) == sorted(
        "panel_" + name for name in dock_layout.PANEL_TITLES
    )
    window.show()
    qtbot.waitExposed(window)

    assert abs(window.width() - 0.85 * screen.width()) <= 2
    assert abs(window.height() - 0.85 * screen.height()) <= 2
    assert screen.contains(window.frameGeometry().center())
    share = dock_layout.dock_area_width(window) / window.width()
    assert 0.4 <= share <= 0.5, share
    # The panels are built behind the first frame and land in the docks already there.
    qtbot.waitUntil(lambda: bool(window.panels), timeout=30_000)
    for name, panel in window.panels.items():
        dock = window.findChild(QDockWidget, "panel_" + name)
        assert dock.widget() is panel and dock.windowTitle() == panel.title
    assert len(window.findChildren(QDockWidget)) == len(docks)
    assert window.panels["activations"].on_screen
    window.close()


def shown_at(qtbot, width: int, height: int) -> MainWindow:
    """A first-start window on screen, then resized to ``width`` x ``height``."""
    window = first_start(qtbot)
    window.show()
    qtbot.waitExposed(window)
    window.resize(width, height)
    qtbot.wait(50)
    return window


def test_a_growing_window_gives_the_panels_their_share(qtbot):
    window = shown_at(qtbot, 1200, 800)
    share = dock_layout.dock_area_width(window) / window.width()

    for width in (1800, 1500, 1900):
        window.resize(width, 900)
        qtbot.wait(50)
        # Not a fixed 400 px: the dock area keeps its share, the answer column its width.
        assert abs(dock_layout.dock_area_width(window) / width - share) < 0.02
    answer = window.prediction.width()
    window.resize(1300, 900)
    qtbot.wait(50)
    assert abs(window.prediction.width() - answer) < 40
    window.close()


def test_a_share_chosen_by_dragging_the_separator_is_kept(qtbot):
    window = shown_at(qtbot, 1400, 860)
    dock = window.findChild(QDockWidget, "panel_activations")
    window.resizeDocks([dock], [420], Qt.Orientation.Horizontal)  # the user drags
    qtbot.wait(50)
    chosen = dock_layout.dock_area_width(window) / window.width()
    assert abs(chosen - 0.3) < 0.02
    window.resize(1800, 860)
    qtbot.wait(50)
    assert abs(dock_layout.dock_area_width(window) - chosen * 1800) <= 12
    window.close()


def test_dock_tab_titles_are_never_cut(qtbot):
    window = shown_at(qtbot, 1300, 860)
    qtbot.waitUntil(lambda: bool(window.panels), timeout=30_000)
    qtbot.wait(50)
    bars = window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
    assert bars
    for bar in bars:
        assert bar.elideMode() == Qt.TextElideMode.ElideNone
        titles = [bar.tabText(i) for i in range(bar.count())]
        assert "Activations" in titles
    window.close()
