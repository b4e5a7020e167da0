"""Insight panels: they show the model's own numbers for the current input, live."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from matplotlib.colors import Normalize
from PySide6.QtCore import QPoint

from lenet_desktop.gui.panels import (
    ActivationsPanel,
    FiltersPanel,
    ModelReportPanel,
    RobustnessPanel,
    TransformPanel,
)
from lenet_desktop.gui.panels.imaging import activation_colormap, tile
from lenet_desktop.gui.panels.test_set import SharedMnist
from lenet_desktop.gui.session import Session
from lenet_desktop.gui.threads import WorkerRegistry
from lenet_desktop.model import Recognizer
from lenet_desktop.model.probes import (
    ANGLES,
    SHIFTS,
    correct_angle_range,
    evaluate_on_test_set,
    robustness_on_test_set,
    rotation_sweep,
    shift_sweep,
    transformed_input,
)
from tests.conftest import make_tiny_data
from tests.model.test_probes import random_recognizer
from training.data import DataError


@pytest.fixture(scope="module")
def rec_a() -> Recognizer:
    return random_recognizer(11)


@pytest.fixture(scope="module")
def rec_b() -> Recognizer:
    return random_recognizer(12)


@pytest.fixture
def session() -> Session:
    """What the panels show: set its model and input as the window would."""
    return Session()


@pytest.fixture
def workers():
    """Where the panels' jobs run; every thread is joined after the test."""
    registry = WorkerRegistry()
    yield registry
    assert registry.shutdown(timeout=60), "a worker did not stop"


@pytest.fixture
def seven() -> np.ndarray:
    image = np.zeros((28, 28), np.uint8)
    cv2.line(image, (8, 7), (20, 7), 255, 2, cv2.LINE_AA)
    cv2.line(image, (20, 7), (12, 22), 255, 2, cv2.LINE_AA)
    return image.astype(np.float32) / 255.0


def shown(qtbot, panel, size=(460, 800)):
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def with_sidecar(recognizer: Recognizer, sidecar: dict) -> Recognizer:
    return Recognizer(recognizer.model, sidecar=sidecar)


def tiny_mnist() -> SharedMnist:
    return SharedMnist(loader=make_tiny_data)


# -- activations --------------------------------------------------------------------


def test_activation_maps_show_every_layer_of_the_input(qtbot, rec_a, seven, session):
    panel = shown(qtbot, ActivationsPanel(session))
    session.set_recognizer(rec_a)
    assert list(panel.views) == ["C1", "S2", "C3", "S4", "C5", "F6", "output"]
    assert np.all(np.isnan(panel.layer_data("C1")))
    frames = panel.canvas.frame_count
    session.show_input(seven)
    acts = {a.name: a.values for a in rec_a.activations(seven)}
    for name in ("C1", "S2", "C3", "S4"):
        view, mosaic = panel.views[name], panel.layer_data(name)
        for k in range(acts[name].shape[2]):
            np.testing.assert_array_equal(tile(mosaic, view.tiling, k), acts[name][..., k])
        high = float(acts[name].max())
        assert panel.layer_limits(name) == pytest.approx((0.0, high))
        assert f"{name} {high:.3g}" in panel.scales.text()
        # The picture is matplotlib's own colouring of those values on that scale.
        expected = activation_colormap(False)(Normalize(0.0, high)(mosaic), bytes=True)
        shown_rgba = panel.layer_pixels(name)
        assert shown_rgba.shape == mosaic.shape + (4,)
        assert np.mean(shown_rgba == expected) > 0.99
        assert np.abs(shown_rgba.astype(int) - expected).max() <= 3
    np.testing.assert_array_equal(panel.layer_data("C5")[0], acts["C5"])
    np.testing.assert_array_equal(panel.layer_data("F6")[0], acts["F6"])
    np.testing.assert_allclose(panel.layer_data("output"), acts["output"], rtol=1e-6)
    qtbot.waitUntil(lambda: panel.canvas.frame_count > frames, timeout=3000)

    # The rendered canvas has those colours where each map pixel sits, the right way up.
    rendered = np.asarray(panel.canvas.buffer_rgba())
    view, pixels = panel.views["C1"], panel.layer_pixels("C1")
    lit = [tuple(p) for p in np.argwhere(acts["C1"][..., 0] > 0)[:9]]
    for r, c in [(0, 0), (7, 20), (21, 3), *lit]:
        x, y = view.axes.transData.transform((c, r))
        row, col = rendered.shape[0] - 1 - int(y), int(x)
        np.testing.assert_array_equal(rendered[row, col], pixels[r, c])

    session.show_nothing("Draw a digit")
    assert np.all(np.isnan(panel.layer_data("C3")))
    assert np.all(panel.layer_data("output") == 0)


