"""Retraining from the main window: Model → Retrain…, Use this model, Correct it, My samples."""

from __future__ import annotations

import numpy as np

from lenet_desktop.gui import settings
from lenet_desktop.gui.retrain.placement import MIN_WIDTH
from lenet_desktop.userdata import to_uint8
from tests.gui.conftest import answer_confirm, digit_strokes, draw_strokes
from tests.gui.test_retrain import (
    RUN_TIMEOUT_MS,
    click,
    configure,
    saved_files,
    wait_until_finished,
)
from training.model_io import read_sidecar


def draw_digit(qtbot, window, digit):
    canvas = window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, digit))
    qtbot.waitUntil(lambda: window.session.explanation is not None, timeout=5000)
    return window.session.explanation.answer()


def open_dialog(window):
    window.retrain.retrain_action.trigger()
    dialog = window.retrain.dialog()
    assert dialog.isVisible()
    return dialog


def models_folder(window):
    return window.retrain.dialog().models_dir


def dialog_kernels(path):
    """The C1 kernels stored in the model file at ``path``."""
    from training.model_io import load_model

    return np.asarray(load_model(path).get_layer("C1").get_weights()[0])


def test_use_this_model_changes_predictions_and_filters(qtbot, main_window, tiny_npz):
    draw_digit(qtbot, main_window, "7")
    before_probabilities = main_window.session.explanation.answer()[2].copy()
    filters_panel = main_window.panels["filters"]
    before_kernels = filters_panel.kernels_shown("C1")
    dialog = open_dialog(main_window)
    configure(dialog, tiny_npz, epochs=1)
    changed = []
    main_window.session.recognizer_changed.connect(changed.append)

    click(qtbot, dialog.start_button)
    assert not main_window.retrain.retrain_action.isEnabled()
    wait_until_finished(qtbot, dialog)
    assert main_window.retrain.retrain_action.isEnabled()
    saved = dialog.outcome.model_path
    # The dialog trains in float32, the default, and its sidecar says so.
    assert read_sidecar(saved)["precision"] == "float32"
    # At the narrowest the dialog is placed, every column of the figures shows.
    dialog.resize(MIN_WIDTH, dialog.height())
    table = dialog.results.table
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=3000)
    assert changed == []  # nothing changes until the user says so
    click(qtbot, dialog.use_button)

    assert [r.path for r in changed] == [saved]
    assert main_window.session.recognizer.path == saved and main_window.model_path == saved
    assert not np.allclose(main_window.session.explanation.answer()[2], before_probabilities)
    assert not np.allclose(filters_panel.kernels_shown("C1"), before_kernels)
    assert np.array_equal(filters_panel.recognizer.filters()["C1"], dialog_kernels(saved))
    assert saved.name in main_window.model_label.text()
    assert saved.parent == main_window.retrain.dialog().models_dir
    assert main_window.shipped_model_path.is_file()
    # The model in use is remembered for the next start.
    assert settings.read_settings()["model_path"] == str(saved.resolve())

    # The results no longer call the old model "current": they say which one is in use.
    assert dialog.results.table.horizontalHeaderItem(0).text() == "Old"
    assert f"In use now: {saved.name}" in dialog.results.compare_label.text()

    # Back to the shipped model: nothing in the dialog still speaks of the new one as in use.
    assert dialog.stage_label.text().startswith("Now using")
    with qtbot.waitSignal(main_window.session.recognizer_changed, timeout=60_000):
        main_window.actions_.revert_model.trigger()
    assert "Now using" not in dialog.stage_label.text()
    assert "In use now" not in dialog.results.compare_label.text()
    assert settings.read_settings()["model_path"] == ""


def test_closing_the_window_during_training_stops_the_run_and_saves_nothing(
    qtbot, main_window, tiny_npz
):
    dialog = open_dialog(main_window)
    configure(dialog, tiny_npz, epochs=200, batch_size=8)
    click(qtbot, dialog.start_button)
    qtbot.waitUntil(lambda: dialog.batch_bar.value() > 0, timeout=RUN_TIMEOUT_MS)
    worker = dialog.worker
    assert worker in main_window.workers.running()

    # Closing asks first, without blocking the run; Cancel keeps the window and the run.
    main_window.close()
    assert main_window.isVisible()
    assert "being trained" in answer_confirm(qtbot, main_window, yes=False)
    assert main_window.isVisible() and not worker.stopping
    main_window.close()
    answer_confirm(qtbot, main_window)
    assert not main_window.isVisible()

    # Closing asked the run to stop without waiting for the batch in progress...
    assert worker.stopping
    # ...and the one shutdown path joins it (the app does this after the window is gone).
    assert main_window.shutdown(timeout=60)
    assert not worker.is_running()
    assert saved_files(dialog.models_dir) == []


def test_correction_round_trip_teaches_the_model_this_drawing(qtbot, main_window, tiny_npz):
    predicted, _, probabilities = draw_digit(qtbot, main_window, "4")
    drawing = main_window.session.image.copy()
    target = int(np.argmin(probabilities))  # the digit the model finds least likely
    assert target != predicted
    correction = main_window.retrain.correction

    click(qtbot, correction.digit_buttons[target])

    samples = main_window.retrain.dataset.samples()
    assert [s.label for s in samples] == [target]
    assert np.array_equal(main_window.retrain.dataset.load_image(samples[0]), to_uint8(drawing))
    assert "1 sample" in correction.status_label.text()

    dialog = open_dialog(main_window)
    assert dialog.form.samples_label.text() == "1"
    dialog.form.fine_tune_check.setChecked(True)
    configure(dialog, tiny_npz, epochs=3)
    dialog.form.learning_rate_spin.setValue(0.001)
    dialog.form.repeat_spin.setValue(200)
    click(qtbot, dialog.start_button)
    wait_until_finished(qtbot, dialog)
    assert dialog.error_label.isHidden(), dialog.error_label.text()
    titles = dialog.results.row_titles()
    row = titles.index("Your 1 sample (trained)")
    assert dialog.results.cell_text(row, 0) == "0.00%"
    assert dialog.results.cell_text(row, 1) == "100.00%"
    click(qtbot, dialog.use_button)

    assert np.array_equal(main_window.session.image, drawing)
    assert main_window.session.explanation.answer()[0] == target
    sidecar = main_window.session.recognizer.sidecar
    assert sidecar["user_samples"]["count"] == 1
    assert sidecar["fine_tuned_from"] == str(main_window.shipped_model_path)


def test_samples_browser_shows_and_deletes_samples(qtbot, main_window):
    dataset = main_window.retrain.dataset
    rng = np.random.default_rng(0)
    for label in (3, 3, 8):
        dataset.add(rng.random((28, 28)), label)
    main_window.retrain.samples_action.trigger()
    browser = main_window.retrain.samples_dialog()

    assert browser.list_widget.count() == 3
    assert sorted(browser.list_widget.item(i).text() for i in range(3)) == ["3", "3", "8"]
    assert "3 samples" in browser.summary_label.text()
    assert not browser.delete_button.isEnabled()
    browser.list_widget.item(2).setSelected(True)
    click(qtbot, browser.delete_button)
    assert "Delete this sample" in answer_confirm(qtbot, browser, yes=False)
    assert browser.list_widget.count() == 3
    click(qtbot, browser.delete_button)
    answer_confirm(qtbot, browser)

    assert browser.list_widget.count() == 2
    assert sorted(s.label for s in dataset.samples()) == [3, 3]
    assert "2 samples" in main_window.retrain.correction.status_label.text()
