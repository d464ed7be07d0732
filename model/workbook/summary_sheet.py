"""The Summary sheet: a one-page brief (landscape, fitted to one page).

Left: what ran (scenario, date, version, seeds, runs, steps), the outcome, key metrics at
start and end with their HHI band, and the provenance. Right: four line charts of key
metrics and the policy levers. The charts draw from the TimeSeries sheet (or, for a
comparison, from the Comparison sheet's per-step means); the HHI band lines come from a
small block of chart data right of the print area.
"""
from __future__ import annotations

import math

from openpyxl.utils import get_column_letter

from model.engine.explanation import explain_outcome
from model.engine.metrics import METRIC_INDEX
from model.engine.outcome import OUTCOME_MEANING, OUTCOMES
from model.parameters import LEVERS, PARAMETERS, WORLDS
from model.schedules import change_points
from model.workbook import charts, honest_block
from model.workbook.cells import TITLE_FONT, calibri
from model.workbook.comparison_sheet import COMPARISON_SHEET, scenario_chart
from model.workbook.formats import (CHART_METRICS, SUMMARY_METRICS, axis_format, band_span,
                                    band_text, change_format, label, number_format,
                                    shown_shares, unit)
from model.shares import share_words
from model.workbook.grid import LABEL_FONT, NOTE_FONT, Grid, Styled
from model.workbook.result_sheets import TIMESERIES_SHEET

SUMMARY_SHEET = "Summary"
CAVEAT = ("Illustrative coefficients: this explores what could happen under the stated "
          "assumptions. It is a scenario, not a forecast.")
_SINGLE = (("Metric", 24), ("Start", 11), ("End", 11), ("Change", 11),
           ("Band at start", 24), ("Band at end", 24))
_MONTE_CARLO = (("Metric", 24), ("Start", 10), ("End (mean)", 12), ("End p5", 11),
                ("End p95", 11), ("Change (mean)", 15), ("Band at end (mean)", 23),
                ("Band, p5 to p95", 23))
_RIGHT_WIDTHS = [24, 11, 11] + [9] * 11  # levers table, then room for the second chart
CHART_W, CHART_H, CHART_ROWS = 12.5, 11.0, 22
BOLD_BIG = calibri(bold=True, size=12)
_SHORT = {"hhi_mean": "HHI", "active_smes": "SMEs", "dependency_index": "Dependency",
          "talent_gini": "Gini", "foreign_share": "Foreign"}  # headers of narrow columns


def build_summary(briefing, comparison_block=None) -> tuple[Grid, list[float], str]:
    """The grid, its column widths and its print area."""
    left = _MONTE_CARLO if briefing.stats is not None else _SINGLE
    right_col = len(left) + 2
    grid = Grid()
    grid.put(1, 1, f"AI ecosystem briefing: {briefing.scenario.title}", font=TITLE_FONT)
    grid.put(2, 1, CAVEAT, font=NOTE_FONT)
    row = _run_block(grid, 4, briefing)
    if briefing.exploration is not None:
        row = _exploration_block(grid, row + 1, briefing.exploration)
    row = _outcome_block(grid, row + 1, briefing, left)
    row = honest_block.dimension_block(grid, row, briefing)
    row = honest_block.threshold_block(grid, row, briefing)
    row = _metrics_block(grid, row + 1, briefing, left)
    if briefing.comparison is not None:
        row = _scenarios_block(grid, row + 1, briefing, left)
    row = _provenance_block(grid, row + 1, briefing)
    chart_rows = _charts(grid, briefing, right_col, comparison_block)
    lever_end = _levers_block(grid, chart_rows + 1, right_col, briefing)
    last_row = max(row, lever_end) - 1
    widths = [w for _, w in left] + [3] + _RIGHT_WIDTHS
    area = f"A1:{get_column_letter(len(widths))}{last_row}"
    return grid, widths, area


