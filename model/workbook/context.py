"""What one briefing holds: the caller's results, checked, and the facts every sheet shares
(seeds, runs, steps, provenance, the band set). Nothing here runs the model."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from model.engine.metrics import METRIC_KEYS
from model.errors import InputError
from model.parameters import PARAMETERS
from model.thresholds import BandSet
from model.workbook.result_sheets import TimeSeries, time_series

SENSITIVITY_COLUMNS = ("parameter", "label", "metric", "low", "base", "high", "low_end",
                       "base_end", "high_end", "low_change", "high_change", "swing")


@dataclass(frozen=True, eq=False)
class Briefing:
    scenario: object  # model.scenario.Scenario: title, notes, network, parameters
    result: object  # model.engine.RunResult: the base seed's run
    monte_carlo: object | None  # model.experiments.MonteCarloResult
    comparison: object | None  # model.experiments.ComparisonResult
    sensitivity: pd.DataFrame | None
    sweep: pd.DataFrame | None
    bands: BandSet
    created: datetime
    series: TimeSeries
    exploration: object | None = None  # model.exploration.experiment.Exploration
    calibration: object | None = None  # model.calibration.waves.Calibration
    command: str | None = None  # the command line that made the workbook, if any

    @property
    def timing(self) -> bool:
        """A comparison of when levers move: two or more compared scenarios have
        schedules (the question is when to act, not whether)."""
        c = self.comparison
        return c is not None and sum(bool(c.results[lab].provenance.schedules)
                                     for lab in c.labels) >= 2

    @property
    def stats(self):
        """The Monte Carlo whose bands the Summary shows (None for a single run)."""
        mc = self.monte_carlo
        if mc is None and self.comparison is not None:
            mc = self.comparison.results[self.comparison.labels[0]]
        return mc if mc is not None and len(mc.runs) > 1 else None

    @property
    def provenance(self):
        return self.stats.provenance if self.stats is not None else self.result.provenance

    @property
    def runs(self) -> int:
        return len(self.stats.runs) if self.stats is not None else 1

    @property
    def steps(self) -> int:
        return len(self.series.frame) - 1

    @property
    def seeds(self) -> list[int]:
        if self.stats is not None:
            return [int(s) for s in self.stats.seeds]
        return [int(self.result.provenance.seed)]

    @property
    def seeds_text(self) -> str:
        """'0 to 99 (100 runs)'; runs kept after a Stop may leave gaps: '0 to 30, 156 to
        280 (156 runs)'."""
        seeds = self.seeds
        if len(seeds) == 1:
            return str(seeds[0])
        spans = ", ".join(f"{a} to {b}" if b > a else str(a) for a, b in seed_spans(seeds))
        return f"{spans} ({len(seeds)} runs)"

    @property
    def parameter_hash(self) -> str:
        return parameter_hash(self.provenance.parameters, self.provenance.schedules)

    @property
    def has_analysis(self) -> bool:
        return self.sensitivity is not None or self.sweep is not None


def seed_spans(seeds: list[int]) -> list[tuple[int, int]]:
    """Sorted seeds as (first, last) of each run of consecutive ones."""
    spans: list[tuple[int, int]] = []
    for seed in sorted(seeds):
        if spans and seed == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], seed)
        else:
            spans.append((seed, seed))
    return spans


def parameter_hash(parameters, schedules=None) -> str:
    """sha256 of every parameter value and, when there are any, the schedules (each as its
    changes' text, on the calendar; JSON, keys sorted): equal hashes, equal parameters."""
    content = {k: float(parameters[k]) for k in sorted(parameters)}
    if schedules:
        content = {"parameters": content, "schedules": dict(sorted(schedules.items()))}
    text = json.dumps(content, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def make_briefing(scenario, result, monte_carlo, comparison, sensitivity, sweep, bands,
                  created, exploration=None, command=None) -> Briefing:
    _check_metrics(result.metrics, "the run's metrics")
    if monte_carlo is not None:
        _check_runs(monte_carlo, "the Monte Carlo")
    if comparison is not None:
        if not comparison.labels:
            raise InputError("the comparison holds no scenario", fix="compare one or more")
        for label in comparison.labels:
            _check_runs(comparison.results[label], f"scenario {label!r} of the comparison")
    if sensitivity is not None:
        _need(sensitivity, SENSITIVITY_COLUMNS, "the sensitivity table")
    if sweep is not None:
        sweep_parameter(sweep)
    mc = monte_carlo if monte_carlo is not None else \
        (comparison.results[comparison.labels[0]] if comparison is not None else None)
    if exploration is not None:
        _need(exploration.rows, ("future", "policy", "outcome", *METRIC_KEYS),
              "the exploration's rows")
    return Briefing(scenario, result, monte_carlo, comparison, sensitivity, sweep, bands,
                    created or datetime.now().replace(microsecond=0), time_series(result, mc),
                    exploration, command=command)


def sweep_parameter(sweep: pd.DataFrame) -> str:
    """The swept parameter: the sweep table's first column (as `experiments.sweep` makes it)."""
    if sweep.empty or not len(sweep.columns) or str(sweep.columns[0]) not in PARAMETERS:
        raise InputError("the sweep table does not start with a parameter column",
                         fix="pass the table that model.experiments.sweep returns")
    return str(sweep.columns[0])


def _check_metrics(frame: pd.DataFrame, what: str) -> None:
    _need(frame, ("step", "quarter", *METRIC_KEYS), what)


def _check_runs(mc, what: str) -> None:
    if mc.runs.ndim != 3 or mc.runs.shape[2] != len(METRIC_KEYS) or not len(mc.runs):
        raise InputError(f"{what} has runs of shape {mc.runs.shape}, not (runs, steps + 1, "
                         f"{len(METRIC_KEYS)})", fix="pass the result of the experiment as "
                                                     "it was returned")


def _need(frame: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} lacks column(s) {', '.join(missing)}",
                         fix="pass the table as the engine or experiment returned it")
