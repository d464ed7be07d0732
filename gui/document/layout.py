"""Automatic layouts: new canvas positions computed from the document (no Qt, no edits).

The editor turns the result into one undoable move.
"""
from __future__ import annotations

import math

import networkx as nx

from model import schema

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
NODE_SPACING = 45.0  # scene units per node, roughly
FIRM_STEP = 16.0  # spiral spacing of firms around their zone
PLATFORM_RING = 60.0


def spring_positions(doc, seed: int = 1) -> dict[str, tuple[float, float]]:
    """A force-directed layout of the whole network (networkx spring layout)."""
    graph = nx.Graph()
    graph.add_nodes_from(doc.node_ids())
    for key in doc.edge_keys():
        edge = doc.edge(key)
        weight = edge.get("weight")
        weight = 1.0 if weight is None or weight != weight else float(weight)
        graph.add_edge(edge["source"], edge["target"], weight=weight)
    if not graph:
        return {}
    scale = NODE_SPACING * math.sqrt(len(graph)) * 2
    layout = nx.spring_layout(graph, seed=seed, scale=scale, iterations=60)
    return {n: (float(p[0]), float(p[1])) for n, p in layout.items()}


def zone_groups(doc) -> tuple[dict[str, list[str]], list[str]]:
    """Members of each zone (its firms and hosted platforms) and the nodes of no zone."""
    groups = {n: [] for n in doc.node_ids() if doc.node(n)["kind"] == schema.ZONE}
    placed = set(groups)
    for key in doc.edge_keys():
        edge = doc.edge(key)
        if edge["type"] == "located_in" and edge["target"] in groups:
            groups[edge["target"]].append(edge["source"])
            placed.add(edge["source"])
        elif edge["type"] == "hosts" and edge["source"] in groups:
            groups[edge["source"]].append(edge["target"])
            placed.add(edge["target"])
    rest = [n for n in doc.node_ids() if n not in placed]
    return groups, rest


def grouped_positions(doc) -> dict[str, tuple[float, float]]:
    """Zones on a grid, each with its platforms on a ring and its firms in a spiral around."""
    groups, rest = zone_groups(doc)
    kinds = {n: doc.node(n)["kind"] for n in doc.node_ids()}
    hubs = {z for z in groups if doc.node(z).get("hub")}
    order = sorted(groups, key=lambda z: (z not in hubs, -len(groups[z]), z))
    clusters = [(z, groups[z]) for z in order]
    if rest:
        clusters.append((None, rest))
    radii = [_cluster_radius(members) for _, members in clusters]
    cell = 2 * max(radii, default=100.0) + 60.0
    columns = max(1, math.ceil(math.sqrt(len(clusters))))
    positions: dict[str, tuple[float, float]] = {}
    for index, (zone, members) in enumerate(clusters):
        cx = (index % columns) * cell
        cy = (index // columns) * cell
        if zone is not None:
            positions[zone] = (cx, cy)
        positions.update(_arrange(members, kinds, cx, cy))
    return positions


def _cluster_radius(members: list[str]) -> float:
    return PLATFORM_RING + 30.0 + FIRM_STEP * math.sqrt(max(1, len(members)))


def _arrange(members: list[str], kinds: dict, cx: float, cy: float) -> dict:
    platforms = [m for m in members if kinds[m] == schema.PLATFORM]
    rank = {schema.LEADER: 0, schema.FOREIGN: 1, schema.SME: 2}
    firms = sorted((m for m in members if kinds[m] != schema.PLATFORM),
                   key=lambda m: rank.get(kinds[m], 3))
    out = {}
    for i, node in enumerate(platforms):
        angle = 2 * math.pi * i / max(1, len(platforms)) - math.pi / 2
        out[node] = (cx + PLATFORM_RING * math.cos(angle), cy + PLATFORM_RING * math.sin(angle))
    inner = PLATFORM_RING + 35.0 if platforms else 35.0
    for i, node in enumerate(firms):
        radius = inner + FIRM_STEP * math.sqrt(i)
        angle = i * GOLDEN_ANGLE
        out[node] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return out
