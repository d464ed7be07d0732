"""Machine-readable results (docs/json-output.md): the JSON of `run`, `compare`, `sweep`
and `explore` (`--json FILE`), and of `presets --json`.

Every result has one shape: a header (tool, command, scenario, steps, start, metrics) and
`variants`, each the runs of one variant on seeds common to all: per metric its end value
per seed, and the outcome per seed. `run` adds `per_step` (mean and bands per step). A
number that is not finite is written as null, so that any JSON reader takes the file.
"""
from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence

import numpy as np

from model import __version__
from model.engine.metrics import METRIC, METRIC_KEYS
from model.files import textgate
from model.files.atomic import write_bytes_atomic

TOOL = {"name": "AI Ecosystem Planner", "version": __version__}
VERSION = 1  # of this layout; a change that removes or renames a field raises it
CAVEAT = "illustrative scenario exploration, not a forecast"
STATS = ("mean", "p5", "p50", "p95")  # the columns of `summarise`, per metric


# ---- the results --------------------------------------------------------------------------

def header(command: str, title: str, provenance) -> dict:
    """What every result starts with; `provenance` is a run's (steps, start)."""
    return {"tool": TOOL, "version": VERSION, "command": command, "scenario": title,
            "steps": provenance.steps, "start": provenance.start, "caveat": CAVEAT,
            "metrics": {k: {"label": m.label, "unit": m.unit, "meaning": m.meaning}
                        for k, m in METRIC.items()}}


def variant(name: str, value: float | None, seeds: Sequence[int], ends: np.ndarray,
            outcomes: Sequence[str], **extra) -> dict:
    """One variant: `ends` is (seeds, metrics) in METRIC_KEYS order."""
    ends = np.asarray(ends, dtype=float)
    return {"name": name, "value": value, **extra, "seeds": [int(s) for s in seeds],
            "end": {k: ends[:, j].tolist() for j, k in enumerate(METRIC_KEYS)},
            "outcome": [str(o) for o in outcomes]}


def run_json(scenario, result) -> dict:
    """`run`: a single run (a RunResult) or a Monte Carlo, as one variant and per step."""
    from model.calendar import Quarter
    from model.experiments.analyses import summarise

    p = result.provenance
    if hasattr(result, "runs"):  # a Monte Carlo
        runs, seeds, outcomes, table = result.runs, result.seeds, result.outcomes, \
            result.summary
    else:
        runs = result.metrics[list(METRIC_KEYS)].to_numpy(float)[None]
        seeds, outcomes = [p.seed], [result.outcome]
        table = summarise(runs, Quarter.parse(p.start))
    out = header("run", scenario.title, p)
    out["per_step"] = per_step(table)
    out["variants"] = [variant(scenario.title, None, seeds, runs[:, -1], outcomes,
                               **honest(runs, p.parameters))]
    return out


def honest(runs: np.ndarray, parameters) -> dict:
    """Issue 23's fields of a variant: the label per dimension and seed, the overall rule,
    the distance to the thresholds and the shares with every threshold moved."""
    from model.engine import dimensions, margins

    found = margins.of_runs(runs[:, 0], runs[:, -1], parameters)
    return {"dimensions": dimensions.dimension_labels(runs[:, 0], runs[:, -1], parameters),
            "overall_rule": dimensions.OVERALL_RULE, "threshold_margins": found["margins"],
            "threshold_shift": found["shift"], "fragile": found["fragile"] or None}


def per_step(table) -> dict:
    """Per metric, one {"step", "quarter", "mean", "p5", "p50", "p95"} per step."""
    steps, quarters = table["step"].tolist(), table["quarter"].tolist()
    out = {}
    for key in METRIC_KEYS:
        columns = [table[f"{key}_{s}"].tolist() for s in STATS]
        out[key] = [{"step": int(step), "quarter": quarter, **dict(zip(STATS, values))}
                    for step, quarter, *values in zip(steps, quarters, *columns)]
    return out


def compare_json(title: str, result) -> dict:
    """`compare`: one variant per compared scenario; the first is the baseline."""
    first = result.results[result.labels[0]]
    out = header("compare", title, first.provenance)
    out["baseline"] = result.labels[0]
    from model.experiments.paired import end_differences, reference_label

    ref = reference_label(result)
    ends = end_differences(result, ref)
    out["variants"] = [_monte_carlo(label, None, result.results[label],
                                    **_difference(ref, ends.get(label)))
                       for label in result.labels]
    return out


def _difference(ref: str, end: dict | None) -> dict:
    """The paired end difference to the reference (none for the reference itself)."""
    if end is None:
        return {}
    return {"difference_to": ref, "end_difference": end}


def sweep_json(title: str, key: str, values: Sequence[float], results: Sequence) -> dict:
    """`sweep`: one variant per value of the parameter `key`, in the order given."""
    out = header("sweep", title, results[0].provenance)
    out["parameter"] = key
    out["variants"] = [_monte_carlo(f"{key}={v:g}", float(v), r)
                       for v, r in zip(values, results)]
    return out


def _monte_carlo(name: str, value, mc, **extra) -> dict:
    return variant(name, value, mc.seeds, mc.runs[:, -1], mc.outcomes, **extra,
                   **honest(mc.runs, mc.provenance.parameters))


