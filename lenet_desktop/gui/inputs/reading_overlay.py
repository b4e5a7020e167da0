"""A reading drawn over its frame and put in words: digit and separator boxes, the verdict.

The frame view paints with these functions; the Photo and Camera tabs word
their summaries with them, so the picture and the text always agree. A
reading the recognizer is not sure of is marked as such everywhere: an amber
banner "Not sure: 3.500? (62%)" over the frame and the same words below it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from lenet_desktop.gui.wording import plural

BOX_COLOR = QColor(0, 200, 90)
SELECTED_COLOR = QColor(255, 140, 0)
DOUBT_COLOR = QColor(240, 200, 40)
SEPARATOR_COLOR = QColor(80, 170, 255)
NOT_SURE_COLOR = QColor(255, 176, 0)
DOUBT = 0.9
"""Below this confidence a digit's tag shows the probability and turns yellow."""
SEPARATOR_MIN_SIDE = 10.0
"""A separator's box is drawn at least this many screen pixels wide and high (a dot is tiny)."""
SEPARATOR_SHOWN = {".": "·", ",": ",", "-": "–", "/": "/"}
"""How a separator's tag shows its character: a point centred, so a small tag still shows it."""


def verdict(text: str, confidence: float | None = None, sure: bool | None = None) -> str:
    """The number read, with how sure the recognizer is: ``"Not sure: 3.500? (62%)"``.

    ``sure`` None (no whole-number confidence known) gives ``"Reads: 3500"``;
    an empty ``text`` gives ``""``.
    """
    if not text:
        return ""
    if sure is None or confidence is None:
        return f"Reads: {text}"
    if sure:
        return f"Reads: {text} ({confidence:.0%} sure)"
    return f"Not sure: {text}? ({confidence:.0%})"


def counts_text(digits: int, separators: int) -> str:
    """``"4 digits, 1 separator"`` (separators only when there are some)."""
    text = plural(digits, "digit")
    return f"{text}, {plural(separators, 'separator')}" if separators else text


def _screen_box(to_widget: Callable[[float, float], QPointF], box) -> QRectF:
    x, y, w, h = box
    return QRectF(to_widget(x, y), to_widget(x + w, y + h))


def _tag(painter: QPainter, box: QRectF, text: str, color: QColor, below: bool = False) -> None:
    """A filled tag with ``text`` above ``box`` (below it when ``below`` or at the top edge)."""
    metrics = painter.fontMetrics()
    rect = QRectF(0, 0, max(metrics.horizontalAdvance(text) + 8, 16), metrics.height() + 2)
    rect.moveBottomLeft(box.topLeft())
    if below or rect.top() < 0:
        rect.moveTopLeft(box.bottomLeft())
    painter.fillRect(rect, color)
    painter.setPen(QColor(0, 0, 0))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def paint_boxes(
    painter: QPainter,
    to_widget: Callable[[float, float], QPointF],
    digits: list,
    separators: list,
    selected: int = -1,
) -> None:
    """Box every digit (green, yellow with its probability when doubtful or "tiny" when
    too small to be sure of, orange when ``selected``) and every separator (blue,
    dashed, tagged with its character)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = painter.font()
    font.setBold(True)
    font.setPointSize(12)
    painter.setFont(font)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for i, digit in enumerate(digits):
        box = _screen_box(to_widget, digit.box)
        confidence = float(digit.confidence)
        tiny = bool(digit.tiny)
        color = BOX_COLOR if confidence >= DOUBT and not tiny else DOUBT_COLOR
        color = SELECTED_COLOR if i == selected else color
        painter.setPen(QPen(color, 2))
        painter.drawRect(box)
        # The digit alone keeps tags from covering each other on small views; a doubtful
        # reading also shows how sure the model is, a mark too small to trust says so.
        _tag(painter, box, _tag_text(int(digit.label), confidence, tiny), color)
    for separator in separators:
        box = _screen_box(to_widget, separator.box)
        grow_x = max(0.0, SEPARATOR_MIN_SIDE - box.width()) / 2
        grow_y = max(0.0, SEPARATOR_MIN_SIDE - box.height()) / 2
        box.adjust(-grow_x, -grow_y, grow_x, grow_y)
        painter.setPen(QPen(SEPARATOR_COLOR, 2, Qt.PenStyle.DashLine))
        painter.drawRect(box)
        # Below, where the digits' tags are not: a separator sits between two digits.
        shown = SEPARATOR_SHOWN.get(separator.char, separator.char)
        _tag(painter, box.translated(0, 2), shown, SEPARATOR_COLOR, below=True)


def _tag_text(label: int, confidence: float, tiny: bool) -> str:
    """``"4"``, ``"4 62%"`` when doubtful, ``"4 tiny"`` when too small to be sure of."""
    if tiny:
        return f"{label} tiny"
    return f"{label}" + (f" {confidence:.0%}" if confidence < DOUBT else "")


def paint_banner(painter: QPainter, text: str, sure: bool | None) -> QRectF:
    """The verdict in the top-left corner: white on black, black on amber when not sure."""
    metrics = painter.fontMetrics()
    rect = QRectF(8, 8, metrics.horizontalAdvance(text) + 16, metrics.height() + 8)
    doubtful = sure is False
    painter.fillRect(rect, NOT_SURE_COLOR if doubtful else QColor(0, 0, 0, 170))
    painter.setPen(QColor(0, 0, 0) if doubtful else QColor(255, 255, 255))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    return rect


def reading_summary(reading) -> str:
    """One line for under the frame: ``"4 digits, 1 separator, not sure: 3.500? (62%)"``.

    ``reading`` is a :class:`~lenet_desktop.model.reading.Reading` with digits; its
    error, when it has one, is said instead.
    """
    if reading.error:
        return reading.error
    counts = counts_text(len(reading.digits), len(reading.separators))
    if not reading.digits:
        return "no digits found"
    percent = f"{float(reading.confidence):.0%}"
    if reading.sure:
        return f"{counts}, reads {reading.text} ({percent} sure)"
    tiny = sum(bool(d.tiny) for d in reading.digits)
    why = f"; {plural(tiny, 'mark')} too small to be sure of" if tiny else ""
    return f"{counts}, not sure: {reading.text}? ({percent}){why}"
