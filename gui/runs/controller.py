"""The run controller: takes a snapshot of the document, runs a job in the background, and
hands the results to the views. One simulation at a time, one export at a time.

Errors never close the window: a scenario that cannot run lists its problems in a dialog;
an error inside the engine shows its one line (InputError) or its type and message.
"""
from __future__ import annotations

from pathlib import Path

import time

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QMessageBox

from gui.runs import jobs
from gui.runs.report import (ALL_RUNS, DONE, FAILED, RUNS, STEPS, STOPPED, RunEnd,
                             describe, seconds_left, session_count, stopped_without_result)
from gui.runs.worker import TaskRunner
from model.calendar import run_end
from model.errors import InputError, ValidationError

MAX_LISTED_PROBLEMS = 12


def problem_text(error: InputError) -> str:
    """The error's line, then every problem it carries (for a scenario that cannot run)."""
    if not error.problems:
        return error.line()
    lines = [str(p) for p in error.problems[:MAX_LISTED_PROBLEMS]]
    more = len(error.problems) - MAX_LISTED_PROBLEMS
    if more > 0:
        lines.append(f"… and {more} more")
    count = len(error.problems)
    return f"The scenario has {count} problem{'s' if count > 1 else ''}:\n\n" + \
        "\n".join(f"• {line}" for line in lines)


def calendar_of(scenarios: dict, steps: int) -> tuple:
    """(the first scenario's start quarter, [(step, text)] of every scenario's schedule
    changes within the run; texts name the scenario when there are several)."""
    from model.parameters import PARAMETERS
    from model.schedules import change_points

    first = next(iter(scenarios.values()))
    points = []
    for label, scenario in scenarios.items():
        name = f"{label}: " if len(scenarios) > 1 else ""
        for step, key, value, ramp in change_points(scenario, steps):
            verb = "ramps to" if ramp else "to"
            points.append((step, f"{name}{PARAMETERS[key].label} {verb} {value:g}"))
    return first.start, points


