"""``lenet-train``: train, evaluate and study LeNet-5 from a terminal.

Usage::

    lenet-train [options] --out PATH        train and save a model
    lenet-train evaluate MODEL [--json F]   test accuracy and robustness
    lenet-train study [--quick] [--out DIR] the classic LeNet-5 study as a report
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time

from training.config import OPTIMIZERS, Augmentation, TrainConfig, shipped_config
from training.data import DataError
from training.model_io import ModelLoadError

SUBCOMMANDS = ("train", "evaluate", "study")


def build_train_parser() -> argparse.ArgumentParser:
    """Parser of ``lenet-train [train] [options] --out PATH``."""
    defaults = TrainConfig()
    parser = argparse.ArgumentParser(
        prog="lenet-train",
        description="Train LeNet-5 on MNIST and save it with a metrics sidecar. "
        "Subcommands: 'evaluate MODEL' and 'study'.",
    )
    parser.add_argument("--out", required=True, help="where to save the .keras model")
    parser.add_argument("--data", help="MNIST .npz (default: $LENET_MNIST, Keras cache, download)")
    parser.add_argument(
        "--preset", choices=("shipped",), help="start from the shipped model's settings"
    )
    parser.add_argument("--pooling", choices=("average", "max"))
    parser.add_argument("--activation", choices=("tanh", "relu", "sigmoid"))
    parser.add_argument("--optimizer", choices=OPTIMIZERS)
    parser.add_argument("--learning-rate", type=float)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--validation-split", type=float)
    parser.add_argument("--train-limit", type=int, help="use only the first N training images")
    parser.add_argument("--rotation", type=float, help="augmentation: max rotation, degrees")
    parser.add_argument("--shift", type=float, help="augmentation: max shift, pixels")
    parser.add_argument("--zoom", type=float, help="augmentation: max relative zoom")
    parser.add_argument(
        "--thickness", type=float, help="augmentation: probability of stroke change"
    )
    parser.add_argument("--no-augment", action="store_true", help="switch augmentation off")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(defaults=defaults)
    return parser


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """The TrainConfig described by parsed train options."""
    config = shipped_config() if args.preset == "shipped" else TrainConfig()
    values = config.to_dict()
    for name in (
        "pooling",
        "activation",
        "optimizer",
        "learning_rate",
        "batch_size",
        "epochs",
        "seed",
        "validation_split",
        "train_limit",
    ):
        value = getattr(args, name)
        if value is not None:
            values[name] = value
    aug = values["augmentation"]
    for name in ("rotation", "shift", "zoom", "thickness"):
        value = getattr(args, name)
        if value is not None:
            aug[name] = value
    if args.no_augment:
        values["augmentation"] = Augmentation().__dict__
    return TrainConfig.from_dict(values)


def run_training(args: argparse.Namespace) -> int:
    """Train, evaluate on the test set, and save model + sidecar."""
    from training.data import load_mnist
    from training.evaluate import evaluate_model, format_report, robustness, robustness_curves
    from training.model_io import save_model
    from training.train import train

    config = config_from_args(args)
    data = load_mnist(args.data)
    print(f"MNIST from {data.source} ({len(data.x_train)} train, {len(data.x_test)} test)")
    verbose = 0 if args.quiet else (1 if sys.stdout.isatty() else 2)
    result = train(config, data, verbose=verbose)
    print(f"Trained on {result.device} in {result.seconds:.1f} s ({result.epochs_run} epochs)")
    report = evaluate_model(result.model, data.x_test, data.y_test)
    robust = robustness(result.model, data.x_test, data.y_test)
    curves = robustness_curves(result.model, data.x_test, data.y_test)
    metadata = build_metadata(result, data, report, robust, command=command_line())
    metadata["robustness_curves"] = curves
    path = save_model(result.model, args.out, metadata)
    print(format_report(report, robust))
    print(f"\nSaved {path} and {path.with_suffix('.json')}")
    return 0


def build_metadata(result, data, report: dict, robust: dict | None, command: str = "") -> dict:
    """Sidecar contents for a freshly trained model."""
    return {
        "format": 1,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": command,
        "config": result.config.to_dict(),
        "data": {
            "source": data.source,
            "fingerprint": data.fingerprint,
            "train_size": int(len(data.x_train)),
            "test_size": int(len(data.x_test)),
        },
        "device": result.device,
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


def command_line() -> str:
    """The command that is running, as a user would type it."""
    return "lenet-train " + " ".join(sys.argv[1:])


def run_evaluate(argv: list[str]) -> int:
    """``lenet-train evaluate MODEL [--data F] [--json F]``."""
    parser = argparse.ArgumentParser(
        prog="lenet-train evaluate", description="Evaluate a model on the MNIST test set."
    )
    parser.add_argument("model", help=".keras model file")
    parser.add_argument("--data", help="MNIST .npz (default: $LENET_MNIST, Keras cache, download)")
    parser.add_argument(
        "--json", metavar="FILE", help="also write the figures as JSON ('-' for stdout)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the random distortions")
    args = parser.parse_args(argv)

    from training.atomic import write_json_atomic
    from training.data import load_mnist
    from training.evaluate import evaluate_model, format_report, robustness
    from training.model_io import load_model

    model = load_model(args.model)
    data = load_mnist(args.data)
    report = evaluate_model(model, data.x_test, data.y_test)
    robust = robustness(model, data.x_test, data.y_test, seed=args.seed)
    figures = {"model": str(args.model), "data": data.source, **report, "robustness": robust}
    if args.json == "-":
        print(json.dumps(figures, indent=2))
        return 0
    print(format_report(report, robust))
    if args.json:
        write_json_atomic(args.json, figures)
        print(f"\nWrote {args.json}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``lenet-train``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        if argv and argv[0] == "evaluate":
            return run_evaluate(argv[1:])
        if argv and argv[0] == "study":
            from training.study import main as study_main

            return study_main(argv[1:])
        if argv and argv[0] == "train":
            argv = argv[1:]
        args = build_train_parser().parse_args(argv)
        if not args.out.endswith(".keras"):
            print(
                f"lenet-train: error: --out must end in .keras, not {args.out!r}", file=sys.stderr
            )
            return 2
        return run_training(args)
    except (DataError, ModelLoadError, ValueError, OSError) as exc:
        print(f"lenet-train: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lenet-train: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
