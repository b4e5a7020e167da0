"""The Draw tab: the canvas with its clear, undo and pen-width controls."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from lenet_desktop.gui.inputs.canvas import PEN_WIDTH_RANGE, DrawCanvasWidget


class DrawPanel(QWidget):
    """Holds the drawing canvas and the buttons that act on it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.canvas = DrawCanvasWidget()
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setToolTip("Clear the canvas (Esc)")
        self.undo_button = QPushButton("Undo stroke")
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip("Remove the last stroke (Ctrl+Z)")
        self.pen_width = QSpinBox()
        self.pen_width.setObjectName("penWidth")
        self.pen_width.setAccessibleName("penWidth")
        self.pen_width.setRange(*PEN_WIDTH_RANGE)
        self.pen_width.setSuffix(" px")
        self.pen_width.setValue(int(self.canvas.pen_width()))
        self.pen_width.setToolTip("Pen width, in pixels of a 280 x 280 sheet")
        self.clear_button.clicked.connect(self.canvas.clear)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.pen_width.valueChanged.connect(self.canvas.set_pen_width)
        self.canvas.changed.connect(self._update_buttons)
        bar = QHBoxLayout()
        bar.addWidget(self.clear_button)
        bar.addWidget(self.undo_button)
        bar.addStretch(1)
        bar.addWidget(QLabel("Pen width:"))
        bar.addWidget(self.pen_width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bar)
        self._update_buttons()

    def save_png(self, path) -> None:
        """Write the drawing (dark ink on white, 280 x 280) to ``path`` as PNG, atomically.

        Raises OSError when the file cannot be written.
        """
        import cv2

        from training.atomic import write_bytes_atomic

        ok, encoded = cv2.imencode(".png", self.canvas.render_gray())
        if not ok:
            raise OSError("PNG encoding failed")
        write_bytes_atomic(path, encoded.tobytes())

    def _update_buttons(self) -> None:
        has_ink = not self.canvas.is_empty()
        self.clear_button.setEnabled(has_ink)
        self.undo_button.setEnabled(has_ink)
