"""Tiny generated CIFAR-10 look-alikes, written in the real "python version" layout.

The real data set is a folder ``cifar-10-batches-py`` of pickled dicts:
``data_batch_1`` .. ``data_batch_5`` and ``test_batch`` (``b"data"``: uint8
N x 3072, the red, green and blue 32x32 planes of each image one after
another; ``b"labels"``: a list of ints; ``b"batch_label"``, ``b"filenames"``)
and ``batches.meta`` (``b"label_names"``). Nothing here comes from CIFAR-10:
class k is a random-looking image tinted with a colour of its own, so a
small model learns it in a few epochs.
"""

from __future__ import annotations

import pickle
import tarfile
from pathlib import Path

import numpy as np

from training.cifar import CLASS_NAMES, TEST_BATCH, TRAIN_BATCHES

PALETTE = np.array(
    [
        [230, 30, 30],
        [30, 230, 30],
        [30, 30, 230],
        [230, 230, 30],
        [230, 30, 230],
        [30, 230, 230],
        [240, 140, 20],
        [120, 30, 200],
        [20, 120, 60],
        [128, 128, 128],
    ],
    dtype=np.float64,
)


def cifar_images(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images (N, 32, 32, 3) uint8 of random classes, and their labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=n)
    noise = rng.uniform(0, 255, size=(n, 32, 32, 3))
    images = 0.6 * PALETTE[labels][:, None, None, :] + 0.4 * noise
    return np.clip(images, 0, 255).astype(np.uint8), labels


def to_rows(images: np.ndarray) -> np.ndarray:
    """(N, 32, 32, 3) images as CIFAR rows: (N, 3072), planes R, G, B."""
    return np.ascontiguousarray(images.transpose(0, 3, 1, 2).reshape(len(images), -1))


def batch_record(images: np.ndarray, labels: np.ndarray, name: str) -> dict:
    """One batch file's dict, with bytes keys as the real (Python 2) files have."""
    return {
        b"batch_label": name.encode(),
        b"labels": [int(label) for label in labels],
        b"data": to_rows(images),
        b"filenames": [f"img_{i:05d}.png".encode() for i in range(len(labels))],
    }


def write_pickle(path: Path, record, *, legacy_numpy: bool = False) -> None:
    """Pickle ``record`` with protocol 2, optionally naming NumPy as NumPy 1 did."""
    blob = pickle.dumps(record, protocol=2)
    if legacy_numpy:
        # The real files reference numpy.core.multiarray, NumPy 2's numpy._core's old name.
        blob = blob.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    path.write_bytes(blob)


def write_cifar_folder(
    folder: Path, per_batch: int = 40, n_test: int = 60, *, legacy_numpy: bool = False
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Write the seven CIFAR-10 files into ``folder``; return the images and labels of each."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for index, name in enumerate((*TRAIN_BATCHES, TEST_BATCH)):
        images, labels = cifar_images(n_test if name == TEST_BATCH else per_batch, seed=index)
        write_pickle(folder / name, batch_record(images, labels, name), legacy_numpy=legacy_numpy)
        written[name] = (images, labels)
    meta = {
        b"num_cases_per_batch": per_batch,
        b"label_names": [name.encode() for name in CLASS_NAMES],
        b"num_vis": 3072,
    }
    write_pickle(folder / "batches.meta", meta)
    return written


def write_cifar_archive(path: Path, folder: Path) -> Path:
    """Pack a written batches folder as ``cifar-10-batches-py/...`` in a .tar.gz, as shipped."""
    with tarfile.open(path, "w:gz") as archive:
        archive.add(folder, arcname="cifar-10-batches-py")
    return path
