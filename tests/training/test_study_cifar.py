"""``lenet-train study --groups dataset``: MNIST against CIFAR-10, or a plain note when skipped."""

from __future__ import annotations

import contextlib
import io
import json
import re

import cv2
import numpy as np
import pytest

from tests.training.cifar_files import write_cifar_folder
from tests.training.conftest import tiny_arrays, write_npz
from training import cli
from training.cifar import CLASS_NAMES, ENV_VAR
from training.study.render import pct

ARGS = ["study", "--quick", "--epochs", "1", "--groups", "dataset"]


def run_study(out, *extra):
    """``lenet-train study`` with ARGS; return (exit code, stderr)."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = cli.main([*ARGS, *extra, "--out", str(out)])
    return code, stderr.getvalue()


def trained_runs(out) -> dict[str, dict]:
    """Run records of a study folder by file name."""
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in (out / "runs").glob("*.json")
    }


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Tiny MNIST .npz and tiny CIFAR-10 batches on disk."""
    folder = tmp_path_factory.mktemp("study-cifar")
    mnist = folder / "tiny.npz"
    write_npz(mnist, **tiny_arrays(n_train=300, n_test=100))
    cifar = folder / "cifar-10-batches-py"
    write_cifar_folder(cifar)
    return folder, mnist, cifar


@pytest.fixture(scope="module")
def compared(files):
    """A study of the data-set group with both data sets found."""
    folder, mnist, cifar = files
    out = folder / "both"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        code, stderr = run_study(out, "--data", str(mnist), "--cifar-data", str(cifar))
    return code, stderr, out


def test_both_models_train_with_the_same_layers(compared, files):
    code, _, out = compared
    assert code == 0
    runs = list(trained_runs(out).values())
    assert sorted(r["config"]["dataset"] for r in runs) == ["cifar10", "mnist"]
    cifar = next(r for r in runs if r["config"]["dataset"] == "cifar10")
    mnist = next(r for r in runs if r["config"]["dataset"] == "mnist")
    assert (cifar["parameters"], mnist["parameters"]) == (62006, 61706)
    assert {k: v for k, v in cifar["config"].items() if k != "dataset"} == {
        k: v for k, v in mnist["config"].items() if k != "dataset"
    }
    assert set(cifar["robustness"]) == {"clean", "flip"}
    assert np.asarray(cifar["test"]["confusion_matrix"]).sum() == 60
    study = json.loads((out / "study.json").read_text(encoding="utf-8"))
    assert study["datasets"]["cifar10"]["source"] == str(files[2])
    assert study["skipped"] == []


def test_report_has_the_cifar_section(compared):
    _, _, out = compared
    page = (out / "index.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    cifar = next(r for r in trained_runs(out).values() if r["config"]["dataset"] == "cifar10")
    assert "Data set: MNIST and CIFAR-10 with the same LeNet-5 layers" in page
    assert "66–77%" in page and "62,006" in page
    section = markdown.split("## Data set")[1].split("\n## ")[0]
    assert pct(cifar["test"]["accuracy"]) in section
    per_class = section.split("### CIFAR-10 per class")[1]
    for name, acc in zip(CLASS_NAMES, cifar["test"]["per_class_accuracy"], strict=True):
        assert f"| {name} | {pct(acc)} |" in per_class
    classic = markdown.split("## Classic study beside ours")[1].split("\n## ")[0]
    assert "| LeNet on CIFAR-10, test accuracy | 66–77% |" in classic
    for name in ("dataset.png", "dataset_curves.png", "cifar10_per_class.png"):
        assert f"figures/{name}" in page
    for source in re.findall(r'<img src="([^"]+)"', page):
        image = cv2.imread(str(out / source))
        assert image is not None and image.std() > 0, source


def test_missing_cifar_is_skipped_and_said_so(files, tmp_path, monkeypatch):
    folder, mnist, cifar = files
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-cifar-here"))
    out = tmp_path / "study"
    code, stderr = run_study(out, "--data", str(mnist))
    assert code == 0
    assert "CIFAR-10 comparison skipped: LENET_CIFAR10 points to" in stderr
    assert [r["config"]["dataset"] for r in trained_runs(out).values()] == ["mnist"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "CIFAR-10 was skipped: LENET_CIFAR10 points to" in page
    assert "no-cifar-here, which does not exist" in page
    assert "CIFAR-10 per class" not in page
    # With the data in place, the same command trains only the CIFAR-10 model.
    monkeypatch.setenv(ENV_VAR, str(cifar))
    code, _ = run_study(out, "--data", str(mnist))
    assert code == 0
    assert sorted(r["config"]["dataset"] for r in trained_runs(out).values()) == [
        "cifar10",
        "mnist",
    ]
    assert "0 reused" not in (out / "report.md").read_text(encoding="utf-8")
    assert "1 runs trained, 1 reused" in (out / "report.md").read_text(encoding="utf-8")


def test_an_explicit_bad_cifar_path_is_an_error(files, tmp_path, capsys):
    _, mnist, _ = files
    code = cli.main([*ARGS, "--data", str(mnist), "--cifar-data", str(tmp_path / "nope")])
    assert code == 1
    assert "CIFAR-10 not found" in capsys.readouterr().err


def test_the_classic_cifar_range_is_drawn_over_its_bar():
    from training.study.analysis import CLASSIC_CIFAR
    from training.study.figures import CLASSIC_COLOUR, accuracy_bars

    runs = [{"test": {"accuracy": a}, "epochs_run": 3} for a in (0.97, 0.41)]
    labels = ["MNIST", "CIFAR-10"]

    def red_columns(png: bytes) -> np.ndarray:
        image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
        red = np.array([int(CLASSIC_COLOUR[i : i + 2], 16) for i in (5, 3, 1)])  # BGR
        close = np.abs(image.astype(int) - red).sum(axis=2) < 40
        return np.flatnonzero(close.any(axis=0)), image.shape[1]

    plain, width = red_columns(accuracy_bars("Data set", labels, runs, {}))
    banded, _ = red_columns(
        accuracy_bars("Data set", labels, runs, {}, {"CIFAR-10": CLASSIC_CIFAR})
    )
    assert len(plain) == 0
    # The range is a box as wide as the CIFAR-10 bar (right half), not only a legend swatch.
    assert (banded > width / 2).sum() > width * 0.2
