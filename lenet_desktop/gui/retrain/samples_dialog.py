"""UserSamplesDialog: browse the user's own handwriting samples and delete the bad ones.

Files named like samples whose pixels cannot be used (empty, truncated, not
28x28) are listed too, first, with a crossed-out tile and the reason, so they
can be seen and deleted; the counts say how many samples are usable.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.gui import confirm
from lenet_desktop.gui.wording import plural
from lenet_desktop.userdata import UserDataset

THUMBNAIL_SCALE = 3
SAMPLE_ROLE = Qt.ItemDataRole.UserRole
UNREADABLE_ROLE = Qt.ItemDataRole.UserRole + 1
UNREADABLE_COLOUR = "#b3261e"


def thumbnail(pixels: np.ndarray, scale: int = THUMBNAIL_SCALE) -> QPixmap:
    """A 28x28 uint8 image as a pixmap enlarged ``scale`` times without smoothing."""
    data = np.ascontiguousarray(pixels, dtype=np.uint8)
    image = QImage(data.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(image).scaled(
        28 * scale,
        28 * scale,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )


def unreadable_tile(scale: int = THUMBNAIL_SCALE) -> QPixmap:
    """The tile of a sample file that cannot be read: pale red, crossed out."""
    side = 28 * scale
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor("#f6dcdc"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(UNREADABLE_COLOUR), max(2, scale)))
    margin = side // 4
    painter.drawLine(margin, margin, side - margin, side - margin)
    painter.drawLine(side - margin, margin, margin, side - margin)
    painter.end()
    return pixmap


class UserSamplesDialog(QDialog):
    """A grid of the saved samples (as the model sees them) with their labels."""

    samples_changed = Signal()

    def __init__(self, dataset: UserDataset, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("My handwriting samples")
        self.dataset = dataset
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.digit_filter = QComboBox()
        self.digit_filter.addItem("All digits", None)
        for digit in range(10):
            self.digit_filter.addItem(f"Only {digit}", digit)
        self.digit_filter.currentIndexChanged.connect(self.refresh)
        self.list_widget = QListWidget()
        self.list_widget.setViewMode(QListView.ViewMode.IconMode)
        self.list_widget.setIconSize(QSize(28 * THUMBNAIL_SCALE, 28 * THUMBNAIL_SCALE))
        self.list_widget.setGridSize(QSize(28 * THUMBNAIL_SCALE + 16, 28 * THUMBNAIL_SCALE + 26))
        self.list_widget.setResizeMode(QListView.ResizeMode.Adjust)
        self.list_widget.setMovement(QListView.Movement.Static)
        self.list_widget.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list_widget.itemSelectionChanged.connect(self._selection_changed)
        self.delete_button = QPushButton("Delete selected")
        self.delete_button.clicked.connect(self.ask_delete)
        self.delete_unreadable_button = QPushButton()
        self.delete_unreadable_button.setObjectName("deleteUnreadable")
        self.delete_unreadable_button.setToolTip(
            "Delete every sample file that cannot be read (they are never used for training)"
        )
        self.delete_unreadable_button.clicked.connect(self.ask_delete_unreadable)
        self.unreadable: list = []
        """The unreadable samples found by the last refresh (``UnreadableSample``)."""
        close_button = QPushButton("Close")
        close_button.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.digit_filter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.delete_unreadable_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list_widget, 1)
        layout.addLayout(buttons)
        self.resize(640, 480)
        self.refresh()

    def refresh(self) -> None:
        """Reload the grid from the samples folder: unreadable files first, then by digit."""
        digit = self.digit_filter.currentData()
        scan = self.dataset.scan()
        self.unreadable = scan.unreadable
        self.list_widget.clear()
        for broken in scan.unreadable:
            if digit is None or broken.sample.label == digit:
                self._add_unreadable(broken)
        usable = [(s, p) for s, p in scan.usable if digit is None or s.label == digit]
        usable.sort(key=lambda pair: (pair[0].label, -pair[0].created))
        for sample, pixels in usable:
            item = QListWidgetItem(QIcon(thumbnail(pixels)), str(sample.label))
            item.setData(SAMPLE_ROLE, sample)
            item.setToolTip(f"Labelled {sample.label}\n{sample.path.name}")
            self.list_widget.addItem(item)
        self._show_summary(scan)
        count = len(scan.unreadable)
        self.delete_unreadable_button.setVisible(count > 0)
        self.delete_unreadable_button.setText(f"Delete {plural(count, 'unreadable file')}…")
        self._selection_changed()

    def _add_unreadable(self, broken) -> None:
        item = QListWidgetItem(QIcon(unreadable_tile()), "unreadable")
        item.setData(SAMPLE_ROLE, broken.sample)
        item.setData(UNREADABLE_ROLE, broken.reason)
        item.setForeground(QColor(UNREADABLE_COLOUR))
        item.setToolTip(
            f"Cannot be used: {broken.reason}\n{broken.sample.path.name} "
            f"(labelled {broken.sample.label})"
        )
        self.list_widget.addItem(item)

    def _show_summary(self, scan) -> None:
        if not scan.usable and not scan.unreadable:
            self.summary_label.setText(
                "No samples yet. When a prediction is wrong, click the right digit under "
                "'Correct it' to save your drawing here."
            )
            return
        per_digit = ", ".join(f"{d}: {n}" for d, n in enumerate(scan.counts()) if n)
        usable = plural(len(scan.usable), "usable sample" if scan.unreadable else "sample")
        text = f"{usable} ({per_digit})" if per_digit else usable
        if scan.unreadable:
            text += f", {len(scan.unreadable):,} unreadable (crossed out, never used)"
        self.summary_label.setText(f"{text} in {self.dataset.folder}")

    def selected_samples(self) -> list:
        """The UserSample objects selected in the grid."""
        return [item.data(SAMPLE_ROLE) for item in self.list_widget.selectedItems()]

    def ask_delete(self):
        """Delete selected: ask first (the files cannot be brought back); returns the question."""
        count = len(self.selected_samples())
        if not count:
            return None
        what = "this sample" if count == 1 else f"these {count} samples"
        return confirm.ask(
            self,
            "Delete samples?",
            f"Delete {what} of your handwriting? The files cannot be brought back.",
            f"Delete {plural(count, 'sample')}",
            self.delete_selected,
        )

    def ask_delete_unreadable(self):
        """Delete every unreadable sample file, after asking; returns the question."""
        count = len(self.unreadable)
        if not count:
            return None
        return confirm.ask(
            self,
            "Delete unreadable files?",
            f"Delete {plural(count, 'sample file')} that cannot be read? They are never "
            "used for training and cannot be brought back.",
            f"Delete {plural(count, 'file')}",
            self.delete_unreadable,
        )

    def delete_unreadable(self) -> int:
        """Delete the unreadable sample files without asking; return how many were removed."""
        removed = self.dataset.delete([broken.sample for broken in self.unreadable])
        self.refresh()
        if removed:
            self.samples_changed.emit()
        return removed

    def delete_selected(self) -> int:
        """Delete the selected samples from disk without asking; return how many were removed."""
        removed = self.dataset.delete(self.selected_samples())
        if removed:
            self.refresh()
            self.samples_changed.emit()
        return removed

    def _selection_changed(self) -> None:
        count = len(self.list_widget.selectedItems())
        self.delete_button.setEnabled(count > 0)
        self.delete_button.setText(f"Delete {count} selected" if count > 1 else "Delete selected")
