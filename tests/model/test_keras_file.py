"""The NumPy engine reads .keras files without TensorFlow, and agrees with Keras (issue 15)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import keras
import numpy as np
import pytest

from lenet_desktop.model import Recognizer
from lenet_desktop.model.keras_file import read_lean_model, snake_case, weight_groups
from tests.conftest import REPO
from training.config import TrainConfig
from training.lenet import build_lenet5
from training.model_io import ModelLoadError, load_model, weights_fingerprint


def images(n: int = 8, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 28, 28, 1), dtype=np.float32)


def assert_lean_matches_keras(path) -> None:
    lean = read_lean_model(path)
    assert lean is not None
    model = load_model(path)
    x = images()
    np.testing.assert_allclose(lean.engine.forward(x), np.asarray(model(x)), atol=1e-5)
    assert lean.fingerprint == weights_fingerprint(model.get_weights())
    for got, want in zip(lean.weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)


def test_shipped_model_read_without_keras_matches_keras(shipped_model_path):
    assert_lean_matches_keras(shipped_model_path)
    recognizer = Recognizer.from_file(shipped_model_path)
    assert recognizer.engine == "numpy"
    assert recognizer.sidecar_state == "verified"
    keras_recognizer = Recognizer(load_model(shipped_model_path))
    image = images(1)
    for lean, full in zip(
        recognizer.activations(image), keras_recognizer.activations(image), strict=True
    ):
        assert lean.name == full.name
        np.testing.assert_allclose(lean.values, full.values, atol=1e-5)
    for name, kernel in keras_recognizer.filters().items():
        np.testing.assert_array_equal(recognizer.filters()[name], kernel)


@pytest.mark.parametrize(
    "config",
    [TrainConfig(activation="tanh", pooling="average"), TrainConfig(activation="sigmoid")],
    ids=["tanh-average", "sigmoid-max"],
)
def test_lenet_variants_match_keras(config, tmp_path):
    keras.utils.set_random_seed(3)
    path = tmp_path / "variant.keras"
    build_lenet5(config).save(path)
    assert_lean_matches_keras(path)


def test_sequential_with_dropout_activation_relu_and_no_bias_matches_keras(tmp_path):
    keras.utils.set_random_seed(4)
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(4, 3, use_bias=False),
            keras.layers.ReLU(),
            keras.layers.Conv2D(4, 3, padding="same"),
            keras.layers.Activation("tanh"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(16),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    path = tmp_path / "seq.keras"
    model.save(path)
    assert_lean_matches_keras(path)


def test_layers_outside_the_engine_go_to_keras(tmp_path):
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Conv2D(4, 3, strides=2)(inputs)
    x = keras.layers.BatchNormalization()(x)
    outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(x))
    path = tmp_path / "bn.keras"
    keras.Model(inputs, outputs).save(path)
    assert read_lean_model(path) is None
    recognizer = Recognizer.from_file(path)
    assert recognizer.engine == "tensorflow"
    assert recognizer.probabilities(images(2)).shape == (2, 10)


def test_weights_file_group_names_follow_keras():
    assert snake_case("MaxPooling2D") == "max_pooling2d"
    assert snake_case("InputLayer") == "input_layer"
    assert weight_groups(["InputLayer", "Conv2D", "Conv2D", "Dense", "Conv2D"]) == [
        "input_layer",
        "conv2d",
        "conv2d_1",
        "dense",
        "conv2d_2",
    ]


@keras.saving.register_keras_serializable(package="tests")
class Doubling(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


def test_lambda_and_custom_layers_are_refused_alike_by_both_loaders(tmp_path):
    made = {}
    for name, layer in (
        ("lambda", keras.layers.Lambda(lambda t: t * 2.0)),
        ("custom", Doubling()),
    ):
        inputs = keras.Input((28, 28, 1))
        x = keras.layers.Flatten()(layer(inputs))
        path = tmp_path / f"{name}.keras"
        keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x)).save(path)
        made[name] = path
    for name, words in (("lambda", "Lambda layer"), ("custom", "custom class")):
        with pytest.raises(ModelLoadError) as lean:
            read_lean_model(made[name])
        with pytest.raises(ModelLoadError) as full:
            load_model(made[name])
        assert str(lean.value) == str(full.value)
        assert words in str(lean.value) and len(str(lean.value)) < 300


def test_colour_model_gets_the_same_message_from_both_loaders(tmp_path):
    path = tmp_path / "cifar.keras"
    build_lenet5(TrainConfig(dataset="cifar10")).save(path)
    with pytest.raises(ModelLoadError) as lean:
        read_lean_model(path)
    with pytest.raises(ModelLoadError) as full:
        load_model(path)
    assert str(lean.value) == str(full.value)
    assert "28x28 grey-scale models only" in str(lean.value)


def test_recognizer_loads_without_importing_tensorflow(shipped_model_path):
    script = (
        "import sys\n"
        "from lenet_desktop.model import Recognizer\n"
        f"r = Recognizer.from_file({str(shipped_model_path)!r})\n"
        "import numpy as np\n"
        "label, conf, _ = r.classify(np.zeros((28, 28), np.float32))\n"
        "heavy = [m for m in ('tensorflow', 'keras') if m in sys.modules]\n"
        "print(r.engine, r.sidecar_state, heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "numpy verified []"


def test_keras_model_is_loaded_on_demand_and_matches(shipped_model_path):
    recognizer = Recognizer.from_file(shipped_model_path)
    assert recognizer.matches_keras()
    x = images(3)
    np.testing.assert_allclose(
        recognizer.probabilities(x), np.asarray(recognizer.model(x)), atol=1e-5
    )


def test_config_and_weights_that_disagree_are_reported_as_damage(shipped_model_path, tmp_path):
    """A config edited to 12 filters over the file's 6: the weights do not fit the layers."""
    with zipfile.ZipFile(shipped_model_path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    config = json.loads(members["config.json"])
    config["config"]["layers"][3]["config"]["filters"] = 12
    members["config.json"] = json.dumps(config).encode()
    path = tmp_path / "edited.keras"
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    with pytest.raises(ModelLoadError, match="edited.keras is damaged"):
        read_lean_model(path)


def test_a_replaced_file_is_not_taken_for_the_model_in_use(shipped_model_path, tmp_path):
    path = tmp_path / "m.keras"
    path.write_bytes(shipped_model_path.read_bytes())
    recognizer = Recognizer(read_lean_model(path))  # Keras not loaded yet
    assert not recognizer.keras_loaded
    keras.utils.set_random_seed(5)
    build_lenet5().save(path)
    with pytest.raises(ModelLoadError, match="m.keras has changed since it was loaded"):
        recognizer.model  # noqa: B018  (the property loads the Keras model)


def test_large_batches_run_in_chunks_with_the_same_answers(shipped_recognizer):
    x = images(150)
    whole = shipped_recognizer.probabilities(x)
    assert whole.shape == (150, 10)
    np.testing.assert_allclose(
        whole,
        np.concatenate([shipped_recognizer.probabilities(x[i : i + 1]) for i in range(150)]),
        atol=1e-6,
    )
