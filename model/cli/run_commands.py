"""The engine's commands (INTERFACES.md): `run`, `compare` and `sweep`.

    python main.py run [SCENARIO] [--runs R] [--preset P] [--set K=V] ...
    python main.py compare SCENARIO... [--presets P,Q,...]
    python main.py sweep [SCENARIO] --param NAME --values A,B,C

Each prints a summary table on stdout; a progress bar goes to stderr on a terminal. A
request estimated to take long says so first; Ctrl-C stops it (exit 130, nothing written).
"""
from __future__ import annotations

import argparse

from model.builtin.synthetic import MAX_FIRMS
from model.cli.briefing_out import check_out, write_json_out, write_out
from model.cli import honest_text
from model.cli.common import apply_overrides, load_scenario_arg
from model.cli.progress import Progress, announce
from model.engine import DEFAULT_STEPS, MAX_STEPS, METRIC, METRIC_KEYS, OUTCOMES, run, run_ends
from model.engine.explanation import explain_outcome
from model.errors import InputError
from model.experiments import limits
from model.experiments.limits import MAX_RUNS, MAX_SWEEP_VALUES
from model.experiments.runner import MEMORY_BUDGET
from model.parameters import PRESETS, parameter
from model.shares import share_words

KEY_METRICS = ("hhi_mean", "active_smes", "dependency_index", "talent_gini",
               "foreign_share", "openness_mean", "abuse_mean")
NO_PRESET = ("default", "none", "base")  # in --presets: the scenario's own parameters
BATCH_MEMORY_MB = MEMORY_BUDGET // 1_000_000  # --batch-memory's default
PROCESS_WORK = 2_000_000  # firm-steps above which runs go to worker processes


def add_run_commands(commands) -> None:
    p = commands.add_parser("run", help="run a scenario headless and print a summary")
    p.add_argument("scenario", nargs="?", default="default", metavar="SCENARIO",
                   help=f"a scenario file, `default` or `synthetic:N` (N up to "
                        f"{MAX_FIRMS:,}; default: default)")
    _shared(p)
    p.set_defaults(handler=cmd_run)

    p = commands.add_parser("compare", help="run several scenarios (or presets) on the same "
                                            "seeds and compare them")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="scenario files or built-in names; the first is the baseline")
    p.add_argument("--presets", metavar="P,Q,...",
                   help="with one SCENARIO: compare these presets on it (`default` = none)")
    p.add_argument("--variant", action="append", default=[], metavar="NAME=SCHEDULE",
                   help="with one SCENARIO: compare it with the same scenario under these "
                        "schedules, e.g. wait=antitrust_enforcement=8:0.8 (repeatable; "
                        "';' between parameters)")
    p.add_argument("--variants", action="store_true",
                   help="with one scenario FILE: compare every variant stored in it")
    p.add_argument("--against", metavar="NAME", default=None,
                   help="show the paired differences over time against this compared "
                        "scenario (default: the first)")
    _shared(p)
    p.set_defaults(handler=cmd_compare)

    p = commands.add_parser("sweep", help="sensitivity of the end metrics to one parameter")
    p.add_argument("scenario", nargs="?", default="default", metavar="SCENARIO")
    p.add_argument("--param", required=True, metavar="NAME", help="the parameter to vary")
    p.add_argument("--values", required=True, metavar="A,B,C",
                   help=f"its values (at most {MAX_SWEEP_VALUES})")
    _shared(p)
    p.set_defaults(handler=cmd_sweep)


RUNS_HELP = "runs on seeds SEED..SEED+RUNS-1; above 1 it is a Monte Carlo"
RUNS_LIMIT = f" (1 to {MAX_RUNS:,}; see docs/limits.md)"


