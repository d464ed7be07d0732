"""The sheets of an exploration: Robustness, Discovery, Sensitivity indices and Futures
(with the Summary and Methodology parts), their tables, charts and text."""
from __future__ import annotations

import re

import numpy as np
import pytest
from openpyxl import load_workbook

from model.builtin import default_scenario
from model.engine import run
from model.exploration.experiment import explore
from model.shares import whole_percents
from model.workbook.briefing import export_briefing
from test_workbook_export import INJECTIONS, chart_parts, resolve

STEPS = 8
EXPLORATION_SHEETS = ["Robustness", "Discovery", "Sensitivity indices", "Futures"]


@pytest.fixture(scope="module")
def exploration():
    scenario = default_scenario()
    hostile = scenario.with_parameters(antitrust_enforcement=0.9)
    return explore(scenario, futures=40, policies={"current": scenario, INJECTIONS[0]: hostile},
                   method="sobol", sensitivity_runs=10, steps=STEPS, seed=2, outcome="benign",
                   uncertain={"lock_in_rate": (0.05, 0.15)}, fixed={"hub_bonus": 0.6})


@pytest.fixture(scope="module")
def book(exploration, tmp_path_factory):
    scenario = default_scenario()
    path = tmp_path_factory.mktemp("explore") / "e.xlsx"
    export_briefing(path, scenario=scenario, result=run(scenario, STEPS, 2),
                    exploration=exploration)
    return path


def test_the_four_sheets_follow_the_summary(book):
    names = load_workbook(book, read_only=True).sheetnames
    assert names[:5] == ["Summary", *EXPLORATION_SHEETS] and names[-1] == "Methodology"


def test_futures_is_a_table_of_every_future_and_policy(book, exploration):
    ws = load_workbook(book)["Futures"]
    assert list(ws.tables) == ["Futures"]
    assert ws.tables["Futures"].ref == f"A2:{ws.cell(1, ws.max_column).column_letter}82"
    header = [c.value for c in ws[2]]  # the keys, under the labels for people
    assert header[:3] == ["future", "policy", "outcome"]
    assert "lock_in_rate" in header and "hub_bonus" not in header and "hhi_mean" in header
    rows = exploration.rows
    col = header.index("hhi_mean") + 1
    got = [ws.cell(r, col).value for r in range(3, 83)]
    np.testing.assert_allclose(got, rows["hhi_mean"], rtol=1e-15)
    assert [ws.cell(r, 2).value for r in range(3, 83)] == rows["policy"].tolist()
    labels = [c.value for c in ws[1]]
    assert labels[:3] == ["Future", "Policy", "Outcome"]
    assert labels[header.index("hhi_mean")] == "HHI (mean) [HHI]"
    assert labels[header.index("lock_in_rate")] == "Lock-in rate [per quarter]"


def test_robustness_ranks_the_policies_with_regret_and_settings(book, exploration):
    ws = load_workbook(book)["Robustness"]
    ranking = ws.tables["Robustness_Ranking"]
    top = int(re.match(r"A(\d+)", ranking.ref).group(1))
    policies = [ws.cell(top + i, 2).value for i in (1, 2)]
    assert policies == exploration.robustness["policy"].tolist()
    first_policy = exploration.robustness.iloc[0]
    shown = whole_percents({o: first_policy[o] for o in ("adverse", "mixed", "benign")})
    assert [ws.cell(top + 1, c).value for c in (4, 5, 6)] == \
        [shown[o] / 100 for o in ("benign", "mixed", "adverse")]  # whole percents, sum 100
    assert ws.cell(top + 1, 7).value == pytest.approx(1 - shown["adverse"] / 100)
    assert first_policy["not_adverse"] == pytest.approx(1 - first_policy["adverse"])
    settings = ws.tables["Robustness_Policies"]
    first = int(re.match(r"B(\d+)", settings.ref).group(1)) + 1
    row = [ws.cell(first + 1, c).value for c in range(2, 5)]
    assert row[0] == INJECTIONS[0] and ws.cell(first + 1, 2).data_type == "s"
    assert row[2] == 0.9  # the hostile-named policy's antitrust enforcement
    bars = chart_parts(book)["Robustness"]
    assert len(bars) == 1 and 'percentStacked' in bars[0]


