"""The experiments of MODEL.md section 7, all on common random numbers (every variant runs
on the same seeds seed .. seed+R-1):

- `monte_carlo`: per-step mean, p5, p50, p95 of every metric; outcome shares.
- `compare`: several scenarios; per-step paired differences to the first, with bands.
- `sensitivity`: one parameter at a time, low / base / high -> change of end metrics
  (tornado data).
- `grid`: two parameters over given values -> end metrics (heat-map data).
- `sweep`: one parameter over given values -> end metrics with bands, outcome shares
  (`sweep_runs`: its Monte Carlo per value).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.engine.metrics import METRIC_KEYS
from model.engine.outcome import OUTCOMES
from model.calendar import DEFAULT_START, Quarter, quarter_labels
from model.engine.results import Provenance
from model.engine.run import DEFAULT_STEPS, check_run_args, prepare
from model.errors import InputError
from model.experiments import limits
from model.experiments.runner import MEMORY_BUDGET, Variant, iter_runs
from model.parameters import LEVERS, parameter

BANDS = (("mean", None), ("p5", 5), ("p50", 50), ("p95", 95))
END_METRICS = ("hhi_mean", "active_smes", "dependency_index", "talent_gini", "foreign_share")


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    seeds: np.ndarray
    runs: np.ndarray  # (R, steps + 1, metrics), rows in seed order; (R, 2, metrics) of
    # step 0 and the end for a caller that reads nothing between (`ends_only`)
    outcomes: tuple[str, ...]
    summary: pd.DataFrame  # step, quarter, then KEY_mean, KEY_p5, KEY_p50, KEY_p95 per metric
    outcome_shares: dict[str, float]
    provenance: Provenance

    def end_table(self, keys: Sequence[str] = METRIC_KEYS) -> pd.DataFrame:
        """Per metric: mean at step 0, and mean, p5, p50, p95 at the last step."""
        rows = []
        for key in keys:
            j = METRIC_KEYS.index(key)
            end = self.runs[:, -1, j]
            rows.append({"metric": key, "start": float(self.runs[:, 0, j].mean()),
                         "end_mean": float(end.mean()),
                         **{f"end_{b}": float(np.percentile(end, q)) for b, q in BANDS[1:]}})
        return pd.DataFrame(rows)


@dataclass(frozen=True, eq=False)
class ComparisonResult:
    labels: tuple[str, ...]
    results: dict[str, MonteCarloResult]
    differences: dict[str, pd.DataFrame]  # label -> `paired_differences` to the first
    reference: str | None = None  # what paired end differences are taken against (None:
    # the first; model.experiments.paired)

    def end_table(self, keys: Sequence[str] = METRIC_KEYS) -> pd.DataFrame:
        """One row per scenario and metric: end mean and band, and the paired difference to
        the first scenario with its band."""
        base = self.results[self.labels[0]].runs
        rows = []
        for label in self.labels:
            runs = self.results[label].runs
            for key in keys:
                j = METRIC_KEYS.index(key)
                diff = runs[:, -1, j] - base[:, -1, j]
                rows.append({"scenario": label, "metric": key,
                             "end_mean": float(runs[:, -1, j].mean()),
                             "end_p5": float(np.percentile(runs[:, -1, j], 5)),
                             "end_p95": float(np.percentile(runs[:, -1, j], 95)),
                             "diff_mean": float(diff.mean()),
                             "diff_p5": float(np.percentile(diff, 5)),
                             "diff_p95": float(np.percentile(diff, 95))})
        return pd.DataFrame(rows)

    def outcome_table(self) -> pd.DataFrame:
        return pd.DataFrame([{"scenario": label, **self.results[label].outcome_shares}
                             for label in self.labels])


def summarise(runs: np.ndarray, start: Quarter = DEFAULT_START,
              steps: int | None = None) -> pd.DataFrame:
    """Per step: its quarter, then KEY_mean, KEY_p5, KEY_p50, KEY_p95 of every metric over
    the runs. `steps`: the last step, when `runs` holds step 0 and the end alone."""
    at = np.arange(runs.shape[1]) if steps is None else np.array([0, steps])
    labels = quarter_labels(start, int(at[-1]))
    columns = {"step": at, "quarter": [labels[t] for t in at]}
    stats = {"mean": runs.mean(axis=0)}
    stats.update({b: np.percentile(runs, q, axis=0) for b, q in BANDS[1:]})
    for j, key in enumerate(METRIC_KEYS):
        for band, _ in BANDS:
            columns[f"{key}_{band}"] = stats[band][:, j]
    return pd.DataFrame(columns)


def paired_differences(runs: np.ndarray, base: np.ndarray,
                       start: Quarter = DEFAULT_START) -> pd.DataFrame:
    """Per step, the mean, p5, p50 and p95 of the run-by-run differences runs - base, both
    (R, steps + 1, metrics) in seed order. The comparison runs every scenario on the same
    seeds (common random numbers): run r of each faced the same shocks, so its difference is
    the scenario's effect in that future, and the band is that effect's spread. The mean is
    the difference of the means."""
    if np.shape(runs) != np.shape(base):
        raise InputError(f"runs of shape {np.shape(runs)} cannot pair with the base's "
                         f"{np.shape(base)}", fix="compare runs on the same seeds and steps")
    return summarise(np.asarray(runs, float) - np.asarray(base, float), start)


def outcome_shares(outcomes: Sequence[str]) -> dict[str, float]:
    n = max(1, len(outcomes))
    return {o: sum(1 for x in outcomes if x == o) / n for o in OUTCOMES}


def _seeds(runs: int, seed: int) -> np.ndarray:
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise InputError(f"runs {runs!r} is not a whole number >= 1", fix="give --runs 1 or more")
    limits.check_count("runs", int(runs), limits.MAX_RUNS,
                       fix=f"give at most {limits.MAX_RUNS:,} runs")
    return np.arange(seed, seed + runs, dtype=np.int64)


def _collect(prepared_list, variants, runs, steps, seed, options,
             ends_only: bool = False) -> list[MonteCarloResult]:
    """Run every variant on the same seeds; one MonteCarloResult per variant (with
    `ends_only`, each run's step 0 and end alone)."""
    steps, seed = check_run_args(steps, seed)
    seeds = _seeds(runs, seed)
    limits.check_total_runs(len(variants) * len(seeds))
    limits.check_kept(len(variants) * len(seeds), steps)  # the same bound either way
    ends_only = ends_only and steps > 1  # fewer steps: every step is an end
    width = 2 if ends_only else steps + 1
    tables = np.empty((len(variants), len(seeds), width, len(METRIC_KEYS)))
    outcomes = np.empty((len(variants), len(seeds)), dtype=object)
    position = {int(s): k for k, s in enumerate(seeds)}
    for out in iter_runs(prepared_list, variants, seeds, steps, ends_only=ends_only,
                         **options):
        tables[out.variant, position[out.seed]] = out.metrics
        outcomes[out.variant, position[out.seed]] = out.outcome
    results = []
    for v, variant in enumerate(variants):
        p = prepared_list[variant.scenario].with_parameters(variant.changes)
        results.append(MonteCarloResult(seeds, tables[v], tuple(outcomes[v]),
                                        summarise(tables[v], p.start,
                                                  steps if ends_only else None),
                                        outcome_shares(outcomes[v]),
                                        Provenance.of(p, seed, steps, len(seeds))))
    return results


def _options(executor, progress, cancel, workers=None, memory_budget=None) -> dict:
    return {"executor": executor, "progress": progress, "cancel": cancel, "workers": workers,
            "memory_budget": memory_budget or MEMORY_BUDGET}


def monte_carlo(scenario, runs: int = 100, steps: int = DEFAULT_STEPS, seed: int = 0, *,
                executor=None, progress: Callable | None = None,
                cancel: Callable | None = None, workers: int | None = None,
                memory_budget: int | None = None, ends_only: bool = False
                ) -> MonteCarloResult:
    """`runs` runs on seeds seed.. seed + runs - 1. `ends_only`: the result holds step 0
    and the end of each run alone (the command line's summary reads nothing between)."""
    prepared = prepare(scenario)
    return _collect([prepared], [Variant(0, {})], runs, steps, seed,
                    _options(executor, progress, cancel, workers, memory_budget),
                    ends_only)[0]


def compare(scenarios: Mapping[str, object] | Sequence, runs: int = 100,
            steps: int = DEFAULT_STEPS, seed: int = 0, *, executor=None,
            progress: Callable | None = None, cancel: Callable | None = None,
            workers: int | None = None, memory_budget: int | None = None
            ) -> ComparisonResult:
    """Scenarios (labelled, or labelled by their names) on the same seeds; the first one is
    the baseline of the differences."""
    labelled = dict(scenarios) if isinstance(scenarios, Mapping) else \
        _label(list(scenarios))
    if not labelled:
        raise InputError("nothing to compare", fix="name at least one scenario")
    prepared = [prepare(s) for s in labelled.values()]
    variants = [Variant(k, {}) for k in range(len(prepared))]
    results = _collect(prepared, variants, runs, steps, seed,
                       _options(executor, progress, cancel, workers, memory_budget))
    labels = tuple(labelled)
    base = results[0].runs
    return ComparisonResult(labels, dict(zip(labels, results)),
                            {label: paired_differences(r.runs, base, prepared[0].start)
                             for label, r in zip(labels, results)})


def _label(scenarios: list) -> dict:
    out = {}
    for k, s in enumerate(scenarios):
        name = getattr(s, "title", "") or getattr(s, "name", "") or f"scenario {k + 1}"
        label = name
        while label in out:
            label = f"{name} ({k + 1})"
        out[label] = s
    return out


def sensitivity_range(key: str, base: float) -> tuple[float, float]:
    """Low and high of a tornado bar: the whole range of a lever, base -/+ 50 % (within the
    range) for any other parameter."""
    spec = parameter(key)
    if key in LEVERS:
        return spec.low, spec.high
    low, high = max(spec.low, base * 0.5), min(spec.high, base * 1.5)
    if spec.integer:
        low, high = float(max(spec.low, np.floor(low))), float(min(spec.high, np.ceil(high)))
    return low, high


def sensitivity(scenario, parameters: Sequence[str] = LEVERS,
                metrics: Sequence[str] = END_METRICS, runs: int = 20,
                steps: int = DEFAULT_STEPS, seed: int = 0, *,
                ranges: Mapping[str, tuple[float, float]] | None = None, executor=None,
                progress=None, cancel=None, workers=None, memory_budget=None
                ) -> pd.DataFrame:
    """Tornado data: one row per parameter and metric, sorted by swing within each metric."""
    prepared = prepare(scenario)
    _check_metrics(metrics)
    base_values = prepared.parameters
    plan = []
    for key in parameters:
        low, high = (ranges or {}).get(key) or sensitivity_range(key, base_values[key])
        plan.append((key, low, high))
    variants = [Variant(0, {})] + [Variant(0, {key: v}) for key, lo, hi in plan
                                   for v in (lo, hi)]
    results = _collect([prepared], variants, runs, steps, seed,
                       _options(executor, progress, cancel, workers, memory_budget))
    base_end = _end_means(results[0], metrics)
    rows = []
    for k, (key, low, high) in enumerate(plan):
        low_end, high_end = (_end_means(results[1 + 2 * k + j], metrics) for j in (0, 1))
        for metric in metrics:
            rows.append({"parameter": key, "label": parameter(key).label, "metric": metric,
                         "low": low, "base": base_values[key], "high": high,
                         "low_end": low_end[metric], "base_end": base_end[metric],
                         "high_end": high_end[metric],
                         "low_change": low_end[metric] - base_end[metric],
                         "high_change": high_end[metric] - base_end[metric],
                         "swing": abs(high_end[metric] - low_end[metric])})
    table = pd.DataFrame(rows)
    return table.sort_values(["metric", "swing"], ascending=[True, False],
                             kind="stable").reset_index(drop=True)


def grid(scenario, x: str, x_values: Sequence[float], y: str, y_values: Sequence[float],
         metrics: Sequence[str] = END_METRICS, runs: int = 20, steps: int = DEFAULT_STEPS,
         seed: int = 0, *, executor=None, progress=None, cancel=None,
         workers=None, memory_budget=None) -> pd.DataFrame:
    """Heat-map data: one row per (x value, y value) with the end mean, p5 and p95 of each
    metric; `grid_pivot` turns one metric into a y-by-x table."""
    prepared = prepare(scenario)
    _check_metrics(metrics)
    for key, values in ((x, x_values), (y, y_values)):
        if len(values) > limits.MAX_GRID_VALUES:
            raise InputError(f"the grid has {len(values)} values of {key}, over the limit of "
                             f"{limits.MAX_GRID_VALUES}", fix="give fewer values per axis")
    cells = [(vx, vy) for vy in y_values for vx in x_values]
    variants = [Variant(0, {x: vx, y: vy}) for vx, vy in cells]
    results = _collect([prepared], variants, runs, steps, seed,
                       _options(executor, progress, cancel, workers, memory_budget))
    rows = [{x: vx, y: vy, **_end_bands(r, metrics)} for (vx, vy), r in zip(cells, results)]
    return pd.DataFrame(rows)


def grid_pivot(table: pd.DataFrame, x: str, y: str, metric: str) -> pd.DataFrame:
    return table.pivot(index=y, columns=x, values=f"{metric}_mean")


def sweep(scenario, parameter_key: str, values: Sequence[float],
          metrics: Sequence[str] = METRIC_KEYS, runs: int = 20, steps: int = DEFAULT_STEPS,
          seed: int = 0, **options) -> pd.DataFrame:
    """One row per value: end mean, p5, p95 of each metric, and the outcome shares."""
    _check_metrics(metrics)
    results = sweep_runs(scenario, parameter_key, values, runs, steps, seed, **options)
    return sweep_table(parameter_key, values, results, metrics)


def sweep_runs(scenario, parameter_key: str, values: Sequence[float], runs: int = 20,
               steps: int = DEFAULT_STEPS, seed: int = 0, *, executor=None, progress=None,
               cancel=None, workers=None, memory_budget=None) -> list[MonteCarloResult]:
    """The runs of a sweep, one Monte Carlo per value, all on the same seeds (every run's
    metrics per step: what `sweep_table` summarises and a JSON export lists per seed)."""
    prepared = prepare(scenario)
    parameter(parameter_key)
    if not len(values):
        raise InputError("a sweep needs at least one value", fix="give --values A,B,C")
    if len(values) > limits.MAX_SWEEP_VALUES:
        raise InputError(f"a sweep of {len(values)} values is over the limit of "
                         f"{limits.MAX_SWEEP_VALUES}", fix="give fewer --values")
    variants = [Variant(0, {parameter_key: v}) for v in values]
    return _collect([prepared], variants, runs, steps, seed,
                    _options(executor, progress, cancel, workers, memory_budget))


def sweep_table(parameter_key: str, values: Sequence[float],
                results: Sequence[MonteCarloResult],
                metrics: Sequence[str] = METRIC_KEYS) -> pd.DataFrame:
    """The table of `sweep` from its runs."""
    rows = [{parameter_key: v, **_end_bands(r, metrics),
             **{f"share_{o}": r.outcome_shares[o] for o in OUTCOMES}}
            for v, r in zip(values, results)]
    return pd.DataFrame(rows)


def _end_means(result: MonteCarloResult, metrics) -> dict[str, float]:
    return {m: float(result.runs[:, -1, METRIC_KEYS.index(m)].mean()) for m in metrics}


def _end_bands(result: MonteCarloResult, metrics) -> dict[str, float]:
    out = {}
    for m in metrics:
        end = result.runs[:, -1, METRIC_KEYS.index(m)]
        out[f"{m}_mean"] = float(end.mean())
        out[f"{m}_p5"] = float(np.percentile(end, 5))
        out[f"{m}_p95"] = float(np.percentile(end, 95))
    return out


def _check_metrics(metrics: Sequence[str]) -> None:
    for m in metrics:
        if m not in METRIC_KEYS:
            raise InputError(f"unknown metric {m!r}", fix=f"use one of: {', '.join(METRIC_KEYS)}")


