"""What must always hold (MODEL.md section 6), over generated networks and parameters
anywhere in their ranges: empty subfields, isolated zones, a single firm, zero talent,
zero compute included."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine import METRIC_KEYS, Cancelled, Engine, prepare, run, simulate
from model.errors import InputError
from model.parameters import PARAMETERS, ParameterSet
from model.scenario import Scenario
from reference_model import random_network

STEPS = 25


@st.composite
def parameter_sets(draw):
    values = {}
    for key, spec in PARAMETERS.items():
        if key.startswith("outcome_"):
            continue
        edge = draw(st.sampled_from(["low", "high", "inside", "inside", "inside"]))
        value = spec.low if edge == "low" else spec.high if edge == "high" else \
            draw(st.floats(spec.low, spec.high, allow_nan=False))
        if spec.high > 1e3 and edge == "inside":  # keep open-ended scales plausible
            value = draw(st.floats(spec.low, max(spec.low, 10 * spec.default + 1)))
        values[key] = round(value) if spec.integer else value
    return ParameterSet(values)


@st.composite
def scenarios(draw):
    network = random_network(
        draw(st.integers(0, 10_000)), n_zones=draw(st.integers(1, 5)),
        n_platforms=draw(st.integers(0, 4)), n_firms=draw(st.integers(0, 14)),
        n_subfields=draw(st.integers(1, 3)), zero_talent=draw(st.booleans()),
        zero_compute=draw(st.sampled_from([False, False, True])),
        compute=draw(st.sampled_from([(0.5, 6.0), (0.05, 1.0)])),
        own_use=draw(st.sampled_from([0.0, 0.5, 1.0])))
    return Scenario(network, draw(parameter_sets()))


def check_state(engine, row, talent_before, growth):
    st_, net = engine.state, engine.net
    co = engine.co
    arrays = [row, st_.K, st_.L, st_.m, st_.R, st_.T, st_.E, st_.o, st_.S, st_.D, st_.A,
              st_.l, st_.u, st_.adopt, st_.alpha, st_.Dd, np.array([st_.market])]
    assert all(np.isfinite(a).all() for a in arrays), "NaN or infinity in the state"
    assert (st_.K >= 0).all() and (st_.L >= 0).all() and (st_.T >= 0).all()
    assert ((st_.o >= co.openness_floor - 1e-12) & (st_.o <= 1.0)).all()
    for values in (st_.S, st_.l, st_.u, st_.adopt, st_.E, st_.alpha):
        assert ((values >= 0) & (values <= 1)).all()
    metrics = dict(zip(METRIC_KEYS, row))
    assert 0 <= metrics["dependency_index"] <= 1
    expected_total = talent_before.sum() * (1.0 + growth)
    assert np.isclose(st_.T.sum(), expected_total, rtol=1e-9, atol=1e-12), \
        "migration does not conserve talent"
    alive, sub = st_.alive, st_.sub
    n_subs = len(net.subfields)
    count = np.bincount(sub, alive, n_subs)
    total = np.bincount(sub, st_.m, n_subs)
    assert np.allclose(total[count > 0], 1.0, atol=1e-9), "shares do not sum to 1"
    assert (st_.m[~alive] == 0).all()
    hhi = 1e4 * np.bincount(sub, st_.m ** 2, n_subs)
    live = count > 0
    assert (hhi[live] <= 1e4 * (1 + 1e-9)).all()
    assert (hhi[live] >= 1e4 / count[live] * (1 - 1e-9)).all()
    if live.any():
        assert 1e4 / count[live].max() * (1 - 1e-9) <= metrics["hhi_mean"] <= 1e4 * (1 + 1e-9)
    assert 0 <= metrics["cr4_mean"] <= 1 + 1e-9 and 0 <= metrics["foreign_share"] <= 1 + 1e-9
    assert 0 <= metrics["talent_gini"] <= 1 and 0 <= metrics["talent_top3_share"] <= 1 + 1e-12


@given(scenarios(), st.integers(0, 2 ** 32))
@settings(max_examples=60)
def test_invariants_hold_every_step(scenario, seed):
    engine = Engine(prepare(scenario), seed)
    check_state(engine, engine.metrics(), engine.state.T.copy(), 0.0)
    for _ in range(STEPS):
        before = engine.state.T.copy()
        engine.advance()
        check_state(engine, engine.metrics(), before, engine.co.talent_growth)


@given(scenarios(), st.integers(0, 2 ** 32))
@settings(max_examples=15)
def test_same_seed_is_bit_identical(scenario, seed):
    first = run(scenario, steps=10, seed=seed)
    second = run(scenario, steps=10, seed=seed)
    assert first.metrics.equals(second.metrics)
    assert first.firms.equals(second.firms)
    assert first.provenance == second.provenance


def test_different_seeds_differ_with_noise():
    network = random_network(5, n_zones=3, n_platforms=2, n_firms=10, n_subfields=2)
    scenario = Scenario(network, ParameterSet({"noise_sigma": 0.2}))
    a, b = run(scenario, 10, seed=1), run(scenario, 10, seed=2)
    assert not np.array_equal(a.firms["capability"], b.firms["capability"])
    quiet = Scenario(network, ParameterSet({"noise_sigma": 0.0, "entry_rate": 0.0,
                                            "acquisition_rate": 0.0, "practice_spread": 0.0}))
    c, d = run(quiet, 10, seed=1), run(quiet, 10, seed=2)
    assert c.metrics.equals(d.metrics)  # nothing drawn: no shocks, deals, entry, practices
    local = Scenario(network, ParameterSet({"noise_sigma": 0.0, "entry_rate": 0.0,
                                            "acquisition_rate": 0.0}))
    e, f = run(local, 10, seed=1), run(local, 10, seed=2)
    assert not e.firms["capability"].equals(f.firms["capability"])  # zones' own practices


def test_entrants_append_and_exits_clear_the_mask():
    network = random_network(8, n_zones=3, n_platforms=3, n_firms=20, n_subfields=2)
    params = ParameterSet({"entry_rate": 40.0, "talent_ref": 1.0, "exit_share": 0.9,
                           "exit_patience": 1, "acquisition_rate": 1.0,
                           "abuse_threshold": 0.0, "antitrust_enforcement": 0.0})
    engine = Engine(prepare(Scenario(network, params)), 3)
    n0 = engine.state.n
    totals = np.zeros(3)
    for _ in range(15):
        engine.advance()
        totals += engine.state.events[0]
    st_ = engine.state
    assert totals[0] > 0 and totals[1] > 0 and totals[2] > 0
    assert st_.n == n0 + totals[0] and len(st_.ef) == len(engine.net.use_firm) + totals[0]
    assert np.count_nonzero(~st_.alive) == totals[1] + totals[2]
    assert (st_.grp_count == np.bincount(st_.sub, minlength=len(st_.grp_count))).all()
    assert (np.sort(st_.grp) == np.arange(st_.n)).all()
    assert (np.diff(st_.sub[st_.grp]) >= 0).all()  # the grouping stays sorted by subfield
    bought = st_.status == 2
    assert (st_.acquirer[bought] >= 0).all() and not st_.is_op[bought].any()
    assert st_.alive[~st_.eligible].all()  # leaders and operators never leave


def test_cancel_stops_between_steps():
    network = random_network(1)
    calls = []
    with pytest.raises(Cancelled):
        for record in simulate(Scenario(network), steps=10, cancel=lambda: len(calls) >= 3):
            calls.append(record.step)
    assert calls == [0, 1, 2]


def test_bad_steps_and_seed_are_input_errors():
    scenario = Scenario(random_network(1))
    with pytest.raises(InputError):
        run(scenario, steps=-1)
    with pytest.raises(InputError):
        run(scenario, steps=10, seed=-5)


@given(st.integers(0, 2 ** 32), st.integers(1, 300), st.integers(1, 6))
@settings(max_examples=60)
def test_large_array_paths_agree_with_numpy(seed, n, n_groups):
    """The partition paths used above SORT_LIMIT firms give numpy's answers too."""
    from model.engine import kernels as k

    rng = np.random.default_rng(seed)
    values = np.round(rng.random(n) * 5, int(rng.integers(0, 3)))  # ties included
    groups = rng.integers(0, n_groups, n)
    alive = rng.random(n) < 0.7
    counts = np.bincount(groups, alive, n_groups)
    slots = np.bincount(groups, minlength=n_groups)
    grouped = np.argsort(groups, kind="stable")
    need = np.flatnonzero(counts > 0)
    expected = [np.percentile(values[alive & (groups == g)], 75) for g in need]
    shares = np.where(alive, values, 0.0)
    top = [np.sort(shares[groups == g])[::-1][:4].sum() for g in range(n_groups)]
    for limit in (k.SORT_LIMIT, 0):
        old, k.SORT_LIMIT = k.SORT_LIMIT, limit
        try:
            q = k.quantile_by_group(values, alive, groups, counts, need, 0.75, grouped, slots)
            best, filled = k.top_k_slots(shares, groups, slots, 4, grouped)
            sums = (shares[best] * filled).sum(axis=1)
        finally:
            k.SORT_LIMIT = old
        assert np.allclose(q, expected) and np.allclose(sums, top)


