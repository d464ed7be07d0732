"""Python's cyclic garbage collector runs in the GUI thread only.

By default the collector runs in whichever thread happens to allocate when a threshold is
crossed: the job thread of a run, or a process pool's result thread. pyqtgraph's plot items
sit in reference cycles, so a collection there destroys Qt graphics items from a thread that
is not the GUI's, while the GUI thread may be painting the scene that holds them: the
intermittent SIGSEGV in `QGraphicsView::paintEvent` -> `QGraphicsItem::parentItem` seen
under load (a gdb stack of the GUI suite, see docs/decisions.md). pyqtgraph's
`GarbageCollector` turns automatic collection off and collects on a timer of the GUI thread
instead (the same generation thresholds).
"""
from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pyqtgraph.util.garbage_collector import GarbageCollector

COLLECT_INTERVAL = 0.5  # seconds between two checks of the collector's thresholds


def collect_in_gui_thread() -> None:
    """Once per application (the window calls it; a test's many windows share one)."""
    app = QApplication.instance()
    if app is None or getattr(app, "_gui_collector", None) is not None:
        return
    app._gui_collector = GarbageCollector(interval=COLLECT_INTERVAL)
