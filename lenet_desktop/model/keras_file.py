"""Read a ``.keras`` LeNet for the NumPy engine without importing TensorFlow or Keras.

A ``.keras`` file is a zip of ``config.json`` and ``model.weights.h5``. The
architecture comes from the config, the weights from the HDF5 file (h5py),
where Keras keeps each layer's variables under ``layers/<name>/vars/<i>``,
``<name>`` being the snake-case class name made unique in layer order
(``conv2d``, ``conv2d_1``, ``dense`` ...). The file goes through the same
checks as the Keras loader (:func:`training.model_file.open_keras_archive`:
what the file is, no Lambda layers or custom classes; then shapes, finite
weights and probability outputs), with the same messages.

:func:`read_lean_model` returns ``None`` for a model the engine cannot run
(a layer outside the LeNet set, a graph that is not a chain, another dtype):
the caller then loads it with Keras.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lenet_desktop.model.engine import LayerSpec, NumpyEngine, compile_specs
from training.model_file import WEIGHTS_MEMBER, ModelLoadError, open_keras_archive
from training.model_io import (
    DIGIT_INPUT,
    check_finite_weights,
    check_probabilities,
    check_shapes,
    probe_inputs,
    weights_fingerprint,
)

WEIGHTED_LAYERS = ("Conv2D", "Dense")
ENGINE_LAYERS = (
    "InputLayer",
    "Conv2D",
    "MaxPooling2D",
    "AveragePooling2D",
    "Flatten",
    "Dense",
    "Activation",
    "ReLU",
    "Dropout",
)
"""Layer classes the NumPy engine can run (see :func:`engine.compile_specs`)."""


@dataclass
class LeanModel:
    """A LeNet read from a ``.keras`` file, ready for the NumPy engine (no Keras object)."""

    name: str
    path: Path
    specs: list[LayerSpec]
    engine: NumpyEngine
    input_shape: tuple
    fingerprint: str
    """:func:`training.model_io.weights_fingerprint` of its weights."""

    def weights(self) -> list[np.ndarray]:
        """All weight arrays, in the order ``keras.Model.get_weights()`` gives them."""
        return [w for spec in self.specs for w in spec.weights]


def snake_case(name: str) -> str:
    """Keras's name for a layer class in its weights file: ``MaxPooling2D`` -> ``max_pooling2d``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def weight_groups(kinds: list[str]) -> list[str]:
    """The weights-file group of each layer, given the layers' class names in order."""
    used: dict[str, int] = {}
    groups = []
    for kind in kinds:
        base = snake_case(kind)
        if base in used:
            used[base] += 1
            groups.append(f"{base}_{used[base]}")
        else:
            used[base] = 0
            groups.append(base)
    return groups


def _history_name(arg) -> str | None:
    try:
        return arg["config"]["keras_history"][0]
    except (KeyError, IndexError, TypeError):
        return None


def _is_chain(model_config: dict, class_name: str) -> bool:
    """Whether the layers form one chain, each feeding the next, one input, one output."""
    if class_name == "Sequential":
        return True
    layers = model_config.get("layers") or []
    names = [layer.get("name") or layer.get("config", {}).get("name") for layer in layers]
    for previous, layer in zip(names, layers[1:], strict=False):
        nodes = layer.get("inbound_nodes") or []
        if len(nodes) != 1 or len(nodes[0].get("args") or []) != 1:
            return False
        if _history_name(nodes[0]["args"][0]) != previous:
            return False

    def ends(key):
        value = model_config.get(key)
        if value and isinstance(value[0], list):
            value = value[0] if len(value) == 1 else None
        return value[0] if value else None

    return ends("input_layers") == names[0] and ends("output_layers") == names[-1]


def _input_shape(model_config: dict, layers: list[dict]) -> tuple | None:
    first = layers[0] if layers else {}
    if first.get("class_name") == "InputLayer":
        shape = first["config"].get("batch_shape") or first["config"].get("batch_input_shape")
        return tuple(shape[1:]) if shape else None
    for build in (model_config.get("build_input_shape"), (first.get("build_config") or {})):
        shape = build.get("input_shape") if isinstance(build, dict) else build
        if shape:
            return tuple(shape[1:])
    return None


