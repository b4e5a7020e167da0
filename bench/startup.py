"""How fast the window appears, and how soon it can predict, on this machine.

Starts the real app (``python -m lenet_desktop``) in a fresh process several
times with ``QT_QPA_PLATFORM=offscreen`` and ``LENET_STARTUP_PROBE=1``. The
app then prints monotonic timestamps when its window is first shown (after
the first paint) and when the model is loaded and a prediction is possible,
and quits. Times are measured from just before the process is spawned, so they
include the interpreter start and every import.

It then prints the headless figures of ``bench/cli_startup.py``: the import
time of each heavy module, ``lenet-desktop recognize`` on one file (wall time,
peak RSS) and on 1,000 files (time a digit beyond start-up).

Targets (2 CPU cores): window shown <= 0.5 s, first prediction possible <= 1.0 s.

Usage::

    python bench/startup.py [--runs 5] [--app-only]
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
TARGET_SHOWN_S = 0.5
TARGET_READY_S = 1.0


def one_run(config_home: str) -> dict[str, float]:
    """Start the app once; return seconds from spawn to each probe event."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        LENET_STARTUP_PROBE="1",
        TF_CPP_MIN_LOG_LEVEL="3",
        XDG_CONFIG_HOME=config_home,
    )
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "lenet_desktop"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    events = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "PROBE":
            events[parts[1]] = float(parts[2]) - start
    if done.returncode != 0 or len(events) < 2:
        raise RuntimeError(f"app failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app-only", action="store_true", help="skip the headless figures")
    args = parser.parse_args()
    shown, ready = [], []
    with tempfile.TemporaryDirectory() as config_home:
        for run in range(args.runs):
            events = one_run(config_home)
            shown.append(events["window_shown"])
            ready.append(events["first_prediction_possible"])
            print(
                f"run {run + 1}: window shown {shown[-1]:.2f} s, "
                f"first prediction possible {ready[-1]:.2f} s",
                flush=True,
            )
    print(f"cpu cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    median_shown = statistics.median(shown)
    print(
        f"window shown: median {median_shown:.2f} s (target <= {TARGET_SHOWN_S} s), "
        f"range {min(shown):.2f}-{max(shown):.2f} s"
    )
    print(
        f"app launch to first prediction possible: median {statistics.median(ready):.2f} s "
        f"(target <= {TARGET_READY_S} s), range {min(ready):.2f}-{max(ready):.2f} s"
    )
    if args.app_only:
        return 0
    sys.path.insert(0, str(REPO / "bench"))
    from cli_startup import main as cli_main

    return cli_main(["--runs", str(args.runs)])


if __name__ == "__main__":
    sys.exit(main())
