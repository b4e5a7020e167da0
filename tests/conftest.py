"""Shared fixtures. GUI tests run offscreen; TensorFlow logs stay quiet."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHIPPED_MODEL = REPO / "assets" / "lenet5.keras"


def find_mnist() -> Path | None:
    """The real MNIST file if this machine has one (env var, shared copy, Keras cache)."""
    from training.data import DataError, resolve_mnist_path

    candidates = []
    try:
        candidates.append(resolve_mnist_path())
    except DataError:
        pass
    candidates.append(REPO.parent / "shared" / "data" / "mnist.npz")
    for candidate in candidates:
        if candidate is not None and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def mnist_path() -> Path:
    """Path of the real MNIST; tests that need it are skipped where it cannot be found."""
    path = find_mnist()
    if path is None:
        pytest.skip("real MNIST not found on this machine")
    return path


@pytest.fixture(scope="session")
def mnist(mnist_path):
    """The real MNIST, loaded once."""
    from training.data import load_mnist

    return load_mnist(mnist_path)


@pytest.fixture(scope="session")
def real_data_folder() -> Path:
    """The folder of the real handwriting files; tests that need it skip where it is absent."""
    from training.real_data import ENV_VAR, FILES

    folder = Path(os.environ.get(ENV_VAR) or REPO.parent / "shared" / "data" / "real")
    if not all((folder / name).is_file() for name in FILES.values()):
        pytest.skip(f"real handwriting files not found in {folder}")
    return folder


@pytest.fixture(scope="session")
def shipped_model_path() -> Path:
    """The model shipped in assets/ (it is part of the repo, so it must exist)."""
    assert SHIPPED_MODEL.is_file(), f"shipped model missing: {SHIPPED_MODEL}"
    return SHIPPED_MODEL


@pytest.fixture(scope="session")
def shipped_recognizer(shipped_model_path):
    """A Recognizer over the shipped model, loaded once per test session."""
    from lenet_desktop.model import Recognizer

    return Recognizer.from_file(shipped_model_path)


def make_tiny_data(n_train: int = 600, n_test: int = 200, seed: int = 0):
    """A tiny generated MNIST-like data set: class k is a bar at angle 18*k degrees.

    Learnable in a few epochs, so tests can check that training lowers the loss.
    """
    import cv2

    from training.data import MnistData

    rng = np.random.default_rng(seed)

    def draw(n):
        images = np.zeros((n, 28, 28), np.uint8)
        labels = rng.integers(0, 10, size=n)
        for i, label in enumerate(labels):
            angle = np.deg2rad(18 * label + rng.normal(0, 3))
            cx, cy = 14 + rng.normal(0, 1), 14 + rng.normal(0, 1)
            dx, dy = 9 * np.cos(angle), 9 * np.sin(angle)
            p1 = (int(round(cx - dx)), int(round(cy - dy)))
            p2 = (int(round(cx + dx)), int(round(cy + dy)))
            cv2.line(images[i], p1, p2, 255, 2, cv2.LINE_AA)
        return images, labels.astype(np.int64)

    x_train, y_train = draw(n_train)
    x_test, y_test = draw(n_test)
    return MnistData(x_train, y_train, x_test, y_test, source="generated", fingerprint="generated")


@pytest.fixture
def tiny_data():
    """Tiny generated data set (see :func:`make_tiny_data`)."""
    return make_tiny_data()


@pytest.fixture(scope="session")
def tiny_npz(tmp_path_factory):
    """The tiny generated data set (see :func:`make_tiny_data`) as an MNIST-layout .npz file."""
    from training.data import save_npz_atomic

    data = make_tiny_data()
    path = tmp_path_factory.mktemp("tiny") / "tiny-mnist.npz"
    save_npz_atomic(
        path, x_train=data.x_train, y_train=data.y_train, x_test=data.x_test, y_test=data.y_test
    )
    return path
