"""A strip of thumbnails: each stage of turning the input into the 28x28 digit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_desktop.gui.images import gray_to_qimage

THUMB = 72
GAP = 8
CAPTION_LINES = 3
"""Lines under each thumbnail: a name like "ink made bright" takes three under a small one."""


class PreprocessStripWidget(QWidget):
    """Shows the named preprocessing steps (``PreprocessResult.steps``) left to right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("preprocessSteps")
        self.setAccessibleName("preprocessSteps")
        # As tall as its thumbnails at the width it has (they shrink in a narrow column).
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
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

    def caption_font(self) -> QFont:
        """The font of the step names (a little smaller than the widget's)."""
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        return font

    def caption_height(self) -> int:
        """Height (pixels) kept for a step's name under its thumbnail."""
        lines = "\n".join(["Xg"] * CAPTION_LINES)  # measured as drawn, leading included
        return (
            QFontMetrics(self.caption_font())
            .boundingRect(QRect(0, 0, 1000, 1000), 0, lines)
            .height()
        )

    def thumb_size(self, width: int | None = None) -> int:
        """Side (pixels) of each thumbnail at ``width`` (default: the widget's width)."""
        count = max(1, len(self._steps))
        width = self.width() if width is None else width
        return min(THUMB, max(24, (width - GAP * (count - 1)) // count))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.thumb_size(width) + self.caption_height() + 4

    def caption_needs(self, name: str) -> QSize:
        """The size ``name`` takes wrapped under a thumbnail at the widget's width."""
        width = self.thumb_size() + 4
        flags = int(Qt.AlignmentFlag.AlignHCenter) | int(Qt.TextFlag.TextWordWrap)
        return (
            QFontMetrics(self.caption_font())
            .boundingRect(QRect(0, 0, width, 1000), flags, name)
            .size()
        )

    def sizeHint(self) -> QSize:
        count = max(1, len(self._steps))
        return QSize(count * (THUMB + GAP), THUMB + self.caption_height() + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(THUMB, THUMB + self.caption_height() + 4)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if not self._steps:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
            painter.end()
            return
        thumb = self.thumb_size()
        painter.setFont(self.caption_font())
        caption_height = self.caption_height()
        for i, (name, image) in enumerate(self._steps):
            x = i * (thumb + GAP)
            scale = thumb / max(image.width(), image.height(), 1)
            w, h = image.width() * scale, image.height() * scale
            target = QRectF(x + (thumb - w) / 2, (thumb - h) / 2, w, h)
            painter.fillRect(QRectF(x, 0, thumb, thumb), QColor(40, 40, 40))
            painter.drawImage(target, image)
            painter.setPen(self.palette().text().color())
            caption = QRectF(x - 2, thumb + 2, thumb + 4, caption_height)
            painter.drawText(
                caption, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, name
            )
        painter.end()
