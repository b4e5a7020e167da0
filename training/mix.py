"""A training mix of digit sources: MNIST plus real pen trajectories and real scans.

``TrainConfig.mix`` names the sources and their weights, the copies of each
of its training images per epoch (a fractional part takes a random share of
one more copy). Real sources are split by writer (:func:`training.real_data.writer_split`):
their training writers are rendered here, their validation writers join
MNIST's validation images, their test writers are kept for
:func:`held_out_sets` and never trained on.

- Pen trajectories: each copy drawn the way the app's canvas draws for the
  model (:func:`training.drawing.model_image`), with the pen width scaled by a
  factor from :data:`PEN_WIDTH_FACTORS` (hairline to bold), then the app's
  drawing preprocessing.
- Scans: each copy the scan's MNIST form, or (with the probabilities of
  :data:`SCAN_VARIANTS`) thresholded, or at 16x16 grey or binary, upsampled.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from training.drawing import (
    WIDTH_RATIO,
    drawing_digit,
    low_resolution,
    model_image,
    scan_digit,
    tablet_to_paper,
)
from training.real_data import (
    FILES,
    PenDigits,
    ScanDigits,
    load_optdigits,
    load_pendigits,
    resolve_real_path,
    writer_split,
)

PEN_WIDTH_FACTORS = (0.45, 2.2)
"""Training pens are the canvas's model pen times a factor drawn log-uniformly from this."""
SCAN_VARIANTS = {"plain": 0.5, "binary": 0.25, "grey16": 0.125, "binary16": 0.125}
"""Shares of the training copies of a scan in each form."""
HELD_OUT_TITLES = {
    "pendigits": "held-out pen writers drawn on the canvas",
    "optdigits": "held-out scan writers, 32x32",
    "optdigits_binary16": "held-out scans at 16x16, binary",
    "optdigits_grey16": "held-out scans at 16x16, grey",
}


@dataclass
class RealParts:
    """Real-source images (uint8 28x28) for training and validation, and what they are."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    sources: dict = field(default_factory=dict)
    """Per source: file, fingerprint, weight, writers and image counts of each side."""


def to_uint8(digits) -> np.ndarray:
    """float digits in [0, 1] to uint8 (N, 28, 28)."""
    return np.rint(np.clip(np.asarray(digits, dtype=np.float32), 0, 1) * 255).astype(np.uint8)


def copies(count: int, weight: float, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``weight`` copies of ``count`` items (the fractional copy a random share)."""
    whole = int(weight)
    index = np.tile(np.arange(count), whole)
    part = rng.permutation(count)[: int(round((weight - whole) * count))]
    return np.concatenate([index, np.sort(part)]).astype(np.int64)


def render_pen(data: PenDigits, factors: np.ndarray | None = None) -> np.ndarray:
    """Each sample as the canvas gives it to the model (pen width times ``factors``)."""
    out = np.zeros((len(data.labels), 28, 28), dtype=np.uint8)
    for i, strokes in enumerate(data.strokes):
        ratio = WIDTH_RATIO * (1.0 if factors is None else float(factors[i]))
        digit = drawing_digit(model_image(tablet_to_paper(strokes), ratio))
        if digit is not None:
            out[i] = to_uint8(digit)
    return out


def render_scans(data: ScanDigits, variants: np.ndarray | None = None) -> np.ndarray:
    """Each scan in MNIST form; ``variants`` names a form per scan (default ``plain``)."""
    out = np.zeros((len(data.labels), 28, 28), dtype=np.uint8)
    for i, bitmap in enumerate(data.bitmaps):
        kind = "plain" if variants is None else variants[i]
        if kind in ("grey16", "binary16"):
            bitmap = low_resolution(bitmap, 16, binary=kind == "binary16")
        digit = scan_digit(bitmap)
        if digit is None:
            continue
        if kind == "binary":
            digit = (digit >= 0.5).astype(np.float32)
        out[i] = to_uint8(digit)
    return out


def load_source(name: str, folder: str | os.PathLike | None):
    """Load a real source by name from ``folder`` (or ``$LENET_REAL_DATA``)."""
    path = resolve_real_path(name, folder)
    return load_pendigits(path) if name == "pendigits" else load_optdigits(path)


def real_parts(
    mix: dict[str, float],
    folder: str | os.PathLike | None = None,
    seed: int = 1,
    fold: int | None = None,
) -> RealParts:
    """Training copies and validation images of the real sources in ``mix``.

    ``fold`` chooses the test writers that are left out (default the last
    fold, :func:`training.real_data.writer_split`).

    Raises
    ------
    training.data.DataError
        A source's file cannot be found or is malformed.
    """
    rng = np.random.default_rng(seed)
    xs, ys, vx, vy, info = [], [], [], [], {}
    for name, weight in mix.items():
        if name not in FILES:
            continue
        data = load_source(name, folder)
        split = writer_split(data.writers, fold=fold)
        train = data.subset(split["train"])
        val = data.subset(split["validation"])
        chosen = train.subset(copies(len(train.labels), float(weight), rng))
        if name == "pendigits":
            low, high = np.log(PEN_WIDTH_FACTORS)
            factors = np.exp(rng.uniform(low, high, len(chosen.labels)))
            xs.append(render_pen(chosen, factors))
            vx.append(render_pen(val))
        else:
            kinds = rng.choice(
                list(SCAN_VARIANTS), size=len(chosen.labels), p=list(SCAN_VARIANTS.values())
            )
            xs.append(render_scans(chosen, kinds))
            vx.append(render_scans(val))
        ys.append(chosen.labels)
        vy.append(val.labels)
        info[name] = {
            "file": data.source,
            "fingerprint": data.fingerprint,
            "weight": float(weight),
            "writers": split["writers"],
            "fold": fold,
            "train_images": int(len(train.labels)),
            "train_copies": int(len(chosen.labels)),
            "validation_images": int(len(val.labels)),
            "test_images": int(len(split["test"])),
        }
    empty = np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64)
    return RealParts(
        np.concatenate(xs) if xs else empty[0],
        np.concatenate(ys) if ys else empty[1],
        np.concatenate(vx) if vx else empty[0],
        np.concatenate(vy) if vy else empty[1],
        info,
    )


def held_out_sets(
    folder: str | os.PathLike | None = None, sources=tuple(FILES), fold: int | None = None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The test writers of each real source, as the app would see their digits.

    ``fold`` is the model's writer fold (``TrainConfig.writer_fold``; default
    the last).

    Returns
    -------
    dict
        :data:`HELD_OUT_TITLES` keys to (uint8 images, labels): pen writers
        drawn as on the canvas; scans at 32x32, and at 16x16 binary and grey.
    """
    sets = {}
    for name in sources:
        data = load_source(name, folder)
        test = data.subset(writer_split(data.writers, fold=fold)["test"])
        if name == "pendigits":
            sets["pendigits"] = (render_pen(test), test.labels)
            continue
        for key, kind in (
            ("optdigits", "plain"),
            ("optdigits_binary16", "binary16"),
            ("optdigits_grey16", "grey16"),
        ):
            sets[key] = (render_scans(test, np.full(len(test.labels), kind)), test.labels)
    return sets
