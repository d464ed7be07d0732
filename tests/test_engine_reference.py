"""The array engine agrees with the plain per-firm reference (tests/reference_model.py) to
1e-9 on small networks, with noise, entry and acquisitions switched off, over 40 steps."""
from __future__ import annotations

import numpy as np
import pytest

from model.engine import METRIC_KEYS, Engine, prepare, run
from model.parameters import ParameterSet
from model.scenario import Scenario
from reference_model import random_network, simulate

STEPS = 40
OFF = {"noise_sigma": 0.0, "entry_rate": 0.0, "acquisition_rate": 0.0}
PARAMS = {
    "defaults": {},
    "abusive": {"abuse_threshold": 0.02, "lock_in_rate": 0.3, "rent_rate": 0.9,
                "antitrust_enforcement": 0.1, "openness_cut": 0.2, "standard_bonus": 4.0},
    "enforced": {"abuse_threshold": 0.05, "lock_in_rate": 0.2, "antitrust_enforcement": 0.9,
                 "enforcement_restore": 0.8, "openness_floor": 0.4, "data_protection": 1.0},
    "congested": {"compute_subsidy": 0.0, "abuse_threshold": 0.1, "lock_in_rate": 0.2,
                  "foreign_access_parity": 0.2, "beta_platform": 1.5},
    "exits": {"exit_share": 0.9, "exit_patience": 2, "score_exponent": 3.0,
              "depreciation": 0.2},
    "talent": {"revenue_pull": 20.0, "hub_bonus": 3.0, "migration_rate": 0.5,
               "talent_retention": 0.7, "talent_growth": -0.05, "employment_share": 0.6,
               "market_growth": -0.1, "attraction_scale": 0.01},
    "extremes": {"score_exponent": 0.3, "gamma_collab": 1.0, "beta_zone": 2.0,
                 "experience_learning": 10.0, "replication_support": 1.0, "data_growth": 1.0,
                 "data_ref": 0.5, "algorithm_growth": 1.0, "capability_ref": 0.5},
    "deterrence": {"abuse_threshold": 0.02, "lock_in_rate": 0.3, "antitrust_enforcement": 0.7,
                   "detection_rate": 1.0, "remedy_delay": 1, "compliance_period": 3,
                   "fine_rate": 0.5, "abuse_gain": 0.2, "interoperability": 0.6,
                   "exclusivity": 3.0, "lock_in_decay": 0.4, "redecision_rate": 0.8,
                   "network_effect": 6.0, "outside_option": 3.0},
}
NETWORKS = {
    "small": dict(seed=1, n_zones=3, n_platforms=2, n_firms=8, n_subfields=2),
    "wide": dict(seed=2, n_zones=5, n_platforms=4, n_firms=14, n_subfields=3),
    "one-firm": dict(seed=3, n_zones=2, n_platforms=0, n_firms=1, n_subfields=1),
    "crowded": dict(seed=4, n_zones=2, n_platforms=2, n_firms=12, n_subfields=1),
    "no-compute": dict(seed=5, n_zones=3, n_platforms=3, n_firms=9, n_subfields=2,
                       zero_compute=True),
    "tight": dict(seed=7, n_zones=3, n_platforms=3, n_firms=12, n_subfields=2,
                  compute=(0.3, 1.5), own_use=1.0),
    "no-talent": dict(seed=6, n_zones=3, n_platforms=2, n_firms=7, n_subfields=2,
                      zero_talent=True),
}
CASES = [("small", "defaults"), ("small", "abusive"), ("wide", "enforced"),
         ("wide", "congested"), ("wide", "exits"), ("crowded", "abusive"),
         ("crowded", "exits"), ("one-firm", "defaults"), ("no-compute", "congested"),
         ("no-talent", "talent"), ("wide", "talent"), ("small", "extremes"),
         ("crowded", "extremes"), ("tight", "abusive"), ("tight", "congested"),
         ("wide", "deterrence"), ("crowded", "deterrence")]


def _compare(expected, actual, what):
    expected, actual = np.asarray(expected, float), np.asarray(actual, float)
    assert np.allclose(actual, expected, rtol=1e-9, atol=1e-9), \
        f"{what}: largest gap {np.max(np.abs(actual - expected))}"


