"""``lenet-train``: train and evaluate on a tiny generated .npz, and its error messages."""

from __future__ import annotations

import argparse
import json

import keras
import numpy as np
import pytest

from training.cli import build_parser, main
from training.config import shipped_config
from training.data import file_fingerprint
from training.model_io import load_model, read_sidecar
from training.train_options import add_train_options, config_from_args

TRAIN_ARGS = ["--epochs", "2", "--batch-size", "32", "--learning-rate", "0.003", "--quiet"]


@pytest.fixture(scope="module")
def trained_cli(tmp_path_factory):
    """Run ``lenet-train --out m.keras`` once on tiny data; return paths and output."""
    from tests.training.conftest import tiny_arrays, write_npz

    folder = tmp_path_factory.mktemp("cli")
    data = folder / "tiny.npz"
    write_npz(data, **tiny_arrays())
    out = folder / "m.keras"
    code = main(["--data", str(data), "--out", str(out), "--no-augment", *TRAIN_ARGS])
    return code, data, out


def test_train_writes_model_and_complete_sidecar(trained_cli):
    code, data, out = trained_cli
    assert code == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["m.json", "m.keras", "tiny.npz"]
    model = load_model(out)
    assert model.count_params() == 61706
    sidecar = read_sidecar(out)
    assert sidecar["config"]["epochs"] == 2 and sidecar["config"]["batch_size"] == 32
    assert sidecar["config"]["augmentation"] == dict.fromkeys(
        ("rotation", "shift", "zoom", "thickness", "elastic", "shear", "aspect", "blur"),
        0.0,
    ) | {"low_res": 0.0, "binarise": 0.0}
    assert sidecar["data"]["fingerprint"] == file_fingerprint(data)
    assert sidecar["data"]["train_size"] == 600 and sidecar["data"]["test_size"] == 200
    assert sidecar["device"].startswith(("CPU", "GPU"))
    assert sidecar["precision"] == "float32"  # the default
    assert [layer.dtype_policy.name for layer in model.layers] == ["float32"] * len(model.layers)
    assert sidecar["training_seconds"] > 0 and sidecar["epochs_run"] == 2
    assert len(sidecar["history"]["loss"]) == 2 and len(sidecar["history"]["val_accuracy"]) == 2
    assert sidecar["parameters"] == 61706
    test = sidecar["test"]
    assert len(test["per_class_accuracy"]) == 10
    assert np.array(test["confusion_matrix"]).sum() == 200
    assert sidecar["test_accuracy"] == test["accuracy"] > 0.3
    assert set(sidecar["robustness"]) == {"clean", "flip", "rotation", "shift"}
    assert sidecar["robustness"]["clean"] == pytest.approx(sidecar["test_accuracy"])


def test_evaluate_json_matches_the_sidecar(trained_cli, tmp_path, capsys):
    _, data, out = trained_cli
    report = tmp_path / "figures.json"
    assert main(["evaluate", str(out), "--data", str(data), "--json", str(report)]) == 0
    printed = capsys.readouterr().out
    assert "Test accuracy:" in printed and "Confusion matrix" in printed
    assert "rotation ±30 deg" in printed and "x-shift ±4 px" in printed
    figures = json.loads(report.read_text(encoding="utf-8"))
    sidecar = read_sidecar(out)
    assert figures["accuracy"] == pytest.approx(sidecar["test_accuracy"], abs=1e-9)
    assert figures["confusion_matrix"] == sidecar["test"]["confusion_matrix"]
    # Same model, same images, same seeded distortions: the same figures.
    assert figures["robustness"] == sidecar["robustness"]
    assert set(figures["robustness"]["rotation"]) == {"15", "30", "45"}
    assert set(figures["robustness"]["shift"]) == {"2", "4", "6"}
    assert figures["data"] == str(data) and figures["model"] == str(out)


