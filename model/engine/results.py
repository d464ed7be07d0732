"""The result of a run: the metrics table, the final state of every node, the outcome,
an optional per-step state history for replay, and provenance."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from typing import TYPE_CHECKING

import numpy as np

from model.calendar import DEFAULT_START_LABEL, Quarter, quarter_labels
from model.engine.metrics import METRIC_KEYS
from model.engine.state import ACQUIRED, EXITED
from model.later import BuiltWhenRead, Later, built_state

if TYPE_CHECKING:
    import pandas as pd

STATUS_NAMES = {0: "alive", EXITED: "exited", ACQUIRED: "acquired", 3: "absent"}
STATE_FIELDS = ("capability", "dependency", "talent", "openness", "alive")
EDGE_FIELD = "lock_in"  # recorded on the network's `uses` links
KIND_NAMES = np.array(["leader", "sme", "foreign"], dtype=object)


def tool_version() -> str:
    import model

    return getattr(model, "__version__", "0.1.0")


@dataclass(frozen=True)
class Provenance:
    tool_version: str
    seed: int
    steps: int
    parameters: Mapping[str, float]
    # sha256 of the node and edge tables, the parameters and schedules; `of` gives Laters
    scenario_hash: str = BuiltWhenRead()
    network_hash: str = BuiltWhenRead()  # sha256 of the node and edge tables alone
    scenario_title: str = ""
    scenario_name: str = ""
    runs: int = 1
    start: str = DEFAULT_START_LABEL  # the quarter of step 0
    schedules: Mapping[str, str] = field(default_factory=dict)  # key -> '2026Q3:0.8,...'

    @classmethod
    def of(cls, prepared, seed: int, steps: int, runs: int = 1) -> Provenance:
        return cls(tool_version(), int(seed), int(steps), dict(prepared.parameters),
                   Later(_digest, prepared), Later(_digest, prepared.net), prepared.title,
                   prepared.name,
                   runs=int(runs), start=prepared.start.label,
                   schedules={k: s.text() for k, s in prepared.schedules.items()})

    def __getstate__(self) -> dict:
        return built_state(self)

    def quarter(self, step: int) -> str:
        return (Quarter.parse(self.start) + step).label

    def as_dict(self) -> dict:
        out = asdict(self)
        out["parameters"] = dict(self.parameters)
        out["schedules"] = dict(self.schedules)
        return out


def _digest(owner) -> str:
    """The digest of a Prepared scenario or a CompiledNetwork (computed when first read:
    a million-firm network's takes about a second)."""
    return owner.digest


@dataclass(frozen=True, eq=False)
class StateHistory:
    """Per-step node state for replay: fields[name] is float32 (steps + 1, nodes), columns in
    `ids` order (the network's nodes; entrants are not replayed). NaN where a field does not
    apply to a node's kind. Fields: capability and dependency (firms), talent (zones: T,
    firms: L), openness (platforms), alive (firms: 1 or 0). `edge_fields["lock_in"]` is
    float32 (steps + 1, links) over the network's `uses` links, `edge_ends` their ids."""

    ids: np.ndarray
    fields: Mapping[str, np.ndarray]
    # the network's `uses` links: (source, target) ids, and lock_in (steps + 1, links)
    edge_ends: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=object))
    edge_fields: Mapping[str, np.ndarray] = field(default_factory=dict)

    def at(self, step: int) -> dict[str, np.ndarray]:
        return {name: values[step] for name, values in self.fields.items()}

    def frame(self, name: str) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.fields[name], columns=pd.Index(self.ids, name="id"))


@dataclass(frozen=True, eq=False)
class RunResult:
    # one row per step 0..steps (of `run_ends`: step 0 and the last alone): `step`,
    # `quarter`, then METRIC_KEYS
    metrics: pd.DataFrame
    platforms: pd.DataFrame
    zones: pd.DataFrame
    firms: pd.DataFrame = BuiltWhenRead()  # no default; build_result gives a Later
    outcome: str
    provenance: Provenance
    states: StateHistory | None = None

    def __getstate__(self) -> dict:  # a Later holds the engine's state: build, then pickle
        return built_state(self)

    def start(self, key: str) -> float:
        return float(self.metrics[key].iloc[0])

    def end(self, key: str) -> float:
        return float(self.metrics[key].iloc[-1])


