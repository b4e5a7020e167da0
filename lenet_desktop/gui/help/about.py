"""Help → About: what the app is and which model it runs."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

import lenet_desktop


def about_html(recognizer, model_path) -> str:
    """The About text (HTML) for ``recognizer`` loaded from ``model_path`` (either may be None)."""
    rows = [("Version", lenet_desktop.__version__)]
    if recognizer is None:
        rows.append(("Model", "not loaded"))
    else:
        rows += [
            ("Model file", str(model_path) if model_path else recognizer.display_name),
            ("Test accuracy", accuracy_text(recognizer)),
            ("Trained on", trained_on(recognizer.sidecar)),
            ("Inference", f"{recognizer.engine} engine"),
        ]
        created = recognizer.sidecar.get("created")
        if created:
            rows.append(("Trained", str(created)))
    table = "".join(
        f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return (
        "<h2>LeNet Desktop</h2>"
        "<p>See how a LeNet-5 convolutional network reads handwriting: "
        "draw, photograph or film digits.</p>"
        f"<table>{table}</table>"
    )


def trained_on(sidecar: dict) -> str:
    """The training device from a sidecar, with the precision where it was not float32."""
    device = sidecar.get("device") or "unknown"
    precision = sidecar.get("precision") or "float32"  # sidecars before it: float32
    if precision == "float32":
        return device
    return f"{device}, layers in {precision} (weights in float32)"


def accuracy_text(recognizer) -> str:
    """The sidecar's test accuracy, marked unverified, or why it is unknown."""
    accuracy = recognizer.test_accuracy
    state = getattr(recognizer, "sidecar_state", "verified")
    if state == "mismatch":
        return "unknown (sidecar does not match this model)"
    if accuracy is None:
        return "unknown"
    return f"{accuracy:.2%}" + (" (unverified)" if state == "unverified" else "")


def model_summary(recognizer) -> str:
    """Status-bar text: model name, test accuracy and engine (or that none is loaded)."""
    if recognizer is None:
        return "No model loaded"
    figure = f"test accuracy {accuracy_text(recognizer)}"
    return f"Model: {recognizer.display_name} · {figure} · {recognizer.engine} engine"


class AboutDialog(QDialog):
    """Shows the app version and the current model's file, accuracy and training device."""

    def __init__(self, recognizer, model_path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About LeNet Desktop")
        self.text = QLabel(about_html(recognizer, model_path))
        self.text.setObjectName("aboutText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
