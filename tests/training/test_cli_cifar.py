"""``lenet-train --dataset cifar10`` and ``evaluate`` on tiny files in the CIFAR-10 layout."""

from __future__ import annotations

import json

import pytest

from tests.training.cifar_files import write_cifar_folder
from training.cifar import CLASS_NAMES
from training.cli import main
from training.model_io import ModelLoadError, load_model, read_sidecar

TRAIN_ARGS = ["--epochs", "2", "--batch-size", "32", "--learning-rate", "0.003", "--quiet"]


@pytest.fixture(scope="module")
def cifar_cli(tmp_path_factory):
    """Train a CIFAR-10 LeNet-5 through the command line once; return its folder and paths."""
    folder = tmp_path_factory.mktemp("cifar-cli")
    batches = folder / "cifar-10-batches-py"
    write_cifar_folder(batches)
    out = folder / "cifar.keras"
    args = ["--dataset", "cifar10", "--data", str(folder), "--shift", "2", "--out", str(out)]
    return main([*args, *TRAIN_ARGS]), batches, out


def test_train_saves_a_colour_model_with_its_figures(cifar_cli, capsys):
    code, batches, out = cifar_cli
    assert code == 0
    sidecar = read_sidecar(out)
    assert sidecar["config"]["dataset"] == "cifar10"
    assert sidecar["config"]["augmentation"]["shift"] == 2.0
    assert sidecar["data"]["dataset"] == "cifar10"
    assert sidecar["data"]["source"] == str(batches)
    assert sidecar["data"]["input_shape"] == [32, 32, 3]
    assert sidecar["data"]["class_names"] == list(CLASS_NAMES)
    assert sidecar["data"]["train_size"] == 200 and sidecar["data"]["test_size"] == 60
    assert sidecar["parameters"] == 62006
    assert set(sidecar["robustness"]) == {"clean", "flip"}
    assert "robustness_curves" not in sidecar
    assert sidecar["command"].startswith("lenet-train --dataset cifar10")
    assert load_model(out, input_shape=(32, 32, 3)).count_params() == 62006


def test_the_app_loader_refuses_it_with_a_reason(cifar_cli):
    _, _, out = cifar_cli
    with pytest.raises(ModelLoadError) as info:
        load_model(out)
    message = str(info.value)
    assert "cifar.keras takes input of shape (32, 32, 3), expected (28, 28, 1)" in message
    assert "colour images" in message and "28x28 grey-scale models only" in message


def test_evaluate_takes_the_data_set_from_the_sidecar(cifar_cli, tmp_path, capsys):
    _, batches, out = cifar_cli
    capsys.readouterr()
    report = tmp_path / "figures.json"
    assert main(["evaluate", str(out), "--data", str(batches), "--json", str(report)]) == 0
    printed = capsys.readouterr().out
    assert "Per-class accuracy:" in printed and "automobile" in printed and "truck" in printed
    assert "horizontal flip" in printed
    figures = json.loads(report.read_text(encoding="utf-8"))
    sidecar = read_sidecar(out)
    assert figures["dataset"] == "cifar10"
    assert figures["accuracy"] == pytest.approx(sidecar["test_accuracy"], abs=1e-9)
    assert figures["robustness"] == pytest.approx(sidecar["robustness"])


def test_evaluate_as_digits_says_why_not(cifar_cli, tiny_npz, capsys):
    _, _, out = cifar_cli
    assert main(["evaluate", str(out), "--dataset", "mnist", "--data", str(tiny_npz)]) == 1
    assert "expected (28, 28, 1)" in capsys.readouterr().err


def test_digit_augmentation_for_cifar_is_a_clear_error(tmp_path, capsys):
    batches = tmp_path / "cifar-10-batches-py"
    write_cifar_folder(batches, per_batch=2, n_test=2)
    out = str(tmp_path / "m.keras")
    assert (
        main(["--dataset", "cifar10", "--data", str(batches), "--rotation", "10", "--out", out])
        == 1
    )
    assert "rotation are for digits" in capsys.readouterr().err
    code = main(
        ["--dataset", "cifar10", "--preset", "shipped", "--data", str(batches), "--out", out]
    )
    assert code == 1
    # The shipped preset trains on a mix of digit sources, refused first.
    assert "for digit models, not cifar10" in capsys.readouterr().err


def test_missing_cifar_is_a_clear_error(tmp_path, capsys):
    code = main(["--dataset", "cifar10", "--data", str(tmp_path / "none"), "--out", "m.keras"])
    assert code == 1
    err = capsys.readouterr().err
    assert "lenet-train: error: CIFAR-10 not found" in err and "Traceback" not in err
