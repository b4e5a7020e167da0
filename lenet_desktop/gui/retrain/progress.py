"""RetrainProgressWidget: what the run is doing, epoch and batch bars, time left, errors."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from lenet_desktop.gui.wording import plural

ERROR_STYLE = "color: #b3261e; font-weight: bold;"
IDLE_TEXT = "Choose the settings and click Start training."


def format_duration(seconds: float) -> str:
    """``"1 min 05 s"`` or ``"42 s"``."""
    seconds = max(0, int(round(seconds)))
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


class RetrainProgressWidget(QGroupBox):
    """The Progress box of the Retrain dialog."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Progress", parent)
        self.stage_label = QLabel(IDLE_TEXT)
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
        # Wrapped, so a long line of figures never widens the dialog over the window.
        self.eta_label.setWordWrap(True)
        self._started_at = 0.0
        self._epochs = 1
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage_label)
        bars = QHBoxLayout()
        bars.addWidget(self.epoch_bar, 1)
        bars.addWidget(self.batch_bar, 1)
        layout.addLayout(bars)
        layout.addWidget(self.eta_label)
        layout.addWidget(self.error_label)

    def show_error(self, message: str) -> None:
        """Show ``message`` in red under the bars (``""`` hides it)."""
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def starting(self, epochs: int) -> None:
        """A run of ``epochs`` epochs is about to start."""
        self._epochs = max(1, epochs)
        self.epoch_bar.setRange(0, epochs)
        self.epoch_bar.setValue(0)
        self.batch_bar.setRange(0, 1)
        self.batch_bar.setValue(0)
        self.eta_label.setText(" ")

    def training_started(self, info: dict) -> None:
        """Training proper begins (after loading the data): the clock starts."""
        self._started_at = time.monotonic()
        self.batch_bar.setRange(0, int(info["steps_per_epoch"]))
        self.stage_label.setText(
            f"Training on {info['device']}: {plural(int(info['train_size']), 'image')}, "
            f"{int(info['val_size']):,} held out for validation."
        )

    def batch_done(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        """Move the bars and say how long is left."""
        self.epoch_bar.setValue(epoch + 1)
        self.batch_bar.setRange(0, steps)
        self.batch_bar.setValue(step + 1)
        done = (epoch + (step + 1) / steps) / self._epochs
        elapsed = time.monotonic() - self._started_at
        figures = (
            f"(loss {logs.get('loss', float('nan')):.4f}, "
            f"accuracy {logs.get('accuracy', 0) * 100:.2f} %)"
        )
        if done >= 1:
            # The last batch: testing and saving follow (the stage line says which), whose
            # length the batches cannot tell, so no time left is guessed.
            self.eta_label.setText(f"Trained in {format_duration(elapsed)} {figures}.")
        elif done > 0:
            left = elapsed * (1 - done) / done
            when = "under a second left" if left < 1 else f"about {format_duration(left)} left"
            self.eta_label.setText(f"Elapsed {format_duration(elapsed)}, {when} {figures}")

    def finished(self, succeeded: bool) -> None:
        """The run is over: full bars when it succeeded; no time left to tell either way."""
        if succeeded:
            self.epoch_bar.setValue(self.epoch_bar.maximum())
            self.batch_bar.setValue(self.batch_bar.maximum())
        self.eta_label.setText(" ")
