"""Test-set accuracy, per-class accuracy, confusion matrix and robustness figures."""

from __future__ import annotations

import numpy as np

from training.transforms import flip_horizontal, random_rotation, random_shift, to_model_input

ROTATION_RANGES = (15, 30, 45)
SHIFT_RANGES = (2, 4, 6)


def predict_classes(model, images: np.ndarray, batch_size: int = 2000) -> np.ndarray:
    """Predicted class of each image: uint8 (N, H, W) or (N, H, W, C), or float (N, H, W, C)."""
    x = to_model_input(images)
    out = []
    for start in range(0, len(x), batch_size):
        probs = np.asarray(model(x[start : start + batch_size], training=False))
        out.append(probs.argmax(axis=1))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int = 10) -> np.ndarray:
    """Counts ``[true, predicted]``."""
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix


def accuracy_report(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """Accuracy, per-class accuracy and confusion matrix as plain JSON types."""
    matrix = confusion_matrix(y_true, y_pred)
    totals = matrix.sum(axis=1)
    per_class = np.divide(
        np.diag(matrix), totals, out=np.zeros(10, dtype=np.float64), where=totals > 0
    )
    return {
        "accuracy": float(np.mean(np.asarray(y_true) == np.asarray(y_pred))),
        "per_class_accuracy": [float(v) for v in per_class],
        "confusion_matrix": matrix.tolist(),
        "test_size": int(len(y_true)),
    }


def evaluate_model(model, x_test: np.ndarray, y_test: np.ndarray) -> dict:
    """Evaluate ``model`` on a test set.

    Returns
    -------
    dict
        ``accuracy``, ``per_class_accuracy`` (10), ``confusion_matrix``
        (10x10, rows true, columns predicted), ``test_size`` and
        ``misclassified`` (indices of wrong test images, at most 200, with
        their predicted labels).
    """
    predicted = predict_classes(model, x_test)
    report = accuracy_report(y_test, predicted)
    wrong = np.flatnonzero(predicted != np.asarray(y_test))[:200]
    report["misclassified"] = [[int(i), int(predicted[i])] for i in wrong]
    return report


def robustness(
    model,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    rotations=ROTATION_RANGES,
    shifts=SHIFT_RANGES,
    seed: int = 0,
) -> dict:
    """Accuracy under horizontal flip, random rotation and random horizontal shift.

    Rotations are drawn uniformly within ±range degrees, shifts uniformly as
    whole pixels within ±range; the draws are seeded so figures repeat.

    Returns
    -------
    dict
        ``{"flip": acc, "rotation": {"15": acc, ...}, "shift": {"2": acc, ...}}``
        plus ``"clean"`` (no distortion), all accuracies in [0, 1].
    """
    curves = robustness_curves(model, x_test, y_test, rotations=rotations, shifts=shifts, seed=seed)
    return {
        "clean": curves["clean"],
        "flip": curves["flip"],
        "rotation": dict(zip(map(str, rotations), curves["rotation"]["accuracy"], strict=True)),
        "shift": dict(zip(map(str, shifts), curves["shift"]["accuracy"], strict=True)),
    }


def format_report(report: dict, robust: dict | None = None) -> str:
    """Human-readable text of :func:`evaluate_model` (and :func:`robustness`) output."""
    lines = [f"Test accuracy: {report['accuracy'] * 100:.2f}% on {report['test_size']} images", ""]
    lines.append("Per-class accuracy:")
    lines.append(
        "  " + "  ".join(f"{d}:{a * 100:5.1f}%" for d, a in enumerate(report["per_class_accuracy"]))
    )
    lines.append("")
    lines.append("Confusion matrix (rows true, columns predicted):")
    lines.append("      " + "".join(f"{d:>6}" for d in range(10)))
    for d, row in enumerate(report["confusion_matrix"]):
        lines.append(f"  {d:>2}  " + "".join(f"{v:>6}" for v in row))
    if robust:
        lines.append("")
        lines.append("Robustness (accuracy on the test set):")
        lines.append(f"  clean               {robust['clean'] * 100:6.2f}%")
        lines.append(f"  horizontal flip     {robust['flip'] * 100:6.2f}%")
        for r, a in robust["rotation"].items():
            lines.append(f"  rotation ±{r:>2} deg    {a * 100:6.2f}%")
        for s, a in robust["shift"].items():
            lines.append(f"  x-shift ±{s} px       {a * 100:6.2f}%")
    return "\n".join(lines)


CURVE_ROTATIONS = (0, 10, 20, 30, 45, 60, 75, 90)
CURVE_SHIFTS = (0, 1, 2, 3, 4, 5, 6, 7, 8)


def robustness_curves(
    model,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    rotations=CURVE_ROTATIONS,
    shifts=CURVE_SHIFTS,
    seed: int = 0,
) -> dict:
    """Accuracy against rotation range and against horizontal-shift range, plus flip.

    Returns
    -------
    dict
        ``{"rotation": {"ranges": [...], "accuracy": [...]},
        "shift": {"ranges": [...], "accuracy": [...]}, "flip": acc, "clean": acc}``.
    """
    y = np.asarray(y_test)

    def acc(images):
        return float(np.mean(predict_classes(model, images) == y))

    return {
        "clean": acc(x_test),
        "flip": acc(flip_horizontal(x_test)),
        "rotation": {
            "ranges": [int(r) for r in rotations],
            "accuracy": [acc(random_rotation(x_test, r, seed=seed + r)) for r in rotations],
        },
        "shift": {
            "ranges": [int(s) for s in shifts],
            "accuracy": [acc(random_shift(x_test, s, "x", seed=seed + s)) for s in shifts],
        },
    }
