"""Every menu action and every named button, through its own signal (as a click or a
shortcut sends it), with the dialogs answered: nothing raises, blocks or warns."""
from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from session_helpers import (answer_modals, menu_actions, qt_warnings, settle, small_explorer,
                             small_runs)

MENU_ORDER = ("&Simulation", "&View", "&Canvas", "&Edit", "&Window", "&Help", "&File")
LAST = {"actionQuit"}
Button = QMessageBox.StandardButton


def menus(window) -> list:
    by_title = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu()}
    assert set(MENU_ORDER) <= set(by_title)
    return [by_title[title] for title in MENU_ORDER]


def trigger(window, qtbot, action) -> bool:
    """Triggers the action if it is enabled (a checkable one on and off again)."""
    if not action.isEnabled():
        return False
    for _ in range(2 if action.isCheckable() else 1):
        action.trigger()
        if action.objectName() != "actionRun":  # Stop comes next, while it runs
            settle(window, qtbot)
    explorer = window.simulation.explorer
    if explorer is not None and explorer.executor is not None:
        small_explorer(explorer)
    return True


def named_buttons(widget) -> list[QAbstractButton]:
    return [b for b in widget.findChildren(QAbstractButton)
            if b.objectName() and not b.objectName().startswith(("qt_", "_q_", "Scroll"))]


def click_all(window, qtbot, widget) -> list[str]:
    clicked = []
    for button in named_buttons(widget):
        if shiboken6.isValid(button) and button.isVisible() and button.isEnabled():
            button.click()
            settle(window, qtbot)
            clicked.append(button.objectName())
    return clicked


def test_every_menu_action_and_button(make_window, qtbot, monkeypatch, dialogs, tmp_path,
                                      app_look, qtlog):
    answer_modals(monkeypatch)
    window = make_window()
    small_runs(window)
    dialogs.answer("save", *[str(tmp_path / f"saved{i}.json") for i in range(4)])
    dialogs.answer("warning", *[Button.Discard] * 20)
    done, skipped = [], []
    for menu in menus(window):
        for action in menu_actions(menu):
            if action.objectName() in LAST:
                continue
            (done if trigger(window, qtbot, action) else skipped).append(
                action.objectName() or action.text())
    if "actionExportWorkbook" in skipped:  # an example opened later cleared the results
        window.actions["actionRun"].trigger()
        settle(window, qtbot)
        if trigger(window, qtbot, window.actions["actionExportWorkbook"]):
            done.append("actionExportWorkbook")
    assert {"actionRun", "actionCompare", "actionSensitivity", "actionExplore",
            "actionWorkshop", "actionLiveMode", "actionReplay", "actionExportWorkbook",
            "actionSaveAs", "actionExample_explore_builtin"} <= set(done), skipped
    clicked = click_buttons_of_every_window(window, qtbot, dialogs, tmp_path)
    assert {"exploreRun", "exploreExport", "applyPreset", "resetParameters",
            "startBuiltin", "startCompare", "exportPlot"} <= set(clicked)
    assert window.simulation.explorer.status.text().startswith("Wrote")
    window.actions["actionQuit"].trigger()
    assert not window.isVisible()
    assert qt_warnings(qtlog) == []


def click_buttons_of_every_window(window, qtbot, dialogs, tmp_path) -> list[str]:
    small_runs(window)
    window.actions["actionExplore"].trigger()
    explorer = window.simulation.explorer
    small_explorer(explorer)
    explorer.run_button.click()
    settle(window, qtbot)
    dialogs.answer("save", str(tmp_path / "explore.xlsx"), str(tmp_path / "plot.png"))
    clicked = click_all(window, qtbot, explorer)
    explorer.close()
    window.docks["levers"].show()
    window.docks["levers"].raise_()
    clicked += click_all(window, qtbot, window.levers)
    clicked += click_all(window, qtbot, window.results)
    for name in ("startShowAgain", "startBuiltin", "startCompare", "startGuide",
                 "startClose"):
        window.actions["actionStartPage"].trigger()
        clicked.append(click_one(window, qtbot, window.start_page, name))
    return clicked


def click_one(window, qtbot, widget, name: str) -> str:
    small_runs(window)
    button = next(b for b in named_buttons(widget) if b.objectName() == name)
    button.click()
    settle(window, qtbot)
    return name
