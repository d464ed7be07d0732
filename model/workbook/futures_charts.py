"""An exploration over time (issue 26): each policy's median and p5-p95 band per quarter
across the futures (`Exploration.step_bands`, computed by model.exploration.step_bands),
as the data sheet "Futures over time" and, on the Summary, one chart per metric and policy.

Excel draws one stacked area per axis group, so one chart holds one policy's band; the
charts of one metric share their value axis, so that the policies read side by side.
"""
from __future__ import annotations

import math

from model.workbook import charts, pages
from model.workbook.formats import (CHART_METRICS, HHI_KEYS, axis_format, band_line, label,
                                    number_format, unit)
from model.workbook.grid import NOTE_FONT, SECTION_FONT, Grid

BANDS_SHEET = "Futures over time"
FIRST_ROW = 3  # under the labels for people and the keys (`write_frame(labels=True)`)


def has_bands(x) -> bool:
    return x is not None and getattr(x, "step_bands", None) is not None


def bands_frame(x):
    """The sheet's table: policy, step, quarter, then KEY_mean, KEY_p5, KEY_p50, KEY_p95."""
    return x.step_bands.reset_index(drop=True)


def bands_formats(x) -> dict[str, str]:
    out = {"step": "0"}
    for column in x.step_bands.columns:
        key = column.rsplit("_", 1)[0]
        if column not in ("policy", "step", "quarter"):
            out[column] = number_format(key, averaged=True)
    return out


def write_bands(wb, x, **options) -> None:
    from model.workbook.network_sheets import write_frame

    write_frame(wb, BANDS_SHEET, bands_frame(x), formats=bands_formats(x), freeze="D2",
                labels=True, **options)


def _rows(x, p: int) -> tuple[int, int]:
    """The sheet rows of policy p's steps."""
    steps = int(x.step_bands["step"].max()) + 1
    first = FIRST_ROW + p * steps
    return first, first + steps - 1


def add_charts(grid: Grid, row: int, b, widths: list[float], col: int, size) -> int:
    """The charts over the futures from `row` (a heading, then per metric its policies two
    across), their band widths and HHI lines in chart-data columns from `col`; returns
    the next free row."""
    x = b.exploration
    frame = x.step_bands
    width, height = size
    rows = pages.chart_rows(height) + 1
    second = charts.anchor_at(width + 0.4, widths)  # right of the first chart
    grid.put(row, 1, f"Over the futures: each policy's median and 5th to 95th percentile per "
                     f"quarter ({x.step_bands_futures:,} futures per policy)",
             font=SECTION_FONT)
    grid.keep(row, row + rows)
    note_row = row + 1
    grid.put(note_row, 1, _note(x), font=NOTE_FONT)
    lines_col = _line_data(grid, b, col, len(frame))
    width_col = lines_col + len(b.bands.lines)
    top = note_row + 1
    lines = 0
    for k, key in enumerate(CHART_METRICS):
        low, high = nice_range(frame[f"{key}_p5"].min(), frame[f"{key}_p95"].max())
        c = width_col + k
        grid.put(1, c, f"p5 to p95 width, {label(key)} (chart data)", font=NOTE_FONT)
        for r, value in enumerate((frame[f"{key}_p95"] - frame[f"{key}_p5"]).tolist(),
                                  start=FIRST_ROW):
            grid.put(r, c, value, number_format="General")
        for p, policy in enumerate(x.policies):
            line, side = _place(k, p, len(x.policies))
            chart = _chart(b, key, p, policy, c, lines_col, (low, high), size)
            grid.chart(chart, top + line * rows, *((1, 0.0) if side == 0 else second))
            lines = max(lines, line + 1)
    return top + lines * rows + 1


def _place(k: int, p: int, policies: int) -> tuple[int, int]:
    """(row of charts, left or right) of metric k's chart of policy p: one policy, two
    metrics a row; more, each metric starts a row, its policies two across."""
    if policies == 1:
        return k // 2, k % 2
    return k * math.ceil(policies / 2) + p // 2, p % 2


def _note(x) -> str:
    sampled = len(x.futures)
    kept = x.step_bands_futures
    whose = "every future" if kept >= sampled else \
        f"the first {kept:,} of the {sampled:,} futures sampled (a random subset)"
    seeds = "" if x.runs_per_future == 1 else f", each the mean of its {x.runs_per_future} runs"
    return (f"Bands over {whose}{seeds}; the charts of one metric share their scale. Data: "
            f"the {BANDS_SHEET} sheet.")


def _chart(b, key: str, p: int, policy: str, width_col: int, lines_col: int, scale,
           size):
    from model.workbook.summary_sheet import SUMMARY_SHEET

    x = b.exploration
    first, last = _rows(x, p)
    sheet = BANDS_SHEET
    columns = list(x.step_bands.columns)
    column = lambda name: columns.index(name) + 1  # noqa: E731
    chart = charts.line_chart(f"{label(key)} under {policy}", unit(key),
                              y_format=axis_format(key), points=last - first + 1,
                              width=size[0], height=size[1])
    quarters = charts.ref(sheet, column("quarter"), first, last)
    charts.add_line(chart, charts.ref(sheet, column(f"{key}_p50"), first, last),
                    "median of the futures", charts.PALETTE[p % len(charts.PALETTE)])
    if key in HHI_KEYS:
        for i in range(len(b.bands.lines)):
            charts.add_line(chart, charts.ref(SUMMARY_SHEET, lines_col + i, first, last),
                            band_line(b.bands, i), charts.BAND_COLOR, width_pt=1.0,
                            dash="dash")
    charts.add_band(chart, charts.ref(sheet, column(f"{key}_p5"), first, last),
                    charts.ref(SUMMARY_SHEET, width_col, first, last), quarters,
                    "5th to 95th percentile of the futures")
    chart.set_categories(quarters)
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = scale
    return charts.finish(chart)


def _line_data(grid: Grid, b, col: int, count: int) -> int:
    """The HHI band lines, one column per line, on the sheet's rows (chart data)."""
    for i, line in enumerate(b.bands.lines):
        grid.put(1, col + i, f"Band line {line:,.0f} (chart data)", font=NOTE_FONT)
        for r in range(FIRST_ROW, FIRST_ROW + count):
            grid.put(r, col + i, line, number_format="#,##0")
    return col


def nice_range(low: float, high: float) -> tuple[float, float]:
    """Axis limits on round numbers (steps of 1, 2 or 5 times a power of ten) holding
    low..high: the same for every policy's chart of a metric."""
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high)):
        return 0.0, 1.0
    span = high - low or abs(high) or 1.0
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    bottom = math.floor(low / step) * step
    if low >= 0 > bottom:
        bottom = 0.0
    return bottom, math.ceil(high / step) * step
