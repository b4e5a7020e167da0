"""The model report: every misclassified digit, scrollable, and explorable."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from lenet_desktop.gui.panels import ActivationsPanel, ModelReportPanel
from lenet_desktop.model import Recognizer
from lenet_desktop.model.probes import evaluate_on_test_set
from tests.conftest import make_tiny_data
from tests.gui.test_panels import rec_a, rec_b, session, shown, tiny_mnist, with_sidecar, workers

__all__ = ["rec_a", "rec_b", "session", "workers"]


@pytest.fixture(scope="module")
def truncated(rec_a) -> tuple[Recognizer, dict]:
    """rec_a with a sidecar whose list of wrong digits stops at 10 (as a sidecar stops at 200)."""
    data = make_tiny_data()
    report = evaluate_on_test_set(rec_a, data.x_test, data.y_test)
    full = list(report["misclassified"])
    report["misclassified"] = full[:10]
    sidecar = {"test": report, "data": {"fingerprint": data.fingerprint}}
    return with_sidecar(rec_a, sidecar), full


def click_cell(qtbot, panel, true: int, predicted: int) -> None:
    ratio = panel.canvas.device_pixel_ratio
    x, y = panel.matrix_axes.transData.transform((predicted, true)) / ratio
    point = QPoint(round(x), round(panel.canvas.height() - y))
    qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton, pos=point)


def test_every_misclassified_digit_is_shown_and_scrolls(qtbot, truncated, session, workers):
    recognizer, full = truncated
    matrix = np.asarray(recognizer.sidecar["test"]["confusion_matrix"])
    errors = int(matrix.sum() - np.trace(matrix))
    assert errors == len(full) > 50
    panel = shown(qtbot, ModelReportPanel(session, workers, tiny_mnist()), (460, 900))
    session.set_recognizer(recognizer)
    qtbot.waitUntil(lambda: panel.wrong is not None, timeout=30_000)
    assert panel.gallery.count() == errors
    pairs = np.stack([panel.wrong["indices"], panel.wrong["predicted"]], axis=1)
    assert pairs.tolist() == [[int(i), int(p)] for i, p in full]
    assert f"all {errors}" in panel.header.note.text()
    scroll = panel.gallery.parentWidget().parentWidget()
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0, timeout=3000)
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    last = panel.gallery.tile_rect(errors - 1)
    assert scroll.viewport().rect().contains(panel.gallery.mapTo(scroll.viewport(), last.center()))


def test_tiles_grow_with_the_dock(qtbot, truncated, session, workers):
    panel = shown(qtbot, ModelReportPanel(session, workers, tiny_mnist()), (360, 800))
    session.set_recognizer(truncated[0])
    qtbot.waitUntil(lambda: panel.wrong is not None, timeout=30_000)
    small = panel.gallery.tile_size()
    panel.resize(900, 800)
    qtbot.waitUntil(lambda: panel.gallery.tile_size() > small, timeout=3000)
    assert panel.gallery.columns() * panel.gallery.tile_size() > 700


def test_a_cell_filters_the_gallery_and_loads_its_digit(qtbot, truncated, session, workers):
    recognizer, _ = truncated
    panel = shown(qtbot, ModelReportPanel(session, workers, tiny_mnist()), (460, 900))
    maps = shown(qtbot, ActivationsPanel(session), (460, 900))
    session.set_recognizer(recognizer)
    qtbot.waitUntil(lambda: panel.wrong is not None, timeout=30_000)
    matrix = np.asarray(recognizer.sidecar["test"]["confusion_matrix"])
    off = matrix - np.diag(np.diag(matrix))
    true, predicted = np.unravel_index(np.argmax(off), off.shape)
    click_cell(qtbot, panel, int(true), int(predicted))
    qtbot.waitUntil(lambda: panel.cell == (true, predicted), timeout=3000)
    assert panel.gallery.count() == matrix[true, predicted]
    shown_true = panel.wrong["true"][panel.shown_positions]
    assert set(shown_true) == {true}
    assert set(panel.wrong["predicted"][panel.shown_positions]) == {predicted}
    assert f"True {true}, predicted {predicted}: {matrix[true, predicted]} digits" in (
        panel.header.note.text()
    )
    assert panel.header.show_all.isVisibleTo(panel)
    # Its first digit is now the window's input, explained by every view.
    data = make_tiny_data()
    first = int(panel.wrong["indices"][panel.shown_positions[0]])
    assert session.source == f"test digit #{first}"
    np.testing.assert_allclose(session.explanation.image, data.x_test[first] / 255.0, atol=1e-6)
    assert session.explanation.label == predicted
    np.testing.assert_allclose(maps.layer_data("output"), session.explanation.probabilities)

    # A click on another tile loads that digit.
    rect = panel.gallery.tile_rect(1)
    qtbot.mouseClick(panel.gallery, Qt.MouseButton.LeftButton, pos=rect.center())
    second = int(panel.wrong["indices"][panel.shown_positions[1]])
    assert session.source == f"test digit #{second}"
    assert panel.gallery.selected == 1

    panel.header.show_all.click()
    assert panel.cell is None and panel.gallery.count() == off.sum()


def test_a_new_model_clears_the_cell_note(qtbot, truncated, rec_b, session, workers):
    recognizer, _ = truncated
    panel = shown(qtbot, ModelReportPanel(session, workers, tiny_mnist()), (460, 900))
    session.set_recognizer(recognizer)
    qtbot.waitUntil(lambda: panel.wrong is not None, timeout=30_000)
    panel.filter_to((3, 5))
    panel.readout.setText(panel.hover_text(panel.matrix_axes, 5, 3))
    assert "True 3, predicted 5" in panel.header.note.text()
    session.set_recognizer(rec_b)
    assert panel.cell is None
    assert "True 3" not in panel.header.note.text()
    assert panel.readout.text() == ""
    qtbot.waitUntil(lambda: panel.wrong is not None, timeout=30_000)
    assert "all" in panel.header.note.text()
