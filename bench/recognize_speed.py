"""Recognition latency: one digit, per-layer activations, and whole camera frames.

Prints, in one run (median and 95th percentile, milliseconds):

* one-digit inference: our path (``Recognizer.probabilities``, the NumPy
  engine) against ``model.predict`` and against calling the Keras model
  eagerly (``model(x, training=False)``);
* the activations of every layer for one digit (``Recognizer.activations``);
* one 280x280 canvas photo of a digit through ``preprocess_digit``;
* a 640x480 frame with 5 handwritten digits through the whole path
  (``read_frame``: grey, polarity, lighting, detection, 28x28 digits, one
  batched model call), and its detection part alone;
* a 4K (3840x2160) photo of 5 digits through ``read_frame``.

Frames are generated from real MNIST test digits (``training.data.load_mnist``)
written as dark ink on unevenly lit, noisy paper; without MNIST, digits drawn
with OpenCV's Hershey font stand in. Beside the wall clock, each figure has the
thread's CPU time (``time.thread_time``): on a machine shared with other work
the wall clock includes time spent waiting for a core, the CPU time is what the
work itself costs. OpenCV is limited to one thread, as the app's workers run
it, and OpenBLAS to one thread unless ``OPENBLAS_NUM_THREADS`` says otherwise:
with more, its workers spin after each small model call and take the cores the
OpenCV work in between needs (a 640x480 frame then takes two to four times as
long on a busy 2-core machine). Targets (2 CPU cores): single digit <= 0.3 ms, activations <= 1 ms,
640x480 frame with 5 digits <= 10 ms.

Usage::

    python bench/recognize_speed.py [--model assets/lenet5.keras] [--repeats 300]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# As in ``lenet-desktop recognize``: one OpenBLAS thread (see the module docstring).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from lenet_desktop.model import Recognizer  # noqa: E402
from lenet_desktop.model.reading import read_frame  # noqa: E402
from lenet_desktop.paths import shipped_model_path  # noqa: E402
from lenet_desktop.vision.detect import find_digits  # noqa: E402
from lenet_desktop.vision.preprocess import preprocess_digit  # noqa: E402
from tests.support.scenes import digit_canvas, digit_row_photo  # noqa: E402

TARGETS_MS = {"single": 0.3, "activations": 1.0, "frame": 10.0}


def load_digits(count: int, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """``count`` 28x28 uint8 digits (bright on black): MNIST test digits, or drawn ones."""
    try:
        from training.data import DataError, load_mnist

        data = load_mnist()
        index = rng.choice(len(data.x_test), count, replace=False)
        return data.x_test[index], f"MNIST test digits ({data.source})"
    except (DataError, OSError) as exc:
        print(f"(MNIST not available: {exc}; using drawn digits)")
    digits = np.zeros((count, 28, 28), np.uint8)
    for i in range(count):
        text = str(rng.integers(0, 10))
        cv2.putText(digits[i], text, (7, 23), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 255, 2, cv2.LINE_AA)
    return digits, "digits drawn with OpenCV's Hershey font"


def measure(function, inputs, repeats: int, warmup: int = 5) -> tuple[list[float], list[float]]:
    """Wall-clock and thread-CPU milliseconds of ``function(x)`` for ``repeats`` calls."""
    for i in range(warmup):
        function(inputs[i % len(inputs)])
    wall, cpu = [], []
    for i in range(repeats):
        item = inputs[i % len(inputs)]
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        function(item)
        cpu.append((time.thread_time() - start_cpu) * 1000.0)
        wall.append((time.perf_counter() - start_wall) * 1000.0)
    return wall, cpu


def p95(values: list[float]) -> float:
    """95th percentile."""
    return float(np.percentile(values, 95))


def row(name: str, wall: list[float], cpu: list[float], target: float | None = None) -> str:
    """One line of the table."""
    verdict = ""
    if target is not None:
        verdict = "  meets" if statistics.median(wall) <= target else "  MISSES"
        verdict += f" target <= {target:g} ms (median wall)"
    return (
        f"  {name:<44} {statistics.median(wall):8.3f} {p95(wall):8.3f}"
        f" {statistics.median(cpu):9.3f} {p95(cpu):8.3f}{verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=shipped_model_path())
    parser.add_argument("--repeats", type=int, default=300, help="timed calls per figure")
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    rng = np.random.default_rng(0)

    recognizer = Recognizer.from_file(args.model)
    model = recognizer.model
    digits, source = load_digits(200, rng)
    singles = [d[None, :, :, None].astype(np.float32) / 255.0 for d in digits]
    canvases = [digit_canvas(d, rng).image for d in digits[:50]]
    frames = [digit_row_photo(list(digits[i : i + 5]), rng).image for i in range(0, 100, 5)]
    photos = [
        digit_row_photo(list(digits[i : i + 5]), rng, (2160, 3840), height_range=(200, 400)).image
        for i in range(100, 115, 5)
    ]
    few = max(20, args.repeats // 10)

    print(f"LeNet Desktop recognition speed  ({platform.platform()}, {os.cpu_count()} CPUs)")
    print(f"model {args.model} (engine: {recognizer.engine}); inputs: {source}")
    print(f"OpenBLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}; OpenCV threads: 1")
    print(f"load average before: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"  {'':<44} {'wall ms':>17} {'thread CPU ms':>18}")
    print(f"  {'':<44} {'median':>8} {'p95':>8} {'median':>9} {'p95':>8}")

    print("one digit, class probabilities")
    results = [
        ("ours: Recognizer.probabilities", recognizer.probabilities, args.repeats, "single"),
        ("Keras eager: model(x, training=False)", lambda x: model(x, training=False), few, None),
        ("Keras model.predict(x)", lambda x: model.predict(x, verbose=0), few, None),
    ]
    for name, function, repeats, target in results:
        wall, cpu = measure(function, singles, repeats)
        print(row(name, wall, cpu, TARGETS_MS.get(target)))

    print("one digit, activations of every layer")
    wall, cpu = measure(recognizer.activations, singles, args.repeats)
    print(row("ours: Recognizer.activations", wall, cpu, TARGETS_MS["activations"]))

    print("preprocessing and whole frames")
    wall, cpu = measure(preprocess_digit, canvases, args.repeats)
    print(row("280x280 canvas photo: preprocess_digit", wall, cpu))
    wall, cpu = measure(find_digits, frames, args.repeats)
    print(row("640x480, 5 digits: find_digits only", wall, cpu))
    wall, cpu = measure(lambda f: read_frame(recognizer, f), frames, args.repeats)
    print(row("640x480, 5 digits: read_frame (all)", wall, cpu, TARGETS_MS["frame"]))
    wall, cpu = measure(lambda f: read_frame(recognizer, f), photos, few, warmup=2)
    print(row("3840x2160, 5 digits: read_frame (all)", wall, cpu))

    found = [len(read_frame(recognizer, f).digits) for f in frames]
    print(f"digits found per 640x480 frame: {found[:10]} ... (5 written in each)")
    print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
