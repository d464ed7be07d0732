"""An exploration (MODEL.md section 8): sampled futures of the uncertain coefficients, each
run under each policy on common seeds, then scenario discovery (PRIM), global sensitivity
(SALib) and the robustness of the policies.

    result = explore(default_scenario(), futures=1000,
                     policies=("benign_policy", "adverse_policy"), world="fast_lock_in")
    result.rows          # one row per (future, policy): sampled values, end metrics, outcome
    result.discovery     # PRIM's trajectory and box for the outcome of interest
    result.robustness    # policies ranked by the share of futures not ending adverse

A policy is the scenario as it is (`current`) or with a policy package applied (lever
values, or schedules). A world assumption is no policy: `world=NAME` holds its coefficients
fixed in every future instead (they leave the sampled uncertainties). The futures of a
policy run in batches, each run with its own values (model.experiments.runner), through
local processes or a Dask cluster.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from model.engine import METRIC_KEYS, DEFAULT_STEPS, prepare
from model.engine.outcome import ADVERSE, OUTCOMES
from model.engine.results import Provenance
from model.engine.run import check_run_args
from model.errors import InputError
from model.experiments.runner import Variant, iter_runs
from model.exploration.futures import MAX_FUTURES, Uncertainty, sample, uncertainties
from model.exploration.prim import PrimResult, prim, warm_prim
from model.exploration.robustness import BETTER, robustness
from model.exploration.sensitivity import Design, design, indices, precision, seed_noise
from model.exploration.step_bands import StepBands
from model.parameters import LEVERS, PARAMETERS, POLICIES, PRESETS, WORLD, WORLDS, kind_name

CURRENT = "current"  # the policy of the scenario as it is
NO_PRESET = ("current", "default", "none", "base")
MAX_RUNS_PER_FUTURE = 100
MAX_SENSITIVITY_RUNS = 10 * MAX_FUTURES
SENSITIVITY_METRICS = tuple(BETTER)
SENSITIVITY_SEEDS = 2  # seeds per point of the sensitivity design (docs/decisions.md)


@dataclass(frozen=True, eq=False)
class Exploration:
    space: tuple[Uncertainty, ...]
    fixed: Mapping[str, float]
    policies: tuple[str, ...]
    futures: pd.DataFrame  # one row per future: the sampled values
    rows: pd.DataFrame  # one row per (future, policy): values, end metrics, outcome
    robustness: pd.DataFrame
    discovery: PrimResult | None  # None when no future had the outcome of interest
    discovery_policy: str
    outcome: str
    sensitivity: pd.DataFrame | None
    sensitivity_design: Design | None
    provenance: Provenance  # the scenario as given, the first seed, the steps
    runs_per_future: int
    policy_settings: pd.DataFrame  # one row per policy: its lever values and schedules
    timings: dict = field(default_factory=dict)  # seconds: runs, prim, sensitivity
    world: str = ""  # the world assumption whose coefficients are among `fixed`, if any
    # per seed, the rows' end metrics (rows, runs per future, metrics) and outcomes
    seed_ends: np.ndarray | None = None
    seed_outcomes: np.ndarray | None = None
    # the sensitivity design's precision and seed noise (`sensitivity_checks`); {} without
    sensitivity_checks: dict = field(default_factory=dict)
    # which ranges the futures were drawn from: calibrated or plausible, and why
    ranges: str = "plausible"
    ranges_note: str = ""
    # per policy and step, the mean, p5, p50 and p95 of every metric over the futures
    # (model.exploration.step_bands: columns policy, step, quarter, KEY_mean, ...), and how
    # many futures per policy they are computed from; None when not computed
    step_bands: pd.DataFrame | None = None
    step_bands_futures: int = 0

    @property
    def seeds(self) -> list[int]:
        return list(range(self.provenance.seed, self.provenance.seed + self.runs_per_future))

    def top_factors(self, metric: str, count: int = 3) -> pd.DataFrame:
        """The first `count` factors of a metric: the ranked ones first (by rank), then
        those not distinguishable from 0 (model.exploration.sensitivity.judge)."""
        if self.sensitivity is None:
            return pd.DataFrame()
        return self.sensitivity[self.sensitivity["metric"] == metric].head(count)

    def ranked_factors(self, metric: str, count: int = 3) -> pd.DataFrame:
        """Only the ranked factors of a metric (distinguishable from 0), at most `count`."""
        top = self.top_factors(metric, len(self.sensitivity) if self.sensitivity is not
                               None else 0)
        return top[top["distinguishable"]].head(count) if len(top) else top


def policy_scenarios(scenario, policies: Sequence[str] | Mapping[str, object]) -> dict:
    """Each named policy applied to the scenario: `current` as it is, else a policy
    package; or, given a mapping, the policies' own scenarios (the scenario with lever
    values or schedules of its own), by name."""
    if not policies:
        raise InputError("no policy to explore", fix="give --policies current,benign_policy,...")
    if isinstance(policies, Mapping):
        return dict(policies)
    if isinstance(policies, str):
        policies = [p.strip() for p in policies.split(",") if p.strip()]
    out = {}
    for name in policies:
        if name in out:
            raise InputError(f"the policy {name!r} is named twice",
                             fix="name each policy once")
        if name.lower() in NO_PRESET:
            out[name] = scenario
        elif name in POLICIES:
            out[name] = scenario.with_preset(name)
        else:
            _not_a_policy(name)
    return out


def _not_a_policy(name: str) -> None:
    """Refuses a name that is no policy package, pointing a world or a scenario to --world."""
    found = PRESETS.get(name)
    if found is None:
        raise InputError(f"unknown policy {name!r}", fix="use current or a policy package: "
                                                         f"{', '.join(POLICIES)}")
    if found.kind == WORLD:
        fix = f"hold its coefficients in every future with --world {name}"
    else:
        policy, world = found.parts
        fix = f"explore its policy package {policy} and hold its world with --world {world}"
    raise InputError(f"{name!r} is {kind_name(found.kind)}, not a policy package", fix=fix)


def world_values(name: str | None) -> dict[str, float]:
    """The coefficients a world assumption fixes (none without one)."""
    if not name:
        return {}
    if name not in WORLDS:
        found = PRESETS.get(name)
        what = f"is {kind_name(found.kind)}" if found else "is unknown"
        raise InputError(f"the world {name!r} {what}, not a world assumption",
                         fix=f"use one of: {', '.join(WORLDS)}")
    return dict(WORLDS[name].values)


def _with_world(fixed: Mapping[str, float], world: str | None) -> dict[str, float]:
    """The fixed keys: the world's coefficients and `fixed` (a key in both is refused)."""
    held = world_values(world)
    both = [k for k in fixed if k in held]
    if both:
        raise InputError(f"{both[0]} is fixed by the world {world!r} and by --fix",
                         fix=f"drop --fix {both[0]}, or the world")
    return {**held, **fixed}