def _run_block(grid: Grid, row: int, b) -> int:
    scenario, counts = b.scenario, b.scenario.network.counts()
    runs = "single run" if b.runs == 1 else f"Monte Carlo, {b.runs:,} runs"
    x = b.exploration
    if x is not None:
        runs = "an exploration; the metrics and charts below: one run of the scenario as given"
    items = [("Scenario", scenario.title)]
    if scenario.name and scenario.name != "main":
        items.append(("Variant", scenario.name))
    if scenario.author:
        items.append(("Author", scenario.author))
    items += [("Exported", b.created.strftime("%Y-%m-%d %H:%M")),
              ("Tool version", b.provenance.tool_version), ("Seed(s)", b.seeds_text),
              ("Runs", runs),
              ("Steps", f"{b.steps} quarters ({b.steps / 4:g} years), "
                        f"{b.provenance.quarter(0)} to {b.provenance.quarter(b.steps)}"),
              ("Network", _network_text(counts, scenario.network)),
              ("Concentration bands", b.bands.title)]
    for key, text in b.provenance.schedules.items():
        items.append(("Schedule", f"{PARAMETERS[key].label}: {_schedule_words(text)}"))
    if b.comparison is not None:
        items.append(("Compared", ", ".join(b.comparison.labels) + " (Comparison sheet)"))
    if b.has_analysis:
        items.append(("Sensitivity", "see the Sensitivity sheet"))
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
    row = grid.section(row, 1, "What ran")
    for name, value in items:
        grid.put(row, 1, name, font=LABEL_FONT)
        grid.put(row, 2, value)
        row += 1
    return row


def _network_text(counts: dict, network) -> str:
    firms = sum(counts.get(k, 0) for k in ("leader", "sme", "foreign"))
    return (f"{len(network.nodes):,} nodes, {len(network.edges):,} edges: "
            f"{counts.get('platform', 0):,} platforms, {counts.get('zone', 0):,} zones, "
            f"{firms:,} firms")


def _exploration_block(grid: Grid, row: int, x) -> int:
    """The policies ranked across the futures, and when the outcome of interest happens."""
    row = grid.section(row, 1, f"Robustness across {len(x.futures):,} futures")
    rows = []
    for r in x.robustness.to_dict("records"):
        shown = shown_shares(r, OUTCOMES)
        rows.append([r["policy"], *[Styled(shown[o], "0%") for o in ("benign", "mixed",
                                                                     "adverse")],
                     Styled(1 - shown["adverse"], "0%")])
    grid.table("Summary_Robustness", row, 1, ["Policy", "Benign", "Mixed", "Adverse",
                                              "Not adverse"], rows)
    row += len(rows) + 1
    found = x.discovery
    if found is None:
        grid.put(row, 1, f"No future ended {x.outcome} under policy {x.discovery_policy!r}.")
        return row + 2
    labels = {k: PARAMETERS[k].label for k in found.columns}
    conditions = found.conditions(labels) or ["in any future (no box found)"]
    grid.put(row, 1, f"Under policy {x.discovery_policy!r}, {x.outcome} when", font=LABEL_FONT)
    for i, text in enumerate(conditions, start=1):
        grid.put(row + i, 1, ("and " if i > 1 else "") + text, indent=1)
    row += len(conditions) + 1
    grid.put(row, 1, f"{found.figures(x.outcome)} (Discovery sheet)", font=NOTE_FONT)
    return row + 2


def _outcome_block(grid: Grid, row: int, b, left) -> int:
    """The outcome (or the share of each), and why: the sentence naming the rule that
    decided it, with its figures."""
    if b.stats is None:
        row = grid.section(row, 1, "Outcome" + (" of the scenario as given" if b.exploration
                                                 is not None else ""))
        grid.put(row, 1, b.result.outcome, font=BOLD_BIG)
        grid.put(row, 2, OUTCOME_MEANING.get(b.result.outcome, ""))
        _sentence(grid, row + 1, "Why", explain_outcome(b.result), [w for _, w in left])
        return row + 3
    row = grid.section(row, 1, f"Outcome over {b.runs:,} runs" +
                       (f" of {b.comparison.labels[0]}" if b.comparison is not None else ""))
    shares = b.stats.outcome_shares
    shown = shown_shares(shares, OUTCOMES)
    rows = [[o, Styled(shown[o], "0%"), Styled(OUTCOME_MEANING[o], indent=1)]
            for o in OUTCOMES]
    grid.table("Summary_Outcomes", row, 1, ["Outcome", "Share", "Meaning"], rows)
    row += len(rows) + 1
    _sentence(grid, row, "Why", explain_outcome(b.stats), [w for _, w in left])
    return row + 2


