"""The engine's shortcuts give the same answers as the plain computations they replace:
the step-0 state copied from a Prepared's template, the CR4 candidates, the split
dependency index and the edges of leaving firms."""
from __future__ import annotations

import numpy as np

from model.engine import Engine, prepare, run, run_metrics
from model.engine import metrics as metrics_module
from model.engine.state import initial_state
from model.parameters import ParameterSet
from model.scenario import Scenario
from reference_model import random_network

BUSY = {"acquisition_rate": 0.5, "abuse_threshold": 0.05, "antitrust_enforcement": 0.0,
        "entry_rate": 5.0, "talent_ref": 2.0, "exit_share": 0.6, "exit_patience": 2}


def _scenario(seed=11, **params):
    network = random_network(seed, n_zones=4, n_platforms=3, n_firms=30, n_subfields=2)
    return Scenario(network, ParameterSet({**BUSY, **params}))


def test_runs_from_the_template_equal_fresh_runs():
    prepared = prepare(_scenario())
    # seed 0: deals are rare here (about one per run), and this run has some
    first = run_metrics(prepared, 0, 25)  # builds the template
    again = run_metrics(prepared, 0, 25)  # copies it
    fresh = run_metrics(prepare(_scenario()), 0, 25)
    assert np.array_equal(first, again) and np.array_equal(first, fresh)
    assert first[:, 5:8].sum(axis=0).min() > 0  # entries, exits and acquisitions happened
    template = prepared._step_zero
    built = initial_state(prepared.net, prepared.coefficients)
    for name in ("K", "m", "L", "l", "ulA", "W", "T", "H", "P", "E", "o", "S"):
        assert np.array_equal(getattr(template, name), getattr(built, name)), name


def test_dependency_and_cr4_match_their_definitions():
    engine = Engine(prepare(_scenario(seed=12)), 5)
    for _ in range(15):
        engine.advance()
        st = engine.state
        row = engine.metrics()
        users = st.alive & ~st.is_op
        per_firm = np.minimum(np.bincount(st.ef, st.u * st.l * st.notown, st.n), 1.0)
        assert np.isclose(row[12], per_firm[users].mean(), rtol=1e-12, atol=1e-15)
        live = np.flatnonzero(np.bincount(st.sub, st.alive, len(st.count_sub)))
        top4 = [np.sort(st.m[st.sub == s])[::-1][:4].sum() for s in live]
        assert np.isclose(row[2], np.mean(top4), rtol=1e-12)


def test_cr4_candidates_agree_with_a_full_search_every_step(monkeypatch):
    """The followed candidates (and the partition path of large networks) give the CR4 of
    a search over all firms at every step, while entrants, exits and acquisitions reorder
    the subfields."""
    from model.engine import kernels

    scenario = _scenario(seed=13)
    followed = run(scenario, 20, seed=2).metrics["cr4_mean"].to_numpy()
    searches = []
    search = kernels.top_k_slots

    def counted(*args):
        searches.append(1)
        return search(*args)

    full_cr4 = metrics_module._cr4_mean

    def always_full(st, m, live_f):
        st.cr4_top = None
        return full_cr4(st, m, live_f)

    monkeypatch.setattr(kernels, "top_k_slots", counted)
    run(scenario, 20, seed=2)
    assert 0 < len(searches) < 21  # the candidates were reused on some steps
    monkeypatch.setattr(metrics_module, "_cr4_mean", always_full)
    full = run(scenario, 20, seed=2).metrics["cr4_mean"].to_numpy()
    monkeypatch.setattr(kernels, "SORT_LIMIT", 0)
    large = run(scenario, 20, seed=2).metrics["cr4_mean"].to_numpy()
    assert np.allclose(followed, full, rtol=1e-12, atol=1e-15)
    assert np.allclose(large, full, rtol=1e-12, atol=1e-15)


def test_edges_of_lists_every_edge_of_the_firms():
    st = Engine(prepare(_scenario(seed=14)), 0).state
    rng = np.random.default_rng(0)
    for _ in range(20):
        firms = np.sort(rng.choice(st.n, size=rng.integers(1, 8), replace=False))
        expected = np.flatnonzero(np.isin(st.ef, firms))
        assert np.array_equal(np.sort(st.edges_of(firms)), expected)