def explore(scenario, futures: int = 1000,
            policies: Sequence[str] | Mapping[str, object] = (CURRENT,), *,
            uncertain: Mapping[str, tuple[float, float]] | None = None,
            fixed: Mapping[str, float] | None = None, keys: Sequence[str] | None = None,
            method: str | None = "sobol", outcome: str = ADVERSE,
            discovery_policy: str | None = None, world: str | None = None,
            steps: int = DEFAULT_STEPS,
            seed: int = 0, runs_per_future: int = 1, sensitivity_runs: int | None = None,
            executor=None, workers: int | None = None, memory_budget: int | None = None,
            progress: Callable[[int, int], None] | None = None,
            cancel: Callable[[], bool] | None = None, ranges=None,
            bands: bool = True) -> Exploration:
    """Sample the futures, run every future under every policy (common seeds), then
    discover, rank and (with `method`) measure sensitivity. `world`: a world assumption
    whose coefficients every future holds (fixed keys, not sampled). `ranges`: a
    model.calibration.store.RangeChoice (None: the plausible ranges); `uncertain` ranges
    override it. `bands`: also the bands over time (`step_bands`), which need every
    step's metrics of every run; without them the runs compute and send back their end
    values alone (step_bands None). Progress counts runs."""
    steps, seed = check_run_args(steps, seed)
    if outcome not in OUTCOMES:
        raise InputError(f"unknown outcome {outcome!r}", fix=f"use one of: {', '.join(OUTCOMES)}")
    if not 1 <= runs_per_future <= MAX_RUNS_PER_FUTURE:
        raise InputError(f"runs per future {runs_per_future} is outside 1..{MAX_RUNS_PER_FUTURE}",
                         fix="give a whole number of runs per future")
    if sensitivity_runs is not None and (isinstance(sensitivity_runs, bool) or not
                                         1 <= sensitivity_runs <= MAX_SENSITIVITY_RUNS):
        raise InputError(f"sensitivity runs {sensitivity_runs!r} is not a whole number from 1 "
                         f"to {MAX_SENSITIVITY_RUNS:,}", fix="give about how many runs the "
                                                        "sensitivity design may take")
    fixed = _with_world({k: PARAMETERS[k].check(v) for k, v in (fixed or {}).items()}, world)
    from model.calibration.store import PLAUSIBLE, applied, draw_kept

    space = uncertainties(applied(ranges, uncertain, fixed, keys), fixed, keys)
    scenarios = policy_scenarios(scenario, policies)
    _no_schedule_conflicts(scenarios, space)
    names = tuple(scenarios)
    if discovery_policy is not None and discovery_policy not in scenarios:
        raise InputError(f"the discovery policy {discovery_policy!r} is not explored",
                         fix=f"use one of: {', '.join(names)}")
    samples = draw_kept(sample(space, futures, seed), ranges, uncertain, seed)
    study = _study(method, space, fixed, (sensitivity_runs or futures) //
                   design_seed_count(runs_per_future), seed)
    started = time.perf_counter()
    base = prepare(scenario)
    prepared = [_on_base(base, s) for s in scenarios.values()] + [base]
    options = {"executor": executor, "workers": workers, "progress": progress,
               "cancel": cancel}
    if memory_budget is not None:
        options["memory_budget"] = memory_budget
    bands = StepBands(names, len(samples), runs_per_future, steps, len(METRIC_KEYS)) \
        if bands else None
    warm_prim()  # PRIM's import loads while the runs go (their wait is idle here)
    rows, ends, per_seed = _run_all(prepared, names, samples, study, fixed, steps, seed,
                                    runs_per_future, options, bands)
    timings = {"runs": time.perf_counter() - started}
    started = time.perf_counter()
    table, checks = None, {}
    if study is not None:
        means = ends.mean(axis=1)
        table = indices(study, {k: means[:, METRIC_KEYS.index(k)]
                                for k in SENSITIVITY_METRICS}, seed)
        checks = sensitivity_checks(table, study, ends)
    timings["sensitivity"] = time.perf_counter() - started
    started = time.perf_counter()
    discovery_policy = discovery_policy or own_policy(names)
    discovery = discover(rows, space, discovery_policy, outcome)
    timings["prim"] = time.perf_counter() - started
    return Exploration(tuple(space), fixed, names, samples, rows, robustness(rows), discovery,
                       discovery_policy, outcome, table, study,
                       Provenance.of(base, seed, steps, futures * len(names)),
                       runs_per_future, settings(scenarios), timings, world or "", *per_seed,
                       sensitivity_checks=checks,
                       ranges=ranges.name if ranges is not None else PLAUSIBLE,
                       ranges_note=ranges.note if ranges is not None else "",
                       step_bands=None if bands is None else bands.frame(base.start),
                       step_bands_futures=0 if bands is None else bands.kept)


