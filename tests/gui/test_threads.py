"""The worker toolkit: every outcome reaches the GUI thread; nothing dies silently or blocks."""

from __future__ import annotations

import logging
import threading

import pytest

from lenet_desktop.gui.threads import FunctionWorker, JobSlot, Worker, WorkerRegistry


@pytest.fixture
def workers():
    registry = WorkerRegistry()
    yield registry
    assert registry.shutdown(timeout=10)


class Recorder:
    """Collects what a worker delivers, and on which thread."""

    def __init__(self, worker):
        self.events = []
        self.threads = set()
        for name in ("result", "error", "cancelled", "finished"):
            signal = getattr(worker, name, None)
            if signal is not None:
                signal.connect(lambda *args, name=name: self._record(name, *args))

    def _record(self, name, *args):
        self.threads.add(threading.get_ident())
        self.events.append((name, *args))


def test_a_result_arrives_on_the_gui_thread(qtbot, workers):
    worker = FunctionWorker(lambda stop: 6 * 7, "Answering")
    seen = Recorder(worker)
    with qtbot.waitSignal(worker.finished, timeout=5000):
        workers.start(worker)
    assert seen.events == [("result", 42), ("finished",)]
    assert seen.threads == {threading.main_thread().ident}


def test_an_unexpected_error_is_reported_with_its_traceback_logged(qtbot, workers, caplog):
    def broken(stop):
        raise KeyError("layer")

    worker = FunctionWorker(broken, "Reading the photo")
    failed = []
    workers.failed.connect(lambda what, message: failed.append((what, message)))
    seen = Recorder(worker)
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(worker.finished, timeout=5000):
        workers.start(worker)
    qtbot.waitUntil(lambda: bool(failed), timeout=2000)
    assert seen.events[0][0] == "error" and "KeyError" in seen.events[0][1]
    assert seen.events[-1] == ("finished",)
    assert failed == [("Reading the photo", seen.events[0][1])]
    assert any(record.exc_info for record in caplog.records)


def test_an_expected_error_is_shown_as_it_is(qtbot, workers):
    def missing(stop):
        raise OSError("no such file: x.npz")

    worker = FunctionWorker(missing, "Loading data")
    seen = Recorder(worker)
    with qtbot.waitSignal(worker.finished, timeout=5000):
        workers.start(worker)
    assert seen.events == [("error", "no such file: x.npz"), ("finished",)]


def test_a_loop_worker_that_raises_still_finishes(qtbot, workers):
    class Broken(Worker):
        description = "Capturing"

        def work(self):
            raise RuntimeError("driver fell over")

    worker = Broken()
    seen = Recorder(worker)
    with qtbot.waitSignal(worker.finished, timeout=5000):
        workers.start(worker)
    assert seen.events[0][0] == "error" and "driver fell over" in seen.events[0][1]


def test_a_stopped_job_is_cancelled_and_its_value_dropped(qtbot, workers):
    release = threading.Event()
    worker = FunctionWorker(lambda stop: release.wait(5) and "late", "Waiting")
    seen = Recorder(worker)
    workers.start(worker)
    worker.stop()
    release.set()
    qtbot.waitUntil(lambda: ("finished",) in seen.events, timeout=5000)
    assert seen.events == [("cancelled",), ("finished",)]


def test_a_new_job_supersedes_a_stuck_one(qtbot, workers):
    release = threading.Event()
    slot = JobSlot(workers, "Reading")
    results, errors = [], []
    stuck = slot.start(lambda stop: release.wait(10) and "old", results.append, errors.append)
    fresh = slot.start(lambda stop: "new", results.append, errors.append)
    qtbot.waitUntil(lambda: results == ["new"], timeout=5000)
    assert not slot.busy()
    assert stuck.is_running() and stuck.stopping  # still stuck, asked to stop, not waited for
    release.set()
    assert stuck.join(5) and fresh.join(5)
    qtbot.wait(50)
    assert results == ["new"] and errors == []


def test_shutdown_stops_everything_without_waiting_for_a_stuck_job(qtbot):
    registry = WorkerRegistry()
    release = threading.Event()
    worker = FunctionWorker(lambda stop: release.wait(10), "Stuck")
    registry.start(worker)
    assert registry.shutdown(timeout=0.05) is False  # it returned although the job is stuck
    assert worker.stopping and worker.is_running()
    late = FunctionWorker(lambda stop: None, "Too late")
    registry.start(late)
    assert not late.is_running() and late.stopping  # nothing starts once the window closed
    release.set()
    assert registry.join(5)
