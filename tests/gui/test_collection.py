"""Cyclic garbage is collected in the GUI thread, never in a job's thread (a collection
there destroyed plot items while the GUI thread painted them)."""
from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication


class Cycle:
    """Garbage only the cyclic collector frees; it records the thread that freed it."""

    freed_in: list[str] = []

    def __init__(self):
        self.me = self

    def __del__(self):
        Cycle.freed_in.append(threading.current_thread().name)


def test_a_window_turns_automatic_collection_off(window):
    assert not gc.isenabled()


def test_garbage_made_in_a_worker_thread_is_freed_in_the_gui_thread(window, qtbot):
    Cycle.freed_in.clear()

    def make_garbage():
        for _ in range(50):
            Cycle()
        # enough allocations to cross every threshold: an automatic collection would run here
        _ = [[] for _ in range(50_000)]

    worker = threading.Thread(target=make_garbage, name="job")
    worker.start()
    worker.join()

    kept = []  # what the GUI thread allocates and keeps (freed objects lower the count)

    def freed() -> bool:
        kept.append([[] for _ in range(1_000)])  # past the first threshold: its timer collects
        return len(Cycle.freed_in) == 50

    qtbot.waitUntil(freed, timeout=30_000)
    assert set(Cycle.freed_in) == {threading.main_thread().name}
    assert QThread.currentThread() is QApplication.instance().thread()
