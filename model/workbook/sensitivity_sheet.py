"""The Sensitivity sheet: the tornado table (one parameter at a time, low and high) with one
horizontal bar chart per metric, and a sweep's values and end metrics with line charts."""
from __future__ import annotations

from model.engine.metrics import METRIC_KEYS
from model.engine.outcome import OUTCOMES
from model.parameters import PARAMETERS
from model.workbook import charts
from model.workbook.cells import TITLE_FONT
from model.workbook.context import sweep_parameter
from model.workbook.formats import (CHART_METRICS, SUMMARY_METRICS, axis_format,
                                    change_format, label, number_format, unit)
from model.workbook.grid import NOTE_FONT, Grid, Styled

SENSITIVITY_SHEET = "Sensitivity"
_TORNADO = (("Metric", 22), ("Parameter", 24), ("Key", 22), ("Low", 8), ("Base", 8),
            ("High", 8), ("Metric at low", 12), ("Metric at base", 12),
            ("Metric at high", 12), ("Change at low", 12), ("Change at high", 12),
            ("Swing", 11))
WIDTHS = [w for _, w in _TORNADO] + [3] + [9] * 16
CHART_W, CHART_H, CHART_ROWS = 12.5, 7.0, 15
SWEEP_CHART_W = 11.0


def build_sensitivity(briefing) -> Grid:
    grid = Grid()
    grid.put(1, 1, "Sensitivity of the end metrics", font=TITLE_FONT)
    grid.put(2, 1, f"End values after {briefing.steps} quarters, means over the runs of each "
                   "setting; every setting ran on the same seeds. Illustrative coefficients: "
                   "read the direction and the ranking, not the exact values.", font=NOTE_FONT)
    row = 4
    if briefing.sensitivity is not None and len(briefing.sensitivity):
        row = _tornado(grid, row, briefing.sensitivity) + 1
    if briefing.sweep is not None:
        _sweep(grid, row, briefing.sweep)
    return grid


def _tornado(grid: Grid, row: int, table) -> int:
    row = grid.section(row, 1, "One parameter at a time (tornado): each moved to its low and "
                               "high value, the others kept")
    top = row
    metrics = _metric_order(table["metric"].unique())
    rows, spans = [], []
    for metric in metrics:
        part = table[table["metric"] == metric].sort_values("swing", ascending=False,
                                                            kind="stable")
        start = top + 1 + len(rows)
        rows += [_tornado_row(rec) for rec in part.to_dict("records")]
        spans.append((metric, start, top + len(rows)))
    grid.table("Sensitivity_Tornado", top, 1, [name for name, _ in _TORNADO], rows,
               header_lines=2)
    chart_col = len(_TORNADO) + 2
    second = chart_col + charts.columns_spanning(CHART_W + 0.4, WIDTHS[chart_col - 1:])
    for i, (metric, first, last) in enumerate(spans):
        grid.chart(_tornado_chart(metric, first, last), top + (i // 2) * CHART_ROWS,
                   chart_col if i % 2 == 0 else second)
    chart_end = top + ((len(spans) + 1) // 2) * CHART_ROWS
    return max(top + len(rows) + 1, chart_end) + 1


def _tornado_row(rec: dict) -> list:
    key, param = rec["metric"], str(rec["parameter"])
    fmt, change = number_format(key, averaged=True), change_format(key, averaged=True)
    return [label(key) if key in METRIC_KEYS else key, rec.get("label") or param, param,
            Styled(rec["low"], "General"), Styled(rec["base"], "General"),
            Styled(rec["high"], "General"), Styled(rec["low_end"], fmt),
            Styled(rec["base_end"], fmt), Styled(rec["high_end"], fmt),
            Styled(rec["low_change"], change), Styled(rec["high_change"], change),
            Styled(rec["swing"], fmt)]


def _tornado_chart(metric: str, first: int, last: int):
    name = label(metric) if metric in METRIC_KEYS else metric
    chart = charts.tornado_chart(f"{name}: change of the end value",
                                 f"change ({unit(metric)})" if metric in METRIC_KEYS else "",
                                 value_format=axis_format(metric)
                                 if metric in METRIC_KEYS else None,
                                 width=CHART_W, height=CHART_H)
    sheet = SENSITIVITY_SHEET
    charts.add_bars(chart, charts.ref(sheet, 10, first, last), "at the low value",
                    charts.PALETTE[0])
    charts.add_bars(chart, charts.ref(sheet, 11, first, last), "at the high value",
                    charts.PALETTE[1])
    chart.set_categories(charts.ref(sheet, 2, first, last))
    return charts.finish(chart)


def _sweep(grid: Grid, row: int, table) -> int:
    """Values across, metrics down (a sweep has few values and many metrics): a table one
    screen wide, whose rows the charts draw."""
    key = sweep_parameter(table)
    title = PARAMETERS[key].label
    row = grid.section(row, 1, f"Sweep of {title} ({key}): end values for each setting")
    charted = [m for m in CHART_METRICS if f"{m}_mean" in table.columns]
    chart_top = row
    row += CHART_ROWS + 1 if charted else 0
    values = table[key].tolist()
    rows, where = [], {}
    for column in table.columns[1:]:
        metric, stat = _split(str(column))
        fmt = "0%" if metric is None else number_format(metric, averaged=True)
        where[str(column)] = row + 1 + len(rows)
        rows.append([label(metric) if metric else "Outcome share", stat, str(column)] +
                    [Styled(v, fmt) for v in table[column].tolist()])
    header = ["Metric", "Statistic", "Column"] + [f"{v:g}" for v in values]
    grid.table("Sensitivity_Sweep", row, 1, header, rows, header_lines=2)
    first, last = 4, 3 + len(values)
    col = 1
    for metric in charted:
        chart = _sweep_chart(metric, title, row, where, first, last)
        grid.chart(chart, chart_top, col)
        col += charts.columns_spanning(SWEEP_CHART_W + 0.4, WIDTHS[col - 1:])
    return row + len(rows) + 2


def _sweep_chart(metric: str, title: str, header_row: int, where: dict, first: int,
                 last: int):
    chart = charts.line_chart(f"{label(metric)} at the end", unit(metric),
                              y_format=axis_format(metric), x_title=title,
                              width=SWEEP_CHART_W, height=CHART_H)
    sheet = SENSITIVITY_SHEET
    charts.add_line(chart, charts.row_ref(sheet, where[f"{metric}_mean"], first, last),
                    "mean", charts.PALETTE[0])
    for band, name in (("p5", "5th percentile"), ("p95", "95th percentile")):
        if f"{metric}_{band}" in where:
            charts.add_line(chart, charts.row_ref(sheet, where[f"{metric}_{band}"], first,
                                                  last), name, charts.PALETTE[5],
                            width_pt=1.0, dash="sysDash")
    chart.set_categories(charts.row_ref(sheet, header_row, first, last))
    return charts.finish(chart)


def _split(column: str) -> tuple[str | None, str]:
    """`hhi_mean_p95` -> (hhi_mean, p95); `share_benign` -> (None, benign)."""
    if column.startswith("share_") and column[6:] in OUTCOMES:
        return None, column[6:]
    for key in sorted(METRIC_KEYS, key=len, reverse=True):
        if column.startswith(key + "_"):
            return key, column[len(key) + 1:]
    return None, column


def _metric_order(metrics) -> list[str]:
    order = list(SUMMARY_METRICS) + list(METRIC_KEYS)
    return sorted(metrics, key=lambda m: order.index(m) if m in order else len(order))
