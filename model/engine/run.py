"""Running the engine: a generator of per-step records, and `run` that drives it; batches
of runs stepped together.

    sim = simulate(scenario, steps=40, seed=0)      # a generator
    for record in sim: ...                          # StepRecord(step, metrics, state)
    result = run(scenario, steps=40, seed=0)        # RunResult
    tables, outcomes = run_batch(prepared, seed=0, runs=256, steps=40)
                                                    # seeds 0..255, (256, 41, metrics)

The generator's return value (StopIteration.value, superqt's "returned") is the RunResult.
It checks `cancel()` between steps and raises `Cancelled` when told to stop. Run r of a
batch started at seed s is the single run of seed s + r, to the last bit.
"""
from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from model.engine.metrics import METRIC_KEYS, metric_rows, metrics_dict
from model.engine.outcome import classify, classify_rows
from model.engine.snapshot import (CompiledNetwork, Coefficients, coefficients,
                                   compile_network, scenario_digest)
from model.engine import presence
from model.engine.kernels import DENSE_MIGRATION_ZONES
from model.engine.state import EDGE_ARRAYS, FIRM_ARRAYS, State, initial_state
from model.engine.step import Streams, advance
from model.calendar import DEFAULT_START, Quarter
from model.errors import InputError
from model.parameters import ParameterSet
from model.schedules import NO_SCHEDULES, Schedules

if TYPE_CHECKING:
    from model.network import Network

MAX_STEPS = 1000
DEFAULT_STEPS = 40
TEMPLATE_FIRMS = 50_000  # up to this size a Prepared keeps its step-0 state to copy

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class Cancelled(Exception):
    """A run or an experiment stopped because its cancel callback said so."""


@dataclass(frozen=True, eq=False)
class Prepared:
    """A compiled scenario: what a run needs, shareable by many runs and processes."""

    net: CompiledNetwork
    parameters: ParameterSet
    network: Network | None = None  # names for the result tables; dropped in workers
    title: str = ""
    name: str = ""
    start: Quarter = DEFAULT_START  # the quarter of step 0
    schedules: Schedules = NO_SCHEDULES
    coefficients: Coefficients = field(init=False)  # those of step 0

    def __post_init__(self):
        object.__setattr__(self, "_by_step", [])
        object.__setattr__(self, "coefficients", self.coefficients_at(0))

    def coefficients_at(self, step: int) -> Coefficients:
        """The coefficients in force during `step`: the constants, with each scheduled
        parameter at its value for that quarter. The same object as the step before
        when nothing changed, so that a schedule costs a step nothing between changes."""
        known = self.__dict__["_by_step"]
        if not self.schedules:
            if not known:
                known.append(coefficients(self.parameters))
            return known[0]
        while len(known) <= step:
            t = len(known)
            values = self.schedules.values_at(self.start + t, self.parameters)
            if known and known[-1].scheduled == values:
                known.append(known[-1])
            else:
                co = coefficients({**self.parameters, **values})
                co.scheduled = values
                known.append(co)
        return known[step]

    @property
    def digest(self) -> str:
        return scenario_digest(self.net.digest, self.parameters,
                               self.schedules.digest_items(self.start))

    def with_parameters(self, changes: Mapping[str, object]) -> Prepared:
        return replace(self, parameters=self.parameters.replace(**changes)) if changes \
            else self

    def __reduce__(self):  # ParameterSet holds a mappingproxy, which does not pickle
        return (_rebuild, (self.net, dict(self.parameters), self.network, self.title,
                           self.name, self.start, self.schedules))

    def lean(self) -> Prepared:
        """The same without the node tables, for sending to worker processes."""
        return replace(self, network=None)


def _rebuild(net, parameters, network, title, name, start, schedules) -> Prepared:
    return Prepared(net, ParameterSet(parameters), network, title, name, start, schedules)


def prepare(scenario) -> Prepared:
    """A Scenario (or an already Prepared one) compiled for the engine."""
    if isinstance(scenario, Prepared):
        return scenario
    return Prepared(compile_network(scenario.network), scenario.parameters, scenario.network,
                    scenario.title, scenario.name, scenario.start, scenario.schedules)


