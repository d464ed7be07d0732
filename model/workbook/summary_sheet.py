"""The Summary sheet: a brief that prints legibly on A4 landscape at 100 % (issue 26).

Page 1 answers the question that ran (`page_one`): a run or Monte Carlo, its outcome and
key metrics; a comparison, the paired differences with their bands; a timing comparison,
when each variant acts and the difference between them; an exploration, robustness,
regret, the box in words and the reliable sensitivities. Then the charts (a page of their
own), the levers as they were set or scheduled, what ran, the outcome by dimension and the
provenance. Page breaks keep every table and chart whole (`pages.breaks`). The charts draw
from the TimeSeries sheet (a comparison: the Comparison sheet's per-step means); their
band and change-mark data sit right of the print area.
"""
from __future__ import annotations

import math

from openpyxl.utils import get_column_letter

from model.engine.explanation import explain_outcome
from model.engine.outcome import OUTCOME_MEANING, OUTCOMES
from model.parameters import LEVERS, PARAMETERS, WORLDS
from model.workbook import charts, futures_charts, honest_block, page_one, pages
from model.workbook.cells import TITLE_FONT, calibri
from model.workbook.comparison_sheet import COMPARISON_SHEET, scenario_chart
from model.workbook.export_facts import code_version, library_versions, moment_text
from model.workbook.formats import (CHART_METRICS, SUMMARY_METRICS, axis_format, band_line,
                                    band_span, band_text, change_styled, label, lever_format,
                                    number_format, schedule_words, shown_shares, unit)
from model.workbook.grid import LABEL_FONT, NOTE_FONT, SECTION_FONT, Grid, Styled
from model.schedules import change_points
from model.workbook.result_sheets import TIMESERIES_SHEET

SUMMARY_SHEET = "Summary"
CAVEAT = ("Illustrative coefficients: this explores what could happen under the stated "
          "assumptions. It is a scenario, not a forecast.")
_SINGLE = (("Metric", 24), ("Start", 11), ("End", 11), ("Change", 12),
           ("Band at start", 24), ("Band at end", 24))
_MONTE_CARLO = (("Metric", 24), ("Start", 10), ("End (mean)", 12), ("End p5", 11),
                ("End p95", 11), ("Change (mean)", 14), ("Band at end (mean)", 23),
                ("Band, p5 to p95", 23))
CHART_W, CHART_H = 12.6, 7.4  # cm: two across and two down fill one landscape A4 page
_LEAST_CM = 2 * CHART_W + 1.4  # the two charts, a gap, and room for LibreOffice's wider columns
BOLD_BIG = calibri(bold=True, size=12)
TITLE_ROW_PT = 22.0


class SummaryLayout:
    """The grid and how it prints: column widths, print area, scale and page breaks."""

    def __init__(self, grid: Grid, widths: list[float], last_row: int):
        self.grid, self.widths = grid, widths
        self.area = f"A1:{get_column_letter(len(widths))}{last_row}"
        self.scale = pages.fitting_scale(sum(pages.column_cm(w) for w in widths))
        self.breaks = pages.breaks(grid.blocks, grid.heights, self.scale, last_row)

    def __iter__(self):  # grid, widths, area: as callers unpacked it before
        return iter((self.grid, self.widths, self.area))


def build_summary(briefing, comparison_block=None) -> SummaryLayout:
    left = _MONTE_CARLO if briefing.stats is not None else _SINGLE
    widths = _widths([w for _, w in left])
    grid = Grid()
    grid.put(1, 1, f"AI ecosystem briefing: {briefing.scenario.title}", font=TITLE_FONT)
    grid.heights[1] = TITLE_ROW_PT
    grid.put(2, 1, _subtitle(briefing), font=LABEL_FONT)
    grid.put(3, 1, CAVEAT, font=NOTE_FONT)
    row = page_one.answer(grid, 5, briefing, widths)
    if briefing.exploration is None:
        row = _outcome_block(grid, row, briefing, widths)
        row = _metrics_block(grid, row, briefing, left)
    row = _charts(grid, row, briefing, widths, comparison_block)
    row = _levers_block(grid, row, briefing)
    row = _run_block(grid, row, briefing)
    row = honest_block.dimension_block(grid, row, briefing, widths)
    row = honest_block.threshold_block(grid, row, briefing, widths)
    row = _provenance_block(grid, row, briefing)
    return SummaryLayout(grid, widths, row - 1)


