"""The one way the app runs work off the GUI thread: workers, one registry, one job at a time.

Every background job is a :class:`Worker`, a QObject whose :meth:`Worker.work`
runs on a thread of its own. It talks to the GUI only through signals, which
Qt delivers on the GUI thread (queued) whoever connects to them:

* ``error(str)``: a message for the user when the work raised (the traceback
  of an unexpected error is logged); emitted by every worker.
* ``finished()``: always, last, however the work ended.
* ``result(object)`` and ``cancelled()``: the value of a job that returned, or
  word that it stopped on request (:class:`FunctionWorker`, the training job).

Loop workers (camera capture, frame reading, training) subclass
:class:`Worker`, check :attr:`Worker.stopping` between steps and report
per-step errors with :meth:`Worker.report`; anything that escapes
:meth:`Worker.work` is caught and reported by the base, so no worker dies
silently. :class:`FunctionWorker` runs one function.

Every worker is started through the main window's :class:`WorkerRegistry`:
their errors reach its one ``failed`` signal, and one call stops them all
when the window closes (:meth:`WorkerRegistry.shutdown`). A view that runs
one job at a time uses a :class:`JobSlot`: a new job supersedes the one in
progress, whose result is then dropped, and the GUI never waits for it.

Threads are Python threads marked as daemons rather than ``QThread`` or a
``QThreadPool``: a cancelled read that is stuck in OpenCV can be left to end
on its own without blocking the window or the exit (a running ``QThread``
must not be destroyed, and Qt waits for its global pool when the application
ends), and there is no pool size that long-lived loops could exhaust.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

CLOSE_WAIT_S = 0.25
"""How long closing the window waits for workers to stop before it lets them finish alone."""
EXIT_WAIT_S = 30.0
"""How long the application waits at exit for workers still finishing (a training batch)."""


class Worker(QObject):
    """Base of every background job: runs :meth:`work` on its own thread, reports by signals."""

    error = Signal(str)
    """A message for the user: the work raised (the current state is left as it was)."""
    finished = Signal()
    """Emitted last, whatever happened."""

    description = "A background job"
    """What the worker does, as the subject of a sentence ("Reading the photo")."""
    expected_errors: tuple[type[BaseException], ...] = (OSError, MemoryError)
    """Errors a user can cause: their text is shown as it is and no traceback is logged."""

    def __init__(self, description: str | None = None):
        super().__init__()
        if description is not None:
            self.description = description
        self.stop_event = threading.Event()
        """Set by :meth:`stop`; long work checks it (or passes it on) to end early."""
        self.exception: BaseException | None = None
        """The exception that ended the work, if one did."""
        self._thread: threading.Thread | None = None

    # -- control (any thread) ----------------------------------------------------------
    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self.stop_event.is_set()

    def start(self) -> None:
        """Run :meth:`work` on a new thread (a worker runs once)."""
        if self._thread is not None:
            raise RuntimeError(f"{type(self).__name__} was already started")
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the work to end at its next check; never waits."""
        self.stop_event.set()
        self.wake()

    def wake(self) -> None:
        """Hook: unblock whatever :meth:`work` waits on, so a stop takes effect at once."""

    def is_running(self) -> bool:
        """Whether the thread is still running."""
        return self._thread is not None and self._thread.is_alive()

    def join(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds for the thread to end; True when it has (or never ran)."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # -- the work (worker thread) ---------------------------------------------------
    def work(self) -> None:
        """Do the job (override). Runs on the worker's thread: touch no widget here."""
        raise NotImplementedError

    def message_for(self, exc: BaseException) -> str:
        """The text the user reads for ``exc``."""
        if isinstance(exc, self.expected_errors):
            return str(exc) or type(exc).__name__
        return f"unexpected error ({type(exc).__name__}: {exc})"

    def report(self, exc: BaseException) -> None:
        """Emit ``error`` for ``exc`` (with the traceback logged when it was unexpected)."""
        self.exception = exc
        if not isinstance(exc, self.expected_errors):
            log.error("%s failed", self.description, exc_info=exc)
        self.error.emit(self.message_for(exc))

    def _run(self) -> None:
        try:
            self.work()
        except Exception as exc:  # the thread boundary: nothing ends silently
            # Once a stop was asked nobody waits for the outcome; raising is how some stop.
            if not self.stopping:
                self.report(exc)
        finally:
            self.finished.emit()


class FunctionWorker(Worker):
    """Runs ``function(stop_event)`` once and emits its value as ``result``."""

    result = Signal(object)
    """The function's return value (not emitted once a stop was asked)."""
    cancelled = Signal()
    """The function ended after a stop was asked; its value, if any, is dropped."""

    def __init__(
        self,
        function: Callable[[threading.Event], object],
        description: str | None = None,
        expected_errors: tuple[type[BaseException], ...] | None = None,
    ):
        super().__init__(description)
        self.function = function
        if expected_errors is not None:
            self.expected_errors = expected_errors

    def work(self) -> None:
        """Call the function; whatever it raises after a stop counts as the stop."""
        try:
            value = self.function(self.stop_event)
        except Exception:
            if self.stopping:
                self.cancelled.emit()
                return
            raise
        if self.stopping:
            self.cancelled.emit()
        else:
            self.result.emit(value)


class WorkerRegistry(QObject):
    """Every worker of one window: started here, errors to one signal, all stopped on close."""

    failed = Signal(str, str)
    """(what the worker did, message) for every error any worker reports."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._workers: list[Worker] = []
        self.closed = False
        """Set by :meth:`shutdown`: workers handed over afterwards are not started."""

    def start(self, worker: Worker) -> Worker:
        """Register ``worker``, start it and return it.

        Connect to its signals before handing it over. The registry keeps the
        worker until its ``finished`` has been delivered, so a superseded job
        may run on to its end without its owner holding on to it, and no
        signal of it is ever delivered from a deleted object.
        """
        if self.closed:
            # The window has closed: nothing new starts (and nothing will wait for it).
            worker.stop()
            return worker
        worker.error.connect(self._on_error)
        worker.finished.connect(self._on_finished)
        self._workers.append(worker)
        worker.start()
        return worker

    def running(self) -> list[Worker]:
        """The workers whose threads are still running."""
        return [worker for worker in self._workers if worker.is_running()]

    def stop_all(self) -> None:
        """Ask every worker to stop (never waits)."""
        for worker in list(self._workers):
            worker.stop()

    def join(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds in all for every thread; True when none is running."""
        deadline = time.monotonic() + timeout
        for worker in list(self._workers):
            worker.join(max(0.0, deadline - time.monotonic()))
        return not self.running()

    def shutdown(self, timeout: float = CLOSE_WAIT_S) -> bool:
        """Stop every worker and wait up to ``timeout`` seconds for them; True when all ended.

        Workers still running after that (a read stuck in OpenCV, a training
        batch) have been asked to stop and end on their own: nothing they emit
        can change the closed window, and the application waits for them
        again at exit (:data:`EXIT_WAIT_S`).
        """
        self.closed = True
        self.stop_all()
        done = self.join(timeout)
        for worker in self.running():
            log.info("%s is still stopping", worker.description)
        return done

    def _on_error(self, message: str) -> None:
        worker = self.sender()
        description = worker.description if isinstance(worker, Worker) else "A background job"
        self.failed.emit(description, message)

    def _on_finished(self) -> None:
        worker = self.sender()
        self._workers = [w for w in self._workers if w is not worker]


class JobSlot(QObject):
    """One background job at a time for one view: a new job supersedes the one running.

    The superseded job is asked to stop and its result, error or cancellation
    is dropped; its thread may run on to its end (the registry keeps it) but
    the view never waits for it. ``done`` tells an owner that coalesces
    requests (start the next only when idle) that the current job is over.
    """

    done = Signal()
    """The current job has finished (after its result or error was delivered)."""

    def __init__(
        self,
        workers: WorkerRegistry,
        description: str,
        expected_errors: tuple[type[BaseException], ...] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.workers = workers
        self.description = description
        self.expected_errors = expected_errors
        self._current: FunctionWorker | None = None
        self._on_result: Callable[[object], None] | None = None
        self._on_error: Callable[[str], None] | None = None

    def start(
        self,
        function: Callable[[threading.Event], object],
        on_result: Callable[[object], None],
        on_error: Callable[[str], None] | None = None,
    ) -> FunctionWorker:
        """Supersede the current job and run ``function(stop_event)`` on a new thread.

        ``on_result(value)`` or ``on_error(message)`` is called on the GUI
        thread unless this job is superseded first.
        """
        self.cancel()
        worker = FunctionWorker(function, self.description, self.expected_errors)
        worker.result.connect(self._result)
        worker.error.connect(self._error)
        worker.finished.connect(self._finished)
        self._current, self._on_result, self._on_error = worker, on_result, on_error
        return self.workers.start(worker)

    def cancel(self) -> None:
        """Ask the current job to stop and drop whatever it delivers; never waits."""
        if self._current is not None:
            self._current.stop()
        self._current = self._on_result = self._on_error = None

    def busy(self) -> bool:
        """Whether a job is running whose result will be delivered."""
        return self._current is not None

    def _result(self, value) -> None:
        if self.sender() is self._current and self._on_result is not None:
            self._on_result(value)

    def _error(self, message: str) -> None:
        if self.sender() is self._current and self._on_error is not None:
            self._on_error(message)

    def _finished(self) -> None:
        if self.sender() is self._current:
            self._current = self._on_result = self._on_error = None
            self.done.emit()
