"""Sweeps and test-set figures of lenet_desktop.model.probes (no Qt)."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from lenet_desktop.model import Recognizer
from lenet_desktop.model.probes import (
    CancelledError,
    correct_angle_range,
    evaluate_on_test_set,
    robustness_on_test_set,
    rotation_sweep,
    shift_sweep,
    signed_layers,
    transformed_input,
)
from training.transforms import transform


def random_recognizer(seed: int, activation: str = "relu") -> Recognizer:
    """An untrained LeNet-5 with seeded random weights (no training needed)."""
    import keras

    from training.config import TrainConfig
    from training.lenet import build_lenet5

    keras.utils.set_random_seed(seed)
    return Recognizer(build_lenet5(TrainConfig(activation=activation)))


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return random_recognizer(3)


@pytest.fixture
def seven() -> np.ndarray:
    image = np.zeros((28, 28), np.uint8)
    cv2.line(image, (8, 7), (20, 7), 255, 2, cv2.LINE_AA)
    cv2.line(image, (20, 7), (12, 22), 255, 2, cv2.LINE_AA)
    return image.astype(np.float32) / 255.0


class CountingRecognizer:
    """Records every probabilities call of a wrapped recognizer."""

    def __init__(self, inner):
        self.inner = inner
        self.batches = []

    def probabilities(self, images):
        self.batches.append(np.array(images))
        return self.inner.probabilities(images)


def test_transformed_input_is_the_training_transform(seven):
    got = transformed_input(seven, angle=25, dx=3, dy=-2, flip=True)
    assert got.shape == (28, 28) and got.dtype == np.float32
    np.testing.assert_array_equal(got, transform(seven, angle=25, dx=3, dy=-2, flip=True))
    np.testing.assert_array_equal(transformed_input(seven), seven)
    np.testing.assert_array_equal(transformed_input(seven[..., None], flip=True), seven[:, ::-1])


def test_transformed_input_rejects_other_shapes():
    with pytest.raises(ValueError, match="28x28"):
        transformed_input(np.zeros((2, 28, 28)))


def test_rotation_sweep_is_one_batched_call(recognizer, seven):
    angles = np.array([-90.0, -10.0, 0.0, 45.0])
    counting = CountingRecognizer(recognizer)
    probs = rotation_sweep(counting, seven, angles, dx=2, dy=1, flip=True)
    assert probs.shape == (4, 10)
    assert len(counting.batches) == 1 and len(counting.batches[0]) == 4
    for i, angle in enumerate(angles):
        image = transform(seven, angle=angle, dx=2, dy=1, flip=True)
        np.testing.assert_allclose(probs[i], recognizer.probabilities(image)[0], atol=1e-6)


@pytest.mark.parametrize("axis", ["x", "y"])
def test_shift_sweep_moves_one_axis_and_holds_the_rest(recognizer, seven, axis):
    shifts = np.array([-5.0, 0.0, 4.0])
    counting = CountingRecognizer(recognizer)
    probs = shift_sweep(counting, seven, shifts, axis, angle=20, dx=1, dy=-1)
    assert probs.shape == (3, 10) and len(counting.batches) == 1
    for i, shift in enumerate(shifts):
        dx, dy = (shift, -1) if axis == "x" else (1, shift)
        expected = transform(seven, angle=20, dx=dx, dy=dy)
        np.testing.assert_array_equal(counting.batches[0].reshape(-1, 28, 28)[i], expected)
        np.testing.assert_allclose(probs[i], recognizer.probabilities(expected)[0], atol=1e-6)


def test_shift_sweep_rejects_a_bad_axis(recognizer, seven):
    with pytest.raises(ValueError, match="axis"):
        shift_sweep(recognizer, seven, [0, 1], axis="z")


def one_hot(labels) -> np.ndarray:
    probs = np.full((len(labels), 10), 0.01)
    probs[np.arange(len(labels)), labels] = 0.91
    return probs


def test_correct_angle_range_is_the_run_around_zero():
    angles = np.arange(-30, 31, 10)  # -30 -20 -10 0 10 20 30
    labels = [7, 1, 7, 7, 7, 3, 7]
    assert correct_angle_range(one_hot(labels), angles, 7) == (-10.0, 10.0)
    assert correct_angle_range(one_hot([7] * 7), angles, 7) == (-30.0, 30.0)
    assert correct_angle_range(one_hot([7, 7, 7, 2, 7, 7, 7]), angles, 7) is None


def test_correct_angle_range_uses_the_angle_nearest_zero():
    angles = np.array([-7.0, -3.0, 2.0, 6.0])
    assert correct_angle_range(one_hot([4, 1, 1, 1]), angles, 1) == (-3.0, 6.0)


def test_correct_angle_range_checks_its_input():
    with pytest.raises(ValueError, match="sorted"):
        correct_angle_range(one_hot([1, 1]), [10, -10], 1)
    with pytest.raises(ValueError, match="shape"):
        correct_angle_range(one_hot([1, 1, 1]), [0, 1], 1)


def test_correct_angle_range_of_a_real_sweep(recognizer, seven):
    angles = np.arange(-180, 181, 10)
    probs = rotation_sweep(recognizer, seven, angles)
    label = int(np.argmax(probs[18]))
    lo, hi = correct_angle_range(probs, angles, label)
    inside = (angles >= lo) & (angles <= hi)
    assert lo <= 0 <= hi
    assert np.all(probs[inside].argmax(axis=1) == label)


def test_signed_layers_follow_the_activation():
    assert signed_layers(random_recognizer(1, "relu")) == set()
    tanh = signed_layers(random_recognizer(1, "tanh"))
    assert tanh == {"C1", "S2", "C3", "S4", "flatten", "C5", "F6"}


def test_test_set_figures_match_training_evaluate(recognizer, tiny_data):
    from training.evaluate import evaluate_model, robustness_curves

    x, y = tiny_data.x_test[:120], tiny_data.y_test[:120]
    report = evaluate_on_test_set(recognizer, x, y)
    assert report == evaluate_model(recognizer.model, x, y)
    curves = robustness_on_test_set(recognizer, x, y)
    assert curves == robustness_curves(recognizer.model, x, y)
    assert set(curves) == {"clean", "flip", "rotation", "shift"}


def test_test_set_figures_stop_when_asked(recognizer, tiny_data):
    stop = threading.Event()
    stop.set()
    with pytest.raises(CancelledError):
        robustness_on_test_set(recognizer, tiny_data.x_test, tiny_data.y_test, stop)
    with pytest.raises(CancelledError):
        evaluate_on_test_set(recognizer, tiny_data.x_test, tiny_data.y_test, stop)
