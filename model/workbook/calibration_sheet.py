"""The Calibration sheet (issue 24): pattern by pattern the observation, its tolerance,
fitted or held out, the model's band before (plausible space) and after (kept samples),
in or out; then the waves, and each coefficient's calibrated range. Its Methodology
section says how the samples were kept and where the method comes from."""
from __future__ import annotations

from model.calibration.implausibility import overlaps
from model.calibration.patterns import TOLERANCE
from model.workbook.cells import TITLE_FONT
from model.workbook.grid import NOTE_FONT, Grid, Styled

CALIBRATION_SHEET = "Calibration"
WIDTHS = [22, 20, 9, 20, 9, 12, 14, 11, 9, 10, 10, 10, 10, 13, 16, 60]
SOURCES = ("Vernon, Goldstein and Bower (2010), Bayesian Analysis 5(4); Andrianakis et al. "
           "(2015), PLoS Computational Biology 11(1); Grimm et al. (2005), Science 310; "
           "McKay, Beckman and Conover (1979), Technometrics 21(2).")


def _num(value, fmt: str | None = None):
    """A number in a readable format: whole thousands for large values, else 3 or 4
    significant decimals (the sheet mixes HHI, counts and shares)."""
    if value is None:
        return ""
    if fmt is None:
        size = abs(value)
        fmt = "#,##0" if size >= 100 else "0.00" if size >= 1 else "0.0000"
    return Styled(value, fmt)


def _verdict(result, b) -> str:
    p = b["pattern"]
    if p.id in result.structural:
        return "missed by every sample (structural)"
    inside = overlaps(p, b["after"])
    if inside is None:
        return "no sample kept"
    return "in" if inside else "out"


def build_calibration(result) -> Grid:
    grid = Grid()
    grid.put(1, 1, "Calibration: history matching against observed patterns", font=TITLE_FONT)
    grid.put(2, 1, f"{result.meta.get('scenario', '')} from {result.meta.get('start', '')}: "
             f"{result.runs:,} runs in {len(result.waves)} waves, {result.seeds} seeds per "
             f"sample; a sample is kept when its largest implausibility over the fitted "
             f"patterns is under {result.cutoff:g}. Band: p5 to p95 of the sample means; "
             "before = the plausible ranges (wave 1), after = the kept samples. Tolerance: "
             "one standard deviation, " + ", ".join(f"{k} confidence {v:.0%}" for k, v in
                                                   TOLERANCE.items()) + " of the value.",
             font=NOTE_FONT)
    row = grid.section(4, 1, "Patterns")
    header = ["Pattern", "Metric", "Quarter", "Observed", "Value", "Low", "High",
              "Tolerance (sd)", "Use", "Before p5", "Before p95", "After p5", "After p95",
              "Least implausibility", "In band (after)", "Source"]
    rows = []
    for b in result.bands():
        p = b["pattern"]
        before, after = b["before"] or (None, None), b["after"] or (None, None)
        rows.append([p.id, p.metric, p.quarter.label, p.observed_text, _num(p.value),
                     _num(p.low), _num(p.high), _num(p.tolerance_var ** 0.5), p.use,
                     _num(before[0]), _num(before[1]), _num(after[0]), _num(after[1]),
                     _num(b["least_implausibility"], "0.00"), _verdict(result, b),
                     Styled(p.source, wrap=False)])
    grid.table("Calibration_Patterns", row, 1, header, rows, header_lines=2)
    row += len(rows) + 2
    row = _waves(grid, row, result)
    return _ranges(grid, row + 1, result)


def _waves(grid: Grid, row: int, result) -> int:
    row = grid.section(row, 1, "Waves")
    rows = [[w.number, len(w.samples), w.runs, int(w.kept.sum()),
             Styled(float(w.kept.mean()), "0.0%"), Styled(w.space_share, "0.00%")]
            for w in result.waves]
    grid.table("Calibration_Waves", row, 1, ["Wave", "Samples", "Runs", "Kept",
                                             "Kept share", "Space not implausible"], rows,
               header_lines=2)
    row += len(rows) + 1
    if result.stopped_early:
        grid.put(row, 1, f"Stopped: {result.stopped_early}", font=NOTE_FONT)
        row += 1
    return row + 1


def _ranges(grid: Grid, row: int, result) -> Grid:
    row = grid.section(row, 1, "Coefficients: plausible and calibrated ranges")
    ranges, best = result.ranges(), result.representative() or {}
    rows = []
    for u in result.space:
        low, high = ranges.get(u.key, (None, None))
        width = None if low is None else (high - low) / (u.high - u.low)
        rows.append([u.key, _num(u.low), _num(u.high), _num(low), _num(high),
                     _num(width, "0%"), _num(best.get(u.key))])
    grid.table("Calibration_Ranges", row, 1, ["Coefficient", "Plausible low",
                                              "Plausible high", "Calibrated low",
                                              "Calibrated high", "Width kept",
                                              "Representative"], rows, header_lines=2)
    return grid


def calibration_section(grid, row: int, result, text, heading) -> int:
    """The Methodology sheet's section (its own writers `text` and `heading`)."""
    row = heading(grid, row, "Calibration: which coefficient sets reproduce what happened",
                  ("Step", "What it does", "Source"))
    row = text(grid, row, "Patterns", "Each observed pattern is a quantity the model "
               "computes, at a quarter, with its value or range, its source and a "
               "confidence that sets its tolerance (Calibration sheet). Patterns marked "
               "fit decide which samples are kept; those held out only validate.", SOURCES)
    row = text(grid, row, "Implausibility", "I = |model mean - observed| / sqrt(observation "
               "variance + tolerance variance + seed variance / seeds); for a range, the "
               "distance to its nearest end (0 inside). A sample is kept when its largest I "
               f"over the fitted patterns is under {result.cutoff:g}.", "")
    row = text(grid, row, "Waves", "Wave 1 draws a Latin hypercube over the plausible "
               "ranges; each later wave draws inside the bounding box of the samples kept "
               "so far. A fitted pattern that no sample of wave 1 reproduces is reported as "
               "structural (the model cannot produce it) and its tolerance is not widened.",
               "")
    return row
