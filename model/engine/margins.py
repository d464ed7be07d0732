"""How far an ensemble sits from the outcome thresholds (issue 23), and how its outcome
shares move when the thresholds move.

`margins`: per `outcome_*` threshold, the metric it reads (end HHI, the fall of alive SMEs,
end dependency, the rise of the talent Gini), the median over runs, the median's margin
to the threshold (absolute and relative) and the share of runs within 10 % of it.

`threshold_shift`: the overall outcome shares with every threshold scaled by the same
factor 1 + s, s in SHIFTS. One factor for all keeps the direction consistent: s > 0 raises
every line, so adverse is harder to reach (higher HHI, larger SME fall, higher dependency,
larger Gini rise needed) and benign easier (a higher HHI and a larger Gini rise still
count); s < 0 the reverse. `fragile` says when the majority label changes within +-10 %.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from model.engine.dimensions import figures_of, sme_change
from model.engine.outcome import OUTCOMES, THRESHOLDS, Figures, decide, thresholds_of
from model.shares import share_words

SHIFTS = (-0.2, -0.1, 0.0, 0.1, 0.2)
NEAR = 0.1  # "near the threshold": within 10 % of its value
FRAGILE_WITHIN = 0.1
SHIFT_MEANING = ("every threshold times (1 + shift): + raises every line (adverse harder, "
                 "benign easier), - lowers every line (adverse easier, benign harder)")

# threshold -> (what it reads, how to read it from a run's Figures)
READS = {
    "outcome_hhi_high": ("end HHI", lambda f: f.hhi),
    "outcome_hhi_low": ("end HHI", lambda f: f.hhi),
    "outcome_sme_drop": ("fall of alive SMEs", lambda f: -sme_change(f)),
    "outcome_dependency": ("end dependency", lambda f: f.dependency),
    "outcome_gini_rise_adverse": ("talent Gini rise", lambda f: f.gini_rise),
    "outcome_gini_rise_benign": ("talent Gini rise", lambda f: f.gini_rise),
}


def margins(figures: Sequence[Figures], t: Mapping[str, float]) -> list[dict]:
    """One entry per threshold: key, reads, threshold, median, margin (median - threshold),
    relative margin, and the share of runs within NEAR of the threshold."""
    out = []
    for key in THRESHOLDS:
        reads, read = READS[key]
        values = np.array([read(f) for f in figures], dtype=float)
        values = values[np.isfinite(values)]
        limit = float(t[key])
        median = float(np.median(values)) if len(values) else float("nan")
        near = np.abs(values - limit) <= NEAR * abs(limit) if len(values) else np.array([])
        out.append({"threshold": key, "reads": reads, "value": limit, "median": median,
                    "margin": median - limit,
                    "relative_margin": (median - limit) / limit if limit else float("nan"),
                    "share_near": float(near.mean()) if len(near) else 0.0})
    return out


def shifted(t: Mapping[str, float], shift: float) -> dict[str, float]:
    return {k: float(t[k]) * (1.0 + shift) for k in THRESHOLDS}


def outcome_shares(figures: Sequence[Figures], t: Mapping[str, float]) -> dict[str, float]:
    counts = {o: 0 for o in OUTCOMES}
    for f in figures:
        counts[decide(f, t)[0]] += 1
    n = max(1, len(figures))
    return {o: c / n for o, c in counts.items()}


def majority(shares: Mapping[str, float]) -> str:
    """The most frequent outcome; on a tie the worse (OUTCOMES runs worst first)."""
    return max(OUTCOMES, key=lambda o: shares[o])


def threshold_shift(figures: Sequence[Figures], t: Mapping[str, float],
                    shifts: Sequence[float] = SHIFTS) -> list[dict]:
    """Per shift: the shift, the outcome shares and the majority label."""
    rows = []
    for s in shifts:
        shares = outcome_shares(figures, shifted(t, s))
        rows.append({"shift": s, **shares, "majority": majority(shares)})
    return rows


def _majority_share(row: dict) -> str:
    return share_words({o: row[o] for o in OUTCOMES})[row["majority"]]


def fragile(rows: Sequence[dict]) -> str:
    """A sentence when the majority label changes within +-FRAGILE_WITHIN, else ''."""
    base = next(r for r in rows if r["shift"] == 0)
    flips = [r for r in rows if abs(r["shift"]) <= FRAGILE_WITHIN + 1e-9 and
             r["majority"] != base["majority"]]
    if not flips:
        return ""
    said = "; ".join(f"with every threshold {r['shift']:+.0%} it is {r['majority']} "
                     f"({_majority_share(r)})" for r in flips)
    return (f"the label is fragile: {base['majority']} ({_majority_share(base)}) at "
            f"the thresholds as set, but {said}")


def of_runs(first: np.ndarray, last: np.ndarray, co) -> dict:
    """Margins, the shift table and the fragility sentence of (runs, metrics) rows."""
    t = thresholds_of(co)
    figures = figures_of(first, last)
    rows = threshold_shift(figures, t)
    return {"margins": margins(figures, t), "shift": rows, "fragile": fragile(rows)}


def of_result(result) -> dict:
    """`of_runs` for a MonteCarloResult (or a RunResult: one run)."""
    runs = getattr(result, "runs", None)
    if runs is None:
        from model.engine.metrics import METRIC_KEYS

        runs = result.metrics[list(METRIC_KEYS)].to_numpy(float)[None]
    return of_runs(runs[:, 0], runs[:, -1], result.provenance.parameters)
