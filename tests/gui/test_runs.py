"""Running from the window: a run fills the plots and tables, Stop interrupts, the run works
on its snapshot, errors become dialogs, Monte Carlo bands match a headless ensemble."""
from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtGui import QAction

from gui.runs import jobs
from model.builtin import synthetic_scenario
from model.engine import METRIC_KEYS, run
from model.experiments import monte_carlo
from model.scenario import Project
from run_helpers import finish, start


def stop_after_first_rows(window, qtbot, wait: int) -> list:
    """Start a 1,000-step run, press Stop once its first rows arrive, wait for the end;
    the chunks of rows received."""
    chunks = []
    window.runs.step_chunk.connect(chunks.append)
    assert start(window, 1000)
    qtbot.waitUntil(lambda: bool(chunks), timeout=wait)
    window.actions["actionStop"].trigger()
    finish(window, qtbot, timeout=5_000)
    return chunks


def test_a_run_fills_the_plots_the_tables_and_the_outcome(window, qtbot):
    snapshot = window.doc.to_scenario()
    assert start(window, 12)
    assert not window.actions["actionRun"].isEnabled()
    finish(window, qtbot)
    session = window.runs.session
    expected = run(snapshot, 12, 0)
    pd.testing.assert_frame_equal(session.result.metrics, expected.metrics)
    series = window.results.plots.series[""]
    assert not np.isnan(series.line).any() and len(series.line) == 13
    x, y = series.items["hhi_mean"][0].getData()
    assert list(x) == list(range(13))
    assert np.allclose(y, expected.metrics["hhi_mean"])
    tables = window.results.tables.tables
    assert tables["firms"].model.rowCount() == len(expected.firms)
    assert tables["platforms"].model.rowCount() == len(expected.platforms) == 1
    assert expected.outcome.upper() in window.results.outcome.text()
    assert window.actions["actionExportWorkbook"].isEnabled()
    assert window.actions["actionRun"].isEnabled()
    assert window.runbar.progress.value() == window.runbar.progress.maximum()


def test_monte_carlo_bands_equal_a_headless_ensemble(window, qtbot):
    snapshot = window.doc.to_scenario()
    assert start(window, 8, runs=5, seed=3)
    finish(window, qtbot)
    mc = window.runs.session.monte_carlo
    headless = monte_carlo(snapshot, 5, 8, 3)
    pd.testing.assert_frame_equal(mc.summary, headless.summary)
    assert mc.outcomes == headless.outcomes
    series = window.results.plots.series[""]
    line, upper, lower, fill, mean = series.items["hhi_mean"]
    assert fill.isVisible()
    assert np.allclose(upper.getData()[1], headless.summary["hhi_mean_p95"])
    assert np.allclose(mean.getData()[1], headless.summary["hhi_mean_mean"])
    assert "Outcomes of 5 runs" in window.results.outcome.text()


def test_partial_bands_grow_as_runs_end(window, qtbot, monkeypatch):
    monkeypatch.setattr(jobs, "BAND_INTERVAL", 0.0)
    updates = []
    window.runs.bands.connect(lambda update: updates.append(update.done))
    assert start(window, 5, runs=6)
    finish(window, qtbot)
    assert updates and updates == sorted(updates) and updates[-1] < 6


def test_stop_interrupts_a_long_run(make_window, qtbot, dialogs):
    window = make_window(Project.single(synthetic_scenario(400)))
    chunks = stop_after_first_rows(window, qtbot, wait=10_000)
    assert window.runs.session is None
    assert sum(len(c.rows) for c in chunks) < 1001
    assert "Stopped" in window.statusBar().currentMessage()
    assert dialogs.calls == []
    assert window.actions["actionRun"].isEnabled() and \
        not window.actions["actionStop"].isEnabled()


def test_editing_during_a_run_does_not_alter_it(make_window, qtbot):
    window = make_window(Project.single(synthetic_scenario(200)))
    before = window.doc.to_scenario()
    chunks = []
    window.runs.step_chunk.connect(chunks.append)
    assert start(window, 60)
    qtbot.waitUntil(lambda: bool(chunks), timeout=10_000)
    window.levers.spins["antitrust_enforcement"].setValue(1.0)
    victim = next(n for n in window.doc.node_ids() if window.doc.node(n)["kind"] == "sme")
    window.editor.scene.select_nodes([victim])
    window.editor.delete_selection()
    finish(window, qtbot)
    assert not window.doc.has_node(victim)
    headless = run(before, 60, 0)
    pd.testing.assert_frame_equal(window.runs.session.result.metrics, headless.metrics)


