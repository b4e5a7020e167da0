"""``lenet-train study`` on generated data: report, plots, figures of every run, resume."""

from __future__ import annotations

import contextlib
import io
import json
import re
from dataclasses import replace

import cv2
import numpy as np
import pytest

import training.train as train_module
from tests.training.conftest import tiny_arrays, write_npz
from training import cli
from training.latest_report import latest_report_path
from training.study.plan import build_plan, plan_runs
from training.study.render import pct

ARGS = ["--quick", "--epochs", "1", "--groups", "pooling,augmentation"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class CountingTrain:
    """Wraps training.train.train and counts the models it trains."""

    def __init__(self, original):
        self.original = original
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.original(*args, **kwargs)


def run(out, data, monkeypatch):
    """Run ``lenet-train study`` on the .npz ``data``; return (exit code, trainings, stderr)."""
    counter = CountingTrain(train_module.train)
    monkeypatch.setattr(train_module, "train", counter)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = cli.main(["study", *ARGS, "--data", str(data), "--out", str(out)])
    monkeypatch.setattr(train_module, "train", counter.original)
    return code, counter.calls, stderr.getvalue()


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """One tiny study (3 distinct models, 1 epoch each) shared by the tests below."""
    out = tmp_path_factory.mktemp("study")
    data = out / "tiny.npz"
    write_npz(data, **tiny_arrays(n_train=400, n_test=120))
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("XDG_DATA_HOME", str(out / "xdg"))
        code, trained, stderr = run(out / "report", data, monkeypatch)
        latest = latest_report_path()
    return {
        "out": out / "report",
        "data": data,
        "code": code,
        "trained": trained,
        "stderr": stderr,
        "latest": latest,
        "xdg": out / "xdg",
    }


def test_study_trains_each_distinct_setting_once(study):
    assert study["code"] == 0
    # pooling: average (the base), max; augmentation: off (the base), on
    assert study["trained"] == 3
    assert len(list((study["out"] / "runs").glob("*.json"))) == 3


def test_progress_bar_covers_the_whole_study(study):
    lines = study["stderr"].splitlines()
    assert any("run 1/3" in line for line in lines)
    assert any("100% run 3/3" in line for line in lines)
    assert "ETA" in study["stderr"]


def test_report_shows_every_figure_it_references(study):
    page = (study["out"] / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) >= 8  # 3 per comparison plus 2 confusion figures
    for source in sources:
        path = study["out"] / source
        blob = path.read_bytes()
        assert blob[:8] == PNG_SIGNATURE, source
        image = cv2.imdecode(np.frombuffer(blob, np.uint8), cv2.IMREAD_COLOR)
        assert image is not None and image.shape[0] > 100 and image.shape[1] > 100
        assert image.std() > 0  # not a blank canvas
    markdown = (study["out"] / "report.md").read_text(encoding="utf-8")
    assert sorted(re.findall(r"\]\((figures/[^)]+\.png)\)", markdown)) == sorted(sources)


def test_report_tables_hold_each_runs_numbers(study):
    page = (study["out"] / "index.html").read_text(encoding="utf-8")
    markdown = (study["out"] / "report.md").read_text(encoding="utf-8")
    for path in (study["out"] / "runs").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        assert record["epochs_run"] == 1
        assert len(record["robustness"]["rotation"]["accuracy"]) == 8
        assert np.asarray(record["test"]["confusion_matrix"]).sum() == 120
        row = next(line for line in markdown.splitlines() if record["run_id"] in line)
        assert pct(record["test"]["accuracy"]) in row
        assert pct(record["robustness"]["flip"]) in row
        assert record["run_id"] in page
        assert f'<td class="num">{pct(record["test"]["accuracy"])}</td>' in page
    assert "Classic study beside ours" in page
    assert "98% → 70%" in page
    assert "CPU" in page or "GPU" in page


def test_latest_report_is_recorded_for_the_app(study):
    assert study["latest"] == (study["out"] / "index.html").resolve()


def test_rerun_resumes_and_redoes_only_missing_runs(study, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(study["xdg"]))
    runs = sorted((study["out"] / "runs").glob("*.json"))
    stamps = {p: p.stat().st_mtime_ns for p in runs}

    code, trained, _ = run(study["out"], study["data"], monkeypatch)
    assert (code, trained) == (0, 0)
    assert {p: p.stat().st_mtime_ns for p in runs} == stamps
    assert "0 runs trained, 3 reused" in (study["out"] / "report.md").read_text(encoding="utf-8")

    # An interrupted study lacks the JSON of the run it was training.
    runs[0].unlink()
    code, trained, _ = run(study["out"], study["data"], monkeypatch)
    assert (code, trained) == (0, 1)
    assert runs[0].is_file()
    assert all(p.stat().st_mtime_ns == stamps[p] for p in runs[1:])


def test_plans_share_the_base_run_and_cover_the_classic_study():
    quick, full = build_plan(quick=True), build_plan(quick=False)
    assert {e.group for e in full.experiments} == {
        "optimizer",
        "batch_size",
        "pooling",
        "activation",
        "augmentation",
        "dataset",
    }
    full_batches = [e.config.batch_size for e in full.experiments if e.group == "batch_size"]
    assert full_batches == [2**k for k in range(2, 12)]
    assert {e.config.epochs for e in full.experiments} == {10}
    assert {e.config.train_limit for e in full.experiments} == {None}
    # 4 optimizers + 9 other batch sizes + max pooling + relu, sigmoid + augmentation on
    # + CIFAR-10
    fingerprints = {"mnist": "x", "cifar10": "y"}
    assert len(plan_runs(full, fingerprints)) == 18
    assert quick.robustness_limit == 2000
    assert {e.config.train_limit for e in quick.experiments} == {12000}
    assert min(e.config.batch_size for e in quick.experiments) >= 16
    assert len(plan_runs(quick, fingerprints)) == 14
    cifar = [e for e in quick.experiments if e.config.dataset == "cifar10"]
    assert [(e.group, e.label) for e in cifar] == [("dataset", "CIFAR-10")]
    assert cifar[0].config == replace(quick.base, dataset="cifar10")


def test_run_ids_of_digit_runs_are_those_of_earlier_studies():
    # Ids made by the study before CIFAR-10 was added: its finished runs must be reused.
    # A new TrainConfig field changes them unless plan.LATER_FIELDS lists its default.
    from training.study.plan import base_config, run_id

    assert run_id(base_config(3, 12000), "sha256:abc", 2000) == (
        "adam-b128-average-tanh-noaug-e3-92058407"
    )
    sgd = replace(base_config(10, None), optimizer="sgd", learning_rate=0.01)
    assert run_id(sgd, "sha256:abc", None) == "sgd-b128-average-tanh-noaug-e10-04cde994"
    cifar = run_id(replace(base_config(3, 12000), dataset="cifar10"), "sha256:abc", 2000)
    assert cifar.startswith("cifar10-adam-b128-average-tanh-noaug-e3-")
    assert not cifar.endswith("92058407")


def test_cli_reports_bad_group_and_missing_data(tmp_path, capsys):
    assert cli.main(["study", "--groups", "colour", "--out", str(tmp_path)]) == 1
    assert "unknown study group colour" in capsys.readouterr().err
    missing = tmp_path / "nope.npz"
    assert cli.main(["study", "--quick", "--data", str(missing), "--out", str(tmp_path)]) == 1
    assert "not found" in capsys.readouterr().err
