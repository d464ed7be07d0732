"""Page 1 of the Summary answers the question that ran (issue 26).

A run or Monte Carlo: its outcome and key metrics (laid out by `summary_sheet`). A
comparison: what differs between the scenarios, the paired end differences against the
reference (the one chosen with --against, else the first named) with their p5-p95 bands,
then each scenario's outcome. A timing comparison (two or more scheduled variants) also:
when each acts, and the difference between each pair of scheduled variants. An
exploration: robustness and regret over the futures, the box in words, the reliable
sensitivities, and the share of futures by outcome as a chart. Every figure comes from
the model (model.experiments.paired, model.exploration); this module lays them out.
"""
from __future__ import annotations

from model.calendar import Quarter
from model.engine.explanation import explain_outcome
from model.engine.metrics import METRIC
from model.engine.outcome import ADVERSE, BENIGN, MIXED, OUTCOMES
from model.experiments.paired import END_DIFFERENCE_METRICS, end_differences, reference_label
from model.parameters import LEVERS, PARAMETERS
from model.shares import share_words
from model.workbook import charts
from model.workbook.formats import (CHART_METRICS, change_styled, label, lever_format,
                                    number_format, schedule_words, shown_shares)
from model.workbook.grid import LABEL_FONT, NOTE_FONT, SECTION_FONT, Grid, Styled

SUMMARY = "Summary"
OUTCOME_COLORS = {BENIGN: "548235", MIXED: "BF9000", ADVERSE: "C00000"}
_CONTRAST = ["Metric", "Mean", "p5", "p95", "Reads"]
CHART_SIZE = (12.6, 7.4)  # cm, as the Summary's other charts (two by two on a page)


def answer(grid: Grid, row: int, b, widths) -> int:
    """The question's own blocks from `row`; returns the next free row."""
    if b.exploration is not None:
        return _exploration(grid, row, b.exploration, widths)
    if b.comparison is not None:
        row = _compared(grid, row, b, widths)
        row = _contrast(grid, row, b, widths)
        return _scenario_outcomes(grid, row, b, widths)
    return row


def chart_specs(b) -> tuple[str, ...]:
    """The metrics charted over time (none for an exploration: it keeps end values)."""
    return () if b.exploration is not None else CHART_METRICS


# --- comparison -------------------------------------------------------------------------

