"""What a study trains: its comparisons, the settings of every model, and their run ids.

The base setting is the classic LeNet-5 (average pooling, tanh, Adam, batch
128, no augmentation); each comparison changes one thing of it. A run id
hashes everything that decides a run (configuration, data, evaluation
settings), so a finished run is found again by its id and settings shared by
several comparisons are trained once.

This module imports nothing else of the study (and no TensorFlow).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from training.config import Augmentation, TrainConfig

FORMAT = 1
"""Version of the run and study records."""
GROUP_TITLES = {
    "optimizer": "Optimizer",
    "batch_size": "Batch size",
    "pooling": "Pooling",
    "activation": "Activation",
    "augmentation": "Augmentation",
    "dataset": "Data set",
}
OPTIMIZER_RATES = {"sgd": 0.01, "sgd_momentum": 0.01, "adam": 1e-3, "rmsprop": 1e-3}
"""Keras's default learning rate of each optimizer, as the classic write-ups use them."""
OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "sgd_momentum": "SGD + momentum",
    "adam": "Adam",
    "rmsprop": "RMSprop",
}
FULL_BATCH_SIZES = (4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)
QUICK_BATCH_SIZES = (16, 64, 128, 256, 1024, 2048)
STUDY_AUGMENTATION = Augmentation(rotation=20.0, shift=3.0, zoom=0.1, thickness=0.3)
ROBUSTNESS_EVALS = 19
"""Test-set passes of ``robustness_curves``: clean, flip, 8 rotations, 9 shifts."""
CIFAR_EVALS = 2
"""Test-set passes of ``cifar_robustness``: as they are, mirrored."""
DATASET_LABELS = {"mnist": "MNIST", "cifar10": "CIFAR-10"}
LATER_FIELDS = {
    "dataset": "mnist",
    "mix": None,
    "writer_fold": None,
    "precision": "float32",
    **{
        f"augmentation.{name}": 0.0
        for name in ("elastic", "shear", "aspect", "blur", "low_res", "binarise")
    },
}
"""TrainConfig fields added after studies were first run, with their default: a run id
leaves a field out while it holds its default, so the finished runs of an earlier
study keep their ids and are reused. ``augmentation.NAME`` is a field of the
augmentation."""


@dataclass
class Experiment:
    """One model of the study and the comparison it appears in."""

    group: str
    label: str
    config: TrainConfig


@dataclass
class StudyPlan:
    """What a study trains and how much of the test set it evaluates on."""

    name: str
    experiments: list[Experiment]
    base: TrainConfig
    robustness_limit: int | None = None
    """Robustness curves use a seeded random subset of this many test images (None: all)."""
    notes: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    """Data sets left out because they could not be found: ``{"dataset", "title", "reason"}``."""


def base_config(epochs: int, train_limit: int | None) -> TrainConfig:
    """The classic LeNet-5 setting every comparison varies one thing of.

    Average pooling, tanh, Adam at 1e-3, batch 128, no augmentation; early
    stopping and the learning-rate schedule of :func:`training.train.train`
    are pushed beyond the last epoch, as the classic study has neither.
    """
    return TrainConfig(
        pooling="average",
        activation="tanh",
        optimizer="adam",
        learning_rate=OPTIMIZER_RATES["adam"],
        batch_size=128,
        epochs=epochs,
        early_stopping_patience=epochs + 1,
        reduce_lr_patience=epochs + 1,
        augmentation=Augmentation(),
        train_limit=train_limit,
    )


