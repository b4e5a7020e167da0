"""A camera frame or a photo with every digit and separator read in it boxed and labelled.

A reading the recognizer is not sure of is marked over the frame (see
:mod:`lenet_desktop.gui.inputs.reading_overlay`, which paints it).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_desktop.gui.images import bgr_to_qimage
from lenet_desktop.gui.inputs.reading_overlay import (
    counts_text,
    paint_banner,
    paint_boxes,
    verdict,
)


class FrameViewWidget(QWidget):
    """Shows one frame or photo, the digits read in it, and a message when there is nothing.

    Clicking inside a box emits :attr:`digit_clicked` with that digit's index.
    """

    digit_clicked = Signal(int)

    def __init__(self, name: str = "cameraView", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._frame: np.ndarray | None = None
        self._image: QImage | None = None
        """What is painted: the frame, or a smaller copy of it (a big photo's preview)."""
        self._size = (0, 0)
        """(width, height) of the frame, in the pixels the boxes are given in."""
        self._digits: list = []
        self._separators: list = []
        self._text = ""
        self._confidence: float | None = None
        self._sure: bool | None = None
        self._selected = -1
        self._message = ""

    # -- state ----------------------------------------------------------------
    def frame(self) -> np.ndarray | None:
        """The frame shown (BGR or grey uint8), or ``None``."""
        return self._frame

    def digits(self) -> list:
        """The digits read in the frame shown (``ReadDigit`` objects, reading order)."""
        return list(self._digits)

    def labels(self) -> list[int]:
        """Labels of the digits shown, in reading order."""
        return [int(d.label) for d in self._digits]

    def boxes(self) -> list[tuple[int, int, int, int]]:
        """Boxes (x, y, w, h) of the digits shown, in frame pixels."""
        return [tuple(int(v) for v in d.box) for d in self._digits]

    def separators(self) -> list:
        """The separators read in the frame shown (``ReadSeparator`` objects, reading order)."""
        return list(self._separators)

    def separator_boxes(self) -> list[tuple[int, int, int, int]]:
        """Boxes (x, y, w, h) of the separators shown, in frame pixels."""
        return [tuple(int(v) for v in s.box) for s in self._separators]

    def text(self) -> str:
        """The number read out of the frame (separators included)."""
        return self._text

    def sure(self) -> bool | None:
        """Whether the recognizer is sure of the reading shown (``None``: not known)."""
        return self._sure

    def verdict(self) -> str:
        """What the banner over the frame says: ``"Not sure: 3.500? (62%)"``, or ``""``."""
        return verdict(self._text, self._confidence, self._sure)

    def message(self) -> str:
        """The message shown instead of (or over) the frame, or ``""``."""
        return self._message

    def selected(self) -> int:
        """Index of the digit clicked last, or -1."""
        return self._selected

    def digit_crop(self, index: int) -> np.ndarray:
        """The grey crop of the frame around digit ``index`` (for the preprocessing steps)."""
        from lenet_desktop.vision import to_gray8

        x, y, w, h = self.boxes()[index]
        pad = max(2, int(0.15 * max(w, h)))
        y0, x0 = max(0, y - pad), max(0, x - pad)
        return to_gray8(self._frame[y0 : y + h + pad, x0 : x + w + pad])

    def set_frame(
        self,
        frame: np.ndarray | None,
        digits: list | None = None,
        text: str = "",
        preview: np.ndarray | None = None,
    ) -> None:
        """Show ``frame`` with the digits read in it (``None`` clears the view).

        ``preview``: a smaller uint8 copy of the frame to paint instead (made off the
        GUI thread for a big photo); boxes stay in frame pixels. Giving the frame
        shown again keeps its picture, so showing a reading converts nothing.
        """
        if frame is None:
            self._image = None
        elif preview is not None or frame is not self._frame or self._image is None:
            self._image = bgr_to_qimage(preview if preview is not None else frame)
        self._frame = frame
        self._size = (0, 0) if frame is None else (frame.shape[1], frame.shape[0])
        self._digits = list(digits or [])
        self._separators = []
        self._text = text
        self._confidence = self._sure = None
        if self._selected >= len(self._digits):
            self._selected = -1
        self._update_accessible_text()
        self.update()

    def show_reading(self, frame: np.ndarray, reading, preview: np.ndarray | None = None) -> None:
        """Show ``frame`` with a :class:`~lenet_desktop.model.reading.Reading` of it: its digits
        and separators boxed, and whether the recognizer is sure of the whole number."""
        self.set_frame(frame, reading.digits, reading.text, preview)
        self._separators = list(reading.separators)
        if reading.digits:
            self._confidence, self._sure = float(reading.confidence), bool(reading.sure)
        self._update_accessible_text()
        self.update()

    def set_message(self, message: str) -> None:
        """Show ``message`` in the view (``""`` removes it)."""
        self._message = message
        self._update_accessible_text()
        self.update()

    def select(self, index: int) -> None:
        """Highlight digit ``index`` (-1 for none)."""
        self._selected = index if 0 <= index < len(self._digits) else -1
        self.update()

    # -- geometry ---------------------------------------------------------------
    def image_rect(self) -> QRectF:
        """Where the frame is drawn in widget coordinates (aspect kept, centred)."""
        if self._image is None:
            return QRectF()
        width, height = self._size
        scale = min(self.width() / width, self.height() / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def widget_point(self, x: float, y: float) -> QPointF:
        """Frame pixel (x, y) to widget coordinates."""
        rect = self.image_rect()
        scale = rect.width() / max(self._size[0], 1) if self._image is not None else 1.0
        return QPointF(rect.x() + x * scale, rect.y() + y * scale)

    def digit_at(self, position: QPointF) -> int:
        """Index of the (smallest) digit box under widget ``position``, or -1."""
        if self._image is None:
            return -1
        rect = self.image_rect()
        scale = rect.width() / self._size[0]
        x, y = (position.x() - rect.x()) / scale, (position.y() - rect.y()) / scale
        hits = []
        for i, (bx, by, bw, bh) in enumerate(self.boxes()):
            pad = max(4.0, 0.1 * max(bw, bh))
            if bx - pad <= x <= bx + bw + pad and by - pad <= y <= by + bh + pad:
                hits.append((bw * bh, i))
        return min(hits)[1] if hits else -1

    # -- events -------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        index = self.digit_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index >= 0:
            self.select(index)
            self.digit_clicked.emit(index)
            event.accept()
        else:
            super().mousePressEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(30, 30, 30))
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.image_rect(), self._image)
            self._paint_digits(painter)
        if self._message:
            self._paint_message(painter)
        elif self._image is None:
            painter.setPen(QColor(170, 170, 170))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No image")
        painter.end()

    def _paint_digits(self, painter: QPainter) -> None:
        paint_boxes(painter, self.widget_point, self._digits, self._separators, self._selected)
        if self._text:
            paint_banner(painter, self.verdict(), self._sure)

    def _paint_message(self, painter: QPainter) -> None:
        font = painter.font()
        font.setPointSize(13)
        painter.setFont(font)
        area = QRectF(self.rect()).adjusted(20, 20, -20, -20)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        bound = painter.boundingRect(area, flags, self._message).adjusted(-12, -8, 12, 8)
        painter.fillRect(bound, QColor(0, 0, 0, 190))
        painter.setPen(QColor(255, 220, 120))
        painter.drawText(area, flags, self._message)

    def _update_accessible_text(self) -> None:
        if self._message:
            self.setAccessibleDescription(self._message)
        elif self._digits:
            counts = counts_text(len(self._digits), len(self._separators))
            self.setAccessibleDescription(f"{counts} read. {self.verdict()}")
        else:
            self.setAccessibleDescription("No digits found" if self._image is not None else "")
