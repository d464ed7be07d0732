"""The rules of a valid network (MODEL.md section 2), checked on whole tables at once.

`check_network` normalises raw node and edge tables (from a file, a workbook, GraphML or the
document) into the column layout of `model.schema` and reports every broken rule as a
`Problem` naming the node or edge at fault. It works on whole columns (a million firms and two
million edges check in about 7 s); each rule reports at most `MAX_PER_RULE` places and then counts the rest.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from model import schema, windows
from model.errors import Problem, elide
from model.values import number_column, why_not_a_number

MAX_PER_RULE = 50

# Rules a drawing in progress may break; the GUI opens such a network, a run refuses it.
INCOMPLETE_RULES = frozenset({"platform-no-operator", "firm-no-zone", "subfield-missing"})

_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f", ""}


class Filled(NamedTuple):
    """Cells that were absent and took the field's default: rows of one column."""

    table: str  # "nodes" or "edges"
    field: str
    rows: np.ndarray  # row numbers in the table, from 0


class _Report:
    def __init__(self):
        self.problems: list[Problem] = []
        self.filled: list[Filled] = []

    def fill(self, table: str, field: str, mask: np.ndarray) -> None:
        rows = np.flatnonzero(mask)
        if len(rows):
            self.filled.append(Filled(table, field, rows))

    def add(self, rule: str, places: list[str], message: str, fix: str = "",
            field: str = "") -> None:
        for place in places[:MAX_PER_RULE]:
            self.problems.append(Problem(rule, place, message, fix, field))
        if len(places) > MAX_PER_RULE:
            self.problems.append(Problem(rule, f"{len(places) - MAX_PER_RULE} more places",
                                         message, fix, field))


ID_KEEP = 60  # characters of an id that a message shows (a longer one is elided)


def node_place(node_id: object, row: int | None = None) -> str:
    if node_id in (None, ""):
        return f"node at row {row + 1}"
    return f"node {elide(repr(node_id), ID_KEEP)}"


def edge_place(row: int, source: object, target: object, etype: object) -> str:
    ends = " -> ".join(elide(end, ID_KEEP) for end in (source, target))
    return f"edge {row + 1} ({ends}, {elide(etype, ID_KEEP)})"


def check_network(nodes: pd.DataFrame, edges: pd.DataFrame, *, strict: bool = True,
                  filled: list[Filled] | None = None,
                  ) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Normalised copies of the tables and the list of problems (empty when valid).

    `filled`, when given, receives the cells that were absent where their field applies
    and took the default (number and true/false fields; text fields and the canvas
    position are not filled in)."""
    report = _Report()
    nodes = _normalise_nodes(nodes, report)
    edges = _normalise_edges(edges, report)
    _check_node_ids(nodes, report)
    ends = _check_edges(nodes, edges, report)
    _check_structure(nodes, ends, report)
    if not any(p.rule == "field-type" and p.field in schema.WINDOW_FIELDS
               for p in report.problems):
        _check_windows(nodes, edges, ends, report)
    problems = report.problems
    if filled is not None:
        filled.extend(report.filled)
    if not strict:
        problems = [p for p in problems if p.rule not in INCOMPLETE_RULES]
    return nodes, edges, problems


# --- columns -------------------------------------------------------------------------------

def _ensure_columns(frame: pd.DataFrame, required: tuple[str, ...], what: str,
                    report: _Report) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing and len(frame):
        report.add("column-missing", [f"{what} table"],
                   f"required column{'s' if len(missing) > 1 else ''} "
                   f"{', '.join(missing)} missing", "add the column with a value on every row")
    for column in required:
        if column not in frame.columns:
            frame[column] = ""
    return frame


def _text(series: pd.Series, lower: bool = False) -> pd.Series:
    """A column as clean str: missing values become "", numbers their plain text."""
    raw = series.to_numpy(dtype=object)
    try:  # the common case, all text: one pass at C speed
        values = [v.strip().lower() for v in raw] if lower else [v.strip() for v in raw]
    except AttributeError:
        values = [_one_text(v, lower) for v in raw]
    return pd.Series(values, index=series.index, dtype="str")


def _one_text(value, lower: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text.lower() if lower else text


def _booleans(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, absent, refused) of a true/false column."""
    if series.dtype == bool:
        return series.to_numpy(), np.zeros(len(series), bool), np.zeros(len(series), bool)
    raw = series.to_numpy(dtype=object)
    out = np.zeros(len(raw), bool)
    bad = np.zeros(len(raw), bool)
    absent = np.zeros(len(raw), bool)
    for i, v in enumerate(raw):
        if isinstance(v, (bool, np.bool_)):
            out[i] = bool(v)
        elif v is None or (isinstance(v, float) and math.isnan(v)) or \
                (isinstance(v, str) and not v.strip()):
            absent[i] = True
        elif isinstance(v, (int, float, np.integer, np.floating)) and v in (0, 1):
            out[i] = bool(v)
        elif isinstance(v, str) and v.strip().lower() in _TRUE | _FALSE:
            out[i] = v.strip().lower() in _TRUE
        else:
            bad[i] = True
    return out, absent, bad


