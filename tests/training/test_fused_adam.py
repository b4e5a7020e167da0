"""The fused Adam step computes what Keras's Adam does, and training runs it."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import make_tiny_data
from training import lenet
from training.config import Augmentation, TrainConfig
from training.fused_adam import use_fused_update
from training.train import train

SHAPES = [(5, 5, 1, 6), (6,), (400, 120)]


def _run_adam(fused: bool, steps: int = 6, **options):
    """Variables after ``steps`` seeded random gradients, with the optimizer's moments."""
    rng = np.random.default_rng(4)
    variables = [keras.Variable(rng.normal(size=shape).astype("float32")) for shape in SHAPES]
    optimizer = keras.optimizers.Adam(learning_rate=0.01, **options)
    if fused:
        use_fused_update(optimizer)
    for step in range(steps):
        if step == 3:
            optimizer.learning_rate = 0.004  # as ReduceLROnPlateau does
        grads = [tf.constant(rng.normal(size=shape).astype("float32")) for shape in SHAPES]
        optimizer.apply(grads, variables)
    built = steps > 0
    moments = [np.asarray(m) for m in optimizer._momentums + optimizer._velocities] if built else []
    return [np.asarray(v) for v in variables], moments, int(optimizer.iterations)


def test_fused_step_matches_keras_adam_to_float32_rounding():
    fused, fused_moments, fused_steps = _run_adam(fused=True)
    plain, plain_moments, plain_steps = _run_adam(fused=False)
    assert fused_steps == plain_steps == 6
    start = [np.asarray(v) for v in _run_adam(fused=False, steps=0)[0]]
    for after, expected, before in zip(fused, plain, start, strict=True):
        assert np.abs(expected - before).max() > 1e-3  # the steps moved the weights
        np.testing.assert_allclose(after, expected, rtol=1e-5, atol=1e-6)
    for after, expected in zip(fused_moments, plain_moments, strict=True):
        np.testing.assert_allclose(after, expected, rtol=1e-5, atol=1e-6)


def test_fused_step_is_one_resource_apply_adam_per_variable():
    variables = [keras.Variable(np.ones(shape, "float32")) for shape in SHAPES]
    optimizer = use_fused_update(keras.optimizers.Adam())
    optimizer.build(variables)

    @tf.function
    def step(grads):
        optimizer.apply(grads, variables)

    grads = [tf.ones(shape) for shape in SHAPES]
    graph = step.get_concrete_function(grads).graph
    ops = [op.type for op in graph.get_operations()]
    for function in graph._functions.values():  # the optimizer's update runs in sub-graphs
        ops += [node.op for node in function.definition.node_def]
    assert ops.count("ResourceApplyAdam") == len(SHAPES)


def test_amsgrad_keeps_keras_update_and_other_optimizers_are_refused():
    amsgrad = keras.optimizers.Adam(amsgrad=True)
    assert use_fused_update(amsgrad) is amsgrad and "update_step" not in vars(amsgrad)
    fused, _, _ = _run_adam(fused=True, amsgrad=True)
    plain, _, _ = _run_adam(fused=False, amsgrad=True)
    for after, expected in zip(fused, plain, strict=True):
        np.testing.assert_array_equal(after, expected)
    with pytest.raises(TypeError, match="Adam"):
        use_fused_update(keras.optimizers.SGD())


@pytest.mark.parametrize("augmentation", [Augmentation(), Augmentation(rotation=10, shift=2)])
def test_training_with_the_fused_step_gives_the_same_model(monkeypatch, augmentation):
    data = make_tiny_data(n_train=300, n_test=10)
    config = TrainConfig(batch_size=32, epochs=2, seed=5, augmentation=augmentation)
    runs = {}
    for fused in (True, False):
        monkeypatch.setattr(lenet, "FUSED_ADAM", fused)
        result = train(config, data)
        assert ("update_step" in vars(result.model.optimizer)) is fused
        runs[fused] = result
    assert runs[True].history.keys() == runs[False].history.keys()
    for key, values in runs[False].history.items():
        np.testing.assert_allclose(runs[True].history[key], values, rtol=1e-4, atol=1e-5)
    weights = zip(runs[True].model.get_weights(), runs[False].model.get_weights(), strict=True)
    for after, expected in weights:
        np.testing.assert_allclose(after, expected, rtol=1e-4, atol=1e-5)
