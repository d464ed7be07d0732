"""Comparing scenarios: the benign and adverse presets wear the outcome colours and nothing
else does; the dialog's own runs, steps and seed are used; replay says why it is off."""
from __future__ import annotations

import re

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog

from gui import colours
from gui.docks import results
from gui.explore import views
from gui.runs.replay import IN_COMPARISON
from gui.variants import CompareDialog
from model.builtin import synthetic_scenario
from model.scenario import Project

CHOSEN = [("main", "variant", "main"), ("main + Benign", "preset", "benign"),
          ("main + Adverse", "preset", "adverse"), ("main + Act now", "preset", "enforce_now")]


def compare(window, qtbot, chosen=CHOSEN, steps=5, runs=3, seed=0):
    assert window.simulation.compare(chosen, steps, runs, seed)
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=30_000)
    return window.runs.session


def looks_like_an_outcome(colour: str) -> bool:
    """Green, red or grey to the eye: what a room reads as benign, adverse or mixed."""
    hue, saturation, value, _ = QColor(colour).getHsvF()
    hue *= 360
    grey = saturation < 0.15 and 0.2 < value < 0.9
    green = 75 <= hue <= 175 and saturation > 0.25
    red = (hue <= 30 or hue >= 345) and saturation > 0.4  # vermilion is 23°
    return grey or green or red


def test_series_colours_never_look_like_an_outcome():
    assert not set(colours.SERIES_COLOURS) & set(colours.OUTCOME_COLOURS.values())
    assert not [c for c in colours.SERIES_COLOURS if looks_like_an_outcome(c)]
    assert all(looks_like_an_outcome(c) for c in colours.OUTCOME_COLOURS.values())


def test_the_window_has_one_set_of_outcome_colours():
    assert results.OUTCOME_COLOURS is colours.OUTCOME_COLOURS
    assert views.OUTCOME_COLOURS is colours.OUTCOME_COLOURS
    html = results.shares_html({"benign": 0.5, "mixed": 0.25, "adverse": 0.25}, "x")
    for outcome, colour in colours.OUTCOME_COLOURS.items():
        assert f"color:{colour}'>■ {outcome}" in html


def test_benign_and_adverse_presets_wear_the_outcome_colours(window, qtbot):
    compare(window, qtbot)
    series = window.results.plots.series
    assert list(series) == [label for label, _, _ in CHOSEN]
    assert series["main + Benign"].colour == colours.OUTCOME_COLOURS["benign"]
    assert series["main + Adverse"].colour == colours.OUTCOME_COLOURS["adverse"]
    assert series["main"].colour == colours.BASE_COLOUR
    assert series["main + Act now"].colour in colours.SERIES_COLOURS
    for label, item in series.items():  # the curves are drawn in the series' colour
        mean = item.items["hhi_mean"][4]
        assert mean.opts["pen"].color().name().lower() == item.colour.lower()
    header = window.results.outcome.text()
    swatches = dict(re.findall(r"color:(#[0-9A-Fa-f]{6})'>━━</span> <b>([^<]+)</b>:", header))
    assert swatches == {item.colour: label for label, item in series.items()}


def test_the_colours_do_not_depend_on_the_order_ticked(window, qtbot):
    compare(window, qtbot, chosen=[CHOSEN[2], CHOSEN[0], CHOSEN[1]])
    series = window.results.plots.series
    assert series["main + Adverse"].colour == colours.OUTCOME_COLOURS["adverse"]
    assert series["main + Benign"].colour == colours.OUTCOME_COLOURS["benign"]
    assert series["main"].colour == colours.BASE_COLOUR  # the base: dark grey, solid


def test_the_compare_dialog_prefills_the_toolbar_and_its_values_are_used(window, qtbot,
                                                                        monkeypatch):
    bar = window.runbar
    bar.steps.setValue(7)
    bar.runs.setValue(4)
    bar.seed.setValue(2)
    shown = []

    def answer(dialog):
        shown.append(dialog.values())
        dialog.steps.setValue(5)
        dialog.runs.setValue(3)
        dialog.seed.setValue(9)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CompareDialog, "exec", answer)
    window.actions["actionCompare"].trigger()
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=30_000)
    assert shown == [(7, 4, 2)]
    session = window.runs.session
    assert (session.steps, session.runs, session.seed) == (5, 3, 9)
    for label in session.comparison.labels:
        mc = session.comparison.results[label]
        assert list(mc.seeds) == [9, 10, 11] and mc.runs.shape[1] == 6
    assert bar.values() == (7, 4, 2)  # the toolbar keeps its own


def test_the_compare_dialog_shows_each_choice_in_its_colour(window):
    dialog = CompareDialog(window, window.variants, 10, 1, 0)
    assert dialog.values() == (10, 2, 0)  # a comparison needs two runs for its bands
    ticked = {c[0]: i for i, c in enumerate(dialog.choices)}
    for label, colour in {"main + Benign scenario": colours.OUTCOME_COLOURS["benign"],
                          "main + Adverse scenario": colours.OUTCOME_COLOURS["adverse"]
                          }.items():
        pixel = dialog.list.item(ticked[label]).icon().pixmap(14, 14).toImage().pixel(7, 7)
        assert QColor(pixel).name().lower() == colour.lower()
    dialog.deleteLater()


def test_replay_says_it_is_off_during_a_comparison(window, qtbot):
    notes = []
    window.runs.started.connect(lambda *_: notes.append(window.replay.step_label.text()))
    compare(window, qtbot)
    assert notes == [IN_COMPARISON]  # from the start of the comparison
    replay = window.replay
    assert not replay.toggle.isEnabled()
    assert replay.step_label.text() == IN_COMPARISON
    assert replay.toggle.toolTip() == IN_COMPARISON
    assert window.runs.session.result.states is None  # not recorded: never replayed


def test_a_stopped_comparison_keeps_nothing_and_says_so(make_window, qtbot):
    window = make_window(Project.single(synthetic_scenario(60)))
    window.runs.executor = None  # batches in the job's thread: Stop lands between steps

    def stop(*_args):
        if window.runs.busy():
            window.actions["actionStop"].trigger()

    window.runs.progress.connect(stop)
    assert window.simulation.compare(CHOSEN[:2], 30, 100, 0)
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=30_000)
    assert window.runs.session is None
    text = window.results.outcome.text()
    said = "Stopped: a comparison is kept only whole"
    assert said in text and "<i>" not in text
    assert said in window.statusBar().currentMessage()
    bar = window.runbar.progress
    assert (bar.value(), bar.maximum()) == (0, 200)
    assert bar.text() == "stopped: 0 of 200 runs in all"
    assert window.results.plots.series == {}


def test_the_compare_dialog_proposes_a_bounded_run_count(window, monkeypatch):
    """10,000 runs on the run bar would be 10,000 per scenario: the dialog proposes 200."""
    from PySide6.QtWidgets import QDialog

    from gui.variants import COMPARE_RUNS

    seen = []

    def exec_(dialog):
        seen.append(dialog.values())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QDialog, "exec", exec_)
    window.runbar.runs.setValue(10_000)
    window.actions["actionCompare"].trigger()
    assert seen and seen[0][1] == COMPARE_RUNS
