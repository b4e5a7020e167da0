"""Probe a recognizer: rotate, shift and flip one digit, and test-set figures.

The rotate / shift / flip explorer and the robustness figures of a model use
the same distortion, :func:`training.transforms.transform`, so what the app
shows for one digit and what the sidecar reports for the test set agree.
Each sweep is one batched :meth:`Recognizer.probabilities` call.

The test-set functions wrap :mod:`training.evaluate` and accept a
``threading.Event`` so a background worker can stop them between batches.
"""

from __future__ import annotations

import threading

import numpy as np

from training.transforms import transform

ANGLES = np.arange(-180, 181, 2, dtype=np.float64)
"""Default rotation sweep: -180 to 180 degrees in steps of 2."""
SHIFTS = np.arange(-14, 15, 1, dtype=np.float64)
"""Default shift sweep: -14 to 14 pixels."""
NON_NEGATIVE_ACTIVATIONS = ("relu", "sigmoid", "softmax")


class CancelledError(Exception):
    """A long computation was stopped on request."""


def _digit(digit: np.ndarray) -> np.ndarray:
    array = np.asarray(digit, dtype=np.float32)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.shape != (28, 28):
        raise ValueError(f"expected one 28x28 digit, got shape {np.asarray(digit).shape}")
    return array


def transformed_input(
    digit: np.ndarray, angle: float = 0.0, dx: float = 0.0, dy: float = 0.0, flip: bool = False
) -> np.ndarray:
    """The digit flipped, rotated and shifted as the explorer shows it.

    Parameters
    ----------
    digit : ndarray
        One 28x28 image (or 28x28x1), floats in [0, 1], bright ink on black.
    angle : float
        Rotation in degrees, counter-clockwise, about the image centre.
    dx, dy : float
        Shift in pixels (x to the right, y down).
    flip : bool
        Mirror left to right before rotating.

    Returns
    -------
    ndarray
        float32 (28, 28).
    """
    return transform(_digit(digit), angle=angle, dx=dx, dy=dy, flip=flip)


def rotation_sweep(
    recognizer,
    digit: np.ndarray,
    angles=ANGLES,
    *,
    dx: float = 0.0,
    dy: float = 0.0,
    flip: bool = False,
) -> np.ndarray:
    """Class probabilities of the digit at each rotation angle.

    Parameters
    ----------
    recognizer : Recognizer
    digit : ndarray
        One 28x28 image in [0, 1].
    angles : array-like of float
        Rotation angles in degrees.
    dx, dy, flip
        The shift and flip applied together with each rotation (held fixed).

    Returns
    -------
    ndarray
        Shape (len(angles), 10), from one batched ``probabilities`` call.
    """
    angles = np.asarray(angles, dtype=np.float64)
    image = _digit(digit)
    batch = transform(np.broadcast_to(image, (len(angles), 28, 28)), angles, dx, dy, flip)
    return recognizer.probabilities(batch)


def shift_sweep(
    recognizer,
    digit: np.ndarray,
    shifts=SHIFTS,
    axis: str = "x",
    *,
    angle: float = 0.0,
    dx: float = 0.0,
    dy: float = 0.0,
    flip: bool = False,
) -> np.ndarray:
    """Class probabilities of the digit at each shift along one axis.

    Parameters
    ----------
    recognizer : Recognizer
    digit : ndarray
        One 28x28 image in [0, 1].
    shifts : array-like of float
        Shifts in pixels along ``axis``.
    axis : {"x", "y"}
        ``"x"`` shifts to the right (replacing ``dx``), ``"y"`` down
        (replacing ``dy``).
    angle, dx, dy, flip
        The other distortions, held fixed.

    Returns
    -------
    ndarray
        Shape (len(shifts), 10), from one batched ``probabilities`` call.
    """
    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' or 'y', not {axis!r}")
    shifts = np.asarray(shifts, dtype=np.float64)
    image = _digit(digit)
    stack = np.broadcast_to(image, (len(shifts), 28, 28))
    if axis == "x":
        batch = transform(stack, angle, shifts, dy, flip)
    else:
        batch = transform(stack, angle, dx, shifts, flip)
    return recognizer.probabilities(batch)


