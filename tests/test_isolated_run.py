"""A run in a child process (model.experiments.isolated): the same rows and result as a
run here, Stop within half a second, errors and a dead child reported, never a hang."""
from __future__ import annotations

import pickle
import signal

import numpy as np
import pandas as pd
import pytest

from model.builtin import synthetic_scenario
from model.engine import METRIC_KEYS, Cancelled, run
from model.errors import InputError, Problem, ValidationError
from model.experiments.isolated import run_in_process


def test_rows_and_result_equal_a_run_here():
    scenario = synthetic_scenario(300, 2)
    stream = run_in_process(scenario, 12, seed=5, record_states=True)
    chunks = list(stream)
    here = run(scenario, 12, 5, record_states=True)
    rows = np.concatenate([rows for _, rows in chunks])
    assert [first for first, _ in chunks] == \
        list(np.cumsum([0] + [len(r) for _, r in chunks[:-1]]))
    assert np.array_equal(rows, here.metrics[list(METRIC_KEYS)].to_numpy(float))
    there = stream.value
    assert there.outcome == here.outcome
    pd.testing.assert_frame_equal(there.metrics, here.metrics)
    pd.testing.assert_frame_equal(there.firms, here.firms)
    assert there.provenance == here.provenance
    for name, values in here.states.fields.items():
        assert np.array_equal(there.states.fields[name], values, equal_nan=True), name
    assert np.array_equal(there.states.edge_ends, here.states.edge_ends)
    assert np.array_equal(there.states.edge_fields["lock_in"],
                          here.states.edge_fields["lock_in"])


def test_cancel_kills_the_child_instead_of_waiting_for_its_run():
    stop = {"now": False}
    stream = run_in_process(synthetic_scenario(20_000, 0), 1000, cancel=lambda: stop["now"])
    next(stream)  # the child is running
    stop["now"] = True
    with pytest.raises(Cancelled):
        next(stream)
    assert not stream._process.is_alive()
    assert stream._process.exitcode == -signal.SIGKILL  # killed: it did not run to its end


def test_a_dead_child_is_an_error_not_a_hang():
    stream = run_in_process(synthetic_scenario(20_000, 0), 1000)
    next(stream)
    stream._process.kill()
    with pytest.raises(RuntimeError, match="ended unexpectedly"):
        for _ in stream:
            pass


def test_errors_in_the_child_come_back_as_they_were():
    scenario = synthetic_scenario(50, 0)
    nodes = scenario.network.nodes
    platform = nodes.loc[nodes["kind"] == "platform", "id"].iloc[0]
    edges = scenario.network.edges
    orphan = edges[~((edges["type"] == "operates") & (edges["target"] == platform))]
    from model.network import Network
    broken = scenario.__class__(Network.build(nodes, orphan, strict=False))
    with pytest.raises(InputError) as caught:
        list(run_in_process(broken, 5))
    assert caught.value.place == f"node {platform!r}" and "operates" in caught.value.fix
    with pytest.raises(InputError):  # refused before any process starts
        run_in_process(scenario, -1)


def test_input_errors_pickle_with_their_details():
    problem = Problem("talent-range", "node 'z1'", "talent is negative", "give talent >= 0")
    for error in (InputError("bad value", file="a.json", place="nodes[3]", fix="use 1"),
                  ValidationError([problem, problem], file="b.json")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)
        assert (back.file, back.place, back.fix, back.problems) == \
            (error.file, error.place, error.fix, error.problems)