def _sentence(grid: Grid, row: int, name: str, text: str, widths: list[float]) -> None:
    """A label, then a sentence wrapping across the other columns of the left block (one
    merged cell, as tall as its lines: no viewer sizes a merged row by itself)."""
    grid.put(row, 1, name, font=LABEL_FONT, valign="top")
    grid.put(row, 2, text, wrap=True, valign="top")
    grid.merge(row, 2, len(widths))
    per_line = 1.3 * sum(widths[1:])  # Calibri 11 text: about 1.3 characters per unit
    grid.heights[row] = 15.0 * max(1, math.ceil(len(text) / per_line))


def _metrics_block(grid: Grid, row: int, b, left) -> int:
    whose = f" (baseline: {b.comparison.labels[0]})" if b.comparison is not None else \
        " (the scenario as given)" if b.exploration is not None else ""
    row = grid.section(row, 1, f"Key metrics, start and quarter {b.steps}{whose}")
    rows = _metric_rows(b) if b.stats is None else _monte_carlo_rows(b)
    grid.table("Summary_Metrics", row, 1, [name for name, _ in left], rows)
    band_width = left[-1][1]
    for r, values in enumerate(rows, start=row + 1):
        longest = max(len(str(v.value)) for v in values[-2:])
        if longest > band_width:  # the band text wraps to two lines
            grid.heights[r] = 30.0
            grid.align_top(r)
    return row + len(rows) + 2


def _metric_rows(b) -> list[list]:
    rows = []
    for key in SUMMARY_METRICS:
        start, end = b.result.start(key), b.result.end(key)
        fmt = number_format(key)
        rows.append([label(key), Styled(start, fmt), Styled(end, fmt),
                     Styled(end - start, change_format(key)), _band(band_text(key, start, b.bands)),
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
                     Styled(r["end_mean"] - r["start"], change_format(key, averaged=True)),
                     _band(band_text(key, r["end_mean"], b.bands)),
                     _band(band_span(key, r["end_p5"], r["end_p95"], b.bands))])
    return rows


def _band(text: str) -> Styled:
    return Styled(text, None, indent=1, wrap=True)  # keeps the text off the numbers on its left


def _scenarios_block(grid: Grid, row: int, b, left) -> int:
    keys = tuple(_SHORT)
    row = grid.section(row, 1, "Scenarios compared (end, mean over runs)")
    rows = []
    for lab in b.comparison.labels:
        res = b.comparison.results[lab]
        ends = res.runs[:, -1, :].mean(axis=0)
        top = max(OUTCOMES, key=lambda o: res.outcome_shares.get(o, 0.0))
        rows.append([lab] + [Styled(float(ends[METRIC_INDEX[k]]),
                                    number_format(k, averaged=True))
                             for k in keys] +
                    [Styled(f"{top} ({share_words(res.outcome_shares)[top]})", indent=1)])
    grid.table("Summary_Scenarios", row, 1, ["Scenario", *_SHORT.values(),
                                             "Most frequent outcome"], rows)
    row += len(rows) + 1
    for lab in b.comparison.labels:  # why, one sentence per scenario
        _sentence(grid, row, lab, explain_outcome(b.comparison.results[lab]),
                  [w for _, w in left])
        row += 1
    return row + 1


def _provenance_block(grid: Grid, row: int, b) -> int:
    p = b.provenance
    row = grid.section(row, 1, "Provenance" + (" (baseline)" if b.comparison else ""))
    return grid.pairs(row, 1, [("Tool version", p.tool_version), ("Seed(s)", b.seeds_text),
                               ("Scenario hash", p.scenario_hash),
                               ("Network hash", p.network_hash),
                               ("Parameter hash", b.parameter_hash)])