def firm_dependency(st) -> np.ndarray:
    """min(1, sum_p u_ip l_ip) over the platforms a firm uses but does not operate."""
    return np.minimum(np.bincount(st.ef, st.u * st.l * st.notown, st.n), 1.0)


def node_state(st, net) -> dict[str, np.ndarray]:
    """The replay fields of the network's nodes now (float32, NaN where not applicable)."""
    size = len(net.node_ids)
    n0 = net.n_firms
    out = {name: np.full(size, np.nan, dtype=np.float32) for name in STATE_FIELDS}
    out["capability"][net.firm_row] = st.K[:n0]
    out["dependency"][net.firm_row] = firm_dependency(st)[:n0]
    out["talent"][net.firm_row] = st.L[:n0]
    out["talent"][net.zone_row] = st.T
    out["openness"][net.plat_row] = st.o
    out["alive"][net.firm_row] = st.alive[:n0]
    if st.presence is not None:  # platforms and zones: 1 while present (presence.py)
        out["alive"][net.plat_row] = st.presence.plat
        out["alive"][net.zone_row] = st.presence.zone
    out[EDGE_FIELD] = st.l[net.use_net_pos].astype(np.float32)  # per `uses` link
    return out


def use_ends(net) -> np.ndarray:
    """(source, target) ids of the network's `uses` links, in the order of the edge table."""
    ids = net.node_ids
    firms = net.use_firm[net.use_net_pos]
    plats = net.use_plat[net.use_net_pos]
    return np.column_stack([ids[net.firm_row[firms]], ids[net.plat_row[plats]]]) \
        if len(firms) else np.empty((0, 2), dtype=object)


def build_result(prepared, st, table, outcome, seed, steps, history) -> RunResult:
    """The RunResult of a single run's state `st` (R = 1, or a batch's `run_state`)."""
    import pandas as pd  # here, not at import: engine workers never build tables

    net = prepared.net
    metrics = pd.DataFrame(table, columns=list(METRIC_KEYS))
    at = np.arange(len(table)) if len(table) == steps + 1 else np.array([0, steps])
    metrics.insert(0, "step", at)  # every step, or step 0 and the end (`run_ends`)
    labels = quarter_labels(prepared.start, steps)
    metrics.insert(1, "quarter", [labels[t] for t in at])
    counts = [k for k in METRIC_KEYS if k.startswith(("active_", "entries", "exits", "acq"))]
    metrics[counts] = metrics[counts].astype(np.int64)
    names = _namer(prepared.network, net)
    provenance = Provenance.of(prepared, seed, steps)
    states = None
    if history is not None:
        states = StateHistory(net.node_ids, {f: np.stack([h[f] for h in history])
                                             for f in STATE_FIELDS},
                              use_ends(net), {EDGE_FIELD: np.stack([h[EDGE_FIELD]
                                                                    for h in history])})
    return RunResult(metrics, _platforms(st, net, names), _zones(st, net, names),
                     Later(_firms, st, net, names, prepared.start), outcome, provenance,
                     states)


def _namer(network, net):
    """rows -> the names of those nodes (their ids without the network's tables)."""
    if network is None:
        return lambda rows: np.asarray(net.node_ids, dtype=object)[rows]
    return network.names_at


def _platforms(st, net, names) -> pd.DataFrame:
    import pandas as pd

    ids = net.node_ids
    users = np.bincount(st.ep, (1.0 - st.ownf) * st.alive[st.ef], net.n_platforms)
    return pd.DataFrame({
        "id": ids[net.plat_row], "name": names(net.plat_row),
        "subfield": np.array(net.subfields, dtype=object)[net.plat_sub],
        "operator": ids[net.firm_row[net.plat_op]],
        "zone": np.where(net.plat_zone >= 0, ids[net.zone_row[np.maximum(net.plat_zone, 0)]],
                         "") if len(net.zone_row) else "",
        "data": st.D, "algorithms": st.A, "compute": net.compute,
        "compute_effective": st.Cp, "quality": st.Q, "openness": st.o,
        "openness_start": net.open0, "standard_power": st.S, "abuse": st.alpha,
        "users": users.astype(np.int64)})