def _normalise_nodes(nodes: pd.DataFrame, report: _Report) -> pd.DataFrame:
    nodes = _ensure_columns(nodes, schema.NODE_REQUIRED, "nodes", report).reset_index(drop=True)
    ids = _text(nodes["id"])
    kinds = _text(nodes["kind"], lower=True)
    out = {"id": ids, "kind": kinds}
    for spec in schema.NODE_FIELDS[2:]:
        applies = kinds.isin(spec.kinds).to_numpy()
        column = nodes[spec.name] if spec.name in nodes.columns else \
            pd.Series([None] * len(nodes), dtype=object)
        if spec.name in schema.WINDOW_FIELDS:
            values, bad = windows.parse_column(column)
            _report_cells(report, ids, bad & applies, spec, "is not a quarter", windows.FIX)
            out[spec.name] = values.where(applies, "")
        elif spec.dtype == "str":
            values = _text(column)
            out[spec.name] = values.where(applies, "")
        elif spec.dtype == "bool":
            values, absent, bad = _booleans(column)
            _report_cells(report, ids, bad & applies, spec, "is not true or false",
                          "write true or false")
            report.fill("nodes", spec.name, absent & applies)
            out[spec.name] = pd.Series(values & applies, dtype=bool)
        else:
            out[spec.name] = _checked_numbers(column, applies, ids, spec, report)
    out["name"] = out["name"].where(out["name"] != "", ids)
    out["confidence"] = out["confidence"].where(out["confidence"] != "", "user")
    _check_confidence(out["confidence"], ids, report)
    normal = pd.DataFrame(out)
    extras = [c for c in nodes.columns if c not in schema.NODE_FIELD]
    for column in extras:
        normal[column] = nodes[column].to_numpy()
    return normal


def _checked_numbers(column: pd.Series, applies: np.ndarray, ids: pd.Series,
                     spec: schema.FieldSpec, report: _Report) -> pd.Series:
    values, absent, refused = number_column(column)
    rows = np.flatnonzero(refused & applies)
    _report_refused(report, "field-type", [node_place(ids.iloc[r], r) for r in
                                           rows[:MAX_PER_RULE]], rows, spec, column, "nodes")
    if spec.name not in ("x", "y"):  # an unplaced node keeps no position
        values = np.where(absent & applies, float(spec.default), values)
        report.fill("nodes", spec.name, absent & applies)
    with np.errstate(invalid="ignore"):
        out_of_range = ~np.isnan(values) & ((values < spec.low) | (values > spec.high) |
                                            (spec.low_open & (values == spec.low)))
    _report_cells(report, ids, out_of_range & applies, spec, "is out of range",
                  f"give a value in {spec.range_text()}", values)
    return pd.Series(np.where(applies, values, np.nan), dtype=np.float64)


def _report_refused(report, rule: str, places: list[str], rows: np.ndarray,
                    spec: schema.FieldSpec, column: pd.Series, what: str) -> None:
    """Cells present but not a finite number (`places` of the first rows), each saying
    what it holds instead; past MAX_PER_RULE they are counted."""
    fix = f"give a number in {spec.range_text()}, or leave the cell empty for the default"
    for row, place in zip(rows[:MAX_PER_RULE], places):
        report.problems.append(Problem(rule, place, f"{spec.name} "
                                       f"{why_not_a_number(column.iloc[row])}", fix, spec.name))
    if len(rows) > MAX_PER_RULE:
        report.problems.append(Problem(rule, f"{len(rows) - MAX_PER_RULE} more {what}",
                                       f"{spec.name} is not a finite number", fix, spec.name))


