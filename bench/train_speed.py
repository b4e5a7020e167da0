"""Seconds per MNIST epoch: our training path, a plain ``model.fit`` and a plain PyTorch loop.

All runs train the same LeNet-5 (``TrainConfig`` defaults: max pooling,
ReLU, Adam) with the same batch size on the same train / validation split
of a fixed subset (``--limit``, default the first 10,000 MNIST training
images; ``training.train.split_validation``), and all validate once per
epoch, so the only difference is the input path and the way training is
driven:

* ``plain``: ``model.fit(x_numpy, y_numpy, batch_size=..., validation_data=...)``
  on float32 arrays, compiled with Keras defaults;
* ``ours``: :func:`training.train.train` (``tf.data`` pipeline, several steps
  per execution, listeners, early stopping, learning-rate schedule),
  augmentation off;
* ``ours+aug``: the same with the shipped model's augmentation switched on;
* ``ours-bf16``: ``ours`` with the layers computing in bfloat16 (float32
  weights, :mod:`training.precision`), where the hardware computes bfloat16
  natively (what ``precision="auto"`` then picks); ``ours`` and ``ours+aug``
  are float32 unless ``--precision bfloat16``;
* ``torch``: where PyTorch happens to be installed (it is not a
  dependency), the same network, batch size and optimizer in a plain PyTorch
  loop (:mod:`bench.torch_lenet`), once with PyTorch's default threads and
  once on one thread; ours is compared with the faster of the two in each
  round (on a busy machine the default's OpenMP threads stall each other and
  one thread wins by far).

Each run trains ``1 + --epochs`` epochs; the first is a warm-up (tracing,
graph building) and is not timed. The runs take turns epoch by epoch (each
waits at the end of its epoch while the others train one), so a burst of
other work on a shared machine slows neighbouring epochs of every run alike
and the ratios, taken epoch pair by epoch pair, stay fair. An epoch's time
runs from its release to its end, so it includes validation and the
per-epoch callbacks. CPU seconds (this process, all threads) are printed
too: on a busy machine they vary less than wall time. The training rate
is also given as a share of the CPU's float32 peak (:mod:`bench.cpu_peak`),
taking LeNet-5 training as 2.5 MFLOP per image (forward 0.83 MFLOP: C1
0.24, C3 0.48, the dense layers 0.12; backward about twice that).

Usage::

    python bench/train_speed.py [--epochs 3] [--limit 10000] [--batch-size 128] [--data F]
                                [--precision both|float32|bfloat16]
                                [--skip-aug] [--skip-plain] [--skip-torch]
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

from bench.cpu_peak import cpu_peak  # noqa: E402
from bench.torch_lenet import torch_available, train_torch  # noqa: E402
from training.config import Augmentation, TrainConfig, shipped_config  # noqa: E402
from training.data import load_mnist  # noqa: E402
from training.precision import resolve_precision  # noqa: E402
from training.train import (  # noqa: E402
    STEPS_PER_EXECUTION,
    TrainingListener,
    split_validation,
    train,
    training_device,
)

PLAIN, OURS, OURS_AUG = "plain model.fit (NumPy)", "ours: train()", "ours: train() + aug"
OURS_BF16 = "ours: train(), bfloat16"
TORCH, TORCH_1 = "PyTorch loop", "PyTorch loop, 1 thread"
FLOP_PER_IMAGE = 2.5e6
"""LeNet-5 training FLOP per image (forward and backward)."""


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

    x_train, y_train, x_val, y_val = _subset(config, data)
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


def _subset(config: TrainConfig, data):
    """The train / validation split ``train(config, data)`` uses."""
    x, y = data.x_train, data.y_train
    if config.train_limit is not None:
        x, y = x[: config.train_limit], y[: config.train_limit]
    return split_validation(x, y, config.validation_split, config.seed)


def run_torch(config: TrainConfig, data, threads: int | None = None):
    """Target for :class:`Turn`: the plain PyTorch loop of :mod:`bench.torch_lenet`."""
    x_train, y_train, x_val, y_val = _subset(config, data)

    def target(turn: Turn) -> float:
        return train_torch(
            x_train,
            y_train,
            x_val,
            y_val,
            batch_size=config.batch_size,
            epochs=config.epochs,
            lr=config.learning_rate,
            seed=config.seed,
            on_epoch_end=turn.on_epoch_end,
            threads=threads,
        )

    return target


def _report(turns: list[Turn], n_train: int) -> None:
    """Print seconds per timed epoch, images per second and the share of the FLOP peak."""
    peak = cpu_peak()
    print(f"seconds per timed epoch (load now {_load()}):")
    for turn in turns:
        wall, cpu = turn.wall[1:], turn.cpu[1:]
        median = statistics.median(wall)
        rate = n_train / median
        share = f", {rate * FLOP_PER_IMAGE / peak.flops:5.1%} of peak" if peak else ""
        print(
            f"  {turn.name:<24} median {median:5.2f} s ({rate:6,.0f} images/s{share}), "
            f"best {min(wall):5.2f} s, CPU {statistics.median(cpu):5.2f} s;  "
            f"epochs {', '.join(f'{s:.2f}' for s in wall)};  train acc {turn.accuracy:.4f}"
        )
    if peak:
        print(
            f"FLOP peak {peak.flops / 1e9:.0f} GFLOP/s = {peak.how}; "
            f"LeNet-5 training taken as {FLOP_PER_IMAGE / 1e6:.1f} MFLOP per image"
        )
    wall = {turn.short: turn.wall[1:] for turn in turns}
    cpu = {turn.short: turn.cpu[1:] for turn in turns}
    if "torch" in wall:  # the faster PyTorch loop of each epoch
        faster = [
            ("torch", i) if wall["torch"][i] <= wall["torch-1t"][i] else ("torch-1t", i)
            for i in range(len(wall["torch"]))
        ]
        wall["best torch"] = [wall[short][i] for short, i in faster]
        cpu["best torch"] = [cpu[short][i] for short, i in faster]
    pairs = [("ours", "plain"), ("ours-bf16", "plain"), ("ours+aug", "plain")]
    pairs += [("ours", "best torch"), ("ours-bf16", "best torch"), ("ours+aug", "best torch")]
    for ours, other in pairs:
        if ours in wall and other in wall:
            ratios = [o / p for o, p in zip(wall[ours], wall[other], strict=True)]
            cpu_ratio = statistics.median(cpu[ours]) / statistics.median(cpu[other])
            print(
                f"ratio {ours} / {other} epoch time: median {statistics.median(ratios):.2f} "
                f"(per epoch pair {', '.join(f'{r:.2f}' for r in ratios)}; below 1: ours is "
                f"faster); CPU seconds {cpu_ratio:.2f}"
            )


def _load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg()) + " (1/5/15 min)"


def main(argv: list[str] | None = None) -> int:
    """Time the paths epoch by epoch, print seconds per epoch and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs (after 1 warm-up)")
    parser.add_argument("--limit", type=int, default=10_000, help="MNIST training images used")
    parser.add_argument("--batch-size", type=int, default=TrainConfig().batch_size)
    parser.add_argument("--data", help="MNIST .npz (default: $LENET_MNIST, Keras cache, download)")
    parser.add_argument(
        "--precision",
        choices=("both", "float32", "bfloat16"),
        help="our runs in float32, in bfloat16, or both (default: both where the hardware "
        "computes bfloat16 natively, else float32)",
    )
    parser.add_argument("--skip-aug", action="store_true", help="leave out the augmented run")
    parser.add_argument("--skip-plain", action="store_true", help="leave out plain model.fit")
    parser.add_argument("--skip-torch", action="store_true", help="leave out the PyTorch loop")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    if args.limit < 100:
        parser.error("--limit must be at least 100 images")

    data = load_mnist(args.data)
    precision = args.precision or ("both" if resolve_precision("auto") == "bfloat16" else "float32")
    base = TrainConfig(
        batch_size=args.batch_size,
        epochs=args.epochs + 1,
        augmentation=Augmentation(),
        train_limit=min(args.limit, len(data.x_train)),
        precision="bfloat16" if precision == "bfloat16" else "float32",
    )
    augmented = TrainConfig.from_dict(
        {**base.to_dict(), "augmentation": shipped_config().augmentation.__dict__}
    )
    n_train = len(_subset(base, data)[0])
    with_torch = not args.skip_torch and torch_available()
    print(
        f"LeNet-5 ({base.pooling}/{base.activation}/{base.optimizer}), batch {base.batch_size}, "
        f"{n_train} training images, 1 warm-up + {args.epochs} timed epochs taken in turns; "
        f"ours runs {STEPS_PER_EXECUTION} steps per execution"
    )
    print(f"device: {training_device()}, {platform.machine()}, load {_load()}")
    print(f"our runs in: {precision}")
    if with_torch:
        import torch

        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    elif not args.skip_torch:
        print("PyTorch is not installed: no PyTorch loop to compare with")

    turns = []
    if not args.skip_plain:
        turns.append(Turn(PLAIN, "plain", run_plain(base, data)))
    turns.append(Turn(OURS, "ours", run_ours(base, data)))
    if precision == "both":
        bf16 = TrainConfig.from_dict({**base.to_dict(), "precision": "bfloat16"})
        turns.append(Turn(OURS_BF16, "ours-bf16", run_ours(bf16, data)))
    if not args.skip_aug:
        turns.append(Turn(OURS_AUG, "ours+aug", run_ours(augmented, data)))
    if with_torch:
        turns.append(Turn(TORCH, "torch", run_torch(base, data)))
        turns.append(Turn(TORCH_1, "torch-1t", run_torch(base, data, threads=1)))
    for _ in range(base.epochs):
        for turn in turns:
            turn.one_epoch()
    for turn in turns:
        turn.one_epoch()  # let it finish
        turn.thread.join()
    _report(turns, n_train)
    return 0


if __name__ == "__main__":
    sys.exit(main())
