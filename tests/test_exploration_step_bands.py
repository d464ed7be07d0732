"""An exploration keeps each policy's bands over time across its futures (per step and
metric: mean, p5, p50, p95 of the futures' seed means), within a memory budget."""
from __future__ import annotations

import numpy as np
import pytest

from model.builtin import default_scenario
from model.engine import METRIC_KEYS
from model.exploration import step_bands
from model.exploration.experiment import explore

STEPS = 6


@pytest.fixture(scope="module")
def exploration():
    return explore(default_scenario(), futures=12, policies=("current", "benign_policy"),
                   method=None, steps=STEPS, seed=3, runs_per_future=2)


def _end_band(x, policy_index: int, futures: int, key: str, q: float) -> float:
    """The band at the last step, from the per-seed end metrics kept beside the rows."""
    n = len(x.futures)
    j = METRIC_KEYS.index(key)
    ends = x.seed_ends[policy_index * n:policy_index * n + futures, :, j].mean(axis=1)
    return float(np.percentile(ends, q)) if q is not None else float(ends.mean())


def test_bands_per_policy_and_step_match_the_futures_end_values(exploration):
    x = exploration
    bands = x.step_bands
    assert x.step_bands_futures == 12
    assert len(bands) == 2 * (STEPS + 1)
    assert bands["policy"].tolist() == ["current"] * (STEPS + 1) + \
        ["benign_policy"] * (STEPS + 1)
    assert bands["quarter"].iloc[0] == x.provenance.quarter(0)
    for p, policy in enumerate(x.policies):
        last = bands[(bands["policy"] == policy) & (bands["step"] == STEPS)].iloc[0]
        for key in ("hhi_mean", "active_smes", "talent_gini"):
            for band, q in (("mean", None), ("p5", 5), ("p50", 50), ("p95", 95)):
                assert last[f"{key}_{band}"] == pytest.approx(
                    _end_band(x, p, 12, key, q), rel=1e-12), (policy, key, band)
        # the rows' end values are the same seed means
        rows = x.rows[x.rows["policy"] == policy]
        assert last["hhi_mean_mean"] == pytest.approx(rows["hhi_mean"].mean(), rel=1e-12)


def test_bands_are_ordered_and_differ_between_policies(exploration):
    bands = exploration.step_bands
    for key in METRIC_KEYS:
        assert (bands[f"{key}_p5"] <= bands[f"{key}_p50"] + 1e-12).all()
        assert (bands[f"{key}_p50"] <= bands[f"{key}_p95"] + 1e-12).all()
    ends = bands[bands["step"] == STEPS].set_index("policy")
    assert ends.loc["current", "hhi_mean_p50"] != ends.loc["benign_policy", "hhi_mean_p50"]


def test_the_budget_bounds_the_futures_kept(monkeypatch):
    per_future = (STEPS + 1) * len(METRIC_KEYS) * 8 * 2  # bytes of one future, 2 policies
    monkeypatch.setattr(step_bands, "BAND_MEMORY", 5 * per_future)
    x = explore(default_scenario(), futures=12, policies=("current", "benign_policy"),
                method=None, steps=STEPS, seed=3)
    assert x.step_bands_futures == 5  # the first five futures sampled, of each policy
    last = x.step_bands[x.step_bands["step"] == STEPS].set_index("policy")
    for p, policy in enumerate(x.policies):
        assert last.loc[policy, "dependency_index_p95"] == pytest.approx(
            _end_band(x, p, 5, "dependency_index", 95), rel=1e-12)
    budget = 64_000_000
    kept = step_bands.kept_futures(10 ** 5, 3, 1000, 34, budget)
    assert 1 <= kept and kept * 3 * 1001 * 34 * 8 <= budget
    assert step_bands.kept_futures(500, 2, 40, 34, budget) == 500  # the usual: all of them
