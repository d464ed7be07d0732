"""The results area's honest part (issue 23), as rich text: the end metrics with their bands
first, then the label of each dimension with the figures that decided it, the overall label
with its rule, the distance to the thresholds and the threshold shift, and the paired
differences of a comparison with their bands.

Every number comes from a model function (model.engine.dimensions, model.engine.margins,
model.experiments.paired, the ensemble's summary); this module only words and lays out.
"""
from __future__ import annotations

from contextlib import contextmanager
from html import escape

from gui.colours import OUTCOME_COLOURS
from model.engine import METRIC, OUTCOMES, dimensions, margins
from model.engine.dimensions import HEADLINE_METRICS
from model.experiments import paired
from model.files.results_json import CAVEAT

CAVEAT_TEXT = CAVEAT[0].upper() + CAVEAT[1:]
STALE_TEXT = "Out of date, press F5: the scenario changed after these results."
NO_RESULTS = "No results yet: press Run (F5)"
NO_THRESHOLDS = "The distance to the thresholds shows after a Monte Carlo run (Runs > 1)."
NO_THRESHOLDS_RUN = ("One run: no distance to the thresholds (the median of one run says "
                     "nothing about how close the futures sit to them). Run several.")
NO_THRESHOLDS_COMPARISON = ("A comparison: each scenario's distance to the thresholds shows "
                            "when it is run on its own (Runs > 1).")
FIGURE_WORDS = {"hhi": ("HHI", "{:,.0f}"), "sme_change": ("SMEs", "{:+.0%}"),
                "dependency": ("dependency", "{:.2f}"), "gini_rise": ("Gini rise", "{:+.3f}")}
DIMENSION_LINES = {dimensions.COMPETITION: "HHI lines {outcome_hhi_low:,.0f} / "
                                           "{outcome_hhi_high:,.0f}, SMEs adverse below "
                                           "-{outcome_sme_drop:.0%}",
                   dimensions.DEPENDENCY: "line {outcome_dependency:.2f}",
                   dimensions.TALENT: "benign up to +{outcome_gini_rise_benign:.3f}, "
                                      "adverse above +{outcome_gini_rise_adverse:.3f}"}


def value_text(key: str, value: float) -> str:
    """A metric value, readably: no decimals for HHI and large counts."""
    if value != value:
        return "-"
    if METRIC[key].unit == "HHI" or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if METRIC[key].integer else f"{value:.3f}"


def signed_text(key: str, value: float) -> str:
    text = value_text(key, abs(value))
    return ("-" if value < 0 and text.strip("0.,") else "+") + text


def label_html(label: str) -> str:
    return f"<b style='color:{OUTCOME_COLOURS.get(label, '#333')}'>{escape(label)}</b>"


def headline_html(summary, runs: int) -> str:
    """The end metrics of an ensemble's summary (model-computed mean and p5/p95 of the
    last step), first in the results area."""
    end = summary.iloc[-1]
    parts = [f"{METRIC[k].label} <b>{value_text(k, end[f'{k}_mean'])}</b> "
             f"[{value_text(k, end[f'{k}_p5'])}, {value_text(k, end[f'{k}_p95'])}]"
             for k in HEADLINE_METRICS]
    return (f"<b>end metrics</b>, mean [p5, p95] of the {runs}: "
            + " &nbsp;·&nbsp; ".join(parts))


def run_headline_html(result) -> str:
    """One run's end metrics (a single run has no band)."""
    end = result.metrics.iloc[-1]
    parts = [f"{METRIC[k].label} <b>{value_text(k, float(end[k]))}</b>"
             for k in HEADLINE_METRICS]
    return "<b>End of the run</b> (one run: no band): " + " &nbsp;·&nbsp; ".join(parts)


def thresholds(result) -> dict[str, float]:
    from model.engine.outcome import thresholds_of

    return thresholds_of(result.provenance.parameters)


def dimensions_html(result) -> str:
    """Per dimension: its label (a run) or the share of each label (an ensemble), the
    figures that decided it (medians over the runs) and its own lines."""
    found = dimensions.summary_of(result)
    lines = thresholds(result)
    single = getattr(result, "runs", None) is None
    parts = []
    for d in dimensions.DIMENSIONS:
        shares = found[d]["shares"]
        if single:
            said = label_html(max(OUTCOMES, key=lambda o: shares[o]))
        else:
            said = ", ".join(f"{label_html(o)} {shares[o]:.0%}" for o in OUTCOMES
                             if shares[o] > 0)
        figures = ", ".join(f"{FIGURE_WORDS[k][0]} {FIGURE_WORDS[k][1].format(v)}"
                            for k, v in found[d]["median"].items() if v == v)
        median = "" if single else "median "
        parts.append(f"<b>{d}</b> {said} ({median}{figures}; "
                     f"{DIMENSION_LINES[d].format(**lines)})")
    return "By dimension: " + " &nbsp;|&nbsp; ".join(parts)


def overall_html(shares: dict[str, float] | None, label: str | None = None) -> str:
    """The overall label (shares of an ensemble, or a run's label) with its rule beside."""
    if shares is not None:
        said = " ".join(f"<b style='color:{OUTCOME_COLOURS[o]}'>■ {o} {shares.get(o, 0):.0%}"
                        f"</b>" for o in OUTCOMES)
    else:
        said = label_html(label or "")
    return f"Overall: {said} {rule_html()}"


