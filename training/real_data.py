"""Real handwriting that is not MNIST: pen trajectories and scanned bitmaps, with their writers.

Two UCI collections (Alpaydin et al., Bogazici University; CC BY 4.0):

- ``pendigits-orig.tra`` (Pen-Based Recognition of Handwritten Digits): digits
  written with a stylus on a tablet, in UNIPEN text; each sample names its
  writer on its ``.COMMENT`` line.
- ``optdigits-orig.tra`` (Optical Recognition of Handwritten Digits): scanned
  forms as 32x32 bitmaps, a 21-line header then per digit 32 lines of
  ``0``/``1`` and a line with the label. The file names no writers; it holds
  30 writers' forms one after another, so writer *k* is taken to be the *k*-th
  of 30 equal runs of consecutive digits (a run boundary may fall inside one
  writer's form).

Every problem in a file becomes a :class:`training.data.DataError` naming the
file, the line and what is wrong. Held-out writers are chosen by
:func:`writer_split`, never samples.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.data import DataError

ENV_VAR = "LENET_REAL_DATA"
"""Folder holding ``pendigits-orig.tra`` and ``optdigits-orig.tra``."""
FILES = {"pendigits": "pendigits-orig.tra", "optdigits": "optdigits-orig.tra"}
TITLES = {
    "pendigits": "pen trajectories (UCI Pen-Based Recognition of Handwritten Digits)",
    "optdigits": "scanned 32x32 bitmaps (UCI Optical Recognition of Handwritten Digits)",
}
CREDITS = (
    "E. Alpaydin, F. Alimoglu: Pen-Based Recognition of Handwritten Digits, UCI Machine "
    "Learning Repository (1998), doi:10.24432/C5MG6K, CC BY 4.0; E. Alpaydin, C. Kaynak: "
    "Optical Recognition of Handwritten Digits, UCI Machine Learning Repository (1998), "
    "doi:10.24432/C50P49, CC BY 4.0"
)
OPTDIGITS_HEADER_LINES = 21
OPTDIGITS_SIDE = 32
OPTDIGITS_WRITERS = 30
TEST_WRITERS = 6
VALIDATION_WRITERS = 3


@dataclass
class PenDigits:
    """Pen trajectories: per sample a list of strokes, each an (n, 2) array of tablet x, y."""

    strokes: list[list[np.ndarray]]
    labels: np.ndarray
    writers: np.ndarray
    source: str
    fingerprint: str

    def subset(self, index: np.ndarray) -> PenDigits:
        """The samples at ``index`` (same source)."""
        return _subset(self, index)


@dataclass
class ScanDigits:
    """Scanned bitmaps: uint8 (N, 32, 32), 1 = ink, with labels and writers."""

    bitmaps: np.ndarray
    labels: np.ndarray
    writers: np.ndarray
    source: str
    fingerprint: str

    def subset(self, index: np.ndarray) -> ScanDigits:
        """The samples at ``index`` (same source)."""
        return _subset(self, index)


def _subset(data, index: np.ndarray):
    """A copy of a source's samples at ``index``: arrays and lists indexed, strings kept."""
    values = {}
    for f in dataclasses.fields(data):
        value = getattr(data, f.name)
        if isinstance(value, np.ndarray):
            value = value[index]
        elif isinstance(value, list):
            value = [value[i] for i in index]
        values[f.name] = value
    return type(data)(**values)


def resolve_real_path(name: str, folder: str | os.PathLike | None = None) -> Path:
    """The file of source ``name`` in ``folder``, else in ``$LENET_REAL_DATA``.

    Raises
    ------
    DataError
        No folder is given or set, or the file is not in it.
    """
    if name not in FILES:
        raise ValueError(f"unknown real-handwriting source {name!r} (choose from {list(FILES)})")
    base = folder if folder is not None else os.environ.get(ENV_VAR)
    if not base:
        raise DataError(
            f"{FILES[name]} not found: pass --real-data FOLDER or set {ENV_VAR} to the "
            "folder that holds it"
        )
    path = Path(base).expanduser() / FILES[name]
    if not path.is_file():
        raise DataError(f"{name} file not found: {path}")
    return path