def test_discovery_states_the_box_and_charts_the_trajectory(book, exploration):
    wb = load_workbook(book)
    ws = wb["Discovery"]
    found = exploration.discovery
    texts = [ws.cell(r, 1).value or "" for r in range(1, 8)]
    assert found is not None and found.total_of_interest > 5  # short runs: some are benign
    assert any(t.startswith(f"{exploration.outcome} when") for t in texts)
    trajectory = ws.tables["Discovery_Trajectory"]
    assert trajectory.ref.endswith(str(int(re.search(r"(\d+)$", trajectory.ref.split(":")[0])
                                           .group(1)) + len(found.boxes)))
    (chart,) = chart_parts(book)["Discovery"]
    x = re.findall(r"<xVal>.*?<f>([^<]+)</f>", chart, re.S)
    y = re.findall(r"<yVal>.*?<f>([^<]+)</f>", chart, re.S)
    assert len(x) == len(y) == 2
    _, coverage = resolve(wb, x[0])
    _, density = resolve(wb, y[0])
    np.testing.assert_allclose(coverage, found.trajectory["coverage"])
    np.testing.assert_allclose(density, found.trajectory["density"])
    _, chosen = resolve(wb, y[1] if ":" in y[1] else f"{y[1]}:{y[1].split('!')[1]}")
    assert chosen == [found.box.density]


def test_sensitivity_indices_hold_the_table_and_a_chart_per_metric(book, exploration):
    wb = load_workbook(book)
    ws = wb["Sensitivity indices"]
    table = ws.tables["Sensitivity_Indices"]
    first = int(re.match(r"A(\d+)", table.ref).group(1))
    assert table.ref.endswith(str(first + len(exploration.sensitivity)))
    assert ws.cell(first + 1, 3).value == exploration.sensitivity["factor"].iloc[0]
    assert ws.cell(first + 1, 6).value == pytest.approx(exploration.sensitivity["ST"].iloc[0])
    bars = chart_parts(book)["Sensitivity indices"]
    assert len(bars) == exploration.sensitivity["metric"].nunique() == 5
    # the rank and note of model.exploration.sensitivity.judge (no rank: includes 0)
    for i, r in enumerate(exploration.sensitivity.to_dict("records"), start=first + 1):
        assert ws.cell(i, 8).value == (None if r["rank"] != r["rank"] else int(r["rank"]))
        assert (ws.cell(i, 9).value or "") == r["note"]
    assert "seed(s) per design point" in str(ws.cell(3, 1).value)


def test_summary_and_methodology_explain_the_exploration(book, exploration):
    wb = load_workbook(book)
    summary = [str(c.value) for row in wb["Summary"].iter_rows() for c in row if c.value]
    assert any("40 futures x 2 policies" in t for t in summary)
    assert "Summary_Robustness" in wb["Summary"].tables
    method = " ".join(str(c.value) for row in wb["Methodology"].iter_rows() for c in row
                      if c.value)
    for words in ("Latin hypercube", "PRIM", "Friedman and Fisher (1999)", "Sobol",
                  "SALib", "regret", "0.05 to 0.15 (range set for this exploration)",
                  "hub_bonus = 0.6"):
        assert words in method, words


def test_a_workbook_without_indices_leaves_their_sheet_out(tmp_path):
    scenario = default_scenario()
    x = explore(scenario, futures=10, method=None, steps=4)
    path = export_briefing(tmp_path / "x.xlsx", scenario=scenario, result=run(scenario, 4, 0),
                           exploration=x)
    wb = load_workbook(path)
    assert "Sensitivity indices" not in wb.sheetnames and "Futures" in wb.sheetnames
    assert x.discovery is None  # four quarters: no future ends adverse
    assert "nothing to discover" in wb["Discovery"]["A4"].value
