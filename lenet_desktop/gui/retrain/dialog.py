"""RetrainDialog: train or fine-tune a model off the GUI thread, compare it with the current one."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.gui.retrain.curves import TrainingCurvesWidget
from lenet_desktop.gui.retrain.form import RetrainFormWidget
from lenet_desktop.gui.retrain.results import RetrainResultsWidget
from lenet_desktop.gui.retrain.worker import TrainingWorker
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import WorkerRegistry
from lenet_desktop.retrain import RetrainRequest, discard_saved_model
from lenet_desktop.userdata import UserDataset

ERROR_STYLE = "color: #b3261e; font-weight: bold;"


def format_duration(seconds: float) -> str:
    """``"1 min 05 s"`` or ``"42 s"``."""
    seconds = max(0, int(round(seconds)))
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


def default_data_path() -> str | None:
    """The MNIST file training would use by default ($LENET_MNIST, Keras cache), if any."""
    from training.data import DataError, resolve_mnist_path

    try:
        found = resolve_mnist_path()
    except DataError:
        return None
    return str(found) if found is not None else None


def display_path(path: Path) -> str:
    """``path`` with the home folder shortened to ``~``."""
    try:
        return "~/" + str(Path(path).relative_to(Path.home()))
    except ValueError:
        return str(path)


class RetrainDialog(QDialog):
    """Settings, live progress and curves, and the new model's results with Use / Discard."""

    running_changed = Signal(bool)
    model_accepted = Signal(object)
    """Emitted with the new Recognizer when the user clicks "Use this model"."""

    def __init__(
        self,
        dataset: UserDataset,
        models_dir: Path,
        session: Session,
        workers: WorkerRegistry,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Retrain LeNet-5")
        self.dataset = dataset
        self.models_dir = Path(models_dir)
        self.session = session
        self.workers = workers
        self.recognizer = None
        self.outcome = None
        self.worker: TrainingWorker | None = None
        """The training run in progress, until its thread has finished."""
        self._started_at = 0.0
        self._epochs = 1

        self.form = RetrainFormWidget()
        self.stage_label = QLabel("Choose the settings and click Start training.")
        self.stage_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.epoch_bar = QProgressBar()
        self.epoch_bar.setFormat("Epoch %v of %m")
        self.batch_bar = QProgressBar()
        self.batch_bar.setFormat("Batch %v of %m")
        self.eta_label = QLabel(" ")
        self.curves = TrainingCurvesWidget()
        self.results = RetrainResultsWidget()

        self.start_button = QPushButton("Start training")
        self.start_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel training")
        self.use_button = QPushButton("Use this model")
        self.discard_button = QPushButton("Discard")
        self.close_button = QPushButton("Close")
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button.clicked.connect(self.use_model)
        self.discard_button.clicked.connect(self.discard_model)
        self.close_button.clicked.connect(self.close)

        self.form.set_data_path(default_data_path())
        self._build_layout()
        self._set_state("idle")
        self.resize(1240, 820)
        session.recognizer_changed.connect(self.set_current)
        self.set_current(session.recognizer)

    def _build_layout(self) -> None:
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumWidth(self.form.sizeHint().width() + 24)

        progress = QGroupBox("Progress")
        progress_layout = QVBoxLayout(progress)
        progress_layout.addWidget(self.stage_label)
        bars = QHBoxLayout()
        bars.addWidget(self.epoch_bar, 1)
        bars.addWidget(self.batch_bar, 1)
        progress_layout.addLayout(bars)
        progress_layout.addWidget(self.eta_label)
        progress_layout.addWidget(self.error_label)

        curves_box = QGroupBox("Learning curves")
        QVBoxLayout(curves_box).addWidget(self.curves)
        results_box = QGroupBox("Results on the test set")
        QVBoxLayout(results_box).addWidget(self.results)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(curves_box)
        splitter.addWidget(results_box)
        splitter.setSizes([330, 380])

        right = QVBoxLayout()
        right.addWidget(progress)
        right.addWidget(splitter, 1)
        body = QHBoxLayout()
        body.addWidget(scroll)
        body.addLayout(right, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

    # -- state ----------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        """True from Start until the training thread has finished."""
        return self.worker is not None

    def set_current(self, recognizer) -> None:
        """The model in use now (compared with the new one, and the fine-tuning start point)."""
        self.recognizer = recognizer
        self.form.set_fine_tune_available(recognizer is not None)

    def set_device(self, text: str) -> None:
        """Show the device that will train."""
        self.form.set_device(text)

    def refresh_samples(self) -> None:
        """Show how many of the user's samples exist now."""
        self.form.set_sample_count(len(self.dataset))

    def _set_state(self, state: str) -> None:
        running = state == "running"
        self.form.setEnabled(not running)
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        has_outcome = state == "done" and self.outcome is not None
        self.use_button.setEnabled(has_outcome)
        self.discard_button.setEnabled(has_outcome)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    # -- actions ----------------------------------------------------------------------
    def start(self) -> bool:
        """Start training with the form's settings; return False (with a message) if it cannot."""
        if self.is_running:
            return False
        self._show_error("")
        fine_tune = self.form.is_fine_tune()
        sidecar = self.recognizer.sidecar if self.recognizer is not None else {}
        try:
            config = self.form.config((sidecar.get("config") or {}) if fine_tune else None)
        except ValueError as exc:
            self._show_error(f"These settings cannot be used: {exc}")
            return False
        images, labels = self.dataset.load_arrays()
        request = RetrainRequest(
            config=config,
            data_path=self.form.data_path(),
            models_dir=self.models_dir,
            # The worker loads the current model from its file (only the file says what
            # the recognizer was made from).
            current_model=None,
            current_sidecar=dict(sidecar),
            current_path=self.recognizer.path if self.recognizer is not None else None,
            fine_tune=fine_tune,
            user_samples=(images, labels) if len(images) else None,
            sample_repeat=self.form.repeat_spin.value(),
        )
        self._forget_outcome()
        self.results.clear("Training… results appear here when it has finished.")
        self.curves.reset(config.epochs)
        self._epochs = config.epochs
        self.epoch_bar.setRange(0, config.epochs)
        self.epoch_bar.setValue(0)
        self.batch_bar.setRange(0, 1)
        self.batch_bar.setValue(0)
        self.eta_label.setText(" ")

        worker = TrainingWorker(request)
        worker.stage.connect(self.stage_label.setText)
        worker.training_started.connect(self._on_training_started)
        worker.batch_done.connect(self._on_batch)
        worker.epoch_done.connect(self._on_epoch)
        worker.result.connect(self._on_succeeded)
        worker.cancelled.connect(self._on_cancelled)
        worker.error.connect(self._on_failed)
        worker.finished.connect(self._on_finished)
        self.worker = worker
        self.workers.start(worker)
        self._set_state("running")
        self.running_changed.emit(True)
        return True

    def cancel(self) -> None:
        """Ask the run to stop after the current batch; the current model stays in use."""
        if self.worker is not None:
            self.worker.stop()
            self.stage_label.setText("Stopping after the current batch…")
            self.cancel_button.setEnabled(False)

    def use_model(self) -> None:
        """Swap the new model in (through ``model_accepted``) and close."""
        if self.outcome is None:
            return
        outcome, self.outcome = self.outcome, None
        self.model_accepted.emit(outcome.recognizer)
        self.stage_label.setText(f"Now using {outcome.model_path.name}.")
        self._set_state("idle")
        self.accept()

    def discard_model(self) -> None:
        """Delete the new model's files; the current model stays in use."""
        if self.outcome is None:
            return
        path = self.outcome.model_path
        self._forget_outcome(delete=True)
        self.stage_label.setText(f"Discarded {path.name}; the current model is still in use.")
        self._set_state("idle")

    def _forget_outcome(self, delete: bool = False) -> None:
        if self.outcome is not None and delete:
            try:
                discard_saved_model(self.outcome.model_path)
            except OSError as exc:
                self._show_error(f"Could not delete {self.outcome.model_path}: {exc}")
        self.outcome = None

    # -- worker signals ------------------------------------------------------------------
    def _on_training_started(self, info: dict) -> None:
        self._started_at = time.monotonic()
        self.batch_bar.setRange(0, int(info["steps_per_epoch"]))
        self.stage_label.setText(
            f"Training on {info['device']}: {info['train_size']} images, "
            f"{info['val_size']} held out for validation."
        )

    def _on_batch(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        self.epoch_bar.setValue(epoch + 1)
        self.batch_bar.setRange(0, steps)
        self.batch_bar.setValue(step + 1)
        self.curves.add_batch(epoch, step, steps, logs)
        done = (epoch + (step + 1) / steps) / self._epochs
        elapsed = time.monotonic() - self._started_at
        if done > 0:
            left = elapsed * (1 - done) / done
            self.eta_label.setText(
                f"Elapsed {format_duration(elapsed)}, about {format_duration(left)} left "
                f"(loss {logs.get('loss', float('nan')):.4f}, "
                f"accuracy {logs.get('accuracy', 0) * 100:.2f} %)"
            )

    def _on_epoch(self, epoch: int, logs: dict) -> None:
        self.curves.add_epoch(epoch, logs)
        if "val_accuracy" in logs:
            self.stage_label.setText(
                f"Epoch {epoch + 1}: validation accuracy {logs['val_accuracy'] * 100:.2f} %"
            )

    def _on_succeeded(self, outcome) -> None:
        self.outcome = outcome
        self.epoch_bar.setValue(self.epoch_bar.maximum())
        self.batch_bar.setValue(self.batch_bar.maximum())
        self.curves.redraw()
        name = self.recognizer.display_name if self.recognizer is not None else "current model"
        self.results.show_outcome(outcome, name)
        self.stage_label.setText(
            f"Done: {outcome.new.accuracy * 100:.2f} % test accuracy after "
            f"{outcome.epochs_run} epochs in {format_duration(outcome.seconds)} on "
            f"{outcome.device}."
        )
        self.results.summary_label.setText(
            f"Saved as {display_path(outcome.model_path)}. Use it now, or Discard to delete it "
            "(Model → Load model… can open it later)."
        )
        self.eta_label.setText(" ")

    def _on_cancelled(self) -> None:
        self.stage_label.setText("Training cancelled; the current model is still in use.")
        self.results.clear("Cancelled: nothing was saved.")
        self.eta_label.setText(" ")

    def _on_failed(self, message: str) -> None:
        self.stage_label.setText("Training did not finish; the current model is still in use.")
        self._show_error(message)
        self.results.clear("Nothing was saved.")
        self.eta_label.setText(" ")

    def _on_finished(self) -> None:
        if self.sender() is not self.worker:
            return
        self.worker = None
        self._set_state("done" if self.outcome is not None else "idle")
        self.running_changed.emit(False)

    # -- Qt overrides -------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        """Closing the dialog cancels a run (the thread finishes in the background)."""
        self.cancel()
        super().closeEvent(event)

    def reject(self) -> None:
        """Escape behaves like Close: cancel any run, keep any saved model on disk."""
        self.cancel()
        super().reject()
