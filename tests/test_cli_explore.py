"""`explore` on the command line: the robustness table, the box rules and the top
sensitivities on stdout, the workbook with --out; wrong input: one line, exit 2."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from model.cli import main
from model.parameters import UNCERTAIN

SHORT = ["--steps", "6", "--quiet", "--futures", "30"]


def call(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_explore_prints_robustness_discovery_and_sensitivity(capsys, tmp_path):
    out_file = tmp_path / "e.xlsx"
    code, out, err = call(capsys, "explore", "default", "--policies", "benign_policy,adverse_policy",
                          "--method", "morris", "--sensitivity-runs", "20",
                          "--outcome", "benign", "--out", str(out_file), *SHORT,
                          "--steps", "10")  # in 6 quarters the two policies still tie
    assert code == 0 and err == ""
    assert "30 futures x 2 policies" in out and f"uncertain ({len(UNCERTAIN)})" in out
    table = out[out.index("Robustness"):out.index("Scenario discovery")].splitlines()
    policies = [line.split()[0] for line in table[3:] if line.strip() and
                not line.lstrip().startswith("(")]
    assert policies == ["benign_policy", "adverse_policy"]  # benign ranks first
    assert "benign when" in out or "no future ended benign" in out
    assert "Top sensitivities (Morris mu*" in out and "HHI (mean): " in out
    assert f"wrote {out_file}" in out
    names = load_workbook(out_file, read_only=True).sheetnames
    assert {"Futures", "Discovery", "Sensitivity indices", "Robustness"} <= set(names)


def test_ranges_fixes_only_and_own_policies(capsys):
    code, out, _ = call(capsys, "explore", "--only", "lock_in_rate,acquisition_rate",
                        "--uncertain", "lock_in_rate=0.05:0.2", "--fix", "acquisition_rate=0.05",
                        "--uncertain", "talent_growth=-0.01:0.0",
                        "--policy", "late=antitrust_enforcement=2025Q1:0.9",
                        "--method", "none", *SHORT)
    assert code == 0
    assert "uncertain (2): lock_in_rate, talent_growth" in out
    assert "fixed: acquisition_rate=0.05" in out
    assert "current " in out and "late " in out and "Top sensitivities" not in out


@pytest.mark.parametrize("args, words", [
    (["--futures", "0"], "futures 0"),
    (["--uncertain", "lock_in_rate=0.1"], "is not KEY=LOW:HIGH"),
    (["--uncertain", "lock_in_rate=a:0.2"], "'a' is not a number"),
    (["--uncertain", "lock_in_rate=0.3:0.2"], "empty"),
    (["--uncertain", "nonsense=0:1"], "nonsense"),
    (["--fix", "hub_bonus"], "is not KEY=VALUE"),
    (["--fix", "lock_in_rate=0.1", "--uncertain", "lock_in_rate=0.05:0.2"], "both"),
    (["--policies", "nope"], "unknown policy"),
    (["--policy", "current=antitrust_enforcement=0:1"], "named 'current'"),
    (["--method", "fast"], "invalid choice"),
    (["--only", "lock_in_rate,nope"], "nope"),
    (["--discover", "benign_policy"], "discovery policy"),
    (["--sensitivity-runs", "0"], "--sensitivity-runs 0"),
    (["--runs", "0"], "--runs 0"),
    (["--out", "e.csv"], ".xlsx"),
])
def test_bad_arguments_exit_2_with_one_line(capsys, args, words):
    code, out, err = call(capsys, "explore", "--steps", "4", "--quiet", "--futures", "5",
                          "--method", "none", *args)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and words in err, err
