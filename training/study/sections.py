"""The sections of the study report: what it says, in order, and which figures it shows."""

from __future__ import annotations

from training.datasets import TITLES
from training.study import figures as plots
from training.study.analysis import (
    CLASSIC_STUDY,
    ROTATION_TOLERANCE,
    curve_at,
    estimate_full_study_seconds,
    rotation_holds_to,
    run_dataset,
)
from training.study.dataset_section import classic_cifar_text, dataset_section
from training.study.render import Blocks, duration, pct

SHORT_PREFIX = {"batch_size": "batch ", "augmentation": "augment "}
CLASSIC_OPTIMIZERS = {
    "SGD": CLASSIC_STUDY["sgd_accuracy_10_epochs"],
    "Adam": CLASSIC_STUDY["adam_accuracy_10_epochs"],
}


def run_names(study: dict) -> dict[str, str]:
    """A short name per run: ``base`` for the base setting, else what it changes."""
    names = {study["base_run"]: "base"}
    for group in study["groups"]:
        for member in group["members"]:
            names.setdefault(
                member["run_id"], SHORT_PREFIX.get(group["name"], "") + member["label"]
            )
    return names


def build_blocks(study: dict) -> tuple[Blocks, dict[str, bytes]]:
    """The report's blocks and its figures (file name to PNG bytes)."""
    blocks, figures = Blocks(), {}
    _summary(blocks, study)
    _classic(blocks, study)
    for group in study["groups"]:
        if group["name"] == "dataset":
            dataset_section(blocks, figures, study, group)
        else:
            _group(blocks, figures, study, group)
    _confusion(blocks, figures, study)
    _all_runs(blocks, study)
    blocks.heading("Files")
    blocks.para(
        "runs/<run id>.json holds every figure of a run (configuration, history, epoch times, "
        "confusion matrix, robustness curves); study.json holds them all; report.md is this "
        "report in Markdown. Running the same command again reuses finished runs, so an "
        "interrupted study resumes where it stopped."
    )
    return blocks, figures


def digit_runs(study: dict) -> dict[str, dict]:
    """The study's MNIST runs by run id (every run but the CIFAR-10 one)."""
    return {rid: run for rid, run in study["runs"].items() if run_dataset(run) == "mnist"}


def _summary(blocks: Blocks, study: dict) -> None:
    machine, timing, runs = study["machine"], study["timing"], study["runs"]
    any_run = runs.get(study["base_run"]) or next(iter(digit_runs(study).values()))
    blocks.para(f"Made by `{study['command']}` on {study['created']}.")
    blocks.para(
        f"Machine: trained on {machine['device']}; processor {machine['cpu']} "
        f"({machine['cores']} cores available); {machine['os']}; Python {machine['python']}, "
        f"TensorFlow {machine['tensorflow']}, Keras {machine['keras']}."
    )
    devices = sorted({r["device"] for r in runs.values()})
    if devices != [machine["device"]]:
        blocks.para("Runs reused from earlier invocations trained on: " + ", ".join(devices) + ".")
    blocks.para(
        f"Time: this invocation took {duration(timing['session_seconds'])} "
        f"({timing['runs_trained']} runs trained, {timing['runs_reused']} reused from an earlier "
        f"invocation). Training and evaluating all {len(runs)} runs took "
        f"{duration(timing['compute_seconds'])} in total."
    )
    data = any_run["data"]
    blocks.para(
        f"Data: {study['data']['source']}. Each MNIST run trains on {data['train_images']:,} "
        "images; "
        f"test accuracy is measured on all {data['test_images']:,} test images, robustness on "
        + (
            f"a seeded random subset of {data['robustness_images']:,} test images."
            if data["robustness_images"] < data["test_images"]
            else "the whole test set."
        )
    )
    for name, data in study.get("datasets", {}).items():
        if name != "mnist":
            blocks.para(
                f"CIFAR-10: {data['source']} ({data['train_size']:,} training and "
                f"{data['test_size']:,} test images), for the data-set comparison."
            )
    for skipped in study.get("skipped", []):
        blocks.para(f"{skipped['title']} was skipped: {skipped['reason']}.")
    estimate = estimate_full_study_seconds(study)
    if estimate is not None:
        blocks.para(
            "Estimated time of the full study (no --quick) on this machine at this run's speed: "
            f"about {duration(estimate)} (training time per image fitted against batch size "
            "from the runs above; an estimate, not a measurement)."
        )
    blocks.bullets(
        study["notes"]
        + [
            "s/epoch is the fastest epoch after the first (the first also builds the graph; "
            "the fastest is the one least slowed by other programs); 'Training' is the whole "
            "fit, validation included."
        ]
    )


