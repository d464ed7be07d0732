"""The jobs the window runs in the background, each on an immutable Scenario snapshot.

Every job first runs the base seed with its node states recorded (the representative run:
live curves while it runs, replay on the canvas, the final-state tables, the workbook's
`result`), then, for an experiment, the other runs through `model.experiments`. Partial
results go to the GUI as `task.partial(kind, payload)`:

    ("steps", StepChunk)    new metric rows of the representative run
    ("bands", BandUpdate)   the ensemble's per-step summary so far (bands grow as runs end)

Nothing here computes model quantities: the engine and the experiments API do.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.engine import METRIC_KEYS, STATE_FIELDS, Cancelled, prepare, simulate
from model.engine.results import Provenance, RunResult
from model.experiments import (PROCESSES, ComparisonResult, MonteCarloResult, Variant,
                               compare, iter_runs, outcome_shares, sensitivity, summarise)
from model.experiments.isolated import run_in_process
from model.scenario import Scenario

PROCESS_WORK = 2_000_000  # firm-steps above which runs go to worker processes (as the CLI)
RUN_WORK = 100_000  # firm-steps of one run above which runs go to processes (Stop stays quick)
# firm-steps from which the representative run goes to a child process: about 0.5 s of
# engine time, more than a child's start (0.7 s) is worth below it
ISOLATE_WORK = 1_000_000
STATE_BUDGET = 200_000_000  # bytes of recorded node states; above it, no replay
BAND_INTERVAL = 0.25  # seconds between two band updates (a summary over all runs so far)

RUN, MONTE_CARLO, COMPARISON, SENSITIVITY = "run", "monte_carlo", "comparison", "sensitivity"


@dataclass(frozen=True)
class StepChunk:
    label: str
    first: int  # step of the first row
    rows: np.ndarray  # (k, len(METRIC_KEYS))
    steps: int  # the run's last step


@dataclass(frozen=True)
class BandUpdate:
    label: str
    summary: pd.DataFrame  # `summarise` of the runs so far
    done: int
    total: int
    outcomes: dict[str, float]  # shares so far


@dataclass(frozen=True, eq=False)
class Session:
    """What one press of Run (or Compare, Sensitivity) produced: all that the plots, the
    tables, replay and the workbook need, nothing recomputed."""

    kind: str
    scenario: Scenario  # the snapshot that ran (the baseline, for a comparison)
    steps: int
    seed: int
    runs: int
    result: RunResult  # the base seed's run, with states when they fitted the budget
    monte_carlo: MonteCarloResult | None = None
    comparison: ComparisonResult | None = None
    sensitivity: pd.DataFrame | None = None
    label: str = ""
    planned: int = 0  # the runs asked for, when Stop kept fewer (`runs` of them finished)

    @property
    def stopped(self) -> bool:
        """Stop ended it early: it holds the `runs` that finished, of `planned`."""
        return self.planned > self.runs


def firm_count(scenario: Scenario) -> int:
    counts = scenario.network.counts()
    return sum(counts.get(k, 0) for k in ("leader", "sme", "foreign"))


def choose_executor(scenario: Scenario, runs: int, steps: int):
    """In this thread for small ensembles, local processes for big ones (as the CLI) and for
    long runs (the in-thread path of `compare` and `sensitivity` checks Stop between runs)."""
    work = steps * firm_count(scenario)
    return PROCESSES if runs > 1 and (runs * work > PROCESS_WORK or work > RUN_WORK) \
        else None


def stream_runs(task, prepared, seeds, steps: int, executor, tasks_per_worker=None,
                batch_ended=None):
    """(seed, metrics table, outcome) per run as batches of runs end; `batch_ended()` is
    called once the runs of a batch were taken. In this thread, a batch checks Stop between
    its steps; in processes, `iter_runs` polls it every 0.1 s."""
    options = {} if tasks_per_worker is None else {"tasks_per_worker": tasks_per_worker,
                                                   "quick_start": False}
    progress = None if batch_ended is None else lambda _done, _total: batch_ended()
    for out in iter_runs([prepared], [Variant(0, {})], seeds, steps, executor=executor,
                         cancel=task.cancelled, progress=progress, **options):
        yield int(out.seed), out.metrics, out.outcome


def records_states(scenario: Scenario, steps: int) -> bool:
    """Whether the replay history fits STATE_BUDGET: five float32 fields per node and the
    lock-in of each link (a bound: every link counted) at every step."""
    network = scenario.network
    per_step = (len(network.nodes) * len(STATE_FIELDS) + len(network.edges)) * 4
    return per_step * (steps + 1) <= STATE_BUDGET


def representative_run(task, scenario: Scenario, steps: int, seed: int, label: str = "",
                       report_progress: bool = True, prepared=None,
                       replayed: bool = True) -> RunResult:
    """The base seed, streaming its metric rows to the GUI at most every 50 ms, with its
    states when it is `replayed` (and they fit). A long run goes to a child process: in
    this process it would hold the interpreter lock that every repaint of the window
    needs."""
    states = replayed and records_states(scenario, steps)
    if steps * firm_count(scenario) >= ISOLATE_WORK:
        return _run_in_child(task, scenario, steps, seed, label, report_progress, states)
    generator = simulate(prepared or scenario, steps, seed, record_states=states,
                         cancel=task.cancelled)
    pending: list[np.ndarray] = []
    first = 0
    while True:
        try:
            record = next(generator)
        except StopIteration as stop:
            if pending:
                task.partial("steps", StepChunk(label, first, np.array(pending), steps))
            return stop.value
        pending.append(np.fromiter((record.metrics[k] for k in METRIC_KEYS), float,
                                   len(METRIC_KEYS)))
        if task.due():
            task.partial("steps", StepChunk(label, first, np.array(pending), steps))
            first, pending = record.step + 1, []
        if report_progress:
            task.progress(record.step, steps)


def _run_in_child(task, scenario, steps, seed, label, report_progress, states) -> RunResult:
    stream = run_in_process(scenario, steps, seed, record_states=states,
                            cancel=task.cancelled)
    for first, rows in stream:
        task.partial("steps", StepChunk(label, first, rows, steps))
        if report_progress:
            task.progress(first + len(rows) - 1, steps)
    return stream.value


def run_job(scenario: Scenario, steps: int, seed: int):
    def job(task) -> Session:
        result = representative_run(task, scenario, steps, seed)
        return Session(RUN, scenario, steps, seed, 1, result)
    return job


def monte_carlo_job(scenario: Scenario, runs: int, steps: int, seed: int, executor="auto"):
    """The base seed first (live), then the other seeds streamed; bands grow as runs end.
    Stopped after the base run, it returns the runs that finished (a result of N runs)."""
    def job(task) -> Session:
        chosen = choose_executor(scenario, runs, steps) if executor == "auto" else executor
        prepared = prepare(scenario)  # compiled once, for the base run and the ensemble
        result = representative_run(task, scenario, steps, seed, report_progress=False,
                                    prepared=prepared)
        mc = ensemble(task, prepared, result, runs, steps, seed, chosen)
        return Session(MONTE_CARLO, scenario, steps, seed, len(mc.seeds), result,
                       monte_carlo=mc, planned=runs)
    return job


class EnsembleRuns:
    """The runs of a Monte Carlo as they end, in seed order; the base seed's run is in."""

    def __init__(self, prepared, result: RunResult, runs: int, steps: int, seed: int):
        self.prepared, self.steps = prepared, steps
        self.seeds = np.arange(seed, seed + runs, dtype=np.int64)
        self.tables = np.empty((runs, steps + 1, len(METRIC_KEYS)))
        self.outcomes = np.empty(runs, dtype=object)
        self.filled = np.zeros(runs, dtype=bool)
        self.add(seed, result.metrics[list(METRIC_KEYS)].to_numpy(float), result.outcome)

    @property
    def done(self) -> int:
        return int(self.filled.sum())

    def add(self, run_seed: int, table: np.ndarray, outcome: str) -> None:
        k = run_seed - int(self.seeds[0])
        self.tables[k], self.outcomes[k], self.filled[k] = table, outcome, True

    def update(self, label: str) -> BandUpdate:
        return BandUpdate(label, summarise(self.tables[self.filled], self.prepared.start),
                          self.done, len(self.seeds),
                          outcome_shares(list(self.outcomes[self.filled])))

    def result(self) -> MonteCarloResult:
        """Over the runs that finished (all of them, unless Stop came first)."""
        kept = self.filled
        return monte_carlo_result(self.prepared, self.seeds[kept], self.tables[kept],
                                  self.outcomes[kept], self.steps)


