"""One image (a canvas drawing or a crop) to one MNIST-style 28x28 digit.

MNIST digits were made by fitting the ink into a 20x20 box (aspect kept,
anti-aliased), placing it in 28x28 so that its centre of mass is at the
centre, bright ink on black. :func:`preprocess_digit` does the same to any
input and keeps every intermediate image so the GUI can show the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

FIT_SIZE = 20
OUT_SIZE = 28
MAX_SIDE = 512
MIN_CONTRAST = 40
"""Ink must stand this many grey levels (of 255) above the background."""


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

    @property
    def found(self) -> bool:
        """Whether a digit was found."""
        return self.digit is not None


def to_gray8(image: np.ndarray) -> np.ndarray:
    """Any 2-D or 3-D image array to uint8 grey.

    Accepts bool, integer (8/16/32-bit) or float arrays; grey (H, W) or
    (H, W, 1), BGR (H, W, 3) or BGRA (H, W, 4) where transparent pixels count
    as white paper.

    Raises
    ------
    ValueError
        For arrays that are not images (wrong number of dimensions or
        channels, empty, complex or object dtype).
    """
    array = np.asarray(image)
    if array.dtype == object or np.iscomplexobj(array):
        raise ValueError(f"unsupported image dtype {array.dtype}")
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ValueError(f"expected a grey, BGR or BGRA image, got shape {array.shape}")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError("the image is empty")
    alpha = None
    if array.ndim == 3 and array.shape[2] == 4:
        alpha = _scale_to_unit(array[:, :, 3])
        array = array[:, :, :3]
    unit = _scale_to_unit(array)
    if unit.ndim == 3:
        unit = unit[:, :, 0] * 0.114 + unit[:, :, 1] * 0.587 + unit[:, :, 2] * 0.299
    if alpha is not None:
        unit = unit * alpha + (1.0 - alpha)
    return np.clip(unit * 255.0 + 0.5, 0, 255).astype(np.uint8)


def _scale_to_unit(array: np.ndarray) -> np.ndarray:
    if array.dtype == bool:
        return array.astype(np.float32)
    if np.issubdtype(array.dtype, np.integer):
        info = np.iinfo(array.dtype)
        if info.min < 0:
            array = np.clip(array, 0, None)
        top = 255 if array.dtype.itemsize == 1 or array.max(initial=0) <= 255 else info.max
        return array.astype(np.float32) / float(top)
    work = np.nan_to_num(array.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    top = work.max(initial=0.0)
    if top > 1.0:
        work = work / (255.0 if top <= 255.0 else top)
    return np.clip(work, 0.0, 1.0).astype(np.float32)


def bright_ink(gray: np.ndarray, ink: str = "auto") -> np.ndarray:
    """Return ``gray`` with bright ink on a dark background.

    ``ink`` is ``"dark"`` (dark ink on light paper), ``"light"`` or ``"auto"``:
    the background is taken to be the median of the border pixels.
    """
    if ink not in ("auto", "dark", "light"):
        raise ValueError(f"ink must be 'auto', 'dark' or 'light', not {ink!r}")
    if ink == "auto":
        border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
        ink = "dark" if np.median(border) > np.median(gray) or np.median(border) > 127 else "light"
    return 255 - gray if ink == "dark" else gray.copy()


def remove_background(ink_image: np.ndarray) -> np.ndarray:
    """Subtract uneven lighting: a white top-hat with a kernel much wider than a stroke."""
    h, w = ink_image.shape
    size = max(9, min(h, w) // 3) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    return cv2.morphologyEx(ink_image, cv2.MORPH_TOPHAT, kernel)


def clean_ink(ink_image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stretch ink to full brightness and drop faint noise and small specks.

    Returns the cleaned grey image and the binary ink mask.
    """
    peak = float(np.percentile(ink_image, 99.5)) if ink_image.size else 0.0
    peak = max(peak, float(ink_image.max(initial=0)) * 0.5, 1.0)
    stretched = np.clip(ink_image.astype(np.float32) * (255.0 / peak), 0, 255).astype(np.uint8)
    threshold, mask = cv2.threshold(stretched, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count > 1:
        areas = stats[1:, cv2.CC_STAT_AREA]
        keep = np.zeros(count, dtype=bool)
        keep[1:] = areas >= max(2, 0.05 * areas.max())
        mask = np.where(keep[labels], 255, 0).astype(np.uint8)
    # Keep the anti-aliased rim around kept strokes, nothing far from them.
    near = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    cleaned = np.where(near > 0, stretched, 0).astype(np.uint8)
    cleaned[cleaned < threshold * 0.35] = 0
    return cleaned, mask


def fit_and_centre(ink_crop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fit a cropped bright-ink digit into 20x20 (aspect kept) and centre its mass in 28x28.

    Returns the 20x20-fitted image (uint8, placed by its box) and the final
    28x28 uint8 image.
    """
    h, w = ink_crop.shape
    scale = FIT_SIZE / max(h, w)
    new_w = max(1, min(FIT_SIZE, int(round(w * scale))))
    new_h = max(1, min(FIT_SIZE, int(round(h * scale))))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    fitted = cv2.resize(ink_crop, (new_w, new_h), interpolation=interpolation)
    canvas = np.zeros((OUT_SIZE, OUT_SIZE), dtype=np.uint8)
    top, left = (OUT_SIZE - new_h) // 2, (OUT_SIZE - new_w) // 2
    canvas[top : top + new_h, left : left + new_w] = fitted
    boxed = canvas.copy()
    moments = cv2.moments(canvas, binaryImage=False)
    if moments["m00"] > 0:
        cx, cy = moments["m10"] / moments["m00"], moments["m01"] / moments["m00"]
        dx, dy = int(round(13.5 - cx)), int(round(13.5 - cy))
        # Shift without wrapping: the fitted box leaves a 4-pixel margin.
        dx = int(np.clip(dx, -left, OUT_SIZE - (left + new_w)))
        dy = int(np.clip(dy, -top, OUT_SIZE - (top + new_h)))
        canvas = np.roll(canvas, (dy, dx), axis=(0, 1))
    return boxed, canvas


def preprocess_digit(
    image: np.ndarray, ink: str = "auto", remove_lighting: bool = True
) -> PreprocessResult:
    """Turn one image holding one digit into an MNIST-style 28x28 digit.

    Parameters
    ----------
    image : ndarray
        Grey, BGR or BGRA, any size and dtype (see :func:`to_gray8`).
    ink : {"auto", "dark", "light"}
        Ink polarity; ``"auto"`` decides from the border.
    remove_lighting : bool
        Subtract uneven background light first (off for clean canvas drawings).

    Returns
    -------
    PreprocessResult
        ``digit`` is ``None`` (with ``reason``) for blank or empty input.

    Raises
    ------
    ValueError
        If ``image`` is not an image array at all.
    """
    gray = to_gray8(image)
    steps: list[tuple[str, np.ndarray]] = [("input (grey)", gray)]
    scale = 1.0
    if max(gray.shape) > MAX_SIDE:
        scale = MAX_SIDE / max(gray.shape)
        size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    inked = bright_ink(gray, ink)
    steps.append(("ink made bright", inked))
    if remove_lighting and min(inked.shape) >= 9:
        inked = remove_background(inked)
        steps.append(("lighting removed", inked))
    if int(inked.max(initial=0)) - int(np.percentile(inked, 50)) < MIN_CONTRAST:
        return PreprocessResult(None, steps, None, "no digit: the image is blank")
    cleaned, mask = clean_ink(inked)
    steps.append(("ink mask", mask))
    ys, xs = np.nonzero(cleaned)
    if len(xs) == 0:
        return PreprocessResult(None, steps, None, "no digit: no ink found")
    x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    crop = cleaned[y0:y1, x0:x1]
    steps.append(("ink box", crop))
    boxed, centred = fit_and_centre(crop)
    steps.append(("fitted 20x20", boxed))
    steps.append(("centred 28x28", centred))
    box = tuple(int(round(v / scale)) for v in (x0, y0, x1 - x0, y1 - y0))
    return PreprocessResult(centred.astype(np.float32) / 255.0, steps, box)
