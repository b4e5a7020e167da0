"""Ten bars, one per digit, showing the class probabilities."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from lenet_desktop.gui import palette

BAR_COLOR = QColor(palette.BAR)
TOP_COLOR = QColor(palette.TOP_BAR)


class ProbabilityChartWidget(QWidget):
    """Horizontal bars of the ten class probabilities, the most likely digit highlighted."""

    painted = Signal()
    """Emitted at the end of every repaint (the latency benchmark listens to it)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("probabilityChart")
        self.setAccessibleName("probabilityChart")
        self.setMinimumSize(180, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._probabilities: np.ndarray | None = None
        self._update_accessible_text()

    def probabilities(self) -> np.ndarray | None:
        """The probabilities shown, or ``None`` when the chart is empty."""
        return None if self._probabilities is None else self._probabilities.copy()

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        """Show ``probabilities`` (10 values) or nothing (``None``)."""
        if probabilities is None:
            self._probabilities = None
        else:
            values = np.asarray(probabilities, dtype=np.float64).reshape(-1)
            if values.shape != (10,):
                raise ValueError(f"expected 10 probabilities, got {values.shape}")
            self._probabilities = np.clip(values, 0.0, 1.0)
        self._update_accessible_text()
        self.update()

    def _update_accessible_text(self) -> None:
        if self._probabilities is None:
            self.setAccessibleDescription("No prediction")
            return
        text = ", ".join(f"{d}: {p:.0%}" for d, p in enumerate(self._probabilities))
        self.setAccessibleDescription(f"Class probabilities: {text}")

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        label_width = metrics.horizontalAdvance("0") + 10
        value_width = metrics.horizontalAdvance("100%") + 8
        row = self.height() / 10.0
        bar_space = max(1.0, self.width() - label_width - value_width - 4)
        top = -1 if self._probabilities is None else int(np.argmax(self._probabilities))
        text_color = self.palette().text().color()
        for digit in range(10):
            y = digit * row
            label_rect = QRectF(0, y, label_width, row)
            painter.setPen(text_color)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, str(digit))
            track = QRectF(label_width, y + row * 0.18, bar_space, row * 0.64)
            painter.fillRect(track, self.palette().alternateBase())
            if self._probabilities is None:
                continue
            value = float(self._probabilities[digit])
            bar = QRectF(track.x(), track.y(), max(1.0, bar_space * value), track.height())
            painter.fillRect(bar, TOP_COLOR if digit == top else BAR_COLOR)
            value_rect = QRectF(label_width + bar_space + 4, y, value_width, row)
            painter.setPen(text_color)
            painter.drawText(
                value_rect,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"{value:.0%}",
            )
        painter.end()
        self.painted.emit()
