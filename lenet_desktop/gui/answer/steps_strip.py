"""A strip of thumbnails: each stage of turning the input into the 28x28 digit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_desktop.gui.images import gray_to_qimage

THUMB = 72
GAP = 8
CAPTION = 30


class PreprocessStripWidget(QWidget):
    """Shows the named preprocessing steps (``PreprocessResult.steps``) left to right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("preprocessSteps")
        self.setAccessibleName("preprocessSteps")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._steps: list[tuple[str, object]] = []
        self._message = "No input yet"

    def step_names(self) -> list[str]:
        """Names of the steps shown."""
        return [name for name, _ in self._steps]

    def set_steps(self, steps: list[tuple[str, np.ndarray]] | None, message: str = "") -> None:
        """Show ``steps`` (name, uint8 image) or, when empty, ``message``."""
        self._steps = [(name, gray_to_qimage(image)) for name, image in (steps or [])]
        self._message = message
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        count = max(1, len(self._steps))
        return QSize(count * (THUMB + GAP), THUMB + CAPTION + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(THUMB, THUMB + CAPTION + 4)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if not self._steps:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
            painter.end()
            return
        count = len(self._steps)
        thumb = min(THUMB, max(24, (self.width() - GAP * (count - 1)) // count))
        font = painter.font()
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        painter.setFont(font)
        for i, (name, image) in enumerate(self._steps):
            x = i * (thumb + GAP)
            scale = thumb / max(image.width(), image.height(), 1)
            w, h = image.width() * scale, image.height() * scale
            target = QRectF(x + (thumb - w) / 2, (thumb - h) / 2, w, h)
            painter.fillRect(QRectF(x, 0, thumb, thumb), QColor(40, 40, 40))
            painter.drawImage(target, image)
            painter.setPen(self.palette().text().color())
            caption = QRectF(x - 2, thumb + 2, thumb + 4, CAPTION)
            painter.drawText(
                caption, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, name
            )
        painter.end()
