"""The project's own scenario file: JSON with a format name, a version and migrations.

Version 6 (current)::

    {"format": "ai-ecosystem-scenario", "version": 6, "saved_by": "ai-ecosystem-planner 0.3.0",
     "active": "main",
     "variants": [{"name": "main", "title": "...", "author": "...", "notes": "...",
                   "start": "2024Q1",                               # the quarter of step 0
                   "parameters": {"antitrust_enforcement": 0.8},   # only values != default
                   "schedules": {"antitrust_enforcement":           # optional
                                 [{"quarter": "2026Q1", "value": 0.3},
                                  {"quarter": "2028Q1", "value": 0.9, "ramp": true}]},
                   "nodes": [{"id": "z-bj", "kind": "zone", ..., "x": 10.0, "y": -3.5,
                              "appears": "2019Q1"}],       # optional, as "vanishes"
                   "edges": [{"source": "...", "target": "...", "type": "uses", ...}],
                   "extra_node_columns": ["region"],   # optional: order of extra columns
                   "extra_edge_columns": []}]}

Version 1 held one scenario at the top level (title, author, notes, parameters, nodes,
edges); version 2 a list of variants without a calendar (its runs start in the default
quarter, and no parameter changes during a run). `MIGRATIONS` turns each into the next. Loading parses plain JSON only (nothing in the
file is executed), refuses NaN and Infinity, duplicate keys and wrong types, and names the
file, the place (`variants[0].nodes[12].talent`) and the fix.
"""
from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from model import __version__
from model.errors import InputError, ValidationError
from model.files import jsontext, textgate
from model.files.atomic import backup_path, write_bytes_atomic
from model.files.defaults import DefaultsLog
from model.files.limits import MAX_BYTES, file_label, read_limited
from model.files.tables import (edge_columns, json_type, network_from_records, node_columns,
                                records)
from model.calendar import DEFAULT_START, Quarter
from model.files.legacy_defaults import with_hand_set_defaults
from model.parameters import ParameterSet, parameter
from model.scenario import Project, Scenario
from model.schedules import from_records, to_records

FORMAT = "ai-ecosystem-scenario"
VERSION = 6
SAVED_BY = f"ai-ecosystem-planner {__version__}"

TOP_FIELDS = ("format", "version", "saved_by", "active", "variants")
VARIANT_FIELDS = ("name", "title", "author", "notes", "start", "parameters", "schedules",
                  "nodes", "edges", "extra_node_columns", "extra_edge_columns")
TEXT_FIELDS = ("name", "title", "author", "notes")


# --- migrations ----------------------------------------------------------------------------

def migrate_v1_to_v2(old: dict) -> dict:
    """Version 1 (one scenario at the top level) -> version 2 (a list of named variants)."""
    variant = {"name": "main"}
    variant.update({k: v for k, v in old.items() if k not in ("format", "version", "saved_by")})
    new = {"format": old["format"], "version": 2, "active": variant["name"],
           "variants": [variant]}
    if "saved_by" in old:
        new["saved_by"] = old["saved_by"]
    return new


def migrate_v2_to_v3(old: dict) -> dict:
    """Version 2 -> 3: variants gain a start quarter and schedules; a version-2 variant
    starts in the default quarter and has no schedules, which is what leaving both fields
    out means in version 3."""
    return {**old, "version": 3}


def migrate_v3_to_v4(old: dict) -> dict:
    """Version 3 -> 4: the interoperability lever is new (engine 0.4). A version-3 variant was
    made when lock-in grew at its full rate, which is interoperability 0; the built-in
    default (0.2) would change what the file meant, so 0 is written unless the file has it."""
    variants = []
    for variant in old.get("variants", []):
        if isinstance(variant, dict):
            params = variant.get("parameters")
            params = dict(params) if isinstance(params, dict) else {}
            params.setdefault(LEGACY_LEVER, LEGACY_VALUE)
            variant = {**variant, "parameters": params}
        variants.append(variant)
    return {**old, "version": 4, "variants": variants}


