"""Workers that keep slow things off the GUI thread: model loading, camera capture, detection.

Each worker is a QObject moved to its own QThread. Loops stop cooperatively
(:meth:`stop` sets a flag) and their owner joins the thread with ``wait()``.
Frames travel through :class:`LatestSlot`, which holds one item: a new frame
replaces an unprocessed one, so a slow consumer drops frames instead of
queueing them.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

LOST_AFTER_FAILURES = 15
"""Consecutive failed reads after which a live camera counts as unplugged."""
PROBE_INDICES = range(6)
"""Camera indices the picker tries."""


class LatestSlot:
    """A one-item mailbox between threads: ``put`` overwrites, ``take`` waits for an item."""

    def __init__(self):
        self._item = None
        self._closed = False
        self._cond = threading.Condition()
        self.dropped = 0
        """How many items were overwritten before anyone took them."""

    def put(self, item) -> None:
        """Store ``item``, replacing (and counting as dropped) one not yet taken."""
        with self._cond:
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._cond.notify()

    def take(self, timeout: float | None = None):
        """The stored item (removing it), or ``None`` after ``timeout`` or once closed."""
        with self._cond:
            if self._item is None and not self._closed:
                self._cond.wait(timeout)
            item, self._item = self._item, None
            return item

    def close(self) -> None:
        """Wake and release every waiting ``take``."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


def start_worker(worker: QObject, entry: str = "run") -> QThread:
    """Move ``worker`` to a new QThread, call its ``entry`` method there, and start it.

    The thread quits when the worker emits ``finished``; the caller keeps both
    references and calls ``thread.wait()`` when shutting down.
    """
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(getattr(worker, entry))
    worker.finished.connect(thread.quit)
    thread.start()
    return thread


class ModelLoadWorker(QObject):
    """Loads a model file into a Recognizer (TensorFlow is imported here, not on the GUI thread)."""

    loaded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, path: str | Path):
        super().__init__()
        self.path = Path(path)

    @Slot()
    def run(self) -> None:
        """Load the model; emit ``loaded(recognizer)`` or ``failed(message)``, then ``finished``."""
        try:
            from lenet_desktop.model import Recognizer
            from training.model_io import ModelLoadError

            try:
                recognizer = Recognizer.from_file(self.path)
            except (ModelLoadError, OSError) as exc:
                self.failed.emit(str(exc))
            else:
                self.loaded.emit(recognizer)
        finally:
            self.finished.emit()


class CameraProbeWorker(QObject):
    """Finds the camera indices that open, without blocking the GUI."""

    found = Signal(list)
    finished = Signal()

    @Slot()
    def run(self) -> None:
        """Try each index in :data:`PROBE_INDICES`; emit the ones that deliver a frame."""
        import cv2

        working = []
        try:
            for index in PROBE_INDICES:
                capture = _quiet_open(cv2.VideoCapture, index)
                try:
                    if capture.isOpened() and capture.read()[0]:
                        working.append(index)
                finally:
                    capture.release()
        finally:
            self.found.emit(working)
            self.finished.emit()


def _quiet_open(open_capture, source):
    """Open a capture with OpenCV's warnings muted: a missing camera is expected, not noise."""
    import cv2

    logging = cv2.utils.logging
    previous = logging.getLogLevel()
    logging.setLogLevel(logging.LOG_LEVEL_ERROR)
    try:
        return open_capture(source)
    finally:
        logging.setLogLevel(previous)


def describe_source(source: int | str) -> str:
    """A short name for a camera index or a video file, for messages."""
    return f"camera {source}" if isinstance(source, int) else Path(source).name