def correct_angle_range(probs: np.ndarray, angles, label: int) -> tuple[float, float] | None:
    """The contiguous range of angles around 0 over which the argmax stays ``label``.

    Parameters
    ----------
    probs : ndarray
        (len(angles), 10) class probabilities, as from :func:`rotation_sweep`.
    angles : array-like of float
        The angles, sorted ascending.
    label : int
        The class that counts as correct.

    Returns
    -------
    tuple of float or None
        ``(lo, hi)`` in degrees, the widest run of consecutive angles that
        contains the angle nearest to 0 and where every prediction is
        ``label``; ``None`` when even that angle is predicted wrongly.
    """
    angles = np.asarray(angles, dtype=np.float64)
    probs = np.asarray(probs)
    if probs.shape != (len(angles), probs.shape[-1]) or len(angles) == 0:
        raise ValueError(f"probs has shape {probs.shape}, expected ({len(angles)}, classes)")
    if np.any(np.diff(angles) <= 0):
        raise ValueError("angles must be sorted ascending without repeats")
    correct = probs.argmax(axis=1) == int(label)
    centre = int(np.argmin(np.abs(angles)))
    if not correct[centre]:
        return None
    lo = centre
    while lo > 0 and correct[lo - 1]:
        lo -= 1
    hi = centre
    while hi < len(angles) - 1 and correct[hi + 1]:
        hi += 1
    return float(angles[lo]), float(angles[hi])


def signed_layers(recognizer) -> set[str]:
    """Names of the layers whose activations can be negative.

    Layers after a relu, sigmoid or softmax are non-negative; pooling and
    flatten layers inherit from the layer before them. Everything else (tanh,
    linear) is signed, so the panels draw it on a scale centred on zero.
    """
    signed = set()
    current = "linear"
    for spec in recognizer.specs:
        if spec.kind == "InputLayer":
            continue
        if spec.kind == "ReLU":
            current = "relu"
        elif "activation" in spec.config:
            activation = spec.config["activation"]
            current = activation if isinstance(activation, str) else "custom"
        if current not in NON_NEGATIVE_ACTIVATIONS:
            signed.add(spec.name)
    return signed


def _classifier(recognizer):
    """What test-set figures call: the NumPy engine when it runs the model (no TensorFlow)."""
    if recognizer.engine != "numpy":
        return recognizer.model
    return lambda images, training=False: recognizer.probabilities(images)


class _StoppableModel:
    """Calls a Keras model batch by batch and stops when an event is set."""

    def __init__(self, model, stop: threading.Event | None):
        self.model = model
        self.stop = stop

    def __call__(self, images, training=False):
        if self.stop is not None and self.stop.is_set():
            raise CancelledError("stopped")
        return self.model(images, training=training)


def evaluate_on_test_set(recognizer, x_test, y_test, stop: threading.Event | None = None) -> dict:
    """Accuracy, per-class accuracy, confusion matrix and misclassified digits.

    The same figures ``lenet-train`` writes to a sidecar's ``"test"`` entry
    (see :func:`training.evaluate.evaluate_model`).

    Parameters
    ----------
    recognizer : Recognizer
    x_test, y_test : ndarray
        uint8 (N, 28, 28) images and their labels.
    stop : threading.Event, optional
        When set, the computation raises :class:`CancelledError` at the next batch.
    """
    from training.evaluate import evaluate_model

    return evaluate_model(_StoppableModel(_classifier(recognizer), stop), x_test, y_test)


def robustness_on_test_set(recognizer, x_test, y_test, stop: threading.Event | None = None) -> dict:
    """Accuracy against rotation range, shift range and flip on a test set.

    The same figures ``lenet-train`` writes to a sidecar's
    ``"robustness_curves"`` entry (see
    :func:`training.evaluate.robustness_curves`).

    Parameters
    ----------
    recognizer : Recognizer
    x_test, y_test : ndarray
        uint8 (N, 28, 28) images and their labels.
    stop : threading.Event, optional
        When set, the computation raises :class:`CancelledError` at the next batch.
    """
    from training.evaluate import robustness_curves

    return robustness_curves(_StoppableModel(_classifier(recognizer), stop), x_test, y_test)


def misclassified_on_test_set(
    recognizer, x_test, y_test, stop: threading.Event | None = None, batch: int = 1000
) -> list[list[int]]:
    """Every test digit the recognizer gets wrong, as ``[index, predicted]`` pairs in order.

    A sidecar keeps at most 200 of them; this finds all (one batched
    :meth:`Recognizer.probabilities` call per ``batch`` images).

    Parameters
    ----------
    recognizer : Recognizer
    x_test, y_test : ndarray
        uint8 (N, 28, 28) images and their labels.
    stop : threading.Event, optional
        When set, raises :class:`CancelledError` at the next batch.
    batch : int
        Images per model call.
    """
    labels = np.asarray(y_test).reshape(-1)
    wrong: list[list[int]] = []
    for start in range(0, len(labels), batch):
        if stop is not None and stop.is_set():
            raise CancelledError("stopped")
        predicted = np.argmax(recognizer.probabilities(x_test[start : start + batch]), axis=1)
        for offset in np.flatnonzero(predicted != labels[start : start + batch]):
            wrong.append([start + int(offset), int(predicted[offset])])
    return wrong
