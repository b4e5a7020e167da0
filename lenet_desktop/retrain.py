"""Retrain or fine-tune the app's model, evaluate it next to the current one, save it (no Qt).

:func:`run_retrain` is what the GUI's training worker runs on its thread: load
the data, train through :func:`training.train.train`, evaluate the new model
(and the current one on the same test set), then save model and sidecar
atomically in the user's models folder. Problems a user can cause come back as
:class:`RetrainError` with a message to show; a requested stop returns
``None``. Nothing is written unless every step before saving succeeded.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from training.config import TrainConfig

log = logging.getLogger(__name__)

CANCEL_STEPS = 2
"""Training steps per graph call in the app, which bounds how long Cancel waits."""

COMMAND = "LeNet Desktop: Model → Retrain…"


class RetrainError(RuntimeError):
    """Retraining failed for a reason the user should read; nothing was saved."""


@dataclass
class RetrainRequest:
    """Everything one retraining run needs."""

    config: TrainConfig
    data_path: str | None
    """MNIST-layout ``.npz``; ``None`` resolves it as :func:`training.data.load_mnist` does."""
    models_dir: Path
    current_model: object | None = None
    """Keras model in use now: compared with the new one, and the start point when fine-tuning.
    ``None`` with :attr:`current_path` set: it is loaded from there on the worker's thread."""
    current_sidecar: dict = field(default_factory=dict)
    current_path: Path | None = None
    fine_tune: bool = False
    user_samples: tuple[np.ndarray, np.ndarray] | None = None
    """The user's own samples (uint8 images, labels), mixed in when fine-tuning."""
    sample_repeat: int = 20


@dataclass
class ModelFigures:
    """Test-set figures of one model."""

    report: dict
    """:func:`training.evaluate.evaluate_model` output."""
    robustness: dict
    """:func:`training.evaluate.robustness` output."""
    user_accuracy: float | None = None
    """Accuracy on the user's own samples, when there are some."""

    @property
    def accuracy(self) -> float:
        """Test accuracy in [0, 1]."""
        return float(self.report["accuracy"])


@dataclass
class RetrainOutcome:
    """A finished run: the saved model, its figures and the current model's."""

    model_path: Path
    recognizer: object
    """:class:`lenet_desktop.model.Recognizer` loaded back from ``model_path``."""
    new: ModelFigures
    current: ModelFigures | None
    history: dict
    seconds: float
    device: str
    epochs_run: int
    test_size: int
    user_sample_count: int
    fine_tuned: bool


def unique_model_path(folder: str | os.PathLike) -> Path:
    """A fresh ``lenet5-YYYYmmdd-HHMMSS[-n].keras`` path in ``folder``."""
    folder = Path(folder)
    stem = "lenet5-" + time.strftime("%Y%m%d-%H%M%S")
    candidate, number = folder / f"{stem}.keras", 2
    while candidate.exists() or candidate.with_suffix(".json").exists():
        candidate, number = folder / f"{stem}-{number}.keras", number + 1
    return candidate


def discard_saved_model(path: str | os.PathLike) -> None:
    """Delete a saved model and its sidecar (missing files are fine)."""
    target = Path(path)
    for file in (target, target.with_suffix(".json")):
        try:
            file.unlink()
        except (FileNotFoundError, NotADirectoryError):
            continue


def check_writable(folder: str | os.PathLike) -> None:
    """Create ``folder`` if needed; raise :class:`RetrainError` unless it can be written."""
    from lenet_desktop.paths import DataFolderError, ensure_folder

    try:
        ensure_folder(folder, "The models folder")
    except DataFolderError as exc:
        raise RetrainError(f"Could not save the new model: {exc}") from exc


def run_retrain(
    request: RetrainRequest,
    *,
    listeners=(),
    stop_event=None,
    progress: Callable[[str], None] = lambda text: None,
) -> RetrainOutcome | None:
    """Train, evaluate and save one model.

    Parameters
    ----------
    request : RetrainRequest
    listeners : sequence of training.train.TrainingListener
        Receive per-batch and per-epoch progress.
    stop_event : threading.Event, optional
        When set, the run stops at the next batch (or evaluation step) and
        returns ``None`` without saving anything.
    progress : callable
        Receives a short description of each stage ("Loading data…").

    Returns
    -------
    RetrainOutcome or None
        ``None`` when stopped.

    Raises
    ------
    RetrainError
        Missing or corrupt data, bad settings, a failure inside training or
        evaluation, or a folder that cannot be written.
    """
    from training.data import DataError, load_mnist
    from training.train import train

    def stopped() -> bool:
        return stop_event is not None and stop_event.is_set()

    # Fail before training, not after it, when the model could never be saved.
    check_writable(request.models_dir)
    progress("Loading the training data…")
    try:
        data = load_mnist(request.data_path or None)
    except DataError as exc:
        raise RetrainError(f"Cannot use the training data: {exc}") from exc
    if stopped():
        return None

    current_model = _current_model(request, progress)
    extra = None
    samples = request.user_samples
    if request.fine_tune:
        if current_model is None:
            raise RetrainError("There is no current model to fine-tune; wait until it has loaded.")
        if samples is not None and len(samples[0]):
            extra = samples
    progress("Training…")
    try:
        result = train(
            request.config,
            data,
            listeners=listeners,
            stop_event=stop_event,
            initial_model=current_model if request.fine_tune else None,
            extra=extra,
            extra_repeat=request.sample_repeat,
            # Two steps per call into the graph: Cancel then takes effect within two
            # batches, at little cost in speed against the command line's eight.
            steps_per_execution=CANCEL_STEPS,
        )
    except ValueError as exc:
        raise RetrainError(f"These settings cannot be used: {exc}") from exc
    except Exception as exc:  # the worker boundary: any crash becomes a message
        log.exception("training failed")
        raise RetrainError(f"Training failed: {type(exc).__name__}: {exc}") from exc
    if result.stopped or stopped():
        return None

    try:
        new = _figures(_Stoppable(result.model, stopped), data, samples, progress, "new model")
        current = None
        if current_model is not None:
            stoppable = _Stoppable(current_model, stopped)
            current = _current_figures(request, stoppable, data, samples, progress)
        from training.evaluate import robustness_curves

        progress("Measuring accuracy curves for the Robustness panel…")
        curves = robustness_curves(_Stoppable(result.model, stopped), data.x_test, data.y_test)
    except _StoppedError:
        return None
    except Exception as exc:  # evaluation runs the model: report, save nothing
        log.exception("evaluation failed")
        raise RetrainError(f"Evaluating the new model failed: {type(exc).__name__}: {exc}") from exc

    metadata = _metadata(request, result, data, new, current, curves, extra)
    outcome = _save(request, result, data, new, current, metadata, samples, progress)
    if stopped():
        # A stop that arrives while saving (the window closing) still leaves nothing behind.
        discard_saved_model(outcome.model_path)
        return None
    return outcome


