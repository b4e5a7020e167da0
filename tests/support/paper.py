"""Backgrounds and camera degradations for generated numbers (see :mod:`tests.support.numbers`).

Everything works on float32 "absorbed" sheets (0 = paper, 1 = black ink) until
:func:`photograph` lights the sheet and turns it into a uint8 photo.
"""

from __future__ import annotations

import cv2
import numpy as np

from tests.support.scenes import lighting


def rules(shape, rng, spacing: float, angle_deg: float, squared: bool, darkness: float):
    """Ruled (or squared) paper lines at ``angle_deg``, as absorbed ink."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    theta = np.deg2rad(angle_deg)
    offset = rng.uniform(0, spacing)
    out = np.zeros(shape, np.float32)
    directions = [theta] + ([theta + np.pi / 2] if squared else [])
    for t in directions:
        u = xs * -np.sin(t) + ys * np.cos(t) + offset
        distance = np.abs((u + spacing / 2) % spacing - spacing / 2)
        out = np.maximum(out, darkness * np.clip(1.2 - distance, 0, 1))
    return out


def guilloche(shape, rng, darkness: float):
    """A security pattern: families of thin interlaced sine curves, as absorbed ink."""
    h, w = shape
    sheet = np.zeros(shape, np.uint8)
    xs = np.arange(w, dtype=np.float32)
    for _ in range(int(rng.integers(2, 4))):
        period = rng.uniform(0.15, 0.5) * w
        amplitude = rng.uniform(0.1, 0.35) * h
        phase_step = rng.uniform(0.2, 0.6)
        for k in range(int(rng.integers(6, 14))):
            ys = h / 2 + amplitude * np.sin(2 * np.pi * xs / period + k * phase_step)
            points = np.stack([xs, ys], axis=1).astype(np.int32)[None]
            cv2.polylines(sheet, points, False, 255, 1, cv2.LINE_AA)
    return sheet.astype(np.float32) / 255.0 * darkness


def frame_lines(shape, rng, darkness: float, box: bool):
    """A table cell's border cut by the crop (lines along the crop's edges), or a drawn box."""
    h, w = shape
    out = np.zeros(shape, np.uint8)
    pen = int(rng.integers(1, 3))
    if box:
        m = int(rng.integers(2, max(3, min(h, w) // 8)))
        cv2.rectangle(out, (m, m), (w - 1 - m, h - 1 - m), 255, pen)
    else:
        for side in rng.permutation(4)[: int(rng.integers(2, 5))]:
            inset = int(rng.integers(0, max(1, min(h, w) // 12)))
            tilt = int(rng.integers(-2, 3))
            if side == 0:
                cv2.line(out, (0, inset), (w - 1, inset + tilt), 255, pen)
            elif side == 1:
                cv2.line(out, (0, h - 1 - inset), (w - 1, h - 1 - inset + tilt), 255, pen)
            elif side == 2:
                cv2.line(out, (inset, 0), (inset + tilt, h - 1), 255, pen)
            else:
                cv2.line(out, (w - 1 - inset, 0), (w - 1 - inset + tilt, h - 1), 255, pen)
    return out.astype(np.float32) / 255.0 * darkness


def underline(shape, rng, baseline: int, darkness: float):
    """A pen line under the number."""
    h, w = shape
    out = np.zeros(shape, np.uint8)
    y = min(h - 2, baseline + int(rng.integers(2, 6)))
    x0, x1 = int(rng.integers(0, w // 6)), int(w - rng.integers(1, w // 6))
    cv2.line(out, (x0, y), (x1, y + int(rng.integers(-2, 3))), 255, int(rng.integers(1, 3)))
    return out.astype(np.float32) / 255.0 * darkness


def specks(shape, rng, count: int) -> np.ndarray:
    """Dust and stray dots, as absorbed ink."""
    out = np.zeros(shape, np.uint8)
    for _ in range(count):
        x, y = int(rng.integers(0, shape[1])), int(rng.integers(0, shape[0]))
        cv2.circle(out, (x, y), int(rng.integers(0, 2)), int(rng.integers(80, 200)), -1)
    return out.astype(np.float32) / 255.0


def photograph(absorbed: np.ndarray, rng: np.random.Generator, shadow: bool = False):
    """Light the sheet unevenly (and cast a soft shadow), add sensor noise: uint8."""
    h, w = absorbed.shape
    light = lighting((h, w), rng)
    if shadow:
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        t = rng.uniform(0, np.pi)
        edge = (xs - w * rng.uniform(0.3, 0.7)) * np.cos(t) + (ys - h / 2) * np.sin(t)
        soft = max(2.0, 0.08 * min(h, w))
        light *= 1.0 - rng.uniform(0.25, 0.5) / (1.0 + np.exp(-edge / soft))
    image = light * (1.0 - np.clip(absorbed, 0, 1))
    image += rng.normal(0.0, rng.uniform(2.0, 6.0), size=image.shape).astype(np.float32)
    return np.clip(image + 0.5, 0, 255).astype(np.uint8)


def degrade(
    image: np.ndarray,
    rng: np.random.Generator,
    height: int | None = None,
    blur: float = 0.0,
    perspective: float = 0.0,
    jpeg: int | None = None,
) -> np.ndarray:
    """A phone's view of a photo: perspective, blur, resampled to ``height`` px, JPEG."""
    out = image
    h, w = out.shape
    if perspective > 0:
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        jitter = rng.uniform(-perspective, perspective, size=(4, 2)) * np.float32([w, h])
        matrix = cv2.getPerspectiveTransform(src, (src + jitter).astype(np.float32))
        out = cv2.warpPerspective(out, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    if height is not None and height != h:
        size = (max(1, int(round(w * height / h))), height)
        out = cv2.resize(out, size, interpolation=cv2.INTER_AREA)
    if jpeg is not None:
        ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg)])
        out = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    return out
