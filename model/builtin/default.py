"""The built-in default scenario: China's national AI OIPs and pilot zones with their firms.

Real names only where the fact tables (resources/data, from DATA.md) confirm them; the SMEs
and foreign firms are synthetic and named so (`SME Hefei-07`). Every node carries its source
and confidence. Deterministic: one fixed seed, stable readable ids.
"""
from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd

from model import schema
from model.builtin.facts import load_facts
from model.builtin.layout import firm_cloud, geographic_zones, platform_ring
from model.network import Network
from model.scenario import Scenario

SEED = 2017
N_SMES = 450
N_FOREIGN = 15
MIN_SMES_PER_ZONE = 3
TOTAL_TALENT = 400.0  # thousand AI workers, illustrative
SECOND_VISION = 0.3  # share of vision SMEs that also use another vision platform
SECOND_GENERAL = 0.1  # share of other SMEs that also use the general-purpose platform
CLUSTER_WEIGHT, HUB_WEIGHT, SPOKE_WEIGHT = 0.6, 0.5, 0.3  # exchange weights, illustrative
N_COLLABORATIONS = 40
CONFIDENCE_WEIGHT = {"verified": 1.0, "likely": 0.6, "uncertain": 0.3}
LOCAL_PLATFORM_BONUS = 2.0  # an SME is 3x as likely to work in a subfield hosted in its zone
VISION = ("intelligent vision", "visual computing", "image perception", "video perception",
          "medical imaging")
GENERAL_PLATFORM = "oip-huawei"  # basic software and hardware: a second platform for anyone
TITLE = "China national AI ecosystem (built-in)"
SYNTHETIC_SOURCE = "synthetic firm invented for the built-in scenario (not a real company)"
TALENT_SOURCE = ("talent: firm-location shares (DATA.md, 2020 data) for the five cities they "
                 "list, the other zones' remainder split by 2020 GDP (a proxy: no public "
                 "source for regional AI talent); amenity: illustrative hub and non-hub levels "
                 "plus log GDP per head; support and experience illustrative")
AMENITY = {True: 0.7, False: 0.5}  # hub, non-hub: illustrative
AMENITY_INCOME = 0.1  # amenity per unit of log GDP per head around the zones' mean (ODD 5)


@cache
def default_scenario() -> Scenario:
    """The national scenario (cached: a Scenario is immutable)."""
    facts = load_facts()
    rng = np.random.default_rng(SEED)
    zones = _zones(facts)
    oips = facts["oips"]
    firms = _firms(zones, oips, rng)
    edges = (_operates_hosts(oips) + _located(firms) + _uses(firms, oips, rng)
             + _exchange(zones) + _collaborations(firms, rng))
    platforms = _platforms(oips, edges)
    _place(zones, platforms, firms, oips)
    nodes = zones.to_dict("records") + platforms + firms.to_dict("records")
    columns = list(schema.NODE_COLUMNS)
    edge_columns = list(schema.EDGE_COLUMNS)
    network = Network.build(pd.DataFrame.from_records(nodes).reindex(columns=columns),
                            pd.DataFrame.from_records(edges).reindex(columns=edge_columns))
    return Scenario(network=network, name="main", title=TITLE, author="built-in",
                    notes=_notes(facts))


def zone_shares(facts=None) -> pd.Series:
    """Share of AI firms per zone (sums to 1): published shares, the rest split equally."""
    facts = facts or load_facts()
    names = list(facts["zones"]["zone"])
    published = dict(zip(facts["firm_shares"]["zone"], facts["firm_shares"]["share_percent"]))
    rest = [z for z in names if z not in published]
    left = max(0.0, 100.0 - sum(published.values()))
    shares = pd.Series({z: published.get(z, left / max(1, len(rest))) for z in names})
    return shares / shares.sum()


def apportion(shares: pd.Series, total: int, minimum: int = 0) -> pd.Series:
    """Whole counts summing to `total`, proportional to shares (largest remainder); a zone
    that would get fewer than `minimum` gets the minimum and the others share the rest."""
    if minimum * len(shares) > total:
        raise ValueError(f"{total} cannot give {len(shares)} entries {minimum} each")
    weights = shares.to_numpy(dtype=float)
    floor = np.zeros(len(weights), bool)  # entries held at the minimum
    while True:
        spare = total - minimum * floor.sum()
        free = np.where(floor, 0.0, weights)
        exact = free / free.sum() * spare
        counts = np.floor(exact).astype(int)
        order = np.argsort(-(exact - counts), kind="stable")
        counts[order[: spare - counts.sum()]] += 1
        low = ~floor & (counts < minimum)
        if not low.any():
            return pd.Series(np.where(floor, minimum, counts), index=shares.index)
        floor |= low


