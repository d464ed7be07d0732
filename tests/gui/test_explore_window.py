"""The Explore window: set up, run in the background, see the futures with PRIM's box, the
ranked policies and the indices, stop, and export the workbook."""
from __future__ import annotations

import numpy as np
from openpyxl import load_workbook

from model.builtin import default_scenario
from model.exploration.experiment import discover, explore
from model.scenario import Project

STEPS, FUTURES = 8, 30


def open_explorer(window, futures=FUTURES, steps=STEPS):
    window.actions["actionExplore"].trigger()
    explorer = window.simulation.explorer
    explorer.executor = None  # in this thread: tests need no worker processes
    explorer.setup.futures.setValue(futures)
    explorer.setup.steps.setValue(steps)
    explorer.setup.set_policies(["current", "benign_policy"])
    explorer.setup.outcome.setCurrentIndex(explorer.setup.outcome.findData("benign"))
    explorer.setup.method.setCurrentIndex(explorer.setup.method.findData("morris"))
    return explorer


def finish(explorer, qtbot, timeout=60_000):
    qtbot.waitUntil(lambda: not explorer.runner.busy(), timeout=timeout)


def test_an_exploration_from_the_window_equals_the_headless_one(make_window, qtbot):
    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window)
    assert explorer.isVisible() and not explorer.export_button.isEnabled()
    assert explorer.run()
    assert explorer.stop_button.isEnabled() and not explorer.run_button.isEnabled()
    finish(explorer, qtbot)
    x = explorer.exploration
    assert x is not None, explorer.status.text()
    headless = explore(window.doc.to_scenario(), FUTURES, ["current", "benign_policy"],
                       method="morris", outcome="benign", steps=STEPS, seed=0,
                       ranges=explorer.setup.range_choice())  # calibrated, when it matches
    np.testing.assert_array_equal(x.rows["hhi_mean"], headless.rows["hhi_mean"])
    assert "Most robust" in explorer.status.text()
    assert explorer.robustness.rowCount() == 2
    assert explorer.robustness.item(0, 1).text() == x.robustness["policy"].iloc[0]
    assert explorer.export_button.isEnabled()


def test_the_scatter_colours_every_future_and_draws_the_box(make_window, qtbot):
    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window)
    explorer.run()
    finish(explorer, qtbot)
    x, view = explorer.exploration, explorer.discovery
    assert x.discovery is not None  # some short runs end benign
    assert view.policy.currentData() == x.discovery_policy
    shown = sum(len(item.data) for item in view.points.values())
    assert shown == FUTURES
    assert view.x_key.currentData() == x.discovery.box.restricted[0]
    ix = x.discovery.columns.index(view.x_key.currentData())
    xs, _ = view.box.getData()
    assert (min(xs), max(xs)) == tuple(x.discovery.box.limits[:, ix])
    assert "benign when" in view.rules.text()
    other = next(p for p in x.policies if p != x.discovery_policy)
    view.policy.setCurrentIndex(view.policy.findData(other))  # the box follows "Futures of"
    found = discover(x.rows, x.space, other, x.outcome)
    assert f"Under {other}," in view.rules.text() or "nothing to discover" in view.rules.text()
    if found is not None:
        ix = found.columns.index(view.x_key.currentData())
        assert tuple(view.box.getData()[0][:2]) == tuple(found.box.limits[:, ix])
    else:
        assert view.box is None
    assert len(explorer.indices.bars) == 1 and explorer.indices.chooser.count() == 5