def _shared(p: argparse.ArgumentParser, runs_help: str = RUNS_HELP,
            runs_limit: str = RUNS_LIMIT) -> None:
    p.add_argument("--steps", type=int, default=DEFAULT_STEPS,
                   help=f"quarters to simulate (default {DEFAULT_STEPS}; at most {MAX_STEPS})")
    p.add_argument("--runs", type=int, default=1, help=runs_help + runs_limit)
    p.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    p.add_argument("--preset", help="apply this preset (see `presets`)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="set any parameter (repeatable)")
    p.add_argument("--start", metavar="QUARTER",
                   help="the quarter of step 0, e.g. 2024Q1 (default: the scenario's)")
    p.add_argument("--schedule", action="append", default=[],
                   metavar="KEY=Q:VALUE[,Q:VALUE...]",
                   help="KEY takes VALUE from quarter Q on (Q a quarter such as 2026Q3 or a "
                        "step number; Q~VALUE ramps linearly from the previous change); "
                        "repeatable")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask scheduler (tcp://host:port); default: local processes")
    p.add_argument("--batch-memory", type=int, default=BATCH_MEMORY_MB, metavar="MB",
                   help="engine state one worker's batch of runs may hold (default "
                        f"{BATCH_MEMORY_MB} MB)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--out", metavar="FILE.xlsx", help="write the briefing workbook")
    p.add_argument("--json", metavar="FILE.json",
                   help="also write the results as UTF-8 JSON: end values and outcome per "
                        "seed (docs/json-output.md)")


# ---- handlers ---------------------------------------------------------------------------

def cmd_run(args: argparse.Namespace) -> int:
    _check_common(args)
    scenario = _overridden(load_scenario_arg(args.scenario, args.seed), args)
    if args.runs == 1:
        estimate = announce(args, firms=firm_count(scenario), steps=args.steps, runs=1,
                            workers=1)
        with Progress(args, "steps", estimate=estimate) as bar:
            result = (run if _every_step(args) else run_ends)(scenario, args.steps,
                                                              args.seed, progress=bar.update)
        print(_single_summary(scenario, result))
        if args.out:
            write_out(args, scenario, steps=args.steps, seed=args.seed, result=result)
        _write_json(args, lambda j: j.run_json(scenario, result))
        return 0
    from model.experiments import monte_carlo

    plan = _executor(args, scenario, args.runs)
    with plan as executor, Progress(args, "runs", estimate=plan.estimate) as bar:
        result = monte_carlo(scenario, args.runs, args.steps, args.seed, executor=executor,
                             progress=bar.update, memory_budget=_budget(args),
                             ends_only=not _every_step(args))
    print(_monte_carlo_summary(scenario, result))
    if args.out:
        write_out(args, scenario, steps=args.steps, seed=args.seed, monte_carlo=result)
    _write_json(args, lambda j: j.run_json(scenario, result))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    _check_common(args)
    labelled = _comparison_scenarios(args)
    from model.experiments import compare

    first = next(iter(labelled.values()))
    plan = _executor(args, first, args.runs * len(labelled))
    with plan as executor, Progress(args, "runs", estimate=plan.estimate) as bar:
        result = compare(labelled, args.runs, args.steps, args.seed, executor=executor,
                         progress=bar.update, memory_budget=_budget(args))
    if args.against is not None:
        from dataclasses import replace

        from model.experiments.paired import reference_label

        result = replace(result, reference=reference_label(result, args.against))
    print(_comparison_summary(result, args))
    if args.out:
        write_out(args, first, steps=args.steps, seed=args.seed, comparison=result)
    _write_json(args, lambda j: j.compare_json(first.title, result))
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    _check_common(args)
    spec = parameter(args.param)
    values = [spec.check(v) for v in _split(args.values, "--values")]
    scenario = _overridden(load_scenario_arg(args.scenario, args.seed), args)
    from model.experiments import sweep_runs, sweep_table

    plan = _executor(args, scenario, args.runs * len(values))
    with plan as executor, Progress(args, "runs", estimate=plan.estimate) as bar:
        results = sweep_runs(scenario, args.param, values, runs=args.runs, steps=args.steps,
                             seed=args.seed, executor=executor, progress=bar.update,
                             memory_budget=_budget(args))
    table = sweep_table(args.param, values, results)
    print(_sweep_summary(scenario, args, table))
    if args.out:
        write_out(args, scenario, steps=args.steps, seed=args.seed, sweep=table)
    _write_json(args, lambda j: j.sweep_json(scenario.title, args.param, values, results))
    return 0


# ---- inputs -----------------------------------------------------------------------------

def _every_step(args) -> bool:
    """Whether an output reads every step's metrics: the printed summary alone reads
    step 0 and the end (docs/decisions.md, "Speed at both ends")."""
    return bool(args.out or args.json)


def _budget(args) -> int:
    return args.batch_memory * 1_000_000


def _write_json(args, build) -> None:
    """With --json: `build(results_json)` written to its file."""
    if args.json:
        from model.files import results_json

        write_json_out(args, build(results_json))


def _check_common(args) -> None:
    if args.out is not None:
        check_out(args.out)
    if args.json is not None:
        check_out(args.json, "--json", ".json", "a .json file")
    limits.check_count("--runs", args.runs, MAX_RUNS,
                       fix=f"give --runs {MAX_RUNS:,} or fewer; see docs/limits.md")
    if args.seed < 0:
        raise InputError(f"--seed {args.seed} is negative", fix="give --seed 0 or more")
    if args.batch_memory < 1:
        raise InputError(f"--batch-memory {args.batch_memory} is not a number of megabytes "
                         ">= 1", fix=f"give --batch-memory 1 or more; the default is "
                                     f"{BATCH_MEMORY_MB}")
    if not 0 <= args.steps <= MAX_STEPS:
        raise InputError(f"--steps {args.steps} is outside 0..{MAX_STEPS}",
                         fix="give the number of quarters, e.g. --steps 40")
    if args.preset:
        from model.parameters import preset

        preset(args.preset)


def _split(text: str, option: str) -> list[str]:
    items = [t.strip() for t in str(text).split(",") if t.strip()]
    if not items:
        raise InputError(f"{option} {text!r} names nothing", fix=f"write {option} A,B,C")
    return items


def _overridden(scenario, args, preset: str | None = "", **options):
    """The scenario with the command's --start, --preset (or `preset`), --set and
    --schedule applied."""
    return apply_overrides(scenario, args.preset if preset == "" else preset, args.set,
                           start=args.start, schedules=args.schedule, steps=args.steps,
                           **options)


def _comparison_scenarios(args) -> dict:
    chosen = [o for o, on in (("--presets", args.presets), ("--variant", args.variant),
                              ("--variants", args.variants)) if on]
    if len(chosen) > 1:
        raise InputError(f"{' and '.join(chosen)} cannot be combined",
                         fix="compare presets, schedules or stored variants, one at a time")
    if chosen and len(args.scenarios) != 1:
        raise InputError(f"{chosen[0]} compares on one scenario, but {len(args.scenarios)} "
                         "scenarios were named", fix=f"name one SCENARIO with {chosen[0]}, or "
                                                     f"drop {chosen[0]}")
    if args.presets:
        base = load_scenario_arg(args.scenarios[0], args.seed)
        out = {}
        for name in _split(args.presets, "--presets"):
            if name.lower() in NO_PRESET:
                out[name] = _overridden(base, args)
            elif name not in PRESETS:
                raise InputError(f"unknown preset {name!r} in --presets",
                                 fix=f"use {', '.join(PRESETS)} or default")
            else:
                out[name] = _overridden(base, args, preset=name)
        return out
    if args.variant:
        from model.cli.common import add_scheduled

        base = _overridden(load_scenario_arg(args.scenarios[0], args.seed), args)
        return add_scheduled({"base": base}, base, args.variant, args.steps, "--variant",
                             "scenarios of the comparison")
    if args.variants:
        from model.cli.common import load_project_arg

        project = load_project_arg(args.scenarios[0], args.seed)
        return {v.name: _overridden(v, args) for v in project.variants}
    out = {}
    for spec in args.scenarios:
        label = spec if spec not in out else f"{spec} ({len(out) + 1})"
        out[label] = _overridden(load_scenario_arg(spec, args.seed), args)
    return out


def firm_count(scenario) -> int:
    counts = scenario.network.counts()
    return sum(counts[k] for k in ("leader", "sme", "foreign"))


class _executor:
    """None (in this process) for small work, else local processes or the Dask cluster.
    Entering it announces a long request; `estimate` is then its time in seconds (None
    on a cluster, whose workers are unknown)."""

    def __init__(self, args, scenario, total_runs, *, keeps_steps: bool = True):
        self.args, self.scenario, self.total = args, scenario, total_runs
        self.keeps_steps = keeps_steps  # an ensemble keeps every run's metrics per step
        self._context = None
        self.estimate = None

    def __enter__(self):
        from model.experiments import default_workers, open_executor

        limits.check_total_runs(self.total)
        if self.keeps_steps:
            limits.check_kept(self.total, self.args.steps)
        if self.args.scheduler:
            self._context = open_executor(self.args.scheduler)
            return self._context.__enter__()
        firms = firm_count(self.scenario)
        work = self.total * self.args.steps * firms
        processes = work > PROCESS_WORK and self.total > 1
        self.estimate = announce(self.args, firms=firms, steps=self.args.steps,
                                 runs=self.total,
                                 workers=default_workers() if processes else 1)
        return "processes" if processes else None

    def __exit__(self, *exc):
        if self._context is not None:
            return self._context.__exit__(*exc)
        return False


# ---- summaries --------------------------------------------------------------------------

def fmt(key: str, value: float, mean: bool = False) -> str:
    """A metric value, readably: whole numbers for counts, no decimals for HHI."""
    if METRIC[key].integer:
        return f"{value:.1f}" if mean else f"{int(round(value))}"
    if METRIC[key].unit == "HHI" or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]
    line = lambda cells: "  ".join(  # noqa: E731
        str(c).ljust(w) if j == 0 else str(c).rjust(w) for j, (c, w) in
        enumerate(zip(cells, widths)))
    return "\n".join([line(headers), line(["-" * w for w in widths])] +
                     [line(r) for r in rows])


def _heading(scenario, args_text: str) -> str:
    return f"{scenario.title} ({args_text})"


def _calendar(p) -> str:
    """'40 steps, 2024Q1 to 2034Q1', from a run's provenance."""
    return f"{p.steps} steps, {p.quarter(0)} to {p.quarter(p.steps)}"


def _schedule_lines(p) -> list[str]:
    return [f"schedule: {k} {s}" for k, s in p.schedules.items()]


def _single_summary(scenario, result) -> str:
    p = result.provenance
    rows = [[METRIC[k].label, fmt(k, result.start(k)), fmt(k, result.end(k))]
            for k in METRIC_KEYS]
    return "\n".join([
        _heading(scenario, f"seed {p.seed}, {_calendar(p)}, tool {p.tool_version}"),
        *_schedule_lines(p),
        "", table(["metric", f"{p.quarter(0)}", f"{p.quarter(p.steps)}"], rows), "",
        *honest_text.dimension_lines(result),
        f"outcome: {explain_outcome(result)}", honest_text.rule_line(),
        "(illustrative scenario exploration, not a forecast)"])


def _monte_carlo_summary(scenario, mc) -> str:
    p = mc.provenance
    end = mc.end_table()
    rows = [[METRIC[r.metric].label, fmt(r.metric, r.start),
             fmt(r.metric, r.end_mean, True),
             f"{fmt(r.metric, r.end_p5, True)} .. {fmt(r.metric, r.end_p95, True)}"]
            for r in end.itertuples()]
    words = share_words({o: mc.outcome_shares[o] for o in OUTCOMES})
    shares = ", ".join(f"{o} {words[o]}" for o in OUTCOMES)
    return "\n".join([
        _heading(scenario, f"{p.runs} runs on seeds {p.seed}..{p.seed + p.runs - 1}, "
                           f"{_calendar(p)}, tool {p.tool_version}"),
        *_schedule_lines(p),
        "", table(["metric", f"{p.quarter(0)}", f"{p.quarter(p.steps)} mean",
                   "p5 .. p95"], rows), "",
        honest_text.headline(mc.runs, fmt), *honest_text.dimension_lines(mc),
        f"outcomes: {shares}", honest_text.rule_line(),
        f"why: {explain_outcome(mc)}", "",
        *honest_text.margin_lines(mc, table),
        "(illustrative scenario exploration, not a forecast)"])


def _comparison_summary(result, args) -> str:
    from model.cli.paired_timeline import timeline

    end = result.end_table()
    base = result.labels[0]
    headers = ["metric"] + [f"{label}" for label in result.labels]
    rows = []
    for key in METRIC_KEYS:
        row = [METRIC[key].label]
        for label in result.labels:
            r = end[(end.scenario == label) & (end.metric == key)].iloc[0]
            cell = fmt(key, r.end_mean, args.runs > 1)
            if label != base:
                sign = "+" if r.diff_mean >= 0 else "-"
                cell += f" ({sign}{fmt(key, abs(r.diff_mean), True)})"
            row.append(cell)
        rows.append(row)
    outcome_rows = [[label] + list(share_words({o: result.results[label].outcome_shares[o]
                                                for o in OUTCOMES}).values())
                    for label in result.labels]
    provenances = {label: result.results[label].provenance for label in result.labels}
    first = provenances[base]
    schedules = [f"{label}: schedule {k} {s}" for label, p in provenances.items()
                 for k, s in p.schedules.items()]
    return "\n".join([
        f"Comparison on seeds {args.seed}..{args.seed + args.runs - 1}, {_calendar(first)}; "
        f"values in {first.quarter(first.steps)} (difference to {base!r} in brackets, "
        "paired on common seeds)", *schedules,
        "", table(headers, rows), "", table(["scenario", *OUTCOMES], outcome_rows), "",
        timeline(result, getattr(args, "against", None), fmt, table), "",
        *(f"{label}: {explain_outcome(result.results[label])}" for label in result.labels),
        "(illustrative scenario exploration, not a forecast)"])


def _sweep_summary(scenario, args, frame) -> str:
    headers = [args.param] + [METRIC[k].label for k in KEY_METRICS] + list(OUTCOMES)
    rows = [[f"{row[args.param]:g}"] +
            [fmt(k, row[f"{k}_mean"], args.runs > 1) for k in KEY_METRICS] +
            list(share_words({o: row[f"share_{o}"] for o in OUTCOMES}).values())
            for _, row in frame.iterrows()]
    return "\n".join([
        _heading(scenario, f"sweep of {args.param}, {args.runs} run(s) per value on seeds "
                           f"{args.seed}.., {args.steps} steps; end values"),
        "", table(headers, rows),
        "(illustrative scenario exploration, not a forecast)"])
