"""Qt-free image processing: any drawing, photo or frame to MNIST-style 28x28 digits."""

from lenet_desktop.vision.convert import to_display8, to_gray8
from lenet_desktop.vision.detect import DigitCandidate, find_digits
from lenet_desktop.vision.io import ImageReadError, read_image
from lenet_desktop.vision.preprocess import PreprocessResult, preprocess_digit

__all__ = [
    "DigitCandidate",
    "ImageReadError",
    "PreprocessResult",
    "find_digits",
    "preprocess_digit",
    "read_image",
    "to_display8",
    "to_gray8",
]
