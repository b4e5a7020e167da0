"""Training on tiny generated data: loss goes down, listeners hear it, stopping works."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from tests.conftest import make_tiny_data
from tests.training.conftest import Recorder
from training.config import Augmentation, TrainConfig
from training.train import STEPS_PER_EXECUTION, split_validation, train, training_device

TINY_TRAIN = 540  # 600 generated images less the 10% validation split
TINY_STEPS = math.ceil(TINY_TRAIN / 32)


def test_training_lowers_the_loss_and_learns(tiny_trained):
    data, config, result, _ = tiny_trained
    loss = result.history["loss"]
    assert len(loss) == 3 and result.epochs_run == 3
    assert loss[-1] < loss[0] * 0.7
    assert result.history["val_loss"][-1] < result.history["val_loss"][0]
    predicted = np.asarray(result.model(data.x_test[..., None] / 255.0)).argmax(axis=1)
    assert np.mean(predicted == data.y_test) > 0.5  # chance is 0.1
    assert result.model.count_params() == 61706
    assert not result.stopped and result.seconds > 0
    assert result.device == training_device()
    assert result.device.startswith(("CPU", "GPU"))


def test_listeners_hear_begin_batches_epochs_and_end(tiny_trained):
    _, config, result, recorder = tiny_trained
    assert recorder.begin == [
        {
            "epochs": 3,
            "steps_per_epoch": TINY_STEPS,
            "device": result.device,
            "precision": "float32",
            "train_size": TINY_TRAIN,
            "val_size": 60,
        }
    ]
    for epoch in range(3):
        calls = [b for b in recorder.batches if b[0] == epoch]
        steps = [step for _, step, _, _ in calls]
        # Reported once per group of steps, ending on the epoch's last step.
        assert len(calls) == math.ceil(TINY_STEPS / STEPS_PER_EXECUTION)
        assert steps == sorted(steps) and steps[-1] == TINY_STEPS - 1
        assert all(total == TINY_STEPS for _, _, total, _ in calls)
        assert all({"loss", "accuracy"} <= set(logs) for *_, logs in calls)
    assert [epoch for epoch, _ in recorder.epochs] == [0, 1, 2]
    for epoch, logs in recorder.epochs:
        assert {"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"} <= set(logs)
        assert logs["loss"] == pytest.approx(result.history["loss"][epoch])
        assert logs["learning_rate"] == pytest.approx(config.learning_rate)
    assert recorder.results == [result]


def test_stop_after_a_batch_with_every_batch_reported(tiny_data):
    stop = threading.Event()
    recorder = Recorder(stop, stop_after_batches=3)
    config = TrainConfig(batch_size=32, epochs=5, seed=2)
    result = train(config, tiny_data, listeners=[recorder], stop_event=stop, steps_per_execution=1)
    # Every batch is reported and training ends right after the one that asked to stop.
    assert [(epoch, step) for epoch, step, _, _ in recorder.batches] == [(0, 0), (0, 1), (0, 2)]
    assert result.stopped
    assert result.epochs_run == 0 and result.history == {}
    assert recorder.epochs == []
    assert recorder.results == [result]
    assert result.model(np.zeros((1, 28, 28, 1), np.float32)).shape == (1, 10)


def test_stop_takes_effect_within_one_group_of_steps(tiny_data):
    stop = threading.Event()
    recorder = Recorder(stop, stop_after_batches=1)
    config = TrainConfig(batch_size=16, epochs=5, seed=2)
    result = train(config, tiny_data, listeners=[recorder], stop_event=stop)
    assert len(recorder.batches) == 1
    assert recorder.batches[0][1] == STEPS_PER_EXECUTION - 1
    assert result.stopped and result.epochs_run == 0


def test_stop_requested_before_start_trains_no_full_epoch(tiny_data):
    stop = threading.Event()
    stop.set()
    recorder = Recorder()
    config = TrainConfig(batch_size=32, epochs=3)
    result = train(config, tiny_data, listeners=[recorder], stop_event=stop)
    assert result.stopped and result.epochs_run == 0
    assert len(recorder.batches) <= 1


def test_same_seed_same_training_with_augmentation():
    data = make_tiny_data(n_train=120, n_test=10)
    augmentation = Augmentation(rotation=15, shift=2, zoom=0.1, thickness=0.3)
    config = TrainConfig(batch_size=16, epochs=2, seed=9, augmentation=augmentation)
    first = train(config, data)
    second = train(config, data)
    assert first.history == second.history
    for a, b in zip(first.model.get_weights(), second.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_steps_per_execution_changes_only_how_often_progress_is_heard():
    # The setting is chosen for speed (STEPS_PER_EXECUTION); the model must not depend on it.
    data = make_tiny_data(n_train=200, n_test=10)
    config = TrainConfig(batch_size=16, epochs=2, seed=4)
    runs = [train(config, data, steps_per_execution=n) for n in (1, STEPS_PER_EXECUTION, 64)]
    assert runs[0].history["loss"][-1] < runs[0].history["loss"][0]
    for run in runs[1:]:
        assert run.history.keys() == runs[0].history.keys()
        for key, values in runs[0].history.items():
            np.testing.assert_allclose(run.history[key], values, rtol=1e-5)
        for a, b in zip(run.model.get_weights(), runs[0].model.get_weights(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_fine_tune_with_extra_samples_and_train_limit(tiny_trained):
    data, _, trained, _ = tiny_trained
    before = [w.copy() for w in trained.model.get_weights()]
    extra_x = data.x_test[:5]
    extra_y = data.y_test[:5]
    recorder = Recorder()
    config = TrainConfig(batch_size=32, epochs=1, train_limit=300)
    result = train(
        config,
        data,
        listeners=[recorder],
        initial_model=trained.model,
        extra=(extra_x, extra_y),
        extra_repeat=4,
    )
    assert recorder.begin[0]["train_size"] == 270 + 20
    assert recorder.begin[0]["val_size"] == 30
    assert result.model is not trained.model
    for old, now in zip(before, trained.model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, now)
    # Starting from a trained model, one epoch keeps it good.
    assert result.history["val_accuracy"][0] > 0.5


def test_bad_settings_are_refused_before_training(tiny_data):
    config = TrainConfig()
    config.pooling = "median"
    with pytest.raises(ValueError, match="pooling"):
        train(config, tiny_data)
    with pytest.raises(ValueError, match="steps_per_execution"):
        train(TrainConfig(epochs=1), tiny_data, steps_per_execution=0)


def test_split_validation_is_seeded_and_disjoint():
    x = np.arange(100)
    y = np.arange(100) % 10
    x_train, y_train, x_val, y_val = split_validation(x, y, 0.1, seed=4)
    assert len(x_val) == 10 and len(x_train) == 90
    assert set(x_train.tolist()).isdisjoint(x_val.tolist())
    assert sorted(np.concatenate([x_train, x_val]).tolist()) == list(range(100))
    np.testing.assert_array_equal(y_train, x_train % 10)
    np.testing.assert_array_equal(split_validation(x, y, 0.1, seed=4)[2], x_val)
    assert not np.array_equal(split_validation(x, y, 0.1, seed=5)[2], x_val)
