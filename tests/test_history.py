"""The built-in `history` scenario: from 2017Q4, platforms and pilot zones appear in the
quarters the sources date, and the policy calendar applies as schedules."""
from __future__ import annotations

import numpy as np

from model.builtin import resolve_builtin
from model.builtin.facts import load_facts
from model.engine import prepare
from model.engine.metrics import METRIC_INDEX
from model.engine.run import run_metrics


def test_history_starts_in_2017q4_with_the_dated_elements():
    scenario = resolve_builtin("history")
    assert scenario.start.label == "2017Q4"
    nodes = scenario.network.nodes.set_index("id")
    assert nodes.loc["oip-baidu", "appears"] == "2017Q4"
    assert nodes.loc["oip-sensetime", "appears"] == "2018Q3"
    assert nodes.loc["zone-beijing", "appears"] == "2019Q1"
    assert nodes.loc["zone-zhengzhou", "appears"] == "2021Q4"
    assert set(scenario.schedules) == {"antitrust_enforcement", "data_protection"}
    table = load_facts()["history"]
    assert table["source"].str.strip().ne("").all()
    assert set(table["confidence"]) <= {"verified", "likely", "uncertain"}


def test_platforms_and_zones_appear_on_the_calendar():
    scenario = resolve_builtin("history")
    table = run_metrics(prepare(scenario), 0, 24)  # 2017Q4 .. 2023Q4
    platforms = table[:, METRIC_INDEX["platforms_present"]]
    zones = table[:, METRIC_INDEX["zones_present"]]
    at = {q: scenario.start.plus(0) + q for q in range(25)}
    by_label = {at[t].label: t for t in at}
    assert platforms[by_label["2017Q4"]] == 4 and platforms[by_label["2018Q2"]] == 4
    assert platforms[by_label["2018Q3"]] == 5 and platforms[by_label["2019Q3"]] == 15
    assert zones[by_label["2018Q4"]] == 0 and zones[by_label["2019Q1"]] == 1
    assert zones[by_label["2021Q4"]] == 18
    assert np.all(np.diff(platforms) >= 0) and np.all(np.diff(zones) >= 0)
    # no entrant before the first pilot zone is approved (entrants come only to zones)
    assert table[by_label["2018Q4"], METRIC_INDEX["entries_cum"]] == 0
    assert table[-1, METRIC_INDEX["entries_cum"]] > 0
