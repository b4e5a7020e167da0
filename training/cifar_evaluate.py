"""Test figures of a CIFAR-10 model: accuracy, per-class accuracy with class names, flip.

The rotation and shift curves of :mod:`training.evaluate` are made for 28x28
digits; for colour photos the telling extra figure is accuracy on mirrored
images, which a photo model should keep (a digit model loses it).
"""

from __future__ import annotations

import numpy as np


def cifar_robustness(model, x_test: np.ndarray, y_test: np.ndarray) -> dict:
    """Accuracy on the test images as they are and mirrored left to right.

    Returns
    -------
    dict
        ``{"clean": acc, "flip": acc}``, accuracies in [0, 1].
    """
    from training.evaluate import predict_classes

    y = np.asarray(y_test)
    return {
        "clean": float(np.mean(predict_classes(model, x_test) == y)),
        "flip": float(np.mean(predict_classes(model, x_test[:, :, ::-1]) == y)),
    }


def format_cifar_report(report: dict, robust: dict | None, class_names) -> str:
    """Human-readable text of a CIFAR-10 model's figures.

    Parameters
    ----------
    report : dict
        :func:`training.evaluate.evaluate_model` output.
    robust : dict, optional
        :func:`cifar_robustness` output.
    class_names : sequence of str
        The 10 class names in label order.
    """
    width = max(len(name) for name in class_names)
    lines = [f"Test accuracy: {report['accuracy'] * 100:.2f}% on {report['test_size']} images"]
    lines += ["", "Per-class accuracy:"]
    for index, (name, acc) in enumerate(
        zip(class_names, report["per_class_accuracy"], strict=True)
    ):
        lines.append(f"  {index} {name:<{width}}  {acc * 100:5.1f}%")
    lines += ["", "Confusion matrix (rows true, columns predicted, classes by number):"]
    lines.append("     " + "".join(f"{d:>6}" for d in range(10)))
    for index, row in enumerate(report["confusion_matrix"]):
        lines.append(f"  {index:>2} " + "".join(f"{v:>6}" for v in row))
    if robust:
        lines += ["", "Mirrored test images:"]
        lines.append(f"  as they are         {robust['clean'] * 100:6.2f}%")
        lines.append(f"  horizontal flip     {robust['flip'] * 100:6.2f}%")
    return "\n".join(lines)