def build_plan(
    quick: bool = False,
    *,
    epochs: int | None = None,
    train_limit: int | None = None,
    groups: list[str] | None = None,
) -> StudyPlan:
    """The full study (10 epochs, batch 4 to 2048, MNIST and CIFAR-10) or its quick version.

    Parameters
    ----------
    quick : bool
        12,000 training images, 3 epochs, batch sizes 16 to 2048 and
        robustness on 2,000 test images: a few minutes on two CPU cores.
    epochs, train_limit : int, optional
        Override the plan's epochs and training-set size.
    groups : list of str, optional
        Run only these comparisons (keys of :data:`GROUP_TITLES`).

    Raises
    ------
    ValueError
        For an unknown group name, or fewer than one epoch.
    """
    unknown = sorted(set(groups or ()) - set(GROUP_TITLES))
    if unknown:
        raise ValueError(
            f"unknown study group {', '.join(unknown)} (choose from {', '.join(GROUP_TITLES)})"
        )
    if epochs is not None and epochs < 1:
        raise ValueError(f"epochs must be at least 1, not {epochs}")
    epochs = epochs or (3 if quick else 10)
    limit = train_limit if train_limit is not None else (12000 if quick else None)
    base = base_config(epochs, limit)
    batch_sizes = QUICK_BATCH_SIZES if quick else FULL_BATCH_SIZES
    experiments = []
    for name, label in OPTIMIZER_LABELS.items():
        config = replace(base, optimizer=name, learning_rate=OPTIMIZER_RATES[name])
        experiments.append(Experiment("optimizer", label, config))
    for size in batch_sizes:
        experiments.append(Experiment("batch_size", str(size), replace(base, batch_size=size)))
    for pooling in ("average", "max"):
        experiments.append(Experiment("pooling", pooling, replace(base, pooling=pooling)))
    for activation in ("tanh", "relu", "sigmoid"):
        experiments.append(
            Experiment("activation", activation, replace(base, activation=activation))
        )
    experiments.append(Experiment("augmentation", "off", base))
    experiments.append(
        Experiment("augmentation", "on", replace(base, augmentation=STUDY_AUGMENTATION))
    )
    for dataset, label in DATASET_LABELS.items():
        experiments.append(Experiment("dataset", label, replace(base, dataset=dataset)))
    if groups:
        experiments = [e for e in experiments if e.group in groups]
    notes = [
        f"Every model trains {epochs} epoch{'s' if epochs > 1 else ''} on "
        + (f"at most the first {limit:,} training images" if limit else "all training images")
        + " (10% held out for validation); the weights of the epoch with the lowest "
        "validation loss are kept.",
        "Base setting: average pooling, tanh, Adam (learning rate 0.001), batch 128, no "
        "augmentation; each comparison changes one thing. SGD and SGD + momentum (0.9, "
        "Nesterov) use learning rate 0.01, RMSprop 0.001 (the Keras defaults).",
        "Augmentation 'on': rotation ±20°, shift ±3 px, zoom ±10%, stroke thickness "
        "changes on 30% of images.",
    ]
    if any(e.group == "dataset" for e in experiments):
        notes.append(
            "Data set: the base setting also learns CIFAR-10 (32x32 colour photos of 10 "
            "classes) with the same layers, the same epochs and the same limit on training "
            "images."
        )
    if quick:
        notes.append(
            "Quick version: batch sizes 4 and 8 are left out (thousands of steps per epoch "
            "on a CPU); run without --quick for the whole range."
        )
    return StudyPlan(
        name="quick" if quick else "full",
        experiments=experiments,
        base=base,
        robustness_limit=2000 if quick else None,
        notes=notes,
    )


def run_id(config: TrainConfig, fingerprint: str, robustness_limit: int | None) -> str:
    """Readable, unique name of a run: its settings plus a hash of everything that decides it."""
    settings = config.to_dict()
    for name, default in LATER_FIELDS.items():
        group, _, key = name.rpartition(".")
        holder = settings.get(group, {}) if group else settings
        if key in holder and holder[key] == default:
            del holder[key]
    key = json.dumps(
        {"config": settings, "data": fingerprint, "robustness": robustness_limit},
        sort_keys=True,
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    aug = "aug" if config.augmentation.enabled else "noaug"
    data = "" if config.dataset == "mnist" else f"{config.dataset}-"
    return (
        f"{data}{config.optimizer}-b{config.batch_size}-{config.pooling}-{config.activation}"
        f"-{aug}-e{config.epochs}-{digest}"
    )


def experiment_run_id(plan: StudyPlan, config: TrainConfig, fingerprints: Mapping[str, str]):
    """The run id of one of ``plan``'s settings, with the fingerprint of its data set."""
    return run_id(config, fingerprints[config.dataset], plan.robustness_limit)


def plan_runs(plan: StudyPlan, fingerprints: Mapping[str, str]) -> dict[str, TrainConfig]:
    """The distinct runs of a plan, in plan order, by run id.

    ``fingerprints`` maps each data set the plan uses to its data's fingerprint.
    """
    runs: dict[str, TrainConfig] = {}
    for experiment in plan.experiments:
        runs.setdefault(experiment_run_id(plan, experiment.config, fingerprints), experiment.config)
    return runs


def datasets_needed(plan: StudyPlan) -> list[str]:
    """The data sets the plan's runs train on, MNIST first."""
    used = {experiment.config.dataset for experiment in plan.experiments}
    return [name for name in DATASET_LABELS if name in used]


def skip_dataset(plan: StudyPlan, dataset: str, reason: str) -> StudyPlan:
    """``plan`` without the runs on ``dataset``, noting why they were left out."""
    return replace(
        plan,
        experiments=[e for e in plan.experiments if e.config.dataset != dataset],
        skipped=[
            *plan.skipped,
            {"dataset": dataset, "title": DATASET_LABELS[dataset], "reason": reason},
        ],
    )


def plan_groups(plan: StudyPlan, fingerprints: Mapping[str, str]) -> list[dict]:
    """The plan's comparisons as the study record keeps them: name, title, members' run ids."""
    groups: list[dict] = []
    for experiment in plan.experiments:
        if not groups or groups[-1]["name"] != experiment.group:
            groups.append(
                {"name": experiment.group, "title": GROUP_TITLES[experiment.group], "members": []}
            )
        groups[-1]["members"].append(
            {
                "label": experiment.label,
                "run_id": experiment_run_id(plan, experiment.config, fingerprints),
            }
        )
    return groups


def train_images(config: TrainConfig, available: int) -> int:
    """Images a run trains on: its share of the training set after the validation split."""
    n = min(config.train_limit or available, available)
    return n - max(1, int(round(n * config.validation_split)))
