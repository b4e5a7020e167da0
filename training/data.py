"""Find, load and check MNIST.

Resolution order: explicit path, the ``LENET_MNIST`` environment variable, the
Keras cache (``~/.keras/datasets/mnist.npz``), then Keras's own download.
Every problem a user can cause becomes a :class:`DataError` that names the file
and what is wrong with it.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ENV_VAR = "LENET_MNIST"
KEYS = ("x_train", "y_train", "x_test", "y_test")


class DataError(ValueError):
    """MNIST could not be found or is not what it should be."""


@dataclass
class MnistData:
    """MNIST as uint8 arrays (images N x 28 x 28, labels N) and where it came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    fingerprint: str


def keras_cache_path() -> Path:
    """Where Keras keeps its downloaded ``mnist.npz``."""
    base = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(base) / "datasets" / "mnist.npz"


def resolve_mnist_path(path: str | os.PathLike | None = None) -> Path | None:
    """Return the MNIST file to use, or ``None`` when Keras must download it.

    Raises
    ------
    DataError
        If an explicit path or ``LENET_MNIST`` names a file that does not
        exist or cannot be read (a folder, a symlink loop ...), saying which.
    """
    from training.user_paths import input_file_problem

    if path is not None:
        candidate = Path(path).expanduser()
        if not candidate.exists() and not candidate.is_symlink():
            raise DataError(f"MNIST file not found: {candidate}")
        problem = input_file_problem(candidate, "MNIST .npz file")
        if problem is not None:
            raise DataError(problem)
        return candidate
    env = os.environ.get(ENV_VAR)
    if env:
        candidate = Path(env).expanduser()
        if not candidate.exists() and not candidate.is_symlink():
            raise DataError(f"{ENV_VAR} points to {candidate}, which does not exist")
        problem = input_file_problem(candidate, "MNIST .npz file")
        if problem is not None:
            raise DataError(f"{ENV_VAR} cannot be used: {problem}")
        return candidate
    cached = keras_cache_path()
    if cached.is_file():
        return cached
    return None


def load_mnist(path: str | os.PathLike | None = None) -> MnistData:
    """Load and check MNIST.

    Parameters
    ----------
    path : path-like, optional
        An ``.npz`` file in Keras layout (``x_train``, ``y_train``, ``x_test``,
        ``y_test``). When omitted the file is resolved as described in the
        module docstring.

    Returns
    -------
    MnistData

    Raises
    ------
    DataError
        The file is missing, unreadable, or has wrong keys, shapes or dtypes.
    """
    resolved = resolve_mnist_path(path)
    if resolved is None:
        resolved = _download_with_keras()
    arrays = _read_npz(resolved)
    _check_arrays(arrays, resolved)
    return MnistData(
        x_train=arrays["x_train"],
        y_train=arrays["y_train"].astype(np.int64),
        x_test=arrays["x_test"],
        y_test=arrays["y_test"].astype(np.int64),
        source=str(resolved),
        fingerprint=file_fingerprint(resolved),
    )


def file_fingerprint(path: str | os.PathLike) -> str:
    """``sha256:`` digest of a file, to record which data trained a model."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def _download_with_keras() -> Path:
    try:
        import keras

        keras.datasets.mnist.load_data()
    except Exception as exc:  # network errors come in many types
        raise DataError(
            "MNIST was not found (no path given, LENET_MNIST unset, nothing in "
            f"{keras_cache_path()}) and Keras could not download it: {exc}"
        ) from exc
    cached = keras_cache_path()
    if not cached.is_file():
        raise DataError(f"Keras reported a download but {cached} does not exist")
    return cached


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in KEYS if k not in npz.files]
            if missing:
                raise DataError(
                    f"{path} is missing {', '.join(missing)} "
                    f"(it has {', '.join(npz.files) or 'no arrays'})"
                )
            return {k: npz[k] for k in KEYS}
    except DataError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{path} is not a readable MNIST .npz file: {exc}") from exc


def _check_arrays(arrays: dict[str, np.ndarray], path: Path) -> None:
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim != 3 or x.shape[1:] != (28, 28):
            raise DataError(f"{path}: x_{split} has shape {x.shape}, expected (N, 28, 28)")
        if x.dtype != np.uint8:
            raise DataError(f"{path}: x_{split} has dtype {x.dtype}, expected uint8")
        if y.ndim != 1 or len(y) != len(x):
            raise DataError(
                f"{path}: y_{split} has shape {y.shape}, expected ({len(x)},) to match x_{split}"
            )
        if not np.issubdtype(y.dtype, np.integer):
            raise DataError(f"{path}: y_{split} has dtype {y.dtype}, expected integers")
        if len(y) == 0:
            raise DataError(f"{path}: the {split} split is empty")
        if y.min() < 0 or y.max() > 9:
            raise DataError(f"{path}: y_{split} holds labels outside 0..9")


def save_npz_atomic(path: str | os.PathLike, **arrays: np.ndarray) -> None:
    """Write arrays to ``path`` via a temporary file renamed into place."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as handle:
            np.savez_compressed(handle, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
