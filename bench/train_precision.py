"""Does training in bfloat16 learn the same model as float32? Accuracy and time, seed by seed.

For each seed the same LeNet-5 (``TrainConfig`` defaults: max pooling, ReLU,
Adam, batch 128, no augmentation) is trained on MNIST twice, once with the
layers computing in float32 and once in bfloat16 with float32 weights
(:mod:`training.precision`), for a fixed number of epochs (no early
stopping). ``--preset shipped`` trains the shipped model's recipe instead
(MNIST with the real writers' training split, augmentation, up to 60 epochs
with early stopping and the learning-rate schedule: about 10-15 minutes a run
on two cores). Both models are read back in float32, as the app reads every
model, and measured on the MNIST test set and, where ``$LENET_REAL_DATA``
(or ``--real-data``) has them, on the held-out pen and scan writers
(:func:`training.source_eval.source_figures`), which none of these models
trained on. It prints each run, then per measure the mean over seeds and the
largest float32 - bfloat16 difference next to the spread between seeds of
float32 alone: bfloat16 "changes the result" only if its difference stands
out from that spread.

The training time of each run is printed too (the whole ``train()`` call,
warm-up epoch included); ``bench/train_speed.py`` times epochs in turns,
which is fairer on a shared machine.

Usage::

    python bench/train_precision.py [--seeds 1 2 3] [--epochs 10] [--limit N] [--data F]
                                    [--real-data FOLDER] [--preset shipped]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.config import TrainConfig, shipped_config  # noqa: E402
from training.data import load_mnist  # noqa: E402
from training.precision import resolve_precision  # noqa: E402
from training.source_eval import source_figures  # noqa: E402
from training.train import train, training_device  # noqa: E402

PRECISIONS = ("float32", "bfloat16")


def run_config(args: argparse.Namespace, seed: int, precision: str) -> TrainConfig:
    """The configuration of one run: the defaults for a fixed number of epochs, or the preset."""
    if args.preset == "shipped":
        values = {**shipped_config().to_dict(), "seed": seed, "precision": precision}
        if args.epochs is not None:
            values["epochs"] = args.epochs
        if args.limit is not None:
            values["train_limit"] = args.limit
        return TrainConfig.from_dict(values)
    epochs = args.epochs or 10
    return TrainConfig(
        epochs=epochs,
        seed=seed,
        early_stopping_patience=epochs,
        train_limit=args.limit,
        precision=precision,
    )


def measure_run(config: TrainConfig, data, real_data) -> tuple[float, int, dict[str, float]]:
    """Train ``config`` on ``data``; return its seconds, epochs and accuracy per source."""
    result = train(config, data, real_data=real_data)
    figures = source_figures(result.model, data, None, real_data)["figures"]
    accuracy = {name: figure["accuracy"] for name, figure in figures.items()}
    return result.seconds, result.epochs_run, accuracy


def main(argv: list[str] | None = None) -> int:
    """Train each seed in both precisions and print accuracy per source and the differences."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument(
        "--epochs", type=int, help="epochs per run (default 10, no early stop; shipped: its 60)"
    )
    parser.add_argument(
        "--preset", choices=("shipped",), help="train the shipped model's recipe instead"
    )
    parser.add_argument("--limit", type=int, help="MNIST training images used (default all)")
    parser.add_argument("--data", help="MNIST .npz (default: $LENET_MNIST, Keras cache, download)")
    parser.add_argument("--real-data", help="real handwriting folder (default $LENET_REAL_DATA)")
    args = parser.parse_args(argv)
    if args.epochs is not None and args.epochs < 1:
        parser.error("--epochs must be at least 1")

    data = load_mnist(args.data)
    recipe = "the shipped recipe" if args.preset else "TrainConfig defaults"
    print(
        f"LeNet-5, {recipe}, seeds {args.seeds}, on {training_device()}; "
        f"precision auto here: {resolve_precision('auto')}"
    )
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in PRECISIONS}
    for seed in args.seeds:
        for precision in PRECISIONS:
            config = run_config(args, seed, precision)
            seconds, epochs, accuracy = measure_run(config, data, args.real_data)
            runs[precision].append(accuracy)
            shown = ", ".join(f"{name} {value:.2%}" for name, value in accuracy.items())
            print(
                f"  seed {seed}  {precision:<8}  {seconds:6.1f} s, {epochs} epochs   {shown}",
                flush=True,
            )

    print("per source: mean float32 / mean bfloat16; largest |float32 - bfloat16| of a seed;")
    print("            float32's spread between seeds (max - min)")
    for name in runs["float32"][0]:
        full = [run[name] for run in runs["float32"]]
        half = [run[name] for run in runs["bfloat16"]]
        difference = max(abs(a - b) for a, b in zip(full, half, strict=True))
        print(
            f"  {name:<20} {statistics.mean(full):.2%} / {statistics.mean(half):.2%};  "
            f"difference {difference * 100:.2f} points;  "
            f"float32 spread {(max(full) - min(full)) * 100:.2f} points"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
