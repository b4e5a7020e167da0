"""How long the GUI thread stalls while the Photo tab opens a big photo.

Writes a 48-megapixel JPEG of digits on paper (8000 x 6000, what a phone
camera takes) to a temporary folder, opens it in a real window as a user does
(File → Open image), and ticks a 5 ms timer on the GUI thread meanwhile. Prints
the longest gap between ticks (how long the window could not repaint or react)
and the time until the digits were boxed, beside the longest gap while the
window does nothing (on a loaded machine the scheduler alone makes gaps). For
comparison it also times, on
this thread, the work the GUI thread did before opening moved to workers:
decoding the file and converting the whole photo for painting.

Usage::

    python bench/photo_open_stall.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from _harness import REPO, open_window  # noqa: E402  (after the environment)

SIZE = (8000, 6000)
TARGET_STALL_S = 0.1


def big_photo(folder: Path) -> Path:
    """A JPEG of "4 7" on paper, scaled to :data:`SIZE`."""
    import cv2

    from tests.gui.conftest import paper_with_digits

    sheet = cv2.resize(paper_with_digits("47"), SIZE, interpolation=cv2.INTER_CUBIC)
    path = folder / "big.jpg"
    cv2.imwrite(str(path), sheet, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return path


def idle_gap(app, seconds: float = 2.0) -> float:
    """The longest gap between 5 ms ticks while nothing happens (the machine's own noise)."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = [time.perf_counter()]
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    while time.perf_counter() - ticks[0] < seconds:
        app.processEvents()
        time.sleep(0.002)
    timer.stop()
    return max(b - a for a, b in zip(ticks, ticks[1:], strict=False))


def open_and_watch(app, window, path: Path) -> tuple[float, float, list[int]]:
    """(longest GUI gap s, seconds until the digits were shown, the labels shown)."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    view = window.photo.view
    view.set_frame(None)
    timer.start()
    start = time.perf_counter()
    ticks.append(start)
    window.open_image(path)
    while not view.digits() and not view.message().startswith("Cannot"):
        if time.perf_counter() - start > 120:
            raise RuntimeError("the photo was not read within 2 minutes")
        app.processEvents()
        time.sleep(0.002)
    shown = time.perf_counter() - start
    app.processEvents()
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    return max(gaps), shown, view.labels()


def old_gui_thread_work(path: Path) -> float:
    """Seconds of decoding plus whole-photo conversion, the GUI thread's work before."""
    from lenet_desktop.gui.images import bgr_to_qimage
    from lenet_desktop.vision.io import read_image

    start = time.perf_counter()
    bgr_to_qimage(read_image(path))
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Print the stall figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    model = str(REPO / "lenet_desktop" / "assets" / "lenet5.keras")
    if not Path(model).is_file():
        from lenet_desktop.paths import shipped_model_path

        model = str(shipped_model_path())
    with tempfile.TemporaryDirectory() as folder:
        path = big_photo(Path(folder))
        app, window, _tmp = open_window(model, 1400, 860)
        idle_gap(app, 4.0)  # the panels' first paint (matplotlib) is not the photo's doing
        stalls, times, idle = [], [], []
        for _ in range(args.repeat):
            idle.append(idle_gap(app))
            stall, shown, labels = open_and_watch(app, window, path)
            stalls.append(stall)
            times.append(shown)
        before = [old_gui_thread_work(path) for _ in range(args.repeat)]
        window.close()
        window.shutdown(30)
    load = os.getloadavg()[0]
    print(f"photo {SIZE[0]} x {SIZE[1]} JPEG, read as {labels}; load average {load:.1f}")
    print(
        f"longest GUI-thread stall while opening: median {statistics.median(stalls) * 1000:.0f} ms"
        f" (max {max(stalls) * 1000:.0f} ms; target < {TARGET_STALL_S * 1000:.0f} ms)"
    )
    print(
        f"longest gap with nothing to do (the machine's noise): median "
        f"{statistics.median(idle) * 1000:.0f} ms"
    )
    print(f"digits boxed after: median {statistics.median(times):.2f} s")
    print(
        "decode + whole-photo conversion on the GUI thread, as before: median "
        f"{statistics.median(before) * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
