"""The MNIST format of one digit, shared by the app and by training (NumPy and OpenCV only).

MNIST digits were made by fitting the ink into a 20x20 box (aspect kept,
anti-aliased) and placing it in 28x28 so that its centre of mass is at the
centre, bright ink on black. The app's preprocessing
(``lenet_desktop.vision.preprocess``) finds the ink of a drawing, photo or
scan and ends with :func:`digit_from_ink`; training's real-handwriting
sources (:mod:`training.drawing`) end the same way, so a rendered pen
trajectory or a scanned bitmap reaches the model in the form a drawing or a
scan reaches it in the app.
"""

from __future__ import annotations

import cv2
import numpy as np

FIT_SIZE = 20
OUT_SIZE = 28
CENTRE = 14.0
"""Where MNIST puts the centre of mass (pixel-index coordinates, measured on MNIST: 14.0)."""
INK_PEAK_PERCENTILE = 90
"""The ink level this percentile of a digit's ink pixels reaches becomes full white.

About half of MNIST's ink pixels are saturated, so stretching the top tenth
to 255 gives the same solid strokes with soft edges."""


def normalise_ink(ink: np.ndarray, mask: np.ndarray, floor: float) -> np.ndarray:
    """Stretch a digit's ink so its strokes are full white and the paper black.

    Parameters
    ----------
    ink : ndarray
        uint8 crop of relative ink (bright ink on black).
    mask : ndarray
        uint8 crop, non-zero on the digit's own pixels; everything further
        than one pixel from them is set to 0 (other digits, specks, noise).
    floor : float
        Ink level that counts as no ink (the weak threshold).

    Returns
    -------
    ndarray
        uint8 crop of the same shape.
    """
    values = ink[mask > 0]
    if values.size == 0:
        return np.zeros_like(ink)
    rank = (values.size - 1) * INK_PEAK_PERCENTILE // 100
    peak = float(np.partition(values, rank)[rank])
    low = 0.5 * min(floor, peak * 0.5)
    gain = 255.0 / max(peak - low, 1.0)
    # np.maximum and np.minimum give what np.clip gives (no NaN here), with less overhead.
    stretched = np.minimum(np.maximum((ink.astype(np.float32) - low) * gain, 0), 255)
    stretched = stretched.astype(np.uint8)
    near = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    return cv2.bitwise_and(stretched, near)


def fit_and_centre(ink_crop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fit a cropped bright-ink digit into 20x20 (aspect kept) and centre its mass in 28x28.

    Shrinking uses area averaging (the anti-aliasing MNIST has); enlarging
    small crops uses bilinear interpolation. The centre of mass lands on
    pixel 14 (whole-pixel shift, as in MNIST), without pushing ink off the
    28x28 field.

    Returns
    -------
    boxed : ndarray
        uint8 (28, 28): the fitted digit placed by its box (before centring).
    centred : ndarray
        uint8 (28, 28): the final image.
    """
    h, w = ink_crop.shape
    scale = FIT_SIZE / max(h, w)
    new_w = max(1, min(FIT_SIZE, int(round(w * scale))))
    new_h = max(1, min(FIT_SIZE, int(round(h * scale))))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    fitted = cv2.resize(ink_crop, (new_w, new_h), interpolation=interpolation)
    boxed = np.zeros((OUT_SIZE, OUT_SIZE), dtype=np.uint8)
    top, left = (OUT_SIZE - new_h) // 2, (OUT_SIZE - new_w) // 2
    boxed[top : top + new_h, left : left + new_w] = fitted
    moments = cv2.moments(fitted, binaryImage=False)
    if moments["m00"] > 0:
        cx, cy = moments["m10"] / moments["m00"], moments["m01"] / moments["m00"]
        left = min(max(round(CENTRE - cx), 0), OUT_SIZE - new_w)
        top = min(max(round(CENTRE - cy), 0), OUT_SIZE - new_h)
    centred = np.zeros((OUT_SIZE, OUT_SIZE), dtype=np.uint8)
    centred[top : top + new_h, left : left + new_w] = fitted
    return boxed, centred


def digit_from_ink(
    ink: np.ndarray, mask: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The MNIST-style digit of one ink crop (see :func:`normalise_ink`, :func:`fit_and_centre`).

    Returns
    -------
    tuple of ndarray
        The normalised crop, the fitted 20x20 image placed by its box, the
        centred uint8 28x28 image and the float32 28x28 digit in [0, 1].
    """
    crop = normalise_ink(ink, mask, floor)
    boxed, centred = fit_and_centre(crop)
    peak = int(centred.max())
    if 0 < peak < 255:
        # Every MNIST digit reaches full white; thin strokes shrunk or grown may not.
        gain = 255.0 / peak
        centred = cv2.convertScaleAbs(centred, alpha=gain)
        boxed = cv2.convertScaleAbs(boxed, alpha=gain)
    return crop, boxed, centred, centred.astype(np.float32) * np.float32(1.0 / 255.0)
