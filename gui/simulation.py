"""Running from the window: the run toolbar, the variants bar, replay, workshop mode, the
Simulation menu, and the links between results, canvas and tables.

`SimulationTools` wires them once; every connection goes to a bound method, so Qt drops it
when the window goes away.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QProgressBar

from gui.canvas.items import NodeItem
from gui.files import ask_save_path
from gui.runs import jobs
from gui.runs.replay import (IN_COMPARISON, NOTHING_YET, TOO_LARGE, WHILE_RUNNING,
                             ReplayBar)
from gui.runs.runbar import RunBar
from gui.variants import (CompareDialog, Variants, VariantsBar, comparison_colours,
                          safe_scenarios)
from gui.workshop import WorkshopMode

WORKBOOK_FILTER = "Excel workbook (*.xlsx)"
NOT_KEPT = {"stopped": "Replay is off: the run was stopped before its first run finished",
            "failed": "Replay is off: the run failed before its first run finished"}


def scenario_edits(doc) -> tuple:
    """The document's events that change what a run computes (moving a node or renaming the
    scenario changes nothing the engine reads)."""
    return (doc.node_added, doc.node_removed, doc.node_changed, doc.edge_added,
            doc.edge_removed, doc.edge_changed, doc.parameters_changed, doc.schedules_changed)


def replay_history(session) -> tuple[object, str]:
    """(the states to replay or None, why there are none) of the session shown."""
    if session is None:
        return None, NOTHING_YET
    if session.comparison is not None:
        return None, IN_COMPARISON  # several scenarios, maybe not the one on the canvas
    if session.result.states is None:
        return None, TOO_LARGE
    return session.result.states, ""


class SimulationTools(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = w = window
        self.runs = w.runs
        self.results = w.results
        w.runbar = self.runbar = RunBar(w, self.runs)
        w.addToolBarBreak()
        w.addToolBar(self.runbar)
        w.variants = self.variants = Variants(w)
        w.variants_bar = VariantsBar(w, self.variants)
        w.addToolBar(w.variants_bar)
        w.replay = self.replay = ReplayBar(w)
        w.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.replay)
        w.workshop = self.workshop = WorkshopMode(w)
        self.explorer = None
        self.export_bar = QProgressBar()
        self.export_bar.setObjectName("exportProgress")
        self.export_bar.setMaximumWidth(160)
        self.export_bar.setFormat("workbook %p%")
        self.export_bar.hide()
        w.statusBar().addPermanentWidget(self.export_bar)
        self._menus()
        self._connect()

    # --- menus -----------------------------------------------------------------------------------

    def _action(self, name: str, text: str, slot, shortcut: str | None = None, tip: str = "",
                checkable: bool = False) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.window.addAction(action)
        self.window.actions[name] = action
        return action

    def _menus(self) -> None:
        w = self.window
        menu = w.menuBar().addMenu("&Simulation")
        w.menuBar().insertMenu(w.docks_menu.menuAction(), menu)
        menu.addAction(self.runbar.run_action)
        menu.addAction(self.runbar.stop_action)
        menu.addSeparator()
        menu.addAction(self._action("actionCompare", "&Compare scenarios…", self.compare_dialog,
                                    "Ctrl+Shift+C",
                                    "Run variants or presets side by side on the same seeds"))
        menu.addAction(self._action("actionSensitivity", "&Sensitivity (tornado)",
                                    self.sensitivity, None,
                                    "Which lever moves the end metrics most"))
        menu.addAction(self._action("actionExplore", "&Explore futures…", self.open_explore,
                                    "Ctrl+E", "Sample what we do not know: when does the "
                                              "outcome happen, which policy holds"))
        menu.addSeparator()
        menu.addAction(self.replay.toggle)
        w.actions["actionReplay"] = self.replay.toggle
        w.actions["actionRun"] = self.runbar.run_action
        w.actions["actionStop"] = self.runbar.stop_action
        view = next(a.menu() for a in w.menuBar().actions() if a.text() == "&View")
        view.addSeparator()
        view.addAction(self._action("actionWorkshop", "&Workshop mode", self.workshop.set_on,
                                    "F11", "Full screen, large type, high contrast",
                                    checkable=True))
        view.addAction(self._action("actionLiveMode", "&Live re-run on lever moves",
                                    self.workshop.set_live, "Ctrl+L",
                                    "Moving a lever re-runs a small ensemble and redraws",
                                    checkable=True))

    def _connect(self) -> None:
        runs, results, w = self.runs, self.results, self.window
        runs.calendar.connect(self._calendar)
        self.runbar.steps.valueChanged.connect(w.levers.set_steps)
        w.levers.set_steps(self.runbar.steps.value())
        runs.colours.connect(results.plots.set_colours)
        runs.started.connect(results.run_started)
        runs.started.connect(self._run_started)
        runs.step_chunk.connect(results.add_steps)
        runs.bands.connect(results.add_bands)
        runs.session_ready.connect(results.show_session)
        runs.session_ready.connect(self._session_ready)
        runs.ended.connect(results.run_ended)
        runs.ended.connect(self._run_ended)
        runs.running_changed.connect(self._running)
        runs.message.connect(w.show_status)
        runs.export_running.connect(self._export_running)
        runs.exporter.progressed.connect(self._export_progress)
        self.replay.step_changed.connect(results.plots.set_cursor)
        results.node_chosen.connect(self.select_on_canvas)
        w.editor.scene.selectionChanged.connect(self._canvas_selection)
        w.editor.listen(w.doc.reset, self._document_reset)
        for event in scenario_edits(w.doc):
            w.editor.listen(event, self._scenario_edited)
        w.files.replaced.connect(self._scenario_replaced)
        results.show_choice.against_chosen.connect(self._reference_chosen)

    # --- slots -----------------------------------------------------------------------------------

    @Slot(object)
    def _calendar(self, calendar) -> None:
        start, changes = calendar
        self.results.plots.set_calendar(start, changes)
        self.replay.start = start

    @Slot(str, str)
    def _run_started(self, kind: str, _text: str) -> None:
        self.replay.set_states(None, IN_COMPARISON if kind == jobs.COMPARISON
                               else WHILE_RUNNING)

    @Slot(object)
    def _session_ready(self, session) -> None:
        self.replay.set_states(*replay_history(session))

    @Slot(object)
    def _run_ended(self, end) -> None:
        """Without a result of its own, the job leaves the previous one (or none) to
        replay and export."""
        if not end.fresh:
            states, why = replay_history(end.session)
            self.replay.set_states(states, why if end.session else NOT_KEPT[end.state])

    @Slot(bool)
    def _running(self, _running: bool) -> None:
        self._update_export_action()

    def _update_export_action(self, exporting: bool | None = None) -> None:
        """Export needs a result, and no run going (the workbook would not be what the
        window shows) nor another export."""
        runs = self.runs
        exporting = runs.exporter.busy() if exporting is None else exporting
        self.window.actions["actionExportWorkbook"].setEnabled(
            runs.session is not None and not runs.busy() and not exporting)

    def _document_reset(self, *_args) -> None:
        self.replay.leave()

    def _scenario_edited(self, *_args) -> None:
        self.results.mark_stale()

    @Slot(str)
    def _reference_chosen(self, reference: str) -> None:
        """The comparison's differences against another scenario: the workbook exported
        next takes them against it too (ComparisonResult.reference)."""
        session = self.runs.session
        if session is None or session.comparison is None or \
                reference not in session.comparison.labels:
            return
        chosen = replace(session, comparison=replace(session.comparison, reference=reference))
        self.runs.session = self.results.session = chosen

    @Slot(bool)
    def _scenario_replaced(self, another: bool) -> None:
        """Another scenario opened: its results are none yet (nothing to replay or export);
        another state of the same project: the results stay, out of date."""
        if not another:
            self.results.mark_stale()
            return
        self.runs.forget()
        self.results.clear_results()
        if self.runs.busy():  # the job running is of the scenario before: its result too
            self.results.mark_stale()
        self.replay.set_states(None, NOTHING_YET)
        self._update_export_action()

    @Slot(str)
    def select_on_canvas(self, node_id: str) -> None:
        scene = self.window.editor.scene
        if node_id in scene.nodes:
            scene.select_nodes([node_id])
            self.window.editor.view.centre_on_item(scene.nodes[node_id])

    @Slot()
    def _canvas_selection(self) -> None:
        try:
            chosen = [i for i in self.window.editor.scene.selectedItems()
                      if isinstance(i, NodeItem)]
        except RuntimeError:  # the scene is going away
            return
        if len(chosen) == 1:
            self.results.tables.select_node(chosen[0].node_id)

    def compare_dialog(self) -> bool:
        """The dialog's own steps, runs and seed (prefilled from the toolbar's) are used."""
        dialog = CompareDialog(self.window, self.variants, *self.runbar.values())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.compare(dialog.chosen(), *dialog.values())

    def compare(self, chosen, steps: int, runs: int, seed: int) -> bool:
        scenarios = safe_scenarios(self.window, chosen)
        if not scenarios:
            return False
        return self.runs.compare(scenarios, steps, runs, seed, comparison_colours(chosen))

    def sensitivity(self) -> bool:
        steps, runs, seed = self.runbar.values()
        return self.runs.sensitivity(steps, runs, seed)

    def open_explore(self):
        """The Explore window (one per main window, kept between openings)."""
        if self.explorer is None:
            from gui.explore.window import ExploreWindow  # pyqtgraph views: on first use

            self.explorer = ExploreWindow(self.window)
        self.explorer.show()
        self.explorer.raise_()
        self.explorer.activateWindow()
        return self.explorer

    # --- export ----------------------------------------------------------------------------------

    def export_workbook(self) -> bool:
        if self.runs.session is None:
            return False
        files = self.window.files
        start = str(files.path.with_suffix(".xlsx")) if files.path else \
            str(Path.home() / "briefing.xlsx")
        path = ask_save_path(self.window, "Export briefing workbook", start, WORKBOOK_FILTER,
                             ".xlsx")
        return path is not None and self.runs.export(path, self.results.band_set())

    @Slot(bool)
    def _export_running(self, running: bool) -> None:
        self.export_bar.setVisible(running)
        self.export_bar.setValue(0)
        self._update_export_action(exporting=running)

    @Slot(int, int)
    def _export_progress(self, done: int, total: int) -> None:
        self.export_bar.setRange(0, max(1, total))
        self.export_bar.setValue(done)

    def close(self) -> None:
        if self.explorer is not None:
            self.explorer.close()  # stops and joins its exploration
        self.replay.leave()
        self.workshop.set_on(False)
        self.workshop.close()
        self.runs.close()