@dataclass(frozen=True)
class StepRecord:
    """What a run reports after each step (step 0 is the initial state)."""

    step: int
    metrics: dict[str, float]
    state: dict[str, np.ndarray] | None = None


def check_run_args(steps: int, seed: int) -> tuple[int, int]:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or \
            not 0 <= steps <= MAX_STEPS:
        raise InputError(f"steps {steps!r} is not a whole number from 0 to {MAX_STEPS}",
                         fix=f"give --steps between 1 and {MAX_STEPS} (a step is a quarter)")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or \
            not 0 <= seed < 2 ** 63:
        raise InputError(f"seed {seed!r} is not a whole number >= 0",
                         fix="give --seed as a non-negative whole number")
    return int(steps), int(seed)


class Engine:
    """The state and random streams of `runs` runs of one prepared scenario (seeds seed ..
    seed + runs - 1, or the given `seeds`), advanced step by step together. `values`:
    coefficients that differ between the runs (key -> one value per run)."""

    def __init__(self, prepared: Prepared, seed: int = 0, runs: int = 1, *,
                 seeds=None, values: Mapping[str, np.ndarray] | None = None):
        self.prepared = prepared
        self.net = prepared.net
        seeds = list(range(seed, seed + runs)) if seeds is None else [int(s) for s in seeds]
        self.seed, self.runs = seeds[0], len(seeds)
        self.streams = Streams(seeds)
        self.values = {k: np.asarray(v, dtype=float) for k, v in (values or {}).items()}
        self._combined: dict = {}
        self.state: State = _step_zero(prepared, self.runs)
        self.co = self.coefficients_at(0)
        if self.values:  # step 0 again, from each run's own coefficients
            self.state.use_coefficients(self.net, self.co, prepared.coefficients)
            self.state.derive_step_zero(self.net, self.co)

    def coefficients_at(self, step: int) -> Coefficients:
        """The prepared scenario's coefficients of the step, with the per-run values (a
        parameter whose schedule has started follows the schedule in every run)."""
        base = self.prepared.coefficients_at(step)
        if not self.values:
            return base
        schedules, quarter = self.prepared.schedules, self.prepared.start + step
        live = tuple(k for k in self.values if k not in schedules or
                     schedules[k].changes[0].quarter > quarter)
        key = (id(base), live)
        if key not in self._combined:
            self._combined[key] = base.per_run({k: self.values[k] for k in live})
        return self._combined[key]

    def advance(self) -> None:
        step = self.state.step + 1
        if self.net.windows is not None:  # elements appear or vanish at this step's quarter
            quarter = self.prepared.start.index + step
            if quarter in _changes(self.net):
                presence.apply(self.state, self.net, quarter, step)
        co = self.coefficients_at(step)
        if co is not self.co:  # a scheduled parameter changes at this step
            self.state.use_coefficients(self.net, co, self.co)
            self.co = co
        advance(self.state, self.net, self.co, self.streams)

    def rows(self) -> np.ndarray:
        """The metrics of every run now: (runs, metrics)."""
        return metric_rows(self.state, self.net)

    def metrics(self) -> np.ndarray:
        """The metrics row of a single run."""
        if self.runs != 1:
            raise ValueError("metrics() is for a single run; rows() gives every run's")
        return metric_rows(self.state, self.net)[0]


def _changes(net: CompiledNetwork) -> frozenset[int]:
    """The quarters where something appears or vanishes (kept on the compiled network)."""
    found = net.__dict__.get("_changes")
    if found is None:
        found = net.windows.changes()
        object.__setattr__(net, "_changes", found)
    return found


def _step_zero(prepared: Prepared, runs: int = 1) -> State:
    """A fresh step-0 state of `runs` runs. It depends only on the compiled network and
    the parameters, so runs of a Monte Carlo copy one built once (kept on the Prepared,
    never pickled) instead of rebuilding it, unless the network is large (then building
    is cheap next to the run and the copy would only hold memory)."""
    net, co = prepared.net, prepared.coefficients
    if net.n_firms > TEMPLATE_FIRMS:
        single = _initial(prepared)
        metric_rows(single, net)  # finds the CR4 candidates
        return single if runs == 1 else single.tiled(runs, net, co)
    template = prepared.__dict__.get("_step_zero")
    if template is None:
        template = _initial(prepared)
        metric_rows(template, net)  # finds the CR4 candidates every copy starts from
        object.__setattr__(prepared, "_step_zero", template)
    return template.tiled(runs, net, co)


