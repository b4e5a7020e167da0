"""Seconds per MNIST epoch: our training path against a plain ``model.fit``.

Both sides train the same LeNet-5 (``TrainConfig`` defaults: max pooling,
ReLU, Adam) with the same batch size on the same train / validation split
(``training.train.split_validation``), and both validate once per epoch, so
the only difference is the input path and the way ``fit`` is driven:

* ``plain``: ``model.fit(x_numpy, y_numpy, batch_size=..., validation_data=...)``
  on float32 arrays, compiled with Keras defaults;
* ``ours``: :func:`training.train.train` (``tf.data`` pipeline, several steps
  per execution, listeners, early stopping, learning-rate schedule),
  augmentation off;
* ``ours+aug``: the same with the shipped model's augmentation switched on.

Each run trains ``1 + --epochs`` epochs; the first is a warm-up (tracing,
graph building) and is not timed. An epoch's time is the gap between two
consecutive epoch ends, so it includes validation and per-epoch callbacks.
Process CPU seconds per epoch are printed too: on a machine shared with other
work they show the cost of each path even when wall-clock times wobble.

Usage::

    python bench/train_speed.py [--epochs 2] [--batch-size 128] [--rounds 1] [--data F]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.config import Augmentation, TrainConfig, shipped_config  # noqa: E402
from training.data import load_mnist  # noqa: E402
from training.train import (  # noqa: E402
    STEPS_PER_EXECUTION,
    TrainingListener,
    split_validation,
    train,
    training_device,
)

PLAIN, OURS, OURS_AUG = "plain model.fit (NumPy)", "ours: train()", "ours: train() + augmentation"


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class EpochClock(TrainingListener):
    """Records wall-clock and CPU time at the end of every epoch."""

    def __init__(self) -> None:
        self.ends: list[tuple[float, float]] = []

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """Note the times."""
        self.ends.append((time.perf_counter(), cpu_seconds()))


def per_epoch(ends: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of the timed epochs: gaps between consecutive epoch ends."""
    pairs = list(zip(ends[:-1], ends[1:], strict=True))
    return [b[0] - a[0] for a, b in pairs], [b[1] - a[1] for a, b in pairs]


def time_ours(data, config: TrainConfig):
    """Per-epoch wall and CPU seconds of :func:`training.train.train`, and final accuracy."""
    clock = EpochClock()
    result = train(config, data, listeners=[clock])
    return (*per_epoch(clock.ends), result.history["accuracy"][-1])


def time_plain(data, config: TrainConfig):
    """Per-epoch wall and CPU seconds of a plain ``model.fit`` on NumPy arrays."""
    import keras

    from training.lenet import build_lenet5, compile_lenet5
    from training.pipeline import to_model_input

    keras.utils.set_random_seed(config.seed)
    x_train, y_train, x_val, y_val = split_validation(
        data.x_train, data.y_train, config.validation_split, config.seed
    )
    x_train, x_val = to_model_input(x_train), to_model_input(x_val)
    model = compile_lenet5(build_lenet5(config), config)
    clock = EpochClock()
    bridge = keras.callbacks.LambdaCallback(on_epoch_end=clock.on_epoch_end)
    history = model.fit(
        x_train,
        y_train,
        batch_size=config.batch_size,
        epochs=config.epochs,
        validation_data=(x_val, y_val),
        callbacks=[bridge],
        verbose=0,
    )
    return (*per_epoch(clock.ends), history.history["accuracy"][-1])


def main(argv: list[str] | None = None) -> int:
    """Time the paths, print seconds per epoch and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs (after 1 warm-up)")
    parser.add_argument("--batch-size", type=int, default=TrainConfig().batch_size)
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat the whole comparison; medians are reported"
    )
    parser.add_argument("--data", help="MNIST .npz (default: $LENET_MNIST, Keras cache, download)")
    parser.add_argument("--skip-aug", action="store_true", help="leave out the augmented run")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.rounds < 1:
        parser.error("--epochs and --rounds must be at least 1")

    data = load_mnist(args.data)
    base = TrainConfig(
        batch_size=args.batch_size, epochs=args.epochs + 1, augmentation=Augmentation()
    )
    augmented = TrainConfig.from_dict(
        {**base.to_dict(), "augmentation": shipped_config().augmentation.__dict__}
    )
    n_train = len(split_validation(data.x_train, data.y_train, base.validation_split, 0)[0])
    print(
        f"LeNet-5 ({base.pooling}/{base.activation}/{base.optimizer}), batch {base.batch_size}, "
        f"{n_train} training images, 1 warm-up + {args.epochs} timed epochs, "
        f"{args.rounds} round(s); ours runs {STEPS_PER_EXECUTION} steps per execution"
    )
    print(f"device: {training_device()}, {platform.machine()}, load {os.getloadavg()[0]:.1f}")

    runs = [(PLAIN, time_plain, base), (OURS, time_ours, base)]
    if not args.skip_aug:
        runs.append((OURS_AUG, time_ours, augmented))
    wall: dict[str, list[float]] = {name: [] for name, _, _ in runs}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in runs}
    ratios: list[float] = []
    for round_index in range(args.rounds):
        if args.rounds > 1:
            print(f"round {round_index + 1} (load {os.getloadavg()[0]:.1f})")
        for name, timer, config in runs:
            seconds, cpu_used, accuracy = timer(data, config)
            wall[name].extend(seconds)
            cpu[name].extend(cpu_used)
            epochs = ", ".join(f"{s:.2f}" for s in seconds)
            print(
                f"  {name:<30} {statistics.mean(seconds):6.2f} s/epoch ({epochs}), "
                f"CPU {statistics.mean(cpu_used):5.2f} s/epoch, train acc {accuracy:.4f}"
            )
        ratios.append(
            statistics.mean(wall[PLAIN][-args.epochs :])
            / statistics.mean(wall[OURS][-args.epochs :])
        )

    print("median over all timed epochs:")
    for name in wall:
        seconds = statistics.median(wall[name])
        print(
            f"  {name:<30} {seconds:6.2f} s/epoch  {n_train / seconds:8,.0f} images/s  "
            f"CPU {statistics.median(cpu[name]):5.2f} s/epoch"
        )
    plain, ours = statistics.median(wall[PLAIN]), statistics.median(wall[OURS])
    print(f"ratio plain / ours = {plain / ours:.2f}  (above 1: our path is faster)")
    if args.rounds > 1:
        print("  per round: " + ", ".join(f"{r:.2f}" for r in ratios))
    print(
        "ratio plain / ours, CPU time = "
        f"{statistics.median(cpu[PLAIN]) / statistics.median(cpu[OURS]):.2f}"
    )
    if not args.skip_aug:
        print(f"ratio plain / ours+aug = {plain / statistics.median(wall[OURS_AUG]):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
