"""Workshop mode for a room with a projector: full screen, large type, high contrast, and a
live mode in which moving a lever re-runs a small ensemble and redraws the curves.

Lever moves are debounced; a new live run cancels the stale one and starts when it has
ended. The small ensemble runs in a persistent pool of worker processes (spawned once when
live mode starts), so the window stays responsive; tests may run it in-thread.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from gui.runs import jobs
from gui.runs.worker import TaskRunner
from model.errors import InputError

LIVE_RUNS, LIVE_STEPS = 200, 40  # 200 runs: a batch per worker, redrawn within a second
DEBOUNCE_MS = 200  # quiet after a lever move before the ensemble starts
WORKSHOP_POINT_SIZE = 15
MAP_WIDTH_SHARE = 0.61  # of the screen's width: with the bars, over half of its area
WORKSHOP_STYLE = """
QWidget { background: #ffffff; color: #000000; }
QDockWidget::title { background: #ffd400; padding: 6px; font-weight: bold; }
QToolBar { background: #f0f0f0; border-bottom: 2px solid #000000; spacing: 8px; }
QToolButton, QPushButton { border: 2px solid #000000; border-radius: 4px; padding: 4px 8px; }
QToolButton:checked { background: #ffd400; }
QToolButton:disabled, QPushButton:disabled { color: #9a9a9a; border: 2px solid #c8c8c8; }
QSlider::groove:horizontal { height: 10px; background: #c8c8c8; border: 1px solid #000; }
QSlider::handle:horizontal { width: 26px; margin: -10px 0; background: #0050b4;
                             border: 2px solid #000; border-radius: 5px; }
QTabBar::tab:selected { background: #ffd400; font-weight: bold; }
QProgressBar { border: 2px solid #000; text-align: center; }
QProgressBar::chunk { background: #0050b4; }
"""


class WorkshopMode(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.on = False
        self.live = False
        self.executor = "pool"  # "pool" (persistent processes) or None (in this thread)
        self.pool: ProcessPoolExecutor | None = None
        self._saved = None
        self._legend_was = (False, True)
        self._pending = False
        self.runner = TaskRunner("live", self)
        self.runner.succeeded.connect(self._live_result)
        self.runner.failed.connect(self._live_failed)
        self.runner.finished.connect(self._live_finished)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.rerun)
        window.editor.listen(window.doc.parameters_changed, self._levers_moved)

    # --- the look --------------------------------------------------------------------------------

    def set_on(self, on: bool) -> None:
        if on == self.on:
            return
        self.on = on
        app = QApplication.instance()
        if on:
            self._saved = (self.window.isFullScreen(), QFont(app.font()), app.styleSheet(),
                           self.window.isMaximized(), self.window.saveState())
            font = QFont(app.font())
            font.setPointSize(WORKSHOP_POINT_SIZE)
            app.setFont(font)
            app.setStyleSheet(app.styleSheet() + WORKSHOP_STYLE)
            self.window.results.plots.set_style(4.0, 15)
            self.window.levers.set_compact(True)
            self.window.results.set_room(True)
            self.window.showFullScreen()
            self._room_layout()
        else:
            self.window.removeEventFilter(self)
            full, font, sheet, maximised, state = self._saved
            app.setFont(font)
            app.setStyleSheet(sheet)
            self.window.results.plots.set_style(2.0, 9)
            self.window.levers.set_compact(False)
            self.window.results.set_room(False)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea,
                                      self.window.docks["inspector"])
            self.window.restoreState(state)  # docks, toolbars and the metric list back
            self.window.results.metric_list.show()
            legend = self.window.editor.view.legend
            legend.chosen, expanded = self._legend_was
            legend.set_expanded(expanded)
            if not full:
                self.window.showMaximized() if maximised else self.window.showNormal()
            self.set_live(False)
            QTimer.singleShot(100, self, self._refit)  # on the window's settled size
        self._room_labels(on)

    def _room_layout(self) -> None:
        """For the room: the map on the left (at least half the screen), the levers above
        the curves on the right; editing docks, the editing toolbar and the metric list
        stepped aside (leaving restores them)."""
        w, docks = self.window, self.window.docks
        for name in ("palette", "history", "inspector"):
            docks[name].hide()
        w.toolbar.hide()
        w.results.metric_list.hide()
        legend = w.editor.view.legend
        self._legend_was = (legend.chosen, legend.expanded)
        legend.chosen = True  # folded to its title (not opened again by a resize)
        legend.set_expanded(False)
        w.removeDockWidget(docks["inspector"])  # out of the levers' tab group
        right = Qt.DockWidgetArea.RightDockWidgetArea
        w.addDockWidget(right, docks["levers"])
        w.splitDockWidget(docks["levers"], docks["results"], Qt.Orientation.Vertical)
        for name in ("levers", "results"):
            docks[name].show()
        QTimer.singleShot(0, self, self._room_sizes)  # once full screen has its size
        w.installEventFilter(self)  # and again when the window manager resizes it

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.Resize and self.on:
            QTimer.singleShot(0, self, self._room_sizes)
        return False

    @Slot()
    def _room_sizes(self) -> None:
        w, docks = self.window, self.window.docks
        if not self.on:
            return
        screen = w.screen().geometry() if w.screen() else w.geometry()
        width = int(screen.width() * (1 - MAP_WIDTH_SHARE))
        w.resizeDocks([docks["levers"]], [width], Qt.Orientation.Horizontal)
        levers = docks["levers"].widget()
        # the levers' content with the dock's title and frames around its viewport
        chrome = docks["levers"].height() - levers.viewport().height()
        tall = levers.widget().sizeHint().height() + chrome + 2
        rest = w.centralWidget().height()
        w.resizeDocks([docks["levers"], docks["results"]],
                      [min(tall, int(rest * 0.6)), max(rest - tall, int(rest * 0.4))],
                      Qt.Orientation.Vertical)
        QTimer.singleShot(0, w.editor.view.fit_all)  # on the map's final size

    @Slot()
    def _refit(self) -> None:
        view = self.window.editor.view
        if self.on:
            return
        # the docks' sizes once more on the settled window: restored while still full
        # screen, they were scaled to it (the palette came back squeezed)
        self.window.restoreState(self._saved[4])
        if view.framed():
            view.fit_all()

    def _room_labels(self, on: bool) -> None:
        """Labels in the room's sizes (canvas.style.ROOM_LABEL_PX), placed again."""
        from gui.canvas import style

        style.set_room_labels(on)
        view = self.window.editor.view
        self.window.editor.scene.set_view_zoom(view.zoom())
        view.labels.schedule()

    # --- live mode -------------------------------------------------------------------------------

    def set_live(self, live: bool) -> None:
        if live == self.live:
            return
        self.live = live
        if live:
            if self.executor == "pool" and self.pool is None:
                context = multiprocessing.get_context("spawn")
                self.pool = ProcessPoolExecutor(2, mp_context=context)
            self.rerun()
        else:
            self.debounce.stop()
            self._pending = False
            self.runner.stop()

    @Slot()
    def _levers_moved(self, *_args) -> None:
        if self.live:
            self.debounce.start()

    @Slot()
    def rerun(self) -> None:
        """Starts a live ensemble on the document as it is now (the stale one is stopped)."""
        if not self.live:
            return
        if self.runner.busy():
            self._pending = True
            self.runner.stop()
            return
        try:
            scenario = self.window.doc.to_scenario()
        except InputError as error:
            self.window.show_status(f"Live mode waits: {error.line()}")
            return
        executor = self.pool if self.executor == "pool" else self.executor
        seed = self.window.runbar.seed.value()
        self._scenario = scenario  # its calendar labels the curves when they come back
        self.runner.start(jobs.live_job(scenario, LIVE_RUNS, LIVE_STEPS, seed, executor))
        self.window.show_status("Live: re-running…")

    @Slot(object)
    def _live_result(self, mc) -> None:
        from gui.runs.controller import calendar_of

        start, changes = calendar_of({"": self._scenario}, LIVE_STEPS)
        if (start, changes) != (self.window.results.plots.start,
                                self.window.results.plots.changes):
            self.window.results.plots.set_calendar(start, changes)
        self.window.results.show_live(mc, f"Live ({LIVE_RUNS} runs):")

    @Slot(object)
    def _live_failed(self, error) -> None:
        text = error.line() if isinstance(error, InputError) else \
            f"{type(error).__name__}: {error}"
        self.window.show_status(f"Live run failed: {text}")

    @Slot()
    def _live_finished(self) -> None:
        if self._pending and self.live:
            self._pending = False
            self.rerun()

    def close(self) -> None:
        self.live = False
        self.debounce.stop()
        self.runner.join()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
