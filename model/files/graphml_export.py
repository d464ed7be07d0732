"""GraphML export of one scenario: the active variant, its graph attributes, through the
text gate (see `graphml` for the format)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from model.files import textgate
from model.files.atomic import write_atomic
from model.files.graphml import PARAM_PREFIX, SCHEDULE_PREFIX
from model.files.jsonfile import FORMAT, SAVED_BY, VERSION
from model.files.nxconvert import to_networkx
from model.scenario import Project, Scenario

if TYPE_CHECKING:  # networkx is imported where a graph is written
    import networkx as nx


def graphml_graph(scenario: Scenario) -> nx.MultiDiGraph:
    """The networkx graph that `save_graphml` writes, graph attributes included."""
    graph = to_networkx(scenario.network)
    graph.graph.update({"format": FORMAT, "version": VERSION, "saved_by": SAVED_BY,
                        "name": scenario.name, "title": scenario.title,
                        "author": scenario.author, "notes": scenario.notes})
    for name in ("extra_node_columns", "extra_edge_columns"):
        if name in graph.graph:  # GraphML attributes are scalars: the list as JSON text
            columns = [str(c) for c in graph.graph[name]]
            renamed = textgate.clean_ids(columns, "column name")  # as the gate writes them
            graph.graph[name] = json.dumps([renamed.get(c, c) for c in columns],
                                           ensure_ascii=False)
    for key, value in scenario.parameters.changed().items():
        graph.graph[PARAM_PREFIX + key] = value
    graph.graph["start"] = scenario.start.label
    for key, schedule in scenario.schedules.items():
        graph.graph[SCHEDULE_PREFIX + key] = schedule.text()
    return _gate_text(graph)


def save_graphml(project: Project | Scenario, path: str | os.PathLike, *,
                 notes: list[str] | None = None) -> Path:
    """Write the active variant atomically (the previous file is kept as NAME.bak). A
    warning about characters GraphML cannot hold (written as U+FFFD) goes to `notes`."""
    import networkx as nx

    scenario = project.current if isinstance(project, Project) else project
    with textgate.collecting("GraphML", notes):
        graph = graphml_graph(scenario)
        return write_atomic(path, lambda handle: nx.write_graphml(graph, handle))


def _gate_text(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph with every text XML cannot hold cleaned by the text gate (U+FFFD, counted
    for the export's warning): ids (consistently, edges follow), attribute names, values."""
    mapping = textgate.clean_ids(list(graph.nodes), "node id")
    if mapping:
        import networkx as nx

        graph = nx.relabel_nodes(graph, {i: textgate.clean(i) for i in mapping}, copy=True)
    names = {k for _, attrs in graph.nodes(data=True) for k in attrs}
    textgate.clean_ids(sorted(map(str, names)), "node column name")
    graph.graph = _clean_attrs(graph.graph) or graph.graph
    for _, attrs in graph.nodes(data=True):
        _clean_in_place(attrs)
    for _, _, attrs in graph.edges(data=True):
        _clean_in_place(attrs)
    return graph


def _clean_attrs(attrs: dict) -> dict | None:
    """The attributes with keys and text values cleaned; None when none needed it."""
    if not any(_needs_gate(k) or _needs_gate(v) for k, v in attrs.items()):
        return None
    return {_gated(k): _gated(v) for k, v in attrs.items()}


def _clean_in_place(attrs: dict) -> None:
    cleaned = _clean_attrs(attrs)
    if cleaned is not None:
        attrs.clear()
        attrs.update(cleaned)


def _needs_gate(value: object) -> bool:
    return textgate.needs_cleaning(value)


def _gated(value: object) -> object:
    return textgate.clean(value, textgate.XML) if isinstance(value, str) else value
