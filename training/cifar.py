"""Find, load and check CIFAR-10 (the "python version" of the data set).

Resolution order, as for MNIST: an explicit path, the ``LENET_CIFAR10``
environment variable, the Keras cache, then Keras's own download. A path may
name the batches folder (``cifar-10-batches-py``), a folder holding it, or
the ``cifar-10-python.tar.gz`` archive (read as it is, never unpacked). In the
Keras cache (``~/.keras/datasets``, or ``$KERAS_HOME/datasets``) the loader
looks for what Keras leaves there:

- ``cifar-10-batches-py-target/cifar-10-batches-py`` (Keras 3 unpacks there),
- ``cifar-10-batches-py`` (Keras 2),
- ``cifar-10-batches-py-target_archive`` and ``cifar-10-batches-py.tar.gz``
  (the downloaded archives of Keras 3 and 2),
- ``cifar-10-python.tar.gz`` (the archive as its site names it, put there by hand).

The batch files are pickles. They are read with an unpickler that accepts
only NumPy arrays, so a malicious file cannot run code. Every problem a user
can cause becomes a :class:`~training.data.DataError` that names the file and
what is wrong with it.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.data import DataError, keras_cache_path

ENV_VAR = "LENET_CIFAR10"
BATCHES_DIR = "cifar-10-batches-py"
ARCHIVE_NAME = "cifar-10-python.tar.gz"
"""The archive's name on the data set's site (and in Keras's download address)."""
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
META = "batches.meta"
FILES = (*TRAIN_BATCHES, TEST_BATCH, META)
CLASS_NAMES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
"""CIFAR-10's classes in label order (``batches.meta`` must agree)."""
IMAGE_BYTES = 32 * 32 * 3
# What a batch file may reference: NumPy's array reconstruction, and the
# str-to-bytes codec that protocol-2 pickles written by Python 3 use for bytes.
ALLOWED_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("_codecs", "encode"),
    }
)


