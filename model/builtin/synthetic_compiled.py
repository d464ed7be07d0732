"""What the engine and the provenance need of synthetic:N, straight from its arrays.

`compiled` gives the `CompiledNetwork` that `compile_network` would give for the
network's tables, and `digest` the tables' sha256 as `model.digest` defines it, without
making the tables: the same values and the same bytes, built column by column from the
generator's arrays (tests compare both with the table path on many sizes and seeds).
Id columns are written as fixed-width bytes by numpy and split into strings once.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np

from model import schema
from model.builtin.synthetic import NUMBER_FIELDS, SUBFIELDS, Synthetic

SEP = "\x1f"  # between the cells of a text column (model.digest)
SOURCE = "synthetic:N generator"
CONFIDENCE = "synthetic"
EDGE_PARTS = ("operates", "hosts", "located_in", "uses", "exchange", "collaborates")


def id_groups(made: Synthetic) -> list[tuple[str, int, int]]:
    """(prefix, count, digits) of each run of node ids, in node order."""
    s = made.shape
    width = len(str(s.n))
    return [("zone", s.zones, 3), ("oip", s.platforms, 4), ("leader", s.platforms, width),
            ("sme", s.smes, width), ("foreign", s.foreign, width)]


def numbered(prefix: str, count: int, digits: int) -> bytes:
    """b"prefix-001<SEP>prefix-002<SEP>..." (each followed by SEP), as
    `f"{prefix}-%0{digits}d"` writes them: every number fits its digits here."""
    assert count < 10 ** digits
    head = np.frombuffer(f"{prefix}-".encode(), dtype=np.uint8)
    cells = np.empty((count, len(head) + digits + 1), dtype=np.uint8)
    cells[:, :len(head)] = head
    number = np.arange(1, count + 1)
    for place in range(digits):
        cells[:, len(head) + digits - 1 - place] = 48 + (number // 10 ** place) % 10
    cells[:, -1] = ord(SEP)
    return cells.tobytes()


def id_text(made: Synthetic) -> str:
    """Every node id, in node order, joined by SEP."""
    return b"".join(numbered(*group) for group in id_groups(made))[:-1].decode("ascii")


def node_ids(made: Synthetic) -> np.ndarray:
    return np.array(id_text(made).split(SEP), dtype=object)


def zone_names(made: Synthetic) -> list[str]:
    hubs = made.shape.hubs
    return [f"Region {k:03d}{' (hub)' if k <= hubs else ''}"
            for k in range(1, made.shape.zones + 1)]


def platform_names(made: Synthetic) -> list[str]:
    subs = np.array(SUBFIELDS, dtype=object)[made.shape.platform_subfield]
    return [f"OIP {k:04d}: {s}" for k, s in enumerate(subs, start=1)]


def provinces(made: Synthetic) -> list[str]:
    return [f"Province {k // 5 + 1:02d}" for k in range(made.shape.zones)]


def kinds(made: Synthetic) -> list[tuple[str, int]]:
    s = made.shape
    return [(schema.ZONE, s.zones), (schema.PLATFORM, s.platforms), (schema.LEADER, s.platforms),
            (schema.SME, s.smes), (schema.FOREIGN, s.foreign)]


def edge_parts(made: Synthetic) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray,
                                              np.ndarray | None]]:
    """(type, source rows, target rows, weight, lock_in or None) of each run of edges, in
    edge order."""
    s = made.shape
    z, p = s.zones, s.platforms
    operators = s.firm0 + np.arange(p)
    platforms = z + np.arange(p)
    exchange = made.exchange
    return [("operates", operators, platforms, np.ones(p), None),
            ("hosts", made.firm_zone[:p], platforms, np.ones(p), None),
            ("located_in", s.firm0 + np.arange(s.n), made.firm_zone, np.ones(s.n), None),
            ("uses", *made.uses),
            ("exchange", exchange[0], exchange[1], exchange[2], None),
            ("collaborates", *made.collaborations, None)]


def edge_rows(made: Synthetic) -> tuple[np.ndarray, np.ndarray]:
    parts = edge_parts(made)
    return (np.concatenate([part[1] for part in parts]),
            np.concatenate([part[2] for part in parts]))


# ---- the compiled network ---------------------------------------------------------------

def compiled(made: Synthetic, ids: np.ndarray, digest):
    """The CompiledNetwork of the synthetic network's tables (snapshot.compile_network);
    `digest`: the tables' digest or its Later."""
    from model.engine.snapshot import OWN_ACCESS, CompiledNetwork

    s = made.shape
    z, p, n = s.zones, s.platforms, s.n
    num = made.numbers
    plat, zone, firm = (np.arange(z, z + p), np.arange(z), np.arange(s.firm0, s.firm0 + n))
    present = sorted(SUBFIELDS[:s.subfields])
    to_code = np.argsort(np.argsort(np.array(SUBFIELDS[:s.subfields]), kind="stable"))
    uses_f, uses_p, uses_u, uses_l = made.uses
    # every operator's implicit use of its own platform follows the explicit edges
    use_f = np.concatenate([uses_f - s.firm0, np.arange(p)])
    use_p = np.concatenate([uses_p - z, np.arange(p)])
    use_u = np.concatenate([uses_u, np.full(p, OWN_ACCESS)])
    use_l = np.concatenate([uses_l, np.zeros(p)])
    order = np.argsort(use_f, kind="stable")
    position = np.empty(len(order), dtype=np.intp)
    position[order] = np.arange(len(order))
    raw_q = np.cbrt(num["data"][plat] * num["algorithms"][plat] * num["compute"][plat])
    q_norm = float(raw_q.mean())
    col_a, col_b, col_g = made.collaborations
    col_a, col_b = col_a - s.firm0, col_b - s.firm0
    ex_a, ex_b, ex_w = made.exchange
    kind = np.repeat(np.array([0, 1, 2], dtype=np.int8), [p, s.smes, s.foreign])
    arrays = dict(
        node_ids=ids, subfields=tuple(present),
        plat_row=plat, plat_sub=to_code[s.platform_subfield].astype(np.intp),
        plat_op=np.arange(p, dtype=np.intp), plat_zone=_intp(made.firm_zone[:p]),
        data0=num["data"][plat], algo0=num["algorithms"][plat], compute=num["compute"][plat],
        open0=num["openness"][plat], q_norm=q_norm if q_norm > 0 else 1.0,
        zone_row=zone, talent0=num["talent"][zone], amenity=num["amenity"][zone],
        support=num["support"][zone], exper0=num["experience"][zone],
        hub=np.arange(z) < s.hubs,
        firm_row=firm, firm_kind=kind, firm_sub=to_code[made.firm_sub].astype(np.intp),
        firm_zone=_intp(made.firm_zone), cap0=num["capability"][firm],
        use_firm=_intp(use_f[order]), use_plat=_intp(use_p[order]), use_u=use_u[order],
        use_l0=use_l[order], use_net_pos=position[:len(uses_f)],
        col_a=_intp(np.concatenate([col_a, col_b])), col_b=_intp(np.concatenate([col_b, col_a])),
        col_g=np.concatenate([col_g, col_g]),
        ex_a=_intp(np.concatenate([ex_a, ex_b])), ex_b=_intp(np.concatenate([ex_b, ex_a])),
        ex_w=np.concatenate([ex_w, ex_w]), digest=digest, windows=None)
    for value in arrays.values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return CompiledNetwork(**arrays)


