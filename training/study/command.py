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

from training.study.plan import GROUP_TITLES, build_plan, plan_runs

DESCRIPTION = (
    "Reproduce the classic LeNet-5 study (optimizers, batch sizes, pooling, activations, "
    "augmentation, robustness to rotation, shift and flip) and write an HTML report with "
    "plots. Finished runs are kept: run the same command again to resume an interrupted study."
)


def add_study_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the options of ``lenet-train study`` to ``parser``; returns it."""
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
        MNIST cannot be found or read.
    ValueError
        An unknown group or fewer than one epoch.
    """
    from training.data import load_mnist
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
    out = Path(args.out or ("reports/study-quick" if args.quick else "reports/study"))
    data = load_mnist(args.data)
    print(
        f"LeNet-5 study ({plan.name}): {len(plan_runs(plan, data.fingerprint))} models on "
        f"{data.source}, results in {out}",
        file=sys.stderr,
    )
    study = run_study(plan, data, out, progress=not args.quiet, command=command)
    index = write_report(out, study)
    record_latest_report(index)
    print(f"Report: {index.resolve()}")
    return 0
