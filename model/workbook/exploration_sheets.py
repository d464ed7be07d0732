"""The sheets of an exploration (MODEL.md section 8): Robustness (the policies ranked, with
their regret and settings), Discovery (PRIM's box in words, its limits, its trajectory and a
chart of coverage against density), Sensitivity indices (SALib's table, a bar chart per
metric) and Futures (one row per future and policy, an Excel table)."""
from __future__ import annotations

from model.engine.metrics import METRIC
from model.engine.outcome import ADVERSE, BENIGN, MIXED, OUTCOMES
from model.exploration.prim import significance_words
from model.exploration.robustness import BETTER
from model.parameters import LEVERS, PARAMETERS
from model.workbook import charts
from model.workbook.cells import TITLE_FONT
from model.workbook.formats import number_format, shown_shares
from model.workbook.grid import LABEL_FONT, NOTE_FONT, Grid, Styled

ROBUSTNESS_SHEET, DISCOVERY_SHEET = "Robustness", "Discovery"
INDICES_SHEET, FUTURES_SHEET = "Sensitivity indices", "Futures"
ROBUSTNESS_WIDTHS = [6, 22] + [12] * 16
DISCOVERY_WIDTHS = [26, 24, 12, 12, 12, 12, 13, 12, 10, 3] + [9] * 12
INDICES_WIDTHS = [20, 24, 24, 10, 10, 10, 10, 6, 40, 3] + [9] * 16
OUTCOME_COLORS = {BENIGN: "548235", MIXED: "BF9000", ADVERSE: "C00000"}
TOP_BARS = 8  # factors per sensitivity chart
_SHORT = {"hhi_mean": "HHI", "active_smes": "SMEs", "dependency_index": "dependency",
          "talent_gini": "Gini", "foreign_share": "foreign"}
CHART_W, CHART_H, CHART_ROWS = 12.5, 7.5, 16


def build_robustness(x) -> Grid:
    grid = Grid()
    grid.put(1, 1, "Robustness of the policies", font=TITLE_FONT)
    grid.put(2, 1, f"{len(x.futures):,} futures of what we do not know, each run under every "
                   f"policy on the same seeds ({_seeds(x)}). Ranked by the share of futures "
                   "that do not end adverse. Regret: in each future, how far the policy's end "
                   "value is from the best policy's, in the metric's units (0: the best).",
             font=NOTE_FONT)
    row = grid.section(4, 1, "Outcome shares and regret")
    header = ["Rank", "Policy", "Futures", "Benign", "Mixed", "Adverse", "Not adverse"]
    header += [f"Regret, {_SHORT[k]} (mean)" for k in BETTER]
    header += [f"Regret, {_SHORT[k]} (largest)" for k in BETTER]
    header.append("Note (best against intuition)")
    rows = []
    for r in x.robustness.to_dict("records"):
        cells = [r["rank"], r["policy"], r["futures"]]
        shown = shown_shares(r, OUTCOMES)  # the order of every other view: same ties
        cells += [Styled(shown[o], "0%") for o in (BENIGN, MIXED, ADVERSE)]
        cells.append(Styled(1 - shown[ADVERSE], "0%"))
        cells += [Styled(r[f"regret_{k}_mean"], _regret_format(k)) for k in BETTER]
        cells += [Styled(r[f"regret_{k}_max"], _regret_format(k)) for k in BETTER]
        cells.append(Styled(r.get("note") or "", indent=1))
        rows.append(cells)
    grid.table("Robustness_Ranking", row, 1, header, rows, header_lines=3)
    first, last = row + 1, row + len(rows)
    chart = charts.tornado_chart("Share of futures by outcome", "share of futures",
                                 value_format="0%", width=CHART_W, height=CHART_H)
    chart.grouping, chart.overlap = "percentStacked", 100
    for col, outcome in ((4, BENIGN), (5, MIXED), (6, ADVERSE)):
        charts.add_bars(chart, charts.ref(ROBUSTNESS_SHEET, col, first, last), outcome,
                        OUTCOME_COLORS[outcome])
    chart.set_categories(charts.ref(ROBUSTNESS_SHEET, 2, first, last))
    row = last + 2
    grid.chart(charts.finish(chart), row, 2)
    row += CHART_ROWS + 1
    return _policies_table(grid, row, x)


def _regret_format(key: str) -> str:
    return number_format(key, averaged=True)


def _policies_table(grid: Grid, row: int, x) -> Grid:
    row = grid.section(row, 1, "The policies: lever values and schedules")
    table = x.policy_settings
    header = ["Policy", "Preset", *[PARAMETERS[k].label for k in LEVERS], "Schedules"]
    rows = [[r["policy"], r["preset"] or "none (the scenario as given)",
             *[Styled(r[k], "0.00") for k in LEVERS], r["schedules"] or "none"]
            for r in table.to_dict("records")]
    grid.table("Robustness_Policies", row, 2, header, rows, header_lines=3)
    return grid


