"""TrainConfig validation and its JSON round trip."""

from __future__ import annotations

import json

import pytest

from training.config import Augmentation, TrainConfig, shipped_config


def test_defaults_are_valid_and_augmentation_off():
    config = TrainConfig()
    config.validate()
    assert not config.augmentation.enabled


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pooling": "min"}, "pooling"),
        ({"activation": "gelu"}, "activation"),
        ({"optimizer": "adagrad"}, "optimizer"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"learning_rate": -1e-3}, "learning_rate"),
        ({"batch_size": 0}, "batch_size"),
        ({"epochs": 0}, "epochs"),
        ({"validation_split": 0.0}, "validation_split"),
        ({"validation_split": 0.5}, "validation_split"),
        ({"train_limit": 5}, "train_limit"),
        ({"augmentation": {"rotation": -1.0}}, "rotation"),
        ({"augmentation": {"shift": -2.0}}, "shift"),
        ({"augmentation": {"zoom": 1.0}}, "zoom"),
        ({"augmentation": {"thickness": 1.5}}, "thickness"),
        ({"precision": "float16"}, "precision"),
    ],
)
def test_bad_settings_are_refused_by_name(changes, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**changes)


def test_validate_catches_settings_changed_after_construction():
    config = TrainConfig()
    config.batch_size = -3
    with pytest.raises(ValueError, match="batch_size"):
        config.validate()


def test_json_round_trip_keeps_everything():
    config = TrainConfig(
        pooling="average",
        activation="tanh",
        optimizer="sgd",
        learning_rate=0.05,
        batch_size=64,
        epochs=7,
        seed=42,
        train_limit=1000,
        augmentation=Augmentation(rotation=10.0, shift=1.5, zoom=0.1, thickness=0.2),
    )
    text = json.dumps(config.to_dict())
    again = TrainConfig.from_dict(json.loads(text))
    assert again == config
    assert isinstance(again.augmentation, Augmentation)


def test_from_dict_ignores_unknown_keys_and_fills_defaults():
    config = TrainConfig.from_dict({"epochs": 3, "colour": "blue"})
    assert config.epochs == 3
    assert config.batch_size == TrainConfig().batch_size


def test_augmentation_enabled_by_any_distortion():
    assert not Augmentation().enabled
    for name in ("rotation", "shift", "zoom", "thickness"):
        assert Augmentation(**{name: 0.1}).enabled


def test_shipped_config_is_valid_and_augmented():
    config = shipped_config()
    config.validate()
    assert config.augmentation.enabled
    assert (config.pooling, config.activation) == ("max", "relu")
