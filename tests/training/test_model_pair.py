"""A model and its sidecar are one unit (issue 13 items 3 and 8)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest

from tests.conftest import REPO
from training import atomic
from training.lenet import build_lenet5
from training.model_io import (
    FINGERPRINT_KEY,
    SIDECAR_MISMATCH,
    check_sidecar,
    load_model,
    read_sidecar,
    save_model,
    sidecar_path,
    weights_fingerprint,
)


@pytest.fixture(scope="module")
def two_models():
    keras.utils.set_random_seed(0)
    return build_lenet5(), build_lenet5()


def test_sidecar_holds_the_fingerprint_of_the_saved_weights(two_models, tmp_path):
    first, _ = two_models
    target = save_model(first, tmp_path / "m.keras", {"test_accuracy": 0.99})
    recorded = read_sidecar(target)[FINGERPRINT_KEY]
    assert recorded == weights_fingerprint(load_model(target).get_weights())
    assert check_sidecar(read_sidecar(target), recorded).state == "verified"


def test_fingerprint_changes_with_any_weight():
    weights = [np.zeros((3, 3), np.float32), np.ones(3, np.float32)]
    changed = [w.copy() for w in weights]
    changed[0][1, 2] = 1e-7
    assert weights_fingerprint(weights) != weights_fingerprint(changed)
    assert weights_fingerprint(weights) == weights_fingerprint([w.copy() for w in weights])


def test_save_killed_between_the_renames_is_detected(two_models, tmp_path, monkeypatch):
    """The new sidecar lands, the process dies before the model's rename: a mismatch."""
    from lenet_desktop.model import Recognizer

    old, new = two_models
    target = tmp_path / "m.keras"
    save_model(old, target, {"test_accuracy": 0.9949, "command": "--preset shipped"})
    renames = []
    real_replace = os.replace

    def dying_replace(src, dst):
        renames.append(dst)
        if len(renames) == 2:
            raise KeyboardInterrupt("killed")  # stands in for the kill: no later step runs
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        save_model(new, target, {"test_accuracy": 0.57})
    monkeypatch.undo()
    assert [p.name for p in renames] == ["m.json", "m.keras"]  # sidecar first, then model
    recognizer = Recognizer.from_file(target)
    assert recognizer.sidecar_state == "mismatch"
    assert recognizer.sidecar == {}
    assert recognizer.test_accuracy is None
    assert SIDECAR_MISMATCH in recognizer.sidecar_note


def test_model_copied_over_another_models_pair_is_a_mismatch(two_models, tmp_path):
    from lenet_desktop.gui.help.about import model_summary
    from lenet_desktop.model import Recognizer

    old, new = two_models
    save_model(old, tmp_path / "a.keras", {"test_accuracy": 0.9949})
    save_model(new, tmp_path / "b.keras", {"test_accuracy": 0.57})
    (tmp_path / "a.keras").write_bytes((tmp_path / "b.keras").read_bytes())
    recognizer = Recognizer.from_file(tmp_path / "a.keras")
    assert recognizer.sidecar_state == "mismatch"
    assert "99.49%" not in model_summary(recognizer)
    assert SIDECAR_MISMATCH in model_summary(recognizer)


def test_sidecar_without_fingerprint_is_shown_as_unverified(two_models, tmp_path):
    from lenet_desktop.gui.help.about import about_html, model_summary
    from lenet_desktop.model import Recognizer

    old, _ = two_models
    target = save_model(old, tmp_path / "m.keras", {"test_accuracy": 0.9949})
    sidecar = read_sidecar(target)
    del sidecar[FINGERPRINT_KEY]
    sidecar_path(target).write_text(json.dumps(sidecar), encoding="utf-8")
    recognizer = Recognizer.from_file(target)
    assert recognizer.sidecar_state == "unverified"
    assert recognizer.test_accuracy == pytest.approx(0.9949)
    assert "99.49% (unverified)" in model_summary(recognizer)
    assert "99.49% (unverified)" in about_html(recognizer, target)


def test_about_names_the_training_precision_only_where_it_was_not_float32():
    from lenet_desktop.gui.help.about import trained_on

    assert trained_on({"device": "CPU (2 cores)"}) == "CPU (2 cores)"  # before precision
    assert trained_on({"device": "CPU (2 cores)", "precision": "float32"}) == "CPU (2 cores)"
    assert trained_on({"device": "GPU (H100)", "precision": "bfloat16"}) == (
        "GPU (H100), layers in bfloat16 (weights in float32)"
    )
    assert trained_on({}) == "unknown"


def test_save_without_metadata_still_pairs_the_files(two_models, tmp_path):
    from lenet_desktop.model import Recognizer

    old, new = two_models
    target = save_model(old, tmp_path / "m.keras", {"test_accuracy": 0.9949})
    save_model(new, target)
    recognizer = Recognizer.from_file(target)
    assert recognizer.sidecar_state == "verified"
    assert recognizer.test_accuracy is None  # the old figures went with the old model


KILLED_WRITER = """
import sys, time
from training.atomic import write_atomic

def writer(tmp):
    open(tmp, "wb").close()
    print("writing", flush=True)
    time.sleep(60)

write_atomic(sys.argv[1], writer, suffix=".keras")
"""


def test_temp_file_of_a_killed_save_is_removed_by_the_next_save(two_models, tmp_path):
    target = tmp_path / "m.keras"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".m.keras.")]
    assert len(left) == 1 and left[0].stat().st_size == 0
    save_model(two_models[0], target, {"v": 1})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.keras"]


def test_temp_files_of_running_writers_and_other_files_are_kept(tmp_path):
    target = tmp_path / "settings.json"
    running = atomic.temp_path(target)  # this process: still writing
    running.write_bytes(b"")
    unnamed_recent = tmp_path / ".settings.json.abc_defg.tmp"
    unnamed_old = tmp_path / ".settings.json.old_onex.tmp"
    users_own = tmp_path / ".settings.json.my notes"  # hidden, but not a temporary file
    other = tmp_path / ".other.json.123.abcdef01.tmp"
    old = time.time() - 2 * atomic.UNNAMED_TEMP_AGE_S
    for path in (unnamed_recent, unnamed_old, users_own, other):
        path.write_bytes(b"")
    for path in (unnamed_old, users_own):
        os.utime(path, (old, old))
    atomic.write_json_atomic(target, {"a": 1})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [running.name, unnamed_recent.name, users_own.name, other.name, "settings.json"]
    )
