"""The LeNet-5 network, built with the Keras Functional API.

Layer names follow LeCun et al. (1998): C1, S2, C3, S4, C5 (here a dense layer
on the flattened S4 maps, as is usual for 28x28 input), F6 and the output.

The same layers take CIFAR-10's 32x32 colour images: 32x32 is LeNet-5's own
input size, so C1 needs no padding there and every map from C1 on has the
shape it has for a 28x28 digit padded to keep its size (C1 28x28x6, S2
14x14x6, C3 10x10x16, S4 5x5x16, then 120, 84, 10). Only C1's kernels grow,
from 5x5x1 to 5x5x3: 62,006 parameters instead of 61,706.
"""

from __future__ import annotations

import keras
from keras import layers

from training.config import TrainConfig
from training.datasets import INPUT_SHAPES

INPUT_SHAPE = INPUT_SHAPES["mnist"]
NUM_CLASSES = 10
C1_PADDING = {(28, 28, 1): "same", (32, 32, 3): "valid"}
"""C1's padding per input shape: either way C1's maps are 28x28, as in LeNet-5."""
LAYER_NAMES = ("C1", "S2", "C3", "S4", "C5", "F6", "output")


def build_lenet5(config: TrainConfig | None = None) -> keras.Model:
    """Build an uncompiled LeNet-5.

    Parameters
    ----------
    config : TrainConfig, optional
        Chooses pooling (``"average"`` or ``"max"``), activation (``"tanh"``,
        ``"relu"`` or ``"sigmoid"``) and the data set, which decides the
        input. Defaults to ``TrainConfig()``.

    Returns
    -------
    keras.Model
        Output 10 softmax probabilities. For MNIST the input is 28x28x1
        floats in [0, 1] and the model has 61,706 parameters, for CIFAR-10
        32x32x3 and 62,006 parameters, whatever the pooling and activation.
    """
    config = config or TrainConfig()
    pool = layers.MaxPooling2D if config.pooling == "max" else layers.AveragePooling2D
    act = config.activation
    shape = INPUT_SHAPES[config.dataset]

    inputs = keras.Input(shape=shape, name="image")
    x = layers.Conv2D(6, 5, padding=C1_PADDING[shape], activation=act, name="C1")(inputs)
    x = pool(2, name="S2")(x)
    x = layers.Conv2D(16, 5, padding="valid", activation=act, name="C3")(x)
    x = pool(2, name="S4")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(120, activation=act, name="C5")(x)
    x = layers.Dense(84, activation=act, name="F6")(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="lenet5")


def make_optimizer(config: TrainConfig) -> keras.optimizers.Optimizer:
    """The optimizer named by ``config.optimizer`` at ``config.learning_rate``."""
    lr = config.learning_rate
    if config.optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=lr)
    if config.optimizer == "sgd_momentum":
        return keras.optimizers.SGD(learning_rate=lr, momentum=0.9, nesterov=True)
    if config.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=lr)
    return keras.optimizers.Adam(learning_rate=lr)


def compile_lenet5(
    model: keras.Model, config: TrainConfig, *, steps_per_execution: int = 1
) -> keras.Model:
    """Compile ``model`` for integer labels with the configured optimizer.

    Parameters
    ----------
    model : keras.Model
    config : TrainConfig
    steps_per_execution : int
        Training steps run per call into the compiled graph. More steps mean
        less Python work per batch (faster on a CPU), but batch callbacks then
        fire only once per group of steps.

    Returns
    -------
    keras.Model
        ``model``, compiled.
    """
    if int(steps_per_execution) < 1:
        raise ValueError(f"steps_per_execution must be at least 1, not {steps_per_execution}")
    model.compile(
        optimizer=make_optimizer(config),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=int(steps_per_execution),
    )
    return model
