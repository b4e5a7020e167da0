"""The options of ``lenet-train train``, and the :class:`TrainConfig` they describe.

:func:`add_train_options` adds them to any parser, in titled groups (data,
model, training, augmentation, output); an option that chooses training data
belongs in its "data" group and in :func:`config_from_args`.
"""

from __future__ import annotations

import argparse

from training.config import (
    ACTIVATIONS,
    DATASETS,
    OPTIMIZERS,
    POOLINGS,
    PRECISIONS,
    Augmentation,
    TrainConfig,
    parse_mix,
    shipped_config,
)

DATA_HELP = (
    "MNIST .npz, or for cifar10 the cifar-10-batches-py folder or its .tar.gz "
    "(default: $LENET_MNIST or $LENET_CIFAR10, the Keras cache, then Keras's download)"
)


def add_train_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add every option of ``lenet-train train`` to ``parser``, in titled groups; returns it.

    Options that choose the training data belong in the "data" group, so
    ``lenet-train train --help`` shows them together.
    """
    defaults = TrainConfig()
    shipped = shipped_config()
    data = parser.add_argument_group("data")
    data.add_argument(
        "--dataset",
        choices=DATASETS,
        help="mnist: the digits the app reads (default); cifar10: 32x32 colour photos of "
        "10 classes, for comparison (the app cannot use such a model)",
    )
    data.add_argument("--data", metavar="PATH", help=DATA_HELP)
    data.add_argument(
        "--mix",
        type=_mix,
        metavar="SOURCE:W,...",
        help="train on a mix of digit sources with weights (copies of each training image "
        "per epoch), e.g. mnist:1,pendigits:3,optdigits:10. Sources: mnist; pendigits, real "
        "pen trajectories drawn as the canvas draws them for the model (pen width "
        "normalised to the digit, times 0.45-2.2); optdigits, real scanned 32x32 bitmaps "
        "(as scans, some thresholded or at 16x16). Real sources are split by writer: the "
        "last 6 writers are test writers (lenet-train evaluate), the 3 before them join "
        "validation, never training. Default: MNIST alone"
        + (f"; --preset shipped: {_mix_text(shipped.mix)}" if shipped.mix else ""),
    )
    data.add_argument(
        "--writer-fold",
        type=int,
        metavar="K",
        help="cross-validation by writer: the real sources' writers, sorted, are cut "
        "from the end into folds of 6, and fold K (0-4 for 30 writers) is the test "
        "writers instead of the last; the 3 writers before it join validation "
        "(default: the last fold, as shipped)",
    )
    data.add_argument(
        "--real-data",
        metavar="FOLDER",
        help="folder with pendigits-orig.tra and optdigits-orig.tra (UCI, CC BY 4.0) "
        "(default: $LENET_REAL_DATA)",
    )
    data.add_argument(
        "--train-limit", type=int, metavar="N", help="use only the first N training images"
    )
    data.add_argument(
        "--validation-split",
        type=float,
        metavar="F",
        help="share of training images held out for validation "
        f"(default {defaults.validation_split})",
    )
    model = parser.add_argument_group("model")
    model.add_argument(
        "--preset",
        choices=("shipped",),
        help="start from the settings of the model shipped with the app "
        f"({shipped.pooling} pooling, {shipped.activation}, batch {shipped.batch_size}, "
        f"up to {shipped.epochs} epochs, augmentation on); options below override it",
    )
    model.add_argument(
        "--pooling", choices=POOLINGS, help=f"S2 and S4 pooling (default {defaults.pooling})"
    )
    model.add_argument(
        "--activation",
        choices=ACTIVATIONS,
        help=f"hidden activation (default {defaults.activation})",
    )
    fit = parser.add_argument_group("training")
    fit.add_argument(
        "--optimizer",
        choices=OPTIMIZERS,
        help=f"(default {defaults.optimizer}; sgd_momentum is SGD with Nesterov momentum 0.9)",
    )
    fit.add_argument(
        "--learning-rate",
        type=float,
        metavar="LR",
        help=f"initial learning rate, halved when validation loss stalls "
        f"(default {defaults.learning_rate:g})",
    )
    fit.add_argument(
        "--batch-size",
        type=int,
        metavar="N",
        help=f"images per training step (default {defaults.batch_size})",
    )
    fit.add_argument(
        "--epochs",
        type=int,
        metavar="N",
        help=f"most epochs; early stopping may end sooner (default {defaults.epochs})",
    )
    fit.add_argument(
        "--seed",
        type=int,
        help=f"seed of weights, split and augmentation (default {defaults.seed})",
    )
    fit.add_argument(
        "--precision",
        choices=PRECISIONS,
        help="what the layers compute in while training: bfloat16 (float32 weights) takes "
        "14-27%% less time an epoch where the CPU or GPU computes it natively, but learns a "
        "slightly different model; auto picks it there and float32 elsewhere. The saved "
        f"model is float32 either way (default {defaults.precision})",
    )
    aug = parser.add_argument_group("augmentation (default off; --preset shipped turns it on)")
    aug.add_argument("--rotation", type=float, metavar="DEG", help="most rotation, degrees")
    aug.add_argument(
        "--shift",
        type=float,
        metavar="PX",
        help="most shift, pixels (cifar10: with a random horizontal flip, its only augmentation)",
    )
    aug.add_argument("--zoom", type=float, metavar="F", help="most relative zoom, e.g. 0.1")
    aug.add_argument(
        "--thickness", type=float, metavar="P", help="probability of a stroke-thickness change"
    )
    aug.add_argument(
        "--elastic",
        type=float,
        metavar="ALPHA",
        help="most strength of an elastic distortion (Simard et al. 2003, sigma 4 px), e.g. 20",
    )
    aug.add_argument("--shear", type=float, metavar="S", help="most slant (shear), e.g. 0.3")
    aug.add_argument(
        "--aspect", type=float, metavar="F", help="most relative width/height change, e.g. 0.2"
    )
    aug.add_argument("--blur", type=float, metavar="P", help="probability of a blur")
    aug.add_argument(
        "--low-res",
        type=float,
        metavar="P",
        help="probability of a low-resolution copy (the digit at 16x16, upsampled)",
    )
    aug.add_argument(
        "--binarise", type=float, metavar="P", help="probability of a thresholded (binary) copy"
    )
    aug.add_argument("--no-augment", action="store_true", help="switch augmentation off")
    out = parser.add_argument_group("output")
    out.add_argument(
        "--out", required=True, metavar="PATH", help="where to save the .keras model (required)"
    )
    out.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _mix(text: str) -> dict[str, float]:
    try:
        return parse_mix(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _mix_text(mix: dict[str, float]) -> str:
    return ",".join(f"{name}:{weight:g}" for name, weight in mix.items())


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
        "dataset",
        "mix",
        "writer_fold",
        "precision",
    ):
        value = getattr(args, name)
        if value is not None:
            values[name] = value
    aug = values["augmentation"]
    for name in Augmentation.__dataclass_fields__:
        value = getattr(args, name)
        if value is not None:
            aug[name] = value
    if args.no_augment:
        values["augmentation"] = Augmentation().__dict__
    return TrainConfig.from_dict(values)
