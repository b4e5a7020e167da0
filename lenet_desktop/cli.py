"""Headless commands: ``lenet-desktop recognize IMAGE...`` reads the digits in image files.

:func:`main` takes the arguments after ``recognize``; ``lenet_desktop.app``
dispatches to it, and ``python -m lenet_desktop.cli IMAGE...`` runs it directly.
Exit status: 0 when every file was read, 1 when any file could not be, 2 for
bad usage or a model that cannot be loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

EXIT_OK = 0
EXIT_FILE_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The ``recognize`` command's argument parser."""
    from lenet_desktop.paths import shipped_model_path

    parser = argparse.ArgumentParser(
        prog="lenet-desktop recognize",
        description=(
            "Read the handwritten digits in image files: each digit's label, confidence and "
            "box in reading order, and the number they spell."
        ),
    )
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files to read")
    parser.add_argument(
        "--model",
        type=Path,
        default=shipped_model_path(),
        help="a .keras LeNet-5 model (default: the shipped model, %(default)s)",
    )
    parser.add_argument(
        "--single",
        action="store_true",
        help="treat each whole image as one digit, as the drawing canvas does",
    )
    parser.add_argument(
        "--ink",
        choices=("auto", "dark", "light"),
        default="auto",
        help="ink polarity: dark ink on light paper, light on dark, or decide (default)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser


def _images(paths: list[str]) -> Iterator:
    """Each file's image, or the error that stopped it from being read."""
    from lenet_desktop.vision.io import ImageReadError, read_image

    for path in paths:
        try:
            yield read_image(path)
        except ImageReadError as exc:
            yield ValueError(exc.reason)


def _as_json(path: str, reading) -> dict:
    if not reading.ok:
        return {"file": path, "ok": False, "error": reading.error}
    return {
        "file": path,
        "ok": True,
        "text": reading.text,
        "confidence": round(reading.confidence, 6),
        "sure": reading.sure,
        "separators": [
            {"char": s.char, "box": list(s.box), "line": s.line} for s in reading.separators
        ],
        "digits": [
            {
                "label": d.label,
                "confidence": round(d.confidence, 6),
                "box": list(d.box),
                "line": d.line,
            }
            for d in reading.digits
        ],
    }


def _print_text(path: str, reading, out, err) -> None:
    if not reading.ok:
        print(f"{path}: error: {reading.error}", file=err)
        return
    if not reading.digits:
        print(f"{path}: no digits found", file=out)
        return
    count = len(reading.digits)
    print(f"{path}: {reading.text}  ({count} digit{'s' if count != 1 else ''})", file=out)
    for d in reading.digits:
        x, y, w, h = d.box
        print(
            f"  {d.label}  {d.confidence * 100:5.1f}%  box x={x} y={y} w={w} h={h}  line {d.line}",
            file=out,
        )
    for s in reading.separators:
        x, y, w, h = s.box
        print(f"  {s.char}  separator  box x={x} y={y} w={w} h={h}  line {s.line}", file=out)
    verdict = "sure" if reading.sure else "not sure"
    print(f"  number {reading.confidence * 100:5.1f}%  {verdict}", file=out)


def main(argv: list[str] | None = None) -> int:
    """Run ``recognize`` with the arguments that follow it on the command line.

    Returns
    -------
    int
        0 when every file was read, 1 when any could not be, 2 for bad
        usage or an unusable model.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # The model runs on small batches between bursts of OpenCV work: OpenBLAS worker
    # threads gain nothing there, and while they spin they take the cores OpenCV needs.
    # (Effective only before NumPy is first imported, as it is when run from the command line.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from lenet_desktop.model import Recognizer
    from lenet_desktop.model.reading import read_many
    from training.model_io import ModelLoadError

    try:
        recognizer = Recognizer.from_file(args.model)
    except ModelLoadError as exc:
        print(f"lenet-desktop recognize: {exc}", file=sys.stderr)
        return EXIT_USAGE
    readings = read_many(recognizer, _images(args.images), single=args.single, ink=args.ink)
    if args.json:
        results = [_as_json(path, r) for path, r in zip(args.images, readings, strict=True)]
        print(json.dumps(results, indent=2))
        for path, reading in zip(args.images, readings, strict=True):
            if not reading.ok:
                print(f"{path}: error: {reading.error}", file=sys.stderr)
    else:
        for path, reading in zip(args.images, readings, strict=True):
            _print_text(path, reading, sys.stdout, sys.stderr)
    return EXIT_FILE_FAILED if any(not r.ok for r in readings) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
