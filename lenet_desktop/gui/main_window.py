"""The main window: Draw / Camera / Photo tabs beside the answer, panels docked (wiring only).

The window owns the two objects everything else is given: the
:class:`~lenet_desktop.gui.session.Session` (the model in use and the
explanation of the current input) and the
:class:`~lenet_desktop.gui.threads.WorkerRegistry` (every background job).
Tabs write to the session, views subscribe to it; the window only builds,
places and connects them, opens files, and closes everything in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from lenet_desktop.gui import confirm, dock_layout, settings, window_state
from lenet_desktop.gui.answer.prediction import PredictionPanel
from lenet_desktop.gui.data_folder import report_data_folder
from lenet_desktop.gui.file_dialogs import remember_folder
from lenet_desktop.gui.help.about import model_summary
from lenet_desktop.gui.inputs.camera import CameraPanel
from lenet_desktop.gui.inputs.draw import DrawPanel, keep_every_pointer_move
from lenet_desktop.gui.inputs.photo import PhotoPanel
from lenet_desktop.gui.menus import build_menus
from lenet_desktop.gui.model_loading import ModelLoader
from lenet_desktop.gui.recent_files import add_recent
from lenet_desktop.gui.retrain.controller import RetrainController
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.startup_probe import PROBE_ENV, probe_print
from lenet_desktop.gui.threads import CLOSE_WAIT_S, WorkerRegistry
from lenet_desktop.paths import shipped_model_path
from lenet_desktop.userdata import default_dataset

DRAW, CAMERA, PHOTO = range(3)
VIDEO_SUFFIXES = {".avi", ".mp4", ".mkv", ".mov", ".webm", ".mpg", ".mpeg", ".m4v"}
QUIT_TEXT = "A model is being trained. Quit anyway? The run stops and nothing is saved."


class MainWindow(QMainWindow):
    """Draw, film or open digits on the left; the network's answer beside them; panels docked."""

    def __init__(
        self,
        model_path: str | os.PathLike | None = None,
        load_model: bool = True,
        defer_extensions: bool = False,
    ):
        """``load_model``: once the window is on screen, load ``model_path`` in a worker
        (default: the model in use last time, else the shipped one). ``defer_extensions``:
        build the insight panels after the first paint, once the first model has loaded (or
        failed to), so neither the window nor the first prediction waits for matplotlib (the
        app does; their docks are in place from the first frame either way)."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("LeNet Desktop")
        self.setAcceptDrops(True)
        keep_every_pointer_move()
        self.session = Session(self)
        self.workers = WorkerRegistry(self)
        self.shipped_model_path = shipped_model_path()
        self.model_path: Path | None = None
        self.last_error = ""
        self.panels: dict = {}
        """The insight panels by name, once installed."""
        self.models = ModelLoader(self.session, self.workers, self.shipped_model_path, self)
        self._start_model = Path(model_path) if model_path else None
        self._load_on_show = load_model
        self._painted_once = False
        self._extensions_installed = False
        self._completed = False
        self._quit_confirmed = False
        self._docks: list[QDockWidget] = []
        self.data_folder_box: QMessageBox | None = None
        self._probe = os.environ.get(PROBE_ENV) == "1"
        self.panel_share = dock_layout.PanelShare(self)

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
        # Extra width goes to the input; the answer keeps the width its bars need.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.setCentralWidget(self.splitter)
        self.menus, self.actions_ = build_menus(self)
        self.retrain = RetrainController(
            self,
            self.menus.model,
            self.session,
            self.workers,
            default_dataset(),
            self.status_message,
        )
        self.prediction.add_footer(self.retrain.correction)
        self.model_label = QLabel("Loading model…")
        self.model_label.setObjectName("statusModel")
        self.statusBar().addPermanentWidget(self.model_label)
        for name, title in dock_layout.PANEL_TITLES.items():
            self.add_panel(name, title, dock_layout.loading_label())

        self.session.recognizer_changed.connect(self._recognizer_changed)
        self.models.loading.connect(lambda: self.model_label.setText("Loading model…"))
        self.models.failed.connect(self._model_failed)
        self.models.fell_back.connect(self._model_fell_back)
        self.workers.failed.connect(self._worker_failed)
        self.camera.source_changed.connect(self._remember_camera)
        self.camera.notice.connect(self.status_message)
        self.photo.notice.connect(self.status_message)
        self.photo.open_button.clicked.connect(self.actions_.open_image.trigger)
        self.tabs.currentChanged.connect(self._mode_changed)
        self._saved = window_state.restore_controls(self)
        self._mode_changed(self.tabs.currentIndex())
        window_state.restore_layout(self, self._saved)
        if not defer_extensions:
            self._install_extensions()
        # The tab bar is on screen whatever the mode: its first paint means the window shows.
        self.tabs.tabBar().installEventFilter(self)

    def _install_extensions(self) -> None:
        """The panels and the study report (imports stay local: matplotlib is heavy), once."""
        if self._extensions_installed:
            return
        from lenet_desktop.gui.help.study_report import add_study_report_action
        from lenet_desktop.gui.panels import build_panels

        add_study_report_action(self.menus.help, self)
        self.panels = build_panels(self.session, self.workers)
        dock_layout.install_panels(self, self.panels)
        self._extensions_installed = True

    # -- docks and messages --------------------------------------------------------------
    def add_panel(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        """Dock ``widget`` on the right, tabified with the other panels, toggled from View."""
        dock = QDockWidget(title, self)
        dock.setObjectName("panel_" + name)
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
        self.addDockWidget(dock_layout.RIGHT, dock)
        if self._docks:
            self.tabifyDockWidget(self._docks[-1], dock)
        self._docks.append(dock)
        self.menus.view.addAction(dock.toggleViewAction())
        if self.isVisible():
            restored = self.restoreDockWidget(dock)
            if not restored:
                # Docks added to a window already on screen start hidden. Show it at the next
                # event-loop turn, once the caller has connected to its visibility signals.
                QTimer.singleShot(0, dock.show)
        return dock

    def status_message(self, text: str, timeout_ms: int = 5000) -> None:
        """Show ``text`` in the status bar for ``timeout_ms``."""
        self.statusBar().showMessage(text, timeout_ms)

    def show_error(
        self, title: str, text: str, icon=QMessageBox.Icon.Warning, modal: bool = True
    ) -> QMessageBox:
        """Tell the user what went wrong without blocking the event loop; state is untouched.

        ``modal=False`` leaves the window usable while the message is up (for news
        rather than the answer to something the user just did).
        """
        self.last_error = text
        self.status_message(text, 15_000)
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if modal:
            box.open()
        else:
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.show()
        return box

    def _worker_failed(self, description: str, message: str) -> None:
        # Every background error passes here, so none goes unseen even where the view that
        # started the job shows it in place too.
        self.last_error = f"{description} failed: {message}"
        self.status_message(self.last_error, 8000)

    # -- model --------------------------------------------------------------------
    def load_model(self, path: str | os.PathLike) -> None:
        """Load ``path`` in a worker: it replaces the model, or an error shows, nothing changes."""
        if not self.models.load(path):
            self.status_message("Still loading the previous model…")

    def revert_to_shipped(self) -> None:
        """Model → Revert to shipped model."""
        self.load_model(self.shipped_model_path)

    def _model_failed(self, title: str, message: str) -> None:
        self.model_label.setText(model_summary(self.session.recognizer))
        self.session.set_no_model_hint("No model loaded")
        self.show_error(title, message)

    def _model_fell_back(self, message: str) -> None:
        self.show_error(
            "Using the shipped model", message, QMessageBox.Icon.Information, modal=False
        )

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

    def open_image(self, path: str | os.PathLike) -> None:
        """Open ``path`` in the Photo tab (decoded and read in workers; errors said there)."""
        self.tabs.setCurrentIndex(PHOTO)
        self.photo.open_file(path)

    def open_camera(self, source: int | str) -> None:
        """Switch to the Camera tab and read ``source`` (camera index or video path)."""
        self.tabs.setCurrentIndex(CAMERA)
        self.camera.open_source(source)
        if isinstance(source, str) and Path(source).is_file():
            add_recent(source)
            remember_folder("videos", source)

    def open_path(self, path: str | os.PathLike) -> None:
        """Open a video file as the camera, anything else as a photo."""
        if Path(path).suffix.lower() in VIDEO_SUFFIXES:
            self.open_camera(str(path))
        else:
            self.open_image(path)

    def paste(self) -> bool:
        """Edit → Paste: an image on the clipboard (or a copied image file) opens as a photo."""
        from lenet_desktop.gui.images import qimage_to_bgr

        clipboard = QGuiApplication.clipboard()
        mime = clipboard.mimeData()
        if mime is not None and mime.hasImage():
            image = clipboard.image()
            if not image.isNull():
                self.photo.set_image(qimage_to_bgr(image), name="Pasted image")
                self.tabs.setCurrentIndex(PHOTO)
                return True
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime else []
        if files:
            self.open_path(files[0])
            return True
        self.status_message("Nothing to paste: the clipboard holds no image.")
        return False

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

    def show_shortcuts(self):
        """Help → Keyboard shortcuts: every action with a shortcut, read from the menus."""
        from lenet_desktop.gui.help.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self.menuBar(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
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
        dock_layout.show_whole_tab_titles(self)
        if self._load_on_show and self.session.recognizer is None:
            self.models.load_at_start(self._start_model)
            # The rest after the first model's answer: built now, the panels would hold the
            # GUI thread while the model loads in its worker, and the first prediction wait.
            # Single-shot connections: later model changes queue nothing.
            for signal in (self.session.recognizer_changed, self.models.failed):
                signal.connect(
                    lambda *_: QTimer.singleShot(0, self._complete_window),
                    Qt.ConnectionType.SingleShotConnection,
                )
        else:
            self._complete_window()

    def _complete_window(self) -> None:
        """The panels (unless built already) and the data folder's check, once."""
        if self._completed:
            return
        self._completed = True
        if not self._extensions_installed:
            self._install_extensions()
        # Told once the window is complete, so a bad data folder holds nothing back.
        self.data_folder_box = report_data_folder(
            lambda title, text: self.show_error(title, text, modal=False)
        )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._saved["window_state"].isEmpty() and not self._painted_once:
            # First start: Qt sizes docks from their hints when the window is first laid
            # out, so their share of the width is set here, before the first frame.
            self.panel_share.apply()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.isVisible():
            self.panel_share.window_resized(event.oldSize().width(), event.size().width())
            dock_layout.show_whole_tab_titles(self)

    def closeEvent(self, event) -> None:
        if self.retrain.is_training() and not self._quit_confirmed:
            # Asked without blocking: the run goes on while the question is open.
            event.ignore()
            confirm.ask(
                self, "Quit while training?", QUIT_TEXT, "Stop training and quit", self._quit
            )
            return
        window_state.save(self)
        self.shutdown()
        super().closeEvent(event)

    def _quit(self) -> None:
        self._quit_confirmed = True
        self.close()

    def shutdown(self, timeout: float = CLOSE_WAIT_S) -> bool:
        """Stop every background worker, waiting at most ``timeout`` seconds for them.

        The one close path: closing the window calls it, so the window goes at
        once even while a slow read or a training batch is still running (they
        have been asked to stop and end on their own); the app calls it again
        at exit with a longer ``timeout``.  True when no worker is left running.
        """
        return self.workers.shutdown(timeout)
