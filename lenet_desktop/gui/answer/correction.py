"""CorrectionWidget: "Correct it": tell the app which digit the current input really is."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.gui.session import Session
from lenet_desktop.userdata import UserDataset

ERROR_STYLE = "color: #b3261e;"


class CorrectionWidget(QWidget):
    """Ten digit buttons that save the current 28x28 input as a labelled sample of the user's."""

    sample_saved = Signal(object)
    """The :class:`lenet_desktop.userdata.UserSample` just written."""
    browse_requested = Signal()

    def __init__(self, dataset: UserDataset, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("correctionWidget")
        self.dataset = dataset
        self.session = session
        self.current_input: np.ndarray | None = None
        self.prompt_label = QLabel("Wrong? Click the digit you meant, to save this drawing:")
        self.prompt_label.setWordWrap(True)
        self.digit_buttons: list[QToolButton] = []
        row = QHBoxLayout()
        row.setSpacing(3)
        for digit in range(10):
            button = QToolButton()
            button.setText(str(digit))
            button.setObjectName(f"correctDigit{digit}")
            button.setMinimumSize(28, 28)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setToolTip(f"Save the current digit as a {digit} in your own samples")
            button.clicked.connect(lambda _checked=False, d=digit: self.save_as(d))
            row.addWidget(button)
            self.digit_buttons.append(button)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.browse_button = QPushButton("My samples…")
        self.browse_button.clicked.connect(self.browse_requested)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.browse_button)
        box = QGroupBox("Correct it")
        inner = QVBoxLayout(box)
        inner.addWidget(self.prompt_label)
        inner.addLayout(row)
        inner.addLayout(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        session.explanation_changed.connect(self._input_changed)
        self._input_changed()
        self._show_count()

    def _input_changed(self, _explanation=None) -> None:
        # The digit the buttons would save: the session's current 28x28 input, if any.
        image = self.session.image
        self.current_input = None if image is None else np.array(image, dtype=np.float32)
        for button in self.digit_buttons:
            button.setEnabled(self.current_input is not None)

    def save_as(self, label: int) -> bool:
        """Save the current input labelled ``label``; return True when it was written."""
        if self.current_input is None:
            return False
        try:
            sample = self.dataset.add(self.current_input, label)
        except (OSError, ValueError) as exc:
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText(f"Could not save the sample: {exc}")
            return False
        self._show_count(f"Saved as a {label}.")
        self.sample_saved.emit(sample)
        return True

    def refresh(self) -> None:
        """Update the sample count (after samples were deleted elsewhere)."""
        self._show_count()

    def _show_count(self, prefix: str = "") -> None:
        count = len(self.dataset)
        noun = "sample" if count == 1 else "samples"
        text = f"{prefix} {count} {noun} of your handwriting (Model → Retrain… learns them)."
        self.status_label.setStyleSheet("")
        self.status_label.setText(text.strip())
