"""The Draw tab: the canvas with its clear, undo and pen-width controls; strokes explained live.

A stroke goes: canvas ``changed`` -> :meth:`DrawPanel.explain_drawing` (at
most once per event-loop turn, however many mouse moves arrived) ->
:func:`lenet_desktop.vision.preprocess_digit` -> :meth:`Session.show_input`,
which runs the model once and tells every view.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from lenet_desktop.gui.inputs.canvas import HINT, PEN_WIDTH_RANGE, DrawCanvasWidget
from lenet_desktop.gui.inputs.tab import InputTab
from lenet_desktop.gui.session import Session

DRAWING = "drawing"
"""The source of explanations that come from the canvas."""


def keep_every_pointer_move() -> None:
    """Have Qt deliver every pointer sample, so a stroke drawn on a busy window stays smooth.

    With ``AA_CompressHighFrequencyEvents`` on (Qt's default), the X11 plugin drops the
    mouse moves that queued up while the GUI thread was busy and delivers only the
    newest: under load (a training run) a fast curve turns into a polygon. Qt 6.11 sets
    the attribute back on while it constructs the application, so turning it off before
    that (as ``app.py`` once did) has no effect: this runs once the application exists.
    Each ``QMouseEvent`` carries one point (``points()`` has no history on X11), so the
    canvas keeps every point of every event it gets.
    """
    for attribute in (
        Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents,
        Qt.ApplicationAttribute.AA_CompressTabletEvents,
    ):
        QCoreApplication.setAttribute(attribute, False)


class DrawPanel(InputTab):
    """Holds the drawing canvas and the buttons that act on it; explains the drawing as it grows."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.canvas = DrawCanvasWidget()
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setToolTip("Clear the canvas (Esc)")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip("Remove the last stroke (Ctrl+Z)")
        self.redo_button = QPushButton("Redo")
        self.redo_button.setObjectName("redoButton")
        self.redo_button.setToolTip("Put back the stroke undone last (Ctrl+Shift+Z, Ctrl+Y)")
        self.pen_width = QSpinBox()
        self.pen_width.setObjectName("penWidth")
        self.pen_width.setAccessibleName("penWidth")
        self.pen_width.setRange(*PEN_WIDTH_RANGE)
        self.pen_width.setSuffix(" px")
        self.pen_width.setValue(int(self.canvas.pen_width()))
        self.pen_width.setToolTip(
            "Pen width on screen, in pixels of a 280 x 280 sheet. The network sees the "
            "digit drawn with a pen in proportion to its size, so any width reads the same."
        )
        self.clear_button.clicked.connect(self.canvas.clear)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.redo_button.clicked.connect(self.canvas.redo)
        self.pen_width.valueChanged.connect(self.canvas.set_pen_width)
        self.canvas.changed.connect(self._update_buttons)
        self.canvas.changed.connect(self._schedule)
        self._pending = False
        bar = QHBoxLayout()
        bar.addWidget(self.clear_button)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        bar.addStretch(1)
        bar.addWidget(QLabel("Pen width:"))
        bar.addWidget(self.pen_width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bar)
        self._update_buttons()

    def became_active(self) -> None:
        """Explain what is drawn (or say to draw)."""
        self.explain_drawing()

    def explain_drawing(self) -> None:
        """Preprocess the drawing into a 28x28 digit and put it into the session."""
        from lenet_desktop.vision import preprocess_digit

        self._pending = False
        if not self.active:
            return
        if self.canvas.is_empty():
            self.session.show_nothing(HINT)
            return
        result = preprocess_digit(self.canvas.render_gray(), ink="dark", remove_lighting=False)
        if result.found:
            self.session.show_input(result.digit, result.steps, DRAWING)
        else:
            self.session.show_nothing(result.reason, result.steps)

    def save_png(self, path) -> None:
        """Write the drawing as drawn (dark ink on white, 280 x 280, the user's pen) to ``path``.

        The PNG is written atomically.

        Raises OSError when the file cannot be written.
        """
        import cv2

        from training.atomic import write_bytes_atomic

        ok, encoded = cv2.imencode(".png", self.canvas.ink_gray())
        if not ok:
            raise OSError("PNG encoding failed")
        write_bytes_atomic(path, encoded.tobytes())

    def _schedule(self) -> None:
        # Coalesce: a burst of mouse moves costs one explanation per event-loop turn.
        if self.active and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self.explain_drawing)

    def _update_buttons(self) -> None:
        has_ink = not self.canvas.is_empty()
        self.clear_button.setEnabled(has_ink)
        self.undo_button.setEnabled(has_ink)
        self.redo_button.setEnabled(self.canvas.can_redo())
