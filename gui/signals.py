"""Signals to the application: Ctrl-C in its terminal, SIGTERM (a session manager, `kill`)
and SIGHUP (a closed terminal) close the window as a shutdown should, not as a crash: runs
and exports are stopped and their workers ended, unsaved work stays as the recovery file,
and the application exits with 128 + the signal's number.

Python runs a signal handler only between bytecodes, and the Qt event loop may sit in C for
minutes; so the handlers do nothing but let Python write the signal's number to a socket
(`signal.set_wakeup_fd`), whose notifier wakes the event loop, which then emits `received`.
"""
from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier, Signal

from model.stopping import STOP_SIGNALS

WINDOW_SIGNALS = (signal.SIGINT, *STOP_SIGNALS)


def _noted(_signum, _frame) -> None:
    """The wakeup socket carries the signal; the handler only keeps the default away."""


class SignalBridge(QObject):
    received = Signal(int)  # the signal's number, in the GUI thread

    def __init__(self, parent=None):
        super().__init__(parent)
        self._reader = self._writer = self._notifier = None
        self._previous: dict = {}
        self._previous_fd = -1

    def install(self) -> None:
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(),
                                                 warn_on_full_buffer=False)
        self._previous = {s: signal.signal(s, _noted) for s in WINDOW_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read,
                                         self)
        self._notifier.activated.connect(self._read)

    def _read(self, *_args) -> None:
        try:
            data = self._reader.recv(64)
        except (BlockingIOError, OSError):
            return
        for number in data:
            if number in WINDOW_SIGNALS:
                self.received.emit(number)

    def uninstall(self) -> None:
        if self._reader is None:
            return
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
        self._reader = self._writer = None
