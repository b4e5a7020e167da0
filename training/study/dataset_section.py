"""The report's data-set section: MNIST against CIFAR-10 with the same LeNet-5 layers.

When CIFAR-10 could not be found the section says so, and why, instead.
"""

from __future__ import annotations

from training.datasets import class_names
from training.study import figures as plots
from training.study.analysis import CLASSIC_CIFAR, CLASSIC_STUDY, run_dataset
from training.study.render import Blocks, duration, pct

PARAMETERS = {"mnist": 61706, "cifar10": 62006}
"""What :func:`training.lenet.build_lenet5` gives for each input (records before CIFAR-10
did not store the count)."""


def classic_cifar_text() -> str:
    """The classic write-ups' CIFAR-10 range as the report writes it: ``66–77%``."""
    low, high = CLASSIC_CIFAR
    return f"{low * 100:.0f}–{high * 100:.0f}%"


def dataset_section(blocks: Blocks, figures: dict, study: dict, group: dict) -> None:
    """Add the MNIST / CIFAR-10 comparison (or the note that CIFAR-10 was skipped)."""
    runs = study["runs"]
    members = [(m["label"], runs[m["run_id"]]) for m in group["members"]]
    blocks.heading("Data set: MNIST and CIFAR-10 with the same LeNet-5 layers")
    cifar = next((run for _, run in members if run_dataset(run) == "cifar10"), None)
    if cifar is None:
        _skipped(blocks, study, members)
        return
    source = study.get("datasets", {}).get("cifar10", {}).get("source", cifar["data"]["source"])
    blocks.para(
        "The base setting learns both data sets with the same layers. CIFAR-10's images are "
        "32x32 colour photos of 10 classes: 32x32 is LeNet-5's own input size, so C1 needs no "
        "padding and every map from C1 on has the shape it has for MNIST (C1 28x28x6 … S4 "
        "5x5x16); only C1's kernels take 3 colour channels instead of 1, which makes 62,006 "
        f"parameters instead of 61,706. CIFAR-10 from {source}; {cifar['data']['train_images']:,} "
        f"training images, {cifar['data']['test_images']:,} test images, no augmentation."
    )
    rows = []
    for label, run in members:
        dataset = run_dataset(run)
        rows.append(
            [
                label,
                pct(run["test"]["accuracy"]),
                pct(run["robustness"]["flip"]),
                classic_cifar_text()
                if dataset == "cifar10"
                else f"~{CLASSIC_STUDY['adam_accuracy_10_epochs'] * 100:.0f}% (Adam, 10 epochs)",
                f"{run.get('parameters', PARAMETERS[dataset]):,}",
                plots.epochs_text(run["epochs_run"]),
                f"{run['seconds_per_epoch']:.2f}",
                duration(run["train_seconds"]),
            ]
        )
    blocks.table(
        [
            "Data set",
            "Test accuracy",
            "Flipped",
            "Classic write-ups (approx.)",
            "Parameters",
            "Trained",
            "s/epoch",
            "Training",
        ],
        rows,
    )
    mnist = next((run for _, run in members if run_dataset(run) == "mnist"), None)
    text = (
        f"The classic write-ups report {classic_cifar_text()} on CIFAR-10 for the LeNet "
        "family, usually after more epochs on all 50,000 training images and often with "
        "augmentation; it is a reference point quoted, not measured here. This run: "
        f"{pct(cifar['test']['accuracy'])} after {plots.epochs_text(cifar['epochs_run'])} on "
        f"{cifar['data']['train_images']:,} images."
    )
    if mnist is not None:
        text += (
            " Mirroring the test images costs the digit model "
            f"{_points(mnist)} and the photo model {_points(cifar)}: a mirrored photo "
            "shows the same thing, a mirrored digit often does not."
        )
    blocks.para(text)
    labels = [label for label, _ in members]
    figures["dataset.png"] = plots.accuracy_bars(
        "Data set",
        labels,
        [run for _, run in members],
        {label: CLASSIC_STUDY["adam_accuracy_10_epochs"] for label in labels if label == "MNIST"},
        {label: CLASSIC_CIFAR for label, run in members if run_dataset(run) == "cifar10"},
    )
    blocks.figure(
        "dataset.png",
        f"Test accuracy of the same layers on each data set; red: classic write-ups "
        f"(MNIST ~98% with Adam after 10 epochs, CIFAR-10 {classic_cifar_text()}).",
    )
    figures["dataset_curves.png"] = plots.learning_curves(
        "Data set", labels, [run for _, run in members]
    )
    blocks.figure("dataset_curves.png", "Learning curves on MNIST and on CIFAR-10.")
    _per_class(blocks, figures, cifar)


def _per_class(blocks: Blocks, figures: dict, cifar: dict) -> None:
    names = list(class_names("cifar10"))
    accuracies = cifar["test"]["per_class_accuracy"]
    blocks.heading("CIFAR-10 per class", level=3)
    order = sorted(range(len(names)), key=lambda i: -accuracies[i])
    blocks.table(["Class", "Test accuracy"], [[names[i], pct(accuracies[i])] for i in order])
    figures["cifar10_per_class.png"] = plots.per_class_bars(
        names, accuracies, f"CIFAR-10: test accuracy per class ({pct(cifar['test']['accuracy'])})"
    )
    blocks.figure("cifar10_per_class.png", "CIFAR-10 test accuracy of each class.")
    figures["cifar10_confusion.png"] = plots.confusion_matrix_plot(
        cifar["test"]["confusion_matrix"],
        f"CIFAR-10: {pct(cifar['test']['accuracy'])} on {cifar['test']['test_size']:,} images",
        names,
    )
    blocks.figure("cifar10_confusion.png", "Confusion matrix of the CIFAR-10 model.")


def _skipped(blocks: Blocks, study: dict, members: list) -> None:
    reasons = [s["reason"] for s in study.get("skipped", []) if s["dataset"] == "cifar10"]
    blocks.para(
        "CIFAR-10 was skipped: "
        + (reasons[0] if reasons else "it was not part of this study")
        + ". The study looks for it at --cifar-data PATH, $LENET_CIFAR10, the Keras cache "
        "(~/.keras/datasets, as Keras leaves it or as the cifar-10-python.tar.gz archive), "
        "then asks Keras to download it. Once it is there, run the same command again: "
        "finished runs are reused and only the CIFAR-10 model is trained."
    )
    for label, run in members:
        blocks.para(f"{label} with the base setting: {pct(run['test']['accuracy'])}.")


def _points(run: dict) -> str:
    drop = (run["robustness"]["clean"] - run["robustness"]["flip"]) * 100
    return f"{drop:.1f} points"
