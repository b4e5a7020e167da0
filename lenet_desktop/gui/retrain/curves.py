"""TrainingCurvesWidget: live loss and accuracy curves (training and validation) by epoch."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvas
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

REDRAW_INTERVAL_MS = 250
"""Matplotlib redraws at most four times a second, however often data arrives."""

TRAIN_COLOUR = "#1f77b4"
VAL_COLOUR = "#d62728"


class TrainingCurvesWidget(QWidget):
    """Plots the smoothed training loss/accuracy per batch and validation figures per epoch."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.figure = Figure(figsize=(6, 2.6), layout="constrained")
        self.canvas = FigureCanvas(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(200)
        self.loss_axes = self.figure.add_subplot(1, 2, 1)
        self.accuracy_axes = self.figure.add_subplot(1, 2, 2)
        self.lines = {}
        # Loss falls and accuracy rises, so these corners stay clear of the curves.
        for axes, key, title, corner in (
            (self.loss_axes, "loss", "Loss", "upper right"),
            (self.accuracy_axes, "accuracy", "Accuracy", "lower right"),
        ):
            axes.set_title(title, fontsize=10)
            axes.set_xlabel("epoch", fontsize=9)
            axes.tick_params(labelsize=8)
            axes.grid(True, alpha=0.3)
            (self.lines[key],) = axes.plot(
                [], [], color=TRAIN_COLOUR, lw=1.2, label="training (smoothed)"
            )
            (self.lines["val_" + key],) = axes.plot(
                [], [], color=VAL_COLOUR, lw=1.2, marker="o", ms=4, label="validation"
            )
            axes.legend(fontsize=8, loc=corner)
        self.data = {key: ([], []) for key in self.lines}
        self.epochs = 1
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_INTERVAL_MS)
        self._redraw_timer.timeout.connect(self.redraw)
        self.redraw_count = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.reset(1)

    def reset(self, epochs: int) -> None:
        """Clear the curves for a run of ``epochs`` epochs."""
        self.epochs = max(1, int(epochs))
        for xs, ys in self.data.values():
            xs.clear()
            ys.clear()
        self._schedule()

    def add_batch(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        """Add the training loss and accuracy after a batch (x = fractional epoch).

        Uses ``smooth_loss`` / ``smooth_accuracy`` when the logs have them, else
        ``loss`` / ``accuracy``.
        """
        x = epoch + (step + 1) / max(1, steps)
        for key in ("loss", "accuracy"):
            value = logs.get("smooth_" + key, logs.get(key))
            if value is not None:
                xs, ys = self.data[key]
                xs.append(x)
                ys.append(float(value))
        self._schedule()

    def add_epoch(self, epoch: int, logs: dict) -> None:
        """Add the validation loss and accuracy at the end of an epoch."""
        for key in ("val_loss", "val_accuracy"):
            if key in logs:
                xs, ys = self.data[key]
                xs.append(epoch + 1)
                ys.append(float(logs[key]))
        self._schedule()

    def point_count(self, key: str) -> int:
        """How many points curve ``key`` (``loss``, ``val_accuracy`` ...) holds."""
        return len(self.data[key][0])

    def _schedule(self) -> None:
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def redraw(self) -> None:
        """Push the collected points into the plot and ask for a repaint."""
        for key, line in self.lines.items():
            line.set_data(*self.data[key])
        right = max(self.epochs, max((xs[-1] for xs, _ in self.data.values() if xs), default=0))
        for axes, keys in (
            (self.loss_axes, ("loss", "val_loss")),
            (self.accuracy_axes, ("accuracy", "val_accuracy")),
        ):
            axes.set_xlim(0, right)
            values = [y for key in keys for y in self.data[key][1]]
            if values:
                low, high = min(values), max(values)
                pad = max(0.02, (high - low) * 0.08)
                if axes is self.accuracy_axes:
                    axes.set_ylim(max(0.0, low - pad), min(1.005, high + pad))
                else:
                    axes.set_ylim(max(0.0, low - pad), high + pad)
        self.canvas.draw_idle()
        self.redraw_count += 1
