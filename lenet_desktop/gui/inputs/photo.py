"""The Photo tab: a photo of handwritten digits with every digit boxed and read.

Nothing slow runs on the GUI thread. A file is decoded by one job (with a
smaller copy made to paint), its digits are read by another (each a
:class:`lenet_desktop.gui.threads.JobSlot`): a new photo, or a new model,
supersedes a decode or read still in progress, whose result is dropped, so a
slow or huge photo never holds up the next one or the window. While a job
runs the tab says so; a file that cannot be opened says why, in the tab.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_desktop.gui.file_dialogs import remember_folder
from lenet_desktop.gui.inputs.camera import CLICK_HINT, CLICKED, clicked_digit_steps
from lenet_desktop.gui.inputs.frame_view import FrameViewWidget
from lenet_desktop.gui.inputs.reading_overlay import reading_summary
from lenet_desktop.gui.inputs.tab import InputTab
from lenet_desktop.gui.recent_files import add_recent
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import JobSlot, WorkerRegistry

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm);;All files (*)"
PREVIEW_SIDE = 2048
"""The longest side of the copy of a photo that is painted (boxes stay in photo pixels)."""


def display_preview(image: np.ndarray, side: int = PREVIEW_SIDE) -> np.ndarray:
    """``image`` as uint8 grey or BGR to paint, shrunk to at most ``side`` pixels (no Qt)."""
    import cv2

    from lenet_desktop.vision.convert import to_display8

    shown = to_display8(image)
    height, width = shown.shape[:2]
    scale = side / max(height, width)
    if scale >= 1:
        return shown
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(shown, size, interpolation=cv2.INTER_AREA)


def _open_photo(path: Path):
    """The job: ``(image, preview)`` of the file, or the reason it cannot be opened (a str)."""
    from lenet_desktop.vision import io

    try:
        image = io.read_image(path)
        return image, display_preview(image)
    except io.ImageReadError as exc:
        return exc.reason
    except MemoryError:
        return "not enough memory to open this image"


def _read_photo(recognizer, image: np.ndarray):
    """The job: every digit of ``image`` (runs on the job's thread)."""
    from lenet_desktop.model.reading import read_frame

    return read_frame(recognizer, image)


class PhotoPanel(InputTab):
    """Shows an opened photo with the digits read in it; decoding and reading run in workers."""

    notice = Signal(str)
    """A line for the status bar (a file that could not be opened)."""

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
        self.name = ""
        """What the photo is called in the summary (its file name, or "Pasted image")."""
        self.preview: np.ndarray | None = None
        self._opens = JobSlot(workers, "Opening the photo", expected_errors=(ValueError,))
        self._reads = JobSlot(
            workers, "Reading the photo", expected_errors=(ValueError, MemoryError)
        )
        self.view.digit_clicked.connect(self._digit_clicked)
        session.recognizer_changed.connect(self._recognizer_changed)

    def became_active(self) -> None:
        """Nothing is explained until a digit is clicked; the number read is said."""
        self.session.show_nothing(self._hint())

    def open_file(self, path: str | Path) -> None:
        """Open the image file at ``path`` in a worker, then read its digits in another.

        The previous photo goes at once and the tab says the file is being read; a
        file that cannot be opened says why in the tab (and in :attr:`notice`).
        Once opened, the file is a recent file and its folder the next dialog's.
        """
        self._forget_photo()
        self.path = Path(path)
        self.name = self.path.name
        self.view.set_message(f"Reading {self.name}…")
        self.summary.setText(f"{self.name}: opening the image…")
        path = self.path
        self._opens.start(lambda _stop: _open_photo(path), self._opened)

    def set_image(
        self,
        image: np.ndarray,
        path: str | Path | None = None,
        name: str | None = None,
        preview: np.ndarray | None = None,
    ) -> None:
        """Show ``image`` (grey, BGR or BGRA, any depth) and read the digits in it in a worker.

        The digit explained from the previous photo goes: nothing of that photo is left
        in the answer, the panels or "Correct it". ``preview``: what to paint (see
        :func:`display_preview`), made here when not given.
        """
        self._opens.cancel()
        self.image = image
        self.preview = preview if preview is not None else display_preview(image)
        self.path = Path(path) if path is not None else None
        self.name = name or (self.path.name if self.path else "Photo")
        self.view.select(-1)
        self.view.set_frame(image, preview=self.preview)
        self.view.set_message("")
        session = self.session
        if self.active and (session.explanation is not None or session.hint != CLICK_HINT):
            # Only when something is shown: every view redraws for the empty answer.
            session.show_nothing(CLICK_HINT)
        self._read()

    def is_opening(self) -> bool:
        """Whether a file is being opened (decoded)."""
        return self._opens.busy()

    def is_reading(self) -> bool:
        """Whether the photo shown is being read."""
        return self._reads.busy()

    def _forget_photo(self) -> None:
        self._opens.cancel()
        self._reads.cancel()
        self.image = self.preview = None
        self.view.select(-1)
        self.view.set_frame(None)
        if self.active:
            self.session.show_nothing(CLICK_HINT)

    def _opened(self, opened) -> None:
        if isinstance(opened, str):
            self.view.set_message(f"Cannot open {self.name}:\n{opened}")
            self.summary.setText(f"{self.name}: cannot be opened ({opened}). Try another file.")
            self.notice.emit(f"Cannot open {self.path}: {opened}")
            return
        image, preview = opened
        path = self.path
        self.set_image(image, path, preview=preview)
        add_recent(path)
        # However it was opened (dropped, recent, the command line), the next dialog starts here.
        remember_folder("images", path)

    def _name(self) -> str:
        return self.name or "Photo"

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
        if reading.error:  # too cluttered to read, say: the photo stays, with why
            self.view.set_frame(self.image)
            self.summary.setText(f"{self._name()}: {reading.error}. Try a closer photo.")
            self.view.set_message(f"Cannot read this image: {reading.error}")
            return
        self.view.show_reading(self.image, reading)
        if reading.digits:
            self.summary.setText(
                f"{self._name()}: {reading_summary(reading)}. Click a digit to explain it."
            )
            if self.active and self.view.selected() < 0:
                self.session.show_nothing(self._hint())
        else:
            self.summary.setText(f"{self._name()}: no digits found.")
            self.view.set_message("No digits found in this image.")

    def _hint(self) -> str:
        """What the answer says before a digit is clicked: the whole number, then how to."""
        shown = self.view.verdict()
        return f"{shown}. {CLICK_HINT}" if shown else CLICK_HINT

    def _read_failed(self, message: str) -> None:
        self.view.set_frame(self.image)
        self.summary.setText(f"{self._name()}: cannot be read ({message}). Try another photo.")
        self.view.set_message("This image could not be read.")

    def _digit_clicked(self, index: int) -> None:
        read = self.view.digits()[index]
        steps = clicked_digit_steps(self.view, index, read)
        self.session.show_input(read.digit, steps, CLICKED)
