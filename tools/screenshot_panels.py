"""Screenshots of the insight panels, from the real window with a digit drawn on the canvas.

Usage::

    LENET_MNIST=/path/to/mnist.npz QT_QPA_PLATFORM=xcb xvfb-run -s "-screen 0 1600x1000x24" \\
        python tools/screenshot_panels.py [--out docs/screenshots]

Opens the main window with the shipped model, draws a "4" on the canvas with
real mouse events, then brings each panel's tab to the front, waits for its
background work (probability sweeps, the MNIST test digits of the model
report; in the Activations panel a C3 unit is selected, as a click would) and saves
``panel-<name>.png`` of the dock, plus ``window-panels.png``
of the whole window (taken from the X server with ``import -window root``
under Xvfb). Works offscreen too (``QT_QPA_PLATFORM=offscreen``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PANELS = ("activations", "saliency", "filters", "transform", "robustness", "report")


def four_strokes(rect) -> list[list[tuple[float, float]]]:
    """A hand-drawn 4 (open top, crossing vertical) in canvas pixels."""

    def line(p0, p1, steps=14):
        return [
            (p0[0] + (p1[0] - p0[0]) * t / steps, p0[1] + (p1[1] - p0[1]) * t / steps)
            for t in range(steps + 1)
        ]

    unit = [
        line((0.40, 0.18), (0.27, 0.58)) + line((0.27, 0.58), (0.75, 0.57))[1:],
        line((0.62, 0.30), (0.61, 0.85)),
    ]
    return [
        [(rect.x() + u * rect.width(), rect.y() + v * rect.height()) for u, v in stroke]
        for stroke in unit
    ]


def main(argv: list[str] | None = None) -> int:
    """Draw, show each panel, save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--rotation", type=int, default=35, help="explorer rotation, degrees")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication, QDockWidget

    from lenet_desktop.gui import settings
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.model import Recognizer

    app = QApplication(sys.argv[:1])
    app.setOrganizationName("LeNet Desktop")
    app.setApplicationName("lenet-desktop")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings_file = out / ".screenshot-settings.ini"
    settings.set_settings_path(settings_file)

    def pump(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)

    window = MainWindow(load_model=False)
    window.resize(1500, 940)
    window.show()
    window.session.set_recognizer(Recognizer.from_file(REPO / "assets" / "lenet5.keras"))
    docks = {name: window.findChild(QDockWidget, "panel_" + name) for name in PANELS}
    window.resizeDocks([docks["activations"]], [520], Qt.Orientation.Horizontal)
    pump(0.5)

    canvas = window.draw.canvas
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for stroke in four_strokes(canvas.paper_rect()):
        points = [QPointF(x, y) for x, y in stroke]
        kinds = [QEvent.Type.MouseButtonPress]
        kinds += [QEvent.Type.MouseMove] * (len(points) - 2) + [QEvent.Type.MouseButtonRelease]
        for kind, point in zip(kinds, points, strict=True):
            button = none if kind == QEvent.Type.MouseMove else left
            buttons = none if kind == QEvent.Type.MouseButtonRelease else left
            event = QMouseEvent(
                kind,
                point,
                QPointF(canvas.mapToGlobal(point)),
                button,
                buttons,
                Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(canvas, event)
            app.processEvents()
    pump(0.5)
    print("prediction:", window.session.explanation.label if window.session.explanation else None)

    panels = window.panels
    for name in PANELS:
        docks[name].raise_()
        pump(0.6)
        panel = panels[name]
        if name == "transform":
            panel.rotation.setValue(args.rotation)
        if name == "activations":
            from lenet_desktop.gui.panels.unit_links import Selection

            c3 = window.session.explanation.layers["C3"][..., 2]
            row, col = np.unravel_index(np.argmax(c3), c3.shape)
            panel.links.select(Selection("C3", 2, int(row), int(col)))  # as a click would
            panel.show_explanation(window.session.explanation)
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline and _busy(panel):
            pump(0.1)
        pump(0.8)
        path = out / f"panel-{name}.png"
        docks[name].grab().save(str(path))
        print("wrote", path)
    docks["activations"].raise_()
    pump(0.8)
    _window_shot(window, out / "window-panels.png")
    window.close()
    settings_file.unlink(missing_ok=True)
    return 0


def _window_shot(window, path: Path) -> None:
    """The window as the X server shows it (``import -window root``), else ``QWidget.grab``."""
    if os.environ.get("QT_QPA_PLATFORM") == "xcb" and shutil.which("import"):
        frame = window.frameGeometry()
        crop = f"{frame.width()}x{frame.height()}+{frame.x()}+{frame.y()}"
        subprocess.run(["import", "-window", "root", "-crop", crop, str(path)], check=True)
    else:
        window.grab().save(str(path))
    print("wrote", path)


def _busy(panel) -> bool:
    for name in ("sweeps_busy", "is_computing"):
        check = getattr(panel, name, None)
        if check is not None and check():
            return True
    return False


if __name__ == "__main__":
    sys.exit(main())