def _report_cells(report, ids, mask, spec, message, fix, values=None) -> None:
    rows = np.flatnonzero(mask)
    if not len(rows):
        return
    unit = f" {spec.unit}" if spec.unit else ""
    for row in rows[:MAX_PER_RULE]:
        shown = "" if values is None else f" ({values[row]:g}{unit})"
        report.problems.append(Problem("field-range" if values is not None else "field-type",
                                       node_place(ids.iloc[row], row),
                                       f"{spec.name}{shown} {message}", fix, spec.name))
    if len(rows) > MAX_PER_RULE:
        report.problems.append(Problem("field-range", f"{len(rows) - MAX_PER_RULE} more nodes",
                                       f"{spec.name} {message}", fix, spec.name))


def _check_confidence(confidence: pd.Series, ids: pd.Series, report: _Report) -> None:
    bad = ~confidence.isin(schema.CONFIDENCE_LEVELS).to_numpy()
    report.add("confidence-unknown", [node_place(ids.iloc[r], r) for r in np.flatnonzero(bad)],
               "confidence is not a known level",
               f"use one of: {', '.join(schema.CONFIDENCE_LEVELS)}", "confidence")


def _normalise_edges(edges: pd.DataFrame, report: _Report) -> pd.DataFrame:
    edges = _ensure_columns(edges, schema.EDGE_REQUIRED, "edges", report).reset_index(drop=True)
    source, target = _text(edges["source"]), _text(edges["target"])
    etype = _text(edges["type"], lower=True)
    out = {"source": source, "target": target, "type": etype}
    places = _EdgePlaces(source, target, etype)
    weighted = etype.isin([t for t, s in schema.EDGE_TYPES.items() if s.weighted]).to_numpy()
    for name, applies in (("weight", weighted), ("lock_in", (etype == "uses").to_numpy())):
        spec = schema.EDGE_FIELD[name]
        column = edges[name] if name in edges.columns else pd.Series([None] * len(edges))
        values, absent, bad = number_column(column)
        _report_refused(report, "edge-weight", places.of(bad & applies),
                        np.flatnonzero(bad & applies), spec, column, "edges")
        values = np.where(absent & applies, float(spec.default), values)
        report.fill("edges", name, absent & applies)
        with np.errstate(invalid="ignore"):
            outside = applies & ~bad & ((values < spec.low) | (values > spec.high) |
                                        (spec.low_open & (values == spec.low)))
        report.add("edge-weight", places.of(outside), f"{name} is out of range",
                   f"give a value in {spec.range_text()}", name)
        fill = 1.0 if name == "weight" else np.nan
        out[name] = pd.Series(np.where(applies, values, fill), dtype=np.float64)
    for name in schema.WINDOW_FIELDS:
        applies = etype.isin(schema.EDGE_FIELD[name].kinds).to_numpy()
        column = edges[name] if name in edges.columns else pd.Series([None] * len(edges))
        values, bad = windows.parse_column(column)
        report.add("field-type", places.of(bad & applies), f"{name} is not a quarter",
                   windows.FIX, name)
        out[name] = values.where(applies, "")
    normal = pd.DataFrame(out)
    for column in [c for c in edges.columns if c not in schema.EDGE_FIELD]:
        normal[column] = edges[column].to_numpy()
    return normal


class _EdgePlaces:
    def __init__(self, source, target, etype):
        self.source, self.target, self.etype = (s.to_numpy() for s in (source, target, etype))

    def of(self, mask: np.ndarray) -> list[str]:
        rows = np.flatnonzero(mask)
        shown = [edge_place(r, self.source[r], self.target[r], self.etype[r])
                 for r in rows[:MAX_PER_RULE]]
        return shown + [""] * (len(rows) - len(shown))  # counted, not shown


# --- rules across rows ----------------------------------------------------------------------

def _check_node_ids(nodes: pd.DataFrame, report: _Report) -> None:
    ids = nodes["id"]
    report.add("id-missing", [f"node at row {r + 1}" for r in np.flatnonzero(ids == "")],
               "has no id", "give every node a unique id")
    dup = ids[(ids != "") & ids.duplicated(keep="first")]
    report.add("id-duplicate", [node_place(i) for i in dict.fromkeys(dup)],
               "id is used by more than one node", "give every node its own id")
    bad_kind = ~nodes["kind"].isin(schema.NODE_KINDS)
    report.add("kind-unknown",
               [f"{node_place(ids.iloc[r], r)} (kind {nodes['kind'].iloc[r]!r})"
                for r in np.flatnonzero(bad_kind.to_numpy())],
               "kind is not known", f"use one of: {', '.join(schema.NODE_KINDS)}", "kind")
    needs_subfield = nodes["kind"].isin((schema.PLATFORM,) + schema.FIRM_KINDS)
    missing = needs_subfield & (nodes["subfield"] == "")
    report.add("subfield-missing", [node_place(i) for i in ids[missing]],
               "has no subfield", "name the AI subfield it serves or competes in")