@given(st.integers(0, 2 ** 32), st.integers(1, 400), st.integers(1, 6),
       st.sampled_from([0.0, 0.01, 0.5, 5.0]))
@settings(max_examples=60)
def test_quantile_near_a_guess_is_the_exact_quantile(seed, n, n_groups, shift):
    """Where the windowed search solves a group, its value equals the exact path's to the
    last bit; a good guess solves every group with enough values."""
    from model.engine import kernels as k

    rng = np.random.default_rng(seed)
    values = np.round(rng.random(n) * 5, int(rng.integers(0, 3)))  # ties included
    groups = rng.integers(0, n_groups, n)
    alive = rng.random(n) < 0.8
    counts = np.bincount(groups, alive, n_groups)
    need = np.flatnonzero(counts > 0)
    exact = k.quantile_by_group(values, alive, groups, counts, need, 0.75)
    guess = exact * (1.0 + shift) + (rng.random(len(need)) < 0.1) * np.nan  # some unknown
    near, solved = k.quantile_near(values, alive, groups, counts, need, 0.75, guess, 0.03)
    assert np.array_equal(near[solved], exact[solved])
    assert np.isnan(near[~solved]).all()
    if shift == 0.0:
        sure = np.isfinite(guess) & (exact > 0)
        # a window wide enough to hold every value solves every group with a guess
        wide = k.quantile_near(values, alive, groups, counts, need, 0.75, guess, 1e9)[1]
        assert wide[sure].all()


