"""A safety net for unexpected errors: a dialog and a log file instead of a vanished window.

`CrashHandler.install()` replaces `sys.excepthook` and turns on faulthandler into a
`fatal-<time>.log` (a segfault in Qt then leaves the Python stack of every thread);
`uninstall()` puts the previous hook back and removes that log when nothing was written
(the app shell calls both, in pairs, vorta `__main__.py` style).
"""
from __future__ import annotations

import datetime as dt
import faulthandler
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QMessageBox


class CrashHandler:
    def __init__(self, log_dir: Path, parent_widget=None):
        self.log_dir = Path(log_dir)
        self.parent_widget = parent_widget
        self.previous = None
        self.last_log: Path | None = None
        self._showing = False
        self.fatal_log: Path | None = None
        self._fatal = None
        self._was_enabled = False

    def install(self) -> None:
        self.previous = sys.excepthook
        sys.excepthook = self.handle
        self._enable_faulthandler()

    def uninstall(self) -> None:
        if self.previous is not None and sys.excepthook == self.handle:
            sys.excepthook = self.previous
        self.previous = None
        self._disable_faulthandler()

    def _enable_faulthandler(self) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        try:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            for old in self.log_dir.glob("fatal-*.log"):  # a session killed, not crashed
                if old.stat().st_size == 0:
                    old.unlink()
            self.fatal_log = self.log_dir / f"fatal-{stamp}.log"
            self._fatal = open(self.fatal_log, "w", encoding="utf-8")  # noqa: SIM115
        except OSError:
            self.fatal_log = self._fatal = None
            return
        self._was_enabled = faulthandler.is_enabled()
        faulthandler.enable(file=self._fatal, all_threads=True)

    def _disable_faulthandler(self) -> None:
        if self._fatal is None:
            return
        faulthandler.disable()
        if self._was_enabled and sys.__stderr__ is not None:  # as it was (python -X ...)
            faulthandler.enable(file=sys.__stderr__, all_threads=True)
        self._fatal.close()
        self._fatal = None
        try:
            if self.fatal_log.stat().st_size == 0:
                self.fatal_log.unlink()
        except OSError:
            pass

    def handle(self, etype, value, tb) -> None:
        if issubclass(etype, KeyboardInterrupt):
            (self.previous or sys.__excepthook__)(etype, value, tb)
            return
        text = "".join(traceback.format_exception(etype, value, tb))
        path = self.write_log(text)
        sys.stderr.write(text)
        if self._showing:  # an error inside the dialog itself: the log is enough
            return
        self._showing = True
        try:
            where = f"\n\nDetails were written to:\n{path}" if path else ""
            QMessageBox.critical(self.parent_widget, "Unexpected error",
                                 "Something went wrong, but your work is still open.\n"
                                 f"Save it under a new name to be safe.\n\n"
                                 f"{etype.__name__}: {value}{where}")
        finally:
            self._showing = False

    def write_log(self, text: str) -> Path | None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        try:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            path = self.log_dir / f"crash-{stamp}.log"
            header = f"AI Ecosystem Planner error log, {dt.datetime.now().isoformat()}\n" \
                     f"Python {sys.version.split()[0]}\n\n"
            path.write_text(header + text, encoding="utf-8")
        except OSError:
            return None
        self.last_log = path
        return path
