"""TrainingWorker: runs one retraining job on its own thread and reports through signals."""

from __future__ import annotations

import time

from PySide6.QtCore import Signal

from lenet_desktop.gui.threads import Worker
from lenet_desktop.retrain import RetrainError, RetrainRequest, run_retrain

BATCH_SIGNAL_INTERVAL_S = 0.05
"""At most ~20 batch updates a second reach the GUI, however fast training runs."""
SMOOTHING = 0.1
"""Weight of the newest batch in the smoothed training curves (about a 10-batch window)."""


class _SignalListener:
    """Forwards training progress from the training thread to the worker's signals.

    It has every method of :class:`training.train.TrainingListener` without
    subclassing it: importing :mod:`training.train` imports Keras, and this
    module is imported on the GUI thread when Model → Retrain… first opens.

    Keras reports the mean since the start of the epoch, which plots as a
    saw-tooth; the listener recovers the batches' own values from consecutive
    means and adds an exponential moving average of them (about 10 batches
    wide) as ``smooth_loss`` and ``smooth_accuracy``.
    """

    def __init__(self, worker: TrainingWorker):
        self.worker = worker
        self.last_batch_emit = 0.0
        self.previous_mean: dict[str, tuple[int, float]] = {}
        self.smooth: dict[str, float] = {}

    def on_train_begin(self, info: dict) -> None:
        self.worker.training_started.emit(dict(info))

    def on_batch_end(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        for key in ("loss", "accuracy"):
            if key in logs:
                self._smooth(key, step, float(logs[key]))
        now = time.monotonic()
        if step + 1 < steps and now - self.last_batch_emit < BATCH_SIGNAL_INTERVAL_S:
            return
        self.last_batch_emit = now
        payload = dict(logs)
        payload.update({f"smooth_{key}": value for key, value in self.smooth.items()})
        self.worker.batch_done.emit(epoch, step, steps, payload)

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self.worker.epoch_done.emit(epoch, dict(logs))

    def on_train_end(self, result) -> None:
        """The result reaches the GUI through the worker's ``result`` signal instead."""

    def _smooth(self, key: str, step: int, mean: float) -> None:
        # Keras may report once per group of batches (steps_per_execution), so the value of
        # the batches since the last report is recovered from the two epoch means and counts.
        count = step + 1
        previous_count, previous_mean = self.previous_mean.get(key, (0, 0.0))
        if previous_count >= count:  # a new epoch started
            previous_count, previous_mean = 0, 0.0
        value = (count * mean - previous_count * previous_mean) / (count - previous_count)
        self.previous_mean[key] = (count, mean)
        value = max(0.0, value) if key == "loss" else min(1.0, max(0.0, value))
        weight = 1 - (1 - SMOOTHING) ** (count - previous_count)
        old = self.smooth.get(key)
        self.smooth[key] = value if old is None else old + weight * (value - old)


class TrainingWorker(Worker):
    """Trains, evaluates and saves one model off the GUI thread; stop() asks it to stop."""

    stage = Signal(str)
    """A short description of what the worker is doing now."""
    training_started = Signal(dict)
    """``epochs``, ``steps_per_epoch``, ``device``, ``train_size``, ``val_size``."""
    batch_done = Signal(int, int, int, dict)
    """0-based epoch, 0-based step, steps per epoch, and the logs (throttled): epoch means
    ``loss`` and ``accuracy`` plus ``smooth_loss`` and ``smooth_accuracy``."""
    epoch_done = Signal(int, dict)
    """0-based epoch and its loss, accuracy, val_loss, val_accuracy."""
    result = Signal(object)
    """The :class:`lenet_desktop.retrain.RetrainOutcome` of a finished run."""
    cancelled = Signal()
    """The run stopped on request; nothing was saved."""

    description = "Retraining"
    expected_errors = (RetrainError,)
    """Anything else is a crash: reported too, with the traceback in the log."""

    def __init__(self, request: RetrainRequest):
        super().__init__()
        self.request = request

    def message_for(self, exc: BaseException) -> str:
        """A retraining error is already a sentence; anything else is a crash."""
        if isinstance(exc, RetrainError):
            return str(exc)
        return f"Retraining crashed: {type(exc).__name__}: {exc}"

    def work(self) -> None:
        """Run the job; called on the worker's thread."""
        outcome = run_retrain(
            self.request,
            listeners=[_SignalListener(self)],
            stop_event=self.stop_event,
            progress=self.stage.emit,
        )
        if outcome is None or self.stopping:
            self.cancelled.emit()
        else:
            self.result.emit(outcome)
