"""The progress of a whole study, drawn with :mod:`rich.progress` on stderr.

In a terminal it is one live bar (percentage, current run and epoch, elapsed
time, time remaining); in a log (stderr redirected to a file) it is one plain
line per run start, epoch and finished run, so the log stays readable.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from training.config import TrainConfig
from training.study.plan import ROBUSTNESS_EVALS, train_images
from training.train import TrainingListener

EVAL_WEIGHT = 0.25
"""Cost of classifying one image relative to training on one, for the progress estimate."""
STEP_OVERHEAD = 32
"""Per-step cost in images: small batches are slower per image, which the ETA allows for."""
REDRAW_SECONDS = 0.25
"""A terminal bar is redrawn at most this often (more would only cost time)."""
ETA_WINDOW_SECONDS = 600.0
"""The time remaining extrapolates the rate of the last ten minutes (rich's default is 30 s,
too short for a study whose runs alternate training and evaluation)."""


def run_cost(config: TrainConfig, train_available: int, eval_images: float) -> tuple[float, float]:
    """Work of one run as (training units, evaluation units), in images trained on.

    Small batches are weighted up for their per-step overhead, and classifying
    an image counts :data:`EVAL_WEIGHT` of training on one.
    """
    training = (
        config.epochs
        * train_images(config, train_available)
        * (1 + STEP_OVERHEAD / config.batch_size)
    )
    return training, EVAL_WEIGHT * eval_images


def eval_images(test_size: int, robustness_limit: int | None) -> int:
    """Images a run classifies after training: the test set plus the robustness passes."""
    robust = min(robustness_limit or test_size, test_size)
    return test_size + ROBUSTNESS_EVALS * robust


def clock(seconds: float | None) -> str:
    """``M:SS`` or ``H:MM:SS``; ``?`` when unknown."""
    if seconds is None:
        return "?"
    seconds = int(max(0, seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class StudyProgress(TrainingListener):
    """Progress over every run of a study, as a rich bar in a terminal or log lines elsewhere.

    Parameters
    ----------
    costs : dict
        Run id to (training units, evaluation units), see :func:`run_cost`.
    enabled : bool
        False draws nothing.
    console : rich.console.Console, optional
        Where to draw; by default stderr.
    """

    def __init__(self, costs: dict[str, tuple[float, float]], *, enabled=True, console=None):
        self.costs = dict(costs)
        self.enabled = enabled
        self.console = console or Console(stderr=True)
        self.live = self.enabled and self.console.is_terminal
        self.progress = Progress(
            TextColumn("study"),
            BarColumn(bar_width=24),
            TaskProgressColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            auto_refresh=False,
            speed_estimate_period=ETA_WINDOW_SECONDS,
        )
        total = sum(sum(cost) for cost in self.costs.values()) or 1.0
        self.task = self.progress.add_task("", total=total)
        self.done = 0.0
        self.index = 0
        self.rid = ""
        self.label = ""
        self.epochs = 1
        self.status = ""
        self.last_draw = 0.0
        if self.live:
            self.progress.start()

    def start_run(self, rid: str, config: TrainConfig) -> None:
        """A new run begins."""
        self.index += 1
        self.rid = rid
        self.label = rid.rsplit("-", 1)[0]
        self.epochs = config.epochs
        self.status = "starting"
        self._advance(0.0, force=True)

    def on_batch_end(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        """Advance within the current epoch."""
        per_epoch = self.costs[self.rid][0] / self.epochs
        self.status = f"epoch {epoch + 1}/{self.epochs}"
        self._advance(per_epoch * (epoch + (step + 1) / max(steps, 1)))

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """Show the epoch's validation accuracy; in a log, one line per epoch."""
        acc = logs.get("val_accuracy")
        self.status = f"epoch {epoch + 1}/{self.epochs}" + (
            f" val {acc * 100:.1f}%" if acc is not None else ""
        )
        per_epoch = self.costs[self.rid][0] / self.epochs
        self._advance(per_epoch * (epoch + 1), force=True)

    def on_train_end(self, result) -> None:
        """Training is over; evaluation follows."""
        self.status = "evaluating"
        self._advance(self.costs[self.rid][0], force=True)

    def finish_run(self) -> None:
        """The current run is evaluated and saved."""
        self.done += sum(self.costs[self.rid])
        self.status = "saved"
        self._advance(0.0, force=True)

    def close(self) -> None:
        """Stop the live bar (its last state stays on screen)."""
        if self.live:
            self.progress.stop()
            self.live = False

    def description(self) -> str:
        """What the bar says besides its figures: run number, run name, epoch."""
        return f"run {self.index}/{len(self.costs)} {self.label} {self.status}"

    def line(self) -> str:
        """The progress as one line of plain text (what a log gets)."""
        task = self.progress.tasks[0]
        return (
            f"study {task.percentage:3.0f}% {self.description()} | "
            f"{clock(task.elapsed)} elapsed, ETA {clock(task.time_remaining)}"
        )

    def _advance(self, within_run: float, force: bool = False) -> None:
        if not self.enabled:
            return
        self.progress.update(
            self.task, completed=self.done + within_run, description=self.description()
        )
        now = time.perf_counter()
        if self.live:
            if force or now - self.last_draw >= REDRAW_SECONDS:
                self.last_draw = now
                self.progress.refresh()
        elif force:
            self.console.print(self.line(), soft_wrap=True, highlight=False, markup=False)
