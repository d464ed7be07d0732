"""Hypothesis strategies for small valid networks and scenarios (file round-trip tests)."""
from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import strategies as st

from model import schema
from model.calendar import FIRST_YEAR, LAST_YEAR, Quarter
from model.network import Network
from model.parameters import PARAMETERS, ParameterSet
from model.scenario import Scenario
from model.schedules import SCHEDULABLE, Change, Schedule, Schedules

# Any text XML can hold: no control characters, surrogates or non-characters.
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn")), max_size=12)
NOTES = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn"), include_characters="\n\t"),
                max_size=40)
SUBFIELDS = ("voice", "vision", "城市大脑")
UNIT = st.floats(0.0, 1.0)
WEIGHT = st.floats(0.0, 1.0, exclude_min=True)
AMOUNT = st.floats(0.0, 1e6)
POSITION = st.floats(-1e6, 1e6)


def _optional(draw, record: dict, key: str, values) -> None:
    if draw(st.booleans()):
        record[key] = draw(values)


def _common(draw, record: dict) -> dict:
    _optional(draw, record, "name", TEXT)
    if draw(st.booleans()):
        record["x"], record["y"] = draw(POSITION), draw(POSITION)
    _optional(draw, record, "source", TEXT)
    _optional(draw, record, "confidence", st.sampled_from(schema.CONFIDENCE_LEVELS))
    _optional(draw, record, "region", TEXT)  # an extra column, absent on some nodes
    return record


@st.composite
def network_records(draw) -> tuple[list[dict], list[dict]]:
    zones = [_common(draw, {"id": f"z{i}", "kind": "zone"})
             for i in range(draw(st.integers(1, 3)))]
    for zone in zones:
        for key, values in (("hub", st.booleans()), ("talent", AMOUNT), ("amenity", UNIT),
                            ("support", UNIT), ("experience", UNIT), ("province", TEXT)):
            _optional(draw, zone, key, values)
    firms = [_common(draw, {"id": f"f{i}", "kind": draw(st.sampled_from(schema.FIRM_KINDS)),
                            "subfield": draw(st.sampled_from(SUBFIELDS))})
             for i in range(draw(st.integers(1, 5)))]
    for firm in firms:
        _optional(draw, firm, "capability", AMOUNT)
    operators = draw(st.lists(st.sampled_from(firms), max_size=3))
    platforms = [_common(draw, {"id": f"p{i}", "kind": "platform",
                                "subfield": op["subfield"]}) for i, op in enumerate(operators)]
    for platform in platforms:
        for key, values in (("data", AMOUNT), ("algorithms", AMOUNT), ("compute", AMOUNT),
                            ("openness", UNIT)):
            _optional(draw, platform, key, values)
    edges = _structure_edges(draw, zones, firms, platforms, operators)
    edges += _optional_edges(draw, zones, firms, platforms, operators)
    nodes = draw(st.permutations(zones + firms + platforms))
    return list(nodes), list(draw(st.permutations(edges)))


def _structure_edges(draw, zones, firms, platforms, operators) -> list[dict]:
    edges = [{"source": op["id"], "target": p["id"], "type": "operates"}
             for op, p in zip(operators, platforms)]
    edges += [{"source": f["id"], "target": draw(st.sampled_from(zones))["id"],
               "type": "located_in"} for f in firms]
    for platform in platforms:
        if draw(st.booleans()):
            edges.append({"source": draw(st.sampled_from(zones))["id"],
                          "target": platform["id"], "type": "hosts"})
    return edges


def _optional_edges(draw, zones, firms, platforms, operators) -> list[dict]:
    edges = []
    run_by = {p["id"]: op["id"] for op, p in zip(operators, platforms)}
    for firm, platform in itertools.product(firms, platforms):
        if run_by[platform["id"]] != firm["id"] and draw(st.booleans()):
            edge = {"source": firm["id"], "target": platform["id"], "type": "uses",
                    "weight": draw(WEIGHT)}
            _optional(draw, edge, "lock_in", UNIT)
            _optional(draw, edge, "note", TEXT)  # an extra edge column
            edges.append(edge)
    for etype, group in (("exchange", zones), ("collaborates", firms)):
        for a, b in itertools.combinations(group, 2):
            if draw(st.booleans()):
                ends = (a, b) if draw(st.booleans()) else (b, a)
                edges.append({"source": ends[0]["id"], "target": ends[1]["id"], "type": etype,
                              "weight": draw(WEIGHT)})
    return edges


@st.composite
def networks(draw) -> Network:
    nodes, edges = draw(network_records())
    return Network.from_records(nodes, edges)


@st.composite
def scenarios(draw) -> Scenario:
    keys = draw(st.lists(st.sampled_from(sorted(PARAMETERS)), max_size=4, unique=True))
    values = {}
    for key in keys:
        spec = PARAMETERS[key]
        number = draw(st.floats(spec.low, spec.high))
        values[key] = float(round(number)) if spec.integer else number
    return Scenario(network=draw(networks()), parameters=ParameterSet(values),
                    name=draw(TEXT.filter(str.strip)), title=draw(TEXT),
                    author=draw(TEXT), notes=draw(NOTES))


# --- the calendar: a start and schedules, anywhere in the years the readers accept --------

FIRST_QUARTER, LAST_QUARTER = Quarter.of(FIRST_YEAR, 1), Quarter.of(LAST_YEAR, 4)
QUARTERS = st.integers(FIRST_QUARTER.index, LAST_QUARTER.index).map(Quarter)


def _value(draw, key: str) -> float:
    spec = PARAMETERS[key]
    number = draw(st.floats(spec.low, spec.high) | st.sampled_from((spec.low, spec.high)))
    return float(round(number)) if spec.integer else number


@st.composite
def schedules(draw, max_keys: int = 3) -> Schedules:
    """Up to `max_keys` schedules, each a few changes on distinct quarters (steps and
    ramps; never a ramp first)."""
    keys = draw(st.lists(st.sampled_from(SCHEDULABLE), max_size=max_keys, unique=True))
    out = []
    for key in keys:
        quarters = sorted(draw(st.lists(QUARTERS, min_size=1, max_size=5, unique=True)))
        out.append(Schedule.of(key, [
            Change(q, _value(draw, key), i > 0 and draw(st.booleans()))
            for i, q in enumerate(quarters)]))
    return Schedules(out)


@st.composite
def dated_scenarios(draw) -> Scenario:
    """A scenario with a start quarter and schedules anywhere in the calendar."""
    scenario = draw(scenarios())
    return replace(scenario, start=draw(QUARTERS), schedules=draw(schedules()))
