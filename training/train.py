"""Train LeNet-5 through ``tf.data`` with progress callbacks and clean stopping.

Callers (the command line, the GUI's worker) pass :class:`TrainingListener`
objects to receive per-batch and per-epoch progress, and a ``threading.Event``
(or anything with ``is_set()``) to stop training after the current group of
batches (:data:`STEPS_PER_EXECUTION` of them, a fraction of a second).
"""

from __future__ import annotations

import functools
import logging
import os
import time
from dataclasses import dataclass, field

import numpy as np

from training.config import TrainConfig
from training.data import MnistData

log = logging.getLogger(__name__)

STEPS_PER_EXECUTION = 8
"""Training steps per call into the compiled graph (see :func:`train`).

Eight steps at batch 128 take about 0.1 s on two CPU cores, which bounds how
long a stop request waits, while cutting most of the per-batch Python work.
More buys nothing: 8, 16, 32 and 71 steps (a whole 9,000-image epoch) gave the
same seconds per epoch within noise (issue 15, epochs taken in turns on two
cores) and, as they must, identical models.

Other settings measured there and left at TensorFlow's defaults: oneDNN on
(``TF_ENABLE_ONEDNN_OPTS=0`` makes an epoch three times slower), XLA off
(``jit_compile=True`` two to four times slower: its CPU convolutions are
slower than oneDNN's), intra-/inter-op threads as TensorFlow picks them (one
intra-op thread is slower, one inter-op thread no different), and Keras's
own Adam update (one fused ``ResourceApplyAdam`` kernel per variable costs
0.33 ms CPU per step against 0.22 ms). A profile of an epoch puts the time in
oneDNN's convolution kernels, the backward ones above all (C3's input and
filter gradients about a third of it); the ``tf.data`` pipeline is about 2%
(18 ms of CPU for 9,000 images). With the shipped augmentation on, the CPU
seconds of an epoch double (1.79 s against 0.90 s for 9,000 images): the
place to look next. Timed alone (70 batches of 128 in one graph, CPU
seconds, under load): the whole shipped set 0.72-0.79 s, the elastic field
0.53 s, blur + low resolution + binarisation 0.31 s, the affine map with
thickness 0.10-0.15 s.
"""


