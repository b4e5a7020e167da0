"""The 28x28 image the network sees, shown large with sharp pixels."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_desktop.gui.images import gray_to_qimage


class DigitViewWidget(QWidget):
    """Shows one small grey image (the model input) scaled up without smoothing."""

    def __init__(self, name: str = "modelInput28", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.setToolTip("The 28x28 image the network sees")
        self.setMinimumSize(84, 84)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._array: np.ndarray | None = None
        self._image = None

    def image(self) -> np.ndarray | None:
        """The image shown, or ``None``."""
        return None if self._array is None else self._array.copy()

    def set_image(self, array: np.ndarray | None) -> None:
        """Show ``array`` (uint8 or [0, 1] floats, 2-D) or an empty square."""
        self._array = None if array is None else np.array(array)
        # Converted once here: drawing a grey image scaled costs a conversion on every paint.
        self._image = (
            None
            if array is None
            else gray_to_qimage(self._array).convertToFormat(QImage.Format.Format_RGB32)
        )
        self.update()

    def heightForWidth(self, width: int) -> int:
        return width

    def hasHeightForWidth(self) -> bool:
        return True

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        side = min(self.width(), self.height())
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.fillRect(rect, QColor(0, 0, 0))
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(rect, self._image)
        painter.setPen(QColor(120, 120, 120))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        if self._image is None:
            painter.setPen(QColor(160, 160, 160))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "28 × 28")
        painter.end()
