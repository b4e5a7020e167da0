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
    from lenet_desktop.paths import sample_photo_path, shipped_model_path

    parser = argparse.ArgumentParser(
        prog="lenet-desktop recognize",
        description=(
            "Read the handwritten digits in image files: each digit's label, confidence and "
            "box in reading order, and the number they spell."
        ),
    )
    parser.add_argument("images", nargs="*", metavar="IMAGE", help="image files to read")
    parser.add_argument(
        "--sample",
        action="store_true",
        help=f"also read the sample photo shipped with the app ({sample_photo_path()})",
    )
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
    parser.add_argument(
        "--max-pixels",
        type=_positive_int,
        default=None,
        metavar="N",
        help="refuse images of more than N pixels, read from the file's header before "
        "decoding (default: $LENET_MAX_PIXELS, else 52000000, a 50-megapixel photo)",
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, not {value}")
    return value


def _image_or_error(path: str, max_pixels: int | None = None):
    """The file's image, or the error that stopped it from being read (never raised)."""
    from lenet_desktop.vision.io import ImageReadError, read_image

    try:
        return read_image(path, max_pixels)
    except ImageReadError as exc:
        return ValueError(exc.reason)
    except MemoryError:
        return ValueError("not enough memory to read it")
    except OSError as exc:
        return ValueError(f"cannot read it ({exc.strerror or exc})")


def _images(paths: list[str], max_pixels: int | None = None) -> Iterator:
    """Each file's image, or the error that stopped it from being read (never raised)."""
    for path in paths:
        yield _image_or_error(path, max_pixels)


PARALLEL_FILES = 64
"""From this many files on, forked worker processes help to decode and preprocess them."""
CHUNK_FILES = 16
"""Files taken at a time, by whichever process is free (the results are put back in order)."""


def _workers(count: int) -> int:
    """Worker processes to fork for ``count`` files: one per further core, or 0 (none).

    This process reads files too. Workers are forked (Linux only: elsewhere a
    worker would start afresh and import everything again, which costs more
    than it saves).
    """
    if count < PARALLEL_FILES or not sys.platform.startswith("linux"):
        return 0
    return max(0, min(len(os.sched_getaffinity(0)) - 1, count // CHUNK_FILES - 1))


def _find_in_files(paths: list[str], max_pixels: int | None, single: bool, ink: str) -> list:
    """What :func:`lenet_desktop.model.reading.find_in` finds in each file (in any reading process).

    Each file's failure is its own: a file that cannot be read, or whose
    reading fails in any way, gets its error and the others still their finds.
    """
    from lenet_desktop.model.reading import find_in

    found = []
    for path in paths:
        image = _image_or_error(path, max_pixels)
        if isinstance(image, Exception):
            found.append(image)
            continue
        try:
            found.append(find_in(image, single, ink))
        except Exception as exc:  # MemoryError, cv2.error ... from this file alone
            found.append(ValueError(_failed_reading(exc).error))
    return found


_shared: tuple = ()
"""(recognizer or None, next chunk counter, chunks, options) for the processes reading
them; inherited by forking."""


def _take_chunks() -> dict[int, list]:
    """Read chunks of :data:`_shared` until none is left: {chunk index: readings}.

    The files of all the chunks this process took share the model's batches.
    Without a recognizer in :data:`_shared` they are only found: {chunk index: finds}.
    """
    recognizer, counter, chunks, options = _shared
    found = {}
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        if index >= len(chunks):
            break
        found[index] = _find_in_files(chunks[index], *options)
    return found if recognizer is None else _classified(recognizer, found)


def _classified(recognizer, found: dict[int, list]) -> dict[int, list]:
    """{chunk index: finds} classified in shared batches: {chunk index: readings}."""
    from lenet_desktop.model.reading import readings_of

    readings = iter(readings_of(recognizer, [entry for finds in found.values() for entry in finds]))
    return {index: [next(readings) for _ in finds] for index, finds in found.items()}


def _read_in_parallel(recognizer, paths: list[str], workers: int, max_pixels, single, ink):
    """Read the files here and in ``workers`` forked processes, each classifying its own.

    Whichever process is free takes the next chunk of files. Should a worker
    die, the chunks it had taken are read again here. A model that runs in
    TensorFlow classifies everything here: TensorFlow's threads do not survive
    a fork.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    import cv2

    global _shared
    context = multiprocessing.get_context("fork")
    # One process per core: OpenCV's own threads would only contend for the same cores
    # (and on images this small cost more to start than they save). Forks inherit this.
    opencv_threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    chunks = [paths[i : i + CHUNK_FILES] for i in range(0, len(paths), CHUNK_FILES)]
    in_workers = recognizer.engine == "numpy"
    shared_recognizer = recognizer if in_workers else None
    _shared = (shared_recognizer, context.Value("i", 0), chunks, (max_pixels, single, ink))
    done: dict[int, list] = {}
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [pool.submit(_take_chunks) for _ in range(workers)]
            done.update(_take_chunks())
            for future in futures:
                try:
                    done.update(future.result())
                except BrokenProcessPool:
                    pass
    finally:
        _shared = ()
        cv2.setNumThreads(opencv_threads)
    missing = {
        index: _find_in_files(chunk, max_pixels, single, ink)
        for index, chunk in enumerate(chunks)
        if index not in done
    }
    if in_workers:
        done.update(_classified(recognizer, missing))
    else:
        done = _classified(recognizer, dict(sorted({**done, **missing}.items())))
    return [reading for index in range(len(chunks)) for reading in done[index]]


def _read_all(recognizer, paths: list[str], max_pixels: int | None = None, **options) -> list:
    """Read every file; one that fails in any way gets an error and the others still a result.

    All files share the model's batches. Many files are decoded and
    preprocessed by this process and forked workers, one per further core
    (:func:`_workers`), each file's failure its own. Otherwise, should reading
    one of them fail outside the per-file checks (out of memory finding its
    digits, say), they are read again one by one, so that only the file at
    fault fails.
    """
    from lenet_desktop.model.reading import read_many

    workers = _workers(len(paths))
    if workers:
        single, ink = options.get("single", False), options.get("ink", "auto")
        return _read_in_parallel(recognizer, paths, workers, max_pixels, single, ink)
    try:
        return read_many(recognizer, _images(paths, max_pixels), **options)
    except Exception as exc:  # MemoryError, cv2.error ... from one of the files
        if len(paths) == 1:
            return [_failed_reading(exc)]
    readings = []
    for path in paths:
        try:
            readings += read_many(recognizer, _images([path], max_pixels), **options)
        except Exception as exc:
            readings.append(_failed_reading(exc))
    return readings


def _failed_reading(exc: BaseException):
    from lenet_desktop.model.reading import Reading

    if isinstance(exc, MemoryError):
        return Reading(error="not enough memory to read it")
    return Reading(error=f"reading it failed: {type(exc).__name__}: {exc}")


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
                "tiny": d.tiny,
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
        tiny = "  too small to be sure of" if d.tiny else ""
        print(
            f"  {d.label}  {d.confidence * 100:5.1f}%  box x={x} y={y} w={w} h={h}"
            f"  line {d.line}{tiny}",
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
    if args.sample:
        from lenet_desktop.paths import sample_photo_path

        args.images.append(str(sample_photo_path()))
    if not args.images:
        parser.print_usage(sys.stderr)
        print("lenet-desktop recognize: give at least one IMAGE (or --sample)", file=sys.stderr)
        return EXIT_USAGE
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # The model runs on small batches between bursts of OpenCV work: OpenBLAS worker
    # threads gain nothing there, and while they spin they take the cores OpenCV needs.
    # (Effective only before NumPy is first imported, as it is when run from the command line.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from lenet_desktop.model import Recognizer
    from training.model_io import ModelLoadError

    try:
        recognizer = Recognizer.from_file(args.model)
    except ModelLoadError as exc:
        print(f"lenet-desktop recognize: {exc}", file=sys.stderr)
        return EXIT_USAGE
    readings = _read_all(
        recognizer, args.images, single=args.single, ink=args.ink, max_pixels=args.max_pixels
    )
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
