"""The worker pool a command line starts before its imports (model/experiments/early.py)."""
import multiprocessing

import pytest

from main import many_runs
from model.experiments import early


@pytest.mark.parametrize("argv, expected", [
    (["run", "default", "--runs", "1000", "--quiet"], True),
    (["run", "default", "--runs=500"], True),
    (["run", "default"], False),  # one run: no workers
    (["run", "default", "--runs", "20"], False),
    (["run", "default", "--runs", "many"], False),
    (["run", "default", "--runs", "1000", "--scheduler", "tcp://h:1"], False),
    (["compare", "a", "b", "--runs", "200", "--help"], False),
    (["explore", "default"], True),
    (["explore", "default", "--futures", "10"], False),
    (["validate", "x.json"], False),
    ([], False),
])
def test_the_guess_from_the_words_of_the_command(argv, expected):
    assert many_runs(argv) is expected


def test_a_pool_nobody_claims_is_ended():
    early.prestart(1)
    try:
        assert early.claim(2) is None  # another worker count: not this pool
        assert multiprocessing.active_children()
    finally:
        early.release()
    assert not multiprocessing.active_children()
    assert early.claim(1) is None  # released: nothing left to claim


def test_a_claimed_pool_runs_an_experiment():
    from model.builtin import default_scenario
    from model.engine import prepare, run_batch
    from model.experiments.runner import PROCESSES, Variant, iter_runs

    prepared = prepare(default_scenario())
    early.prestart(2)
    try:
        runs = list(iter_runs([prepared], [Variant(0, {})], [3, 4, 5], 4, executor=PROCESSES,
                              workers=2))
        assert early.claim(2) is None  # the experiment took it
    finally:
        early.release()
    tables, _ = run_batch(prepared, 3, 3, 4)
    for out in runs:
        assert (out.metrics == tables[out.seed - 3]).all()
    assert not multiprocessing.active_children()
