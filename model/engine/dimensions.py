"""The outcome by dimension (issue 23): one label each for competition, dependency and
talent, from the same `outcome_*` thresholds as the overall label (model.engine.outcome).

- competition: adverse when the end HHI is above `outcome_hhi_high` or alive SMEs fell by
  more than `outcome_sme_drop`; benign when the HHI is below `outcome_hhi_low` and SMEs
  grew; mixed otherwise.
- dependency: adverse when the end dependency index is above `outcome_dependency`, benign
  otherwise (one threshold: no mixed band).
- talent: adverse when the talent Gini rose by more than `outcome_gini_rise_adverse`,
  benign when it rose by at most `outcome_gini_rise_benign`, mixed between.

The overall label follows from these (OVERALL_RULE): adverse when competition is adverse
and dependency or talent is; benign when competition and talent are benign; mixed
otherwise. Both read the thresholds through `outcome.conditions` (one place compares
them); a test holds `decide` and `overall` together.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from model.engine import outcome
from model.engine.outcome import ADVERSE, BENIGN, MIXED, OUTCOMES, Figures, thresholds_of

COMPETITION, DEPENDENCY, TALENT = "competition", "dependency", "talent"
DIMENSIONS = (COMPETITION, DEPENDENCY, TALENT)
DIMENSION_MEANING = {
    COMPETITION: "end HHI against the adverse and benign HHI lines, and the change of "
                 "alive SMEs against the adverse drop (benign: they grew)",
    DEPENDENCY: "end dependency index against the adverse dependency line",
    TALENT: "rise of the talent Gini since step 0 against the adverse and benign rises",
}
OVERALL_RULE = ("overall: adverse when competition is adverse and dependency or talent is "
                "adverse; benign when competition and talent are benign; mixed otherwise")


def sme_change(f: Figures) -> float:
    """The relative change of alive SMEs since step 0 (0 when there were none and are none)."""
    if f.smes0 > 0:
        return f.smes / f.smes0 - 1.0
    return 0.0 if f.smes <= 0 else float("inf")


def competition(f: Figures, t: Mapping[str, float]) -> str:
    c = outcome.conditions(f, t)
    if c[outcome.HHI_ABOVE] or c[outcome.SMES_FELL]:
        return ADVERSE
    return BENIGN if c[outcome.HHI_BELOW] and c[outcome.SMES_GREW] else MIXED


def dependency(f: Figures, t: Mapping[str, float]) -> str:
    return ADVERSE if outcome.conditions(f, t)[outcome.DEPENDENCY_ABOVE] else BENIGN


def talent(f: Figures, t: Mapping[str, float]) -> str:
    c = outcome.conditions(f, t)
    if c[outcome.GINI_ROSE]:
        return ADVERSE
    return BENIGN if c[outcome.GINI_STEADY] else MIXED


JUDGES = {COMPETITION: competition, DEPENDENCY: dependency, TALENT: talent}


def judge(f: Figures, t: Mapping[str, float]) -> dict[str, dict]:
    """Per dimension: its label and the figures that decided it."""
    values = {COMPETITION: {"hhi": f.hhi, "sme_change": sme_change(f)},
              DEPENDENCY: {"dependency": f.dependency},
              TALENT: {"gini_rise": f.gini_rise}}
    return {d: {"label": JUDGES[d](f, t), **values[d]} for d in DIMENSIONS}


def overall(labels: Mapping[str, str]) -> str:
    """The overall outcome from the three labels (OVERALL_RULE)."""
    if labels[COMPETITION] == ADVERSE and ADVERSE in (labels[DEPENDENCY], labels[TALENT]):
        return ADVERSE
    if labels[COMPETITION] == BENIGN and labels[TALENT] == BENIGN:
        return BENIGN
    return MIXED


def figures_of(first: np.ndarray, last: np.ndarray) -> list[Figures]:
    first, last = np.atleast_2d(first), np.atleast_2d(last)
    return [Figures.of(a, b) for a, b in zip(first, last)]


def dimension_labels(first: np.ndarray, last: np.ndarray,
                     co: Mapping[str, float] | object) -> dict[str, list[str]]:
    """Per dimension, the label of each run from (runs, metrics) rows of step 0 and the
    last step, judged with the thresholds of `co` (parameters or compiled coefficients)."""
    t = thresholds_of(co)
    figures = figures_of(first, last)
    return {d: [JUDGES[d](f, t) for f in figures] for d in DIMENSIONS}


def of_result(result) -> dict[str, list[str]]:
    """The per-run labels of a RunResult (one run) or a MonteCarloResult."""
    runs = getattr(result, "runs", None)
    if runs is None:
        from model.engine.metrics import METRIC_KEYS

        runs = result.metrics[list(METRIC_KEYS)].to_numpy(float)[None]
    return dimension_labels(runs[:, 0], runs[:, -1], result.provenance.parameters)


def judged_run(result) -> dict[str, dict]:
    """`judge` of a RunResult's first and last step."""
    from model.engine.metrics import METRIC_KEYS

    table = result.metrics[list(METRIC_KEYS)].to_numpy(float)
    return judge(Figures.of(table[0], table[-1]), thresholds_of(result.provenance.parameters))


def shares(labels: Sequence[str]) -> dict[str, float]:
    n = max(1, len(labels))
    return {o: sum(1 for x in labels if x == o) / n for o in OUTCOMES}


def shares_text(labels: Mapping[str, Sequence[str]]) -> list[str]:
    """One line per dimension: 'competition: adverse 10%, mixed 60%, benign 30%'."""
    from model.shares import share_words

    return [f"{d}: " + ", ".join(f"{o} {s}" for o, s in share_words(shares(labels[d])).items())
            for d in DIMENSIONS]


HEADLINE_METRICS = ("hhi_mean", "active_smes", "dependency_index", "talent_gini")
DECIDING = {COMPETITION: ("hhi", "sme_change"), DEPENDENCY: ("dependency",),
            TALENT: ("gini_rise",)}


def summary_of(result) -> dict[str, dict]:
    """Per dimension of a MonteCarloResult (or a RunResult: one run): the share of each
    label and the median over runs of each figure that decided it (`judge`'s figures)."""
    runs = getattr(result, "runs", None)
    if runs is None:
        from model.engine.metrics import METRIC_KEYS

        runs = result.metrics[list(METRIC_KEYS)].to_numpy(float)[None]
    t = thresholds_of(result.provenance.parameters)
    judged = [judge(f, t) for f in figures_of(runs[:, 0], runs[:, -1])]
    out = {}
    for d in DIMENSIONS:
        values = {k: np.array([j[d][k] for j in judged], dtype=float) for k in DECIDING[d]}
        out[d] = {"shares": shares([j[d]["label"] for j in judged]),
                  "median": {k: float(np.median(v[np.isfinite(v)])) if np.isfinite(v).any()
                             else float("nan") for k, v in values.items()}}
    return out
