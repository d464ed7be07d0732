"""The outcome by dimension and the distance to the thresholds (issue 23 items 1-2)."""
from __future__ import annotations

import numpy as np
import pytest

from model.cli import main
from model.engine import dimensions, margins
from model.engine.outcome import ADVERSE, BENIGN, MIXED, Figures, decide
from model.parameters import PARAMETERS

T = {k: PARAMETERS[k].default for k in ("outcome_hhi_high", "outcome_sme_drop",
                                         "outcome_dependency", "outcome_gini_rise_adverse",
                                         "outcome_hhi_low", "outcome_gini_rise_benign")}


def random_figures(n: int, seed: int = 0) -> list[Figures]:
    rng = np.random.default_rng(seed)
    return [Figures(rng.uniform(800, 3500), 450.0, rng.uniform(250, 600),
                    rng.uniform(0.2, 0.9), rng.uniform(-0.02, 0.09)) for _ in range(n)]


def test_the_overall_rule_follows_from_the_three_dimensions():
    for f in random_figures(2000):
        labels = {d: j["label"] for d, j in dimensions.judge(f, T).items()}
        assert dimensions.overall(labels) == decide(f, T)[0]


def test_enforcement_example_shows_the_mechanism_the_label_hides():
    # HHI under 1,500 and more SMEs, but the talent Gini rose 0.03 (> 0.02): mixed overall
    f = Figures(1400.0, 450.0, 480.0, 0.3, 0.03)
    judged = dimensions.judge(f, T)
    assert decide(f, T)[0] == MIXED
    assert judged["competition"]["label"] == BENIGN
    assert judged["dependency"]["label"] == BENIGN
    assert judged["talent"]["label"] == MIXED
    assert judged["competition"]["hhi"] == 1400.0
    assert judged["competition"]["sme_change"] == pytest.approx(30 / 450)


def test_each_dimension_reads_its_own_thresholds():
    assert dimensions.competition(Figures(2600, 450, 460, 0.1, 0), T) == ADVERSE
    assert dimensions.competition(Figures(2000, 450, 300, 0.1, 0), T) == ADVERSE  # -33%
    assert dimensions.competition(Figures(2000, 450, 460, 0.1, 0), T) == MIXED
    assert dimensions.dependency(Figures(2000, 450, 460, 0.61, 0), T) == ADVERSE
    assert dimensions.dependency(Figures(2000, 450, 460, 0.6, 0), T) == BENIGN
    assert dimensions.talent(Figures(2000, 450, 460, 0.1, 0.051), T) == ADVERSE
    assert dimensions.talent(Figures(2000, 450, 460, 0.1, 0.02), T) == BENIGN


def test_margins_read_the_median_and_the_runs_near_the_line():
    figures = [Figures(h, 450, 450, 0.3, 0.0) for h in (2400, 2450, 2600, 3000, 1000)]
    found = {m["threshold"]: m for m in margins.margins(figures, T)}
    high = found["outcome_hhi_high"]
    assert high["median"] == 2450 and high["margin"] == -50
    assert high["relative_margin"] == pytest.approx(-0.02)
    assert high["share_near"] == pytest.approx(3 / 5)  # 2,400, 2,450, 2,600 within 250


def test_raising_every_threshold_makes_adverse_harder_and_benign_easier():
    rows = margins.threshold_shift(random_figures(500, 1), T)
    adverse = [r[ADVERSE] for r in rows]
    benign = [r[BENIGN] for r in rows]
    assert adverse == sorted(adverse, reverse=True) and benign == sorted(benign)
    assert [r["shift"] for r in rows] == list(margins.SHIFTS)


def test_a_label_on_the_line_is_called_fragile():
    # two runs of three sit just above 2,500 with a captured talent Gini: adverse by a hair
    figures = [Figures(2550, 450, 460, 0.3, 0.06)] * 2 + [Figures(2000, 450, 460, 0.3, 0.03)]
    rows = margins.threshold_shift(figures, T)
    text = margins.fragile(rows)
    assert text.startswith("the label is fragile: adverse (67%)") and "+10%" in text
    steady = [Figures(3500, 450, 200, 0.9, 0.09)] * 3
    assert margins.fragile(margins.threshold_shift(steady, T)) == ""


def test_run_prints_headline_dimensions_rule_and_margins(capsys):
    assert main(["run", "--runs", "3", "--steps", "4", "--quiet"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    order = [next(i for i, s in enumerate(lines) if s.startswith(p))
             for p in ("key end metrics, mean [p5, p95]", "by dimension", "outcomes:",
                       "rule: overall:", "why:", "distance to the thresholds",
                       "threshold shift")]
    assert order == sorted(order)
    assert any(s.strip().startswith("talent: ") for s in lines)
    assert any(s.startswith("outcome_hhi_high") for s in lines)


def test_the_summary_sheet_has_the_dimensions_and_the_thresholds(tmp_path):
    from openpyxl import load_workbook

    from model.builtin import default_scenario
    from model.engine import run
    from model.experiments import monte_carlo
    from model.workbook.briefing import export_briefing

    s = default_scenario()
    mc = monte_carlo(s, 4, 4, 0)
    path = tmp_path / "mc.xlsx"
    export_briefing(path, scenario=s, result=run(s, 4, 0), monte_carlo=mc)
    ws = load_workbook(path)["Summary"]
    assert {"Summary_Dimensions", "Summary_Thresholds", "Summary_ThresholdShift"} <= \
        set(ws.tables)
    cells = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    labels = dimensions.of_result(mc)
    share = dimensions.shares(labels["talent"])
    assert ws.cell(cells["talent"], 2).value == pytest.approx(share[ADVERSE])
    assert ws.cell(cells["Rule"], 2).value == dimensions.OVERALL_RULE
    first = margins.of_result(mc)["margins"][0]
    assert ws.cell(cells[first["threshold"]], 4).value == pytest.approx(first["median"])
    # what each line reads shows whole (wrapped in a taller row), HHI lines in whole points
    for m in margins.of_result(mc)["margins"]:
        r = cells[m["threshold"]]
        reads = ws.cell(r, 2)
        assert reads.value == m["reads"] and reads.alignment.wrap_text
        width = ws.column_dimensions["B"].width
        if len(m["reads"]) > width:
            assert ws.row_dimensions[r].height >= 30
        line_format = ws.cell(r, 3).number_format
        assert line_format == ("#,##0" if m["threshold"].startswith("outcome_hhi") else "0.000")


def test_run_json_carries_the_dimensions_per_seed(tmp_path):
    import json

    path = tmp_path / "r.json"
    assert main(["run", "--runs", "3", "--steps", "4", "--quiet", "--json", str(path)]) == 0
    v = json.loads(path.read_text("utf-8"))["variants"][0]
    assert set(v["dimensions"]) == set(dimensions.DIMENSIONS)
    assert all(len(labels) == 3 for labels in v["dimensions"].values())
    assert [r["shift"] for r in v["threshold_shift"]] == list(margins.SHIFTS)
    assert v["threshold_margins"][0]["threshold"] == "outcome_hhi_high"
