"""The data sets ``lenet-train`` knows: MNIST digits, and CIFAR-10 for comparison.

One place that says, per data set name (``TrainConfig.dataset``), what the
model's input is, what the classes are called and how the data are loaded.
"""

from __future__ import annotations

import os

from training.config import DATASETS

TITLES = {"mnist": "MNIST", "cifar10": "CIFAR-10"}
INPUT_SHAPES = {"mnist": (28, 28, 1), "cifar10": (32, 32, 3)}
"""Model input per data set: 28x28 grey digits, 32x32 colour (RGB) images."""
TRAIN_SIZES = {"mnist": 60000, "cifar10": 50000}
"""Training images in the whole data set."""
DIGIT_NAMES = tuple(str(digit) for digit in range(10))


def check_dataset(name: str) -> str:
    """``name`` when it is a known data set, else a ``ValueError`` listing them."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r} (choose from {', '.join(DATASETS)})")
    return name


def class_names(name: str) -> tuple[str, ...]:
    """The 10 class names of a data set, in label order."""
    from training.cifar import CLASS_NAMES

    return CLASS_NAMES if check_dataset(name) == "cifar10" else DIGIT_NAMES


def load_dataset(name: str, path: str | os.PathLike | None = None):
    """Load a data set by name, resolved as its loader documents.

    Parameters
    ----------
    name : str
        ``"mnist"`` (:func:`training.data.load_mnist`) or ``"cifar10"``
        (:func:`training.cifar.load_cifar10`).
    path : path-like, optional
        Explicit file or folder; otherwise the loader's environment
        variable, the Keras cache, then Keras's download.

    Returns
    -------
    training.data.MnistData or training.cifar.CifarData

    Raises
    ------
    training.data.DataError
        The data cannot be found or are malformed.
    """
    if check_dataset(name) == "cifar10":
        from training.cifar import load_cifar10

        return load_cifar10(path)
    from training.data import load_mnist

    return load_mnist(path)
