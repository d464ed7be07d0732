"""The observed patterns (resources/data/patterns.csv) name metrics the engine computes,
at quarters that parse, with ranges that hold their values and a source on every row."""
from __future__ import annotations

import csv
import math

from model.builtin.facts import DATA_DIR
from model.calendar import Quarter
from model.engine.metrics import METRIC_KEYS

COLUMNS = ["id", "metric", "quarter", "value", "low", "high", "confidence", "use", "source",
           "note"]


def _rows():
    with open(DATA_DIR / "patterns.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _number(text):
    return float(text) if text.strip() else math.nan


def test_every_pattern_is_a_metric_at_a_quarter_with_a_range_and_a_source():
    rows = _rows()
    assert 10 <= len(rows) <= 25
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        where = row["id"]
        assert row["metric"] in METRIC_KEYS, where
        assert 2017 <= Quarter.parse(row["quarter"]).year <= 2030, where
        low, high, value = _number(row["low"]), _number(row["high"]), _number(row["value"])
        assert low <= high, where
        assert math.isnan(value) or low <= value <= high, where
        assert row["confidence"] in ("high", "medium", "low"), where
        assert row["use"] in ("fit", "holdout"), where
        assert row["source"].strip() and row["note"].strip(), where


def test_about_a_third_of_the_patterns_are_held_out():
    uses = [r["use"] for r in _rows()]
    share = uses.count("holdout") / len(uses)
    assert 0.25 <= share <= 0.45
