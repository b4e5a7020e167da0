"""The Camera tab: pick a camera (or a video file), watch every digit in view being read."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.gui.inputs.capture import (
    CameraProbeWorker,
    CameraWorker,
    describe_source,
    start_detection,
    start_worker,
    stop_worker,
)
from lenet_desktop.gui.inputs.frame_view import CameraViewWidget

VIDEO_FILTER = "Videos (*.avi *.mp4 *.mkv *.mov *.webm *.mpg *.m4v);;All files (*)"
FILE_ENTRY = "Open video file…"
NO_CAMERA = "No camera found. Plug one in, or open a video file."


class CameraPanel(QWidget):
    """Live view of a camera or video file with the digits read in each frame."""

    digit_chosen = Signal(object, object)
    """A clicked digit: (ReadDigit, frame crop as grey uint8)."""
    source_changed = Signal(str)
    """The source last started: a camera index as text, or a video file path."""
    reading_shown = Signal(object)
    """Each reading shown in the view."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = CameraViewWidget("cameraView")
        self.view.set_message("Pick a camera and press Start.")
        self.picker = QComboBox()
        self.picker.setObjectName("cameraPicker")
        self.picker.setAccessibleName("cameraPicker")
        self.picker.setMinimumContentsLength(16)
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
        self.rescan_button.clicked.connect(self.probe_cameras)
        self.freeze_button.toggled.connect(self._freeze_toggled)
        self.view.digit_clicked.connect(self._digit_clicked)
        self.last_source: str = "0"
        self._generation = 0
        self._error = ""
        self._camera = None
        self._camera_thread = None
        self._probe = None
        self._probe_thread = None
        self.probed = False
        """Whether the cameras have been looked for at least once."""
        self._slot, self._detector, self._detector_thread = start_detection()
        self._detector.detected.connect(self._show_detection)
        self._fill_picker([])
        self._update_buttons()

    # -- sources ------------------------------------------------------------------
    def probe_cameras(self) -> None:
        """List the cameras that open, in a worker (the picker says so meanwhile)."""
        if self._probe_thread is not None:
            return
        self.probed = True
        self.rescan_button.setEnabled(False)
        self.picker.setItemText(0, "Searching for cameras…")
        self._probe = CameraProbeWorker()
        self._probe.found.connect(self._cameras_found)
        self._probe_thread = start_worker(self._probe)

    @Slot(list)
    def _cameras_found(self, indices: list) -> None:
        self._probe_thread.quit()
        self._probe_thread.wait()
        self._probe = self._probe_thread = None
        self.rescan_button.setEnabled(True)
        self._fill_picker(indices)
        if not indices and self._camera is None and not self._error:
            self.view.set_message(NO_CAMERA)

    def _fill_picker(self, indices: list[int]) -> None:
        self.picker.clear()
        for index in indices:
            self.picker.addItem(f"Camera {index}", index)
        if not indices:
            self.picker.addItem("No camera found", None)
        self.picker.addItem(FILE_ENTRY, "file")
        if self._camera is not None and isinstance(self._camera.source, str):
            self._select_file_entry(Path(self._camera.source))
        elif self.last_source.isdigit() and int(self.last_source) in indices:
            self.picker.setCurrentIndex(indices.index(int(self.last_source)))

    def open_source(self, source: int | str) -> None:
        """Start reading frames from camera ``source`` (an index) or a video file path."""
        self.stop()
        self.freeze_button.setChecked(False)
        self.view.set_frame(None)
        self.view.set_message(f"Opening {describe_source(source)}…")
        self._generation += 1
        self._error = ""
        if isinstance(source, str):
            self._select_file_entry(Path(source))
        self._camera = CameraWorker(source, self._slot, tag=self._generation)
        self._camera.opened.connect(self._opened)
        self._camera.failed.connect(self._failed)
        self._camera.finished.connect(self._camera_finished)
        self._camera_thread = start_worker(self._camera)
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
        """Stop the camera and join its thread (the last frame stays on screen)."""
        if self._camera is not None:
            stop_worker(self._camera, self._camera_thread)
        self._camera = None
        self._camera_thread = None
        self._update_buttons()

    def is_running(self) -> bool:
        """Whether a camera or video source is being read."""
        return self._camera_thread is not None and self._camera_thread.isRunning()

    def set_recognizer(self, recognizer) -> None:
        """Read frames with ``recognizer`` from now on."""
        self._detector.recognizer = recognizer

    def shutdown(self) -> None:
        """Stop every thread this panel started (call before the window goes)."""
        self.stop()
        stop_worker(self._detector, self._detector_thread)
        if self._probe_thread is not None:
            self._probe_thread.quit()
            self._probe_thread.wait()

    # -- slots ----------------------------------------------------------------------
    def _toggle(self) -> None:
        if self.is_running():
            self.stop()
            self.view.set_message("Stopped.")
            return
        data = self.picker.currentData()
        if data == "file":
            path, _ = QFileDialog.getOpenFileName(self, "Open video file", "", VIDEO_FILTER)
            if path:
                self.open_source(path)
        elif data is None:
            self.view.set_message(NO_CAMERA)
        elif isinstance(data, Path):
            self.open_source(str(data))
        else:
            self.open_source(int(data))

    @Slot(str)
    def _opened(self, name: str) -> None:
        if self.sender() is self._camera:
            self.view.set_message("")

    @Slot(str)
    def _failed(self, message: str) -> None:
        if self.sender() is not self._camera:
            return
        self._error = message
        self.view.set_message(message)
        self.readout.setText(message)

    @Slot()
    def _camera_finished(self) -> None:
        # The capture loop ended by itself (no camera, unplugged): join its thread now.
        if self.sender() is self._camera and self._camera_thread is not None:
            self._camera_thread.quit()
            self._camera_thread.wait()
            self._camera = self._camera_thread = None
        self._update_buttons()

    @Slot(object, object, object)
    def _show_detection(self, frame, reading, tag) -> None:
        try:
            current = tag == self._generation and self._camera is not None
            if current and not self.freeze_button.isChecked():
                self.view.set_frame(frame, reading.digits, reading.text)
                count = len(reading.digits)
                self.readout.setText(
                    f"Reads: {reading.text}  ({count} digit{'s' if count != 1 else ''})"
                    if count
                    else "No digits in view"
                )
                self.reading_shown.emit(reading)
        finally:
            self._detector.acknowledge()

    def _freeze_toggled(self, frozen: bool) -> None:
        self.freeze_button.setText("Unfreeze" if frozen else "Freeze")

    @Slot(int)
    def _digit_clicked(self, index: int) -> None:
        self.freeze_button.setChecked(True)
        self.digit_chosen.emit(self.view.digits()[index], crop_of(self.view, index))

    def _update_buttons(self) -> None:
        running = self.is_running()
        self.start_button.setText("Stop" if running else "Start")
        self.freeze_button.setEnabled(running or self.view.frame() is not None)


def crop_of(view: CameraViewWidget, index: int):
    """The grey crop of digit ``index`` in the frame ``view`` shows (for the steps strip)."""
    from lenet_desktop.vision import to_gray8

    x, y, w, h = view.boxes()[index]
    frame = view.frame()
    pad = max(2, int(0.15 * max(w, h)))
    y0, x0 = max(0, y - pad), max(0, x - pad)
    return to_gray8(frame[y0 : y + h + pad, x0 : x + w + pad])
