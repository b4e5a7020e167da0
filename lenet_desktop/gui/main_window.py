"""The main window: Draw / Camera / Photo modes beside the live prediction (wiring only)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from lenet_desktop.gui import settings, window_state
from lenet_desktop.gui.answer.prediction import PredictionPanel
from lenet_desktop.gui.help.about import model_summary
from lenet_desktop.gui.inputs.camera import CameraPanel
from lenet_desktop.gui.inputs.capture import ModelLoadWorker, start_worker
from lenet_desktop.gui.inputs.draw import DrawPanel
from lenet_desktop.gui.inputs.photo import PhotoPanel
from lenet_desktop.gui.menus import build_menus
from lenet_desktop.gui.startup_probe import PROBE_ENV, probe_print
from lenet_desktop.paths import shipped_model_path

DRAW, CAMERA, PHOTO = range(3)
VIDEO_SUFFIXES = {".avi", ".mp4", ".mkv", ".mov", ".webm", ".mpg", ".mpeg", ".m4v"}


class MainWindow(QMainWindow):
    """Draw, film or open digits on the left; the network's answer on the right; panels docked."""

    recognizer_changed = Signal(object)
    input_changed = Signal(object)

    def __init__(
        self,
        model_path: str | os.PathLike | None = None,
        load_model: bool = True,
        defer_extensions: bool = False,
    ):
        """``load_model``: load ``model_path`` (default: the shipped model) in a worker once
        the window is on screen. ``defer_extensions``: build the insight panels and extra
        menus after the first paint too (the app does, so the window appears at once)."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("LeNet Desktop")
        self.setAcceptDrops(True)
        self.recognizer = None
        self.current_input: np.ndarray | None = None
        self.current_prediction: tuple[int, float, np.ndarray] | None = None
        self.shipped_model_path = shipped_model_path()
        self.model_path: Path | None = None
        self.last_error = ""
        self._pending_model = Path(model_path) if model_path else self.shipped_model_path
        self._load_on_show = load_model
        self._loader = self._loader_thread = None
        self._painted_once = False
        self._extensions_installed = False
        self._canvas_pending = False
        self._panels: list[QDockWidget] = []
        self._state_restored = False
        self._probe = os.environ.get(PROBE_ENV) == "1"

        self.draw = DrawPanel()
        self.camera = CameraPanel()
        self.photo = PhotoPanel()
        self.prediction = PredictionPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("modeTabs")
        self.tabs.addTab(self.draw, "Draw")
        self.tabs.addTab(self.camera, "Camera")
        self.tabs.addTab(self.photo, "Photo")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.prediction)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)
        self.actions_ = build_menus(self)
        self.model_label = QLabel("Loading model…")
        self.model_label.setObjectName("statusModel")
        self.statusBar().addPermanentWidget(self.model_label)

        self.draw.canvas.changed.connect(self._schedule_canvas_prediction)
        self.camera.digit_chosen.connect(self._digit_chosen)
        self.photo.digit_chosen.connect(self._digit_chosen)
        self.camera.source_changed.connect(self._remember_camera)
        self.tabs.currentChanged.connect(self._mode_changed)
        self.prediction.show_empty("Loading model…")
        self._saved = window_state.restore_controls(self)
        if not defer_extensions:
            self._install_extensions()
        window_state.restore_layout(self, self._saved)
        self._state_restored = True
        # The tab bar is on screen whatever the mode: its first paint means the window shows.
        self.tabs.tabBar().installEventFilter(self)

    def _install_extensions(self) -> None:
        """Extension points: each helper adds its line here (imports stay local: some are heavy)."""
        from lenet_desktop.gui.help.study_report import install_study_menu
        from lenet_desktop.gui.panels import install_panels
        from lenet_desktop.gui.retrain.controller import install_retrain

        install_retrain(self)
        install_study_menu(self)
        install_panels(self)
        self._extensions_installed = True

    # -- API for panels ---------------------------------------------------------
    def set_recognizer(self, recognizer) -> None:
        """Use ``recognizer`` from now on: refresh every view and emit ``recognizer_changed``."""
        self.recognizer = recognizer
        path = getattr(recognizer, "path", None)
        self.model_path = Path(path) if path is not None else None
        self.camera.set_recognizer(recognizer)
        self.photo.set_recognizer(recognizer)
        self.model_label.setText(model_summary(recognizer))
        self.actions_.revert_model.setEnabled(self.model_path != self.shipped_model_path)
        self.recognizer_changed.emit(recognizer)
        if self.tabs.currentIndex() == DRAW:
            self._predict_canvas()
        elif self.current_input is not None:
            self._explain(self.current_input, None, None, "")
        if self._probe:
            self._probe = False
            probe_print("first_prediction_possible")

    def add_panel(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        """Dock ``widget`` on the right, tabified with the other panels, toggled from View."""
        dock = QDockWidget(title, self)
        dock.setObjectName("panel_" + name)
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        if self._panels:
            self.tabifyDockWidget(self._panels[-1], dock)
        self._panels.append(dock)
        self.view_menu.addAction(dock.toggleViewAction())
        has_state = self._state_restored and not self._saved["window_state"].isEmpty()
        restored = has_state and self.restoreDockWidget(dock)
        if not restored and self.isVisible():
            # Docks added to a window already on screen start hidden. Show it at the next
            # event-loop turn, once the caller has connected to its visibility signals.
            QTimer.singleShot(0, dock.show)
        return dock

    def status_message(self, text: str, timeout_ms: int = 5000) -> None:
        """Show ``text`` in the status bar for ``timeout_ms``."""
        self.statusBar().showMessage(text, timeout_ms)

    def show_error(self, title: str, text: str) -> QMessageBox:
        """Tell the user what went wrong without blocking the event loop; state is untouched."""
        self.last_error = text
        self.status_message(text, 8000)
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- model --------------------------------------------------------------------
    def load_model(self, path: str | os.PathLike) -> None:
        """Load ``path`` in a worker: it replaces the model, or an error shows, nothing changes."""
        if self._loader_thread is not None:
            self.status_message("Still loading the previous model…")
            return
        self.model_label.setText("Loading model…")
        self._loader = ModelLoadWorker(path)
        self._loader.loaded.connect(self._model_loaded)
        self._loader.failed.connect(self._model_failed)
        self._loader.finished.connect(self._loader_done)
        self._loader_thread = start_worker(self._loader)

    def revert_to_shipped(self) -> None:
        """Model → Revert to shipped model."""
        self.load_model(self.shipped_model_path)

    @Slot(object)
    def _model_loaded(self, recognizer) -> None:
        self.set_recognizer(recognizer)
        self.status_message(f"Loaded {recognizer.display_name}")

    @Slot(str)
    def _model_failed(self, message: str) -> None:
        self.model_label.setText(model_summary(self.recognizer))
        if self.recognizer is None:
            self.prediction.show_empty("No model loaded")
        self.show_error("Cannot load model", message)

    @Slot()
    def _loader_done(self) -> None:
        if self._loader_thread is not None:
            self._loader_thread.quit()
            self._loader_thread.wait()
        self._loader = self._loader_thread = None

    # -- drawing ---------------------------------------------------------------------
    def _schedule_canvas_prediction(self) -> None:
        # Coalesce: a burst of mouse moves costs one prediction per event-loop turn.
        if not self._canvas_pending:
            self._canvas_pending = True
            QTimer.singleShot(0, self._predict_canvas)

    def _predict_canvas(self) -> None:
        from lenet_desktop.vision import preprocess_digit

        self._canvas_pending = False
        if self.tabs.currentIndex() != DRAW:
            return
        canvas = self.draw.canvas
        if canvas.is_empty():
            self.current_prediction = None
            self.prediction.show_empty("Draw a digit")
            self._emit_input(None)
            return
        result = preprocess_digit(canvas.render_gray(), ink="dark", remove_lighting=False)
        if not result.found:
            self.current_prediction = None
            self.prediction.show_empty(result.reason, steps=self._steps(result.steps))
            self._emit_input(None)
            return
        self._explain(result.digit, self._steps(result.steps), None, "")

    def _steps(self, steps):
        return steps if self.prediction.steps_visible() else None

    def _explain(self, digit: np.ndarray, steps, read, source: str) -> None:
        """Predict ``digit`` (or take ``read``'s answer) and show it; emit ``input_changed``."""
        if read is not None:
            answer = (int(read.label), float(read.confidence), np.asarray(read.probabilities))
        elif self.recognizer is not None:
            answer = self.recognizer.classify(digit)
        else:
            answer = None
        self.current_prediction = answer
        if answer is None:
            self.prediction.show_empty("Loading model…", digit=digit, steps=steps)
        else:
            self.prediction.show_prediction(*answer, digit, steps, source)
        self._emit_input(digit)

    def _emit_input(self, digit: np.ndarray | None) -> None:
        self.current_input = digit
        self.input_changed.emit(digit)

    def set_steps_visible(self, visible: bool) -> None:
        """View → Show preprocessing steps."""
        self.prediction.set_steps_visible(visible)
        if visible and self.tabs.currentIndex() == DRAW:
            self._predict_canvas()

    def set_full_screen(self, on: bool) -> None:
        """View → Full screen."""
        self.showFullScreen() if on else self.showNormal()

    def save_drawing(self, path: str | os.PathLike) -> None:
        """Write the canvas (dark ink on white) to ``path`` as PNG, atomically."""
        try:
            self.draw.save_png(path)
        except OSError as exc:
            self.show_error("Cannot save drawing", f"Cannot write {path}: {exc}")
            return
        self.status_message(f"Saved {Path(path).name}")

    # -- camera and photos --------------------------------------------------------------
    def open_image(self, path: str | os.PathLike) -> bool:
        """Read the digits in the photo at ``path``; a bad file shows an error, nothing changes."""
        from lenet_desktop.vision.io import ImageReadError, read_image

        try:
            image = read_image(path)
        except ImageReadError as exc:
            self.show_error("Cannot open image", str(exc))
            return False
        self.photo.set_image(image, path)
        self.tabs.setCurrentIndex(PHOTO)
        return True

    def open_camera(self, source: int | str) -> None:
        """Switch to the Camera tab and read ``source`` (camera index or video path)."""
        self.tabs.setCurrentIndex(CAMERA)
        self.camera.open_source(source)

    @Slot(object, object)
    def _digit_chosen(self, read, crop) -> None:
        steps = [("frame crop", crop), ("network input", read.digit)]
        self._explain(np.asarray(read.digit, dtype=np.float32), steps, read, "clicked digit")

    def _mode_changed(self, index: int) -> None:
        if index == DRAW:
            self._predict_canvas()
        else:
            self.current_prediction = None
            self.prediction.show_empty("Click a digit in the image to explain it")
            self._emit_input(None)
        if index == CAMERA and not self.camera.probed:
            self.camera.probe_cameras()

    def _remember_camera(self, source: str) -> None:
        settings.write_settings({"last_camera": source})

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_path(files[0])

    def open_path(self, path: str | os.PathLike) -> None:
        """Open a video file as the camera, anything else as a photo."""
        if Path(path).suffix.lower() in VIDEO_SUFFIXES:
            self.open_camera(str(path))
        else:
            self.open_image(path)

    def show_about(self):
        """Help → About: the model file, its accuracy and the device it was trained on."""
        from lenet_desktop.gui.help.about import AboutDialog

        dialog = AboutDialog(self.recognizer, self.model_path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- life cycle -------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if watched is self.tabs.tabBar() and event.type() == QEvent.Type.Paint:
            if not self._painted_once:
                self._painted_once = True
                # Runs once the first frame is on screen: slow work starts behind it.
                QTimer.singleShot(0, self._after_first_show)
        return super().eventFilter(watched, event)

    def _after_first_show(self) -> None:
        if self._probe and self.recognizer is None:
            probe_print("window_shown")
        if self._load_on_show and self.recognizer is None:
            self.load_model(self._pending_model)
        if not self._extensions_installed:
            self._install_extensions()
            if not self._saved["window_state"].isEmpty():
                self.restoreState(self._saved["window_state"])

    def closeEvent(self, event) -> None:
        window_state.save(self)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop and join every worker thread the window started."""
        self.camera.shutdown()
        self.photo.shutdown()
        if self._loader_thread is not None:
            self._loader_thread.quit()
            self._loader_thread.wait()
            self._loader = self._loader_thread = None
