"""The network of a scenario as two tables: nodes and edges.

A Network is immutable and always valid: build one with `Network.build` (or
`Network.from_records`), which normalises the columns and runs every rule of
`model.validation`. The engine, the files and the workbook all take this form; the
editable `model.document.Document` converts to and from it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from model import schema


@dataclass(frozen=True, eq=False)
class Network:
    """Validated node and edge tables (columns as in `model.schema`, extras after them)."""

    nodes: pd.DataFrame
    edges: pd.DataFrame

    @classmethod
    def build(cls, nodes: pd.DataFrame, edges: pd.DataFrame, *, strict: bool = True,
              filled: list | None = None) -> Network:
        """Normalise and validate; raises ValidationError listing every problem.

        strict=False lets through a network that is only incomplete (a platform still without
        operator, a firm without zone), as a document being drawn may be. `filled`, when
        given, receives the absent cells that took defaults (`validation.Filled`).
        """
        from model.validation import check_network  # validation imports this module

        nodes, edges, problems = check_network(nodes, edges, strict=strict, filled=filled)
        if problems:
            from model.errors import ValidationError

            raise ValidationError(problems)
        return cls._trusted(nodes, edges)

    @classmethod
    def _trusted(cls, nodes: pd.DataFrame, edges: pd.DataFrame,
                 edge_rows: tuple[np.ndarray, np.ndarray] | None = None) -> Network:
        """Wrap tables that are already normalised and valid (generators use this).
        `edge_rows`, when the generator knows them: each edge's source and target as node
        row numbers, which saves looking a million ids up by name."""
        network = cls(nodes.reset_index(drop=True), edges.reset_index(drop=True))
        if edge_rows is not None:
            network.__dict__["edge_rows"] = _frozen_rows(*edge_rows)
        return network

    @classmethod
    def from_records(cls, nodes: Iterable[Mapping], edges: Iterable[Mapping], *,
                     strict: bool = True) -> Network:
        return cls.build(pd.DataFrame.from_records(list(nodes)),
                         pd.DataFrame.from_records(list(edges)), strict=strict)

    @classmethod
    def empty(cls) -> Network:
        return cls.build(pd.DataFrame(columns=list(schema.NODE_COLUMNS)),
                         pd.DataFrame(columns=list(schema.EDGE_COLUMNS)))

    def node_records(self) -> list[dict]:
        """Nodes as plain dicts, without the fields that do not apply to each kind."""
        out = []
        applies = {kind: {f.name for f in schema.fields_for_kind(kind)}
                   for kind in schema.NODE_KINDS}
        extras = self.extra_node_columns
        for row in self.nodes.to_dict("records"):
            keep = applies[row["kind"]]
            out.append({k: _plain(v) for k, v in row.items()
                        if (k in keep or k in extras) and not _blank(_plain(v))})
        return out

    def edge_records(self) -> list[dict]:
        out = []
        for row in self.edges.to_dict("records"):
            spec = schema.EDGE_TYPES[row["type"]]
            record = {k: _plain(v) for k, v in row.items() if not _blank(_plain(v))}
            if not spec.weighted:
                record.pop("weight", None)
            if row["type"] != "uses":
                record.pop("lock_in", None)
            out.append(record)
        return out

    @cached_property
    def edge_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Each edge's source and target as node row numbers (-1 for an unknown id),
        looked up once per network: the engine and the digest both need them."""
        index = pd.Index(self.nodes["id"].to_numpy(dtype=object))
        return _frozen_rows(index.get_indexer(self.edges["source"].to_numpy(dtype=object)),
                            index.get_indexer(self.edges["target"].to_numpy(dtype=object)))

    @cached_property
    def digest(self) -> str:
        """sha256 of the tables' content, computed once per network (model.digest)."""
        from model.digest import network_digest

        return network_digest(self)

    def names_at(self, rows: np.ndarray) -> np.ndarray:
        """The names of the nodes at these rows (an object array)."""
        return self._names[rows]

    @cached_property
    def _names(self) -> np.ndarray:
        return self.nodes["name"].to_numpy(dtype=object)

    @cached_property
    def extra_node_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.nodes.columns if c not in schema.NODE_FIELD)

    @cached_property
    def extra_edge_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.edges.columns if c not in schema.EDGE_FIELD)

    def of_kind(self, *kinds: str) -> pd.DataFrame:
        return self.nodes[self.nodes["kind"].isin(kinds)]

    def of_type(self, *types: str) -> pd.DataFrame:
        return self.edges[self.edges["type"].isin(types)]

    @property
    def platforms(self) -> pd.DataFrame:
        return self.of_kind(schema.PLATFORM)

    @property
    def zones(self) -> pd.DataFrame:
        return self.of_kind(schema.ZONE)

    @property
    def firms(self) -> pd.DataFrame:
        return self.of_kind(*schema.FIRM_KINDS)

    def counts(self) -> dict[str, int]:
        kinds = self.nodes["kind"].value_counts()
        types = self.edges["type"].value_counts()
        return {**{k: int(kinds.get(k, 0)) for k in schema.NODE_KINDS},
                **{t: int(types.get(t, 0)) for t in schema.EDGE_TYPES}}

    def equals(self, other: Network, *, rtol: float = 0.0) -> bool:
        """Same nodes and edges, in the same order, with the same values."""
        return _frames_equal(self.nodes, other.nodes, rtol) and \
            _frames_equal(self.edges, other.edges, rtol)


def _frozen_rows(source, target) -> tuple[np.ndarray, np.ndarray]:
    rows = (np.asarray(source, dtype=np.intp), np.asarray(target, dtype=np.intp))
    for array in rows:
        array.flags.writeable = False
    return rows


def _plain(value):
    """numpy scalars to Python ones, so that records serialise anywhere."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and value == ""


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame, rtol: float) -> bool:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    for column in a.columns:
        x, y = a[column].to_numpy(), b[column].to_numpy()
        if x.dtype.kind == "f" and y.dtype.kind == "f":
            if not np.allclose(x, y, rtol=rtol, atol=0.0, equal_nan=True):
                return False
        elif not all(u == v or (_blank(u) and _blank(v)) for u, v in zip(x, y)):
            return False
    return True
