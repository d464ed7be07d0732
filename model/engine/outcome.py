"""The outcome of a run (MODEL.md section 5): adverse, benign or mixed.

adverse: at the last step (HHI above `outcome_hhi_high` or alive SMEs fell by more than
`outcome_sme_drop`) and (dependency above `outcome_dependency` or the talent Gini rose by
more than `outcome_gini_rise_adverse`);
benign: HHI below `outcome_hhi_low`, alive SMEs grew, and the talent Gini rose by at most
`outcome_gini_rise_benign`; mixed otherwise.

`decide` applies the rules once and names the conditions that decided the outcome;
`classify` keeps only the outcome, and `model.engine.explanation` turns the conditions into
the sentence the window, the command line and the workbook show.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.engine.metrics import METRIC_INDEX

ADVERSE, MIXED, BENIGN = "adverse", "mixed", "benign"
OUTCOMES = (ADVERSE, MIXED, BENIGN)
OUTCOME_MEANING = {
    ADVERSE: "concentration or a fall of SMEs, together with high dependency or a rise in "
             "talent inequality",
    MIXED: "neither the adverse nor the benign pattern",
    BENIGN: "unconcentrated markets, more SMEs and no rise in talent inequality",
}
THRESHOLDS = ("outcome_hhi_high", "outcome_sme_drop", "outcome_dependency",
              "outcome_gini_rise_adverse", "outcome_hhi_low", "outcome_gini_rise_benign")

# The conditions `decide` names. Adverse: one of CONCENTRATED with one of CAPTURED.
HHI_ABOVE, SMES_FELL = "hhi_above", "smes_fell"  # concentrated
DEPENDENCY_ABOVE, GINI_ROSE = "dependency_above", "gini_rose"  # captured
# Benign: all three; mixed names the ones that failed (or, when concentrated, what
# kept it from adverse).
HHI_BELOW, SMES_GREW, GINI_STEADY = "hhi_below", "smes_grew", "gini_steady"
HHI_BETWEEN, SMES_STILL, GINI_CREPT = "hhi_between", "smes_no_growth", "gini_crept"
DEPENDENCY_AT_MOST, GINI_AT_MOST = "dependency_at_most", "gini_at_most"


@dataclass(frozen=True)
class Figures:
    """What the rules read from a run: the last step's HHI, SMEs and dependency, the SMEs
    at step 0 and the rise of the talent Gini since step 0."""

    hhi: float
    smes0: float
    smes: float
    dependency: float
    gini_rise: float

    @classmethod
    def of(cls, first: np.ndarray, last: np.ndarray) -> Figures:
        return cls(float(last[METRIC_INDEX["hhi_mean"]]),
                   float(first[METRIC_INDEX["active_smes"]]),
                   float(last[METRIC_INDEX["active_smes"]]),
                   float(last[METRIC_INDEX["dependency_index"]]),
                   float(last[METRIC_INDEX["talent_gini"]] - first[METRIC_INDEX["talent_gini"]]))


def thresholds_of(co: Mapping[str, float] | object) -> dict[str, float]:
    """The `outcome_*` thresholds from parameters (a mapping) or compiled coefficients."""
    get = co.__getitem__ if isinstance(co, Mapping) else co.__getattribute__
    return {k: get(k) for k in THRESHOLDS}


def conditions(f: Figures, t: Mapping[str, float]) -> dict[str, bool]:
    """Each line of the rules read once (the one place the thresholds are compared): the
    overall outcome (`decide`) and the dimensions (model.engine.dimensions) both read these."""
    return {HHI_ABOVE: f.hhi > t["outcome_hhi_high"],
            SMES_FELL: f.smes < (1.0 - t["outcome_sme_drop"]) * f.smes0,
            DEPENDENCY_ABOVE: f.dependency > t["outcome_dependency"],
            GINI_ROSE: f.gini_rise > t["outcome_gini_rise_adverse"],
            HHI_BELOW: f.hhi < t["outcome_hhi_low"],
            SMES_GREW: f.smes > f.smes0,
            GINI_STEADY: f.gini_rise <= t["outcome_gini_rise_benign"]}


def decide(f: Figures, t: Mapping[str, float]) -> tuple[str, tuple[str, ...]]:
    """The outcome and the conditions that decided it (the constants above), in order."""
    c = conditions(f, t)
    concentrated = _holding((HHI_ABOVE, c[HHI_ABOVE]), (SMES_FELL, c[SMES_FELL]))
    captured = _holding((DEPENDENCY_ABOVE, c[DEPENDENCY_ABOVE]), (GINI_ROSE, c[GINI_ROSE]))
    if concentrated and captured:
        return ADVERSE, concentrated + captured
    missed = _holding((HHI_BETWEEN, not c[HHI_BELOW]), (SMES_STILL, not c[SMES_GREW]),
                      (GINI_CREPT, not c[GINI_STEADY]))
    if not missed:
        return BENIGN, (HHI_BELOW, SMES_GREW, GINI_STEADY)
    if concentrated:  # concentrated, not captured: that is what kept it from adverse
        return MIXED, concentrated + (DEPENDENCY_AT_MOST, GINI_AT_MOST)
    return MIXED, ((HHI_BELOW,) if c[HHI_BELOW] else ()) + missed


def _holding(*conditions: tuple[str, bool]) -> tuple[str, ...]:
    return tuple(name for name, holds in conditions if holds)


def classify(first: np.ndarray, last: np.ndarray, co: Mapping[str, float] | object) -> str:
    """Outcome from the metrics rows of step 0 and of the last step."""
    return decide(Figures.of(first, last), thresholds_of(co))[0]


def classify_rows(first: np.ndarray, last: np.ndarray, co) -> list[str]:
    """The outcome of each run from (runs, metrics) rows of step 0 and the last step (the
    thresholds may differ between runs: arrays of one value per run)."""
    values = thresholds_of(co)
    if not any(np.ndim(v) for v in values.values()):
        return [classify(a, b, values) for a, b in zip(first, last)]
    return [classify(a, b, {k: (v[r] if np.ndim(v) else v) for k, v in values.items()})
            for r, (a, b) in enumerate(zip(first, last))]