def sensitivity_checks(table, study, ends: np.ndarray) -> dict:
    """The design's precision (model.exploration.sensitivity.precision), its seeds per
    point and per metric the seed's share of the variance of single runs."""
    noise = seed_noise(ends)
    return {**precision(table, study, ends.shape[1]), "seeds_per_point": int(ends.shape[1]),
            "runs": int(ends.shape[0] * ends.shape[1]),
            "seed_noise": {k: float(noise[METRIC_KEYS.index(k)]) for k in SENSITIVITY_METRICS}}


def _on_base(base, scenario):
    """The policy's scenario prepared: on the base's compiled network when it shares the
    network (presets and schedules change parameters only), compiled afresh otherwise."""
    if scenario.network is not base.network:
        return prepare(scenario)
    return replace(base, parameters=scenario.parameters, start=scenario.start,
                   schedules=scenario.schedules, name=scenario.name)


def settings(scenarios: dict) -> pd.DataFrame:
    """Per policy: the preset it applies (or none), each lever's value, and the schedules
    (key: changes on the calendar)."""
    rows = []
    for name, s in scenarios.items():
        row = {"policy": name, "preset": name if name in POLICIES else ""}
        row.update({k: float(s.parameters[k]) for k in LEVERS})
        row["schedules"] = "; ".join(f"{k} {sch.text()}"
                                     for k, sch in s.schedules.items())
        rows.append(row)
    return pd.DataFrame(rows)


def discover(rows: pd.DataFrame, space, policy: str, outcome: str) -> PrimResult | None:
    """PRIM's box for `outcome` among the futures of `policy` (None when none ended so):
    what `explore` reports, and what the window recomputes when the policy or the outcome
    is chosen again."""
    mine = rows[rows["policy"] == policy].reset_index(drop=True)
    interest = (mine["outcome"] == outcome).to_numpy()
    return prim(mine[[u.key for u in space]], interest) if interest.any() else None


def own_policy(names: Sequence[str]) -> str:
    """The policy whose futures PRIM reads by default: the user's own, `current` when it
    is explored (any of its spellings), else the first policy listed."""
    return next((n for n in names if n.lower() in NO_PRESET), names[0])


def most_informative(rows: pd.DataFrame, outcome: str) -> str:
    """The policy whose futures PRIM reads by default: the one whose share of `outcome` is
    nearest one half (a box separates best there; at 0 % or 100 % there is nothing to
    separate); ties: the first."""
    shares = (rows["outcome"] == outcome).groupby(rows["policy"], sort=False).mean()
    return str(min(shares.index, key=lambda p: abs(shares[p] - 0.5)))