def _read_lines(path: Path, encoding: str) -> tuple[list[str], str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return raw.decode(encoding).splitlines(), hashlib.sha256(raw).hexdigest()[:16]


def load_pendigits(path: str | os.PathLike) -> PenDigits:
    """Read a UNIPEN file of pen-drawn digits (``pendigits-orig.tra``).

    Each sample starts with ``.SEGMENT DIGIT i ? "d"``, then ``.COMMENT d writer
    index``, then one or more ``.PEN_DOWN`` ... ``.PEN_UP`` strokes of ``x y``
    lines (tablet units, y up). Other dot-commands are skipped.

    Raises
    ------
    DataError
        The file is missing or unreadable, or a line is not what the format
        allows there (named with its line number).
    """
    target = Path(path)
    lines, fingerprint = _read_lines(target, "latin-1")
    strokes: list[list[np.ndarray]] = []
    labels: list[int] = []
    writers: list[int] = []
    current: list[np.ndarray] | None = None
    points: list[tuple[int, int]] | None = None
    label = writer = None
    start = 0

    def fail(number: int, what: str):
        raise DataError(f"{target}, line {number}: {what}")

    def finish(number: int) -> None:
        if current is None:
            return
        if points is not None:
            fail(number, "a stroke (.PEN_DOWN) is not closed by .PEN_UP")
        if writer is None:
            fail(start, "the sample has no '.COMMENT label writer index' line")
        if not current:
            fail(start, "the sample has no strokes")
        strokes.append(current)
        labels.append(label)
        writers.append(writer)

    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        if text.startswith(".SEGMENT"):
            finish(number)
            parts = text.split('"')
            if len(parts) != 3 or len(parts[1]) != 1 or not parts[1].isdigit():
                fail(number, f'expected .SEGMENT DIGIT n ? "d" with a digit label, got {text!r}')
            current, points, label, writer, start = [], None, int(parts[1]), None, number
        elif text.startswith(".COMMENT") and current is not None:
            fields = text.split()[1:]
            if len(fields) < 2 or not all(f.isdigit() for f in fields[:2]):
                fail(number, f"expected .COMMENT label writer index, got {text!r}")
            if int(fields[0]) != label:
                fail(number, f"the comment's label {fields[0]} differs from the segment's {label}")
            writer = int(fields[1])
        elif text == ".PEN_DOWN":
            if current is None:
                fail(number, ".PEN_DOWN before any .SEGMENT")
            if points is not None:
                fail(number, ".PEN_DOWN inside a stroke (missing .PEN_UP)")
            points = []
        elif text == ".PEN_UP":
            if points is None:
                fail(number, ".PEN_UP without .PEN_DOWN")
            if not points:
                fail(number, "a stroke without points")
            current.append(np.asarray(points, dtype=np.float32))
            points = None
        elif text.startswith("."):
            if points is not None:
                fail(number, f"{text.split()[0]} inside a stroke (missing .PEN_UP)")
        elif points is not None:
            fields = text.split()
            if len(fields) != 2 or not all(f.lstrip("-").isdigit() for f in fields):
                fail(number, f"expected a point 'x y' (two integers), got {text!r}")
            points.append((int(fields[0]), int(fields[1])))
        else:
            fail(number, f"unexpected text outside a stroke: {text!r}")
    finish(len(lines))
    if not strokes:
        raise DataError(f"{target}: no digit samples (.SEGMENT DIGIT) in the file")
    return PenDigits(
        strokes,
        np.asarray(labels, dtype=np.int64),
        np.asarray(writers, dtype=np.int64),
        str(target),
        fingerprint,
    )


def load_optdigits(path: str | os.PathLike) -> ScanDigits:
    """Read scanned 32x32 bitmaps (``optdigits-orig.tra``).

    Raises
    ------
    DataError
        The file is missing or unreadable, too short for its header, or a
        bitmap row or label line is malformed (named with its line number).
    """
    target = Path(path)
    lines, fingerprint = _read_lines(target, "ascii" if _is_ascii(target) else "latin-1")
    if len(lines) < OPTDIGITS_HEADER_LINES + OPTDIGITS_SIDE + 1:
        raise DataError(
            f"{target}: {len(lines)} lines, too few for a {OPTDIGITS_HEADER_LINES}-line header "
            f"and one {OPTDIGITS_SIDE}x{OPTDIGITS_SIDE} digit"
        )
    body = [(n, line.rstrip()) for n, line in enumerate(lines, 1)][OPTDIGITS_HEADER_LINES:]
    while body and not body[-1][1]:
        body.pop()
    block = OPTDIGITS_SIDE + 1
    if len(body) % block:
        last = body[-1][0]
        raise DataError(
            f"{target}, line {last}: the file ends inside a digit (each digit is "
            f"{OPTDIGITS_SIDE} bitmap lines and a label line)"
        )
    bitmaps = np.zeros((len(body) // block, OPTDIGITS_SIDE, OPTDIGITS_SIDE), dtype=np.uint8)
    labels = np.zeros(len(bitmaps), dtype=np.int64)
    for i in range(len(bitmaps)):
        rows = body[i * block : (i + 1) * block]
        for r, (number, row) in enumerate(rows[:OPTDIGITS_SIDE]):
            if len(row) != OPTDIGITS_SIDE or set(row) - {"0", "1"}:
                raise DataError(
                    f"{target}, line {number}: expected {OPTDIGITS_SIDE} characters 0 or 1, "
                    f"got {row!r}"
                )
            bitmaps[i, r] = np.frombuffer(row.encode(), dtype=np.uint8) - ord("0")
        number, text = rows[-1]
        if not text.strip().isdigit() or int(text) > 9:
            raise DataError(f"{target}, line {number}: expected a digit label 0-9, got {text!r}")
        labels[i] = int(text)
    writers = np.arange(len(bitmaps)) * OPTDIGITS_WRITERS // len(bitmaps)
    return ScanDigits(bitmaps, labels, writers.astype(np.int64), str(target), fingerprint)


def _is_ascii(path: Path) -> bool:
    try:
        return path.read_bytes().isascii()
    except OSError:
        return True  # _read_lines reports the error


def writer_folds(writers: np.ndarray, test: int = TEST_WRITERS) -> int:
    """How many test folds of ``test`` writers the writers of a source make."""
    return len(np.unique(np.asarray(writers))) // int(test)


def writer_split(
    writers: np.ndarray,
    test: int = TEST_WRITERS,
    validation: int = VALIDATION_WRITERS,
    fold: int | None = None,
) -> dict[str, np.ndarray]:
    """Indices of the train, validation and test samples, split by writer.

    The writers are sorted by id and cut, from the end, into folds of
    ``test`` writers. One fold is the test writers, the ``validation``
    writers before it (wrapping round to the last) the validation writers,
    and all others train. The default is the last fold, so the split is the
    same for every model; the other folds are for cross-validation by writer
    (``lenet-train train --writer-fold K``). No writer is on two sides.

    Parameters
    ----------
    writers : numpy.ndarray
        The writer id of each sample.
    test, validation : int
        Writers per test fold and validation writers.
    fold : int, optional
        Which fold, 0 to :func:`writer_folds` - 1, is the test writers
        (default: the last).

    Returns
    -------
    dict
        ``train``, ``validation``, ``test`` index arrays and ``writers``: the
        writer ids of each side (lists).

    Raises
    ------
    DataError
        Too few writers for the split, or no such fold.
    """
    ids = np.unique(np.asarray(writers))
    if len(ids) < test + validation + 1:
        raise DataError(
            f"{len(ids)} writers: a writer split needs at least {test + validation + 1} "
            f"({test} test, {validation} validation, one to train on)"
        )
    folds = len(ids) // test
    if fold is None:
        fold = folds - 1
    if not 0 <= int(fold) < folds:
        raise DataError(
            f"writer fold {fold} does not exist: {len(ids)} writers make {folds} folds "
            f"of {test} test writers (0 to {folds - 1})"
        )
    start = len(ids) - test * (folds - int(fold))
    order = np.roll(ids, -start)  # the test fold first, its validation writers last
    sides = {
        "test": order[:test],
        "validation": order[len(ids) - validation :],
        "train": np.sort(order[test : len(ids) - validation]),
    }
    split: dict = {name: np.flatnonzero(np.isin(writers, chosen)) for name, chosen in sides.items()}
    split["writers"] = {name: [int(w) for w in chosen] for name, chosen in sides.items()}
    return split
