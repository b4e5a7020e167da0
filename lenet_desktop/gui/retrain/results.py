"""RetrainResultsWidget: the new model's test figures next to the current model's."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvas
from matplotlib.figure import Figure
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

BETTER = QColor("#1b7f3b")
WORSE = QColor("#b3261e")


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f} %"


def comparison_rows(outcome) -> list[tuple[str, float | None, float | None]]:
    """(row title, current value, new value) for every figure the table shows."""
    new, current = outcome.new, outcome.current
    rows = [(f"Test accuracy ({outcome.test_size} images)", "accuracy", None)]
    if new.user_accuracy is not None:
        count = outcome.user_sample_count
        title = f"Your {count} sample" + ("" if count == 1 else "s")
        rows.append((title + (" (trained on)" if outcome.fine_tuned else ""), "user", None))
    rows.append(("Mirrored (horizontal flip)", "flip", None))
    for angle in new.robustness.get("rotation", {}):
        rows.append((f"Rotated up to ±{angle}°", "rotation", angle))
    for pixels in new.robustness.get("shift", {}):
        rows.append((f"Shifted up to ±{pixels} px", "shift", pixels))

    def value(figures, kind, key):
        if figures is None:
            return None
        if kind == "accuracy":
            return figures.accuracy
        if kind == "user":
            return figures.user_accuracy
        if kind == "flip":
            return figures.robustness.get("flip")
        return figures.robustness.get(kind, {}).get(key)

    return [(title, value(current, kind, key), value(new, kind, key)) for title, kind, key in rows]


class RetrainResultsWidget(QWidget):
    """A comparison table (current vs new) and the two confusion matrices."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary_label = QLabel("Results appear here when training has finished.")
        self.summary_label.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Current", "New", "Change"])
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The table takes the width of its text; the confusion matrices take the rest.
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.figure = Figure(figsize=(4.4, 2.5), layout="constrained")
        self.canvas = FigureCanvas(self.figure)
        self.canvas.setMinimumSize(300, 200)

        body = QHBoxLayout()
        body.addWidget(self.table)
        body.addWidget(self.canvas, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addLayout(body, 1)
        layout.addStretch(0)
        self.clear()

    def clear(self, text: str = "Results appear here when training has finished.") -> None:
        """Empty the table and the figure and show ``text``."""
        self.summary_label.setText(text)
        self.table.setRowCount(0)
        self.figure.clear()
        self.canvas.draw_idle()
        self.table.hide()
        self.canvas.hide()

    def show_outcome(self, outcome, current_name: str = "current model") -> None:
        """Fill the table and confusion matrices from a RetrainOutcome."""
        header = self.table.horizontalHeaderItem(0)
        header.setToolTip(f"The model in use now: {current_name}")
        rows = comparison_rows(outcome)
        self.table.setRowCount(len(rows))
        for row, (title, before, after) in enumerate(rows):
            self.table.setVerticalHeaderItem(row, QTableWidgetItem(title))
            self.table.setItem(row, 0, QTableWidgetItem(_percent(before)))
            self.table.setItem(row, 1, QTableWidgetItem(_percent(after)))
            change = QTableWidgetItem("-")
            if before is not None and after is not None:
                delta = (after - before) * 100
                change.setText(f"{delta:+.2f} pts")
                if abs(delta) >= 0.005:
                    change.setForeground(QBrush(BETTER if delta > 0 else WORSE))
            self.table.setItem(row, 2, change)
        self._draw_matrices(outcome)
        self.table.show()
        self.canvas.show()

    def cell_text(self, row: int, column: int) -> str:
        """Text of one table cell (for tests and screen readers)."""
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def row_titles(self) -> list[str]:
        """The row headers, top to bottom."""
        return [self.table.verticalHeaderItem(r).text() for r in range(self.table.rowCount())]

    def _draw_matrices(self, outcome) -> None:
        self.figure.clear()
        panels = [("New model", outcome.new)]
        if outcome.current is not None:
            panels.insert(0, ("Current model", outcome.current))
        for index, (title, figures) in enumerate(panels):
            axes = self.figure.add_subplot(1, len(panels), index + 1)
            matrix = np.asarray(figures.report["confusion_matrix"])
            _plot_confusion(axes, matrix, f"{title}: {figures.accuracy * 100:.2f} %")
        self.figure.suptitle("Mistakes on the test set (right answers left out)", fontsize=9)
        self.canvas.draw_idle()


def _plot_confusion(axes, matrix: np.ndarray, title: str) -> None:
    """Errors only: the diagonal (correct answers) would drown every mistake in colour."""
    errors = matrix.astype(float).copy()
    np.fill_diagonal(errors, 0)
    axes.imshow(errors, cmap="Reds", vmin=0, vmax=max(1.0, errors.max()))
    axes.set_title(title, fontsize=9)
    axes.set_xlabel("predicted", fontsize=8)
    axes.set_ylabel("true digit", fontsize=8)
    axes.set_xticks(range(10))
    axes.set_yticks(range(10))
    axes.tick_params(labelsize=7, length=0)
    top = errors.max()
    for (true, predicted), count in np.ndenumerate(matrix):
        if true == predicted or count == 0:
            continue
        colour = "white" if count > 0.6 * top else "black"
        axes.text(predicted, true, str(count), ha="center", va="center", fontsize=5.5, color=colour)
