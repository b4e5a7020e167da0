"""Screenshots of Model → Retrain… mid-training and at the end, from a real short run on MNIST.

Usage::

    LENET_MNIST=/path/to/mnist.npz python tools/screenshot_retrain.py \\
        [--out docs/screenshots] [--epochs 6] [--train-limit 12000]

Opens the real main window with the shipped model, opens the retrain dialog
from the Model menu, trains a new model on the first ``--train-limit`` MNIST
images, grabs the dialog halfway (``retrain-running.png``) and when the
results are in (``retrain-done.png``), then clicks Discard so the run leaves
no model behind.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    """Run the training and write the two screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--train-limit", type=int, default=12000)
    parser.add_argument("--data", default=os.environ.get("LENET_MNIST", ""))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from lenet_desktop.gui import settings
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.model import Recognizer

    app = QApplication(sys.argv[:1])
    app.setOrganizationName("LeNet Desktop")
    app.setApplicationName("lenet-desktop")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings.set_settings_path(out / ".screenshot-settings.ini")
    window = MainWindow(load_model=False)
    window.session.set_recognizer(Recognizer.from_file(window.shipped_model_path))
    window.show()
    window.retrain.open_retrain()
    dialog = window.retrain.dialog()
    form = dialog.form
    form.epochs_spin.setValue(args.epochs)
    form.train_limit_spin.setValue(args.train_limit)
    if args.data:
        form.data_edit.setText(args.data)
    state = {"running_shot": False}

    def maybe_grab_running(_value):
        epoch, step = dialog.epoch_bar.value(), dialog.batch_bar.value()
        halfway = epoch > args.epochs // 2 and step >= dialog.batch_bar.maximum() // 3
        if not state["running_shot"] and halfway:
            state["running_shot"] = True
            # Let the throttled curve redraw land before grabbing.
            QTimer.singleShot(400, lambda: save(dialog, out / "retrain-running.png"))

    def finished(running):
        if running:
            return
        if dialog.outcome is None:
            print("training did not finish:", dialog.error_label.text(), file=sys.stderr)
            app.exit(1)
            return

        def grab_done():
            save(dialog, out / "retrain-done.png")
            dialog.discard_model()
            app.exit(0)

        QTimer.singleShot(600, grab_done)

    dialog.running_changed.connect(finished)
    dialog.batch_bar.valueChanged.connect(maybe_grab_running)
    dialog.start()
    code = app.exec()
    window.close()
    (out / ".screenshot-settings.ini").unlink(missing_ok=True)
    return code


def save(widget, path: Path) -> None:
    """Grab ``widget`` as it is drawn on screen and save it as PNG."""
    widget.grab().save(str(path))
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
