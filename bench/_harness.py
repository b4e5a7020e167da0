"""What the GUI benchmarks share: percentiles and a real main window to drive."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile of ``values``: the nearest measured value, never an interpolation."""
    return float(np.percentile(values, q, method="nearest"))


def open_window(model_path: str, width: int, height: int):
    """Show a MainWindow with ``model_path`` loaded, its settings and data in a temp folder.

    Returns
    -------
    (QApplication, MainWindow, tempfile.TemporaryDirectory)
        Keep the temporary directory alive while the window is used.
    """
    from PySide6.QtWidgets import QApplication

    from lenet_desktop.gui import settings
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.model import Recognizer

    app = QApplication.instance() or QApplication([])
    tmp = tempfile.TemporaryDirectory()
    settings.set_settings_path(Path(tmp.name) / "settings.ini")
    os.environ["XDG_DATA_HOME"] = tmp.name
    recognizer = Recognizer.from_file(model_path)
    window = MainWindow(load_model=False)
    window.resize(width, height)
    window.show()
    window.session.set_recognizer(recognizer)
    return app, window, tmp


def linked_views_on(app, window) -> None:
    """Put "Why this answer" on screen beside the Activations panel and select a C3 unit there.

    Both panels then redraw for every input (saliency by backprop, the selected
    unit's share of the score), as they do for a user exploring the network.
    """
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget

    from lenet_desktop.gui.panels.unit_links import Selection

    maps = window.findChild(QDockWidget, "panel_activations")
    why = window.findChild(QDockWidget, "panel_saliency")
    # Out of the tabs (splitting a tabbed dock would only add a tab), below them.
    window.removeDockWidget(why)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, why, Qt.Orientation.Vertical)
    why.show()
    maps.raise_()
    panels = window.panels
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline and not (
        panels["activations"].on_screen and panels["saliency"].on_screen
    ):
        app.processEvents()
    if not (panels["activations"].on_screen and panels["saliency"].on_screen):
        raise RuntimeError("the Activations and Why this answer panels did not come on screen")
    panels["activations"].links.select(Selection("C3", 2, 4, 5))
    for _ in range(50):
        app.processEvents()
