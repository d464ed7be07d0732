"""Which policy holds whatever we got wrong (MODEL.md section 8): per policy, the share of
futures that end benign, mixed and adverse, and the regret of each end metric: in each
future, how far the policy's value is from the best policy's (Savage 1951; as robust
decision making uses it, Lempert et al. 2006), in the metric's own units."""
from __future__ import annotations

import numpy as np
import pandas as pd

from model.engine.outcome import ADVERSE, BENIGN, MIXED, OUTCOMES

# the end metrics judged, and which way is better (+1: higher, -1: lower)
BETTER = {"hhi_mean": -1, "active_smes": +1, "dependency_index": -1, "talent_gini": -1,
          "foreign_share": +1}


def robustness(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per policy, ranked by the share of futures not ending adverse (then benign):
    futures, the share of each outcome, and the mean and largest regret of each metric.
    `rows`: one row per (future, policy) with `future`, `policy`, `outcome` and the end
    metrics of BETTER."""
    policies = list(dict.fromkeys(rows["policy"]))
    table = []
    regret = _regret(rows)
    for policy in policies:
        mine = rows["policy"] == policy
        outcomes = rows.loc[mine, "outcome"]
        entry = {"policy": policy, "futures": int(mine.sum())}
        for outcome in OUTCOMES:
            entry[outcome] = float((outcomes == outcome).mean())
        entry["not_adverse"] = 1.0 - entry[ADVERSE]
        for key in BETTER:
            values = regret.loc[mine, key]
            entry[f"regret_{key}_mean"] = float(values.mean())
            entry[f"regret_{key}_max"] = float(values.max())
        table.append(entry)
    out = pd.DataFrame(table)
    out = out.sort_values(["not_adverse", BENIGN, "policy"], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out["note"] = [surprises(rows, out).get(p, "") for p in out["policy"]]
    return out[["rank", "policy", "futures", BENIGN, MIXED, ADVERSE, "not_adverse",
                *[c for c in out.columns if c.startswith("regret_")], "note"]]


REGRET_MEANING = ("regret: in each future, how far a policy's end value is from the best "
                  "policy's in that future (0: the best), averaged over the futures, in the "
                  "metric's units")
ATTRITION = ("acquisitions_cum", "exits_cum")  # how dependants leave a platform's books
LABELS = {"hhi_mean": "HHI", "active_smes": "SMEs", "dependency_index": "dependency",
          "talent_gini": "talent Gini", "foreign_share": "foreign share"}


def surprises(rows: pd.DataFrame, table: pd.DataFrame) -> dict[str, str]:
    """Per policy, a note where it is best on a metric against intuition (docs/decisions.md,
    "Honest results"): the policy most often adverse that has the best mean of a metric
    (lower HHI, dependency or Gini; more SMEs or foreign share), and, for dependency, when
    that policy also has the most acquisitions + exits per future: its dependants were
    bought or left, so fewer remain dependent. With one policy there is nothing to note."""
    if len(table) < 2:
        return {}
    means = rows.groupby("policy", sort=False)[list(BETTER)].mean()
    adverse = table.set_index("policy")[ADVERSE]
    worst = adverse.idxmax()
    if (adverse == adverse[worst]).sum() > 1:
        return {}
    notes = []
    for key, sign in BETTER.items():
        if (means[key] * sign).idxmax() == worst:
            notes.append(_note(rows, key, worst))
    return {worst: "; ".join(notes)} if notes else {}


def _note(rows: pd.DataFrame, key: str, policy: str) -> str:
    text = f"best {LABELS[key]} although most often adverse"
    if key != "dependency_index" or not all(k in rows for k in ATTRITION):
        return text
    attrition = rows.groupby("policy", sort=False)[list(ATTRITION)].mean().sum(axis=1)
    if attrition.idxmax() != policy:
        return text
    return (f"{text}: its dependants are bought or exit (most acquisitions + exits, "
            f"{attrition[policy]:,.0f} per future), so fewer remain dependent")


def _regret(rows: pd.DataFrame) -> pd.DataFrame:
    """Per row: for each metric, the distance to the best value among the policies in the
    same future (0 for the best policy)."""
    out = pd.DataFrame(index=rows.index)
    for key, sign in BETTER.items():
        signed = rows[key] * sign
        best = signed.groupby(rows["future"]).transform("max")
        out[key] = best - signed
    return out
