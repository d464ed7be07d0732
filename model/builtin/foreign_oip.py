"""The what-if of the brief's third recommendation: a foreign-built OIP (hypothetical).

The built-in scenario plus one platform that a foreign firm of the scenario builds in its
own subfield, hosted in its zone, used by the subfield's other foreign firms and offered
to its domestic SMEs as a second platform. Nothing in it is a fact: the node and its links
say "hypothetical" in their source, with confidence `illustrative`. Whether domestic firms
may use it as an OIP is the foreign access parity (docs/ODD.md 7.9): compare
`foreign_access_parity` 0 and 1 on this scenario.
"""
from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from model import schema
from model.builtin.default import default_scenario
from model.network import Network
from model.scenario import Scenario

NAME = "foreign_oip"
OPERATOR = "foreign-03"  # a foreign firm of the built-in scenario, in smart home (Beijing)
PLATFORM = "oip-foreign-hypothetical"
SEED = 2022
FOREIGN_USE = 0.5  # the subfield's other foreign firms build on it
SME_USE = (0.1, 0.4)  # domestic SMEs of the subfield try it as a second platform
HYPOTHETICAL = ("HYPOTHETICAL: no foreign firm operates a national AI OIP; a what-if of the "
                "brief's recommendation that foreign firms may apply to build one")
TITLE = "China national AI ecosystem with a hypothetical foreign-built OIP"


@cache
def foreign_oip_scenario() -> Scenario:
    """The built-in scenario with the hypothetical foreign-built platform (cached)."""
    base = default_scenario()
    nodes, edges = base.network.nodes, base.network.edges
    operator = nodes.loc[nodes["id"] == OPERATOR].iloc[0]
    subfield = operator["subfield"]
    zone = edges.loc[(edges["source"] == OPERATOR) & (edges["type"] == "located_in"),
                     "target"].iloc[0]
    new_edges = _edges(nodes, zone, subfield)
    demand = sum(e["weight"] for e in new_edges if e["type"] == "uses")
    platform = {"id": PLATFORM, "kind": schema.PLATFORM, "subfield": subfield,
                "name": f"Hypothetical foreign-built OIP: {subfield}", "data": 1.0,
                "algorithms": 1.0, "compute": max(10.0, float(np.ceil(1.25 * 0.7 * demand))),
                "openness": 0.7, "x": float(operator["x"]) + 40.0,
                "y": float(operator["y"]) - 40.0,
                "source": f"{HYPOTHETICAL}; operator {operator['name']} (synthetic); data, "
                          "algorithms, compute and openness illustrative, as a new OIP's",
                "confidence": "illustrative"}
    network = Network.build(pd.concat([nodes, pd.DataFrame([platform])], ignore_index=True),
                            pd.concat([edges, pd.DataFrame(new_edges)], ignore_index=True))
    notes = f"{HYPOTHETICAL}.\n\n{base.notes}"
    return Scenario(network=network, name="main", title=TITLE, author="built-in",
                    notes=notes)


def _edges(nodes: pd.DataFrame, zone: str, subfield: str) -> list[dict]:
    rng = np.random.default_rng(SEED)
    out = [{"source": OPERATOR, "target": PLATFORM, "type": "operates", "weight": 1.0,
            "lock_in": 0.0},
           {"source": zone, "target": PLATFORM, "type": "hosts", "weight": 1.0, "lock_in": 0.0}]
    same = nodes[(nodes["subfield"] == subfield) & (nodes["id"] != OPERATOR)]
    for row in same.itertuples(index=False):
        if row.kind == schema.FOREIGN:
            weight = FOREIGN_USE
        elif row.kind == schema.SME:
            weight = round(float(rng.uniform(*SME_USE)), 2)
        else:
            continue
        out.append({"source": row.id, "target": PLATFORM, "type": "uses", "weight": weight,
                    "lock_in": 0.0})
    return out
