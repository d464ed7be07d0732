"""Node and edge records (from JSON, GraphML or networkx) to a validated Network, and back.

JSON is typed, so a wrong type there (a talent written as text) is refused at its place in
the file. GraphML and networkx graphs from other tools are looser: their values go to
`model.validation`, which turns numeric text into numbers and reports what it cannot.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from model import schema
from model.errors import InputError
from model.files.defaults import DefaultsLog
from model.network import Network

Place = Callable[[int, str | None], str]

_SCALARS = (str, int, float, bool, np.generic)


def json_type(value: object) -> str:
    """How a value reads to someone who wrote the file."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def network_from_records(nodes: Sequence, edges: Sequence, *, strict: bool = True,
                         typed: bool = False, node_place: Place, edge_place: Place,
                         extra_node_columns: Sequence[str] = (),
                         extra_edge_columns: Sequence[str] = (),
                         defaults: DefaultsLog | None = None) -> Network:
    """Build and validate a Network; raises InputError / ValidationError without a file name.

    typed=True (JSON): known fields must already have their type (number, text, true/false).
    The extra column lists fix the order of extra columns and keep ones that are blank
    everywhere (a round trip then gives identical tables). `defaults` records the absent
    values that took defaults, at the places `node_place` and `edge_place` name.
    """
    node_frame = _frame(nodes, schema.NODE_FIELD, schema.NODE_REQUIRED, node_place, typed,
                        extra_node_columns)
    edge_frame = _frame(edges, schema.EDGE_FIELD, schema.EDGE_REQUIRED, edge_place, typed,
                        extra_edge_columns)
    filled: list = []
    network = Network.build(node_frame, edge_frame, strict=strict, filled=filled)
    if defaults is not None:
        defaults.add_filled(filled, node_place, edge_place)
    return network


def _frame(records: Sequence, fields: dict, required: tuple[str, ...], place: Place,
           typed: bool, extras_order: Sequence[str]) -> pd.DataFrame:
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise InputError(f"this entry is {json_type(record)}, not an object",
                             place=place(i, None), fix='write it as {"field": value, ...}')
    frame = pd.DataFrame.from_records(list(records)) if len(records) else \
        pd.DataFrame(columns=list(required))
    for column in frame.columns:
        spec = fields.get(column)
        if spec is None:
            _check_extra(frame[column], column, place)
        elif typed:
            _check_typed(frame[column], spec, place)
    for column in extras_order:
        if column not in frame.columns and column not in fields:
            frame[column] = np.nan  # blank everywhere: no record carried it
    known = [c for c in fields if c in frame.columns]
    extras = list(dict.fromkeys([c for c in extras_order if c not in fields] +
                                [c for c in frame.columns if c not in fields]))
    return frame[known + extras]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _check_extra(column: pd.Series, name: str, place: Place) -> None:
    if column.dtype.kind in "fiub" or isinstance(column.dtype, pd.StringDtype):
        return
    for i, value in enumerate(column.tolist()):
        if not _blank(value) and not isinstance(value, _SCALARS):
            raise InputError(f"the extra field {name!r} holds {json_type(value)}",
                             place=place(i, name),
                             fix="extra fields may hold text, a number or true/false")


def _check_typed(column: pd.Series, spec: schema.FieldSpec, place: Place) -> None:
    """Refuse the first value of the wrong JSON type in a known field."""
    kind = column.dtype.kind
    if spec.dtype == "float":
        if kind in "fiu":
            return
        ok = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)  # noqa: E731
        expected, fix = "a number", f"write a number in {spec.range_text()} without quotes"
    elif spec.dtype == "str":
        if isinstance(column.dtype, pd.StringDtype):
            return
        ok = lambda v: isinstance(v, str)  # noqa: E731
        expected, fix = "text", "put the value in double quotes"
    else:
        if kind == "b":
            return
        ok = lambda v: isinstance(v, bool)  # noqa: E731
        expected, fix = "true or false", "write true or false without quotes"
    for i, value in enumerate(column.tolist()):
        if not _blank(value) and not ok(value):
            raise InputError(f"{spec.name} is {json_type(value)} ({value!r}), not {expected}",
                             place=place(i, spec.name), fix=fix)


# --- back to records ---------------------------------------------------------------------
# Column by column rather than through DataFrame.to_dict, which is about ten times slower on
# a 100,000-firm network. Same content as Network.node_records / edge_records (tested).

Column = tuple[str, list, np.ndarray]  # name, Python values, whether each row carries it


def node_columns(network: Network) -> list[Column]:
    nodes = network.nodes
    out = []
    for name in nodes.columns:
        keep = ~_blank_mask(nodes[name])
        spec = schema.NODE_FIELD.get(name)
        if spec is not None and len(spec.kinds) < len(schema.NODE_KINDS):
            keep &= nodes["kind"].isin(spec.kinds).to_numpy()
        out.append((name, _python_values(nodes[name]), keep))
    return out


def edge_columns(network: Network) -> list[Column]:
    edges = network.edges
    weighted = [t for t, spec in schema.EDGE_TYPES.items() if spec.weighted]
    out = []
    for name in edges.columns:
        keep = ~_blank_mask(edges[name])
        if name == "weight":
            keep &= edges["type"].isin(weighted).to_numpy()
        elif name == "lock_in":
            keep &= (edges["type"] == "uses").to_numpy()
        out.append((name, _python_values(edges[name]), keep))
    return out


def records(columns: list[Column], rows: int) -> list[dict]:
    out: list[dict] = [{} for _ in range(rows)]
    for name, values, keep in columns:
        for record, value, carried in zip(out, values, keep.tolist()):
            if carried:
                record[name] = value
    return out


def node_records(network: Network) -> list[dict]:
    """Each node's fields that apply to its kind and are set (an unplaced node has no x)."""
    return records(node_columns(network), len(network.nodes))


def edge_records(network: Network) -> list[dict]:
    """Each edge's set fields; weight only on weighted types, lock_in only on `uses`."""
    return records(edge_columns(network), len(network.edges))


def _blank_mask(series: pd.Series) -> np.ndarray:
    kind = series.dtype.kind
    if kind == "f":
        return np.isnan(series.to_numpy())
    if kind in "iub":
        return np.zeros(len(series), dtype=bool)
    if isinstance(series.dtype, pd.StringDtype):
        return (series.isna() | (series == "")).to_numpy(dtype=bool)
    return np.fromiter((_blank(v) or (isinstance(v, str) and v == "") for v in series.tolist()),
                       dtype=bool, count=len(series))


def _python_values(series: pd.Series) -> list:
    values = series.tolist()
    if series.dtype == object:
        values = [v.item() if isinstance(v, np.generic) else v for v in values]
    return values
