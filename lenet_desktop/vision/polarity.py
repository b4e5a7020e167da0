"""Which way round the ink is, and whether an image is a close-up.

Split from :mod:`lenet_desktop.vision.ink`, which uses it: the polarity is voted
on a small copy by the thin features that stick out darker or lighter than
their surroundings; in a close-up (digits filling the image) a band along the
border votes too, and counts double. A small image on paper of one level all
round (:func:`even_paper_level`) needs no vote: the ink is what sticks out of
that paper.
"""

from __future__ import annotations

import cv2
import numpy as np

from lenet_desktop.vision.order import median as fast_median

EDGE_STEP = 0.15
"""A jump in the paper's light by this fraction of its typical level, within a few
pixels of the low-resolution copy, is the edge of the sheet (or a hard shadow)."""
SMALL_SIDE = 100
"""Short side of the low-resolution copy used to estimate the light and the polarity."""
POLARITY_SIDE = 48
"""Short side of the (smaller) copy that decides the ink polarity."""
POLARITY_MARGIN = 6.0
"""Grey levels a pixel must stick out by to count as ink when deciding the polarity."""
POLARITY_DOUBT = 0.3
"""Votes for light ink (out of -3; -5 in a close-up) weaker than this are not enough to
leave the usual dark ink."""
BORDER_BAND = 0.125
"""Width of the band along the edge whose level is a close-up's paper, as a fraction of
the image's short side."""
THIN_SIZE = 5
"""Features narrower than this, on the copy of :data:`SMALL_SIDE`, are thin (pen strokes)."""
CLOSE_UP = 0.05
"""An image whose thin features stick out (per pixel) less than this fraction of its
features up to a quarter of its size wide is a close-up: its strokes are not thin."""
EVEN_RING = 2
"""Width (pixels) of the ring along the border that :func:`even_paper_level` looks at ..."""
EVEN_SPREAD = 8
"""... and the most its levels may spread (5th to 95th percentile) on evenly lit paper."""


def decide_polarity(gray: np.ndarray) -> str:
    """``"dark"`` when the ink is darker than its surroundings, else ``"light"``.

    Votes, each from how far pixels stick out below and above a reference
    beyond the noise (noise and smooth light are symmetric; ink sticks out on
    one side only): against a local median much wider than a stroke, which
    ignores uneven light; against the global median, which ignores the
    corners of a sheet lying on a darker table (where a local median sees
    mostly table); and of thin features only. In a close-up (digits filling
    the image, as in a tight crop) the strokes are wide and what is thin may
    be the paper between them, so the thin and local votes can be misled
    there; the level of a band along the image's border, which around a
    close-up is paper, votes too, and counts double. (A shadow across a
    small crop moves the global median; the cell's ruled border darkens the
    outermost pixels: the band and the other votes outweigh both.)
    """
    return polarity_and_close_up(gray)[0]


