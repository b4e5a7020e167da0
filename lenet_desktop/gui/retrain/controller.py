"""Model > Retrain..., Model > My handwriting samples... and the "Correct it" panel.

:func:`install_retrain` is the one call the main window makes; everything it
adds reaches the window only through the window API of the GUI contract.
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QBoxLayout, QWidget

from lenet_desktop.gui.answer.correction import CorrectionWidget
from lenet_desktop.userdata import default_dataset


def install_retrain(window) -> SimpleNamespace:
    """Add retraining and the user's own handwriting samples to ``window``.

    Parameters
    ----------
    window : MainWindow
        Uses ``model_menu``, ``add_panel``, ``input_changed``,
        ``recognizer_changed``, ``set_recognizer`` and ``status_message``.

    Returns
    -------
    types.SimpleNamespace
        ``retrain_action``, ``samples_action``, ``correction`` (the widget) and
        ``dialog()`` (the retrain dialog, created on first use); also stored as
        ``window.retrain``.
    """
    dataset = default_dataset()
    state = SimpleNamespace(dialog_instance=None, samples_dialog=None)

    def dialog():
        if state.dialog_instance is None:
            # Imported on first use: matplotlib and the dialogs stay out of start-up time.
            from lenet_desktop.gui.retrain.dialog import RetrainDialog
            from lenet_desktop.paths import models_dir

            created = RetrainDialog(dataset, models_dir(), window)
            created.set_current(window.recognizer)
            created.running_changed.connect(lambda running: retrain.setEnabled(not running))
            created.model_accepted.connect(accept_model)
            window.recognizer_changed.connect(created.set_current)
            # The dialog watches the window so closing it stops training and joins the thread.
            window.installEventFilter(created)
            QApplication.instance().aboutToQuit.connect(created.shutdown)
            state.dialog_instance = created
        return state.dialog_instance

    def open_retrain() -> None:
        shown = dialog()
        if not shown.is_running:
            shown.set_device(_device_text())
        shown.refresh_samples()
        shown.show()
        shown.raise_()
        shown.activateWindow()

    def accept_model(recognizer) -> None:
        window.set_recognizer(recognizer)
        window.status_message(f"Now using {recognizer.display_name}", 8000)

    def open_samples() -> None:
        if state.samples_dialog is None:
            from lenet_desktop.gui.retrain.samples_dialog import UserSamplesDialog

            state.samples_dialog = UserSamplesDialog(dataset, window)
            state.samples_dialog.samples_changed.connect(correction.refresh)
        state.samples_dialog.refresh()
        state.samples_dialog.show()
        state.samples_dialog.raise_()

    def sample_saved(sample) -> None:
        window.status_message(f"Saved your drawing as a {sample.label} ({sample.path.name})")
        if state.samples_dialog is not None and state.samples_dialog.isVisible():
            state.samples_dialog.refresh()
        if state.dialog_instance is not None:
            state.dialog_instance.refresh_samples()

    window.model_menu.addSeparator()
    retrain = QAction("&Retrain…", window)
    retrain.setObjectName("actionRetrain")
    retrain.setShortcut("Ctrl+R")
    retrain.setStatusTip("Train a new model, or fine-tune this one on your own handwriting")
    retrain.triggered.connect(open_retrain)
    window.model_menu.addAction(retrain)
    samples = QAction("My &handwriting samples…", window)
    samples.setObjectName("actionUserSamples")
    samples.setStatusTip("Browse and delete the digits you saved with Correct it")
    samples.triggered.connect(open_samples)
    window.model_menu.addAction(samples)

    correction = CorrectionWidget(dataset)
    correction.setObjectName("correctionWidget")
    correction.set_input(window.current_input)
    window.input_changed.connect(correction.set_input)
    correction.sample_saved.connect(sample_saved)
    correction.browse_requested.connect(open_samples)
    _place_correction(window, correction)

    handles = SimpleNamespace(
        retrain_action=retrain,
        samples_action=samples,
        correction=correction,
        dataset=dataset,
        dialog=dialog,
        open_retrain=open_retrain,
        open_samples=open_samples,
        samples_dialog=lambda: state.samples_dialog,
    )
    window.retrain = handles
    return handles


def _place_correction(window, correction: CorrectionWidget) -> None:
    """Put "Correct it" right under the prediction it corrects, else dock it as a panel."""
    prediction = getattr(window, "prediction", None)
    layout = prediction.layout() if isinstance(prediction, QWidget) else None
    if isinstance(layout, QBoxLayout):
        layout.addWidget(correction)
    else:
        window.add_panel("correction", "Correct it", correction)


_device_cache: list[str] = []


def _device_text() -> str:
    """Which device trains (asked once; TensorFlow is already imported by the model)."""
    if not _device_cache:
        from training.train import training_device

        _device_cache.append(training_device())
    return _device_cache[0]
