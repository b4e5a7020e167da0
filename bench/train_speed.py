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
graph building) and is not timed. The runs take turns epoch by epoch (each
waits at the end of its epoch while the others train one), so a burst of
other work on a shared machine slows neighbouring epochs of every run alike
and the ratios, taken epoch pair by epoch pair, stay fair. An epoch's time
runs from its release to its end, so it includes validation and the
per-epoch callbacks.

Usage::

    python bench/train_speed.py [--epochs 2] [--batch-size 128] [--data F] [--skip-aug]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import threading
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

PLAIN, OURS, OURS_AUG = "plain model.fit (NumPy)", "ours: train()", "ours: train() + aug"


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Turn(TrainingListener):
    """Runs one training in a thread that stops at every epoch end until released."""

    def __init__(self, name: str, short: str, target) -> None:
        self.name = name
        self.short = short
        self.release_event = threading.Event()
        self.ended_event = threading.Event()
        self.started: tuple[float, float] | None = None
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.accuracy = float("nan")
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(target,), daemon=True)
        self.thread.start()

    def _run(self, target) -> None:
        self._wait_for_release()
        try:
            self.accuracy = target(self)
        except BaseException as exc:  # reported by the conductor
            self.error = exc
        finally:
            self.ended_event.set()

    def _wait_for_release(self) -> None:
        self.release_event.wait()
        self.release_event.clear()
        self.started = (time.perf_counter(), cpu_seconds())

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """Record the epoch's times, then wait for the next turn."""
        wall, cpu = time.perf_counter(), cpu_seconds()
        self.wall.append(wall - self.started[0])
        self.cpu.append(cpu - self.started[1])
        self.ended_event.set()
        self._wait_for_release()

    def one_epoch(self) -> None:
        """Let the run train one epoch (or finish) and wait until it has."""
        self.ended_event.clear()
        self.release_event.set()
        self.ended_event.wait()
        if self.error is not None:
            raise RuntimeError(f"{self.name} failed") from self.error


def run_ours(config: TrainConfig, data):
    """Target for :class:`Turn`: :func:`training.train.train` with the turn as listener."""

    def target(turn: Turn) -> float:
        return train(config, data, listeners=[turn]).history["accuracy"][-1]

    return target


def run_plain(config: TrainConfig, data):
    """Target for :class:`Turn`: a plain ``model.fit`` on NumPy arrays."""
    import keras

    from training.lenet import build_lenet5, compile_lenet5
    from training.pipeline import to_model_input

    x_train, y_train, x_val, y_val = split_validation(
        data.x_train, data.y_train, config.validation_split, config.seed
    )
    x_train, x_val = to_model_input(x_train), to_model_input(x_val)

    def target(turn: Turn) -> float:
        keras.utils.set_random_seed(config.seed)
        model = compile_lenet5(build_lenet5(config), config)
        history = model.fit(
            x_train,
            y_train,
            batch_size=config.batch_size,
            epochs=config.epochs,
            validation_data=(x_val, y_val),
            callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=turn.on_epoch_end)],
            verbose=0,
        )
        return history.history["accuracy"][-1]

    return target


def main(argv: list[str] | None = None) -> int:
    """Time the paths epoch by epoch, print seconds per epoch and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs (after 1 warm-up)")
    parser.add_argument("--batch-size", type=int, default=TrainConfig().batch_size)
    parser.add_argument("--data", help="MNIST .npz (default: $LENET_MNIST, Keras cache, download)")
    parser.add_argument("--skip-aug", action="store_true", help="leave out the augmented run")
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
    n_train = len(split_validation(data.x_train, data.y_train, base.validation_split, 0)[0])
    print(
        f"LeNet-5 ({base.pooling}/{base.activation}/{base.optimizer}), batch {base.batch_size}, "
        f"{n_train} training images, 1 warm-up + {args.epochs} timed epochs taken in turns; "
        f"ours runs {STEPS_PER_EXECUTION} steps per execution"
    )
    print(f"device: {training_device()}, {platform.machine()}, load {os.getloadavg()[0]:.1f}")

    turns = [
        Turn(PLAIN, "plain", run_plain(base, data)),
        Turn(OURS, "ours", run_ours(base, data)),
    ]
    if not args.skip_aug:
        turns.append(Turn(OURS_AUG, "ours+aug", run_ours(augmented, data)))
    for _ in range(base.epochs):
        for turn in turns:
            turn.one_epoch()
    for turn in turns:
        turn.one_epoch()  # let it finish
        turn.thread.join()

    print(f"seconds per timed epoch (load now {os.getloadavg()[0]:.1f}):")
    for turn in turns:
        wall, cpu = turn.wall[1:], turn.cpu[1:]
        epochs = ", ".join(f"{s:.2f}" for s in wall)
        median = statistics.median(wall)
        print(
            f"  {turn.name:<24} median {median:5.2f} s ({n_train / median:6,.0f} images/s), "
            f"best {min(wall):5.2f} s, CPU {statistics.median(cpu):5.2f} s;  "
            f"epochs {epochs};  train acc {turn.accuracy:.4f}"
        )
    plain = turns[0].wall[1:]
    for turn in turns[1:]:
        pairs = [p / o for p, o in zip(plain, turn.wall[1:], strict=True)]
        print(
            f"ratio plain / {turn.short}: median {statistics.median(pairs):.2f} "
            f"(per epoch pair {', '.join(f'{r:.2f}' for r in pairs)}; above 1: ours is faster)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
