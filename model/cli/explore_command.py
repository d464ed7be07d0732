"""`explore`: futures of the uncertain coefficients, each under each policy, then scenario
discovery, global sensitivity and the robustness of the policies (MODEL.md section 8).

    python main.py explore [SCENARIO] --futures N [--policies P,Q,...] [--policy NAME=SCHEDULE]
        [--uncertain KEY=LOW:HIGH ...] [--fix KEY=VALUE ...] [--only K,K,...]
        [--world NAME] [--method sobol|morris|none] [--outcome adverse] [--discover POLICY]
        [--out FILE.xlsx] [--json FILE.json]
"""
from __future__ import annotations

import argparse

from model.cli.common import add_scheduled, load_scenario_arg
from model.cli.progress import Progress
from model.cli.run_commands import (_budget, _check_common, _executor, _overridden, _shared,
                                    _split, _write_json, table)
from model.engine import METRIC, OUTCOMES
from model.errors import InputError
from model.experiments import limits
from model.exploration.experiment import MAX_RUNS_PER_FUTURE, MAX_SENSITIVITY_RUNS
from model.exploration.futures import MAX_FUTURES
from model.exploration.prim import significance_words
from model.exploration.robustness import REGRET_MEANING
from model.exploration.sensitivity import precision_text, value_columns
from model.parameters import WORLDS, parameter
from model.shares import percent_text, share_words, whole_percents

DEFAULT_FUTURES = 1000
TOP_FACTORS = 3


def add_explore_command(commands) -> None:
    p = commands.add_parser("explore", help="sample futures of what we do not know, run each "
                                            "under each policy; discover, rank, measure")
    p.add_argument("scenario", nargs="?", default="default", metavar="SCENARIO")
    p.add_argument("--futures", type=int, default=DEFAULT_FUTURES, metavar="N",
                   help=f"Latin-hypercube samples of the uncertainties (default "
                        f"{DEFAULT_FUTURES:,}; at most {MAX_FUTURES:,})")
    p.add_argument("--policies", default="current", metavar="P,Q,...",
                   help="the policies: `current` (the scenario as it is) and policy "
                        "packages (see `presets`; default: current)")
    p.add_argument("--world", metavar="NAME",
                   help="a world assumption (see `presets`) whose coefficients every future "
                        "holds: they are fixed, not sampled")
    p.add_argument("--policy", action="append", default=[], metavar="NAME=SCHEDULE",
                   help="a policy of your own: lever values from quarters on, e.g. "
                        "act_late=antitrust_enforcement=2027Q1:0.9 (';' between levers; "
                        "repeatable)")
    p.add_argument("--uncertain", action="append", default=[], metavar="KEY=LOW:HIGH",
                   help="explore KEY over LOW..HIGH (narrows, widens or adds a coefficient "
                        "or a lever; repeatable)")
    p.add_argument("--fix", action="append", default=[], metavar="KEY=VALUE",
                   help="hold an uncertain coefficient at VALUE in every future "
                        "(repeatable)")
    p.add_argument("--only", metavar="K,K,...",
                   help="explore only these coefficients (with their plausible ranges)")
    p.add_argument("--ranges", choices=("calibrated", "plausible"), default=None,
                   help="draw the futures from the calibrated ranges (resources/data/"
                        "calibrated.json, made by `calibrate`) or the plausible ones "
                        "(default: calibrated when that file matches the data, else "
                        "plausible, with a note)")
    p.add_argument("--method", default="sobol", choices=("sobol", "morris", "none"),
                   help="global sensitivity: Sobol indices, Morris effects or none "
                        "(default sobol)")
    p.add_argument("--outcome", default="adverse", choices=OUTCOMES,
                   help="the outcome scenario discovery explains (default adverse)")
    p.add_argument("--discover", metavar="POLICY",
                   help="the policy whose futures PRIM reads (default: your own, `current` "
                        "if explored, else the first policy listed)")
    p.add_argument("--sensitivity-runs", type=int, metavar="N",
                   help="about how many runs the sensitivity design may take (default: "
                        "as many as futures; Sobol takes at least 32 x (factors + 2) points, each "
                        "run on 2 seeds (or --runs); at "
                        f"most {MAX_SENSITIVITY_RUNS:,})")
    _shared(p, runs_help="runs per future, on seeds SEED..SEED+RUNS-1: metrics averaged, "
                          "the most frequent outcome (default 1)",
            runs_limit=f" (1 to {MAX_RUNS_PER_FUTURE})")
    p.set_defaults(handler=cmd_explore)


