"""An Explanation is one forward pass: the probabilities are the output layer of the activations."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_desktop.model.explanation import explain, layer_shapes
from tests.model.test_probes import random_recognizer


class CountingRecognizer:
    """Delegates to a Recognizer and counts the model calls (Qt-free twin of the GUI test's)."""

    def __init__(self, recognizer):
        self.inner = recognizer
        self.calls = []

    def activations(self, image):
        self.calls.append("activations")
        return self.inner.activations(image)

    def probabilities(self, images):
        self.calls.append("probabilities")
        return self.inner.probabilities(images)


@pytest.fixture(scope="module")
def recognizer():
    return random_recognizer(5)


def test_one_pass_gives_probabilities_and_every_layer(recognizer):
    rng = np.random.default_rng(0)
    digit = rng.random((28, 28), dtype=np.float32)
    counting = CountingRecognizer(recognizer)
    explanation = explain(counting, digit, steps=[("input", np.zeros((4, 4), np.uint8))])
    assert counting.calls == ["activations"]
    label, confidence, probabilities = recognizer.classify(digit)
    np.testing.assert_allclose(explanation.probabilities, probabilities, rtol=1e-5, atol=1e-7)
    assert (explanation.label, explanation.confidence) == (label, pytest.approx(confidence))
    expected = recognizer.activations(digit)
    assert [a.name for a in explanation.activations] == [a.name for a in expected]
    for got, want in zip(explanation.activations, expected, strict=True):
        np.testing.assert_array_equal(got.values, want.values)
        np.testing.assert_array_equal(explanation.layers[got.name], want.values)
    assert [name for name, _ in explanation.steps] == ["input"]


def test_the_explanation_cannot_be_changed_by_a_view(recognizer):
    source = np.zeros((28, 28), np.float32)
    explanation = explain(recognizer, source)
    source[0, 0] = 1.0  # the caller's array is not the explanation's
    assert explanation.image[0, 0] == 0.0
    with pytest.raises(ValueError):
        explanation.image[0, 0] = 1.0
    with pytest.raises(ValueError):
        explanation.activations[0].values[...] = 0.0


def test_uint8_input_and_bad_shapes(recognizer):
    uint8 = np.full((28, 28, 1), 255, np.uint8)
    assert explain(recognizer, uint8).image.max() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="28x28"):
        explain(recognizer, np.zeros((20, 20), np.float32))


def test_layer_shapes_for_laying_out_views(recognizer):
    shapes = layer_shapes(recognizer)
    assert list(shapes) == recognizer.layer_names
    assert shapes["C1"] == (28, 28, 6) and shapes["S4"] == (5, 5, 16)
    assert list(shapes.values())[-1] == (10,)
