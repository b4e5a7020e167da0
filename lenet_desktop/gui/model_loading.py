"""Loading models into the session, and remembering the one in use between runs.

A model the user retrained, fine-tuned on their handwriting or loaded from a
file stays in use after a restart: the path of the model in use is kept in
the settings (``model_path``; empty for the shipped model) and loaded at
start. When it has gone missing or no longer loads, the shipped model is
used instead and the user is told so, in the status bar and in a message that
does not block the window.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from lenet_desktop.gui import settings
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import JobSlot, WorkerRegistry
from training.model_io import ModelLoadError


def load_recognizer(path: str | os.PathLike):
    """The job of the model loader, off the GUI thread (TensorFlow only for a model the
    NumPy engine cannot run)."""
    from lenet_desktop.model import Recognizer

    return Recognizer.from_file(path)


def remembered_model() -> Path | None:
    """The model that was in use when the app last ran, or ``None`` for the shipped one."""
    saved = str(settings.read_settings()["model_path"])
    return Path(saved) if saved else None


class ModelLoader(QObject):
    """Loads models in a worker, hands them to the session, and keeps the one in use."""

    loading = Signal()
    """A load started (the status bar says so)."""
    failed = Signal(str, str)
    """(title, message) of a load that failed; the model in use, if any, stays."""
    fell_back = Signal(str)
    """The remembered model could not be used: why, and that the shipped one is used."""

    def __init__(self, session: Session, workers: WorkerRegistry, shipped: Path, parent=None):
        super().__init__(parent)
        self.session = session
        self.shipped = Path(shipped)
        self._slot = JobSlot(workers, "Loading the model", (ModelLoadError, OSError))
        session.recognizer_changed.connect(self._remember)

    def busy(self) -> bool:
        """Whether a model is being loaded."""
        return self._slot.busy()

    def load_at_start(self, path: str | os.PathLike | None = None) -> None:
        """Load ``path``, else the model in use last time, else the shipped model."""
        if path is not None:
            self.load(path)
            return
        remembered = remembered_model()
        if remembered is None or remembered.resolve() == self.shipped.resolve():
            self.load(self.shipped)
        elif not remembered.is_file():
            self._fall_back(f"The model you used last, {remembered}, was not found.")
        else:
            self.load(remembered, on_failure=self._remembered_failed(remembered))

    def load(self, path: str | os.PathLike, on_failure=None) -> bool:
        """Load ``path`` in a worker; False (and nothing starts) while another load runs."""
        if self._slot.busy():
            return False
        self._start(path, on_failure or self._failed)
        return True

    def _start(self, path, on_failure) -> None:
        self.loading.emit()
        self._slot.start(
            lambda _stop: load_recognizer(path), self.session.set_recognizer, on_failure
        )

    def _failed(self, message: str) -> None:
        self.failed.emit("Cannot load model", message)

    def _remembered_failed(self, path: Path):
        def failed(message: str) -> None:
            self._fall_back(f"The model you used last, {path}, could not be loaded: {message}")

        return failed

    def _fall_back(self, why: str) -> None:
        # At the next turn, after the worker registry has put the raw error in the status bar.
        text = f"{why} Using the shipped model instead."
        QTimer.singleShot(0, lambda: self.fell_back.emit(text))
        # Called from the failed job's own error callback, while the slot still holds it.
        self._start(self.shipped, self._failed)

    def _remember(self, recognizer) -> None:
        path = getattr(recognizer, "path", None)
        if recognizer is None or path is None:
            return
        path = Path(path).resolve()
        value = "" if path == self.shipped.resolve() else str(path)
        if settings.read_settings()["model_path"] != value:
            settings.write_settings({"model_path": value})
