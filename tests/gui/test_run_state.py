"""Honest run state: after Stop, the header, the status bar and the progress box give one
count, that of the runs kept; those runs are a result (bands, export, replay); a job that
ends without a result says so and leaves no running look; progress moves early."""
from __future__ import annotations

import re
import threading

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from gui.runs import jobs
from gui.simulation import NOT_KEPT
from model.builtin import synthetic_scenario
from model.engine import METRIC_KEYS, run
from model.experiments import summarise
from model.scenario import Project
from run_helpers import finish, start

RUNS = 150


def stop_on_first(window, signal) -> None:
    """Press Stop when `signal` first fires (in the window's thread, as a user would)."""
    def stop(*_args):
        if window.runs.busy():
            window.actions["actionStop"].trigger()
    signal.connect(stop)


def stopped_ensemble(make_window, qtbot, monkeypatch):
    """A Monte Carlo of RUNS runs, in this process, stopped at its first band update."""
    monkeypatch.setattr(jobs, "BAND_INTERVAL", 0.0)
    window = make_window(Project.single(synthetic_scenario(60)))
    window.runs.executor = None  # batches in the job's thread: Stop lands between steps
    stop_on_first(window, window.runs.bands)
    assert start(window, 30, runs=RUNS, seed=4)
    finish(window, qtbot)
    return window


def header(window) -> str:
    return window.results.outcome.text()


def header_words(window) -> str:
    return re.sub("<[^>]+>", "", header(window))


def test_after_stop_every_view_counts_the_runs_kept(make_window, qtbot, monkeypatch):
    window = stopped_ensemble(make_window, qtbot, monkeypatch)
    session = window.runs.session
    kept = len(session.monte_carlo.seeds)
    assert session.stopped and session.runs == kept and session.planned == RUNS
    assert 1 < kept < RUNS
    said = f"Stopped after {kept} of {RUNS} runs"
    assert said in header(window)
    assert said in window.statusBar().currentMessage()
    bar = window.runbar.progress
    assert (bar.value(), bar.maximum()) == (kept, RUNS)
    assert bar.text() == f"stopped: {kept} of {RUNS} runs"
    assert window.runbar.time_left.text().startswith("stopped after")
    assert "<i>" not in header(window)  # the running look has gone


def test_the_runs_kept_are_a_result_with_bands(make_window, qtbot, monkeypatch):
    window = stopped_ensemble(make_window, qtbot, monkeypatch)
    session = window.runs.session
    mc = session.monte_carlo
    snapshot = window.doc.to_scenario()
    for k in (0, len(mc.seeds) - 1):  # each kept run is the headless run of its seed
        expected = run(snapshot, 30, int(mc.seeds[k])).metrics[list(METRIC_KEYS)]
        assert np.array_equal(mc.runs[k], expected.to_numpy(float))
    pd.testing.assert_frame_equal(mc.summary, summarise(mc.runs, snapshot.start))
    _line, upper, _lower, fill, mean = window.results.plots.series[""].items["hhi_mean"]
    assert fill.isVisible()
    assert np.allclose(upper.getData()[1], mc.summary["hhi_mean_p95"])
    assert np.allclose(mean.getData()[1], mc.summary["hhi_mean_mean"])
    assert f"mean of the {session.runs} runs that finished" in \
        window.results.plots.readout.text()


