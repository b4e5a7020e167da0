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
