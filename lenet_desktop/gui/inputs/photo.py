"""The Photo tab: a photo of handwritten digits with every digit boxed and read.

Each photo is read by its own job (:class:`lenet_desktop.gui.threads.JobSlot`):
a new photo, or a new model, supersedes a read still in progress, whose
result is dropped, so a slow photo never holds up the next one or the window.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_desktop.gui.inputs.camera import CLICK_HINT, CLICKED, clicked_digit_steps
from lenet_desktop.gui.inputs.frame_view import FrameViewWidget
from lenet_desktop.gui.inputs.tab import InputTab
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import JobSlot, WorkerRegistry

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm);;All files (*)"


def _read_photo(recognizer, image: np.ndarray):
    """The job: every digit of ``image`` (runs on the job's thread)."""
    from lenet_desktop.model.reading import read_frame

    return read_frame(recognizer, image)


class PhotoPanel(InputTab):
    """Shows an opened photo with the digits read in it; each read runs in a worker."""

    def __init__(self, session: Session, workers: WorkerRegistry, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.view = FrameViewWidget("photoView")
        self.view.set_message(
            "Open a photo of handwritten digits (File → Open image…, Ctrl+O)\n"
            "or drop an image file here."
        )
        self.open_button = QPushButton("Open image…")
        self.open_button.setObjectName("openImageButton")
        self.summary = QLabel("")
        self.summary.setObjectName("photoSummary")
        self.summary.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.open_button)
        bar.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        self.path: Path | None = None
        self.image: np.ndarray | None = None
        self._reads = JobSlot(
            workers, "Reading the photo", expected_errors=(ValueError, MemoryError)
        )
        self.view.digit_clicked.connect(self._digit_clicked)
        session.recognizer_changed.connect(self._recognizer_changed)

    def became_active(self) -> None:
        """Nothing is explained until a digit is clicked."""
        self.session.show_nothing(CLICK_HINT)

    def set_image(self, image: np.ndarray, path: str | Path | None = None) -> None:
        """Show ``image`` (grey, BGR or BGRA, any depth) and read the digits in it in a worker."""
        self.image = image
        self.path = Path(path) if path is not None else None
        self.view.set_frame(image)
        self.view.set_message("")
        self._read()

    def is_reading(self) -> bool:
        """Whether the photo shown is being read."""
        return self._reads.busy()

    def _name(self) -> str:
        return self.path.name if self.path else "Photo"

    def _recognizer_changed(self, _recognizer) -> None:
        if self.image is not None:
            self._read()

    def _read(self) -> None:
        recognizer, image = self.session.recognizer, self.image
        if recognizer is None:
            self._reads.cancel()
            self.summary.setText("Waiting for the model to load…")
            return
        self.summary.setText(f"{self._name()}: reading digits…")
        self._reads.start(
            lambda _stop: _read_photo(recognizer, image), self._show_reading, self._read_failed
        )

    def _show_reading(self, reading) -> None:
        self.view.set_frame(self.image, reading.digits, reading.text)
        count = len(reading.digits)
        if count:
            self.summary.setText(
                f"{self._name()}: {count} digit{'s' if count != 1 else ''}, reads {reading.text}. "
                "Click a digit to explain it."
            )
        else:
            self.summary.setText(f"{self._name()}: no digits found.")
            self.view.set_message("No digits found in this image.")

    def _read_failed(self, message: str) -> None:
        self.view.set_frame(self.image)
        self.summary.setText(f"{self._name()}: cannot be read ({message}). Try another photo.")
        self.view.set_message("This image could not be read.")

    def _digit_clicked(self, index: int) -> None:
        read = self.view.digits()[index]
        steps = clicked_digit_steps(self.view, index, read)
        self.session.show_input(read.digit, steps, CLICKED)
