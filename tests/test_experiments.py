"""Experiments (MODEL.md section 7): Monte Carlo, comparison on common random numbers,
sensitivity, grid and sweep; the synchronous, process-pool and Dask paths agree."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.engine import METRIC_KEYS, OUTCOMES, Cancelled, prepare, run, run_metrics
from model.errors import InputError
from model.experiments import (PROCESSES, compare, grid, grid_pivot, iter_runs, monte_carlo,
                               open_executor, sensitivity, sweep)
from model.experiments.runner import (MAX_BATCH, Variant, batch_size, plan_batches,
                                     quick_start_sizes)
from model.parameters import ParameterSet
from model.scenario import Scenario
from reference_model import random_network

STEPS = 12


@pytest.fixture(scope="module")
def scenario():
    network = random_network(21, n_zones=4, n_platforms=3, n_firms=25, n_subfields=2)
    return Scenario(network, ParameterSet({"noise_sigma": 0.2, "acquisition_rate": 0.3,
                                           "abuse_threshold": 0.1}), title="test ecosystem")


def test_monte_carlo_runs_the_seeds_and_summarises_them(scenario):
    mc = monte_carlo(scenario, runs=6, steps=STEPS, seed=10)
    assert list(mc.seeds) == list(range(10, 16))
    prepared = prepare(scenario)
    for k, seed in enumerate(mc.seeds):
        assert np.array_equal(mc.runs[k], run_metrics(prepared, int(seed), STEPS))
    single = run(scenario, STEPS, seed=12)
    assert np.array_equal(mc.runs[2], single.metrics[list(METRIC_KEYS)].to_numpy(float))
    assert mc.outcomes[2] == single.outcome
    expected = ["step", "quarter"] + [f"{k}_{b}" for k in METRIC_KEYS for b in ("mean", "p5", "p50",
                                                                      "p95")]
    assert list(mc.summary.columns) == expected and len(mc.summary) == STEPS + 1
    hhi = mc.runs[:, :, METRIC_KEYS.index("hhi_mean")]
    assert np.allclose(mc.summary["hhi_mean_mean"], hhi.mean(axis=0))
    assert np.allclose(mc.summary["hhi_mean_p95"], np.percentile(hhi, 95, axis=0))
    assert (mc.summary["hhi_mean_p5"] <= mc.summary["hhi_mean_p50"]).all()
    assert sum(mc.outcome_shares.values()) == pytest.approx(1.0)
    assert mc.outcome_shares[single.outcome] >= 1 / 6
    assert mc.provenance.runs == 6 and mc.provenance.seed == 10
    end = mc.end_table(["hhi_mean"]).iloc[0]
    assert end.end_mean == pytest.approx(hhi[:, -1].mean())


def test_noise_makes_runs_differ(scenario):
    mc = monte_carlo(scenario, runs=4, steps=STEPS)
    assert not np.array_equal(mc.runs[0], mc.runs[1])


def test_process_pool_gives_the_same_runs(scenario):
    here = monte_carlo(scenario, runs=5, steps=STEPS, seed=3)
    done = []
    pooled = monte_carlo(scenario, runs=5, steps=STEPS, seed=3, executor=PROCESSES,
                         workers=2, progress=lambda d, t: done.append((d, t)))
    assert np.array_equal(here.runs, pooled.runs)
    assert here.outcomes == pooled.outcomes
    assert done[-1] == (5, 5) and [d for d, _ in done] == sorted(d for d, _ in done)


def test_dask_executor_on_a_local_cluster(scenario):
    distributed = pytest.importorskip("distributed")
    here = monte_carlo(scenario, runs=4, steps=STEPS, seed=1)
    with distributed.LocalCluster(n_workers=1, processes=False, host="127.0.0.1",
                                  protocol="tcp://", dashboard_address=None) as cluster:
        with open_executor(cluster.scheduler_address) as executor:
            remote = monte_carlo(scenario, runs=4, steps=STEPS, seed=1, executor=executor)
    assert np.array_equal(here.runs, remote.runs)


def test_unreachable_scheduler_is_an_input_error():
    with pytest.raises(InputError, match="Dask scheduler"):
        with open_executor("tcp://127.0.0.1:1", timeout=1):
            pass


def test_comparison_uses_common_random_numbers(scenario):
    strict = scenario.with_parameters(antitrust_enforcement=1.0)
    result = compare({"base": scenario, "same": scenario, "strict": strict}, runs=5,
                     steps=STEPS, seed=4)
    assert result.labels == ("base", "same", "strict")
    same = result.differences["same"]
    assert (same.drop(columns=["step", "quarter"]).to_numpy() == 0).all()  # paired: no gap
    strict_gap = result.results["strict"].runs - result.results["base"].runs
    j = METRIC_KEYS.index("abuse_mean")
    assert np.allclose(result.differences["strict"]["abuse_mean_mean"],
                       strict_gap[:, :, j].mean(axis=0))
    table = result.end_table(["abuse_mean"])
    row = table[table.scenario == "strict"].iloc[0]
    assert row.diff_mean == pytest.approx(strict_gap[:, -1, j].mean())
    assert row.diff_p5 <= row.diff_mean <= row.diff_p95
    assert set(result.outcome_table().columns) == {"scenario", *OUTCOMES}


def test_sensitivity_gives_tornado_rows(scenario):
    table = sensitivity(scenario, ["antitrust_enforcement", "lock_in_rate"],
                        ["hhi_mean", "abuse_mean"], runs=3, steps=STEPS)
    assert len(table) == 4
    lever = table[(table.parameter == "antitrust_enforcement") &
                  (table.metric == "abuse_mean")].iloc[0]
    assert (lever.low, lever.high) == (0.0, 1.0)
    assert lever.high_end <= lever.low_end  # full enforcement leaves less abuse
    coefficient = table[table.parameter == "lock_in_rate"].iloc[0]
    base_value = scenario.parameters["lock_in_rate"]  # a coefficient: its value -/+ 50 %
    assert coefficient.low == pytest.approx(0.5 * base_value)
    assert coefficient.high == pytest.approx(1.5 * base_value)
    base = monte_carlo(scenario, runs=3, steps=STEPS)
    assert lever.base_end == pytest.approx(base.runs[:, -1, METRIC_KEYS.index("abuse_mean")]
                                           .mean())
    assert (table.swing == (table.high_end - table.low_end).abs()).all()
    for _, rows in table.groupby("metric"):
        assert list(rows.swing) == sorted(rows.swing, reverse=True)


def test_grid_and_sweep(scenario):
    cells = grid(scenario, "antitrust_enforcement", [0.0, 1.0], "lock_in_rate", [0.01, 0.2, 0.5],
                 ["hhi_mean"], runs=2, steps=STEPS)
    assert len(cells) == 6
    heat = grid_pivot(cells, "antitrust_enforcement", "lock_in_rate", "hhi_mean")
    assert heat.shape == (3, 2)
    table = sweep(scenario, "antitrust_enforcement", [0.0, 0.5, 1.0], runs=3, steps=STEPS)
    assert list(table["antitrust_enforcement"]) == [0.0, 0.5, 1.0]
    shares = table[[f"share_{o}" for o in OUTCOMES]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    # enforcement deters but is no perfect agency (test_engine_behaviour): less abuse, not none
    assert table["abuse_mean_mean"].iloc[-1] < table["abuse_mean_mean"].iloc[0]
    assert (table["hhi_mean_p5"] <= table["hhi_mean_p95"]).all()


def test_progress_and_cancel(scenario):
    seen = []
    monte_carlo(scenario, runs=4, steps=3, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    with pytest.raises(Cancelled):
        monte_carlo(scenario, runs=50, steps=3, cancel=lambda: len(seen) >= 6,
                    progress=lambda d, t: seen.append((d, t)))
    assert len(seen) == 6


def test_cancel_stops_a_process_pool_and_ends_its_workers(scenario):
    import multiprocessing

    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 2

    from model.builtin import default_scenario

    long_batches = prepare(default_scenario())  # 1,000 quarters: tens of seconds a batch
    with pytest.raises(Cancelled):
        list(iter_runs([long_batches], [Variant(0, {})], range(2000), 1000,
                       executor=PROCESSES, workers=2, cancel=cancel))
    deadline = time.monotonic() + 30  # ended workers are reaped by the pool's thread too
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    left = multiprocessing.active_children()
    assert left == [], [(p.name, p.pid, p.exitcode) for p in left]  # no worker left


@pytest.fixture
def batch_sizes(monkeypatch) -> list:
    """(first seed, runs) of every batch the runner runs, in order."""
    from model.experiments import runner

    sizes = []
    batched = runner.run_batch

    def recorded(prepared, seed, runs, steps, cancel=None, **options):
        sizes.append((seed, runs))
        return batched(prepared, seed, runs, steps, cancel, **options)

    monkeypatch.setattr(runner, "run_batch", recorded)
    return sizes


def test_batches_hold_consecutive_seeds_within_the_memory_budget(scenario, batch_sizes):
    from model.engine.run import bytes_per_run

    sizes = batch_sizes
    prepared = prepare(scenario)
    budget = 3 * bytes_per_run(prepared.net, STEPS) + 1
    outputs = list(iter_runs([prepared], [Variant(0, {}), Variant(0, {"lock_in_rate": 0.2})],
                             range(5, 15), STEPS, memory_budget=budget))
    assert sizes == [(5, 3), (8, 3), (11, 3), (14, 1), (5, 3), (8, 3), (11, 3), (14, 1)]
    assert sorted((o.variant, o.seed) for o in outputs) == \
        [(v, s) for v in (0, 1) for s in range(5, 15)]
    for o in outputs[:10]:
        assert np.array_equal(o.metrics, run_metrics(prepared, o.seed, STEPS))


def test_bad_experiment_input_is_an_input_error(scenario):
    with pytest.raises(InputError):
        monte_carlo(scenario, runs=0)
    with pytest.raises(InputError):
        sweep(scenario, "no_such_parameter", [1.0])
    with pytest.raises(InputError):
        sweep(scenario, "antitrust_enforcement", [2.0], runs=1, steps=2)
    with pytest.raises(InputError):
        sensitivity(scenario, ["antitrust_enforcement"], ["no_such_metric"])
    with pytest.raises(InputError):
        list(iter_runs([prepare(scenario)], [Variant(0, {})], [0], 2, executor=object()))


def test_batches_amortise_but_keep_workers_busy_and_memory_bounded():
    assert batch_size(1000, 2) == 125  # four tasks per worker
    assert batch_size(100_000, 2) == MAX_BATCH
    assert batch_size(16, 2) == 2
    assert batch_size(3, 8) == 1
    assert batch_size(10_000, 2, run_bytes=10_000_000, budget=1_000_000_000) == 100
    assert batch_size(10_000, 2, run_bytes=5_000_000_000) == 1  # one run always goes


def test_each_workers_first_batch_is_small_so_progress_moves_early(scenario, batch_sizes):
    assert quick_start_sizes(125, 2) == (15, 15)  # 1,000 runs on two workers
    assert quick_start_sizes(7, 2) == ()  # batches that small end soon anyway
    sizes = batch_sizes
    done = []
    outputs = list(iter_runs([prepare(scenario)], [Variant(0, {})], range(100), 2,
                             progress=lambda d, t: done.append(d)))
    assert sizes == [(0, 3), (3, 25), (28, 25), (53, 25), (78, 22)]
    assert done == [3, 28, 53, 78, 100] and len(outputs) == 100
    sizes.clear()
    list(iter_runs([prepare(scenario)], [Variant(0, {})], range(100), 2, quick_start=False))
    assert sizes == [(0, 25), (25, 25), (50, 25), (75, 25)]
    assert [b.items[0][1] for b in plan_batches([Variant(0, {})], range(10), 4, (1, 2))] \
        == [0, 1, 3, 7]


def test_plans_group_runs_of_variants_that_change_the_same_parameters():
    variants = [Variant(0, {}), Variant(0, {"lock_in_rate": 0.1}), Variant(1, {}),
                Variant(0, {"lock_in_rate": 0.2})]
    plan = plan_batches(variants, [5, 6, 7], 4)
    assert [b.items for b in plan] == [((0, 5), (0, 6), (0, 7)),
                                       ((1, 5), (1, 6), (1, 7), (3, 5)), ((3, 6), (3, 7)),
                                       ((2, 5), (2, 6), (2, 7))]


def test_variants_in_one_batch_equal_their_own_runs(scenario):
    """Futures of one scenario, each with its own values, run together."""
    prepared = prepare(scenario)
    rates = [0.01, 0.1, 0.3, 0.6]
    variants = [Variant(0, {"lock_in_rate": r, "acquisition_rate": 0.3}) for r in rates]
    outputs = {(o.variant, o.seed): o for o in iter_runs([prepared], variants, [3, 4],
                                                         STEPS)}
    assert len(outputs) == 8
    for v, rate in enumerate(rates):
        own = prepared.with_parameters({"lock_in_rate": rate, "acquisition_rate": 0.3})
        for seed in (3, 4):
            assert np.array_equal(outputs[v, seed].metrics, run_metrics(own, seed, STEPS))


def test_summaries_are_plain_dataframes(scenario):
    mc = monte_carlo(scenario, runs=2, steps=2)
    assert isinstance(mc.summary, pd.DataFrame)
    assert mc.summary["step"].tolist() == [0, 1, 2]


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here (Windows)")
def test_workers_lower_their_priority_and_the_helpers_warm_up():
    code = ("import os; from model.experiments.runner import lower_priority, warm_up, "
            "WORKER_NICENESS as N; before = os.nice(0); lower_priority(); "
            "print(os.nice(0) - before, N); warm_up(); import sys; "
            "from multiprocessing import resource_tracker as r; "
            "print('multiprocessing.popen_spawn_posix' in sys.modules, r._resource_tracker._fd "
            "is not None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], check=True)
    raised, niceness = done.stdout.split()[:2]
    assert int(raised) == min(int(niceness), 19 - (os.nice(0)))  # capped at 19
    assert done.stdout.split()[2:] == ["True", "True"]


@pytest.mark.parametrize("steps", [40, 200])
def test_the_memory_estimate_of_a_run_covers_its_slots_in_a_long_batch(steps):
    """A batch's blocks widen for its busiest run; the estimate allows for that."""
    from model.builtin import default_scenario
    from model.engine import Engine
    from model.engine.run import slots_per_run

    prepared = prepare(default_scenario())
    engine = Engine(prepared, seed=0, runs=8)
    for _ in range(steps):
        engine.advance()
    firms, edges = slots_per_run(prepared.net, steps)
    assert engine.state.fs <= firms and engine.state.es <= edges
