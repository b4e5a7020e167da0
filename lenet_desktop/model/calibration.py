"""The confidence a whole number needs before the reader says it is sure of it.

``python bench/read_numbers.py --calibrate`` measures, on generated held-out
photos, how often numbers read at each confidence are wrong, and writes the
lowest threshold that keeps the error among the accepted numbers within the
target to a small JSON file beside the model (``<model>.reading.json``). The
shipped model's file lives in ``assets/``; a model without one uses
:data:`DEFAULT_THRESHOLD`.
"""

from __future__ import annotations

import functools
import json
import math
import os
from pathlib import Path

DEFAULT_THRESHOLD = 0.9
"""Used when a model has no calibration file."""
SUFFIX = ".reading.json"


def calibration_path(model_path: str | os.PathLike) -> Path:
    """Where the calibration of the model at ``model_path`` is kept."""
    path = Path(model_path)
    return path.with_name(path.stem + SUFFIX)


def load_threshold(model_path: str | os.PathLike | None, fingerprint: str | None = None) -> float:
    """The calibrated threshold of a model, or :data:`DEFAULT_THRESHOLD` without a usable file.

    The file is read again only when it changes (a camera reads many frames a second).
    When the file names the weights it was calibrated on (``weights_sha256``) and
    ``fingerprint`` (the weights in use) differs, the calibration belongs to another
    model and the default is used: rerun ``python bench/read_numbers.py --calibrate``.
    """
    if model_path is None:
        return DEFAULT_THRESHOLD
    path = calibration_path(model_path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return DEFAULT_THRESHOLD
    return _read_threshold(str(path), stamp, fingerprint)


@functools.lru_cache(maxsize=16)
def _read_threshold(path: str, stamp: int, fingerprint: str | None) -> float:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        value = float(data["threshold"])
        calibrated_on = data.get("weights_sha256")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return DEFAULT_THRESHOLD
    if fingerprint and calibrated_on and calibrated_on != fingerprint:
        return DEFAULT_THRESHOLD
    return value if math.isfinite(value) and 0.0 <= value <= 1.0 else DEFAULT_THRESHOLD


def threshold_of(recognizer) -> float:
    """The threshold for a :class:`~lenet_desktop.model.Recognizer` (its file's calibration)."""
    return load_threshold(
        getattr(recognizer, "path", None), getattr(recognizer, "fingerprint", None)
    )
