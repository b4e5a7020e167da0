"""A scrollable grid of 28x28 digits with captions, any number of them, clickable.

The model report shows every misclassified test digit here (hundreds for a
weak model), so it is painted by Qt, not matplotlib: only the rows in view are
painted, the tiles grow with the width of the dock, and a click emits the
digit's position so the report can load it into the window.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QToolTip, QWidget

from lenet_desktop.gui import palette

MIN_TILE = 44
"""Smallest tile side in pixels; columns are added only while tiles stay at least this big."""
MAX_COLUMNS = 12
MIN_COLUMNS = 4
GAP = 3


def columns_for(width: int) -> int:
    """How many tiles fit in a row of ``width`` pixels."""
    return int(np.clip((width + GAP) // (MIN_TILE + GAP), MIN_COLUMNS, MAX_COLUMNS))


class DigitGallery(QWidget):
    """Digits in a grid as wide as the widget; its height holds every row (scroll it)."""

    clicked = Signal(int)
    """Position (in the digits shown) of the tile clicked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("digitGallery")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._images: list[QImage] = []
        self._captions: list[str] = []
        self._tips: list[str] = []
        self.selected: int | None = None
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), palette.MIN_POINT_SIZE))
        font.setBold(True)
        self._caption_font = font

    # -- content ------------------------------------------------------------------
    def set_digits(self, images: np.ndarray, captions: list[str], tips: list[str]) -> None:
        """Show ``images`` (N, 28, 28) in [0, 1] with a caption and a tooltip each."""
        pixels = np.clip(np.asarray(images, dtype=np.float32) * 255.0 + 0.5, 0, 255)
        pixels = np.ascontiguousarray(pixels.astype(np.uint8))
        self._images = [
            QImage(digit.tobytes(), 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
            for digit in pixels
        ]
        self._captions, self._tips = list(captions), list(tips)
        self.selected = None
        self._fit_height()
        self.update()

    def count(self) -> int:
        """How many digits are shown."""
        return len(self._images)

    def select(self, position: int | None) -> None:
        """Outline the digit at ``position`` (``None``: none)."""
        self.selected = position
        self.update()

    # -- geometry -----------------------------------------------------------------
    def columns(self) -> int:
        """Tiles per row at the current width."""
        return columns_for(self.width())

    def tile_size(self) -> int:
        """Side of one tile in pixels (grows with the width)."""
        cols = self.columns()
        return max(8, (self.width() - GAP * (cols - 1)) // cols)

    def tile_rect(self, position: int) -> QRect:
        """Where tile ``position`` is painted."""
        size, cols = self.tile_size(), self.columns()
        row, col = divmod(position, cols)
        return QRect(col * (size + GAP), row * (size + GAP), size, size)

    def position_at(self, x: float, y: float) -> int | None:
        """The tile under widget point (x, y), or ``None``."""
        size = self.tile_size()
        col, row = int(x // (size + GAP)), int(y // (size + GAP))
        if not 0 <= col < self.columns() or row < 0:
            return None
        position = row * self.columns() + col
        if position >= len(self._images) or not self.tile_rect(position).contains(int(x), int(y)):
            return None
        return position

    def _fit_height(self) -> None:
        rows = -(-len(self._images) // self.columns())
        height = max(rows * (self.tile_size() + GAP) - GAP, 0)
        if self.minimumHeight() != height:
            self.setFixedHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(MIN_COLUMNS * (MIN_TILE + GAP), self.minimumHeight())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_height()

    # -- painting and the mouse -----------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setFont(self._caption_font)
        exposed = event.rect()
        shadow, text = QColor(0, 0, 0), QColor(palette.CAPTION_ON_DIGIT)
        for position, image in enumerate(self._images):
            rect = self.tile_rect(position)
            if not rect.intersects(exposed):
                continue
            painter.drawImage(QRectF(rect), image)
            caption = self._captions[position]
            box = rect.adjusted(3, 1, -2, -2)
            painter.setPen(shadow)
            painter.drawText(box.translated(1, 1), Qt.AlignmentFlag.AlignLeft, caption)
            painter.setPen(text)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft, caption)
            if position == self.selected:
                painter.setPen(QPen(QColor(palette.SELECTION), 3))
                painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.end()

    def mousePressEvent(self, event) -> None:
        position = self.position_at(event.position().x(), event.position().y())
        if position is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(position)
            self.clicked.emit(position)

    def mouseMoveEvent(self, event) -> None:
        position = self.position_at(event.position().x(), event.position().y())
        if position is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), self._tips[position], self)


def scrolling(gallery: DigitGallery) -> QScrollArea:
    """``gallery`` in a vertical scroll area that keeps it as wide as the view."""
    area = QScrollArea()
    area.setObjectName("digitGalleryScroll")
    area.setWidget(gallery)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumHeight(2 * MIN_TILE)
    return area
