"""Copy and paste of canvas fragments: selected nodes and the edges among them.

A fragment is plain JSON (so it survives the system clipboard). Pasted nodes get new ids;
a pasted firm whose zone was not copied stays located in the same zone, so it remains valid.
"""
from __future__ import annotations

import json
import math

from PySide6.QtCore import QMimeData

FRAGMENT_MIME = "application/x-ecosystem-fragment"
PASTE_OFFSET = 40.0


def fragment(doc, node_ids: list[str]) -> dict:
    chosen = set(node_ids)
    nodes = [doc.node(n) for n in node_ids]
    edges = []
    for key in doc.edge_keys():
        edge = doc.edge(key)
        inside = edge["source"] in chosen and edge["target"] in chosen
        keeps_zone = edge["type"] == "located_in" and edge["source"] in chosen
        if inside or keeps_zone:
            edges.append(edge)
    return {"nodes": nodes, "edges": edges}


def to_mime(data: dict) -> QMimeData:
    mime = QMimeData()
    mime.setData(FRAGMENT_MIME, json.dumps(data).encode())
    names = ", ".join(str(n.get("name") or n["id"]) for n in data["nodes"][:20])
    mime.setText(names)
    return mime


def from_mime(mime: QMimeData | None) -> dict | None:
    if mime is None or not mime.hasFormat(FRAGMENT_MIME):
        return None
    try:
        data = json.loads(bytes(mime.data(FRAGMENT_MIME)).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        return None
    return data


def paste_plan(doc, data: dict, offset: float = PASTE_OFFSET):
    """The nodes to add (kind, new id, fields) and the edges to add between the new ids."""
    taken = set(doc.node_ids())
    new_ids: dict[str, str] = {}
    nodes = []
    for record in data["nodes"]:
        kind = record["kind"]
        new_id = _fresh_id(record["id"], taken)
        taken.add(new_id)
        new_ids[record["id"]] = new_id
        fields = {k: v for k, v in record.items()
                  if k not in ("id", "kind") and not _blank(v)}
        for axis in ("x", "y"):
            if axis in fields:
                fields[axis] = float(fields[axis]) + offset
        name = fields.get("name")
        fields["name"] = new_id if name in (None, record["id"]) else f"{name} (copy)"
        fields["confidence"] = "user"
        nodes.append((kind, new_id, fields))
    edges = []
    for edge in data.get("edges", []):
        source = new_ids.get(edge["source"], edge["source"])
        target = new_ids.get(edge["target"], edge["target"])
        if not doc.has_node(source) and source not in new_ids.values():
            continue
        if not doc.has_node(target) and target not in new_ids.values():
            continue
        fields = {k: v for k, v in edge.items()
                  if k not in ("source", "target", "type") and not _blank(v)}
        edges.append((source, target, edge["type"], fields))
    return nodes, edges


def _fresh_id(old: str, taken: set[str]) -> str:
    base = old.rsplit("-copy", 1)[0]
    for n in range(1, 100000):
        candidate = f"{base}-copy{n if n > 1 else ''}"
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free id")  # unreachable in practice


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))
