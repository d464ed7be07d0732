"""The Summary sheet's honest part (issue 23): the label of each dimension, the overall
rule, and for an ensemble the distance to the thresholds and the shares when every
threshold moves (model.engine.dimensions and model.engine.margins compute; this lays out)."""
from __future__ import annotations

import math

from model.engine import dimensions, margins
from model.engine.outcome import OUTCOMES
from model.workbook.formats import shown_shares
from model.workbook.grid import LABEL_FONT, NOTE_FONT, Grid, Styled

_FIGURE_FORMATS = {"hhi": "#,##0", "sme_change": "+0%;-0%;0%", "dependency": "0.00",
                   "gini_rise": "+0.000;-0.000;0.000"}


def dimension_block(grid: Grid, row: int, b, widths: list[float] | None = None) -> int:
    """Per dimension its label (a run) or the share of each label (an ensemble), then the
    rule that joins them into the overall label, wrapped across `widths`. None for an
    exploration: its data sheets' one run is not what it reports."""
    if getattr(b, "exploration", None) is not None:
        return row
    row = grid.section(row, 1, "Outcome by dimension (each with its own thresholds)")
    if b.stats is None:
        judged = dimensions.judged_run(b.result)
        rows = [[d, j["label"], Styled(_figures(j), None, indent=1)]
                for d, j in judged.items()]
        grid.table("Summary_Dimensions", row, 1, ["Dimension", "Label", "Figures"], rows)
    else:
        labels = dimensions.of_result(b.stats)
        rows = [[d] + [Styled(s, "0%") for s in
                       shown_shares(dimensions.shares(labels[d]), OUTCOMES).values()]
                for d in dimensions.DIMENSIONS]
        grid.table("Summary_Dimensions", row, 1, ["Dimension", *[o.capitalize() for o in
                                                                 OUTCOMES]], rows)
    row += len(rows) + 1
    grid.put(row, 1, "Rule", font=LABEL_FONT, valign="top")
    grid.put(row, 2, dimensions.OVERALL_RULE, wrap=bool(widths), valign="top")
    if widths:  # one merged cell as tall as its lines (it ran off the page)
        grid.merge(row, 2, len(widths))
        per_line = 1.1 * sum(widths[1:])
        grid.heights[row] = 15.0 * max(1, math.ceil(len(dimensions.OVERALL_RULE) / per_line))
    grid.keep(row - len(rows) - 2, row)
    return row + 2


def _figures(judged: dict) -> str:
    words = {"hhi": "HHI {:,.0f}", "sme_change": "SMEs {:+.0%}",
             "dependency": "dependency {:.2f}", "gini_rise": "Gini rise {:+.3f}"}
    return ", ".join(words[k].format(v) for k, v in judged.items() if k in words)


READS_WIDTH = 10  # characters of the narrowest column a "Reads" cell sits in


def _line_format(line: float) -> str:
    """Whole numbers for an HHI line (2,500), three decimals for an index or a share."""
    return "#,##0" if abs(line) >= 100 else "0.000"


def threshold_block(grid: Grid, row: int, b, widths: list[float] | None = None) -> int:
    """An ensemble's distance to each threshold and the threshold shift (none for a run)."""
    if b.stats is None:
        return row
    found = margins.of_result(b.stats)
    row = grid.section(row, 1, "Distance to the thresholds (median of the runs)")
    rows = [[m["threshold"], Styled(m["reads"], wrap=True),
             Styled(m["value"], _line_format(m["value"])),
             Styled(m["median"], _line_format(m["value"])),
             Styled(m["relative_margin"], "+0%;-0%;0%"), Styled(m["share_near"], "0%")]
            for m in found["margins"]]
    grid.table("Summary_Thresholds", row, 1, ["Threshold", "Reads", "Line", "Median",
                                              "Margin", "Within 10%"], rows)
    reads_width = widths[1] if widths else READS_WIDTH
    for i, m in enumerate(found["margins"], start=1):  # a two-line "Reads" (it was clipped)
        lines = math.ceil(len(m["reads"]) / reads_width)
        if lines > 1:
            grid.heights[row + i] = max(grid.heights.get(row + i, 15.0), 15.0 * lines)
    row += len(rows) + 1
    text = f"Threshold shift: {margins.SHIFT_MEANING}"
    if widths:  # wrapped across the page (it ran off it)
        from model.workbook.summary_sheet import note

        row = note(grid, row, text, widths)
    else:
        grid.put(row, 1, text, font=NOTE_FONT)
        row += 1
    rows = [[Styled(r["shift"], "+0%;-0%;0%")] +
            [Styled(s, "0%") for s in shown_shares(r, OUTCOMES).values()] +
            [r["majority"]] for r in found["shift"]]
    grid.table("Summary_ThresholdShift", row, 1, ["Shift", *[o.capitalize() for o in
                                                             OUTCOMES], "Majority"], rows)
    row += len(rows) + 1
    if found["fragile"]:
        grid.put(row, 1, found["fragile"][0].upper() + found["fragile"][1:], font=LABEL_FONT)
        row += 1
    return row + 1
