"""The compare command's paired differences over time: each scenario against a reference,
run by run on common seeds, with the p5-p95 band of the differences and a word where the
band includes 0 (the difference is not distinguishable from none after these runs)."""
from __future__ import annotations

import numpy as np

from model.engine.metrics import METRIC, METRIC_INDEX
from model.errors import InputError

TIMELINE_METRICS = ("hhi_mean", "active_smes", "dependency_index", "adoption_mean")
POINTS = 6  # quarters shown: evenly spread from the first step to the last


def reference_label(result, against: str | None) -> str:
    """The label the differences are taken against: --against, or the first scenario."""
    if against is None:
        return result.labels[0]
    if against not in result.labels:
        raise InputError(f"--against {against!r} names no compared scenario",
                         fix=f"use one of: {', '.join(result.labels)}")
    return against


def timeline(result, against: str | None, fmt, table) -> str:
    """Per scenario other than the reference and per key metric: the paired difference at
    a few quarters, 'mean [p5, p95]', and which end differences cannot be told from 0."""
    ref = reference_label(result, against)
    base = result.results[ref].runs
    provenance = result.results[ref].provenance
    steps = base.shape[1] - 1
    points = sorted({int(round(t)) for t in np.linspace(0, steps, POINTS + 1)[1:]})
    headers = ["scenario", "metric"] + [provenance.quarter(t) for t in points]
    rows, verdicts = [], []
    for label in result.labels:
        if label == ref:
            continue
        diff = result.results[label].runs - base
        for key in TIMELINE_METRICS:
            d = diff[:, :, METRIC_INDEX[key]]
            rows.append([label, METRIC[key].label] + [_cell(key, d[:, t], fmt) for t in points])
            verdicts.append(_verdict(label, ref, key, d[:, -1], fmt))
    runs = base.shape[0]
    head = (f"Paired differences to {ref!r} over time: mean [p5, p95] of the run-by-run "
            f"differences over {runs} runs on common seeds")
    return "\n".join([head, table(headers, rows), *verdicts])


def _verdict(label, ref, key, end, fmt) -> str:
    """The end difference in words: is its mean told from 0 (two standard errors), and do
    single runs differ in sign (the p5-p95 band includes 0)?"""
    mean = float(end.mean())
    se2 = 2 * float(end.std(ddof=1)) / np.sqrt(len(end)) if len(end) > 1 else float("inf")
    told = "distinguishable from 0" if abs(mean) > se2 else \
        f"not distinguishable from 0 after {len(end)} runs"
    low, high = np.percentile(end, [5, 95])
    band = "; the p5-p95 band includes 0: single runs differ in sign" if low <= 0 <= high \
        else ""
    return (f"{label} - {ref}, {METRIC[key].label} at the end: mean {_signed(key, mean, fmt)} "
            f"(+-{fmt(key, se2, True)} at two standard errors: {told}){band}")


def _cell(key: str, values: np.ndarray, fmt) -> str:
    low, high = np.percentile(values, [5, 95])
    mean = float(values.mean())
    return f"{_signed(key, mean, fmt)} [{_signed(key, low, fmt)}, {_signed(key, high, fmt)}]"


def _signed(key: str, value: float, fmt) -> str:
    text = fmt(key, abs(float(value)), True)
    return ("-" if value < 0 and text.strip("0.,") else "+") + text