def _current_model(request: RetrainRequest, progress):
    """The Keras model in use now: the request's, else loaded from its file (or ``None``)."""
    if request.current_model is not None or request.current_path is None:
        return request.current_model
    from training.model_io import ModelLoadError, load_model

    progress("Loading the current model…")
    try:
        return load_model(request.current_path)
    except ModelLoadError as exc:
        if request.fine_tune:
            raise RetrainError(f"Cannot fine-tune the current model: {exc}") from exc
        # Only the side-by-side comparison needs it: train anyway, compare with nothing.
        log.warning("the current model cannot be compared: %s", exc)
        return None


class _StoppedError(Exception):
    """Raised inside evaluation when the stop event is set."""


class _Stoppable:
    """Calls a Keras model, but first raises :class:`_StoppedError` once a stop was asked.

    ``training.evaluate`` runs the model in batches of 2000 images, so a stop
    during evaluation takes effect within one such batch.
    """

    def __init__(self, model, stopped: Callable[[], bool]):
        self.model = model
        self.stopped = stopped

    def __call__(self, images, training: bool = False):
        if self.stopped():
            raise _StoppedError
        return self.model(images, training=training)


def _figures(model, data, samples, progress, name) -> ModelFigures:
    from training.evaluate import evaluate_model, robustness

    progress(f"Testing the {name} on {len(data.x_test)} test images…")
    report = evaluate_model(model, data.x_test, data.y_test)
    progress(f"Measuring the robustness of the {name}…")
    robust = robustness(model, data.x_test, data.y_test)
    return ModelFigures(report, robust, _sample_accuracy(model, samples))


def _sample_accuracy(model, samples) -> float | None:
    if samples is None or not len(samples[0]):
        return None
    from training.evaluate import predict_classes

    return float(np.mean(predict_classes(model, samples[0]) == np.asarray(samples[1])))


def _current_figures(request, model, data, samples, progress) -> ModelFigures:
    """The current model's figures on this test set, from its sidecar when that matches."""
    sidecar = request.current_sidecar or {}
    same_data = (sidecar.get("data") or {}).get("fingerprint") == data.fingerprint
    report, robust = sidecar.get("test"), sidecar.get("robustness")
    if same_data and isinstance(report, dict) and isinstance(robust, dict):
        return ModelFigures(report, robust, _sample_accuracy(model, samples))
    return _figures(model, data, samples, progress, "current model")


def _metadata(request, result, data, new, current, curves, extra) -> dict:
    from training.cli import build_metadata

    metadata = build_metadata(result, data, new.report, new.robustness, command=COMMAND)
    metadata["robustness_curves"] = curves
    if request.fine_tune:
        metadata["fine_tuned_from"] = str(request.current_path) if request.current_path else None
        metadata["user_samples"] = {
            "count": 0 if extra is None else int(len(extra[0])),
            "repeat": int(request.sample_repeat),
            "accuracy_before": None if current is None else current.user_accuracy,
            "accuracy_after": new.user_accuracy,
        }
    return metadata


def _save(request, result, data, new, current, metadata, samples, progress) -> RetrainOutcome:
    from lenet_desktop.model import Recognizer
    from training.model_io import ModelLoadError, save_model

    progress("Saving the new model…")
    path = unique_model_path(request.models_dir)
    try:
        save_model(result.model, path, metadata)
    except OSError as exc:
        discard_saved_model(path)
        raise RetrainError(f"Could not save the new model in {path.parent}: {exc}") from exc
    try:
        recognizer = Recognizer.from_file(path)
    except ModelLoadError as exc:
        discard_saved_model(path)
        raise RetrainError(f"The saved model could not be read back: {exc}") from exc
    return RetrainOutcome(
        model_path=path,
        recognizer=recognizer,
        new=new,
        current=current,
        history=dict(result.history),
        seconds=result.seconds,
        device=result.device,
        epochs_run=result.epochs_run,
        test_size=int(len(data.x_test)),
        user_sample_count=0 if samples is None else int(len(samples[0])),
        fine_tuned=request.fine_tune,
    )