def build_discovery(x) -> Grid:
    grid = Grid()
    grid.put(1, 1, f"Scenario discovery: when does the {x.outcome} outcome happen?",
             font=TITLE_FONT)
    grid.put(2, 1, f"PRIM over the {len(x.futures):,} futures of policy {x.discovery_policy!r}"
                   f": the box of uncertain values that holds most of the {x.outcome} futures "
                   "while being mostly made of them.", font=NOTE_FONT)
    found = x.discovery
    if found is None:
        grid.put(4, 1, f"No future ended {x.outcome} under policy {x.discovery_policy!r}: "
                       "there is nothing to discover.", font=LABEL_FONT)
        return grid
    box = found.box
    grid.put(4, 1, found.rules(x.outcome, _labels(found.columns)), font=LABEL_FONT)
    share = found.total_of_interest / found.futures
    grid.put(5, 1, f"{found.total_of_interest:,} of {found.futures:,} futures ended "
                   f"{x.outcome} ({share:.0%}). The box shown is the one of widest coverage "
                   f"among those at least 80 % dense (box {found.chosen} of the trajectory); "
                   "a restriction is significant when its quasi-p-value is below 0.05.",
             font=NOTE_FONT)
    grid.put(6, 1, f"Box volume: {found.volume():.1%} of the explored space (product of the "
                   f"box's width over the range on each restricted uncertainty); mass "
                   f"{box.mass:.0%}; significance: {found.significance()}.", font=LABEL_FONT)
    for r in (2, 4, 5, 6):  # long lines wrap across the table's width (they ran off)
        _wrap_across(grid, r, DISCOVERY_WIDTHS[:9])
    row = grid.section(7, 1, f"The box: {len(box.restricted)} restricted "
                             f"uncertaint{'y' if len(box.restricted) == 1 else 'ies'}")
    ranges = {u.key: u for u in x.space}
    rows = []
    for r in found.restrictions():
        u = ranges[r["dimension"]]
        fmt = range_format(u.low, u.high)
        rows.append([PARAMETERS[r["dimension"]].label, r["dimension"],
                     Styled(r["low"], fmt) if r["low"] is not None else
                     Styled("no limit", indent=1),
                     Styled(r["high"], fmt) if r["high"] is not None else
                     Styled("no limit", indent=1),
                     Styled(u.low, fmt), Styled(u.high, fmt),
                     Styled(r["qp"], "0.0E+00"), "yes" if r["significant"] else "no",
                     Styled(significance_words(r["qp"]), indent=1)])
    header = ["Uncertainty", "Key", "Box from", "Box to", "Explored from", "Explored to",
              "Quasi-p-value", "Significant", "In words"]
    if rows:
        grid.table("Discovery_Box", row, 1, header, rows, header_lines=2)
    row += len(rows) + 2
    return _trajectory(grid, row, found)


def _wrap_across(grid: Grid, row: int, widths: list[float]) -> None:
    """The text of (row, 1) wrapped across `widths` (merged, as tall as its lines)."""
    import math

    text = str(grid.value(row, 1) or "")
    grid.restyle(row, 1, wrap=True, valign="top")
    grid.merge(row, 1, len(widths))
    grid.heights[row] = 15.0 * max(1, math.ceil(len(text) / (1.1 * sum(widths))))


def range_format(low: float, high: float) -> str:
    """Enough decimals to tell values of a range apart: 0.0056 as 0.0056, 1.2153 as 1.215."""
    span = max(abs(low), abs(high))
    return "0.0" if span >= 100 else "0.000" if span >= 0.1 else "0.0000"


def _trajectory(grid: Grid, row: int, found) -> Grid:
    row = grid.section(row, 1, "Peeling trajectory: each box from the whole space inward")
    frame = found.trajectory
    rows = [[int(r["step"]), Styled(r["coverage"], "0.0%"), Styled(r["density"], "0.0%"),
             Styled(r["mass"], "0.0%"), int(r["futures"]), int(r["of_interest"]),
             int(r["restricted"]), "chosen" if int(r["step"]) == found.chosen else "",
             Styled(found.volume(int(r["step"])), "0.0%")]
            for r in frame.to_dict("records")]
    header = ["Box", "Coverage", "Density", "Mass", "Futures in box", "Of interest",
              "Restricted", "Shown", "Volume"]
    grid.table("Discovery_Trajectory", row, 1, header, rows, header_lines=2)
    first, last = row + 1, row + len(rows)
    chart = charts.scatter_chart("Coverage against density", "coverage", "density",
                                 x_format="0%", y_format="0%", width=CHART_W,
                                 height=CHART_H + 2)
    for axis in (chart.x_axis, chart.y_axis):
        axis.scaling.min, axis.scaling.max = 0, 1
    sheet = DISCOVERY_SHEET
    charts.add_points(chart, charts.ref(sheet, 2, first, last),
                      charts.ref(sheet, 3, first, last), "boxes", charts.PALETTE[0])
    chosen = first + found.chosen
    charts.add_points(chart, charts.ref(sheet, 2, chosen, chosen),
                      charts.ref(sheet, 3, chosen, chosen), "the box shown", charts.BAND_COLOR,
                      size=9, symbol="diamond")
    grid.chart(charts.finish(chart), row, 11)  # right of the 9 columns and a gap
    return grid


