"""One image (a canvas drawing or a crop) to one MNIST-style 28x28 digit.

MNIST digits were made by fitting the ink into a 20x20 box (aspect kept,
anti-aliased), placing it in 28x28 so that its centre of mass is at the
centre, bright ink on black. :func:`preprocess_digit` does the same to any
input and keeps every intermediate image so the GUI can show the pipeline.
The ink itself is found by :mod:`lenet_desktop.vision.ink`; the last steps
(:func:`digit_from_ink`, :func:`fit_and_centre`) live in
:mod:`training.digit_format`, shared with the whole-frame detector and with
training's real-handwriting sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from lenet_desktop.vision.budget import Budget, default_budget
from lenet_desktop.vision.convert import to_gray8
from lenet_desktop.vision.ink import Components, ink_components, ink_map
from lenet_desktop.vision.polarity import even_paper_level, polarity_on_even_paper
from training.digit_format import (  # noqa: F401  (re-exported: the MNIST format's steps)
    CENTRE,
    FIT_SIZE,
    INK_PEAK_PERCENTILE,
    OUT_SIZE,
    digit_from_ink,
    fit_and_centre,
    normalise_ink,
)

MAX_SIDE = 512
"""Larger single images are shrunk to this long side first: a digit needs no more."""
SINGLE_SIDE = 80
"""Smaller photos of one digit are enlarged so their short side is this long (within
:data:`MAX_SIDE`): on a photo a few tens of pixels high the light cannot be told from the
strokes. (80 rather than the detector's 96,
:data:`~lenet_desktop.vision.detect.SMALL_SIDE`: on the photographed validation writers
of ``bench/real_photos.py`` 96 read worse. Clean drawings and scans, read without
lighting removal, and small evenly lit images
(:func:`~lenet_desktop.vision.polarity.even_paper_level`) are taken as they are, as
training takes them.)"""
SPECK_FRACTION = 0.04
"""Pieces smaller than this fraction of the largest piece are specks."""
NEAR_FRACTION = 0.5
"""Pieces further from the digit than this fraction of its size are not part of it."""


@dataclass
class PreprocessResult:
    """The 28x28 digit (or ``None``) and the images that led to it."""

    digit: np.ndarray | None
    """float32 (28, 28) in [0, 1], bright ink on black; ``None`` when no digit was found."""
    steps: list[tuple[str, np.ndarray]] = field(default_factory=list)
    """Named uint8 images of each stage, in order."""
    box: tuple[int, int, int, int] | None = None
    """Ink bounding box (x, y, width, height) in the input's pixel coordinates."""
    reason: str = ""
    """Why no digit was found, for the user."""
    polarity: str = ""
    """``"dark"`` (dark ink on light paper) or ``"light"``, as used; empty for unusable input."""

    @property
    def found(self) -> bool:
        """Whether a digit was found."""
        return self.digit is not None


def bright_ink(gray: np.ndarray, ink: str = "auto") -> np.ndarray:
    """Return ``gray`` with bright ink on a dark background.

    ``ink`` is ``"dark"`` (dark ink on light paper), ``"light"`` or ``"auto"``
    (decided by :func:`lenet_desktop.vision.polarity.decide_polarity`).
    """
    from lenet_desktop.vision.polarity import decide_polarity

    if ink not in ("auto", "dark", "light"):
        raise ValueError(f"ink must be 'auto', 'dark' or 'light', not {ink!r}")
    if ink == "auto":
        ink = decide_polarity(gray)
    return 255 - gray if ink == "dark" else gray.copy()


def full_box(
    corners: tuple[int, int, int, int], small_shape: tuple[int, ...], full_shape: tuple[int, ...]
) -> tuple[int, int, int, int]:
    """Box (x, y, w, h) in the full image of corners (x0, y0, x1, y1) found on a resized copy.

    Each axis is scaled by its own factor (a resized sliver is rounded to at
    least one pixel across) and the box is kept inside the image, at least
    one pixel wide and tall.
    """
    x0, y0, x1, y1 = corners
    fy = full_shape[0] / small_shape[0]
    fx = full_shape[1] / small_shape[1]
    h, w = full_shape[0], full_shape[1]
    left = min(max(int(np.floor(x0 * fx)), 0), w - 1)
    top = min(max(int(np.floor(y0 * fy)), 0), h - 1)
    right = min(max(int(np.ceil(x1 * fx)), left + 1), w)
    bottom = min(max(int(np.ceil(y1 * fy)), top + 1), h)
    return left, top, right - left, bottom - top