def test_hovering_a_map_shows_its_value(qtbot, rec_a, seven, session):
    panel = shown(qtbot, ActivationsPanel(session))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    qtbot.waitUntil(lambda: panel.canvas.frame_count > 0, timeout=3000)
    view = panel.views["C3"]
    value = rec_a.activations(seven)[2].values[2, 3, 9]
    r0, c0 = view.tiling.origin(9)
    x, y = c0 + 3, r0 + 2
    expected = f"C3 map 10, row 3, col 4: {value:.4g}"  # numbered from 1
    assert panel.value_at("C3", x, y) == expected
    display = view.axes.transData.transform((x, y)) / panel.canvas.device_pixel_ratio
    point = QPoint(round(display[0]), round(panel.canvas.height() - display[1]))
    qtbot.mouseMove(panel.canvas, point)
    qtbot.waitUntil(lambda: panel.readout.text() == expected, timeout=3000)
    assert panel.value_at("output", 4.1, 0.5).startswith("output class 4: probability")


# -- filters --------------------------------------------------------------------------


def test_filters_are_the_model_weights_with_their_responses(qtbot, rec_a, seven, session):
    panel = shown(qtbot, FiltersPanel(session))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    kernels = rec_a.filters()
    acts = {a.name: a.values for a in rec_a.activations(seven)}
    c1, c3 = panel.views["C1"], panel.views["C3"]
    for k in range(6):
        np.testing.assert_array_equal(
            tile(panel.kernels_shown("C1"), c1.tiling, k), kernels["C1"][:, :, 0, k]
        )
        np.testing.assert_array_equal(
            tile(panel.responses_shown("C1"), c1.response_tiling, k), acts["C1"][..., k]
        )
    for source in range(6):
        for target in range(16):
            np.testing.assert_array_equal(
                tile(panel.kernels_shown("C3"), c3.tiling, source * 16 + target),
                kernels["C3"][:, :, source, target],
            )
    limit = float(np.abs(kernels["C3"]).max())
    assert c3.kernel_image.get_clim() == pytest.approx((-limit, limit))
    text = panel.hover_text(c3.kernel_axes, *c3.tiling.origin(2 * 16 + 5)[::-1])
    assert text == f"C3 filter 6, input map 3, row 1, col 1: {kernels['C3'][0, 0, 2, 5]:+.4f}"


def test_another_model_changes_the_filters(qtbot, rec_a, rec_b, session):
    panel = shown(qtbot, FiltersPanel(session))
    session.set_recognizer(rec_a)
    before = panel.kernels_shown("C1")
    session.set_recognizer(rec_b)
    after = panel.kernels_shown("C1")
    assert not np.allclose(before, after, equal_nan=True)
    for k in range(6):
        np.testing.assert_array_equal(
            tile(after, panel.views["C1"].tiling, k), rec_b.filters()["C1"][:, :, 0, k]
        )


# -- rotate / shift / flip --------------------------------------------------------------


def test_rotation_slider_transforms_and_predicts_like_the_core(
    qtbot, shipped_recognizer, seven, session, workers
):
    rec = shipped_recognizer
    panel = shown(qtbot, TransformPanel(session, workers), (460, 900))
    session.set_recognizer(rec)
    session.show_input(seven)
    upright = panel.prediction[2].copy()
    np.testing.assert_array_equal(panel.transformed, seven)

    panel.rotation.setValue(90)
    expected = transformed_input(seven, 90, 0, 0, False)
    np.testing.assert_array_equal(panel.transformed, expected)
    np.testing.assert_array_equal(panel.moved_image.get_array(), expected)
    label, confidence, probs = rec.classify(expected)
    assert panel.prediction[0] == label
    np.testing.assert_allclose(panel.prediction[2], probs)
    assert not np.allclose(probs, upright, atol=1e-3)
    heights = [patch.get_height() for patch in panel.bars.patches]
    np.testing.assert_allclose(heights, probs, rtol=1e-6)
    assert panel.markers["rotation"].get_xdata()[0] == 90

    qtbot.waitUntil(lambda: not panel.sweeps_busy() and "x" in panel.curves, timeout=10_000)
    np.testing.assert_allclose(panel.curves["rotation"], rotation_sweep(rec, seven, ANGLES))
    np.testing.assert_allclose(panel.curves["x"], shift_sweep(rec, seven, SHIFTS, "x", angle=90))
    line = panel.curve_lines["rotation"][3]
    np.testing.assert_allclose(line.get_ydata(), panel.curves["rotation"][:, 3])
    label0 = int(np.argmax(rotation_sweep(rec, seven, [0.0])[0]))
    lo, hi = correct_angle_range(panel.curves["rotation"], ANGLES, label0)
    assert f"stays {label0} for rotations from {lo:+.0f}° to {hi:+.0f}°" in panel.statement.text()


def test_shift_and_flip_apply_together(qtbot, rec_a, seven, session, workers):
    panel = shown(qtbot, TransformPanel(session, workers), (460, 900))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    panel.shift_x.setValue(-4)
    panel.shift_y.setValue(3)
    panel.flip.setChecked(True)
    expected = transformed_input(seven, 0, -4, 3, True)
    np.testing.assert_array_equal(panel.transformed, expected)
    np.testing.assert_allclose(panel.prediction[2], rec_a.classify(expected)[2])
    assert "shift (-4, +3) px, flipped" in panel.values.text()
    panel.reset.click()
    np.testing.assert_array_equal(panel.transformed, seven)
    session.show_nothing("Draw a digit")
    assert panel.transformed is None and panel.prediction is None


