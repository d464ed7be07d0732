"""Small hand-made networks for tests."""
from __future__ import annotations

import copy


def small_records() -> tuple[list[dict], list[dict]]:
    """A valid network: two zones, one platform, its operator, two SMEs and a foreign firm."""
    nodes = [
        {"id": "z-hub", "kind": "zone", "name": "Hub City", "hub": True, "talent": 40.0},
        {"id": "z-small", "kind": "zone", "name": "Small Town", "talent": 5.0},
        {"id": "p-voice", "kind": "platform", "name": "Voice OIP", "subfield": "voice"},
        {"id": "f-lead", "kind": "leader", "name": "Lead Co", "subfield": "voice",
         "capability": 5.0},
        {"id": "f-sme1", "kind": "sme", "name": "SME One", "subfield": "voice"},
        {"id": "f-sme2", "kind": "sme", "name": "SME Two", "subfield": "vision"},
        {"id": "f-for", "kind": "foreign", "name": "Foreign One", "subfield": "voice"},
    ]
    edges = [
        {"source": "f-lead", "target": "p-voice", "type": "operates"},
        {"source": "z-hub", "target": "p-voice", "type": "hosts"},
        {"source": "f-lead", "target": "z-hub", "type": "located_in"},
        {"source": "f-sme1", "target": "z-small", "type": "located_in"},
        {"source": "f-sme2", "target": "z-small", "type": "located_in"},
        {"source": "f-for", "target": "z-hub", "type": "located_in"},
        {"source": "f-sme1", "target": "p-voice", "type": "uses", "weight": 0.6},
        {"source": "f-for", "target": "p-voice", "type": "uses", "weight": 0.4, "lock_in": 0.2},
        {"source": "z-hub", "target": "z-small", "type": "exchange", "weight": 0.5},
        {"source": "f-sme1", "target": "f-sme2", "type": "collaborates", "weight": 0.3},
    ]
    return copy.deepcopy(nodes), copy.deepcopy(edges)
