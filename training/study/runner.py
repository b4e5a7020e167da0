"""Train and measure every run of a study that is not finished yet, and keep the records.

Every finished run is written at once to ``OUT/runs/<run_id>.json``, so the
same command run again after an interruption reuses finished runs and trains
only the rest; when all are done the whole study goes to ``OUT/study.json``.
Writing the report is the next layer's job (:mod:`training.study.report`).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np

import training.train as train_module
from training.atomic import write_json_atomic
from training.config import TrainConfig
from training.study.plan import (
    CIFAR_EVALS,
    FORMAT,
    StudyPlan,
    experiment_run_id,
    plan_groups,
    plan_runs,
    train_images,
)
from training.study.progress import StudyProgress, eval_images, run_cost
from training.train import TrainingListener

log = logging.getLogger(__name__)


class EpochTimer(TrainingListener):
    """Records how long each epoch (with its validation pass) takes."""

    def __init__(self) -> None:
        self.marks: list[float] = []

    def on_train_begin(self, info: dict) -> None:
        """Start the clock."""
        self.marks = [time.perf_counter()]

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """Note the time."""
        self.marks.append(time.perf_counter())

    @property
    def epoch_seconds(self) -> list[float]:
        """Seconds of each finished epoch."""
        return [b - a for a, b in zip(self.marks, self.marks[1:], strict=False)]


def robustness_subset(x: np.ndarray, y: np.ndarray, limit: int | None, seed: int = 0):
    """A seeded random subset of ``limit`` test images (all of them when None or more)."""
    if limit is None or limit >= len(x):
        return x, y
    keep = np.sort(np.random.default_rng(seed).choice(len(x), size=limit, replace=False))
    return x[keep], y[keep]


def steady_epoch_seconds(epoch_seconds: list[float]) -> float:
    """Seconds per epoch: the fastest epoch after the first.

    The first epoch also builds the graph; of the others the fastest is the
    one least slowed down by other programs on the machine (as ``timeit``
    reports the best of its repeats).
    """
    if not epoch_seconds:
        return 0.0
    return float(min(epoch_seconds[1:] or epoch_seconds))


def train_and_evaluate(
    config: TrainConfig, data, robustness_limit: int | None, listeners=()
) -> dict:
    """Train one model of the study and measure it.

    Returns
    -------
    dict
        The run record: ``config``, ``data``, ``device``, ``history``,
        ``epoch_seconds``, ``seconds_per_epoch``, ``train_seconds``,
        ``eval_seconds``, ``test`` (accuracy, per-class accuracy, confusion
        matrix), ``robustness`` (for digits the curves of
        :func:`training.evaluate.robustness_curves`, for CIFAR-10
        :func:`training.cifar_evaluate.cifar_robustness` on the whole test set)
        and ``parameters``, plain JSON types.
    """
    import keras

    from training.cifar_evaluate import cifar_robustness
    from training.evaluate import evaluate_model, robustness_curves

    timer = EpochTimer()
    result = train_module.train(config, data, listeners=[timer, *listeners])
    started = time.perf_counter()
    test = evaluate_model(result.model, data.x_test, data.y_test)
    test.pop("misclassified", None)
    if config.dataset == "cifar10":
        # Rotation and shift curves are made for 28x28 digits; mirroring is the photo test.
        x_robust = data.x_test
        curves = cifar_robustness(result.model, data.x_test, data.y_test)
    else:
        x_robust, y_robust = robustness_subset(data.x_test, data.y_test, robustness_limit)
        curves = robustness_curves(result.model, x_robust, y_robust)
    parameters = int(result.model.count_params())
    eval_seconds = time.perf_counter() - started
    keras.backend.clear_session()
    epochs = timer.epoch_seconds
    return {
        "format": FORMAT,
        "config": config.to_dict(),
        "data": {
            "dataset": config.dataset,
            "source": data.source,
            "fingerprint": data.fingerprint,
            "train_images": train_images(config, len(data.x_train)),
            "test_images": int(len(data.x_test)),
            "robustness_images": int(len(x_robust)),
        },
        "device": result.device,
        "precision": result.precision,
        "host": platform.platform(),
        "epochs_run": result.epochs_run,
        "history": result.history,
        "parameters": parameters,
        "epoch_seconds": [round(s, 3) for s in epochs],
        "seconds_per_epoch": round(steady_epoch_seconds(epochs), 3),
        "train_seconds": round(result.seconds, 2),
        "eval_seconds": round(eval_seconds, 2),
        "test": test,
        "robustness": curves,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def machine_info() -> dict:
    """What the study ran on: device, processor, cores, OS and library versions."""
    import keras
    import tensorflow as tf

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "device": train_module.training_device(),
        "cpu": cpu,
        "cores": cores,
        "os": platform.platform(),
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }


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
    datasets: Mapping[str, object],
    out_dir: str | os.PathLike,
    *,
    progress: bool = True,
    command: str = "lenet-train study",
    console=None,
) -> dict:
    """Train and evaluate every run not finished yet; save and return the study record.

    Parameters
    ----------
    plan : StudyPlan
    datasets : mapping
        Data set name (``"mnist"``, ``"cifar10"``) to its data
        (:class:`training.data.MnistData`, :class:`training.cifar.CifarData`),
        for every data set the plan trains on.
    out_dir : path-like
        Gets ``runs/<run_id>.json`` per run and ``study.json``.
    progress : bool
        Draw the study's progress on stderr (:class:`StudyProgress`).
    command : str
        The command line, kept for the report.
    console : rich.console.Console, optional
        Draw the progress there instead of on stderr.

    Returns
    -------
    dict
        The study record, as saved in ``study.json``: plan name, notes,
        groups and their members' run ids, data sets (and those skipped),
        machine, timing and every run's record (see :func:`train_and_evaluate`).
    """
    out = Path(out_dir)
    runs_dir = out / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    fingerprints = {name: data.fingerprint for name, data in datasets.items()}
    planned = plan_runs(plan, fingerprints)
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
    costs = {rid: _cost(config, datasets[config.dataset], plan) for rid, config in todo.items()}
    bar = StudyProgress(costs, enabled=progress, console=console)
    try:
        for rid, config in todo.items():
            bar.start_run(rid, config)
            data = datasets[config.dataset]
            record = train_and_evaluate(config, data, plan.robustness_limit, listeners=[bar])
            record["run_id"] = rid
            write_json_atomic(runs_dir / f"{rid}.json", record)
            records[rid] = record
            bar.finish_run()
    finally:
        bar.close()

    mnist = datasets["mnist"]
    study = {
        "format": FORMAT,
        "plan": plan.name,
        "created": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "command": command,
        "notes": plan.notes,
        "base_run": experiment_run_id(plan, plan.base, fingerprints),
        "groups": plan_groups(plan, fingerprints),
        "data": _data_summary(mnist),
        "datasets": {name: _data_summary(data) for name, data in datasets.items()},
        "skipped": plan.skipped,
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
    return study


def _cost(config: TrainConfig, data, plan: StudyPlan) -> tuple[float, float]:
    test = len(data.x_test)
    if config.dataset == "cifar10":
        evaluated = test * (1 + CIFAR_EVALS)
    else:
        evaluated = eval_images(test, plan.robustness_limit)
    return run_cost(config, len(data.x_train), evaluated)


def _data_summary(data) -> dict:
    return {
        "source": data.source,
        "train_size": int(len(data.x_train)),
        "test_size": int(len(data.x_test)),
    }