def cmd_explore(args: argparse.Namespace) -> int:
    _check_common(args)
    limits.check_count("--futures", args.futures, MAX_FUTURES,
                       fix=f"give --futures {MAX_FUTURES:,} or fewer; see docs/limits.md")
    limits.check_count("--runs", args.runs, MAX_RUNS_PER_FUTURE,
                       fix=f"give --runs {MAX_RUNS_PER_FUTURE} or fewer per future")
    if args.sensitivity_runs is not None:
        limits.check_count("--sensitivity-runs", args.sensitivity_runs, MAX_SENSITIVITY_RUNS,
                           fix=f"give --sensitivity-runs {MAX_SENSITIVITY_RUNS:,} or fewer")
    from model.exploration.experiment import design_seed_count, explore, world_values

    world_values(args.world)  # a wrong name is refused before the scenario is read
    scenario = _overridden(load_scenario_arg(args.scenario, args.seed), args)
    policies = _policies(scenario, args)
    ranges, fixed = _ranges(args.uncertain), _fixes(args.fix)
    from model.calibration.store import choose_ranges

    choice = choose_ranges(args.ranges)
    keys = _split(args.only, "--only") if args.only else None
    for key in keys or ():
        parameter(key)
    method = None if args.method == "none" else args.method
    sensitivity = 0 if method is None else (args.sensitivity_runs or args.futures)
    total = args.futures * len(policies) * args.runs + sensitivity * design_seed_count(args.runs)
    plan = _executor(args, scenario, total, keeps_steps=False)
    with plan as executor, Progress(args, "runs", estimate=plan.estimate) as bar:
        result = explore(scenario, args.futures, policies, uncertain=ranges, fixed=fixed,
                         keys=keys, method=method, outcome=args.outcome,
                         discovery_policy=args.discover, world=args.world,
                         steps=args.steps, seed=args.seed,
                         runs_per_future=args.runs, sensitivity_runs=args.sensitivity_runs,
                         executor=executor,
                         progress=bar.update, memory_budget=_budget(args), ranges=choice,
                         bands=bool(args.out))  # only the workbook shows the bands
    print(summary(scenario, result))
    if args.out:
        from model.cli.briefing_out import write_out

        write_out(args, scenario, steps=args.steps, seed=args.seed, exploration=result)
    _write_json(args, lambda j: j.explore_json(scenario.title, result))
    return 0


def _policies(scenario, args) -> dict:
    """The scenarios of the policies by name: those of --policies (by default `current`),
    then each --policy; checked before anything runs."""
    from model.exploration.experiment import policy_scenarios

    names = _split(args.policies, "--policies")
    return add_scheduled(policy_scenarios(scenario, names), scenario, args.policy, args.steps,
                         "--policy", "policies")


def _ranges(items) -> dict[str, tuple[float, float]]:
    out = {}
    for item in items:
        key, sign, span = item.partition("=")
        low, colon, high = span.partition(":")
        if not sign or not colon or not key.strip():
            raise InputError(f"--uncertain {item!r} is not KEY=LOW:HIGH",
                             fix="write for example --uncertain lock_in_rate=0.05:0.12")
        spec = parameter(key.strip())
        out[spec.key] = (_number(low, item, "--uncertain"), _number(high, item, "--uncertain"))
    return out


def _fixes(items) -> dict[str, float]:
    out = {}
    for item in items:
        key, sign, value = item.partition("=")
        if not sign or not key.strip():
            raise InputError(f"--fix {item!r} is not KEY=VALUE",
                             fix="write for example --fix hub_bonus=0.6")
        out[parameter(key.strip()).key] = _number(value, item, "--fix")
    return out


def _number(text: str, item: str, option: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{option} {item!r}: {text.strip()!r} is not a number",
                         fix=f"write numbers, e.g. {option} lock_in_rate=0.05:0.12"
                         if option == "--uncertain" else f"write {option} KEY=NUMBER") \
            from None


# ---- the summary ------------------------------------------------------------------------

def summary(scenario, result) -> str:
    p = result.provenance
    space = ", ".join(u.key for u in result.space)
    last = p.seed + result.runs_per_future - 1
    lines = [f"{scenario.title} (exploration: {len(result.futures):,} futures x "
             f"{len(result.policies)} policies, seeds {p.seed}..{last} per future, {p.steps} steps, {p.quarter(0)} to {p.quarter(p.steps)}, "
             f"tool {p.tool_version})",
             f"uncertain ({len(result.space)}): {space}",
             f"ranges: {result.ranges_note or result.ranges + ' ranges'}"]
    lines += _fixed_lines(result)
    lines += ["", "Robustness (ranked by the share of futures not adverse)",
              _robustness(result), f"({REGRET_MEANING})"]
    lines += [f"note: {r['policy']}: {r['note']}" for r in result.robustness.to_dict("records")
              if r.get("note")]
    lines += ["", f"Scenario discovery (PRIM, futures of policy {result.discovery_policy!r})",
              _discovery(result)]
    if result.sensitivity is not None:
        lines += ["", _sensitivity(result)]
    t = result.timings
    lines += ["", f"time: runs {t['runs']:.1f} s, PRIM {t['prim']:.2f} s, indices "
                  f"{t['sensitivity']:.2f} s",
              "(illustrative scenario exploration, not a forecast)"]
    return "\n".join(lines)


