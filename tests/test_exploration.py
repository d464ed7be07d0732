"""Exploratory modelling: futures, sensitivity indices, robustness and explore()."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.builtin import default_scenario
from model.engine import METRIC_KEYS, run
from model.errors import InputError
from model.experiments import PROCESSES
from model.exploration.experiment import explore, policy_scenarios
from model.exploration.futures import MAX_FUTURES, sample, uncertainties
from model.exploration.robustness import robustness
from model.exploration.sensitivity import design, indices
from model.parameters import LEVERS, PARAMETERS, UNCERTAIN

STEPS = 12


def test_every_plausible_range_lies_inside_the_hard_range_and_holds_the_default():
    assert len(UNCERTAIN) >= 30
    for key in UNCERTAIN:
        p = PARAMETERS[key]
        low, high = p.plausible
        assert p.low <= low < high <= p.high, key
        assert low <= p.default <= high, key
        assert p.plausible_reason, key
    assert not set(UNCERTAIN) & set(LEVERS)
    assert not any(k.startswith("outcome_") for k in UNCERTAIN)


def test_uncertainties_take_ranges_fixes_and_extra_keys():
    space = uncertainties({"lock_in_rate": (0.05, 0.1), "antitrust_enforcement": (0, 1)},
                          {"hub_bonus": 1.0})
    keys = [u.key for u in space]
    assert "hub_bonus" not in keys and keys[-1] == "antitrust_enforcement"
    lock = next(u for u in space if u.key == "lock_in_rate")
    assert (lock.low, lock.high) == (0.05, 0.1)
    only = uncertainties(keys=["beta_zone"])
    assert [(u.key, u.low, u.high) for u in only] == [("beta_zone", 0.0, 0.05)]


@pytest.mark.parametrize("ranges, fixed, message", [
    ({"no_such_key": (0, 1)}, {}, "no_such_key"),
    ({"lock_in_rate": (0.1, 0.05)}, {}, "empty"),
    ({"lock_in_rate": (0.05, 7)}, {}, "lock_in_rate"),
    ({"lock_in_rate": (0.05, 0.1)}, {"lock_in_rate": 0.1}, "both uncertain and fixed"),
    ({}, {k: PARAMETERS[k].default for k in UNCERTAIN}, "nothing is uncertain"),
])
def test_bad_uncertainties_are_input_errors(ranges, fixed, message):
    with pytest.raises(InputError, match=message):
        uncertainties(ranges, fixed)


def test_a_lever_without_a_range_asks_for_one():
    with pytest.raises(InputError, match="no plausible range") as caught:
        uncertainties(keys=["antitrust_enforcement"])
    assert "--uncertain antitrust_enforcement=LOW:HIGH" in caught.value.fix


def test_latin_hypercube_futures_fill_every_stratum_and_repeat_with_the_seed():
    space = uncertainties(keys=["lock_in_rate", "exit_patience"])
    futures = sample(space, 50, seed=3)
    assert futures.shape == (50, 2)
    lock = futures["lock_in_rate"]
    assert lock.between(0.02, 0.15).all()
    strata = np.floor((lock - 0.02) / (0.15 - 0.02) * 50).astype(int)
    assert sorted(strata) == list(range(50))  # one future in each fiftieth of the range
    assert (futures["exit_patience"] == np.round(futures["exit_patience"])).all()
    pd.testing.assert_frame_equal(futures, sample(space, 50, seed=3))
    assert not futures.equals(sample(space, 50, seed=4))
    for bad in (0, -1, MAX_FUTURES + 1, 2.5, True):
        with pytest.raises(InputError, match="futures"):
            sample(space, bad)


def test_sobol_indices_of_a_known_function():
    """y = 4 x1 + x2 (+ 0 x3) on [0, 1]: S1 = 16/17 and 1/17, nothing for x3."""
    study = design("sobol", [("x1", 0, 1), ("x2", 0, 1), ("x3", 0, 1)], 5000, seed=1)
    assert len(study.samples) == study.base * 5 and study.base == 512  # fits in 5000
    x = study.samples
    table = indices(study, {"y": 4 * x.x1 + x.x2}, seed=1)
    s1 = dict(zip(table.factor, table.S1))
    st = dict(zip(table.factor, table.ST))
    assert s1["x1"] == pytest.approx(16 / 17, abs=0.03)
    assert s1["x2"] == pytest.approx(1 / 17, abs=0.03)
    assert abs(st["x3"]) < 0.01
    assert list(table.factor) == ["x1", "x2", "x3"]  # sorted by the total index


def test_morris_ranks_the_influential_factor_first_and_rounds_whole_numbers():
    study = design("morris", [("a", 0, 1), ("n", 1, 9), ("c", 0, 1)], 400, seed=2,
                   integer={"n": True})
    assert study.base == 100 and len(study.samples) == 400
    assert (study.samples.n == np.round(study.samples.n)).all()
    x = study.samples
    table = indices(study, {"y": 10 * x.c + x.a ** 2}, seed=2)
    assert list(table.factor)[0] == "c"
    assert table.set_index("factor").loc["n", "mu_star"] == pytest.approx(0, abs=1e-12)


def test_a_small_budget_still_gets_the_minimum_design_and_a_bad_method_fails():
    assert design("sobol", [("a", 0, 1)], 10).base == 32
    with pytest.raises(InputError, match="sensitivity method"):
        design("fast", [("a", 0, 1)], 10)


def test_robustness_shares_and_regret():
    rows = pd.DataFrame({
        "future": [0, 1, 0, 1], "policy": ["p", "p", "q", "q"],
        "outcome": ["adverse", "benign", "mixed", "mixed"],
        "hhi_mean": [3000.0, 1000, 2000, 1500], "active_smes": [10.0, 40, 30, 20],
        "dependency_index": [0.5, 0.2, 0.3, 0.4], "talent_gini": [0.4, 0.3, 0.3, 0.35],
        "foreign_share": [0.1, 0.2, 0.2, 0.1]})
    table = robustness(rows).set_index("policy")
    assert list(table.index) == ["q", "p"]  # q is never adverse
    assert table.loc["p", "adverse"] == 0.5 and table.loc["q", "mixed"] == 1.0
    assert table.loc["p", "regret_hhi_mean_max"] == 1000  # 3000 against 2000 in future 0
    assert table.loc["q", "regret_hhi_mean_mean"] == 250  # 1500 against 1000 in future 1
    assert table.loc["p", "regret_active_smes_mean"] == 10  # 20 in future 0, 0 in future 1
    assert table.loc["q", "regret_foreign_share_max"] == pytest.approx(0.1)


def test_policies_are_the_scenario_or_its_policy_packages():
    scenario = default_scenario()
    chosen = policy_scenarios(scenario, ["current", "benign_policy"])
    assert chosen["current"] is scenario
    assert chosen["benign_policy"].parameters == \
        scenario.with_preset("benign_policy").parameters
    for bad, message in ((["nope"], "unknown policy"), ([], "no policy"),
                         (["benign_policy", "benign_policy"], "twice"),
                         (["benign"], "--world benign_world"),
                         (["fast_lock_in"], "--world fast_lock_in")):
        with pytest.raises(InputError, match=message):
            policy_scenarios(scenario, bad)


@pytest.fixture(scope="module")
def small():
    return explore(default_scenario(), futures=24, policies=("current", "benign_policy"),
                   method="morris", sensitivity_runs=10, steps=STEPS, seed=5)


def test_each_row_is_the_run_of_its_future_under_its_policy(small):
    scenario = default_scenario()
    assert len(small.rows) == 48 and set(small.rows.policy) == {"current", "benign_policy"}
    for policy, future in (("current", 0), ("benign_policy", 0), ("benign_policy", 17)):
        row = small.rows[(small.rows.policy == policy) & (small.rows.future == future)].iloc[0]
        values = {u.key: row[u.key] for u in small.space}
        base = scenario if policy == "current" else scenario.with_preset(policy)
        single = run(base.with_parameters(**values), steps=STEPS, seed=5)
        np.testing.assert_array_equal(row[list(METRIC_KEYS)].to_numpy(float),
                                      single.metrics[list(METRIC_KEYS)].iloc[-1].to_numpy(float))
        assert row["outcome"] == single.outcome
    same = small.rows.groupby("future")[[u.key for u in small.space]].nunique()
    assert (same == 1).all().all()  # both policies face the same futures


def test_explore_reports_robustness_discovery_and_sensitivity(small):
    assert list(small.robustness.policy) == list(
        small.robustness.sort_values("not_adverse", ascending=False, kind="stable").policy)
    assert small.robustness.futures.tolist() == [24, 24]
    table = small.sensitivity
    factors = {u.key for u in small.space} | set(LEVERS)
    assert set(table.factor) == factors and set(table.metric) == {
        "hhi_mean", "active_smes", "dependency_index", "talent_gini", "foreign_share"}
    assert len(small.sensitivity_design.samples) == 10 * (len(factors) + 1)
    assert small.top_factors("hhi_mean", 2).shape[0] == 2
    mine = small.rows[small.rows.policy == small.discovery_policy]
    adverse = (mine.outcome == "adverse").sum()
    if adverse:
        assert small.discovery.total_of_interest == adverse
    else:
        assert small.discovery is None


def test_worker_processes_give_the_same_rows_as_this_process(small):
    again = explore(default_scenario(), futures=24, policies=("current", "benign_policy"),
                    method="morris", sensitivity_runs=10, steps=STEPS, seed=5,
                    executor=PROCESSES, workers=2)
    pd.testing.assert_frame_equal(again.rows, small.rows)
    pd.testing.assert_frame_equal(again.sensitivity, small.sensitivity)


def test_several_runs_per_future_average_the_metrics_and_take_the_modal_outcome():
    one = explore(default_scenario(), futures=6, method=None, steps=STEPS, seed=0,
                  runs_per_future=3)
    scenario = default_scenario()
    row = one.rows.iloc[2]
    values = {u.key: row[u.key] for u in one.space}
    singles = [run(scenario.with_parameters(**values), steps=STEPS, seed=s) for s in range(3)]
    mean = np.mean([s.metrics["hhi_mean"].iloc[-1] for s in singles])
    assert row["hhi_mean"] == pytest.approx(mean, rel=1e-12)
    outcomes = [s.outcome for s in singles]
    assert outcomes.count(row["outcome"]) >= max(outcomes.count(o) for o in set(outcomes))


def test_explore_checks_its_arguments():
    scenario = default_scenario()
    with pytest.raises(InputError, match="runs per future"):
        explore(scenario, futures=4, runs_per_future=0, method=None)
    with pytest.raises(InputError, match="unknown outcome"):
        explore(scenario, futures=4, outcome="dreadful", method=None)
    with pytest.raises(InputError, match="discovery policy"):
        explore(scenario, futures=4, discovery_policy="benign_policy", method=None)
    with pytest.raises(InputError, match="follows a schedule"):
        explore(scenario, futures=4, policies=("aml2022_pipl",), method=None,
                uncertain={"data_protection": (0.2, 0.8)})


def test_discovery_reads_the_policy_whose_share_of_the_outcome_is_nearest_one_half():
    from model.exploration.experiment import most_informative

    rows = pd.DataFrame({"policy": ["a"] * 4 + ["b"] * 4 + ["c"] * 4,
                         "outcome": ["adverse"] * 4 + ["adverse", "mixed", "mixed", "mixed"] +
                                    ["adverse", "adverse", "mixed", "benign"]})
    assert most_informative(rows, "adverse") == "c"
    assert most_informative(rows, "benign") == "c"  # 25 % against 0 % and 0 %
    assert most_informative(rows, "mixed") == "b"  # 75 % and 25 % tie: the first


def test_cancel_stops_an_exploration():
    from model.engine import Cancelled

    with pytest.raises(Cancelled):
        explore(default_scenario(), futures=40, method=None, steps=STEPS,
                cancel=lambda: True)