class CameraWorker(QObject):
    """Reads frames from a camera index or a video file into a :class:`LatestSlot`.

    Video files are paced at their frame rate and loop, so a file behaves like
    a camera. A live camera whose reads keep failing counts as unplugged.
    """

    opened = Signal(str)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, source: int | str, slot: LatestSlot, tag=None, open_capture=None):
        super().__init__()
        self.source = source
        self.tag = tag
        # open_capture(source) returns an object with cv2.VideoCapture's isOpened, read,
        # get, set and release; tests pass a stand-in camera that gets unplugged.
        self._open_capture = open_capture
        self.slot = slot
        self.frames_read = 0
        self._stop = threading.Event()

    def stop(self) -> None:
        """Ask the capture loop to end (thread-safe)."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        """Open the source and read until stopped, unplugged or broken."""
        import cv2

        name = describe_source(self.source)
        is_file = isinstance(self.source, str)
        capture = _quiet_open(self._open_capture or cv2.VideoCapture, self.source)
        try:
            if not capture.isOpened():
                why = "the file cannot be read as video" if is_file else "no such camera"
                self.failed.emit(f"Could not open {name}: {why}.")
                return
            fps = capture.get(cv2.CAP_PROP_FPS) if is_file else 0.0
            period = 1.0 / fps if 1.0 <= fps <= 240.0 else (1.0 / 30.0 if is_file else 0.0)
            self.opened.emit(name)
            self._loop(capture, is_file, period, name)
        finally:
            capture.release()
            self.finished.emit()

    def _loop(self, capture, is_file: bool, period: float, name: str) -> None:
        import cv2

        failures = 0
        next_due = time.monotonic()
        while not self._stop.is_set():
            ok, frame = capture.read()
            if not ok or frame is None:
                if is_file and self.frames_read > 0 and failures == 0:
                    # End of the file: start again, as if the camera kept filming.
                    capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                    failures += 1
                    continue
                failures += 1
                if failures >= LOST_AFTER_FAILURES or is_file:
                    self.failed.emit(
                        f"{name.capitalize()} stopped delivering frames "
                        "(unplugged or in use by another program)."
                    )
                    return
                self._stop.wait(0.03)
                continue
            failures = 0
            self.frames_read += 1
            self.slot.put((frame, self.tag))
            if period:
                next_due = max(next_due + period, time.monotonic() - period)
                self._stop.wait(max(0.0, next_due - time.monotonic()))


class DetectionWorker(QObject):
    """Reads every digit in the latest frame (camera or photo) with the current recognizer.

    It takes one ``(frame, tag)`` at a time from its slot and emits ``detected(frame,
    reading, tag)``; it waits for :meth:`acknowledge` before taking the next,
    so at most one result is ever in flight towards the GUI.
    """

    detected = Signal(object, object, object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, slot: LatestSlot):
        super().__init__()
        self.slot = slot
        self.recognizer = None
        self.processed = 0
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._ready.set()

    def stop(self) -> None:
        """Ask the loop to end and wake it (thread-safe)."""
        self._stop.set()
        self._ready.set()
        self.slot.close()

    def acknowledge(self) -> None:
        """The GUI has shown the last result; the next frame may be processed."""
        self._ready.set()

    @Slot()
    def run(self) -> None:
        """Process frames until stopped."""
        try:
            while not self._stop.is_set():
                self._ready.wait()
                if self._stop.is_set():
                    break
                item = self.slot.take(timeout=0.2)
                if item is None:
                    continue
                frame, tag = item
                recognizer = self.recognizer
                if recognizer is None:
                    continue
                from lenet_desktop.model.reading import read_frame

                try:
                    reading = read_frame(recognizer, frame)
                except ValueError as exc:
                    self.failed.emit(f"Cannot read this image: {exc}")
                    continue
                self.processed += 1
                self._ready.clear()
                self.detected.emit(np.asarray(frame), reading, tag)
        finally:
            self.finished.emit()


def start_detection() -> tuple[LatestSlot, DetectionWorker, QThread]:
    """A running :class:`DetectionWorker` with its input slot and thread."""
    slot = LatestSlot()
    worker = DetectionWorker(slot)
    thread = start_worker(worker)
    return slot, worker, thread


def stop_worker(worker, thread: QThread | None) -> None:
    """Stop a looping worker cooperatively and join its thread."""
    if worker is not None:
        worker.stop()
    if thread is not None:
        thread.quit()
        thread.wait()