def ensemble(task, prepared, result: RunResult, runs: int, steps: int, seed: int, executor,
             label: str = "") -> MonteCarloResult:
    """The other seeds of a Monte Carlo of `prepared` (a compiled scenario). The count of
    runs done goes out with the bands of those runs, after a batch: the progress bar and
    the header then say the same number. Stop keeps the runs that finished."""
    runs_so_far = EnsembleRuns(prepared, result, runs, steps, seed)

    def report() -> None:
        if task.due(BAND_INTERVAL) and runs_so_far.done < runs:
            task.partial("bands", runs_so_far.update(label))
            task.progress(runs_so_far.done, runs, force=True)

    task.progress(1, runs)
    if executor is not None:
        task.wait_for_window()  # the base run's last rows are drawn before processes start
    try:
        for run_seed, table, outcome in stream_runs(task, prepared, runs_so_far.seeds[1:],
                                                    steps, executor, batch_ended=report):
            runs_so_far.add(run_seed, table, outcome)
    except Cancelled:
        pass  # the runs that finished are a result of their own
    return runs_so_far.result()


def monte_carlo_result(prepared, seeds, tables, outcomes, steps) -> MonteCarloResult:
    """What `experiments.monte_carlo` returns, from runs streamed here (same seeds, same
    tables: the engine is bit-for-bit repeatable)."""
    return MonteCarloResult(seeds, tables, tuple(outcomes), summarise(tables, prepared.start),
                            outcome_shares(list(outcomes)),
                            Provenance.of(prepared, int(seeds[0]), steps, len(seeds)))