def _widths(left: list[float]) -> list[float]:
    """The left block's columns, then one more (at most 20 characters each) until the two
    charts side by side fit; never wider than the page at 100 %."""
    widths = list(left)
    while (short := _LEAST_CM - sum(pages.column_cm(w) for w in widths)) > 0:
        widths.append(max(2.0, min(20.0, math.ceil((short / 2.54 * 96 - 5) / 7))))
    return widths


def _subtitle(b) -> str:
    x, c = b.exploration, b.comparison
    if x is not None:
        what = f"Exploration: {len(x.futures):,} futures x {len(x.policies)} policies"
    elif c is not None:
        what = f"Comparison of {len(c.labels)} scenarios, {b.runs:,} runs each on common seeds"
    else:
        what = "Single run" if b.runs == 1 else f"Monte Carlo, {b.runs:,} runs"
    p = b.provenance
    return (f"{what}; {b.steps} quarters, {p.quarter(0)} to {p.quarter(b.steps)}; exported "
            f"{moment_text(b.created)}")


def _outcome_block(grid: Grid, row: int, b, widths) -> int:
    """The outcome (or the share of each), and why: the sentence naming the rule that
    decided it, with its figures. A comparison shows each scenario's (page_one)."""
    if b.comparison is not None:
        return row
    if b.stats is None:
        start = row
        row = grid.section(row, 1, "Outcome")
        grid.put(row, 1, b.result.outcome, font=BOLD_BIG)
        grid.put(row, 2, OUTCOME_MEANING.get(b.result.outcome, ""))
        sentence(grid, row + 1, "Why", explain_outcome(b.result), widths)
        grid.keep(start, row + 1)
        return row + 3
    start = row
    row = grid.section(row, 1, f"Outcome over {b.runs:,} runs")
    shown = shown_shares(b.stats.outcome_shares, OUTCOMES)
    rows = [[o, Styled(shown[o], "0%"), Styled(OUTCOME_MEANING[o], indent=1)]
            for o in OUTCOMES]
    grid.table("Summary_Outcomes", row, 1, ["Outcome", "Share", "Meaning"], rows)
    row += len(rows) + 1
    sentence(grid, row, "Why", explain_outcome(b.stats), widths)
    grid.keep(start, row)
    return row + 2


def sentence(grid: Grid, row: int, name: str, text: str, widths: list[float]) -> None:
    """A label, then a sentence wrapping across the other columns of the left block (one
    merged cell, as tall as its lines: no viewer sizes a merged row by itself)."""
    grid.put(row, 1, name, font=LABEL_FONT, valign="top")
    grid.put(row, 2, text, wrap=True, valign="top")
    grid.merge(row, 2, len(widths))
    per_line = 1.15 * sum(widths[1:])  # Calibri 11: about 1.15 characters per width unit
    grid.heights[row] = 15.0 * max(1, math.ceil(len(text) / per_line))


def note(grid: Grid, row: int, text: str, widths: list[float], first_col: int = 1) -> int:
    """A note wrapping across the print width (merged, as tall as its lines); returns the
    next row."""
    grid.put(row, first_col, text, font=NOTE_FONT, wrap=True, valign="top")
    grid.merge(row, first_col, len(widths))
    per_line = 1.2 * sum(widths[first_col - 1:])
    grid.heights[row] = 15.0 * max(1, math.ceil(len(text) / per_line))
    return row + 1


def _metrics_block(grid: Grid, row: int, b, left) -> int:
    whose = f" of {b.comparison.labels[0]} (each scenario's: Comparison sheet)" \
        if b.comparison is not None else ""
    row = grid.section(row, 1, f"Key metrics, {b.provenance.quarter(0)} and "
                               f"{b.provenance.quarter(b.steps)} (quarter {b.steps}){whose}")
    rows = _metric_rows(b) if b.stats is None else _monte_carlo_rows(b)
    grid.table("Summary_Metrics", row, 1, [name for name, _ in left], rows)
    band_width = left[-1][1]
    for r, values in enumerate(rows, start=row + 1):
        longest = max(len(str(v.value)) for v in values[-2:])
        if longest > band_width:  # the band text wraps to two lines
            grid.heights[r] = 30.0
            grid.align_top(r)
    grid.put(row + len(rows) + 1, 1, "Changes of shares in percentage points (pp).",
             font=NOTE_FONT)
    return row + len(rows) + 3


