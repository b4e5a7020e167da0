"""RetrainResultsWidget: the new model's test figures next to the current model's."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvas
from matplotlib.figure import Figure
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.gui.wording import plural

BETTER = QColor("#1b7f3b")
WORSE = QColor("#b3261e")


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f}%"


def comparison_rows(outcome) -> list[tuple[str, float | None, float | None]]:
    """(row title, current value, new value) for every figure the table shows.

    Titles are short, for the table to fit the dialog at its narrowest;
    :func:`row_tooltip` says each in full.
    """
    new, current = outcome.new, outcome.current
    rows = [("Test accuracy", "accuracy", None)]
    if new.user_accuracy is not None:
        count = outcome.user_sample_count
        title = f"Your {plural(count, 'sample')}"
        rows.append((title + (" (trained)" if outcome.fine_tuned else ""), "user", None))
    rows.append(("Mirrored", "flip", None))
    for angle in new.robustness.get("rotation", {}):
        rows.append((f"Rotated ±{angle}°", "rotation", angle))
    for pixels in new.robustness.get("shift", {}):
        rows.append((f"Shifted ±{pixels} px", "shift", pixels))

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


def row_tooltip(title: str, outcome) -> str:
    """What the row titled ``title`` (from :func:`comparison_rows`) measures, in full."""
    images = plural(outcome.test_size, "test image")
    if title == "Test accuracy":
        return f"Accuracy on the {images}"
    if title.startswith("Your "):
        trained = ": the new model was fine-tuned on them" if outcome.fine_tuned else ""
        return f"Accuracy on your saved handwriting samples{trained}"
    if title == "Mirrored":
        return f"Accuracy on the {images} flipped left to right"
    if title.startswith("Rotated"):
        return f"Accuracy on the {images}, each rotated by a random angle within {title[8:]}"
    return f"Accuracy on the {images}, each shifted sideways by up to {title[8:]}"


class RetrainResultsWidget(QWidget):
    """A comparison table (current vs new) and the two confusion matrices."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary_label = QLabel("Results appear here when training has finished.")
        self.summary_label.setWordWrap(True)
        self.compare_label = QLabel("")
        self.compare_label.setObjectName("compareLabel")
        self.compare_label.setWordWrap(True)
        self.old_name = ""
        """The model the new one is compared with (the one in use when the run started)."""
        self.table = QTableWidget(0, 3)
        # "Old", not "Current": the model in use may change while the results are shown.
        # Short headers (the tooltips say more): the three columns and the row titles
        # fit the dialog at its narrowest, without scrolling sideways.
        self.table.setHorizontalHeaderLabels(["Old", "New", "Change"])
        self.table.horizontalHeaderItem(1).setToolTip("The model this run trained")
        self.table.horizontalHeaderItem(2).setToolTip("New minus old, in percentage points")
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.figure = Figure(figsize=(4.4, 2.5), layout="constrained")
        self.canvas = FigureCanvas(self.figure)
        self.canvas.setMinimumSize(240, 160)
        # Two tabs rather than side by side: the dialog stays narrow enough to sit beside
        # the canvas, and neither the table nor the matrices get squeezed.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("resultTabs")
        self.tabs.addTab(self.table, "Figures")
        self.tabs.addTab(self.canvas, "Mistakes (confusion matrices)")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.compare_label)
        layout.addWidget(self.tabs, 1)
        self.clear()

    def clear(self, text: str = "Results appear here when training has finished.") -> None:
        """Empty the table and the figure and show ``text``."""
        self.summary_label.setText(text)
        self.compare_label.setText("")
        self.compare_label.hide()
        self.old_name = ""
        self.table.setRowCount(0)
        self.figure.clear()
        self.canvas.draw_idle()
        self.tabs.hide()

    def show_outcome(self, outcome, old_name: str = "the model in use") -> None:
        """Fill the table and confusion matrices from a RetrainOutcome.

        ``old_name`` names the model the new one is compared with (in use when the run
        started).
        """
        self.old_name = old_name
        header = self.table.horizontalHeaderItem(0)
        header.setToolTip(f"Old model: {old_name}, in use when this run started")
        self.compare_label.setText(f"Old model: {old_name}, in use when this run started.")
        self.compare_label.show()
        rows = comparison_rows(outcome)
        self.table.setRowCount(len(rows))
        for row, (title, before, after) in enumerate(rows):
            item = QTableWidgetItem(title)
            item.setToolTip(row_tooltip(title, outcome))
            self.table.setVerticalHeaderItem(row, item)
            self.table.setItem(row, 0, QTableWidgetItem(_percent(before)))
            self.table.setItem(row, 1, QTableWidgetItem(_percent(after)))
            change = QTableWidgetItem("-")
            if before is not None and after is not None:
                delta = (after - before) * 100
                change.setText(f"{delta:+.2f}")
                if abs(delta) >= 0.005:
                    change.setForeground(QBrush(BETTER if delta > 0 else WORSE))
            self.table.setItem(row, 2, change)
        self._draw_matrices(outcome)
        self.tabs.show()

    def set_model_in_use(self, name: str) -> None:
        """Say which model is in use now, when it is no longer the old model of the table."""
        if not self.old_name:
            return
        text = f"Old model: {self.old_name}, in use when this run started."
        if name != self.old_name:
            text += f" In use now: {name}."
        self.compare_label.setText(text)

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
            panels.insert(0, ("Old model", outcome.current))
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
