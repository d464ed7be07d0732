"""The job side of the heartbeat: a job pauses between steps while the window's event loop
lags, and waits for it to turn before starting something heavy; never for long."""
from __future__ import annotations

import threading
import time

from gui.runs import worker
from gui.runs.worker import Task


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def test_a_fresh_beat_costs_nothing_and_a_stale_one_waits_for_the_next(monkeypatch):
    monkeypatch.setattr(worker, "MAX_YIELD", 2.0)  # a wake-up on the beat stands out
    task = Task(None)
    task.beat()
    assert _timed(task.cancelled) < 0.01
    task._beat -= 1.0  # the event loop has not turned for a second
    threading.Timer(0.05, task.beat).start()
    waited = _timed(task.cancelled)
    assert 0.04 <= waited < 1.0


def test_a_window_that_never_turns_delays_a_step_by_at_most_max_yield():
    task = Task(None)
    task._beat -= 1.0
    assert worker.MAX_YIELD * 0.9 <= _timed(task.cancelled) < worker.MAX_YIELD + 0.1
    task.cancel()  # a cancelled task does not wait at all
    assert _timed(task.cancelled) < 0.01 and task.cancelled()


def test_wait_for_window_needs_two_turns_of_the_event_loop(monkeypatch):
    monkeypatch.setattr(worker, "MAX_YIELD", 2.0)
    task = Task(None)
    timers = [threading.Timer(delay, task.beat) for delay in (0.03, 0.06)]
    for timer in timers:
        timer.start()
    waited = _timed(task.wait_for_window)
    assert 0.05 <= waited < 1.0
