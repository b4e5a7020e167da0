"""Qt-free image processing: any drawing, photo or frame to MNIST-style 28x28 digits."""

from lenet_desktop.vision.preprocess import PreprocessResult, preprocess_digit, to_gray8

__all__ = ["PreprocessResult", "preprocess_digit", "to_gray8"]
