"""The Explore window says what its figures can say (issue 23 items 4-6): indices as the
model judged them, PRIM's box for the policy and outcome chosen, regret in one line."""
from __future__ import annotations

from html import escape
from types import SimpleNamespace

import numpy as np
import pandas as pd

from gui.explore.views import DiscoveryView, IndicesChart, RobustnessTable
from model.builtin import default_scenario
from model.exploration.experiment import discover, explore
from model.exploration.robustness import REGRET_MEANING
from model.exploration.sensitivity import NOT_DISTINGUISHABLE, judge

FACTORS = ("beta_platform", "gamma_collab", "antitrust_enforcement", "interoperability")


def sobol_exploration():
    """Indices as a small Sobol design gives them: a clear leader, two overlapping (a tie),
    one whose interval includes 0 with a negative S1, and an interval past 1."""
    table = pd.DataFrame({
        "metric": ["hhi_mean"] * 4, "factor": list(FACTORS),
        "S1": [0.7, 0.10, 0.12, -0.05], "S1_conf": [0.2, 0.1, 0.1, 0.1],
        "ST": [0.9, 0.30, 0.28, 0.04], "ST_conf": [0.3, 0.1, 0.1, 0.1]})
    judged = judge(table, "sobol")
    design = SimpleNamespace(method="sobol", samples=pd.DataFrame(np.zeros((384, 4))))
    return SimpleNamespace(sensitivity=judged, sensitivity_design=design,
                           top_factors=lambda metric, count: judged[
                               judged["metric"] == metric].head(count))


def test_indices_are_drawn_as_judged(qtbot):
    chart = IndicesChart()
    qtbot.addWidget(chart)
    chart.set_exploration(sobol_exploration())
    labels = chart.labels  # top first
    assert labels[0].startswith("#1 ")  # the leader, alone above the others
    assert labels[1].startswith("=2 ") and labels[2].startswith("=2 ")  # a tie, said so
    assert labels[3].endswith(NOT_DISTINGUISHABLE) and "#" not in labels[3]  # no rank
    for bar in chart.bars:  # no bar reaches below 0 (the negative S1 is drawn as 0)
        assert min(bar.opts["x0"]) >= 0 and min(bar.opts["width"]) >= 0
    note = chart.note.text()
    assert "Negative estimates are drawn as 0" in note
    assert "Whiskers cut at 0 and 1" in note and "not ranked" in note
    whiskers = next(i for i in chart.plot.items if type(i).__name__ == "ErrorBarItem")
    x, right = whiskers.opts["x"], whiskers.opts["right"]
    assert np.all(x + right <= 1.0 + 1e-12)  # the 0.9 +- 0.3 interval stops at 1
    assert np.all(x - whiskers.opts["left"] >= -1e-12)


def small_exploration():
    return explore(default_scenario(), 40, ["current", "benign_policy", "adverse_policy"],
                   method=None, outcome="adverse", steps=8, seed=0)


def test_prim_follows_the_policy_and_the_outcome_chosen(qtbot):
    x = small_exploration()
    view = DiscoveryView()
    qtbot.addWidget(view)
    view.set_exploration(x)
    assert view.policy.currentData() == "current"  # the user's own policy by default
    for policy in x.policies:
        for outcome in ("adverse", "mixed", "benign"):
            view.policy.setCurrentIndex(view.policy.findData(policy))
            view.outcome.setCurrentIndex(view.outcome.findData(outcome))
            found = discover(x.rows, x.space, policy, outcome)
            text = view.rules.text()
            if found is None:
                assert view.box is None and "nothing to discover" in text
                continue
            assert view.box is not None and f"Under {policy}, {outcome} when" in text
            for word in ("of the futures in the box", "mass", "volume", "Significance: "):
                assert word in text
            assert escape(found.significance()) in text  # rich text: '<' written as &lt;
            restricted = found.box.restricted
            keys = [u.key for u in x.space]
            axes = (list(restricted) + [k for k in keys if k not in restricted])[:2]
            assert (view.x_key.currentData(), view.y_key.currentData()) == tuple(axes)
            ix = found.columns.index(view.x_key.currentData())
            assert tuple(view.box.getData()[0][:2]) == tuple(found.box.limits[:, ix])


def test_robustness_says_what_regret_is_and_notes_surprises(make_window, qtbot):
    window = make_window()
    window.actions["actionExplore"].trigger()
    explorer = window.simulation.explorer
    x = small_exploration()
    explorer._explored(x)  # what the finished job hands over
    assert explorer.regret_note.text().lower().startswith(REGRET_MEANING[:40].lower())
    table: RobustnessTable = explorer.robustness
    column = [c[0] for c in table.COLUMNS].index("note")
    shown = [table.item(r, column).text() for r in range(table.rowCount())]
    assert shown == list(x.robustness["note"])
    for record in x.robustness.to_dict("records"):  # each note also said under the table
        assert not record["note"] or escape(record["note"]) in explorer.regret_note.text()
    assert "not a forecast" in explorer.status.text()
