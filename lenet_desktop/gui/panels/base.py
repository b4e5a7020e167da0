"""What every insight panel shares: a figure, a caption, a hover readout, and knowing if it is seen.

A :class:`FigurePanel` takes the session and subscribes to it
(:meth:`FigurePanel.follow_session`): a new model calls
:meth:`FigurePanel.model_changed`, a new explanation
:meth:`FigurePanel.show_explanation`. Docked panels sit in tabs, and Qt leaves
the panels of unselected tabs "visible" (``isVisible()`` stays true), so
panels follow their dock's ``visibilityChanged`` signal instead; an
explanation that arrives while a panel is hidden is shown when it comes on
screen, and work a hidden panel would do (sweeps, test-set figures) waits
until then too.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCursor, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.gui.panels.blit_canvas import BlitCanvasWidget
from lenet_desktop.gui.panels.layout import Row, minimum_height, natural_height, stack_rows
from lenet_desktop.gui.session import Session
from lenet_desktop.model.explanation import Explanation


def one_line_label(name: str) -> QLabel:
    """A label whose text changes never resize the panel (which would force a full redraw)."""
    label = QLabel("")
    label.setObjectName(name)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    label.setFixedHeight(label.fontMetrics().lineSpacing() + 4)
    return label


def fixed_lines_label(name: str, lines: int) -> QLabel:
    """A wrapping label ``lines`` lines high whose text changes never resize the panel."""
    label = QLabel("")
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    label.setFixedHeight(lines * label.fontMetrics().lineSpacing() + 4)
    return label


def set_text(label: QLabel, text: str) -> None:
    """Change ``label``'s text only when it differs (a repaint costs time on every frame)."""
    if label.text() != text:
        label.setText(text)


MIN_WIDTH = 330
"""Narrowest a panel gets: below it, tick labels and titles of the plots run into each other."""


