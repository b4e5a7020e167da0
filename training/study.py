"""``lenet-train study``: the classic LeNet-5 study, run on this machine, as a report.

The study trains one LeNet-5 per setting (optimizer, batch size, pooling,
activation, augmentation), measures test accuracy, time per epoch and
robustness (accuracy against rotation range, shift range and flip), and writes
an HTML + Markdown report with plots (:mod:`training.report`).

Every finished run is written at once to ``OUT/runs/<run_id>.json``; the run
id hashes the configuration, the data and the evaluation settings, so running
the same command again after an interruption reuses finished runs and trains
only the rest. Settings shared by several comparisons (the base model is the
Adam run of the optimizer comparison, the batch-128 run of the batch-size
comparison, and so on) are trained once.

Importing this module is cheap (no TensorFlow), so the app can call
:func:`latest_report_path`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import time
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from training.atomic import write_json_atomic
from training.config import Augmentation, TrainConfig
from training.latest_report import record_latest_report

log = logging.getLogger(__name__)

FORMAT = 1
GROUP_TITLES = {
    "optimizer": "Optimizer",
    "batch_size": "Batch size",
    "pooling": "Pooling",
    "activation": "Activation",
    "augmentation": "Augmentation",
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
    """The full study (MNIST, 10 epochs, batch 4 to 2048) or its quick version.

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
        For an unknown group name.
    """
    unknown = sorted(set(groups or ()) - set(GROUP_TITLES))
    if unknown:
        raise ValueError(
            f"unknown study group {', '.join(unknown)} (choose from {', '.join(GROUP_TITLES)})"
        )
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
    key = json.dumps(
        {"config": config.to_dict(), "data": fingerprint, "robustness": robustness_limit},
        sort_keys=True,
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    aug = "aug" if config.augmentation.enabled else "noaug"
    return (
        f"{config.optimizer}-b{config.batch_size}-{config.pooling}-{config.activation}"
        f"-{aug}-e{config.epochs}-{digest}"
    )


def plan_runs(plan: StudyPlan, fingerprint: str) -> dict[str, TrainConfig]:
    """The distinct runs of a plan, in plan order, by run id."""
    runs: dict[str, TrainConfig] = {}
    for experiment in plan.experiments:
        runs.setdefault(
            run_id(experiment.config, fingerprint, plan.robustness_limit), experiment.config
        )
    return runs


def load_finished_run(path: Path) -> dict | None:
    """A run record written by an earlier study, or None when absent or unreadable."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT or "test" not in record:
        return None
    return record


def run_study(
    plan: StudyPlan,
    data,
    out_dir: str | os.PathLike,
    *,
    progress: bool = True,
    command: str = "lenet-train study",
) -> Path:
    """Train and evaluate every run not finished yet, then write the report.

    Parameters
    ----------
    plan : StudyPlan
    data : training.data.MnistData
    out_dir : path-like
        Gets ``runs/<run_id>.json`` per run, ``study.json``, ``index.html``,
        ``report.md`` and ``figures/``.
    progress : bool
        Draw a progress bar over the whole study on stderr.
    command : str
        The command line, quoted in the report.

    Returns
    -------
    pathlib.Path
        The report's ``index.html``. Its absolute path is also recorded for
        :func:`latest_report_path`.
    """
    from training.report import write_report
    from training.study_runner import StudyProgress, machine_info, train_and_evaluate

    out = Path(out_dir)
    runs_dir = out / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    planned = plan_runs(plan, data.fingerprint)
    records: dict[str, dict] = {}
    todo: dict[str, TrainConfig] = {}
    for rid, config in planned.items():
        record = load_finished_run(runs_dir / f"{rid}.json")
        if record is not None:
            records[rid] = record
        else:
            todo[rid] = config
    if records:
        log.info("reusing %d finished run(s) from %s", len(records), runs_dir)
    bar = StudyProgress(todo, data, plan.robustness_limit, enabled=progress)
    for rid, config in todo.items():
        bar.start_run(rid, config)
        record = train_and_evaluate(config, data, plan.robustness_limit, listeners=[bar])
        record["run_id"] = rid
        write_json_atomic(runs_dir / f"{rid}.json", record)
        records[rid] = record
        bar.finish_run()
    bar.close()

    study = {
        "format": FORMAT,
        "plan": plan.name,
        "created": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "command": command,
        "notes": plan.notes,
        "base_run": run_id(plan.base, data.fingerprint, plan.robustness_limit),
        "groups": _groups(plan, data.fingerprint),
        "data": {
            "source": data.source,
            "train_size": int(len(data.x_train)),
            "test_size": int(len(data.x_test)),
        },
        "machine": machine_info(),
        "timing": {
            "session_seconds": round(time.perf_counter() - started, 1),
            "runs_trained": len(todo),
            "runs_reused": len(planned) - len(todo),
            "compute_seconds": round(
                sum(r["train_seconds"] + r["eval_seconds"] for r in records.values()), 1
            ),
        },
        "runs": {rid: records[rid] for rid in planned},
    }
    write_json_atomic(out / "study.json", study)
    index = write_report(out, study)
    record_latest_report(index)
    return index


