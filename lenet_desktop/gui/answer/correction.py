"""CorrectionWidget: "Correct it": tell the app which digit the current input really is.

Each line stays one line (elided, with the whole text as tooltip), so the box
never grows taller as the answer changes and never squeezes the bars above.
"""

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

from lenet_desktop.gui.elided_label import ElidedLabel
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.wording import plural
from lenet_desktop.userdata import UserDataset, to_uint8

ERROR_STYLE = "color: #b3261e;"
ANSWER_STYLE = "font-weight: bold;"
NO_INPUT = "Draw a digit, or click one in a photo."


class CorrectionWidget(QWidget):
    """Ten digit buttons that save the current 28x28 input as a labelled sample of the user's."""

    sample_saved = Signal(object)
    """The :class:`lenet_desktop.userdata.UserSample` just written."""
    browse_requested = Signal()
    save_failed = Signal(str)
    """Why the sample could not be saved (the whole sentence; the box shows it short)."""

    def __init__(self, dataset: UserDataset, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("correctionWidget")
        self.dataset = dataset
        self.session = session
        self.current_input: np.ndarray | None = None
        self.answer: int | None = None
        """The model's answer for the current input (its button is marked), if any."""
        self._shown: tuple | None = None
        self.prompt_label = ElidedLabel(NO_INPUT)
        self.prompt_label.setObjectName("correctionPrompt")
        self.digit_buttons: list[QToolButton] = []
        row = QHBoxLayout()
        row.setSpacing(3)
        for digit in range(10):
            button = QToolButton()
            button.setText(str(digit))
            button.setObjectName(f"correctDigit{digit}")
            button.setMinimumSize(22, 26)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, d=digit: self.save_as(d))
            row.addWidget(button)
            self.digit_buttons.append(button)
        self.status_label = ElidedLabel()
        self.status_label.setObjectName("correctionStatus")
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
        self._input_changed(session.explanation)
        self._show_count()

    def _input_changed(self, explanation=None) -> None:
        # The digit the buttons would save: the session's current 28x28 input, if any.
        image = self.session.image
        self.current_input = None if image is None else np.array(image, dtype=np.float32)
        self.answer = int(explanation.answer()[0]) if explanation is not None else None
        has_input = self.current_input is not None
        # This runs on every pointer move while drawing: restyle only when the answer changes
        # (a style sheet change re-polishes the button, which costs a frame's worth of time).
        if (has_input, self.answer) == self._shown:
            return
        self._shown = (has_input, self.answer)
        if not has_input:
            prompt = NO_INPUT
        elif self.answer is None:
            prompt = "Which digit is it? Click it to save it:"
        else:
            prompt = f"Reads {self.answer}. Not a {self.answer}? Click the right digit:"
        self._set_line(self.prompt_label, prompt)
        for digit, button in enumerate(self.digit_buttons):
            button.setEnabled(has_input)
            is_answer = digit == self.answer
            button.setStyleSheet(ANSWER_STYLE if is_answer else "")
            button.setToolTip(
                f"The model is right: keep this input as an example of a {digit}"
                if is_answer
                else f"Save the current input as a {digit} in your own samples"
            )

    def save_as(self, label: int) -> bool:
        """Save the current input labelled ``label``; return True when it was written.

        The same input is kept once: saving it again with the same label adds
        nothing, and with another label replaces the earlier sample.
        """
        if self.current_input is None:
            return False
        pixels = to_uint8(self.current_input)
        try:
            same = self._samples_like(pixels)
            if any(sample.label == label for sample in same):
                self._show_count(f"Already saved as a {label}.")
                return False
            self.dataset.delete(same)
            sample = self.dataset.add(pixels, label)
        except (OSError, ValueError) as exc:
            text = f"Could not save the sample: {exc}"
            self.status_label.setStyleSheet(ERROR_STYLE)
            self._set_line(self.status_label, "Not saved (see the message).")
            self.status_label.setToolTip(text)
            self.save_failed.emit(text)
            return False
        if same:
            self._show_count(f"Now saved as a {label} (was a {same[0].label}).")
        else:
            self._show_count(f"Saved as a {label}.")
        self.sample_saved.emit(sample)
        return True

    def _samples_like(self, pixels: np.ndarray) -> list:
        """The saved samples with exactly these pixels."""
        return [
            sample
            for sample in self.dataset.samples()
            if np.array_equal(self.dataset.load_image(sample), pixels)
        ]

    def refresh(self) -> None:
        """Update the sample count (after samples were deleted elsewhere)."""
        self._show_count()

    def _show_count(self, prefix: str = "") -> None:
        scan = self.dataset.scan()
        if scan.unreadable:  # kept short: the line is narrow, the tooltip says the rest
            count = f"{len(scan.usable):,} usable, {len(scan.unreadable):,} unreadable"
        else:
            count = f"{plural(len(scan.usable), 'sample')} of yours"
        text = f"{prefix} {count}".strip()
        self.status_label.setStyleSheet("")
        self._set_line(self.status_label, text)
        unreadable = (
            f" {plural(len(scan.unreadable), 'file')} in your samples folder cannot be read "
            "and are never used."
            if scan.unreadable
            else ""
        )
        self.status_label.setToolTip(
            f"{text}.{unreadable} Model → Retrain… (fine-tune) learns your samples; "
            "My samples… shows and deletes them."
        )

    @staticmethod
    def _set_line(label: QLabel, text: str) -> None:
        label.setText(text)
        if label.objectName() == "correctionPrompt":
            label.setToolTip(text)
