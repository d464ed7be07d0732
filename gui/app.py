"""The application shell: set up and tear down in pairs (vorta `__main__.py` style).

`run_app` opens the window on a scenario file or the built-in default scenario, installs the
crash handler, offers to recover unsaved work, runs the event loop, and restores the
previous exception hook on exit.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.crash import CrashHandler
from gui.mainwindow import MainWindow
from gui.settings import APPLICATION, ORGANISATION
from gui.signals import SignalBridge
from model.document import Document
from model.errors import InputError
from model.scenario import Project

if TYPE_CHECKING:
    from model.files.defaults import Defaults

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
QUIT_AFTER_START = "AI_ECOSYSTEM_QUIT_AFTER_START"  # set: quit once the window has shown
WARM_UP_MS = 1500  # after start-up has settled


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    icon = RESOURCES / "app" / "icon.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    sheet = RESOURCES / "style" / "app.qss"
    if sheet.exists():
        app.setStyleSheet(sheet.read_text(encoding="utf-8"))
    return app


def initial_project(path: str | None
                    ) -> tuple[Project, Path | None, str | None, Defaults | None]:
    """The project to open, its path, an error to show (then the built-in opens), and the
    values the file left out that took defaults (`model.files.Defaults`, or None)."""
    error = None
    if path:
        from model.files import read_file

        try:
            loaded = read_file(path, strict=False)
            return loaded.project, Path(path).resolve(), None, loaded.defaults
        except InputError as exc:
            error = exc.line()
        except OSError as exc:
            error = f"{path}: {exc.strerror or exc}"
    try:
        from model.builtin import default_scenario

        return Project.single(default_scenario()), None, error, None
    except InputError as exc:  # a damaged install: still open, on an empty scenario
        return Project.single(Document().to_scenario()), None, error or exc.line(), None


def create_window(path: str | None = None, **options) -> tuple[MainWindow, str | None]:
    """The window on the file (or the built-in); a note on values the file left out
    shows once the event loop runs, over the shown window."""
    project, file_path, error, defaults = initial_project(path)
    window = MainWindow(Document.from_project(project), file_path, **options)
    if defaults:
        QTimer.singleShot(0, window, lambda: window.files.report_defaults(defaults))
    return window, error


def run_app(path: str | None = None) -> int:
    app = application()
    window, error = create_window(path)
    crash = CrashHandler(window.data_dir / "logs", window)
    crash.install()
    signals = stop_on_signals(app, window)
    try:
        window.show_first()
        if error:
            QMessageBox.critical(window, "Cannot open the file", error)
        QTimer.singleShot(0, window.files.offer_recovery)
        QTimer.singleShot(WARM_UP_MS, warm_up_in_background)
        if os.environ.get(QUIT_AFTER_START):  # start-up timing of a packaged build
            QTimer.singleShot(0, app.quit)
        return app.exec()
    finally:
        signals.uninstall()
        release_clipboard(app)
        crash.uninstall()


def stop_on_signals(app: QApplication, window: MainWindow) -> SignalBridge:
    """SIGINT, SIGTERM and SIGHUP close the window without asking and exit with 128 + N;
    a session that ends (logoff, shutdown: Qt's commit-data request) first gets unsaved
    work written to the recovery file."""
    bridge = SignalBridge(app)

    def stop(signum: int) -> None:
        app.exit(window.close_for_signal(signum))

    bridge.received.connect(stop)
    bridge.install()
    app.commitDataRequest.connect(lambda _manager: window.files.autosave())
    return bridge


def warm_up_in_background() -> None:
    """The first Monte Carlo would otherwise start multiprocessing's helpers while the
    window waits for its curves."""
    import threading

    from model.experiments.runner import warm_up

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()


def release_clipboard(app: QApplication) -> None:
    """Drops a canvas fragment we still own: Qt can crash at exit while holding one."""
    from gui.document.clipboard import FRAGMENT_MIME

    mime = app.clipboard().mimeData()
    if mime is not None and mime.hasFormat(FRAGMENT_MIME):
        app.clipboard().clear()