def _metric_rows(b) -> list[list]:
    rows = []
    for key in SUMMARY_METRICS:
        start, end = b.result.start(key), b.result.end(key)
        fmt = number_format(key)
        rows.append([label(key), Styled(start, fmt), Styled(end, fmt),
                     change_styled(key, end - start), _band(band_text(key, start, b.bands)),
                     _band(band_text(key, end, b.bands))])
    return rows


def _monte_carlo_rows(b) -> list[list]:
    table = b.stats.end_table(SUMMARY_METRICS).set_index("metric")
    rows = []
    for key in SUMMARY_METRICS:
        r = table.loc[key]
        fmt, mean_fmt = number_format(key), number_format(key, averaged=True)
        rows.append([label(key), Styled(r["start"], fmt), Styled(r["end_mean"], mean_fmt),
                     Styled(r["end_p5"], mean_fmt), Styled(r["end_p95"], mean_fmt),
                     change_styled(key, r["end_mean"] - r["start"], averaged=True),
                     _band(band_text(key, r["end_mean"], b.bands)),
                     _band(band_span(key, r["end_p5"], r["end_p95"], b.bands))])
    return rows


def _band(text: str) -> Styled:
    return Styled(text, None, indent=1, wrap=True)  # keeps the text off the numbers on its left


def _run_block(grid: Grid, row: int, b) -> int:
    scenario, counts = b.scenario, b.scenario.network.counts()
    items = [("Scenario", scenario.title)]
    if scenario.name and scenario.name != "main":
        items.append(("Variant", scenario.name))
    if scenario.author and scenario.author != "built-in":
        items.append(("Author", scenario.author))
    elif scenario.author:
        items.append(("Source", "a scenario built into the tool (Methodology: its sources)"))
    runs = "single run" if b.runs == 1 else f"Monte Carlo, {b.runs:,} runs"
    if b.exploration is not None:
        runs = "an exploration; the data sheets: one run of the scenario as given"
    items += [("Runs", runs), ("Seed(s)", b.seeds_text),
              ("Steps", f"{b.steps} quarters ({b.steps / 4:g} years), "
                        f"{b.provenance.quarter(0)} to {b.provenance.quarter(b.steps)}"),
              ("Network", _network_text(counts, scenario.network)),
              ("Concentration bands", b.bands.title)]
    for key, text in b.provenance.schedules.items():
        items.append(("Schedule", f"{PARAMETERS[key].label}: {schedule_words(text)}"))
    if b.comparison is not None:
        items.append(("Compared", ", ".join(b.comparison.labels) + " (Comparison sheet)"))
    if b.has_analysis:
        items.append(("Sensitivity", "see the Sensitivity sheet"))
    x = b.exploration
    if x is not None:
        items.append(("Exploration", f"{len(x.futures):,} futures x {len(x.policies)} policies, "
                                     f"{len(x.space)} uncertain coefficients"))
        if x.world:
            fixed = ", ".join(f"{k} = {x.fixed[k]:g}" for k in WORLDS[x.world].values)
            items.append(("World assumption", f"{x.world}, fixed in every future: {fixed} "
                                              "(Methodology)"))
        if x.sensitivity_design is not None:
            items.append(("Sensitivity", f"{x.sensitivity_design.method.capitalize()}, "
                                         f"{len(x.sensitivity_design.samples):,} runs "
                                         "(Sensitivity indices sheet)"))
    start = row
    row = grid.section(row, 1, "What ran")
    row = grid.pairs(row, 1, items)
    grid.keep(start, row - 1)
    return row + 1


