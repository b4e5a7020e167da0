"""Test-set figures and robustness: checked with a rule-based classifier and a tiny LeNet."""

from __future__ import annotations

import numpy as np
import pytest

from training.evaluate import (
    accuracy_report,
    confusion_matrix,
    evaluate_model,
    format_report,
    predict_classes,
    robustness,
    robustness_curves,
)


def column_classifier(images, training=False):
    """Class = column of the ink's centre of mass, minus 9 (clipped), as one-hot probabilities."""
    x = np.asarray(images)[..., 0]
    mass = x.sum(axis=(1, 2))
    cx = (x * np.arange(28)[None, None, :]).sum(axis=(1, 2)) / np.maximum(mass, 1e-9)
    classes = np.clip(np.rint(cx).astype(int) - 9, 0, 9)
    return np.eye(10, dtype=np.float32)[classes]


def squares(n: int = 200, seed: int = 0):
    """uint8 images of a 3x3 square centred on column 9 + label, and the labels."""
    labels = np.random.default_rng(seed).integers(0, 10, size=n)
    images = np.zeros((n, 28, 28), np.uint8)
    for i, label in enumerate(labels):
        images[i, 13:16, 8 + label : 11 + label] = 255
    return images, labels


def test_confusion_matrix_and_report():
    y_true = np.array([0, 0, 1, 1, 1, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 2])
    matrix = confusion_matrix(y_true, y_pred)
    assert matrix.shape == (10, 10) and matrix.sum() == 6
    assert matrix[0, 0] == 1 and matrix[0, 1] == 1 and matrix[1, 1] == 2 and matrix[1, 2] == 1
    report = accuracy_report(y_true, y_pred)
    assert report["accuracy"] == pytest.approx(4 / 6)
    assert report["per_class_accuracy"][:3] == pytest.approx([0.5, 2 / 3, 1.0])
    assert report["per_class_accuracy"][3:] == [0.0] * 7  # classes with no images
    assert report["confusion_matrix"] == matrix.tolist()
    assert report["test_size"] == 6


def test_predict_classes_in_batches():
    images, labels = squares(25)
    np.testing.assert_array_equal(predict_classes(column_classifier, images), labels)
    np.testing.assert_array_equal(predict_classes(column_classifier, images, batch_size=7), labels)
    assert len(predict_classes(column_classifier, images[:0])) == 0


def test_evaluate_model_finds_the_mistakes():
    images, labels = squares(100)
    wrong = labels.copy()
    wrong[[3, 50, 97]] = (wrong[[3, 50, 97]] + 1) % 10
    report = evaluate_model(column_classifier, images, wrong)
    assert report["accuracy"] == pytest.approx(0.97)
    assert [i for i, _ in report["misclassified"]] == [3, 50, 97]
    assert [p for _, p in report["misclassified"]] == labels[[3, 50, 97]].tolist()
    matrix = np.array(report["confusion_matrix"])
    assert matrix.sum() == 100 and np.trace(matrix) == 97
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(wrong, minlength=10))


def test_robustness_flip_and_shift_figures_are_exact():
    images, labels = squares(300)
    figures = robustness(column_classifier, images, labels, seed=10)
    assert figures["clean"] == 1.0
    assert figures["flip"] == 0.0  # column c moves to 27 - c, never the same column
    assert set(figures["rotation"]) == {"15", "30", "45"}
    assert set(figures["shift"]) == {"2", "4", "6"}
    for pixels in (2, 4, 6):
        # A square shifted by dx reads as class label + dx, clipped to 0..9.
        draws = np.random.default_rng(10 + pixels).integers(-pixels, pixels + 1, size=300)
        expected = np.mean(np.clip(labels + draws, 0, 9) == labels)
        assert figures["shift"][str(pixels)] == pytest.approx(expected)
    assert figures["shift"]["2"] > figures["shift"]["6"]
    assert robustness(column_classifier, images, labels, seed=10) == figures


def test_robustness_of_a_trained_lenet(tiny_trained):
    data, _, result, _ = tiny_trained
    figures = robustness(result.model, data.x_test, data.y_test)
    report = evaluate_model(result.model, data.x_test, data.y_test)
    assert figures["clean"] == pytest.approx(report["accuracy"])
    # Classes are bar angles 18 degrees apart: turning by up to 45 degrees or
    # mirroring (angle -> 180 - angle) changes most classes.
    assert figures["rotation"]["45"] < figures["rotation"]["15"] <= figures["clean"]
    assert figures["flip"] < figures["clean"] - 0.3
    for value in (*figures["rotation"].values(), *figures["shift"].values()):
        assert 0.0 <= value <= 1.0


def test_robustness_curves_shape():
    images, labels = squares(60)
    curves = robustness_curves(column_classifier, images, labels, rotations=(0, 30), shifts=(0, 3))
    assert curves["rotation"]["ranges"] == [0, 30]
    assert curves["rotation"]["accuracy"][0] == 1.0
    assert curves["shift"]["ranges"] == [0, 3] and curves["shift"]["accuracy"][0] == 1.0
    assert curves["flip"] == 0.0 and curves["clean"] == 1.0


def test_format_report_shows_every_figure():
    images, labels = squares(50)
    report = evaluate_model(column_classifier, images, labels)
    robust = robustness(column_classifier, images, labels)
    text = format_report(report, robust)
    assert "Test accuracy: 100.00% on 50 images" in text
    assert "Confusion matrix" in text and "Per-class accuracy" in text
    assert "horizontal flip       0.00%" in text
    for label in ("rotation ±15 deg", "rotation ±45 deg", "x-shift ±2 px", "x-shift ±6 px"):
        assert label in text
    assert "Robustness" not in format_report(report)
