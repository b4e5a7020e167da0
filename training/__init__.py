"""Build, train, evaluate and save the Keras LeNet-5 used by LeNet Desktop.

This package is Qt-free and never imports :mod:`lenet_desktop`. Importing it
is cheap: TensorFlow is only imported by the modules that need it
(:mod:`training.lenet`, :mod:`training.train`, :mod:`training.pipeline`) and
by those that import them. ``lenet-train`` is :mod:`training.cli`; its study
lives in the :mod:`training.study` package.
"""

from training.config import Augmentation, TrainConfig
from training.data import DataError, MnistData, load_mnist
from training.model_io import ModelLoadError, load_model, read_sidecar, save_model

__all__ = [
    "Augmentation",
    "DataError",
    "MnistData",
    "ModelLoadError",
    "TrainConfig",
    "load_mnist",
    "load_model",
    "read_sidecar",
    "save_model",
]
