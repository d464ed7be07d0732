"""Paired differences of a comparison against its reference (issue 23 item 3), as data:
the command line formats them (model.cli.paired_timeline), the workbook's Comparison sheet
and the compare JSON write the same numbers.

Every compared scenario ran on the same seeds, so run k of a scenario minus run k of the
reference is the effect in one shared future. Per difference: its mean, the p5-p95 band
over runs (the spread of the effect), the standard error of the mean (`se`), whether the
mean is told from 0 at two standard errors (`distinguishable`) and whether the band
includes 0 (single runs differ in sign)."""
from __future__ import annotations

import numpy as np

from model.engine.metrics import METRIC_INDEX
from model.errors import InputError

TIMELINE_METRICS = ("hhi_mean", "active_smes", "dependency_index", "adoption_mean")
END_DIFFERENCE_METRICS = ("hhi_mean", "active_smes", "dependency_index", "talent_gini",
                          "foreign_share", "adoption_mean")
POINTS = 6  # quarters of the timeline: evenly spread from the first step to the last


def reference_label(result, against: str | None = None) -> str:
    """The label differences are taken against: `against`, the comparison's own reference,
    or the first scenario."""
    against = against if against is not None else getattr(result, "reference", None)
    if against is None:
        return result.labels[0]
    if against not in result.labels:
        raise InputError(f"--against {against!r} names no compared scenario",
                         fix=f"use one of: {', '.join(result.labels)}")
    return against


def band(values: np.ndarray) -> dict:
    """mean, p5, p95, se, distinguishable, band_includes_0 of run-by-run differences."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    se = float(values.std(ddof=1)) / np.sqrt(len(values)) if len(values) > 1 else float("inf")
    low, high = (float(x) for x in np.percentile(values, [5, 95]))
    return {"mean": mean, "p5": low, "p95": high, "se": se, "runs": int(len(values)),
            "distinguishable": bool(abs(mean) > 2 * se),
            "band_includes_0": bool(low <= 0 <= high)}


def differences(result, label: str, ref: str) -> np.ndarray:
    """(runs, steps + 1, metrics): run k of `label` minus run k of `ref`."""
    return result.results[label].runs - result.results[ref].runs


def end_differences(result, against: str | None = None,
                    keys=END_DIFFERENCE_METRICS) -> dict[str, dict[str, dict]]:
    """Per scenario other than the reference, per metric: `band` of its end difference."""
    ref = reference_label(result, against)
    out = {}
    for label in result.labels:
        if label != ref:
            diff = differences(result, label, ref)[:, -1]
            out[label] = {k: band(diff[:, METRIC_INDEX[k]]) for k in keys}
    return out


def timeline_points(steps: int) -> list[int]:
    return sorted({int(round(t)) for t in np.linspace(0, steps, POINTS + 1)[1:]})


def timeline(result, against: str | None = None) -> tuple[str, list[int], list[dict]]:
    """The reference, the steps shown and per (scenario, metric): 'label', 'metric', the
    `band` at each step shown ('points') and at the end ('end')."""
    ref = reference_label(result, against)
    points = timeline_points(result.results[ref].runs.shape[1] - 1)
    rows = []
    for label in result.labels:
        if label == ref:
            continue
        diff = differences(result, label, ref)
        for key in TIMELINE_METRICS:
            d = diff[:, :, METRIC_INDEX[key]]
            rows.append({"label": label, "metric": key,
                         "points": [band(d[:, t]) for t in points], "end": band(d[:, -1])})
    return ref, points, rows


def step_differences(result, against: str | None = None) -> tuple[str, dict]:
    """The reference and, per other scenario, the per-step mean and percentiles of its
    run-by-run differences to it (model.experiments.analyses.paired_differences): the
    difference plot against any compared scenario, not only the first."""
    from model.calendar import Quarter
    from model.experiments.analyses import paired_differences

    ref = reference_label(result, against)
    start = Quarter.parse(result.results[ref].provenance.start)
    return ref, {label: paired_differences(result.results[label].runs,
                                           result.results[ref].runs, start)
                 for label in result.labels if label != ref}