def _initial(prepared: Prepared) -> State:
    """Step 0 of a single run, with the elements present at the start quarter alone."""
    net, co = prepared.net, prepared.coefficients
    st = initial_state(net, co)
    if net.windows is not None:
        presence.apply(st, net, prepared.start.index, 0)
        st.derive_step_zero(net, co)  # shares and talent among those present
        st.firms_start = float(st.n_alive[0])
    return st


TEMPORARY_FIRM_FLOATS = 12  # firm-sized float arrays a step holds at once, at most
TEMPORARY_EDGE_FLOATS = 10  # the same for edges
MIGRATION_FLOATS = 3  # zones x zones float arrays of the dense migration, per run


def slots_per_run(net: CompiledNetwork, steps: int) -> tuple[int, int]:
    """The firm and edge slots a run's block may reach by `steps`: room for the entrants
    of a busy run, more the longer it runs (a batch's blocks widen for its busiest run:
    at the calibrated defaults, which see no exits, 1.4x the firms after 40 steps and 4.3x
    after 200); extreme entry coefficients can exceed it."""
    growth = 1.5 + steps / 60
    return int(growth * net.n_firms) + 64, int(growth * len(net.use_firm)) + 64


def bytes_per_run(net: CompiledNetwork, steps: int) -> int:
    """An estimate of what one run adds to a batch's memory: its blocks of firm and edge
    slots, the temporaries of a step, the dense migration arrays and its metrics table."""
    firms, edges = slots_per_run(net, steps)
    per_firm = sum(np.dtype(t).itemsize for t in FIRM_ARRAYS.values()) + \
        8 * TEMPORARY_FIRM_FLOATS
    per_edge = sum(np.dtype(t).itemsize for t in EDGE_ARRAYS.values()) + \
        8 * TEMPORARY_EDGE_FLOATS
    zones = net.n_zones
    dense = 8 * MIGRATION_FLOATS * zones * zones if zones <= DENSE_MIGRATION_ZONES else 0
    table = 8 * (steps + 1) * len(METRIC_KEYS)
    return firms * per_firm + edges * per_edge + dense + table + 4096


def growth_key(prepared: Prepared, changes: Mapping[str, float]) -> float:
    """How fast a run's firm slots fill, for ordering runs into batches of like width (a
    batch's blocks widen for its busiest run): its entry rate, which entrants scale with
    (it explains most of the spread of firm counts across an exploration's futures)."""
    value = changes.get("entry_rate", prepared.parameters["entry_rate"])
    try:
        return float(value)
    except (TypeError, ValueError):  # refused elsewhere; any place will do here
        return 0.0


def run_metrics(prepared: Prepared, seed: int, steps: int) -> np.ndarray:
    """The metrics table of one run as an array (steps + 1, metrics): the lean path of
    experiments, with nothing else built."""
    return batch_metrics(prepared, seed, 1, steps)[0]


