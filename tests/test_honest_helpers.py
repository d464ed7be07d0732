"""The model functions the window reads for honest results (issue 23): per-dimension shares
with the medians that decided them, paired step differences against any reference, and
PRIM for a chosen policy and outcome."""
from __future__ import annotations

import numpy as np
import pytest

from model.builtin import default_scenario
from model.engine import dimensions
from model.engine.metrics import METRIC_INDEX
from model.experiments import paired
from model.experiments.analyses import compare, monte_carlo
from model.exploration.experiment import discover, explore


@pytest.fixture(scope="module")
def mc():
    return monte_carlo(default_scenario(), runs=6, steps=8, seed=0)


def test_dimension_summary_has_the_shares_and_the_medians_of_the_runs(mc):
    found = dimensions.summary_of(mc)
    labels = dimensions.of_result(mc)
    for d in dimensions.DIMENSIONS:
        assert found[d]["shares"] == dimensions.shares(labels[d])
    hhi = mc.runs[:, -1, METRIC_INDEX["hhi_mean"]]
    assert found["competition"]["median"]["hhi"] == pytest.approx(float(np.median(hhi)))


def test_step_differences_against_the_first_are_the_comparisons_own():
    s = default_scenario()
    result = compare({"base": s, "benign": s.with_preset("benign"),
                      "adverse": s.with_preset("adverse")}, runs=3, steps=6, seed=0)
    ref, frames = paired.step_differences(result)
    assert ref == "base" and list(frames) == ["benign", "adverse"]
    np.testing.assert_allclose(frames["adverse"]["hhi_mean_mean"],
                               result.differences["adverse"]["hhi_mean_mean"])
    ref, frames = paired.step_differences(result, "benign")
    assert ref == "benign" and list(frames) == ["base", "adverse"]
    expected = (result.results["adverse"].runs - result.results["benign"].runs).mean(axis=0)
    np.testing.assert_allclose(frames["adverse"]["hhi_mean_mean"],
                               expected[:, METRIC_INDEX["hhi_mean"]])


def test_discover_gives_the_explorations_own_box_for_its_policy():
    x = explore(default_scenario(), 30, ["current", "adverse_policy"], method=None,
                outcome="adverse", steps=8, seed=0)
    again = discover(x.rows, x.space, x.discovery_policy, x.outcome)
    if x.discovery is None:
        assert again is None
    else:
        np.testing.assert_array_equal(again.box.limits, x.discovery.box.limits)
