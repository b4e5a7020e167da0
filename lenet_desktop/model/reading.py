"""Read the digits in images: detection or single-digit preprocessing, then one batched model call.

The vision code turns an image into MNIST-style 28x28 digits; this module
classifies them and puts the answer together: each digit's label, confidence
and box, the separators (". , - /") between them, the number they spell, a
confidence for the whole number and whether it is sure enough to be given
(:mod:`lenet_desktop.model.calibration` holds the threshold). However many
digits (or files) there are, the model runs once per batch, never once per digit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from lenet_desktop.model.calibration import DEFAULT_THRESHOLD, threshold_of
from lenet_desktop.model.segmentation import best_path, reading_share
from lenet_desktop.vision.budget import Budget, TooClutteredError, default_budget
from lenet_desktop.vision.detect import DigitCandidate, find_marks
from lenet_desktop.vision.preprocess import PreprocessResult, preprocess_digit

UNCUT = 0.5
"""Confidence factor for a group wider than a digit that no way of cutting explains."""
CUT_WEIGHT = 0.1
"""Power of the cutting's share in a number's confidence. The share weighs the
recognizer's saturated scores of many overlapping segments, so it is far lower than
the chance that the reading is wrong: with its full weight, half of the dev camera
rows, nearly all read right, were never sure (50% sure at weight 1, 66% at 0.5,
97% at 0.1, with no more wrong among the sure ones; dev seeds 11 and 12)."""
SLASH_DOUBT = 0.5
"""Confidence factor for a 1 that may be a slash (a coin toss: only context tells)."""
TINY_PX = 13
"""A digit shorter than this many pixels of the image itself ..."""
TINY_SHARE = 0.2
"""... and than this fraction of the image's short side (a small crop's digit fills much
of it) is too small to be sure of: specks, and what a grid leaves where its lines cross,
read as 1s, 4s and 7s at full confidence. Digits read right at 11 px and more in
generated logbook cells 30-40 px high (a third of the cell); the marks read on blank
pages are 6-12 px, camera digits 28 px and more."""
TINY_DOUBT = 0.5
"""Confidence factor for each such digit (or group of touching ones)."""
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
    tiny: bool = False
    """Too small in the image to be sure of, whatever its probability (:data:`TINY_PX`)."""


SEPARATORS = ".,-/"
"""The characters a separator can be."""


@dataclass
class ReadSeparator:
    """A punctuation mark between digits: a decimal point, a thousands comma, a dash, a slash."""

    box: tuple[int, int, int, int]
    """Ink box (x, y, w, h) in the image's pixel coordinates."""
    char: str
    """One of :data:`SEPARATORS`."""
    line: int = 0
    """Line of writing it is on (0 = top)."""

    def __post_init__(self) -> None:
        if self.char not in SEPARATORS or len(self.char) != 1:
            raise ValueError(f"a separator is one of {SEPARATORS!r}, not {self.char!r}")


def whole_confidence(digits: list[ReadDigit]) -> float:
    """How likely every digit of a number is right: the product of their confidences.

    ``0.0`` for no digit at all (there is no number to be sure of).
    """
    if not digits:
        return 0.0
    return float(np.prod([d.confidence for d in digits], dtype=np.float64))


@dataclass
class Reading:
    """Everything read from one image, in reading order."""

    digits: list[ReadDigit] = field(default_factory=list)
    error: str = ""
    """Why the image could not be read at all (empty when it could); for example
    ``"too cluttered to read"`` when it holds far more marks than a number has."""
    separators: list[ReadSeparator] = field(default_factory=list)
    """Punctuation between the digits, in reading order."""
    confidence: float | None = None
    """Confidence in [0, 1] that the whole number is right (from the digits when not given)."""
    sure: bool | None = None
    """Whether :attr:`confidence` reaches the calibrated threshold (see ``threshold``)."""
    threshold: float = DEFAULT_THRESHOLD
    """The confidence a number needs to be :attr:`sure`."""

    def __post_init__(self) -> None:
        if self.confidence is None:
            self.confidence = whole_confidence(self.digits) if self.ok else 0.0
        self.confidence = float(min(1.0, max(0.0, self.confidence)))
        if self.sure is None:
            self.sure = bool(self.ok and self.digits and self.confidence >= self.threshold)

    @property
    def items(self) -> list[ReadDigit | ReadSeparator]:
        """Digits and separators merged in reading order (by line, then left to right)."""
        return sorted(
            [*self.digits, *self.separators],
            key=lambda item: (item.line, item.box[0] + item.box[2] / 2.0),
        )

    @property
    def text(self) -> str:
        """The number as written, separators in place; lines are separated by a space."""
        lines: dict[int, list[str]] = {}
        for item in self.items:
            char = item.char if isinstance(item, ReadSeparator) else str(item.label)
            lines.setdefault(item.line, []).append(char)
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


