"""Cross-validation by writer: how the shipped recipe reads writers it never saw.

The shipped model holds out the last 6 writers of each real source, so its
held-out figures rest on 6 pen writers, and one unusual writer moves them by
a point. This bench pools models of the same recipe, each trained with
another fold of writers held out (``lenet-train --writer-fold K``), so that
every writer of ``pendigits-orig.tra`` and ``optdigits-orig.tra`` (UCI,
CC BY 4.0) is read by a model that never trained on them.

For each model (its fold comes from its sidecar; none means the last fold,
as shipped) it reads that fold's test writers:

* pen writers drawn through the app's canvas widget with pens 6, 18 and 40
  (:func:`bench.real_handwriting.canvas_digits`);
* scan writers as 32x32 bitmaps, and at 16x16 binary and grey;

and prints each pen writer's accuracy, the figures pooled over all folds,
and a 95% interval from resampling writers (the spread a new set of writers
would give).

Usage (the models: ``lenet-train --preset shipped --writer-fold K --out
foldK.keras`` for K = 0..3, and the shipped model for the last fold)::

    LENET_MNIST=../shared/data/mnist.npz LENET_REAL_DATA=../shared/data/real \\
        python bench/writer_folds.py fold0.keras fold1.keras fold2.keras \\
        fold3.keras assets/lenet5.keras [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PEN_WIDTHS = (6, 18, 40)
SCAN_KINDS = {
    "optdigits": "scan writers, 32x32",
    "optdigits_binary16": "scan writers, 16x16 binary",
    "optdigits_grey16": "scan writers, 16x16 grey",
}
TARGETS = {"pen": 0.99, "optdigits": 0.98, "optdigits_binary16": 0.95, "optdigits_grey16": 0.985}
RESAMPLES = 2000


def writer_interval(correct: np.ndarray, writers: np.ndarray, seed: int = 0) -> tuple[float, float]:
    """95% interval of the pooled accuracy when the writers are drawn again.

    Parameters
    ----------
    correct : numpy.ndarray
        One bool per digit: read right.
    writers : numpy.ndarray
        The writer of each digit.

    Returns
    -------
    tuple of float
        The 2.5th and 97.5th percentiles over :data:`RESAMPLES` draws of as
        many writers, with replacement.
    """
    ids, index = np.unique(writers, return_inverse=True)
    right = np.bincount(index, weights=correct.astype(np.float64), minlength=len(ids))
    total = np.bincount(index, minlength=len(ids)).astype(np.float64)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(ids), size=(RESAMPLES, len(ids)))
    shares = right[draws].sum(axis=1) / total[draws].sum(axis=1)
    low, high = np.percentile(shares, [2.5, 97.5])
    return float(low), float(high)


def read_fold(model_path: str, folder) -> dict:
    """One model on the test writers of its own fold."""
    from bench.real_handwriting import canvas_digits
    from training.drawing import tablet_to_paper
    from training.evaluate import predict_classes
    from training.mix import held_out_sets, load_source
    from training.model_io import load_model, read_sidecar
    from training.real_data import writer_split

    fold = read_sidecar(model_path).get("config", {}).get("writer_fold")
    model = load_model(model_path)
    pen = load_source("pendigits", folder)
    split = writer_split(pen.writers, fold=fold)
    test = pen.subset(split["test"])
    strokes = [tablet_to_paper(s) for s in test.strokes]
    out = {"model": model_path, "fold": fold, "pen_writers": split["writers"]["test"]}
    out["pen_labels"] = test.labels.tolist()
    out["pen_writer_of"] = test.writers.tolist()
    for width in PEN_WIDTHS:
        guess = predict_classes(model, canvas_digits(strokes, width))
        out[f"pen {width}"] = (guess == test.labels).tolist()
    for key, (images, labels) in held_out_sets(folder, ("optdigits",), fold=fold).items():
        out[key] = (predict_classes(model, images) == labels).tolist()
    scans = load_source("optdigits", folder)
    out["scan_writer_of"] = scans.writers[writer_split(scans.writers, fold=fold)["test"]].tolist()
    return out


def pooled(folds: list[dict]) -> dict:
    """Per-source pooled accuracy, its writer interval, and each pen writer's accuracy."""
    writers = np.concatenate([np.asarray(f["pen_writer_of"]) for f in folds])
    figures = {}
    for width in PEN_WIDTHS:
        correct = np.concatenate([np.asarray(f[f"pen {width}"]) for f in folds])
        figures[f"pen writers, canvas, pen {width}"] = {
            "accuracy": float(correct.mean()),
            "interval": writer_interval(correct, writers),
            "images": int(len(correct)),
            "target": TARGETS["pen"],
        }
    scan_writers = np.concatenate([np.asarray(f["scan_writer_of"]) for f in folds])
    for key, title in SCAN_KINDS.items():
        correct = np.concatenate([np.asarray(f[key]) for f in folds])
        figures[title] = {
            "accuracy": float(correct.mean()),
            "interval": writer_interval(correct, scan_writers),
            "images": int(len(correct)),
            "target": TARGETS[key],
        }
    correct = np.concatenate([np.asarray(f["pen 18"]) for f in folds])
    per_writer = {int(w): float(correct[writers == w].mean()) for w in np.unique(writers)}
    return {"figures": figures, "pen_writers": per_writer}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+", help="models of one recipe, one per writer fold")
    parser.add_argument("--real-data", metavar="FOLDER", help="default: $LENET_REAL_DATA")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    folds = []
    for path in args.models:
        fold = read_fold(path, args.real_data)
        folds.append(fold)
        print(f"{path}: fold {fold['fold']}, pen test writers {fold['pen_writers']}")
    tested = [w for f in folds for w in f["pen_writers"]]
    if len(set(tested)) != len(tested):
        parser.error("two models hold out the same writers: give one model per fold")
    result = pooled(folds)
    print(
        f"\n{len(folds)} folds, {len(tested)} pen writers, each read by a model that never saw them"
    )
    print(f"{'source':<32}{'pooled':>9}  {'95% over writers':<18}{'target':>7}  images")
    for title, fig in result["figures"].items():
        low, high = fig["interval"]
        print(
            f"{title:<32}{fig['accuracy'] * 100:8.2f}%  {low * 100:6.2f}-{high * 100:6.2f}%"
            f"    {fig['target'] * 100:5.1f}%  {fig['images']}"
        )
    print("\npen writers, canvas pen 18, worst first:")
    worst = sorted(result["pen_writers"].items(), key=lambda item: item[1])
    print("  " + ", ".join(f"{w}: {a * 100:.1f}%" for w, a in worst))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
