"""The main window: Draw / Camera / Photo tabs beside the answer, panels docked (wiring only).

The window owns the two objects everything else is given: the
:class:`~lenet_desktop.gui.session.Session` (the model in use and the
explanation of the current input) and the
:class:`~lenet_desktop.gui.threads.WorkerRegistry` (every background job).
Tabs write to the session, views subscribe to it; the window only builds,
places and connects them, loads models, and closes everything in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
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
from lenet_desktop.gui.inputs.draw import DrawPanel
from lenet_desktop.gui.inputs.photo import PhotoPanel
from lenet_desktop.gui.menus import build_menus
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.startup_probe import PROBE_ENV, probe_print
from lenet_desktop.gui.threads import CLOSE_WAIT_S, JobSlot, WorkerRegistry
from lenet_desktop.paths import shipped_model_path
from training.model_io import ModelLoadError

DRAW, CAMERA, PHOTO = range(3)
VIDEO_SUFFIXES = {".avi", ".mp4", ".mkv", ".mov", ".webm", ".mpg", ".mpeg", ".m4v"}


def load_recognizer(path: str | os.PathLike):
    """The job of the model loader: TensorFlow is imported here, off the GUI thread."""
    from lenet_desktop.model import Recognizer

    return Recognizer.from_file(path)


class MainWindow(QMainWindow):
    """Draw, film or open digits on the left; the network's answer on the right; panels docked."""

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
        self.session = Session(self)
        self.workers = WorkerRegistry(self)
        self.shipped_model_path = shipped_model_path()
        self.model_path: Path | None = None
        self.last_error = ""
        self.panels: dict = {}
        """The insight panels by name, once installed."""
        self.retrain = None
        """The :class:`~lenet_desktop.gui.retrain.controller.RetrainController`, once installed."""
        self._pending_model = Path(model_path) if model_path else self.shipped_model_path
        self._load_on_show = load_model
        self._loader = JobSlot(self.workers, "Loading the model", (ModelLoadError, OSError))
        self._painted_once = False
        self._extensions_installed = False
        self._docks: list[QDockWidget] = []
        self._state_restored = False
        self._probe = os.environ.get(PROBE_ENV) == "1"

        self.draw = DrawPanel(self.session)
        self.camera = CameraPanel(self.session, self.workers)
        self.photo = PhotoPanel(self.session, self.workers)
        self.prediction = PredictionPanel(self.session)
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
        self.menus, self.actions_ = build_menus(self)
        self.model_label = QLabel("Loading model…")
        self.model_label.setObjectName("statusModel")
        self.statusBar().addPermanentWidget(self.model_label)

        self.session.recognizer_changed.connect(self._recognizer_changed)
        self.workers.failed.connect(self._worker_failed)
        self.camera.source_changed.connect(self._remember_camera)
        self.tabs.currentChanged.connect(self._mode_changed)
        self._saved = window_state.restore_controls(self)
        self._mode_changed(self.tabs.currentIndex())
        if not defer_extensions:
            self._install_extensions()
        window_state.restore_layout(self, self._saved)
        self._state_restored = True
        # The tab bar is on screen whatever the mode: its first paint means the window shows.
        self.tabs.tabBar().installEventFilter(self)

    def _install_extensions(self) -> None:
        """The panels, retraining and the study report (imports stay local: some are heavy)."""
        from lenet_desktop.gui.help.study_report import add_study_report_action
        from lenet_desktop.gui.panels import build_panels
        from lenet_desktop.gui.retrain.controller import RetrainController
        from lenet_desktop.userdata import default_dataset

        self.retrain = RetrainController(
            self,
            self.menus.model,
            self.session,
            self.workers,
            default_dataset(),
            self.status_message,
        )
        self.prediction.add_footer(self.retrain.correction)
        add_study_report_action(self.menus.help, self)
        self.panels = build_panels(self.session, self.workers)
        for name, panel in self.panels.items():
            panel.follow_dock(self.add_panel(name, panel.title, panel))
        self.findChild(QDockWidget, "panel_activations").raise_()
        self._extensions_installed = True

    # -- docks and messages --------------------------------------------------------------
    def add_panel(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        """Dock ``widget`` on the right, tabified with the other panels, toggled from View."""
        dock = QDockWidget(title, self)
        dock.setObjectName("panel_" + name)
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        if self._docks:
            self.tabifyDockWidget(self._docks[-1], dock)
        self._docks.append(dock)
        self.menus.view.addAction(dock.toggleViewAction())
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

    def _worker_failed(self, description: str, message: str) -> None:
        # Every background error passes here, so none goes unseen even where the view that
        # started the job shows it in place too.
        self.last_error = f"{description} failed: {message}"
        self.status_message(self.last_error, 8000)

    # -- model --------------------------------------------------------------------
    def load_model(self, path: str | os.PathLike) -> None:
        """Load ``path`` in a worker: it replaces the model, or an error shows, nothing changes."""
        if self._loader.busy():
            self.status_message("Still loading the previous model…")
            return
        self.model_label.setText("Loading model…")
        self._loader.start(
            lambda _stop: load_recognizer(path), self._model_loaded, self._model_failed
        )

    def revert_to_shipped(self) -> None:
        """Model → Revert to shipped model."""
        self.load_model(self.shipped_model_path)

    def _model_loaded(self, recognizer) -> None:
        self.session.set_recognizer(recognizer)
        self.status_message(f"Loaded {recognizer.display_name}")

    def _model_failed(self, message: str) -> None:
        self.model_label.setText(model_summary(self.session.recognizer))
        self.session.set_no_model_hint("No model loaded")
        self.show_error("Cannot load model", message)

    def _recognizer_changed(self, recognizer) -> None:
        path = recognizer.path if recognizer is not None else None
        self.model_path = Path(path) if path is not None else None
        self.model_label.setText(model_summary(recognizer))
        self.actions_.revert_model.setEnabled(self.model_path != self.shipped_model_path)
        if self._probe and recognizer is not None:
            self._probe = False
            probe_print("first_prediction_possible")

    # -- inputs ---------------------------------------------------------------------
    def set_steps_visible(self, visible: bool) -> None:
        """View → Show preprocessing steps."""
        self.prediction.set_steps_visible(visible)

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

    def open_path(self, path: str | os.PathLike) -> None:
        """Open a video file as the camera, anything else as a photo."""
        if Path(path).suffix.lower() in VIDEO_SUFFIXES:
            self.open_camera(str(path))
        else:
            self.open_image(path)

    def _mode_changed(self, index: int) -> None:
        for tab_index, tab in enumerate((self.draw, self.camera, self.photo)):
            tab.set_active(tab_index == index)

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

    def show_about(self):
        """Help → About: the model file, its accuracy and the device it was trained on."""
        from lenet_desktop.gui.help.about import AboutDialog

        dialog = AboutDialog(self.session.recognizer, self.model_path, self)
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
        if self._probe and self.session.recognizer is None:
            probe_print("window_shown")
        if self._load_on_show and self.session.recognizer is None:
            self.load_model(self._pending_model)
        if not self._extensions_installed:
            self._install_extensions()
            if not self._saved["window_state"].isEmpty():
                self.restoreState(self._saved["window_state"])

    def closeEvent(self, event) -> None:
        window_state.save(self)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self, timeout: float = CLOSE_WAIT_S) -> bool:
        """Stop every background worker, waiting at most ``timeout`` seconds for them.

        The one close path: closing the window calls it, so the window goes at
        once even while a slow read or a training batch is still running (they
        have been asked to stop and end on their own); the app calls it again
        at exit with a longer ``timeout``. True when no worker is left running.
        """
        return self.workers.shutdown(timeout)
