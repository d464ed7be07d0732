"""The shape of a scenario network: node kinds, edge types and their fields.

This module is the one source of truth for the network's columns. The validation, the
scenario files, the workbook's Nodes and Edges sheets and the GUI's inspector all read it.
"""
from __future__ import annotations

from dataclasses import dataclass

PLATFORM = "platform"
ZONE = "zone"
LEADER = "leader"
SME = "sme"
FOREIGN = "foreign"

FIRM_KINDS = (LEADER, SME, FOREIGN)
NODE_KINDS = (PLATFORM, ZONE) + FIRM_KINDS

KIND_LABELS = {
    PLATFORM: "Open innovation platform",
    ZONE: "Pilot zone / region",
    LEADER: "Leading firm",
    SME: "Start-up or SME",
    FOREIGN: "Foreign firm",
}

# How sure we are of a fact. "user" marks what an analyst drew or typed.
CONFIDENCE_LEVELS = ("verified", "likely", "uncertain", "illustrative", "synthetic", "user")

# Upper bound for open-ended quantities: far above any real value, far below overflow.
BIG = 1e9


@dataclass(frozen=True)
class FieldSpec:
    """One column of the node or edge table."""

    name: str
    dtype: str  # "str", "float" or "bool"
    kinds: tuple[str, ...]  # node kinds (or edge types) the field applies to
    default: object
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # True: the low bound itself is not allowed
    unit: str = ""
    meaning: str = ""

    def range_text(self) -> str:
        if self.low is None:
            return ""
        left = "(" if self.low_open else "["
        high = "inf" if self.high is None or self.high >= BIG else f"{self.high:g}"
        return f"{left}{self.low:g}, {high}]"


ALL_NODES = NODE_KINDS
FIRMS = FIRM_KINDS

NODE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "str", ALL_NODES, "", meaning="unique identifier, used by edges"),
    FieldSpec("kind", "str", ALL_NODES, "", meaning="platform, zone, leader, sme or foreign"),
    FieldSpec("name", "str", ALL_NODES, "", meaning="display name"),
    FieldSpec("subfield", "str", (PLATFORM,) + FIRMS, "",
              meaning="AI subfield the platform serves or the firm competes in"),
    FieldSpec("data", "float", (PLATFORM,), 1.0, 0.0, BIG, unit="index",
              meaning="D: data the platform offers its users"),
    FieldSpec("algorithms", "float", (PLATFORM,), 1.0, 0.0, BIG, unit="index",
              meaning="A: algorithms and models the platform offers"),
    FieldSpec("compute", "float", (PLATFORM,), 10.0, 0.0, BIG, unit="access units",
              meaning="C: compute capacity, in units of one full-time user's access"),
    FieldSpec("openness", "float", (PLATFORM,), 0.7, 0.0, 1.0, unit="share",
              meaning="o: share of the platform's resources open to outside users"),
    FieldSpec("province", "str", (ZONE,), "", meaning="province of the zone"),
    FieldSpec("hub", "bool", (ZONE,), False, meaning="major innovation hub (talent pull)"),
    FieldSpec("talent", "float", (ZONE,), 10.0, 0.0, BIG, unit="thousand AI workers",
              meaning="T: AI talent pool of the zone"),
    FieldSpec("amenity", "float", (ZONE,), 0.5, 0.0, 1.0, unit="index",
              meaning="a: quality of life and infrastructure that attracts talent"),
    FieldSpec("support", "float", (ZONE,), 0.5, 0.0, 1.0, unit="share",
              meaning="s: local policy support for AI firms"),
    FieldSpec("experience", "float", (ZONE,), 0.2, 0.0, 1.0, unit="share",
              meaning="E: accumulated pilot experience of the zone"),
    FieldSpec("capability", "float", FIRMS, 1.0, 0.0, BIG, unit="index",
              meaning="K: the firm's AI capability"),
    FieldSpec("x", "float", ALL_NODES, float("nan"), -BIG, BIG, meaning="canvas position"),
    FieldSpec("y", "float", ALL_NODES, float("nan"), -BIG, BIG, meaning="canvas position"),
    FieldSpec("appears", "str", ALL_NODES, "", unit="quarter",
              meaning="first quarter the node takes part, e.g. 2019Q3 (empty: always)"),
    FieldSpec("vanishes", "str", ALL_NODES, "", unit="quarter",
              meaning="first quarter the node no longer takes part (empty: never)"),
    FieldSpec("source", "str", ALL_NODES, "", meaning="where the fact comes from"),
    FieldSpec("confidence", "str", ALL_NODES, "user",
              meaning="verified, likely, uncertain, illustrative, synthetic or user"),
)
NODE_FIELD = {f.name: f for f in NODE_FIELDS}
NODE_COLUMNS = tuple(f.name for f in NODE_FIELDS)
NODE_REQUIRED = ("id", "kind")


@dataclass(frozen=True)
class EdgeType:
    name: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    directed: bool
    weighted: bool
    meaning: str


