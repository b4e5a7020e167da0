"""Why this answer: the gradient saliency of the answer and of a picked class, live."""

from __future__ import annotations

import matplotlib
import numpy as np

from lenet_desktop.gui import palette
from lenet_desktop.gui.panels import SaliencyPanel
from lenet_desktop.model.gradients import class_gradients
from tests.gui.test_panels import rec_a, rec_b, session, seven, shown

__all__ = ["rec_a", "rec_b", "seven", "session"]


def test_the_maps_are_the_gradients_of_the_answer_and_the_runner_up(qtbot, rec_a, seven, session):
    panel = shown(qtbot, SaliencyPanel(session), (600, 400))
    session.set_recognizer(rec_a)
    explanation = session.show_input(seven)
    order = np.argsort(explanation.probabilities)
    assert panel.targets == (order[-1], order[-2])
    expected = class_gradients(rec_a, explanation, [order[-1], order[-2]])
    for shown_grads, grads in zip(panel.gradients, expected, strict=True):
        np.testing.assert_allclose(shown_grads.input, grads.input, rtol=1e-6)
    # Red where more ink raises the score most, blue where it lowers it most (one scale).
    cmap = matplotlib.colormaps[palette.SALIENCY_CMAP]
    answer = expected[0].input
    limit = max(np.abs(g.input).max() for g in expected)
    pixels = np.asarray(panel.images[0].get_array())
    high = np.unravel_index(np.argmax(answer), answer.shape)
    low = np.unravel_index(np.argmin(answer), answer.shape)
    for where in (high, low):
        colour = np.array(cmap((answer[where] + limit) / (2 * limit), bytes=True), float)
        colour[:3] *= 1.0 - 0.55 * seven[where]  # the ink shows through, darker
        assert np.abs(pixels[where].astype(int) - colour).max() <= 3
    assert panel.summary.text().startswith(f"answer {order[-1]} (")
    assert "answer" in panel.summary.text()


def test_a_picked_class_is_explained_and_kept_across_inputs(qtbot, rec_a, seven, session):
    panel = shown(qtbot, SaliencyPanel(session), (600, 400))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    panel.picker.setCurrentIndex(panel.picker.findData(3))
    assert panel.targets[1] == 3
    other = np.roll(seven, 3, axis=1)
    explanation = session.show_input(other)
    assert panel.targets == (explanation.label, 3)
    (expected,) = class_gradients(rec_a, explanation, [3])
    np.testing.assert_allclose(panel.gradients[1].input, expected.input, rtol=1e-5, atol=1e-7)
    r, c = np.unravel_index(np.argmax(np.abs(expected.input)), (28, 28))
    text = panel.hover_text(panel.axes[1], c, r)
    assert text.startswith(f"pixel row {r + 1}, col {c + 1}:")
    assert f"d score(3)/d ink {expected.input[r, c]:+.3g}" in text


def test_nothing_to_explain_empties_the_maps(qtbot, rec_a, rec_b, seven, session):
    panel = shown(qtbot, SaliencyPanel(session), (600, 400))
    session.set_recognizer(rec_a)
    session.show_input(seven)
    session.show_nothing("Draw a digit")
    assert panel.gradients is None and "Draw a digit" in panel.summary.text()
    session.show_input(seven)
    session.set_recognizer(rec_b)
    (expected,) = class_gradients(rec_b, session.explanation, [session.explanation.label])
    np.testing.assert_allclose(panel.gradients[0].input, expected.input, rtol=1e-5, atol=1e-7)
