"""The outcome in words: the rule that decided it and the figures it read.

    explain_outcome(result)  # a RunResult or a MonteCarloResult -> one sentence

A run: "mixed, because HHI 2,231 is between 1,500 and 2,500; SMEs fell 1% (no growth)".
An ensemble's outcome is a share of runs, so its sentence names the most frequent outcome
(the worse one on a tie, as the exploration does) and its share, then each condition that
decided some of those runs, with the share of them it decided when not all, and the
medians of the runs it held in: each of them meets the condition, so their median does.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import astuple

import numpy as np

from model.engine import outcome as rules
from model.engine.dimensions import sme_change
from model.engine.metrics import METRIC_KEYS
from model.engine.outcome import ADVERSE, BENIGN, OUTCOMES, Figures, decide, thresholds_of
from model.shares import part_of, percent_text, share_words

# The order in which an ensemble's sentence names the conditions: by metric.
CONDITIONS = (rules.HHI_ABOVE, rules.HHI_BETWEEN, rules.HHI_BELOW, rules.SMES_FELL,
              rules.SMES_GREW, rules.SMES_STILL, rules.DEPENDENCY_ABOVE,
              rules.DEPENDENCY_AT_MOST, rules.GINI_ROSE, rules.GINI_AT_MOST, rules.GINI_STEADY,
              rules.GINI_CREPT)


def explain_outcome(result) -> str:
    """The sentence for a run (`metrics` table) or an ensemble (`runs` array), judged with
    the thresholds the run used (its provenance)."""
    thresholds = thresholds_of(result.provenance.parameters)
    runs = getattr(result, "runs", None)
    if runs is None:
        table = result.metrics[list(METRIC_KEYS)].to_numpy(float)
        return explain_rows(table[0], table[-1], thresholds)
    return explain_rows(runs[:, 0], runs[:, -1], thresholds)


def explain_rows(first: np.ndarray, last: np.ndarray, thresholds: Mapping[str, float]) -> str:
    """The sentence from the metrics rows of step 0 and the last step: one row each for a
    run, (runs, metrics) for an ensemble."""
    first, last = np.atleast_2d(first), np.atleast_2d(last)
    figures = [Figures.of(a, b) for a, b in zip(first, last)]
    if len(figures) == 1:
        outcome, reason = decide(figures[0], thresholds)
        return f"{outcome}, because {_reason(outcome, reason, figures[0], thresholds)}"
    return _ensemble_sentence(figures, thresholds)


def _ensemble_sentence(figures: Sequence[Figures], t: Mapping[str, float]) -> str:
    decided = [decide(f, t) for f in figures]
    counts = Counter(outcome for outcome, _ in decided)
    top = max(OUTCOMES, key=lambda o: counts[o])  # OUTCOMES runs worst first: ties go worse
    runs = len(figures)
    words = share_words({o: counts[o] / runs for o in OUTCOMES})  # as the tables show them
    others = ", ".join(f"{o} {words[o]}" for o in OUTCOMES if o != top and counts[o])
    head = f"{top} in {words[top]} of runs" + (f" ({others})" if others else "")
    branches = Counter(_concentrated(r) for o, r in decided if o == top)
    branch, size = branches.most_common(1)[0]
    mine = [(f, r) for f, (o, r) in zip(figures, decided) if o == top and
            _concentrated(r) == branch]
    clauses = []
    for kind in CONDITIONS:
        holding = [astuple(f) for f, r in mine if kind in r]
        if holding:
            typical = Figures(*np.median(np.array(holding), axis=0))
            part = "" if len(holding) == size else \
                f" in {percent_text(part_of(len(holding), size)[0])} of them"
            clauses.append(_CLAUSES[kind](typical, t) + part)
    if size == counts[top]:
        return f"{head}; in those runs (medians): {'; '.join(clauses)}"
    mine_pct, rest_pct = part_of(size, counts[top])
    return (f"{head}; in {percent_text(mine_pct)} of those (medians): "
            f"{'; '.join(clauses)}; the other {percent_text(rest_pct)}: "
            f"{_OTHER_BRANCH[branch]}")


def _concentrated(reason: tuple[str, ...]) -> bool:
    """Which way a mixed run went: concentrated yet not captured, or neither adverse nor
    benign (adverse and benign runs have one way each)."""
    return rules.GINI_AT_MOST in reason


# The other kind of mixed run, in a few words (the thresholds are in the clauses before and
# in the rule's line: repeating them made the sentence 300 characters long).
_OTHER_BRANCH = {
    False: "concentrated but not captured",
    True: "neither concentrated nor benign",
}


def _reason(outcome: str, reason: tuple[str, ...], f: Figures, t: Mapping[str, float]) -> str:
    """The conditions in words, joined as the rule joins them."""
    said = [_CLAUSES[k](f, t) for k in reason]
    if outcome in (ADVERSE, BENIGN):  # every condition named holds: one of each pair, or all
        return _and(said)
    if reason[-1] == rules.GINI_AT_MOST:  # concentrated, yet neither dependency nor Gini
        return f"{_and(said[:-2])}, but {said[-2]} and {said[-1]}"
    if reason[0] == rules.HHI_BELOW:
        return f"{'; '.join(said[1:])}, though {said[0]}"
    return "; ".join(said)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


# --- the conditions, each with its figure and its threshold ----------------------------------

def _hhi(f: Figures, t) -> str:
    return _number(f.hhi, 0, t["outcome_hhi_low"], t["outcome_hhi_high"])


def _hhi_between(f: Figures, t) -> str:
    low, high = t["outcome_hhi_low"], t["outcome_hhi_high"]
    if low <= f.hhi <= high:
        return f"HHI {_hhi(f, t)} is between {_limit(low)} and {_limit(high)}"
    return f"HHI {_hhi(f, t)} is not below {_limit(low)}"  # odd thresholds (low > high)


def _smes_moved(f: Figures, t) -> str:
    change = sme_change(f)
    if change == 0:
        return f"SMEs stayed at {f.smes:,.0f}"
    if not np.isfinite(change):
        return f"SMEs grew from 0 to {f.smes:,.0f}"
    verb = "grew" if change > 0 else "fell"
    size = _number(abs(change) * 100, 0, 0.0, t["outcome_sme_drop"] * 100)
    return f"SMEs {verb} {size}%"


def _gini_moved(f: Figures, *limits: float) -> str:
    if f.gini_rise <= 0:
        return f"the talent Gini fell {_number(-f.gini_rise, 2, 0.0)}" if f.gini_rise < 0 \
            else "the talent Gini did not change"
    return f"the talent Gini rose {_number(f.gini_rise, 2, 0.0, *limits)}"


def _dependency(f: Figures, t) -> str:
    return _number(f.dependency, 2, t["outcome_dependency"])


_CLAUSES = {
    rules.HHI_ABOVE: lambda f, t: f"HHI {_hhi(f, t)} is above {_limit(t['outcome_hhi_high'])}",
    rules.HHI_BELOW: lambda f, t: f"HHI {_hhi(f, t)} is below {_limit(t['outcome_hhi_low'])}",
    rules.HHI_BETWEEN: _hhi_between,
    rules.SMES_FELL: lambda f, t: f"{_smes_moved(f, t)} (more than "
                                  f"{_limit(t['outcome_sme_drop'] * 100)}%)",
    rules.SMES_GREW: _smes_moved,
    rules.SMES_STILL: lambda f, t: f"{_smes_moved(f, t)} (no growth)",
    rules.DEPENDENCY_ABOVE: lambda f, t: f"dependency {_dependency(f, t)} is above "
                                         f"{_limit(t['outcome_dependency'])}",
    rules.DEPENDENCY_AT_MOST: lambda f, t: f"dependency {_dependency(f, t)} is at most "
                                           f"{_limit(t['outcome_dependency'])}",
    rules.GINI_ROSE: lambda f, t: _gini_moved(f, t["outcome_gini_rise_adverse"]) +
    f" (more than {_limit(t['outcome_gini_rise_adverse'])})",
    rules.GINI_AT_MOST: lambda f, t: _gini_moved(f, t["outcome_gini_rise_adverse"]) +
    _at_most(f, t["outcome_gini_rise_adverse"]),
    rules.GINI_STEADY: lambda f, t: _gini_moved(f, t["outcome_gini_rise_benign"]) +
    _at_most(f, t["outcome_gini_rise_benign"]),
    rules.GINI_CREPT: lambda f, t: _gini_moved(f, t["outcome_gini_rise_benign"]) +
    f" (more than {_limit(t['outcome_gini_rise_benign'])})",
}


def _at_most(f: Figures, limit: float) -> str:
    return f" (at most {_limit(limit)})" if f.gini_rise > 0 else ""


# --- numbers ---------------------------------------------------------------------------------

def _number(value: float, decimals: int, *limits: float) -> str:
    """`value` with thousands separators, given more decimals (up to 3 more) while it would
    read as one of `limits` it is not: 2,500.4 is "2,500.4" beside "above 2,500"."""
    text = f"{value:,.{decimals}f}"
    for more in range(decimals + 1, decimals + 4):
        if not any(value != x and text == f"{x:,.{more - 1}f}" for x in limits):
            break
        text = f"{value:,.{more}f}"
    return text


def _limit(value: float) -> str:
    """A threshold as a user typed it: 1,500, 0.6, 25."""
    return f"{value:,g}" if abs(value) < 1e6 else f"{value:,.0f}"
