"""The editable scenario document: what the canvas shows and undo commands change.

Every change goes through a method here and is announced by an `Event`, so that views follow
the document and undo commands only call these methods (ARCHITECTURE.md, examples 3 and 4).
Each inverse operation takes the index it restores to, so undo puts things back in order.
A drawing in progress may be incomplete (a platform without operator yet); `problems()`
lists what a run would refuse, and `to_scenario()` refuses it.
"""
from __future__ import annotations

import itertools
from types import MappingProxyType
from collections.abc import Mapping

import pandas as pd

from model import schema
from model.errors import InputError, Problem
from model.events import Event
from model.network import Network
from model.calendar import Quarter
from model.parameters import ParameterSet
from model.schedules import Schedule, Schedules
from model.scenario import Project, Scenario
from model.validation import check_network, normalise_edge, normalise_node

META_FIELDS = ("name", "title", "author", "notes")


class Document:
    """One scenario being edited, plus the other variants of its project, kept as they were."""

    def __init__(self, scenario: Scenario | None = None):
        self.node_added = Event("node_added")  # (node_id)
        self.node_removed = Event("node_removed")  # (node_id)
        self.node_changed = Event("node_changed")  # (node_id, {field: new value})
        self.nodes_moved = Event("nodes_moved")  # ({node_id: (x, y)})
        self.edge_added = Event("edge_added")  # (edge_key)
        self.edge_removed = Event("edge_removed")  # (edge_key)
        self.edge_changed = Event("edge_changed")  # (edge_key, {field: new value})
        self.parameters_changed = Event("parameters_changed")  # ({key: new value})
        # ({key: new Schedule or None}); {} when only the start quarter changed
        self.schedules_changed = Event("schedules_changed")
        self.meta_changed = Event("meta_changed")  # ({field: new value})
        self.reset = Event("reset")  # () the whole document was replaced
        self.changed = Event("changed")  # () after any of the above
        self.revision = 0
        self._snapshot: tuple[tuple[int, bool], Scenario] | None = None
        self._keys = itertools.count(1)
        self._load(scenario or Scenario(Network.empty()), (), 0)

    # --- whole document ------------------------------------------------------------------------

    @classmethod
    def from_project(cls, project: Project) -> Document:
        doc = cls()
        doc.load_project(project)
        return doc

    def load_project(self, project: Project) -> None:
        self._load(project.current, project.variants, project.active)
        self._announce(self.reset)

    def _load(self, scenario: Scenario, variants: tuple[Scenario, ...], active: int) -> None:
        network = scenario.network
        self._nodes: dict[str, dict] = {}
        for record in network.nodes.to_dict("records"):
            self._nodes[record["id"]] = _clean(record)
        self._edges: dict[int, dict] = {}
        for record in network.edges.to_dict("records"):
            self._edges[next(self._keys)] = _clean(record)
        self._parameters = scenario.parameters
        self._start, self._schedules = scenario.start, scenario.schedules
        self._meta = {f: getattr(scenario, f) for f in META_FIELDS}
        self._variants = variants
        self._active = active

    def to_network(self, *, strict: bool = True) -> Network:
        nodes = pd.DataFrame.from_records(list(self._nodes.values()),
                                          columns=self._node_columns())
        edges = pd.DataFrame.from_records(list(self._edges.values()),
                                          columns=self._edge_columns())
        return Network.build(nodes, edges, strict=strict)

    def to_scenario(self, *, strict: bool = True) -> Scenario:
        """An immutable snapshot for the engine and the files. Unchanged since the last
        snapshot (same revision), the document returns that one again: building and
        validating the tables is the slow part of pressing Run. Treat it as read-only."""
        key = (self.revision, strict)
        if self._snapshot is not None and self._snapshot[0] == key:
            return self._snapshot[1]
        scenario = Scenario(self.to_network(strict=strict), self._parameters, start=self._start,
                            schedules=self._schedules, **self._meta)
        self._snapshot = (key, scenario)
        return scenario

    def to_project(self, *, strict: bool = False) -> Project:
        """Everything a file stores: this variant as edited and the others as loaded."""
        current = self.to_scenario(strict=strict)
        variants = list(self._variants) or [current]
        variants[self._active if self._variants else 0] = current
        return Project(tuple(variants), self._active if self._variants else 0)

    def problems(self) -> list[Problem]:
        """Every rule the current drawing breaks (empty when it can run)."""
        nodes = pd.DataFrame.from_records(list(self._nodes.values()),
                                          columns=self._node_columns())
        edges = pd.DataFrame.from_records(list(self._edges.values()),
                                          columns=self._edge_columns())
        return check_network(nodes, edges)[2]

    # --- reading -------------------------------------------------------------------------------

    def node_ids(self) -> list[str]:
        return list(self._nodes)

    def node(self, node_id: str) -> dict:
        return dict(self._require_node(node_id))

    def node_records(self) -> Mapping[str, Mapping]:
        """All node records by id, read-only and not copied (for views that read many)."""
        return MappingProxyType(self._nodes)

    def operator_of(self, platform_id: str) -> tuple[int, str] | None:
        """(edge key, firm id) of the platform's `operates` link, if it has one."""
        for key, edge in self._edges.items():
            if edge["type"] == "operates" and edge["target"] == platform_id:
                return key, edge["source"]
        return None

    def has_node(self, node_id: str) -> bool:
        return node_id in self._nodes

    def node_index(self, node_id: str) -> int:
        return list(self._nodes).index(node_id)

    def edge_keys(self) -> list[int]:
        return list(self._edges)

    def edge(self, key: int) -> dict:
        return dict(self._require_edge(key))

    def edge_index(self, key: int) -> int:
        return list(self._edges).index(key)

    def edges_of(self, node_id: str) -> list[int]:
        """Keys of the edges touching a node, in document order."""
        return [k for k, e in self._edges.items()
                if e["source"] == node_id or e["target"] == node_id]

    @property
    def parameters(self) -> ParameterSet:
        return self._parameters

    @property
    def meta(self) -> dict:
        return dict(self._meta)

    def __len__(self) -> int:
        return len(self._nodes)

    # --- nodes ---------------------------------------------------------------------------------

    def new_node_id(self, kind: str) -> str:
        for n in itertools.count(len(self._nodes) + 1):
            candidate = f"{kind}-{n}"
            if candidate not in self._nodes:
                return candidate

    def add_node(self, kind: str, *, node_id: str | None = None, index: int | None = None,
                 **fields) -> str:
        """Adds a node (fields checked against the schema); returns its id."""
        node_id = node_id or self.new_node_id(kind)
        if node_id in self._nodes:
            raise InputError(f"a node with id {node_id!r} already exists",
                             fix="choose another id")
        record = normalise_node({**fields, "id": node_id, "kind": kind})
        self.insert_node(record, len(self._nodes) if index is None else index)
        return node_id

    def insert_node(self, record: Mapping, index: int) -> None:
        """Puts a node record back at its index (the inverse of `take_node`)."""
        record = dict(record)
        if record["id"] in self._nodes:
            raise InputError(f"a node with id {record['id']!r} already exists")
        items = list(self._nodes.items())
        items.insert(index, (record["id"], record))
        self._nodes = dict(items)
        self._announce(self.node_added, record["id"])

    def take_node(self, node_id: str) -> tuple[int, dict]:
        """Removes a node that has no edges left; returns its index and record."""
        self._require_node(node_id)
        if self.edges_of(node_id):
            raise InputError(f"node {node_id!r} still has edges", fix="remove its edges first")
        index = self.node_index(node_id)
        record = self._nodes.pop(node_id)
        self._announce(self.node_removed, node_id)
        return index, record

    def remove_node(self, node_id: str) -> tuple[tuple[int, dict], list[tuple[int, int, dict]]]:
        """Removes a node with its edges; returns what `restore_node` needs to undo it."""
        edges = [self.take_edge(key) for key in reversed(self.edges_of(node_id))]
        return self.take_node(node_id), edges

    def restore_node(self, removed: tuple[tuple[int, dict], list[tuple[int, int, dict]]]) -> None:
        (index, record), edges = removed
        self.insert_node(record, index)
        for key, edge_index, edge in reversed(edges):
            self.insert_edge(key, edge, edge_index)

    def set_node(self, node_id: str, **changes) -> dict:
        """Changes node fields (not its id); returns the old values for undo."""
        current = self._require_node(node_id)
        if "id" in changes and changes["id"] != node_id:
            raise InputError("a node's id cannot change", fix="edit its name instead")
        kind = changes.get("kind", current["kind"])
        if kind != current["kind"] and not {kind, current["kind"]} <= set(schema.FIRM_KINDS):
            raise InputError(f"node {node_id!r} cannot become a {kind}",
                             fix="only firms change kind (leader, sme, foreign)")
        record = normalise_node({**current, **changes})
        if record.get("subfield") != current.get("subfield"):
            self._check_subfield_change(node_id, record["subfield"])
        old = {k: current.get(k) for k in changes}
        new = {k: record.get(k) for k in changes}
        self._nodes[node_id] = record
        self._announce(self.node_changed, node_id, new)
        return old

    def move_nodes(self, positions: Mapping[str, tuple[float, float]]) -> dict:
        """Sets canvas positions of several nodes at once; returns the old ones."""
        old = {}
        for node_id, (x, y) in positions.items():
            record = self._require_node(node_id)
            old[node_id] = (record["x"], record["y"])
        for node_id, (x, y) in positions.items():
            self._nodes[node_id]["x"], self._nodes[node_id]["y"] = float(x), float(y)
        self._announce(self.nodes_moved, dict(positions))
        return old

    # --- edges ---------------------------------------------------------------------------------

    def add_edge(self, source: str, target: str, etype: str | None = None, **fields) -> int:
        """Links two nodes; the type is inferred from their kinds when not given.

        Refuses a link the model does not allow, with a message for the status bar.
        """
        source_kind = self._require_node(source)["kind"]
        target_kind = self._require_node(target)["kind"]
        if etype is None:
            etype = schema.edge_type_for(source_kind, target_kind)
            if etype is None:
                raise InputError(schema.link_refusal(source_kind, target_kind))
            spec = schema.EDGE_TYPES[etype]
            if source_kind not in spec.sources or target_kind not in spec.targets:
                source, target = target, source
        record = normalise_edge({**fields, "source": source, "target": target, "type": etype})
        self._check_new_edge(record)
        key = next(self._keys)
        self.insert_edge(key, record, len(self._edges))
        return key

    def insert_edge(self, key: int, record: Mapping, index: int) -> None:
        if key in self._edges:
            raise InputError(f"edge {key} already exists")
        items = list(self._edges.items())
        items.insert(index, (key, dict(record)))
        self._edges = dict(items)
        self._announce(self.edge_added, key)

    def take_edge(self, key: int) -> tuple[int, int, dict]:
        """Removes an edge; returns (key, index, record) for `insert_edge`."""
        self._require_edge(key)
        index = self.edge_index(key)
        record = self._edges.pop(key)
        self._announce(self.edge_removed, key)
        return key, index, record

    def set_edge(self, key: int, **changes) -> dict:
        current = self._require_edge(key)
        if {"source", "target", "type"} & set(changes):
            raise InputError("an edge's ends and type cannot change",
                             fix="delete the edge and draw a new one")
        record = normalise_edge({**current, **changes})
        old = {k: current.get(k) for k in changes}
        self._edges[key] = record
        self._announce(self.edge_changed, key, {k: record.get(k) for k in changes})
        return old

    # --- parameters and notes ------------------------------------------------------------------

    def set_parameters(self, **values) -> dict:
        """Changes parameter values (checked against the registry); returns the old ones."""
        new = self._parameters.replace(**values)
        old = {k: self._parameters[k] for k in values}
        self._parameters = new
        self._announce(self.parameters_changed, {k: new[k] for k in values})
        return old

    @property
    def start(self) -> Quarter:
        return self._start

    @property
    def schedules(self) -> Schedules:
        return self._schedules

    def set_schedule(self, key: str, schedule: Schedule | None) -> Schedule | None:
        """Gives parameter `key` this schedule (None: no schedule); returns the old one."""
        if schedule is not None and schedule.key != key:
            raise InputError(f"a schedule of {schedule.key} given for {key}")
        old = self._schedules.get(key)
        self._schedules = self._schedules.replace(*([schedule] if schedule else []),
                                                  remove=[] if schedule else [key])
        self._announce(self.schedules_changed, {key: schedule})
        return old

    def set_start(self, start: Quarter) -> Quarter:
        """Moves step 0 to another quarter (schedules stay on their quarters)."""
        old, self._start = self._start, start
        self._announce(self.schedules_changed, {})
        return old

    def set_meta(self, **values) -> dict:
        unknown = set(values) - set(META_FIELDS)
        if unknown:
            raise InputError(f"unknown scenario field {sorted(unknown)[0]!r}",
                             fix=f"use one of: {', '.join(META_FIELDS)}")
        old = {k: self._meta[k] for k in values}
        self._meta.update({k: str(v) for k, v in values.items()})
        if self._variants:
            names = [v.name for i, v in enumerate(self._variants) if i != self._active]
            if self._meta["name"] in names:
                self._meta.update(old)
                raise InputError(f"another variant is already named {values['name']!r}",
                                 fix="choose another name")
        self._announce(self.meta_changed, dict(values))
        return old

    # --- internals -----------------------------------------------------------------------------

    def _announce(self, event: Event, *args) -> None:
        self.revision += 1
        self._snapshot = None
        event.emit(*args)
        self.changed.emit()

    def _require_node(self, node_id: str) -> dict:
        try:
            return self._nodes[node_id]
        except KeyError:
            raise InputError(f"no node with id {node_id!r}") from None

    def _require_edge(self, key: int) -> dict:
        try:
            return self._edges[key]
        except KeyError:
            raise InputError(f"no edge {key}") from None

    def _node_columns(self) -> list[str]:
        extras = {k for r in self._nodes.values() for k in r if k not in schema.NODE_FIELD}
        return list(schema.NODE_COLUMNS) + sorted(extras)

    def _edge_columns(self) -> list[str]:
        extras = {k for r in self._edges.values() for k in r if k not in schema.EDGE_FIELD}
        return list(schema.EDGE_COLUMNS) + sorted(extras)

    def _check_new_edge(self, edge: dict) -> None:
        etype, source, target = edge["type"], edge["source"], edge["target"]
        spec = schema.EDGE_TYPES[etype]
        names = self._nodes[source]["name"], self._nodes[target]["name"]
        if source == target:
            raise InputError("a node cannot be linked to itself")
        kinds = self._nodes[source]["kind"], self._nodes[target]["kind"]
        if kinds[0] not in spec.sources or kinds[1] not in spec.targets:
            raise InputError(f"{names[0]} and {names[1]}: "
                             f"{schema.typed_link_refusal(etype, *kinds)}")
        for other in self._edges.values():
            same = other["source"] == source and other["target"] == target
            mirrored = not spec.directed and other["source"] == target and \
                other["target"] == source
            if other["type"] == etype and (same or mirrored):
                raise InputError(f"{names[0]} and {names[1]} are already linked ({etype})")
        unique_end = {"operates": "target", "located_in": "source", "hosts": "target"}
        if etype in unique_end:
            end = unique_end[etype]
            if any(o["type"] == etype and o[end] == edge[end] for o in self._edges.values()):
                what = {"operates": "already has an operator",
                        "located_in": "is already located in a zone",
                        "hosts": "already has a host zone"}[etype]
                raise InputError(f"{self._nodes[edge[end]]['name']} {what}",
                                 fix="delete the existing link first")
        if etype == "operates" and self._nodes[source]["subfield"] != \
                self._nodes[target]["subfield"]:
            raise InputError(f"{names[0]} competes in another subfield than {names[1]}",
                             fix="give the operator the platform's subfield first")

    def _check_subfield_change(self, node_id: str, subfield: str) -> None:
        for edge in self._edges.values():
            if edge["type"] == "operates" and node_id in (edge["source"], edge["target"]):
                raise InputError("an operator and its platform share one subfield",
                                 fix="remove the operates link before changing the subfield")


def _clean(record: dict) -> dict:
    """A table row as a plain dict (numpy scalars to Python ones)."""
    return {k: v.item() if hasattr(v, "item") and not isinstance(v, str) else v
            for k, v in record.items()}

