"""What the main window remembers between runs: geometry, docks, splitter, pen, camera."""

from __future__ import annotations

from lenet_desktop.gui import settings

DEFAULT_SIZE = (1400, 860)


def restore_controls(window) -> dict:
    """Apply the saved pen width, camera and steps toggle to ``window``; return all values."""
    values = settings.read_settings()
    window.draw.pen_width.setValue(int(values["pen_width"]))
    window.camera.last_source = str(values["last_camera"])
    window.actions_.show_steps.setChecked(bool(values["show_steps"]))
    return values


def restore_layout(window, values: dict) -> None:
    """Restore geometry, dock layout and splitter sizes (after every panel is docked)."""
    if not values["geometry"].isEmpty():
        window.restoreGeometry(values["geometry"])
    else:
        # First run: most of the screen, so the insight panels have room beside the canvas.
        screen = window.screen().availableGeometry()
        window.resize(
            min(DEFAULT_SIZE[0], int(screen.width() * 0.92)),
            min(DEFAULT_SIZE[1], int(screen.height() * 0.9)),
        )
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
        }
    )