@pytest.mark.parametrize("network_name,params_name", CASES)
def test_engine_matches_reference(network_name, params_name):
    spec = dict(NETWORKS[network_name])
    network = random_network(spec.pop("seed"), **spec)
    params = ParameterSet({**PARAMS[params_name], **OFF})
    rows, states, _ = simulate(network, params, STEPS)
    engine = Engine(prepare(Scenario(network, params)), seed=7)
    net, st = engine.net, engine.state
    firm_ids = list(net.node_ids[net.firm_row])
    zone_ids = list(net.node_ids[net.zone_row])
    plat_ids = list(net.node_ids[net.plat_row])
    edge_keys = [(net.node_ids[net.firm_row[f]], net.node_ids[net.plat_row[p]])
                 for f, p in zip(net.use_firm, net.use_plat)]
    for t in range(STEPS + 1):
        if t:
            engine.advance()
        row = engine.metrics()
        for j, key in enumerate(METRIC_KEYS):
            _compare(rows[t][key], row[j], f"step {t} {key}")
        ref = states[t]
        _compare([ref["K"][f] for f in firm_ids], st.K, f"step {t} capability")
        _compare([ref["L"][f] for f in firm_ids], st.L, f"step {t} firm talent")
        _compare([ref["m"][f] for f in firm_ids], st.m, f"step {t} shares")
        _compare([ref["alive"][f] for f in firm_ids], st.alive, f"step {t} alive")
        _compare([ref["T"][z] for z in zone_ids], st.T, f"step {t} zone talent")
        _compare([ref["E"][z] for z in zone_ids], st.E, f"step {t} experience")
        for name, values in (("o", st.o), ("S", st.S), ("D", st.D), ("A", st.A)):
            _compare([ref[name][q] for q in plat_ids], values, f"step {t} platform {name}")
        assert len(ref["l"]) == len(edge_keys)
        _compare([ref["l"][key] for key in edge_keys], st.l, f"step {t} lock-in")


def test_recorded_states_match_reference():
    """The replay history (by node id) carries the same values as the reference."""
    network = random_network(11, n_zones=3, n_platforms=2, n_firms=9, n_subfields=2)
    params = ParameterSet({**PARAMS["abusive"], **OFF})
    rows, states, _ = simulate(network, params, 12, seed=0)  # zones draw with the seed
    result = run(Scenario(network, params), steps=12, seed=0, record_states=True)
    history = result.states
    ids = list(history.ids)
    assert history.fields["capability"].shape == (13, len(ids))
    for t in (0, 5, 12):
        capability = dict(zip(ids, history.fields["capability"][t]))
        talent = dict(zip(ids, history.fields["talent"][t]))
        openness = dict(zip(ids, history.fields["openness"][t]))
        for f, value in states[t]["K"].items():
            assert capability[f] == pytest.approx(value, rel=1e-6)  # float32 storage
        for z, value in states[t]["T"].items():
            assert talent[z] == pytest.approx(value, rel=1e-6)
        for q, value in states[t]["o"].items():
            assert openness[q] == pytest.approx(value, rel=1e-6)
        assert np.isnan(capability["z0"]) and np.isnan(openness["f0"])
        lock_in = history.edge_fields["lock_in"][t]
        ends = [tuple(pair) for pair in history.edge_ends]
        for pair, value in zip(ends, lock_in):
            assert value == pytest.approx(states[t]["l"][pair], rel=1e-6, abs=1e-7)
    uses = network.edges[network.edges["type"] == "uses"]
    assert [tuple(p) for p in history.edge_ends] == list(zip(uses["source"], uses["target"]))
    assert history.edge_fields["lock_in"][-1].max() > history.edge_fields["lock_in"][0].max()
    for key in METRIC_KEYS:
        _compare([r[key] for r in rows], result.metrics[key], key)


SCHEDULED = {
    "enforcement ramp": ("small", "abusive", "antitrust_enforcement=4:0.0,20~0.9"),
    "parity and lock-in": ("wide", "congested", "foreign_access_parity=6:1.0;lock_in_rate=10:0.6"),
    "compute and floor": ("tight", "congested", "compute_subsidy=5:1.0;openness_floor=12:0.7"),
    "talent and exits": ("wide", "talent", "talent_retention=8:0.9;exit_share=3:0.9,30:0.1"),
    "experience": ("crowded", "extremes", "replication_support=2:0.0,15~1.0;gamma_collab=9:0.0"),
}


@pytest.mark.parametrize("case", sorted(SCHEDULED))
def test_engine_matches_reference_under_a_schedule(case):
    """The reference reads the same scheduled values at the start of every step."""
    from model.schedules import parse_assignment

    network_name, params_name, text = SCHEDULED[case]
    spec = dict(NETWORKS[network_name])
    network = random_network(spec.pop("seed"), **spec)
    scenario = Scenario(network, ParameterSet({**PARAMS[params_name], **OFF}))
    scenario = scenario.with_schedules(*(parse_assignment(part, scenario.start)
                                         for part in text.split(";")))
    base = dict(scenario.parameters)

    def params_at(t):
        return {**base, **scenario.schedules.values_at(scenario.start + t, base)}

    rows, states, _ = simulate(network, base, STEPS, params_at=params_at, seed=3)
    plain, _, _ = simulate(network, base, STEPS)
    result = run(scenario, STEPS, seed=3)
    for t in range(STEPS + 1):
        for key in METRIC_KEYS:
            _compare([rows[t][key]], [result.metrics[key].iloc[t]], f"step {t} {key}")
    assert any(rows[-1][k] != plain[-1][k] for k in METRIC_KEYS)  # the schedule mattered


