"""Save and load LeNet-5 models: ``.keras`` files plus a JSON sidecar.

Loading always uses Keras safe mode (no arbitrary code, so Lambda layers are
refused) and checks the model takes 28x28x1 images (or, for evaluating a
CIFAR-10 model, the shape asked for) and outputs 10 classes.

A model and its sidecar are one unit. Both are written to temporary names
first; the sidecar holds a fingerprint of the model's weights
(``weights_sha256``), so a reader can tell a pair that does not belong
together (a save killed between the two renames, a model copied without its
sidecar) and never shows another model's figures. A sidecar written before
fingerprints existed is shown as unverified.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.atomic import commit, json_text, staged
from training.model_file import UNSAFE_CODE, ModelLoadError, open_keras_archive

SIDECAR_SUFFIX = ".json"
FINGERPRINT_KEY = "weights_sha256"
"""The sidecar entry with :func:`weights_fingerprint` of the model it belongs to."""
SIDECAR_MISMATCH = "sidecar does not match this model"
DIGIT_INPUT = (28, 28, 1)
"""What the app's models take: 28x28 grey-scale digits."""

MAX_KERAS_MESSAGE = 240
"""Keras errors can hold the whole model config; a user sees at most this much."""
PROBABILITY_TOLERANCE = 1e-3


def sidecar_path(model_path: str | os.PathLike) -> Path:
    """The metrics sidecar that belongs to ``model_path`` (same stem, ``.json``)."""
    return Path(model_path).with_suffix(SIDECAR_SUFFIX)


def save_model(model, path: str | os.PathLike, metadata: dict | None = None) -> Path:
    """Save ``model`` and its sidecar as one unit.

    Both files are written under temporary names beside the target; the
    sidecar (``metadata`` plus the weights' fingerprint) is renamed into place
    first, then the model. A save killed in between leaves a pair whose
    fingerprint does not match, which :func:`check_sidecar` reports, never a
    new model beside the old model's figures. Temporary files a killed save
    left behind are removed by the next save.

    Parameters
    ----------
    model : keras.Model
    path : path-like
        Target ``.keras`` file.
    metadata : dict, optional
        JSON-serialisable sidecar contents (config, history, metrics ...).

    Returns
    -------
    pathlib.Path
        The model path.
    """
    target = Path(path)
    if target.suffix != ".keras":
        raise ValueError(f"model files must end in .keras, not {target.name!r}")
    sidecar_file = sidecar_path(target)
    sidecar = dict(metadata or {})
    with staged(target, ".keras") as model_tmp, staged(sidecar_file, ".json") as sidecar_tmp:
        model.save(model_tmp)
        sidecar[FINGERPRINT_KEY] = weights_fingerprint(model.get_weights())
        sidecar_tmp.write_text(json_text(sidecar), encoding="utf-8")
        commit(sidecar_tmp, sidecar_file)
        commit(model_tmp, target)
    return target


def weights_fingerprint(arrays) -> str:
    """``"sha256:<hex>"`` of a model's weight arrays (dtype, shape and bytes, in order).

    The same for a model in Keras (``model.get_weights()``) and for the arrays
    read from its file, and unchanged when the same weights are saved again.
    """
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape};".encode())
        digest.update(array.tobytes())
    return f"sha256:{digest.hexdigest()}"


@dataclass(frozen=True)
class SidecarCheck:
    """Whether a sidecar belongs to the model it sits beside."""

    state: str
    """``"verified"``, ``"unverified"`` (no fingerprint: an older sidecar),
    ``"mismatch"`` or ``"missing"``."""
    sidecar: dict
    """The sidecar to use: empty unless verified or unverified."""

    @property
    def note(self) -> str:
        """Words for the user, empty when verified."""
        return {
            "verified": "",
            "unverified": "unverified: the sidecar predates weight fingerprints",
            "mismatch": f"{SIDECAR_MISMATCH}; its figures are not shown",
            "missing": "no sidecar",
        }[self.state]


def check_sidecar(sidecar: dict, fingerprint: str) -> SidecarCheck:
    """Compare ``sidecar`` (from :func:`read_sidecar`) with the model's ``fingerprint``."""
    if not sidecar:
        return SidecarCheck("missing", {})
    recorded = sidecar.get(FINGERPRINT_KEY)
    if recorded is None:
        return SidecarCheck("unverified", sidecar)
    if recorded != fingerprint:
        return SidecarCheck("mismatch", {})
    return SidecarCheck("verified", sidecar)


