"""How long closing the window takes while work is still running in the background.

Two cases, each repeated: a photo read stuck inside the reader (it waits on an
event the benchmark releases only after the window has closed), and a
retraining run in the middle of an epoch (on a tiny generated data set, so no
MNIST is needed). Each times ``MainWindow.close()`` from the call to its
return, then how long the stopped workers took to end afterwards. Target:
close() under 0.5 s whatever runs.

Usage::

    python bench/close_latency.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from _harness import REPO, open_window  # noqa: E402  (after the environment)

TARGET_S = 0.5


def pump(app, seconds: float, until=lambda: False) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not until():
        app.processEvents()
        time.sleep(0.005)


def close_with_a_stuck_read(model: str) -> tuple[float, float]:
    """(close seconds, seconds until the stuck read ended once released)."""
    import lenet_desktop.model.reading as reading
    from tests.gui.conftest import paper_with_digits

    app, window, tmp = open_window(model, 1400, 860)
    real, release, started = reading.read_frame, threading.Event(), threading.Event()

    def stuck(recognizer, image, *args, **kwargs):
        started.set()
        release.wait(60)
        return real(recognizer, image, *args, **kwargs)

    reading.read_frame = stuck
    try:
        window.photo.set_image(paper_with_digits("47"), Path(tmp.name) / "slow.png")
        pump(app, 10, started.is_set)
        start = time.perf_counter()
        window.close()
        closed = time.perf_counter() - start
        release.set()
        start = time.perf_counter()
        window.shutdown(30)
        return closed, time.perf_counter() - start
    finally:
        reading.read_frame = real
        release.set()


def close_while_training(model: str, data_path: Path) -> tuple[float, float]:
    """(close seconds, seconds until the training thread ended)."""
    app, window, _tmp = open_window(model, 1400, 860)
    window.retrain.open_retrain()
    dialog = window.retrain.dialog()
    dialog.form.epochs_spin.setValue(200)
    dialog.form.batch_spin.setValue(8)
    dialog.form.data_edit.setText(str(data_path))
    dialog.start()
    pump(app, 120, lambda: dialog.batch_bar.value() >= 10)
    if dialog.batch_bar.value() < 10:
        raise RuntimeError("training did not start within 2 minutes")
    start = time.perf_counter()
    window.close()
    closed = time.perf_counter() - start
    start = time.perf_counter()
    window.shutdown(60)
    return closed, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=str(REPO / "assets" / "lenet5.keras"))
    args = parser.parse_args()

    from tests.conftest import make_tiny_data
    from training.data import save_npz_atomic

    data = make_tiny_data()
    folder = Path(tempfile.mkdtemp())
    data_path = folder / "tiny.npz"
    save_npz_atomic(
        data_path,
        x_train=data.x_train,
        y_train=data.y_train,
        x_test=data.x_test,
        y_test=data.y_test,
    )
    for name, case in (
        ("a photo read stuck in the reader", lambda: close_with_a_stuck_read(args.model)),
        ("retraining mid-epoch", lambda: close_while_training(args.model, data_path)),
    ):
        runs = [case() for _ in range(args.repeat)]
        closes = [1000 * c for c, _ in runs]
        after = [1000 * a for _, a in runs]
        print(f"close() with {name}, {args.repeat} runs:")
        print(
            f"  close() median {statistics.median(closes):.0f} ms, max {max(closes):.0f} ms "
            f"(target < {1000 * TARGET_S:.0f} ms); the workers ended "
            f"{statistics.median(after):.0f} ms (median) after it"
        )
    print(f"cpu cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