def _network_text(counts: dict, network) -> str:
    firms = sum(counts.get(k, 0) for k in ("leader", "sme", "foreign"))
    return (f"{len(network.nodes):,} nodes, {len(network.edges):,} edges: "
            f"{counts.get('platform', 0):,} platforms, {counts.get('zone', 0):,} zones, "
            f"{firms:,} firms")


def _provenance_block(grid: Grid, row: int, b) -> int:
    p = b.provenance
    items = [("Command", b.command or "exported from the application window"),
             ("Tool version", p.tool_version), ("Code version", code_version()),
             ("Libraries", library_versions()), ("Exported", moment_text(b.created)),
             ("Seed(s)", b.seeds_text), ("Scenario hash", p.scenario_hash),
             ("Network hash", p.network_hash), ("Parameter hash", b.parameter_hash)]
    start = row
    row = grid.section(row, 1, "Provenance" + (f" (of {b.comparison.labels[0]}; each "
                                               "scenario's: Comparison sheet)"
                                               if b.comparison else ""))
    row = grid.pairs(row, 1, items)
    grid.keep(start, row - 1)
    return row + 1


def _levers_block(grid: Grid, row: int, b) -> int:
    """The levers as they were set, and as scheduled: a scheduled lever shows its
    schedule, not the base value it replaces."""
    start = row
    if b.comparison is not None:
        row = page_one.lever_table(grid, row, b)
    else:
        params, schedules = b.provenance.parameters, b.provenance.schedules
        row = grid.section(row, 1, "Policy levers")
        rows = [[PARAMETERS[k].label, _lever_value(k, params, schedules),
                 Styled(PARAMETERS[k].default, lever_format())] for k in LEVERS]
        grid.table("Summary_Levers", row, 1, ["Lever", "Value", "Default"], rows)
        row += len(rows) + 1
    grid.keep(start, row - 1)
    params = b.provenance.parameters
    others = [k for k in PARAMETERS if k not in LEVERS and params[k] != PARAMETERS[k].default]
    if others:
        text = "; ".join(f"{k} {params[k]:g}" for k in others[:8])
        more = f" and {len(others) - 8} more" if len(others) > 8 else ""
        grid.put(row, 1, f"Other parameters changed: {text}{more} (Parameters sheet)",
                 font=NOTE_FONT)
        row += 1
    return row + 1


def _lever_value(key: str, params, schedules):
    if key in schedules:
        return Styled(schedule_words(schedules[key]), indent=1)
    return Styled(params[key], lever_format())


