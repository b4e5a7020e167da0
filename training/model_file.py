"""What is inside a ``.keras`` file, read without Keras or TensorFlow.

A ``.keras`` file is a zip archive of ``config.json`` (the architecture),
``model.weights.h5`` (the weights) and ``metadata.json``. Both model loaders
(Keras, in :mod:`training.model_io`, and the NumPy one the app uses) open the
file here first, so an empty, random, truncated or renamed file, a folder or a
symlink loop is reported for what it is, and a model with a Lambda layer or
a custom class is refused with the same words by both, before any code runs.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from training.user_paths import input_file_problem

CONFIG_MEMBER = "config.json"
WEIGHTS_MEMBER = "model.weights.h5"
MAX_CONFIG_BYTES = 16 << 20
"""A LeNet's config.json is about 8 KB; anything this big is not one."""
UNSAFE_CODE = "it contains a Lambda layer or other code that safe mode refuses to run"

_MAGIC = (
    (b"\x89HDF\r\n\x1a\n", "an HDF5 file (a legacy .h5 model or bare weights), not a .keras model"),
    (b"\x89PNG", "a PNG image, not a model"),
    (b"\xff\xd8\xff", "a JPEG image, not a model"),
    (b"GIF8", "a GIF image, not a model"),
    (b"\x93NUMPY", "a NumPy array file, not a model"),
)


class ModelLoadError(ValueError):
    """A model file could not be loaded or is not a digit classifier we can use."""


@dataclass(frozen=True)
class KerasArchive:
    """The parts of a ``.keras`` file: its parsed config and the archive's member names."""

    path: Path
    config: dict
    members: tuple[str, ...]


def open_keras_archive(path: str | os.PathLike) -> KerasArchive:
    """Check ``path`` is a readable ``.keras`` archive with a safe config, and parse it.

    Raises
    ------
    ModelLoadError
        Saying what the file is instead: missing, a folder, a symlink loop,
        empty, damaged or truncated, an image or HDF5 file renamed, a zip
        without a model in it, or a model with Lambda layers or custom classes.
    """
    target = Path(path)
    if not target.exists() and not target.is_symlink():
        raise ModelLoadError(f"model file not found: {target}")
    problem = input_file_problem(target, "model file")
    if problem is not None:
        raise ModelLoadError(problem)
    if target.suffix != ".keras":
        raise ModelLoadError(f"{target.name} is not a .keras model file")
    name = target.name
    with open(target, "rb") as handle:
        head = handle.read(8)
    if not head:
        raise ModelLoadError(f"{name} is empty (0 bytes), not a Keras model")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise ModelLoadError(f"{name} is {what}")
    if not head.startswith(b"PK"):
        raise ModelLoadError(
            f"{name} is not a Keras model: a .keras file is a zip archive and this is not one"
        )
    try:
        with zipfile.ZipFile(target) as archive:
            members = tuple(archive.namelist())
            if CONFIG_MEMBER not in members:
                raise ModelLoadError(
                    f"{name} is a zip archive but not a Keras model (it has no {CONFIG_MEMBER})"
                )
            info = archive.getinfo(CONFIG_MEMBER)
            if info.file_size > MAX_CONFIG_BYTES:
                raise ModelLoadError(f"{name}'s {CONFIG_MEMBER} is too large for a LeNet model")
            raw = archive.read(CONFIG_MEMBER)
    except zipfile.BadZipFile as exc:
        raise ModelLoadError(
            f"{name} is damaged or truncated (not a complete zip archive)"
        ) from exc
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise ModelLoadError(f"{name} is damaged or truncated ({exc})") from exc
    try:
        config = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelLoadError(f"{name} is damaged: its {CONFIG_MEMBER} is not valid JSON") from exc
    if not isinstance(config, dict) or "class_name" not in config:
        raise ModelLoadError(f"{name} is damaged: its {CONFIG_MEMBER} describes no model")
    if WEIGHTS_MEMBER not in members:
        raise ModelLoadError(f"{name} holds no weights (no {WEIGHTS_MEMBER} in the archive)")
    problem = unsafe_config_problem(config)
    if problem is not None:
        raise ModelLoadError(f"cannot load {name}: {problem}")
    return KerasArchive(target, config, members)


def unsafe_config_problem(config) -> str | None:
    """Why a model config cannot be loaded safely (Lambda layer, custom class), or ``None``."""
    if isinstance(config, dict):
        class_name = config.get("class_name")
        if class_name in ("Lambda", "__lambda__") or class_name == "function":
            return UNSAFE_CODE
        module = config.get("module")
        if isinstance(class_name, str) and isinstance(module, str):
            if not (module == "keras" or module.startswith("keras.")):
                return (
                    f"it uses {class_name} from {module}, a custom class that is not "
                    "part of Keras; only models built from Keras's own layers can be loaded"
                )
            if config.get("registered_name") not in (None, class_name):
                return (
                    f"it uses {config['registered_name']}, a custom class that is not part "
                    "of Keras; only models built from Keras's own layers can be loaded"
                )
        values = config.values()
    elif isinstance(config, list):
        values = config
    else:
        return None
    for value in values:
        problem = unsafe_config_problem(value)
        if problem is not None:
            return problem
    return None