class RunController(QObject):
    started = Signal(str, str)  # kind, description
    calendar = Signal(object)  # (start quarter, [(step, text)]): where schedules move levers
    step_chunk = Signal(object)  # jobs.StepChunk
    bands = Signal(object)  # jobs.BandUpdate
    session_ready = Signal(object)  # jobs.Session: a new result
    ended = Signal(object)  # RunEnd, after session_ready when there is a new result
    colours = Signal(object)  # label -> colour of the series to come (before `started`)
    running_changed = Signal(bool)
    progress = Signal(int, int, object)  # done, total, seconds left (None: unknown yet)
    message = Signal(str)
    export_running = Signal(bool)
    export_done = Signal(object)  # the path written

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.session: jobs.Session | None = None
        self.kind = ""
        self.plan = (0, RUNS)  # what the job will do: (count, unit)
        self.last_report = (0, 0)  # (done, total) of the last progress report
        self._reports = 0  # progress reports of the job so far
        self._anchor: tuple[float, int] | None = None  # (time, done) the pace counts from
        # (calendar, colours) of the session shown and of the job running: a job without a
        # result of its own gives the plots back to the session shown
        self._looks = {"shown": None, "next": None}
        self.executor = "auto"  # tests may force None (in this thread)
        self.runner = TaskRunner("simulation", self)
        self.runner.progressed.connect(self._progressed)
        self.runner.partial.connect(self._partial)
        self.runner.succeeded.connect(self._succeeded)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._cancelled)
        self.runner.finished.connect(self._finished)
        self.exporter = TaskRunner("export", self)
        self.exporter.progressed.connect(self._export_progress)
        self.exporter.succeeded.connect(self._exported)
        self.exporter.failed.connect(self._export_failed)
        self.exporter.finished.connect(self._export_finished)

    # --- starting --------------------------------------------------------------------------------

    def busy(self) -> bool:
        return self.runner.busy()

    def snapshot(self, steps: int | None = None):
        """The document as an immutable Scenario, or None after showing why it cannot run
        (for `steps` steps: its last quarter past the calendar's end is refused too)."""
        try:
            scenario = self.window.doc.to_scenario()
            if steps is not None:
                run_end(scenario.start, steps, option="Steps")
            return scenario
        except InputError as error:
            self.dialog("The scenario cannot run", problem_text(error))
            return None

    def run(self, steps: int, runs: int = 1, seed: int = 0) -> bool:
        scenario = self.snapshot(steps)
        if scenario is None:
            return False
        if runs > 1:
            job = jobs.monte_carlo_job(scenario, runs, steps, seed, self.executor)
            text = f"Monte Carlo: {runs} runs of {steps} steps from seed {seed}"
            return self._start(jobs.MONTE_CARLO, text, job, {"": scenario}, steps,
                               (runs, RUNS))
        job = jobs.run_job(scenario, steps, seed)
        return self._start(jobs.RUN, f"Run of {steps} steps, seed {seed}", job,
                           {"": scenario}, steps, (steps, STEPS))

    def compare(self, scenarios: dict, steps: int, runs: int, seed: int,
                colours: dict | None = None) -> bool:
        """Labelled scenarios (the first is the baseline) on the same seeds; `colours`:
        label -> the colour of its series."""
        if not scenarios:
            return False
        try:
            for scenario in scenarios.values():
                run_end(scenario.start, steps, option="Steps")
        except InputError as error:
            self.dialog("The scenarios cannot run", problem_text(error))
            return False
        job = jobs.comparison_job(scenarios, runs, steps, seed, self.executor)
        text = f"Comparing {', '.join(scenarios)}: {runs} runs of {steps} steps each"
        return self._start(jobs.COMPARISON, text, job, scenarios, steps,
                           (runs * len(scenarios), ALL_RUNS), colours)

    def sensitivity(self, steps: int, runs: int, seed: int) -> bool:
        from model.parameters import LEVERS

        scenario = self.snapshot(steps)
        if scenario is None:
            return False
        runs = max(runs, 2)
        job = jobs.sensitivity_job(scenario, runs, steps, seed, self.executor)
        return self._start(jobs.SENSITIVITY, "Sensitivity of the end metrics to each lever",
                           job, {"": scenario}, steps, (runs * (2 * len(LEVERS) + 1), ALL_RUNS))

    def _start(self, kind: str, text: str, job, scenarios: dict, steps: int,
               plan: tuple[int, str], colours: dict | None = None) -> bool:
        if self.busy():
            self.message.emit("A run is already going: stop it first")
            return False
        self.kind, self.plan = kind, plan
        self.last_report, self._reports, self._anchor = (0, plan[0]), 0, None
        self._looks["next"] = (calendar_of(scenarios, steps), dict(colours or {}))
        self._show_look("next")
        self.started.emit(kind, text)
        self.runner.start(job)
        self.running_changed.emit(True)
        self.message.emit(text)
        return True

    def forget(self) -> None:
        """Another scenario was opened: the session shown was not its own (a job still
        running keeps going; its result will be shown, marked out of date)."""
        self.session = None

    def stop(self) -> None:
        if self.busy():
            self.runner.stop()
            self.message.emit("Stopping…")

    def close(self) -> None:
        """Stops and joins every worker (the window is closing)."""
        self.runner.join()
        self.exporter.join()

    # --- results ---------------------------------------------------------------------------------

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        """The count, with the time left at the pace since the first report that follows
        the set-up: a Monte Carlo's first report ends its base run, done alone, and its
        second the start of the worker processes."""
        self.last_report = (done, total)
        now = time.monotonic()
        self._reports += 1
        if self._reports == (2 if self.kind == jobs.MONTE_CARLO else 1):
            self._anchor = (now, done)
        left = None
        if self._anchor is not None:
            since, anchor_done = self._anchor
            left = seconds_left(now - since, done - anchor_done, total - done)
        self.progress.emit(done, total, left)

    def elapsed(self) -> float:
        return time.monotonic() - self.runner.started_at if self.busy() else 0.0

    @Slot(str, object)
    def _partial(self, kind: str, payload) -> None:
        (self.step_chunk if kind == "steps" else self.bands).emit(payload)

    @Slot(object)
    def _succeeded(self, session) -> None:
        self.session = session
        self._looks["shown"] = self._looks["next"]
        self.session_ready.emit(session)
        text = describe(session)
        done, total = session_count(session, self.plan[1], self.last_report[1])
        self._end(STOPPED if session.stopped else DONE, done, total, text, fresh=True)

    @Slot(object)
    def _failed(self, error) -> None:
        if isinstance(error, (ValidationError, InputError)):
            title, text = "The run stopped", problem_text(error)
            line = f"The run stopped: {error.line()}"
        else:
            title = "The run failed"
            text = (f"An error inside the engine stopped the run:\n\n"
                    f"{type(error).__name__}: {error}")
            line = f"The run failed ({type(error).__name__}: {error})"
        self._end(FAILED, *self.last_report, line.splitlines()[0], fresh=False)
        self.dialog(title, text)

    @Slot(str)
    def _cancelled(self, _text: str) -> None:
        done, total = self.last_report
        self._end(STOPPED, *stopped_without_result(self.kind, done, total), fresh=False)

    def _show_look(self, which: str) -> None:
        calendar, colours = self._looks[which]
        self.calendar.emit(calendar)
        self.colours.emit(colours)

    def _end(self, state: str, done: int, total: int, text: str, fresh: bool) -> None:
        """One RunEnd for every view; a job without a result leaves the previous one
        shown (its calendar too)."""
        if not fresh and self._looks["shown"] is not None:
            self._show_look("shown")
        end = RunEnd(state, done, total, self.plan[1], text,
                     time.monotonic() - self.runner.started_at, self.session, fresh)
        self.ended.emit(end)
        self.message.emit(text)

    @Slot()
    def _finished(self) -> None:
        self.running_changed.emit(False)

    def dialog(self, title: str, text: str) -> None:
        QMessageBox.critical(self.window, title, text)

    # --- export ----------------------------------------------------------------------------------

    def export(self, path, band_set: str) -> bool:
        if self.session is None or self.exporter.busy():
            return False
        self.export_running.emit(True)
        self.exporter.start(jobs.export_job(path, self.session, band_set))
        self.message.emit(f"Writing {path}…")
        return True

    @Slot()
    def _export_finished(self) -> None:
        self.export_running.emit(False)

    @Slot(int, int)
    def _export_progress(self, done: int, total: int) -> None:
        self.message.emit(f"Writing the workbook: {done} of {total} parts")

    @Slot(object)
    def _exported(self, written) -> None:
        self.message.emit(written.message())
        self.window.files.show_notes(f"Wrote {Path(written.path).name}", written.notes)
        self.export_done.emit(written.path)

    @Slot(object)
    def _export_failed(self, error) -> None:
        text = error.line() if isinstance(error, InputError) else \
            f"{type(error).__name__}: {error}"
        self.dialog("Cannot write the workbook", text)
