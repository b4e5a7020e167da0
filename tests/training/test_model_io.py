"""Saving (atomic, with sidecar) and loading (safe mode, shape checks) models."""

from __future__ import annotations

import json

import keras
import numpy as np
import pytest

from training import atomic
from training.atomic import write_atomic, write_bytes_atomic, write_json_atomic
from training.lenet import build_lenet5
from training.model_io import (
    FINGERPRINT_KEY,
    ModelLoadError,
    check_model_shapes,
    load_model,
    read_sidecar,
    save_model,
    sidecar_path,
)


@pytest.fixture(scope="module")
def model():
    keras.utils.set_random_seed(0)
    return build_lenet5()


def sample_images(n: int = 16) -> np.ndarray:
    return np.random.default_rng(0).random((n, 28, 28, 1), dtype=np.float32)


def folder_names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def without_fingerprint(sidecar: dict) -> dict:
    assert sidecar[FINGERPRINT_KEY].startswith("sha256:")
    return {k: v for k, v in sidecar.items() if k != FINGERPRINT_KEY}


def test_round_trip_gives_identical_predictions_and_sidecar(model, tmp_path):
    target = tmp_path / "m.keras"
    metadata = {"test_accuracy": 0.5, "config": {"pooling": "max"}, "history": {"loss": [1.0]}}
    assert save_model(model, target, metadata) == target
    loaded = load_model(target)
    images = sample_images()
    np.testing.assert_array_equal(
        np.asarray(loaded(images, training=False)), np.asarray(model(images, training=False))
    )
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert without_fingerprint(read_sidecar(target)) == metadata
    assert sidecar_path(target) == tmp_path / "m.json"
    assert folder_names(tmp_path) == ["m.json", "m.keras"]


def test_saving_over_an_existing_model_replaces_it(model, tmp_path):
    target = tmp_path / "m.keras"
    save_model(model, target, {"version": 1})
    other = build_lenet5()
    save_model(other, target, {"version": 2})
    images = sample_images(4)
    np.testing.assert_array_equal(np.asarray(load_model(target)(images)), np.asarray(other(images)))
    assert without_fingerprint(read_sidecar(target)) == {"version": 2}
    assert folder_names(tmp_path) == ["m.json", "m.keras"]


def test_failed_save_leaves_old_model_and_no_temp_file(model, tmp_path, monkeypatch):
    target = tmp_path / "m.keras"
    save_model(model, target, {"version": 1})
    before = target.read_bytes()

    def failing_save(self, path, *args, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"half a model")
        raise OSError("disk full")

    monkeypatch.setattr(keras.Model, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        save_model(model, target, {"version": 2})
    assert target.read_bytes() == before
    assert without_fingerprint(read_sidecar(target)) == {"version": 1}
    assert folder_names(tmp_path) == ["m.json", "m.keras"]


def test_save_refuses_other_suffixes(model, tmp_path):
    with pytest.raises(ValueError, match=r"\.keras"):
        save_model(model, tmp_path / "m.h5")
    assert folder_names(tmp_path) == []


def test_write_atomic_failure_keeps_target_and_cleans_up(tmp_path):
    target = tmp_path / "settings.json"
    write_json_atomic(target, {"a": 1})

    def writer(tmp):
        tmp.write_text("partial", encoding="utf-8")
        raise RuntimeError("crashed while writing")

    with pytest.raises(RuntimeError, match="crashed"):
        write_atomic(target, writer)
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": 1}
    assert folder_names(tmp_path) == ["settings.json"]


def test_write_atomic_failure_on_rename_cleans_up(tmp_path, monkeypatch):
    target = tmp_path / "data.bin"

    def no_rename(src, dst):
        raise OSError("rename refused")

    monkeypatch.setattr(atomic.os, "replace", no_rename)
    with pytest.raises(OSError, match="rename refused"):
        write_bytes_atomic(target, b"abc")
    assert folder_names(tmp_path) == []


def test_write_helpers_create_content(tmp_path):
    write_bytes_atomic(tmp_path / "b.bin", b"\x00\x01")
    write_json_atomic(tmp_path / "sub" / "j.json", {"x": [1, 2]})
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert json.loads((tmp_path / "sub" / "j.json").read_text(encoding="utf-8")) == {"x": [1, 2]}


def test_lambda_layer_is_refused(tmp_path):
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Lambda(lambda t: t * 2.0, name="double")(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    path = tmp_path / "lambda.keras"
    keras.Model(inputs, outputs).save(path)
    with pytest.raises(ModelLoadError, match="lambda.keras.*Lambda layer"):
        load_model(path)


@pytest.mark.parametrize(
    ("input_shape", "classes", "message"),
    [
        ((32, 32, 1), 10, r"input of shape \(32, 32, 1\), expected \(28, 28, 1\)"),
        ((28, 28, 3), 10, r"input of shape \(28, 28, 3\)"),
        ((28, 28, 1), 5, r"outputs shape \(5,\), expected 10 classes"),
    ],
)
def test_wrong_shapes_are_refused(tmp_path, input_shape, classes, message):
    inputs = keras.Input(input_shape)
    x = keras.layers.Flatten()(inputs)
    outputs = keras.layers.Dense(classes, activation="softmax")(x)
    path = tmp_path / "wrong.keras"
    keras.Model(inputs, outputs).save(path)
    with pytest.raises(ModelLoadError, match=message):
        load_model(path)


def test_two_input_model_is_refused():
    a, b = keras.Input((28, 28, 1)), keras.Input((28, 28, 1))
    x = keras.layers.Flatten()(keras.layers.Add()([a, b]))
    two = keras.Model([a, b], keras.layers.Dense(10)(x))
    with pytest.raises(ModelLoadError, match="one input and one output"):
        check_model_shapes(two, "two.keras")


def test_missing_and_non_model_files(tmp_path):
    with pytest.raises(ModelLoadError, match="not found"):
        load_model(tmp_path / "none.keras")
    garbage = tmp_path / "garbage.keras"
    garbage.write_bytes(b"this is not a zip file")
    with pytest.raises(ModelLoadError, match="garbage.keras is not a Keras model"):
        load_model(garbage)
    other = tmp_path / "model.h5"
    other.write_bytes(b"x")
    with pytest.raises(ModelLoadError, match="not a .keras model"):
        load_model(other)


def test_read_sidecar_missing_or_broken(tmp_path):
    assert read_sidecar(tmp_path / "none.keras") == {}
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert read_sidecar(tmp_path / "broken.keras") == {}
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    assert read_sidecar(tmp_path / "list.keras") == {}
