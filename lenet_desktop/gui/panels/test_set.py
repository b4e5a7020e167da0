"""What the panels about the whole MNIST test set share: the data, and figures made when shown.

The robustness and model-report panels show figures of the model on the test
set. They come from the model's sidecar when it has them; otherwise (or for
what the sidecar lacks) a :class:`TestSetPanel` computes them in a background
job the first time it is on screen, and a new model supersedes a job still
running.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from lenet_desktop.gui.panels.base import FigurePanel
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import JobSlot, WorkerRegistry
from training.data import DataError
from training.model_io import ModelLoadError

EXPECTED_ERRORS = (DataError, ModelLoadError, OSError, MemoryError)
"""What a user can cause here (no MNIST, a broken file): shown as it is."""
MNIST_ADVICE = "Point LENET_MNIST at an mnist.npz file and load the model again."


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


class TestSetPanel(FigurePanel):
    """Base of the panels of test-set figures: from the sidecar, else computed once shown."""

    __test__ = False  # a widget, not a pytest test class

    job_description = "Computing test-set figures"
    computing_text = "Computing on the MNIST test set…"
    """The status while a job runs (empty: keep the status as it is)."""
    failure_subject = "compute the figures"
    """Completes "Cannot …: <reason>"."""

    def __init__(
        self,
        session: Session,
        workers: WorkerRegistry,
        mnist: SharedMnist | None,
        name: str,
        caption: str = "",
        figsize: tuple[float, float] = (4.4, 6.0),
        hover: bool = True,
        parent: QWidget | None = None,
    ):
        super().__init__(session, name, caption, figsize, hover, parent)
        self.mnist = mnist or SharedMnist()
        self.jobs = JobSlot(workers, self.job_description, expected_errors=EXPECTED_ERRORS)
        self.status = QLabel("")
        self.status.setObjectName(f"{name}Status")
        self.status.setWordWrap(True)
        self._wanted = False

    # -- for subclasses ----------------------------------------------------------------
    def reset(self) -> None:
        """Hook: forget the previous model's figures."""

    def take_model(self, recognizer) -> bool:
        """Hook: show what the sidecar (or a cache) has for ``recognizer``; True to compute."""
        raise NotImplementedError

    def make_job(self, recognizer) -> Callable[[object, threading.Event], object]:
        """Hook: ``job(data, stop)`` computing the figures of ``recognizer`` on MNIST ``data``.

        Made on the GUI thread with everything it needs; it runs on the job's
        thread, so it must touch neither the panel nor any widget.
        """
        raise NotImplementedError

    def take_result(self, recognizer, result) -> None:
        """Hook: show the computed figures."""
        raise NotImplementedError

    def draw(self) -> None:
        """Hook: redraw the figure from the panel's state."""

    # -- the session ------------------------------------------------------------------
    def model_changed(self, recognizer) -> None:
        """Show a new model's figures; compute what it lacks once the panel is on screen."""
        self.jobs.cancel()
        self._wanted = False
        self.reset()
        if recognizer is None:
            self.status.setText("Loading the model…")
        else:
            self._wanted = self.take_model(recognizer)
            if self._wanted and self.on_screen:
                self._start_job()
        self.draw()

    def is_computing(self) -> bool:
        """Whether figures are being computed."""
        return self.jobs.busy()

    def came_on_screen(self) -> None:
        """Start the computation that waited for the panel to be shown."""
        if self._wanted:
            self._start_job()

    def _start_job(self) -> None:
        recognizer, mnist = self.recognizer, self.mnist
        job = self.make_job(recognizer)
        self._wanted = False
        if self.computing_text:
            self.status.setText(self.computing_text)
        self.jobs.start(
            lambda stop: job(mnist.load(), stop),
            lambda result: self._job_done(recognizer, result),
            self._job_failed,
        )

    def _job_done(self, recognizer, result) -> None:
        self.take_result(recognizer, result)
        self.draw()

    def _job_failed(self, message: str) -> None:
        self.status.setText(f"Cannot {self.failure_subject}: {message}\n{MNIST_ADVICE}")
        self.draw()
