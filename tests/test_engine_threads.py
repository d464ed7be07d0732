"""A large single run's passes on two threads (model/engine/parallel.py) give the same
bits as on one: the split is only of element-by-element passes and gathers."""
from __future__ import annotations

import numpy as np
import pytest

from model.builtin import synthetic_scenario
from model.engine import Engine, draws, parallel, prepare

FIELDS = ("K", "m", "u", "l", "wo", "wl", "wa", "ulA", "L", "alive")


def stepped(prepared, steps, threads: bool, monkeypatch, slots: int):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel, "THREAD_SLOTS", slots if threads else 10 ** 12)
    engine = Engine(prepared, 3)
    split = []
    rows = [engine.metrics()]
    for _ in range(steps):
        engine.advance()
        split.append(parallel.enabled(engine.state))
        rows.append(engine.metrics())
    return np.array(rows), {f: getattr(engine.state, f).copy() for f in FIELDS}, split


@pytest.mark.parametrize("firms, slots, steps", [(6000, 2000, 14), (260_000, None, 3)])
def test_threads_keep_every_bit(firms, slots, steps, monkeypatch):
    prepared = prepare(synthetic_scenario(firms, 1))
    slots = slots or parallel.THREAD_SLOTS
    one, one_state, split = stepped(prepared, steps, False, monkeypatch, slots)
    two, two_state, threaded = stepped(prepared, steps, True, monkeypatch, slots)
    assert not any(split) and all(threaded)  # the second really ran on two threads
    np.testing.assert_array_equal(two, one)
    for name in FIELDS:
        np.testing.assert_array_equal(two_state[name], one_state[name], err_msg=name)


def test_batches_and_small_runs_stay_on_one_thread():
    small = Engine(prepare(synthetic_scenario(500, 0)), 0)
    batch = Engine(prepare(synthetic_scenario(500, 0)), 0, 4)
    assert not parallel.enabled(small.state) and not parallel.enabled(batch.state)


@pytest.mark.parametrize("length", [0, 1, 1023, 1024, 1025, 5000, 1_000_001])
def test_halves_cover_the_range_and_start_aligned(length):
    first, second = parallel.halves(length)
    assert first.start == 0 and first.stop == second.start and second.stop == length
    assert first.stop % parallel.ALIGN == 0 and first.stop <= length


def test_a_failing_half_raises_after_both_ended():
    done = []

    def work(part):
        if part.start == 0:
            raise RuntimeError("first half")
        done.append(part)

    with pytest.raises(RuntimeError, match="first half"):
        parallel.over(work, 4096, True)
    assert done == [slice(2048, 4096)]


@pytest.mark.parametrize("start, stop", [(0, 0), (0, 7), (4, 9), (512, 2049), (1024, 1024)])
def test_levels_of_a_range_are_those_of_the_whole(start, stop):
    keys = draws.stream_keys(draws.seed_keys([5]), draws.NOISE, 3)
    whole = draws.levels16(keys, max(stop, 1)).reshape(-1)
    np.testing.assert_array_equal(draws.levels16_range(keys, start, stop), whole[start:stop])
    with pytest.raises(ValueError):
        draws.levels16_range(keys, 2, 10)


def test_one_core_keeps_one_thread(monkeypatch):
    engine = Engine(prepare(synthetic_scenario(3000, 0)), 0)
    monkeypatch.setattr(parallel, "THREAD_SLOTS", 1000)
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert not parallel.enabled(engine.state)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert parallel.enabled(engine.state)
