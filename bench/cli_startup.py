"""Start-up figures of the headless path: heavy imports, ``recognize`` on 1 and 1,000 files.

Each figure comes from fresh processes, as a user's command would run:

* the import time of each heavy module alone (its own dependencies included),
  median of ``--runs`` interpreters;
* ``lenet-desktop recognize --single`` on one digit file: wall time (spawn to
  exit) and peak RSS (``os.wait4``), median of ``--runs``;
* the same on 1,000 digit files: the time per digit beyond start-up,
  ``(t(1000) - t(1)) / 999``.

Targets (2 CPU cores): one file <= 1.0 s and <= 200 MB; <= 0.5 ms a digit beyond
start-up. Run by ``bench/startup.py``, or alone: ``python bench/cli_startup.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY_MODULES = ("numpy", "cv2", "h5py", "PySide6.QtWidgets", "matplotlib", "keras", "tensorflow")
TARGET_ONE_FILE_S = 1.0
TARGET_ONE_FILE_MB = 200
TARGET_PER_DIGIT_MS = 0.5


def run_measured(command: list[str], env: dict | None = None) -> tuple[float, float, int]:
    """Run ``command``; (wall seconds, peak RSS in MB, exit status)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return wall, peak_mb, child.returncode


def import_seconds(module: str, runs: int) -> float | None:
    """Median seconds to import ``module`` in a fresh interpreter (None if it is missing)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    times = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        if done.returncode != 0:
            return None
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def write_digit_files(folder: Path, count: int) -> list[Path]:
    """``count`` 28x28 digit PNGs (MNIST test digits when available, else drawn ones)."""
    import cv2
    import numpy as np

    sys.path.insert(0, str(REPO / "bench"))
    from recognize_speed import load_digits

    digits, _ = load_digits(count, np.random.default_rng(0))
    paths = []
    for i, digit in enumerate(digits):
        path = folder / f"digit-{i:04d}.png"
        cv2.imwrite(str(path), 255 - digit)  # dark ink on white, as on paper
        paths.append(path)
    return paths


def recognize_command(files: list[Path]) -> list[str]:
    return [sys.executable, "-m", "lenet_desktop", "recognize", "--single", *map(str, files)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args(argv)
    print(f"cpu cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    print("import time of each heavy module alone (fresh interpreter, median):")
    for module in HEAVY_MODULES:
        seconds = import_seconds(module, max(1, args.runs // 2))
        shown = "not installed" if seconds is None else f"{seconds:.2f} s"
        print(f"  {module:<20} {shown}")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    with tempfile.TemporaryDirectory() as folder:
        files = write_digit_files(Path(folder), args.files)
        ones = [run_measured(recognize_command(files[:1]), env) for _ in range(args.runs)]
        if any(status != 0 for _, _, status in ones):
            raise RuntimeError("recognize failed on one file")
        one_wall = statistics.median(w for w, _, _ in ones)
        one_peak = max(p for _, p, _ in ones)
        print(
            f"recognize one file: median {one_wall:.2f} s wall (target <= {TARGET_ONE_FILE_S} s), "
            f"peak RSS {one_peak:.0f} MB (target <= {TARGET_ONE_FILE_MB} MB), "
            f"range {min(w for w, _, _ in ones):.2f}-{max(w for w, _, _ in ones):.2f} s"
        )
        many = [run_measured(recognize_command(files), env) for _ in range(max(1, args.runs // 2))]
        many_wall = statistics.median(w for w, _, _ in many)
        per_digit_ms = (many_wall - one_wall) / (len(files) - 1) * 1000
        print(
            f"recognize {len(files)} files: median {many_wall:.2f} s wall, peak RSS "
            f"{max(p for _, p, _ in many):.0f} MB; {per_digit_ms:.2f} ms a digit beyond "
            f"start-up (target <= {TARGET_PER_DIGIT_MS} ms)"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