@pytest.mark.parametrize("network_name", ["wide", "crowded"])
def test_the_deterrence_case_decides_cases_and_moves_use(network_name):
    """The case that checks detection, fines, remedies and choice does exercise them."""
    spec = dict(NETWORKS[network_name])
    network = random_network(spec.pop("seed"), **spec)
    rows, states, model = simulate(network, ParameterSet({**PARAMS["deterrence"], **OFF}),
                                   STEPS)
    assert rows[-1]["cases_cum"] >= 2
    drawn = {(e["source"], e["target"]): e["weight"]
             for e in network.edges.to_dict("records") if e["type"] == "uses"}
    moved = [abs(u - drawn[(f, q)]) for f, q, u, _ in model.uses if (f, q) in drawn]
    assert max(moved) > 0.1  # firms chose another use than drawn


def windowed(network, start):
    """The network with elements that appear and vanish around `start` (a Quarter): a
    platform (its operator present throughout), a zone, two non-operator firms, an
    exchange link and a use edge between elements always present."""
    from model.network import Network

    nodes, edges = network.nodes.copy(), network.edges.copy()
    operators = set(edges.loc[edges["type"] == "operates", "source"])
    kind = nodes["kind"]
    plat = nodes.index[kind == "platform"]
    zone = nodes.index[kind == "zone"]
    firms = nodes.index[kind.isin(["leader", "sme", "foreign"]) & ~nodes["id"].isin(operators)]
    at = {k: (start + k).label for k in (2, 3, 5, 8, 10, 15, 20, 30)}
    nodes.loc[plat[0], ["appears", "vanishes"]] = at[3], at[30]
    nodes.loc[zone[1], "appears"] = at[5]
    nodes.loc[firms[0], "appears"] = at[8]
    nodes.loc[firms[-1], "vanishes"] = at[20]
    changing = set(nodes.loc[[plat[0], zone[1], firms[0], firms[-1]], "id"])
    steady = ~edges["source"].isin(changing) & ~edges["target"].isin(changing)
    exchange = edges.index[(edges["type"] == "exchange") & steady]
    if len(exchange):
        edges.loc[exchange[0], "appears"] = at[10]
    uses = edges.index[(edges["type"] == "uses") & steady & ~edges["source"].isin(operators)]
    if len(uses):
        edges.loc[uses[0], ["appears", "vanishes"]] = at[2], at[15]
    blank = {"appears": "", "vanishes": ""}
    return Network.build(nodes.fillna(blank), edges.fillna(blank))


WINDOW_CASES = [("small", "defaults"), ("wide", "enforced"), ("wide", "exits"),
                ("crowded", "abusive"), ("small", "extremes"), ("wide", "deterrence")]


@pytest.mark.parametrize("network_name,params_name", WINDOW_CASES)
def test_engine_matches_reference_when_elements_appear_and_vanish(network_name, params_name):
    from model.calendar import Quarter

    start = Quarter.parse("2017Q4")
    spec = dict(NETWORKS[network_name])
    network = windowed(random_network(spec.pop("seed"), **spec), start)
    params = ParameterSet({**PARAMS[params_name], **OFF})
    rows, states, _ = simulate(network, params, STEPS, start=start.index)
    engine = Engine(prepare(Scenario(network, params, start=start)), seed=7)
    net, st = engine.net, engine.state
    firm_ids = list(net.node_ids[net.firm_row])
    plat_ids = list(net.node_ids[net.plat_row])
    zone_ids = list(net.node_ids[net.zone_row])
    for t in range(STEPS + 1):
        if t:
            engine.advance()
        row = engine.metrics()
        for j, key in enumerate(METRIC_KEYS):
            _compare(rows[t][key], row[j], f"step {t} {key}")
        ref = states[t]
        _compare([ref["K"][f] for f in firm_ids], st.K, f"step {t} capability")
        _compare([ref["alive"][f] for f in firm_ids], st.alive, f"step {t} alive")
        _compare([ref["m"][f] for f in firm_ids], st.m, f"step {t} shares")
        _compare([ref["E"][z] for z in zone_ids], st.E, f"step {t} experience")
        for name, values in (("S", st.S), ("D", st.D), ("A", st.A)):
            _compare([ref[name][q] for q in plat_ids], values, f"step {t} platform {name}")
    assert rows[0]["platforms_present"] == len(plat_ids) - 1
    assert rows[STEPS]["platforms_present"] == len(plat_ids) - 1  # vanished at step 30
    assert rows[10]["platforms_present"] == len(plat_ids)