class _Ends:
    """Edges resolved to node row numbers once (-1: no such node), for the checks below."""

    def __init__(self, nodes: pd.DataFrame, edges: pd.DataFrame):
        index = pd.Index(nodes["id"].to_numpy(dtype=object))
        if not index.is_unique:
            index = index[~index.duplicated()]
            rows = pd.Index(nodes["id"].to_numpy(dtype=object)).get_indexer_for(index)
        else:
            rows = np.arange(len(index))
        lookup = index.get_indexer
        self.source = _rows_of(lookup(edges["source"].to_numpy(dtype=object)), rows)
        self.target = _rows_of(lookup(edges["target"].to_numpy(dtype=object)), rows)
        self.node_kind = _codes(nodes["kind"], schema.NODE_KINDS)
        self.type = _codes(edges["type"], tuple(schema.EDGE_TYPES))
        self.present = (self.source >= 0) & (self.target >= 0)
        self.source_kind = np.where(self.source >= 0, self.node_kind[self.source], -1)
        self.target_kind = np.where(self.target >= 0, self.node_kind[self.target], -1)


def _rows_of(positions: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return np.where(positions >= 0, rows[np.maximum(positions, 0)], -1)


def _codes(series: pd.Series, known: tuple[str, ...]) -> np.ndarray:
    """Position of each value in `known`, -1 for anything else."""
    return pd.Index(list(known), dtype=object).get_indexer(series.to_numpy(dtype=object))


def _kind_codes(kinds: tuple[str, ...]) -> list[int]:
    return [schema.NODE_KINDS.index(k) for k in kinds]


def _check_edges(nodes: pd.DataFrame, edges: pd.DataFrame, report: _Report) -> _Ends:
    places = _EdgePlaces(edges["source"], edges["target"], edges["type"])
    ends = _Ends(nodes, edges)
    known_type = ends.type >= 0
    report.add("edge-type-unknown", places.of(~known_type), "edge type is not known",
               f"use one of: {', '.join(schema.EDGE_TYPES)}", "type")
    for end, rows in (("source", ends.source), ("target", ends.target)):
        report.add("edge-dangling", places.of(rows < 0),
                   f"{end} node does not exist", "add that node or remove the edge", end)
    ok = known_type & ends.present
    for code, (etype, spec) in enumerate(schema.EDGE_TYPES.items()):
        rows = ok & (ends.type == code)
        fits = np.isin(ends.source_kind, _kind_codes(spec.sources)) & \
            np.isin(ends.target_kind, _kind_codes(spec.targets))
        report.add("edge-kinds", places.of(rows & ~fits),
                   f"a {etype} edge must go from {_kinds_text(spec.sources)} "
                   f"to {_kinds_text(spec.targets)}", "change the edge type or its ends")
    self_loop = ok & (ends.source == ends.target)
    report.add("edge-self", places.of(self_loop), "links a node to itself", "remove the edge")
    report.add("edge-duplicate", places.of(_duplicate_edges(ends) & ok),
               "repeats an earlier edge between the same nodes", "remove the duplicate")
    return ends


def _kinds_text(kinds: tuple[str, ...]) -> str:
    return "a firm" if kinds == schema.FIRM_KINDS else f"a {' or '.join(kinds)}"


def _duplicate_edges(ends: _Ends) -> np.ndarray:
    undirected_codes = [i for i, spec in enumerate(schema.EDGE_TYPES.values())
                        if not spec.directed]
    swap = np.isin(ends.type, undirected_codes) & (ends.source > ends.target)
    lo = np.where(swap, ends.target, ends.source) + 1  # -1 (no such node) becomes 0
    hi = np.where(swap, ends.source, ends.target) + 1
    base = np.int64(len(ends.node_kind) + 1)
    key = ((ends.type + 1) * base + lo) * base + hi  # one int64 per (type, end, end)
    return pd.Series(key).duplicated(keep="first").to_numpy()


def _count_ends(ends: _Ends, etype: str, end: str, n_nodes: int) -> np.ndarray:
    """For each node, how many valid edges of a type have it at that end."""
    code = list(schema.EDGE_TYPES).index(etype)
    rows = getattr(ends, end)[(ends.type == code) & ends.present]
    return np.bincount(rows, minlength=n_nodes)


def _check_structure(nodes: pd.DataFrame, ends: _Ends, report: _Report) -> None:
    ids = nodes["id"].to_numpy(dtype=object)
    n = len(ids)
    platform = ends.node_kind == schema.NODE_KINDS.index(schema.PLATFORM)
    firm = np.isin(ends.node_kind, _kind_codes(schema.FIRM_KINDS))

    def places(mask):
        return [node_place(i) for i in ids[mask]]

    n_ops = _count_ends(ends, "operates", "target", n)
    report.add("platform-no-operator", places(platform & (n_ops == 0)),
               "platform has no operator", "link one firm to it with an `operates` edge")
    report.add("platform-operators", places(platform & (n_ops > 1)),
               "platform has more than one operator", "keep exactly one `operates` edge")
    n_zones = _count_ends(ends, "located_in", "source", n)
    report.add("firm-no-zone", places(firm & (n_zones == 0)),
               "firm is in no zone", "link it to its zone with a `located_in` edge")
    report.add("firm-zones", places(firm & (n_zones > 1)),
               "firm is located in more than one zone", "keep exactly one `located_in` edge")
    n_hosts = _count_ends(ends, "hosts", "target", n)
    report.add("platform-hosts", places(platform & (n_hosts > 1)),
               "platform is hosted by more than one zone", "keep one `hosts` edge")
    _check_operator_subfields(nodes, ends, report)


def _check_windows(nodes: pd.DataFrame, edges: pd.DataFrame, ends: _Ends,
                   report: _Report) -> None:
    """Appearing and vanishing quarters in order, edges within their ends' windows, each
    platform within its operator's (model/windows.py)."""
    if not (windows.has_windows(nodes) or windows.has_windows(edges)):
        return
    places = _EdgePlaces(edges["source"], edges["target"], edges["type"])
    ids = nodes["id"].to_numpy(dtype=object)
    for rule, row, message, fix in windows.window_problems(
            nodes, edges, ends.source, ends.target, edges["type"].to_numpy(dtype=object)):
        if row >= 0:
            place = node_place(ids[row], row)
        else:
            mask = np.zeros(len(edges), dtype=bool)
            mask[-1 - row] = True
            place = places.of(mask)[0]
        report.problems.append(Problem(rule, place, message, fix, "appears"))


def _check_operator_subfields(nodes: pd.DataFrame, ends: _Ends, report: _Report) -> None:
    operates = (ends.type == list(schema.EDGE_TYPES).index("operates")) & ends.present
    subfield = nodes["subfield"].to_numpy(dtype=object)
    source, target = ends.source[operates], ends.target[operates]
    differ = subfield[source] != subfield[target]
    ids = nodes["id"].to_numpy(dtype=object)
    report.add("operator-subfield", [f"node {t!r}" for t in ids[target[differ]]],
               "operator competes in another subfield than its platform",
               "give the operator the platform's subfield")


# --- single records, for the editable document -----------------------------------------------

def normalise_node(record: dict) -> dict:
    """One node's fields, normalised and checked alone; raises InputError on a bad value."""
    report = _Report()
    frame = _normalise_nodes(pd.DataFrame([record]), report)
    _check_node_ids(frame, report)
    _raise_first(report, ignore=INCOMPLETE_RULES)
    return {k: _scalar(v) for k, v in frame.iloc[0].to_dict().items()}


def normalise_edge(record: dict) -> dict:
    """One edge's fields, normalised and checked alone (ends and structure not checked)."""
    report = _Report()
    frame = _normalise_edges(pd.DataFrame([record]), report)
    if frame["type"].iloc[0] not in schema.EDGE_TYPES:
        report.add("edge-type-unknown", ["edge"], "edge type is not known",
                   f"use one of: {', '.join(schema.EDGE_TYPES)}")
    _raise_first(report)
    return {k: _scalar(v) for k, v in frame.iloc[0].to_dict().items()}


def _raise_first(report: _Report, ignore: frozenset = frozenset()) -> None:
    from model.errors import ValidationError

    problems = [p for p in report.problems if p.rule not in ignore]
    if problems:
        raise ValidationError(problems)


def _scalar(value):
    return value.item() if isinstance(value, np.generic) else value
