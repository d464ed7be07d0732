"""The Comparison sheet: paired end differences, outcome shares, each scenario's levers and
provenance, line charts with one line per scenario, then every end metric per scenario
with bands and differences (the long table, last, its header on every page it prints on),
and below the print area the block of per-step means the charts draw."""
from __future__ import annotations

from dataclasses import dataclass, field

from model.engine.metrics import METRIC_KEYS
from model.engine.outcome import OUTCOMES
from model.parameters import LEVERS, PARAMETERS
from model.workbook import charts
from model.workbook.cells import TITLE_FONT
from model.workbook.context import parameter_hash
from model.workbook.formats import (COMPARISON_CHART_METRICS, SUMMARY_METRICS, axis_format,
                                    band_line, band_text, change_format, label, lever_format,
                                    number_format, shown_shares, unit)
from model.workbook.grid import NOTE_FONT, Grid, Styled
from model.workbook.paired_table import paired_block

COMPARISON_SHEET = "Comparison"
_TABLE_COLUMNS = ("Metric", "Scenario", "End (mean)", "End p5", "End p95",
                  "Difference to baseline (mean)", "Difference p5", "Difference p95",
                  "Band at end (mean)")
CHART_WIDTH, CHART_HEIGHT, CHART_ROWS = 14.0, 7.5, 16
WIDTHS = [36, 24, 12, 12, 12, 16, 13, 13, 30] + [14] * 40  # metric labels up to 36


@dataclass
class MeansBlock:
    """Where the per-step means sit: column of (metric, scenario), band-line columns."""

    first_row: int = 0
    last_row: int = 0
    step_col: int = 2  # the quarter: the charts' categories
    columns: dict[tuple[str, str], int] = field(default_factory=dict)
    band_cols: list[tuple[int, float]] = field(default_factory=list)  # (column, HHI value)
    printed_rows: int = 0  # the sheet prints down to this row (the chart data stays off)


def build_comparison(briefing) -> tuple[Grid, MeansBlock]:
    comparison, bands = briefing.comparison, briefing.bands
    base = comparison.labels[0]
    grid = Grid()
    grid.put(1, 1, "Scenario comparison", font=TITLE_FONT)
    grid.put(2, 1, f"Every scenario ran on the same seeds ({briefing.seeds_text}); "
                   f"differences are paired run by run against the baseline, {base}. "
                   f"p5 and p95: 5th and 95th percentiles over the runs.", font=NOTE_FONT)
    row = paired_block(grid, 4, comparison)
    row = grid.section(row, 1, "Outcome shares (share of runs)")
    row = _outcome_table(grid, row, comparison) + 1
    row = grid.section(row, 1, "Levers and provenance of each scenario")
    row = _lever_table(grid, row, comparison) + 1
    charts_row = row
    row += 1 + 3 * CHART_ROWS + 1  # the charts, three rows of two
    # the long table last: its header repeats on every page it runs on (print titles),
    # which would head any block printed after it with the wrong header
    row = grid.section(row, 1, f"End metrics, quarter {briefing.steps}, every metric")
    row = _end_table(grid, row, comparison, bands, base) + 1
    printed = row - 1
    grid.put(row, 1, "Below: the per-step means the charts draw (chart data, not "
                     "printed).", font=NOTE_FONT)
    row += 1
    row = grid.section(row, 1, "Per-step means (the data of the charts)")
    block = _means_block(grid, row, comparison, bands)
    block.printed_rows = printed
    _charts(grid, briefing, block, charts_row)
    return grid, block


def _end_table(grid: Grid, row: int, comparison, bands, base: str) -> int:
    """Metric-major: the scenarios of one metric sit together, baseline first."""
    records = {(r["metric"], r["scenario"]): r for r in
               comparison.end_table(_ordered_keys()).to_dict("records")}
    rows = []
    for key in _ordered_keys():
        fmt, diff = number_format(key, averaged=True), change_format(key, averaged=True)
        for lab in comparison.labels:
            rec, paired = records[(key, lab)], lab != base
            rows.append([label(key), lab, Styled(rec["end_mean"], fmt),
                         Styled(rec["end_p5"], fmt), Styled(rec["end_p95"], fmt),
                         Styled(rec["diff_mean"], diff) if paired else None,
                         Styled(rec["diff_p5"], diff) if paired else None,
                         Styled(rec["diff_p95"], diff) if paired else None,
                         Styled(band_text(key, rec["end_mean"], bands), indent=1)])
    grid.table("Comparison_End", row, 1, list(_TABLE_COLUMNS), rows, header_lines=2,
               groups=len(comparison.labels))
    return row + len(rows) + 1


def _outcome_table(grid: Grid, row: int, comparison) -> int:
    rows = [[label_] + [Styled(v, "0%") for v in
                        shown_shares(comparison.results[label_].outcome_shares, OUTCOMES).values()]
            for label_ in comparison.labels]
    grid.table("Comparison_Outcomes", row, 1, ["Scenario", *OUTCOMES], rows)
    return row + len(rows) + 1


