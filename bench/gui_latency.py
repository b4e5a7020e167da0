"""Stroke-to-prediction latency: from a mouse move on the canvas to the repainted bars.

Drives the real main window offscreen with the shipped model: presses the
mouse on the drawing canvas and sends a few hundred move events along digit
strokes, one at a time. For each move it times the span from just before the
event is delivered to the end of the probability chart's next paint (the
chart emits ``painted`` at the end of ``paintEvent``), running the event loop
in between, exactly as the app does: canvas repaint, coalesced prediction,
prediction panel and chart repaint. Measured as installed, then with the
linked views and saliency on screen (the Activations panel with a C3 unit
selected, "Why this answer" beside it), then with every dock closed. Also
times the prediction's parts alone.
Target: p95 <= 16 ms (one 60 Hz frame).

Usage::

    python bench/gui_latency.py [--moves 400] [--model assets/lenet5.keras]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from _harness import REPO, linked_views_on, open_window, percentile  # noqa: E402

TARGET_P95_MS = 16.0


def stroke_points(n: int) -> list[tuple[float, float]]:
    """``n`` points along a spiral-ish loop in unit paper coordinates (a person scribbling 0s)."""
    points = []
    for i in range(n):
        a = 2 * math.pi * i / 60
        r = 0.28 + 0.04 * math.sin(i / 17)
        points.append((0.5 + 0.7 * r * math.sin(a), 0.5 - r * math.cos(a)))
    return points


def measure(app, window, moves: int) -> list[float]:
    """Milliseconds from each synthetic mouse move to the end of the chart's next paint."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    canvas = window.draw.canvas
    chart = window.prediction.chart
    painted = []
    chart.painted.connect(lambda: painted.append(time.perf_counter()))
    rect = canvas.paper_rect()

    def to_widget(u, v):
        return QPointF(rect.x() + u * rect.width(), rect.y() + v * rect.height())

    def send(kind, point, button, buttons):
        event = QMouseEvent(
            kind,
            point,
            QPointF(canvas.mapToGlobal(point)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(canvas, event)

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    latencies = []
    points = stroke_points(moves + 1)
    for i, (u, v) in enumerate(points):
        if i % 100 == 0:
            # Start a new stroke every 100 moves so the drawing stays a realistic size.
            if i:
                send(QEvent.Type.MouseButtonRelease, to_widget(u, v), left, none)
            canvas.clear()
            for _ in range(5):
                app.processEvents()
            send(QEvent.Type.MouseButtonPress, to_widget(u, v), left, left)
            for _ in range(5):
                app.processEvents()
            continue
        painted.clear()
        start = time.perf_counter()
        send(QEvent.Type.MouseMove, to_widget(u, v), none, left)
        deadline = start + 2.0
        while not painted and time.perf_counter() < deadline:
            app.processEvents()
        if not painted:
            raise RuntimeError("the probability chart was not repainted within 2 s")
        latencies.append((painted[0] - start) * 1000.0)
    send(QEvent.Type.MouseButtonRelease, to_widget(*points[-1]), left, none)
    chart.painted.disconnect()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=400)
    parser.add_argument("--model", default=str(REPO / "assets" / "lenet5.keras"))
    args = parser.parse_args()

    from PySide6.QtWidgets import QDockWidget

    from lenet_desktop.vision import preprocess_digit

    app, window, _tmp = open_window(args.model, 1100, 700)
    recognizer = window.session.recognizer
    for _ in range(20):
        app.processEvents()
    docks = window.findChildren(QDockWidget)
    results = {
        f"{len(docks)} insight panels docked (as installed)": measure(app, window, args.moves)
    }
    linked_views_on(app, window)
    results["Activations with a unit selected + Why this answer on screen"] = measure(
        app, window, args.moves
    )
    for dock in docks:
        dock.hide()
    results["panel docks closed"] = measure(app, window, args.moves)
    canvas = window.draw.canvas

    # The prediction's parts, on the final drawing.
    parts = {"render": [], "preprocess": [], "classify": []}
    for _ in range(200):
        t0 = time.perf_counter()
        gray = canvas.render_gray()
        t1 = time.perf_counter()
        result = preprocess_digit(gray, ink="dark", remove_lighting=False)
        t2 = time.perf_counter()
        recognizer.classify(result.digit)
        t3 = time.perf_counter()
        for name, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            parts[name].append(value * 1000.0)
    window.close()

    for name, latencies in results.items():
        print(f"mouse move -> repainted probability bars, {len(latencies)} moves, {name}:")
        print(
            f"  median {statistics.median(latencies):.2f} ms, "
            f"p95 {percentile(latencies, 95):.2f} ms (target <= {TARGET_P95_MS:.0f} ms), "
            f"max {max(latencies):.2f} ms"
        )
    print(
        "prediction parts (median of 200): "
        + ", ".join(f"{name} {statistics.median(values):.2f} ms" for name, values in parts.items())
    )
    print(
        f"engine: {recognizer.engine}, cpu cores: {os.cpu_count()}, "
        f"load average: {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
