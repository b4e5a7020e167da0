"""The LeNet-5 network, built with the Keras Functional API.

Layer names follow LeCun et al. (1998): C1, S2, C3, S4, C5 (here a dense layer
on the flattened S4 maps, as is usual for 28x28 input), F6 and the output.
"""

from __future__ import annotations

import keras
from keras import layers

from training.config import TrainConfig

INPUT_SHAPE = (28, 28, 1)
NUM_CLASSES = 10
LAYER_NAMES = ("C1", "S2", "C3", "S4", "C5", "F6", "output")


def build_lenet5(config: TrainConfig | None = None) -> keras.Model:
    """Build an uncompiled LeNet-5.

    Parameters
    ----------
    config : TrainConfig, optional
        Chooses pooling (``"average"`` or ``"max"``) and activation
        (``"tanh"``, ``"relu"`` or ``"sigmoid"``). Defaults to ``TrainConfig()``.

    Returns
    -------
    keras.Model
        Input 28x28x1 floats in [0, 1], output 10 softmax probabilities;
        61,706 parameters whatever the pooling and activation.
    """
    config = config or TrainConfig()
    pool = layers.MaxPooling2D if config.pooling == "max" else layers.AveragePooling2D
    act = config.activation

    inputs = keras.Input(shape=INPUT_SHAPE, name="image")
    x = layers.Conv2D(6, 5, padding="same", activation=act, name="C1")(inputs)
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
