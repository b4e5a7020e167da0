"""Fixtures for the training tests: tiny generated data on disk and one tiny trained model."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import make_tiny_data
from training.train import TrainingListener


def write_npz(path, **arrays) -> None:
    """Write arrays to an uncompressed .npz, as the test data files."""
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


def tiny_arrays(n_train: int = 600, n_test: int = 200) -> dict[str, np.ndarray]:
    """The tiny generated data set as the four MNIST arrays (Keras layout)."""
    data = make_tiny_data(n_train, n_test)
    return {
        "x_train": data.x_train,
        "y_train": data.y_train.astype(np.uint8),
        "x_test": data.x_test,
        "y_test": data.y_test.astype(np.uint8),
    }


@pytest.fixture
def tiny_npz(tmp_path):
    """A small MNIST-layout .npz of generated bar images in ``tmp_path``."""
    path = tmp_path / "tiny_mnist.npz"
    write_npz(path, **tiny_arrays())
    return path


@pytest.fixture(scope="session")
def tiny_trained():
    """A LeNet-5 trained for 3 epochs on the tiny data, with what its listener saw.

    Trained once per session: several tests only read it.
    """
    from training.config import TrainConfig
    from training.train import train

    data = make_tiny_data()
    recorder = Recorder()
    config = TrainConfig(batch_size=32, epochs=3, seed=3, learning_rate=3e-3)
    result = train(config, data, listeners=[recorder])
    return data, config, result, recorder


class Recorder(TrainingListener):
    """A TrainingListener that writes down every call it receives."""

    def __init__(self, stop_event=None, stop_after_batches: int | None = None):
        self.begin: list[dict] = []
        self.batches: list[tuple[int, int, int, dict]] = []
        self.epochs: list[tuple[int, dict]] = []
        self.results: list = []
        self.stop_event = stop_event
        self.stop_after_batches = stop_after_batches
        self.batches_at_stop: int | None = None

    def on_train_begin(self, info: dict) -> None:
        self.begin.append(dict(info))

    def on_batch_end(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        self.batches.append((epoch, step, steps, dict(logs)))
        if self.stop_after_batches is not None and len(self.batches) == self.stop_after_batches:
            self.batches_at_stop = len(self.batches)
            self.stop_event.set()

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self.epochs.append((epoch, dict(logs)))

    def on_train_end(self, result) -> None:
        self.results.append(result)