def test_unticked_coefficients_stay_out_and_a_bad_range_is_reported(make_window, qtbot):
    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window, futures=10, steps=4)
    for key in ("beta_platform", "gamma_collab"):
        explorer.setup.set_range(key, "0.05", "0.1", explored=False)
    explorer.setup.set_range("lock_in_rate", "0.3", "0.1")
    explorer.run()
    finish(explorer, qtbot)
    assert explorer.exploration is None
    assert explorer.status.text().startswith("Cannot explore: ") and \
        "lock_in_rate" in explorer.status.text()
    explorer.setup.set_range("lock_in_rate", "0.05", "0.1")
    explorer.run()
    finish(explorer, qtbot)
    keys = [u.key for u in explorer.exploration.space]
    assert "beta_platform" not in keys and "gamma_collab" not in keys
    lock = next(u for u in explorer.exploration.space if u.key == "lock_in_rate")
    assert (lock.low, lock.high) == (0.05, 0.1)
    explorer.setup.reset_ranges()  # back to the ranges of the chosen source
    low, high = explorer.setup.range_choice().ranges.get("beta_platform", (0.03, 0.12))
    assert explorer.setup.ranges()[0]["beta_platform"] == (f"{low:g}", f"{high:g}")


def test_stop_ends_an_exploration_and_keeps_the_last_results(make_window, qtbot):
    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window, futures=400, steps=40)
    explorer.run()
    qtbot.waitUntil(lambda: explorer.progress.value() > 0, timeout=30_000)
    explorer.stop()
    finish(explorer, qtbot, timeout=10_000)
    assert explorer.exploration is None and explorer.status.text().startswith("Stopped")
    assert explorer.run_button.isEnabled()


def test_export_writes_the_exploration_workbook(make_window, qtbot, tmp_path, dialogs):
    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window, futures=12, steps=4)
    explorer.run_button.click()
    finish(explorer, qtbot)
    path = tmp_path / "explore.xlsx"
    dialogs.answer("save", str(tmp_path / "explore"))  # the suffix is added
    explorer.export_button.click()
    assert dialogs.kinds() == ["save"]
    assert explorer.exporter.busy() or explorer.status.text() == f"Wrote {path}"
    qtbot.waitUntil(lambda: not explorer.exporter.busy(), timeout=30_000)
    assert explorer.status.text() == f"Wrote {path}"
    names = load_workbook(path, read_only=True).sheetnames
    assert names[:5] == ["Summary", "Robustness", "Discovery", "Sensitivity indices",
                         "Futures"]


def test_closing_the_main_window_stops_the_exploration(make_window, qtbot):
    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window, futures=400, steps=40)
    explorer.run()
    window.editor.stack.setClean()
    window.close()
    assert not explorer.runner.busy()


def test_a_lever_ticked_is_explored_instead_of_set_by_the_policies(make_window, qtbot):
    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window, futures=10, steps=4)
    assert "antitrust_enforcement" not in explorer.setup.ranges()[0]  # levers: unticked
    explorer.setup.set_range("antitrust_enforcement", "0.2", "0.6")
    explorer.run()
    finish(explorer, qtbot)
    rows = explorer.exploration.rows
    assert "antitrust_enforcement" in [u.key for u in explorer.exploration.space]
    benign = rows[rows.policy == "benign_policy"]["antitrust_enforcement"]
    assert benign.between(0.2, 0.6).all() and benign.nunique() == 10


def test_the_setup_offers_policy_packages_and_holds_a_chosen_world(make_window, qtbot):
    from PySide6.QtCore import Qt

    from model.parameters import POLICIES, WORLDS

    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window, futures=6, steps=3)
    setup = explorer.setup
    offered = [setup.policies.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(setup.policies.count())]
    assert offered == ["current", *POLICIES]  # no world, no scenario
    assert [setup.world.itemData(i) for i in range(setup.world.count())] == [None, *WORLDS]
    assert "lock_in_rate" in setup.ranges()[0]
    setup.world.setCurrentIndex(setup.world.findData("fast_lock_in"))
    ranges, held = setup.ranges()
    assert "lock_in_rate" not in ranges and "lock_in_rate" in held
    explorer.run()
    finish(explorer, qtbot)
    x = explorer.exploration
    assert x is not None, explorer.status.text()
    assert x.world == "fast_lock_in" and x.fixed == {"lock_in_rate": 0.15}
    assert "lock_in_rate" not in [u.key for u in x.space]
