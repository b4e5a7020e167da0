"""Insight panels in the main window: docked, following the model and the drawing."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QDockWidget

from lenet_desktop.gui.panels.imaging import tile
from lenet_desktop.model import Recognizer
from tests.gui.conftest import digit_strokes, draw_strokes
from tests.model.test_probes import random_recognizer


@pytest.fixture(scope="module")
def rec_b() -> Recognizer:
    return random_recognizer(12)


def dock(window, name: str) -> QDockWidget:
    found = window.findChild(QDockWidget, "panel_" + name)
    assert found is not None, name
    return found


def test_panels_are_docked_and_follow_the_model(main_window, shipped_recognizer):
    panels = main_window.panels
    assert set(panels) == {
        "activations",
        "saliency",
        "filters",
        "transform",
        "robustness",
        "report",
    }
    for name, panel in panels.items():
        assert dock(main_window, name).widget() is panel
        assert panel.recognizer is shipped_recognizer


def test_drawing_updates_the_activation_maps(qtbot, main_window, shipped_recognizer):
    panel = main_window.panels["activations"]
    dock(main_window, "activations").raise_()
    qtbot.waitUntil(lambda: panel.on_screen, timeout=3000)
    assert np.all(np.isnan(panel.layer_data("C1")))
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "7"))
    qtbot.waitUntil(lambda: main_window.session.image is not None, timeout=3000)
    acts = {a.name: a.values for a in shipped_recognizer.activations(main_window.session.image)}
    c1 = panel.layer_data("C1")
    assert not np.all(np.isnan(c1))
    for k in range(6):
        np.testing.assert_array_equal(tile(c1, panel.views["C1"].tiling, k), acts["C1"][..., k])
    np.testing.assert_allclose(panel.layer_data("output"), acts["output"], rtol=1e-6)
    assert int(np.argmax(panel.layer_data("output"))) == main_window.session.explanation.answer()[0]


def test_loading_another_model_changes_the_filters(qtbot, main_window, rec_b, tmp_path):
    from training.model_io import save_model

    panel = main_window.panels["filters"]
    before = panel.kernels_shown("C1")
    path = save_model(rec_b.model, tmp_path / "other.keras")
    with qtbot.waitSignal(main_window.session.recognizer_changed, timeout=30_000):
        main_window.load_model(path)
    after = panel.kernels_shown("C1")
    assert not np.allclose(before, after, equal_nan=True)
    for k in range(6):
        np.testing.assert_array_equal(
            tile(after, panel.views["C1"].tiling, k), rec_b.filters()["C1"][:, :, 0, k]
        )
    robustness = main_window.panels["robustness"]
    assert robustness.curves is None and not robustness.is_computing()


def test_panels_behind_tabs_wait_until_shown(qtbot, main_window, shipped_recognizer):
    panel = main_window.panels["transform"]
    dock(main_window, "activations").raise_()
    qtbot.waitUntil(lambda: not panel.on_screen, timeout=3000)
    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "1"))
    qtbot.waitUntil(lambda: main_window.session.image is not None, timeout=3000)
    assert panel.transformed is None and not panel.sweeps_busy()
    dock(main_window, "transform").raise_()
    qtbot.waitUntil(lambda: panel.transformed is not None, timeout=3000)
    np.testing.assert_array_equal(panel.transformed, main_window.session.image)
    qtbot.waitUntil(lambda: "rotation" in panel.curves, timeout=10_000)
