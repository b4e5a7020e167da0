"""Held-out real writers as photos: the app's single-digit and find-the-digits paths.

The test writers of ``pendigits-orig.tra`` and ``optdigits-orig.tra`` (UCI,
CC BY 4.0; :func:`training.real_data.writer_split`, never trained on) are put
on paper, dark ink on white: the scans as 96x96 enlargements of their 32x32
bitmaps, the pen trajectories drawn with a 14 px pen on the canvas's 280x280
paper. Each digit is read clean, and as a phone photo
(:mod:`tests.support.paper`: uneven light, a shadow on 30%, sensor noise, then
30-60 px high, blur and JPEG quality 40-85), by both reading paths:
``read_single`` (the image is one digit, as ``recognize --single`` reads it)
and ``read_frame`` (find the digits, as the Photo and Camera tabs do; right
when exactly the one digit is read; also the share of readings "sure", and how
many of those are wrong). Ink polarity is found automatically, as in the app.

Usage::

    LENET_REAL_DATA=../shared/data/real python bench/real_photos.py [--model PATH] [--seed 3]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from lenet_desktop.model import Recognizer  # noqa: E402
from lenet_desktop.model.reading import read_frame, read_single  # noqa: E402
from lenet_desktop.paths import shipped_model_path  # noqa: E402
from tests.support.paper import degrade, photograph  # noqa: E402
from training.drawing import render_strokes, tablet_to_paper  # noqa: E402
from training.mix import load_source  # noqa: E402
from training.real_data import writer_split  # noqa: E402

PEN = 14
"""Pen width (paper units) the held-out trajectories are drawn with."""


def held_out_ink(folder) -> dict[str, tuple[list[np.ndarray], np.ndarray]]:
    """Ink coverage (float32, 1 = ink) of every held-out digit on its paper, per source."""
    scans = load_source("optdigits", folder)
    scans = scans.subset(writer_split(scans.writers)["test"])
    pens = load_source("pendigits", folder)
    pens = pens.subset(writer_split(pens.writers)["test"])
    scan_ink = [
        np.pad(cv2.resize(b.astype(np.float32), (96, 96), interpolation=cv2.INTER_LINEAR), 16)
        for b in scans.bitmaps
    ]
    pen_ink = [
        (255 - render_strokes(tablet_to_paper(s), PEN)).astype(np.float32) / 255.0
        for s in pens.strokes
    ]
    return {"scan writers": (scan_ink, scans.labels), "pen writers": (pen_ink, pens.labels)}


def as_photo(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A phone photo of the paper: uneven light, maybe a shadow, noise, 30-60 px, blur, JPEG."""
    photo = photograph(ink, rng, shadow=bool(rng.random() < 0.3))
    return degrade(
        photo,
        rng,
        height=int(rng.integers(30, 60)),
        blur=rng.uniform(0.3, 1.2),
        jpeg=int(rng.integers(40, 85)),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=shipped_model_path())
    parser.add_argument("--data", help="folder of the real files (default: $LENET_REAL_DATA)")
    parser.add_argument("--seed", type=int, default=3, help="seed of the photo degradations")
    args = parser.parse_args()
    recognizer = Recognizer.from_file(args.model)
    rng = np.random.default_rng(args.seed)
    print(f"model {args.model.name}; held-out writers; accuracy of the one digit read")
    print(
        f"{'source':13} {'as':6} {'digits':>6} {'single digit':>13} {'find digits':>12}"
        f" {'sure':>7} {'wrong|sure':>10}"
    )
    for name, (inks, labels) in held_out_ink(args.data).items():
        for mode in ("clean", "photo"):
            single = found = sure = sure_wrong = 0
            for ink, label in zip(inks, labels, strict=True):
                if mode == "clean":
                    image = np.clip(255.0 * (1.0 - ink), 0, 255).astype(np.uint8)
                else:
                    image = as_photo(ink, rng)
                _, digit = read_single(recognizer, image)
                single += digit is not None and digit.label == int(label)
                reading = read_frame(recognizer, image)
                right = "".join(c for c in reading.text if c.isdigit()) == str(int(label))
                found += right
                sure += reading.sure
                sure_wrong += reading.sure and not right
            n = len(labels)
            print(
                f"{name:13} {mode:6} {n:6d} {100 * single / n:12.2f}% {100 * found / n:11.2f}%"
                f" {100 * sure / n:6.2f}% {100 * sure_wrong / max(sure, 1):9.2f}%"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
