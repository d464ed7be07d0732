"""A facilitator's session in tests: modal dialogs answered, small runs in this thread, and
waits on the window's own state (never on the clock)."""
from __future__ import annotations

from PySide6.QtCore import QtMsgType
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu

from conftest import OFFSCREEN_NOISE

STEPS, RUNS = 4, 3


def answer_modals(monkeypatch, steps: int = STEPS, runs: int = RUNS) -> list[str]:
    """The compare dialog is accepted with its ticks and small numbers; every other dialog's
    exec is rejected; text and value prompts are answered. Returns what was asked."""
    from gui.variants import CompareDialog

    asked: list[str] = []

    def exec_(dialog):
        asked.append(type(dialog).__name__)
        if isinstance(dialog, CompareDialog):
            dialog.steps.setValue(steps)
            dialog.runs.setValue(runs)
            return QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Rejected

    def text(*_args, **_kwargs):
        asked.append("getText")
        return f"renamed {len(asked)}", True

    def double(_parent, _title, _label, value=0.0, *_args, **_kwargs):
        asked.append("getDouble")
        return value, True

    monkeypatch.setattr(QDialog, "exec", exec_)
    monkeypatch.setattr(QInputDialog, "getText", text)
    monkeypatch.setattr(QInputDialog, "getDouble", double)
    return asked


def small_runs(window, steps: int = STEPS, runs: int = RUNS) -> None:
    """Runs in the job's thread (no worker processes), few steps and runs."""
    window.runs.executor = None
    window.workshop.executor = None
    window.runbar.steps.setValue(steps)
    window.runbar.runs.setValue(runs)


def small_explorer(explorer, futures: int = 8, steps: int = STEPS) -> None:
    explorer.executor = None
    explorer.setup.futures.setValue(futures)
    explorer.setup.steps.setValue(steps)
    explorer.setup.method.setCurrentIndex(explorer.setup.method.findData(None))


def busy(window) -> bool:
    """Any job of the window or its Explore window still going."""
    explorer = window.simulation.explorer
    return (window.runs.busy() or window.runs.exporter.busy() or
            window.workshop.runner.busy() or
            (explorer is not None and (explorer.runner.busy() or explorer.exporter.busy())))


def settle(window, qtbot, timeout: int = 30_000) -> None:
    qtbot.waitUntil(lambda: not busy(window), timeout=timeout)


def menu_actions(menu: QMenu) -> list[QAction]:
    """Every action of a menu and its submenus, in menu order (separators left out)."""
    found = []
    for action in menu.actions():
        if action.menu() is not None:
            found += menu_actions(action.menu())
        elif not action.isSeparator():
            found.append(action)
    return found


def qt_warnings(qtlog) -> list[str]:
    """Qt's warnings and worse, but the offscreen platform's own."""
    bad = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
    return [r.message for r in qtlog.records if r.type in bad
            and not any(n in r.message for n in OFFSCREEN_NOISE)]
