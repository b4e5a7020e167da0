"""The line above the model report's gallery: what it shows, and a way back to all of it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from lenet_desktop.gui.wording import plural


def cell_note(cell, matrix, shown: int, total: int, images: str) -> tuple[str, bool]:
    """The gallery's heading and whether "Show all" applies.

    Parameters
    ----------
    cell : (int, int) or None
        The confusion cell (true, predicted) the gallery is filtered to.
    matrix : list of lists or None
        The confusion matrix (``None``: no report yet).
    shown : int
        Digits in the gallery now.
    total : int
        Misclassified test digits in all (the matrix's off-diagonal sum).
    images : str
        ``"ready"``, ``"loading"`` (the MNIST images are being read) or
        ``"missing"`` (they could not be: the status above says why).
    """
    if matrix is None:
        return "", False
    if images == "loading":
        return f"Misclassified test digits: {total:,} (loading the images…)", False
    if images == "missing":
        return f"Misclassified test digits: {total:,} (their images need MNIST)", False
    if cell is None:
        note = f"Misclassified test digits, true→predicted: all {total:,}"
        return note + " (scroll for more; click one to explain it)", False
    true, predicted = cell
    count = int(matrix[true][predicted])
    if true == predicted:
        note = f"True {true}, predicted {predicted}: {plural(count, 'digit')} read right"
        return note + " (the gallery shows only mistakes)", True
    return f"True {true}, predicted {predicted}: {plural(shown, 'digit')} of {total:,} wrong", True


class GalleryHeader(QWidget):
    """A wrapped note and a "Show all" button (shown while the gallery is filtered)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.note = QLabel("")
        self.note.setObjectName("reportGalleryNote")
        self.note.setWordWrap(True)
        self.show_all = QPushButton("Show all")
        self.show_all.setObjectName("reportShowAll")
        self.show_all.setVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.show_all)

    def set_note(self, note: tuple[str, bool]) -> None:
        """Show ``note`` (text, filtered) from :func:`cell_note`."""
        text, filtered = note
        self.note.setText(text)
        self.show_all.setVisible(filtered)
