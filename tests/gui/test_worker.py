"""The job side of the heartbeat: a job pauses between steps while the window's event loop
lags, and waits for it to turn before starting something heavy; never for long.

The clock is virtual (the worker module's `time`): a beat is due at a virtual moment and
sleeping advances the clock, so what is measured is the job's waiting, not the machine's
load."""
from __future__ import annotations

import heapq

import pytest

from gui.runs import worker
from gui.runs.worker import Task


class VirtualClock:
    """`monotonic` and `sleep` for the worker module; `at(t, call)` runs `call` once the
    clock has reached `t` (as a beat from the event loop would arrive)."""

    def __init__(self):
        self.now = 1000.0
        self.due: list[tuple[float, int, object]] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        while self.due and self.due[0][0] <= self.now:
            heapq.heappop(self.due)[2]()

    def at(self, delay: float, call) -> None:
        heapq.heappush(self.due, (self.now + delay, len(self.due), call))

    def timed(self, call) -> float:
        start = self.now
        call()
        return self.now - start


@pytest.fixture
def clock(monkeypatch) -> VirtualClock:
    virtual = VirtualClock()
    monkeypatch.setattr(worker, "time", virtual)
    return virtual


def test_a_fresh_beat_costs_nothing_and_a_stale_one_waits_for_the_next(monkeypatch, clock):
    monkeypatch.setattr(worker, "MAX_YIELD", 2.0)  # a wake-up on the beat stands out
    task = Task(None)
    task.beat()
    assert clock.timed(task.cancelled) == 0
    clock.now += 1.0  # the event loop has not turned for a second
    clock.at(0.05, task.beat)
    waited = clock.timed(task.cancelled)
    assert 0.05 <= waited < 0.06  # woken by the beat, within one poll


def test_a_window_that_never_turns_delays_a_step_by_at_most_max_yield(clock):
    task = Task(None)
    clock.now += 1.0
    assert worker.MAX_YIELD <= clock.timed(task.cancelled) < worker.MAX_YIELD + 0.01
    task.cancel()  # a cancelled task does not wait at all
    assert clock.timed(task.cancelled) == 0 and task.cancelled()


def test_wait_for_window_needs_two_turns_of_the_event_loop(monkeypatch, clock):
    monkeypatch.setattr(worker, "MAX_YIELD", 2.0)
    task = Task(None)
    clock.at(0.03, task.beat)
    clock.at(0.06, task.beat)
    waited = clock.timed(task.wait_for_window)
    assert 0.06 <= waited < 0.07  # the second turn, not the first, nor MAX_YIELD