def comparison_job(scenarios: Mapping[str, Scenario], runs: int, steps: int, seed: int,
                   executor="auto"):
    """Every scenario on the same seeds (common random numbers); the first is the baseline."""
    def job(task) -> Session:
        labels = list(scenarios)
        base = scenarios[labels[0]]
        total = runs * len(labels)
        chosen = choose_executor(base, total, steps) if executor == "auto" else executor
        # not replayed: the baseline may be another variant than the one on the canvas
        result = representative_run(task, base, steps, seed, labels[0], report_progress=False,
                                    replayed=False)
        comparison = compare(dict(scenarios), runs, steps, seed, executor=chosen,
                             progress=task.progress, cancel=task.cancelled)
        return Session(COMPARISON, base, steps, seed, runs, result, comparison=comparison)
    return job


def sensitivity_job(scenario: Scenario, runs: int, steps: int, seed: int, executor="auto"):
    """One lever at a time, low and high (the tornado), on common random numbers."""
    def job(task) -> Session:
        from model.parameters import LEVERS

        total = runs * (2 * len(LEVERS) + 1)
        chosen = choose_executor(scenario, total, steps) if executor == "auto" else executor
        result = representative_run(task, scenario, steps, seed, report_progress=False)
        table = sensitivity(scenario, runs=runs, steps=steps, seed=seed, executor=chosen,
                            progress=task.progress, cancel=task.cancelled)
        return Session(SENSITIVITY, scenario, steps, seed, runs, result, sensitivity=table)
    return job


def live_job(scenario: Scenario, runs: int, steps: int, seed: int, executor=None):
    """Workshop live mode: a small ensemble, only its bands (no states, no tables)."""
    def job(task) -> MonteCarloResult:
        prepared = prepare(scenario)
        seeds = np.arange(seed, seed + runs, dtype=np.int64)
        tables = np.empty((runs, steps + 1, len(METRIC_KEYS)))
        outcomes = np.empty(runs, dtype=object)
        # one batch per worker: the fewest tasks, so the curves come back soonest
        stream = stream_runs(task, prepared, seeds, steps, executor, tasks_per_worker=1)
        for done, (run_seed, table, outcome) in enumerate(stream, start=1):
            tables[run_seed - seed], outcomes[run_seed - seed] = table, outcome
            task.progress(done, runs)
        if task.cancelled():
            raise Cancelled("a newer live run replaced this one")
        return monte_carlo_result(prepared, seeds, tables, outcomes, steps)
    return job


@dataclass(frozen=True)
class Written:
    """A workbook written, and what its writer had to tell (characters replaced)."""
    path: object
    notes: tuple[str, ...] = ()

    def message(self) -> str:
        return " ".join([f"Wrote {self.path}." if self.notes else f"Wrote {self.path}",
                         *self.notes])


def export_job(path, session: Session, band_set: str):
    """Writes the briefing workbook from what the session already computed."""
    def job(task):
        from model.workbook.briefing import export_briefing

        notes: list[str] = []
        written = export_briefing(path, scenario=session.scenario, result=session.result,
                                  monte_carlo=session.monte_carlo,
                                  comparison=session.comparison,
                                  sensitivity=session.sensitivity, band_set=band_set,
                                  progress=task.progress, notes=notes)
        return Written(written, tuple(notes))
    return job
