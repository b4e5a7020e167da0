"""Model → Retrain…: the real dialog trains off the GUI thread on a tiny generated data set."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer

from tests.gui.conftest import answer_confirm, new_dialog  # noqa: F401  (used by others)

RUN_TIMEOUT_MS = 120_000


def configure(dialog, data_path, epochs=2, batch_size=32):
    """Quick settings a user could type: few epochs, small batches, no augmentation."""
    settings = dialog.form
    settings.epochs_spin.setValue(epochs)
    settings.batch_spin.setValue(batch_size)
    for spin in (
        settings.rotation_spin,
        settings.shift_spin,
        settings.zoom_spin,
        settings.thickness_spin,
    ):
        spin.setValue(0)
    settings.data_edit.setText(str(data_path))


def click(qtbot, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_until_finished(qtbot, dialog):
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=RUN_TIMEOUT_MS)


def saved_files(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_retrain_completes_with_live_progress_while_the_gui_thread_runs(
    qtbot, dialog, tiny_npz, tmp_path
):
    configure(dialog, tiny_npz, epochs=2)
    dialog.show()
    seen = {"ticks_mid_training": 0, "batch_values": set(), "epoch_values": set()}

    def tick():
        # Counts only while a run is visibly under way: between first batch and the end.
        if dialog.is_running and dialog.batch_bar.value() > 0:
            seen["ticks_mid_training"] += 1

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    dialog.batch_bar.valueChanged.connect(seen["batch_values"].add)
    dialog.epoch_bar.valueChanged.connect(seen["epoch_values"].add)

    click(qtbot, dialog.start_button)
    assert dialog.is_running
    assert not dialog.start_button.isEnabled()
    assert not dialog.form.isEnabled()
    assert dialog.cancel_button.isEnabled()
    wait_until_finished(qtbot, dialog)
    timer.stop()

    assert dialog.error_label.isHidden(), dialog.error_label.text()
    # The GUI thread kept serving its timer while training ran on the worker thread.
    assert seen["ticks_mid_training"] >= 5
    assert len(seen["batch_values"]) >= 2
    assert seen["epoch_values"] >= {1, 2}
    assert dialog.curves.point_count("loss") >= 2
    assert dialog.curves.point_count("val_accuracy") == 2
    assert dialog.curves.redraw_count >= 2

    outcome = dialog.outcome
    assert outcome is not None and outcome.epochs_run == 2
    assert outcome.model_path.parent == tmp_path / "models"
    names = [outcome.model_path.name, outcome.model_path.stem + ".json"]
    assert saved_files(tmp_path / "models") == sorted(names)
    sidecar = json.loads(outcome.model_path.with_suffix(".json").read_text())
    assert sidecar["test_accuracy"] == pytest.approx(outcome.new.accuracy)
    assert sidecar["data"]["source"] == str(tiny_npz)
    # Bars are learnable: the new model beats the MNIST model on them, and the table says so.
    assert outcome.new.accuracy > outcome.current.accuracy
    results = dialog.results
    assert results.row_titles()[0] == "Test accuracy"
    assert results.table.verticalHeaderItem(0).toolTip() == "Accuracy on the 200 test images"
    assert results.cell_text(0, 1) == f"{outcome.new.accuracy * 100:.2f}%"
    assert results.cell_text(0, 0) == f"{outcome.current.accuracy * 100:.2f}%"
    assert results.cell_text(0, 2).startswith("+")
    assert "Rotated ±30°" in results.row_titles()
    assert len(results.figure.axes) == 2  # current and new confusion matrices
    assert dialog.use_button.isEnabled() and dialog.discard_button.isEnabled()
    assert dialog.start_button.isEnabled()


def test_use_this_model_hands_over_the_saved_model(qtbot, dialog, tiny_npz):
    configure(dialog, tiny_npz, epochs=1)
    click(qtbot, dialog.start_button)
    wait_until_finished(qtbot, dialog)
    path, accuracy = dialog.outcome.model_path, dialog.outcome.new.accuracy

    with qtbot.waitSignal(dialog.model_accepted) as accepted:
        click(qtbot, dialog.use_button)

    recognizer = accepted.args[0]
    assert recognizer.path == path
    assert recognizer.test_accuracy == pytest.approx(accuracy)
    assert not dialog.isVisible()


def test_discard_deletes_the_new_model(qtbot, dialog, tiny_npz, tmp_path):
    configure(dialog, tiny_npz, epochs=1)
    click(qtbot, dialog.start_button)
    wait_until_finished(qtbot, dialog)
    assert len(saved_files(tmp_path / "models")) == 2

    click(qtbot, dialog.discard_button)
    # It asks first: Cancel keeps the model, its text and the buttons.
    assert "cannot be brought back" in answer_confirm(qtbot, dialog, yes=False)
    assert len(saved_files(tmp_path / "models")) == 2
    assert "Saved as" in dialog.results.summary_label.text()
    click(qtbot, dialog.discard_button)
    answer_confirm(qtbot, dialog)

    assert saved_files(tmp_path / "models") == []
    # Nothing is left saying the deleted model could still be used.
    assert "Saved as" not in dialog.results.summary_label.text()
    assert "Discarded" in dialog.results.summary_label.text()
    assert not dialog.use_button.isEnabled() and not dialog.discard_button.isEnabled()
    assert dialog.outcome is None
    assert not dialog.use_button.isEnabled()


def test_cancel_stops_the_run_and_saves_nothing(qtbot, dialog, tiny_npz, tmp_path):
    configure(dialog, tiny_npz, epochs=200, batch_size=8)
    accepted = []
    dialog.model_accepted.connect(accepted.append)
    click(qtbot, dialog.start_button)
    qtbot.waitUntil(lambda: dialog.batch_bar.value() > 0, timeout=RUN_TIMEOUT_MS)

    click(qtbot, dialog.cancel_button)
    wait_until_finished(qtbot, dialog)

    assert dialog.epoch_bar.value() < 200
    assert dialog.outcome is None
    assert "cancelled" in dialog.stage_label.text()
    assert saved_files(tmp_path / "models") == []
    assert accepted == []
    assert not dialog.use_button.isEnabled()
    assert dialog.start_button.isEnabled()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "MNIST file not found"), (b"not a zip archive", "not a readable MNIST .npz")],
)
def test_bad_data_shows_its_error_and_changes_nothing(
    qtbot, dialog, tmp_path, shipped_recognizer, content, message
):
    bad = tmp_path / "bad.npz"
    if content is not None:
        bad.write_bytes(content)
    configure(dialog, bad)
    accepted = []
    dialog.model_accepted.connect(accepted.append)

    click(qtbot, dialog.start_button)
    wait_until_finished(qtbot, dialog)

    assert not dialog.error_label.isHidden()
    assert message in dialog.error_label.text()
    assert str(bad) in dialog.error_label.text()
    assert "still in use" in dialog.stage_label.text()
    assert dialog.recognizer is shipped_recognizer
    assert accepted == [] and dialog.outcome is None
    assert saved_files(tmp_path / "models") == []


def test_a_crash_inside_training_is_reported(qtbot, dialog, tiny_npz, tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("out of memory on the device")

    monkeypatch.setattr("training.train.train", crash)
    configure(dialog, tiny_npz)
    click(qtbot, dialog.start_button)
    wait_until_finished(qtbot, dialog)

    assert "Training failed: RuntimeError: out of memory" in dialog.error_label.text()
    assert saved_files(tmp_path / "models") == []


def test_a_folder_that_cannot_be_written_is_reported(
    qtbot, tmp_path, tiny_npz, shipped_recognizer, workers
):
    blocker = tmp_path / "models"
    blocker.write_text("a file where the models folder should be")
    widget = new_dialog(qtbot, tmp_path, blocker, shipped_recognizer, workers)
    configure(widget, tiny_npz, epochs=1)

    click(qtbot, widget.start_button)
    wait_until_finished(qtbot, widget)

    assert "Could not save the new model" in widget.error_label.text()
    assert blocker.read_text() == "a file where the models folder should be"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models"]
    assert widget.outcome is None


def test_closing_the_dialog_cancels_the_run(qtbot, dialog, tiny_npz, tmp_path):
    configure(dialog, tiny_npz, epochs=200, batch_size=8)
    dialog.show()
    click(qtbot, dialog.start_button)
    qtbot.waitUntil(lambda: dialog.batch_bar.value() > 0, timeout=RUN_TIMEOUT_MS)

    dialog.close()
    wait_until_finished(qtbot, dialog)

    assert dialog.outcome is None
    assert saved_files(tmp_path / "models") == []


def test_settings_become_the_training_configuration(dialog, shipped_recognizer):
    settings = dialog.form
    settings.optimizer_combo.setCurrentIndex(settings.optimizer_combo.findData("sgd_momentum"))
    settings.pooling_combo.setCurrentIndex(settings.pooling_combo.findData("average"))
    settings.learning_rate_spin.setValue(0.01)
    settings.rotation_spin.setValue(15)
    settings.train_limit_spin.setValue(5000)

    config = settings.config()

    assert (config.optimizer, config.pooling, config.learning_rate) == (
        "sgd_momentum",
        "average",
        0.01,
    )
    assert config.augmentation.rotation == 15
    assert config.train_limit == 5000

    settings.fine_tune_check.setChecked(True)
    assert not settings.pooling_combo.isEnabled()
    tuned = settings.config(shipped_recognizer.sidecar["config"])
    assert tuned.pooling == shipped_recognizer.sidecar["config"]["pooling"]
    assert tuned.epochs == 3


def test_fine_tune_needs_a_current_model(dialog):
    dialog.session.set_recognizer(None)
    assert not dialog.form.fine_tune_check.isEnabled()
    dialog.form.fine_tune_check.setChecked(True)
    assert not dialog.form.is_fine_tune()
