"""The difference of a comparison: scenario minus base, run by run on common seeds."""
from __future__ import annotations

import numpy as np
import pytest

from model.engine.metrics import METRIC_KEYS
from model.errors import InputError
from model.experiments.analyses import paired_differences

HHI = METRIC_KEYS.index("hhi_mean")


def tables(values: list[list[float]]) -> np.ndarray:
    """(runs, steps + 1, metrics) with the HHI of each run and step as given, 0 elsewhere."""
    out = np.zeros((len(values), len(values[0]), len(METRIC_KEYS)))
    out[:, :, HHI] = values
    return out


def test_the_band_is_that_of_the_run_by_run_differences():
    # run r of the scenario is the base's run r plus 100 + 10 r: the effect of the scenario
    # in each future is 100..190, although the two ensembles' own spreads are far wider
    base = tables([[1000 + 500 * r, 2000 + 500 * r] for r in range(10)])
    scenario = base + tables([[0, 100 + 10 * r] for r in range(10)])
    frame = paired_differences(scenario, base)
    assert frame["step"].tolist() == [0, 1]
    assert frame["hhi_mean_mean"].tolist() == [0.0, 145.0]  # = difference of the means
    assert frame["hhi_mean_mean"].iloc[1] == pytest.approx(
        scenario[:, 1, HHI].mean() - base[:, 1, HHI].mean())
    effect = 100 + 10 * np.arange(10)
    assert frame["hhi_mean_p5"].iloc[1] == pytest.approx(np.percentile(effect, 5))
    assert frame["hhi_mean_p95"].iloc[1] == pytest.approx(np.percentile(effect, 95))
    assert frame["hhi_mean_p95"].iloc[1] - frame["hhi_mean_p5"].iloc[1] < 100
    assert frame["quarter"].tolist() == ["2024Q1", "2024Q2"]


def test_the_base_differs_from_itself_by_nothing():
    base = tables([[1000, 1200], [1500, 1700]])
    frame = paired_differences(base, base)
    assert not frame.filter(like="hhi_mean_").to_numpy().any()


def test_runs_that_do_not_pair_are_an_input_error():
    with pytest.raises(InputError, match="same seeds"):
        paired_differences(tables([[1, 2], [3, 4]]), tables([[1, 2]]))


def test_a_comparison_holds_the_paired_differences_of_its_scenarios():
    from model.builtin import default_scenario
    from model.experiments import compare

    scenario = default_scenario()
    result = compare({"base": scenario, "benign": scenario.with_preset("benign")}, 3, 4, 0)
    base, benign = (result.results[k] for k in ("base", "benign"))
    assert (base.seeds == benign.seeds).all()  # common random numbers
    expected = paired_differences(benign.runs, base.runs)
    assert result.differences["benign"].equals(expected)
