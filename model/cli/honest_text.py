"""The `run` summary's honest part (issue 23): the key end metrics with their bands, the
label of each dimension, the overall label with its rule, and how far the runs sit from
the thresholds (with the shares when every threshold moves)."""
from __future__ import annotations

import numpy as np

from model.engine import dimensions, margins
from model.engine.metrics import METRIC, METRIC_INDEX
from model.engine.outcome import OUTCOMES
from model.shares import share_words

HEADLINE = ("hhi_mean", "active_smes", "dependency_index", "talent_gini")


def headline(runs: np.ndarray, fmt) -> str:
    """'key end metrics (mean [p5, p95]): HHI 1,620 [1,400, 1,900]; ...'"""
    parts = []
    for key in HEADLINE:
        end = runs[:, -1, METRIC_INDEX[key]]
        low, high = np.percentile(end, [5, 95])
        parts.append(f"{METRIC[key].label} {fmt(key, float(end.mean()), True)} "
                     f"[{fmt(key, low, True)}, {fmt(key, high, True)}]")
    return "key end metrics, mean [p5, p95]: " + "; ".join(parts)


def dimension_lines(result) -> list[str]:
    """One line per dimension: a run's label with the figures that decided it, or an
    ensemble's share of each label."""
    head = "by dimension (each with its own thresholds):"
    if getattr(result, "runs", None) is None:
        judged = dimensions.judged_run(result)
        return [head, *(f"  {d}: {j['label']} ({_figures(j)})" for d, j in judged.items())]
    labels = dimensions.of_result(result)
    return [head, *(f"  {line}" for line in dimensions.shares_text(labels))]


def _figures(judged: dict) -> str:
    words = {"hhi": ("HHI", "{:,.0f}"), "sme_change": ("SMEs", "{:+.0%}"),
             "dependency": ("dependency", "{:.2f}"), "gini_rise": ("Gini rise", "{:+.3f}")}
    return ", ".join(f"{words[k][0]} {words[k][1].format(v)}" for k, v in judged.items()
                     if k in words)


def rule_line() -> str:
    return f"rule: {dimensions.OVERALL_RULE}"


def margin_lines(result, table) -> list[str]:
    """The distance to the thresholds and the threshold shift, as two compact tables, and
    the fragility sentence when the majority label flips within +-10 %."""
    found = margins.of_result(result)
    rows = [[m["threshold"], m["reads"], _num(m["value"]), _num(m["median"]),
             f"{m['relative_margin']:+.0%}" if np.isfinite(m["relative_margin"]) else "-",
             f"{m['share_near']:.0%}"] for m in found["margins"]]
    shift = [[f"{r['shift']:+.0%}"] + list(share_words({o: r[o] for o in OUTCOMES}).values())
             + [r["majority"]]
             for r in found["shift"]]
    out = ["distance to the thresholds (median of the runs; near: within 10 % of the line):",
           table(["threshold", "reads", "line", "median", "margin", "near"], rows), "",
           f"threshold shift ({margins.SHIFT_MEANING}):",
           table(["shift", *OUTCOMES, "majority"], shift)]
    return out + ([found["fragile"]] if found["fragile"] else [])


def _num(value: float) -> str:
    if not np.isfinite(value):
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3f}"