def _classic(blocks: Blocks, study: dict) -> None:
    runs = study["runs"]
    members = {
        (g["name"], m["label"]): runs[m["run_id"]] for g in study["groups"] for m in g["members"]
    }
    rows = []
    for label, key in (("Plain SGD", "SGD"), ("Adam", "Adam")):
        run = members.get(("optimizer", key))
        if run is not None:
            rows.append(
                [
                    f"{label}, test accuracy",
                    f"~{CLASSIC_OPTIMIZERS[key] * 100:.0f}% after 10 epochs",
                    f"{pct(run['test']['accuracy'])} after {plots.epochs_text(run['epochs_run'])}",
                ]
            )
    base = runs.get(study["base_run"])
    if base is not None:
        curves = base["robustness"]
        rows.append(
            [
                "Upright → horizontally flipped",
                f"{CLASSIC_STUDY['flip_clean_accuracy'] * 100:.0f}% → "
                f"{CLASSIC_STUDY['flip_accuracy'] * 100:.0f}%",
                f"{pct(curves['clean'])} → {pct(curves['flip'])}",
            ]
        )
        rows.append(
            [
                "Random rotation",
                f"good to ~{CLASSIC_STUDY['rotation_good_up_to_degrees']}°, then falling",
                f"within {ROTATION_TOLERANCE * 100:.0f} points of upright up to "
                f"±{rotation_holds_to(curves)}°; "
                f"±45°: {pct(curve_at(curves['rotation'], 45))}, "
                f"±90°: {pct(curve_at(curves['rotation'], 90))}",
            ]
        )
        rows.append(
            [
                "Random horizontal shift",
                CLASSIC_STUDY["shift"],
                ", ".join(
                    f"±{s} px: {pct(curve_at(curves['shift'], s))}"
                    for s in (2, 4, 6, 8)
                    if curve_at(curves["shift"], s) is not None
                ),
            ]
        )
    cifar = members.get(("dataset", "CIFAR-10"))
    if cifar is not None:
        rows.append(
            [
                "LeNet on CIFAR-10, test accuracy",
                classic_cifar_text(),
                f"{pct(cifar['test']['accuracy'])} after {plots.epochs_text(cifar['epochs_run'])}",
            ]
        )
    if rows:
        blocks.heading("Classic study beside ours")
        blocks.para(
            "The classic figures are the approximate ones quoted in the well-known LeNet-5 "
            "write-ups; 'ours' are measured by this run (robustness on the base model)."
        )
        blocks.table(["Finding", "Classic study (approx.)", "This run"], rows)


def _group(blocks: Blocks, figures: dict, study: dict, group: dict) -> None:
    runs = study["runs"]
    labels = [m["label"] for m in group["members"]]
    members = [runs[m["run_id"]] for m in group["members"]]
    name, title = group["name"], group["title"]
    blocks.heading(title)
    rows = []
    for label, run in zip(labels, members, strict=True):
        curves = run["robustness"]
        rows.append(
            [
                label,
                pct(run["test"]["accuracy"]),
                pct(curves["flip"]),
                pct(curve_at(curves["rotation"], 30)),
                pct(curve_at(curves["shift"], 4)),
                f"{run['seconds_per_epoch']:.2f}",
                duration(run["train_seconds"]),
            ]
        )
    blocks.table(
        [title, "Test accuracy", "Flipped", "Rotation ±30°", "Shift ±4 px", "s/epoch", "Training"],
        rows,
    )
    if name == "batch_size":
        figures[f"{name}.png"] = plots.batch_size_plot(labels, members)
        caption = "Test accuracy and seconds per epoch against batch size (same epochs for all)."
    else:
        reference = CLASSIC_OPTIMIZERS if name == "optimizer" else {}
        figures[f"{name}.png"] = plots.accuracy_bars(title, labels, members, reference)
        caption = f"Test accuracy by {title.lower()}" + (
            "; red diamonds: classic study after 10 epochs." if reference else "."
        )
    blocks.figure(f"{name}.png", caption)
    figures[f"{name}_curves.png"] = plots.learning_curves(title, labels, members)
    blocks.figure(f"{name}_curves.png", f"Learning curves by {title.lower()}.")
    figures[f"{name}_robustness.png"] = plots.robustness_plot(title, labels, members, CLASSIC_STUDY)
    blocks.figure(
        f"{name}_robustness.png",
        "Accuracy against random rotation range, random horizontal shift range, and under "
        "horizontal flip; red: classic study.",
    )


def _confusion(blocks: Blocks, figures: dict, study: dict) -> None:
    runs, names = digit_runs(study), run_names(study)
    blocks.heading("Confusion matrices")
    main_id = study["base_run"] if study["base_run"] in runs else next(iter(runs))
    main = runs[main_id]
    figures["confusion_base.png"] = plots.confusion_matrix_plot(
        main["test"]["confusion_matrix"],
        f"{names[main_id]} model: {pct(main['test']['accuracy'])} on "
        f"{main['test']['test_size']:,} test images",
    )
    blocks.figure("confusion_base.png", f"Confusion matrix of the {names[main_id]} model.")
    figures["confusion_all.png"] = plots.confusion_grid(
        [names[rid] for rid in runs], list(runs.values())
    )
    blocks.figure("confusion_all.png", "Errors of every MNIST run, on one colour scale.")


def _all_runs(blocks: Blocks, study: dict) -> None:
    names = run_names(study)
    rows = []
    for rid, run in study["runs"].items():
        config = run["config"]
        aug = config["augmentation"]
        aug_text = (
            f"rot {aug['rotation']:g}°, shift {aug['shift']:g}, zoom {aug['zoom']:g}, "
            f"thick {aug['thickness']:g}"
            if any(aug.values())
            else "off"
        )
        rows.append(
            [
                names[rid],
                TITLES[config.get("dataset", "mnist")],
                config["optimizer"],
                f"{config['learning_rate']:g}",
                str(config["batch_size"]),
                config["pooling"],
                config["activation"],
                aug_text,
                str(run["epochs_run"]),
                f"{run['data']['train_images']:,}",
                pct(run["test"]["accuracy"]),
                pct(run["robustness"]["flip"]),
                f"{run['seconds_per_epoch']:.2f}",
                duration(run["train_seconds"]),
                duration(run["eval_seconds"]),
                rid,
            ]
        )
    blocks.heading("Every run")
    blocks.table(
        [
            "Run",
            "Data",
            "Optimizer",
            "LR",
            "Batch",
            "Pooling",
            "Activation",
            "Augmentation",
            "Epochs",
            "Train images",
            "Test accuracy",
            "Flipped",
            "s/epoch",
            "Training",
            "Evaluation",
            "Run id",
        ],
        rows,
    )
