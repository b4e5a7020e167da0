"""Entry point: ``lenet-desktop [FILE]`` opens the window; ``lenet-desktop recognize`` is headless.

Only Qt is imported before the window is shown; the model-loading worker then
reads the model into the NumPy engine (no TensorFlow), and the panels are built
once its first prediction is possible. TensorFlow and Keras are imported only
when something needs them (retraining, a model the engine cannot run), in a
worker.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the app (or the headless ``recognize`` command) and return the exit status."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "recognize":
        from lenet_desktop.cli import main as cli_main

        return cli_main(argv[2:])
    return run_gui(argv)


def run_gui(argv: list[str]) -> int:
    """Show the main window at once and load the shipped model behind it."""
    import os

    # One BLAS thread: the per-stroke and per-frame matrix products are tiny, and on a
    # busy 2-core machine a second OpenBLAS thread makes them several times slower.
    # This only works before NumPy is first imported.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    # Pointer-event compression is turned off by the window (inputs/draw.py says why it
    # must be done after this constructor).
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName("LeNet Desktop")
    app.setApplicationName("lenet-desktop")
    app.setApplicationDisplayName("LeNet Desktop")

    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.startup_probe import PROBE_ENV
    from lenet_desktop.gui.threads import EXIT_WAIT_S

    window = MainWindow(defer_extensions=True)
    if os.environ.get(PROBE_ENV) == "1":
        # Startup benchmark: quit as soon as a prediction is possible.
        window.session.recognizer_changed.connect(lambda _recognizer: app.quit())
    window.show()
    files = app.arguments()[1:]  # what Qt leaves after taking its own options
    if files:
        # ``lenet-desktop photo.jpg`` (or a video file) opens it, as a dropped file would.
        QTimer.singleShot(0, lambda: window.open_path(files[0]))
    status = app.exec()
    # The window is gone; give workers still stopping (a training batch) time to end.
    window.shutdown(EXIT_WAIT_S)
    return status


if __name__ == "__main__":
    sys.exit(main())