def test_a_stopped_ensemble_exports_with_its_count(make_window, qtbot, monkeypatch,
                                                  dialogs, tmp_path):
    window = stopped_ensemble(make_window, qtbot, monkeypatch)
    kept = window.runs.session.runs
    assert window.actions["actionExportWorkbook"].isEnabled()
    dialogs.answer("save", str(tmp_path / "stopped.xlsx"))
    window.actions["actionExportWorkbook"].trigger()
    qtbot.waitUntil(lambda: not window.runs.exporter.busy(), timeout=30_000)
    book = load_workbook(tmp_path / "stopped.xlsx", read_only=True)
    texts = [c for row in book["Summary"].iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    assert f"Monte Carlo, {kept} runs" in texts
    assert any(t.endswith(f"({kept} runs)") for t in texts)  # the seeds, counted
    header = [c.value for c in next(book["TimeSeries"].iter_rows(min_row=2, max_row=2))]
    assert "hhi_mean_p95" in header
    book.close()


def test_replay_of_the_base_run_stays_after_stop(make_window, qtbot, monkeypatch):
    window = stopped_ensemble(make_window, qtbot, monkeypatch)
    replay = window.replay
    assert replay.toggle.isEnabled()
    assert replay.styler.steps == 30
    replay.toggle.setChecked(True)
    replay.set_step(12)
    assert window.results.plots.cursors["hhi_mean"].value() == 12


def test_stop_before_the_first_run_ends_keeps_nothing_and_says_why(make_window, qtbot):
    window = make_window(Project.single(synthetic_scenario(400)))
    stop_on_first(window, window.runs.step_chunk)
    assert start(window, 1000, runs=20)
    finish(window, qtbot)
    assert window.runs.session is None
    said = "Stopped after 0 of 20 runs"
    assert said in header(window) and said in window.statusBar().currentMessage()
    assert "<i>" not in header(window)
    bar = window.runbar.progress
    assert (bar.value(), bar.maximum()) == (0, 20)
    assert not window.replay.toggle.isEnabled()
    assert window.replay.step_label.text() == NOT_KEPT["stopped"]
    assert not window.actions["actionExportWorkbook"].isEnabled()
    assert window.results.plots.series == {}  # a run that did not end is not a result


def test_a_stop_without_result_shows_the_previous_one_again(make_window, qtbot):
    window = make_window(Project.single(synthetic_scenario(400)))
    assert start(window, 6)
    finish(window, qtbot)
    previous = window.runs.session
    stop_on_first(window, window.runs.step_chunk)
    assert start(window, 1000)
    assert not window.actions["actionExportWorkbook"].isEnabled()  # not while it runs
    finish(window, qtbot)
    assert window.runs.session is previous
    assert previous.result.outcome.upper() in header(window)
    assert "Stopped at step" in header(window) and "previous" in header(window)
    assert len(window.results.plots.series[""].line) == 7  # the previous run's curves
    assert window.replay.toggle.isEnabled() and window.replay.styler.steps == 6
    assert window.actions["actionExportWorkbook"].isEnabled()
    bar = window.runbar.progress
    assert bar.text().startswith("stopped: step") and bar.maximum() == 1000


def test_a_failure_leaves_no_running_look(window, qtbot, dialogs, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")
        yield  # a generator, as the engine's

    monkeypatch.setattr(jobs, "simulate", broken)
    assert start(window, 5)
    finish(window, qtbot)
    assert "<i>" not in header(window)
    assert "The run failed (RuntimeError: engine exploded)" in header(window)
    assert window.runbar.progress.text().startswith("failed")
    assert window.runbar.time_left.text().startswith("failed after")
    assert dialogs.kinds() == ["critical"]


def test_the_count_in_the_header_is_the_count_in_the_progress_box(make_window, qtbot,
                                                                  monkeypatch):
    """While runs go on, every band update and the progress report after it agree."""
    monkeypatch.setattr(jobs, "BAND_INTERVAL", 0.0)
    window = make_window(Project.single(synthetic_scenario(60)))
    window.runs.executor = None
    seen = []
    window.runs.bands.connect(lambda update: seen.append(("bands", update.done)))
    window.runs.progress.connect(lambda done, total, left: seen.append(("progress", done)))
    assert start(window, 10, runs=RUNS)
    finish(window, qtbot)
    updates = [k for k, (what, _) in enumerate(seen) if what == "bands"]
    assert len(updates) >= 2
    for k in updates:
        assert seen[k + 1] == ("progress", seen[k][1])


def test_progress_moves_before_a_first_whole_batch(make_window, qtbot, monkeypatch):
    """Each worker's first batch is small: the first count after the base run comes
    after an eighth of a batch of runs, not a whole one."""
    monkeypatch.setattr(jobs, "BAND_INTERVAL", 0.0)
    window = make_window(Project.single(synthetic_scenario(60)))
    window.runs.executor = None
    counts = []
    window.runs.progress.connect(lambda done, total, left: counts.append(done))
    assert start(window, 10, runs=161)  # batches of 40 runs after the base one
    finish(window, qtbot)
    assert counts[:2] == [1, 1 + 40 // 8]
    assert window.runbar.time_left.text().startswith("done in")


def held_after_the_first_step(monkeypatch) -> threading.Event:
    """The representative run stops after its first step until the returned event is set
    (or Stop is pressed): the run bar stays busy for as long as a test needs, whatever the
    machine's load."""
    released = threading.Event()
    real = jobs.simulate

    def held(*args, cancel=None, **options):
        steps = real(*args, cancel=cancel, **options)
        yield next(steps)
        while not released.wait(0.01):
            if cancel is not None and cancel():
                break  # the next step raises Cancelled
        return (yield from steps)

    monkeypatch.setattr(jobs, "simulate", held)
    return released


def test_the_elapsed_time_shows_while_the_bar_is_busy(make_window, qtbot, monkeypatch):
    """Before the first count the bar is busy and the label counts the seconds spent: it
    moves from "starting… 0 s" on the ticker's beat, with no count to show yet."""
    held_after_the_first_step(monkeypatch)
    window = make_window(Project.single(synthetic_scenario(400)))
    chunks = []
    window.runs.step_chunk.connect(chunks.append)
    assert start(window, 1000, runs=5)
    assert window.runbar.time_left.text() == "starting… 0 s"
    qtbot.waitUntil(lambda: bool(chunks), timeout=60_000)
    qtbot.waitUntil(lambda: window.runbar.time_left.text() != "starting… 0 s",
                    timeout=60_000)
    assert window.runbar.time_left.text().startswith("starting… ")
    assert window.runbar.progress.maximum() == 0  # still busy: no count has come
    window.actions["actionStop"].trigger()
    finish(window, qtbot)
    assert window.runbar.progress.maximum() == 5  # determinate again


def test_stopped_after_the_base_run_it_is_a_result_of_one_run(make_window, qtbot):
    window = make_window(Project.single(synthetic_scenario(400)))
    window.runs.executor = None
    stop_on_first(window, window.runs.progress)  # the first count: the base run ended
    assert start(window, 200, runs=20)
    finish(window, qtbot)
    session = window.runs.session
    assert session.runs == len(session.monte_carlo.seeds) == 1 and session.planned == 20
    assert "Stopped after 1 of 20 runs. Only the run of seed 0 finished." in \
        header_words(window)
    assert session.result.outcome.upper() in header(window)
    assert "■" not in header(window) and "of runs" not in header(window)  # no shares of one
    assert (window.runbar.progress.value(), window.runbar.progress.maximum()) == (1, 20)
    assert window.replay.toggle.isEnabled()
    assert window.replay.step_label.text().endswith("(step 200 of 200)")
