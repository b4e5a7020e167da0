"""Seconds per MNIST epoch: our training path against a plain ``model.fit``.

Both sides train the same LeNet-5 (``TrainConfig`` defaults unless told
otherwise) with the same batch size on the same train / validation split
(``training.train.split_validation``), and both validate once per epoch, so
the only difference is the input path and the way ``fit`` is driven:

* ``ours``: :func:`training.train.train` (``tf.data`` pipeline, listeners,
  early stopping, learning-rate schedule), augmentation off;
* ``ours+aug``: the same with the shipped augmentation switched on;
* ``plain``: ``model.fit(x_numpy, y_numpy, batch_size=..., validation_data=...)``.

Each run trains ``1 + --epochs`` epochs; the first is a warm-up (tracing,
graph building) and is not timed. An epoch's time is the gap between two
consecutive epoch ends, so it includes validation and per-epoch callbacks.

Usage::

    python bench/train_speed.py [--epochs 2] [--batch-size 128] [--data mnist.npz]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.config import Augmentation, TrainConfig, shipped_config  # noqa: E402
from training.data import load_mnist  # noqa: E402
from training.train import TrainingListener, split_validation, train, training_device  # noqa: E402


class EpochClock(TrainingListener):
    """Records the wall-clock time at the end of every epoch."""

    def __init__(self) -> None:
        self.ends: list[float] = []

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """Note the time."""
        self.ends.append(time.perf_counter())


def epoch_seconds(ends: list[float]) -> list[float]:
    """Durations of the timed epochs: gaps between consecutive epoch ends."""
    return [b - a for a, b in zip(ends[:-1], ends[1:], strict=True)]


def time_ours(data, config: TrainConfig) -> tuple[list[float], float]:
    """Per-epoch seconds of :func:`training.train.train` and its final training accuracy."""
    clock = EpochClock()
    result = train(config, data, listeners=[clock])
    return epoch_seconds(clock.ends), result.history["accuracy"][-1]


def time_plain(data, config: TrainConfig) -> tuple[list[float], float]:
    """Per-epoch seconds of a plain ``model.fit`` on NumPy arrays."""
    import keras

    from training.lenet import build_lenet5, compile_lenet5
    from training.pipeline import to_model_input

    keras.utils.set_random_seed(config.seed)
    x_train, y_train, x_val, y_val = split_validation(
        data.x_train, data.y_train, config.validation_split, config.seed
    )
    x_train, x_val = to_model_input(x_train), to_model_input(x_val)
    model = compile_lenet5(build_lenet5(config), config)
    ends: list[float] = []
    clock = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: ends.append(time.perf_counter())
    )
    history = model.fit(
        x_train,
        y_train,
        batch_size=config.batch_size,
        epochs=config.epochs,
        validation_data=(x_val, y_val),
        callbacks=[clock],
        verbose=0,
    )
    return epoch_seconds(ends), history.history["accuracy"][-1]


def main(argv: list[str] | None = None) -> int:
    """Run the three timings and print seconds per epoch and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs (after 1 warm-up)")
    parser.add_argument("--batch-size", type=int, default=TrainConfig().batch_size)
    parser.add_argument("--data", help="MNIST .npz (default: $LENET_MNIST, Keras cache, download)")
    parser.add_argument(
        "--skip-aug", action="store_true", help="leave out the run with augmentation"
    )
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")

    data = load_mnist(args.data)
    base = TrainConfig(
        batch_size=args.batch_size, epochs=args.epochs + 1, augmentation=Augmentation()
    )
    augmented = TrainConfig.from_dict(
        {**base.to_dict(), "augmentation": shipped_config().augmentation.__dict__}
    )
    n_train = len(data.x_train) - max(1, round(len(data.x_train) * base.validation_split))
    print(
        f"LeNet-5 ({base.pooling}/{base.activation}/{base.optimizer}), batch {base.batch_size}, "
        f"{n_train} training images, 1 warm-up + {args.epochs} timed epochs"
    )
    print(f"device: {training_device()}, {platform.processor() or platform.machine()}")

    runs = [("plain model.fit (NumPy)", time_plain, base), ("ours: train()", time_ours, base)]
    if not args.skip_aug:
        runs.append(("ours: train() + augmentation", time_ours, augmented))
    figures = {}
    for name, timer, config in runs:
        seconds, accuracy = timer(data, config)
        figures[name] = statistics.mean(seconds)
        per_epoch = ", ".join(f"{s:.2f}" for s in seconds)
        print(
            f"{name:<30} {figures[name]:6.2f} s/epoch  ({per_epoch}; "
            f"{n_train / figures[name]:,.0f} images/s; train acc {accuracy:.4f})"
        )
    plain = figures["plain model.fit (NumPy)"]
    ours = figures["ours: train()"]
    print(f"ratio plain / ours = {plain / ours:.2f}  (above 1: our path is faster)")
    if not args.skip_aug:
        aug = figures["ours: train() + augmentation"]
        print(f"ratio plain / ours+aug = {plain / aug:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
