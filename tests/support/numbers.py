"""Generated photos and scans of handwritten numbers, for tests and ``bench/read_numbers.py``.

Glyphs are real handwritten digits (MNIST test images, never trained on);
separators (". , - /") are drawn as a pen would. A number is composed on an
ink-coverage sheet with the spacing people use, or tighter (touching and
overlapping pairs), then put on a background (ruled or squared paper at any
angle, a table cell's border, a box, an underline, a guilloche security
pattern), lit, and degraded as a phone camera does (blur, perspective,
shadow, low resolution, JPEG). Every sample knows its text.

Kinds (see :data:`KINDS`): ``camera`` rows of 3-6 digits on a 640x480 frame,
``logbook`` cells photographed at about 34 pixels high, ``cheque`` amounts with
separators on a security pattern, digits often touching, ``notebook`` camera rows
written on ruled or squared paper, its lines through the digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tests.support.paper import (
    degrade,
    frame_lines,
    guilloche,
    photograph,
    rules,
    specks,
    underline,
)
from tests.support.scenes import digit_row_photo, scaled_digit

KINDS = ("camera", "logbook", "cheque", "notebook")


@dataclass
class Sample:
    """One generated image and what is written on it."""

    image: np.ndarray
    """uint8 grey image."""
    text: str
    """The number as written, separators included ("3.500")."""
    kind: str

    @property
    def digits(self) -> str:
        """The digits alone."""
        return "".join(c for c in self.text if c.isdigit())


class Glyphs:
    """Real handwritten digits by label, drawn at random."""

    def __init__(self, images: np.ndarray, labels: np.ndarray):
        self.by_label = [images[labels == k] for k in range(10)]

    def draw(self, label: int, rng: np.random.Generator) -> np.ndarray:
        pool = self.by_label[label]
        return pool[int(rng.integers(0, len(pool)))]


def separator_coverage(char: str, height: float, rng: np.random.Generator) -> np.ndarray:
    """Ink coverage (float32 in [0, 1]) of a pen-drawn separator for digits ``height`` tall.

    The array is ``height`` tall, as wide as the mark, with the mark where it sits
    relative to the digits (a dot on the baseline, a dash at mid-height).
    """
    h = max(8, int(round(height)))
    pen = max(2, int(round(height * rng.uniform(0.09, 0.14))))
    if char == "/":
        w = max(pen + 2, int(round(h * rng.uniform(0.35, 0.55))))
    elif char == "-":
        w = max(pen + 3, int(round(h * rng.uniform(0.3, 0.5))))
    else:
        w = max(pen + 2, int(round(pen * rng.uniform(1.3, 2.2))))
    extra = int(round(0.25 * h)) if char == "," else 0
    sheet = np.zeros((h + extra, w), np.uint8)
    if char == ".":
        r = max(1, pen // 2 + 1)
        cv2.circle(sheet, (w // 2, h - r - 1), r, 255, -1, cv2.LINE_AA)
    elif char == ",":
        r = max(1, pen // 2 + 1)
        cv2.circle(sheet, (w // 2 + 1, h - r - 1), r, 255, -1, cv2.LINE_AA)
        cv2.line(sheet, (w // 2 + 1, h - r), (max(0, w // 2 - r), h + extra - 2), 255, pen)
    elif char == "-":
        y = int(h * rng.uniform(0.45, 0.6))
        cv2.line(sheet, (pen // 2, y), (w - 1 - pen // 2, y), 255, pen, cv2.LINE_AA)
    elif char == "/":
        cv2.line(sheet, (w - 1 - pen // 2, int(0.05 * h)), (pen // 2, h - 1), 255, pen, cv2.LINE_AA)
    else:
        raise ValueError(f"not a separator: {char!r}")
    return cv2.GaussianBlur(sheet, (3, 3), 0).astype(np.float32) / 255.0


def compose(
    text: str,
    glyphs: Glyphs,
    rng: np.random.Generator,
    height: float,
    gap: tuple[float, float] = (0.15, 0.5),
) -> np.ndarray:
    """Ink coverage of ``text`` written ``height`` pixels tall, with a margin of one height.

    ``gap`` is the range of the space between marks, in writing heights;
    negative values make digits touch or overlap.
    """
    marks = []
    for char in text:
        if char.isdigit():
            coverage = scaled_digit(glyphs.draw(int(char), rng), height / 20.0)
            rows = np.nonzero((coverage > 0.1).any(axis=1))[0]
            cols = np.nonzero((coverage > 0.1).any(axis=0))[0]
            if len(rows) == 0:
                continue
            coverage = coverage[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
            marks.append((coverage, 0))
        else:
            marks.append((separator_coverage(char, height, rng), 1))
    pad = int(height)
    width = sum(m.shape[1] for m, _ in marks) + int(height * (gap[1] + 0.2) * len(marks)) + 2 * pad
    sheet = np.zeros((int(height * 1.6) + 2 * pad, width), np.float32)
    x = float(pad)
    baseline = pad + height
    for i, (mark, is_separator) in enumerate(marks):
        wobble = rng.normal(0.0, 0.04 * height)
        # Digits stand on the baseline; a separator's first ``height`` rows span the digits'.
        top = int(round(baseline + wobble - (height if is_separator else mark.shape[0])))
        left = int(round(x))
        region = sheet[top : top + mark.shape[0], left : left + mark.shape[1]]
        np.maximum(region, mark[: region.shape[0], : region.shape[1]], out=region)
        step = rng.uniform(*gap) * height
        if is_separator or (i + 1 < len(marks) and marks[i + 1][1]):
            step = max(step, rng.uniform(0.12, 0.3) * height)
        x += mark.shape[1] + step
    cols = np.nonzero((sheet > 0.1).any(axis=0))[0]
    return sheet[:, : cols[-1] + 1 + pad] if len(cols) else sheet


def _number(rng: np.random.Generator, low: int, high: int) -> str:
    count = int(rng.integers(low, high + 1))
    first = str(int(rng.integers(1, 10)))
    return first + "".join(str(int(d)) for d in rng.integers(0, 10, size=count - 1))


def camera_row(glyphs: Glyphs, rng: np.random.Generator) -> Sample:
    """A 640x480 camera-like photo of a row of 3 to 6 digits on unevenly lit paper."""
    text = _number(rng, 3, 6)
    digits = [glyphs.draw(int(c), rng) for c in text]
    image = digit_row_photo(digits, rng, specks=int(rng.integers(0, 20))).image
    if rng.random() < 0.5:
        image = degrade(image, rng, blur=rng.uniform(0.0, 1.2), jpeg=int(rng.integers(50, 95)))
    return Sample(image, text, "camera")


def logbook_cell(glyphs: Glyphs, rng: np.random.Generator) -> Sample:
    """A phone photo of a number in a logbook's cell: ~34 px high, the cell's border in the crop."""
    text = _number(rng, 1, 5)
    height = float(rng.uniform(40, 70))
    ink = compose(text, glyphs, rng, height, gap=(0.05, 0.45)) * rng.uniform(0.45, 0.9)
    ink = _crop(ink, [rng.uniform(0.12, 0.4) * height for _ in range(4)])
    h, w = ink.shape
    sheet = np.zeros((h, w + int(rng.integers(0, int(height)))), np.float32)
    sheet[:, :w] = ink
    background = frame_lines(sheet.shape, rng, rng.uniform(0.3, 0.8), box=rng.random() < 0.2)
    if rng.random() < 0.4:
        angle = rng.uniform(-30, 30) if rng.random() < 0.5 else rng.uniform(0, 180)
        grid = rules(
            sheet.shape,
            rng,
            rng.uniform(0.35, 0.8) * height,
            angle,
            rng.random() < 0.5,
            rng.uniform(0.1, 0.3),
        )
        background = np.maximum(background, grid)
    if rng.random() < 0.3:
        background = np.maximum(
            background, underline(sheet.shape, rng, _bottom(ink), rng.uniform(0.3, 0.7))
        )
    absorbed = np.maximum(sheet, background) + specks(sheet.shape, rng, int(rng.integers(0, 8)))
    photo = photograph(absorbed, rng, shadow=rng.random() < 0.3)
    image = degrade(
        photo,
        rng,
        height=int(rng.integers(30, 40)),
        blur=rng.uniform(0.3, 1.5),
        perspective=rng.uniform(0.0, 0.04),
        jpeg=int(rng.integers(35, 85)),
    )
    return Sample(image, text, "logbook")


def _crop(ink: np.ndarray, margins) -> np.ndarray:
    """``ink`` cut to its ink box plus margins (top, bottom, left, right) in pixels."""
    rows = np.nonzero((ink > 0.1).any(axis=1))[0]
    cols = np.nonzero((ink > 0.1).any(axis=0))[0]
    top, bottom, left, right = (int(round(m)) for m in margins)
    y0, y1 = max(0, rows[0] - top), min(ink.shape[0], rows[-1] + 1 + bottom)
    x0, x1 = max(0, cols[0] - left), min(ink.shape[1], cols[-1] + 1 + right)
    return ink[y0:y1, x0:x1]


def _bottom(ink: np.ndarray) -> int:
    return int(np.nonzero((ink > 0.1).any(axis=1))[0][-1])


def amount_text(rng: np.random.Generator) -> str:
    """A cheque amount: "3.500", "10,359", "1.250,00", "12-50", "3/4" and plain numbers."""
    style = rng.random()
    if style < 0.35:
        head = _number(rng, 1, 3)
        return head + rng.choice([".", ","]) + "".join(str(int(d)) for d in rng.integers(0, 10, 3))
    if style < 0.55:
        return _number(rng, 1, 4) + "," + "".join(str(int(d)) for d in rng.integers(0, 10, 2))
    if style < 0.7:
        return _number(rng, 1, 3) + "-" + "".join(str(int(d)) for d in rng.integers(0, 10, 2))
    if style < 0.8:
        return _number(rng, 1, 2) + "/" + _number(rng, 1, 2)
    return _number(rng, 2, 5)


def cheque_amount(glyphs: Glyphs, rng: np.random.Generator) -> Sample:
    """A scanned cheque amount on a guilloche background, digits often touching."""
    text = amount_text(rng)
    height = float(rng.uniform(30, 60))
    gap = (-0.12, 0.1) if rng.random() < 0.6 else (0.05, 0.4)
    ink = compose(text, glyphs, rng, height, gap=gap) * rng.uniform(0.6, 0.95)
    ink = _crop(ink, [rng.uniform(0.3, 1.0) * height for _ in range(4)])
    pattern = guilloche(ink.shape, rng, rng.uniform(0.08, 0.3))
    absorbed = np.maximum(ink, pattern) + specks(ink.shape, rng, int(rng.integers(0, 10)))
    photo = photograph(absorbed, rng)
    image = degrade(photo, rng, blur=rng.uniform(0.0, 0.8), jpeg=int(rng.integers(60, 95)))
    return Sample(image, text, "cheque")


def notebook_row(glyphs: Glyphs, rng: np.random.Generator) -> Sample:
    """A camera row (see :func:`camera_row`) written on a notebook's ruled or squared paper.

    The lines, 15-40 px apart, tilted up to 8 degrees with the page and 10-30% dark,
    run under the digits and are lit with them.
    """
    text = _number(rng, 3, 6)
    digits = [glyphs.draw(int(c), rng) for c in text]
    photo = digit_row_photo(digits, rng, specks=int(rng.integers(0, 20))).image
    squared = bool(rng.random() < 0.5)
    printed = rules(
        photo.shape[:2],
        rng,
        rng.uniform(15, 40),
        rng.uniform(-8, 8),
        squared,
        rng.uniform(0.1, 0.3),
    )
    image = np.clip(photo.astype(np.float32) * (1.0 - printed), 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        image = degrade(image, rng, blur=rng.uniform(0.0, 1.2), jpeg=int(rng.integers(50, 95)))
    return Sample(image, text, "notebook")


GENERATORS = {
    "camera": camera_row,
    "logbook": logbook_cell,
    "cheque": cheque_amount,
    "notebook": notebook_row,
}

BLANKS = ("paper", "shadow", "ruled", "squared", "guilloche", "empty cell", "specks")
"""Backgrounds with nothing written on them (see :func:`blank_sheet`)."""


def blank_sheet(background: str, rng: np.random.Generator) -> np.ndarray:
    """A photo or scan of one of :data:`BLANKS` with nothing written on it: no digit to read.

    Paper of any size, ruled or squared at any angle, a cheque's guilloche, an
    empty table cell cropped as a logbook cell is (30-120 px high), or dust.
    """
    if background == "empty cell":
        shape = (int(rng.integers(30, 120)), int(rng.integers(60, 300)))
    else:
        shape = (int(rng.integers(80, 480)), int(rng.integers(150, 640)))
    absorbed = np.zeros(shape, np.float32)
    spacing, angle, dark = rng.uniform(15, 40), rng.uniform(0, 180), rng.uniform(0.1, 0.3)
    if background in ("ruled", "squared"):
        absorbed = rules(shape, rng, spacing, angle, background == "squared", dark)
    elif background == "guilloche":
        absorbed = guilloche(shape, rng, rng.uniform(0.08, 0.3))
    elif background == "empty cell":
        absorbed = frame_lines(shape, rng, rng.uniform(0.3, 0.8), box=rng.random() < 0.5)
    elif background == "specks":
        absorbed = specks(shape, rng, int(rng.integers(1, 10)))
    elif background not in BLANKS:
        raise ValueError(f"not a blank background: {background!r}")
    image = photograph(absorbed, rng, shadow=background == "shadow" or rng.random() < 0.3)
    if rng.random() < 0.5:
        image = degrade(image, rng, blur=rng.uniform(0.0, 1.2), jpeg=int(rng.integers(40, 90)))
    return image


def blank_sheets(background: str, count: int, seed: int = 0) -> list[np.ndarray]:
    """``count`` images of one blank background, the same for the same seed."""
    rng = np.random.default_rng([seed, 100 + BLANKS.index(background)])
    return [blank_sheet(background, rng) for _ in range(count)]


def samples(kind: str, count: int, glyphs: Glyphs, seed: int = 0) -> list[Sample]:
    """``count`` samples of one kind (see :data:`KINDS`), the same for the same seed."""
    rng = np.random.default_rng([seed, KINDS.index(kind)])
    return [GENERATORS[kind](glyphs, rng) for _ in range(count)]
