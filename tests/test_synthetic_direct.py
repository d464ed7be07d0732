"""synthetic:N hands the engine its arrays and digest without building its tables: both
must be exactly what the table path (compile_network, model.digest) gives for the same
tables, and a run must not build the tables it does not report."""
from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.builtin import synthetic_scenario
from model.digest import network_digest
from model.engine import prepare, run
from model.engine.snapshot import compile_network, compiled_fields
from model.network import Network


def _from_tables(network) -> Network:
    """The same tables as a plain Network: what a file holding them would give."""
    return Network._trusted(network.nodes, network.edges)


def _assert_same_compiled(direct, from_tables):
    for name in compiled_fields():
        a, b = getattr(direct, name), getattr(from_tables, name)
        if isinstance(b, np.ndarray):
            assert a.dtype == b.dtype, name
            assert np.array_equal(a, b), name
            assert not a.flags.writeable, name
        else:
            assert a == b, name


def _check(n: int, seed: int):
    network = synthetic_scenario(n, seed).network
    plain = _from_tables(network)
    assert network.digest == network_digest(plain)
    _assert_same_compiled(network.precompiled, compile_network(plain))
    assert network.counts() == plain.counts()
    rows = np.arange(len(plain.nodes))
    assert list(network.names_at(rows)) == list(plain.names_at(rows))
    assert list(network.names_at(rows[::-7])) == list(plain.names_at(rows[::-7]))
    return True


@pytest.mark.parametrize("n, seed", [(10, 0), (11, 5), (57, 3), (100, 0), (999, 2),
                                     (1000, 1), (10_000, 0), (100_000, 4)])
def test_direct_arrays_and_digest_are_the_table_paths(n, seed):
    assert _check(n, seed)


@given(n=st.integers(10, 3000), seed=st.integers(0, 2**31))
def test_direct_arrays_and_digest_any_size(n, seed):
    assert _check(n, seed)


def test_a_run_on_direct_arrays_is_the_run_on_the_tables():
    scenario = synthetic_scenario(2_000, 6)
    direct = run(scenario, 30, 3)
    tabled = run(dataclasses.replace(scenario, network=_from_tables(scenario.network)), 30, 3)
    assert direct.metrics.equals(tabled.metrics)
    for name in ("firms", "zones", "platforms"):
        assert getattr(direct, name).equals(getattr(tabled, name)), name
    assert direct.provenance == tabled.provenance


def test_a_run_builds_no_table_it_does_not_report():
    scenario = synthetic_scenario(5_000, 0)
    result = run(scenario, 4, 0)
    assert "nodes" not in scenario.network.__dict__
    assert "edges" not in scenario.network.__dict__
    assert "digest" not in scenario.network.__dict__
    assert len(result.firms) >= 5_000  # read: built now, from the run's final state
    assert result.firms is result.firms
    assert result.provenance.network_hash == scenario.network.digest
    assert "nodes" not in scenario.network.__dict__  # the digest needs no table either


def test_results_pickle_with_their_tables_built():
    scenario = synthetic_scenario(300, 2)
    result = run(scenario, 8, 1)
    back = pickle.loads(pickle.dumps(result))
    assert back.firms.equals(run(scenario, 8, 1).firms)
    assert back.provenance == result.provenance
    assert back.provenance.scenario_hash == prepare(scenario).digest
    net = prepare(scenario).net
    assert pickle.loads(pickle.dumps(net)).digest == scenario.network.digest


def test_the_network_pickles_as_its_size_and_seed():
    network = synthetic_scenario(400, 9).network
    data = pickle.dumps(network)
    assert len(data) < 1000
    back = pickle.loads(data)
    assert back.equals(network) and back.digest == network.digest
    assert not back.equals(synthetic_scenario(400, 10).network)
