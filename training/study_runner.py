"""The work of one study run (train, time, evaluate) and the study's progress bar."""

from __future__ import annotations

import os
import platform
import sys
import time

import numpy as np

import training.train as train_module
from training.config import TrainConfig
from training.train import TrainingListener

ROBUSTNESS_EVALS = 19
"""Test-set passes of ``robustness_curves``: clean, flip, 8 rotations, 9 shifts."""
EVAL_WEIGHT = 0.25
"""Cost of classifying one image relative to training on one, for the progress estimate."""
STEP_OVERHEAD = 32
"""Per-step cost in images: small batches are slower per image, which the ETA allows for."""


class EpochTimer(TrainingListener):
    """Records how long each epoch (with its validation pass) takes."""

    def __init__(self) -> None:
        self.marks: list[float] = []

    def on_train_begin(self, info: dict) -> None:
        """Start the clock."""
        self.marks = [time.perf_counter()]

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """Note the time."""
        self.marks.append(time.perf_counter())

    @property
    def epoch_seconds(self) -> list[float]:
        """Seconds of each finished epoch."""
        return [b - a for a, b in zip(self.marks, self.marks[1:], strict=False)]


def robustness_subset(x: np.ndarray, y: np.ndarray, limit: int | None, seed: int = 0):
    """A seeded random subset of ``limit`` test images (all of them when None or more)."""
    if limit is None or limit >= len(x):
        return x, y
    keep = np.sort(np.random.default_rng(seed).choice(len(x), size=limit, replace=False))
    return x[keep], y[keep]


def steady_epoch_seconds(epoch_seconds: list[float]) -> float:
    """Seconds per epoch: the fastest epoch after the first.

    The first epoch also builds the graph; of the others the fastest is the
    one least slowed down by other programs on the machine (as ``timeit``
    reports the best of its repeats).
    """
    if not epoch_seconds:
        return 0.0
    return float(min(epoch_seconds[1:] or epoch_seconds))


