"""The rotate / shift explorer's background job: probability curves against angle and shift.

Qt-free: :func:`compute_sweeps` runs on a :class:`lenet_desktop.gui.threads.JobSlot`
thread, each sweep one batched model call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lenet_desktop.model.probes import correct_angle_range, rotation_sweep, shift_sweep


@dataclass(frozen=True)
class SweepRequest:
    """What the explorer wants curves of: one digit, the slider settings, which sweeps."""

    recognizer: object
    digit: np.ndarray
    angle: float
    dx: float
    dy: float
    flip: bool
    angles: np.ndarray
    shifts: np.ndarray
    which: tuple[str, ...]
    """Any of ``"rotation"``, ``"x"``, ``"y"``."""


def compute_sweeps(request: SweepRequest) -> dict:
    """The requested curves, each a (len(sweep), 10) array of class probabilities.

    Returns
    -------
    dict
        The curves asked for under ``"rotation"``, ``"x"``, ``"y"``; with
        rotation also ``"label"`` (the answer unrotated) and ``"range"`` (the
        angles over which it holds, or ``None``).
    """
    result = {}
    rec, digit = request.recognizer, request.digit
    if "rotation" in request.which:
        probs = rotation_sweep(
            rec, digit, request.angles, dx=request.dx, dy=request.dy, flip=request.flip
        )
        centre = int(np.argmin(np.abs(request.angles)))
        label = int(np.argmax(probs[centre]))
        result["rotation"] = probs
        result["label"] = label
        result["range"] = correct_angle_range(probs, request.angles, label)
    for axis in ("x", "y"):
        if axis in request.which:
            result[axis] = shift_sweep(
                rec,
                digit,
                request.shifts,
                axis,
                angle=request.angle,
                dx=request.dx,
                dy=request.dy,
                flip=request.flip,
            )
    return result