def explore_json(title: str, x) -> dict:
    """`explore`: one variant per future and policy (the rows' order), with the future's
    sampled values and the policy; the fixed keys and the world in the header."""
    if x.seed_ends is None:
        raise ValueError("the exploration keeps no per-seed end values")
    out = header("explore", title, x.provenance)
    out.update({"policies": list(x.policies), "world": x.world or None,
                "fixed": dict(x.fixed), "runs_per_future": x.runs_per_future,
                "uncertain": {u.key: [u.low, u.high] for u in x.space},
                "ranges": x.ranges, "ranges_note": x.ranges_note})
    keys = [u.key for u in x.space]
    futures = x.rows["future"].tolist()
    policies = x.rows["policy"].tolist()
    sampled = x.rows[keys].to_numpy(float).tolist()
    out["sensitivity"] = sensitivity_entries(x)
    out["discovery"] = discovery_entry(x)
    out["robustness"] = x.robustness.to_dict("records")
    out["variants"] = [
        variant(f"future {f} under {p}", None, x.seeds, ends, outcomes, future=int(f),
                policy=p, values=dict(zip(keys, v)))
        for f, p, v, ends, outcomes in zip(futures, policies, sampled, x.seed_ends,
                                           x.seed_outcomes)]
    return out


def discovery_entry(x) -> dict:
    """PRIM's box: the policy whose futures it read, coverage, density, mass, volume (share
    of the explored space), the restrictions with quasi-p-values in words."""
    from model.exploration.prim import significance_words

    found = x.discovery
    out = {"policy": x.discovery_policy, "outcome": x.outcome}
    if found is None:
        return {**out, "box": None}
    box = found.box
    restrictions = [{**r, "significance": significance_words(r["qp"])}
                    for r in found.restrictions()]
    return {**out, "box": {"coverage": box.coverage, "density": box.density,
                           "mass": box.mass, "volume": found.volume(),
                           "significance": found.significance(),
                           "restrictions": restrictions}}


def sensitivity_entries(x) -> dict | None:
    """The indices as `judge` reads them, each with its 95 % interval, its rank (null: not
    distinguishable from 0) and note; the design's precision and seed noise."""
    if x.sensitivity is None:
        return None
    from model.exploration.sensitivity import value_columns

    value, conf = value_columns(x.sensitivity_design.method)
    entries = []
    for r in x.sensitivity.to_dict("records"):
        entry = {k: v for k, v in r.items() if k not in ("rank",)}
        entry["interval"] = [r[value] - r[conf], r[value] + r[conf]]
        entry["rank"] = None if r["rank"] != r["rank"] else int(r["rank"])
        entry["distinguishable"] = bool(r["distinguishable"])
        entries.append(entry)
    return {"method": x.sensitivity_design.method, "index": value,
            "base": x.sensitivity_design.base, "checks": dict(x.sensitivity_checks),
            "indices": entries}


# ---- the registry -------------------------------------------------------------------------

SECTIONS = {"policy": "policy_packages", "world": "world_assumptions",
            "scenario": "combinations"}  # preset kind -> its key in `presets --json`


def presets_json() -> dict:
    """The levers, the presets of each kind and every parameter, as `presets --json`."""
    from model.builtin import BUILTIN_NAMES
    from model.parameters import KINDS, LEVERS, PARAMETERS, presets_of

    out = {"tool": TOOL, "version": VERSION, "builtin_scenarios": dict(BUILTIN_NAMES),
           "levers": list(LEVERS)}
    for kind in KINDS:
        out[SECTIONS[kind]] = {k: _preset(p) for k, p in presets_of(kind).items()}
    out["parameters"] = {k: _parameter(p) for k, p in PARAMETERS.items()}
    return out


def _preset(p) -> dict:
    out = {"title": p.title, "description": p.description}
    if p.parts:
        out["policy"], out["world"] = p.parts
    out["values"] = dict(p.values)
    out["schedule"] = {k: [{"at": at, "value": value, "ramp": bool(ramp and ramp[0])}
                           for at, value, *ramp in changes]
                       for k, changes in p.schedule.items()}
    return out


def _parameter(p) -> dict:
    return {"label": p.label, "group": p.group, "unit": p.unit, "meaning": p.meaning,
            "symbol": p.symbol or None, "integer": p.integer, "default": p.default,
            "range": [p.low, p.high], "plausible": list(p.plausible) if p.plausible else None,
            "plausible_reason": p.plausible_reason or None}


# ---- text and files -----------------------------------------------------------------------

def finite(value):
    """`value` with every NaN or infinity as None and numpy scalars as Python numbers."""
    if isinstance(value, Mapping):
        return {str(k): finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def dumps(data: Mapping) -> str:
    """Indented JSON text, valid whatever the numbers (NaN and infinities as null)."""
    return textgate.clean(_layout(finite(data)) + "\n", textgate.JSON)  # no lone surrogate


def _layout(value, depth: int = 0) -> str:
    """An object holding objects or lists is spread over lines; a list of objects (the
    variants, the steps) has one object per line; anything else is one line, so that a
    result of thousands of futures stays readable and small."""
    pad, end = "  " * (depth + 1), "\n" + "  " * depth
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
        items = [f"{pad}{_compact(k)}: {_layout(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + end + "}"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "[\n" + ",\n".join(pad + _compact(v) for v in value) + end + "]"
    return _compact(value)


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_json(path: str | os.PathLike, data: Mapping,
               notes: list[str] | None = None) -> None:
    """UTF-8 JSON, written atomically (no backup: results can be made again); what the text
    gate replaced goes to `notes`."""
    with textgate.collecting("JSON", notes):
        text = dumps(data)
    write_bytes_atomic(path, text.encode("utf-8"), backup=False)
