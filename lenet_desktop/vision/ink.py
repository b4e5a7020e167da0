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

Kernels sized from the image assume digits that are small in it. A close-up
(a tight crop of a number, where the digits fill the image) is recognised by
its thin features holding little of its contrast: there the polarity goes by
the border and the closing is widened to clear the (wide) strokes. Where ink
covers much of the image, the noise is measured on the paper's side only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from lenet_desktop.vision.order import median as fast_median
from lenet_desktop.vision.order import percentile as fast_percentile
from lenet_desktop.vision.polarity import (
    EDGE_STEP,
    is_close_up,
    polarity_and_close_up,
    small_copy,
)

TINY_SIDE = 48
"""Images with a shorter side than this are too small to estimate uneven light."""
PROBE_SIDE = 48
"""Short side of the coarse copy on which wide strokes are measured."""
STROKE_KERNEL = 2.5
"""The light's kernel is at least this many widths of the widest strokes ..."""
STROKE_PERCENTILE = 90
"""... measured as this percentile of the stroke widths along their middle lines."""
CLEAR_INK = 0.5
"""Pixels absorbing this fraction of the paper's light are ink, whatever the noise ..."""
CROWDED = 0.1
"""... and where they are more than this fraction of the lit pixels of a close-up, the
noise is measured on the paper's side only."""
WEAK_SIGMAS = 3.0
STRONG_SIGMAS = 6.0
WEAK_RELATIVE = 0.06
"""Faintest ink kept (fraction of the light the paper reflects), next to stronger ink."""
STRONG_RELATIVE = 0.16
"""Every digit must have ink at least this dark (relative to its paper) ..."""
FAINT_SHARE = 0.5
"""... or, where the image's darkest ink is fainter than twice that, this share of it ..."""
FAINTEST = 0.06
"""... but never less than this."""
DARKEST_PIXELS = 100
"""The image's darkest ink is that of its this-many-th darkest pixel."""


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


