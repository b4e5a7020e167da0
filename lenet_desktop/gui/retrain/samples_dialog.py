"""UserSamplesDialog: browse the user's own handwriting samples and delete the bad ones."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
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

from lenet_desktop.userdata import UserDataset

THUMBNAIL_SCALE = 3
SAMPLE_ROLE = Qt.ItemDataRole.UserRole


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
        self.delete_button.clicked.connect(self.delete_selected)
        close_button = QPushButton("Close")
        close_button.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.digit_filter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list_widget, 1)
        layout.addLayout(buttons)
        self.resize(640, 480)
        self.refresh()

    def refresh(self) -> None:
        """Reload the grid from the samples folder."""
        digit = self.digit_filter.currentData()
        samples = self.dataset.samples()
        counts = [0] * 10
        for sample in samples:
            counts[sample.label] += 1
        shown = [s for s in samples if digit is None or s.label == digit]
        shown.sort(key=lambda s: (s.label, -s.created))
        self.list_widget.clear()
        for sample in shown:
            pixels = self.dataset.load_image(sample)
            if pixels is None:
                continue
            item = QListWidgetItem(QIcon(thumbnail(pixels)), str(sample.label))
            item.setData(SAMPLE_ROLE, sample)
            item.setToolTip(f"Labelled {sample.label}\n{sample.path.name}")
            self.list_widget.addItem(item)
        if samples:
            per_digit = ", ".join(f"{d}: {n}" for d, n in enumerate(counts) if n)
            self.summary_label.setText(
                f"{len(samples)} samples ({per_digit}) in {self.dataset.folder}"
            )
        else:
            self.summary_label.setText(
                "No samples yet. When a prediction is wrong, click the right digit under "
                "'Correct it' to save your drawing here."
            )
        self._selection_changed()

    def selected_samples(self) -> list:
        """The UserSample objects selected in the grid."""
        return [item.data(SAMPLE_ROLE) for item in self.list_widget.selectedItems()]

    def delete_selected(self) -> int:
        """Delete the selected samples from disk; return how many were removed."""
        removed = self.dataset.delete(self.selected_samples())
        if removed:
            self.refresh()
            self.samples_changed.emit()
        return removed

    def _selection_changed(self) -> None:
        count = len(self.list_widget.selectedItems())
        self.delete_button.setEnabled(count > 0)
        self.delete_button.setText(f"Delete {count} selected" if count > 1 else "Delete selected")
