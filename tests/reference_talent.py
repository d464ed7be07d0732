"""The reference model's talent stages and exits (tests/reference_model.py)."""
from __future__ import annotations

import math


class TalentStages:
    def _firm_talent(self):
        L = {f: 0.0 for f in self.firms}
        by_zone = {z: [] for z in self.zones}
        for f in self.firms:
            if self.alive[f]:
                by_zone[self.zone_of[f]].append(f)
        for z, members in by_zone.items():
            total = sum(self.R[f] for f in members)
            for f in members:
                share = self.R[f] / total if total > 0 else 1 / len(members)
                L[f] = self.p["employment_share"] * self.H[z] * share
        return L

    def _talent(self):
        p = self.p
        att, revenue = {}, {z: 0.0 for z in self.zones}
        for f in self.firms:
            if self.alive[f]:
                revenue[self.zone_of[f]] += self.R[f]
        for z, r in self.zones.items():
            att[z] = p["amenity_weight"] * r["amenity"] + p["revenue_pull"] * revenue[z] / (self.T[z] + 1) + \
                p["hub_bonus"] * (1 if r["hub"] else 0) - \
                p["congestion"] * math.log(1 + self.T[z] / p["talent_ref"])
        flow = {z: 0.0 for z in self.zones}
        skill = {z: 0.0 for z in self.zones}
        for y, ry in self.zones.items():
            pull = sum(max(att[w] - att[y], 0) for w in self.zones)
            stay = 1 - p["talent_retention"] * (0 if ry["hub"] else 1)
            for z in self.zones:
                share = p["migration_rate"] * stay * max(att[z] - att[y], 0) / \
                    (pull + p["attraction_scale"])
                F = share * self.T[y]
                flow[y] -= F
                flow[z] += F
                G = share * p["migrant_selectivity"] * self.H[y]  # the movers' skill
                skill[y] -= G
                skill[z] += G
        for z, r in self.zones.items():
            if not r["hub"]:
                self.drain -= flow[z]
            self.T[z] = (self.T[z] + flow[z]) * (1 + p["talent_growth"])
            self.H[z] = max(self.H[z] + skill[z], 0.0) * (1 + p["talent_growth"])
        self.L = self._firm_talent()

    def _exit(self):
        p = self.p
        count = {s: len(members) for s, members in self.members().items()}
        for f, r in self.firms.items():
            if not self.alive[f] or r["kind"] == "leader" or self.is_operator(f):
                self.counter[f] = 0
                continue
            if self.m[f] * count[r["subfield"]] < p["exit_share"]:
                self.counter[f] += 1
            else:
                self.counter[f] = 0
        for f in self.firms:
            if self.counter[f] >= p["exit_patience"]:
                self.alive[f] = False
                self.counter[f] = 0
                self.events[1] += 1

    def _experience(self, K_before, smes_start):
        p = self.p
        new_E, new_P, by_zone = {}, {}, {z: [] for z in self.zones}
        for f in smes_start:
            by_zone[self.zone_of[f]].append(self.K[f] - K_before[f])
        for z in self.zones:  # observed results (no entrants in the reference)
            gains = by_zone[z]
            result = sum(gains) / len(gains) if gains else 0.0
            self.Rz[z] = 0.75 * self.Rz[z] + 0.25 * result
        rate = p["replication_support"] * p["replication_speed"]
        for z in self.zones:  # copy the practices of partners that do better
            n = len(self.neighbours[z])
            moved = sum(rate * w / n * (self.P[y] - self.P[z])
                        for y, w in self.neighbours[z] if self._copies(z, y))
            new_P[z] = min(max(self.P[z] + moved, 0.0), 1.0)
        for z in self.zones:
            if not self.za[z]:  # not (or no longer) a pilot zone: learns nothing
                new_E[z] = self.E[z]
                continue
            gains = by_zone[z]
            mean_gain = sum(gains) / len(gains) if gains else 0.0
            pulls = [w * max(self.E[y] - self.E[z], 0) * self._copies(z, y)
                     for y, w in self.neighbours[z]]
            spread = sum(pulls) / len(pulls) if pulls else 0.0
            value = self.E[z] + p["replication_support"] * p["replication_speed"] * spread + \
                p["experience_learning"] * max(mean_gain, 0)
            new_E[z] = min(max(value, 0.0), 1.0)
        self.E, self.P = new_E, new_P

    def _copies(self, z, y):
        """Zone z learns from partner y: both present, their link present, y doing better."""
        return bool(self.za[z] and self.za[y] and self.link_on(y, z) and self.Rz[y] > self.Rz[z])

    # ---- metrics ----------------------------------------------------------------------
