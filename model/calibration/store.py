"""The calibrated futures as a resource (`resources/data/calibrated.json`): the kept
samples of a history matching, the ranges they span, the representative sample, and the
versions that made them: the tool's, and the data's (sha256 of the patterns file and the
digest of the scenario matched). `explore` draws its futures from the kept samples when the
resource matches the data as it is now (`choose_ranges`, `draw_kept`), else from the
plausible ranges, saying why."""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model import __version__
from model.builtin.facts import DATA_DIR
from model.calibration.medoid import RULE, medoid_of
from model.calibration.patterns import DEFAULT_PATTERNS, file_version
from model.calibration.waves import Calibration
from model.errors import InputError
from model.parameters import PARAMETERS

DEFAULT_CALIBRATED = str(DATA_DIR / "calibrated.json")
FORMAT = 1
CALIBRATED, PLAUSIBLE = "calibrated", "plausible"
RANGES = (CALIBRATED, PLAUSIBLE)
MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class Calibrated:
    ranges: dict[str, tuple[float, float]]
    representative: dict[str, float]
    samples: int
    tool_version: str
    patterns_version: str
    scenario: str  # how the scenario was named (a built-in name or a file)
    start: str  # the --start it was given ("" for its own)
    scenario_digest: str
    path: str
    kept: dict[str, np.ndarray] = field(default_factory=dict)  # coefficient -> kept values
    digest_excludes: tuple[str, ...] = ()  # the sampled coefficients the digest leaves out
    defaults: dict[str, float] = field(default_factory=dict)  # the medoid, the defaults
    defaults_row: int | None = None  # its row among the kept samples


@dataclass(frozen=True)
class RangeChoice:
    """Which ranges an exploration samples: `name` calibrated or plausible, the ranges
    that replace the plausible ones ({} for plausible), and a note saying why."""
    name: str
    ranges: dict[str, tuple[float, float]]
    note: str
    kept: dict[str, np.ndarray] = field(default_factory=dict)  # the kept samples, by column


def resource(result: Calibration, patterns_path: str, scenario: str, start: str) -> dict:
    """The JSON of a calibration's result."""
    kept = result.kept()
    keys = [u.key for u in result.space]
    return {"format": FORMAT, "tool_version": __version__,
            "data_version": {"patterns_sha256": file_version(patterns_path),
                             "patterns_file": os.path.basename(patterns_path),
                             "scenario": scenario, "start": start,
                             "scenario_digest": result.meta.get("scenario_digest", ""),
                             # every run sets these itself: the digest leaves them out
                             "digest_excludes": keys},
            "cutoff": result.cutoff, "seeds": result.seeds, "waves": len(result.waves),
            "runs": result.runs, "structural": list(result.structural),
            "plausible": {u.key: [u.low, u.high] for u in result.space},
            # six significant digits, as the window shows them (both explore alike),
            # rounded outwards so that every kept sample stays inside
            "calibrated": {k: [_outward(lo, -1), _outward(hi, 1)] for k, (lo, hi) in
                           result.ranges().items()},
            "representative": result.representative(),
            **_with_defaults(["wave", *keys, "max_implausibility"], [
                [int(row[0]), *(_short(v) for v in row[1:])] for row in
                kept[["wave", *keys, "max_implausibility"]].to_numpy(float)],
                {u.key: [u.low, u.high] for u in result.space})}


def _with_defaults(columns: list, samples: list, plausible: dict) -> dict:
    """The kept samples, and the medoid of them as stored (six digits) that the registry's
    defaults are: its row, the rule and its values (docs/decisions.md)."""
    out = {"columns": columns, "samples": samples}
    if samples:
        row, values = medoid_of(columns, samples, plausible)
        out["defaults"] = {"rule": RULE, "row": row, "values": values}
    return out


def _outward(value: float, direction: int) -> float:
    """`value` to six significant digits, rounded down (direction -1) or up (+1)."""
    short = _short(value)
    if short == value or (short - value) * direction > 0 or value == 0:
        return short
    unit = 10.0 ** (math.floor(math.log10(abs(value))) - 5)
    return _short(value + direction * unit)


def _short(value: float) -> float:
    """Six significant digits: the samples are draws, not measurements (a smaller file)."""
    return float(f"{value:.6g}")


def save(data: dict, path: str = DEFAULT_CALIBRATED) -> None:
    from model.files.results_json import write_json

    write_json(path, data)


