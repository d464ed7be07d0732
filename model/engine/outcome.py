"""The outcome of a run (MODEL.md section 5): adverse, benign or mixed.

adverse: at the last step (HHI above `outcome_hhi_high` or alive SMEs fell by more than
`outcome_sme_drop`) and (dependency above `outcome_dependency` or the talent Gini rose by
more than `outcome_gini_rise_adverse`);
benign: HHI below `outcome_hhi_low`, alive SMEs grew, and the talent Gini rose by at most
`outcome_gini_rise_benign`; mixed otherwise.
"""
from __future__ import annotations

from collections.abc import Mapping

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


def classify(first: np.ndarray, last: np.ndarray, co: Mapping[str, float] | object) -> str:
    """Outcome from the metrics rows of step 0 and of the last step."""
    get = co.__getitem__ if isinstance(co, Mapping) else co.__getattribute__
    hhi, smes0, smes = (last[METRIC_INDEX["hhi_mean"]], first[METRIC_INDEX["active_smes"]],
                        last[METRIC_INDEX["active_smes"]])
    gini_rise = last[METRIC_INDEX["talent_gini"]] - first[METRIC_INDEX["talent_gini"]]
    concentrated = hhi > get("outcome_hhi_high") or \
        smes < (1.0 - get("outcome_sme_drop")) * smes0
    captured = last[METRIC_INDEX["dependency_index"]] > get("outcome_dependency") or \
        gini_rise > get("outcome_gini_rise_adverse")
    if concentrated and captured:
        return ADVERSE
    if hhi < get("outcome_hhi_low") and smes > smes0 and \
            gini_rise <= get("outcome_gini_rise_benign"):
        return BENIGN
    return MIXED


THRESHOLDS = ("outcome_hhi_high", "outcome_sme_drop", "outcome_dependency",
              "outcome_gini_rise_adverse", "outcome_hhi_low", "outcome_gini_rise_benign")


def classify_rows(first: np.ndarray, last: np.ndarray, co) -> list[str]:
    """The outcome of each run from (runs, metrics) rows of step 0 and the last step (the
    thresholds may differ between runs: arrays of one value per run)."""
    get = co.__getitem__ if isinstance(co, Mapping) else co.__getattribute__
    values = {k: get(k) for k in THRESHOLDS}
    if not any(np.ndim(v) for v in values.values()):
        return [classify(a, b, values) for a, b in zip(first, last)]
    return [classify(a, b, {k: (v[r] if np.ndim(v) else v) for k, v in values.items()})
            for r, (a, b) in enumerate(zip(first, last))]
