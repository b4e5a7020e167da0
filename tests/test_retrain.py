"""The Qt-free retraining job: stops promptly, never leaves half-written models behind."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from lenet_desktop.retrain import (
    RetrainError,
    RetrainRequest,
    check_writable,
    run_retrain,
    unique_model_path,
)
from training.config import TrainConfig
from training.data import file_fingerprint
from training.train import TrainingListener


def request_for(tiny_npz, models_dir, recognizer=None, **changes):
    values = {
        "config": TrainConfig(epochs=1, batch_size=32),
        "data_path": str(tiny_npz),
        "models_dir": models_dir,
        "current_model": recognizer.model if recognizer is not None else None,
        "current_sidecar": dict(recognizer.sidecar) if recognizer is not None else {},
        "current_path": recognizer.path if recognizer is not None else None,
    }
    values.update(changes)
    return RetrainRequest(**values)


class StopAtBatch(TrainingListener):
    """Sets the stop event after batch ``at`` and counts the batches that still follow."""

    def __init__(self, event, at):
        self.event, self.at, self.batches, self.after_stop = event, at, 0, 0

    def on_batch_end(self, epoch, step, steps, logs):
        self.batches += 1
        if self.event.is_set():
            self.after_stop += 1
        if self.batches == self.at:
            self.event.set()


def test_a_stop_ends_training_at_once_and_saves_nothing(tiny_npz, tmp_path):
    event = threading.Event()
    listener = StopAtBatch(event, at=5)
    request = request_for(
        tiny_npz, tmp_path / "models", config=TrainConfig(epochs=50, batch_size=16)
    )

    outcome = run_retrain(request, listeners=[listener], stop_event=event)

    assert outcome is None
    assert listener.batches == 5 and listener.after_stop == 0
    assert list((tmp_path / "models").iterdir()) == []


def test_a_failed_save_leaves_no_file(tiny_npz, tmp_path, monkeypatch):
    import training.model_io

    original = training.model_io.commit
    renamed = []

    def model_rename_fails(tmp, target):
        renamed.append(target.suffix)
        if target.suffix == ".keras":
            raise OSError("No space left on device")
        return original(tmp, target)

    # The sidecar is renamed into place, then the model's rename fails: both must go.
    monkeypatch.setattr(training.model_io, "commit", model_rename_fails)
    with pytest.raises(RetrainError, match="Could not save the new model.*No space left"):
        run_retrain(request_for(tiny_npz, tmp_path / "models"))
    assert renamed == [".json", ".keras"]
    assert list((tmp_path / "models").iterdir()) == []


def test_a_failed_evaluation_saves_nothing(tiny_npz, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise FloatingPointError("NaN in the output")

    monkeypatch.setattr("training.evaluate.robustness", broken)
    with pytest.raises(RetrainError, match="Evaluating the new model failed.*NaN"):
        run_retrain(request_for(tiny_npz, tmp_path / "models"))
    assert list((tmp_path / "models").iterdir()) == []


def test_current_figures_come_from_a_sidecar_measured_on_the_same_data(
    tiny_npz, tmp_path, shipped_recognizer
):
    recorded = {"accuracy": 0.5, "confusion_matrix": np.eye(10, dtype=int).tolist()}
    robust = {"clean": 0.5, "flip": 0.1, "rotation": {"15": 0.4}, "shift": {"2": 0.3}}
    sidecar = {
        "data": {"fingerprint": file_fingerprint(tiny_npz)},
        "test": recorded,
        "robustness": robust,
    }
    request = request_for(
        tiny_npz, tmp_path / "models", shipped_recognizer, current_sidecar=sidecar
    )

    outcome = run_retrain(request)

    assert outcome.current.report is recorded and outcome.current.robustness is robust
    assert outcome.recognizer.path == outcome.model_path
    assert outcome.model_path.is_file() and outcome.model_path.with_suffix(".json").is_file()


def test_fine_tuning_without_a_current_model_is_refused(tiny_npz, tmp_path):
    with pytest.raises(RetrainError, match="no current model"):
        run_retrain(request_for(tiny_npz, tmp_path / "models", fine_tune=True))


def test_model_names_never_collide(tmp_path):
    first = unique_model_path(tmp_path)
    first.write_bytes(b"x")
    second = unique_model_path(tmp_path)
    assert second != first and second.suffix == ".keras"


def test_an_unwritable_folder_is_refused_before_training(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RetrainError, match="Could not save"):
        check_writable(blocker / "models")


def test_a_stop_during_evaluation_ends_it_at_the_next_batch_of_images(
    tiny_npz, tmp_path, monkeypatch
):
    import training.evaluate

    event = threading.Event()
    original = training.evaluate.robustness
    calls = {"robustness": 0}

    def stop_then_measure(model, *args, **kwargs):
        calls["robustness"] += 1
        event.set()  # as if the window closed while the new model is evaluated
        return original(model, *args, **kwargs)

    monkeypatch.setattr(training.evaluate, "robustness", stop_then_measure)
    outcome = run_retrain(request_for(tiny_npz, tmp_path / "models"), stop_event=event)

    assert outcome is None
    assert calls["robustness"] == 1
    assert list((tmp_path / "models").iterdir()) == []
