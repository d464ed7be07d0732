"""Global sensitivity of end metrics to the uncertainties (and levers), with SALib
(Herman and Usher 2017), the field's standard library.

- Sobol (Sobol' 2001; Saltelli 2002, 2010): first-order (S1) and total (ST) indices with
  95 % bootstrap confidence intervals, from Saltelli's extension of a Sobol sequence:
  N x (D + 2) runs for D factors.
- Morris (1991; Campolongo et al. 2007): mu* (the mean absolute elementary effect) and
  sigma, with a 95 % bootstrap interval of mu*, from N trajectories: N x (D + 1) runs.

`design` gives the runs to make; `indices` turns their end metrics into a table.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.errors import InputError

METHODS = ("sobol", "morris")
# fewer base samples give intervals wider than the indices (seen at 4: S_T 4.4 +- 13)
SOBOL_MIN_BASE, MORRIS_MIN_TRAJECTORIES = 32, 10
MORRIS_LEVELS = 4
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Design:
    method: str
    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    samples: pd.DataFrame  # one row per run, one column per factor
    base: int  # N: Sobol base samples or Morris trajectories

    @property
    def problem(self) -> dict:
        return {"num_vars": len(self.names), "names": list(self.names),
                "bounds": [list(b) for b in self.bounds]}


def design(method: str, factors: Sequence[tuple[str, float, float]], budget: int,
           seed: int = 0, integer: Mapping[str, bool] | None = None) -> Design:
    """The runs of a `method` study of `factors` (key, low, high) within about `budget`
    runs (at least the method's minimum: N = 32 for Sobol, 10 trajectories for Morris)."""
    if method not in METHODS:
        raise InputError(f"unknown sensitivity method {method!r}",
                         fix=f"use one of: {', '.join(METHODS)}")
    names = tuple(f[0] for f in factors)
    bounds = tuple((float(f[1]), float(f[2])) for f in factors)
    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}
    d = len(names)
    if method == "sobol":
        from SALib.sample import sobol

        base = max(SOBOL_MIN_BASE, 2 ** int(np.floor(np.log2(max(1, budget / (d + 2))))))
        values = sobol.sample(problem, base, calc_second_order=False, seed=seed)
    else:
        from SALib.sample import morris

        base = max(MORRIS_MIN_TRAJECTORIES, int(budget // (d + 1)))
        values = morris.sample(problem, base, num_levels=MORRIS_LEVELS, seed=seed)
    samples = pd.DataFrame(values, columns=list(names))
    for name, whole in (integer or {}).items():
        if whole and name in samples:
            samples[name] = np.round(samples[name])
    return Design(method, names, bounds, samples, base)


def indices(study: Design, outputs: Mapping[str, np.ndarray], seed: int = 0) -> pd.DataFrame:
    """One row per (metric, factor): the indices and their confidence intervals (Sobol:
    S1, S1_conf, ST, ST_conf; Morris: mu_star, mu_star_conf, sigma), as `judge` reads them
    (distinguishable, rank, note), ranked within each metric."""
    rows = []
    for metric, y in outputs.items():
        y = np.asarray(y, dtype=float)
        if study.method == "sobol":
            from SALib.analyze import sobol

            result = sobol.analyze(study.problem, y, calc_second_order=False,
                                   conf_level=CONFIDENCE, seed=seed)
            for j, name in enumerate(study.names):
                rows.append({"metric": metric, "factor": name,
                             "S1": result["S1"][j], "S1_conf": result["S1_conf"][j],
                             "ST": result["ST"][j], "ST_conf": result["ST_conf"][j]})
        else:
            from SALib.analyze import morris

            result = morris.analyze(study.problem, study.samples.to_numpy(float), y,
                                    conf_level=CONFIDENCE, num_levels=MORRIS_LEVELS,
                                    seed=seed)
            for j, name in enumerate(study.names):
                rows.append({"metric": metric, "factor": name,
                             "mu_star": result["mu_star"][j],
                             "mu_star_conf": result["mu_star_conf"][j],
                             "sigma": result["sigma"][j]})
    return judge(pd.DataFrame(rows), study.method)


# ---- what the indices can say (issue 23 item 4) -----------------------------------------

TARGET_HALF_WIDTH = 0.1  # Sobol: the leading ST's 95 % half-width the default N aims at
NOT_DISTINGUISHABLE = "not distinguishable from 0"


def value_columns(method: str) -> tuple[str, str]:
    """The index that ranks and its 95 % half-width: (ST, ST_conf) or (mu_star, ...)."""
    return ("ST", "ST_conf") if method == "sobol" else ("mu_star", "mu_star_conf")


def judge(table: pd.DataFrame, method: str) -> pd.DataFrame:
    """The indices as they may be read: negative estimates reported as 0 (the estimate in
    `note`), `distinguishable` when the 95 % interval of the ranking index excludes 0, and
    `rank` among the distinguishable factors of a metric: 1 + the number of factors whose
    interval lies wholly above this one's, so that factors with overlapping intervals tie.
    A factor not distinguishable from 0 has no rank (NaN). Sorted: ranked first by rank and
    value, then the others by value. The one rule for the command line, workbook and JSON."""
    value, conf = value_columns(method)
    out = table.copy()
    notes = [[] for _ in range(len(out))]
    for col in (("S1", "ST") if method == "sobol" else (value,)):
        for i, v in enumerate(out[col].to_numpy(float)):
            if v < 0:
                notes[i].append(f"{col} estimate {v:.3f} reported as 0")
        out[col] = out[col].clip(lower=0)
    if method == "sobol":
        for i, (s1, st) in enumerate(zip(out["S1"], out["ST"])):
            if s1 > st:
                notes[i].append("S1 above ST: the estimates are noise at this N")
    low = (table[value] - table[conf]).to_numpy(float)
    out["distinguishable"] = low > 0
    for i, ok in enumerate(out["distinguishable"]):
        if not ok:
            notes[i].insert(0, f"{NOT_DISTINGUISHABLE} (95 % interval includes 0)")
    out["rank"] = _ranks(out, value, conf)
    out["note"] = ["; ".join(n) for n in notes]
    return _order(out, value)


def _ranks(out: pd.DataFrame, value: str, conf: str) -> np.ndarray:
    ranks = np.full(len(out), np.nan)
    for _metric, part in out.groupby("metric", sort=False):
        ok = part[part["distinguishable"]]
        low = (ok[value] - ok[conf]).to_numpy(float)
        high = (ok[value] + ok[conf]).to_numpy(float)
        for pos, index in enumerate(ok.index):
            ranks[out.index.get_loc(index)] = 1 + int((low > high[pos]).sum())
    return ranks


def _order(out: pd.DataFrame, value: str) -> pd.DataFrame:
    order = out.groupby("metric", sort=False).ngroup()
    out = out.assign(_order=order, _unranked=out["rank"].isna())
    out = out.sort_values(["_order", "_unranked", "rank", value],
                          ascending=[True, True, True, False], kind="stable")
    return out.drop(columns=["_order", "_unranked"]).reset_index(drop=True)


def precision(table: pd.DataFrame, study: Design, seeds: int = 1) -> dict:
    """The Sobol convergence check: the widest 95 % half-width of each metric's leading ST
    against TARGET_HALF_WIDTH, and (when wider) the base N and runs that would reach it
    (half-widths shrink as 1 / sqrt(N); N a power of two). Morris: no target (None)."""
    if study.method != "sobol" or table.empty:
        return {"target": None, "widest": None, "enough": True}
    leading = table.sort_values("ST", ascending=False).groupby("metric", sort=False).head(1)
    widest = float(leading["ST_conf"].max())
    enough = widest <= TARGET_HALF_WIDTH
    needed = study.base if enough else \
        2 ** int(np.ceil(np.log2(study.base * (widest / TARGET_HALF_WIDTH) ** 2)))
    per_point = len(study.samples) // study.base
    return {"target": TARGET_HALF_WIDTH, "widest": widest, "enough": enough,
            "base": study.base, "needed_base": needed,
            "needed_runs": needed * per_point * seeds}


def precision_text(p: dict, runs: int) -> str:
    """A warning when the budget was too small for the target, else ''."""
    if p["enough"]:
        return ""
    return (f"warning: the sensitivity budget is too small: at N = {p['base']} "
            f"({runs:,} runs) the leading total index has a 95 % half-width up to "
            f"{p['widest']:.2f} (target {p['target']:g}); about {p['needed_runs']:,} runs "
            f"(N = {p['needed_base']:,}) would be needed (--sensitivity-runs)")


def seed_noise(ends: np.ndarray) -> np.ndarray:
    """Per metric: the share of the variance of single runs over the design that is the
    seed's (the mean within-point variance over the total), from (points, seeds, metrics);
    NaN with one seed."""
    if ends.shape[1] < 2:
        return np.full(ends.shape[2], np.nan)
    within = ends.var(axis=1, ddof=1).mean(axis=0)
    total = ends.reshape(-1, ends.shape[2]).var(axis=0, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, within / total, 0.0)
