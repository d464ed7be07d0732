"""The Explore setup's choice of ranges (issue 24): calibrated when the resource matches
the data, else plausible (the calibrated item disabled, the reason in the tooltip)."""
from __future__ import annotations

import json

from model.builtin import default_scenario
from model.calibration import store
from model.calibration.patterns import file_version
from model.parameters import PARAMETERS
from model.scenario import Project

from tests.gui.test_explore_window import finish, open_explorer

SMALL = "tests/data/patterns_small.csv"


def write_calibration(path, patterns=SMALL, lock_in=(0.05, 0.06)):
    data = {"format": 1, "tool_version": "test",
            "data_version": {"patterns_sha256": file_version(patterns), "scenario": "default",
                             "start": "", "scenario_digest": store.scenario_digest("default")},
            "calibrated": {"lock_in_rate": list(lock_in)}, "representative": {},
            "samples": [[1, 0.055, 0.5]]}
    path.write_text(json.dumps(data), encoding="utf-8")


def row_of(setup, key):
    return next(r for r in range(setup.table.rowCount())
                if setup.table.item(r, 0).data(0x0100) == key)


def test_the_setup_offers_calibrated_ranges_and_the_run_says_which(make_window, qtbot,
                                                                   tmp_path, monkeypatch):
    path = tmp_path / "calibrated.json"
    write_calibration(path)
    monkeypatch.setattr(store, "DEFAULT_CALIBRATED", str(path))
    monkeypatch.setattr(store, "DEFAULT_PATTERNS", SMALL)
    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window, futures=6, steps=2)
    setup = explorer.setup
    assert setup.range_source.currentData() == "calibrated"
    row = row_of(setup, "lock_in_rate")
    assert (setup.table.item(row, 2).text(), setup.table.item(row, 3).text()) == \
        ("0.05", "0.06")
    assert explorer.run()
    assert "(calibrated ranges)" in explorer.status.text()
    finish(explorer, qtbot)
    x = explorer.exploration
    assert x is not None and x.ranges == "calibrated"
    assert x.futures["lock_in_rate"].between(0.05, 0.06).all()
    setup.range_source.setCurrentIndex(setup.range_source.findData("plausible"))
    low, high = PARAMETERS["lock_in_rate"].plausible
    assert (setup.table.item(row, 2).text(), setup.table.item(row, 3).text()) == \
        (f"{low:g}", f"{high:g}")


def test_without_a_calibration_only_plausible_can_be_chosen(make_window, tmp_path,
                                                            monkeypatch):
    monkeypatch.setattr(store, "DEFAULT_CALIBRATED", str(tmp_path / "none.json"))
    window = make_window(Project.single(default_scenario()))
    explorer = open_explorer(window)
    box = explorer.setup.range_source
    assert box.currentData() == "plausible"
    assert not box.model().item(box.findData("calibrated")).isEnabled()
    assert "no calibration found" in box.toolTip()


def test_calibrated_bounds_show_short_and_explore_exact(make_window, tmp_path, monkeypatch):
    """A calibrated bound has 15 digits: the table shows four, positional; the range
    explored is the exact one unless the analyst types another."""
    path = tmp_path / "calibrated.json"
    write_calibration(path, lock_in=(5.99754321e-05, 0.0612345678))
    monkeypatch.setattr(store, "DEFAULT_CALIBRATED", str(path))
    monkeypatch.setattr(store, "DEFAULT_PATTERNS", SMALL)
    window = make_window(Project.single(default_scenario()))
    setup = open_explorer(window).setup
    row = row_of(setup, "lock_in_rate")
    low, high = setup.table.item(row, 2), setup.table.item(row, 3)
    assert (low.text(), high.text()) == ("0.00005998", "0.06123")
    ranges, _held = setup.ranges()
    assert tuple(map(float, ranges["lock_in_rate"])) == (5.99754321e-05, 0.0612345678)
    high.setText("0.07")  # what the user types is what runs
    assert setup.ranges()[0]["lock_in_rate"] == ("5.99754321e-05", "0.07")
