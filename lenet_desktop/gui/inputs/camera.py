"""The Camera tab: pick a camera (or a video file), watch every digit in view being read.

A frame goes: :class:`CameraWorker` (capture thread) -> :class:`LatestSlot`
-> :class:`FrameReaderWorker` (reading thread: detection and one batched model
call) -> ``detected`` on the GUI thread -> the view's boxes. Clicking a box
puts that digit into the session, which explains it in every view.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.gui.file_dialogs import open_file
from lenet_desktop.gui.inputs.capture import (
    CameraWorker,
    FrameReaderWorker,
    LatestSlot,
    describe_source,
    probe_cameras,
)
from lenet_desktop.gui.inputs.frame_view import FrameViewWidget
from lenet_desktop.gui.inputs.reading_overlay import reading_summary
from lenet_desktop.gui.inputs.tab import InputTab
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import JobSlot, WorkerRegistry

VIDEO_FILTER = "Videos (*.avi *.mp4 *.mkv *.mov *.webm *.mpg *.m4v);;All files (*)"
FILE_ENTRY = "Open video file…"
NO_CAMERA = "No camera found. Plug one in, or open a video file."
NOTHING_TO_START = (
    "No camera to start. Plug one in and press Rescan, or pick “Open video file…” above."
)
STILL_SEARCHING = "Still looking for cameras: press Start again in a moment."
STOPPED = "Stopped. Click a digit to explain it; Start reads again."
CLICK_HINT = "Click a digit in the image to explain it"
CLICKED = "clicked digit"
"""The source of explanations that come from a digit clicked in a frame or photo."""


def clicked_digit_steps(view: FrameViewWidget, index: int, read) -> list:
    """The preprocessing steps shown for a digit clicked in ``view``: its crop and the input."""
    return [("frame crop", view.digit_crop(index)), ("network input", read.digit)]


class CameraPanel(InputTab):
    """Live view of a camera or video file with the digits read in each frame."""

    source_changed = Signal(str)
    """The source last started: a camera index as text, or a video file path."""
    notice = Signal(str)
    """Something the user asked for could not be done, in a sentence (for the status bar)."""

    def __init__(self, session: Session, workers: WorkerRegistry, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.workers = workers
        self.view = FrameViewWidget("cameraView")
        self.view.set_message("Pick a camera and press Start.")
        self.picker = QComboBox()
        self.picker.setObjectName("cameraPicker")
        self.picker.setAccessibleName("cameraPicker")
        # Narrow when it must be (the window gives its width to the panels), wide when it can.
        self.picker.setMinimumContentsLength(9)
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("cameraStartButton")
        self.freeze_button = QPushButton("Freeze")
        self.freeze_button.setObjectName("freezeButton")
        self.freeze_button.setCheckable(True)
        self.freeze_button.setToolTip("Keep the current frame (click a digit to explain it)")
        self.rescan_button = QPushButton("Rescan")
        self.rescan_button.setObjectName("cameraRescanButton")
        self.rescan_button.setToolTip("Look for cameras again (after plugging one in)")
        self.readout = QLabel("")
        self.readout.setObjectName("cameraReadout")
        # Two lines kept for it, at whatever width the tab has: a long message
        # must neither widen the window nor move the view as it comes and goes.
        self.readout.setWordWrap(True)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.readout.setFixedHeight(2 * self.readout.fontMetrics().lineSpacing() + 4)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Source:"))
        bar.addWidget(self.picker, 1)
        bar.addWidget(self.rescan_button)
        bar.addWidget(self.start_button)
        bar.addWidget(self.freeze_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        layout.addWidget(self.readout)
        self.start_button.clicked.connect(self._toggle)
        self.picker.activated.connect(self._picked)
        self.rescan_button.clicked.connect(self.probe_cameras)
        self.freeze_button.toggled.connect(self._freeze_toggled)
        self.view.digit_clicked.connect(self._digit_clicked)
        session.recognizer_changed.connect(self._recognizer_changed)
        self.last_source: str = "0"
        """The source last started: a camera index as text, or a video file path."""
        self._error = ""
        self.camera: CameraWorker | None = None
        """The capture worker of the source being read, if any."""
        self.reader: FrameReaderWorker | None = None
        """The worker reading its frames."""
        self._probe = JobSlot(workers, "Looking for cameras")
        self.probed = False
        """Whether the cameras have been looked for at least once."""
        self._fill_picker([])
        self._update_buttons()

    def became_active(self) -> None:
        """Nothing is explained until a digit is clicked; look for cameras the first time."""
        self.session.show_nothing(CLICK_HINT)
        if not self.probed:
            self.probe_cameras()

    # -- sources ------------------------------------------------------------------
    def set_last_source(self, source: str) -> None:
        """The source used last time (from the settings): selected in the picker when it exists."""
        self.last_source = source
        if not source.isdigit() and Path(source).is_file():
            self._select_file_entry(Path(source))

    def probe_cameras(self) -> None:
        """List the cameras that open, in a worker (the picker says so meanwhile)."""
        if self._probe.busy():
            return
        self.probed = True
        self.rescan_button.setEnabled(False)
        self.picker.setItemText(0, "Searching for cameras…")
        self._probe.start(probe_cameras, self._cameras_found, self._probe_failed)

    def _cameras_found(self, indices: list) -> None:
        self.rescan_button.setEnabled(True)
        self._fill_picker(indices)
        if not indices and self.camera is None and not self._error:
            self.view.set_message(NO_CAMERA)

    def _probe_failed(self, message: str) -> None:
        self.rescan_button.setEnabled(True)
        self._fill_picker([])
        self.readout.setText(f"Could not look for cameras: {message}")

    def _fill_picker(self, indices: list[int]) -> None:
        self.picker.clear()
        for index in indices:
            self.picker.addItem(f"Camera {index}", index)
        if not indices:
            self.picker.addItem("No camera found", None)
        self.picker.addItem(FILE_ENTRY, "file")
        if self.camera is not None and isinstance(self.camera.source, str):
            self._select_file_entry(Path(self.camera.source))
        elif self.last_source.isdigit() and int(self.last_source) in indices:
            self.picker.setCurrentIndex(indices.index(int(self.last_source)))
        elif not self.last_source.isdigit() and Path(self.last_source).is_file():
            self._select_file_entry(Path(self.last_source))

    def open_source(self, source: int | str) -> None:
        """Start reading frames from camera ``source`` (an index) or a video file path."""
        previous = self.camera
        self.stop()
        self.freeze_button.setChecked(False)
        # Nothing of the previous source stays explained (its clicked digit, its crop).
        self.view.select(-1)
        self.view.set_frame(None)
        self.readout.setText("")
        if self.active:
            self.session.show_nothing(CLICK_HINT)
        self.view.set_message(f"Opening {describe_source(source)}…")
        self._error = ""
        if isinstance(source, str):
            self._select_file_entry(Path(source))
        slot = LatestSlot()
        camera = CameraWorker(source, slot, after=previous)
        camera.opened.connect(self._opened)
        camera.error.connect(self._failed)
        camera.finished.connect(self._camera_finished)
        reader = FrameReaderWorker(slot, self.session.recognizer)
        reader.detected.connect(self._show_detection)
        reader.error.connect(self._frame_failed)
        self.camera, self.reader = camera, reader
        self.workers.start(camera)
        self.workers.start(reader)
        self.last_source = str(source)
        self.source_changed.emit(self.last_source)
        self._update_buttons()

    def _select_file_entry(self, path: Path) -> None:
        """Show a video file in the picker (above "Open video file…") and select it."""
        index = self.picker.findData(path)
        if index < 0:
            index = self.picker.count() - 1
            self.picker.insertItem(index, f"Video: {path.name}", path)
        self.picker.setCurrentIndex(index)

    def stop(self) -> None:
        """Stop reading the source (never waits; the last frame and its boxes stay on screen)."""
        for worker in (self.camera, self.reader):
            if worker is not None:
                worker.stop()
        self.camera = self.reader = None
        self.freeze_button.setChecked(False)
        self._update_buttons()

    def is_running(self) -> bool:
        """Whether a camera or video source is being read."""
        return self.camera is not None and self.camera.is_running()

    def _recognizer_changed(self, recognizer) -> None:
        if self.reader is not None:
            self.reader.recognizer = recognizer

    # -- slots ----------------------------------------------------------------------
    def _toggle(self) -> None:
        if self.is_running():
            self.stop()
            # Said under the view, not over it: the last frame's digits stay clickable.
            self.readout.setText(STOPPED)
            return
        self._start_selected()

    def _picked(self, _index: int) -> None:
        # Choosing a source in the list starts it ("Open video file…" asks for the file).
        self._start_selected()

    def _start_selected(self) -> None:
        data = self.picker.currentData()
        if data == "file":
            path = open_file(self, "videos", "Open video file", VIDEO_FILTER)
            if path:
                self.open_source(path)
            elif self.camera is not None and isinstance(self.camera.source, str):
                self._select_file_entry(Path(self.camera.source))
        elif data is None:
            text = STILL_SEARCHING if self._probe.busy() else NOTHING_TO_START
            self.view.set_message(NO_CAMERA if not self._probe.busy() else text)
            self.readout.setText(text)
            self.notice.emit(text)
        elif isinstance(data, Path):
            self.open_source(str(data))
        else:
            self.open_source(int(data))

    def _opened(self, name: str) -> None:
        if self.sender() is self.camera:
            self.view.set_message("")

    def _failed(self, message: str) -> None:
        if self.sender() is not self.camera:
            return
        self._error = message
        self.view.set_message(message)
        self.readout.setText(message)

    def _frame_failed(self, message: str) -> None:
        # One frame could not be read; the next ones still are.
        if self.sender() is self.reader:
            self.readout.setText(message)

    def _camera_finished(self) -> None:
        # The capture loop ended by itself (no camera, unplugged): its reader goes too.
        if self.sender() is self.camera:
            self.stop()
        self._update_buttons()

    def _show_detection(self, frame: np.ndarray, reading) -> None:
        reader = self.sender()
        if reader is not self.reader:
            return  # a stopped source's last frame
        try:
            if not self.freeze_button.isChecked():
                self.view.show_reading(frame, reading)
                if reading.error:
                    self.readout.setText(f"Cannot read this frame: {reading.error}")
                elif reading.digits:
                    summary = reading_summary(reading)
                    self.readout.setText(summary[:1].upper() + summary[1:])
                else:
                    self.readout.setText("No digits in view")
        finally:
            reader.acknowledge()

    def _freeze_toggled(self, frozen: bool) -> None:
        self.freeze_button.setText("Unfreeze" if frozen else "Freeze")

    def _digit_clicked(self, index: int) -> None:
        if self.is_running():
            self.freeze_button.setChecked(True)
        read = self.view.digits()[index]
        steps = clicked_digit_steps(self.view, index, read)
        self.session.show_input(read.digit, steps, CLICKED)

    def _update_buttons(self) -> None:
        running = self.is_running()
        self.start_button.setText("Stop" if running else "Start")
        # Freezing means something only while frames come in.
        self.freeze_button.setEnabled(running)
