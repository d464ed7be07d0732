"""Running the engine: a generator of per-step records, and `run` that drives it.

    sim = simulate(scenario, steps=40, seed=0)      # a generator
    for record in sim: ...                          # StepRecord(step, metrics, state)
    result = run(scenario, steps=40, seed=0)        # RunResult

The generator's return value (StopIteration.value, superqt's "returned") is the RunResult.
It checks `cancel()` between steps and raises `Cancelled` when told to stop.
"""
from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from model.engine.metrics import METRIC_KEYS, metric_row, metrics_dict
from model.engine.outcome import classify
from model.engine.snapshot import (CompiledNetwork, Coefficients, coefficients,
                                   compile_network, scenario_digest)
from model.engine.state import State, initial_state
from model.engine.step import Streams, advance
from model.errors import InputError
from model.network import Network
from model.parameters import ParameterSet

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
    coefficients: Coefficients = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "coefficients", coefficients(self.parameters))

    @property
    def digest(self) -> str:
        return scenario_digest(self.net.digest, self.parameters)

    def with_parameters(self, changes: Mapping[str, object]) -> Prepared:
        return replace(self, parameters=self.parameters.replace(**changes)) if changes \
            else self

    def __reduce__(self):  # ParameterSet holds a mappingproxy, which does not pickle
        return (_rebuild, (self.net, dict(self.parameters), self.network, self.title,
                           self.name))

    def lean(self) -> Prepared:
        """The same without the node tables, for sending to worker processes."""
        return replace(self, network=None)


def _rebuild(net, parameters, network, title, name) -> Prepared:
    return Prepared(net, ParameterSet(parameters), network, title, name)


def prepare(scenario) -> Prepared:
    """A Scenario (or an already Prepared one) compiled for the engine."""
    if isinstance(scenario, Prepared):
        return scenario
    return Prepared(compile_network(scenario.network), scenario.parameters, scenario.network,
                    scenario.title, scenario.name)


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
    """One run's state and random streams, advanced step by step."""

    def __init__(self, prepared: Prepared, seed: int):
        self.prepared = prepared
        self.net, self.co = prepared.net, prepared.coefficients
        self.rng = Streams.from_seed(seed)
        self.state: State = _step_zero(prepared)

    def advance(self) -> None:
        advance(self.state, self.net, self.co, self.rng)

    def metrics(self) -> np.ndarray:
        return metric_row(self.state, self.net)


def _step_zero(prepared: Prepared) -> State:
    """A fresh step-0 state. It depends only on the compiled network and the parameters,
    so runs of a Monte Carlo copy one built once (kept on the Prepared, never pickled)
    instead of rebuilding it, unless the network is large (then building is cheap next to
    the run and the copy would only hold memory)."""
    if prepared.net.n_firms > TEMPLATE_FIRMS:
        return initial_state(prepared.net, prepared.coefficients)
    template = prepared.__dict__.get("_step_zero")
    if template is None:
        template = initial_state(prepared.net, prepared.coefficients)
        metric_row(template, prepared.net)  # finds the CR4 candidates every copy starts from
        object.__setattr__(prepared, "_step_zero", template)
    return template.copy()


def run_metrics(prepared: Prepared, seed: int, steps: int) -> np.ndarray:
    """The metrics table of one run as an array (steps + 1, metrics): the lean path of
    experiments, with nothing else built."""
    engine = Engine(prepared, seed)
    table = np.empty((steps + 1, len(METRIC_KEYS)))
    table[0] = engine.metrics()
    for t in range(1, steps + 1):
        engine.advance()
        table[t] = engine.metrics()
    return table


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
    return build_result(engine, table, outcome, seed, steps, history)


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