def batch_metrics(prepared: Prepared, seed: int, runs: int, steps: int,
                  cancel: Cancel | None = None, *, seeds=None,
                  values: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """The metrics tables of runs on seeds seed .. seed + runs - 1 (or `seeds`), with
    per-run coefficient `values`, stepped together: (runs, steps + 1, metrics). `cancel`
    is asked between steps."""
    return _stepped(Engine(prepared, seed, runs, seeds=seeds, values=values), steps, cancel)


def _stepped(engine: Engine, steps: int, cancel: Cancel | None = None, *,
             ends_only: bool = False, progress: Progress | None = None) -> np.ndarray:
    """The metrics of every step, (runs, steps + 1, metrics); with `ends_only`, those of
    step 0 and of the last step alone, (runs, 2, metrics), the steps between computing no
    metric (metrics feed nothing back into a run: the same end values either way)."""
    tables = np.empty((engine.runs, 2 if ends_only else steps + 1, len(METRIC_KEYS)))
    tables[:, 0] = engine.rows()
    if progress is not None:
        progress(0, steps)
    for t in range(1, steps + 1):
        if cancel is not None and cancel():
            raise Cancelled(f"runs stopped at step {t - 1} of {steps}")
        engine.advance()
        if not ends_only:
            tables[:, t] = engine.rows()
        if progress is not None and (t < steps or not ends_only):
            progress(t, steps)
    if ends_only:
        tables[:, 1] = engine.rows() if steps else tables[:, 0]
        if progress is not None and steps:
            progress(steps, steps)  # the end counts once its metrics are in
    return tables


def run_batch(prepared: Prepared, seed: int, runs: int, steps: int,
              cancel: Cancel | None = None, *, seeds=None,
              values: Mapping[str, np.ndarray] | None = None,
              ends_only: bool = False) -> tuple[np.ndarray, list[str]]:
    """(metrics tables, outcomes) of runs on seeds seed .. seed + runs - 1 (or `seeds`),
    with per-run coefficient `values`. `ends_only`: the tables hold step 0 and the last
    step only, (runs, 2, metrics), for callers that read nothing in between."""
    engine = Engine(prepared, seed, runs, seeds=seeds, values=values)
    tables = _stepped(engine, steps, cancel, ends_only=ends_only)
    return tables, classify_rows(tables[:, 0], tables[:, -1], engine.co)


def batch_results(prepared: Prepared, seed: int, runs: int, steps: int) -> list:
    """A RunResult per run of a batch (metrics, final tables, outcome), as `run` gives
    for each seed alone."""
    from model.engine.results import build_result

    engine = Engine(prepared, seed, runs)
    tables = _stepped(engine, steps)
    outcomes = classify_rows(tables[:, 0], tables[:, -1], engine.co)
    return [build_result(prepared, engine.state.run_state(r, engine.net), tables[r],
                         outcomes[r], seed + r, steps, None) for r in range(runs)]


def simulate(scenario, steps: int = DEFAULT_STEPS, seed: int = 0, *,
             record_states: bool = False, progress: Progress | None = None,
             cancel: Cancel | None = None) -> Generator[StepRecord, None, object]:
    """Yield a StepRecord for step 0 .. steps; return the RunResult."""
    from model.engine.results import build_result, node_state

    steps, seed = check_run_args(steps, seed)
    prepared = prepare(scenario)
    engine = Engine(prepared, seed)
    table = np.empty((steps + 1, len(METRIC_KEYS)))
    history = [] if record_states else None
    for t in range(steps + 1):
        if t:
            if cancel is not None and cancel():
                raise Cancelled(f"run stopped at step {t - 1} of {steps}")
            engine.advance()
        table[t] = engine.metrics()
        state = node_state(engine.state, engine.net) if record_states else None
        if history is not None:
            history.append(state)
        yield StepRecord(t, metrics_dict(table[t]), state)
        if progress is not None:
            progress(t, steps)
    outcome = classify(table[0], table[-1], engine.co)
    return build_result(prepared, engine.state, table, outcome, seed, steps, history)


def run_ends(scenario, steps: int = DEFAULT_STEPS, seed: int = 0, *,
             progress: Progress | None = None, cancel: Cancel | None = None):
    """The RunResult of `run` with the metrics of step 0 and the last step alone, for a
    caller that reads nothing in between (the command line's summary): the steps between
    compute no metric, which feed nothing back (the same end values as `run`)."""
    from model.engine.results import build_result

    steps, seed = check_run_args(steps, seed)
    prepared = prepare(scenario)
    engine = Engine(prepared, seed)
    table = _stepped(engine, steps, cancel, ends_only=True, progress=progress)[0]
    table = table[:1] if steps == 0 else table
    outcome = classify(table[0], table[-1], engine.co)
    return build_result(prepared, engine.state, table, outcome, seed, steps, None)


def run(scenario, steps: int = DEFAULT_STEPS, seed: int = 0, *, record_states: bool = False,
        progress: Progress | None = None, cancel: Cancel | None = None):
    """Run to the end and return the RunResult."""
    generator = simulate(scenario, steps, seed, record_states=record_states,
                         progress=progress, cancel=cancel)
    while True:
        try:
            next(generator)
        except StopIteration as stop:
            return stop.value