# -- robustness ---------------------------------------------------------------------------

CURVES = {
    "clean": 0.99,
    "flip": 0.41,
    "rotation": {"ranges": [0, 10, 20, 30], "accuracy": [0.99, 0.98, 0.95, 0.85]},
    "shift": {"ranges": [0, 2, 4], "accuracy": [0.99, 0.9, 0.6]},
}


def test_robustness_comes_from_the_sidecar_without_work(qtbot, rec_a, session, workers):
    loads = []
    panel = shown(
        qtbot, RobustnessPanel(session, workers, SharedMnist(loader=lambda: loads.append(1)))
    )
    session.set_recognizer(with_sidecar(rec_a, {"robustness_curves": CURVES}))
    qtbot.wait(50)
    assert not panel.is_computing() and loads == []
    ranges, accuracy = panel.shown_curve("rotation")
    np.testing.assert_allclose(ranges, [0, 10, 20, 30])
    np.testing.assert_allclose(accuracy, [99, 98, 95, 85])
    ranges, accuracy = panel.shown_curve("shift")
    np.testing.assert_allclose(accuracy, [99, 90, 60])
    widths = [bar.get_width() for bar in panel.axes["flip"].patches]
    assert widths == pytest.approx([99.0, 41.0])
    assert "sidecar" in panel.status.text()


def test_robustness_is_computed_when_the_model_has_none(qtbot, rec_a, session, workers):
    panel = RobustnessPanel(session, workers, tiny_mnist())
    qtbot.addWidget(panel)
    session.set_recognizer(rec_a)
    assert not panel.is_computing()  # hidden panels do no work
    panel.show()
    qtbot.waitUntil(lambda: panel.source == "computed", timeout=60_000)
    data = make_tiny_data()
    expected = robustness_on_test_set(rec_a, data.x_test, data.y_test)
    assert panel.curves == expected
    ranges, accuracy = panel.shown_curve("shift")
    np.testing.assert_allclose(accuracy, 100 * np.asarray(expected["shift"]["accuracy"]))


def test_missing_mnist_gives_a_clear_message(qtbot, rec_a, session, workers):
    def no_mnist():
        raise DataError("MNIST was not found (no path given, LENET_MNIST unset)")

    panel = shown(qtbot, RobustnessPanel(session, workers, SharedMnist(loader=no_mnist)))
    session.set_recognizer(rec_a)
    qtbot.waitUntil(lambda: "MNIST was not found" in panel.status.text(), timeout=10_000)
    assert "LENET_MNIST" in panel.status.text()
    assert panel.curves is None


# -- model report ---------------------------------------------------------------------------


def report_sidecar(diagonal, accuracy, class_accuracy, test_size, misclassified) -> dict:
    """A sidecar whose test report has ``diagonal`` right and 2 fours read as 9s."""
    matrix = np.diag(diagonal).tolist()
    matrix[4][9] = 2
    report = {
        "accuracy": accuracy,
        "per_class_accuracy": [class_accuracy] * 10,
        "confusion_matrix": matrix,
        "test_size": test_size,
        "misclassified": misclassified,
    }
    return {"test": report, "data": {"fingerprint": make_tiny_data().fingerprint}}


def test_report_shows_the_sidecar_matrix_and_the_wrong_digits(qtbot, rec_a, session, workers):
    data = make_tiny_data()
    sidecar = report_sidecar(np.full(10, 18), 0.9, 1.0, 200, [[3, 5], [17, 1], [40, 8]])
    matrix = sidecar["test"]["confusion_matrix"]
    panel = shown(qtbot, ModelReportPanel(session, workers, tiny_mnist()), (460, 900))
    session.set_recognizer(with_sidecar(rec_a, sidecar))
    assert "90.00%" in panel.status.text() and "sidecar" in panel.status.text()
    np.testing.assert_array_equal(panel.matrix_image.get_array(), np.maximum(matrix, 0.5))
    assert panel.hover_text(panel.matrix_axes, 9, 4) == (
        "true 4 (100.0% right), predicted 9: 2 test digits"
    )
    qtbot.waitUntil(lambda: panel.wrong is not None, timeout=10_000)
    assert panel.gallery.count() == 3
    np.testing.assert_array_equal(panel.wrong["indices"], [3, 17, 40])
    for k, index in enumerate([3, 17, 40]):
        np.testing.assert_allclose(panel.wrong["images"][k], data.x_test[index] / 255.0, atol=1e-6)
    assert panel.wrong["true"][1] == data.y_test[17] and panel.wrong["predicted"][1] == 1


def test_report_is_computed_for_a_model_without_one(qtbot, rec_b, session, workers):
    panel = shown(qtbot, ModelReportPanel(session, workers, tiny_mnist()), (460, 900))
    session.set_recognizer(rec_b)
    qtbot.waitUntil(lambda: panel.report is not None, timeout=30_000)
    data = make_tiny_data()
    expected = evaluate_on_test_set(rec_b, data.x_test, data.y_test)
    assert panel.report == expected
    assert "computed now" in panel.status.text()


# -- in the main window ------------------------------------------------------------------------
