"""The LeNet-5 definition: layer names, shapes, parameter count and variants."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from training.config import TrainConfig
from training.lenet import LAYER_NAMES, build_lenet5, compile_lenet5, make_optimizer

EXPECTED_SHAPES = {
    "C1": (28, 28, 6),
    "S2": (14, 14, 6),
    "C3": (10, 10, 16),
    "S4": (5, 5, 16),
    "flatten": (400,),
    "C5": (120,),
    "F6": (84,),
    "output": (10,),
}
EXPECTED_PARAMS = {
    "C1": 5 * 5 * 1 * 6 + 6,
    "C3": 5 * 5 * 6 * 16 + 16,
    "C5": 400 * 120 + 120,
    "F6": 120 * 84 + 84,
    "output": 84 * 10 + 10,
}


def test_classic_shape_has_61706_parameters_in_the_papers_layers():
    model = build_lenet5()
    assert model.count_params() == 61706
    assert sum(EXPECTED_PARAMS.values()) == 61706
    for name, count in EXPECTED_PARAMS.items():
        assert model.get_layer(name).count_params() == count
    names = [layer.name for layer in model.layers[1:]]
    assert [n for n in names if n in LAYER_NAMES] == list(LAYER_NAMES)


def test_layer_output_shapes():
    model = build_lenet5()
    assert tuple(model.input.shape) == (None, 28, 28, 1)
    for name, shape in EXPECTED_SHAPES.items():
        assert tuple(model.get_layer(name).output.shape) == (None, *shape), name
    assert model.get_layer("C1").padding == "same"
    assert model.get_layer("C3").padding == "valid"
    assert model.get_layer("C1").kernel_size == (5, 5)


@pytest.mark.parametrize("pooling", ["average", "max"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_variants_keep_shape_and_parameter_count(pooling, activation):
    model = build_lenet5(TrainConfig(pooling=pooling, activation=activation))
    assert model.count_params() == 61706
    pool_class = keras.layers.MaxPooling2D if pooling == "max" else keras.layers.AveragePooling2D
    assert isinstance(model.get_layer("S2"), pool_class)
    assert isinstance(model.get_layer("S4"), pool_class)
    for name in ("C1", "C3", "C5", "F6"):
        assert model.get_layer(name).activation.__name__ == activation
    assert model.get_layer("output").activation.__name__ == "softmax"


def test_output_is_a_probability_distribution():
    model = build_lenet5()
    images = np.random.default_rng(0).random((4, 28, 28, 1), dtype=np.float32)
    probs = np.asarray(model(images, training=False))
    assert probs.shape == (4, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert (probs >= 0).all()


@pytest.mark.parametrize(
    ("name", "optimizer_class"),
    [
        ("sgd", keras.optimizers.SGD),
        ("sgd_momentum", keras.optimizers.SGD),
        ("adam", keras.optimizers.Adam),
        ("rmsprop", keras.optimizers.RMSprop),
    ],
)
def test_optimizer_follows_config(name, optimizer_class):
    optimizer = make_optimizer(TrainConfig(optimizer=name, learning_rate=0.0123))
    assert isinstance(optimizer, optimizer_class)
    assert float(optimizer.learning_rate.numpy()) == pytest.approx(0.0123)
    if name == "sgd_momentum":
        assert optimizer.momentum == pytest.approx(0.9)
        assert optimizer.nesterov


def test_compile_uses_integer_label_cross_entropy():
    model = compile_lenet5(build_lenet5(), TrainConfig(optimizer="rmsprop"))
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)
    images = np.zeros((2, 28, 28, 1), np.float32)
    labels = np.array([3, 7])
    # A fresh model is close to uniform, so the loss is close to ln(10).
    loss = model.evaluate(images, labels, verbose=0)[0]
    assert loss == pytest.approx(np.log(10), abs=0.5)
