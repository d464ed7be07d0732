"""The outcome explained: each rule's branch names its condition and its figures; an
ensemble names its share of runs; the sentence agrees with the outcome the engine gave."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from model.engine.explanation import explain_outcome, explain_rows
from model.engine.metrics import METRIC_INDEX, METRIC_KEYS
from model.engine.outcome import classify
from model.parameters import PARAMETERS

DEFAULTS = {k: p.default for k, p in PARAMETERS.items() if k.startswith("outcome_")}


def rows(hhi, smes0, smes, dependency, gini0, gini1):
    """Metric rows of step 0 and the last step holding only what the rules read."""
    first, last = np.zeros(len(METRIC_KEYS)), np.zeros(len(METRIC_KEYS))
    first[METRIC_INDEX["active_smes"]], last[METRIC_INDEX["active_smes"]] = smes0, smes
    last[METRIC_INDEX["hhi_mean"]] = hhi
    last[METRIC_INDEX["dependency_index"]] = dependency
    first[METRIC_INDEX["talent_gini"]], last[METRIC_INDEX["talent_gini"]] = gini0, gini1
    return first, last


@pytest.mark.parametrize("figures, sentence", [
    ((1210, 450, 486, 0.30, 0.50, 0.512),
     "benign, because HHI 1,210 is below 1,500, SMEs grew 8% and the talent Gini rose 0.01 "
     "(at most 0.02)"),
    ((1210, 450, 486, 0.30, 0.50, 0.49),
     "benign, because HHI 1,210 is below 1,500, SMEs grew 8% and the talent Gini fell 0.01"),
    ((2731, 450, 445, 0.72, 0.50, 0.51),
     "adverse, because HHI 2,731 is above 2,500 and dependency 0.72 is above 0.6"),
    ((2100, 400, 280, 0.41, 0.50, 0.57),
     "adverse, because SMEs fell 30% (more than 25%) and the talent Gini rose 0.07 (more "
     "than 0.05)"),
    ((2731, 450, 445, 0.41, 0.50, 0.51),
     "mixed, because HHI 2,731 is above 2,500, but dependency 0.41 is at most 0.6 and the "
     "talent Gini rose 0.01 (at most 0.05)"),
    ((2231, 450, 446, 0.41, 0.50, 0.51),
     "mixed, because HHI 2,231 is between 1,500 and 2,500; SMEs fell 1% (no growth)"),
    ((2231, 450, 460, 0.41, 0.50, 0.51),
     "mixed, because HHI 2,231 is between 1,500 and 2,500"),
    ((1210, 450, 450, 0.30, 0.50, 0.51),
     "mixed, because SMEs stayed at 450 (no growth), though HHI 1,210 is below 1,500"),
    ((1210, 450, 486, 0.30, 0.50, 0.53),
     "mixed, because the talent Gini rose 0.03 (more than 0.02), though HHI 1,210 is below "
     "1,500"),
])
def test_each_branch_of_the_rule_names_its_condition_and_figures(figures, sentence):
    first, last = rows(*figures)
    assert explain_rows(first, last, DEFAULTS) == sentence
    assert sentence.startswith(classify(first, last, DEFAULTS) + ",")


def test_a_figure_next_to_its_threshold_shows_the_decimal_that_decides():
    said = explain_rows(*rows(2500.4, 450, 450, 0.41, 0.5, 0.5), DEFAULTS)
    assert said.startswith("mixed, because HHI 2,500.4 is above 2,500")
    said = explain_rows(*rows(1210, 450, 452, 0.3, 0.5, 0.5), DEFAULTS)
    assert "SMEs grew 0.4%" in said  # not "grew 0%"


def test_the_thresholds_are_the_runs_own():
    strict = {**DEFAULTS, "outcome_hhi_high": 2000, "outcome_dependency": 0.4}
    said = explain_rows(*rows(2231, 450, 446, 0.41, 0.5, 0.51), strict)
    assert said == "adverse, because HHI 2,231 is above 2,000 and dependency 0.41 is above 0.4"


def test_an_ensemble_names_its_share_of_runs_and_the_medians_of_those_runs():
    cases = [rows(2100 + 10 * i, 450, 440, 0.41, 0.5, 0.51) for i in range(5)] + \
        [rows(2731, 450, 300, 0.7, 0.5, 0.6)] * 3
    first, last = (np.array(side) for side in zip(*cases))
    said = explain_rows(first, last, DEFAULTS)
    assert said == ("mixed in 62% of runs (adverse 38%); in those runs (medians): HHI 2,120 "
                    "is between 1,500 and 2,500; SMEs fell 2% (no growth)")


def test_an_ensemble_says_which_share_each_condition_decided():
    cases = [rows(2731, 450, 445, 0.72, 0.5, 0.51)] * 3 + \
        [rows(2731, 450, 300, 0.5, 0.5, 0.57)]
    first, last = (np.array(side) for side in zip(*cases))
    said = explain_rows(first, last, DEFAULTS)
    assert said == ("adverse in 100% of runs; in those runs (medians): HHI 2,731 is above "
                    "2,500; SMEs fell 33% (more than 25%) in 25% of them; dependency 0.72 is "
                    "above 0.6 in 75% of them; the talent Gini rose 0.07 (more than 0.05) in "
                    "25% of them")


def test_an_ensemble_of_two_kinds_of_mixed_names_the_other_kind():
    cases = [rows(2231, 450, 446, 0.41, 0.5, 0.51)] * 3 + \
        [rows(2731, 450, 445, 0.41, 0.5, 0.51)]
    first, last = (np.array(side) for side in zip(*cases))
    said = explain_rows(first, last, DEFAULTS)
    assert said == ("mixed in 100% of runs; in 75% of those (medians): HHI 2,231 is "
                    "between 1,500 and 2,500; SMEs fell 1% (no growth); the other 25%: "
                    "concentrated but not captured")
    assert len(said) <= 160  # it was 300 characters of nested clauses (issue 25)


def test_a_tie_between_outcomes_goes_to_the_worse():
    cases = [rows(2731, 450, 445, 0.72, 0.5, 0.51), rows(1210, 450, 486, 0.3, 0.5, 0.51)]
    first, last = (np.array(side) for side in zip(*cases))
    assert explain_rows(first, last, DEFAULTS).startswith("adverse in 50% of runs (benign 50%)")


def test_decide_classifies_as_the_rule_reads():
    """The rules as MODEL.md states them, on every combination of figures at and around the
    thresholds: classify, which now goes through the named conditions, agrees."""
    for hhi, smes, dependency, gini in itertools.product(
            (1499, 1500, 2000, 2500, 2501), (336, 337.5, 338, 450, 451), (0.6, 0.61),
            (0.52, 0.53, 0.55, 0.56)):
        first, last = rows(hhi, 450, smes, dependency, 0.5, gini)
        rise = gini - 0.5
        concentrated = hhi > 2500 or smes < 0.75 * 450
        captured = dependency > 0.6 or rise > 0.05
        expected = "adverse" if concentrated and captured else \
            "benign" if hhi < 1500 and smes > 450 and rise <= 0.02 else "mixed"
        assert classify(first, last, DEFAULTS) == expected
        assert explain_rows(first, last, DEFAULTS).startswith(expected + ",")


@pytest.fixture(scope="module")
def builtin_results():
    from model.builtin import default_scenario
    from model.engine import run
    from model.experiments import monte_carlo

    scenario = default_scenario()
    return run(scenario, 12, 0), monte_carlo(scenario.with_preset("adverse"), 4, 12, 0)


def test_explain_outcome_reads_a_run_and_an_ensemble_as_the_engine_judged_them(
        builtin_results):
    single, ensemble = builtin_results
    assert explain_outcome(single).startswith(single.outcome + ", because ")
    top = max(ensemble.outcome_shares, key=ensemble.outcome_shares.get)
    assert explain_outcome(ensemble).startswith(
        f"{top} in {ensemble.outcome_shares[top]:.0%} of runs")
    table = ensemble.runs
    assert explain_outcome(ensemble) == explain_rows(table[:, 0], table[:, -1], DEFAULTS)
