"""Schedules in the window: a timeline under each lever adds, drags, deletes and ramps
changes (every edit one undo step), presets bring their schedules, the start quarter
moves the calendar, and a run shows its quarters and change points."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt

from model.calendar import Quarter
from model.engine import METRIC_KEYS, prepare, run_metrics

KEY = "antitrust_enforcement"


def timeline(window, key=KEY):
    line = window.levers.timelines[key]
    line.resize(400, 28)
    return line


def point(line, step, value) -> QPoint:
    return QPointF(line.x_of(step), line.y_of(value)).toPoint()


def test_double_click_adds_a_change_and_drag_moves_it_in_one_undo_step(window, qtbot):
    line = timeline(window)
    window.levers.set_steps(40)
    stack = window.editor.stack
    before = stack.count()
    qtbot.mouseDClick(line, Qt.MouseButton.LeftButton, pos=point(line, 10, 0.8))
    schedule = window.doc.schedules[KEY]
    (change,) = schedule.changes
    assert change.quarter - window.doc.start == 10 and abs(change.value - 0.8) < 0.03
    assert stack.count() == before + 1
    qtbot.mousePress(line, Qt.MouseButton.LeftButton, pos=point(line, 10, change.value))
    for step in (12, 15, 20):
        qtbot.mouseMove(line, pos=point(line, step, 0.5))
    qtbot.mouseRelease(line, Qt.MouseButton.LeftButton, pos=point(line, 20, 0.5))
    (moved,) = window.doc.schedules[KEY].changes
    assert moved.quarter - window.doc.start == 20 and abs(moved.value - 0.5) < 0.03
    assert stack.count() == before + 2  # the whole drag: one step
    stack.undo()
    assert window.doc.schedules[KEY] == schedule
    stack.undo()
    assert KEY not in window.doc.schedules


def test_delete_key_ramps_and_their_undo(window, qtbot):
    line = timeline(window)
    assert line.add_change(4, 0.1) and line.add_change(12, 0.9)
    assert line.set_ramp(1, True)
    assert [c.ramp for c in window.doc.schedules[KEY].changes] == [False, True]
    assert not line.set_ramp(0, True)  # a ramp needs an earlier change
    values = line.values()
    assert values[3] == 0.3 and values[4] == 0.1 and abs(values[8] - 0.5) < 1e-12
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=point(line, 4, 0.1))
    assert line.chosen == 0
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    (left,) = window.doc.schedules[KEY].changes
    assert left.quarter - window.doc.start == 12 and not left.ramp  # nothing to ramp from
    window.editor.stack.undo()
    assert len(window.doc.schedules[KEY].changes) == 2


def test_a_dated_preset_and_defaults_are_one_undo_step_each(window):
    stack = window.editor.stack
    before = stack.count()
    assert window.levers.apply_preset("enforce_in_8q")
    assert window.doc.schedules[KEY].changes[0].quarter == window.doc.start + 8
    assert window.levers.apply_preset("aml2022_pipl")
    assert set(window.doc.schedules) == {KEY, "data_protection"}
    assert window.levers.reset_defaults()
    assert not window.doc.schedules and stack.count() == before + 3
    stack.undo()
    assert set(window.doc.schedules) == {KEY, "data_protection"}


def test_the_start_quarter_moves_step_0(window):
    levers = window.levers
    levers.start_year.setValue(2021)
    levers.start_quarter.setCurrentIndex(2)
    assert window.doc.start == Quarter.parse("2021Q3")
    assert "to 2031Q3" in levers.span.text()
    window.editor.stack.undo()
    assert window.doc.start == Quarter.parse("2021Q1")
    assert window.doc.to_scenario().start == Quarter.parse("2021Q1")


def test_a_run_follows_the_schedule_and_shows_quarters_and_change_points(window, qtbot):
    line = timeline(window)
    assert line.add_change(6, 0.9)
    window.runs.executor = None
    window.runbar.steps.setValue(12)
    window.runbar.runs.setValue(1)
    assert window.runbar.start()
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=20_000)
    session = window.runs.session
    assert session.result.provenance.schedules == {KEY: "2025Q3:0.9"}
    expected = run_metrics(prepare(window.doc.to_scenario()), 0, 12)
    assert (session.result.metrics[list(METRIC_KEYS)].to_numpy(float) == expected).all()
    plots = window.results.plots
    assert plots.start == window.doc.start and [s for s, _ in plots.changes] == [6]
    assert "Antitrust enforcement to 0.9" in plots.changes[0][1]
    assert plots.readout_text("hhi_mean", 6).startswith("<b>2025Q3</b> (step 6)")
    axis = plots.plots["hhi_mean"].getAxis("bottom")
    assert axis.tickStrings([0, 4, 8], 1, 4) == ["2024Q1", "2025Q1", "2026Q1"]
    replay = window.replay
    replay.set_active(True)
    replay.set_step(6)
    assert replay.step_label.text() == "2025Q3 (step 6 of 12)"
    replay.set_active(False)
    table = window.results.tables
    assert "quarter" in list(session.result.metrics.columns)[:2]
    assert table is not None


def test_no_change_or_run_goes_past_the_last_quarter(window, dialogs):
    """A change or a run past 2999Q4 would be written where no reader takes it back."""
    window.levers.start_year.setValue(2999)
    window.levers.start_quarter.setCurrentIndex(2)  # 2999Q3
    line = timeline(window)
    assert line.add_change(1, 0.9)  # 2999Q4: the last quarter
    assert not line.add_change(2, 0.9) and not line.move_change(0, 5, 0.9)
    assert [c.quarter.label for c in line.changes()] == ["2999Q4"]
    assert not window.runs.run(8)
    kind, title, text = dialogs.calls[-1]
    assert kind == "critical" and "Steps 8 from the scenario's start, 2999Q3" in text
    assert not window.runs.busy()
