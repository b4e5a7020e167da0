"""Background work of the insight panels: probability sweeps and test-set figures.

Workers live on their own ``QThread`` and talk to the panels only through
signals. Long jobs get a ``threading.Event`` they check between batches, so a
panel can stop them (new model, window closing) and join the thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from lenet_desktop.model.probes import (
    CancelledError,
    correct_angle_range,
    rotation_sweep,
    shift_sweep,
)
from training.data import DataError
from training.model_io import ModelLoadError

log = logging.getLogger(__name__)

EXPECTED_ERRORS = (DataError, ModelLoadError, OSError, MemoryError)


class SharedMnist:
    """MNIST loaded once, on first use, from any thread (the panels share one)."""

    def __init__(self, loader=None):
        self._loader = loader
        self._data = None
        self._lock = threading.Lock()

    def load(self):
        """The :class:`training.data.MnistData`; raises ``DataError`` when it cannot be found."""
        with self._lock:
            if self._data is None:
                if self._loader is None:
                    from training.data import load_mnist

                    self._data = load_mnist()
                else:
                    self._data = self._loader()
            return self._data


class JobWorker(QObject):
    """Runs one function on a background thread and reports its result or a message."""

    finished = Signal(object, object)
    """(token, result) when the function returned."""
    failed = Signal(object, str)
    """(token, message) when it raised; the message is for the user."""
    done = Signal()
    """Always emitted last, whatever happened."""

    def __init__(self, function, token=None):
        super().__init__()
        self._function = function
        self.token = token
        self.stop = threading.Event()

    @Slot()
    def run(self) -> None:
        """Call the function with the stop event and emit what came of it."""
        try:
            result = self._function(self.stop)
        except CancelledError:
            pass
        except EXPECTED_ERRORS as exc:
            self.failed.emit(self.token, str(exc) or type(exc).__name__)
        except Exception as exc:  # report, with the traceback in the log
            log.exception("background job failed")
            self.failed.emit(self.token, f"unexpected error: {exc}")
        else:
            if not self.stop.is_set():
                self.finished.emit(self.token, result)
        finally:
            self.done.emit()


class BackgroundJob:
    """A :class:`JobWorker` on its own thread, stopped cooperatively and joined."""

    def __init__(self, function, token, on_finished, on_failed):
        self.thread = QThread()
        self.worker = JobWorker(function, token)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(on_finished)
        self.worker.failed.connect(on_failed)
        self.worker.done.connect(self.thread.quit)
        self.thread.start()

    @property
    def token(self):
        """What the job was started for (the panel ignores results of stale tokens)."""
        return self.worker.token

    def is_running(self) -> bool:
        """Whether the thread is still working."""
        return self.thread.isRunning()

    def cancel(self) -> None:
        """Ask the job to stop at its next check, without waiting."""
        self.worker.stop.set()

    def stop(self) -> None:
        """Ask the job to stop, then wait for its thread to end."""
        self.cancel()
        self.thread.quit()
        self.thread.wait()


class JobRunner:
    """Runs one background job at a time for a panel.

    Starting a new job cancels the current one without blocking the GUI; the
    cancelled job is kept (and its thread alive) until it has ended, and
    :meth:`shutdown` joins every thread still running.
    """

    def __init__(self):
        self.current: BackgroundJob | None = None
        self._retired: list[BackgroundJob] = []

    def start(self, function, token, on_finished, on_failed) -> None:
        """Cancel the current job and start ``function(stop_event)`` on a new thread."""
        self.cancel()
        self.current = BackgroundJob(function, token, on_finished, on_failed)

    def cancel(self) -> None:
        """Cancel the current job (results of cancelled jobs are never delivered)."""
        if self.current is not None:
            self.current.cancel()
            self._retired.append(self.current)
            self.current = None
        self._retired = [job for job in self._retired if job.is_running()]

    def busy(self) -> bool:
        """Whether the current job is still running."""
        return self.current is not None and self.current.is_running()

    def shutdown(self) -> None:
        """Cancel everything and wait for every thread to end."""
        self.cancel()
        for job in self._retired:
            job.stop()
        self._retired = []


@dataclass
class SweepRequest:
    """What the explorer wants curves of: one digit, the slider settings, which sweeps."""

    token: int
    recognizer: object
    digit: np.ndarray
    angle: float
    dx: float
    dy: float
    flip: bool
    angles: np.ndarray
    shifts: np.ndarray
    which: tuple[str, ...]
    """Any of ``"rotation"``, ``"x"``, ``"y"``."""


class SweepWorker(QObject):
    """Computes the explorer's probability-against-rotation / shift curves off the GUI thread."""

    finished = Signal(object)
    """A dict: ``token``, the curves asked for and, with rotation, ``label`` and ``range``."""

    @Slot(object)
    def compute(self, request: SweepRequest) -> None:
        """Run the requested sweeps (each one batched call) and emit the curves."""
        result = {"token": request.token}
        rec, digit = request.recognizer, request.digit
        if "rotation" in request.which:
            probs = rotation_sweep(
                rec, digit, request.angles, dx=request.dx, dy=request.dy, flip=request.flip
            )
            centre = int(np.argmin(np.abs(request.angles)))
            label = int(np.argmax(probs[centre]))
            result["rotation"] = probs
            result["label"] = label
            result["range"] = correct_angle_range(probs, request.angles, label)
        for axis in ("x", "y"):
            if axis in request.which:
                result[axis] = shift_sweep(
                    rec,
                    digit,
                    request.shifts,
                    axis,
                    angle=request.angle,
                    dx=request.dx,
                    dy=request.dy,
                    flip=request.flip,
                )
        self.finished.emit(result)
