"""How much one request may ask for, and about how long it will take (docs/limits.md).

The bounds keep a typing slip (`--runs 10000000`) from running for days or filling the
memory: a Monte Carlo, comparison, sweep or grid keeps every run's metrics per step
(`KEPT_BYTES_PER_RUN_STEP` each) until it summarises them. The steps of a run
(`model.engine.MAX_STEPS`) and the firms of `synthetic:N` (`model.builtin.synthetic.MAX_FIRMS`)
are bounded where they are defined, as are an exploration's futures, runs per future and
sensitivity runs (`model.exploration.futures.MAX_FUTURES`,
`model.exploration.experiment.MAX_RUNS_PER_FUTURE` and `MAX_SENSITIVITY_RUNS`).

The time estimate is firm-steps over a rate measured on the development machine
(`benchmarks/bench_estimate.py`: 3 to 8 million firm-steps per second per core for batched
runs of the built-in scenario and for large networks); it is meant to tell minutes from
hours, not to the second.
"""
from __future__ import annotations

from model.engine.metrics import METRIC_KEYS
from model.errors import InputError

MAX_RUNS = 100_000  # --runs: runs per scenario (Monte Carlo), per value, per future
MAX_SWEEP_VALUES = 100  # sweep --values
MAX_GRID_VALUES = 50  # values per axis of a two-parameter grid (heat map)
MAX_TOTAL_RUNS = 10_000_000  # runs of one request, all scenarios, values and futures
MAX_KEPT_RUN_STEPS = 5_000_000  # run-steps of metrics an ensemble keeps in memory
KEPT_BYTES_PER_RUN_STEP = 8 * len(METRIC_KEYS)

FIRM_STEPS_PER_SECOND = 3_000_000  # per worker (benchmarks/bench_estimate.py)
START_SECONDS = 1.0  # starting worker processes and preparing the scenario
LONG_SECONDS = 30.0  # a request estimated longer than this is announced


def check_count(option: str, value: int, limit: int, fix: str) -> int:
    """`value` if it is a whole number from 1 to `limit`, else InputError naming both."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{option} {value!r} is not a whole number >= 1",
                         fix=f"give {option} from 1 to {limit:,}")
    if value > limit:
        raise InputError(f"{option} {value:,} is over the limit of {limit:,}", fix=fix)
    return value


def check_total_runs(runs: int, what: str = "this request") -> int:
    if runs > MAX_TOTAL_RUNS:
        raise InputError(f"{what} would make {runs:,} runs, over the limit of "
                         f"{MAX_TOTAL_RUNS:,}", fix="ask for fewer runs, futures, policies, "
                                                    "values or scenarios")
    return runs


def check_kept(runs: int, steps: int, what: str = "this ensemble") -> None:
    """Refuses an ensemble whose per-step metrics would not fit the memory bound."""
    kept = runs * (steps + 1)
    if kept > MAX_KEPT_RUN_STEPS:
        size = kept * KEPT_BYTES_PER_RUN_STEP / 1e9
        most = MAX_KEPT_RUN_STEPS // (steps + 1)
        raise InputError(f"{what} would keep {runs:,} runs x {steps + 1} steps of metrics "
                         f"({size:,.1f} GB) in memory, over the limit of "
                         f"{MAX_KEPT_RUN_STEPS:,} run-steps",
                         fix=f"at {steps} steps, ask for at most {most:,} runs in all, or "
                             "fewer steps")


def estimate_seconds(firms: int, steps: int, runs: int, workers: int = 1) -> float:
    """About how long `runs` runs of `steps` steps of `firms` firms take on `workers`."""
    work = max(1, firms) * max(1, steps) * max(1, runs)
    return START_SECONDS + work / (FIRM_STEPS_PER_SECOND * max(1, workers))


def duration_text(seconds: float) -> str:
    """'40 s', '4 min', '3 h', '12 days', '5 years': as precise as a plan needs."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 48 * 3600:
        return f"{round(seconds / 3600)} h"
    if seconds < 730 * 86400:
        return f"{round(seconds / 86400):,} days"
    return f"{round(seconds / (365 * 86400)):,} years"
