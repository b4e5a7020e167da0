"""TrainingWorker: runs one retraining job on its own QThread and reports through signals."""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from lenet_desktop.retrain import RetrainError, RetrainRequest, run_retrain
from training.train import TrainingListener

log = logging.getLogger(__name__)

BATCH_SIGNAL_INTERVAL_S = 0.05
"""At most ~20 batch updates a second reach the GUI, however fast training runs."""
SMOOTHING = 0.1
"""Weight of the newest batch in the smoothed training curves (about a 10-batch window)."""


class _SignalListener(TrainingListener):
    """Forwards training progress from the training thread to the worker's signals.

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


class TrainingWorker(QObject):
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
    succeeded = Signal(object)
    """The :class:`lenet_desktop.retrain.RetrainOutcome` of a finished run."""
    cancelled = Signal()
    failed = Signal(str)
    """A message for the user; nothing was saved and the current model is untouched."""
    done = Signal()
    """Emitted last, whatever the outcome."""

    def __init__(self, request: RetrainRequest):
        super().__init__()
        self.request = request
        self.stop_event = threading.Event()

    def stop(self) -> None:
        """Ask the run to stop at the next batch report (safe to call from any thread)."""
        self.stop_event.set()

    @Slot()
    def run(self) -> None:
        """Run the job; called on the worker's thread."""
        try:
            outcome = run_retrain(
                self.request,
                listeners=[_SignalListener(self)],
                stop_event=self.stop_event,
                progress=self.stage.emit,
            )
        except RetrainError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # the thread boundary: never die silently
            log.exception("retraining crashed")
            self.failed.emit(f"Retraining crashed: {type(exc).__name__}: {exc}")
        else:
            if outcome is None:
                self.cancelled.emit()
            else:
                self.succeeded.emit(outcome)
        finally:
            self.done.emit()


def start_worker(worker: TrainingWorker, on_finished=None) -> QThread:
    """Move ``worker`` to a new QThread, start it, and quit the thread when the worker is done.

    ``on_finished`` is connected to ``thread.finished`` before the thread starts,
    so even a run that fails at once reports its end. The caller keeps both
    objects alive until then.
    """
    thread = QThread()
    thread.setObjectName("TrainingThread")
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # Direct: the GUI thread may be blocked in thread.wait() while the window closes,
    # so the quit must not wait for its event loop.
    worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    if on_finished is not None:
        thread.finished.connect(on_finished)
    thread.start()
    return thread
