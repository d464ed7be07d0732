"""The reference model's metrics and node states (tests/reference_model.py)."""
from __future__ import annotations


class ReferenceMetrics:
    def metrics(self):
        members = self.members()
        live = [s for s in self.subfields if members[s]]
        wsum = sum(self.M[s] for s in live)
        hhi, cr4, foreign = {}, {}, {}
        for s in live:
            shares = sorted((self.m[f] for f in members[s]), reverse=True)
            hhi[s] = 1e4 * sum(v * v for v in shares)
            cr4[s] = sum(shares[:4])
            foreign[s] = sum(self.m[f] for f in members[s] if self.firms[f]["kind"] == "foreign")

        def weighted(values):
            return sum(values[s] * self.M[s] for s in live) / wsum if wsum > 0 else 0.0

        smes = [f for f in self.firms if self.alive[f] and self.firms[f]["kind"] == "sme"]
        users = [f for f in self.firms if self.alive[f] and not self.is_operator(f)]
        lock = {f: 0.0 for f in users}
        for k, (g, _, u, l) in enumerate(self.uses):
            if g in lock and self.edge_on(k):
                lock[g] += u * l
        dep = [min(1.0, lock[f]) for f in users]
        T = sorted(self.T.values())
        nonhub0 = sum(self.T0[z] for z, r in self.zones.items() if not r["hub"])
        plats = [q for q in self.platforms if self.pa[q]]
        zones = [z for z in self.zones if self.za[z]]
        alive = [f for f in self.firms if self.alive[f]]
        per_zone = sorted((sum(1 for f in alive if self.zone_of[f] == z) for z in self.zones),
                          reverse=True)
        leader = {s: max(self.m[f] for f in members[s]) for s in live}
        n_alive = max(len(alive), 1)
        return {
            "hhi_mean": weighted(hhi), "hhi_max": max(hhi.values()) if hhi else 0.0,
            "cr4_mean": weighted(cr4), "active_smes": len(smes),
            "active_foreign": sum(1 for f in self.firms if self.alive[f] and
                                  self.firms[f]["kind"] == "foreign"),
            "entries": self.events[0], "exits": self.events[1],
            "acquisitions": self.events[2], "entries_cum": self.cum[0],
            "exits_cum": self.cum[1], "acquisitions_cum": self.cum[2],
            "sme_capability_mean": sum(self.K[f] for f in smes) / len(smes) if smes else 0.0,
            "dependency_index": sum(dep) / len(dep) if dep else 0.0,
            "openness_mean": sum(self.o[q] for q in plats) / len(plats) if plats else 0.0,
            "standard_power_max": max(self.S[q] for q in plats) if plats else 0.0,
            "abuse_mean": sum(self.alpha[q] for q in plats) / len(plats) if plats else 0.0,
            "talent_gini": _gini(T),
            "talent_top3_share": (1.0 if len(T) <= 3 else sum(T[-3:]) / sum(T))
            if sum(T) > 0 else 0.0,
            "brain_drain_index": self.drain / nonhub0 if nonhub0 > 0 else 0.0,
            "experience_reach": sum(1 for z in zones if self.E[z] > 0.5) / len(zones)
            if zones else 0.0,
            "foreign_share": weighted(foreign),
            "adoption_mean": sum(self.adopt[q] for q in plats) / len(plats) if plats else 0.0,
            "cases_cum": self.cases,
            "data_advantage_mean": sum(
                (self.Dd[q] / self.D[q] if self.D[q] > 0 else 0.0) *
                (1 - self.p["data_protection"] * self.p["data_protection_use"])
                for q in plats) / len(plats) if plats else 0.0,
            "entries_nonhub_cum": 0,  # the reference runs without entry
            "sme_capability_nonhub": _mean([self.K[f] for f in smes
                                            if not self.zones[self.zone_of[f]]["hub"]]),
            "firms_alive": len(alive), "firms_index": len(alive) / max(self.firms_start, 1),
            "platforms_present": len(plats),
            "zones_present": len(zones), "leader_share_mean": weighted(leader),
            "top_zone_firm_share": per_zone[0] / n_alive if per_zone else 0.0,
            "top4_zone_firm_share": sum(per_zone[:4]) / n_alive,
            "hub_firm_share": sum(1 for f in alive if self.zones[self.zone_of[f]]["hub"]) /
            n_alive,
        }

    def node_state(self):
        """capability, talent (firms L, zones T), openness, lock-in per use edge, E."""
        return {"K": dict(self.K), "L": dict(self.L), "T": dict(self.T), "o": dict(self.o),
                "E": dict(self.E), "S": dict(self.S), "D": dict(self.D), "A": dict(self.A),
                "alive": dict(self.alive), "m": dict(self.m),
                "l": {(e[0], e[1]): e[3] for e in self.uses}}




def _mean(values):
    return sum(values) / len(values) if values else 0.0


def _gini(values):
    n, total = len(values), sum(values)
    if n < 2 or total <= 0:
        return 0.0
    ranked = sorted(values)
    return sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(ranked)) / (n * total)

