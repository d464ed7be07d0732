"""Small random networks for the engine tests (tests/reference_model.py checks on them)."""
from __future__ import annotations


def random_network(seed, n_zones=3, n_platforms=2, n_firms=8, n_subfields=2, *,
                   zero_talent=False, zero_compute=False, lock_in=True, compute=(0.5, 6.0),
                   own_use=0.3):
    """A valid network drawn from `seed`: every platform with an operator of its subfield,
    every firm in one zone, random uses, exchange and collaboration links. Some subfields
    may have no platform, some zones no firm or no link."""
    import random

    from model.network import Network

    rnd = random.Random(seed)
    subs = [f"s{k}" for k in range(max(1, n_subfields))]
    nodes, edges = [], []
    zones = [f"z{k}" for k in range(max(1, n_zones))]
    for k, z in enumerate(zones):
        nodes.append({"id": z, "kind": "zone", "hub": k == 0 or rnd.random() < 0.2,
                      "talent": 0.0 if zero_talent else round(rnd.uniform(0, 50), 3),
                      "amenity": round(rnd.random(), 3), "support": round(rnd.random(), 3),
                      "experience": round(rnd.random(), 3)})
    firms = []
    for k in range(n_platforms):
        s = rnd.choice(subs)
        p, op = f"p{k}", f"op{k}"
        nodes.append({"id": p, "kind": "platform", "subfield": s,
                      "data": round(rnd.uniform(0.2, 3), 3),
                      "algorithms": round(rnd.uniform(0.2, 3), 3),
                      "compute": 0.0 if zero_compute else round(rnd.uniform(*compute), 3),
                      "openness": round(rnd.random(), 3)})
        nodes.append({"id": op, "kind": rnd.choice(["leader", "leader", "foreign"]),
                      "subfield": s, "capability": round(rnd.uniform(1, 8), 3)})
        edges.append({"source": op, "target": p, "type": "operates"})
        if rnd.random() < 0.7:
            edges.append({"source": rnd.choice(zones), "target": p, "type": "hosts"})
        if rnd.random() < own_use:  # the operator builds on its own platform too
            edges.append(_use(rnd, op, p, lock_in))
        firms.append(op)
    for k in range(n_firms):
        f = f"f{k}"
        nodes.append({"id": f, "kind": rnd.choice(["sme", "sme", "sme", "foreign", "leader"]),
                      "subfield": rnd.choice(subs),
                      "capability": round(rnd.choice([0.0, rnd.uniform(0, 4)]), 3)})
        firms.append(f)
    platforms = [f"p{k}" for k in range(n_platforms)]
    for f in firms:
        edges.append({"source": f, "target": rnd.choice(zones), "type": "located_in"})
        if f.startswith("f"):
            for p in rnd.sample(platforms, rnd.randint(0, min(2, len(platforms)))):
                edges.append(_use(rnd, f, p, lock_in))
    for a, b in _pairs(rnd, zones, 0.4):
        edges.append({"source": a, "target": b, "type": "exchange",
                      "weight": round(rnd.uniform(0.05, 1), 3)})
    for a, b in _pairs(rnd, firms, 0.15):
        edges.append({"source": a, "target": b, "type": "collaborates",
                      "weight": round(rnd.uniform(0.05, 1), 3)})
    return Network.from_records(nodes, edges)


def _use(rnd, firm, platform, lock_in):
    return {"source": firm, "target": platform, "type": "uses",
            "weight": round(rnd.uniform(0.05, 1), 3),
            "lock_in": round(rnd.uniform(0, 0.6), 3) if lock_in else 0.0}


def _pairs(rnd, items, chance):
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1:] if rnd.random() < chance]