def _levers_block(grid: Grid, row: int, col: int, b) -> int:
    params = b.provenance.parameters
    row = grid.section(row, col, "Policy levers" + (" (baseline)" if b.comparison else ""))
    rows = [[PARAMETERS[k].label, Styled(params[k], "0.00"),
             Styled(PARAMETERS[k].default, "0.00")] for k in LEVERS]
    grid.table("Summary_Levers", row, col, ["Lever", "Value", "Default"], rows)
    row += len(rows) + 1
    others = [k for k in PARAMETERS if k not in LEVERS and params[k] != PARAMETERS[k].default]
    if others:
        text = "; ".join(f"{k} {params[k]:g}" for k in others[:8])
        more = f" and {len(others) - 8} more" if len(others) > 8 else ""
        grid.put(row, col, f"Other parameters changed: {text}{more} (Parameters sheet)",
                 font=NOTE_FONT)
        row += 1
    if b.comparison is not None:
        grid.put(row, col, "Each scenario's levers: Comparison sheet", font=NOTE_FONT)
        row += 1
    return row + 1


def _schedule_words(text: str) -> str:
    """'2024Q1:0,2029Q1~1' as '0 from 2024Q1, ramp to 1 by 2029Q1'."""
    words = []
    for change in text.split(","):
        if "~" in change:
            quarter, value = change.split("~")
            words.append(f"ramp to {value} by {quarter}")
        else:
            quarter, value = change.split(":")
            words.append(f"{value} from {quarter}")
    return ", ".join(words)


def _charts(grid: Grid, b, col: int, comparison_block) -> int:
    """Four charts, two by two, from row 4; returns the first row below them."""
    bands_col = _band_data(grid, b, col + len(_RIGHT_WIDTHS) + 2)
    changes_col = _change_data(grid, b, bands_col + len(b.bands.lines))
    second = col + charts.columns_spanning(CHART_W + 0.4, _RIGHT_WIDTHS)
    for i, key in enumerate(CHART_METRICS):
        if comparison_block is not None:
            chart = scenario_chart(key, COMPARISON_SHEET, comparison_block,
                                   b.comparison.labels, b.bands, CHART_W, CHART_H)
        else:
            chart = _series_chart(key, b, bands_col)
            if changes_col is not None:
                charts.mark_changes(chart, charts.ref(SUMMARY_SHEET, changes_col + i,
                                                      b.series.first_row, b.series.last_row))
        grid.chart(chart, 4 + (i // 2) * CHART_ROWS, col if i % 2 == 0 else second)
    return 4 + 2 * CHART_ROWS


def _series_chart(key: str, b, bands_col: int):
    ts = b.series
    first, last = ts.first_row, ts.last_row
    mc = ts.monte_carlo
    chart = charts.line_chart(f"{label(key)}" + (": mean and p5-p95" if mc else ""),
                              unit(key), y_format=axis_format(key), points=len(ts.frame),
                              width=CHART_W, height=CHART_H)
    color = charts.PALETTE[0]
    charts.add_line(chart, charts.ref(TIMESERIES_SHEET, ts.mean_column(key), first, last),
                    "mean" if mc else label(key), color)
    if mc:
        for band, name in (("p5", "5th percentile"), ("p95", "95th percentile")):
            charts.add_line(chart, charts.ref(TIMESERIES_SHEET, ts.column(f"{key}_{band}"),
                                              first, last), name, charts.PALETTE[5],
                            width_pt=1.0, dash="sysDash")
    if key in ("hhi_mean", "hhi_max"):
        for i, line in enumerate(b.bands.lines):
            charts.add_line(chart, charts.ref(SUMMARY_SHEET, bands_col + i, first, last),
                            f"Band line {line:,.0f}", charts.BAND_COLOR, width_pt=1.0,
                            dash="dash")
    chart.set_categories(charts.ref(TIMESERIES_SHEET, ts.column("quarter"), first, last))
    return charts.finish(chart)


def _change_data(grid: Grid, b, col: int) -> int | None:
    """Where a schedule changes a parameter (or a ramp ends), per chart metric: a column
    as tall as the metric's largest plotted value at those steps, blank elsewhere (drawn
    as thin grey bars behind the lines); None without schedules."""
    ts = b.series
    steps = change_steps(b.scenario, len(ts.frame) - 1)
    if not steps:
        return None
    for i, key in enumerate(CHART_METRICS):
        grid.put(1, col + i, f"Policy change, {label(key)} (chart data)", font=NOTE_FONT)
        names = [f"{key}_p95", f"{key}_mean"] if ts.monte_carlo else [key]
        top = float(ts.frame[[n for n in names if n in ts.frame]].to_numpy(float).max())
        for step in steps:
            grid.put(ts.first_row + step, col + i, top, number_format="General")
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

