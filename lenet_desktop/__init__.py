"""LeNet Desktop: see how a LeNet-5 convolutional network reads handwriting."""

__version__ = "0.1.0"