class FigurePanel(QWidget):
    """Base of the insight panels: a blitted matplotlib figure that follows the session."""

    title = ""
    """The dock's title."""
    margins = (28.0, 10.0, 4.0)
    """Left, right and top margins (pixels) of the stacked rows of axes."""
    shrinks = True
    """Whether the image rows may shrink (keeping their aspect) to fit a short dock.
    Panels of plots say no: shrunk, their tick labels and titles run into each other,
    so the figure keeps the panel's width and scrolls instead."""
    min_figure_height = 0
    """Least height (pixels) of the figure, whatever its rows need; a shorter dock scrolls."""

    def __init__(
        self,
        session: Session,
        name: str,
        caption: str = "",
        figsize: tuple[float, float] = (4.4, 6.0),
        hover: bool = True,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.recognizer = None
        """The model the panel shows (the session's, once :meth:`follow_session` ran)."""
        self.on_screen = False
        self._dock = None
        self._stale = False
        self.rows: list[Row] = []
        """The figure's rows of axes, laid out by :func:`stack_rows` on every resize."""
        self.figure = Figure(figsize=figsize, dpi=100)
        self.canvas = BlitCanvasWidget(self.figure)
        self.canvas.setObjectName(f"{name}Canvas")
        self.canvas.mpl_connect("resize_event", self._relayout)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setVisible(bool(caption))
        self.readout = one_line_label(f"{name}Readout")
        self.readout.setVisible(hover)
        if hover:
            self.canvas.mpl_connect("motion_notify_event", self._on_hover)
        # In a dock too short for every row the figure scrolls, never overlaps.
        self.scroll = QScrollArea()
        self.scroll.setObjectName(f"{name}Scroll")
        self.scroll.setWidget(self.canvas)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(MIN_WIDTH)
        self._body = QVBoxLayout(self)
        self._body.setContentsMargins(4, 4, 4, 4)
        self._body.addWidget(self.caption)
        self._body.addWidget(self.scroll, 1)
        self._body.addWidget(self.readout)

    def follow_session(self) -> None:
        """Subscribe to the session and catch up with it (the end of every subclass's __init__)."""
        self.session.recognizer_changed.connect(self._recognizer_changed)
        self.session.explanation_changed.connect(self._explanation_changed)
        if self.session.recognizer is not None:
            self._recognizer_changed(self.session.recognizer)
        self._explanation_changed(self.session.explanation)

    # -- for subclasses -----------------------------------------------------------------
    def add_above(self, item: QWidget | QLayout) -> None:
        """Put a widget or layout between the caption and the figure."""
        self._insert(self._body.indexOf(self.scroll), item)

    def add_below(self, item: QWidget | QLayout) -> None:
        """Put a widget or layout under the figure (above the hover readout)."""
        self._insert(self._body.indexOf(self.readout), item)

    def _insert(self, index: int, item) -> None:
        if isinstance(item, QLayout):
            self._body.insertLayout(index, item)
        else:
            self._body.insertWidget(index, item)

    def model_changed(self, recognizer) -> None:
        """Hook: a new model is in use (rebuild what depends on its layers)."""

    def show_explanation(self, explanation: Explanation | None) -> None:
        """Hook: show a new explanation (``None``: nothing to explain). Called only on screen."""

    def hover_text(self, axes, x: float, y: float) -> str | None:
        """Hook: what the readout says for data point (x, y) of ``axes`` (None: nothing)."""
        return None

    def came_on_screen(self) -> None:
        """Hook: the panel has just become visible (after any explanation it missed)."""

    def show_message(self, text: str) -> None:
        """Empty the figure and show ``text`` in its middle."""
        self.figure.clear()
        self.canvas.clear_animated()
        self.rows = []
        self.figure.text(0.5, 0.5, text, ha="center", va="center", fontsize=10, wrap=True)
        self.canvas.draw_idle()

    def mark_stale(self) -> None:
        """Show the session's explanation again when the panel is next on screen."""
        self._stale = True

    # -- on screen -------------------------------------------------------------------------
    def follow_dock(self, dock) -> None:
        """Take the on-screen state from ``dock`` (its tab selected and the window shown)."""
        self._dock = dock
        dock.visibilityChanged.connect(self.set_on_screen)
        self.set_on_screen(False)

    @Slot(bool)
    def set_on_screen(self, visible: bool) -> None:
        """Record whether the panel can be seen; catch up on deferred work when it can."""
        self.canvas.set_active(visible)
        if visible == self.on_screen:
            return
        self.on_screen = visible
        if visible:
            if self._stale:
                self._stale = False
                self.show_explanation(self.session.explanation)
            self.came_on_screen()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dock is None:
            self.set_on_screen(True)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if self._dock is None:
            self.set_on_screen(False)

    # -- internals -------------------------------------------------------------------------
    def _recognizer_changed(self, recognizer) -> None:
        self.recognizer = recognizer
        set_text(self.readout, "")  # the previous model's value under the mouse
        self.model_changed(recognizer)

    def _explanation_changed(self, explanation) -> None:
        if self.on_screen:
            self.show_explanation(explanation)
        else:
            self._stale = True

    def _relayout(self, _event=None) -> None:
        left, right, top = self.margins
        least = max(minimum_height(self.rows, top) if self.rows else 0, self.min_figure_height)
        if self.rows and not self.shrinks:
            # The width the figure has with the scroll bar shown, whether it is or
            # not: a height that depended on the bar would show and hide it in turn.
            bar = self.scroll.verticalScrollBar().sizeHint().width()
            width = self.scroll.width() - bar
            least = max(least, natural_height(self.rows, width, left, right, top))
        if self.canvas.minimumHeight() != least:
            self.canvas.setMinimumHeight(least)
            if not self.shrinks:
                # The scroll area resizes the canvas at once, inside this resize event,
                # where matplotlib ignores it: the figure would keep its old height
                # (and its rows their old width) until the next resize.
                QTimer.singleShot(0, self._fit_canvas_height)
        if self.rows:
            stack_rows(self.figure, self.rows, left_px=left, right_px=right, top_px=top)

    def _fit_canvas_height(self) -> None:
        """Give the figure the canvas's size again, after a resize matplotlib ignored."""
        size = self.canvas.size()
        if round(self.figure.bbox.height) != round(size.height() * self.canvas.device_pixel_ratio):
            QApplication.sendEvent(self.canvas, QResizeEvent(size, size))

    def _on_hover(self, event) -> None:
        text = None
        if event.inaxes is not None and event.xdata is not None:
            text = self.hover_text(event.inaxes, event.xdata, event.ydata)
        set_text(self.readout, text or "")
        if text:
            QToolTip.showText(QCursor.pos(), text, self.canvas)
        else:
            QToolTip.hideText()
