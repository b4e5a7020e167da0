"""What the main window remembers between runs: geometry, docks, splitter, pen, camera, tab."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget

from lenet_desktop.gui import dock_layout, settings

FIRST_START_SHARE = 0.85
"""On the first start the window takes this share of the screen's free area, each way."""
ANSWER_WIDTH = 300
"""Width of the answer column (digit, bars, "Correct it") on the first start."""


def restore_controls(window) -> dict:
    """Apply the saved pen width, camera, steps toggle and tab to ``window``; return all values."""
    values = settings.read_settings()
    window.draw.pen_width.setValue(int(values["pen_width"]))
    window.camera.set_last_source(str(values["last_camera"]))
    window.actions_.show_steps.setChecked(bool(values["show_steps"]))
    mode = int(values["mode"])
    if 0 <= mode < window.tabs.count():
        window.tabs.setCurrentIndex(mode)
    return values


def first_start_geometry(window) -> None:
    """Most of the screen, centred, with the panels' share of the width and a narrow answer."""
    screen = window.screen().availableGeometry()
    width = int(screen.width() * FIRST_START_SHARE)
    height = int(screen.height() * FIRST_START_SHARE)
    window.resize(width, height)
    window.move(
        screen.x() + (screen.width() - width) // 2, screen.y() + (screen.height() - height) // 2
    )
    window.panel_share.apply(width)
    central = int(width * (1 - window.panel_share.share))
    window.splitter.setSizes([max(central - ANSWER_WIDTH, 200), ANSWER_WIDTH])
    first = window.findChild(QDockWidget, "panel_" + dock_layout.FIRST_PANEL)
    if first is not None:
        first.raise_()


def restore_layout(window, values: dict) -> None:
    """Restore geometry, dock layout and splitter sizes (after the panels' docks exist)."""
    if values["geometry"].isEmpty():
        first_start_geometry(window)
        return
    window.restoreGeometry(values["geometry"])
    if not values["window_state"].isEmpty():
        window.restoreState(values["window_state"])
    if len(values["splitter_sizes"]) == 2:
        window.splitter.setSizes(values["splitter_sizes"])


def save(window) -> None:
    """Write everything :func:`restore_controls` and :func:`restore_layout` read."""
    settings.write_settings(
        {
            "geometry": window.saveGeometry(),
            "window_state": window.saveState(),
            "splitter_sizes": window.splitter.sizes(),
            "pen_width": int(window.draw.canvas.pen_width()),
            "last_camera": window.camera.last_source,
            "show_steps": window.prediction.steps_visible(),
            "mode": window.tabs.currentIndex(),
        }
    )