def test_evaluate_json_to_stdout(trained_cli, capsys):
    _, data, out = trained_cli
    assert main(["evaluate", str(out), "--data", str(data), "--json", "-"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["test_size"] == 200 and len(figures["per_class_accuracy"]) == 10


def test_evaluate_reads_the_writers_the_model_never_trained_on(
    trained_cli, tmp_path, monkeypatch, capsys
):
    import shutil

    import training.mix

    _, data, out = trained_cli
    model = tmp_path / "fold.keras"
    shutil.copy(out, model)
    sidecar = read_sidecar(out)
    sidecar["config"]["writer_fold"] = 3
    (tmp_path / "fold.json").write_text(json.dumps(sidecar), encoding="utf-8")
    folds = []

    def held_out_sets(folder=None, sources=(), fold=None):
        folds.append(fold)
        return {}

    monkeypatch.setattr(training.mix, "held_out_sets", held_out_sets)
    assert main(["evaluate", str(model), "--data", str(data), "--json", "-"]) == 0
    assert main(["evaluate", str(out), "--data", str(data), "--json", "-"]) == 0
    assert folds == [3, None]
    capsys.readouterr()


def test_missing_data_is_a_clear_error(tmp_path, capsys):
    code = main(["--data", str(tmp_path / "none.npz"), "--out", str(tmp_path / "m.keras")])
    assert code == 1
    err = capsys.readouterr().err
    assert "lenet-train: error: MNIST file not found" in err and "none.npz" in err
    assert "Traceback" not in err
    assert not (tmp_path / "m.keras").exists()


def test_corrupt_data_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"garbage")
    assert main(["evaluate", str(tmp_path / "x.keras"), "--data", str(bad)]) == 1
    assert "model file not found" in capsys.readouterr().err
    assert main(["--data", str(bad), "--out", str(tmp_path / "m.keras"), *TRAIN_ARGS]) == 1
    assert "bad.npz is not a readable MNIST .npz file" in capsys.readouterr().err


def test_out_must_be_a_keras_file(tmp_path, capsys):
    assert main(["--out", str(tmp_path / "m.h5")]) == 2
    assert "--out must end in .keras" in capsys.readouterr().err


def test_bad_option_value_is_a_clear_error(tiny_npz, tmp_path, capsys):
    code = main(
        ["--data", str(tiny_npz), "--out", str(tmp_path / "m.keras"), "--validation-split", "0.7"]
    )
    assert code == 1
    assert "validation_split must be between 0 and 0.5" in capsys.readouterr().err


def test_evaluate_refuses_a_lambda_model(tiny_npz, tmp_path, capsys):
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Flatten()(keras.layers.Lambda(lambda t: 1.0 - t)(inputs))
    path = tmp_path / "lambda.keras"
    keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x)).save(path)
    assert main(["evaluate", str(path), "--data", str(tiny_npz)]) == 1
    assert "Lambda layer" in capsys.readouterr().err


def test_top_level_help_lists_each_subcommand_on_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    for command in ("train", "evaluate", "study"):
        line = next(line for line in lines if line.split()[:1] == [command])
        assert len(line.split()) > 3, line  # the name and a description on the same line


def subcommand_parser(name: str) -> argparse.ArgumentParser:
    """The parser of one ``lenet-train`` subcommand."""
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices[name]


@pytest.mark.parametrize("name", ["train", "evaluate", "study"])
def test_every_option_is_documented(name, capsys):
    parser = subcommand_parser(name)
    with pytest.raises(SystemExit):
        main([name, "--help"])
    text = capsys.readouterr().out
    for action in parser._actions:
        assert action.help, f"{name}: {action.option_strings or action.dest} has no help"
        for option in action.option_strings:
            assert option in text


def test_train_options_can_be_added_to_any_parser(tmp_path):
    parser = add_train_options(argparse.ArgumentParser())
    args = parser.parse_args(["--out", "m.keras", "--pooling", "average", "--rotation", "5"])
    config = config_from_args(args)
    assert config.pooling == "average" and config.augmentation.rotation == 5.0
    assert config.precision == "float32"
    args = parser.parse_args(["--out", "m.keras", "--precision", "bfloat16"])
    assert config_from_args(args).precision == "bfloat16"
    assert args.out == "m.keras"


def test_train_subcommand_is_the_default(tmp_path, capsys):
    assert main(["train", "--out", str(tmp_path / "m.h5")]) == 2
    explicit = capsys.readouterr().err
    assert main(["--out", str(tmp_path / "m.h5")]) == 2
    assert capsys.readouterr().err == explicit != ""
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_every_old_option_name_still_works_without_a_subcommand():
    from training.cli import with_default_command

    old = [
        "--out", "m.keras", "--data", "d.npz", "--preset", "shipped", "--pooling", "average",
        "--activation", "tanh", "--optimizer", "sgd", "--learning-rate", "0.01",
        "--batch-size", "32", "--epochs", "3", "--seed", "7", "--validation-split", "0.2",
        "--train-limit", "500", "--rotation", "5", "--shift", "1", "--zoom", "0.05",
        "--thickness", "0.2", "--quiet",
    ]  # fmt: skip
    args = build_parser().parse_args(with_default_command(old))
    assert args.command == "train" and args.out == "m.keras" and args.data == "d.npz"
    assert args.quiet
    config = config_from_args(args)
    assert (config.pooling, config.activation, config.optimizer) == ("average", "tanh", "sgd")
    assert (config.learning_rate, config.batch_size, config.epochs, config.seed) == (
        0.01,
        32,
        3,
        7,
    )
    assert (config.validation_split, config.train_limit) == (0.2, 500)
    assert config.augmentation.__dict__ == {
        "rotation": 5.0,
        "shift": 1.0,
        "zoom": 0.05,
        "thickness": 0.2,
        # The rest comes from the preset.
        **{k: v for k, v in shipped_config().augmentation.__dict__.items() if k not in
           ("rotation", "shift", "zoom", "thickness")},
    }  # fmt: skip
    assert config.dataset == "mnist"
    off = build_parser().parse_args(with_default_command([*old, "--no-augment"]))
    assert not config_from_args(off).augmentation.enabled