def load(path: str = DEFAULT_CALIBRATED) -> Calibrated:
    """The resource, every value checked (InputError naming the file and the fix)."""
    def refuse(message: str):
        raise InputError(message, file=path, fix="run `calibrate` again to write it afresh")

    try:
        if os.path.getsize(path) > MAX_BYTES:
            refuse("the file is larger than a calibration can be")
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        refuse(f"cannot be read as JSON ({type(exc).__name__})")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        refuse(f"is not a calibration of format {FORMAT}")
    version = data.get("data_version")
    if not isinstance(version, dict):
        refuse("has no data_version")
    ranges = {}
    for key, span in (data.get("calibrated") or {}).items():
        spec = PARAMETERS.get(key)
        if spec is None:
            refuse(f"names {str(key)[:40]!r}, which is no coefficient")
        if not (isinstance(span, list) and len(span) == 2 and
                all(isinstance(v, (int, float)) and math.isfinite(v) for v in span) and
                spec.low <= span[0] <= span[1] <= spec.high):
            refuse(f"the calibrated range of {key} is not within its hard range")
        ranges[key] = (float(span[0]), float(span[1]))
    best = data.get("representative") or {}
    if not isinstance(best, dict) or any(k not in PARAMETERS for k in best):
        refuse("the representative sample names an unknown coefficient")
    kept = _kept_samples(data, ranges, refuse)
    excludes = version.get("digest_excludes") or []
    if not isinstance(excludes, list) or any(k not in PARAMETERS for k in excludes):
        refuse("its digest_excludes name an unknown coefficient")
    row, chosen = _defaults(data, kept, refuse)
    return Calibrated(ranges, {k: float(v) for k, v in best.items()},
                      len(data.get("samples") or []), str(data.get("tool_version", "")),
                      str(version.get("patterns_sha256", "")),
                      str(version.get("scenario", "")), str(version.get("start", "")),
                      str(version.get("scenario_digest", "")), path, kept,
                      tuple(str(k) for k in excludes), chosen, row)


def _defaults(data: dict, kept: dict, refuse) -> tuple[int | None, dict[str, float]]:
    """The stored medoid: a row of the kept samples, its values that row's (or none)."""
    entry = data.get("defaults")
    if entry is None:
        return None, {}
    row = entry.get("row") if isinstance(entry, dict) else None
    values = entry.get("values") if isinstance(entry, dict) else None
    count = len(next(iter(kept.values()))) if kept else 0
    if not (isinstance(row, int) and 0 <= row < count and isinstance(values, dict)):
        refuse("its defaults do not name a row of the kept samples")
    if set(values) != set(kept) or any(values[k] != kept[k][row] for k in kept):
        refuse("its defaults are not the values of the kept sample they name")
    return row, {k: float(v) for k, v in values.items()}


def _kept_samples(data: dict, ranges: dict, refuse) -> dict[str, np.ndarray]:
    """The kept samples' coefficient columns, each value inside its calibrated range."""
    columns, rows = data.get("columns"), data.get("samples") or []
    if columns is None or not rows:  # ranges only: the futures fill the box
        return {}
    if not isinstance(columns, list) or not isinstance(rows, list):
        refuse("its samples are not a table")
    try:
        table = np.array(rows, dtype=float).reshape(len(rows), len(columns))
    except (TypeError, ValueError):
        refuse("its samples are not a table of numbers")
    kept = {}
    for j, key in enumerate(columns):
        if key not in ranges:  # the wave and the implausibility columns
            continue
        values = table[:, j]
        low, high = ranges[key]
        if not (np.isfinite(values).all() and (values >= low).all() and (values <= high).all()):
            refuse(f"a kept sample of {key} lies outside its calibrated range")
        kept[key] = values
    return kept


def scenario_digest(spec: str, start: str = "", excludes=()) -> str:
    """The digest of a scenario named as `calibrate` names it (a built-in or a file),
    leaving out the coefficients `excludes` (those the calibration sampled)."""
    from model.calendar import Quarter
    from model.calibration.runs import matched_digest
    from model.cli.common import load_scenario_arg
    from model.engine import prepare

    scenario = load_scenario_arg(spec)
    if start:
        scenario = scenario.with_start(Quarter.parse(start))
    return matched_digest(prepare(scenario), excludes)