def _zones(st, net, names) -> pd.DataFrame:
    import pandas as pd

    Z = net.n_zones
    alive = st.alive
    entrant = np.arange(st.n) >= net.n_firms
    return pd.DataFrame({
        "id": net.node_ids[net.zone_row], "name": names(net.zone_row),
        "hub": net.hub, "talent": st.T, "talent_start": net.talent0,
        "amenity": net.amenity, "support": net.support, "experience": st.E,
        "experience_start": net.exper0,
        "firms": np.bincount(st.zone, alive, Z).astype(np.int64),
        "smes": np.bincount(st.zone, alive & st.is_sme, Z).astype(np.int64),
        "entrants": np.bincount(st.zone, entrant, Z).astype(np.int64),
        "revenue": np.bincount(st.zone, st.R, Z)})


def _firms(st, net, names, start: Quarter) -> pd.DataFrame:
    import pandas as pd

    n, n0 = st.n, net.n_firms
    ids, labels, zone_ids = _firm_labels(st, net, names)
    kind = np.where(st.is_sme, 1, np.where(st.is_foreign, 2, 0))
    kind[:n0] = net.firm_kind
    acq = st.acquirer
    plat_op_ids = net.node_ids[net.firm_row[net.plat_op]] if net.n_platforms else \
        np.zeros(0, dtype=object)
    return pd.DataFrame({
        "id": ids, "name": labels, "kind": KIND_NAMES[kind],
        "subfield": np.array(net.subfields, dtype=object)[st.sub] if len(net.subfields)
        else np.zeros(n, dtype=object),
        "zone": zone_ids, "capability": st.K,
        "capability_start": np.concatenate([net.cap0, np.full(n - n0, np.nan)]),
        "talent": st.L, "share": st.m, "revenue": st.R, "alive": st.alive.copy(),
        "status": np.array([STATUS_NAMES[s] for s in range(len(STATUS_NAMES))], dtype=object)[st.status],
        "left_step": st.left.astype(np.int64),
        "left_quarter": np.array(["", *quarter_labels(start, max(0, int(st.step)))],
                                 dtype=object)[st.left + 1],
        "acquired_by": np.where(acq >= 0, plat_op_ids[np.maximum(acq, 0)]
                                if len(plat_op_ids) else "", ""),
        "dependency": firm_dependency(st), "operator": st.is_op.copy(),
        "entrant": np.arange(n) >= n0})


def _any_starts(ids, prefix: str) -> bool:
    """Whether an id starts with `prefix`: one search in the joined ids (a million ids in
    a few tens of ms, against half a second for a generator over them)."""
    return f"\n{prefix}" in "\n" + "\n".join(map(str, ids))


def _firm_labels(st, net, names):
    """(ids, names) of every firm slot and their zones' ids; entrants get generated ones."""
    n, n0 = st.n, net.n_firms
    zone_ids = net.node_ids[net.zone_row][st.zone] if net.n_zones else np.full(n, "", object)
    ids = np.empty(n, dtype=object)
    labels = np.empty(n, dtype=object)
    ids[:n0] = net.node_ids[net.firm_row]
    labels[:n0] = names(net.firm_row)
    if n > n0:
        prefix = "new-sme-"
        if _any_starts(ids[:n0], prefix):
            prefix = "new-sme-x-"
        zone_names = names(net.zone_row)[st.zone[n0:]]
        serial = range(1, n - n0 + 1)
        ids[n0:] = [f"{prefix}{j}" for j in serial]
        labels[n0:] = [f"New SME {z} #{j}" for z, j in zip(zone_names, serial)]
    return ids, labels, zone_ids
