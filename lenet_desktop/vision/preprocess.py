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

from lenet_desktop.vision.convert import to_gray8
from lenet_desktop.vision.ink import Components, ink_components, ink_map
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


def select_digit_pieces(parts: Components) -> list[int]:
    """Labels of the pieces that make up the one digit in an image.

    The largest piece anchors the digit; other pieces join when they are not
    specks and lie near the pieces gathered so far, so a broken stroke stays
    with its digit while dust in a corner is left out.
    """
    if len(parts.kept) == 0:
        return []
    stats = parts.stats
    order = sorted(parts.kept.tolist(), key=lambda i: -int(stats[i, cv2.CC_STAT_AREA]))
    largest = int(stats[order[0], cv2.CC_STAT_AREA])
    candidates = [i for i in order[1:] if stats[i, cv2.CC_STAT_AREA] >= SPECK_FRACTION * largest]
    chosen = [order[0]]
    x0, y0, w, h = (int(v) for v in stats[order[0], :4])
    x1, y1 = x0 + w, y0 + h
    grew = True
    while grew and candidates:
        grew = False
        reach = NEAR_FRACTION * max(x1 - x0, y1 - y0)
        for i in list(candidates):
            bx, by, bw, bh = (int(v) for v in stats[i, :4])
            gap = max(bx - x1, x0 - (bx + bw), by - y1, y0 - (by + bh), 0)
            if gap <= reach:
                chosen.append(i)
                candidates.remove(i)
                x0, y0 = min(x0, bx), min(y0, by)
                x1, y1 = max(x1, bx + bw), max(y1, by + bh)
                grew = True
    return chosen


def preprocess_digit(
    image: np.ndarray, ink: str = "auto", remove_lighting: bool = True
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

    Returns
    -------
    PreprocessResult
        ``digit`` is ``None`` (with ``reason``) for blank or empty input.

    Raises
    ------
    ValueError
        If ``image`` is not an image array at all, or ``ink`` is not one of the three.
    """
    if ink not in ("auto", "dark", "light"):
        raise ValueError(f"ink must be 'auto', 'dark' or 'light', not {ink!r}")
    gray = to_gray8(image)
    steps: list[tuple[str, np.ndarray]] = [("input (grey)", gray)]
    scale = 1.0
    if max(gray.shape) > MAX_SIDE:
        scale = MAX_SIDE / max(gray.shape)
        size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    found = ink_map(gray, ink, remove_lighting)
    steps.append(("ink made bright", found.bright))
    if remove_lighting:
        steps.append(("lighting removed", found.ink))
    parts = ink_components(found)
    chosen = select_digit_pieces(parts)
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
    box = tuple(int(round(v / scale)) for v in (x0, y0, x1 - x0, y1 - y0))
    return PreprocessResult(digit, steps, box, "", found.polarity)
