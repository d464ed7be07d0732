"""Stopping on a signal, as on Ctrl-C: SIGTERM (a session manager, a CI runner's timeout,
a Dask nanny, `kill`), SIGHUP (a closed terminal), SIGBREAK and, on Windows, the console's
close, logoff and shutdown events end a command the way Ctrl-C does: the workers are
ended, a file being written is discarded, exit status 128 + the signal's number.

    with stopping_on_signals():       # in the main thread: a stop signal raises Stopped
        ...
    with deferred():                  # cleanup that a second signal must not cut short
        ...

`Stopped` is a KeyboardInterrupt, so every path that already cleans up after Ctrl-C (the
worker pools, the atomic saves) cleans up after these signals too.
"""
from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGBREAK")
                     if hasattr(signal, name))
# Windows gives a console handler 5 s on a close event before it ends the process.
CONSOLE_GRACE_SECONDS = 4.5
_CONSOLE_EVENTS = (2, 5, 6)  # CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT


class Stopped(KeyboardInterrupt):
    """A stop signal arrived; `status` is the exit status that says which (128 + N)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        return 128 + int(self.signum)

    @property
    def name(self) -> str:
        return signal_name(self.signum)


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


_state = threading.local()
_done = threading.Event()  # set when the stopped command has cleaned up (for Windows)
received: list[int] = []  # every stop signal this process received, in order


def _raise(signum, _frame) -> None:
    received.append(signum)
    if getattr(_state, "deferring", None) is not None:
        _state.deferring.append(signum)  # inside `deferred`: noted, raised after
        return
    raise Stopped(signum)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def stopping_on_signals():
    """Stop signals raise `Stopped` in the main thread while the block runs (elsewhere a
    no-op: only the main thread receives signals)."""
    if not _main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in STOP_SIGNALS}
    _console_handler(True)
    _done.clear()
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _done.set()  # a waiting console handler may let Windows end the process now


@contextmanager
def deferred(then_raise: bool = True):
    """A stop signal during the block is noted, not raised, so that cleanup is not cut
    short; with `then_raise`, it is raised when the block ends. The handlers stay Python
    handlers, so processes started in the block keep the default action (a worker must
    still end when it is terminated)."""
    if not _main_thread() or getattr(_state, "deferring", None) is not None:
        yield
        return
    _state.deferring = noted = []
    try:
        yield
    finally:
        _state.deferring = None
    if noted and then_raise and signal.getsignal(noted[0]) is _raise:
        raise Stopped(noted[0])


_console = {}  # the installed Windows console handler, kept alive


def _console_handler(install: bool) -> None:
    """Windows: the console's close, logoff and shutdown events arrive in a thread of
    their own, and the process ends when the handler returns; the handler asks the main
    thread to stop (as SIGTERM) and waits for its cleanup."""
    if sys.platform != "win32" or _console:
        return
    import _thread
    import ctypes
    from ctypes import wintypes

    def handler(event):
        if event not in _CONSOLE_EVENTS:
            return False  # Ctrl-C and Ctrl-Break arrive as SIGINT and SIGBREAK
        _thread.interrupt_main(signal.SIGTERM)
        _done.wait(CONSOLE_GRACE_SECONDS)
        return True

    routine = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)(handler)
    if ctypes.windll.kernel32.SetConsoleCtrlHandler(routine, install):
        _console["routine"] = routine
