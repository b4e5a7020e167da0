"""Find the ink on a page: polarity, lighting, noise level and a clean ink mask.

Shared by the single-digit path (:mod:`lenet_desktop.vision.preprocess`) and the
whole-frame detector (:mod:`lenet_desktop.vision.detect`). The page is first
turned so that the paper is bright and the ink dark. The paper's brightness
under uneven light is estimated at low resolution (a grey closing, which
erases strokes narrower than its kernel but follows the light), and every
pixel's ink is measured as how much darker it is than the paper there,
relative to that paper: ink that absorbs 70% of the light reads the same in
shade and in full light. That is adaptive thresholding with a noise-aware
threshold. Pixels clearly darker than the noise allows start the mask; fainter
pixels join when they touch those (hysteresis), so faint stroke ends stay and
isolated noise goes.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SMALL_SIDE = 100
"""Short side of the low-resolution copy used to estimate the light and the polarity."""
POLARITY_SIDE = 48
"""Short side of the (smaller) copy that decides the ink polarity."""
POLARITY_MARGIN = 6.0
"""Grey levels a pixel must stick out by to count as ink when deciding the polarity."""
POLARITY_DOUBT = 0.3
"""Votes for light ink (out of -3) weaker than this are not enough to leave the usual dark ink."""
EDGE_STEP = 0.15
"""A jump in the paper's light by this fraction of its typical level, within a few
pixels of the low-resolution copy, is the edge of the sheet (or a hard shadow)."""
TINY_SIDE = 48
"""Images with a shorter side than this are too small to estimate uneven light."""
WEAK_SIGMAS = 3.0
STRONG_SIGMAS = 6.0
WEAK_RELATIVE = 0.06
"""Faintest ink kept (fraction of the light the paper reflects), next to stronger ink."""
STRONG_RELATIVE = 0.16
"""Every digit must have ink at least this dark (relative to its paper)."""


@dataclass
class InkMap:
    """How dark the ink is at every pixel, with the thresholds that separate it from noise."""

    ink: np.ndarray
    """uint8 (H, W): 255 * (paper - pixel) / paper, 0 on paper; bright ink on black."""
    bright: np.ndarray
    """uint8 (H, W): the grey input turned so the ink is bright, before the light is removed."""
    polarity: str
    """``"dark"`` (dark ink on light paper) or ``"light"``."""
    weak: np.ndarray
    """uint8 (H, W) mask (0/255) of pixels that may be ink."""
    strong: np.ndarray
    """uint8 (H, W) mask (0/255) of pixels that surely are ink."""
    light: np.ndarray
    """uint8 (H, W): estimated brightness of the paper (after turning light ink dark)."""
    weak_level: float
    """Ink value (0..255 scale of :attr:`ink`) at the weak threshold, for typical paper."""


def decide_polarity(gray: np.ndarray) -> str:
    """``"dark"`` when the ink is darker than its surroundings, else ``"light"``.

    Two votes, each from how far pixels stick out below and above a
    reference beyond the noise (noise and smooth light are symmetric; ink
    sticks out on one side only): against a local median much wider than a
    stroke, which ignores uneven light, and against the global median, which
    ignores the corners of a sheet lying on a darker table (where a local
    median sees mostly table).
    """
    small = _small_copy(gray, POLARITY_SIDE)
    short = min(small.shape)
    if short < 3:
        return _polarity_by_border(gray)
    size = max(3, short // 4) | 1
    local = cv2.medianBlur(small, size)
    dev = small.astype(np.int16) - local.astype(np.int16)
    noise = 1.4826 * float(np.median(np.abs(dev)))
    margin = max(3.0 * noise, POLARITY_MARGIN)
    # Near the edge of a sheet the local median is half table: leave that out of the local
    # vote. The edges are found on a median twice as wide, which the ink cannot move.
    wide = cv2.medianBlur(small, max(3, short // 2) | 1)
    steps = cv2.morphologyEx(wide, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    near_steps = cv2.dilate(
        (steps > EDGE_STEP * max(float(np.median(small)), 1.0)).astype(np.uint8),
        np.ones((size, size), np.uint8),
    )
    dev[near_steps > 0] = 0
    vote = _lean(dev, margin) + _lean(small.astype(np.int16) - int(np.median(small)), margin)
    vote += _thin_lean(_small_copy(gray), margin)
    # Without clear evidence, dark ink on light paper is by far the likelier.
    return "light" if vote < -POLARITY_DOUBT else "dark"


def _thin_lean(small: np.ndarray, margin: float) -> float:
    """The lean of thin features only: dark and bright lines narrower than a few pixels.

    Straight edges, the corners of a sheet and smooth light leave no trace
    in a black-hat or top-hat with a small kernel; pen strokes do.
    """
    if min(small.shape) < 5:
        return 0.0
    kernel = np.ones((5, 5), np.uint8)
    dark = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, kernel).astype(np.int16)
    bright = cv2.morphologyEx(small, cv2.MORPH_TOPHAT, kernel).astype(np.int16)
    darker = float(np.clip(dark - margin, 0, None).sum())
    lighter = float(np.clip(bright - margin, 0, None).sum())
    total = darker + lighter
    return 0.0 if total == 0 else (darker - lighter) / total


def _lean(dev: np.ndarray, margin: float) -> float:
    """From -1 (everything sticks out bright) to 1 (everything sticks out dark)."""
    darker = float(np.clip(-dev - margin, 0, None).sum())
    lighter = float(np.clip(dev - margin, 0, None).sum())
    total = darker + lighter
    return 0.0 if total == 0 else (darker - lighter) / total


def _polarity_by_border(gray: np.ndarray) -> str:
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return (
        "dark"
        if float(np.median(border)) >= float(np.median(gray)) and np.median(border) > 64
        else "light"
    )


def _small_copy(gray: np.ndarray, side: int = SMALL_SIDE) -> np.ndarray:
    factor = max(1, int(min(gray.shape) // side))
    if factor == 1:
        return gray
    size = (max(1, gray.shape[1] // factor), max(1, gray.shape[0] // factor))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def paper_light(
    page: np.ndarray, remove_lighting: bool = True
) -> tuple[np.ndarray, float, np.ndarray | None]:
    """Estimate the paper's brightness at every pixel of ``page`` (bright paper, dark ink).

    With ``remove_lighting`` and an image large enough, a grey closing at low
    resolution wipes out strokes and keeps the light; otherwise the paper is
    taken to be evenly lit at its typical brightness.

    Returns
    -------
    light : ndarray
        uint8 (H, W) brightness of the paper.
    typical : float
        Its median level.
    edges : ndarray or None
        uint8 (H, W) mask (0/255) of sharp steps in the light: the edge of the
        sheet against a table, a hard shadow. Ink measured there is not ink.
        ``None`` when there are none (or the light is taken to be even).
    """
    h, w = page.shape
    if not remove_lighting or min(h, w) < TINY_SIDE:
        level = max(1.0, float(np.percentile(_sample(page), 80)))
        return np.full(page.shape, int(round(level)), np.uint8), level, None
    small = _small_copy(page)
    short = min(small.shape)
    size = max(3, short // 5) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    pad = min(size, short - 1)
    padded = _extrapolate(cv2.medianBlur(small, 3), pad)
    closed = cv2.morphologyEx(padded, cv2.MORPH_CLOSE, kernel)
    closed = cv2.blur(closed, (3, 3))[pad:-pad, pad:-pad]
    typical = float(np.median(closed))
    square = np.ones((3, 3), np.uint8)
    steps = cv2.morphologyEx(closed, cv2.MORPH_GRADIENT, square)
    _, steps = cv2.threshold(steps, EDGE_STEP * typical, 255, cv2.THRESH_BINARY)
    edges = None
    if cv2.countNonZero(steps):
        edges = cv2.resize(cv2.dilate(steps, square), (w, h), interpolation=cv2.INTER_NEAREST)
    if closed.shape != page.shape:
        closed = cv2.resize(closed, (w, h), interpolation=cv2.INTER_LINEAR)
    return closed, typical, edges


def _extrapolate(image: np.ndarray, pad: int) -> np.ndarray:
    """Pad ``image`` so that light falling off towards an edge keeps falling off.

    The padding is the odd reflection (2 * edge - mirror) where that is darker
    than the edge pixel, else the edge pixel itself. A flat or mirrored border
    would let the closing carry the brighter inside out to a shaded edge; the
    cap stops ink near the edge from being reflected into bright spots.
    """
    work = image.astype(np.int16)
    mirror = cv2.copyMakeBorder(work, pad, pad, pad, pad, cv2.BORDER_REFLECT_101)
    edge = cv2.copyMakeBorder(work, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    return np.clip(np.minimum(2 * edge - mirror, edge), 0, 255).astype(np.uint8)


def _sample(image: np.ndarray) -> np.ndarray:
    """A regular subsample of about 4000 pixels, enough for robust statistics."""
    step = max(1, int(np.ceil(np.sqrt(image.size / 4096.0))))
    return image[::step, ::step]


def ink_map(gray: np.ndarray, ink: str = "auto", remove_lighting: bool = True) -> InkMap:
    """Measure the ink of a grey page.

    Parameters
    ----------
    gray : ndarray
        uint8 (H, W) image.
    ink : {"auto", "dark", "light"}
        Ink polarity; ``"auto"`` decides with :func:`decide_polarity`.
    remove_lighting : bool
        Follow uneven light (photos) rather than assume even paper (canvas).

    Returns
    -------
    InkMap
    """
    if ink not in ("auto", "dark", "light"):
        raise ValueError(f"ink must be 'auto', 'dark' or 'light', not {ink!r}")
    polarity = decide_polarity(gray) if ink == "auto" else ink
    page = gray if polarity == "dark" else cv2.bitwise_not(gray)
    light, typical, edges = paper_light(page, remove_lighting)
    diff = cv2.subtract(light, page)
    # Deep shade (below a quarter of the typical paper) is not paper; don't amplify its noise.
    floor = max(16, int(0.25 * typical))
    paper = np.maximum(light, np.uint8(min(floor, 255)))
    relative = cv2.divide(diff, paper, scale=255.0)
    noise, offset = _noise(light, page, typical)
    typical = max(float(floor), typical)
    weak_abs = offset + max(WEAK_SIGMAS * noise, 1.0)
    strong_abs = offset + max(STRONG_SIGMAS * noise, 2.0)
    weak = _both_above(diff, weak_abs, relative, WEAK_RELATIVE * 255.0)
    strong = _both_above(diff, strong_abs, relative, STRONG_RELATIVE * 255.0)
    weak_level = max(weak_abs * 255.0 / typical, WEAK_RELATIVE * 255.0)
    if edges is not None:
        not_edge = cv2.bitwise_not(edges)
        weak = cv2.bitwise_and(weak, not_edge)
        strong = cv2.bitwise_and(strong, not_edge)
    return InkMap(relative, cv2.bitwise_not(page), polarity, weak, strong, light, weak_level)


def _noise(light: np.ndarray, page: np.ndarray, typical: float) -> tuple[float, float]:
    """Noise (robust standard deviation) and offset of the paper below the light estimate.

    Measured where the light is at least half the typical paper's, so that
    a dark, flat table around the sheet does not pass for noiseless paper.
    """
    lit = _sample(light)
    sample = (lit.astype(np.int16) - _sample(page).astype(np.int16))[lit >= 0.5 * typical]
    if sample.size < 16:
        return 0.0, 0.0
    centre = float(np.median(sample))
    spread = 1.4826 * float(np.median(np.abs(sample - centre)))
    return spread, max(centre, 0.0)


def _both_above(diff, diff_level, relative, relative_level) -> np.ndarray:
    _, a = cv2.threshold(diff, min(diff_level, 254.0), 255, cv2.THRESH_BINARY)
    _, b = cv2.threshold(relative, min(relative_level, 254.0), 255, cv2.THRESH_BINARY)
    return cv2.bitwise_and(a, b)


SOLID_FILL = 0.9
"""Pieces filling more than this fraction of their box ..."""
SOLID_SIZE = 0.25
"""... and wider and taller than this fraction of the image's short side are solid
areas (a sheet of paper, a table, a shadow), not pen strokes."""


def is_solid(x: int, y: int, w: int, h: int, area: int, shape: tuple[int, int]) -> bool:
    """Whether a piece of ink is a solid area rather than strokes (see :data:`SOLID_FILL`)."""
    big = min(w, h) > SOLID_SIZE * min(shape)
    return big and area > SOLID_FILL * w * h


@dataclass
class Components:
    """Connected pieces of ink that contain some surely-ink pixels."""

    labels: np.ndarray
    """int32 (H, W) label image; 0 is background, kept pieces have their own labels."""
    stats: np.ndarray
    """(N, 5) x, y, w, h, area of each label (row 0 is the background)."""
    kept: np.ndarray
    """Indices (into ``stats``) of the pieces that hold strong ink, background excluded."""


def ink_components(inkmap: InkMap) -> Components:
    """Connected pieces of the weak mask that hold at least one strong pixel (hysteresis).

    Solid areas (:func:`is_solid`) are left out.
    """
    # Block-based labelling: with statistics it is several times faster than the default.
    count, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(
        inkmap.weak, 8, cv2.CV_32S, cv2.CCL_BBDT
    )
    if count <= 1:
        return Components(labels, stats, np.zeros(0, np.int64))
    hits = np.bincount(labels[inkmap.strong > 0], minlength=count)
    hits[0] = 0
    kept = [
        label
        for label in np.nonzero(hits)[0].tolist()
        if not is_solid(*(int(v) for v in stats[label]), labels.shape)
    ]
    return Components(labels, stats, np.asarray(kept, np.int64))