def test_an_engine_error_shows_a_dialog_and_keeps_the_window(window, qtbot, dialogs,
                                                              monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")
        yield  # a generator, as the engine's

    monkeypatch.setattr(jobs, "simulate", broken)
    assert start(window, 5)
    finish(window, qtbot)
    kind, title, text = dialogs.calls[-1]
    assert kind == "critical" and "engine exploded" in text
    assert window.isVisible() and window.runs.session is None
    assert window.actions["actionRun"].isEnabled()


def test_an_invalid_scenario_lists_its_problems(window, dialogs):
    key, _firm = window.editor.operator_of("p-voice")
    window.editor.scene.clearSelection()
    window.editor.scene.edges[key].setSelected(True)
    window.editor.delete_selection()
    assert not start(window, 5)
    kind, title, text = dialogs.calls[-1]
    assert kind == "critical" and title == "The scenario cannot run"
    assert "p-voice" in text and "problem" in text
    assert not window.runs.busy()


def test_closing_the_window_during_a_run_joins_the_worker(make_window, qtbot):
    window = make_window(Project.single(synthetic_scenario(400)))
    chunks = []
    window.runs.step_chunk.connect(chunks.append)
    assert start(window, 1000)
    qtbot.waitUntil(lambda: bool(chunks), timeout=10_000)
    window.editor.stack.setClean()
    window.close()
    assert not window.runs.busy()


def test_metric_chooser_and_threshold_sets_change_the_plots(window, qtbot):
    assert start(window, 6)
    finish(window, qtbot)
    window.results.choose_metrics(["hhi_max", "openness_mean", "exits_cum"])
    plots = window.results.plots
    assert list(plots.plots) == ["hhi_max", "exits_cum", "openness_mean"]  # METRICS order
    assert len(plots.series[""].items) == 3

    def threshold_values():
        from pyqtgraph import InfiniteLine

        return sorted(i.value() for i in plots.plots["hhi_max"].items
                      if isinstance(i, InfiniteLine) and i.angle == 0)

    assert threshold_values() == [1500, 2500]
    chooser = window.results.band_sets
    chooser.setCurrentIndex(chooser.findData("eu2004"))
    assert threshold_values() == [1000, 2000]
    text = plots.readout_text("hhi_max", 3)
    value = window.runs.session.result.metrics["hhi_max"].iloc[3]
    assert "step 3" in text and f"{value:,.0f}" in text


def test_plots_export_to_png_and_svg(window, qtbot, dialogs, tmp_path):
    assert start(window, 4)
    finish(window, qtbot)
    png, svg = tmp_path / "curves.png", tmp_path / "curves.svg"
    dialogs.answer("save", str(png), str(svg))
    assert window.results.export_plot() and window.results.export_plot()
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in svg.read_bytes()[:400]


def test_actions_exist_with_shortcuts(window):
    names = {a.objectName() for a in window.findChildren(QAction)}
    assert {"actionRun", "actionStop", "actionCompare", "actionSensitivity", "actionReplay",
            "actionWorkshop", "actionLiveMode"} <= names
    assert window.actions["actionRun"].shortcut().toString() == "F5"
    assert window.actions["actionWorkshop"].shortcut().toString() == "F11"
    assert list(METRIC_KEYS)  # the chooser offers every metric
    assert window.results.metric_list.count() == len(METRIC_KEYS)


def test_a_long_run_goes_to_a_child_process_and_stops_there(make_window, qtbot, dialogs,
                                                           monkeypatch):
    """Above ISOLATE_WORK firm-steps the base run leaves the window's process: the same
    rows and result as a headless run, and Stop still ends it."""
    monkeypatch.setattr(jobs, "ISOLATE_WORK", 1)
    started = []
    real = jobs.run_in_process
    monkeypatch.setattr(jobs, "run_in_process",
                        lambda *a, **k: started.append(1) or real(*a, **k))
    scenario = synthetic_scenario(150)
    window = make_window(Project.single(scenario))
    assert start(window, 15, seed=3)
    finish(window, qtbot, timeout=30_000)
    assert started and dialogs.calls == []
    headless = run(window.doc.to_scenario(), 15, 3, record_states=True)
    session = window.runs.session
    pd.testing.assert_frame_equal(session.result.metrics, headless.metrics)
    assert session.result.states is not None  # replay works from the child's result
    line = window.results.plots.series[""].line
    assert np.array_equal(line, headless.metrics[list(METRIC_KEYS)].to_numpy(float))
    stop_after_first_rows(window, qtbot, wait=30_000)
    assert window.runs.session is session and dialogs.calls == []  # the stopped run: none
    assert "Stopped" in window.statusBar().currentMessage()


def test_live_plots_widen_their_y_range_only_when_data_leave_it(qtbot):
    from gui.docks.plots import MetricPlots

    plots = MetricPlots()
    qtbot.addWidget(plots)
    rows = np.zeros((41, len(METRIC_KEYS)))
    j = METRIC_KEYS.index("active_smes")
    rows[:, j] = np.linspace(100, 140, 41)
    plots.add_rows("", 0, rows[:5], 40)
    plots.flush()
    view = plots.plots["active_smes"].vb
    first = view.viewRange()[1]
    assert first[0] <= 100 and first[1] >= 104
    plots.add_rows("", 5, rows[5:6], 40)  # still inside the headroom: the axis holds
    plots.flush()
    assert view.viewRange()[1] == first
    plots.add_rows("", 6, rows[6:], 40)  # up to 140: it widens
    plots.flush()
    assert view.viewRange()[1][1] >= 140 > first[1]
    held = view.viewRange()[1]
    plots.set_line("", rows)  # final data that fill the held range keep it
    assert view.viewRange()[1] == held and not view.autoRangeEnabled()[1]
    rows[:, j] = 120.0
    plots.set_line("", rows)  # a flat line in a wide range: back to the auto-range
    assert view.autoRangeEnabled()[1]
