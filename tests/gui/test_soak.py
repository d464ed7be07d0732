"""A long session through the real event loop, as a facilitator drives it: ensembles started
and stopped, comparisons, the Explore window opened, run, closed and reopened, replay
played, workshop mode on and off, files saved and opened. No crash, no Qt warning."""
from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QMessageBox

from session_helpers import answer_modals, qt_warnings, settle, small_explorer, small_runs

ROUNDS = 3
Button = QMessageBox.StandardButton


def stopped_ensemble(window, qtbot) -> None:
    window.runbar.runs.setValue(2000)
    with qtbot.waitSignal(window.runs.ended) as ended:
        window.actions["actionRun"].trigger()
        qtbot.waitUntil(lambda: window.runs.last_report[0] > 0)
        window.actions["actionStop"].trigger()
    assert ended.args[0].state == "stopped"
    settle(window, qtbot)
    window.runbar.runs.setValue(3)


def replayed_run(window, qtbot) -> None:
    window.actions["actionRun"].trigger()
    settle(window, qtbot)
    replay = window.replay
    qtbot.waitUntil(lambda: window.actions["actionReplay"].isEnabled())
    replay.play_action.trigger()  # play enters replay and starts at step 0
    qtbot.waitUntil(lambda: not replay.play_action.isChecked(), timeout=10_000)
    assert replay.active() and replay.slider.value() == replay.slider.maximum()
    window.actions["actionReplay"].trigger()
    assert not replay.active()


def explored_and_closed(window, qtbot) -> None:
    for _ in range(2):  # opened, run, closed, reopened
        window.actions["actionExplore"].trigger()
        explorer = window.simulation.explorer
        small_explorer(explorer)
        explorer.run_button.click()
        settle(window, qtbot)
        assert explorer.exploration is not None, explorer.status.text()
        explorer.close()


def workshop_toggled(window, qtbot) -> None:
    action = window.actions["actionWorkshop"]
    for _ in range(2):
        action.trigger()
        qtbot.waitUntil(lambda: window.isFullScreen())
        action.trigger()
        qtbot.waitUntil(lambda: not window.isFullScreen())


def saved_and_opened(window, qtbot, dialogs, path) -> None:
    dialogs.answer("save", str(path))
    window.actions["actionSaveAs"].trigger()
    assert window.files.path == path.resolve()
    dialogs.answer("open", str(path))
    window.actions["actionOpen"].trigger()
    assert window.files.path == path.resolve()


def test_a_long_session_does_not_crash_or_warn(make_window, qtbot, monkeypatch, dialogs,
                                              tmp_path, app_look, qtlog):
    answer_modals(monkeypatch)
    dialogs.answer("warning", *[Button.Discard] * 10)
    window = make_window()
    small_runs(window)
    for round_ in range(ROUNDS):
        stopped_ensemble(window, qtbot)
        replayed_run(window, qtbot)
        window.actions["actionCompare"].trigger()
        settle(window, qtbot)
        assert window.runs.session.comparison is not None
        explored_and_closed(window, qtbot)
        workshop_toggled(window, qtbot)
        saved_and_opened(window, qtbot, dialogs, tmp_path / f"session{round_}.json")
    assert shiboken6.isValid(window.simulation.explorer.indices)
    assert window.isVisible() and not window.workshop.on
    assert qt_warnings(qtlog) == []
