"""The answer: the predicted digit, the ten probabilities and the image the network saw.

The panel shows the session's explanation; it never runs the model itself.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from lenet_desktop.gui.answer.digit_view import DigitViewWidget
from lenet_desktop.gui.answer.probability_chart import ProbabilityChartWidget
from lenet_desktop.gui.answer.steps_strip import PreprocessStripWidget
from lenet_desktop.gui.session import Session
from lenet_desktop.model.explanation import Explanation

EMPTY_TEXT = "—"
SILENT_SOURCES = ("", "drawing")
"""Sources not named under the answer (the drawing is in plain view beside it)."""


DETAIL_LINES = 3
"""Lines kept under the big digit for its confidence, a hint or a photo's reading."""


class PredictionPanel(QWidget):
    """Shows the top digit large, the class probabilities as bars, the 28x28 input and its steps."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("predictionPanel")
        self.label = QLabel(EMPTY_TEXT)
        self.label.setObjectName("predictionLabel")
        self.label.setAccessibleName("predictionLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.label.font()
        font.setPointSize(64)
        font.setBold(True)
        self.label.setFont(font)
        self.label.setMinimumWidth(90)
        self.detail = QLabel("Draw a digit")
        self.detail.setObjectName("predictionDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        # Three lines always (a photo's reading takes them): a taller text would raise
        # the column's least height past the window's and push the chart under the
        # "Correct it" box.
        self.detail.setFixedHeight(DETAIL_LINES * self.detail.fontMetrics().lineSpacing() + 4)
        self.chart = ProbabilityChartWidget()
        self.input_view = DigitViewWidget("modelInput28")
        self.input_view.setFixedSize(112, 112)
        caption = QLabel("Network input\n(28 × 28)")
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.steps = PreprocessStripWidget()
        self.steps_title = QLabel("Preprocessing steps")
        top = QGridLayout()
        top.addWidget(self.label, 0, 0)
        top.addWidget(self.input_view, 0, 1, Qt.AlignmentFlag.AlignCenter)
        top.addWidget(self.detail, 1, 0)
        top.addWidget(caption, 1, 1)
        # The text column takes the spare width, so a longer text (a photo's reading)
        # does not move the network input aside.
        top.setColumnStretch(0, 1)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(top)
        self._layout.addWidget(self.chart, 1)
        self._layout.addWidget(self.steps_title)
        self._layout.addWidget(self.steps)
        self.set_steps_visible(False)
        session.explanation_changed.connect(self.show_explanation)
        self.show_explanation(session.explanation)

    def add_footer(self, widget: QWidget) -> None:
        """Put ``widget`` under the answer (the "Correct it" box)."""
        self._layout.addWidget(widget)

    def set_steps_visible(self, visible: bool) -> None:
        """Show or hide the preprocessing strip (filled from the current input when shown)."""
        self.steps_title.setVisible(visible)
        self.steps.setVisible(visible)
        if visible:
            self.steps.set_steps(list(self.session.steps), self.session.hint)

    def show_explanation(self, explanation: Explanation | None) -> None:
        """Show the session's answer, or its hint when there is none."""
        session = self.session
        if explanation is None:
            self.show_empty(session.hint, session.image, list(session.steps))
            return
        source = "" if explanation.source in SILENT_SOURCES else explanation.source
        self.show_prediction(
            *explanation.answer(), explanation.image, list(explanation.steps), source
        )

    def steps_visible(self) -> bool:
        """Whether the preprocessing strip is shown (``isHidden`` so it works before show)."""
        return not self.steps.isHidden()

    def show_prediction(
        self,
        label: int,
        confidence: float,
        probabilities: np.ndarray,
        digit: np.ndarray,
        steps: list | None = None,
        source: str = "",
    ) -> None:
        """Show a prediction for ``digit`` (28x28, [0, 1], bright ink on black)."""
        self.label.setText(str(label))
        self.label.setStyleSheet("")
        self.label.setAccessibleDescription(f"Predicted digit {label}")
        suffix = f" · {source}" if source else ""
        self.detail.setText(f"{confidence:.1%} sure{suffix}")
        self.chart.set_probabilities(probabilities)
        self.input_view.set_image(digit)
        if steps is not None and self.steps_visible():
            self.steps.set_steps(steps, "")

    def show_empty(self, hint: str, digit: np.ndarray | None = None, steps=None) -> None:
        """Show no prediction and ``hint`` (for a blank canvas or while the model loads)."""
        self.label.setText(EMPTY_TEXT)
        self.label.setStyleSheet("color: #b0b0b0; font-weight: normal;")
        self.label.setAccessibleDescription("No prediction")
        self.detail.setText(hint)
        self.chart.set_probabilities(None)
        self.input_view.set_image(digit)
        if self.steps_visible():
            self.steps.set_steps(steps or [], hint)
