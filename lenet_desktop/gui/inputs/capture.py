"""The camera's workers: capture frames, and read the digits in the newest one.

Both are :class:`lenet_desktop.gui.threads.Worker` loops started through the
window's registry. Frames travel from the capture thread to the reading
thread through a :class:`LatestSlot`, which holds one frame: a new frame
replaces an unread one, so a slow reader drops frames instead of queueing
them, and the GUI thread never touches a frame before it has been read.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal

from lenet_desktop.gui.threads import Worker

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


def probe_cameras(stop: threading.Event) -> list[int]:
    """The indices in :data:`PROBE_INDICES` of the cameras that open and deliver a frame.

    Runs in a worker (opening a missing camera can take a second); stops early
    when ``stop`` is set.
    """
    import cv2

    working = []
    for index in PROBE_INDICES:
        if stop.is_set():
            break
        capture = _quiet_open(cv2.VideoCapture, index)
        try:
            if capture.isOpened() and capture.read()[0]:
                working.append(index)
        finally:
            capture.release()
    return working


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


class CameraWorker(Worker):
    """Reads frames from a camera index or a video file into a :class:`LatestSlot`.

    Video files are paced at their frame rate and loop, so a file behaves like
    a camera. A live camera whose reads keep failing counts as unplugged; that,
    and a source that cannot be opened, is reported through ``error`` and ends
    the loop.
    """

    opened = Signal(str)
    """The source's name, once it delivers."""

    def __init__(self, source: int | str, slot: LatestSlot, after=None, open_capture=None):
        super().__init__(f"Reading {describe_source(source)}")
        self.source = source
        self.slot = slot
        # The capture this one replaces: its device is released before this one opens it.
        self._after = after
        # open_capture(source) returns an object with cv2.VideoCapture's isOpened, read,
        # get, set and release; tests pass a stand-in camera that gets unplugged.
        self._open_capture = open_capture
        self.frames_read = 0

    def work(self) -> None:
        """Open the source and read until stopped, unplugged or broken."""
        import cv2

        if self._after is not None:
            self._after.join(2.0)
            self._after = None
        if self.stopping:
            return
        name = describe_source(self.source)
        is_file = isinstance(self.source, str)
        capture = _quiet_open(self._open_capture or cv2.VideoCapture, self.source)
        try:
            if not capture.isOpened():
                why = "the file cannot be read as video" if is_file else "no such camera"
                self.error.emit(f"Could not open {name}: {why}.")
                return
            fps = capture.get(cv2.CAP_PROP_FPS) if is_file else 0.0
            period = 1.0 / fps if 1.0 <= fps <= 240.0 else (1.0 / 30.0 if is_file else 0.0)
            self.opened.emit(name)
            self._loop(capture, is_file, period, name)
        finally:
            capture.release()

    def _loop(self, capture, is_file: bool, period: float, name: str) -> None:
        import cv2

        failures = 0
        next_due = time.monotonic()
        while not self.stopping:
            ok, frame = capture.read()
            if not ok or frame is None:
                if is_file and self.frames_read > 0 and failures == 0:
                    # End of the file: start again, as if the camera kept filming.
                    capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                    failures += 1
                    continue
                failures += 1
                if failures >= LOST_AFTER_FAILURES or is_file:
                    self.error.emit(
                        f"{name.capitalize()} stopped delivering frames "
                        "(unplugged or in use by another program)."
                    )
                    return
                self.stop_event.wait(0.03)
                continue
            failures = 0
            self.frames_read += 1
            self.slot.put(frame)
            if period:
                next_due = max(next_due + period, time.monotonic() - period)
                self.stop_event.wait(max(0.0, next_due - time.monotonic()))


class FrameReaderWorker(Worker):
    """Reads every digit in the newest frame of its slot with the current recognizer.

    It takes one frame at a time and emits ``detected(frame, reading)``; it
    waits for :meth:`acknowledge` before taking the next, so at most one result
    is ever on its way to the GUI. A frame that cannot be read is reported
    through ``error`` and the loop goes on with the next one.
    """

    detected = Signal(object, object)
    """(frame, :class:`lenet_desktop.model.reading.Reading`)."""
    description = "Reading the camera frame"
    expected_errors = (ValueError, MemoryError)

    def __init__(self, slot: LatestSlot, recognizer=None):
        super().__init__()
        self.slot = slot
        self.recognizer = recognizer
        """Read with this from the next frame on (the GUI thread may replace it)."""
        self.processed = 0
        self._ready = threading.Event()
        self._ready.set()

    def wake(self) -> None:
        """Release the waits on the GUI and on the slot (a stop takes effect at once)."""
        self._ready.set()
        self.slot.close()

    def acknowledge(self) -> None:
        """The GUI has shown the last result; the next frame may be read."""
        self._ready.set()

    def message_for(self, exc: BaseException) -> str:
        """Say which frame could not be read, and why."""
        return f"Cannot read this frame: {super().message_for(exc)}"

    def work(self) -> None:
        """Read frames until stopped; one bad frame does not end the loop."""
        from lenet_desktop.model.reading import read_frame

        while not self.stopping:
            self._ready.wait()
            if self.stopping:
                break
            frame = self.slot.take(timeout=0.2)
            recognizer = self.recognizer
            if frame is None or recognizer is None:
                continue
            try:
                reading = read_frame(recognizer, frame)
            except Exception as exc:
                if self.stopping:
                    break
                self.report(exc)
                continue
            self.processed += 1
            self._ready.clear()
            self.detected.emit(np.asarray(frame), reading)
