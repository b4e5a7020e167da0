"""RetrainDialog: train or fine-tune a model off the GUI thread, compare it with the current one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.gui import confirm
from lenet_desktop.gui.retrain.curves import TrainingCurvesWidget
from lenet_desktop.gui.retrain.form import RetrainFormWidget
from lenet_desktop.gui.retrain.progress import IDLE_TEXT, RetrainProgressWidget, format_duration
from lenet_desktop.gui.retrain.results import RetrainResultsWidget
from lenet_desktop.gui.retrain.runs import RunHistory, settings_text
from lenet_desktop.gui.retrain.worker import TrainingWorker
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import WorkerRegistry
from lenet_desktop.gui.wording import plural
from lenet_desktop.retrain import RetrainRequest, discard_saved_model
from lenet_desktop.userdata import UserDataset

__all__ = ["RetrainDialog", "default_data_path", "display_path", "format_duration"]


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
        self._run_settings = ""
        self._compared_name = ""
        self._accepted = None
        """The recognizer this dialog last handed to the session ("Now using …")."""
        # Beside the models folder (in the user's data folder), not in it: the models
        # folder holds models only.
        self.history = RunHistory(self.models_dir.parent)
        """Earlier runs, overlaid on the curves to compare settings."""

        self.form = RetrainFormWidget()
        self.progress = RetrainProgressWidget()
        # The progress box's parts, by the names the dialog's users know them by.
        self.stage_label = self.progress.stage_label
        self.error_label = self.progress.error_label
        self.epoch_bar = self.progress.epoch_bar
        self.batch_bar = self.progress.batch_bar
        self.eta_label = self.progress.eta_label
        self.curves = TrainingCurvesWidget()
        self.curves.set_previous_runs(self.history.runs)
        self.forget_runs_button = QPushButton("Forget earlier runs")
        self.forget_runs_button.setToolTip("Stop showing the curves of earlier runs")
        self.forget_runs_button.clicked.connect(self.forget_runs)
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
        self._update_forget_button()
        session.recognizer_changed.connect(self.set_current)
        self.set_current(session.recognizer)

    def _build_layout(self) -> None:
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # The form keeps its width; any extra goes to the curves and results.
        scroll.setFixedWidth(self.form.sizeHint().width() + 24)

        curves_box = QGroupBox("Learning curves (earlier runs overlaid to compare)")
        curves_layout = QVBoxLayout(curves_box)
        curves_layout.addWidget(self.curves, 1)
        forget_row = QHBoxLayout()
        forget_row.addStretch(1)
        forget_row.addWidget(self.forget_runs_button)
        curves_layout.addLayout(forget_row)
        results_box = QGroupBox("Results on the test set")
        QVBoxLayout(results_box).addWidget(self.results)
        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(curves_box)
        splitter.addWidget(results_box)
        self._give_room_to_results(False)

        right = QVBoxLayout()
        right.addWidget(self.progress)
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

    def _give_room_to_results(self, results: bool) -> None:
        # Until there are results their box holds one line; the curves take the height.
        total = max(sum(self.splitter.sizes()), 600)
        share = int(total * 0.56) if results else total - 90
        self.splitter.setSizes([share, total - share])

    # -- state ----------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        """True from Start until the training thread has finished."""
        return self.worker is not None

    def set_current(self, recognizer) -> None:
        """The model in use now (compared with the new one, and the fine-tuning start point)."""
        self.recognizer = recognizer
        self.form.set_fine_tune_available(recognizer is not None)
        if recognizer is not self._accepted:
            # Another model came in (Load model…, Revert): what was said of the old one goes.
            self._accepted = None
            if not self.is_running and self.stage_label.text().startswith("Now using"):
                self.stage_label.setText(IDLE_TEXT)
        self.results.set_model_in_use(
            recognizer.display_name if recognizer is not None else "no model"
        )

    def set_device(self, text: str) -> None:
        """Show the device that will train."""
        self.form.set_device(text)

    def refresh_samples(self) -> None:
        """Show how many of the user's samples fine-tuning can use now."""
        scan = self.dataset.scan()
        self.form.set_sample_count(len(scan.usable), len(scan.unreadable))

    def _set_state(self, state: str) -> None:
        running = state == "running"
        self.form.setEnabled(not running)
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        has_outcome = state == "done" and self.outcome is not None
        self.use_button.setEnabled(has_outcome)
        self.discard_button.setEnabled(has_outcome)

    def _show_error(self, message: str) -> None:
        self.progress.show_error(message)

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
        self._give_room_to_results(False)
        self._run_settings = settings_text(config, fine_tune)
        # The new model is compared with the one in use now, whatever is loaded meanwhile.
        self._compared_name = (
            self.recognizer.display_name if self.recognizer is not None else "no model"
        )
        self.curves.set_previous_runs(self.history.runs)
        self.curves.reset(config.epochs)
        self.progress.starting(config.epochs)

        worker = TrainingWorker(request)
        worker.stage.connect(self.stage_label.setText)
        worker.training_started.connect(self.progress.training_started)
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
        self._accepted = outcome.recognizer
        self.model_accepted.emit(outcome.recognizer)
        self.stage_label.setText(f"Now using {outcome.model_path.name}.")
        self.results.summary_label.setText(
            f"In use now: {display_path(outcome.model_path)} (kept after a restart)."
        )
        self._set_state("idle")
        self.accept()

    def discard_model(self) -> None:
        """Ask, then delete the new model's files; the current model stays in use."""
        if self.outcome is None:
            return
        name = self.outcome.model_path.name
        confirm.ask(
            self,
            "Discard the new model?",
            f"Delete {name}? Its files go and cannot be brought back; the model in use stays.",
            "Delete it",
            self.discard_now,
        )

    def discard_now(self) -> None:
        """Delete the new model's files without asking; the current model stays in use."""
        if self.outcome is None:
            return
        path = self.outcome.model_path
        self._forget_outcome(delete=True)
        self.stage_label.setText(f"Discarded {path.name}; the current model is still in use.")
        self.results.clear(f"Discarded: {path.name} was deleted.")
        self._set_state("idle")

    def forget_runs(self) -> None:
        """Stop overlaying earlier runs (and forget them on disk)."""
        self.history.clear()
        self.curves.set_previous_runs([])
        self._update_forget_button()

    def _update_forget_button(self) -> None:
        self.forget_runs_button.setEnabled(bool(self.history.runs))

    def _record_run(self, outcome_text: str) -> None:
        # This run's curves stay drawn as "this run"; it is overlaid from the next run on.
        if self.history.add(self._run_settings, outcome_text, self.curves.data) is not None:
            self.curves.set_previous_runs(self.history.runs[:-1])
        self._update_forget_button()

    def _forget_outcome(self, delete: bool = False) -> None:
        if self.outcome is not None and delete:
            try:
                discard_saved_model(self.outcome.model_path)
            except OSError as exc:
                self._show_error(f"Could not delete {self.outcome.model_path}: {exc}")
        self.outcome = None

    # -- worker signals ------------------------------------------------------------------
    def _on_batch(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        self.progress.batch_done(epoch, step, steps, logs)
        self.curves.add_batch(epoch, step, steps, logs)

    def _on_epoch(self, epoch: int, logs: dict) -> None:
        self.curves.add_epoch(epoch, logs)
        if "val_accuracy" in logs:
            self.stage_label.setText(
                f"Epoch {epoch + 1}: validation accuracy {logs['val_accuracy'] * 100:.2f} %"
            )

    def _on_succeeded(self, outcome) -> None:
        self.outcome = outcome
        self.progress.finished(succeeded=True)
        self.curves.redraw()
        self.results.show_outcome(outcome, self._compared_name)
        self._give_room_to_results(True)
        self.stage_label.setText(
            f"Done: {outcome.new.accuracy * 100:.2f} % test accuracy after "
            f"{plural(outcome.epochs_run, 'epoch')} in {format_duration(outcome.seconds)} on "
            f"{outcome.device}."
        )
        self._record_run(f"{outcome.new.accuracy * 100:.2f} %")
        self.results.summary_label.setText(
            f"Saved as {display_path(outcome.model_path)}. Use it now, or Discard to delete it "
            "(Model → Load model… can open it later)."
        )

    def _on_cancelled(self) -> None:
        self.stage_label.setText("Training cancelled; the current model is still in use.")
        self.results.clear("Cancelled: nothing was saved.")
        self.progress.finished(succeeded=False)
        self._record_run("cancelled")

    def _on_failed(self, message: str) -> None:
        self.stage_label.setText("Training did not finish; the current model is still in use.")
        self._show_error(message)
        self.results.clear("Nothing was saved.")
        self.progress.finished(succeeded=False)
        self._record_run("failed")

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