@dataclass
class CifarData:
    """CIFAR-10 as uint8 RGB images (N x 32 x 32 x 3), int64 labels (N), class names, origin."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    fingerprint: str
    class_names: tuple[str, ...] = CLASS_NAMES


class _ArrayUnpickler(pickle.Unpickler):
    """An unpickler that builds NumPy arrays, lists, dicts and numbers, and nothing else."""

    def find_class(self, module, name):
        if (module, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"it references {module}.{name}, which is not array data")


def keras_cache_candidates() -> list[Path]:
    """The places in the Keras cache where CIFAR-10 may be, in the order they are tried."""
    datasets = keras_cache_path().parent
    return [
        datasets / "cifar-10-batches-py-target" / BATCHES_DIR,
        datasets / BATCHES_DIR,
        datasets / "cifar-10-batches-py-target_archive",
        datasets / "cifar-10-batches-py.tar.gz",
        datasets / ARCHIVE_NAME,
    ]


def batches_location(path: Path) -> Path | None:
    """The batches folder or archive ``path`` stands for, or None when it holds neither."""
    if path.is_file():
        return path
    if path.is_dir():
        if any((path / name).exists() for name in FILES):
            return path
        if (path / BATCHES_DIR).is_dir():
            return path / BATCHES_DIR
    return None


def resolve_cifar10_path(path: str | os.PathLike | None = None) -> Path | None:
    """The CIFAR-10 folder or archive to read, or ``None`` when Keras must download it.

    Raises
    ------
    DataError
        An explicit path or ``LENET_CIFAR10`` names something that does not
        exist or is a folder without CIFAR-10 batches.
    """
    for given, what in ((path, "CIFAR-10"), (os.environ.get(ENV_VAR) or None, ENV_VAR)):
        if given is None:
            continue
        candidate = Path(given).expanduser()
        if not candidate.exists():
            if what == ENV_VAR:
                raise DataError(f"{ENV_VAR} points to {candidate}, which does not exist")
            raise DataError(f"CIFAR-10 not found: {candidate}")
        location = batches_location(candidate)
        if location is None:
            raise DataError(
                f"{candidate} holds no CIFAR-10 batches (expected {', '.join(FILES)}, "
                f"or a {BATCHES_DIR} folder)"
            )
        return location
    for candidate in keras_cache_candidates():
        location = batches_location(candidate)
        if location is not None:
            return location
    return None


def load_cifar10(path: str | os.PathLike | None = None) -> CifarData:
    """Load and check CIFAR-10.

    Parameters
    ----------
    path : path-like, optional
        The batches folder, a folder holding it, or the ``.tar.gz``. When
        omitted it is resolved as described in the module docstring.

    Returns
    -------
    CifarData
        50,000 training and 10,000 test images for the real data set.

    Raises
    ------
    DataError
        Missing, unreadable or malformed files (wrong keys, shapes, dtypes,
        labels outside 0..9, class names that are not CIFAR-10's).
    """
    location = resolve_cifar10_path(path)
    if location is None:
        location = _download_with_keras()
    blobs = _read_files(location)
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(blobs[name])
    names = _class_names(_unpickle(blobs[META], location, META), location)
    train = [_batch(_unpickle(blobs[n], location, n), location, n) for n in TRAIN_BATCHES]
    x_test, y_test = _batch(
        _unpickle(blobs[TEST_BATCH], location, TEST_BATCH), location, TEST_BATCH
    )
    return CifarData(
        x_train=np.concatenate([x for x, _ in train]),
        y_train=np.concatenate([y for _, y in train]),
        x_test=x_test,
        y_test=y_test,
        source=str(location),
        fingerprint="sha256:" + digest.hexdigest(),
        class_names=names,
    )


def _read_files(location: Path) -> dict[str, bytes]:
    """The bytes of every CIFAR-10 file, from the folder or the archive."""
    if location.is_dir():
        blobs = {}
        for name in FILES:
            try:
                blobs[name] = (location / name).read_bytes()
            except FileNotFoundError:
                raise DataError(f"{location}: {name} is missing") from None
            except OSError as exc:
                raise DataError(f"{location}: cannot read {name}: {exc}") from exc
        return blobs
    try:
        with tarfile.open(location, "r:*") as archive:
            members = {Path(m.name).name: m for m in archive.getmembers() if m.isfile()}
            missing = [name for name in FILES if name not in members]
            if missing:
                raise DataError(f"{location} has no {', '.join(missing)}")
            return {name: archive.extractfile(members[name]).read() for name in FILES}
    except DataError:
        raise
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise DataError(f"{location} is not a readable CIFAR-10 archive: {exc}") from exc


def _unpickle(blob: bytes, location: Path, name: str) -> dict:
    try:
        loaded = _ArrayUnpickler(io.BytesIO(blob), encoding="bytes").load()
    except Exception as exc:  # a damaged pickle raises many types
        raise DataError(f"{location}: {name} is not a CIFAR-10 batch file ({exc})") from exc
    if not isinstance(loaded, dict):
        raise DataError(f"{location}: {name} holds a {type(loaded).__name__}, not a dict")
    return {
        k.decode("utf-8", "replace") if isinstance(k, bytes) else k: v for k, v in loaded.items()
    }


def _batch(record: dict, location: Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    where = f"{location}: {name}"
    missing = [key for key in ("data", "labels") if key not in record]
    if missing:
        raise DataError(f"{where} has no {' or '.join(missing)} (it has {', '.join(record)})")
    data, labels = record["data"], record["labels"]
    if not isinstance(data, np.ndarray) or data.ndim != 2 or data.shape[1] != IMAGE_BYTES:
        shape = getattr(data, "shape", type(data).__name__)
        raise DataError(f"{where}: data has shape {shape}, expected (N, {IMAGE_BYTES})")
    if data.dtype != np.uint8:
        raise DataError(f"{where}: data has dtype {data.dtype}, expected uint8")
    try:
        labels = np.asarray(labels)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{where}: labels are not a list of integers ({exc})") from exc
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise DataError(f"{where}: labels are not a list of integers")
    if len(labels) != len(data):
        raise DataError(f"{where}: {len(labels)} labels for {len(data)} images")
    if len(labels) == 0:
        raise DataError(f"{where} is empty")
    if labels.min() < 0 or labels.max() > 9:
        raise DataError(f"{where}: labels outside 0..9")
    # Rows hold the red, green and blue planes one after another.
    images = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels.astype(np.int64)


def _class_names(record: dict, location: Path) -> tuple[str, ...]:
    names = record.get("label_names")
    if not isinstance(names, list | tuple) or len(names) != len(CLASS_NAMES):
        raise DataError(f"{location}: {META} does not list the 10 class names")
    decoded = tuple(n.decode("utf-8") if isinstance(n, bytes) else str(n) for n in names)
    if decoded != CLASS_NAMES:
        raise DataError(
            f"{location}: {META} names the classes {', '.join(decoded)}, not CIFAR-10's "
            f"{', '.join(CLASS_NAMES)}"
        )
    return decoded


def _download_with_keras() -> Path:
    try:
        import keras

        keras.datasets.cifar10.load_data()
    except Exception as exc:  # network errors come in many types
        raise DataError(
            f"CIFAR-10 was not found (no path given, {ENV_VAR} unset, nothing in "
            f"{keras_cache_path().parent}) and Keras could not download it: {exc}"
        ) from exc
    for candidate in keras_cache_candidates():
        location = batches_location(candidate)
        if location is not None:
            return location
    raise DataError(f"Keras reported a download but {keras_cache_path().parent} has no CIFAR-10")
