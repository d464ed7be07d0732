"""The reference model's market stages, per firm and per platform (tests/reference_model.py):
platform choice, adoption, access and capability, market shares, standard power, abuse
and platform growth."""
from __future__ import annotations

import math


class MarketStages:
    def _choose(self, sticky):
        """Each dependant's use moves a share lambda toward its logit choice."""
        p = self.p
        tau = p["rent_rate"] * (1 - p["data_protection_rent"] * p["data_protection"])
        for k, e in enumerate(self.uses):
            f, q, u, l = e
            if not self.edge_on(k) or self.operator[q] == f:
                continue
            par = self._parity(f, q)
            a = self.alpha[q]
            v = p["choice_quality"] * self.value[q] * par - p["choice_rent"] * tau * a * l + \
                p["exclusivity"] * a + sticky * (p["network_effect"] * self.adopt[q] +
                                                 p["switching_cost"] * l) - p["outside_option"]
            e[2] = u + p["redecision_rate"] * (1 / (1 + math.exp(-v)) - u)
        self.adopt = self._adoption()

    def _adoption(self):
        members = self.members()
        total = {q: 0.0 for q in self.platforms}
        for k, (f, q, u, _) in enumerate(self.uses):
            if self.edge_on(k) and f != self.operator[q]:
                total[q] += u
        return {q: min(total[q] / max(1, len(members[r["subfield"]]) - 1), 1.0)
                for q, r in self.platforms.items()}

    def _demand(self, k):
        f, q, u, _ = e = self.uses[k]
        if self.operator[q] == f:
            return u if self.alive[f] else 0.0
        if not self.edge_on(k):
            return 0.0
        return u * self.o[q] * self._parity(f, q)

    def _parity(self, f, q):
        """phi on a link with a foreign end: a foreign user, or a foreign-operated platform."""
        foreign = self.firms[f]["kind"] == "foreign" or \
            self.firms[self.operator[q]]["kind"] == "foreign"
        return self.p["foreign_access_parity"] if foreign else 1.0

    def _access(self):
        own_d = {q: 0.0 for q in self.platforms}
        other_d = {q: 0.0 for q in self.platforms}
        for k, e in enumerate(self.uses):
            target = own_d if self.operator[e[1]] == e[0] else other_d
            target[e[1]] += self._demand(k)
        own_r, other_r = {}, {}
        for q in self.platforms:
            cap = self.C[q]
            if self.alpha[q] > 0:
                own_r[q] = min(1.0, cap / own_d[q]) if own_d[q] > 0 else 1.0
                other_r[q] = min(1.0, max(cap - own_d[q], 0) / other_d[q]) \
                    if other_d[q] > 0 else 1.0
            else:
                total = own_d[q] + other_d[q]
                own_r[q] = other_r[q] = min(1.0, cap / total) if total > 0 else 1.0
        return [self._demand(k) * self.pa[e[1]] * (own_r[e[1]] if self.operator[e[1]] == e[0]
                                                   else other_r[e[1]])
                for k, e in enumerate(self.uses)], other_r

    def _capability(self, x, Q):
        p = self.p
        tau = p["rent_rate"] * (1 - p["data_protection_rent"] * p["data_protection"])
        gross = {f: 0.0 for f in self.firms}
        claims = {f: [] for f in self.firms}
        for k, (e, xe) in enumerate(zip(self.uses, x)):
            f, q, u, l = e
            gross[f] += p["beta_platform"] * xe * Q[q]
            if self.edge_on(k) and self.operator[q] != f:
                claims[f].append((q, tau * self.alpha[q] * u * l))
        earned = {}
        for f in self.firms:  # rent is taken on everything a firm earns
            gaps = [g * max(self.K[j] - self.K[f], 0) for j, g in self.partners[f]
                    if self.alive[j] and self.link_on(f, j)]
            collab = sum(gaps) / len(gaps) if gaps else 0.0
            z = self.zone_of[f]
            earned[f] = gross[f] + p["gamma_collab"] * collab + \
                p["beta_talent"] * self.L[f] / (self.L[f] + p["talent_half"]) + \
                p["beta_zone"] * self.E[z] * self.P[z] * self.za[z]
        received = {f: 0.0 for f in self.firms}
        paid = {}
        for f in self.firms:
            total = sum(c for _, c in claims[f])
            paid[f] = earned[f] * min(total, 0.9)
            for q, c in claims[f]:
                if total > 0:
                    received[self.operator[q]] += paid[f] * c / total
        new_K = {}
        for f in self.firms:
            if not self.alive[f]:
                continue
            dK = earned[f] - paid[f] + received[f] - p["depreciation"] * self.K[f] - \
                p["compliance_cost"] * p["data_protection"]
            new_K[f] = max(self.K[f] + dK, 0.0)
        self.K.update(new_K)

    def _market(self):
        p = self.p
        self.m, self.R = {f: 0.0 for f in self.firms}, {f: 0.0 for f in self.firms}
        for s, members in self.members().items():
            score = {}
            use = 1 - p["data_protection"] * p["data_protection_use"]
            for f in members:
                boost = 1 + sum(p["standard_bonus"] * self.S[q] + p["data_advantage"] *
                                (self.Dd[q] / self.D[q] if self.D[q] > 0 else 0.0) * use
                                for q in self.runs.get(f, ()))
                score[f] = self.K[f] ** p["score_exponent"] * boost
            total = sum(score.values())
            for f in members:
                self.m[f] = score[f] / total if total > 0 else 1 / len(members)
                self.R[f] = self.m[f] * self.M[s]

    def _renormalise(self):
        for f in self.firms:
            if not self.alive[f]:
                self.m[f] = self.R[f] = 0.0
        for s, members in self.members().items():
            total = sum(self.m[f] for f in members)
            for f in members:
                self.m[f] = self.m[f] / total if total > 0 else 1 / len(members)
                self.R[f] = self.m[f] * self.M[s]

    def _standard_power(self):
        members = self.members()
        total = {q: 0.0 for q in self.platforms}
        for k, (f, q, u, l) in enumerate(self.uses):
            if self.edge_on(k) and f != self.operator[q]:
                total[q] += u * l
        return {q: min(total[q] / max(1, len(members[r["subfield"]]) - 1), 1.0)
                for q, r in self.platforms.items()}

    def _abuse(self, S, q):
        """The operator's best abuse: gain g s against the private cost c a^2 / 2 and the
        expected fine d_e e a F a."""
        p = self.p
        level = min(max((S - p["abuse_threshold"]) / (1 - p["abuse_threshold"]), 0), 1)
        o0 = self.o0[q]
        left = min(max((o0 - p["openness_floor"]) / o0, 0.0), 1.0) if o0 > 0 else 0.0
        room = 1 - p["closing_share"] + p["closing_share"] * left  # the floor's bite
        margin = p["abuse_friction"] + 2 * p["detection_rate"] * \
            p["antitrust_enforcement"] * p["fine_rate"]
        return min(p["abuse_gain"] * room * level / margin, 1.0)

    def _platform_growth(self, x):
        p = self.p
        used = {q: 0.0 for q in self.platforms}
        dependants = {q: 0.0 for q in self.platforms}
        for e, xe in zip(self.uses, x):
            used[e[1]] += xe * self.K[e[0]]
            if self.operator[e[1]] != e[0]:
                dependants[e[1]] += xe * self.K[e[0]]
        rate = p["data_growth"] * (1 - p["data_protection"] * p["data_protection_data"]) / \
            p["data_ref"]
        for q in self.platforms:
            self.D[q] += rate * used[q]
            self.Dd[q] += rate * dependants[q]
            self.A[q] += p["algorithm_growth"] * self.K[self.operator[q]] / \
                p["capability_ref"] * self.pa[q]

