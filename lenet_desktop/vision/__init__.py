"""Qt-free image processing: any drawing, photo or frame to MNIST-style 28x28 digits."""

from lenet_desktop.vision.detect import DigitCandidate, find_digits
from lenet_desktop.vision.io import ImageReadError, read_image
from lenet_desktop.vision.preprocess import PreprocessResult, preprocess_digit, to_gray8

__all__ = [
    "DigitCandidate",
    "ImageReadError",
    "PreprocessResult",
    "find_digits",
    "preprocess_digit",
    "read_image",
    "to_gray8",
]
