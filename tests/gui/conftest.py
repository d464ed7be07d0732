"""Fixtures for the GUI tests: offscreen Qt, isolated settings and data, no real dialogs.

Every test gets its own QSettings location and app-data folder (tmp dirs), every modal
dialog static is replaced by a recorder that answers what the test asks for, and a test
that leaves a thread running fails.
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path


def offscreen_platform(width: int = 1920, height: int = 1080) -> str:
    """The offscreen platform with a screen of a projector's size (its default is 800 x
    800): a full-screen workshop window is then measured as a room sees it."""
    config = Path(tempfile.mkdtemp(prefix="gui-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0,
                                               "width": width, "height": height,
                                               "logicalDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={config}"


# before the application exists (tests/conftest.py may have set the plain "offscreen")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform()

import pytest  # noqa: E402
import shiboken6  # noqa: E402
from PySide6.QtCore import QSettings, QThread  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402

from model.document import Document  # noqa: E402
from model.network import Network  # noqa: E402
from model.scenario import Project, Scenario  # noqa: E402

# The offscreen platform warns about window hints it cannot honour: not our fault.
OFFSCREEN_NOISE = ("This plugin does not support",)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/gui" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    """QSettings (INI, user scope) go to a tmp dir; the real user settings are never read."""
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


# How long a test's threads may take to end after it: a bound for a condition, not a guess
# of how long they need (a loaded machine may take seconds to join a pool's threads).
THREADS_END_SECONDS = 30.0


# How long a condition may take to come true before a wait fails: pytest-qt's 5 s default
# is a guess that a loaded machine (two CPU hogs on two cores, issue 27) outlasts. Only a
# failing test waits this long; a passing one goes on the moment its condition holds.
CONDITION_MS = 30_000
PATIENT_WAITS = ("waitUntil", "waitSignal", "waitSignals", "waitExposed", "waitActive",
                 "waitCallback")


@pytest.fixture(autouse=True)
def patient_waits(monkeypatch):
    """Every qtbot wait without its own timeout bounds its condition by CONDITION_MS."""
    from pytestqt.qtbot import QtBot

    for name in PATIENT_WAITS:
        original = getattr(QtBot, name)

        def patient(self, *args, _original=original, **kwargs):
            kwargs.setdefault("timeout", CONDITION_MS)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(QtBot, name, patient)


@pytest.fixture(autouse=True)
def no_dangling_threads(monkeypatch):
    """Fails a test that leaves a Python thread or a QThread running (a QThread already
    deleted has ended: Qt never deletes a running one without a fatal warning)."""
    before = set(threading.enumerate())
    started: list[QThread] = []
    original = QThread.start

    def tracking_start(self, *args):
        started.append(self)
        return original(self, *args)

    monkeypatch.setattr(QThread, "start", tracking_start)
    yield
    deadline = time.monotonic() + THREADS_END_SECONDS
    while time.monotonic() < deadline:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        running = [t for t in started if shiboken6.isValid(t) and t.isRunning()]
        if not extra and not running:
            return
        time.sleep(0.02)
    pytest.fail(f"threads left running: {extra + running}")


class Dialogs:
    """Records every message box and file dialog; answers from per-test queues."""

    def __init__(self):
        self.calls: list[tuple[str, str, str]] = []
        self.answers: dict[str, list] = {}

    def answer(self, kind: str, *values) -> None:
        self.answers.setdefault(kind, []).extend(values)

    def _next(self, kind: str, default):
        queue = self.answers.get(kind)
        return queue.pop(0) if queue else default

    def kinds(self) -> list[str]:
        return [c[0] for c in self.calls]


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    """No real dialog may block: statics answer from `dialogs.answer(kind, value)`."""
    record = Dialogs()
    Button = QMessageBox.StandardButton

    def box(kind, default):
        def show(parent, title, text, *args, **kwargs):
            record.calls.append((kind, title, text))
            return record._next(kind, default)
        return show

    monkeypatch.setattr(QMessageBox, "critical", box("critical", Button.Ok))
    monkeypatch.setattr(QMessageBox, "warning", box("warning", Button.Cancel))
    monkeypatch.setattr(QMessageBox, "question", box("question", Button.No))
    monkeypatch.setattr(QMessageBox, "information", box("information", Button.Ok))
    monkeypatch.setattr(QMessageBox, "about", box("about", None))

    def file_dialog(kind):
        def show(parent=None, caption="", folder="", filters="", *args, **kwargs):
            record.calls.append((kind, caption, folder))
            return record._next(kind, ""), ""
        return show

    monkeypatch.setattr(QFileDialog, "getOpenFileName", file_dialog("open"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", file_dialog("save"))
    return record


def small_project() -> Project:
    """Two zones, a platform with its operator, two SMEs and a foreign firm, placed."""
    from factories import small_records

    nodes, edges = small_records()
    for index, node in enumerate(nodes):
        node.setdefault("x", 100.0 * (index % 4))
        node.setdefault("y", 80.0 * (index // 4))
    network = Network.from_records(nodes, edges)
    return Project.single(Scenario(network, title="Small test scenario"))


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "appdata"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def empty_clipboard(qapp):
    """Qt's offscreen clipboard crashes at exit if it still owns data: leave it empty."""
    yield
    qapp.clipboard().clear()


@pytest.fixture
def make_window(qtbot, data_dir):
    """Builds main windows on a project; closes them at the end without any prompt."""
    from gui.mainwindow import MainWindow

    windows = []

    def make(project: Project | None = None, path=None, autosave_ms: int = 3_600_000):
        doc = Document.from_project(project or small_project())
        window = MainWindow(doc, path, data_dir=data_dir, autosave_ms=autosave_ms)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.editor.stack.setClean()
        window.close()


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def app_look(qapp):
    """The application's own style sheet, as `gui.app.application` sets it (its font
    changes reach every widget through the style), restored afterwards."""
    from gui.app import RESOURCES

    before = qapp.styleSheet()
    qapp.setStyleSheet((RESOURCES / "style" / "app.qss").read_text(encoding="utf-8"))
    yield
    qapp.setStyleSheet(before)
