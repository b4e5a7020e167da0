"""``lenet-train study``: its options, and the run from data to report.

Loads the data, builds the plan, lets :mod:`training.study.runner` train
what is not finished yet, writes the report (:mod:`training.study.report`)
and notes where it is for the app (:mod:`training.latest_report`).
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from pathlib import Path

from training.study.plan import (
    GROUP_TITLES,
    build_plan,
    datasets_needed,
    plan_runs,
    skip_dataset,
)

DESCRIPTION = (
    "Reproduce the classic LeNet-5 study (optimizers, batch sizes, pooling, activations, "
    "augmentation, robustness to rotation, shift and flip, MNIST against CIFAR-10 with the "
    "same layers) and write an HTML report with plots. Finished runs are kept: run the same "
    "command again to resume an interrupted study."
)


def default_out(args: argparse.Namespace) -> str:
    """The report folder when ``--out`` is not given."""
    return "reports/study-quick" if args.quick else "reports/study"


def add_study_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the options of ``lenet-train study`` to ``parser``; returns it."""
    parser.add_argument(
        "--quick", action="store_true", help="reduced study: a few minutes on a laptop CPU"
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="report folder (default: reports/study, or reports/study-quick)",
    )
    parser.add_argument(
        "--data", metavar="PATH", help="MNIST .npz (default: $LENET_MNIST, Keras cache, download)"
    )
    parser.add_argument(
        "--cifar-data",
        metavar="PATH",
        help="CIFAR-10 folder or .tar.gz for the 'dataset' comparison (default: "
        "$LENET_CIFAR10, Keras cache, download; when none is found the comparison is "
        "skipped and the report says why)",
    )
    parser.add_argument(
        "--epochs", type=int, metavar="N", help="epochs per run (default: 10, quick: 3)"
    )
    parser.add_argument(
        "--train-limit",
        type=int,
        metavar="N",
        help="use only the first N training images (default: all, quick: 12000)",
    )
    parser.add_argument(
        "--groups",
        metavar="LIST",
        help=f"comma-separated comparisons to run (default: all of {', '.join(GROUP_TITLES)})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def run(args: argparse.Namespace, command: str = "lenet-train study") -> int:
    """Run the study described by parsed options and print where its report is.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed :func:`add_study_options` options.
    command : str
        The command line, quoted in the report.

    Raises
    ------
    training.data.DataError
        MNIST cannot be found or read, or ``--cifar-data`` names bad data
        (CIFAR-10 that is merely not found is skipped instead).
    ValueError
        An unknown group or fewer than one epoch.
    """
    from training.data import DataError
    from training.datasets import load_dataset
    from training.latest_report import record_latest_report
    from training.study.report import write_report
    from training.study.runner import run_study

    # Keras warns once per run about an option the tf.data pipeline makes moot, and
    # TensorFlow about retracing when many models train in one process; both would
    # bury the progress bar.
    warnings.filterwarnings("ignore", message=".*shuffle=True.*")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    groups = [g.strip() for g in args.groups.split(",") if g.strip()] if args.groups else None
    plan = build_plan(args.quick, epochs=args.epochs, train_limit=args.train_limit, groups=groups)
    out = Path(args.out or default_out(args))
    datasets = {"mnist": load_dataset("mnist", args.data)}
    if "cifar10" in datasets_needed(plan):
        try:
            datasets["cifar10"] = load_dataset("cifar10", args.cifar_data)
        except DataError as exc:
            if args.cifar_data is not None:
                raise
            plan = skip_dataset(plan, "cifar10", str(exc))
            print(f"CIFAR-10 comparison skipped: {exc}", file=sys.stderr)
    fingerprints = {name: data.fingerprint for name, data in datasets.items()}
    sources = ", ".join(data.source for data in datasets.values())
    print(
        f"LeNet-5 study ({plan.name}): {len(plan_runs(plan, fingerprints))} models on "
        f"{sources}, results in {out}",
        file=sys.stderr,
    )
    study = run_study(plan, datasets, out, progress=not args.quiet, command=command)
    index = write_report(out, study)
    record_latest_report(index)
    print(f"Report: {index.resolve()}")
    return 0
