"""Decompression bombs: a 30000 x 30000 PNG (under 1 MB on disk) refused from its header.

Writes a real bomb (grey, and RGB: they would decode to 0.9 GB and 2.7 GB) to a
temporary folder, then prints for each:

* ``read_image`` in this process: the refusal's wall time and how much the
  process's peak RSS grew;
* ``lenet-desktop recognize bomb.png`` in a fresh process: wall time and peak
  RSS of the whole command (start-up included), and its message.

Target (2 CPU cores): refused in <= 0.5 s using <= 100 MB.

Usage::

    python bench/pixel_bomb.py
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SIDE = 30000
TARGET_S = 0.5
TARGET_MB = 100


def write_bomb(path: Path, channels: int) -> None:
    """A valid PNG of SIDE x SIDE blank pixels, compressed row by row (a few seconds)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    colour_type = {1: 0, 3: 2}[channels]
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * (SIDE * channels)
    parts = [compressor.compress(row) for _ in range(SIDE)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", SIDE, SIDE, 8, colour_type, 0, 0, 0)
    with open(path, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header))
        handle.write(chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    from lenet_desktop.vision.io import ImageReadError, read_image

    print(f"cpu cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        for channels, name in ((1, "grey"), (3, "RGB")):
            bomb = Path(folder) / f"bomb-{name}.png"
            write_bomb(bomb, channels)
            decoded_gb = SIDE * SIDE * channels / 1e9
            before = peak_mb()
            start = time.perf_counter()
            try:
                read_image(bomb)
                message = "NOT REFUSED"
            except ImageReadError as exc:
                message = exc.reason
            seconds = time.perf_counter() - start
            grew = peak_mb() - before
            print(
                f"{name} {SIDE}x{SIDE} PNG ({bomb.stat().st_size / 1e6:.2f} MB on disk, "
                f"{decoded_gb:.1f} GB decoded):"
            )
            print(
                f"  read_image: refused in {seconds * 1000:.1f} ms, peak RSS grew "
                f"{grew:.1f} MB (target <= {TARGET_S} s, <= {TARGET_MB} MB): {message}"
            )
            start = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-m", "lenet_desktop", "recognize", str(bomb)],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            err = child.stderr.read()
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            print(
                f"  lenet-desktop recognize: exit {os.waitstatus_to_exitcode(status)} in "
                f"{wall:.2f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MB (start-up included): "
                f"{err.strip().splitlines()[-1] if err.strip() else '(no message)'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
