"""The Photo tab: a photo of handwritten digits with every digit boxed and read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_desktop.gui.inputs.camera import crop_of
from lenet_desktop.gui.inputs.capture import start_detection, stop_worker
from lenet_desktop.gui.inputs.frame_view import CameraViewWidget

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm);;All files (*)"


class PhotoPanel(QWidget):
    """Shows an opened photo with the digits read in it; detection runs in a worker."""

    digit_chosen = Signal(object, object)
    """A clicked digit: (ReadDigit, frame crop as grey uint8)."""
    reading_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = CameraViewWidget("photoView")
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
        self._generation = 0
        self._recognizer = None
        self._slot, self._detector, self._thread = start_detection()
        self._detector.detected.connect(self._show_detection)
        self.view.digit_clicked.connect(self._digit_clicked)

    def set_image(self, image: np.ndarray, path: str | Path | None = None) -> None:
        """Show ``image`` (BGR or grey uint8) and read the digits in it (in the worker)."""
        self.image = image
        self.path = Path(path) if path is not None else None
        self.view.set_frame(image)
        self.view.set_message("")
        self.summary.setText(f"{self.path.name if self.path else 'Photo'}: reading digits…")
        self._submit()

    def set_recognizer(self, recognizer) -> None:
        """Read with ``recognizer`` from now on; the photo shown is read again."""
        self._recognizer = recognizer
        self._detector.recognizer = recognizer
        if self.image is not None:
            self._submit()

    def shutdown(self) -> None:
        """Stop the detection thread."""
        stop_worker(self._detector, self._thread)

    def _submit(self) -> None:
        self._generation += 1
        if self._recognizer is None:
            self.summary.setText("Waiting for the model to load…")
            return
        self._slot.put((self.image, self._generation))

    @Slot(object, object, object)
    def _show_detection(self, frame, reading, tag) -> None:
        try:
            if tag != self._generation:
                return
            self.view.set_frame(self.image, reading.digits, reading.text)
            name = self.path.name if self.path else "Photo"
            count = len(reading.digits)
            if count:
                self.summary.setText(
                    f"{name}: {count} digit{'s' if count != 1 else ''}, reads {reading.text}. "
                    "Click a digit to explain it."
                )
            else:
                self.summary.setText(f"{name}: no digits found.")
                self.view.set_message("No digits found in this image.")
            self.reading_shown.emit(reading)
        finally:
            self._detector.acknowledge()

    @Slot(int)
    def _digit_clicked(self, index: int) -> None:
        self.digit_chosen.emit(self.view.digits()[index], crop_of(self.view, index))
