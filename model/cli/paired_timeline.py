"""The compare command's paired differences over time: each scenario against a reference,
run by run on common seeds, with the p5-p95 band of the differences and a word where the
band includes 0 (the difference is not distinguishable from none after these runs). The
numbers come from model.experiments.paired; this module only formats them."""
from __future__ import annotations

from model.engine.metrics import METRIC
from model.experiments.paired import POINTS, TIMELINE_METRICS, reference_label  # noqa: F401
from model.experiments import paired


def timeline(result, against: str | None, fmt, table) -> str:
    """Per scenario other than the reference and per key metric: the paired difference at
    a few quarters, 'mean [p5, p95]', and which end differences cannot be told from 0."""
    ref, points, rows = paired.timeline(result, against)
    provenance = result.results[ref].provenance
    headers = ["scenario", "metric"] + [provenance.quarter(t) for t in points]
    cells = [[r["label"], METRIC[r["metric"]].label] +
             [_cell(r["metric"], b, fmt) for b in r["points"]] for r in rows]
    verdicts = [_verdict(r["label"], ref, r["metric"], r["end"], fmt) for r in rows]
    runs = result.results[ref].runs.shape[0]
    head = (f"Paired differences to {ref!r} over time: mean [p5, p95] of the run-by-run "
            f"differences over {runs} runs on common seeds")
    return "\n".join([head, table(headers, cells), *verdicts])


def _verdict(label, ref, key, end: dict, fmt) -> str:
    """The end difference in words: is its mean told from 0 (two standard errors), and do
    single runs differ in sign (the p5-p95 band includes 0)?"""
    told = "distinguishable from 0" if end["distinguishable"] else \
        f"not distinguishable from 0 after {end['runs']} runs"
    band = "; the p5-p95 band includes 0: single runs differ in sign" \
        if end["band_includes_0"] else ""
    return (f"{label} - {ref}, {METRIC[key].label} at the end: mean "
            f"{_signed(key, end['mean'], fmt)} (+-{fmt(key, 2 * end['se'], True)} at two "
            f"standard errors: {told}){band}")


def _cell(key: str, b: dict, fmt) -> str:
    return (f"{_signed(key, b['mean'], fmt)} [{_signed(key, b['p5'], fmt)}, "
            f"{_signed(key, b['p95'], fmt)}]")


def _signed(key: str, value: float, fmt) -> str:
    text = fmt(key, abs(float(value)), True)
    return ("-" if value < 0 and text.strip("0.,") else "+") + text
