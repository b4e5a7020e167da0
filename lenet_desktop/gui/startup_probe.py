"""Startup timestamps for bench/startup.py, printed only when ``LENET_STARTUP_PROBE=1``."""

from __future__ import annotations

import time

PROBE_ENV = "LENET_STARTUP_PROBE"


def probe_print(event: str) -> None:
    """Print ``PROBE <event> <time.monotonic()>`` to stdout (the same clock in every process)."""
    print(f"PROBE {event} {time.monotonic():.6f}", flush=True)
