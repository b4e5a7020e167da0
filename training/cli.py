"""``lenet-train``: train, evaluate and study LeNet-5 from a terminal.

Usage::

    lenet-train train --out PATH [options]   train and save a model (``train`` may be left out)
    lenet-train evaluate MODEL [--json F]    test accuracy and robustness of a saved model
    lenet-train study [--quick] [--out DIR]  the classic LeNet-5 study as an HTML report

Errors a user can cause (missing or malformed data, a bad model file, an
option out of range) print ``lenet-train: error: ...`` and exit with 1;
argparse's own usage errors exit with 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shlex
import sys
import time

from training.config import DATASETS
from training.data import DataError
from training.model_io import ModelLoadError
from training.train_options import DATA_HELP, add_train_options, config_from_args
from training.user_paths import (
    PathError,
    check_output_file,
    check_output_folder,
    os_error_words,
)

SUBCOMMANDS = ("train", "evaluate", "study")


def add_evaluate_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the arguments of ``lenet-train evaluate`` to ``parser``; returns it."""
    parser.add_argument("model", help=".keras model file")
    parser.add_argument(
        "--dataset",
        choices=DATASETS,
        help="the test set to use (default: the one in the model's sidecar, else mnist)",
    )
    parser.add_argument("--data", metavar="PATH", help=DATA_HELP)
    parser.add_argument(
        "--json", metavar="FILE", help="also write the figures as JSON ('-' for stdout)"
    )
    parser.add_argument(
        "--real-data",
        metavar="FOLDER",
        help="folder with pendigits-orig.tra and optdigits-orig.tra for the per-source "
        "figures of digit models (default: $LENET_REAL_DATA; left out when not found)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the random distortions")
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The ``lenet-train`` parser with its ``train``, ``evaluate`` and ``study`` subcommands."""
    from training.study.command import DESCRIPTION as STUDY_DESCRIPTION
    from training.study.command import add_study_options

    parser = argparse.ArgumentParser(
        prog="lenet-train",
        description="Train, evaluate and study the LeNet-5 that LeNet Desktop uses: on MNIST "
        "digits (what the app reads), on a mix of MNIST and real handwriting (--mix "
        "mnist:1,pendigits:3,optdigits:10: real pen trajectories drawn as the canvas draws "
        "them and real scanned bitmaps, UCI, CC BY 4.0, split by writer; --real-data or "
        "$LENET_REAL_DATA names their folder), or on CIFAR-10 colour photos for comparison "
        "(--dataset cifar10).",
        epilog="Without a subcommand, 'lenet-train --out PATH [options]' means "
        "'lenet-train train --out PATH [options]'. 'lenet-train COMMAND --help' lists "
        "the options of each.",
    )
    commands = parser.add_subparsers(title="subcommands", dest="command", metavar="COMMAND")
    train = commands.add_parser(
        "train",
        help="train LeNet-5 and save it with a metrics sidecar (the default)",
        description="Train LeNet-5, evaluate it on the test set and save it as a .keras "
        "file with a JSON sidecar (settings, data fingerprint, history, test figures).",
        usage="lenet-train [train] --out PATH [options]",
    )
    add_train_options(train).set_defaults(handler=run_training)
    evaluate = commands.add_parser(
        "evaluate",
        help="test accuracy, per-class accuracy and robustness of a saved model",
        description="Evaluate a saved model on the test set: accuracy, per-class accuracy, "
        "confusion matrix and accuracy under flip, rotation and shift (CIFAR-10 models: "
        "under flip). Digit models are also measured per source: MNIST test, the held-out "
        "writers of the real pen trajectories drawn as on the canvas, of the real scans "
        "(32x32, and at 16x16 binary and grey), and MNIST within ±30° rotation.",
    )
    add_evaluate_options(evaluate).set_defaults(handler=run_evaluate)
    study = commands.add_parser(
        "study",
        help="the classic LeNet-5 study (optimizers, batch sizes, ..., MNIST against "
        "CIFAR-10) as an HTML report",
        description=STUDY_DESCRIPTION,
    )
    add_study_options(study).set_defaults(handler=run_study)
    return parser


def run_training(args: argparse.Namespace) -> int:
    """Train, evaluate on the test set, and save model + sidecar.

    Returns 2 (a usage error, like argparse's) when ``--out`` is not a ``.keras`` path.
    """
    if not args.out.endswith(".keras"):
        print(f"lenet-train: error: --out must end in .keras, not {args.out!r}", file=sys.stderr)
        return 2
    # Every path is checked before the data is loaded and long before training ends.
    from training.model_io import sidecar_path

    check_output_file(args.out, "model")
    check_output_file(sidecar_path(args.out), "model's sidecar")
    config = config_from_args(args)
    check_data_path(config.dataset, args.data)
    from training.datasets import TITLES, load_dataset
    from training.model_io import save_model
    from training.train import train

    data = load_dataset(config.dataset, args.data)
    print(
        f"{TITLES[config.dataset]} from {data.source} "
        f"({len(data.x_train)} train, {len(data.x_test)} test)"
    )
    verbose = 0 if args.quiet else (1 if sys.stdout.isatty() else 2)
    result = train(config, data, verbose=verbose, real_data=args.real_data)
    print(
        f"Trained on {result.device}, {result.precision}, in {result.seconds:.1f} s "
        f"({result.epochs_run} epochs)"
    )
    report, robust, curves = measure(result.model, data, config.dataset, curves=True)
    metadata = build_metadata(result, data, report, robust, command=command_line(args))
    if curves is not None:
        metadata["robustness_curves"] = curves
    sources = None
    if config.dataset == "mnist":
        from training.source_eval import source_figures

        sources = source_figures(result.model, data, robust, args.real_data, config.writer_fold)
        metadata["sources"] = sources
        metadata["data"]["real_sources"] = result.sources
    path = save_model(result.model, args.out, metadata)
    print(describe(report, robust, config.dataset, sources))
    print(f"\nSaved {path} and {path.with_suffix('.json')}")
    return 0


def measure(model, data, dataset: str, *, seed: int = 0, curves: bool = False):
    """Test figures of ``model`` on ``data``'s test set.

    Returns
    -------
    tuple
        (:func:`training.evaluate.evaluate_model` report, robustness, curves):
        for digits :func:`training.evaluate.robustness` and, when ``curves``,
        :func:`training.evaluate.robustness_curves`; for CIFAR-10
        :func:`training.cifar_evaluate.cifar_robustness` and no curves.
    """
    from training.evaluate import evaluate_model, robustness, robustness_curves

    report = evaluate_model(model, data.x_test, data.y_test)
    if dataset == "cifar10":
        from training.cifar_evaluate import cifar_robustness

        return report, cifar_robustness(model, data.x_test, data.y_test), None
    robust = robustness(model, data.x_test, data.y_test, seed=seed)
    return report, robust, (robustness_curves(model, data.x_test, data.y_test) if curves else None)


def describe(report: dict, robust: dict | None, dataset: str, sources: dict | None = None) -> str:
    """The text ``lenet-train`` prints for a model's test figures (and per-source figures)."""
    if dataset == "cifar10":
        from training.cifar_evaluate import format_cifar_report
        from training.datasets import class_names

        return format_cifar_report(report, robust, class_names(dataset))
    from training.evaluate import format_report

    text = format_report(report, robust)
    if sources:
        from training.source_eval import format_sources

        text += "\n\n" + format_sources(sources)
    return text


def build_metadata(result, data, report: dict, robust: dict | None, command: str = "") -> dict:
    """Sidecar contents for a freshly trained model."""
    from training.datasets import INPUT_SHAPES, class_names

    return {
        "format": 1,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": command,
        "config": result.config.to_dict(),
        "data": {
            "dataset": result.config.dataset,
            "source": data.source,
            "fingerprint": data.fingerprint,
            "train_size": int(len(data.x_train)),
            "test_size": int(len(data.x_test)),
            "input_shape": list(INPUT_SHAPES[result.config.dataset]),
            "class_names": list(class_names(result.config.dataset)),
        },
        "device": result.device,
        "precision": result.precision,
        "host": platform.platform(),
        "training_seconds": round(result.seconds, 2),
        "epochs_run": result.epochs_run,
        "history": result.history,
        "parameters": int(result.model.count_params()),
        "input_range": [0.0, 1.0],
        "test": report,
        "test_accuracy": report["accuracy"],
        "robustness": robust,
    }


def command_line(args: argparse.Namespace) -> str:
    """The command that is running, as the user typed it (quoted for a shell)."""
    return shlex.join(["lenet-train", *args.typed])


def run_evaluate(args: argparse.Namespace) -> int:
    """``lenet-train evaluate MODEL [--dataset D] [--data F] [--json F]``."""
    from training.atomic import write_json_atomic
    from training.datasets import INPUT_SHAPES, load_dataset
    from training.model_io import load_model, read_sidecar

    if args.json and args.json != "-":
        check_output_file(args.json, "JSON file")
    trained = read_sidecar(args.model).get("config", {})
    dataset = args.dataset or trained.get("dataset", "mnist")
    if dataset not in DATASETS:
        raise ValueError(f"the sidecar of {args.model} names an unknown data set {dataset!r}")
    check_data_path(dataset, args.data)
    model = load_model(args.model, input_shape=INPUT_SHAPES[dataset])
    data = load_dataset(dataset, args.data)
    report, robust, _ = measure(model, data, dataset, seed=args.seed)
    sources = None
    if dataset == "mnist":
        from training.source_eval import source_figures

        sources = source_figures(model, data, robust, args.real_data, trained.get("writer_fold"))
    figures = {
        "model": str(args.model),
        "dataset": dataset,
        "data": data.source,
        **report,
        "robustness": robust,
        "sources": sources,
    }
    if args.json == "-":
        print(json.dumps(figures, indent=2))
        return 0
    print(describe(report, robust, dataset, sources))
    if args.json:
        write_json_atomic(args.json, figures)
        print(f"\nWrote {args.json}")
    return 0


def run_study(args: argparse.Namespace) -> int:
    """``lenet-train study [options]`` (see :mod:`training.study.command`)."""
    from training.study.command import default_out, run

    check_output_folder(args.out or default_out(args), "report")
    check_data_path("mnist", args.data)
    return run(args, command=command_line(args))


def check_data_path(dataset: str, path: str | None) -> None:
    """Raise :class:`DataError` now, before any work, when the data named cannot be used.

    Only the path is checked (it exists, it is a readable file or a CIFAR-10
    folder, or the environment variable's is); the contents are checked on loading.
    """
    if dataset == "cifar10":
        from training.cifar import resolve_cifar10_path

        resolve_cifar10_path(path)
    else:
        from training.data import resolve_mnist_path

        resolve_mnist_path(path)


def with_default_command(argv: list[str]) -> list[str]:
    """``argv`` with ``train`` put in front when it names no subcommand (and is not --help)."""
    if argv and (argv[0] in SUBCOMMANDS or argv[0] in ("-h", "--help")):
        return argv
    return ["train", *argv]


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``lenet-train``."""
    typed = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    args = build_parser().parse_args(with_default_command(typed))
    args.typed = typed
    try:
        return args.handler(args)
    except (DataError, ModelLoadError, PathError, ValueError) as exc:
        print(f"lenet-train: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"lenet-train: error: {os_error_words(exc.filename, exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lenet-train: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
