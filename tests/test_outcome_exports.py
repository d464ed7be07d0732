"""The outcome's sentence where it leaves the tool: the command line's summaries and the
workbook's Summary sheet (as text, never a formula; one sentence per compared scenario)."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from model.builtin import default_scenario
from model.cli import main
from model.engine import run
from model.engine.explanation import explain_outcome
from model.experiments import compare, monte_carlo
from model.workbook.briefing import export_briefing

STEPS = 6


@pytest.fixture(scope="module")
def scenario():
    return default_scenario()


def sentence_cells(path):
    """(label, sentence cell) of every 'why' row of the Summary: a label in column A, the
    sentence in B, merged across the left block."""
    ws = load_workbook(path)["Summary"]
    merged = {r.min_row: r for r in ws.merged_cells.ranges if r.min_col == 2}
    return ws, [(ws.cell(row, 1).value, ws.cell(row, 2)) for row in sorted(merged)
                if ws.cell(row, 1).value != "Rule"]  # the outcome rule wraps the same way


def test_summary_of_a_run_carries_the_sentence_as_text(scenario, tmp_path):
    result = run(scenario, STEPS, 0)
    path = tmp_path / "single.xlsx"
    export_briefing(path, scenario=scenario, result=result)
    _ws, rows = sentence_cells(path)
    assert [(label, c.value) for label, c in rows] == [("Why", explain_outcome(result))]
    assert rows[0][1].data_type == "s" and rows[0][1].value.startswith(result.outcome)


def test_summary_of_a_monte_carlo_explains_the_shares(scenario, tmp_path):
    mc = monte_carlo(scenario, 3, STEPS, 0)
    path = tmp_path / "mc.xlsx"
    export_briefing(path, scenario=scenario, result=run(scenario, STEPS, 0), monte_carlo=mc)
    ws, rows = sentence_cells(path)
    assert [(label, c.value) for label, c in rows] == [("Why", explain_outcome(mc))]
    assert " of runs" in rows[0][1].value
    row = rows[0][1].row
    lines = ws.row_dimensions[row].height / 15
    assert lines >= 1 and ws.cell(row, 2).alignment.wrap_text


def test_summary_of_a_comparison_has_one_sentence_per_scenario(scenario, tmp_path):
    labels = {"=base": scenario, "+benign": scenario.with_preset("benign")}
    comparison = compare(labels, 3, STEPS, 0)
    path = tmp_path / "cmp.xlsx"
    export_briefing(path, scenario=scenario, result=run(scenario, STEPS, 0),
                    comparison=comparison)
    _ws, rows = sentence_cells(path)
    expected = [(label, explain_outcome(comparison.results[label])) for label in labels]
    assert [(label, c.value) for label, c in rows] == \
        expected  # page 1 is about the contrast: no block built around the first one
    assert all(c.data_type == "s" for _, c in rows)


def test_the_command_line_prints_the_sentence(capsys, scenario):
    short = ["--steps", str(STEPS)]
    assert main(["run", *short]) == 0
    out = capsys.readouterr().out
    assert f"outcome: {explain_outcome(run(scenario, STEPS, 0))}" in out.splitlines()
    assert main(["run", "--runs", "3", *short]) == 0
    out = capsys.readouterr().out
    assert f"why: {explain_outcome(monte_carlo(scenario, 3, STEPS, 0))}" in out.splitlines()


def test_a_comparison_prints_one_sentence_per_scenario(capsys, scenario):
    assert main(["compare", "default", "--presets", "default,benign", "--runs", "2",
                 "--steps", str(STEPS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    headless = compare({"default": scenario, "benign": scenario.with_preset("benign")}, 2,
                       STEPS, 0)
    for label in ("default", "benign"):
        assert f"{label}: {explain_outcome(headless.results[label])}" in lines