def _intp(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.intp)


# ---- the digest -------------------------------------------------------------------------

def digest(made: Synthetic, ids: str) -> str:
    """sha256 of the node and edge tables, byte for byte as model.digest hashes them.
    `ids`: the node ids joined by SEP (id_text)."""
    out = hashlib.sha256()
    nodes = _node_columns(made, ids)
    out.update(json.dumps(list(schema.NODE_COLUMNS)).encode())
    out.update(str(made.shape.firm0 + made.n).encode())
    for column in schema.NODE_COLUMNS:
        out.update(nodes[column]())
    parts = edge_parts(made)
    out.update(json.dumps(list(schema.EDGE_COLUMNS)).encode())
    count = sum(len(part[1]) for part in parts)
    out.update(str(count).encode())
    for end in (1, 2):  # source and target enter as node rows
        for part in parts:
            out.update(part[end].astype(np.int64).tobytes())
    edge_text = {"type": _runs([(part[0], len(part[1])) for part in parts]),
                 "appears": _blank(count), "vanishes": _blank(count)}
    for column in schema.EDGE_COLUMNS[2:]:
        if column == "weight":
            out.update(_floats(np.concatenate([part[3] for part in parts])))
        elif column == "lock_in":
            out.update(_floats(np.concatenate([np.full(len(part[1]), np.nan) if part[4] is None
                                               else part[4] for part in parts])))
        else:
            out.update(edge_text[column])
    return out.hexdigest()


def _node_columns(made: Synthetic, ids: str) -> dict:
    """Each node column's digest bytes, made when asked (one column in memory at a time)."""
    from model.builtin.synthetic_network import positions

    s = made.shape
    total = s.firm0 + s.n
    firm_ids = ids.split(SEP, s.firm0)[-1]
    subfields = np.array(SUBFIELDS, dtype=object)
    columns = {
        "id": lambda: ids.encode("ascii"),
        "kind": lambda: _runs(kinds(made)),
        "name": lambda: SEP.join([*zone_names(made), *platform_names(made),
                                  firm_ids]).encode("utf-8"),
        "subfield": lambda: (SEP * s.zones + SEP.join(
            subfields[np.concatenate([s.platform_subfield, made.firm_sub])].tolist())
        ).encode("utf-8"),
        "province": lambda: (SEP.join(provinces(made)) + SEP * (total - s.zones)).encode(),
        "hub": lambda: (np.arange(total) < s.hubs).astype(np.int64).tobytes(),
        "appears": lambda: _blank(total), "vanishes": lambda: _blank(total),
        "source": lambda: _runs([(SOURCE, total)]),
        "confidence": lambda: _runs([(CONFIDENCE, total)]),
    }
    for name in NUMBER_FIELDS:
        columns[name] = lambda name=name: _floats(made.numbers[name])
    xy = {}
    for name in ("x", "y"):
        columns[name] = lambda name=name: _floats((xy.get("xy") or xy.setdefault(
            "xy", positions(made)))[name])
    return columns


def _runs(runs: list[tuple[str, int]]) -> bytes:
    """A text column of runs of equal cells, joined by SEP."""
    return "".join((text + SEP) * count for text, count in runs)[:-1].encode("utf-8")


def _blank(count: int) -> bytes:
    return (SEP * (count - 1)).encode() if count else b""


def _floats(values: np.ndarray) -> bytes:
    nan = np.isnan(values)
    return np.where(nan, -0.0, values).tobytes() + nan.tobytes()