def _charts(grid: Grid, row: int, b, widths, comparison_block) -> int:
    """Four charts, two by two, on a page of their own; returns the first row below."""
    specs = page_one.chart_specs(b)
    if not specs:  # an exploration: its bands over the futures, when it kept them
        if futures_charts.has_bands(b.exploration):
            return futures_charts.add_charts(grid, row, b, widths, len(widths) + 3,
                                             (CHART_W, CHART_H))
        return row
    rows = pages.chart_rows(CHART_H) + 1
    grid.put(row, 1, "Charts", font=SECTION_FONT)
    grid.keep(row, row + rows)  # the heading stays with the first row of charts
    bands_col = _band_data(grid, b, len(widths) + 3)
    changes_col = _change_data(grid, b, bands_col + len(b.bands.lines))
    width_col = _width_data(grid, b, changes_col + len(CHART_METRICS))
    second = charts.anchor_at(CHART_W + 0.4, widths)  # right of the first chart
    if comparison_block is not None:
        marks, marks_title = page_one.comparison_changes(grid, b, comparison_block,
                                                         width_col + len(CHART_METRICS))
    for i, key in enumerate(specs):
        if comparison_block is not None:
            chart = scenario_chart(key, COMPARISON_SHEET, comparison_block,
                                   b.comparison.labels, b.bands, CHART_W, CHART_H)
            if marks is not None:
                charts.mark_changes(chart, charts.ref(SUMMARY_SHEET, marks + i,
                                                      comparison_block.first_row,
                                                      comparison_block.last_row),
                                    marks_title)
        else:
            chart = _series_chart(key, b, bands_col, width_col + i)
            if changes_col is not None and _has_changes(b):
                charts.mark_changes(chart, charts.ref(SUMMARY_SHEET, changes_col + i,
                                                      b.series.first_row, b.series.last_row))
        grid.chart(chart, row + 1 + (i // 2) * rows, *((1, 0.0) if i % 2 == 0 else second))
    row += 1 + 2 * rows + 1
    if comparison_block is not None:
        place = lambda chart, i, top: grid.chart(chart, top, *((1, 0.0) if i % 2 == 0  # noqa: E731
                                                               else second))
        row = page_one.contrast_charts(grid, row, b, place,
                                       width_col + 2 * len(CHART_METRICS))
    return row


def _series_chart(key: str, b, bands_col: int, width_col: int):
    ts = b.series
    first, last = ts.first_row, ts.last_row
    mc = ts.monte_carlo
    chart = charts.line_chart(f"{label(key)}" + (": mean and p5-p95 band" if mc else ""),
                              unit(key), y_format=axis_format(key), points=len(ts.frame),
                              width=CHART_W, height=CHART_H)
    charts.add_line(chart, charts.ref(TIMESERIES_SHEET, ts.mean_column(key), first, last),
                    "mean" if mc else label(key), charts.PALETTE[0])
    if key in ("hhi_mean", "hhi_max"):
        for i, line in enumerate(b.bands.lines):
            charts.add_line(chart, charts.ref(SUMMARY_SHEET, bands_col + i, first, last),
                            band_line(b.bands, i), charts.BAND_COLOR, width_pt=1.0,
                            dash="dash")
    categories = charts.ref(TIMESERIES_SHEET, ts.column("quarter"), first, last)
    if mc:
        charts.add_band(chart, charts.ref(TIMESERIES_SHEET, ts.column(f"{key}_p5"), first,
                                          last),
                        charts.ref(SUMMARY_SHEET, width_col, first, last), categories,
                        "5th to 95th percentile")
    chart.set_categories(categories)
    return charts.finish(chart)


def _has_changes(b) -> bool:
    return bool(change_steps(b.scenario, len(b.series.frame) - 1))


def _change_data(grid: Grid, b, col: int) -> int:
    """Where a schedule changes a parameter (or a ramp ends), per chart metric: a column
    as tall as the metric's largest plotted value at those steps, blank elsewhere (drawn
    as thin grey bars behind the lines)."""
    ts = b.series
    steps = change_steps(b.scenario, len(ts.frame) - 1)
    if not steps:
        return col
    for i, key in enumerate(CHART_METRICS):
        grid.put(1, col + i, f"Policy change, {label(key)} (chart data)", font=NOTE_FONT)
        names = [f"{key}_p95", f"{key}_mean"] if ts.monte_carlo else [key]
        top = float(ts.frame[[n for n in names if n in ts.frame]].to_numpy(float).max())
        for step in steps:
            grid.put(ts.first_row + step, col + i, top, number_format="General")
    return col


def _width_data(grid: Grid, b, col: int) -> int:
    """p95 minus p5 per chart metric: the height of the shaded band stacked on p5 (an
    area chart draws a band as a stack)."""
    ts = b.series
    if not ts.monte_carlo:
        return col
    for i, key in enumerate(CHART_METRICS):
        grid.put(1, col + i, f"p5 to p95 width, {label(key)} (chart data)", font=NOTE_FONT)
        widths = (ts.frame[f"{key}_p95"] - ts.frame[f"{key}_p5"]).tolist()
        for r, value in enumerate(widths, start=ts.first_row):
            grid.put(r, col + i, value, number_format="General")
    return col


def change_steps(scenario, last_step: int) -> list[int]:
    """Steps 0..last_step at which one of the scenario's schedules changes a value."""
    return sorted({step for step, *_ in change_points(scenario, last_step)})


def _band_data(grid: Grid, b, col: int) -> int:
    """The HHI band lines, one column per line, on the TimeSeries rows (outside the print
    area): a line chart needs cells to draw a constant line."""
    ts = b.series
    for i, line in enumerate(b.bands.lines):
        grid.put(1, col + i, f"Band line {line:,.0f} (chart data)", font=NOTE_FONT)
        for r in range(ts.first_row, ts.last_row + 1):
            grid.put(r, col + i, line, number_format="#,##0")
    return col
