"""The Explore window: which policy holds whatever we got wrong (MODEL.md section 8).

Left, what to explore (SetupPanel); right, what was found (DiscoveryView, RobustnessTable,
IndicesChart). Run takes a snapshot of the drawn scenario and explores it in the
background (`model.exploration.explore`, through worker processes when the work is big);
Stop ends it within a batch; Export writes the briefing workbook with the exploration's
sheets. One exploration at a time; closing the window stops it.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QProgressBar, QPushButton,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)

from gui.explore.setup import SetupPanel
from gui.explore.views import DiscoveryView, IndicesChart, RobustnessTable
from gui.files import ask_save_path
from gui.runs import jobs
from gui.runs.worker import TaskRunner
from model.calendar import run_end
from model.errors import InputError
from model.exploration.robustness import REGRET_MEANING

AUTO = "auto"
REGRET_LINE = REGRET_MEANING[0].upper() + REGRET_MEANING[1:] + "."


def explore_job(scenario, setup: dict, ranges: dict, executor):
    """The exploration of `scenario` as set up in the window (ranges as typed: the model
    checks them)."""
    def job(task):
        from model.exploration.experiment import explore

        policies = setup["policies"]
        total = setup["futures"] * len(policies)
        chosen = jobs.choose_executor(scenario, total, setup["steps"]) \
            if executor == AUTO else executor
        return explore(scenario, setup["futures"], policies, uncertain=ranges,
                       keys=list(ranges), world=setup["world"], method=setup["method"],
                       outcome=setup["outcome"],
                       steps=setup["steps"], seed=setup["seed"], executor=chosen,
                       progress=task.progress, cancel=task.cancelled,
                       ranges=setup.get("ranges"))
    return job


def export_job(path, scenario, exploration):
    """The workbook: the exploration's sheets, and the scenario's own run on the first seed
    (the Summary's metrics and charts, the final-state sheets)."""
    def job(task):
        from model.engine import run
        from model.workbook.briefing import export_briefing

        p = exploration.provenance
        result = run(scenario, p.steps, p.seed, cancel=task.cancelled)
        notes: list[str] = []
        written = export_briefing(path, scenario=scenario, result=result,
                                  exploration=exploration, progress=task.progress, notes=notes)
        return jobs.Written(written, tuple(notes))
    return job


class ExploreWindow(QMainWindow):
    def __init__(self, main_window, executor=AUTO):
        super().__init__(main_window, Qt.WindowType.Window)
        self.setObjectName("exploreWindow")
        self.setWindowTitle("Explore futures")
        self.main_window = main_window
        self.executor = executor
        self.exploration = None
        self.scenario = None  # the snapshot explored
        self.setup = SetupPanel(self)
        self.discovery = DiscoveryView(self)
        self.robustness = RobustnessTable(self)
        self.indices = IndicesChart(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("exploreTabs")
        self.tabs.addTab(self.discovery, "When it happens (PRIM)")
        self.tabs.addTab(self._robustness_tab(), "Robustness of the policies")
        self.tabs.addTab(self.indices, "Sensitivity")
        self.runner = TaskRunner("explore", self)
        self.runner.progressed.connect(self._progressed)
        self.runner.succeeded.connect(self._explored)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._cancelled)
        self.runner.finished.connect(self._finished)
        self.exporter = TaskRunner("exploreExport", self)
        self.exporter.succeeded.connect(self._exported)
        self.exporter.failed.connect(self._failed)
        self.exporter.finished.connect(self._update_buttons)
        self._build()
        self.resize(1500, 900)

    def _robustness_tab(self) -> QWidget:
        """The policies ranked, with regret explained in one line under the table."""
        tab = QWidget(self)
        column = QVBoxLayout(tab)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.robustness, 1)
        self.regret_note = QLabel(REGRET_LINE, tab)
        self.regret_note.setTextFormat(Qt.TextFormat.RichText)
        self.regret_note.setObjectName("regretNote")
        self.regret_note.setWordWrap(True)
        column.addWidget(self.regret_note)
        return tab

    def _build(self) -> None:
        self.run_button = QPushButton("Run exploration", self)
        self.run_button.setObjectName("exploreRun")
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setObjectName("exploreStop")
        self.stop_button.clicked.connect(self.stop)
        self.export_button = QPushButton("Export workbook…", self)
        self.export_button.setObjectName("exploreExport")
        self.export_button.clicked.connect(self.ask_export)  # clicked(bool): not a path
        self.progress = QProgressBar(self)
        self.progress.setObjectName("exploreProgress")
        self.progress.setFormat("")
        self.status = QLabel("", self)
        self.status.setObjectName("exploreStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for widget in (self.run_button, self.stop_button, self.progress, self.export_button):
            buttons.addWidget(widget, 1 if widget is self.progress else 0)
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.setup, 1)
        column.addLayout(buttons)
        column.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 940])
        self.setCentralWidget(splitter)
        self._update_buttons()

    # --- actions ---------------------------------------------------------------------------------

    @Slot()
    def run(self) -> bool:
        if self.runner.busy():
            return False
        setup = self.setup.settings()
        try:
            scenario = self.main_window.doc.to_scenario()
            run_end(scenario.start, setup["steps"], option="Steps")
        except InputError as error:
            self._say(f"The scenario cannot run: {error.line()}")
            return False
        ranges, _held = self.setup.ranges()
        if not setup["policies"]:
            self._say("Tick at least one policy.")
            return False
        self.scenario = scenario
        self.progress.setFormat("%v of %m runs")
        self.progress.setRange(0, 0)
        self.runner.start(explore_job(scenario, setup, ranges, self.executor))
        self._say(f"Exploring {setup['futures']:,} futures of {len(ranges)} uncertainties "
                  f"({setup['ranges'].name} ranges) under {len(setup['policies'])} "
                  "policies…")
        self._update_buttons()
        return True

    @Slot()
    def stop(self) -> None:
        self.runner.stop()

    @Slot()
    def ask_export(self) -> bool:
        """Export…: asks where, then writes."""
        if self.exploration is None or self.exporter.busy():
            return False
        files = self.main_window.files
        start = str(files.path.with_name(files.path.stem + "-explore.xlsx")) \
            if files.path else str(Path.home() / "exploration.xlsx")
        path = ask_save_path(self, "Export the exploration", start,
                             "Excel workbook (*.xlsx)", ".xlsx")
        return path is not None and self.export(path)

    def export(self, path: str | Path) -> bool:
        if self.exploration is None or self.exporter.busy():
            return False
        self.exporter.start(export_job(path, self.scenario, self.exploration))
        self._say(f"Writing {path}…")
        self._update_buttons()
        return True

    # --- results ---------------------------------------------------------------------------------

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    @Slot(object)
    def _explored(self, exploration) -> None:
        self.exploration = exploration
        self.discovery.set_exploration(exploration)
        self.robustness.set_table(exploration.robustness)
        notes = [f"<br><b>{escape(r['policy'])}</b>: {escape(r['note'])}."
                 for r in exploration.robustness.to_dict("records") if r.get("note")]
        self.regret_note.setText(escape(REGRET_LINE) + "".join(notes))
        self.indices.set_exploration(exploration)
        t = exploration.timings
        best = exploration.robustness.iloc[0]
        self._say(f"{len(exploration.futures):,} futures x {len(exploration.policies)} "
                  f"policies in {t['runs']:.1f} s. Most robust: {best['policy']} "
                  f"({best['not_adverse']:.0%} of futures not adverse). PRIM read the "
                  f"futures of {exploration.discovery_policy} (change it with 'Futures "
                  "of'). Illustrative scenario exploration, not a forecast.")

    @Slot(object)
    def _failed(self, error) -> None:
        if isinstance(error, InputError):
            self._say(f"Cannot explore: {error.line()}")
            return
        lines = str(error).strip().splitlines() or [""]
        self._say(f"Failed: {type(error).__name__}: {lines[0]}")
        self.status.setToolTip(str(error))  # the whole message, out of the layout's way

    @Slot(str)
    def _cancelled(self, why: str) -> None:
        self._say(f"Stopped ({why}); the previous results, if any, stay shown.")

    @Slot()
    def _finished(self) -> None:
        self.progress.setFormat("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._update_buttons()

    @Slot(object)
    def _exported(self, written) -> None:
        self._say(written.message())

    def _say(self, text: str) -> None:
        self.status.setToolTip("")
        self.status.setText(text)

    @Slot()
    def _update_buttons(self) -> None:
        busy = self.runner.busy()
        self.run_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.export_button.setEnabled(self.exploration is not None and not busy and
                                      not self.exporter.busy())

    def closeEvent(self, event) -> None:
        self.runner.join()
        self.exporter.join()
        super().closeEvent(event)
