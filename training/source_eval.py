"""Accuracy per source of digits: MNIST test, held-out real pen writers and scan writers.

``lenet-train evaluate`` and ``lenet-train train`` report these beside the
robustness figures, and the sidecar keeps them under ``sources``. The real
sources are measured on their test writers only (:func:`training.mix.held_out_sets`),
whose digits no model trained by ``lenet-train`` has seen.
"""

from __future__ import annotations

import os

import numpy as np

from training.data import DataError
from training.real_data import CREDITS

TITLES = {
    "mnist": "MNIST test set",
    "pendigits": "held-out pen writers, drawn on the canvas",
    "optdigits": "held-out scan writers, 32x32 bitmaps",
    "optdigits_binary16": "held-out scans at 16x16, binary",
    "optdigits_grey16": "held-out scans at 16x16, grey",
    "rotation_30": "MNIST test, random rotation within ±30°",
}
TARGETS = {
    "mnist": 0.994,
    "pendigits": 0.99,
    "optdigits": 0.98,
    "optdigits_binary16": 0.95,
    "optdigits_grey16": 0.985,
    "rotation_30": 0.985,
}
"""What the shipped model aims for on each source (issue 10)."""


def source_figures(
    model,
    data,
    robust: dict | None,
    folder: str | os.PathLike | None = None,
    fold: int | None = None,
) -> dict:
    """Accuracy of ``model`` on every source that can be found.

    Parameters
    ----------
    model : keras.Model
    data : training.data.MnistData
        Its test split is the MNIST source.
    robust : dict, optional
        :func:`training.evaluate.robustness` output, for ``rotation_30``.
    folder : path-like, optional
        Folder of the real sources (default ``$LENET_REAL_DATA``).
    fold : int, optional
        The model's writer fold (``TrainConfig.writer_fold``): whose writers
        it never trained on (default the last fold).

    Returns
    -------
    dict
        ``{"figures": {name: {"accuracy", "images", "title", "target"}},
        "missing": why the real sources are left out ("" when present),
        "credits": the data credits}``.
    """
    from training.evaluate import predict_classes
    from training.mix import held_out_sets

    def entry(name, accuracy, images):
        return {
            "accuracy": float(accuracy),
            "images": int(images),
            "title": TITLES[name],
            "target": TARGETS[name],
        }

    y = np.asarray(data.y_test)
    figures = {"mnist": entry("mnist", np.mean(predict_classes(model, data.x_test) == y), len(y))}
    if robust and "30" in robust.get("rotation", {}):
        figures["rotation_30"] = entry("rotation_30", robust["rotation"]["30"], len(y))
    missing = ""
    try:
        sets = held_out_sets(folder, fold=fold)
    except DataError as exc:
        sets, missing = {}, str(exc)
    for name, (images, labels) in sets.items():
        accuracy = np.mean(predict_classes(model, images) == labels)
        figures[name] = entry(name, accuracy, len(labels))
    order = [name for name in TITLES if name in figures]
    return {
        "figures": {name: figures[name] for name in order},
        "missing": missing,
        "credits": CREDITS,
    }


def format_sources(sources: dict) -> str:
    """The per-source figures as text, each with its target."""
    lines = ["Accuracy per source (real sources: writers never trained on):"]
    for figure in sources["figures"].values():
        mark = "meets" if figure["accuracy"] >= figure["target"] else "below"
        lines.append(
            f"  {figure['title']:<42} {figure['accuracy'] * 100:6.2f}%  "
            f"({figure['images']} images; target {figure['target'] * 100:.1f}%, {mark})"
        )
    if sources.get("missing"):
        lines.append(f"  real sources left out: {sources['missing']}")
    return "\n".join(lines)