def select_digit_pieces(parts: Components, budget: Budget | None = None) -> list[int]:
    """Labels of the pieces that make up the one digit in an image.

    The largest piece anchors the digit; other pieces join when they are not
    specks and lie near the pieces gathered so far, so a broken stroke stays
    with its digit while dust in a corner is left out. Every round adds all
    the pieces within reach at once (the result does not depend on the
    order), and costs one work unit per piece left from ``budget``.
    """
    if len(parts.kept) == 0:
        return []
    budget = default_budget() if budget is None else budget
    stats = parts.stats
    kept = parts.kept
    areas = stats[kept, cv2.CC_STAT_AREA]
    first = int(kept[int(np.argmax(areas))])
    largest = int(stats[first, cv2.CC_STAT_AREA])
    others = kept[(kept != first) & (areas >= SPECK_FRACTION * largest)]
    budget.spend(len(kept), "pieces of ink")
    chosen = [first]
    x0, y0, w, h = (int(v) for v in stats[first, :4])
    x1, y1 = x0 + w, y0 + h
    box = stats[others, :4].astype(np.int64)
    bx0, by0 = box[:, 0], box[:, 1]
    bx1, by1 = bx0 + box[:, 2], by0 + box[:, 3]
    left = np.ones(len(others), bool)
    while left.any():
        budget.spend(int(left.sum()), "pieces of ink")
        reach = NEAR_FRACTION * max(x1 - x0, y1 - y0)
        gap = np.maximum.reduce([bx0 - x1, x0 - bx1, by0 - y1, y0 - by1, np.zeros_like(bx0)])
        near = left & (gap <= reach)
        if not near.any():
            break
        left &= ~near
        chosen += others[near].tolist()
        x0, y0 = min(x0, int(bx0[near].min())), min(y0, int(by0[near].min()))
        x1, y1 = max(x1, int(bx1[near].max())), max(y1, int(by1[near].max()))
    return chosen


def preprocess_digit(
    image: np.ndarray,
    ink: str = "auto",
    remove_lighting: bool = True,
    budget: Budget | None = None,
) -> PreprocessResult:
    """Turn one image holding one digit into an MNIST-style 28x28 digit.

    Parameters
    ----------
    image : ndarray
        Grey, BGR or BGRA, any size and dtype (see :func:`to_gray8`).
    ink : {"auto", "dark", "light"}
        Ink polarity; ``"auto"`` decides from the image.
    remove_lighting : bool
        Follow uneven background light (photos); off assumes evenly lit paper
        (clean canvas drawings).
    budget : Budget, optional
        The work this read may do (:func:`default_budget` when omitted).

    Returns
    -------
    PreprocessResult
        ``digit`` is ``None`` (with ``reason``) for blank or empty input.

    Raises
    ------
    TooClutteredError
        More pieces of ink than ``budget`` allows.
    ValueError
        If ``image`` is not an image array at all, or ``ink`` is not one of the three.
    """
    if ink not in ("auto", "dark", "light"):
        raise ValueError(f"ink must be 'auto', 'dark' or 'light', not {ink!r}")
    gray = to_gray8(image)
    steps: list[tuple[str, np.ndarray]] = [("input (grey)", gray)]
    scale = 1.0
    follow_light, close_up = remove_lighting, None
    if max(gray.shape) > MAX_SIDE:
        scale = MAX_SIDE / max(gray.shape)
    elif remove_lighting and min(gray.shape) < SINGLE_SIDE:
        level = even_paper_level(gray)
        if level is None:
            scale = max(1.0, min(SINGLE_SIDE / min(gray.shape), MAX_SIDE / max(gray.shape)))
        else:
            # A small clean scan or saved drawing: read on even paper, as the canvas is. Its
            # border is paper, which tells the ink's polarity; ink crowding it is a close-up.
            follow_light, close_up = False, True
            if ink == "auto":
                ink = polarity_on_even_paper(gray, level)
    if scale != 1.0:
        size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
        interpolation = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_CUBIC
        gray = cv2.resize(gray, size, interpolation=interpolation)
    found = ink_map(gray, ink, follow_light, close_up)
    steps.append(("ink made bright", found.bright))
    if remove_lighting:
        steps.append(("lighting removed", found.ink))
    parts = ink_components(found)
    chosen = select_digit_pieces(parts, budget)
    if not chosen:
        reason = "no digit: the image is blank"
        return PreprocessResult(None, steps, None, reason, found.polarity)
    stats = parts.stats[chosen]
    x0, y0 = int(stats[:, 0].min()), int(stats[:, 1].min())
    x1 = int((stats[:, 0] + stats[:, 2]).max())
    y1 = int((stats[:, 1] + stats[:, 3]).max())
    lookup = np.zeros(len(parts.stats), np.uint8)
    lookup[chosen] = 255
    mask = lookup[parts.labels]
    steps.append(("ink mask", mask))
    crop, boxed, centred, digit = digit_from_ink(
        found.ink[y0:y1, x0:x1], mask[y0:y1, x0:x1], found.weak_level
    )
    steps.append(("ink box", crop))
    steps.append(("fitted 20x20", boxed))
    steps.append(("centred 28x28", centred))
    box = full_box((x0, y0, x1, y1), gray.shape, steps[0][1].shape)
    return PreprocessResult(digit, steps, box, "", found.polarity)