class TrainingListener:
    """Receives training progress; override the methods you need.

    Methods are called on the thread that runs :func:`train`.
    """

    def on_train_begin(self, info: dict) -> None:
        """``info``: ``epochs``, ``steps_per_epoch``, ``device``, ``precision``, ``train_size``,
        ``val_size``."""

    def on_batch_end(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        """After each batch: 0-based epoch and step, steps per epoch, running loss/accuracy."""

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """After each epoch: loss, accuracy, val_loss, val_accuracy, learning_rate."""

    def on_train_end(self, result: TrainResult) -> None:
        """Once, with the finished (or stopped) result."""


@dataclass
class TrainResult:
    """A trained model and how it got there."""

    model: object
    config: TrainConfig
    history: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
    device: str = "CPU"
    epochs_run: int = 0
    stopped: bool = False
    """True when a stop was requested before training finished."""
    sources: dict = field(default_factory=dict)
    """Per real source of ``config.mix``: its file, writers and image counts (see
    :func:`training.mix.real_parts`)."""
    precision: str = "float32"
    """What the layers computed in while training (``config.precision`` resolved);
    ``model`` computes in float32 whatever this says."""


@functools.cache
def training_device() -> str:
    """Describe the device TensorFlow trains on: the first GPU if any, else the CPU.

    Asked once per process: TensorFlow's device list does not change once it is set up.
    """
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        try:
            details = tf.config.experimental.get_device_details(gpus[0])
            name = details.get("device_name", gpus[0].name)
        except Exception:  # details are optional information only
            name = gpus[0].name
        return f"GPU ({name})"
    return f"CPU ({os.cpu_count()} cores)"


def check_data_shape(config: TrainConfig, images: np.ndarray) -> None:
    """Raise ``ValueError`` unless ``images`` are what ``config.dataset`` trains on."""
    from training.datasets import INPUT_SHAPES, TITLES

    shape = tuple(images.shape[1:]) if images.ndim == 4 else (*images.shape[1:], 1)
    expected = INPUT_SHAPES[config.dataset]
    if shape != expected:
        raise ValueError(
            f"the configuration trains on {TITLES[config.dataset]} ({expected} images) "
            f"but the data hold {shape} images"
        )


def split_validation(
    x: np.ndarray, y: np.ndarray, fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seeded random split into (x_train, y_train, x_val, y_val)."""
    order = np.random.default_rng(seed).permutation(len(x))
    n_val = max(1, int(round(len(x) * fraction)))
    val, train = order[:n_val], order[n_val:]
    return x[train], y[train], x[val], y[val]


def train(
    config: TrainConfig,
    data: MnistData,
    *,
    listeners: tuple[TrainingListener, ...] | list[TrainingListener] = (),
    stop_event=None,
    initial_model=None,
    extra: tuple[np.ndarray, np.ndarray] | None = None,
    extra_repeat: int = 1,
    verbose: int = 0,
    steps_per_execution: int = STEPS_PER_EXECUTION,
    real_data=None,
) -> TrainResult:
    """Train a LeNet-5 on ``data`` and return it with its history.

    Parameters
    ----------
    config : TrainConfig
    data : MnistData or training.cifar.CifarData
        Training images are split into train and validation by
        ``config.validation_split``; the test split is not touched. Their
        shape must be ``config.dataset``'s (28x28 digits or 32x32x3 images).
    listeners : sequence of TrainingListener
        Receive progress.
    stop_event : threading.Event, optional
        When set, training stops after the current group of
        ``steps_per_execution`` batches; the result has ``stopped=True``.
    initial_model : keras.Model, optional
        Fine-tune a copy of this model instead of starting from scratch.
    extra : (images, labels), optional
        Extra uint8 28x28 samples (the user's own handwriting) mixed into the
        training split, each repeated ``extra_repeat`` times.
    verbose : int
        Keras ``fit`` verbosity (1 for a progress bar in a terminal).
    real_data : path-like, optional
        Folder of the real sources ``config.mix`` names (default
        ``$LENET_REAL_DATA``); their training writers are mixed into the
        training split and their validation writers into the validation split.
    steps_per_execution : int
        Batches trained per call into the compiled graph. Listeners hear
        ``on_batch_end`` once per group (with the group's last step) and a
        stop request takes effect at the end of a group; 1 reports every batch.

    Returns
    -------
    TrainResult
    """
    import keras

    from training.lenet import build_lenet5, compile_lenet5
    from training.pipeline import make_dataset
    from training.precision import resolve_precision, with_precision

    config.validate()
    check_data_shape(config, data.x_train)
    keras.utils.set_random_seed(config.seed)
    x, y = data.x_train, data.y_train
    if config.train_limit is not None:
        x, y = x[: config.train_limit], y[: config.train_limit]
    x_train, y_train, x_val, y_val = split_validation(x, y, config.validation_split, config.seed)
    sources: dict = {}
    if config.mix:
        x_train, y_train, x_val, y_val, sources = _mixed(
            config, (x_train, y_train, x_val, y_val), real_data
        )
    if extra is not None and len(extra[0]):
        extra_x = np.repeat(np.asarray(extra[0], dtype=np.uint8), max(1, extra_repeat), axis=0)
        extra_y = np.repeat(np.asarray(extra[1], dtype=y_train.dtype), max(1, extra_repeat), axis=0)
        x_train = np.concatenate([x_train, extra_x])
        y_train = np.concatenate([y_train, extra_y])

    augmenter = None
    if config.dataset == "cifar10":
        from training.cifar_augment import augment_cifar_batch as augmenter
    train_ds = make_dataset(
        x_train,
        y_train,
        config.batch_size,
        shuffle=True,
        augmentation=config.augmentation,
        seed=config.seed,
        augmenter=augmenter,
    )
    val_ds = make_dataset(x_val, y_val, max(config.batch_size, 512))

    if initial_model is not None:
        model = keras.models.clone_model(initial_model)
        model.set_weights(initial_model.get_weights())
    else:
        model = build_lenet5(config)
    precision = resolve_precision(config.precision)
    model = with_precision(model, precision)
    compile_lenet5(model, config, steps_per_execution=steps_per_execution)

    device = training_device()
    steps = int(np.ceil(len(x_train) / config.batch_size))
    log.info(
        "training on %s in %s: %d images, %d steps per epoch",
        device,
        precision,
        len(x_train),
        steps,
    )
    info = {
        "epochs": config.epochs,
        "steps_per_epoch": steps,
        "device": device,
        "precision": precision,
        "train_size": int(len(x_train)),
        "val_size": int(len(x_val)),
    }
    for listener in listeners:
        listener.on_train_begin(info)

    bridge = _KerasBridge(listeners, steps, stop_event)
    callbacks = [
        bridge,
        keras.callbacks.EarlyStopping(
            monitor="val_loss",
            patience=config.early_stopping_patience,
            restore_best_weights=True,
        ),
        keras.callbacks.ReduceLROnPlateau(
            monitor="val_loss", factor=0.5, patience=config.reduce_lr_patience, min_lr=1e-5
        ),
    ]
    started = time.perf_counter()
    model.fit(
        train_ds,
        validation_data=val_ds,
        epochs=config.epochs,
        callbacks=callbacks,
        verbose=verbose,
        shuffle=False,  # the dataset reshuffles itself every epoch
    )
    result = TrainResult(
        model=with_precision(model, "float32"),
        config=config,
        history=bridge.history,
        seconds=time.perf_counter() - started,
        device=device,
        epochs_run=len(bridge.history.get("loss", [])),
        stopped=bridge.stopped,
        sources=sources,
        precision=precision,
    )
    for listener in listeners:
        listener.on_train_end(result)
    return result


def _mixed(config: TrainConfig, split, real_data):
    """MNIST's split with its weight applied and the real sources of ``config.mix`` added."""
    from training.mix import copies, real_parts

    x_train, y_train, x_val, y_val = split
    weight = float(config.mix.get("mnist", 1.0))
    if weight != 1.0:
        chosen = copies(len(x_train), weight, np.random.default_rng(config.seed))
        x_train, y_train = x_train[chosen], y_train[chosen]
    parts = real_parts(config.mix, real_data, config.seed, config.writer_fold)
    return (
        np.concatenate([x_train, parts.x_train]),
        np.concatenate([y_train, parts.y_train.astype(y_train.dtype)]),
        np.concatenate([x_val, parts.x_val]),
        np.concatenate([y_val, parts.y_val.astype(y_val.dtype)]),
        parts.sources,
    )


def _make_bridge_base():
    import keras

    return keras.callbacks.Callback


class _KerasBridge(_make_bridge_base()):
    """Forwards Keras callback events to listeners and honours the stop event."""

    def __init__(self, listeners, steps, stop_event):
        super().__init__()
        self.listeners = list(listeners)
        self.steps = steps
        self.stop_event = stop_event
        self.epoch = 0
        self.stopped = False
        self.history: dict[str, list[float]] = {}

    def _check_stop(self):
        if self.stop_event is not None and self.stop_event.is_set():
            self.stopped = True
            self.model.stop_training = True

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self._check_stop()

    def on_train_batch_end(self, batch, logs=None):
        clean = {k: float(v) for k, v in (logs or {}).items()}
        # With several steps per execution Keras reports the group's nominal
        # last step, which can run past the end of the epoch.
        step = min(int(batch), self.steps - 1)
        for listener in self.listeners:
            listener.on_batch_end(self.epoch, step, self.steps, clean)
        self._check_stop()

    def on_epoch_end(self, epoch, logs=None):
        clean = {k: float(v) for k, v in (logs or {}).items()}
        clean["learning_rate"] = float(self.model.optimizer.learning_rate.numpy())
        if self.stopped:
            return
        for key, value in clean.items():
            self.history.setdefault(key, []).append(value)
        for listener in self.listeners:
            listener.on_epoch_end(epoch, clean)
