"""Load a LeNet-5 and answer the questions the app asks it, fast.

:class:`Recognizer` wraps a Keras model loaded in safe mode. Class
probabilities and per-layer activations come from a NumPy engine compiled from
the model's weights (a fraction of a millisecond per digit); models with layers
the engine does not support run through a traced ``tf.function`` with a fixed
input signature instead, so nothing retraces. ``model.predict`` is never used:
it costs tens of milliseconds per call.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lenet_desktop.model.engine import compile_specs, is_chain, layer_specs
from lenet_desktop.model.keras_file import LeanModel

log = logging.getLogger(__name__)

ENGINE_TOLERANCE = 1e-4
ENGINE_CHUNK = 64
"""Images per engine pass: larger batches spill the im2col buffers out of the caches and
run slower per image (0.14 ms a digit at 1,024 against 0.08 ms at 64 on 2 cores)."""


@dataclass
class LayerActivation:
    """The output of one layer for one input image."""

    name: str
    """Layer name (``C1``, ``S2``, ... ``output``)."""
    values: np.ndarray
    """(H, W, C) for convolution and pooling layers, (units,) for dense layers."""

    @property
    def is_map(self) -> bool:
        """True for spatial feature maps, False for vectors."""
        return self.values.ndim == 3


def as_batch(images: np.ndarray) -> np.ndarray:
    """Images (28, 28), (N, 28, 28) or (N, 28, 28, 1), floats in [0, 1] or uint8,
    as a contiguous float32 batch (N, 28, 28, 1)."""
    array = np.asarray(images)
    if np.issubdtype(array.dtype, np.integer):
        array = array.astype(np.float32) / 255.0
    if array.ndim == 2:
        array = array[None, :, :, None]
    elif array.ndim == 3:
        array = array[..., None]
    if array.ndim != 4 or array.shape[1:] != (28, 28, 1):
        raise ValueError(f"expected 28x28 images, got shape {np.asarray(images).shape}")
    return np.ascontiguousarray(array, dtype=np.float32)


class Recognizer:
    """A loaded digit classifier with fast inference, activations and filters."""

    def __init__(
        self,
        model,
        path: str | os.PathLike | None = None,
        sidecar: dict | None = None,
        sidecar_state: str = "verified",
    ):
        """``model``: a Keras model, or a :class:`LeanModel` read from ``path``."""
        self.path = Path(path) if path is not None else None
        self.sidecar = sidecar or {}
        self.sidecar_state = sidecar_state
        """How far the sidecar's figures can be trusted: ``"verified"``,
        ``"unverified"`` (an older sidecar without a fingerprint), ``"mismatch"``
        (it belongs to another model; :attr:`sidecar` is then empty) or ``"missing"``."""
        self._keras_lock = threading.Lock()
        self._tf_probabilities = None
        self._tf_activations = None
        if isinstance(model, LeanModel):
            self._keras, self._name = None, model.name
            self.path = self.path or model.path
            self.specs = model.specs
            self.fingerprint = model.fingerprint
            """:func:`training.model_io.weights_fingerprint` of the weights in use."""
            self._engine = model.engine
            return
        from training.model_io import weights_fingerprint

        self._keras, self._name = model, model.name
        self.specs = layer_specs(model)
        self.fingerprint = weights_fingerprint(w for spec in self.specs for w in spec.weights)
        self._engine = compile_specs(self.specs) if is_chain(model) else None
        if self._engine is not None and not self._engine_matches_keras():
            self._engine = None
        if self._engine is None:
            self._build_tf_functions()

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> Recognizer:
        """Load a ``.keras`` model, with its sidecar when it belongs to it.

        The NumPy engine reads the file without TensorFlow when it can run
        the model; otherwise Keras loads it in safe mode. The sidecar's weight
        fingerprint is checked against the model: a sidecar of another model
        is dropped (:attr:`sidecar_state` ``"mismatch"``), one without a
        fingerprint is kept as ``"unverified"``.

        Raises
        ------
        training.model_io.ModelLoadError
            The file cannot be loaded, is not a 28x28 -> 10 class model, has
            non-finite weights or does not answer probabilities.
        """
        from lenet_desktop.model.keras_file import read_lean_model
        from training.model_io import check_sidecar, load_model, read_sidecar

        lean = read_lean_model(path)
        recognizer = cls(load_model(path) if lean is None else lean, path=path)
        if lean is not None and "keras" in sys.modules and not recognizer.matches_keras():
            log.warning("the NumPy reading of %s differs from Keras: using Keras", path)
            recognizer = cls(recognizer.model, path=path)
        check = check_sidecar(read_sidecar(path), recognizer.fingerprint)
        recognizer.sidecar, recognizer.sidecar_state = check.sidecar, check.state
        return recognizer

    @property
    def model(self):
        """The Keras model (loaded from :attr:`path` on first use: this imports TensorFlow).

        Raises
        ------
        training.model_io.ModelLoadError
            The file no longer holds the weights in use (it was replaced since).
        """
        with self._keras_lock:
            if self._keras is None:
                from training.model_io import ModelLoadError, load_model, weights_fingerprint

                model = load_model(self.path)
                if weights_fingerprint(model.get_weights()) != self.fingerprint:
                    raise ModelLoadError(
                        f"{self.path.name} has changed since it was loaded; load it again"
                    )
                self._keras = model
            return self._keras

    @property
    def keras_loaded(self) -> bool:
        """Whether the Keras model is in memory (always, for a model the engine cannot run)."""
        return self._keras is not None

    def matches_keras(self) -> bool:
        """Whether the engine gives what Keras gives on probe inputs (loads Keras if needed)."""
        return self._engine is not None and self._engine_matches_keras()

    # -- facts about the model ------------------------------------------------
    @property
    def engine(self) -> str:
        """``"numpy"`` or ``"tensorflow"``: which path runs the model."""
        return "numpy" if self._engine is not None else "tensorflow"

    @property
    def layer_names(self) -> list[str]:
        """Names of the layers whose activations :meth:`activations` returns."""
        if self._engine is not None:
            return list(self._engine.names)
        return [layer.name for layer in self._activation_layers()]

    @property
    def test_accuracy(self) -> float | None:
        """MNIST test accuracy recorded in the sidecar, if any."""
        value = self.sidecar.get("test_accuracy")
        return float(value) if isinstance(value, (int, float)) else None

    @property
    def sidecar_note(self) -> str:
        """Why the sidecar's figures are not (fully) trusted; empty when verified."""
        from training.model_io import SidecarCheck

        return SidecarCheck(self.sidecar_state, self.sidecar).note

    @property
    def trained_on(self) -> str | None:
        """The device that trained the model, from the sidecar."""
        return self.sidecar.get("device")

    @property
    def display_name(self) -> str:
        """Short name for titles and the status bar."""
        return self.path.name if self.path is not None else self._name

    # -- inference ------------------------------------------------------------
    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Class probabilities, shape (N, 10), for a batch (or one image -> (1, 10))."""
        batch = as_batch(images)
        if self._engine is None:
            return np.asarray(self._tf_probabilities(batch))
        if len(batch) <= ENGINE_CHUNK:
            return self._engine.forward(batch)
        return np.concatenate(
            [
                self._engine.forward(batch[start : start + ENGINE_CHUNK])
                for start in range(0, len(batch), ENGINE_CHUNK)
            ]
        )

    def classify(self, image: np.ndarray) -> tuple[int, float, np.ndarray]:
        """(label, confidence, probabilities) of one 28x28 image."""
        probs = self.probabilities(image)[0]
        label = int(np.argmax(probs))
        return label, float(probs[label]), probs

    def activations(self, image: np.ndarray) -> list[LayerActivation]:
        """Output of every layer for one 28x28 image, input excluded, output last."""
        batch = as_batch(image)[:1]
        if self._engine is not None:
            outputs = self._engine.forward_all(batch)
            names = self._engine.names
        else:
            outputs = [np.asarray(o) for o in self._tf_activations(batch)]
            names = [layer.name for layer in self._activation_layers()]
        return [
            LayerActivation(name, np.asarray(out[0]))
            for name, out in zip(names, outputs, strict=True)
        ]

    def layer_geometry(self) -> list[tuple[str, str, tuple[int, int], str]] | None:
        """Each layer's ``(name, kind, window, padding)`` (see ``NumpyEngine.geometry``),
        or ``None`` when the model runs on TensorFlow."""
        return None if self._engine is None else self._engine.geometry()

    def backpropagate(self, image, outputs, seed, before_last: bool = True):
        """Gradients of a class score by backpropagation through the NumPy engine.

        ``outputs`` are every layer's output for ``image`` from an earlier
        :meth:`activations` call (nothing is run forward again); ``seed`` is
        (N, classes). Returns ``[d/d image, d/d layer 0, ...]`` (each with N
        rows), or ``None`` when the model runs on TensorFlow instead.
        """
        if self._engine is None:
            return None
        batch = as_batch(image)[:1]
        return self._engine.backward_all(batch, [o[None] for o in outputs], seed, before_last)

    def filters(self) -> dict[str, np.ndarray]:
        """Kernels of each Conv2D layer, ``{name: array (kh, kw, in, out)}``, in layer order."""
        return {
            spec.name: np.asarray(spec.weights[0]) for spec in self.specs if spec.kind == "Conv2D"
        }

    # -- internals --------------------------------------------------------------
    def _activation_layers(self):
        return [
            layer
            for layer in self.model.layers
            if type(layer).__name__ not in ("InputLayer", "Dropout")
        ]

    def _engine_matches_keras(self) -> bool:
        from training.model_io import probe_inputs

        probe = probe_inputs()
        expected = np.asarray(self.model(probe, training=False))
        got = self._engine.forward(probe)
        return got.shape == expected.shape and np.allclose(got, expected, atol=ENGINE_TOLERANCE)

    def _build_tf_functions(self) -> None:
        import keras
        import tensorflow as tf

        spec = [tf.TensorSpec((None, 28, 28, 1), tf.float32)]
        model = self.model
        self._tf_probabilities = tf.function(
            lambda x: model(x, training=False), input_signature=spec
        )
        probe = keras.Model(model.inputs, [layer.output for layer in self._activation_layers()])
        self._tf_activations = tf.function(lambda x: probe(x, training=False), input_signature=spec)
