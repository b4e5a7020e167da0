"""Read the digits in images: detection or single-digit preprocessing, then one batched model call.

The vision code turns an image into MNIST-style 28x28 digits; this module
classifies them and puts the answer together: each digit's label, confidence
and box, and the number they spell. However many digits (or files) there are,
the model runs once per batch, never once per digit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from lenet_desktop.vision.detect import DigitCandidate, find_digits
from lenet_desktop.vision.preprocess import PreprocessResult, preprocess_digit

BATCH = 512
"""Most digits classified in one call (bounds the engine's working memory)."""


@dataclass
class ReadDigit:
    """One digit read from an image."""

    box: tuple[int, int, int, int]
    """Ink box (x, y, w, h) in the image's pixel coordinates."""
    digit: np.ndarray
    """The float32 (28, 28) image the model saw."""
    label: int
    """The class with the highest probability."""
    confidence: float
    """Its probability."""
    probabilities: np.ndarray
    """float32 (10,) class probabilities."""
    line: int = 0
    """Line of writing the digit is on (0 = top)."""


@dataclass
class Reading:
    """Everything read from one image, in reading order."""

    digits: list[ReadDigit] = field(default_factory=list)
    error: str = ""
    """Why the image could not be read at all (empty when it could)."""

    @property
    def text(self) -> str:
        """The number the digits spell; lines of writing are separated by a space."""
        lines: dict[int, list[str]] = {}
        for digit in self.digits:
            lines.setdefault(digit.line, []).append(str(digit.label))
        return " ".join("".join(lines[line]) for line in sorted(lines))

    @property
    def ok(self) -> bool:
        """Whether the image could be read (it may still hold no digit)."""
        return not self.error


def classify(recognizer, digits: list[np.ndarray]) -> np.ndarray:
    """Class probabilities (N, 10) of 28x28 digits, in batches of :data:`BATCH`."""
    if not digits:
        return np.zeros((0, 10), np.float32)
    stack = np.stack(digits).astype(np.float32, copy=False)
    parts = [recognizer.probabilities(stack[i : i + BATCH]) for i in range(0, len(stack), BATCH)]
    return np.concatenate(parts, axis=0)


def _read_digits(
    candidates: list[tuple[tuple[int, int, int, int], np.ndarray, int]], probabilities
) -> list[ReadDigit]:
    read = []
    for (box, digit, line), probs in zip(candidates, probabilities, strict=True):
        label = int(np.argmax(probs))
        read.append(ReadDigit(box, digit, label, float(probs[label]), np.asarray(probs), line))
    return read


def read_frame(recognizer, image: np.ndarray, ink: str = "auto") -> Reading:
    """Find and classify every digit of a photo or frame with one batched model call.

    Parameters
    ----------
    recognizer : lenet_desktop.model.Recognizer
    image : ndarray
        Any image :func:`lenet_desktop.vision.detect.find_digits` accepts.
    ink : {"auto", "dark", "light"}

    Returns
    -------
    Reading
        Digits in reading order (empty when there are none).

    Raises
    ------
    ValueError
        If ``image`` is not an image array.
    """
    candidates = find_digits(image, ink)
    probabilities = classify(recognizer, [c.digit for c in candidates])
    return Reading(_read_digits([_fields(c) for c in candidates], probabilities))


def _fields(candidate: DigitCandidate):
    return candidate.box, candidate.digit, candidate.line


def read_single(
    recognizer, image: np.ndarray, ink: str = "auto", remove_lighting: bool = True
) -> tuple[PreprocessResult, ReadDigit | None]:
    """Treat the whole image as one digit (as the drawing canvas does) and classify it.

    Returns
    -------
    result : PreprocessResult
        The preprocessing, with every intermediate image.
    digit : ReadDigit or None
        ``None`` when the image holds no digit (``result.reason`` says why).

    Raises
    ------
    ValueError
        If ``image`` is not an image array.
    """
    result = preprocess_digit(image, ink=ink, remove_lighting=remove_lighting)
    if not result.found:
        return result, None
    probabilities = classify(recognizer, [result.digit])
    (digit,) = _read_digits([(result.box, result.digit, 0)], probabilities)
    return result, digit


def read_many(
    recognizer,
    images: Iterable[np.ndarray | Exception],
    single: bool = False,
    ink: str = "auto",
) -> list[Reading]:
    """Read many images, classifying the digits of all of them in shared batches.

    Images are taken one at a time (a generator that reads files keeps only
    one image in memory) and only their 28x28 digits are kept until the
    model runs.

    Parameters
    ----------
    recognizer : lenet_desktop.model.Recognizer
    images : iterable of ndarray or Exception
        The images; an exception in their place (say, the error from reading
        a file) becomes that image's ``error``.
    single : bool
        Treat each whole image as one digit instead of finding digits in it.
    ink : {"auto", "dark", "light"}

    Returns
    -------
    list of Reading
        One per image, in order; an image that is not a usable image array
        gets a Reading with ``error`` set instead of stopping the others.
    """
    if ink not in ("auto", "dark", "light"):
        raise ValueError(f"ink must be 'auto', 'dark' or 'light', not {ink!r}")
    found: list[list[tuple] | str] = []
    for image in images:
        if isinstance(image, Exception):
            found.append(str(image))
            continue
        try:
            if single:
                result = preprocess_digit(image, ink=ink)
                found.append([(result.box, result.digit, 0)] if result.found else [])
            else:
                found.append([_fields(c) for c in find_digits(image, ink)])
        except ValueError as exc:
            found.append(str(exc))
    flat = [item for entry in found if not isinstance(entry, str) for item in entry]
    probabilities = classify(recognizer, [item[1] for item in flat])
    readings, start = [], 0
    for entry in found:
        if isinstance(entry, str):
            readings.append(Reading(error=entry))
            continue
        stop = start + len(entry)
        readings.append(Reading(_read_digits(entry, probabilities[start:stop])))
        start = stop
    return readings
