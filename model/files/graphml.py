"""GraphML import of one scenario, and the format (GraphML holds one variant: the active one).

Export (`graphml_export`) writes the network through `nxconvert.to_networkx` and networkx's
`write_graphml`.
Graph-level attributes: `format` ("ai-ecosystem-scenario"), `version`, `saved_by`, `name`
(the variant), `title`, `author`, `notes`, `start` (the quarter of step 0), one
`param_<key>` attribute per parameter that differs from its default, one `schedule_<key>`
per scheduled parameter (its changes as text: `2026Q3:0.8,2028Q1~1`, `~` a ramp), and
`extra_node_columns` / `extra_edge_columns` (JSON lists of the extra columns, to keep their
order). Edge ids are the edges' row numbers.

Import refuses a file over the size limit before reading it, parses it with defusedxml (a
DTD, entity declaration or external reference is refused: that is how entity bombs and file
disclosure attacks work), then reads keys, nodes and edges in document order. Every node
needs a `kind` attribute and every edge a `type`; other attributes become extra columns;
graph attributes other than those above are ignored. XML turns a carriage return in text
into a line feed, so line breaks come back as "\\n". Characters XML cannot hold (control
characters, lone surrogates, noncharacters) are written as U+FFFD by `textgate`, and the
export's notes say so.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from model import schema
from model.errors import InputError, elide, first_line
from model.files.defaults import DefaultsLog
from model.files.jsonfile import FORMAT, LEGACY_LEVER, LEGACY_VALUE, VERSION
from model.files.legacy_defaults import CALIBRATED_SINCE, with_hand_set_defaults
from model.files.limits import (MAX_BYTES, MAX_VALUE_CHARS, MAX_XML_ELEMENTS, file_label,
                                read_limited)
from model.files.nxconvert import extra_columns
from model.files.tables import network_from_records
from model.calendar import DEFAULT_START, Quarter
from model.parameters import ParameterSet, parameter
from model.scenario import Project, Scenario
from model.schedules import Schedules, parse_changes
from model.validation import ID_KEEP
from model.values import NotANumber, number_or_absent

PARAM_PREFIX = "param_"
SCHEDULE_PREFIX = "schedule_"
TEXT_ATTRIBUTES = ("name", "title", "author", "notes")


# --- import --------------------------------------------------------------------------------

def load_graphml(path: str | os.PathLike, *, strict: bool = True,
                 max_bytes: int = MAX_BYTES, defaults: DefaultsLog | None = None) -> Project:
    """One scenario; `defaults` records node and edge attributes left out (defaults used)."""
    label = file_label(path)
    document = read_document(parse_xml(read_limited(path, max_bytes), file=label), file=label)
    return Project.single(_scenario(document, label, strict, defaults))


def parse_xml(raw: bytes, *, file: str | None = None,
              max_elements: int = MAX_XML_ELEMENTS) -> Element:
    """The element tree, refusing DTDs, entities and external references, and a file of
    more than `max_elements` elements before any is built."""
    fix = "export the GraphML again without a <!DOCTYPE> or <!ENTITY> declaration"
    # Every element starts with a "<" that no "/" follows (text and attributes cannot hold
    # a raw "<"), so this bounds the elements from above, at the speed of a byte scan.
    most = raw.count(b"<") - raw.count(b"</")
    if most > max_elements:
        raise InputError(f"the file holds up to {most:,} XML elements; the limit is "
                         f"{max_elements:,}", file=file,
                         fix="check that this is really a scenario network")
    try:
        return safe_xml.fromstring(raw, forbid_dtd=True, forbid_entities=True,
                                   forbid_external=True)
    except DTDForbidden:
        raise InputError("the file declares a DTD (<!DOCTYPE>), which is refused for safety: "
                         "it can hide entity bombs or reads of other files", file=file,
                         fix=fix) from None
    except EntitiesForbidden as exc:
        raise InputError(f"the file declares the entity {exc.name!r}, which is refused for "
                         "safety (entity bombs)", file=file, fix=fix) from None
    except ExternalReferenceForbidden:
        raise InputError("the file refers to an external entity, which is refused for safety",
                         file=file, fix=fix) from None
    except safe_xml.ParseError as exc:
        line, column = exc.position
        raise InputError(f"the XML is broken: {_xml_reason(exc)}", file=file,
                         place=f"line {line}, column {column + 1}",
                         fix="the file may be cut short or damaged: export it again") from None


def _xml_reason(exc: Exception) -> str:
    return first_line(exc).split(":", 1)[0]


@dataclass
class GraphMLDocument:
    """What a GraphML file holds, in document order, before any validation."""

    graph: dict = field(default_factory=dict)
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    edge_ids: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class _Key:
    name: str
    scope: str  # node, edge, graph or all
    type: str
    default: object = None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_document(root: Element, *, file: str | None = None) -> GraphMLDocument:
    if _local(root.tag) != "graphml":
        raise InputError(f"this is not GraphML (the document is <{_local(root.tag)}>)",
                         file=file, fix="give a .graphml file")
    keys = _read_keys(root, file)
    graph = next((el for el in root if _local(el.tag) == "graph"), None)
    if graph is None:
        raise InputError("the GraphML file holds no <graph>", file=file,
                         fix="export the network again")
    document = GraphMLDocument(graph=_decode(graph, keys, "graph", "graph", file))
    for element in graph:
        tag = _local(element.tag)
        if tag == "node":
            document.nodes.append(_node(element, keys, len(document.nodes), file))
        elif tag == "edge":
            document.edges.append(_edge(element, keys, len(document.edges), file))
            document.edge_ids.append(element.get("id"))
        elif tag == "hyperedge":
            raise InputError("the file holds a hyperedge, which this tool cannot read",
                             file=file, fix="replace it by ordinary edges")
    return document


def _read_keys(root: Element, file) -> dict[str, _Key]:
    keys = {}
    for element in root:
        if _local(element.tag) != "key":
            continue
        key_id = element.get("id", "")
        kind = element.get("attr.type", "string").lower()
        if element.get("yfiles.type") is not None:
            kind = "yfiles"  # drawing data of yEd: its data elements are skipped
        elif kind not in _CONVERTERS:
            raise InputError(f"the key {_shown(key_id)} has the unknown type {_shown(kind)}",
                             file=file, fix=f"use one of: {', '.join(_CONVERTERS)}")
        name = element.get("attr.name") or key_id
        _check_size(name, f"key {_shown(key_id)}", file)
        key = _Key(name, element.get("for", "all"), kind)
        default = next((d for d in element if _local(d.tag) == "default"), None)
        if default is not None and kind != "yfiles":
            value = _convert(key, default.text, f"key {_shown(key_id)}", file)
            key = _Key(name, key.scope, kind, value)
        keys[key_id] = key
    return keys


def _node(element: Element, keys: dict, index: int, file) -> dict:
    node_id = element.get("id")
    if node_id is None:
        raise InputError(f"node {index + 1} has no id", file=file,
                         fix="give every <node> an id attribute")
    place = f"node {_shown(node_id)}"
    _check_size(node_id, place, file)
    if any(_local(child.tag) == "graph" for child in element):
        raise InputError("the node holds a nested graph, which this tool cannot read",
                         file=file, place=place, fix="flatten the graph")
    record = _decode(element, keys, "node", place, file)
    record["id"] = node_id  # the XML id wins over a data attribute of the same name
    return record


def _edge(element: Element, keys: dict, index: int, file) -> dict:
    source, target = element.get("source"), element.get("target")
    place = f"edge {index + 1} ({elide(source, ID_KEEP)} -> {elide(target, ID_KEEP)})"
    if source is None or target is None:
        raise InputError("the edge lacks a source or a target", file=file, place=place,
                         fix="give every <edge> source and target attributes")
    for end in (source, target, element.get("id")):
        _check_size(end, place, file)
    record = _decode(element, keys, "edge", place, file)
    record["source"], record["target"] = source, target
    return record


def _decode(element: Element, keys: dict, scope: str, place: str, file) -> dict:
    record = {}
    for data in element:
        if _local(data.tag) != "data":
            continue
        key_id = data.get("key")
        key = keys.get(key_id)
        if key is None:
            raise InputError(f"data refers to the undeclared key {_shown(key_id)}", file=file,
                             place=place, fix="declare it with a <key> element")
        if key.type == "yfiles" or len(data):
            continue
        if data.text is not None and len(data.text) > MAX_VALUE_CHARS:
            _check_size(data.text, f"{place}, attribute {_shown(key.name)}", file)
        value = _convert(key, data.text, place, file)
        if value is not None:
            record[key.name] = value
    for key in keys.values():
        if key.scope in (scope, "all") and key.default is not None:
            record.setdefault(key.name, key.default)
    return record


def _boolean(text: str) -> bool:
    word = text.strip().lower()
    if word in ("true", "1"):
        return True
    if word in ("false", "0"):
        return False
    raise ValueError(text)


_CONVERTERS = {"string": str, "boolean": _boolean, "int": int, "long": int, "float": float,
               "double": float}


def _convert(key: _Key, text: str | None, place: str, file) -> object:
    """The value of a <data> or <default>: None when absent. A float written as NaN or an
    infinity is refused like any value that is not a finite number (`model.values`)."""
    if key.type == "string":
        return text or ""
    if text is None or not text.strip():
        return None
    if key.type in ("float", "double"):
        try:
            number = float(text)  # the common case, fast; the rule says why not
            if math.isfinite(number) and "_" not in text:
                return number
        except ValueError:
            pass
        try:
            return number_or_absent(text)
        except NotANumber as exc:
            raise InputError(f"{elide(key.name)} {exc}", file=file, place=place,
                             fix="write a finite number, or leave the attribute out for "
                                 "the default") from None
    try:
        return _CONVERTERS[key.type](text.strip())
    except ValueError:
        raise InputError(f"{elide(key.name)} is {_shown(text.strip())}, not of the declared "
                         f"type {key.type}", file=file, place=place,
                         fix=f"write a {key.type} value") from None


def _shown(value: object) -> str:
    """A value as messages quote it: repr, shortened in the middle when long."""
    return elide(repr(value), ID_KEEP)


def _check_size(value: str | None, place: str, file) -> None:
    if value is not None and len(value) > MAX_VALUE_CHARS:
        raise InputError(f"a value of {len(value):,} characters is longer than the limit of "
                         f"{MAX_VALUE_CHARS:,}", file=file, place=place,
                         fix="check that this is really a scenario network")


def _scenario(document: GraphMLDocument, file: str, strict: bool,
              defaults: DefaultsLog | None = None) -> Scenario:
    attrs = document.graph
    _check_version(attrs, file)
    _require(document.nodes, "kind", schema.NODE_KINDS, "node", file,
             lambda i: f"node {_shown(document.nodes[i]['id'])}")
    _require(document.edges, "type", tuple(schema.EDGE_TYPES), "edge", file,
             lambda i: _edge_place(document, i))
    order = _edge_order(document.edge_ids)
    edges = [document.edges[i] for i in order]
    try:
        network = network_from_records(
            document.nodes, edges, strict=strict,
            node_place=lambda i, name: f"node {_shown(document.nodes[i]['id'])}" +
            (f", attribute {_shown(name)}" if name else ""),
            edge_place=lambda i, name: _edge_place(document, order[i]) +
            (f", attribute {_shown(name)}" if name else ""),
            extra_node_columns=extra_columns(attrs, "extra_node_columns"),
            extra_edge_columns=extra_columns(attrs, "extra_edge_columns"), defaults=defaults)
    except InputError as exc:
        raise exc.in_file(file) from None
    text = {k: str(attrs[k]) for k in TEXT_ATTRIBUTES if k in attrs}
    start = _start(attrs, file)
    return Scenario(network=network, parameters=_parameters(attrs, file), start=start,
                    schedules=_schedules(attrs, start, file), **text)


def _start(attrs: dict, file) -> Quarter:
    if "start" not in attrs:
        return DEFAULT_START
    try:
        return Quarter.parse(str(attrs["start"]))
    except InputError as exc:
        raise InputError(exc.message, file=file, place="graph attribute start",
                         fix=exc.fix) from None


def _schedules(attrs: dict, start: Quarter, file) -> Schedules:
    out = []
    for name, value in attrs.items():
        if not name.startswith(SCHEDULE_PREFIX):
            continue
        key = name[len(SCHEDULE_PREFIX):]
        try:
            out.append(parse_changes(key, str(value), start, what="schedule"))
        except InputError as exc:
            raise InputError(exc.message, file=file, place=f"graph attribute {name}",
                             fix=exc.fix) from None
    return Schedules(out)


def _edge_place(document: GraphMLDocument, index: int) -> str:
    edge = document.edges[index]
    ends = (elide(edge[end], ID_KEEP) for end in ("source", "target"))
    return f"edge {index + 1} ({' -> '.join(ends)})"


def _check_version(attrs: dict, file) -> None:
    if attrs.get("format") != FORMAT:
        return  # GraphML from another tool
    version = attrs.get("version")
    if isinstance(version, int) and version > VERSION:
        raise InputError(f"the file was written by a newer version of the tool (file version "
                         f"{version}; this tool reads up to {VERSION})", file=file,
                         place="graph attribute version", fix="update the tool")


def _require(records: list[dict], name: str, allowed: tuple, what: str, file, place) -> None:
    missing = [i for i, r in enumerate(records) if str(r.get(name, "")).strip() == ""]
    if not missing:
        return
    more = f" (and {len(missing) - 1} more {what}s)" if len(missing) > 1 else ""
    raise InputError(f"has no {name}{more}", file=file, place=place(missing[0]),
                     fix=f"every {what} needs a '{name}' attribute with one of: "
                         f"{', '.join(allowed)}; GraphML from other tools needs it added "
                         f"(for example in the tool that made the file) before import")


def _edge_order(ids: list[str | None]) -> list[int]:
    """Row order: by numeric edge id when every edge has a distinct one (as we write them)."""
    try:
        numbers = [int(i) for i in ids]
    except (TypeError, ValueError):
        return list(range(len(ids)))
    if len(set(numbers)) != len(numbers):
        return list(range(len(ids)))
    return sorted(range(len(ids)), key=numbers.__getitem__)


def _parameters(attrs: dict, file) -> ParameterSet:
    values = {}
    for name, value in attrs.items():
        if not name.startswith(PARAM_PREFIX):
            continue
        key = name[len(PARAM_PREFIX):]
        try:
            values[key] = parameter(key).check(value)
        except InputError as exc:
            raise InputError(exc.message, file=file, place=f"graph attribute {name}",
                             fix=exc.fix) from None
    version = attrs.get("version")
    ours = attrs.get("format") == FORMAT and isinstance(version, int)
    if ours and version < 4:
        values.setdefault(LEGACY_LEVER, LEGACY_VALUE)  # as the JSON migration to 4 does
    if ours and version < CALIBRATED_SINCE:  # as the JSON migration to 6 does
        values = with_hand_set_defaults(values)
    return ParameterSet(values)
