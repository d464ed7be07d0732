"""A safety net for unexpected errors: a dialog and a log file instead of a vanished window.

`CrashHandler.install()` replaces `sys.excepthook`; `uninstall()` puts the previous hook back
(the app shell calls both, in pairs, vorta `__main__.py` style).
"""
from __future__ import annotations

import datetime as dt
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

    def install(self) -> None:
        self.previous = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if self.previous is not None and sys.excepthook == self.handle:
            sys.excepthook = self.previous
        self.previous = None

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
