"""Make assets/samples/digits_on_paper.jpg: handwriting-like digits on unevenly lit paper.

The digits are drawn stroke by stroke as a person writes them (not MNIST),
each at its own size, slant, angle and pen width with a slight wobble, in
blue-black ink on a sheet lit from one side, with mild sensor noise and blur,
as a phone photo of a note would be. Saved as JPEG, like a photo.

Usage::

    python tools/make_sample_photo.py [--out assets/samples/digits_on_paper.jpg]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
LINES = ["2048", "3159", "67"]


def _arc(cx, cy, rx, ry, start, stop, steps=24):
    ts = np.linspace(start, stop, steps)
    return list(zip(cx + rx * np.cos(ts), cy + ry * np.sin(ts), strict=True))


def _line(p0, p1, steps=8):
    return [
        (p0[0] + (p1[0] - p0[0]) * t, p0[1] + (p1[1] - p0[1]) * t) for t in np.linspace(0, 1, steps)
    ]


PI = np.pi
# Each digit as the strokes a person draws, in a unit cell (x right, y down).
STROKES = {
    "0": [_arc(0.5, 0.5, 0.24, 0.38, -PI / 2, 1.55 * PI, 40)],
    "1": [_line((0.36, 0.26), (0.56, 0.1)) + _line((0.56, 0.1), (0.5, 0.9))],
    "2": [
        _arc(0.5, 0.32, 0.22, 0.2, 1.1 * PI, 2.25 * PI)
        + _line((0.62, 0.5), (0.24, 0.9))
        + _line((0.24, 0.9), (0.78, 0.88))
    ],
    "3": [
        _arc(0.48, 0.3, 0.2, 0.18, -0.85 * PI, 0.5 * PI)
        + _arc(0.48, 0.68, 0.24, 0.21, -0.5 * PI, 0.85 * PI)
    ],
    "4": [
        _line((0.46, 0.1), (0.22, 0.62)) + _line((0.22, 0.62), (0.8, 0.62)),
        _line((0.64, 0.3), (0.62, 0.92)),
    ],
    "5": [
        _line((0.74, 0.12), (0.34, 0.12))
        + _line((0.34, 0.12), (0.3, 0.46))
        + _arc(0.5, 0.66, 0.25, 0.23, -0.8 * PI, 0.8 * PI)
    ],
    "6": [
        _arc(1.0, 0.62, 0.62, 0.54, -0.6 * PI, -PI, 16) + _arc(0.53, 0.68, 0.2, 0.2, PI, 3 * PI, 32)
    ],
    "7": [_line((0.24, 0.14), (0.78, 0.14)) + _line((0.78, 0.14), (0.44, 0.9))],
    "8": [
        _arc(0.5, 0.3, 0.19, 0.19, 0.5 * PI, 2.5 * PI, 32)
        + _arc(0.5, 0.7, 0.23, 0.2, -0.5 * PI, 1.5 * PI, 32)
    ],
    "9": [_arc(0.47, 0.32, 0.21, 0.2, 0.05 * PI, 2.05 * PI, 32) + _line((0.68, 0.34), (0.6, 0.9))],
}


def draw_digit(ink: np.ndarray, digit: str, x: float, y: float, size: float, rng) -> None:
    """Draw ``digit`` into ``ink`` with its cell's top-left at (x, y), ``size`` pixels tall."""
    slant = rng.uniform(0.05, 0.25)
    angle = np.deg2rad(rng.uniform(-6, 6))
    scale = size * rng.uniform(0.9, 1.08)
    width = scale * rng.uniform(0.72, 0.85)
    thickness = int(rng.integers(6, 9))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    wobble = rng.normal(0, 0.012, size=(2, 4))
    for stroke in STROKES[digit]:
        points = []
        for u, v in stroke:
            # A slow, smooth wobble: hands do not draw perfect arcs.
            u += wobble[0, 0] * np.sin(7 * v + wobble[0, 1] * 50)
            v += wobble[1, 0] * np.sin(6 * u + wobble[1, 1] * 50)
            px, py = (u - 0.5) * width - slant * (v - 0.5) * scale, (v - 0.5) * scale
            px, py = rotation @ np.array([px, py])
            points.append((x + size / 2 + px, y + size / 2 + py))
        line = np.round(np.array(points) * 16).astype(np.int32)
        cv2.polylines(ink, [line], False, 255, thickness, cv2.LINE_AA, shift=4)


def make_photo(seed: int = 7) -> np.ndarray:
    """The sample photo as a BGR uint8 image."""
    rng = np.random.default_rng(seed)
    height, width = 480, 640
    ink = np.zeros((height, width), np.uint8)
    for row, line in enumerate(LINES):
        x = 70 + rng.uniform(0, 40)
        y = 40 + row * 140 + rng.uniform(-10, 10)
        for digit in line:
            size = rng.uniform(80, 100)
            draw_digit(ink, digit, x, y + rng.uniform(-6, 6), size, rng)
            x += size * rng.uniform(0.85, 1.05)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    light = 238 - 60 * (xs / width) ** 1.5 - 25 * (ys / height)
    paper = np.stack([light * 0.96, light * 0.985, light], axis=2)
    coverage = cv2.GaussianBlur(ink.astype(np.float32) / 255.0, (3, 3), 0)[..., None]
    ink_colour = np.array([75.0, 45.0, 30.0])  # blue-black ballpoint, BGR
    photo = paper * (1 - 0.92 * coverage) + ink_colour * 0.92 * coverage
    photo += rng.normal(0, 2.0, photo.shape)
    return np.clip(photo, 0, 255).astype(np.uint8)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "assets" / "samples" / "digits_on_paper.jpg"))
    args = parser.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok, encoded = cv2.imencode(out.suffix, make_photo(), [cv2.IMWRITE_JPEG_QUALITY, 88])
    if not ok:
        raise RuntimeError(f"cannot encode {out.suffix}")
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(encoded.tobytes())
    tmp.replace(out)
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
