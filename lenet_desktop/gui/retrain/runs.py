"""The training runs of the Retrain dialog, kept so their curves can be compared.

Every run that trained at least one batch is recorded with its settings and
its curves, and kept in a small JSON file in the user's data folder, beside
the folder of retrained models (written atomically), so runs from earlier
sessions can be compared too. Only the last :data:`MAX_RUNS` are kept.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lenet_desktop.gui.wording import plural
from training.atomic import write_bytes_atomic

log = logging.getLogger(__name__)

RUNS_FILE = "training-runs.json"
MAX_RUNS = 8
MAX_POINTS = 300
"""Training curves are thinned to this many points when a run is recorded."""
CURVE_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")
OPTIMIZERS = {"adam": "Adam", "sgd": "SGD", "sgd_momentum": "SGD+momentum", "rmsprop": "RMSprop"}


def settings_text(config, fine_tune: bool = False) -> str:
    """The settings of a run in a few words: "Adam 0.001, batch 128, 3 epochs, max pool, relu"."""
    parts = [
        f"{OPTIMIZERS.get(config.optimizer, config.optimizer)} {config.learning_rate:g}",
        f"batch {config.batch_size}",
        plural(config.epochs, "epoch"),
        f"{config.pooling} pool",
        config.activation,
    ]
    if config.train_limit:
        parts.append(plural(config.train_limit, "image"))
    augmentation = config.augmentation
    if augmentation.rotation or augmentation.shift:
        parts.append(f"aug ±{augmentation.rotation:g}°/±{augmentation.shift:g} px")
    if fine_tune:
        parts.insert(0, "fine-tune")
    return ", ".join(parts)


def thin(xs: list[float], ys: list[float], limit: int = MAX_POINTS) -> tuple[list, list]:
    """At most ``limit`` evenly spaced points of a curve, the last one always kept."""
    if len(xs) <= limit:
        return list(xs), list(ys)
    step = len(xs) / limit
    picks = sorted({int(i * step) for i in range(limit)} | {len(xs) - 1})
    return [xs[i] for i in picks], [ys[i] for i in picks]


@dataclass
class RunRecord:
    """One training run: its settings, how it ended and its curves (x in epochs)."""

    number: int
    settings: str
    outcome: str
    """"98.91 % test accuracy", "cancelled" or "failed"."""
    curves: dict[str, list[list[float]]] = field(default_factory=dict)
    """``{key: [xs, ys]}`` for :data:`CURVE_KEYS`."""
    created: float = field(default_factory=time.time)

    def label(self) -> str:
        """The run's legend entry."""
        return f"run {self.number}: {self.settings} → {self.outcome}"


class RunHistory:
    """The recorded runs, oldest first, kept in ``folder``/:data:`RUNS_FILE`."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / RUNS_FILE
        self.runs: list[RunRecord] = self._read()

    def _read(self) -> list[RunRecord]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return [RunRecord(**item) for item in raw["runs"]][-MAX_RUNS:]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, TypeError, KeyError) as exc:
            # The comparison is a convenience: a damaged file starts a new history.
            log.warning("ignoring unreadable run history %s: %s", self.path, exc)
            return []

    def next_number(self) -> int:
        """The number the next run gets."""
        return max((run.number for run in self.runs), default=0) + 1

    def add(self, settings: str, outcome: str, data: dict) -> RunRecord | None:
        """Record a run from its curve data (``{key: (xs, ys)}``); ``None`` if it has no points."""
        curves = {key: [list(v) for v in thin(*data[key])] for key in CURVE_KEYS if data[key][0]}
        if not curves:
            return None
        run = RunRecord(self.next_number(), settings, outcome, curves)
        self.runs = (self.runs + [run])[-MAX_RUNS:]
        self._write()
        return run

    def clear(self) -> None:
        """Forget every run."""
        self.runs = []
        self._write()

    def _write(self) -> None:
        payload = {"runs": [asdict(run) for run in self.runs]}
        try:
            write_bytes_atomic(self.path, json.dumps(payload).encode("utf-8"))
        except OSError as exc:
            log.warning("could not save the run history %s: %s", self.path, exc)
