"""PRIM the room asks for (issue 23 item 5): the user's own policy by default, the box's
volume beside coverage, density and mass, its significance in words."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from model.cli import main
from model.exploration.experiment import own_policy
from model.exploration.prim import prim, significance_words


def test_the_default_policy_is_current_else_the_first():
    assert own_policy(("benign_policy", "current", "adverse_policy")) == "current"
    assert own_policy(("benign_policy", "adverse_policy")) == "benign_policy"
    assert own_policy(("a", "Default")) == "Default"


def test_volume_is_the_product_of_the_restricted_widths_over_the_ranges():
    rng = np.random.default_rng(3)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 2000), "b": rng.uniform(0, 10, 2000),
                      "c": rng.uniform(0, 1, 2000)})
    y = (x.a > 0.6) & (x.b > 5)
    found = prim(x, y)
    box = found.box
    expected = 1.0
    for name in box.restricted:
        j = found.columns.index(name)
        expected *= (box.limits[1, j] - box.limits[0, j]) / (found.initial[1, j] -
                                                            found.initial[0, j])
    assert found.volume() == pytest.approx(expected)
    assert found.volume() == pytest.approx(0.4 * 0.5, abs=0.05)
    assert found.volume(0) == 1.0  # the box holding everything
    assert f"volume {found.volume():.0%} of the explored space" in found.figures()
    assert found.significance() == "strong: p < 0.001"


def test_quasi_p_values_in_words():
    assert significance_words(1e-5) == "strong: p < 0.001"
    assert significance_words(0.005) == "clear: p < 0.01"
    assert significance_words(0.03) == "significant: p < 0.05"
    assert significance_words(0.2) == "weak: p > 0.05"


def test_explore_reads_the_own_policy_and_reports_the_box(capsys, tmp_path):
    path = tmp_path / "e.json"
    assert main(["explore", "--futures", "30", "--steps", "6", "--quiet", "--method", "none",
                 "--policies", "adverse_policy,current", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    assert "futures of policy 'current'" in out
    data = json.loads(path.read_text("utf-8"))
    assert [r["policy"] for r in data["robustness"]] == \
        [line.split()[0] for line in out.split("Robustness")[1].splitlines()[3:5]]
    assert all("note" in r for r in data["robustness"])
    found = data["discovery"]
    assert found["policy"] == "current"
    if found["box"] is not None:
        assert 0 < found["box"]["volume"] <= 1 and "mass" in found["box"]
        assert "box significance" in out and "of the explored space" in out


def test_robustness_names_the_metric_behind_a_best_against_intuition():
    from model.exploration.robustness import robustness

    rows = []
    for future in range(4):
        rows.append({"future": future, "policy": "good", "outcome": "benign",
                     "hhi_mean": 1400, "active_smes": 480, "dependency_index": 0.4,
                     "talent_gini": 0.5, "foreign_share": 0.05, "acquisitions_cum": 10,
                     "exits_cum": 40})
        rows.append({"future": future, "policy": "bad", "outcome": "adverse",
                     "hhi_mean": 2800, "active_smes": 300, "dependency_index": 0.2,
                     "talent_gini": 0.6, "foreign_share": 0.02, "acquisitions_cum": 90,
                     "exits_cum": 200})
    table = robustness(pd.DataFrame(rows)).set_index("policy")
    assert table.loc["good", "note"] == ""
    note = table.loc["bad", "note"]
    assert note.startswith("best dependency although most often adverse")
    assert "bought or exit" in note and "290 per future" in note
    one = robustness(pd.DataFrame([r for r in rows if r["policy"] == "bad"]))
    assert one["note"].tolist() == [""]
