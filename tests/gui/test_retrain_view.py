"""The Retrain dialog as it reads: the images box, the curves' axes, time left, its place."""

from __future__ import annotations

from PySide6.QtCore import QRect

from lenet_desktop.gui.retrain.placement import MIN_WIDTH, beside_rect
from tests.gui.conftest import new_dialog
from tests.gui.test_retrain import click, configure, wait_until_finished


def test_all_training_images_is_the_top_of_the_range(dialog):
    spin = dialog.form.train_limit_spin
    assert spin.text() == "all" and dialog.form.config().train_limit is None
    spin.stepDown()  # down from "all" is 59,000, not 0 or 1,000
    assert spin.value() == 59_000 and dialog.form.config().train_limit == 59_000
    spin.setValue(1000)
    spin.stepDown()  # down from 1,000 stays there; it never jumps to all 60,000
    assert spin.value() == 1000 and dialog.form.config().train_limit == 1000
    spin.stepUp()
    assert spin.text() == "2,000"
    spin.lineEdit().setText("all")
    spin.interpretText()
    assert dialog.form.config().train_limit is None


def test_empty_curves_say_so_instead_of_showing_tiny_axes(qtbot, dialog):
    curves = dialog.curves
    curves.redraw()
    assert curves.empty_text.get_visible()
    low, high = curves.loss_axes.get_ylim()
    assert (low, high) != (-0.04, 0.04) and high - low >= 1
    assert curves.accuracy_axes.get_ylim() == (0.0, 1.0)


def test_accuracy_axis_zooms_to_where_the_run_is(dialog):
    curves = dialog.curves
    curves.reset(3)
    steps = 50
    for epoch in range(3):
        for step in range(steps):
            t = (epoch * steps + step) / (3 * steps)
            accuracy = 0.1 + 0.88 * min(1.0, 8 * t) if t < 0.125 else 0.97 + 0.02 * t
            loss = 2.3 * (1 - min(1.0, 8 * t)) + 0.03 + 0.02 * (1 - t)
            curves.add_batch(epoch, step, steps, {"accuracy": accuracy, "loss": loss})
        curves.add_epoch(epoch, {"val_accuracy": 0.975 + 0.005 * epoch, "val_loss": 0.06})
    curves.redraw()

    low, high = curves.accuracy_axes.get_ylim()
    assert low > 0.9 and high <= 1.0  # 97-99 % is spread over the axis, not flattened
    assert curves.loss_axes.get_ylim()[1] < 0.5
    # The last epoch's validation dot sits on the right edge: it is drawn whole.
    assert curves.accuracy_axes.get_xlim()[1] == 3
    assert curves.lines["val_accuracy"].get_clip_on() is False


def test_time_left_never_says_zero_while_the_new_model_is_tested(dialog):
    progress = dialog.progress
    progress.starting(2)
    progress.training_started(
        {"steps_per_epoch": 10, "device": "CPU", "train_size": 1, "val_size": 1}
    )
    assert "1 image," in dialog.stage_label.text()  # not "1 images"
    progress.batch_done(0, 4, 10, {"loss": 0.5, "accuracy": 0.8})
    assert "left" in dialog.eta_label.text()
    progress.batch_done(1, 9, 10, {"loss": 0.1, "accuracy": 0.97})
    assert "0 s left" not in dialog.eta_label.text()
    assert dialog.eta_label.text().startswith("Trained in")


def test_the_dialog_goes_beside_the_window_or_over_its_panels():
    screen = QRect(0, 0, 1600, 1000)
    # Room on the right of a small window: beside it.
    rect = beside_rect(QRect(0, 0, 800, 700), screen, 900, 800)
    assert rect.left() == 800 and rect.right() <= screen.right()
    # No room (the first-start window takes 85 % of the screen): over its right-hand part,
    # leaving the input on the left in view.
    window = QRect(120, 75, 1360, 850)
    rect = beside_rect(window, screen, 1240, 820)
    assert rect.right() == window.right() and rect.width() >= MIN_WIDTH
    assert rect.left() > window.left() + 0.3 * window.width()


def test_retrain_opens_beside_the_input_without_blocking_it(qtbot, main_window):
    main_window.resize(1360, 850)
    main_window.retrain.open_retrain()
    dialog = main_window.retrain.dialog()
    qtbot.waitExposed(dialog)
    assert not dialog.isModal()
    canvas = main_window.draw.canvas
    canvas_rect = QRect(canvas.mapToGlobal(canvas.rect().topLeft()), canvas.size())
    assert not dialog.frameGeometry().intersects(canvas_rect)
    dialog.close()


def test_runs_are_overlaid_with_their_settings_and_kept(
    qtbot, tmp_path, shipped_recognizer, workers, tiny_npz
):
    models = tmp_path / "models"
    first = new_dialog(qtbot, tmp_path, models, shipped_recognizer, workers)
    configure(first, tiny_npz, epochs=1, batch_size=32)
    click(qtbot, first.start_button)
    wait_until_finished(qtbot, first)
    assert "after 1 epoch in" in first.stage_label.text()  # not "1 epochs"
    configure(first, tiny_npz, epochs=1, batch_size=64)
    click(qtbot, first.start_button)
    # The first run is overlaid while the second trains, named by its settings and result.
    assert [run.number for run in first.curves.previous] == [1]
    assert "batch 32" in first.curves.previous[0].settings
    wait_until_finished(qtbot, first)
    first.curves.redraw()
    legend = first.curves.legend_texts()
    assert any(text.startswith("run 1: Adam") and "batch 32" in text for text in legend)
    assert any(text.startswith("this run") for text in legend)
    assert first.curves.legend_label.isVisible() or not first.isVisible()

    # A new dialog (the next session) still compares with both runs.
    again = new_dialog(qtbot, tmp_path, models, shipped_recognizer, workers)
    assert [run.number for run in again.curves.previous] == [1, 2]
    assert "batch 64" in again.curves.previous[1].settings
    assert again.forget_runs_button.isEnabled()
    click(qtbot, again.forget_runs_button)
    assert again.curves.previous == [] and not again.forget_runs_button.isEnabled()
