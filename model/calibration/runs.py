"""History matching of the model: each wave's samples run through the scenario's calendar
on common seeds, by the batched engine and the executors of `explore` (local processes or
a Dask cluster; progress counts runs, `cancel` stops)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from model.calibration.implausibility import CUTOFF
from model.calibration.patterns import Pattern, steps_needed
from model.calibration.waves import Calibration, Wave, check_design, history_match
from model.engine import prepare
from model.engine.metrics import METRIC_INDEX
from model.errors import InputError
from model.experiments.runner import MEMORY_BUDGET, Variant, iter_runs
from model.exploration.futures import uncertainties


def calibrate(scenario, patterns: Sequence[Pattern], *, waves: int = 3,
              runs_per_wave: int = 300, seeds: int = 3, cutoff: float = CUTOFF,
              seed: int = 0, keys: Sequence[str] | None = None,
              executor=None, workers: int | None = None,
              memory_budget: int = MEMORY_BUDGET,
              progress: Callable[[int, int], None] | None = None,
              cancel: Callable[[], bool] | None = None,
              report: Callable[[Wave, Calibration], None] | None = None) -> Calibration:
    """History matching of `scenario` (run from its start) against `patterns`, over the
    plausible ranges of the uncertain coefficients (or `keys`)."""
    check_design(waves, runs_per_wave, seeds, cutoff)
    prepared = prepare(scenario)
    steps = steps_needed(list(patterns), prepared.start, f" of {prepared.title or 'the scenario'}")
    space, scheduled = sampled_space(prepared, keys)
    total = waves * runs_per_wave * seeds
    options = {"executor": executor, "workers": workers, "memory_budget": memory_budget,
               "cancel": cancel}

    def evaluate(samples, wave):
        before = (wave - 1) * runs_per_wave * seeds
        tick = None if progress is None else \
            (lambda done, _total: progress(before + done, total))
        return pattern_values(prepared, patterns, samples.to_dict("records"), steps,
                              seed, seeds, progress=tick, **options)

    result = history_match(space, patterns, evaluate, waves=waves,
                           runs_per_wave=runs_per_wave, seeds=seeds, cutoff=cutoff,
                           seed=seed, report=report)
    result.meta.update({"scenario": prepared.title or prepared.name,
                        "scenario_digest": matched_digest(prepared, [u.key for u in space]),
                        "start": prepared.start.label,
                        "steps": steps, "seed": seed, "scheduled": scheduled})
    return result


def matched_digest(prepared, sampled: Sequence[str]) -> str:
    """The digest of the scenario a calibration matched: its network, schedules and every
    parameter value except the sampled coefficients, which every run of the calibration
    sets itself. So the scenario's own values of those (the registry's defaults, which are
    a calibrated sample) do not enter the result, and changing them does not make the
    calibration stale; changing anything else does."""
    from model.engine.snapshot import scenario_digest

    fixed = {k: v for k, v in prepared.parameters.items() if k not in set(sampled)}
    return scenario_digest(prepared.net.digest, fixed, prepared.schedules.digest_items(
        prepared.start))


def sampled_space(prepared, keys: Sequence[str] | None = None):
    """The uncertain coefficients to sample, less those the scenario's calendar sets
    (a schedule is an observed fact of the history, not an uncertainty), and those."""
    every = uncertainties(keys=keys)
    scheduled = [u.key for u in every if u.key in prepared.schedules]
    space = [u for u in every if u.key not in scheduled]
    if not space:
        raise InputError("every uncertain coefficient follows a schedule in the scenario",
                         fix="calibrate a scenario whose calendar leaves some uncertain")
    return space, scheduled


def pattern_values(prepared, patterns: Sequence[Pattern], values: list[dict], steps: int,
                   seed: int, seeds: int, **options) -> tuple[np.ndarray, np.ndarray, int]:
    """Per sample and pattern the mean over the seeds of the metric at the pattern's
    quarter, and its variance over the seeds (0 with one seed)."""
    rows = np.array([p.quarter - prepared.start for p in patterns])
    columns = np.array([METRIC_INDEX[p.metric] for p in patterns])
    out = np.zeros((len(values), seeds, len(patterns)))
    variants = [Variant(0, v) for v in values]
    for run in iter_runs([prepared], variants, list(range(seed, seed + seeds)), steps,
                         **options):
        out[run.variant, run.seed - seed] = run.metrics[rows, columns]
    spread = out.var(axis=1, ddof=1) if seeds > 1 else np.zeros(out.shape[::2])
    return out.mean(axis=1), spread, seeds