def train_and_evaluate(
    config: TrainConfig, data, robustness_limit: int | None, listeners=()
) -> dict:
    """Train one model of the study and measure it.

    Returns
    -------
    dict
        The run record: ``config``, ``data``, ``device``, ``history``,
        ``epoch_seconds``, ``seconds_per_epoch``, ``train_seconds``,
        ``eval_seconds``, ``test`` (accuracy, per-class accuracy, confusion
        matrix) and ``robustness`` (curves of
        :func:`training.evaluate.robustness_curves`), plain JSON types.
    """
    import keras

    from training.evaluate import evaluate_model, robustness_curves

    timer = EpochTimer()
    result = train_module.train(config, data, listeners=[timer, *listeners])
    started = time.perf_counter()
    test = evaluate_model(result.model, data.x_test, data.y_test)
    test.pop("misclassified", None)
    x_robust, y_robust = robustness_subset(data.x_test, data.y_test, robustness_limit)
    curves = robustness_curves(result.model, x_robust, y_robust)
    eval_seconds = time.perf_counter() - started
    keras.backend.clear_session()
    epochs = timer.epoch_seconds
    return {
        "format": 1,
        "config": config.to_dict(),
        "data": {
            "source": data.source,
            "fingerprint": data.fingerprint,
            "train_images": train_images(config, len(data.x_train)),
            "test_images": int(len(data.x_test)),
            "robustness_images": int(len(x_robust)),
        },
        "device": result.device,
        "host": platform.platform(),
        "epochs_run": result.epochs_run,
        "history": result.history,
        "epoch_seconds": [round(s, 3) for s in epochs],
        "seconds_per_epoch": round(steady_epoch_seconds(epochs), 3),
        "train_seconds": round(result.seconds, 2),
        "eval_seconds": round(eval_seconds, 2),
        "test": test,
        "robustness": curves,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def train_images(config: TrainConfig, available: int) -> int:
    """Images a run trains on: its share of the training set after the validation split."""
    n = min(config.train_limit or available, available)
    return n - max(1, int(round(n * config.validation_split)))


def machine_info() -> dict:
    """What the study ran on: device, processor, cores, OS and library versions."""
    import keras
    import tensorflow as tf

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "device": train_module.training_device(),
        "cpu": cpu,
        "cores": cores,
        "os": platform.platform(),
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class StudyProgress(TrainingListener):
    """A text progress bar with ETA over every run of a study, drawn on stderr.

    Work is counted in training images (small batches weighted up for their
    per-step overhead) plus test images classified; the ETA extrapolates the
    rate of this session.
    """

    def __init__(self, todo: dict, data, robustness_limit, *, enabled=True, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        n_test = len(data.x_test)
        n_robust = min(robustness_limit or n_test, n_test)
        self.eval_units = EVAL_WEIGHT * (n_test + ROBUSTNESS_EVALS * n_robust)
        self.costs = {
            rid: self._train_units(c, len(data.x_train)) + self.eval_units
            for rid, c in todo.items()
        }
        self.total = sum(self.costs.values()) or 1.0
        self.done = 0.0
        self.current = 0.0
        self.index = 0
        self.label = ""
        self.epoch_text = ""
        self.started = time.perf_counter()
        self.last_draw = 0.0

    @staticmethod
    def _train_units(config: TrainConfig, available: int) -> float:
        return (
            config.epochs
            * train_images(config, available)
            * (1 + STEP_OVERHEAD / config.batch_size)
        )

    def start_run(self, rid: str, config: TrainConfig) -> None:
        """A new run begins."""
        self.index += 1
        self.rid = rid
        self.config = config
        self.label = rid.rsplit("-", 1)[0]
        self.current = 0.0
        self.epoch_text = "starting"
        self.draw(force=True)

    def on_batch_end(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        """Advance within the current epoch."""
        per_epoch = (self.costs[self.rid] - self.eval_units) / self.config.epochs
        self.current = per_epoch * (epoch + (step + 1) / max(steps, 1))
        self.epoch_text = f"epoch {epoch + 1}/{self.config.epochs}"
        self.draw()

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """Show the epoch's validation accuracy; in a log, one line per epoch."""
        acc = logs.get("val_accuracy")
        self.epoch_text = f"epoch {epoch + 1}/{self.config.epochs}" + (
            f" val {acc * 100:.1f}%" if acc is not None else ""
        )
        self.draw(force=not self.tty)

    def on_train_end(self, result) -> None:
        """Training is over; evaluation follows."""
        self.current = self.costs[self.rid] - self.eval_units
        self.epoch_text = "evaluating"
        self.draw(force=True)

    def finish_run(self) -> None:
        """The current run is evaluated and saved."""
        self.done += self.costs[self.rid]
        self.current = 0.0
        self.epoch_text = "saved"
        self.draw(force=True)

    def close(self) -> None:
        """End the bar's line."""
        if self.enabled and self.tty and self.index:
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        """The bar as text."""
        fraction = min(1.0, (self.done + self.current) / self.total)
        width = 24
        filled = int(round(fraction * width))
        elapsed = time.perf_counter() - self.started
        eta = elapsed * (1 - fraction) / fraction if fraction > 0.005 else None
        return (
            f"study [{'#' * filled}{'.' * (width - filled)}] {fraction * 100:3.0f}% "
            f"run {self.index}/{len(self.costs)} {self.label} {self.epoch_text} | "
            f"{_clock(elapsed)} elapsed, ETA {_clock(eta) if eta is not None else '?'}"
        )

    def draw(self, force: bool = False) -> None:
        """Redraw (at most four times a second unless forced; in a log only when forced)."""
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and (not self.tty or now - self.last_draw < 0.25):
            return
        self.last_draw = now
        if self.tty:
            self.stream.write("\r" + self.line().ljust(110)[:160])
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
