"""The app's model loading refuses a CIFAR-10 model (32x32 colour input) and says why."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def cifar_model_path(tmp_path_factory):
    from training.config import TrainConfig
    from training.lenet import build_lenet5

    path = tmp_path_factory.mktemp("cifar") / "cifar.keras"
    build_lenet5(TrainConfig(dataset="cifar10")).save(path)
    return path


def test_recognizer_refuses_a_colour_model(cifar_model_path):
    from lenet_desktop.model import Recognizer
    from training.model_io import ModelLoadError

    with pytest.raises(ModelLoadError) as caught:
        Recognizer.from_file(cifar_model_path)
    message = str(caught.value)
    assert "cifar.keras takes input of shape (32, 32, 3), expected (28, 28, 1)" in message
    assert "lenet-train --dataset cifar10" in message
    assert "28x28 grey-scale models only" in message


def test_recognize_command_exits_2_with_the_reason(cifar_model_path, tmp_path, capsys):
    from lenet_desktop.cli import main

    image = tmp_path / "digit.png"
    image.write_bytes(b"unused: the model is refused first")
    assert main([str(image), "--model", str(cifar_model_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lenet-desktop recognize: cifar.keras takes input of shape (32, 32, 3)")