def zone_talent(facts=None) -> pd.Series:
    """Thousand AI workers per zone: the published firm shares of the five listed cities,
    and the remainder split among the other zones by their 2020 GDP (a proxy)."""
    facts = facts or load_facts()
    table = facts["zones"]
    published = dict(zip(facts["firm_shares"]["zone"], facts["firm_shares"]["share_percent"]))
    listed = table["zone"].isin(list(published)).to_numpy()
    gdp = table["gdp_2020"].to_numpy(dtype=float)
    left = max(0.0, 100.0 - sum(published.values()))
    rest = np.where(listed, 0.0, gdp) / max(gdp[~listed].sum(), 1e-12) * left
    share = np.where(listed, table["zone"].map(published).fillna(0.0).to_numpy(), rest)
    return pd.Series(share / share.sum() * TOTAL_TALENT, index=list(table["zone"]))


def zone_amenity(facts=None) -> np.ndarray:
    """Hub or non-hub level plus AMENITY_INCOME times log GDP per head around the mean
    (income draws skilled migrants: Liu and Shen 2014), within [0, 1]."""
    facts = facts or load_facts()
    table = facts["zones"]
    per_head = np.log(table["gdp_2020"].to_numpy(dtype=float) /
                      table["population_2020"].to_numpy(dtype=float))
    base = np.where(table["hub"].eq("yes"), AMENITY[True], AMENITY[False])
    return np.clip(base + AMENITY_INCOME * (per_head - per_head.mean()), 0.0, 1.0)


def _zones(facts) -> pd.DataFrame:
    table = facts["zones"]
    talent = zone_talent(facts)
    age = (2021 - table["approved"]).to_numpy()  # years of pilot experience by 2021
    hub = table["hub"].eq("yes").to_numpy()
    return pd.DataFrame({
        "id": table["id"], "kind": schema.ZONE, "name": table["zone"],
        "province": table["province"], "hub": hub,
        "talent": np.round(talent.to_numpy(), 2),
        "amenity": np.round(zone_amenity(facts), 3), "support": 0.5 + 0.05 * age,
        "experience": np.round(0.2 + 0.175 * age, 2),  # first-wave (2019) zones start past 0.5
        "source": table["source"] + "; " + TALENT_SOURCE + "; GDP and population: " +
                  table["figures_source"] + " (" + table["figures_confidence"] + ")",
        "confidence": table["confidence"]})


def _platforms(oips, edges) -> list[dict]:
    demand = {}
    for e in edges:
        if e["type"] == "uses":
            demand[e["target"]] = demand.get(e["target"], 0.0) + e["weight"]
    out = []
    for row in oips.itertuples(index=False):
        cohort = 3.0 if row.designated.endswith("2017") else \
            2.0 if row.designated.endswith(("2018", "2019")) else 1.0
        openness = 0.7
        compute = max(10.0, math.ceil(1.25 * openness * demand.get(row.id, 0.0)))
        out.append({
            "id": row.id, "kind": schema.PLATFORM, "subfield": row.subfield,
            "name": f"{row.operator} OIP: {row.subfield}", "data": cohort,
            "algorithms": cohort, "compute": compute, "openness": openness,
            "source": f"{row.source}; designated {row.designated}; data, algorithms, compute "
                      "and openness illustrative (compute sized to start uncongested)",
            "confidence": row.confidence})
    return out


def _firms(zones, oips, rng) -> pd.DataFrame:
    zone_id = dict(zip(zones["name"], zones["id"]))
    leaders = pd.DataFrame({
        "id": oips["operator_id"], "kind": schema.LEADER, "name": oips["operator"],
        "subfield": oips["subfield"], "zone": oips["hq_zone"].map(zone_id),
        "capability": np.round(rng.lognormal(math.log(6.0), 0.25, len(oips)), 3),
        "source": oips["source"] + "; operator of the OIP; capability illustrative",
        "confidence": oips["confidence"]})
    shares = zone_shares().set_axis(list(zones["id"]))
    smes = _synthetic(zones, oips, apportion(shares, N_SMES, MIN_SMES_PER_ZONE), rng,
                      schema.SME)
    foreign = _synthetic(zones, oips, apportion(shares, N_FOREIGN), rng, schema.FOREIGN)
    return pd.concat([leaders, smes, foreign], ignore_index=True)


