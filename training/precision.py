"""Which number format training computes in, and models converted between them.

Training can run its layers in bfloat16 with float32 weights (Keras's
``mixed_bfloat16`` policy; ``TrainConfig.precision = "bfloat16"``, or
``"auto"`` for bfloat16 only where the hardware computes it natively). On a
CPU with native bfloat16 (AVX-512 BF16 or AMX: AMD Zen 4, Intel Sapphire
Rapids) oneDNN's convolutions then move half the bytes, and on a GPU of
compute capability 8.0 or newer the tensor cores do the work. The weights,
the optimizer's state and the loss stay float32, and the output layer
(softmax) computes in float32. Where the hardware lacks bfloat16 it is
emulated and slower, so ``"auto"`` picks float32 there.

The default stays float32: bfloat16 learns a different model. Measured on two
Zen 4 cores (issue 15, ``bench/train_speed.py``, ``bench/train_precision.py``):
an epoch takes 14-27% less time; ten epochs of the default settings, three
seeds each, reach MNIST test accuracy within the seeds' own spread (98.92%
against 99.00% on average, float32's seeds 0.23 points apart) and the held-out
real writers as well or better; but the shipped recipe in bfloat16 stopped early,
after 37 epochs at 99.32%, where float32 reproduces the shipped model (53 epochs,
99.50%).

Whatever it was trained in, a trained model is handed on in float32
(:func:`with_precision`): saved files, the NumPy engine and the app never see
bfloat16.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

from training.config import PRECISIONS

log = logging.getLogger(__name__)

POLICIES = {"float32": "float32", "bfloat16": "mixed_bfloat16"}
"""Keras dtype policy of each resolved precision."""
CPU_BF16_FLAGS = ("avx512_bf16", "amx_bf16")
"""``/proc/cpuinfo`` flags of CPUs with native bfloat16 arithmetic."""


def cpu_has_bf16(cpuinfo: str | os.PathLike = "/proc/cpuinfo") -> bool:
    """Whether the CPU computes bfloat16 natively (read from Linux's ``cpuinfo``).

    False where the file cannot be read (other systems): bfloat16 would then be
    a guess.
    """
    try:
        text = Path(cpuinfo).read_text(errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            return any(flag in flags for flag in CPU_BF16_FLAGS)
    return False


def onednn_enabled() -> bool:
    """Whether TensorFlow's oneDNN kernels are on (they are what computes bfloat16 fast)."""
    return os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1").strip().lower() not in ("0", "false")


@functools.cache
def gpu_has_bf16() -> bool | None:
    """Whether TensorFlow's first GPU has bfloat16 tensor cores; None when there is no GPU."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    try:
        capability = tf.config.experimental.get_device_details(gpus[0]).get("compute_capability")
    except Exception:  # details are optional information only
        capability = None
    return bool(capability) and tuple(capability) >= (8, 0)


def resolve_precision(precision: str) -> str:
    """The precision training really uses: ``"float32"`` or ``"bfloat16"``.

    Parameters
    ----------
    precision : str
        One of :data:`PRECISIONS`. ``"auto"`` is bfloat16 on a GPU of compute
        capability 8.0 or newer, or with no GPU on a CPU with native bfloat16
        and oneDNN on; float32 anywhere else.

    Raises
    ------
    ValueError
        ``precision`` is not one of :data:`PRECISIONS`.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    if precision != "auto":
        if precision == "bfloat16" and not _hardware_bf16():
            log.warning("bfloat16 is emulated on this hardware: training will be slower")
        return precision
    return "bfloat16" if _hardware_bf16() else "float32"


def _hardware_bf16() -> bool:
    gpu = gpu_has_bf16()
    if gpu is not None:
        return gpu
    return onednn_enabled() and cpu_has_bf16()


def with_precision(model, precision: str):
    """A copy of ``model`` whose layers compute in ``precision``, with the same weights.

    Parameters
    ----------
    model : keras.Model
    precision : str
        ``"float32"`` or ``"bfloat16"`` (resolved, see :func:`resolve_precision`).
        In bfloat16 the output layers stay float32, so the softmax and the loss
        keep their precision; the weights are float32 either way.

    Returns
    -------
    keras.Model
        ``model`` itself when every layer already computes so, else a copy.
    """
    import keras

    policy = POLICIES[precision]
    outputs = {id(layer) for layer in model.layers if layer.name in model.output_names}

    def wanted(layer) -> str:
        return "float32" if id(layer) in outputs else policy

    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    if all(layer.dtype_policy.name == wanted(layer) for layer in layers):
        return model

    def clone(layer):
        return layer.__class__.from_config({**layer.get_config(), "dtype": wanted(layer)})

    copy = keras.models.clone_model(model, clone_function=clone)
    copy.set_weights(model.get_weights())
    return copy