def migrate_v4_to_v5(old: dict) -> dict:
    """Version 4 -> 5: nodes and edges may carry `appears` and `vanishes` quarters. A
    version-4 file has neither, which in version 5 means: always present. Nothing changes."""
    return {**old, "version": 5}


def migrate_v5_to_v6(old: dict) -> dict:
    """Version 5 -> 6: the uncertain coefficients' defaults became the calibrated medoid. A
    version-5 variant that left one out meant its hand-set default, which is written in
    (model/files/legacy_defaults.py): the file keeps its meaning."""
    variants = []
    for variant in old.get("variants", []):
        if isinstance(variant, dict):
            params = variant.get("parameters")
            params = dict(params) if isinstance(params, dict) else {}
            variant = {**variant, "parameters": with_hand_set_defaults(params)}
        variants.append(variant)
    return {**old, "version": 6, "variants": variants}


# a lever that files before version 4 could not hold, and the value that keeps their meaning
LEGACY_LEVER, LEGACY_VALUE = "interoperability", 0.0
# version -> function that turns a file of that version into one of the next version
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: migrate_v1_to_v2, 2: migrate_v2_to_v3,
                                                 3: migrate_v3_to_v4, 4: migrate_v4_to_v5,
                                                 5: migrate_v5_to_v6}


def migrate(data: dict, *, file: str | None = None,
            migrations: dict[int, Callable[[dict], dict]] | None = None,
            target: int = VERSION) -> dict:
    """Apply the migrations in a chain until the data is of the `target` version."""
    migrations = MIGRATIONS if migrations is None else migrations
    version = data["version"]
    while version < target:
        step = migrations.get(version)
        if step is None:
            raise InputError(f"scenario files of version {version} cannot be read",
                             file=file, place="version",
                             fix=f"this tool reads versions {_readable_versions()}")
        data = step(data)
        if data["version"] <= version:
            raise RuntimeError(f"migration from version {version} did not advance")
        version = data["version"]
    return data


def _readable_versions() -> str:
    return ", ".join(str(v) for v in sorted({*MIGRATIONS, VERSION}))


# --- load ----------------------------------------------------------------------------------

def load_project(path: str | os.PathLike, *, strict: bool = True,
                 max_bytes: int = MAX_BYTES, defaults: DefaultsLog | None = None) -> Project:
    """Read a scenario file; InputError (naming file, place and fix) on anything wrong.
    `defaults` records the node and edge fields that were left out and took defaults."""
    label = file_label(path)
    data = parse_json(read_limited(path, max_bytes), file=label)
    return project_from_dict(data, file=label, strict=strict, defaults=defaults)


def parse_json(raw: bytes, *, file: str | None = None) -> object:
    """Strict JSON: UTF-8, no NaN or Infinity, no key twice in one object."""
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as some Windows editors write, is harmless
    except UnicodeDecodeError as exc:
        line, column = _line_column_bytes(raw, exc.start)
        raise InputError("the file is not UTF-8 text", file=file,
                         place=f"line {line}, column {column}",
                         fix="save the file as UTF-8") from None
    if not text.strip():
        raise InputError("the file is empty", file=file, fix=_restore_fix(file))
    flags = _Flags()
    # Numbers are checked one by one only when the text has one that may overflow a float
    # or an int64 (an exponent of 3 digits, a run of 19 digits): the common case stays fast.
    numbers = {"parse_float": flags.number, "parse_int": flags.integer} \
        if _MAYBE_HUGE.search(text) else {}
    try:
        data = json.loads(text, parse_constant=flags.constant, object_pairs_hook=flags.object,
                          **numbers)
    except json.JSONDecodeError as exc:
        raise InputError(f"the JSON is broken: {exc.msg[:1].lower()}{exc.msg[1:]}", file=file,
                         place=f"line {exc.lineno}, column {exc.colno}",
                         fix=_restore_fix(file)) from None
    except RecursionError:
        raise InputError("the JSON is nested too deeply to be a scenario file", file=file,
                         fix="check that this is a scenario file") from None
    except ValueError:  # Python refuses to convert integers of over 4300 digits
        raise InputError("a number in the file has thousands of digits", file=file,
                         fix="check that this is a scenario file") from None
    if flags.seen:
        _refuse_flagged(data, file)
    return data