def _synthetic(zones, oips, counts: pd.Series, rng, kind: str) -> pd.DataFrame:
    names = dict(zip(zones["id"], zones["name"]))
    rows, serial = [], 0
    for zone, count in counts.items():
        subfields = _draw_subfields(oips, zone, int(count), rng)
        for k in range(1, int(count) + 1):
            serial += 1
            slug = zone.removeprefix("zone-")
            ident, name = (f"sme-{slug}-{k:02d}", f"SME {names[zone]}-{k:02d}") \
                if kind == schema.SME else \
                (f"foreign-{serial:02d}", f"Foreign firm {serial:02d} ({names[zone]})")
            rows.append({"id": ident, "kind": kind, "name": name, "subfield": subfields[k - 1],
                         "zone": zone})
    table = pd.DataFrame(rows, columns=["id", "kind", "name", "subfield", "zone"])
    mean = 1.0 if kind == schema.SME else 2.0
    table["capability"] = np.round(rng.lognormal(math.log(mean), 0.35, len(table)), 3)
    table["source"] = SYNTHETIC_SOURCE + "; zone drawn by firm-location shares (DATA.md)"
    table["confidence"] = "synthetic"
    return table


def _draw_subfields(oips, zone: str, count: int, rng) -> list[str]:
    """Subfields drawn by platform presence: surer and local platforms weigh more."""
    local = (_host_zones(oips) == zone).to_numpy()
    weight = oips["confidence"].map(CONFIDENCE_WEIGHT).to_numpy() * \
        (1.0 + LOCAL_PLATFORM_BONUS * local)
    picks = rng.choice(len(oips), size=count, p=weight / weight.sum())
    return list(oips["subfield"].to_numpy()[picks])


def _host_zones(oips) -> pd.Series:
    """Zone id of each OIP's operator headquarters (which also hosts the platform)."""
    zones = load_facts()["zones"]
    return oips["hq_zone"].map(dict(zip(zones["zone"], zones["id"])))


def _operates_hosts(oips) -> list[dict]:
    zone = _host_zones(oips)
    return [{"source": f, "target": p, "type": "operates", "weight": 1.0}
            for f, p in zip(oips["operator_id"], oips["id"])] + \
        [{"source": z, "target": p, "type": "hosts", "weight": 1.0}
         for z, p in zip(zone, oips["id"])]


def _located(firms) -> list[dict]:
    return [{"source": f, "target": z, "type": "located_in", "weight": 1.0}
            for f, z in zip(firms["id"], firms["zone"])]


def _uses(firms, oips, rng) -> list[dict]:
    """Each SME and foreign firm uses its subfield's platform; some SMEs a second one."""
    by_subfield = dict(zip(oips["subfield"], oips["id"]))
    vision = [by_subfield[s] for s in VISION]
    out = []
    for row in firms[firms["kind"] != schema.LEADER].itertuples(index=False):
        first = by_subfield[row.subfield]
        low, high = (0.3, 0.9) if row.kind == schema.SME else (0.2, 0.6)
        out.append(_use(row.id, first, rng.uniform(low, high), rng))
        if row.kind != schema.SME or first == GENERAL_PLATFORM:
            continue
        choices = [p for p in vision if p != first] if first in vision else [GENERAL_PLATFORM]
        if rng.random() < (SECOND_VISION if first in vision else SECOND_GENERAL):
            out.append(_use(row.id, choices[rng.integers(len(choices))],
                            rng.uniform(0.1, 0.4), rng))
    return out


def _use(firm: str, platform: str, weight: float, rng) -> dict:
    return {"source": firm, "target": platform, "type": "uses",
            "weight": round(float(weight), 2), "lock_in": round(float(rng.uniform(0, 0.1)), 3)}


