"""Stroke-to-activations latency: from a mouse move on the canvas to the repainted maps.

Drives the real main window with the shipped model and the Activations panel
on screen: presses the mouse on the drawing canvas and sends a few hundred
move events along digit-like strokes, one at a time. For each move it times
the span from just before the event is delivered to the end of the next
repaint of the activation maps (the panel's canvas records the time right
after its blit, which repaints the widget synchronously), running the event
loop in between exactly as the app does: canvas repaint, coalesced
preprocessing and prediction, prediction panel, then the activations of every
layer computed and blitted. By default the linked views and saliency are on
(a C3 unit selected, its share recomputed for every input, and "Why this
answer" on screen beside the maps, so each move is timed to the later of the
two panels' repaints); ``--plain`` times the maps alone. Target: p95 <= 16 ms
(one 60 Hz frame).

Beside the wall-clock latency it reports the GUI thread's CPU time for the
same span (``time.thread_time``): on a machine shared with other work the
wall clock includes time the thread waited for a core, the CPU time is what
the work itself costs.

It also times the panel's parts alone on the final drawing: the activations
(NumPy engine), updating the artists, the blit, and, for comparison, a full
matplotlib redraw of the same figure (what ``draw_idle`` alone would cost
each time, and why the live path blits).

Usage::

    python bench/activation_latency.py [--moves 400] [--model assets/lenet5.keras]
    QT_QPA_PLATFORM=xcb xvfb-run -s "-screen 0 1600x1000x24" python bench/activation_latency.py
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
    """``n`` points of looping strokes in unit paper coordinates (a person writing 0s and 6s)."""
    points = []
    for i in range(n):
        a = 2 * math.pi * i / 70
        r = 0.26 + 0.05 * math.sin(i / 13)
        points.append((0.5 + 0.65 * r * math.sin(a), 0.5 - r * math.cos(a)))
    return points


def summary(values: list[float]) -> str:
    """Median, p95 and max of millisecond timings."""
    return (
        f"median {statistics.median(values):.2f} ms, p95 {percentile(values, 95):.2f} ms, "
        f"max {max(values):.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=400)
    parser.add_argument("--model", default=str(REPO / "assets" / "lenet5.keras"))
    parser.add_argument(
        "--plain", action="store_true", help="no unit selected and no saliency panel on screen"
    )
    args = parser.parse_args()

    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication, QDockWidget

    app, window, _tmp = open_window(args.model, 1400, 860)
    recognizer = window.session.recognizer
    window.findChild(QDockWidget, "panel_activations").raise_()
    deadline = time.perf_counter() + 5
    panel = window.panels["activations"]
    while not panel.on_screen and time.perf_counter() < deadline:
        app.processEvents()
    for _ in range(50):
        app.processEvents()
    if not panel.on_screen:
        raise RuntimeError("the Activations panel did not come on screen")
    canvas = window.draw.canvas
    maps = panel.canvas
    why = window.panels["saliency"]
    if not args.plain:
        linked_views_on(app, window)
    watched = [maps] if args.plain else [maps, why.canvas]
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
    cpu = []
    points = stroke_points(args.moves + 1)
    for i, (u, v) in enumerate(points):
        if i % 100 == 0:
            # A new stroke every 100 moves keeps the drawing a realistic size.
            if i:
                send(QEvent.Type.MouseButtonRelease, to_widget(u, v), left, none)
            canvas.clear()
            for _ in range(5):
                app.processEvents()
            send(QEvent.Type.MouseButtonPress, to_widget(u, v), left, left)
            for _ in range(5):
                app.processEvents()
            continue
        frames = [c.frame_count for c in watched]
        cpu_start = time.thread_time()
        start = time.perf_counter()
        send(QEvent.Type.MouseMove, to_widget(u, v), none, left)
        deadline = start + 2.0

        def waiting(frames=frames):
            return any(c.frame_count == f for c, f in zip(watched, frames, strict=True))

        while waiting() and time.perf_counter() < deadline:
            app.processEvents()
        if waiting():
            raise RuntimeError("the panels were not repainted within 2 s")
        latencies.append((max(c.last_frame_time for c in watched) - start) * 1000.0)
        cpu.append((time.thread_time() - cpu_start) * 1000.0)
    send(QEvent.Type.MouseButtonRelease, to_widget(*points[-1]), left, none)
    for _ in range(5):
        app.processEvents()

    from lenet_desktop.model.explanation import explain

    digit = window.session.image
    from lenet_desktop.model.gradients import class_gradients

    parts = {"explanation": [], "update artists": [], "blit": [], "panel total": []}
    parts.update({"backprop (2 classes)": [], "saliency panel": []})
    for _ in range(200):
        t0 = time.perf_counter()
        explanation = explain(recognizer, digit)
        t1 = time.perf_counter()
        panel._update_data(explanation)
        t2 = time.perf_counter()
        maps.refresh()
        t3 = time.perf_counter()
        panel.show_explanation(explanation)
        t4 = time.perf_counter()
        class_gradients(recognizer, explanation, [explanation.label, 0])
        t5 = time.perf_counter()
        why.show_explanation(explanation)
        t6 = time.perf_counter()
        spans = (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5)
        for name, value in zip(parts, spans, strict=True):
            parts[name].append(value * 1000.0)
    full = []
    for _ in range(15):
        t0 = time.perf_counter()
        maps.draw()
        maps.repaint()
        full.append((time.perf_counter() - t0) * 1000.0)
    size = maps.size()
    window.close()

    platform = os.environ.get("QT_QPA_PLATFORM", "")
    shown = "maps only" if args.plain else "maps with a C3 unit selected + Why this answer"
    print(f"mouse move -> repainted panels ({shown}), {len(latencies)} moves ({platform}):")
    print(f"  wall clock: {summary(latencies)} (target p95 <= {TARGET_P95_MS:.0f} ms)")
    print(f"  GUI-thread CPU time: {summary(cpu)} (its own work, without waiting for a core)")
    print(
        "panel parts (median of 200): "
        + ", ".join(f"{name} {statistics.median(values):.2f} ms" for name, values in parts.items())
    )
    print(f"  panel total: {summary(parts['panel total'])}")
    print(
        f"full matplotlib redraw of the same figure ({size.width()}x{size.height()} px): "
        f"{summary(full)}"
    )
    print(
        f"engine: {recognizer.engine}, cpu cores: {os.cpu_count()}, "
        f"load average: {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
