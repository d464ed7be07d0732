"""The behaviour of engine 0.4 (docs/ODD.md 7.5-7.9), as means over seeds on common random
numbers: firms choose their use, lock-in can be undone, enforcement deters but is not a perfect
agency, and standards can tip so that acting late does not undo what acting early prevents."""
from __future__ import annotations

import numpy as np
import pytest

from model.builtin import default_scenario
from model.engine import METRIC_KEYS, Engine, prepare
from model.experiments import compare
from model.parameters import ParameterSet
from model.scenario import Scenario
from model.schedules import parse_assignment
from reference_model import random_network

RUNS, STEPS = 12, 40


def _ends(result, label, key):
    return result.results[label].runs[:, -1, METRIC_KEYS.index(key)]


def _path(result, label, key):
    return result.results[label].runs[:, :, METRIC_KEYS.index(key)]


@pytest.fixture(scope="module")
def default():
    return default_scenario()


def test_more_interoperability_lowers_dependency(default):
    result = compare({str(v): default.with_parameters(interoperability=v)
                      for v in (0.0, 0.5, 1.0)}, runs=RUNS, steps=STEPS)
    ends = [_ends(result, str(v), "dependency_index").mean() for v in (0.0, 0.5, 1.0)]
    assert ends[0] > ends[1] > ends[2]
    assert ends[2] < 0.75 * ends[0]  # some lever lowers end dependency by a quarter or more


def test_enforcement_deters_most_abuse_and_deals_but_not_all(default):
    # review blocking 60 % of deals under full enforcement, the value the bound on deals
    # was written for (the hand-set default; the calibrated one, 0.48, cuts deals to 0.63)
    reviewed = default.with_parameters(merger_review=0.6)
    result = compare({"none": reviewed.with_parameters(antitrust_enforcement=0.0),
                      "full": reviewed.with_parameters(antitrust_enforcement=1.0)},
                     runs=RUNS, steps=STEPS)
    abuse = {k: _path(result, k, "abuse_mean").mean() for k in ("none", "full")}
    deals = {k: _ends(result, k, "acquisitions_cum").mean() for k in ("none", "full")}
    assert 0 < abuse["full"] < 0.6 * abuse["none"]
    assert 0 < deals["full"] < 0.6 * deals["none"]
    assert _ends(result, "full", "cases_cum").mean() > 0  # detected, fined and remedied
    assert _ends(result, "none", "cases_cum").max() == 0  # no enforcer, no case


def test_firms_leave_a_platform_whose_terms_worsen():
    """Under heavy rent and exclusivity-free abuse, dependants lower their use; with
    lock-in decay, their lock-in follows use down."""
    network = random_network(11, n_zones=2, n_platforms=2, n_firms=12, n_subfields=1)
    calm = ParameterSet({"noise_sigma": 0.0, "abuse_threshold": 0.99, "entry_rate": 0.0})
    harsh = ParameterSet({"noise_sigma": 0.0, "entry_rate": 0.0, "abuse_threshold": 0.0, "abuse_gain": 1.0,
                          "antitrust_enforcement": 0.0, "rent_rate": 1.0, "exclusivity": 0.0,
                          "openness_cut": 0.5, "choice_rent": 20.0})
    used = {}
    for name, params in (("calm", calm), ("harsh", harsh)):
        engine = Engine(prepare(Scenario(network, params)), seed=1)
        for _ in range(STEPS):
            engine.advance()
        st = engine.state
        dependants = (st.notown > 0) & (st.ea > 0)
        used[name] = float(st.u[dependants].mean())
        assert ((st.u >= 0) & (st.u <= 1)).all() and ((st.l >= 0) & (st.l <= 1)).all()
        assert ((st.adopt >= 0) & (st.adopt <= 1)).all()
    assert used["harsh"] < 0.75 * used["calm"]


def test_lock_in_decays_when_use_falls():
    network = random_network(5, n_zones=2, n_platforms=1, n_firms=6, n_subfields=1,
                             lock_in=True)
    params = ParameterSet({"noise_sigma": 0.0, "outside_option": 15.0, "lock_in_decay": 0.3,
                           "redecision_rate": 1.0, "entry_rate": 0.0})
    engine = Engine(prepare(Scenario(network, params)), seed=0)
    dependants = engine.state.notown > 0
    start = engine.state.l[dependants].copy()
    for _ in range(12):
        engine.advance()
    st = engine.state
    assert (st.u[dependants] < 0.01).all()  # a far better outside option: they leave
    assert start.max() > 0.4 and (st.l[dependants] < 0.05).all()


def test_in_a_tipping_world_acting_late_leaves_a_gap_that_lasts(default):
    """Enforcement now against the same enforcement after 8 quarters, in the world where
    standards tip: the late case never catches up. Its HHI gap outlasts the delay, its
    SMEs lost keep growing, and it ends on a more adopted standard (docs/ODD.md 7.5). At the
    calibrated defaults the HHI gap peaks after the delay and recedes (+145 in 2027Q2, +71
    at the end): firms re-decide often enough that lock-in is partly undone; the SME gap
    grows from -3 to -8 (docs/decisions.md, 'The tipping world at the calibrated defaults')."""
    world = default.with_preset("tipping")
    now = world.with_schedules(parse_assignment("antitrust_enforcement=0:0.8", world.start))
    wait = world.with_schedules(parse_assignment("antitrust_enforcement=8:0.8", world.start))
    result = compare({"now": now, "wait": wait}, runs=40, steps=STEPS)

    def gap(key):
        return _path(result, "wait", key) - _path(result, "now", key)

    def noise(values):
        return 2 * values.std(ddof=1) / np.sqrt(len(values))

    hhi, smes = gap("hhi_mean"), gap("active_smes")
    assert hhi[:, 8].mean() > 0
    assert hhi[:, -1].mean() > noise(hhi[:, -1])  # still there at the end, beyond its noise
    lost = smes[:, 8] - smes[:, -1]  # SMEs the late case lost after the delay
    assert lost.mean() > noise(lost)
    assert gap("adoption_mean")[:, -1].mean() > 0  # a more adopted standard at the end


def test_screening_keeps_foreign_firms_from_being_bought(default):
    """With full screening no foreign firm is bought, while domestic SMEs still are."""
    open_deals = default.with_parameters(foreign_screening=0.0, acquisition_rate=0.1)
    screened = default.with_parameters(foreign_screening=1.0, acquisition_rate=0.1)
    bought = {}
    for name, scenario in (("open", open_deals), ("screened", screened)):
        engine = Engine(prepare(scenario), seed=2)
        for _ in range(STEPS):
            engine.advance()
        st = engine.state
        gone = st.acquirer >= 0
        bought[name] = (int((gone & st.is_foreign).sum()), int((gone & st.is_sme).sum()))
    assert bought["open"][0] > 0 and bought["screened"][0] == 0
    assert bought["screened"][1] > 0