def mismatch(found: Calibrated, patterns_path: str) -> str:
    """Why the resource no longer matches the data ("" when it does)."""
    if not os.path.isfile(patterns_path):
        return f"the patterns file {patterns_path} is missing"
    if file_version(patterns_path) != found.patterns_version:
        return f"{os.path.basename(patterns_path)} changed since the calibration"
    try:
        digest = scenario_digest(found.scenario, found.start, found.digest_excludes)
    except InputError as exc:
        return f"the scenario {found.scenario!r} cannot be read ({exc.message})"
    if digest != found.scenario_digest:
        return f"the scenario {found.scenario!r} changed since the calibration"
    if not found.ranges:
        return "the calibration kept no sample"
    return ""


def choose_ranges(choice: str | None, path: str | None = None,
                  patterns_path: str | None = None) -> RangeChoice:
    """`choice` calibrated, plausible, or None (calibrated when the resource exists and
    matches the data, else plausible with a note). Calibrated asked for but not usable:
    refused, naming the file. Paths: by default the resources'."""
    path = path or DEFAULT_CALIBRATED
    patterns_path = patterns_path or DEFAULT_PATTERNS
    if choice not in (None, *RANGES):
        raise InputError(f"--ranges {choice!r} is neither calibrated nor plausible",
                         fix="give --ranges calibrated or --ranges plausible")
    if choice == PLAUSIBLE:
        return RangeChoice(PLAUSIBLE, {}, "plausible ranges (as asked)")
    if not os.path.isfile(path):
        why = f"no calibration found ({os.path.basename(path)})"
        return _fallback(choice, why, path)
    try:
        found = load(path)
    except InputError as exc:
        return _fallback(choice, f"the calibration cannot be used: {exc.message}", path)
    why = mismatch(found, patterns_path)
    if why:
        return _fallback(choice, why, path)
    return RangeChoice(CALIBRATED, dict(found.ranges),
                       f"calibrated futures: drawn from the {found.samples:,} samples kept by "
                       f"history matching against {os.path.basename(patterns_path)} on "
                       f"{found.scenario!r} (tool {found.tool_version})", found.kept)


def _fallback(choice, why: str, path: str) -> RangeChoice:
    if choice == CALIBRATED:
        raise InputError(f"--ranges calibrated: {why}", file=path,
                         fix="run `calibrate` first, or give --ranges plausible")
    return RangeChoice(PLAUSIBLE, {}, f"plausible ranges: {why}; run `calibrate` to "
                                      "explore the calibrated ones")


def applied(choice: RangeChoice | None, uncertain, fixed, keys) -> dict:
    """The ranges an exploration samples: the chosen calibrated ranges of the keys it
    explores (not those fixed, nor those the user gave a range), then the user's."""
    uncertain = dict(uncertain or {})
    if choice is None or not choice.ranges:
        return uncertain
    chosen = set(keys) if keys is not None else None
    out = {k: v for k, v in choice.ranges.items()
           if k not in fixed and k not in uncertain and (chosen is None or k in chosen)}
    return {**out, **uncertain}


def draw_kept(samples: pd.DataFrame, choice: RangeChoice | None, user_ranges, seed: int
              ) -> pd.DataFrame:
    """The futures with every calibrated coefficient taken, row by row, from one kept
    sample (drawn without replacement while there are enough, seeded): the kept set is
    not a box, and its corners are mostly implausible, so the futures keep its joint
    shape. Coefficients the user gave a range, or that no sample holds, keep their Latin
    hypercube values (within their calibrated range). The sensitivity design, which needs
    independent factors, stays on the ranges (docs/decisions.md)."""
    if choice is None or not choice.kept:
        return samples
    keys = [k for k in samples.columns if k in choice.kept and
            not _own_range(k, user_ranges, choice)]
    if not keys:
        return samples
    count = len(next(iter(choice.kept.values())))
    rng = np.random.default_rng([int(seed), 24])
    rows = rng.choice(count, len(samples), replace=len(samples) > count)
    out = samples.copy()
    for key in keys:
        values = choice.kept[key][rows]
        out[key] = np.round(values) if PARAMETERS[key].integer else values
    return out


def _own_range(key: str, user_ranges, choice: RangeChoice) -> bool:
    """Whether the user gave `key` a range of their own: one that is not its calibrated
    range as shown (the window passes every range of its table; it prints 6 digits)."""
    given = (user_ranges or {}).get(key)
    if given is None:
        return False
    try:  # the window passes the table's text; `uncertainties` has checked it already
        low, high = (float(v) for v in given)
    except (TypeError, ValueError):
        return True
    return not np.allclose((low, high), choice.ranges.get(key, (np.nan, np.nan)), rtol=1e-4)