@given(st.integers(0, 2 ** 32), st.integers(0, 120), st.integers(1, 4), st.booleans())
@settings(max_examples=60)
def test_gini_and_top_share_match_their_definitions(seed, n, runs, zeros):
    """Each run's block against the textbook forms: Gini = sum |x_i - x_j| / (2 n^2 mean),
    top-3 share = three largest / total; a block gives the same bits alone as in a stack."""
    from model.engine import kernels as k

    rng = np.random.default_rng(seed)
    values = np.round(rng.random((runs, n)) * 100, 1) * \
        (rng.random((runs, n)) < (0.5 if zeros else 1.0))
    gini, top = k.gini_and_top_share(values.reshape(-1), runs, 3)
    for r, block in enumerate(values):
        alone = k.gini_and_top_share(block, 1, 3)
        assert (alone[0][0], alone[1][0]) == (gini[r], top[r])
        total = block.sum()
        if total <= 0:
            assert (gini[r], top[r]) == (0.0, 0.0)
            continue
        expected = np.abs(block[:, None] - block[None, :]).sum() / (2 * n * total)
        assert np.isclose(gini[r], expected, rtol=1e-12, atol=1e-14)
        assert np.isclose(top[r], np.sort(block)[::-1][:3].sum() / total, rtol=1e-12)


@given(st.integers(0, 2 ** 32), st.integers(1, 40), st.integers(1, 3))
@settings(max_examples=40)
def test_sorted_migration_matches_the_dense_one(seed, zones, runs):
    from model.engine import kernels as k

    rng = np.random.default_rng(seed)
    size = runs * zones
    T = rng.random(size) * 50 * (rng.random(size) < 0.9)
    att = np.round(rng.random(size) * 3, 1)  # ties included
    stay = 1.0 - 0.5 * (rng.random(size) < 0.5)
    dense = k.migration(T, att, stay, 0.3, 0.5, runs)
    sorted_ = k._migration_sorted(T, att, stay, 0.3, 0.5, runs, zones)
    assert np.allclose(dense, sorted_, atol=1e-12)
    for r in range(runs):  # every run's talent is conserved by its own flows
        block = slice(r * zones, (r + 1) * zones)
        assert np.isclose(dense[0][block].sum(), dense[1][block].sum(), rtol=1e-12,
                          atol=1e-12)
        alone = k.migration(T[block], att[block], stay[block], 0.3, 0.5, 1)
        assert np.array_equal(alone[0], dense[0][block])
        assert np.array_equal(alone[1], dense[1][block])


def test_engine_on_the_large_array_paths_gives_the_same_run(monkeypatch):
    """A run through the partition paths equals one through the sort paths."""
    from model.engine import kernels as k

    network = random_network(9, n_zones=4, n_platforms=3, n_firms=40, n_subfields=2)
    scenario = Scenario(network, ParameterSet({"acquisition_rate": 1.0, "lock_in_rate": 0.5,
                                               "antitrust_enforcement": 0.0}))
    small = run(scenario, 20, seed=4)
    monkeypatch.setattr(k, "SORT_LIMIT", 0)
    monkeypatch.setattr(k, "DENSE_MIGRATION_ZONES", 0)
    large = run(scenario, 20, seed=4)
    assert small.metrics["acquisitions_cum"].iloc[-1] > 0
    keys = list(METRIC_KEYS)
    assert np.allclose(small.metrics[keys].to_numpy(float), large.metrics[keys].to_numpy(float),
                       rtol=1e-9, atol=1e-9)