def test_engine_code_never_rebinds_a_state_view():
    """`st.K = ...` would part the view from the buffer that entrants grow into; the
    engine writes into views (`st.K[...] = `, `st.K += `) instead."""
    import ast
    from pathlib import Path

    from model.engine.state import EDGE_ARRAYS, FIRM_ARRAYS

    views = FIRM_ARRAYS.keys() | EDGE_ARRAYS.keys()
    engine_dir = Path(metrics_module.__file__).parent
    rebound = []
    for path in sorted(engine_dir.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) else []
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Attribute) and leaf.attr in views and \
                            isinstance(leaf.ctx, ast.Store):
                        rebound.append(f"{path.name}:{leaf.lineno} .{leaf.attr}")
    assert not rebound, rebound
    assert len(views) > 20  # the check looked at the real names


def test_rent_over_abusive_edges_equals_rent_over_all_edges(monkeypatch):
    from model.engine import capability

    scenario = _scenario(seed=15, rent_rate=0.6, abuse_threshold=0.02)
    monkeypatch.setattr(capability, "RENT_EDGE_SHARE", 1.0)  # always the abusive edges alone
    few = run_metrics(prepare(scenario), 4, 20)
    monkeypatch.setattr(capability, "RENT_EDGE_SHARE", 0.0)  # always every edge
    every = run_metrics(prepare(scenario), 4, 20)
    assert np.allclose(few, every, rtol=1e-10, atol=1e-12)
    assert few[:, 15].max() > 0  # platforms abused, so rent was charged


def test_kept_market_weights_give_the_shares_of_a_fresh_computation():
    """The per-firm score weights (0 once gone, an operator's boost) kept up to date
    through acquisitions, exits and entry give the shares computed from scratch."""
    from model.engine import kernels
    from model.engine.state import data_advantage, refresh_market

    engine = Engine(prepare(_scenario(seed=16)), 6)
    co = engine.co
    for _ in range(15):
        engine.advance()
        st = engine.state
        fresh = st.alive.astype(float)
        fresh[st.plat_op] = 1.0 + co.standard_bonus * st.S + \
            co.data_advantage * data_advantage(st)  # one platform each here
        expected = kernels.market_shares(st.K, fresh, st.alive, st.sub, st.count_sub,
                                         co.score_exponent, st.run, 1)
        twin = st.copy()
        refresh_market(twin, engine.net, co)
        assert np.allclose(twin.m, expected, rtol=1e-12, atol=1e-15)
    assert st.cum.sum() > 0 and st.n > engine.net.n_firms  # firms left and entered
    assert st.one_platform_each  # the fresh weights above assume it


def test_stored_shock_quantiles_are_scipys_to_the_last_bit():
    """The shock table's normal quantiles are read from resources/engine (workers need not
    import scipy.special); they must be exactly what scipy computes."""
    from model.engine import kernels

    stored = np.load(kernels.QUANTILE_FILE, allow_pickle=False)
    assert stored.shape == (kernels.SHOCK_LEVELS,) and stored.dtype == float
    assert np.array_equal(stored, kernels.computed_normal_quantiles())
    assert np.array_equal(kernels._normal_quantiles(), stored)


def test_block_sums_do_not_depend_on_the_padding_after_a_run():
    """A run's sum has the same bits alone and in a batch block with zeros after it, for
    lengths around the chunk size."""
    from model.engine import kernels

    rng = np.random.default_rng(3)
    chunk = kernels.SUM_CHUNK
    for n in (1, 7, chunk - 1, chunk, chunk + 1, 3 * chunk + 5, 70_000):
        values = rng.random(n) * 10.0 ** rng.integers(-5, 5, n)
        alone = kernels.block_sum(values, 1)[0]
        for pad in (1, chunk - 1, chunk, 5 * chunk + 3):
            block = np.zeros((3, n + pad))
            block[1, :n] = values
            assert kernels.block_sum(block.reshape(-1), 3)[1] == alone
        assert np.isclose(alone, values.sum(), rtol=1e-12)
