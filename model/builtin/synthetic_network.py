"""The network of synthetic:N: a `Network` whose tables are made on first read.

Its node and edge tables are those the generator always gave (the same values, dtypes and
order), built from the `Synthetic` arrays the first time something reads `nodes` or
`edges`. What a run needs (the compiled arrays, the digest, the counts, the names of the
nodes it reports on) comes straight from the arrays, so a run that writes no table never
builds the million-row ones. Pickling sends the size and seed: the receiver draws the same
network again.
"""
from __future__ import annotations

import math
from functools import cached_property

import numpy as np
import pandas as pd

from model import schema
from model.builtin import synthetic_compiled as sc
from model.builtin.layout import RING_GAP, cloud_offsets, cloud_radius
from model.builtin.synthetic import SUBFIELDS, Synthetic, generate
from model.later import Later
from model.network import Network, _frozen_rows


class SyntheticNetwork(Network):
    """A Network of generated arrays (never built from tables, so never re-validated)."""

    @classmethod
    def of(cls, made: Synthetic) -> SyntheticNetwork:
        network = object.__new__(cls)
        network.__dict__["made"] = made
        return network

    def __reduce__(self):
        return (_generated, (self.made.n, self.made.seed))

    @cached_property
    def nodes(self) -> pd.DataFrame:
        return node_table(self.made, self.node_ids)

    @cached_property
    def edges(self) -> pd.DataFrame:
        return edge_table(self.made, self.node_ids)

    @cached_property
    def edge_rows(self) -> tuple[np.ndarray, np.ndarray]:
        return _frozen_rows(*sc.edge_rows(self.made))

    @cached_property
    def _id_text(self) -> str:
        return sc.id_text(self.made)

    @cached_property
    def node_ids(self) -> np.ndarray:
        return np.array(self._id_text.split(sc.SEP), dtype=object)

    @cached_property
    def digest(self) -> str:
        return sc.digest(self.made, self._id_text)

    @cached_property
    def precompiled(self):
        """The engine's arrays of this network (what compile_network would give)."""
        return sc.compiled(self.made, self.node_ids, Later(_digest, self))

    def counts(self) -> dict[str, int]:
        kinds = dict(sc.kinds(self.made))
        types = {part[0]: len(part[1]) for part in sc.edge_parts(self.made)}
        return {**{k: kinds.get(k, 0) for k in schema.NODE_KINDS},
                **{t: types.get(t, 0) for t in schema.EDGE_TYPES}}

    def names_at(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.intp)
        out = self.node_ids[rows]  # a firm's name is its id
        head = rows < self.made.shape.firm0
        if head.any():
            out[head] = self._head_names[rows[head]]
        return out

    @cached_property
    def _head_names(self) -> np.ndarray:
        """The names of the zones and platforms."""
        return np.array([*sc.zone_names(self.made), *sc.platform_names(self.made)],
                        dtype=object)


def _digest(network: SyntheticNetwork) -> str:
    return network.digest


def _generated(n: int, seed: int) -> SyntheticNetwork:
    return SyntheticNetwork.of(generate(n, seed))


def _same(text: str, count: int) -> np.ndarray:
    """An object array of one string (np.full is ~15x slower for object dtype)."""
    return np.repeat(np.array([text], dtype=object), count)


def node_table(made: Synthetic, ids: np.ndarray) -> pd.DataFrame:
    s = made.shape
    z, p = s.zones, s.platforms
    total = len(ids)
    kinds = sc.kinds(made)
    kind = np.repeat(np.array([k for k, _ in kinds], dtype=object), [c for _, c in kinds])
    names = ids.copy()
    names[:z + p] = [*sc.zone_names(made), *sc.platform_names(made)]
    subfields = np.array(SUBFIELDS, dtype=object)
    sub = np.concatenate([_same("", z), subfields[s.platform_subfield],
                          subfields[made.firm_sub]])
    province = _same("", total)
    province[:z] = sc.provinces(made)
    columns = {"id": ids, "kind": kind, "name": names, "subfield": sub, "province": province,
               "hub": np.arange(total) < s.hubs, **made.numbers, **positions(made),
               "appears": _same("", total), "vanishes": _same("", total),
               "source": _same(sc.SOURCE, total), "confidence": _same(sc.CONFIDENCE, total)}
    return pd.DataFrame({c: columns[c] for c in schema.NODE_COLUMNS}, copy=False)


def edge_table(made: Synthetic, ids: np.ndarray) -> pd.DataFrame:
    parts = sc.edge_parts(made)
    source, target = sc.edge_rows(made)
    lock_in = np.concatenate([np.full(len(s), np.nan) if lock is None else lock
                              for _, s, _, _, lock in parts])
    etype = np.repeat(np.array([name for name, *_ in parts], dtype=object),
                      [len(s) for _, s, _, _, _ in parts])
    return pd.DataFrame({"source": ids[source], "target": ids[target], "type": etype,
                         "weight": np.concatenate([w for _, _, _, w, _ in parts]),
                         "lock_in": lock_in, "appears": _same("", len(source)),
                         "vanishes": _same("", len(source))}, copy=False)


def positions(made: Synthetic) -> dict[str, np.ndarray]:
    """Zones on a square grid, firms in a disc around their zone, platforms on a ring."""
    s, firm_zone = made.shape, made.firm_zone
    z, p = s.zones, s.platforms
    count = np.bincount(firm_zone, minlength=z)
    step = 2 * (float(cloud_radius(count.max())) + 150.0)
    columns = math.ceil(math.sqrt(z))
    zx = step * (np.arange(z) % columns + 0.5)
    zy = step * (np.arange(z) // columns + 0.5)
    fx, fy = cloud_offsets(_rank_within(firm_zone, z))
    host = firm_zone[:p]  # each platform sits in its operator's zone
    k = _rank_within(host, z)
    ring = cloud_radius(count[host]) + RING_GAP
    angle = -math.pi / 2 + 2 * math.pi * k / np.bincount(host, minlength=z)[host]
    x = np.concatenate([zx, zx[host] + ring * np.cos(angle), zx[firm_zone] + fx])
    y = np.concatenate([zy, zy[host] + ring * np.sin(angle), zy[firm_zone] + fy])
    return {"x": np.round(x, 1), "y": np.round(y, 1)}


def _rank_within(group: np.ndarray, groups: int) -> np.ndarray:
    """0, 1, 2, ... numbering of the members of each group, in order of appearance."""
    order = np.argsort(group, kind="stable")
    start = np.concatenate([[0], np.cumsum(np.bincount(group, minlength=groups))[:-1]])
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - start[group[order]]
    return rank
