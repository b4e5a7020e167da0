"""Screenshots of the whole window as a first-time user sees it: a drawing, or a photo.

Usage::

    Xvfb :15 -screen 0 1600x1000x24 &
    DISPLAY=:15 QT_QPA_PLATFORM=xcb python tools/screenshot_window.py \\
        --mode draw --out docs/screenshots/window-first-start.png
    python tools/screenshot_window.py --mode draw --out window-first-start.png  # offscreen
    Xvfb :16 -screen 0 1920x1080x24 &
    DISPLAY=:16 QT_QPA_PLATFORM=xcb python tools/screenshot_window.py \\
        --mode photo --size 1920x1080 --out docs/screenshots/window-1920x1080.png

Starts the real window with fresh settings (a first start: the window takes
85 % of the screen, the panels their share of it) unless ``--size`` asks for
a size, loads the shipped model, then either draws a 4 on the canvas with
real mouse events (``--mode draw``) or opens ``assets/samples/digits_on_paper.jpg``
and clicks one of its digits (``--mode photo``), or plays a short video of that
sheet as the camera and clicks a digit, which freezes it (``--mode camera``). It
waits for the panels' background work and saves the window as the X server shows it (``import``),
or with ``QWidget.grab`` offscreen.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

from screenshot_panels import _busy, _window_shot, four_strokes  # noqa: E402

SAMPLE = REPO / "assets" / "samples" / "digits_on_paper.jpg"


def main(argv: list[str] | None = None) -> int:
    """Open the window, show a drawing or a photo, save the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--mode", choices=("draw", "photo", "camera"), default="draw")
    parser.add_argument("--size", default="", help="WIDTHxHEIGHT (default: the first-start size)")
    parser.add_argument("--digit", type=int, default=4, help="photo mode: which digit to click")
    parser.add_argument("--panel", default="", help="the panel tab to bring to the front")
    parser.add_argument(
        "--select", action="store_true", help="select a C3 unit in the Activations panel"
    )
    parser.add_argument(
        "--screen", default="1600x1000", help="offscreen: the screen's WIDTHxHEIGHT (first start)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if os.environ["QT_QPA_PLATFORM"] == "offscreen":
        _offscreen_screen(*(int(v) for v in args.screen.lower().split("x")))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from lenet_desktop.gui import settings
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.model import Recognizer

    app = QApplication(sys.argv[:1])
    app.setApplicationName("lenet-desktop")
    folder = tempfile.TemporaryDirectory()
    settings.set_settings_path(Path(folder.name) / "settings.ini")  # a first start
    os.environ["XDG_DATA_HOME"] = folder.name  # no samples, no earlier runs

    def pump(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)

    window = MainWindow(load_model=False)
    if args.size:
        width, height = (int(v) for v in args.size.lower().split("x"))
        window.move(0, 0)
        window.resize(width, height)
    window.show()
    window.session.set_recognizer(Recognizer.from_file(window.shipped_model_path))
    pump(1.0)

    def send(widget, kind, point: QPointF) -> None:
        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        button = none if kind == QEvent.Type.MouseMove else left
        buttons = none if kind == QEvent.Type.MouseButtonRelease else left
        event = QMouseEvent(
            kind, point, QPointF(widget.mapToGlobal(point)), button, buttons,
            Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        QApplication.sendEvent(widget, event)
        app.processEvents()

    if args.mode == "draw":
        canvas = window.draw.canvas
        for stroke in four_strokes(canvas.paper_rect()):
            points = [QPointF(x, y) for x, y in stroke]
            send(canvas, QEvent.Type.MouseButtonPress, points[0])
            for point in points[1:-1]:
                send(canvas, QEvent.Type.MouseMove, point)
            send(canvas, QEvent.Type.MouseButtonRelease, points[-1])
    else:
        if args.mode == "camera":
            window.open_camera(_sample_video(Path(folder.name) / "digits.avi"))
            view = window.camera.view
        else:
            window.open_image(SAMPLE)  # decoded and read in workers
            view = window.photo.view
        deadline = time.perf_counter() + 60
        while not view.digits() and time.perf_counter() < deadline:
            pump(0.1)
        if not view.digits():
            print("could not read", SAMPLE, view.message(), file=sys.stderr)
            return 1
        x, y, w, h = view.boxes()[args.digit]
        centre = view.widget_point(x + w / 2, y + h / 2)
        send(view, QEvent.Type.MouseButtonPress, centre)
        send(view, QEvent.Type.MouseButtonRelease, centre)
    if args.panel:
        from PySide6.QtWidgets import QDockWidget

        window.findChild(QDockWidget, "panel_" + args.panel).raise_()
        pump(0.5)
    if args.select and window.session.explanation is not None:
        import numpy as np

        from lenet_desktop.gui.panels.unit_links import Selection

        c3 = window.session.explanation.layers["C3"][..., 2]
        row, col = np.unravel_index(np.argmax(c3), c3.shape)
        panel = window.panels["activations"]
        panel.links.select(Selection("C3", 2, int(row), int(col)))  # as a click would
        panel.show_explanation(window.session.explanation)
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline and any(_busy(p) for p in window.panels.values()):
        pump(0.1)
    pump(1.0)
    explanation = window.session.explanation
    label = explanation.label if explanation is not None else None
    print(f"window {window.width()}x{window.height()}, reads {label}")
    _window_shot(window, Path(args.out))
    window.close()
    return 0


def _sample_video(path: Path) -> str:
    """A short MJPG video of the sample sheet, moving a little, as a camera would film it."""
    import cv2
    import numpy as np

    sheet = cv2.imread(str(SAMPLE))
    scale = 960 / sheet.shape[1]
    sheet = cv2.resize(sheet, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = sheet.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (width, height))
    for step in range(60):
        matrix = np.float32([[1, 0, 3 * np.sin(step / 5)], [0, 1, 2 * np.cos(step / 7)]])
        writer.write(
            cv2.warpAffine(sheet, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
        )
    writer.release()
    return str(path)


def _offscreen_screen(width: int, height: int) -> None:
    """Give the offscreen platform a desktop-sized screen (its default is 800x600)."""
    import json

    screen = {"name": "shot", "x": 0, "y": 0, "width": width, "height": height}
    screen.update(logicalDpi=96, logicalBaseDpi=96, dpr=1)
    path = Path(tempfile.mkdtemp(prefix="lenet-qpa-")) / "screens.json"
    path.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"


if __name__ == "__main__":
    sys.exit(main())
