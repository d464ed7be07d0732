"""`calibrate`: history matching against the observed patterns (issue 24).

    python main.py calibrate [--scenario NAME] [--start Q] [--patterns FILE] [--waves N]
        [--runs-per-wave N] [--seeds N] [--cutoff 3] [--out FILE.xlsx] [--json FILE]
        [--workers N] [--save FILE | --no-save]

Prints per wave the runs and the share of the plausible space that remains, then each
coefficient's calibrated range against its plausible range, every pattern's band before
and after, the held-out patterns against the calibrated band, and the patterns no sample
reproduces. Writes the calibrated futures (resources/data/calibrated.json) for `explore`.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from model.calibration.implausibility import CUTOFF, overlaps
from model.calibration.patterns import DEFAULT_PATTERNS, TOLERANCE, load_patterns
from model.calibration.store import DEFAULT_CALIBRATED
from model.cli.briefing_out import check_out, write_json_out
from model.cli.progress import Progress, announce
from model.errors import InputError
from model.experiments.runner import MEMORY_BUDGET

HISTORY = "history"
# Defaults sized for 2 shared cores within 15 minutes (docs/decisions.md, "Calibration").
DEFAULT_WAVES, DEFAULT_RUNS_PER_WAVE, DEFAULT_SEEDS = 5, 1500, 4


def add_calibrate_command(commands) -> None:
    p = commands.add_parser("calibrate", help="history matching: keep the coefficient sets "
                                              "whose runs reproduce the observed patterns")
    p.add_argument("--scenario", default=HISTORY, metavar="NAME",
                   help="the scenario run through the calendar (default: history)")
    p.add_argument("--start", metavar="QUARTER", help="the quarter of step 0 (default: "
                                                      "the scenario's)")
    p.add_argument("--patterns", default=DEFAULT_PATTERNS, metavar="FILE.csv",
                   help="the observed patterns (default resources/data/patterns.csv)")
    p.add_argument("--waves", type=int, default=DEFAULT_WAVES,
                   help=f"waves of samples (default {DEFAULT_WAVES})")
    p.add_argument("--runs-per-wave", type=int, default=DEFAULT_RUNS_PER_WAVE, metavar="N",
                   help=f"coefficient sets sampled per wave (default {DEFAULT_RUNS_PER_WAVE})")
    p.add_argument("--seeds", type=int, default=DEFAULT_SEEDS,
                   help=f"runs per sample on seeds SEED.. (default {DEFAULT_SEEDS})")
    p.add_argument("--cutoff", type=float, default=CUTOFF,
                   help=f"largest implausibility kept (default {CUTOFF:g})")
    p.add_argument("--seed", type=int, default=0, help="first seed and sampling seed")
    p.add_argument("--workers", type=int, metavar="N", help="local worker processes "
                                                            "(default: one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask scheduler (tcp://host:port); default: local processes")
    p.add_argument("--save", default=DEFAULT_CALIBRATED, metavar="FILE.json",
                   help="where the calibrated futures go (default "
                        "resources/data/calibrated.json, which explore reads)")
    p.add_argument("--no-save", action="store_true", help="do not write the calibrated "
                                                          "futures")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--out", metavar="FILE.xlsx", help="write the briefing workbook with "
                                                      "its Calibration sheet")
    p.add_argument("--json", metavar="FILE.json", help="also write the result as JSON")
    p.set_defaults(handler=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from model.calibration.runs import calibrate
    from model.calibration.store import resource, save
    from model.calibration.waves import check_design

    check_design(args.waves, args.runs_per_wave, args.seeds, args.cutoff)
    _check_outputs(args)
    patterns = load_patterns(args.patterns)
    scenario = history_scenario(args.scenario, args.start, args.seed)
    from model.calibration.patterns import steps_needed

    steps = steps_needed(patterns, scenario.start, f" of {scenario.title}")
    total = args.waves * args.runs_per_wave * args.seeds
    started = time.perf_counter()
    with _executor(args, scenario, total, steps) as (executor, estimate), \
            Progress(args, "runs", estimate=estimate) as bar:
        result = calibrate(scenario, patterns, waves=args.waves,
                           runs_per_wave=args.runs_per_wave, seeds=args.seeds,
                           cutoff=args.cutoff, seed=args.seed, executor=executor,
                           workers=args.workers, memory_budget=MEMORY_BUDGET,
                           progress=bar.update, report=lambda w, r: _wave_line(w, bar))
    seconds = time.perf_counter() - started
    result.meta.update({"patterns_file": args.patterns, "scenario_spec": args.scenario,
                        "seconds": seconds})
    print(summary(scenario, result, args))
    data = resource(result, args.patterns, args.scenario, args.start or "")
    if not args.no_save:
        save(data, args.save)
        print(f"wrote {args.save}")
    if args.out:
        _write_workbook(args, scenario, result)
    if args.json:
        write_json_out(args, {**data, "patterns": pattern_rows(result)})
    return 0


def history_scenario(spec: str, start: str | None, seed: int):
    """The scenario to match, with --start applied; a missing built-in `history` is named."""
    from model.builtin import resolve_builtin
    from model.cli.common import load_scenario_arg, parse_start

    if spec.strip().lower() == HISTORY and resolve_builtin(spec, seed) is None and \
            not os.path.exists(spec):
        raise InputError("the built-in scenario 'history' is not in this version",
                         fix="give --scenario default --start 2017Q4, or a scenario file")
    scenario = load_scenario_arg(spec, seed)
    return scenario.with_start(parse_start(start)) if start else scenario


def _check_outputs(args) -> None:
    if args.out is not None:
        check_out(args.out)
    if args.json is not None:
        check_out(args.json, "--json", ".json", "a .json file")
    if not args.no_save:
        check_out(args.save, "--save", ".json", "a .json file")
    if args.workers is not None and not 1 <= args.workers <= 256:
        raise InputError(f"--workers {args.workers} is outside 1..256",
                         fix="give --workers N, e.g. 2")
    if args.seed < 0:
        raise InputError(f"--seed {args.seed} is negative", fix="give --seed 0 or more")


class _executor:
    """Local processes (or the Dask cluster of --scheduler); here for tiny work."""

    def __init__(self, args, scenario, total: int, steps: int):
        self.args, self.scenario, self.total, self.steps = args, scenario, total, steps
        self._context = None

    def __enter__(self):
        from model.cli.run_commands import firm_count
        from model.experiments import default_workers, open_executor

        if self.args.scheduler:
            self._context = open_executor(self.args.scheduler)
            return self._context.__enter__(), None
        workers = self.args.workers or default_workers()
        estimate = announce(self.args, firms=firm_count(self.scenario), steps=self.steps,
                            runs=self.total, workers=workers)
        return ("processes" if self.total > 8 else None), estimate

    def __exit__(self, *exc):
        return self._context.__exit__(*exc) if self._context is not None else False


def _wave_line(wave, bar) -> None:
    kept = int(wave.kept.sum())
    seeds = wave.runs // max(len(wave.samples), 1)
    line = (f"wave {wave.number}: {len(wave.samples):,} samples x {seeds} seeds = "
            f"{wave.runs:,} runs; kept {kept:,} ({kept / len(wave.samples):.0%}); "
            f"not implausible: about {wave.space_share:.2%} of the plausible space")
    if bar.shown and bar.terminal:
        sys.stderr.write("\r\x1b[K")
    print(line, flush=True)


# ---- the summary ------------------------------------------------------------------------

def summary(scenario, result, args) -> str:
    from model.cli.run_commands import table

    p = result.patterns
    fitted = sum(x.fitted for x in p)
    lines = [f"History matching of {scenario.title} from {result.meta.get('start')} "
             f"({result.meta.get('steps')} steps), against {os.path.basename(args.patterns)}: "
             f"{fitted} patterns fitted, {len(p) - fitted} held out; {len(result.space)} "
             f"uncertain coefficients; cutoff {result.cutoff:g}; {result.seeds} seeds per "
             f"sample; {result.runs:,} runs in {result.meta.get('seconds', 0):.0f} s"]
    if result.meta.get("scheduled"):
        lines.append("not sampled (the scenario's calendar sets them): "
                     + ", ".join(result.meta["scheduled"]))
    if result.stopped_early:
        lines.append(f"stopped: {result.stopped_early}")
    lines += ["", "Calibrated ranges (kept samples of every wave) against the plausible ranges",
              _ranges_table(result, table), "", "Patterns (model band p5..p95 of the "
              "sample means: before = plausible space, after = kept samples)",
              table(["pattern", "metric", "quarter", "observed", "use", "before", "after",
                     "in band", "least I"], [_pattern_cells(b) for b in result.bands()])]
    lines += _verdict_lines(result)
    lines.append("(illustrative: a stylised model matched to patterns, not a forecast)")
    return "\n".join(lines)


def _ranges_table(result, table) -> str:
    ranges, best = result.ranges(), result.representative() or {}
    if not ranges:
        return "no sample was kept: no calibrated range"
    rows = []
    for u in result.space:
        low, high = ranges[u.key]
        rows.append([u.key, f"{u.low:g} .. {u.high:g}", f"{low:.4g} .. {high:.4g}",
                     f"{(high - low) / (u.high - u.low):.0%}", f"{best[u.key]:.4g}"])
    return table(["coefficient", "plausible", "calibrated", "width", "representative"], rows)


def _pattern_cells(entry) -> list[str]:
    p = entry["pattern"]
    span = lambda b: "-" if b is None else f"{b[0]:.4g} .. {b[1]:.4g}"  # noqa: E731
    inside = overlaps(p, entry["after"])
    return [p.id, p.metric, p.quarter.label, p.observed_text, p.use, span(entry["before"]),
            span(entry["after"]), "-" if inside is None else ("in" if inside else "OUT"),
            f"{entry['least_implausibility']:.2f}"]


def _verdict_lines(result) -> list[str]:
    lines = [""]
    if result.structural:
        lines.append("Patterns no sample reproduces (a structural finding: the model "
                     "misses them with every coefficient set tried; their tolerance was "
                     "not widened): " + ", ".join(result.structural))
    else:
        lines.append("Every fitted pattern is reproduced by some sample.")
    held = [b for b in result.bands() if not b["pattern"].fitted]
    if held:
        inside = [b for b in held if overlaps(b["pattern"], b["after"])]
        lines.append(f"Held out: {len(inside)} of {len(held)} inside the calibrated band"
                     + (" (" + ", ".join(b["pattern"].id for b in held if b not in inside)
                        + " outside)" if len(inside) < len(held) else ""))
    if result.ranges():
        from model.calibration.defaults import outside_count

        lines.append(f"registry defaults outside their calibrated range: "
                     f"{outside_count(result.ranges())} of {len(result.space)} (the "
                     "representative sample, least largest implausibility, is in the "
                     "table; `python -m model.calibration.defaults` compares them)")
    lines.append("tolerance per confidence (sd relative to the value): " + ", ".join(
        f"{k} {v:.0%}" for k, v in TOLERANCE.items()))
    return lines


def pattern_rows(result) -> list[dict]:
    """Per pattern its observation, tolerance, bands, implausibility and verdict (JSON)."""
    out = []
    for b in result.bands():
        p = b["pattern"]
        out.append({"id": p.id, "metric": p.metric, "quarter": p.quarter.label,
                    "value": p.value, "low": p.low, "high": p.high,
                    "confidence": p.confidence, "use": p.use,
                    "tolerance_sd": p.tolerance_var ** 0.5,
                    "before": list(b["before"]) if b["before"] else None,
                    "after": list(b["after"]) if b["after"] else None,
                    "in_band": overlaps(p, b["after"]),
                    "least_implausibility": b["least_implausibility"],
                    "structural": p.id in result.structural, "source": p.source})
    return out


def _write_workbook(args, scenario, result) -> None:
    from model.cli.briefing_out import write_out

    steps = result.meta.get("steps", 0)
    best = result.representative()
    base = scenario.with_parameters(**best) if best else scenario
    write_out(args, base, steps=steps, seed=args.seed, calibration=result)
