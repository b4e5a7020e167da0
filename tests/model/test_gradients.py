"""Class-score gradients by backpropagation through the NumPy engine, checked two ways."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_desktop.model.explanation import explain
from lenet_desktop.model.gradients import class_gradients
from tests.model.test_probes import random_recognizer


@pytest.fixture(scope="module", params=["relu", "tanh"])
def recognizer(request):
    return random_recognizer(21, activation=request.param)


@pytest.fixture(scope="module")
def digit() -> np.ndarray:
    rng = np.random.default_rng(3)
    image = np.zeros((28, 28), np.float32)
    image[6:22, 12:16] = 1.0
    image[6:9, 8:20] = 0.8
    return np.clip(image + rng.normal(0, 0.05, image.shape), 0, 1).astype(np.float32)


def logits_after(recognizer, layer_index: int, values: np.ndarray) -> np.ndarray:
    """The logits computed from layer ``layer_index``'s output (-1: the input), in float64."""
    steps = recognizer._engine.steps
    x = values.astype(np.float64)
    for step in steps[layer_index + 1 : -1]:
        x = step(x)
    kernel, bias = recognizer.model.layers[-1].get_weights()
    return x @ kernel.astype(np.float64) + bias


def directional(recognizer, layer_index, start, direction, target, eps=1e-6) -> float:
    up = logits_after(recognizer, layer_index, start + eps * direction)[0, target]
    down = logits_after(recognizer, layer_index, start - eps * direction)[0, target]
    return (up - down) / (2 * eps)


def test_the_input_gradient_matches_finite_differences(recognizer, digit):
    explanation = explain(recognizer, digit)
    rng = np.random.default_rng(0)
    for target in (explanation.label, (explanation.label + 3) % 10):
        (grads,) = class_gradients(recognizer, explanation, [target])
        assert grads.target == target and grads.input.shape == (28, 28)
        for _ in range(3):
            direction = rng.normal(size=(1, 28, 28, 1))
            expected = directional(recognizer, -1, digit[None, ..., None], direction, target)
            got = float(np.sum(grads.input * direction[0, ..., 0]))
            assert got == pytest.approx(expected, rel=2e-3, abs=1e-4)


def test_every_layer_gradient_matches_finite_differences(recognizer, digit):
    explanation = explain(recognizer, digit)
    (grads,) = class_gradients(recognizer, explanation, [4])
    rng = np.random.default_rng(1)
    names = recognizer._engine.names
    for index, name in enumerate(names[:-1]):
        values = explanation.layers[name][None]
        # Only units that are on: a nudge to a relu's zeros breaks max-pool ties either way.
        direction = rng.normal(size=values.shape) * (values != 0)
        expected = directional(recognizer, index, values, direction, 4)
        got = float(np.sum(grads.layers[name] * direction[0]))
        assert got == pytest.approx(expected, rel=2e-3, abs=1e-4), name


def test_the_input_gradient_matches_tensorflow(recognizer, digit):
    import keras
    import tensorflow as tf

    explanation = explain(recognizer, digit)
    model = recognizer.model
    features = keras.Model(model.inputs, model.layers[-2].output)
    kernel, bias = model.layers[-1].get_weights()
    x = tf.constant(digit[None, ..., None])
    with tf.GradientTape() as tape:
        tape.watch(x)
        logits = tf.matmul(features(x, training=False), kernel) + bias
        score = logits[0, 7]
    expected = tape.gradient(score, x).numpy()[0, ..., 0]
    (grads,) = class_gradients(recognizer, explanation, [7])
    scale = np.abs(expected).max()
    np.testing.assert_allclose(grads.input, expected, atol=1e-4 * scale + 1e-7)


def test_two_targets_in_one_pass_equal_each_alone(recognizer, digit):
    explanation = explain(recognizer, digit)
    both = class_gradients(recognizer, explanation, [2, 9])
    alone = class_gradients(recognizer, explanation, [9])[0]
    np.testing.assert_allclose(both[1].input, alone.input, rtol=1e-5, atol=1e-7)
    assert not np.allclose(both[0].input, both[1].input)
    # Gradient x activation of the last hidden layer sums to the logit minus the bias.
    last_hidden = recognizer._engine.names[-2]
    kernel, bias = recognizer.model.layers[-1].get_weights()
    share = alone.contributions(last_hidden, explanation.layers[last_hidden]).sum()
    logit = explanation.layers[last_hidden] @ kernel[:, 9] + bias[9]
    assert share == pytest.approx(logit - bias[9], rel=1e-4, abs=1e-6)


def test_an_unknown_class_is_refused(recognizer, digit):
    with pytest.raises(ValueError, match="class 10"):
        class_gradients(recognizer, explain(recognizer, digit), [10])
