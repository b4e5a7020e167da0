"""Model → Retrain…, Model → My handwriting samples… and the "Correct it" box.

The window makes one :class:`RetrainController` and places its
:attr:`~RetrainController.correction` widget under the answer; the controller
adds its two actions to the Model menu, opens the dialogs on demand and hands
a model the user accepts to the session.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from lenet_desktop.gui.answer.correction import CorrectionWidget
from lenet_desktop.gui.retrain.placement import place_beside
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import JobSlot, WorkerRegistry
from lenet_desktop.userdata import UserDataset

FINDING_DEVICE = "finding the device…"


def device_text(_stop=None) -> str:
    """Which device trains. It imports TensorFlow (seconds), so it runs in a worker."""
    from training.train import training_device

    return training_device()


class RetrainController(QObject):
    """Owns the retraining actions, the dialogs (made on first use) and the correction box."""

    def __init__(
        self,
        window: QWidget,
        model_menu: QMenu,
        session: Session,
        workers: WorkerRegistry,
        dataset: UserDataset,
        status=lambda text, timeout_ms=5000: None,
    ):
        """``window`` parents the dialogs; ``status(text, timeout_ms)`` shows a status line."""
        super().__init__(window)
        self.window = window
        self.session = session
        self.workers = workers
        self.dataset = dataset
        self.status = status
        self._dialog = None
        self._samples_dialog = None
        self.device: str | None = None
        """The training device, once a worker has asked TensorFlow."""
        self._device_job = JobSlot(workers, "Finding the training device", parent=self)

        model_menu.addSeparator()
        self.retrain_action = QAction("&Retrain…", window)
        self.retrain_action.setObjectName("actionRetrain")
        self.retrain_action.setShortcut("Ctrl+R")
        self.retrain_action.setStatusTip(
            "Train a new model, or fine-tune this one on your own handwriting"
        )
        self.retrain_action.triggered.connect(self.open_retrain)
        model_menu.addAction(self.retrain_action)
        self.samples_action = QAction("My &handwriting samples…", window)
        self.samples_action.setObjectName("actionUserSamples")
        self.samples_action.setStatusTip("Browse and delete the digits you saved with Correct it")
        self.samples_action.triggered.connect(self.open_samples)
        model_menu.addAction(self.samples_action)

        self.correction = CorrectionWidget(dataset, session)
        self.correction.sample_saved.connect(self._sample_saved)
        self.correction.browse_requested.connect(self.open_samples)
        self.correction.save_failed.connect(self._save_failed)
        self.save_error_box: QMessageBox | None = None
        """The message shown when a sample could not be saved (the last one)."""

    def dialog(self):
        """The retrain dialog, made on first use."""
        if self._dialog is None:
            # Imported on first use: matplotlib and the dialogs stay out of start-up time.
            from lenet_desktop.gui.retrain.dialog import RetrainDialog
            from lenet_desktop.paths import models_path

            # Not created here: a folder that cannot be used is reported when saving.
            self._dialog = RetrainDialog(
                self.dataset, models_path(), self.session, self.workers, self.window
            )
            self._dialog.running_changed.connect(
                lambda running: self.retrain_action.setEnabled(not running)
            )
            self._dialog.model_accepted.connect(self._accept_model)
        return self._dialog

    def is_training(self) -> bool:
        """Whether a retraining run is going on."""
        return self._dialog is not None and self._dialog.is_running

    def samples_dialog(self):
        """The samples browser, or ``None`` before it was first opened."""
        return self._samples_dialog

    def open_retrain(self) -> None:
        """Model → Retrain…"""
        shown = self.dialog()
        if not shown.is_running:
            self._show_device(shown)
        shown.refresh_samples()
        if not shown.isVisible():
            place_beside(shown, self.window)
        shown.show()
        shown.raise_()
        shown.activateWindow()

    def _show_device(self, dialog) -> None:
        """The device in the dialog: known, or asked in a worker (TensorFlow imports there)."""
        if self.device is not None:
            dialog.set_device(self.device)
            return
        dialog.set_device(FINDING_DEVICE)
        if not self._device_job.busy():
            self._device_job.start(device_text, self._device_found, self._device_unknown)

    def _device_found(self, text: str) -> None:
        self.device = text
        if self._dialog is not None and not self._dialog.is_running:
            self._dialog.set_device(text)

    def _device_unknown(self, message: str) -> None:
        if self._dialog is not None and not self._dialog.is_running:
            self._dialog.set_device(f"unknown ({message})")

    def open_samples(self) -> None:
        """Model → My handwriting samples…"""
        if self._samples_dialog is None:
            from lenet_desktop.gui.retrain.samples_dialog import UserSamplesDialog

            self._samples_dialog = UserSamplesDialog(self.dataset, self.window)
            self._samples_dialog.samples_changed.connect(self.correction.refresh)
        self._samples_dialog.refresh()
        self._samples_dialog.show()
        self._samples_dialog.raise_()

    def _save_failed(self, text: str) -> None:
        # The answer to a click: said in a box the user dismisses (opened, never exec'd).
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Sample not saved", text, QMessageBox.StandardButton.Ok,
            self.window,
        )  # fmt: skip
        box.setObjectName("sampleNotSavedBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.save_error_box = box

    def _accept_model(self, recognizer) -> None:
        self.session.set_recognizer(recognizer)
        self.status(f"Now using {recognizer.display_name}", 8000)

    def _sample_saved(self, sample) -> None:
        self.status(f"Saved your drawing as a {sample.label} ({sample.path.name})", 5000)
        if self._samples_dialog is not None and self._samples_dialog.isVisible():
            self._samples_dialog.refresh()
        if self._dialog is not None:
            self._dialog.refresh_samples()