def _restore_fix(file: str | None) -> str:
    fix = "the file may be cut short or edited by hand: repair it at that place"
    if file and backup_path(file).is_file():
        fix += f", or open the previous save {backup_path(file).name}"
    return fix


def _line_column_bytes(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    return line, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1


_MAYBE_HUGE = re.compile(r"[eE][+-]?\d{3}|\d{19}")


class _NonFinite:
    """Stands in for NaN/Infinity while parsing, so that the error can name its place."""

    def __init__(self, token: str):
        self.token = token


class _Duplicated(dict):
    """An object in which a key appeared twice."""

    key: str = ""


class _Flags:
    def __init__(self):
        self.seen = False

    def constant(self, token: str) -> _NonFinite:
        self.seen = True
        return _NonFinite(token)

    def number(self, token: str) -> float | _NonFinite:
        value = float(token)
        return value if math.isfinite(value) else self.constant(token)

    def integer(self, token: str) -> int | float | _NonFinite:
        value = int(token)
        return value if abs(value) < 2**63 else self.number(token)

    def object(self, pairs: list[tuple[str, object]]) -> dict:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        self.seen = True
        flagged = _Duplicated(result)
        seen: set[str] = set()
        flagged.key = next(k for k, _ in pairs if k in seen or seen.add(k))
        return flagged


def _refuse_flagged(data: object, file: str | None) -> None:
    stack: list[tuple[object, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, _NonFinite):
            token = value.token
            what = f"{token} is not allowed in a scenario file" if token[-1:].isalpha() else \
                f"the number {token[:12]}{'...' if len(token) > 12 else ''} is too large"
            raise InputError(what, file=file, place=where,
                             fix="write a finite number, or leave the field out")
        if isinstance(value, _Duplicated):
            raise InputError(f"the field {value.key!r} appears twice in one object", file=file,
                             place=where or "the top level", fix="keep only one of them")
        if isinstance(value, dict):  # children pushed in reverse: the first one is found
            stack.extend(reversed([(v, f"{where}.{k}" if where else k)
                                   for k, v in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([(v, f"{where}[{i}]") for i, v in enumerate(value)]))


def project_from_dict(data: object, *, file: str | None = None, strict: bool = True,
                      defaults: DefaultsLog | None = None) -> Project:
    """A Project from parsed JSON of any readable version (migrated first)."""
    _check_header(data, file)
    original = data["version"]
    data = migrate(data, file=file)
    _check_fields(data, TOP_FIELDS, "", file)
    variants = data.get("variants")
    if not isinstance(variants, list) or not variants:
        raise InputError(f"variants is {json_type(variants)}, not a list of scenario variants",
                         file=file, place="variants",
                         fix='write "variants": [{"name": "main", "nodes": [...], ...}]')
    several = len(variants) > 1
    scenarios = [_scenario(raw, "" if original == 1 else f"variants[{i}].", i, several, file,
                           strict, defaults) for i, raw in enumerate(variants)]
    try:
        Project(tuple(scenarios))  # refuses two variants of one name before `active` is read
    except InputError as exc:
        raise (exc.in_file(file) if file else exc) from None
    return Project(tuple(scenarios), _active(data.get("active"), scenarios, file))


def _check_header(data: object, file: str | None) -> None:
    if not isinstance(data, dict):
        raise InputError(f"the file holds {json_type(data)}, not a scenario", file=file,
                         fix="open a scenario file saved by this tool")
    name = data.get("format")
    if name != FORMAT:
        what = "has no format name" if name is None else f"has the unknown format {name!r}"
        raise InputError(f"the file {what}: it is not a scenario file of this tool",
                         file=file, place="format",
                         fix=f'a scenario file starts with "format": "{FORMAT}"')
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise InputError(f"version is {json_type(version)}, not a whole number", file=file,
                         place="version", fix=f'write "version": {VERSION}')
    if version > VERSION:
        raise InputError(f"the file was written by a newer version of the tool (file version "
                         f"{version}; this tool reads up to {VERSION})", file=file,
                         place="version", fix="update the tool")
    if version < 1:
        raise InputError(f"version {version} does not exist", file=file, place="version",
                         fix=f"this tool reads versions {_readable_versions()}")


def _check_fields(data: dict, allowed: tuple[str, ...], prefix: str, file) -> None:
    for key in data:
        if key not in allowed:
            raise InputError(f"unknown field {key!r}", file=file, place=f"{prefix}{key}",
                             fix=f"fields allowed here: {', '.join(allowed)}; custom node "
                                 "attributes go inside the node records")


def _scenario(raw: object, prefix: str, index: int, several: bool, file,
              strict: bool, defaults: DefaultsLog | None) -> Scenario:
    where = prefix.rstrip(".") or "the top level"
    if not isinstance(raw, dict):
        raise InputError(f"a variant is {json_type(raw)}, not an object", file=file,
                         place=where, fix='write it as {"name": ..., "nodes": [...], ...}')
    _check_fields(raw, VARIANT_FIELDS, prefix, file)
    text = {k: _text_field(raw, k, prefix, file) for k in TEXT_FIELDS if k in raw}
    text.setdefault("name", "main" if index == 0 else f"variant-{index + 1}")
    if not text["name"].strip():
        raise InputError("the variant name is empty", file=file, place=f"{prefix}name",
                         fix="give every variant a name")
    parameters = _parameters(raw.get("parameters", {}), prefix, file)
    start = _start(raw, prefix, file)
    schedules = from_records(raw.get("schedules", {}), f"{prefix}schedules", file)
    lists = {k: _list_field(raw, k, prefix, file)
             for k in ("nodes", "edges", "extra_node_columns", "extra_edge_columns")}
    for key in ("extra_node_columns", "extra_edge_columns"):
        _text_list(lists[key], f"{prefix}{key}", file)
    try:
        network = network_from_records(
            lists["nodes"], lists["edges"], strict=strict, typed=True,
            node_place=_place(f"{prefix}nodes"), edge_place=_place(f"{prefix}edges"),
            extra_node_columns=lists["extra_node_columns"],
            extra_edge_columns=lists["extra_edge_columns"], defaults=defaults)
    except ValidationError as exc:
        problems = exc.problems
        if several:
            problems = tuple(replace(p, place=f"variant {text['name']!r}, {p.place}")
                             for p in problems)
        raise ValidationError(problems, file=file) from None
    except InputError as exc:
        raise (exc.in_file(file) if file else exc) from None
    return Scenario(network=network, parameters=parameters, start=start, schedules=schedules,
                    **text)


def _start(raw: dict, prefix: str, file) -> Quarter:
    if "start" not in raw:
        return DEFAULT_START
    try:
        return Quarter.parse(raw["start"])
    except InputError as exc:
        raise InputError(exc.message, file=file, place=f"{prefix}start", fix=exc.fix) from None


def _place(base: str) -> Callable[[int, str | None], str]:
    return lambda i, field: f"{base}[{i}].{field}" if field else f"{base}[{i}]"


def _text_field(raw: dict, key: str, prefix: str, file) -> str:
    value = raw[key]
    if not isinstance(value, str):
        raise InputError(f"{key} is {json_type(value)}, not text", file=file,
                         place=f"{prefix}{key}", fix="put the value in double quotes")
    return value


def _list_field(raw: dict, key: str, prefix: str, file) -> list:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise InputError(f"{key} is {json_type(value)}, not a list", file=file,
                         place=f"{prefix}{key}", fix=f'write "{key}": [ ... ]')
    return value


def _text_list(values: list, place: str, file) -> None:
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise InputError(f"a column name is {json_type(value)}, not text", file=file,
                             place=f"{place}[{i}]", fix="put the name in double quotes")


def _parameters(raw: object, prefix: str, file) -> ParameterSet:
    if not isinstance(raw, dict):
        raise InputError(f"parameters is {json_type(raw)}, not an object", file=file,
                         place=f"{prefix}parameters",
                         fix='write "parameters": {"name": number, ...}')
    values = {}
    for key, value in raw.items():
        place = f"{prefix}parameters.{key}"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"{key} is {json_type(value)} ({value!r}), not a number",
                             file=file, place=place, fix="write a number without quotes")
        try:
            values[key] = parameter(key).check(value)
        except InputError as exc:
            raise InputError(exc.message, file=file, place=place, fix=exc.fix) from None
    return ParameterSet(values)


def _active(raw: object, scenarios: list[Scenario], file) -> int:
    if raw is None:
        return 0
    names = [s.name for s in scenarios]
    if not isinstance(raw, str) or raw not in names:
        raise InputError(f"the active variant {raw!r} is not one of the variants", file=file,
                         place="active", fix=f"use one of: {', '.join(map(repr, names))}")
    return names.index(raw)


# --- save ----------------------------------------------------------------------------------

def project_to_dict(project: Project | Scenario) -> dict:
    """The version-3 layout of a project (a lone Scenario counts as a one-variant project)."""
    return _project_data(project, records)


def dumps_project(project: Project | Scenario) -> bytes:
    """The file's bytes: indented, one node or edge per line (readable, diffable), UTF-8.
    A lone surrogate (which UTF-8 cannot encode) is written as U+FFFD by the text gate,
    counted for the warning of `textgate.collecting`."""
    data = _project_data(project, lambda columns, rows: jsontext.Lines(
        jsontext.record_lines(columns, rows, False)))
    text = jsontext.layout(data, 0, jsontext.make_encoder(ascii_only=False)) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # JSON escapes every other character it must
        return textgate.clean(text, textgate.JSON).encode("utf-8")


def save_project(project: Project | Scenario, path: str | os.PathLike, *,
                 notes: list[str] | None = None) -> Path:
    """Save atomically; the previous file is kept as NAME.bak. A warning about replaced
    lone surrogates goes to `notes`."""
    with textgate.collecting("JSON", notes):
        data = dumps_project(project)
    return write_bytes_atomic(path, data)


def _project_data(project: Project | Scenario, rows: Callable) -> dict:
    if isinstance(project, Scenario):
        project = Project.single(project)
    return {"format": FORMAT, "version": VERSION, "saved_by": SAVED_BY,
            "active": project.current.name,
            "variants": [_variant_data(s, rows) for s in project.variants]}


def _variant_data(scenario: Scenario, rows: Callable) -> dict:
    network = scenario.network
    out = {"name": scenario.name, "title": scenario.title, "author": scenario.author,
           "notes": scenario.notes, "start": scenario.start.label,
           "parameters": scenario.parameters.changed()}
    if scenario.schedules:
        out["schedules"] = to_records(scenario.schedules)
    out.update(nodes=rows(node_columns(network), len(network.nodes)),
               edges=rows(edge_columns(network), len(network.edges)))
    if network.extra_node_columns:
        out["extra_node_columns"] = list(network.extra_node_columns)
    if network.extra_edge_columns:
        out["extra_edge_columns"] = list(network.extra_edge_columns)
    return out
