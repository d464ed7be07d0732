"""The result's data sheets: TimeSeries (per step) and the final state of Platforms, Zones
and Firms, each one Excel table with a frozen header and number formats by meaning."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.engine.metrics import METRIC_KEYS
from model.workbook.formats import number_format
from model.workbook.network_sheets import write_frame

TIMESERIES_SHEET = "TimeSeries"
STATE_SHEETS = ("Platforms", "Zones", "Firms")
BANDS = ("mean", "p5", "p50", "p95")

_STATE_FORMATS = {
    "Platforms": {"data": "0.00", "algorithms": "0.00", "compute": "#,##0.0",
                  "compute_effective": "#,##0.0", "quality": "0.000", "openness": "0.0%",
                  "openness_start": "0.0%", "standard_power": "0.000", "abuse": "0.000",
                  "users": "#,##0"},
    "Zones": {"talent": "#,##0.0", "talent_start": "#,##0.0", "amenity": "0.00",
              "support": "0.00", "experience": "0.00", "experience_start": "0.00",
              "firms": "#,##0", "smes": "#,##0", "entrants": "#,##0", "revenue": "#,##0.00"},
    "Firms": {"capability": "0.000", "capability_start": "0.000", "talent": "0.000",
              "share": "0.00%", "revenue": "0.000", "dependency": "0.000", "left_step": "0"},
}


@dataclass(frozen=True)
class TimeSeries:
    """The TimeSeries sheet's table, and where each column lands (for chart references)."""

    frame: pd.DataFrame
    monte_carlo: bool

    @property
    def first_row(self) -> int:
        return 3  # under the labels for people and the keys (`write_frame(labels=True)`)

    @property
    def last_row(self) -> int:
        return len(self.frame) + self.first_row - 1

    def column(self, name: str) -> int:
        """1-based sheet column of a TimeSeries column (`step`, `quarter`, `KEY` or
    `KEY_BAND`)."""
        return self.frame.columns.get_loc(name) + 1

    def mean_column(self, key: str) -> int:
        return self.column(f"{key}_mean" if self.monte_carlo else key)


def time_series(result, monte_carlo=None) -> TimeSeries:
    """Per step: one column per metric of the single run, or its bands for a Monte Carlo."""
    if monte_carlo is not None and len(monte_carlo.runs) > 1:
        columns = ["step", "quarter"] + [f"{k}_{b}" for k in METRIC_KEYS for b in BANDS]
        return TimeSeries(monte_carlo.summary[columns].reset_index(drop=True), True)
    return TimeSeries(result.metrics[["step", "quarter", *METRIC_KEYS]].reset_index(drop=True),
                      False)


def write_time_series(wb, series: TimeSeries, **options) -> None:
    formats = {"step": "0"}
    for key in METRIC_KEYS:
        if series.monte_carlo:
            formats.update({f"{key}_{b}": number_format(key, averaged=True) for b in BANDS})
        else:
            formats[key] = number_format(key)
    write_frame(wb, TIMESERIES_SHEET, series.frame, formats=formats, freeze="C2",
                labels=True, **options)


def write_state_sheets(wb, result, **options) -> None:
    for title, frame in zip(STATE_SHEETS, (result.platforms, result.zones,
                                           readable_firms(result.firms))):
        write_frame(wb, title, frame.reset_index(drop=True), formats=_STATE_FORMATS[title],
                    freeze="C2", **options)


def readable_firms(firms: pd.DataFrame) -> pd.DataFrame:
    """`left_step` blank for firms still alive (the engine marks them -1)."""
    if "left_step" not in firms.columns:
        return firms
    out = firms.copy()
    left = out["left_step"].to_numpy()
    out["left_step"] = pd.array(np.where(left >= 0, left, 0), dtype="Int64")
    out.loc[left < 0, "left_step"] = pd.NA
    return out


def state_rows(result) -> dict[str, int]:
    """Rows each state sheet needs, for checking before anything is written."""
    return {"Platforms": len(result.platforms), "Zones": len(result.zones),
            "Firms": len(result.firms)}
