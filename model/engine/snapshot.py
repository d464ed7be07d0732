"""Compile a scenario's network into immutable arrays the engine runs on.

The engine never touches the DataFrames of a `Network` while it steps: it reads a
`CompiledNetwork` (integer indices and float arrays, read-only) and a `Coefficients`
record (plain attributes), both built once per scenario and shared by every run on it.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np

from model import schema
from model.errors import InputError
from model.later import BuiltWhenRead, Later, built_state
from model.parameters import ParameterSet

if TYPE_CHECKING:  # pandas and the network come in only to compile (workers never do)
    import pandas as pd

    from model.network import Network

KIND_CODE = {schema.LEADER: 0, schema.SME: 1, schema.FOREIGN: 2}
OWN_ACCESS = 1.0  # an operator's dependency weight u on its own platform, unless drawn


@dataclass(frozen=True, eq=False)
class CompiledNetwork:
    """Index arrays of one network: platforms p, zones z, firms i, subfields s."""

    node_ids: np.ndarray  # every node id, in the network's row order (object)
    subfields: tuple[str, ...]
    # platforms
    plat_row: np.ndarray  # row of each platform in the node table
    plat_sub: np.ndarray
    plat_op: np.ndarray  # firm index of the operator
    plat_zone: np.ndarray  # hosting zone, -1 when none
    data0: np.ndarray
    algo0: np.ndarray
    compute: np.ndarray
    open0: np.ndarray
    q_norm: float  # mean raw quality at step 0 (1.0 when it is 0)
    # zones
    zone_row: np.ndarray
    talent0: np.ndarray
    amenity: np.ndarray
    support: np.ndarray
    exper0: np.ndarray
    hub: np.ndarray
    # firms
    firm_row: np.ndarray
    firm_kind: np.ndarray  # 0 leader, 1 sme, 2 foreign
    firm_sub: np.ndarray
    firm_zone: np.ndarray
    cap0: np.ndarray
    # uses edges (plus each operator's implicit use of its own platform), sorted by firm
    use_firm: np.ndarray
    use_plat: np.ndarray
    use_u: np.ndarray
    use_l0: np.ndarray
    use_net_pos: np.ndarray  # position above of each `uses` edge of the network, in its order
    # collaborates (firm pairs) and exchange (zone pairs), both directions
    col_a: np.ndarray
    col_b: np.ndarray
    col_g: np.ndarray
    ex_a: np.ndarray
    ex_b: np.ndarray
    ex_w: np.ndarray
    digest: str = BuiltWhenRead()  # sha256 of the node and edge tables (may come Later)
    # when each element takes part (model/windows.py): quarter indices, [on, off); None
    # when nothing in the network appears or vanishes (then everything always does)
    windows: Windows | None = None

    def __getstate__(self) -> dict:  # the digest built, not its Later
        return built_state(self)

    @property
    def n_platforms(self) -> int:
        return len(self.plat_row)

    @property
    def n_zones(self) -> int:
        return len(self.zone_row)

    @property
    def n_firms(self) -> int:
        return len(self.firm_row)


@dataclass(frozen=True, eq=False)
class Windows:
    """Appearing (on) and vanishing (off) quarter indices of platforms, zones and firms, of
    the `uses` edges in the compiled order (operators' implicit own edges: always), and of
    the collaborations and exchange links in both directions, as compiled above."""

    plat_on: np.ndarray
    plat_off: np.ndarray
    zone_on: np.ndarray
    zone_off: np.ndarray
    firm_on: np.ndarray
    firm_off: np.ndarray
    use_on: np.ndarray
    use_off: np.ndarray
    col_on: np.ndarray
    col_off: np.ndarray
    ex_on: np.ndarray
    ex_off: np.ndarray

    def changes(self) -> frozenset[int]:
        """The quarters at which something appears or vanishes."""
        from model.windows import ALWAYS, NEVER

        every = np.concatenate([getattr(self, f.name) for f in fields(self)])
        return frozenset(int(q) for q in np.unique(every) if q not in (ALWAYS, NEVER))


class Coefficients:
    """Parameter values as attributes (fast to read inside a step). `scheduled`: the
    values a schedule set for this step (empty without schedules)."""

    def __init__(self, values: Mapping[str, float]):
        self.__dict__.update({k: float(v) for k, v in values.items()})
        self.exit_patience = int(round(self.exit_patience))
        self.scheduled: dict[str, float] = {}

    def as_dict(self) -> dict[str, float]:
        return {k: v for k, v in self.__dict__.items() if k != "scheduled"}

    def per_run(self, values: Mapping[str, np.ndarray]) -> Coefficients:
        """These coefficients with some given one value per run of a batch (arrays of R;
        the others stay floats, the same for every run)."""
        twin = object.__new__(Coefficients)
        twin.__dict__.update(self.__dict__)
        for key, array in values.items():
            array = np.asarray(array, dtype=float)
            if key == "exit_patience":
                array = np.round(array).astype(np.int64)
            setattr(twin, key, array)
        return twin


def compile_network(network: Network) -> CompiledNetwork:
    """Arrays of a valid, complete network; InputError when a run cannot start on it.
    Whole-column numpy and pandas operations only: no Python loop per node or edge. A
    generated network that made these arrays itself (synthetic:N) hands them over."""
    known = getattr(network, "precompiled", None)
    if known is not None:
        return known
    nodes, edges = network.nodes, network.edges
    kind, kinds = _factorized(nodes["kind"])
    ids = nodes["id"].to_numpy(dtype=object)
    plat_row = np.flatnonzero(kind == kinds.get(schema.PLATFORM, -1))
    zone_row = np.flatnonzero(kind == kinds.get(schema.ZONE, -1))
    firm_row = np.flatnonzero(np.isin(kind, [kinds[k] for k in schema.FIRM_KINDS if k in kinds]))
    local = _local_indices(len(nodes), (plat_row, zone_row, firm_row))
    sub_of, sub_names = _factorized(nodes["subfield"])
    present = np.unique(np.concatenate([sub_of[plat_row], sub_of[firm_row]]))
    names = list(sub_names)  # in code order
    subfields = tuple(sorted(names[c] for c in present.tolist() if c >= 0))
    to_code = np.full(len(sub_names) + 1, -1, dtype=np.intp)
    for code, name in enumerate(subfields):
        to_code[sub_names[name]] = code
    etype, types = _factorized(edges["type"])
    src, dst = network.edge_rows
    weight = _filled(edges["weight"], 1.0)

    def of(t):
        mask = etype == types.get(t, -1)
        return local[src[mask]], local[dst[mask]], weight[mask], mask

    op_f, op_p, _, _ = of("operates")
    plat_op = _one_per(op_p, op_f, len(plat_row), ids[plat_row], "operator",
                       "add an `operates` edge from the firm that runs it")
    loc_f, loc_z, _, _ = of("located_in")
    firm_zone = _one_per(loc_f, loc_z, len(firm_row), ids[firm_row], "zone",
                         "add a `located_in` edge from the firm to its zone")
    host_z, host_p, _, _ = of("hosts")
    plat_zone = np.full(len(plat_row), -1, dtype=np.intp)
    plat_zone[host_p] = host_z
    use_f, use_p, use_u, use_mask = of("uses")
    use_l = _filled(edges["lock_in"], 0.0)[use_mask]
    explicit = len(use_f)
    use_f, use_p, use_u, use_l = _with_own_access(use_f, use_p, use_u, use_l, plat_op)
    order = np.argsort(use_f, kind="stable")
    position = np.empty(len(order), dtype=np.intp)
    position[order] = np.arange(len(order))
    col_a, col_b, col_g, _ = of("collaborates")
    ex_a, ex_b, ex_w, _ = of("exchange")
    num = {c: _filled(nodes[c], schema.NODE_FIELD[c].default) for c in
           ("data", "algorithms", "compute", "openness", "talent", "amenity", "support",
            "experience", "capability")}
    raw_q = np.cbrt(num["data"][plat_row] * num["algorithms"][plat_row] *
                    num["compute"][plat_row])
    q_norm = float(raw_q.mean()) if len(raw_q) else 0.0
    firm_kind = np.zeros(len(firm_row), dtype=np.int8)
    for name, code in KIND_CODE.items():
        firm_kind[kind[firm_row] == kinds.get(name, -1)] = code
    arrays = dict(
        node_ids=ids, subfields=subfields,
        plat_row=plat_row, plat_sub=to_code[sub_of[plat_row]], plat_op=plat_op,
        plat_zone=plat_zone, data0=num["data"][plat_row], algo0=num["algorithms"][plat_row],
        compute=num["compute"][plat_row], open0=num["openness"][plat_row],
        q_norm=q_norm if q_norm > 0 else 1.0,
        zone_row=zone_row, talent0=num["talent"][zone_row], amenity=num["amenity"][zone_row],
        support=num["support"][zone_row], exper0=num["experience"][zone_row],
        hub=nodes["hub"].to_numpy(dtype=bool)[zone_row],
        firm_row=firm_row, firm_kind=firm_kind,
        firm_sub=to_code[sub_of[firm_row]], firm_zone=firm_zone,
        cap0=num["capability"][firm_row],
        use_firm=use_f[order], use_plat=use_p[order], use_u=use_u[order], use_l0=use_l[order],
        use_net_pos=position[:explicit],
        col_a=np.concatenate([col_a, col_b]), col_b=np.concatenate([col_b, col_a]),
        col_g=np.concatenate([col_g, col_g]),
        ex_a=np.concatenate([ex_a, ex_b]), ex_b=np.concatenate([ex_b, ex_a]),
        ex_w=np.concatenate([ex_w, ex_w]),
        digest=Later(network_digest, network))
    arrays["windows"] = _windows(network, (plat_row, zone_row, firm_row), use_mask,
                                 len(use_f) - explicit, order,
                                 (etype == types.get("collaborates", -1),
                                  etype == types.get("exchange", -1)))
    for value in arrays.values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return CompiledNetwork(**arrays)


def _factorized(column) -> tuple[np.ndarray, dict]:
    """(each row's code, {value: code}) of a text column, in one hashing pass."""
    import pandas as pd

    codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    return codes, {value: k for k, value in enumerate(uniques.tolist())}


def _windows(network: Network, rows, use_mask, implicit, order, masks) -> Windows | None:
    """The appearing and vanishing quarters of the compiled elements (model/windows.py)."""
    from model import windows

    if not (windows.has_windows(network.nodes) or windows.has_windows(network.edges)):
        return None
    on, off = windows.node_windows(network.nodes)
    e_on, e_off = windows.edge_windows(network.edges)
    always = np.full(implicit, windows.ALWAYS, dtype=np.int64)
    never = np.full(implicit, windows.NEVER, dtype=np.int64)
    col, ex = masks  # the collaborates and exchange edges
    both = {name: np.concatenate([values[mask], values[mask]]) for name, values, mask in
            (("col_on", e_on, col), ("col_off", e_off, col), ("ex_on", e_on, ex),
             ("ex_off", e_off, ex))}
    plat, zone, firm = rows
    made = Windows(plat_on=on[plat], plat_off=off[plat], zone_on=on[zone], zone_off=off[zone],
                   firm_on=on[firm], firm_off=off[firm],
                   use_on=np.concatenate([e_on[use_mask], always])[order],
                   use_off=np.concatenate([e_off[use_mask], never])[order], **both)
    for f in fields(made):
        getattr(made, f.name).flags.writeable = False
    return made


def _with_own_access(use_f, use_p, use_u, use_l, plat_op):
    """Every operator uses its own platform: an implicit edge with u = OWN_ACCESS is added
    where the network has no explicit one (docs/MODEL_NOTES.md)."""
    explicit = np.zeros(len(plat_op), dtype=bool)
    explicit[use_p[plat_op[use_p] == use_f]] = True
    missing = np.flatnonzero(~explicit)
    return (np.concatenate([use_f, plat_op[missing]]), np.concatenate([use_p, missing]),
            np.concatenate([use_u, np.full(len(missing), OWN_ACCESS)]),
            np.concatenate([use_l, np.zeros(len(missing))]))


def _local_indices(n: int, groups) -> np.ndarray:
    """Position of each node row within its own kind's arrays."""
    local = np.full(n + 1, -1, dtype=np.intp)  # the extra slot absorbs get_indexer's -1
    for rows in groups:
        local[rows] = np.arange(len(rows))
    return local


def _filled(column: pd.Series, default) -> np.ndarray:
    import pandas as pd

    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isnan(values), float(default), values)


def _one_per(owner, target, n, owner_ids, what, fix) -> np.ndarray:
    """target[k] for each owner k; InputError naming the first owner without exactly one."""
    out = np.full(n, -1, dtype=np.intp)
    out[owner] = target
    counts = np.bincount(owner, minlength=n) if n else np.zeros(0, dtype=np.intp)
    bad = np.flatnonzero(counts != 1)
    if len(bad):
        first = owner_ids[bad[0]]
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        has = f"has no {what}" if counts[bad[0]] == 0 else f"has {counts[bad[0]]} {what}s"
        raise InputError(f"the network cannot be simulated: it {has}{more}",
                         place=f"node {first!r}", fix=fix)
    return out


def network_digest(network: Network) -> str:
    """sha256 of the node and edge tables (model.digest), cached on the network."""
    return network.digest


def scenario_digest(network_hash: str, parameters: Mapping[str, float],
                    schedules: list | None = None) -> str:
    """sha256 of the network tables' digest, every parameter value and, when there are any,
    the schedules (each change as a step from the start, value and ramp flag)."""
    content = {"network": network_hash,
               "parameters": {k: float(parameters[k]) for k in sorted(parameters)}}
    if schedules:
        content["schedules"] = schedules
    text = json.dumps(content, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def coefficients(parameters: Mapping[str, float] | None) -> Coefficients:
    """A validated, complete set of coefficients (defaults filled in)."""
    if not isinstance(parameters, ParameterSet):
        parameters = ParameterSet(parameters or {})
    return Coefficients(parameters)


def compiled_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(CompiledNetwork))
