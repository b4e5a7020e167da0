"""One forward pass per input: the answer and every panel read one explanation.

The window is given a recognizer that counts the single images it is asked
about (``activations``, ``probabilities`` or ``classify`` of one 28x28 input).
Batched calls of many images (the explorer's rotation and shift sweeps, the
test-set figures) are other inputs and are not counted.
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from tests.gui.conftest import digit_strokes, draw_strokes, paper_with_digits


class CountingRecognizer:
    """Wraps a Recognizer; counts every call that runs the model on one image."""

    def __init__(self, recognizer):
        self._inner = recognizer
        self.single_passes = 0

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def _count(self, images):
        array = np.asarray(images)
        if array.ndim == 2 or (array.ndim >= 3 and array.shape[0] == 1 and array.size == 784):
            self.single_passes += 1

    def activations(self, image):
        self._count(image)
        return self._inner.activations(image)

    def probabilities(self, images):
        self._count(images)
        return self._inner.probabilities(images)

    def classify(self, image):
        self._count(image)
        return self._inner.classify(image)


def raise_dock(qtbot, window, name):
    window.findChild(QDockWidget, "panel_" + name).raise_()
    qtbot.waitUntil(lambda: window.panels[name].on_screen, timeout=3000)


def test_each_drawn_input_runs_the_model_once(qtbot, main_window, shipped_recognizer, tmp_path):
    counting = CountingRecognizer(shipped_recognizer)
    main_window.session.set_recognizer(counting)
    explained = []
    main_window.session.explanation_changed.connect(
        lambda e: explained.append(e) if e is not None else None
    )
    raise_dock(qtbot, main_window, "activations")
    counting.single_passes = 0

    canvas = main_window.draw.canvas
    draw_strokes(qtbot, canvas, digit_strokes(canvas, "4"))  # two strokes, dozens of moves
    qtbot.waitUntil(lambda: main_window.prediction.label.text() == "4", timeout=3000)
    assert len(explained) >= 2  # at least one explanation per stroke (moves are coalesced)
    assert counting.single_passes == len(explained)
    maps = main_window.panels["activations"].layer_data("output")
    np.testing.assert_allclose(maps, explained[-1].probabilities, rtol=1e-6)

    # Panels that come on screen later show the same explanation: no pass of their own.
    before = counting.single_passes
    for name in ("saliency", "filters", "transform"):
        raise_dock(qtbot, main_window, name)
    saliency = main_window.panels["saliency"]
    assert saliency.targets[0] == explained[-1].label and saliency.gradients is not None
    qtbot.waitUntil(lambda: not main_window.panels["transform"].sweeps_busy(), timeout=10_000)
    assert counting.single_passes == before
    transform = main_window.panels["transform"]
    np.testing.assert_array_equal(transform.prediction[2], explained[-1].probabilities)

    # A digit clicked in a photo is one more input, one more pass.
    path = tmp_path / "sheet.png"  # two digits: read in one batch of two, not counted
    cv2.imwrite(str(path), paper_with_digits("47"))
    main_window.open_image(path)
    photo = main_window.photo
    qtbot.waitUntil(lambda: photo.view.labels() == [4, 7], timeout=20_000)
    before, count = counting.single_passes, len(explained)
    x, y, w, h = photo.view.boxes()[1]
    point = photo.view.widget_point(x + w / 2, y + h / 2).toPoint()
    qtbot.mouseClick(photo.view, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: len(explained) == count + 1, timeout=3000)
    qtbot.waitUntil(lambda: not main_window.panels["transform"].sweeps_busy(), timeout=10_000)
    assert counting.single_passes == before + 1
    raise_dock(qtbot, main_window, "saliency")
    assert saliency.targets[0] == 7 and counting.single_passes == before + 1
    assert main_window.prediction.label.text() == "7"