def _exchange(zones) -> list[dict]:
    """All pairs within each cluster and among the hubs; each hub to its four nearest
    non-hub zones outside its cluster; any zone still without a hub link to its nearest hub."""
    facts = load_facts()
    cluster = dict(zip(facts["zones"]["id"], facts["zones"]["cluster"]))
    where = _lonlat(facts)
    ids = list(zones["id"])
    hubs = list(zones.loc[zones["hub"], "id"])
    pairs: dict[tuple[str, str], float] = {}
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if cluster[a] and cluster[a] == cluster[b]:
                pairs[(a, b)] = CLUSTER_WEIGHT
            elif a in hubs and b in hubs:
                pairs[(a, b)] = HUB_WEIGHT
    for hub in hubs:
        others = [z for z in ids
                  if z not in hubs and (not cluster[z] or cluster[z] != cluster[hub])]
        for z in sorted(others, key=lambda z: _distance(where[hub], where[z]))[:4]:
            pairs.setdefault(_pair(hub, z), SPOKE_WEIGHT)
    linked = {z for p in pairs for z in p if set(p) & set(hubs)}
    for z in ids:
        if z not in linked:
            near = min(hubs, key=lambda h: _distance(where[h], where[z]))
            pairs[_pair(near, z)] = SPOKE_WEIGHT
    return [{"source": a, "target": b, "type": "exchange", "weight": w}
            for (a, b), w in pairs.items()]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _lonlat(facts) -> dict[str, tuple[float, float]]:
    zone_id = dict(zip(facts["zones"]["zone"], facts["zones"]["id"]))
    layout = facts["zone_layout"]
    return {zone_id[z]: (lon, lat) for z, lon, lat in
            zip(layout["zone"], layout["lon"], layout["lat"])}


def _distance(a, b) -> float:
    return math.hypot((a[0] - b[0]) * math.cos(math.radians(35)), a[1] - b[1])


def _collaborations(firms, rng) -> list[dict]:
    """A few know-how links between firms of the same zone."""
    seen, out = set(), []
    groups = [list(g) for _, g in firms.groupby("zone", sort=True)["id"] if len(g) > 1]
    while len(out) < N_COLLABORATIONS:
        group = groups[rng.integers(len(groups))]
        a, b = sorted(rng.choice(group, size=2, replace=False))
        if (a, b) not in seen:
            seen.add((a, b))
            out.append({"source": a, "target": b, "type": "collaborates",
                        "weight": round(float(rng.uniform(0.2, 0.6)), 2)})
    return out


def _place(zones, platforms, firms, oips) -> None:
    """Canvas positions: zones on a rough map, firms around them, platforms on a ring."""
    facts = load_facts()
    per_zone = firms.groupby("zone").size()
    hosted = _host_zones(oips)
    n_hosted = hosted.value_counts()
    where = _lonlat(facts)
    centres = geographic_zones(
        list(zones["id"]), [where[z] for z in zones["id"]],
        [platform_ring(int(per_zone.get(z, 0)), 1)[2] for z in zones["id"]])
    zones["x"] = [centres[z][0] for z in zones["id"]]
    zones["y"] = [centres[z][1] for z in zones["id"]]
    firms["x"], firms["y"] = np.nan, np.nan
    for zone, index in firms.groupby("zone").groups.items():
        dx, dy = firm_cloud(len(index))
        firms.loc[index, "x"] = np.round(centres[zone][0] + dx, 1)
        firms.loc[index, "y"] = np.round(centres[zone][1] + dy, 1)
    slot: dict[str, int] = {}
    for platform, zone in zip(platforms, hosted):
        k = slot[zone] = slot.get(zone, -1) + 1
        dx, dy, _ = platform_ring(int(per_zone.get(zone, 0)), int(n_hosted[zone]), k)
        platform["x"] = round(centres[zone][0] + dx, 1)
        platform["y"] = round(centres[zone][1] + dy, 1)


def _notes(facts) -> str:
    oips = facts["oips"]["confidence"].value_counts()
    milestones = "; ".join(f"{d}: {e}" for d, e in
                           zip(facts["milestones"]["date"], facts["milestones"]["event"]))
    return (
        "National AI Open Innovation Platforms (OIPs) and the 18 AI Innovation and Development "
        "Pilot Zones, from the project's fact sheet (DATA.md, public sources). "
        f"OIPs: {oips.get('verified', 0)} verified, {oips.get('likely', 0)} likely, "
        f"{oips.get('uncertain', 0)} uncertain; the policy brief counts 23, so the list is "
        "incomplete. China Mobile's subfield is an unknown placeholder. "
        f"SMEs ({N_SMES}) and foreign firms ({N_FOREIGN}) are synthetic, spread across zones "
        "by the 2020 firm-location shares; zone talent is derived from those shares (no public "
        "source for regional AI talent). Platform resources, capabilities and zone amenity, "
        "support and experience are illustrative. Every node carries its source and "
        "confidence (verified, likely, uncertain, illustrative, synthetic). "
        f"Legal milestones: {milestones}. "
        "The tool explores scenarios; it does not forecast.")
