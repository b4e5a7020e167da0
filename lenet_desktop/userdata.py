"""The user's own handwriting: 28x28 samples with the label the user gave them (no Qt).

Each sample is one grey-scale PNG in the samples folder, named
``<label>_<32 hex digits>.png``. Every file is written to a temporary name and
renamed into place, so a crash mid-write leaves at most a hidden temporary
file, which listing ignores; a sample is either fully there or not at all.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.atomic import write_bytes_atomic

log = logging.getLogger(__name__)

SAMPLE_PATTERN = re.compile(r"^([0-9])_([0-9a-f]{32})\.png$")
MAX_SAMPLE_BYTES = 64 * 1024
"""A 28x28 grey PNG is under 2 KB; a bigger file is not one of ours and is not decoded."""


@dataclass(frozen=True)
class UserSample:
    """One saved sample: where it lives, its label and when it was saved."""

    path: Path
    label: int
    sample_id: str
    created: float
    """Modification time of the file (seconds since the epoch)."""


@dataclass(frozen=True)
class UnreadableSample:
    """A file named like a sample whose pixels cannot be used, and why."""

    sample: UserSample
    reason: str


@dataclass(frozen=True)
class SampleScan:
    """The samples folder read through once: what can be used and what cannot."""

    usable: list[tuple[UserSample, np.ndarray]]
    """Each usable sample with its uint8 28x28 pixels, oldest first."""
    unreadable: list[UnreadableSample]

    def counts(self) -> list[int]:
        """Number of usable samples of each digit, index 0..9."""
        totals = [0] * 10
        for sample, _pixels in self.usable:
            totals[sample.label] += 1
        return totals


def to_uint8(image: np.ndarray) -> np.ndarray:
    """A 28x28 image as uint8: floats in [0, 1] are scaled to 0..255, uint8 passes through.

    Raises
    ------
    ValueError
        If the image is not 28x28 (a trailing channel of 1 is accepted).
    """
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.shape != (28, 28):
        raise ValueError(f"a sample must be a 28x28 image, not shape {array.shape}")
    if array.dtype == np.uint8:
        return array.copy()
    if not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"a sample must hold numbers, not {array.dtype}")
    return np.clip(np.rint(np.asarray(array, dtype=np.float64) * 255.0), 0, 255).astype(np.uint8)


class UserDataset:
    """The folder of the user's labelled handwriting samples."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def add(self, image: np.ndarray, label: int) -> UserSample:
        """Save ``image`` with ``label`` as a new sample.

        Parameters
        ----------
        image : ndarray
            28x28, float in [0, 1] (bright ink on black) or uint8.
        label : int
            The digit the image really shows, 0..9.

        Returns
        -------
        UserSample

        Raises
        ------
        ValueError
            Bad label or image shape.
        OSError
            The folder cannot be written; nothing is left behind. A folder that
            cannot exist (a file in its place) raises
            :class:`lenet_desktop.paths.DataFolderError`, which says so in words.
        """
        import cv2

        if isinstance(label, bool) or int(label) != label or not 0 <= int(label) <= 9:
            raise ValueError(f"a label must be a digit 0..9, not {label!r}")
        pixels = to_uint8(image)
        ok, encoded = cv2.imencode(".png", pixels)
        if not ok:
            raise ValueError("the sample could not be encoded as PNG")
        self._ensure_folder()
        sample_id = uuid.uuid4().hex
        path = self.folder / f"{int(label)}_{sample_id}.png"
        write_bytes_atomic(path, encoded.tobytes())
        return UserSample(path, int(label), sample_id, path.stat().st_mtime)

    def _ensure_folder(self) -> None:
        from lenet_desktop.paths import ensure_folder

        ensure_folder(self.folder, "The samples folder")

    def samples(self) -> list[UserSample]:
        """All complete samples, oldest first (temporary and foreign files are ignored)."""
        if not self.folder.is_dir():
            return []
        found = []
        for entry in os.scandir(self.folder):
            match = SAMPLE_PATTERN.match(entry.name)
            if match is None or not entry.is_file():
                continue
            try:
                created = entry.stat().st_mtime
            except OSError:  # deleted between listing and stat
                continue
            found.append(UserSample(Path(entry.path), int(match[1]), match[2], created))
        found.sort(key=lambda sample: (sample.created, sample.sample_id))
        return found

    def __len__(self) -> int:
        """Number of usable samples (files that cannot be read are not counted)."""
        return len(self.scan().usable)

    def counts(self) -> list[int]:
        """Number of usable samples of each digit, index 0..9."""
        return self.scan().counts()

    def scan(self) -> SampleScan:
        """Read every sample once: the usable ones with their pixels, the others with why."""
        usable, unreadable = [], []
        for sample in self.samples():
            pixels, reason = _read_sample(sample.path)
            if pixels is None:
                unreadable.append(UnreadableSample(sample, reason))
            else:
                usable.append((sample, pixels))
        return SampleScan(usable, unreadable)

    def load_image(self, sample: UserSample) -> np.ndarray | None:
        """The sample's pixels as uint8 28x28, or ``None`` if the file is unreadable."""
        pixels, reason = _read_sample(sample.path)
        if pixels is None:
            log.warning("ignoring unreadable sample %s: %s", sample.path, reason)
        return pixels

    def delete(self, samples) -> int:
        """Delete samples (``UserSample`` objects); return how many files were removed."""
        removed = 0
        for sample in samples:
            try:
                sample.path.unlink()
                removed += 1
            except FileNotFoundError:
                continue
        return removed

    def load_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Every readable sample as ``(images uint8 (N, 28, 28), labels int64 (N,))``."""
        scan = self.scan()
        for broken in scan.unreadable:
            log.warning("ignoring unreadable sample %s: %s", broken.sample.path, broken.reason)
        images = [pixels for _sample, pixels in scan.usable]
        labels = [sample.label for sample, _pixels in scan.usable]
        if not images:
            return np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64)
        return np.stack(images), np.asarray(labels, dtype=np.int64)


def _read_sample(path: Path) -> tuple[np.ndarray | None, str]:
    """``(pixels, "")`` for a usable sample file, else ``(None, why in words)``."""
    import cv2

    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_SAMPLE_BYTES else b""
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    if size == 0:
        return None, "the file is empty"
    if size > MAX_SAMPLE_BYTES:
        return None, f"the file is {size:,} bytes, too large for a 28x28 sample"
    pixels = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if pixels is None:
        return None, "not a readable PNG image"
    if pixels.shape != (28, 28):
        height, width = pixels.shape[:2]
        return None, f"the image is {width}x{height}, not 28x28"
    return pixels, ""


def default_dataset() -> UserDataset:
    """The dataset in the user's data folder (``<user data>/samples``); nothing is created.

    The folder is made when the first sample is saved, so a data folder that
    cannot be used does not stop the app from starting.
    """
    from lenet_desktop.paths import samples_path

    return UserDataset(samples_path())
