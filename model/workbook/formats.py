"""How the briefing shows each metric: its label, number format and HHI band.

The labels and units come from `model.engine.metrics.METRICS` (the one source of metric
names); this module only maps units to Excel number formats.
"""
from __future__ import annotations

from model.engine.metrics import METRIC
from model.thresholds import BandSet

# Excel number formats by metric unit: HHI as whole points, shares as percentages.
_UNIT_FORMATS = {"HHI": "#,##0", "share": "0.0%", "firms": "#,##0", "K": "0.00",
                 "index": "0.000", "Gini": "0.000"}
_SIGNED = {"#,##0": "+#,##0;-#,##0;0", "#,##0.0": "+#,##0.0;-#,##0.0;0.0",
           "0.0%": "+0.0%;-0.0%;0.0%", "0.00": "+0.00;-0.00;0.00",
           "0.000": "+0.000;-0.000;0.000"}
HHI_KEYS = ("hhi_mean", "hhi_max")

# The metrics a brief shows first (Summary table, charts); every metric is in TimeSeries.
SUMMARY_METRICS = ("hhi_mean", "hhi_max", "cr4_mean", "active_smes", "active_foreign",
                   "sme_capability_mean", "dependency_index", "openness_mean", "abuse_mean",
                   "talent_gini", "brain_drain_index", "foreign_share", "acquisitions_cum",
                   "exits_cum", "entries_cum")
CHART_METRICS = ("hhi_mean", "active_smes", "dependency_index", "talent_gini")
COMPARISON_CHART_METRICS = CHART_METRICS + ("foreign_share", "openness_mean")


def label(key: str) -> str:
    return METRIC[key].label


def unit(key: str) -> str:
    return METRIC[key].unit


def number_format(key: str, *, averaged: bool = False) -> str:
    """The format of a metric's values; an average of a count keeps one decimal."""
    fmt = _UNIT_FORMATS.get(METRIC[key].unit, "0.000")
    if averaged and METRIC[key].integer:
        return "#,##0.0"
    return fmt


def change_format(key: str, *, averaged: bool = False) -> str:
    """The same format with an explicit sign, for changes and differences."""
    fmt = number_format(key, averaged=averaged)
    return _SIGNED.get(fmt, fmt)


def axis_format(key: str) -> str:
    """Axis labels: percentages without decimals, the rest as the values."""
    fmt = number_format(key)
    return "0%" if fmt.endswith("%") else fmt


def band_text(key: str, value: float | None, bands: BandSet) -> str:
    """The concentration band an HHI value falls in; empty for other metrics."""
    if key not in HHI_KEYS or value is None or value != value:
        return ""
    return bands.band_of(value)


def band_span(key: str, low: float, high: float, bands: BandSet) -> str:
    """The band(s) of a p5-p95 range: one label when both ends fall in the same band."""
    a, b = band_text(key, low, bands), band_text(key, high, bands)
    return a if a == b else f"{a} to {b}"


def shown_shares(shares, keys) -> dict[str, float]:
    """Shares as the brief shows them: whole percents summing to 100 (`model.shares`), as
    fractions for a "0%" cell, so that the cell's value is the figure it shows."""
    from model.shares import whole_percents

    return {k: v / 100 for k, v in whole_percents({k: shares.get(k, 0.0) for k in keys}).items()}


_PP = '+0.0" pp";-0.0" pp";0.0" pp"'


def change_styled(key: str, change: float, *, averaged: bool = False):
    """A change or difference as a cell: a share's change in percentage points ("+7.6 pp",
    the value times 100 so that the cell holds what it shows), others signed in the
    metric's format."""
    from model.workbook.grid import Styled

    if METRIC[key].unit == "share":
        return Styled(change * 100, _PP)
    return Styled(change, change_format(key, averaged=averaged))


def lever_format() -> str:
    """Every lever value, on every sheet, with two decimals: 0.30."""
    return "0.00"


def band_line(bands: BandSet, i: int) -> str:
    """The legend of an HHI band line: '1,500: moderately concentrated' (the band that
    begins at the line)."""
    line = bands.lines[i]
    return f"{line:,.0f}: {bands.bands[i + 1].label}"


def schedule_words(text: str) -> str:
    """'2024Q1:0,2029Q1~1' as '0 from 2024Q1, ramp to 1 by 2029Q1' (values as 0.80)."""
    words = []
    for change in text.split(","):
        ramp = "~" in change
        quarter, value = change.split("~" if ramp else ":")
        shown = _lever_number(value)
        words.append(f"ramp to {shown} by {quarter}" if ramp else f"{shown} from {quarter}")
    return ", ".join(words)


def _lever_number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:.2f}" if round(number, 2) == number else f"{number:g}"


_BAND_WORDS = {"mean": "mean", "p5": "p5", "p50": "median", "p95": "p95"}
_PLAIN_COLUMNS = {"step": "Step", "quarter": "Quarter", "future": "Future",
                  "policy": "Policy", "outcome": "Outcome"}


def column_label(name: str) -> str | None:
    """A data sheet column's header for people: a metric's label and unit from
    `model.engine.metrics` ("HHI (mean) [HHI]", with its band: "..., p95"), a
    parameter's from `model.parameters`; None for a column with no label."""
    from model.parameters import PARAMETERS

    if name in _PLAIN_COLUMNS:
        return _PLAIN_COLUMNS[name]
    key, band = name, ""
    if name not in METRIC and "_" in name:
        head, tail = name.rsplit("_", 1)
        if head in METRIC and tail in _BAND_WORDS:
            key, band = head, _BAND_WORDS[tail]
    if key in METRIC:
        m = METRIC[key]
        text = f"{m.label} [{m.unit}]" if m.unit else m.label
        return f"{text}, {band}" if band else text
    spec = PARAMETERS.get(name)
    if spec is not None:
        return f"{spec.label} [{spec.unit}]" if spec.unit else spec.label
    return None
