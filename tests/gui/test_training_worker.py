"""The training worker's listener: throttled progress and smoothed curves from Keras's means."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from lenet_desktop.gui.retrain.worker import _SignalListener


def stub_worker():
    sent = []
    signal = SimpleNamespace(emit=lambda *args: sent.append(args))
    return SimpleNamespace(batch_done=signal, training_started=signal, epoch_done=signal), sent


@pytest.mark.parametrize("group", [1, 8])
def test_batch_values_are_recovered_from_the_epoch_means(group):
    worker, sent = stub_worker()
    listener = _SignalListener(worker)
    per_batch = np.linspace(2.0, 0.5, 64)  # a falling loss, one value per batch
    means = np.cumsum(per_batch) / np.arange(1, 65)
    for step in range(group - 1, 64, group):
        listener.on_batch_end(0, step, 64, {"loss": float(means[step])})
        group_mean = per_batch[step - group + 1 : step + 1].mean()
        if step == group - 1:
            assert listener.smooth["loss"] == pytest.approx(group_mean)
    # The smoothed curve follows the recent batches (last 0.5), not the epoch mean (1.25).
    assert 0.5 < listener.smooth["loss"] < 0.8
    assert means[-1] == pytest.approx(1.25)
    # The last report always goes out, however fast batches arrive.
    assert sent[-1][1] == 63 and "smooth_loss" in sent[-1][3]


def test_a_new_epoch_restarts_the_recovery():
    worker, _ = stub_worker()
    listener = _SignalListener(worker)
    for step in range(10):
        listener.on_batch_end(0, step, 10, {"accuracy": 0.5})
    listener.on_batch_end(1, 0, 10, {"accuracy": 0.9})
    assert listener.smooth["accuracy"] == pytest.approx(0.5 + 0.1 * 0.4)


def test_epoch_results_are_forwarded():
    worker, sent = stub_worker()
    _SignalListener(worker).on_epoch_end(2, {"val_accuracy": 0.97, "val_loss": 0.1})
    assert sent == [(2, {"val_accuracy": 0.97, "val_loss": 0.1})]
