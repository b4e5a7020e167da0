"""Synthetic photographs of handwritten digits, for tests, benchmarks and demos.

Real MNIST digits (28x28, bright ink on black) are turned into ink on paper:
the digit's grey level becomes how much light the ink absorbs, the paper is
lit unevenly (a gradient in a random direction) and the camera adds noise and
a few dark specks. Because the ink box of every pasted digit is known, the
result can be checked against what the vision code finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np


@dataclass
class Scene:
    """A generated photo and where the digits in it are."""

    image: np.ndarray
    """uint8 grey image, dark ink on light paper (or the reverse when inverted)."""
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Ink box (x, y, w, h) of every pasted digit, in reading order."""
    labels: list[int] = field(default_factory=list)
    """The label of every pasted digit, in the same order."""


def lighting(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """An unevenly lit sheet of paper: float32 brightness in grey levels.

    A bright base level falls off linearly along a random direction (by 20% to
    50%) with a soft radial vignette on top, as under a desk lamp.
    """
    h, w = shape
    base = rng.uniform(175.0, 245.0)
    drop = rng.uniform(0.2, 0.5)
    angle = rng.uniform(0.0, 2.0 * np.pi)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    xs /= max(w - 1, 1)
    ys /= max(h - 1, 1)
    ramp = (xs - 0.5) * np.cos(angle) + (ys - 0.5) * np.sin(angle)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    cx, cy = rng.uniform(0.2, 0.8, size=2)
    vignette = 1.0 - 0.15 * ((xs - cx) ** 2 + (ys - cy) ** 2)
    return (base * (1.0 - drop * ramp) * vignette).astype(np.float32)


def scaled_digit(digit: np.ndarray, scale: float) -> np.ndarray:
    """The whole 28x28 MNIST image resized by ``scale``, as ink coverage in [0, 1]."""
    size = max(2, int(round(28 * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    resized = cv2.resize(
        digit.astype(np.float32) / 255.0, (size, size), interpolation=interpolation
    )
    return np.clip(resized, 0.0, 1.0)


def ink_box(coverage: np.ndarray, x: int, y: int) -> tuple[int, int, int, int]:
    """Box (x, y, w, h) of the visible ink of ``coverage`` pasted at (x, y)."""
    rows = np.nonzero((coverage > 0.1).any(axis=1))[0]
    cols = np.nonzero((coverage > 0.1).any(axis=0))[0]
    return (
        x + int(cols[0]),
        y + int(rows[0]),
        int(cols[-1] - cols[0] + 1),
        int(rows[-1] - rows[0] + 1),
    )


def _finish(
    absorbed: np.ndarray,
    rng: np.random.Generator,
    noise: float | None,
    specks: int,
    invert: bool,
) -> np.ndarray:
    """Light the sheet, add noise and specks, return uint8."""
    h, w = absorbed.shape
    light = lighting((h, w), rng)
    image = light * (1.0 - absorbed)
    for _ in range(specks):
        # Specks are single dust dots or tiny blots: at most 2 px across.
        sx, sy = int(rng.integers(0, w)), int(rng.integers(0, h))
        radius = int(rng.integers(0, 2))
        cv2.circle(image, (sx, sy), radius, float(light[sy, sx] * rng.uniform(0.3, 0.7)), -1)
    sigma = rng.uniform(3.0, 9.0) if noise is None else noise
    image += rng.normal(0.0, sigma, size=image.shape).astype(np.float32)
    out = np.clip(image + 0.5, 0, 255).astype(np.uint8)
    return 255 - out if invert else out


def digit_canvas(
    digit: np.ndarray,
    rng: np.random.Generator,
    size: int = 280,
    scale_range: tuple[float, float] = (0.5, 3.0),
    noise: float | None = None,
    specks: int = 0,
    invert: bool = False,
) -> Scene:
    """One MNIST digit at a random position and scale on a ``size`` x ``size`` photo.

    Parameters
    ----------
    digit : ndarray
        uint8 (28, 28) MNIST image, bright ink on black.
    rng : numpy.random.Generator
    size : int
        Side of the square canvas.
    scale_range : (float, float)
        The 28x28 image is resized by a factor drawn uniformly from this range.
    noise : float, optional
        Standard deviation of the camera noise in grey levels (random 3-9 when omitted).
    specks : int
        Number of dark dust specks scattered over the paper.
    invert : bool
        Return light ink on a dark background instead.

    Returns
    -------
    Scene
        With one box (the ink box of the pasted digit).
    """
    scale = float(rng.uniform(*scale_range))
    coverage = scaled_digit(digit, scale)
    side = coverage.shape[0]
    if side > size:
        raise ValueError(f"a digit scaled by {scale:.2f} does not fit a {size}px canvas")
    x, y = (int(v) for v in rng.integers(0, size - side + 1, size=2))
    absorbed = np.zeros((size, size), np.float32)
    absorbed[y : y + side, x : x + side] = coverage * rng.uniform(0.65, 0.9)
    image = _finish(absorbed, rng, noise, specks, invert)
    return Scene(image, [ink_box(coverage, x, y)])


def digit_row_photo(
    digits: list[np.ndarray],
    rng: np.random.Generator,
    shape: tuple[int, int] = (480, 640),
    labels: list[int] | None = None,
    height_range: tuple[float, float] = (40.0, 90.0),
    noise: float | None = None,
    specks: int = 12,
    invert: bool = False,
) -> Scene:
    """Several MNIST digits written in a row (a number) on an unevenly lit photo.

    The one-line case of :func:`digit_lines_photo`.
    """
    return digit_lines_photo(
        [digits],
        rng,
        shape,
        [labels] if labels is not None else None,
        height_range,
        noise,
        specks,
        invert,
    )


def digit_lines_photo(
    lines: list[list[np.ndarray]],
    rng: np.random.Generator,
    shape: tuple[int, int] = (480, 640),
    labels: list[list[int]] | None = None,
    height_range: tuple[float, float] = (40.0, 90.0),
    noise: float | None = None,
    specks: int = 12,
    invert: bool = False,
) -> Scene:
    """Lines of MNIST digits (numbers) written on an unevenly lit photo.

    All digits share one writing size (the 28x28 image is scaled so that the
    ink is about ``height_range`` pixels tall, with +-10% per digit; smaller
    when the lines would not fit), sit on slightly wavy baselines at least
    1.8 writing heights apart and are spaced as people write numbers: gaps of
    15% to 60% of the writing height between ink boxes.

    Returns
    -------
    Scene
        Boxes and labels in reading order (line by line, left to right).
    """
    h, w = shape
    # A digit needs at most 1.1 * 1.1 heights of width and 0.6 of gap, a line 1.8 heights.
    widest = 0.9 * w / (1.9 * max(max(len(line) for line in lines), 1))
    tallest = 0.8 * h / (1.8 * len(lines))
    ink_height = min(float(rng.uniform(*height_range)), widest, tallest)
    band = h * 0.8 / len(lines)
    pad = int(np.ceil(28 * ink_height / 20.0 * 1.1)) + 2
    # Paste on a sheet with a margin all round, so digits near an edge are cut, not lost.
    absorbed = np.zeros((h + 2 * pad, w + 2 * pad), np.float32)
    contrast = rng.uniform(0.65, 0.9)
    scene_boxes = []
    for number, digits in enumerate(lines):
        pieces = []
        for digit in digits:
            coverage = scaled_digit(digit, ink_height / 20.0 * float(rng.uniform(0.9, 1.1)))
            rows = np.nonzero((coverage > 0.1).any(axis=1))[0]
            cols = np.nonzero((coverage > 0.1).any(axis=0))[0]
            pieces.append((coverage, rows, cols))
        gaps = [rng.uniform(0.15, 0.6) * ink_height for _ in pieces[1:]] + [0.0]
        total = sum(p[2][-1] - p[2][0] + 1 for p in pieces) + sum(gaps)
        margin = 0.05 * w
        left = rng.uniform(margin, max(margin, w - margin - total))
        top = h * 0.1 + number * band
        baseline = rng.uniform(top + ink_height * 1.1, top + band - ink_height * 0.3)
        for (coverage, rows, cols), gap in zip(pieces, gaps, strict=True):
            side = coverage.shape[0]
            ink_bottom = baseline + rng.normal(0.0, 0.05 * ink_height)
            x = int(round(left - cols[0]))
            y = int(round(ink_bottom - rows[-1]))
            region = absorbed[pad + y : pad + y + side, pad + x : pad + x + side]
            np.maximum(region, coverage * contrast, out=region)
            scene_boxes.append(ink_box(coverage, x, y))
            left += cols[-1] - cols[0] + 1 + gap
    absorbed = absorbed[pad : pad + h, pad : pad + w]
    image = _finish(absorbed, rng, noise, specks, invert)
    flat = [label for line in labels for label in line] if labels is not None else []
    return Scene(image, scene_boxes, flat)


def draw_ruled_lines(image: np.ndarray, spacing: int, darkness: float = 0.25) -> np.ndarray:
    """Ruled-paper lines across ``image`` (dark ink on light paper), every ``spacing`` px."""
    out = image.astype(np.float32)
    for y in range(spacing // 2, image.shape[0], spacing):
        out[y : y + 2] *= 1.0 - darkness
    return np.clip(out, 0, 255).astype(np.uint8)
