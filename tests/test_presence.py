"""Elements that appear or vanish take no part outside their window (model/engine/
presence.py): behaviour with noise, entry and acquisitions on, and batches."""
from __future__ import annotations

import numpy as np

from model.calendar import Quarter
from model.engine import METRIC_KEYS, Engine, prepare
from model.engine.metrics import METRIC_INDEX
from model.engine.run import batch_metrics, run_metrics
from model.network import Network
from model.parameters import ParameterSet
from model.scenario import Scenario
from reference_model import random_network

START = Quarter.parse("2017Q4")
K = 6  # the step at which the platform appears


def _late_platform(network, appears=K, vanishes=None):
    """The network with its first platform appearing `appears` steps after START."""
    nodes = network.nodes.copy()
    first = nodes.index[nodes["kind"] == "platform"][0]
    nodes.loc[first, "appears"] = (START + appears).label
    if vanishes is not None:
        nodes.loc[first, "vanishes"] = (START + vanishes).label
    return Network.build(nodes, network.edges), nodes.loc[first, "id"]


def _engine(network, **params):
    return Engine(prepare(Scenario(network, ParameterSet(params), start=START)), seed=3)


def test_a_platform_has_no_users_before_it_appears_and_users_after():
    network, pid = _late_platform(random_network(2, n_zones=4, n_platforms=3, n_firms=20))
    engine = _engine(network, entry_rate=0.5)
    p = list(engine.net.node_ids[engine.net.plat_row]).index(pid)
    st = engine.state
    for t in range(1, 16):
        edges = st.ep == p
        if t <= K:
            assert st.W[p] == 0 and st.S[p] == 0 and st.adopt[p] == 0, t
            assert not (st.wo[edges] > 0).any() and not (st.ulA[edges] > 0).any(), t
        engine.advance()
        if t < K:
            assert st.A[p] == engine.net.algo0[p], "its operator built nothing for it yet"
    assert st.W[p] > 0 and st.S[p] > 0 and st.adopt[p] > 0
    assert (st.ea[st.ep == p] > 0).any()


def test_entrants_never_join_an_absent_platform_nor_an_absent_zone():
    network = random_network(4, n_zones=4, n_platforms=3, n_firms=20)
    nodes = network.nodes.copy()
    zone = nodes.index[nodes["kind"] == "zone"][0]
    nodes.loc[zone, "appears"] = (START + 100).label
    network, pid = _late_platform(Network.build(nodes, network.edges), appears=100)
    engine = _engine(network, entry_rate=2.0)
    net = engine.net
    p = list(net.node_ids[net.plat_row]).index(pid)
    z = list(net.node_ids[net.zone_row]).index(nodes.loc[zone, "id"])
    for _ in range(20):
        engine.advance()
    st = engine.state
    entrants = np.arange(net.n_firms, st.n)
    assert len(entrants) > 0
    assert not (st.zone[entrants] == z).any()
    assert not (st.ep[len(net.use_firm):st.ne] == p).any()


def test_metrics_count_only_the_firms_present():
    network = random_network(5, n_zones=3, n_platforms=2, n_firms=12)
    nodes = network.nodes.copy()
    operators = set(network.edges.loc[network.edges["type"] == "operates", "source"])
    smes = nodes.index[(nodes["kind"] == "sme") & ~nodes["id"].isin(operators)]
    nodes.loc[smes[:3], "appears"] = (START + 4).label
    nodes.loc[smes[3], "vanishes"] = (START + 8).label
    network = Network.build(nodes, network.edges)
    table = run_metrics(prepare(Scenario(network, ParameterSet(
        {"entry_rate": 0.0, "exit_share": 0.0}), start=START)), 0, 12)
    n = len(network.firms)
    firms = table[:, METRIC_INDEX["firms_alive"]]
    smes_alive = table[:, METRIC_INDEX["active_smes"]]
    assert firms[0] == n - 3 and firms[4] == n and firms[8] == n - 1
    assert smes_alive[4] - smes_alive[3] == 3 and smes_alive[8] - smes_alive[7] == -1
    assert table[:, METRIC_INDEX["exits_cum"]].max() == 0  # vanishing is not an exit


def test_a_batch_run_equals_the_same_seed_alone():
    network, _ = _late_platform(random_network(6, n_zones=4, n_platforms=3, n_firms=25),
                                appears=3, vanishes=14)
    prepared = prepare(Scenario(network, ParameterSet({"entry_rate": 1.0}), start=START))
    batch = batch_metrics(prepared, 10, 3, 20)
    for r in range(3):
        alone = run_metrics(prepared, 10 + r, 20)
        assert np.array_equal(batch[r], alone), METRIC_KEYS
    present = batch[0, :, METRIC_INDEX["platforms_present"]]
    assert present[2] == 2 and present[3] == 3 and present[14] == 2


def test_a_network_without_windows_has_no_masks():
    engine = _engine(random_network(1))
    assert engine.net.windows is None and engine.state.presence is None