def build_indices(x) -> Grid:
    grid = Grid()
    study = x.sensitivity_design
    sobol = study.method == "sobol"
    grid.put(1, 1, "Global sensitivity of the end metrics", font=TITLE_FONT)
    what = (f"Sobol indices from {len(study.samples):,} runs (Saltelli's design, N = "
            f"{study.base}): S1, the share of the metric's variance due to the factor alone; "
            "ST, with its interactions. " if sobol else
            f"Morris elementary effects from {study.base} trajectories "
            f"({len(study.samples):,} runs): mu*, the mean absolute effect of moving the "
            "factor (in the metric's units); sigma, how much it depends on the others. ")
    grid.put(2, 1, what + "Intervals: 95 % bootstrap. Factors: the uncertainties and the "
                          "levers no policy fixes, over their ranges.", font=NOTE_FONT)
    columns = ("S1", "S1_conf", "ST", "ST_conf") if sobol else \
        ("mu_star", "mu_star_conf", "sigma")
    names = ("S1", "S1 +-", "ST", "ST +-") if sobol else ("mu*", "mu* +-", "sigma")
    row = grid.section(4, 1, "Indices, largest first within each metric")
    table = x.sensitivity
    rows = [[METRIC[r["metric"]].label, PARAMETERS[r["factor"]].label, r["factor"],
             *[Styled(r[c], "0.000" if sobol else "General") for c in columns],
             *_judged(r)] for r in table.to_dict("records")]
    grid.table("Sensitivity_Indices", row, 1, ["Metric", "Factor", "Key", *names, "Rank",
                                               "Note"], rows, header_lines=2)
    _checks(grid, 3, x.sensitivity_checks)
    for r in (2, 3):  # the notes wrap across the table's width (they ran off the page)
        if grid.value(r, 1):
            _wrap_across(grid, r, INDICES_WIDTHS[:9])
    value_col = 4 + columns.index("ST" if sobol else "mu_star")
    chart_col = len(INDICES_WIDTHS) - 15
    start = row + 1
    for i, metric in enumerate(table["metric"].unique()):
        count = int((table["metric"] == metric).sum())
        last = start + min(count, TOP_BARS) - 1
        chart = charts.tornado_chart(f"{METRIC[metric].label}: "
                                     + ("total index ST" if sobol else "mu*"),
                                     "ST" if sobol else f"mu* ({METRIC[metric].unit})",
                                     width=CHART_W, height=CHART_H)
        charts.add_bars(chart, charts.ref(INDICES_SHEET, value_col, start, last),
                        "ST" if sobol else "mu*", charts.PALETTE[0])
        if sobol:
            charts.add_bars(chart, charts.ref(INDICES_SHEET, 4, start, last), "S1",
                            charts.PALETTE[1])
        chart.set_categories(charts.ref(INDICES_SHEET, 3, start, last))
        # under the header row: a chart on it would repeat with it (print titles)
        grid.chart(charts.finish(chart), row + 1 + i * CHART_ROWS, chart_col)
        start += count
    return grid


def _judged(r: dict) -> list:
    """Rank (empty: not distinguishable from 0; ties share one) and the note of
    model.exploration.sensitivity.judge."""
    rank = None if r["rank"] != r["rank"] else int(r["rank"])
    return [rank, Styled(r["note"] or "", indent=1)]


def _checks(grid: Grid, row: int, checks: dict) -> None:
    """The precision warning and the seed noise, under the sheet's note."""
    from model.exploration.sensitivity import precision_text

    if not checks:
        return
    noise = ", ".join(f"{METRIC[k].label} {v:.0%}" for k, v in
                      checks.get("seed_noise", {}).items() if v == v)
    text = f"{checks['seeds_per_point']} seed(s) per design point, averaged"
    text += f"; the seed's share of the variance of single runs: {noise}" if noise else ""
    warning = precision_text(checks, checks["runs"])
    grid.put(row, 1, text + (". " + warning[0].upper() + warning[1:] if warning else ""),
             font=NOTE_FONT)


def futures_frame(x):
    """The Futures sheet's table: the rows of the exploration, columns in a reading order."""
    keys = [u.key for u in x.space]
    metrics = [k for k in x.rows.columns if k in METRIC]
    return x.rows[["future", "policy", "outcome", *keys, *metrics]]


def futures_formats(x) -> dict[str, str]:
    out = {k: number_format(k, averaged=x.runs_per_future > 1) for k in x.rows.columns
           if k in METRIC}
    out.update({u.key: "General" for u in x.space})
    return out


def _labels(columns) -> dict:
    return {k: PARAMETERS[k].label for k in columns if k in PARAMETERS}


def _seeds(x) -> str:
    first = x.provenance.seed
    n = x.runs_per_future
    return f"seed {first}" if n == 1 else \
        f"seeds {first} to {first + n - 1}, metrics averaged, the most frequent outcome"

