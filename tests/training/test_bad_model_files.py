"""Bad files given as a model say what they are; non-probability models are refused
(issue 13 items 7 and 10), by the Keras loader and the NumPy one alike."""

from __future__ import annotations

import os
import zipfile

import keras
import numpy as np
import pytest

from lenet_desktop.model import Recognizer
from lenet_desktop.model.keras_file import read_lean_model
from training.lenet import build_lenet5
from training.model_io import ModelLoadError, load_model

LOADERS = {"keras": load_model, "numpy": read_lean_model, "app": Recognizer.from_file}


def refusal(path) -> str:
    """The message every loader gives for ``path`` (they must agree)."""
    messages = set()
    for loader in LOADERS.values():
        with pytest.raises(ModelLoadError) as caught:
            loader(path)
        messages.add(str(caught.value))
    assert len(messages) == 1, messages
    return messages.pop()


@pytest.fixture(scope="module")
def good_model_bytes(tmp_path_factory):
    keras.utils.set_random_seed(0)
    path = tmp_path_factory.mktemp("good") / "good.keras"
    build_lenet5().save(path)
    return path.read_bytes()


def test_empty_file(tmp_path):
    path = tmp_path / "empty.keras"
    path.write_bytes(b"")
    assert refusal(path) == "empty.keras is empty (0 bytes), not a Keras model"


def test_random_bytes(tmp_path):
    path = tmp_path / "random.keras"
    path.write_bytes(np.random.default_rng(0).bytes(5000))
    message = refusal(path)
    assert "random.keras is not a Keras model" in message and "zip archive" in message


def test_truncated_model(tmp_path, good_model_bytes):
    path = tmp_path / "cut.keras"
    path.write_bytes(good_model_bytes[: len(good_model_bytes) // 2])
    assert "cut.keras is damaged or truncated" in refusal(path)


@pytest.mark.parametrize(
    ("head", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "a PNG image, not a model"),
        (b"\x89HDF\r\n\x1a\n" + bytes(100), "an HDF5 file"),
    ],
    ids=["png", "hdf5"],
)
def test_renamed_files(tmp_path, head, words):
    path = tmp_path / "renamed.keras"
    path.write_bytes(head)
    assert words in refusal(path)


def test_zip_that_is_not_a_model(tmp_path):
    path = tmp_path / "photos.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "hello")
    assert "photos.keras is a zip archive but not a Keras model" in refusal(path)


def test_folder_and_symlink_loop_and_missing(tmp_path):
    folder = tmp_path / "folder.keras"
    folder.mkdir()
    assert refusal(folder) == f"{folder} is a folder, not a model file"
    loop = tmp_path / "loop.keras"
    os.symlink(loop, loop)
    assert "symlink loop" in refusal(loop)
    assert refusal(tmp_path / "none.keras") == f"model file not found: {tmp_path / 'none.keras'}"


def save_with_output(tmp_path, name, activation, poison=False):
    keras.utils.set_random_seed(1)
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Dense(32, activation="relu")(keras.layers.Flatten()(inputs))
    outputs = keras.layers.Dense(10, activation=activation)(x)
    model = keras.Model(inputs, outputs)
    if poison:
        weights = model.get_weights()
        weights[0][0, 0] = np.nan
        model.set_weights(weights)
    path = tmp_path / f"{name}.keras"
    model.save(path)
    return path


@pytest.mark.parametrize("activation", ["linear", "sigmoid", "relu"])
def test_outputs_that_are_not_probabilities_are_refused(tmp_path, activation):
    message = refusal(save_with_output(tmp_path, activation, activation))
    assert f"{activation}.keras's outputs are not probabilities" in message
    assert "softmax" in message


def test_non_finite_weights_are_refused(tmp_path):
    message = refusal(save_with_output(tmp_path, "nan", "softmax", poison=True))
    assert message == "nan.keras has 1 NaN or infinite weight; its answers would be meaningless"


def test_a_layer_keras_does_not_know_is_reported_without_the_config_dump(tmp_path):
    """A built-in-looking class this Keras lacks (a newer Keras's layer): one short line."""
    import json

    from tests.conftest import SHIPPED_MODEL

    with zipfile.ZipFile(SHIPPED_MODEL) as source:
        members = {name: source.read(name) for name in source.namelist()}
    config = json.loads(members["config.json"])
    config["config"]["layers"][2]["class_name"] = "FuturePooling2D"
    members["config.json"] = json.dumps(config).encode()
    path = tmp_path / "future.keras"
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    with pytest.raises(ModelLoadError) as caught:
        Recognizer.from_file(path)
    message = str(caught.value)
    assert message.startswith("cannot load future.keras: ")
    assert "FuturePooling2D" in message
    assert len(message) < 300 and "Full object config" not in message
