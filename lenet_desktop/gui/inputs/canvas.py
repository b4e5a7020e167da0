"""The drawing canvas: strokes drawn with a mouse or a pen tablet, rendered for the model.

The screen shows the ink with the user's pen width. The model's image is drawn
from the stroke vectors by :func:`training.drawing.model_image`, with a pen
width normalised to the digit's size, so a digit reads the same whatever the
pen width (6 to 40) and however large it is drawn; training draws real
writers' pen trajectories with the same function.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from training.drawing import PAPER_SIZE, model_image, render_strokes

DEFAULT_PEN_WIDTH = 18
"""In paper units: MNIST strokes are about a tenth of the digit's height."""
PEN_WIDTH_RANGE = (6, 40)
PAPER_COLOR = QColor(255, 255, 255)
INK_COLOR = QColor(0, 0, 0)
HINT = "Draw a digit"


class DrawCanvasWidget(QWidget):
    """A square sheet of paper holding strokes drawn with the mouse or a tablet pen.

    Strokes are kept as lists of points in paper units (0 to
    :data:`PAPER_SIZE`), so the drawing survives resizing; the widget shows the
    paper scaled to fit, in an image at the widget's pixel size drawn with the
    user's pen. While drawing, only the newest segment is painted into it, so
    the cost of a mouse move does not grow with the drawing; undo, clear, a new
    pen width or a resize redraw everything. The model's image
    (:meth:`render_gray`) is drawn from the strokes when asked for, with the
    pen width normalised to the digit's size.
    """

    changed = Signal()
    """Emitted on every change to the drawing (each point while drawing, clear, undo)."""
    stroke_finished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("drawCanvas")
        self.setAccessibleName("drawCanvas")
        self.setAccessibleDescription("Drawing area: draw one digit with the mouse or a pen")
        self.setToolTip("Draw a digit. Esc clears, Ctrl+Z undoes the last stroke.")
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._strokes: list[list[QPointF]] = []
        self._undone: list[list[QPointF]] = []
        """Strokes taken back by undo, newest last, until a new stroke is drawn."""
        self._drawing = False
        self._pen_width = float(DEFAULT_PEN_WIDTH)
        self._model: np.ndarray | None = None
        """The model's image of the drawing, until the drawing changes."""
        self._screen: QImage | None = None
        self._redraw_all()

    # -- public API -----------------------------------------------------------
    @property
    def strokes(self) -> list[list[tuple[float, float]]]:
        """The strokes as lists of (x, y) in paper units, oldest first."""
        return [[(p.x(), p.y()) for p in stroke] for stroke in self._strokes]

    def is_empty(self) -> bool:
        """True when nothing is drawn."""
        return not self._strokes

    def pen_width(self) -> float:
        """Pen width in paper units."""
        return self._pen_width

    def set_pen_width(self, width: float) -> None:
        """Set the pen width (paper units, clamped to :data:`PEN_WIDTH_RANGE`); redraws."""
        low, high = PEN_WIDTH_RANGE
        self._pen_width = float(min(max(width, low), high))
        self._redraw_all()
        if self._strokes:
            self.changed.emit()

    def clear(self) -> None:
        """Remove every stroke."""
        if not self._strokes and not self._drawing:
            return
        self._strokes.clear()
        self._undone.clear()
        self._drawing = False
        self._redraw_all()
        self.changed.emit()

    def undo(self) -> None:
        """Remove the last stroke."""
        if not self._strokes:
            return
        self._undone.append(self._strokes.pop())
        self._drawing = False
        self._redraw_all()
        self.changed.emit()

    def redo(self) -> None:
        """Put back the stroke undone last."""
        if not self._undone or self._drawing:
            return
        self._strokes.append(self._undone.pop())
        self._redraw_all()
        self.changed.emit()

    def can_redo(self) -> bool:
        """Whether there is an undone stroke to put back."""
        return bool(self._undone)

    def set_strokes(self, strokes) -> None:
        """Replace the drawing with ``strokes`` (lists of (x, y) in paper units)."""
        self._strokes = [[QPointF(float(x), float(y)) for x, y in stroke] for stroke in strokes]
        self._undone.clear()
        self._drawing = False
        self._redraw_all()
        self.changed.emit()

    def render_gray(self) -> np.ndarray:
        """The model's image of the drawing: uint8 (PAPER_SIZE, PAPER_SIZE), dark ink on white.

        Drawn by :func:`training.drawing.model_image` with the pen width
        normalised to the digit's size (not the on-screen pen). The array is
        read-only and kept until the drawing changes.
        """
        if self._model is None:
            self._model = model_image(self.strokes)
            self._model.setflags(write=False)
        return self._model

    def ink_gray(self) -> np.ndarray:
        """The drawing as the user drew it: uint8 (PAPER_SIZE, PAPER_SIZE), dark ink on
        white, with the user's own pen width (what "Save drawing" writes)."""
        return render_strokes(self.strokes, self._pen_width)

    def screen_gray(self) -> np.ndarray:
        """What the screen shows of the paper, as a uint8 grey copy (widget pixels)."""
        if self._screen is None:
            return np.full((1, 1), 255, np.uint8)
        image = self._screen.convertToFormat(QImage.Format.Format_Grayscale8)
        height, width, stride = image.height(), image.width(), image.bytesPerLine()
        buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
        return buffer.reshape(height, stride)[:, :width].copy()

    def paper_rect(self) -> QRectF:
        """Where the paper lies in widget coordinates (the largest centred square)."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_paper(self, position: QPointF) -> QPointF:
        """Widget coordinates to paper units."""
        rect = self.paper_rect()
        scale = PAPER_SIZE / max(rect.width(), 1.0)
        return QPointF((position.x() - rect.x()) * scale, (position.y() - rect.y()) * scale)

    # -- rendering ------------------------------------------------------------------
    def _ink_painter(self, image: QImage) -> QPainter:
        """A painter on ``image`` that draws in paper units with the ink pen."""
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The screen image may have a device pixel ratio: the painter works in logical pixels.
        scale = image.deviceIndependentSize().width() / PAPER_SIZE
        painter.scale(scale, scale)
        pen = QPen(INK_COLOR, self._pen_width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        return painter

    def _images(self) -> list[QImage]:
        return [] if self._screen is None else [self._screen]

    def _redraw_all(self) -> None:
        self._model = None
        for image in self._images():
            image.fill(PAPER_COLOR)
            painter = self._ink_painter(image)
            for stroke in self._strokes:
                if len(stroke) == 1:
                    # A tap leaves a dot, as a pen would.
                    painter.drawPoint(stroke[0])
                    continue
                path = QPainterPath(stroke[0])
                for point in stroke[1:]:
                    path.lineTo(point)
                painter.drawPath(path)
            painter.end()
        self.update()

    def _draw_segment(self, start: QPointF, end: QPointF | None) -> None:
        """Add one segment (or a dot when ``end`` is None) to the screen; repaint its area."""
        self._model = None
        for image in self._images():
            painter = self._ink_painter(image)
            if end is None:
                painter.drawPoint(start)
            else:
                painter.drawLine(start, end)
            painter.end()
        end = start if end is None else end
        rect = self.paper_rect()
        scale = rect.width() / PAPER_SIZE
        margin = self._pen_width / 2 + 2
        left, right = sorted((start.x(), end.x()))
        top, bottom = sorted((start.y(), end.y()))
        dirty = QRectF(
            left - margin, top - margin, right - left + 2 * margin, bottom - top + 2 * margin
        )
        self.update(
            QRectF(
                rect.x() + dirty.x() * scale,
                rect.y() + dirty.y() * scale,
                dirty.width() * scale,
                dirty.height() * scale,
            ).toAlignedRect()
        )

    def resizeEvent(self, event) -> None:
        ratio = self.devicePixelRatioF()
        side = max(1, int(round(self.paper_rect().width() * ratio)))
        self._screen = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        self._screen.setDevicePixelRatio(ratio)
        self._redraw_all()
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        rect = self.paper_rect()
        if not rect.contains(QRectF(event.rect())):
            painter.fillRect(self.rect(), self.palette().window())
        if self._screen is not None:
            painter.drawImage(rect.topLeft(), self._screen)
        if not self._strokes:
            painter.setPen(QColor(150, 150, 150))
            font = painter.font()
            font.setPointSizeF(max(10.0, rect.height() / 18))
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, HINT)
        painter.setPen(QPen(QColor(180, 180, 180), 1))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()

    # -- input --------------------------------------------------------------------
    def _begin(self, position: QPointF) -> None:
        self._drawing = True
        self._undone.clear()
        point = self.to_paper(position)
        self._strokes.append([point])
        if len(self._strokes) == 1:
            self.update()  # the hint goes away
        self._draw_segment(point, None)
        self.changed.emit()

    def _extend(self, position: QPointF) -> None:
        if not self._drawing or not self._strokes:
            return
        point = self.to_paper(position)
        last = self._strokes[-1][-1]
        if abs(point.x() - last.x()) + abs(point.y() - last.y()) < 0.5:
            return
        self._strokes[-1].append(point)
        self._draw_segment(last, point)
        self.changed.emit()

    def _end(self, position: QPointF) -> None:
        if not self._drawing:
            return
        self._extend(position)
        self._drawing = False
        self.stroke_finished.emit()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._drawing and event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position())
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event) -> None:
        # Accepting the tablet event stops Qt from synthesising a mouse event as well.
        kind = event.type()
        if kind == event.Type.TabletPress:
            self._begin(event.position())
        elif kind == event.Type.TabletMove:
            self._extend(event.position())
        elif kind == event.Type.TabletRelease:
            self._end(event.position())
        event.accept()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
            event.accept()
        else:
            super().keyPressEvent(event)