def _groups(plan: StudyPlan, fingerprint: str) -> list[dict]:
    groups: list[dict] = []
    for experiment in plan.experiments:
        if not groups or groups[-1]["name"] != experiment.group:
            groups.append(
                {"name": experiment.group, "title": GROUP_TITLES[experiment.group], "members": []}
            )
        groups[-1]["members"].append(
            {
                "label": experiment.label,
                "run_id": run_id(experiment.config, fingerprint, plan.robustness_limit),
            }
        )
    return groups


def build_parser() -> argparse.ArgumentParser:
    """Parser of ``lenet-train study``."""
    parser = argparse.ArgumentParser(
        prog="lenet-train study",
        description="Reproduce the classic LeNet-5 study (optimizers, batch sizes, pooling, "
        "activations, augmentation, robustness to rotation, shift and flip) and write an "
        "HTML report with plots. Finished runs are kept: run the same command again to "
        "resume an interrupted study.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="reduced study: a few minutes on a laptop CPU"
    )
    parser.add_argument(
        "--out", help="report folder (default: reports/study, or reports/study-quick)"
    )
    parser.add_argument("--data", help="MNIST .npz (default: $LENET_MNIST, Keras cache, download)")
    parser.add_argument("--epochs", type=int, help="epochs per run (default: 10, quick: 3)")
    parser.add_argument("--train-limit", type=int, help="use only the first N training images")
    parser.add_argument(
        "--groups",
        help=f"comma-separated comparisons to run (default: all of {','.join(GROUP_TITLES)})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None, *, data=None) -> int:
    """Entry point of ``lenet-train study``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments after ``study``.
    data : training.data.MnistData, optional
        Study this data set instead of loading MNIST (tests use generated data).
    """
    argv = list(sys.argv[2:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    # Keras warns once per run about an option the tf.data pipeline makes moot, and
    # TensorFlow about retracing when many models train in one process; both would
    # bury the progress bar.
    warnings.filterwarnings("ignore", message=".*shuffle=True.*")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    if args.epochs is not None and args.epochs < 1:
        raise ValueError(f"--epochs must be at least 1, not {args.epochs}")
    groups = [g.strip() for g in args.groups.split(",") if g.strip()] if args.groups else None
    plan = build_plan(args.quick, epochs=args.epochs, train_limit=args.train_limit, groups=groups)
    out = Path(args.out or ("reports/study-quick" if args.quick else "reports/study"))
    if data is None:
        from training.data import load_mnist

        data = load_mnist(args.data)
    print(
        f"LeNet-5 study ({plan.name}): {len(plan_runs(plan, data.fingerprint))} models on "
        f"{data.source}, results in {out}",
        file=sys.stderr,
    )
    command = " ".join(["lenet-train", "study", *argv])
    index = run_study(plan, data, out, progress=not args.quiet, command=command)
    print(f"Report: {index.resolve()}")
    return 0
