"""Observed patterns (`resources/data/patterns.csv`): what the real ecosystem showed, as a
quantity the model computes at a quarter, with its range, confidence and source.

    id,metric,quarter,value,low,high,confidence,use,source,note

`metric` is a key of model/engine/metrics.py; `quarter` e.g. 2022Q4; `value` may be empty
(then the range [low, high] is the observation); `confidence` high|medium|low sets the
tolerance (TOLERANCE); `use` fit (calibrated against) or holdout (only validated).
"""
from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass

from model.builtin.facts import DATA_DIR
from model.calendar import Quarter
from model.engine.metrics import METRIC_KEYS
from model.errors import InputError
from model.files.csvrows import read_csv_rows

COLUMNS = ("id", "metric", "quarter", "value", "low", "high", "confidence", "use",
           "source", "note")
FIT, HOLDOUT = "fit", "holdout"
USES = (FIT, HOLDOUT)
# The tolerance (one standard deviation) each confidence grants, relative to the observed
# value: the model discrepancy of a stylised model (tens of firms standing for thousands,
# subfields that are not the sources' market definitions) plus how far a source's
# definition may stray from the model's quantity. docs/decisions.md, "Calibration".
TOLERANCE = {"high": 0.10, "medium": 0.15, "low": 0.20}
RANGE_SIGMAS = 4.0  # a given [low, high] around a value is read as +-2 standard deviations
DEFAULT_PATTERNS = str(DATA_DIR / "patterns.csv")


@dataclass(frozen=True)
class Pattern:
    id: str
    metric: str
    quarter: Quarter
    value: float | None  # None: only the range is observed
    low: float | None
    high: float | None
    confidence: str
    use: str
    source: str
    note: str = ""

    @property
    def fitted(self) -> bool:
        return self.use == FIT

    @property
    def reference(self) -> float:
        """The value, or the middle of the range."""
        return self.value if self.value is not None else (self.low + self.high) / 2

    @property
    def observation_var(self) -> float:
        """The observation's variance: with a value, its range read as +-2 sd (0 without
        one); a range alone is matched by its distance (`distance`), its variance 0."""
        if self.value is None or self.low is None or self.high is None:
            return 0.0
        return ((self.high - self.low) / RANGE_SIGMAS) ** 2

    @property
    def tolerance_var(self) -> float:
        return (TOLERANCE[self.confidence] * abs(self.reference)) ** 2

    @property
    def observed_text(self) -> str:
        if self.value is None:
            return f"{self.low:g} to {self.high:g}"
        if self.low is None:
            return f"{self.value:g}"
        return f"{self.value:g} ({self.low:g} to {self.high:g})"

    def distance(self, model):
        """|model - observed|: to the value, or to the nearest end of [low, high] (0
        inside). `model` a number or a numpy array."""
        import numpy as np

        model = np.asarray(model, dtype=float)
        if self.value is not None:
            return np.abs(model - self.value)
        return np.maximum(np.maximum(self.low - model, model - self.high), 0.0)


def file_version(path: str) -> str:
    """The data version of a patterns file: sha256 of its bytes."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def load_patterns(path: str = DEFAULT_PATTERNS) -> list[Pattern]:
    """The patterns of a CSV file, every row checked (InputError naming file, line, fix)."""
    if not os.path.isfile(path):
        raise InputError("no patterns file", file=path,
                         fix="give --patterns FILE.csv with the columns "
                             + ",".join(COLUMNS))
    header, lines, rows = read_csv_rows(path)
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InputError(f"the column {missing[0]!r} is missing", file=path, place="line 1",
                         fix="the header is " + ",".join(COLUMNS))
    index = {c: names.index(c) for c in COLUMNS}
    out, seen = [], set()
    for line, row in zip(lines, rows):
        pattern = _pattern({c: row[index[c]].strip() for c in COLUMNS}, path, line)
        if pattern.id in seen:
            raise InputError(f"the id {pattern.id!r} is given twice", file=path,
                             place=f"line {line}", fix="give every pattern its own id")
        seen.add(pattern.id)
        out.append(pattern)
    if not out:
        raise InputError("the file has no pattern", file=path, fix="add one row per pattern")
    return out


def _pattern(cells: dict[str, str], path: str, line: int) -> Pattern:
    def refuse(message: str, fix: str):
        raise InputError(message, file=path, place=f"line {line}", fix=fix)

    if not cells["id"]:
        refuse("the id is empty", "give every pattern an id, e.g. cloud_leader_2021")
    if cells["metric"] not in METRIC_KEYS:
        refuse(f"{cells['metric']!r} is not a metric", "use a key of model/engine/"
               "metrics.py, e.g. hhi_mean, cr4_mean, active_smes")
    try:
        quarter = Quarter.parse(cells["quarter"])
    except InputError as exc:
        refuse(f"quarter: {exc.message}", exc.fix)
    value, low, high = (_number(cells[c], c, refuse) for c in ("value", "low", "high"))
    if (low is None) != (high is None):
        refuse("only one end of the range is given", "give both low and high, or neither")
    if value is None and low is None:
        refuse("neither a value nor a range is given", "give value, or low and high")
    if low is not None and not low <= high:
        refuse(f"low {low:g} is above high {high:g}", "give low <= high")
    if value is not None and low is not None and not low <= value <= high:
        refuse(f"the value {value:g} is outside its range {low:g} to {high:g}",
               "give a value inside [low, high]")
    if cells["confidence"] not in TOLERANCE:
        refuse(f"confidence {cells['confidence']!r} is not one of "
               f"{', '.join(TOLERANCE)}", "write high, medium or low")
    if cells["use"] not in USES:
        refuse(f"use {cells['use']!r} is neither fit nor holdout", "write fit or holdout")
    if not cells["source"]:
        refuse("the source is empty", "every observed fact carries its source")
    pattern = Pattern(cells["id"], cells["metric"], quarter, value, low, high,
                      cells["confidence"], cells["use"], cells["source"], cells["note"])
    if pattern.tolerance_var + pattern.observation_var == 0 and value is not None:
        refuse("the observed value is 0 with no range: no tolerance can be set",
               "give a range low,high around it")
    return pattern


def _number(text: str, column: str, refuse) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        refuse(f"{column} {text[:40]!r} is not a finite number", f"write {column} as a "
               "number such as 0.38, or leave it empty")
    return value


def steps_needed(patterns: list[Pattern], start: Quarter, what: str = "") -> int:
    """The steps a run from `start` needs to reach every pattern's quarter (a pattern
    before the start is refused)."""
    early = [p for p in patterns if p.quarter < start]
    if early:
        raise InputError(f"the pattern {early[0].id!r} is dated {early[0].quarter}, before "
                         f"the start {start}{what}", fix="start the scenario earlier, or "
                                                         "drop the pattern")
    return max(p.quarter - start for p in patterns)