def polarity_and_close_up(gray: np.ndarray) -> tuple[str, bool | None]:
    """The polarity, and whether the image is a close-up (``None`` where too small to tell)."""
    small = small_copy(gray, POLARITY_SIDE)
    short = min(small.shape)
    if short < 3:
        return _polarity_by_border(gray), None
    size, dev, margin = _deviations(small)
    median = fast_median(small)
    vote = _lean(small.astype(np.int16) - int(median), margin)
    close_up, thin = _close_up(gray, small, size, margin)
    # Near the edge of a sheet the local median is half table: leave that out of the local
    # vote. The edges are found on a median twice as wide, which the ink cannot move.
    wide = cv2.medianBlur(small, max(3, short // 2) | 1)
    steps = cv2.morphologyEx(wide, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    near_steps = cv2.dilate(
        (steps > EDGE_STEP * max(median, 1.0)).astype(np.uint8),
        np.ones((size, size), np.uint8),
    )
    dev[near_steps > 0] = 0
    vote += _lean(dev, margin)
    if sum(thin) > 0:
        vote += (thin[0] - thin[1]) / sum(thin)
    if close_up:
        # The border counts double: in a close-up the ink may cover half the image and
        # move its median, but around the digits there is paper.
        lean = (fast_median(border_band(small)) - median) / (2.0 * margin)
        vote += 2.0 * float(np.clip(lean, -1.0, 1.0))
    # Without clear evidence, dark ink on light paper is by far the likelier.
    return ("light" if vote < -POLARITY_DOUBT else "dark"), bool(close_up)


def even_paper_level(gray: np.ndarray) -> float | None:
    """The level of the paper all round the border of ``gray``, if it is one level.

    A clean scan, a drawing saved as a file or an MNIST digit has paper (or
    a black background) of one level, give or take compression noise; a
    photo has uneven light, a shadow, sensor noise or ink running off the
    edge, all of which spread the levels of the border ring. An evenly lit
    image has no light to remove, so it can be read as a clean drawing is.

    Parameters
    ----------
    gray : ndarray
        uint8 (H, W) image.

    Returns
    -------
    float or None
        The median level of the ring of :data:`EVEN_RING` pixels along the
        border when its levels spread by at most :data:`EVEN_SPREAD`, else
        ``None`` (also for images too small to have a ring inside their border).
    """
    if min(gray.shape) <= 2 * EVEN_RING:
        return None
    band = border_band(gray, EVEN_RING)
    counts = np.cumsum(np.bincount(band, minlength=256))
    low, middle, high = np.searchsorted(counts, np.array([0.05, 0.5, 0.95]) * band.size)
    return float(middle) if high - low <= EVEN_SPREAD else None


def polarity_on_even_paper(gray: np.ndarray, level: float) -> str:
    """The polarity of ink on paper of one known ``level`` (a clean scan, a saved drawing).

    The ink is what sticks out beyond :data:`POLARITY_MARGIN` from the paper,
    and the side more of it sticks out to wins; without any, dark ink.
    """
    vote = _lean(gray.astype(np.int16) - int(round(level)), POLARITY_MARGIN)
    return "light" if vote < -POLARITY_DOUBT else "dark"


def _deviations(small: np.ndarray) -> tuple[int, np.ndarray, float]:
    """Median size, deviations from the local median and the margin beyond noise."""
    size = max(3, min(small.shape) // 4) | 1
    local = cv2.medianBlur(small, size)
    dev = small.astype(np.int16) - local.astype(np.int16)
    noise = 1.4826 * fast_median(np.abs(dev))
    return size, dev, max(3.0 * noise, POLARITY_MARGIN)


def _close_up(
    gray: np.ndarray, small: np.ndarray, size: int, margin: float
) -> tuple[bool, tuple[float, float]]:
    """Whether the digits fill the image (see :data:`CLOSE_UP`), and the thin features' sums.

    The same for either polarity. Thin is narrower than :data:`THIN_SIZE` on
    a copy at least :data:`SMALL_SIDE` pixels short (small images are
    enlarged), so what is thin is a fraction of the image, whatever its
    resolution. Features up to a quarter of the image wide are measured on
    the smaller copy, per pixel, which is cheaper.
    """
    fine = small_copy(gray)
    # Enlarged no further than 8 short sides long: a sliver of an image is not worth more.
    grow = min(SMALL_SIDE / min(fine.shape), 8 * SMALL_SIDE / max(fine.shape))
    if grow > 1.0:
        size_up = (round(fine.shape[1] * grow), round(fine.shape[0] * grow))
        fine = cv2.resize(fine, size_up, interpolation=cv2.INTER_LINEAR)
    thin = _hat_sums(fine, THIN_SIZE, margin)
    coarse = _hat_sums(small, max(THIN_SIZE + 2, size), margin)
    return sum(thin) / fine.size < CLOSE_UP * sum(coarse) / small.size, thin


def is_close_up(gray: np.ndarray) -> bool:
    """Whether the digits fill ``gray`` (a tight crop), so its strokes are not thin."""
    small = small_copy(gray, POLARITY_SIDE)
    if min(small.shape) < 3:
        return False
    size, _, margin = _deviations(small)
    return _close_up(gray, small, size, margin)[0]


def _hat_sums(small: np.ndarray, size: int, margin: float) -> tuple[float, float]:
    """How much features narrower than ``size`` stick out dark, and bright, beyond ``margin``.

    Straight edges, the corners of a sheet and smooth light leave no trace
    in a black-hat or top-hat with a small kernel; pen strokes do.
    """
    if min(small.shape) < size:
        return 0.0, 0.0
    # What lies beyond the border is unknown, not a wall: a strip of paper between the
    # ink and the border of a tight crop is not a thin line. Repeat the border outwards.
    pad = size // 2
    padded = cv2.copyMakeBorder(small, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    kernel = np.ones((size, size), np.uint8)
    inner = (slice(pad, -pad), slice(pad, -pad))
    dark = cv2.morphologyEx(padded, cv2.MORPH_BLACKHAT, kernel)[inner].astype(np.int16)
    bright = cv2.morphologyEx(padded, cv2.MORPH_TOPHAT, kernel)[inner].astype(np.int16)
    return float(np.maximum(dark - margin, 0).sum()), float(np.maximum(bright - margin, 0).sum())


def _lean(dev: np.ndarray, margin: float) -> float:
    """From -1 (everything sticks out bright) to 1 (everything sticks out dark)."""
    darker = float(np.maximum(-dev - margin, 0).sum())
    lighter = float(np.maximum(dev - margin, 0).sum())
    total = darker + lighter
    return 0.0 if total == 0 else (darker - lighter) / total


def border_band(small: np.ndarray, width: int | None = None) -> np.ndarray:
    """The pixels of a band along the image's edge, :data:`BORDER_BAND` of its short side wide.

    Wider than the ruled border of a table cell caught in a crop (a line or
    two of pixels that would outvote the paper in the outermost ring), so
    that the band's median is the paper's level. ``width`` (pixels) sets
    another width.
    """
    band = max(1, int(BORDER_BAND * min(small.shape))) if width is None else width
    inner = np.ones(small.shape, bool)
    inner[:band], inner[-band:], inner[:, :band], inner[:, -band:] = False, False, False, False
    return small[~inner]


def _polarity_by_border(gray: np.ndarray) -> str:
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return (
        "dark"
        if float(np.median(border)) >= float(np.median(gray)) and np.median(border) > 64
        else "light"
    )


def small_copy(gray: np.ndarray, side: int = SMALL_SIDE) -> np.ndarray:
    """A copy of ``gray`` shrunk by a whole factor so its short side is about ``side``."""
    factor = max(1, int(min(gray.shape) // side))
    if factor == 1:
        return gray
    size = (max(1, gray.shape[1] // factor), max(1, gray.shape[0] // factor))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
