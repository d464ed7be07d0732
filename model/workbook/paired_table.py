"""The Comparison sheet's paired end differences against the reference (issue 23 item 3):
the numbers of model.experiments.paired, the ones `compare` prints and the JSON holds."""
from __future__ import annotations

from model.experiments.paired import END_DIFFERENCE_METRICS, end_differences, reference_label
from model.workbook.formats import change_format, label
from model.workbook.grid import NOTE_FONT, Grid, Styled

HEADER = ["Scenario", "Metric", "Difference (mean)", "Difference p5", "Difference p95",
          "Standard error", "Mean, at two standard errors", "Single runs"]


def paired_block(grid: Grid, row: int, comparison) -> int:
    """A section with one row per (scenario, metric); returns the next free row."""
    ref = reference_label(comparison)
    ends = end_differences(comparison, ref)
    if not ends:
        return row
    row = grid.section(row, 1, f"Paired end differences to {ref} (run k minus run k of "
                               f"{ref}, common seeds)")
    rows = []
    for lab, metrics in ends.items():
        for key in END_DIFFERENCE_METRICS:
            b, fmt = metrics[key], change_format(key, averaged=True)
            rows.append([lab, label(key), Styled(b["mean"], fmt), Styled(b["p5"], fmt),
                         Styled(b["p95"], fmt), Styled(b["se"], fmt), _verdict(b),
                         Styled("differ in sign (p5-p95 includes 0)" if b["band_includes_0"]
                                else "same sign", indent=1)])
    grid.table("Comparison_Paired", row, 1, HEADER, rows, header_lines=2)
    row += len(rows) + 1
    grid.put(row, 1, "A p5-p95 band is the spread of the effect over runs; the standard "
                     "error is the uncertainty of its mean.", font=NOTE_FONT)
    return row + 2


def _verdict(b: dict) -> Styled:
    text = "distinguishable from 0" if b["distinguishable"] else \
        f"not distinguishable from 0 after {b['runs']} runs"
    return Styled(text, indent=1)