def read_frame(
    recognizer, image: np.ndarray, ink: str = "auto", budget: Budget | None = None
) -> Reading:
    """Find and classify every digit of a photo or frame with one batched model call.

    Parameters
    ----------
    recognizer : lenet_desktop.model.Recognizer
    image : ndarray
        Any image :func:`lenet_desktop.vision.detect.find_digits` accepts.
    ink : {"auto", "dark", "light"}
    budget : lenet_desktop.vision.budget.Budget, optional
        The work the read may do (the shared default when omitted).

    Returns
    -------
    Reading
        Digits in reading order (empty when there are none); an image with
        more marks than the budget allows has ``error`` "too cluttered to read".

    Raises
    ------
    ValueError
        If ``image`` is not an image array.
    """
    try:
        candidates, marks = find_marks(image, ink, budget)
    except TooClutteredError as exc:
        return Reading(error=str(exc), threshold=threshold_of(recognizer))
    mark_tiny(candidates, image.shape[:2])
    probabilities = classify(recognizer, _inputs(candidates))
    digits, share, doubt = _assemble(candidates, probabilities)
    return _reading(digits, share, marks, threshold_of(recognizer), doubt)


def mark_tiny(candidates: list[DigitCandidate], shape: tuple[int, int]) -> None:
    """Flag the candidates too small to be sure of (see :data:`TINY_PX`), in place.

    Parameters
    ----------
    candidates : list of DigitCandidate
        Found in one image, their boxes in its pixels.
    shape : tuple of int
        The image's (height, width).
    """
    least = min(TINY_PX, TINY_SHARE * min(shape))
    for candidate in candidates:
        candidate.tiny = candidate.box[3] < least


def _reading(digits, share: float, marks, threshold: float, doubt: float = 1.0) -> Reading:
    confidence = whole_confidence(digits) * share**CUT_WEIGHT * doubt
    return Reading(
        digits, separators=_separators(marks), confidence=confidence, threshold=threshold
    )


def _separators(marks) -> list[ReadSeparator]:
    return [ReadSeparator(m.box, m.char, m.line) for m in marks]


def _inputs(candidates: list[DigitCandidate]) -> list[np.ndarray]:
    """Every image the model must see: each candidate, then its segments."""
    images = []
    for candidate in candidates:
        images.append(candidate.digit)
        images.extend(option.digit for option in candidate.options)
    return images


def _assemble(
    candidates: list[DigitCandidate], probabilities: np.ndarray
) -> tuple[list[ReadDigit], float, float]:
    """The digits read, touching digits cut along the best path (one row per input image).

    Also returns how sure the cutting is: the product over the cut groups of
    the best reading's share (:func:`~lenet_desktop.model.segmentation.reading_share`);
    a group wider than a digit that no path spans counts as a coin toss. Last, the
    doubt of other kinds: :data:`SLASH_DOUBT` for each 1 that may be a slash,
    :data:`TINY_DOUBT` for each candidate too small to be sure of.
    """
    read, row, share, doubt = [], 0, 1.0, 1.0
    for candidate in candidates:
        whole = probabilities[row]
        options = probabilities[row + 1 : row + 1 + len(candidate.options)]
        row += 1 + len(candidate.options)
        doubt *= TINY_DOUBT if candidate.tiny else 1.0
        path = None
        if candidate.options:
            path = best_path(candidate.cuts, candidate.options, options, candidate.gaps)
        if path is None:
            share *= UNCUT if candidate.options or candidate.cuts else 1.0
            if candidate.may_be_slash and int(np.argmax(whole)) == 1:
                doubt *= SLASH_DOUBT
            found = _read_digits([(candidate.box, candidate.digit, candidate.line)], [whole])
        else:
            share *= reading_share(candidate.cuts, candidate.options, options, candidate.gaps, path)
            found = _read_digits(
                [
                    (candidate.crop_to_image(option.box), option.digit, candidate.line)
                    for option in (candidate.options[i] for i in path)
                ],
                [options[i] for i in path],
            )
        for digit in found:
            digit.tiny = candidate.tiny
        read += found
    return read, share, doubt


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
    found = [
        image if isinstance(image, Exception) else find_in(image, single, ink) for image in images
    ]
    return readings_of(recognizer, found)


Found = tuple[list[DigitCandidate], list] | Exception
"""What :func:`find_in` found in one image: its candidates and separator marks, or why not."""


def find_in(image: np.ndarray, single: bool = False, ink: str = "auto") -> Found:
    """The digits to classify in one image (the first half of :func:`read_many`).

    Returns the candidates and separator marks, or the ``ValueError`` that
    makes the image unusable (returned, not raised); anything else is raised.
    """
    try:
        if single:
            result = preprocess_digit(image, ink=ink)
            single_found = [DigitCandidate(result.box, result.digit, 0)] if result.found else []
            return single_found, []
        candidates, marks = find_marks(image, ink, default_budget())
    except ValueError as exc:
        return exc
    mark_tiny(candidates, image.shape[:2])
    return candidates, marks


def readings_of(recognizer, found: list[Found]) -> list[Reading]:
    """Classify what :func:`find_in` found in many images in shared batches; one Reading each.

    An exception in place of an image's finds becomes that Reading's ``error``.
    """
    flat = [item for entry in found if not isinstance(entry, Exception) for item in entry[0]]
    probabilities = classify(recognizer, _inputs(flat))
    readings, start = [], 0
    threshold = threshold_of(recognizer)
    for entry in found:
        if isinstance(entry, Exception):
            readings.append(Reading(error=str(entry), threshold=threshold))
            continue
        candidates, marks = entry
        stop = start + len(_inputs(candidates))
        digits, share, doubt = _assemble(candidates, probabilities[start:stop])
        readings.append(_reading(digits, share, marks, threshold, doubt))
        start = stop
    return readings
