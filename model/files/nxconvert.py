"""A Network as a networkx MultiDiGraph and back.

Node keys are the node ids; node attributes are the node record without `id` (fields that do
not apply to the node's kind, and unset ones such as the position of an unplaced node, are
left out). Edge attributes are `type`, `weight` (1.0 on unweighted types), `lock_in` (on
`uses` edges) and any extra columns; the edge key is the edge's row number, which keeps the
edge order through a round trip. `exchange` and `collaborates` are undirected in the model
and stored once, in the direction of the network's table.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from model import schema
from model.errors import InputError
from model.files.tables import edge_records, network_from_records, node_records
from model.network import Network

if TYPE_CHECKING:  # networkx is imported where a graph is made: most commands never need it
    import networkx as nx


def to_networkx(network: Network) -> nx.MultiDiGraph:
    import networkx as nx

    graph = nx.MultiDiGraph()
    for what in ("node", "edge"):  # keeps their order, and columns blank everywhere
        extras = getattr(network, f"extra_{what}_columns")
        if extras:
            graph.graph[f"extra_{what}_columns"] = list(extras)
    graph.add_nodes_from((record.pop("id"), record) for record in node_records(network))
    weights = network.edges["weight"].tolist()
    edges = []
    for key, record in enumerate(edge_records(network)):
        source, target = record.pop("source"), record.pop("target")
        data = {"type": record.pop("type"), "weight": float(weights[key]), **record}
        edges.append((source, target, key, data))
    graph.add_edges_from(edges)
    return graph


def from_networkx(graph: nx.Graph, *, strict: bool = True) -> Network:
    """A validated Network from any networkx graph whose nodes carry `kind`, edges `type`.

    Node keys become ids. In a multigraph whose edge keys are distinct integers (as
    `to_networkx` writes them) the edges are taken in key order. In an undirected graph an
    edge of a directed type whose ends come reversed (platform -- firm for `uses`) is turned
    the right way round.
    """
    nodes = [{**attrs, "id": node} for node, attrs in graph.nodes(data=True)]
    ids = [record["id"] for record in nodes]
    edges = [{**data, "source": u, "target": v} for u, v, data in _ordered_edges(graph)]
    if not graph.is_directed():
        kinds = {node: attrs.get("kind") for node, attrs in graph.nodes(data=True)}
        for record in edges:
            _orient(record, kinds)
    return network_from_records(
        nodes, edges, strict=strict,
        node_place=lambda i, field: _node_place(ids[i], field),
        edge_place=lambda i, field: _edge_place(i, edges[i], field),
        extra_node_columns=extra_columns(graph.graph, "extra_node_columns"),
        extra_edge_columns=extra_columns(graph.graph, "extra_edge_columns"))


def extra_columns(attrs: dict, name: str) -> list[str]:
    """The graph attribute that lists extra columns: a list, or JSON text (from GraphML)."""
    value = attrs.get(name, [])
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"the graph attribute {name} is not a list of column names",
                         place=f"graph attribute {name}",
                         fix='write it as ["column", ...] or remove it')
    return value


def _ordered_edges(graph: nx.Graph) -> list[tuple[object, object, dict]]:
    if not graph.is_multigraph():
        return list(graph.edges(data=True))
    items = list(graph.edges(keys=True, data=True))
    keys = [key for _, _, key, _ in items]
    if all(isinstance(k, int) and not isinstance(k, bool) for k in keys) and \
            len(set(keys)) == len(keys):
        items.sort(key=lambda item: item[2])
    return [(u, v, data) for u, v, _, data in items]


def _orient(record: dict, kinds: dict) -> None:
    spec = schema.EDGE_TYPES.get(str(record.get("type", "")).strip().lower())
    if spec is None or not spec.directed:
        return
    a, b = kinds.get(record["source"]), kinds.get(record["target"])
    if not (a in spec.sources and b in spec.targets) and b in spec.sources and a in spec.targets:
        record["source"], record["target"] = record["target"], record["source"]


def _node_place(node_id: object, field: str | None) -> str:
    return f"node {node_id!r}" + (f", attribute {field!r}" if field else "")


def _edge_place(index: int, record: dict, field: str | None) -> str:
    where = f"edge {index + 1} ({record.get('source')} -> {record.get('target')})"
    return where + (f", attribute {field!r}" if field else "")