def _compared(grid: Grid, row: int, b, widths) -> int:
    """Per scenario: its role, the quarter it acts from, its levers and schedules in
    words (merged across the page: the text is long for a preset)."""
    c = b.comparison
    ref = reference_label(c)
    first = row
    row = grid.section(row, 1, "What was compared: " + ("when each variant acts (the quarter"
                                                       if b.timing else "from (the quarter")
                       + "), its levers and schedules")
    for lab in c.labels:
        p = c.results[lab].provenance
        grid.put(row, 1, lab, font=LABEL_FONT, valign="top")
        grid.put(row, 2, _acts_from(p), valign="top")
        text = ("reference; " if lab == ref else "") + _differs(c, lab, ref)
        grid.put(row, 3, text, wrap=True, valign="top")
        grid.merge(row, 3, len(widths))
        per_line = 1.15 * sum(widths[2:])
        grid.heights[row] = 15.0 * max(1, -(-len(text) // int(per_line)))
        row += 1
    grid.keep(first, row - 1)
    return row + 1


def _differs(c, lab: str, ref: str) -> str:
    """Its schedules in words and the levers set otherwise than in the reference (all
    levers away from their defaults, for the reference itself)."""
    p = c.results[lab].provenance
    against = c.results[ref].provenance.parameters if lab != ref else \
        {k: PARAMETERS[k].default for k in LEVERS}
    parts = [f"{PARAMETERS[k].label}: {schedule_words(t)}" for k, t in p.schedules.items()]
    parts += [f"{PARAMETERS[k].label} {p.parameters[k]:.2f}" for k in LEVERS
              if k not in p.schedules and p.parameters[k] != against[k]]
    same = "the levers of the reference" if lab != ref else "the levers at their defaults"
    return "; ".join(parts) or same


def _acts_from(p) -> str:
    quarters = sorted({change.split("~")[0].split(":")[0] for text in p.schedules.values()
                       for change in text.split(",")})
    return ", ".join(quarters) if quarters else p.quarter(0)


def change_steps(p) -> list[int]:
    """Steps at which a compared scenario's schedules change a lever (its provenance)."""
    start = Quarter.parse(p.start)
    steps = set()
    for text in p.schedules.values():
        for change in text.split(","):
            step = Quarter.parse(change.split("~")[0].split(":")[0]) - start
            if 0 <= step <= p.steps:
                steps.add(step)
    return sorted(steps)


def _pairs(b) -> list[tuple[str, str, dict]]:
    """(label, minus label, end differences): each scenario against the reference, in
    the order named; for a timing comparison also each scheduled variant against the
    next one (now minus wait)."""
    c = b.comparison
    ref = reference_label(c)
    out = [(lab, ref, d) for lab, d in end_differences(c, ref).items()]
    if b.timing:
        scheduled = [lab for lab in c.labels if c.results[lab].provenance.schedules]
        for a, z in zip(scheduled, scheduled[1:]):
            if ref not in (a, z):
                out.insert(0, (a, z, end_differences(c, z)[a]))
    return out


def _contrast(grid: Grid, row: int, b, widths) -> int:
    """One small table per pair: each metric's paired end difference, its band, and how
    it reads (model.experiments.paired.band)."""
    for n, (lab, ref, metrics) in enumerate(_pairs(b), start=1):
        first = row
        row = grid.section(row, 1, f"The contrast: {lab} minus {ref} at quarter {b.steps} "
                                   f"({b.provenance.quarter(b.steps)}), run k minus run k")
        rows = []
        for key in END_DIFFERENCE_METRICS:
            d = metrics[key]
            rows.append([label(key), change_styled(key, d["mean"], averaged=True),
                         change_styled(key, d["p5"], averaged=True),
                         change_styled(key, d["p95"], averaged=True),
                         Styled(_reads(d), indent=1)])
        grid.table(f"Summary_Contrast_{n}", row, 1, _CONTRAST, rows)
        row += len(rows) + 1
        grid.keep(first, row - 1)
        row += 1
    from model.workbook.summary_sheet import note

    note(grid, row - 1, "Mean of the run-by-run differences on common seeds; p5 and p95: "
                        "their spread over the runs; shares in percentage points (pp).",
         widths)
    return row + 1


def _reads(d: dict) -> str:
    if not d["distinguishable"]:
        return f"not told from 0 after {d['runs']} runs"
    return "same sign in 90% of runs" if not d["band_includes_0"] else \
        "mean told from 0; single runs differ in sign"


def _scenario_outcomes(grid: Grid, row: int, b, widths) -> int:
    from model.workbook.summary_sheet import sentence

    c = b.comparison
    first = row
    row = grid.section(row, 1, f"Outcome of each scenario over {b.runs:,} runs")
    rows = []
    for lab in c.labels:
        shares = c.results[lab].outcome_shares
        shown, words = shown_shares(shares, OUTCOMES), share_words(
            {o: shares.get(o, 0.0) for o in OUTCOMES})
        top = max(OUTCOMES, key=lambda o: shares.get(o, 0.0))
        rows.append([lab, *[Styled(shown[o], "0%") for o in OUTCOMES],
                     Styled(f"{top} ({words[top]})", indent=1)])
    grid.table("Summary_Scenarios", row, 1, ["Scenario", *[o.capitalize() for o in OUTCOMES],
                                             "Most often"], rows)
    row += len(rows) + 1
    grid.keep(first, row - 1)
    for lab in c.labels:  # why, one sentence per scenario
        sentence(grid, row, lab, explain_outcome(c.results[lab]), widths)
        row += 1
    return row + 1


def lever_table(grid: Grid, row: int, b) -> int:
    """Each scenario's levers as they ran: a scheduled lever shows its schedule."""
    c = b.comparison
    row = grid.section(row, 1, "Policy levers of each scenario (as set or scheduled)")
    rows = []
    for k in LEVERS:
        cells = [PARAMETERS[k].label, Styled(PARAMETERS[k].default, lever_format())]
        for lab in c.labels:
            p = c.results[lab].provenance
            cells.append(Styled(schedule_words(p.schedules[k]), wrap=True) if k in p.schedules
                         else Styled(p.parameters[k], lever_format()))
        rows.append(cells)
    grid.table("Summary_Levers", row, 1, ["Lever", "Default", *c.labels], rows)
    for r, k in enumerate(LEVERS, start=row + 1):
        if any(k in c.results[lab].provenance.schedules for lab in c.labels):
            grid.heights[r] = 30.0  # '0.80 from 2026Q1' wraps in a narrow column
            grid.align_top(r)
    return row + len(rows) + 1


def comparison_changes(grid: Grid, b, block, col: int) -> tuple[int | None, str]:
    """Columns (one per chart metric) as tall as the chart's lines where any compared
    scenario's schedule changes a lever, blank elsewhere; None without schedules. Also
    the legend text naming the quarters."""
    c = b.comparison
    steps = sorted({s for lab in c.labels for s in change_steps(c.results[lab].provenance)
                    if s > 0})
    if not steps:
        return None, ""
    for i, key in enumerate(CHART_METRICS):
        grid.put(1, col + i, f"Policy change, {label(key)} (chart data)", font=NOTE_FONT)
        top = max(float(c.results[lab].summary[f"{key}_mean"].max()) for lab in c.labels)
        for step in steps:
            grid.put(block.first_row + step, col + i, top, number_format="General")
    quarters = ", ".join(b.provenance.quarter(s) for s in steps)
    return col, f"Policy change ({quarters})"


# --- exploration ------------------------------------------------------------------------

def _exploration(grid: Grid, row: int, x, widths) -> int:
    row = _robustness(grid, row, x, widths)
    row = _sensitivities(grid, row, x, widths)
    return _box(grid, row, x, widths)


def _robustness(grid: Grid, row: int, x, widths) -> int:
    first = row
    row = grid.section(row, 1, f"Robustness across {len(x.futures):,} futures (the same "
                               "futures for every policy)")
    header = ["Policy", "Benign", "Mixed", "Adverse", "Not adverse", "Regret, HHI (mean)",
              "Regret, SMEs (mean)", "Regret, HHI (largest)"]
    rows = []
    for r in x.robustness.to_dict("records"):
        shown = shown_shares(r, OUTCOMES)
        rows.append([r["policy"], *[Styled(shown[o], "0%") for o in (BENIGN, MIXED, ADVERSE)],
                     Styled(1 - shown[ADVERSE], "0%"),
                     Styled(r["regret_hhi_mean_mean"], number_format("hhi_mean", averaged=True)),
                     Styled(r["regret_active_smes_mean"],
                            number_format("active_smes", averaged=True)),
                     Styled(r["regret_hhi_mean_max"], number_format("hhi_mean", averaged=True))])
    grid.table("Summary_Robustness", row, 1, header, rows, header_lines=3)
    top, last = row + 1, row + len(rows)
    row = last + 1
    from model.workbook.summary_sheet import note

    note(grid, row, "Ranked by the share of futures not ending adverse. Regret: in each "
                    "future, how far the policy's end value is from the best policy's (0: "
                    "the best); units of the metric.", widths)
    grid.keep(first, row)
    chart = charts.tornado_chart("Share of futures by outcome, per policy", "share of futures",
                                 value_format="0%", width=16.0, height=2.2 + 0.9 * len(rows))
    chart.grouping, chart.overlap = "percentStacked", 100
    for col, outcome in ((2, BENIGN), (3, MIXED), (4, ADVERSE)):
        charts.add_bars(chart, charts.ref(SUMMARY, col, top, last), outcome,
                        OUTCOME_COLORS[outcome])
    chart.set_categories(charts.ref(SUMMARY, 1, top, last))
    grid.chart(charts.finish(chart), row + 2, 1)
    from model.workbook import pages

    return row + 3 + pages.chart_rows(chart.height)


def _box(grid: Grid, row: int, x, widths) -> int:
    first = row
    found = x.discovery
    row = grid.section(row, 1, f"When does the {x.outcome} outcome happen? (scenario "
                               f"discovery, policy {x.discovery_policy!r})")
    if found is None:
        grid.put(row, 1, f"No future ended {x.outcome} under policy {x.discovery_policy!r}.")
        grid.keep(first, row)
        return row + 2
    labels = {k: PARAMETERS[k].label for k in found.columns if k in PARAMETERS}
    conditions = found.conditions(labels) or ["in any future (no box found)"]
    grid.put(row, 1, f"{x.outcome.capitalize()} when", font=LABEL_FONT)
    for i, text in enumerate(conditions):
        grid.put(row + i, 2, ("and " if i else "") + text)
    row += len(conditions)
    from model.workbook.summary_sheet import note

    note(grid, row, f"{found.figures(x.outcome)}; weakest restriction: "
                    f"{found.significance()} (Discovery sheet)", widths, first_col=2)
    grid.keep(first, row)
    return row + 2


def _sensitivities(grid: Grid, row: int, x, widths) -> int:
    """The factors each end metric is reliably sensitive to: ranked ones only (their
    interval excludes 0; model.exploration.sensitivity.judge)."""
    if x.sensitivity is None:
        return row
    first = row
    study = x.sensitivity_design
    index = "ST" if study.method == "sobol" else "mu_star"
    row = grid.section(row, 1, "Reliable sensitivities (" + ("total Sobol index ST" if
                                                              index == "ST" else "Morris mu*")
                       + "; only factors whose interval excludes 0)")
    rows = []
    for metric in x.sensitivity["metric"].unique():
        ranked = x.ranked_factors(metric, 3)
        words = "; ".join(f"{int(r['rank'])}. {PARAMETERS[r['factor']].label} "
                          f"{r[index]:.2f} +- {r[index + '_conf']:.2f}"
                          for r in ranked.to_dict("records")) or "none told from 0"
        rows.append([METRIC[metric].label, Styled(words, indent=1)])
    grid.table("Summary_Sensitivities", row, 1, ["Metric", "Factors"], rows)
    row += len(rows) + 1
    checks = x.sensitivity_checks or {}
    from model.exploration.sensitivity import precision_text

    warning = precision_text(checks, checks["runs"]) if checks else ""
    if warning:
        from model.workbook.summary_sheet import note

        row = note(grid, row, warning[0].upper() + warning[1:], widths)
    grid.keep(first, row - 1)
    return row + 1


def contrast_charts(grid: Grid, row: int, b, place, col: int) -> int:
    """For a comparison, the first contrast over time: per chart metric the mean of the
    paired differences with its p5-p95 band at every quarter (`paired.band` of each step),
    drawn from chart-data columns from `col`. place(chart, i, top) anchors a chart;
    returns the first row below."""
    from model.engine.metrics import METRIC_INDEX
    from model.experiments.paired import band, differences
    from model.workbook import pages
    from model.workbook.formats import axis_format, unit
    from model.workbook.result_sheets import TIMESERIES_SHEET

    lab, ref, _ = _pairs(b)[0]
    diff = differences(b.comparison, lab, ref)
    ts = b.series
    first, last = ts.first_row, ts.last_row
    rows = pages.chart_rows(CHART_SIZE[1]) + 1
    grid.put(row, 1, f"The contrast over time: {lab} minus {ref} (mean of the paired "
                     "differences and their p5-p95 band)", font=SECTION_FONT)
    grid.keep(row, row + rows)
    quarters = charts.ref(TIMESERIES_SHEET, ts.column("quarter"), first, last)
    for i, key in enumerate(CHART_METRICS):
        c0 = col + 3 * i
        bands = [band(diff[:, t, METRIC_INDEX[key]]) for t in range(diff.shape[1])]
        for j, name in enumerate(("mean", "p5", "p95 - p5")):
            grid.put(1, c0 + j, f"{lab} minus {ref}, {label(key)}, {name} (chart data)",
                     font=NOTE_FONT)
        for r, d in enumerate(bands, start=first):
            grid.put(r, c0, d["mean"], number_format="General")
            grid.put(r, c0 + 1, d["p5"], number_format="General")
            grid.put(r, c0 + 2, d["p95"] - d["p5"], number_format="General")
        chart = charts.line_chart(f"{label(key)}: {lab} minus {ref}", unit(key),
                                  y_format=axis_format(key), points=len(bands),
                                  width=CHART_SIZE[0], height=CHART_SIZE[1])
        chart.x_axis.tickLblPos = "low"  # quarters under the plot, not on the zero line
        charts.add_line(chart, charts.ref(SUMMARY, c0, first, last), "mean difference",
                        charts.PALETTE[0])
        charts.add_band(chart, charts.ref(SUMMARY, c0 + 1, first, last),
                        charts.ref(SUMMARY, c0 + 2, first, last), quarters,
                        "5th to 95th percentile of the differences")
        chart.set_categories(quarters)
        place(charts.finish(chart), i, row + 1 + (i // 2) * rows)
    return row + 1 + 2 * rows + 1
