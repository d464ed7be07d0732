"""What the results lead to: the workbook, comparisons, the tornado, replay on the canvas,
tables linked with the canvas, named variants, and the workshop mode."""
from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.canvas import style
from gui.canvas.replay import lock_in_pen
from model.experiments import compare
from model.files import load_file
from model.parameters import LEVERS


def run_and_wait(window, qtbot, steps=6, runs=1, seed=0):
    window.runbar.steps.setValue(steps)
    window.runbar.runs.setValue(runs)
    window.runbar.seed.setValue(seed)
    assert window.runbar.start()
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=20_000)
    return window.runs.session


def test_export_writes_the_briefing_workbook_from_the_results(window, qtbot, dialogs,
                                                              tmp_path):
    session = run_and_wait(window, qtbot, steps=5, runs=3)
    target = tmp_path / "brief"
    dialogs.answer("save", str(target))
    window.actions["actionExportWorkbook"].trigger()
    qtbot.waitUntil(lambda: not window.runs.exporter.busy(), timeout=20_000)
    written = tmp_path / "brief.xlsx"
    assert written.exists() and dialogs.kinds() == ["save"]
    book = load_workbook(written, read_only=True)
    assert book.sheetnames[0] == "Summary" and "TimeSeries" in book.sheetnames
    header = [c.value for c in next(book["TimeSeries"].iter_rows(min_row=2, max_row=2))]
    assert "hhi_mean_p95" in header
    steps = [row[0] for row in book["TimeSeries"].iter_rows(min_row=3, values_only=True)]
    assert steps == list(range(6))
    book.close()
    assert window.runs.session is session  # nothing re-ran


def test_comparison_overlays_two_scenarios_with_bands(window, qtbot):
    chosen = [("main", "variant", "main"), ("main + Benign", "preset", "benign")]
    assert window.simulation.compare(chosen, 6, 3, 0)
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=20_000)
    comparison = window.runs.session.comparison
    assert comparison.labels == ("main", "main + Benign")
    snapshot = window.doc.to_scenario()
    headless = compare({"a": snapshot, "b": snapshot.with_preset("benign")}, 3, 6, 0)
    pd.testing.assert_frame_equal(comparison.results["main + Benign"].summary,
                                  headless.results["b"].summary)
    series = window.results.plots.series
    assert list(series) == ["main", "main + Benign"]
    assert series["main"].colour != series["main + Benign"].colour
    for label in series:
        _line, upper, _lower, fill, mean = series[label].items["hhi_mean"]
        assert fill.isVisible() and len(mean.getData()[1]) == 7
    assert "main + Benign" in window.results.outcome.text()


def test_sensitivity_draws_a_tornado(window, qtbot):
    window.runbar.steps.setValue(3)
    window.runbar.runs.setValue(2)
    assert window.simulation.sensitivity()
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=30_000)
    table = window.runs.session.sensitivity
    tornado = window.results.tornado
    assert window.results.tabs.currentWidget() is tornado
    key = tornado.chooser.currentData()
    rows = table[table["metric"] == key]
    assert len(tornado.bars) == 2
    low = tornado.bars[0].opts
    assert len(low["y"]) == len(rows) == len(LEVERS)
    assert np.allclose(sorted(low["width"]), sorted(rows["low_change"].abs()))


def test_replay_colours_nodes_and_leaving_restores_them(window, qtbot):
    session = run_and_wait(window, qtbot, steps=8)
    replay, scene = window.replay, window.editor.scene
    assert replay.toggle.isEnabled()
    replay.toggle.setChecked(True)
    replay.set_step(4)
    firm = scene.nodes["f-sme1"]
    zone = scene.nodes["z-hub"]
    assert firm.replay_brush is not None and replay.legend.isVisible()
    replay.field.setCurrentIndex(replay.field.findData("talent"))
    assert zone.replay_brush is not None  # zones carry talent
    assert window.results.plots.cursors["hhi_mean"].isVisible()
    assert window.results.plots.cursors["hhi_mean"].value() == 4
    # The colours follow the given states: a higher capability, a later ramp colour.
    replay.field.setCurrentIndex(replay.field.findData("capability"))
    values = session.result.states.at(4)["capability"]
    ids = list(session.result.states.ids)
    low, high = sorted(("f-sme1", "f-lead"), key=lambda n: values[ids.index(n)])
    assert scene.nodes[high].replay_scale > scene.nodes[low].replay_scale
    # `uses` links by lock-in: a colour and width per tenth, more locked in = wider
    history = session.result.states
    uses = {(e.source.node_id, e.target.node_id): e for e in scene.edges.values()
            if e.etype == "uses"}
    assert uses and all(e.replay_pen is not None for e in uses.values())
    lock_in = dict(zip(map(tuple, history.edge_ends), history.edge_fields["lock_in"][4]))
    (a, la), (b, lb) = sorted(lock_in.items(), key=lambda kv: kv[1])[::len(lock_in) - 1]
    if round(lb * 10) > round(la * 10):
        assert uses[b].replay_pen.widthF() > uses[a].replay_pen.widthF()
    for step in (0, 4):
        replay.set_step(step)
        values = zip(map(tuple, history.edge_ends), history.edge_fields["lock_in"][step])
        assert all(uses[pair].replay_pen is lock_in_pen(round(float(v) * 10))
                   for pair, v in values)
    others = [e for e in scene.edges.values() if e.etype != "uses"]
    assert others and all(e.replay_pen is None for e in others)
    replay.toggle.setChecked(False)
    for item in scene.nodes.values():
        assert item.replay_brush is None and item.replay_scale == 1.0
        assert item.opacity() == 1.0
    assert all(e.replay_pen is None for e in scene.edges.values())
    assert not replay.legend.isVisible()
    assert not window.results.plots.cursors["hhi_mean"].isVisible()
    assert firm.kind_style is style.KIND_STYLES["sme"]