def _fixed_lines(result) -> list[str]:
    """The world assumption's keys, then the other fixed keys, each with its value."""
    held = dict(WORLDS[result.world].values) if result.world else {}
    values = lambda keys: ", ".join(f"{k}={result.fixed[k]:g}" for k in keys)  # noqa: E731
    lines = [f"world: {result.world} ({WORLDS[result.world].title}) fixed in every future: "
             f"{values(held)}"] if held else []
    others = [k for k in result.fixed if k not in held]
    return lines + ([f"fixed: {values(others)}"] if others else [])


def _shares(r: dict) -> list[str]:
    return list(share_words({o: r[o] for o in OUTCOMES}).values())


def _not_adverse(r: dict) -> str:
    """100 minus the adverse figure shown beside it (the same rounding)."""
    return percent_text(100 - whole_percents({o: r[o] for o in OUTCOMES})[OUTCOMES[0]])


def _robustness(result) -> str:
    headers = ["policy", *OUTCOMES, "not adverse", "regret HHI", "regret SMEs"]
    rows = [[r["policy"], *_shares(r), _not_adverse(r),
             f"{r['regret_hhi_mean_mean']:,.0f}", f"{r['regret_active_smes_mean']:.1f}"]
            for r in result.robustness.to_dict("records")]
    return table(headers, rows)


def _discovery(result) -> str:
    found = result.discovery
    if found is None:
        return f"no future ended {result.outcome}: nothing to discover"
    lines = [found.rules(result.outcome)]
    for r in found.restrictions():
        lines.append(f"  {r['dimension']}: quasi-p {r['qp']:.2g} "
                     f"({significance_words(r['qp'])})")
    lines.append(f"  box significance (its weakest restriction): {found.significance()}")
    share = found.total_of_interest / found.futures
    lines.append(f"  ({found.total_of_interest:,} of {found.futures:,} futures ended "
                 f"{result.outcome}, {share:.0%}; box {found.chosen} of "
                 f"{len(found.boxes) - 1} on the peeling trajectory)")
    return "\n".join(lines)


def _sensitivity(result) -> str:
    """Per metric the ranked factors (model.exploration.sensitivity.judge decides ranks:
    overlapping intervals tie, '='), how many are not distinguishable from 0, the
    precision warning and the seed's share of the variance."""
    study, checks = result.sensitivity_design, result.sensitivity_checks
    value, conf = value_columns(study.method)
    name = "total Sobol index ST" if study.method == "sobol" else "Morris mu*"
    seeds = checks.get("seeds_per_point", 1)
    lines = [f"Top sensitivities ({name} +- 95 % interval; {checks.get('runs', 0):,} runs, "
             f"{seeds} seed(s) per design point; ranked only when the interval excludes 0, "
             "overlapping intervals share a rank)"]
    for metric in result.sensitivity["metric"].unique():
        mine = result.sensitivity[result.sensitivity["metric"] == metric]
        top = result.ranked_factors(metric, TOP_FACTORS)
        ranks = mine["rank"].dropna().tolist()
        parts = [f"{_rank(r['rank'], ranks)} {r['factor']} {_fmt(r[value])} +- "
                 f"{_fmt(r[conf])}" for r in top.to_dict("records")]
        rest = int((~mine["distinguishable"]).sum())
        tail = f" ({rest} not distinguishable from 0)" if rest else ""
        lines.append(f"  {METRIC[metric].label}: " + ("; ".join(parts) or
                                                     "no factor distinguishable from 0")
                     + tail)
    warning = precision_text(checks, checks.get("runs", 0)) if checks else ""
    noise = checks.get("seed_noise", {})
    if noise and all(v == v for v in noise.values()):
        lines.append("  seed noise (share of the variance of single runs that is the "
                     "seed's): " + ", ".join(f"{METRIC[k].label} {v:.0%}"
                                             for k, v in noise.items()))
    return "\n".join(lines + ([warning] if warning else []))


def _rank(rank: float, ranks: list[float]) -> str:
    """'1.' or '2=' when another factor shares the rank."""
    return f"{int(rank)}{'=' if ranks.count(rank) > 1 else '.'}"


def _fmt(value: float) -> str:
    return f"{value:.2f}" if abs(value) < 100 else f"{value:,.0f}"