def _no_schedule_conflicts(scenarios: dict, space: list[Uncertainty]) -> None:
    for name, s in scenarios.items():
        both = [u.key for u in space if u.key in s.schedules]
        if both:
            raise InputError(f"{both[0]} is uncertain and follows a schedule under policy "
                             f"{name!r}", fix=f"fix it (--fix {both[0]}=VALUE) or drop its "
                                              "schedule")


def _run_all(prepared, names, samples, study, fixed, steps, seed, per_future,
             options, bands: StepBands | None = None
             ) -> tuple[pd.DataFrame, np.ndarray | None, tuple]:
    """Every future under every policy, on seeds seed .. seed + per_future - 1, and the
    sensitivity design's runs on the scenario as given (the last of `prepared`), through
    one executor (`options`: those of iter_runs); `bands` collects the futures' runs.
    (The rows of the futures, the end metrics of the design's runs, the rows' end
    metrics and outcomes per seed.)"""
    values = samples.to_dict("records")
    variants = [Variant(p, {**fixed, **v}) for p in range(len(names)) for v in values]
    futures_end = len(variants)
    seeds = list(range(seed, seed + per_future))
    design_seeds = design_seed_count(per_future) if study is not None else 0
    later = 0 if study is None else len(study.samples) * design_seeds
    ends = np.zeros((len(variants), per_future, len(METRIC_KEYS)))
    outcomes = np.empty((len(variants), per_future), dtype=object)
    for out in iter_runs(prepared, variants, seeds, steps, ends_only=bands is None,
                         **_offset(options, 0, later)):
        ends[out.variant, out.seed - seed] = out.metrics[-1]
        outcomes[out.variant, out.seed - seed] = out.outcome
        if bands is not None:
            bands.add(out.variant, out.metrics)
    design = None
    if study is not None:
        design = _run_design(prepared, study, fixed, steps, seed, design_seeds,
                             _offset(options, len(variants) * per_future, 0))
    n = len(samples)
    rows = pd.DataFrame({"future": np.tile(np.arange(n), len(names)),
                         "policy": np.repeat(np.array(names, dtype=object), n)})
    rows = pd.concat([rows, pd.concat([samples] * len(names), ignore_index=True)], axis=1)
    for j, key in enumerate(METRIC_KEYS):
        rows[key] = ends[:futures_end, :, j].mean(axis=1)
    rows["outcome"] = [_modal(o) for o in outcomes[:futures_end]]
    return rows, design, (ends[:futures_end], outcomes[:futures_end])


def design_seed_count(per_future: int) -> int:
    """Seeds per point of the sensitivity design: at least SENSITIVITY_SEEDS, so that the
    seed's share of the variance can be measured (and the indices read a mean of runs)."""
    return max(per_future, SENSITIVITY_SEEDS)


def _run_design(prepared, study, fixed, steps, seed, seeds, options) -> np.ndarray:
    """The design's end metrics, (points, seeds, metrics), on the scenario as given (the
    last of `prepared`)."""
    variants = [Variant(len(prepared) - 1, {**fixed, **v})
                for v in study.samples.to_dict("records")]
    ends = np.zeros((len(variants), seeds, len(METRIC_KEYS)))
    for out in iter_runs(prepared, variants, list(range(seed, seed + seeds)), steps,
                         ends_only=True, **options):
        ends[out.variant, out.seed - seed] = out.metrics[-1]
    return ends


def _offset(options: dict, before: int, after: int) -> dict:
    """`options` whose progress counts `before` runs done already and `after` to come."""
    progress = options.get("progress")
    if progress is None or not (before or after):
        return options
    return {**options, "progress": lambda done, total: progress(before + done,
                                                                before + total + after)}


def _modal(outcomes) -> str:
    """The most frequent outcome of a future's runs; on a tie the worse one."""
    counts = {o: list(outcomes).count(o) for o in OUTCOMES}  # adverse, mixed, benign
    return max(OUTCOMES, key=lambda o: (counts[o], -OUTCOMES.index(o)))


def _study(method, space, fixed, budget, seed) -> Design | None:
    """The sensitivity design: the uncertainties and the levers (over [0, 1]) that are
    neither fixed nor uncertain already."""
    if not method:
        return None
    factors = [(u.key, u.low, u.high) for u in space]
    taken = {u.key for u in space} | set(fixed)
    factors += [(k, PARAMETERS[k].low, PARAMETERS[k].high) for k in LEVERS if k not in taken]
    integer = {k: PARAMETERS[k].integer for k, _, _ in factors}
    return design(method, factors, budget, seed, integer)