def test_replay_greys_firms_that_left(window, qtbot):
    run_and_wait(window, qtbot, steps=3)
    states = window.runs.session.result.states
    alive = np.array(states.fields["alive"], copy=True)
    ids = list(states.ids)
    alive[2:, ids.index("f-sme2")] = 0  # as if it exited at step 2
    alive[2:, ids.index("f-sme1")] = 0  # and this one, which uses a platform
    from model.engine import StateHistory

    window.replay.set_states(StateHistory(states.ids, {**states.fields, "alive": alive},
                                          states.edge_ends, states.edge_fields))
    window.replay.toggle.setChecked(True)
    window.replay.set_step(3)
    item = window.editor.scene.nodes["f-sme2"]
    assert item.replay_brush.color().name() == "#9e9e9e" and item.shape_opacity < 1.0
    links = [e for e in window.editor.scene.nodes["f-sme1"].edges if e.etype == "uses"]
    assert links and all(e.replay_pen is lock_in_pen(-1) for e in links)
    window.replay.set_step(1)
    assert item.replay_brush.color().name() != "#9e9e9e"
    assert all(e.replay_pen is not lock_in_pen(-1) for e in links)


def test_tables_and_canvas_selection_follow_each_other(window, qtbot):
    run_and_wait(window, qtbot, steps=4)
    firms = window.results.tables.tables["firms"]
    firms.filter.setText("SME Two")
    assert firms.model.rowCount() == 1 and firms.count.text().startswith("1 of ")
    firms.view.selectRow(0)
    assert window.editor.scene.selected_node_ids() == ["f-sme2"]
    firms.filter.setText("")
    window.editor.scene.select_nodes(["z-small"])
    zones = window.results.tables.tables["zones"]
    assert window.results.tables.currentWidget() is zones
    row = zones.view.selectionModel().selectedRows()[0]
    assert zones.model.node_id(row.row()) == "z-small"
    firms.view.sortByColumn(list(firms.model.frame.columns).index("capability"),
                            Qt.SortOrder.DescendingOrder)
    top = firms.model.node_id(0)
    assert top == firms.model.frame.sort_values("capability").iloc[-1]["id"]


def test_variants_duplicate_rename_switch_and_save(window, tmp_path):
    variants = window.variants
    assert variants.names() == ["main"]
    assert variants.duplicate() == "main copy"
    assert variants.names() == ["main", "main copy"] and variants.active() == 1
    window.levers.spins["antitrust_enforcement"].setValue(0.95)
    assert variants.rename("strict")
    assert window.variants_bar.combo.currentText() == "strict"
    assert variants.switch(0)
    assert window.doc.parameters["antitrust_enforcement"] != 0.95
    assert window.variants_bar.combo.currentText() == "main"
    assert variants.switch(1)
    assert window.doc.parameters["antitrust_enforcement"] == 0.95
    assert window.isWindowModified()
    assert window.files.write(tmp_path / "two.json")
    project = load_file(tmp_path / "two.json")
    assert [v.name for v in project.variants] == ["main", "strict"] and project.active == 1
    assert project.variant("strict").parameters["antitrust_enforcement"] == 0.95


def test_live_mode_reruns_when_a_lever_moves(window, qtbot):
    workshop = window.workshop
    workshop.executor = None  # in this thread: no worker processes in tests
    results = []
    workshop.runner.succeeded.connect(results.append)
    window.actions["actionLiveMode"].setChecked(True)
    qtbot.waitUntil(lambda: len(results) == 1, timeout=20_000)
    window.levers.spins["antitrust_enforcement"].setValue(0.1)
    window.levers.spins["antitrust_enforcement"].setValue(0.9)  # debounced: one re-run
    qtbot.waitUntil(lambda: len(results) == 2 and not workshop.runner.busy(), timeout=20_000)
    assert results[-1].provenance.parameters["antitrust_enforcement"] == 0.9
    from gui.workshop import LIVE_RUNS

    assert LIVE_RUNS == 200 and len(results[-1].seeds) == LIVE_RUNS
    assert "Live (200 runs)" in window.results.outcome.text()
    window.actions["actionLiveMode"].setChecked(False)
    assert not workshop.live


def test_workshop_mode_goes_full_screen_and_comes_back(window, qtbot):
    app = QApplication.instance()
    size = app.font().pointSize()
    window.actions["actionWorkshop"].setChecked(True)
    assert window.isFullScreen()
    assert app.font().pointSize() == 15
    assert window.results.plots.line_width == 4.0
    window.actions["actionWorkshop"].setChecked(False)
    assert not window.isFullScreen()
    assert app.font().pointSize() == size
    assert window.results.plots.line_width == 2.0