def paper_light(
    page: np.ndarray, remove_lighting: bool = True, close_up: bool | None = None
) -> tuple[np.ndarray, float, np.ndarray | None]:
    """Estimate the paper's brightness at every pixel of ``page`` (bright paper, dark ink).

    With ``remove_lighting`` and an image large enough, a grey closing at low
    resolution wipes out strokes and keeps the light; otherwise the paper is
    taken to be evenly lit at its typical brightness. ``close_up`` says
    whether the digits fill the image (decided from ``page`` when ``None``):
    their strokes are then too wide for the usual closing, which is widened.

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
        # Most of the image is paper, or (a digit cropped tightly) at least its border is.
        border = np.concatenate([page[0], page[-1], page[:, 0], page[:, -1]])
        level = max(1.0, fast_percentile(_sample(page), 80), fast_median(border))
        return np.full(page.shape, int(round(level)), np.uint8), level, None
    small = cv2.medianBlur(small_copy(page), 3)
    short = min(small.shape)
    size = max(3, short // 5) | 1
    closed = _closing(small, size)
    typical = fast_median(closed)
    steps = _light_steps(closed, typical)
    if is_close_up(page) if close_up is None else close_up:
        # Strokes as wide as the kernel would stay in the closing and be lost as ink. In a
        # close-up they are that wide: measured on a coarse copy against a closing as wide
        # as the image, which no stroke survives, they widen the kernel.
        factor = short / PROBE_SIDE
        coarse = cv2.resize(
            small,
            (max(1, round(small.shape[1] / factor)), max(1, round(small.shape[0] / factor))),
            interpolation=cv2.INTER_AREA,
        )
        probe = _closing(coarse, min(coarse.shape) | 1)
        mask = _wide_strokes(coarse, probe, size / factor)
        if mask is not None:
            width = factor * _stroke_width(mask)
            wanted = min(short | 1, int(np.ceil(STROKE_KERNEL * width)) | 1)
            if wanted > size:
                closed = _closing(small, wanted)
                typical = fast_median(closed)
                steps = _light_steps(closed, typical)
    edges = None
    if cv2.countNonZero(steps):
        square = np.ones((3, 3), np.uint8)
        edges = cv2.resize(cv2.dilate(steps, square), (w, h), interpolation=cv2.INTER_NEAREST)
    if closed.shape != page.shape:
        closed = cv2.resize(closed, (w, h), interpolation=cv2.INTER_LINEAR)
    return closed, typical, edges


def _closing(small: np.ndarray, size: int) -> np.ndarray:
    """Grey closing of ``small`` by a ``size`` square, over an extrapolated border, smoothed."""
    pad = min(size, min(small.shape) - 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    closed = cv2.morphologyEx(_extrapolate(small, pad), cv2.MORPH_CLOSE, kernel)
    return cv2.blur(closed, (3, 3))[pad:-pad, pad:-pad]


def _light_steps(closed: np.ndarray, typical: float) -> np.ndarray:
    """Mask (0/255) of sharp steps in the paper's light (by :data:`EDGE_STEP` of ``typical``)."""
    steps = cv2.morphologyEx(closed, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    return cv2.threshold(steps, EDGE_STEP * typical, 255, cv2.THRESH_BINARY)[1]


def _wide_strokes(small: np.ndarray, closed: np.ndarray, size: float) -> np.ndarray | None:
    """Mask (0/1) of the ink ``closed`` took out of ``small``, if any of it is wide.

    ``None`` when no stroke is wider than ``size`` / :data:`STROKE_KERNEL`,
    which in a frame, where strokes are far narrower, is found quickly.
    """
    dark = cv2.subtract(closed, small)
    relative = cv2.divide(dark, np.maximum(closed, np.uint8(1)), scale=255.0)
    mask = _both_above(dark, 8.0, relative, STRONG_RELATIVE * 255.0)
    # A stroke that wide holds a square of its width over root 2.
    side = max(1, int(size / STROKE_KERNEL / np.sqrt(2.0)))
    if cv2.countNonZero(cv2.erode(mask, np.ones((side, side), np.uint8))) == 0:
        return None
    return mask // 255


def _stroke_width(mask: np.ndarray) -> float:
    """Width of the widest strokes of ``mask`` (a high percentile along their middle lines)."""
    depth = cv2.distanceTransform(mask, cv2.DIST_L2, 3)
    ridge = depth[(depth > 0) & (depth >= cv2.dilate(depth, np.ones((3, 3), np.uint8)))]
    return 2.0 * float(np.percentile(ridge, STROKE_PERCENTILE)) if ridge.size else 0.0


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


def ink_map(
    gray: np.ndarray,
    ink: str = "auto",
    remove_lighting: bool = True,
    close_up: bool | None = None,
) -> InkMap:
    """Measure the ink of a grey page.

    Parameters
    ----------
    gray : ndarray
        uint8 (H, W) image.
    ink : {"auto", "dark", "light"}
        Ink polarity; ``"auto"`` decides with :func:`decide_polarity`.
    remove_lighting : bool
        Follow uneven light (photos) rather than assume even paper (canvas).
    close_up : bool, optional
        Whether the digits fill the image (see
        :func:`~lenet_desktop.vision.polarity.is_close_up`); decided from the
        image when omitted.

    Returns
    -------
    InkMap
    """
    if ink not in ("auto", "dark", "light"):
        raise ValueError(f"ink must be 'auto', 'dark' or 'light', not {ink!r}")
    polarity, judged = polarity_and_close_up(gray) if ink == "auto" else (ink, None)
    close_up = judged if close_up is None else close_up
    page = gray if polarity == "dark" else cv2.bitwise_not(gray)
    light, typical, edges = paper_light(page, remove_lighting, close_up)
    diff = cv2.subtract(light, page)
    # Deep shade (below a quarter of the typical paper) is not paper; don't amplify its noise.
    floor = max(16, int(0.25 * typical))
    paper = np.maximum(light, np.uint8(min(floor, 255)))
    relative = cv2.divide(diff, paper, scale=255.0)
    noise, offset = _noise(light, page, typical, close_up)
    typical = max(float(floor), typical)
    weak_abs = offset + max(WEAK_SIGMAS * noise, 1.0)
    strong_abs = offset + max(STRONG_SIGMAS * noise, 2.0)
    weak = _both_above(diff, weak_abs, relative, WEAK_RELATIVE * 255.0)
    strong = _both_above(diff, strong_abs, relative, _strong_relative(relative) * 255.0)
    weak_level = max(weak_abs * 255.0 / typical, WEAK_RELATIVE * 255.0)
    if edges is not None:
        not_edge = cv2.bitwise_not(edges)
        weak = cv2.bitwise_and(weak, not_edge)
        strong = cv2.bitwise_and(strong, not_edge)
    return InkMap(relative, cv2.bitwise_not(page), polarity, weak, strong, light, weak_level)


def _strong_relative(relative: np.ndarray) -> float:
    """The relative darkness every digit must reach somewhere: :data:`STRONG_RELATIVE`,
    or less where the darkest ink of the whole image is faint (a pencil, a faded pen).

    The darkest ink is the :data:`DARKEST_PIXELS`-th darkest pixel, so that a speck
    of dust does not set it; the threshold is :data:`FAINT_SHARE` of it, never below
    :data:`FAINTEST`.
    """
    # Every other pixel each way is enough to find the level, and four times cheaper.
    sample = relative[::2, ::2]
    wanted = DARKEST_PIXELS // 4
    if sample.size <= wanted:
        return STRONG_RELATIVE
    counts = cv2.calcHist([sample], [0], None, [256], [0, 256]).reshape(-1)
    darkest = int(np.flatnonzero(np.cumsum(counts[::-1]) >= wanted)[0])
    level = 255 - darkest  # the DARKEST_PIXELS-th largest value
    return float(np.clip(FAINT_SHARE * level / 255.0, FAINTEST, STRONG_RELATIVE))


def _noise(
    light: np.ndarray, page: np.ndarray, typical: float, close_up: bool | None = None
) -> tuple[float, float]:
    """Noise (robust standard deviation) and offset of the paper below the light estimate.

    Measured where the light is at least half the typical paper's, so that
    a dark, flat table around the sheet does not pass for noiseless paper.
    In a frame the ink is a few per cent of the pixels, which the median
    ignores. In a close-up (``close_up``; decided from ``page`` when
    ``None``) it can be half of them: then the pixels that surely are ink are
    left out, the paper is the most common level of the rest (the soft edges
    of strokes spread over many levels), and its spread is measured on its
    bright side, where there is no ink at all. Anywhere else that much dark
    is texture or noise, which this would take for ink.
    """
    lit = _sample(light)
    dark = lit.astype(np.int16) - _sample(page).astype(np.int16)
    bright = lit >= 0.5 * typical
    sample = dark[bright]
    surely_ink = sample >= CLEAR_INK * lit[bright]
    crowded = np.count_nonzero(surely_ink) > CROWDED * sample.size
    if crowded and (is_close_up(page) if close_up is None else close_up):
        sample = sample[~surely_ink]
        if sample.size < 16:
            return 0.0, 0.0
        centre = _mode(sample)
        spread = 1.4826 * float(np.median(centre - sample[sample <= centre]))
        return spread, max(centre, 0.0)
    if sample.size < 16:
        return 0.0, 0.0
    centre = fast_median(sample)
    spread = 1.4826 * float(np.median(np.abs(sample - centre)))
    return spread, max(centre, 0.0)


def _mode(values: np.ndarray) -> float:
    """The half-sample mode: the densest level, found by halving to the narrowest half."""
    data = np.sort(values.astype(np.float32))
    while data.size > 3:
        half = (data.size + 1) // 2
        widths = data[half - 1 :] - data[: data.size - half + 1]
        start = int(np.argmin(widths))
        data = data[start : start + half]
    return float(data.mean())


def _both_above(diff, diff_level, relative, relative_level) -> np.ndarray:
    _, a = cv2.threshold(diff, min(diff_level, 254.0), 255, cv2.THRESH_BINARY)
    _, b = cv2.threshold(relative, min(relative_level, 254.0), 255, cv2.THRESH_BINARY)
    return cv2.bitwise_and(a, b)


SOLID_FILL = 0.9
"""Pieces filling more than this fraction of their box ..."""
SOLID_SIZE = 0.25
"""... and wider and taller than this fraction of the image's short side ..."""
SOLID_ASPECT = 2.5
"""... but less than this many times longer than wide are solid areas (a sheet of paper,
a table, a shadow), not pen strokes. A bar that long is a stroke: the 1 of a tight crop."""


def is_solid(x: int, y: int, w: int, h: int, area: int, shape: tuple[int, int]) -> bool:
    """Whether a piece of ink is a solid area rather than strokes (see :data:`SOLID_FILL`)."""
    big = min(w, h) > SOLID_SIZE * min(shape) and max(w, h) < SOLID_ASPECT * min(w, h)
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
    faint: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Indices of the other pieces, none of whose pixels is surely ink (solid areas left out):
    noise and texture, or a digit written more faintly than the rest (see
    :mod:`lenet_desktop.vision.faint`)."""


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
    x, y, w, h, area = (stats[:, k].astype(np.int64) for k in range(5))
    short = min(labels.shape)
    # is_solid(), for every piece at once.
    big = (np.minimum(w, h) > SOLID_SIZE * short) & (
        np.maximum(w, h) < SOLID_ASPECT * np.minimum(w, h)
    )
    solid = big & (area > SOLID_FILL * w * h)
    solid[0] = True  # the background
    seeded = hits > 0
    return Components(
        labels,
        stats,
        np.flatnonzero(seeded & ~solid).astype(np.int64),
        np.flatnonzero(~seeded & ~solid).astype(np.int64),
    )