def _float32(layer_config: dict) -> bool:
    dtype = layer_config.get("dtype", "float32")
    if isinstance(dtype, dict):
        dtype = (dtype.get("config") or {}).get("name")
    return dtype in (None, "float32")


def read_lean_model(path: str | os.PathLike, input_shape: tuple = DIGIT_INPUT) -> LeanModel | None:
    """Read ``path`` for the NumPy engine, or ``None`` when only Keras can run it.

    Raises
    ------
    ModelLoadError
        The same refusals as :func:`training.model_io.load_model`: not a
        ``.keras`` model, unsafe code, wrong shapes, NaN or infinite weights,
        outputs that are not probabilities.
    """
    import h5py

    archive = open_keras_archive(path)
    name = archive.path.name
    config = archive.config
    class_name = config.get("class_name")
    model_config = config.get("config") or {}
    layers = model_config.get("layers") or []
    if class_name not in ("Functional", "Sequential") or not layers:
        return None
    if not _is_chain(model_config, class_name):
        return None
    kinds = [layer.get("class_name") for layer in layers]
    if any(kind not in ENGINE_LAYERS for kind in kinds):
        return None
    if not all(_float32(layer.get("config") or {}) for layer in layers):
        return None
    in_shape = _input_shape(model_config, layers)
    if in_shape is None:
        return None
    try:
        with zipfile.ZipFile(archive.path) as zipped:
            raw = zipped.read(WEIGHTS_MEMBER)
        with h5py.File(io.BytesIO(raw), "r") as weights_file:
            specs = _read_specs(weights_file, layers, kinds)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelLoadError(f"{name} is damaged: its weights cannot be read ({exc})") from exc
    if specs is None:
        return None
    engine = compile_specs(specs)
    if engine is None:
        return None
    weights = [w for spec in specs for w in spec.weights]
    check_finite_weights(weights, name)
    try:
        out = engine.forward(probe_inputs(in_shape)) if in_shape == tuple(input_shape) else None
    except ValueError as exc:
        raise ModelLoadError(f"{name} is damaged: its weights do not fit its layers") from exc
    check_shapes(in_shape, out.shape[1:] if out is not None else (), name, input_shape)
    check_probabilities(out, name)
    return LeanModel(
        name=str(model_config.get("name") or archive.path.stem),
        path=archive.path,
        specs=specs,
        engine=engine,
        input_shape=in_shape,
        fingerprint=weights_fingerprint(weights),
    )


def _read_specs(weights_file, layers: list[dict], kinds: list[str]) -> list[LayerSpec] | None:
    specs = []
    for layer, kind, group in zip(layers, kinds, weight_groups(kinds), strict=True):
        layer_config = layer.get("config") or {}
        arrays = []
        if kind in WEIGHTED_LAYERS:
            variables = weights_file[f"layers/{group}/vars"]
            count = 2 if layer_config.get("use_bias", True) else 1
            if len(variables) != count:
                return None
            arrays = [np.asarray(variables[str(i)], dtype=np.float32) for i in range(count)]
            if _declared_shape(kind, layer_config) != _shape_of(arrays[0], kind) or any(
                bias.shape != arrays[0].shape[-1:] for bias in arrays[1:]
            ):
                raise ValueError(f"the weights of {group} do not have the shapes its config gives")
        name = layer.get("name") or layer_config.get("name") or group
        specs.append(LayerSpec(kind, name, layer_config, arrays))
    return specs


def _declared_shape(kind: str, layer_config: dict) -> tuple:
    """Kernel size and filters (Conv2D) or units (Dense), as the config declares them."""
    if kind == "Conv2D":
        size = layer_config.get("kernel_size")
        size = tuple(size) if isinstance(size, (list, tuple)) else (size, size)
        return (*size, layer_config.get("filters"))
    return (layer_config.get("units"),)


def _shape_of(kernel: np.ndarray, kind: str) -> tuple:
    return (*kernel.shape[:2], kernel.shape[-1]) if kind == "Conv2D" else kernel.shape[-1:]
