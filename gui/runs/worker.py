"""Background tasks: a job runs in a QThread and talks to the window only through signals.

A job is a plain function `job(task) -> result` that runs in the worker thread. It reads
`task.cancelled()` between steps (the engine raises `Cancelled` when it says yes; a job
that catches it and returns what finished has a result like any other), reports
`task.progress(done, total)` and sends intermediate data with `task.partial(kind, payload)`;
both are throttled so the GUI gets at most one update per interval (superqt GeneratorWorker,
orange3 TaskState). The job sees an immutable snapshot, never the live document.

`TaskRunner` owns one thread at a time: `start`, `stop` (sets the cancel flag) and `join`
(waits for the thread; called when the window closes so no thread outlives it).
"""
from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from model.engine import Cancelled

PARTIAL_INTERVAL = 0.05  # seconds between two updates sent to the GUI
PROGRESS_INTERVAL = 0.05
# While an engine thread runs, the GUI thread waits for the GIL after each call into Qt
# that released it: at most one switch interval each time, which adds up in a repaint.
# A shorter interval than Python's 5 ms keeps the window responsive.
SWITCH_INTERVAL = 0.0002
JOB_NICENESS = 5
BEAT_MS = 10  # the GUI thread's heartbeat while a job runs
LAG_LIMIT = 0.03  # seconds without a beat after which a job pauses between steps
MAX_YIELD = 0.25  # the longest such pause (a window blocked for good does not stop a run)


def lower_thread_priority() -> None:
    """On Linux, nice is per thread: the job's thread yields the CPU to the GUI thread, and
    the processes it starts (an ensemble's workers, a long run's child) inherit that from
    their first instruction, before their imports keep every core busy. Elsewhere nice is
    per process, so the workers lower themselves once started (model.experiments.runner)."""
    if sys.platform.startswith("linux"):
        try:
            os.nice(JOB_NICENESS)
        except OSError:
            pass


class Task:
    """What a job sees: the cancel flag, throttled progress and partial results."""

    def __init__(self, worker: Worker):
        self._worker = worker
        self._cancel = threading.Event()
        self._last_partial = 0.0
        self._last_progress = 0.0
        self._beat = time.monotonic()

    def cancelled(self) -> bool:
        """The engine asks between steps; first it lets a lagging window catch up."""
        self._yield_to_window()
        return self._cancel.is_set()

    def beat(self) -> None:
        """Called by a timer in the GUI thread: the window's event loop is turning."""
        self._beat = time.monotonic()

    def wait_for_window(self) -> None:
        """Sleeps until the event loop has turned twice (at most MAX_YIELD): what was sent
        to the window so far is drawn before the job starts something heavy."""
        first, until = self._beat, time.monotonic() + MAX_YIELD
        seen = 0
        while seen < 2 and time.monotonic() < until and not self._cancel.is_set():
            time.sleep(0.002)
            if self._beat != first:
                seen, first = seen + 1, self._beat

    def _yield_to_window(self) -> None:
        """When the event loop has not turned for LAG_LIMIT (it is busy, a repaint say, and
        shares the interpreter lock with this thread), sleep until it does (at most
        MAX_YIELD): the window then finishes its work without waiting for the lock."""
        if time.monotonic() - self._beat <= LAG_LIMIT:
            return
        last, until = self._beat, time.monotonic() + MAX_YIELD
        while self._beat == last and time.monotonic() < until and not self._cancel.is_set():
            time.sleep(0.002)

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int, force: bool = False) -> None:
        """Throttled, unless it is the last report or `force`d (a count that must match
        what a partial result just said)."""
        now = time.monotonic()
        if force or done >= total or now - self._last_progress >= PROGRESS_INTERVAL:
            self._last_progress = now
            self._worker.progressed.emit(int(done), int(total))

    def due(self, interval: float = PARTIAL_INTERVAL) -> bool:
        """True when a partial update may go out now (the caller then builds it)."""
        return time.monotonic() - self._last_partial >= interval

    def partial(self, kind: str, payload) -> None:
        self._last_partial = time.monotonic()
        self._worker.partial.emit(kind, payload)


class Worker(QObject):
    """Runs one job in its thread and reports how it ended; `ended` always comes last."""

    progressed = Signal(int, int)
    partial = Signal(str, object)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal(str)
    ended = Signal()

    def __init__(self, job: Callable[[Task], object]):
        super().__init__()
        self.job = job
        self.task = Task(self)

    @Slot()
    def run(self) -> None:
        lower_thread_priority()
        try:
            result = self.job(self.task)
        except Cancelled as stop:
            self.cancelled.emit(str(stop))
        except Exception as error:  # noqa: BLE001 - every failure becomes a dialog
            self.failed.emit(error)
        else:  # a job that returns has a result, even after Stop (the runs that finished)
            self.succeeded.emit(result)
        finally:
            self.ended.emit()


class TaskRunner(QObject):
    """One background task at a time; its signals arrive in the GUI thread."""

    progressed = Signal(int, int)
    partial = Signal(str, object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal(str)
    finished = Signal()  # the thread has ended (after one of the three above)

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setObjectName(name)
        self._thread: QThread | None = None
        self.worker: Worker | None = None
        self.started_at = 0.0
        self._beat = QTimer(self)  # tells the running task that the event loop turns
        self._beat.setInterval(BEAT_MS)

    def busy(self) -> bool:
        return self._thread is not None

    def start(self, job: Callable[[Task], object]) -> bool:
        if self.busy():
            return False
        thread = QThread(self)
        thread.setObjectName(f"{self.objectName()}Thread")
        worker = Worker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Bound methods of this GUI-thread object: the calls are queued into the GUI thread.
        worker.progressed.connect(self.progressed)
        worker.partial.connect(self.partial)
        worker.succeeded.connect(self.succeeded)
        worker.failed.connect(self.failed)
        worker.cancelled.connect(self.cancelled)
        # Direct: QThread.quit is thread-safe, and join() may block the GUI thread.
        worker.ended.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._thread_finished)
        self._thread, self.worker = thread, worker
        self._beat.timeout.connect(worker.task.beat)
        self._beat.start()
        self.started_at = time.monotonic()
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)
        thread.start()
        return True

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.task.cancel()

    def join(self, timeout_ms: int = 10_000) -> bool:
        """Cancels and waits for the thread (window closing); True when it ended."""
        if self._thread is None:
            return True
        self.stop()
        self._thread.quit()
        ended = self._thread.wait(timeout_ms)
        self._thread_finished()
        return ended

    @Slot()
    def _thread_finished(self) -> None:
        if self._thread is None:
            return
        thread, worker = self._thread, self.worker
        self._thread = self.worker = None
        self._beat.stop()
        self._beat.timeout.disconnect()
        if thread.isRunning():  # join timed out: leave it to finish on its own
            return
        worker.deleteLater()
        thread.deleteLater()
        self.finished.emit()