EDGE_TYPES: dict[str, EdgeType] = {
    e.name: e
    for e in (
        EdgeType("operates", FIRMS, (PLATFORM,), True, False,
                 "the firm runs the platform (exactly one per platform)"),
        EdgeType("uses", FIRMS, (PLATFORM,), True, True,
                 "the firm builds on the platform; weight u is its dependency"),
        EdgeType("located_in", FIRMS, (ZONE,), True, False,
                 "the firm's home zone (exactly one per firm)"),
        EdgeType("hosts", (ZONE,), (PLATFORM,), True, False,
                 "the platform's home zone (at most one per platform)"),
        EdgeType("exchange", (ZONE,), (ZONE,), False, True,
                 "zones share pilot experience; weight w"),
        EdgeType("collaborates", FIRMS, FIRMS, False, True,
                 "firms share know-how; weight g"),
    )
}

EDGE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("source", "str", tuple(EDGE_TYPES), "", meaning="id of the source node"),
    FieldSpec("target", "str", tuple(EDGE_TYPES), "", meaning="id of the target node"),
    FieldSpec("type", "str", tuple(EDGE_TYPES), "", meaning="edge type"),
    FieldSpec("weight", "float", ("uses", "exchange", "collaborates"), 0.5, 0.0, 1.0,
              low_open=True, unit="share",
              meaning="u (uses), w (exchange) or g (collaborates); 1 for unweighted types"),
    FieldSpec("lock_in", "float", ("uses",), 0.0, 0.0, 1.0, unit="share",
              meaning="l: accumulated lock-in of the user into the platform's stack"),
    FieldSpec("appears", "str", ("uses", "hosts", "exchange", "collaborates"), "",
              unit="quarter", meaning="first quarter the edge takes part (empty: when both "
                                      "ends do)"),
    FieldSpec("vanishes", "str", ("uses", "hosts", "exchange", "collaborates"), "",
              unit="quarter", meaning="first quarter the edge no longer takes part (empty: "
                                      "when an end vanishes)"),
)
EDGE_FIELD = {f.name: f for f in EDGE_FIELDS}
EDGE_COLUMNS = tuple(f.name for f in EDGE_FIELDS)
EDGE_REQUIRED = ("source", "target", "type")
# Fields that say when a node or edge takes part in a run (docs/scenario-format.md,
# "Appearing and vanishing"). A firm's home zone and a platform's operator never change, so
# `operates` and `located_in` edges have none: they last as long as their ends.
WINDOW_FIELDS = ("appears", "vanishes")


def edge_type_for(source_kind: str, target_kind: str) -> str | None:
    """The edge type a user means when linking these two kinds on the canvas.

    Firm to platform is `uses` (an operator is set explicitly); None when no type fits.
    """
    if source_kind in FIRMS and target_kind == PLATFORM:
        return "uses"
    if source_kind == PLATFORM and target_kind in FIRMS:
        return "uses"
    for etype in ("located_in", "hosts", "exchange", "collaborates"):
        spec = EDGE_TYPES[etype]
        if source_kind in spec.sources and target_kind in spec.targets:
            return etype
        if source_kind in spec.targets and target_kind in spec.sources:
            return etype
    return None


# How messages name a kind in a sentence ("a platform", "an SME").
KIND_NOUNS = {PLATFORM: "a platform", ZONE: "a pilot zone", LEADER: "a leading firm",
              SME: "an SME", FOREIGN: "a foreign firm"}
# What each kind may be linked to, in plain words (checked against EDGE_TYPES by a test).
LINK_PARTNERS = {
    PLATFORM: "a firm that uses or runs it, or the pilot zone that hosts it",
    ZONE: "the firms located in it, the platforms it hosts, or another pilot zone to "
          "exchange experience with",
    **dict.fromkeys(FIRMS, "a platform it uses or runs, the pilot zone it is located in, or "
                           "another firm to collaborate with"),
}
LINK_VERBS = {"operates": "run", "uses": "use", "located_in": "be located in", "hosts": "host",
              "exchange": "exchange experience with", "collaborates": "collaborate with"}


def link_refusal(source_kind: str, target_kind: str) -> str:
    """Why two kinds cannot be linked, and what the first may be linked to."""
    return (f"{KIND_NOUNS[source_kind]} cannot be linked to {KIND_NOUNS[target_kind]}; "
            f"{KIND_NOUNS[source_kind]} links to {LINK_PARTNERS[source_kind]}")


def typed_link_refusal(etype: str, source_kind: str, target_kind: str) -> str:
    """Why a link of a given type cannot join these kinds, in the type's own words."""
    spec = EDGE_TYPES[etype]
    verb = LINK_VERBS[etype]
    return (f"{KIND_NOUNS[source_kind]} cannot {verb} {KIND_NOUNS[target_kind]}: only "
            f"{_group_noun(spec.sources)} can {verb} {_group_noun(spec.targets)}")


def _group_noun(kinds: tuple[str, ...]) -> str:
    return "a firm" if set(kinds) == set(FIRMS) else " or ".join(KIND_NOUNS[k] for k in kinds)


def fields_for_kind(kind: str) -> tuple[FieldSpec, ...]:
    return tuple(f for f in NODE_FIELDS if kind in f.kinds)
