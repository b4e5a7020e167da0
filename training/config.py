"""Training configuration: plain dataclasses, validated, JSON round-trippable."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

POOLINGS = ("average", "max")
ACTIVATIONS = ("tanh", "relu", "sigmoid")
OPTIMIZERS = ("sgd", "sgd_momentum", "adam", "rmsprop")
DATASETS = ("mnist", "cifar10")
"""MNIST digits (what the app reads), and CIFAR-10 colour images for comparison."""
PRECISIONS = ("auto", "float32", "bfloat16")
"""Training precisions (:mod:`training.precision`)."""
SOURCES = ("mnist", "pendigits", "optdigits")
"""Digit sources a mix can draw on: MNIST, real pen trajectories, real scanned bitmaps."""


def parse_mix(text: str) -> dict[str, float]:
    """``"mnist:1,pendigits:3,optdigits:10"`` to ``{"mnist": 1.0, ...}`` (checked).

    Raises
    ------
    ValueError
        An item is not ``source:weight``, names an unknown source, repeats one,
        or has a weight that is not a positive number.
    """
    mix: dict[str, float] = {}
    for item in (part.strip() for part in text.split(",")):
        name, colon, weight = item.partition(":")
        if not colon:
            raise ValueError(
                f"mix items are source:weight, not {item!r} (e.g. mnist:1,pendigits:3)"
            )
        try:
            value = float(weight)
        except ValueError:
            raise ValueError(f"the weight of {name!r} must be a number, not {weight!r}") from None
        if name.strip() in mix:
            raise ValueError(f"{name.strip()!r} appears twice in the mix")
        mix[name.strip()] = value
    check_mix(mix)
    return mix


def check_mix(mix: dict, dataset: str = "mnist") -> None:
    """Raise ``ValueError`` unless ``mix`` maps known sources (with MNIST) to positive weights."""
    if dataset != "mnist":
        raise ValueError(f"a mix of digit sources is for digit models, not {dataset}")
    for name, weight in mix.items():
        if name not in SOURCES:
            raise ValueError(
                f"unknown source {name!r} in the mix (choose from {', '.join(SOURCES)})"
            )
        if not float(weight) > 0:
            raise ValueError(f"the weight of {name} must be positive, not {weight}")
    if "mnist" not in mix:
        raise ValueError("the mix must include mnist (its test set and validation images)")


@dataclass
class Augmentation:
    """Random distortions applied to training images (all off when zero)."""

    rotation: float = 0.0
    """Maximum rotation in degrees; each image turns by U(-rotation, rotation)."""
    shift: float = 0.0
    """Maximum shift in pixels along x and y (for CIFAR-10, with a random horizontal flip)."""
    zoom: float = 0.0
    """Maximum relative zoom; scale drawn from U(1 - zoom, 1 + zoom)."""
    thickness: float = 0.0
    """Probability of thinning or thickening the strokes by one pixel."""
    elastic: float = 0.0
    """Largest strength (Simard's alpha, pixels) of an elastic distortion; 0 for none."""
    shear: float = 0.0
    """Most slant: x moves by U(-shear, shear) times the height above the centre."""
    aspect: float = 0.0
    """Most relative change of the width against the height."""
    blur: float = 0.0
    """Probability of blurring an image (part-way to a Gaussian of 1 pixel)."""
    low_res: float = 0.0
    """Probability of a low-resolution copy (the 20x20 digit at 16x16, upsampled)."""
    binarise: float = 0.0
    """Probability of thresholding an image (a binary scan)."""

    @property
    def enabled(self) -> bool:
        """Whether any distortion is switched on."""
        return any(getattr(self, f.name) > 0 for f in dataclasses.fields(self))


@dataclass
class TrainConfig:
    """Everything that decides how a LeNet-5 is built and trained."""

    pooling: str = "max"
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    batch_size: int = 128
    epochs: int = 20
    validation_split: float = 0.1
    seed: int = 1
    early_stopping_patience: int = 6
    reduce_lr_patience: int = 2
    augmentation: Augmentation = field(default_factory=Augmentation)
    train_limit: int | None = None
    """Use only the first N training images (quick runs); None for all."""
    dataset: str = "mnist"
    """What the model learns (:data:`DATASETS`); the app reads only MNIST-style digit models."""
    mix: dict[str, float] | None = None
    """Training sources and their weights (copies per epoch), e.g. ``{"mnist": 1,
    "pendigits": 3, "optdigits": 10}`` (:data:`SOURCES`); None for MNIST alone."""
    writer_fold: int | None = None
    """Which fold of the real sources' writers is held out as test writers
    (:func:`training.real_data.writer_split`); None for the last, as shipped."""
    precision: str = "float32"
    """What the layers compute in while training (:data:`PRECISIONS`): ``bfloat16``
    keeps float32 weights (:mod:`training.precision`); ``auto`` is bfloat16 where the
    hardware computes it natively, else float32. Trained models are float32 either way."""

    def __post_init__(self) -> None:
        if isinstance(self.augmentation, dict):
            self.augmentation = Augmentation(**self.augmentation)
        self.validate()

    def validate(self) -> None:
        """Raise ``ValueError`` naming the first setting that is out of range."""
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, not {self.pooling!r}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, not {self.activation!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, not {self.optimizer!r}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, not {self.learning_rate}")
        if int(self.batch_size) < 1:
            raise ValueError(f"batch_size must be at least 1, not {self.batch_size}")
        if int(self.epochs) < 1:
            raise ValueError(f"epochs must be at least 1, not {self.epochs}")
        if not 0.0 < self.validation_split < 0.5:
            raise ValueError(
                f"validation_split must be between 0 and 0.5, not {self.validation_split}"
            )
        aug = self.augmentation
        for f in dataclasses.fields(aug):
            if getattr(aug, f.name) < 0:
                raise ValueError(f"augmentation {f.name} must not be negative")
        if aug.zoom >= 1:
            raise ValueError("augmentation zoom must be below 1")
        if aug.aspect >= 1:
            raise ValueError("augmentation aspect must be below 1")
        for name in ("thickness", "blur", "low_res", "binarise"):
            if getattr(aug, name) > 1:
                raise ValueError(f"augmentation {name} is a probability (0..1)")
        if self.mix is not None:
            check_mix(self.mix, self.dataset)
        if self.writer_fold is not None:
            if self.mix is None:
                raise ValueError("a writer fold chooses test writers of real sources: add a mix")
            if int(self.writer_fold) < 0:
                raise ValueError(f"writer_fold must not be negative, not {self.writer_fold}")
        if self.train_limit is not None and self.train_limit < 10:
            raise ValueError("train_limit must be at least 10 images")
        if self.dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {DATASETS}, not {self.dataset!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {self.precision!r}")
        if self.dataset == "cifar10":
            # Colour photos get the standard CIFAR augmentation (flip and shift) only;
            # rotation, zoom and stroke changes are distortions of handwriting.
            digit_only = [
                f.name
                for f in dataclasses.fields(aug)
                if f.name != "shift" and getattr(aug, f.name) != f.default
            ]
            if digit_only:
                raise ValueError(
                    f"cifar10 augmentation is a random horizontal flip and shift (--shift); "
                    f"{', '.join(digit_only)} are for digits"
                )

    def to_dict(self) -> dict:
        """Plain-JSON form of the configuration."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        """Build a configuration from :meth:`to_dict` output, ignoring unknown keys."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


def shipped_config() -> TrainConfig:
    """The configuration the model in ``assets/`` is trained with."""
    return TrainConfig(
        pooling="max",
        activation="relu",
        optimizer="adam",
        learning_rate=1e-3,
        batch_size=64,
        epochs=60,
        early_stopping_patience=10,
        reduce_lr_patience=3,
        augmentation=Augmentation(
            rotation=20.0,
            shift=2.0,
            zoom=0.1,
            thickness=0.2,
            elastic=34.0,
            shear=0.25,
            aspect=0.15,
            blur=0.1,
            low_res=0.1,
            binarise=0.1,
        ),
        mix={"mnist": 1.0, "pendigits": 10.0, "optdigits": 10.0},
    )