def _lever_table(grid: Grid, row: int, comparison) -> int:
    """Rows: levers, then any other parameter that differs somewhere; then, in a table of
    their own (a hash needs room), each scenario's hashes."""
    params = {lab: comparison.results[lab].provenance.parameters for lab in comparison.labels}
    others = [k for k in PARAMETERS if k not in LEVERS and
              any(p[k] != PARAMETERS[k].default for p in params.values())]
    rows = [[PARAMETERS[k].label, k, Styled(PARAMETERS[k].default, _value_format(k))] +
            [Styled(params[lab][k], _value_format(k)) for lab in comparison.labels]
            for k in (*LEVERS, *others)]
    schedules = {lab: comparison.results[lab].provenance.schedules
                 for lab in comparison.labels}
    for k in PARAMETERS:  # a scheduled parameter: its changes, QUARTER:VALUE (~ a ramp)
        if any(k in s for s in schedules.values()):
            rows.append([f"{PARAMETERS[k].label}: schedule", k, ""] +
                        [schedules[lab].get(k, "") for lab in comparison.labels])
    grid.table("Comparison_Levers", row, 1, ["Parameter", "Key", "Default",
                                             *comparison.labels], rows)
    row += len(rows) + 2
    hashes = []
    for lab in comparison.labels:
        hashes.append([lab, "scenario",
                       comparison.results[lab].provenance.scenario_hash])
        hashes.append([lab, "parameters", parameter_hash(params[lab], schedules[lab])])
    grid.table("Comparison_Provenance", row, 1, ["Scenario", "Hash of", "sha256"], hashes)
    grid.put(row + len(hashes) + 1, 1, "scenario: the network and every parameter value; "
                                       "parameters: the parameter values alone",
             font=NOTE_FONT)
    return row + len(hashes) + 2


def _value_format(key: str) -> str:
    """Levers as 0.30 on every sheet; other parameters as typed."""
    return lever_format() if key in LEVERS else "General"


def _means_block(grid: Grid, row: int, comparison, bands) -> MeansBlock:
    block = MeansBlock()
    header, columns = ["step", "quarter"], [None]
    for key in COMPARISON_CHART_METRICS:
        for lab in comparison.labels:
            block.columns[(key, lab)] = len(header) + 1
            header.append(f"{lab}: {label(key)}")
            columns.append(key)
    for line in bands.lines:
        block.band_cols.append((len(header) + 1, line))
        header.append(f"HHI {line:,.0f} line")
        columns.append(None)
    summaries = {lab: comparison.results[lab].summary for lab in comparison.labels}
    steps = len(next(iter(summaries.values())))
    rows = []
    quarters = next(iter(summaries.values()))["quarter"].tolist()
    for s in range(steps):
        values = [s, Styled(quarters[s], indent=1)] + [summaries[lab][f"{key}_mean"].iat[s] for key in
                                     COMPARISON_CHART_METRICS for lab in comparison.labels]
        rows.append(values + [line for _, line in block.band_cols])
    formats = ["0", "@"] + [number_format(k, averaged=True) if k else "#,##0"
                            for k in columns[1:]]
    grid.table("Comparison_Means", row, 1, header, rows, formats, header_lines=3)
    block.first_row, block.last_row = row + 1, row + steps
    return block


def _charts(grid: Grid, briefing, block: MeansBlock, row: int) -> None:
    """Two charts a row under the tables (not right of them: the sheet then prints
    at the width of its tables)."""
    grid.section(row, 1, "Per-step means of each scenario")
    grid.keep(row, row + 1 + CHART_ROWS)  # the heading stays with its first charts
    second = 1 + charts.columns_spanning(CHART_WIDTH + 0.4, WIDTHS)
    for i, key in enumerate(COMPARISON_CHART_METRICS):
        chart = scenario_chart(key, COMPARISON_SHEET, block, briefing.comparison.labels,
                               briefing.bands, CHART_WIDTH, CHART_HEIGHT)
        grid.chart(chart, row + 1 + (i // 2) * CHART_ROWS, 1 if i % 2 == 0 else second)


def scenario_chart(key: str, sheet: str, block: MeansBlock, labels, bands,
                   width: float = 13.0, height: float = 7.5):
    """One line per scenario (the mean over runs), HHI band lines for the HHI metrics."""
    chart = charts.line_chart(f"{label(key)}: mean per scenario", unit(key),
                              y_format=axis_format(key),
                              points=block.last_row - block.first_row + 1,
                              width=width, height=height)
    for i, lab in enumerate(labels):
        charts.add_line(chart, charts.ref(sheet, block.columns[(key, lab)], block.first_row,
                                          block.last_row), lab,
                        charts.PALETTE[i % len(charts.PALETTE)])
    if key in ("hhi_mean", "hhi_max"):
        for i, (col, _line) in enumerate(block.band_cols):
            charts.add_line(chart, charts.ref(sheet, col, block.first_row, block.last_row),
                            band_line(bands, i), charts.BAND_COLOR,
                            width_pt=1.0, dash="dash")
    chart.set_categories(charts.ref(sheet, block.step_col, block.first_row, block.last_row))
    return charts.finish(chart)


def _ordered_keys() -> list[str]:
    return list(SUMMARY_METRICS) + [k for k in METRIC_KEYS if k not in SUMMARY_METRICS]