def read_sidecar(model_path: str | os.PathLike) -> dict:
    """Return the sidecar of ``model_path``, or ``{}`` when there is none or it is unreadable."""
    path = sidecar_path(model_path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_model(path: str | os.PathLike, *, input_shape: tuple = DIGIT_INPUT):
    """Load a ``.keras`` digit classifier in safe mode and check its shapes.

    Parameters
    ----------
    path : path-like
    input_shape : tuple
        The input the model must take; ``lenet-train evaluate`` passes
        (32, 32, 3) for a CIFAR-10 model, the app never does.

    Returns
    -------
    keras.Model

    Raises
    ------
    ModelLoadError
        The file is missing or not a Keras model (see
        :func:`training.model_file.open_keras_archive`), holds unsafe code
        (Lambda layers, custom classes), does not map ``input_shape`` images
        to 10 classes, has NaN or infinite weights, or does not answer
        probabilities on :func:`probe_inputs`.
    """
    import keras

    archive = open_keras_archive(path)
    target = archive.path
    try:
        model = keras.saving.load_model(target, compile=False, safe_mode=True)
    except Exception as exc:  # Keras raises many types for bad files
        raise ModelLoadError(f"cannot load {target.name}: {keras_error_words(exc)}") from exc
    check_model_shapes(model, target.name, input_shape)
    check_finite_weights(model.get_weights(), target.name)
    probes = probe_inputs(input_shape)
    check_probabilities(np.asarray(model(probes, training=False)), target.name)
    return model


def keras_error_words(exc: Exception) -> str:
    """The first sentence of a Keras loading error, without the config dump it may carry."""
    text = str(exc)
    if "lambda" in text.lower() or "unsafe" in text.lower():
        return UNSAFE_CODE
    line = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    for marker in (" Full object config", " Received config", " config="):
        if marker in line:
            line = line[: line.index(marker)]
    if len(line) > MAX_KERAS_MESSAGE:
        line = line[:MAX_KERAS_MESSAGE].rstrip() + "…"
    return line


def probe_inputs(input_shape: tuple = DIGIT_INPUT) -> np.ndarray:
    """Inputs every digit classifier must answer with probabilities: blank, full, noise."""
    rng = np.random.default_rng(0)
    noise = rng.random((4, *input_shape), dtype=np.float32)
    blank = np.zeros((1, *input_shape), np.float32)
    return np.concatenate([blank, np.ones_like(blank), noise])


def check_finite_weights(arrays, name: str = "model") -> None:
    """Raise :class:`ModelLoadError` when any weight is NaN or infinite."""
    bad = sum(int(np.size(a) - np.count_nonzero(np.isfinite(a))) for a in arrays)
    if bad:
        raise ModelLoadError(
            f"{name} has {bad} NaN or infinite weight{'s' if bad != 1 else ''}; "
            "its answers would be meaningless"
        )


def check_probabilities(outputs: np.ndarray, name: str = "model") -> None:
    """Raise :class:`ModelLoadError` unless each row of ``outputs`` is a probability distribution.

    ``outputs`` are the model's answers to :func:`probe_inputs`: every value
    must be finite and in [0, 1], and every row must sum to 1.
    """
    outputs = np.asarray(outputs, dtype=np.float64)
    if not np.all(np.isfinite(outputs)):
        raise ModelLoadError(f"{name} answers NaN or infinite values, not probabilities")
    sums = outputs.sum(axis=1)
    worst = float(sums[np.argmax(np.abs(sums - 1.0))])
    if (
        outputs.min() < -PROBABILITY_TOLERANCE
        or outputs.max() > 1.0 + PROBABILITY_TOLERANCE
        or abs(worst - 1.0) > PROBABILITY_TOLERANCE
    ):
        raise ModelLoadError(
            f"{name}'s outputs are not probabilities (on a test input they range "
            f"{outputs.min():.3g} to {outputs.max():.3g} and sum to {worst:.4g}, not 1): "
            "its last layer needs a softmax activation"
        )


def check_model_shapes(model, name: str = "model", input_shape: tuple = DIGIT_INPUT) -> None:
    """Raise :class:`ModelLoadError` unless ``model`` maps ``input_shape`` to 10 classes."""
    inputs = getattr(model, "inputs", None) or []
    outputs = getattr(model, "outputs", None) or []
    if len(inputs) != 1 or len(outputs) != 1:
        raise ModelLoadError(f"{name} must have one input and one output")
    check_shapes(tuple(inputs[0].shape[1:]), tuple(outputs[0].shape[1:]), name, input_shape)


def check_shapes(
    in_shape: tuple, out_shape: tuple, name: str = "model", input_shape: tuple = DIGIT_INPUT
) -> None:
    """Raise :class:`ModelLoadError` unless a model of these shapes maps ``input_shape`` to 10."""
    in_shape, out_shape = tuple(in_shape), tuple(out_shape)
    if in_shape != tuple(input_shape):
        message = f"{name} takes input of shape {in_shape}, expected {tuple(input_shape)}"
        if tuple(input_shape) == DIGIT_INPUT and in_shape[-1:] == (3,):
            message += (
                ": it is a model of colour images (such as one trained with "
                "'lenet-train --dataset cifar10'), and LeNet Desktop reads digits with "
                "28x28 grey-scale models only"
            )
        raise ModelLoadError(message)
    if out_shape != (10,):
        raise ModelLoadError(f"{name} outputs shape {out_shape}, expected 10 classes")