def rule_html() -> str:
    rule = dimensions.OVERALL_RULE.removeprefix("overall: ")
    return f"<span style='color:#555'>(rule: {escape(rule)})</span>"


def fragility_html(found: dict) -> str:
    """In words whether the majority label flips within +-10 % of the thresholds."""
    if found["fragile"]:
        return (f"<b style='color:#B35900'>Flips within ±10 %:</b> "
                f"{escape(found['fragile'])}.")
    base = next(r for r in found["shift"] if r["shift"] == 0)
    return (f"Holds within ±10 %: {escape(base['majority'])} stays the majority with every "
            "threshold moved by ±10 %.")


def thresholds_html(found: dict) -> str:
    """The margins and the threshold shift as two tables (the Thresholds tab)."""
    head = "".join(f"<th align='right'>{h}</th>" for h in
                   ("line", "median", "margin", "within 10 %"))
    rows = "".join(
        f"<tr><td>{escape(m['threshold'])}</td><td>{escape(m['reads'])}</td>"
        f"<td align='right'>{_num(m['value'])}</td><td align='right'>{_num(m['median'])}</td>"
        f"<td align='right'>{_percent(m['relative_margin'])}</td>"
        f"<td align='right'>{m['share_near']:.0%}</td></tr>" for m in found["margins"])
    shift_head = "".join(f"<th align='right'>{o}</th>" for o in OUTCOMES)
    shift_rows = "".join(
        f"<tr><td>{r['shift']:+.0%}</td>"
        + "".join(f"<td align='right'>{r[o]:.0%}</td>" for o in OUTCOMES)
        + f"<td>{label_html(r['majority'])}</td></tr>" for r in found["shift"])
    return (f"<p>{fragility_html(found)}</p>"
            "<p><b>Distance to the thresholds</b> (median of the runs; margin: the median "
            "against the line; within 10 %: the share of runs that close to it)</p>"
            f"<table cellspacing='0' cellpadding='3'><tr><th align='left'>threshold</th>"
            f"<th align='left'>reads</th>{head}</tr>{rows}</table>"
            f"<p><b>Threshold shift</b>: {escape(margins.SHIFT_MEANING)}</p>"
            f"<table cellspacing='0' cellpadding='3'><tr><th align='left'>shift</th>"
            f"{shift_head}<th align='left'>majority</th></tr>{shift_rows}</table>")


def _num(value: float) -> str:
    if value != value:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3f}"


def _percent(value: float) -> str:
    return f"{value:+.0%}" if value == value else "-"


def ensemble_html(mc, prefix: str, sentence_html: str) -> tuple[str, str]:
    """(the outcome area's text, the Thresholds tab's) of an ensemble."""
    found = margins.of_result(mc)
    lines = [f"{prefix} " + headline_html(mc.summary, len(mc.seeds)),
             dimensions_html(mc), overall_html(mc.outcome_shares),
             fragility_html(found), sentence_html]
    return "<br>".join(lines), thresholds_html(found)


def run_html(result, sentence_html: str) -> str:
    """A single run: its end metrics, its dimensions with their figures, the sentence."""
    return "<br>".join([run_headline_html(result), dimensions_html(result),
                        f"{sentence_html} {rule_html()}"])


# --- comparisons ---------------------------------------------------------------------------------

def paired_html(comparison, against: str | None, colours: dict[str, str]) -> str:
    """Per scenario other than the reference: its paired end differences with their
    p5-p95 bands, and in words which cannot be told from 0 after these runs (the mean
    within two standard errors of 0, as the command line says) and where single runs
    differ in sign (the band includes 0)."""
    ref = paired.reference_label(comparison, against)
    found = paired.end_differences(comparison, ref, keys=paired.TIMELINE_METRICS)
    rows = []
    for label, by_metric in found.items():
        swatch = f"<span style='color:{colours.get(label, '#333')}'>━━</span>"
        cells = [_difference_html(k, b) for k, b in by_metric.items()]
        rows.append(f"{swatch} <b>{escape(label)} − {escape(ref)}</b> at the end: "
                    + "; ".join(cells))
    runs = len(comparison.results[ref].runs)
    head = (f"<b>Paired differences to {escape(ref)}</b> (run by run on the same seeds, "
            f"mean [p5, p95] over {runs} runs):")
    return "<br>".join([head, *rows])


def _difference_html(key: str, b: dict) -> str:
    text = (f"{METRIC[key].label} {signed_text(key, b['mean'])} "
            f"[{signed_text(key, b['p5'])}, {signed_text(key, b['p95'])}]")
    if not b["distinguishable"]:
        return (f"{text} <i style='color:#8A4B00'>not distinguishable after "
                f"{b['runs']} runs</i>")
    if b["band_includes_0"]:
        return f"{text} <i>(single runs differ in sign)</i>"
    return f"<b>{text}</b>"


@contextmanager
def caveat_on(canvas):
    """The caveat as a last row of a plot canvas while it is exported, then gone."""
    layout = canvas.ci
    layout.nextRow()
    label = layout.addLabel(CAVEAT_TEXT, colspan=max(1, layout.layout.columnCount()),
                            color="#555555", size="9pt", italic=True)
    layout.layout.activate()
    try:
        yield label
    finally:
        layout.removeItem(label)
        layout.layout.activate()
