"""The answer: the predicted digit, the ten probabilities and the image the network saw."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from lenet_desktop.gui.answer.digit_view import DigitViewWidget
from lenet_desktop.gui.answer.probability_chart import ProbabilityChartWidget
from lenet_desktop.gui.answer.steps_strip import PreprocessStripWidget

EMPTY_TEXT = "—"


class PredictionPanel(QWidget):
    """Shows the top digit large, the class probabilities as bars, the 28x28 input and its steps."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
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
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.steps_title)
        layout.addWidget(self.steps)
        self.set_steps_visible(False)

    def set_steps_visible(self, visible: bool) -> None:
        """Show or hide the preprocessing strip."""
        self.steps_title.setVisible(visible)
        self.steps.setVisible(visible)

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
        if steps is not None:
            self.steps.set_steps(steps, "")

    def show_empty(self, hint: str, digit: np.ndarray | None = None, steps=None) -> None:
        """Show no prediction and ``hint`` (for a blank canvas or while the model loads)."""
        self.label.setText(EMPTY_TEXT)
        self.label.setStyleSheet("color: #b0b0b0; font-weight: normal;")
        self.label.setAccessibleDescription("No prediction")
        self.detail.setText(hint)
        self.chart.set_probabilities(None)
        self.input_view.set_image(digit)
        self.steps.set_steps(steps or [], hint)
