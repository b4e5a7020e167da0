"""RetrainFormWidget: the form of training settings in the Retrain dialog."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.gui.wording import sample_count
from training.config import Augmentation, TrainConfig, shipped_config

OPTIMIZER_NAMES = {
    "adam": "Adam",
    "sgd": "SGD",
    "sgd_momentum": "SGD with momentum",
    "rmsprop": "RMSprop",
}
SCRATCH_EPOCHS = 15
FINE_TUNE_EPOCHS = 3
FINE_TUNE_LEARNING_RATE = 3e-4


def default_config() -> TrainConfig:
    """The dialog's defaults: the shipped model's recipe with fewer epochs."""
    config = shipped_config()
    config.epochs = SCRATCH_EPOCHS
    return config


ALL_IMAGES = 60_000
"""MNIST's training set; the "Training images" box shows "all" at this value (its top)."""
FEWEST_IMAGES = 1000
ALL_TEXT = "all"


class TrainingImagesSpin(QSpinBox):
    """How many training images to use, 1,000 up to "all" at the top of the range.

    "all" is the largest choice, so Up from 59,000 reaches it and Down from it gives
    59,000 (a special value at the bottom of the range made Down from 1,000 jump to
    all 60,000 images).
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(FEWEST_IMAGES, ALL_IMAGES)
        self.setSingleStep(1000)
        self.setGroupSeparatorShown(True)
        self.setValue(ALL_IMAGES)

    def limit(self) -> int | None:
        """The number of images chosen, or ``None`` for all of them."""
        return None if self.value() >= ALL_IMAGES else self.value()

    def set_limit(self, limit: int | None) -> None:
        """Show ``limit`` images (``None``: all)."""
        self.setValue(ALL_IMAGES if limit is None else min(max(limit, FEWEST_IMAGES), ALL_IMAGES))

    def textFromValue(self, value: int) -> str:
        return ALL_TEXT if value >= ALL_IMAGES else f"{value:,}"

    def valueFromText(self, text: str) -> int:
        text = text.strip().lower()
        if not text or ALL_TEXT.startswith(text):
            return ALL_IMAGES
        digits = "".join(ch for ch in text if ch.isdigit())
        return int(digits) if digits else ALL_IMAGES

    def validate(self, text: str, position: int):
        from PySide6.QtGui import QValidator

        cleaned = text.strip().lower()
        if not cleaned or ALL_TEXT.startswith(cleaned):
            return (
                QValidator.State.Intermediate
                if cleaned != ALL_TEXT
                else QValidator.State.Acceptable,
                text,
                position,
            )
        digits = cleaned.replace(",", "").replace(" ", "")
        if not digits.isdigit():
            return QValidator.State.Invalid, text, position
        value = int(digits)
        if value > ALL_IMAGES:
            return QValidator.State.Invalid, text, position
        state = (
            QValidator.State.Acceptable if value >= FEWEST_IMAGES else QValidator.State.Intermediate
        )
        return state, text, position


def _double_spin(minimum, maximum, step, decimals, suffix="") -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(minimum, maximum)
    spin.setSingleStep(step)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    return spin


class RetrainFormWidget(QWidget):
    """Edits a TrainConfig, the data location and the fine-tune option."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.fine_tune_check = QCheckBox("Fine-tune the current model on my samples + MNIST")
        self.fine_tune_check.setToolTip(
            "Start from the model in use and mix your own handwriting samples into MNIST, so it "
            "learns your writing without forgetting MNIST. Sets epochs and learning rate to "
            "fine-tuning values."
        )
        self.samples_label = QLabel()
        self.samples_label.setWordWrap(True)
        self.repeat_spin = QSpinBox()
        self.repeat_spin.setRange(1, 1000)
        self.repeat_spin.setValue(20)
        self.repeat_spin.setPrefix("x ")
        self.repeat_spin.setToolTip("How many times each of your samples appears per epoch")

        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 200)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(8, 4096)
        self.optimizer_combo = QComboBox()
        for key, name in OPTIMIZER_NAMES.items():
            self.optimizer_combo.addItem(name, key)
        self.learning_rate_spin = _double_spin(0.00001, 1.0, 0.0001, 5)
        self.pooling_combo = QComboBox()
        self.pooling_combo.addItem("Max pooling", "max")
        self.pooling_combo.addItem("Average pooling", "average")
        self.activation_combo = QComboBox()
        for key in ("relu", "tanh", "sigmoid"):
            self.activation_combo.addItem(key, key)
        self.train_limit_spin = TrainingImagesSpin()
        self.train_limit_spin.setToolTip(
            "Train on the first N MNIST training images (fewer trains faster); all: every one"
        )

        self.rotation_spin = _double_spin(0, 90, 5, 0, " deg")
        self.shift_spin = _double_spin(0, 8, 0.5, 1, " px")
        self.zoom_spin = _double_spin(0, 0.5, 0.02, 2)
        self.thickness_spin = _double_spin(0, 1, 0.1, 2)

        self.data_edit = QLineEdit()
        self.data_edit.setPlaceholderText("Keras cache (downloads MNIST if missing)")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._browse)
        self.device_label = QLabel()
        self.device_label.setWordWrap(True)

        self._build_layout()
        self.fine_tune_check.toggled.connect(self._fine_tune_toggled)
        self.set_config(default_config())
        self.set_sample_count(0)

    def _build_layout(self) -> None:
        mode = QGroupBox("Model")
        mode_form = QFormLayout(mode)
        mode_form.addRow(self.fine_tune_check)
        mode_form.addRow("Your samples:", self.samples_label)
        mode_form.addRow("Repeat each sample:", self.repeat_spin)

        training = QGroupBox("Training")
        form = QFormLayout(training)
        form.addRow("Epochs:", self.epochs_spin)
        form.addRow("Batch size:", self.batch_spin)
        form.addRow("Optimizer:", self.optimizer_combo)
        form.addRow("Learning rate:", self.learning_rate_spin)
        form.addRow("Pooling:", self.pooling_combo)
        form.addRow("Activation:", self.activation_combo)
        form.addRow("Training images:", self.train_limit_spin)

        augment = QGroupBox("Augmentation (random, per image)")
        aug_form = QFormLayout(augment)
        aug_form.addRow("Rotation up to +/-:", self.rotation_spin)
        aug_form.addRow("Shift up to +/-:", self.shift_spin)
        aug_form.addRow("Zoom up to +/-:", self.zoom_spin)
        aug_form.addRow("Stroke width change:", self.thickness_spin)

        data = QGroupBox("Data and device")
        data_form = QFormLayout(data)
        row = QHBoxLayout()
        row.addWidget(self.data_edit, 1)
        row.addWidget(self.browse_button)
        data_form.addRow("MNIST file:", row)
        data_form.addRow("Trains on:", self.device_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in (mode, training, augment, data):
            layout.addWidget(group)
        layout.addStretch(1)

    # -- values -----------------------------------------------------------------
    def set_config(self, config: TrainConfig) -> None:
        """Show ``config`` in the form."""
        self.epochs_spin.setValue(config.epochs)
        self.batch_spin.setValue(config.batch_size)
        self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(config.optimizer))
        self.learning_rate_spin.setValue(config.learning_rate)
        self.pooling_combo.setCurrentIndex(self.pooling_combo.findData(config.pooling))
        self.activation_combo.setCurrentIndex(self.activation_combo.findData(config.activation))
        self.train_limit_spin.set_limit(config.train_limit)
        self.rotation_spin.setValue(config.augmentation.rotation)
        self.shift_spin.setValue(config.augmentation.shift)
        self.zoom_spin.setValue(config.augmentation.zoom)
        self.thickness_spin.setValue(config.augmentation.thickness)

    def config(self, architecture: dict | None = None) -> TrainConfig:
        """The configuration in the form.

        Parameters
        ----------
        architecture : dict, optional
            ``pooling`` and ``activation`` of the model being fine-tuned; they
            replace the form's (a fine-tuned model keeps its layers).

        Raises
        ------
        ValueError
            A setting is out of range (the message names it).
        """
        limit = self.train_limit_spin.limit()
        values = {
            "epochs": self.epochs_spin.value(),
            "batch_size": self.batch_spin.value(),
            "optimizer": self.optimizer_combo.currentData(),
            "learning_rate": self.learning_rate_spin.value(),
            "pooling": self.pooling_combo.currentData(),
            "activation": self.activation_combo.currentData(),
            "train_limit": limit,
            "augmentation": Augmentation(
                rotation=self.rotation_spin.value(),
                shift=self.shift_spin.value(),
                zoom=self.zoom_spin.value(),
                thickness=self.thickness_spin.value(),
            ),
        }
        if architecture:
            for key in ("pooling", "activation"):
                if architecture.get(key):
                    values[key] = architecture[key]
        return TrainConfig(**values)

    def data_path(self) -> str | None:
        """The MNIST file typed or chosen, or ``None`` for the default lookup."""
        text = self.data_edit.text().strip()
        return text or None

    def set_data_path(self, path: str | None) -> None:
        """Show ``path`` as the data location."""
        self.data_edit.setText(str(path) if path else "")

    def is_fine_tune(self) -> bool:
        """Whether the user asked to fine-tune the current model."""
        return self.fine_tune_check.isChecked() and self.fine_tune_check.isEnabled()

    def set_sample_count(self, count: int, unreadable: int = 0) -> None:
        """Show how many of the user's own samples fine-tuning would use (and skip)."""
        if count == 0 and not unreadable:
            self.samples_label.setText("none yet (save some with Correct it)")
        elif not unreadable:
            self.samples_label.setText(f"{count:,}")
        else:
            self.samples_label.setText(
                f"{sample_count(count, unreadable)} (My samples… lists and deletes those)"
            )

    def set_fine_tune_available(self, available: bool) -> None:
        """Allow fine-tuning only while there is a current model."""
        self.fine_tune_check.setEnabled(available)
        self._update_architecture_controls()

    def set_device(self, text: str) -> None:
        """Show which device will train."""
        self.device_label.setText(text)

    # -- internals ----------------------------------------------------------------
    def _fine_tune_toggled(self, checked: bool) -> None:
        if checked:
            self.epochs_spin.setValue(FINE_TUNE_EPOCHS)
            self.learning_rate_spin.setValue(FINE_TUNE_LEARNING_RATE)
        else:
            defaults = default_config()
            self.epochs_spin.setValue(defaults.epochs)
            self.learning_rate_spin.setValue(defaults.learning_rate)
        self._update_architecture_controls()

    def _update_architecture_controls(self) -> None:
        fine_tune = self.is_fine_tune()
        for widget in (self.pooling_combo, self.activation_combo):
            widget.setEnabled(not fine_tune)
            widget.setToolTip("Fine-tuning keeps the current model's layers" if fine_tune else "")
        self.repeat_spin.setEnabled(fine_tune)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "MNIST data (.npz)", self.data_edit.text(), "NumPy archives (*.npz)"
        )
        if path:
            self.data_edit.setText(path)
