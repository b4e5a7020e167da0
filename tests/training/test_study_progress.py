"""The study's progress: a rich bar in a terminal, one plain line per step in a log."""

from __future__ import annotations

import io

from rich.console import Console

from training.config import TrainConfig
from training.study.progress import StudyProgress, clock, eval_images, run_cost

CONFIG = TrainConfig(epochs=2, batch_size=32)


def drive(bar: StudyProgress, runs: list[str]) -> None:
    """What the runner does: every run trains two epochs of three batches, then is saved."""
    for rid in runs:
        bar.start_run(rid, CONFIG)
        for epoch in range(2):
            for step in range(3):
                bar.on_batch_end(epoch, step, 3, {"loss": 1.0})
            bar.on_epoch_end(epoch, {"val_accuracy": 0.5 + 0.1 * epoch})
        bar.on_train_end(None)
        bar.finish_run()
    bar.close()


def costs(runs):
    return {rid: run_cost(CONFIG, 1000, eval_images(100, None)) for rid in runs}


def test_log_gets_one_line_per_run_start_epoch_and_end():
    stream = io.StringIO()
    runs = ["adam-b32-max-relu-noaug-e2-aaaa1111", "sgd-b32-max-relu-noaug-e2-bbbb2222"]
    drive(StudyProgress(costs(runs), console=Console(file=stream)), runs)
    lines = stream.getvalue().splitlines()
    # start, 2 epochs, evaluating, saved: 5 lines per run, and no terminal control codes.
    assert len(lines) == 10
    assert "\x1b" not in stream.getvalue()
    assert lines[0].startswith("study   0% run 1/2 adam-b32-max-relu-noaug-e2 starting")
    assert "epoch 2/2 val 60.0%" in lines[2]
    assert lines[-1].startswith("study 100% run 2/2 sgd-b32-max-relu-noaug-e2 saved")
    assert all("elapsed, ETA" in line for line in lines)
    percents = [int(line.split()[1].rstrip("%")) for line in lines]
    assert percents == sorted(percents)


def test_terminal_gets_a_live_bar():
    stream = io.StringIO()
    runs = ["adam-b32-max-relu-noaug-e2-aaaa1111"]
    console = Console(file=stream, force_terminal=True, width=140, color_system=None)
    drive(StudyProgress(costs(runs), console=console), runs)
    text = stream.getvalue()
    assert "run 1/1 adam-b32-max-relu-noaug-e2" in text
    assert "━" in text and "100%" in text and "ETA" in text
    assert "\x1b[" in text  # redrawn in place, not one line per update


def test_disabled_progress_draws_nothing():
    stream = io.StringIO()
    runs = ["adam-b32-max-relu-noaug-e2-aaaa1111"]
    drive(StudyProgress(costs(runs), enabled=False, console=Console(file=stream)), runs)
    assert stream.getvalue() == ""


def test_small_batches_and_robustness_cost_more():
    small, _ = run_cost(TrainConfig(epochs=1, batch_size=4), 1000, 0)
    large, _ = run_cost(TrainConfig(epochs=1, batch_size=1024), 1000, 0)
    assert small > 5 * large
    assert eval_images(100, None) == 100 + 19 * 100
    assert eval_images(1000, 50) == 1000 + 19 * 50


def test_clock():
    assert (clock(None), clock(65), clock(3725)) == ("?", "1:05", "1:02:05")