def test_a_subnormal_openness_floor_runs_without_overflow():
    """Found by hypothesis: a floor of 1e-308 made the rationing quotient overflow."""
    from model.engine import run as run_engine
    from model.network import Network
    from model.parameters import ParameterSet
    from model.scenario import Scenario

    nodes = [{"id": "z0", "kind": "zone"}, {"id": "z1", "kind": "zone"},
             {"id": "p0", "kind": "platform", "subfield": "s0"},
             {"id": "op0", "kind": "leader", "subfield": "s0"},
             {"id": "f0", "kind": "sme", "subfield": "s0"}]
    edges = [{"source": "op0", "target": "p0", "type": "operates"},
             {"source": "z0", "target": "p0", "type": "hosts"},
             {"source": "op0", "target": "z1", "type": "located_in"},
             {"source": "f0", "target": "z1", "type": "located_in"},
             {"source": "f0", "target": "p0", "type": "uses", "weight": 0.968, "lock_in": 0.286}]
    values = {"openness_floor": 1.1125369292536007e-308, "antitrust_enforcement": 0.0,
              "openness_cut": 1.0, "abuse_threshold": 0.0, "talent_half": 0.001,
              "score_exponent": 0.1, "market_size": 0.001, "market_growth": -0.2,
              "employment_share": 0.0, "attraction_scale": 0.001, "talent_growth": -0.1,
              "exit_share": 0.0, "exit_patience": 1, "noise_sigma": 0.0, "entry_rate": 0.0}
    result = run_engine(Scenario(Network.from_records(nodes, edges), ParameterSet(values)),
                        10, 0)
    assert np.isfinite(result.metrics[list(METRIC_KEYS)].to_numpy(float)).all()
    assert (result.platforms["openness"] >= values["openness_floor"]).all()


@pytest.mark.parametrize("capability", [[1e-131], [1e-128], [1e-129, 1e-140], [1e140, 1.0],
                                        [0.0, 0.0], [3e-200, 2e-200]])
def test_shares_of_tiny_or_huge_scores_sum_to_one(capability):
    """Found by hypothesis: K**2.5 of K = 1e-128 is subnormal, and 1 / (its subfield's
    total) overflowed, giving infinite shares (or 0 where it underflowed)."""
    from model.engine import kernels as k

    K = np.array(capability)
    alive = np.ones(len(K), dtype=bool)
    sub = np.zeros(len(K), dtype=np.intp)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        shares = k.market_shares(K, np.ones(len(K)), alive, sub, np.array([len(K) * 1.0]),
                                 2.5, np.zeros(len(K), dtype=np.intp), 1)
    assert np.isfinite(shares).all() and np.isclose(shares.sum(), 1.0)
    assert shares[0] >= shares[-1]  # the larger capability keeps the larger share
    if len(K) == 2 and K[1] > 0 and K[0] / K[1] < 10:  # both representable: exact ratio
        assert np.isclose(shares[0] / shares[1], (K[0] / K[1]) ** 2.5)


def test_talent_of_a_zone_earning_a_subnormal_revenue_is_finite():
    from model.engine import kernels as k

    zone = np.array([0, 0, 1])
    shares = np.array([1e-313, 0.0, 1.0])
    alive = np.ones(3, dtype=bool)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        L = k.allocate_talent(np.array([10.0, 5.0]), zone, shares, alive,
                              np.array([2.0, 1.0]), 0.5)
    assert np.allclose(L, [2.5, 2.5, 2.5])  # the zone that earns ~nothing splits equally


@st.composite
def schedules_for(draw, scenario):
    """Up to four schedulable parameters, each with up to four changes (steps and ramps)
    at steps -3..STEPS+3, values anywhere in their ranges."""
    from model.schedules import SCHEDULABLE, Change, Schedule

    keys = draw(st.lists(st.sampled_from(SCHEDULABLE), min_size=1, max_size=4, unique=True))
    out = []
    for key in keys:
        spec = PARAMETERS[key]
        steps = draw(st.lists(st.integers(-3, STEPS + 3), min_size=1, max_size=4, unique=True))
        changes = []
        for j, step in enumerate(sorted(steps)):
            value = draw(st.floats(spec.low, min(spec.high, 10 * spec.default + 1)))
            value = float(round(value)) if spec.integer else value
            changes.append(Change(scenario.start + step, value, j > 0 and draw(st.booleans())))
        out.append(Schedule.of(key, changes))
    return out


@given(st.data(), st.integers(0, 2 ** 32))
@settings(max_examples=40)
def test_invariants_hold_under_any_schedule(data, seed):
    scenario = data.draw(scenarios())
    scheduled = scenario.with_schedules(*data.draw(schedules_for(scenario)))
    engine = Engine(prepare(scheduled), seed)
    check_state(engine, engine.metrics(), engine.state.T.copy(), 0.0)
    for _ in range(STEPS):
        before = engine.state.T.copy()
        engine.advance()
        check_state(engine, engine.metrics(), before, engine.co.talent_growth)
