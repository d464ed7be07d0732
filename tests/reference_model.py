"""A plain per-firm Python version of one step (docs/ODD.md and docs/MODEL_NOTES.md).

Dicts and loops: slow and obvious, written to check the array engine. It covers runs
without noise, entry and acquisitions (sigma = entry_rate = acquisition_rate = 0); the
detection of abuse draws from the run's enforcement stream, as the engine does.
"""
from __future__ import annotations

import math

import numpy as np

from model.engine import draws
from model.windows import ALWAYS, NEVER, window_indices


class ReferenceModel:
    def __init__(self, network, params, seed=7, start=None):
        """`start`: the quarter index of step 0, for networks whose elements appear or
        vanish (model/windows.py); None: every element always takes part."""
        p = self.p = dict(params)
        self.seed = seed  # the numbers of a mechanism at a step: _uniforms
        if p["noise_sigma"] or p["entry_rate"] or p["acquisition_rate"]:
            raise ValueError("the reference model runs without noise, entry and acquisitions")
        nodes = network.nodes.to_dict("records")
        self.platforms = {r["id"]: r for r in nodes if r["kind"] == "platform"}
        self.zones = {r["id"]: r for r in nodes if r["kind"] == "zone"}
        self.firms = {r["id"]: r for r in nodes if r["kind"] in ("leader", "sme", "foreign")}
        edges = network.edges.to_dict("records")
        self.operator = {e["target"]: e["source"] for e in edges if e["type"] == "operates"}
        self.zone_of = {e["source"]: e["target"] for e in edges if e["type"] == "located_in"}
        self.uses = [[e["source"], e["target"], e["weight"], e["lock_in"]]
                     for e in edges if e["type"] == "uses"]  # [firm, platform, u, l]
        self.use_window = [_window(e) for e in edges if e["type"] == "uses"]
        for q, op in self.operator.items():  # operators use their own platform, u = 1
            if not any(f == op and pq == q for f, pq, _, _ in self.uses):
                self.uses.append([op, q, 1.0, 0.0])
                self.use_window.append((ALWAYS, NEVER))
        self.window = {r["id"]: _window(r) for r in nodes}
        self.link_window = {(e["source"], e["target"]): _window(e) for e in edges}
        self.quarter = start
        self.absent = set()  # firms whose window is closed
        self.pa = {q: True for q in self.platforms}
        self.za = {z: True for z in self.zones}
        self.partners = {f: [] for f in self.firms}
        for e in edges:
            if e["type"] == "collaborates":
                self.partners[e["source"]].append((e["target"], e["weight"]))
                self.partners[e["target"]].append((e["source"], e["weight"]))
        self.neighbours = {z: [] for z in self.zones}
        for e in edges:
            if e["type"] == "exchange":
                self.neighbours[e["source"]].append((e["target"], e["weight"]))
                self.neighbours[e["target"]].append((e["source"], e["weight"]))
        self.operators = set(self.operator.values())
        self.runs = {f: [q for q, op in self.operator.items() if op == f] for f in self.operators}
        self.subfields = sorted({r["subfield"] for r in self.platforms.values()} |
                                {r["subfield"] for r in self.firms.values()})
        self.alive = {f: True for f in self.firms}
        if start is not None:
            self.set_quarter(start)
        self.firms_start = sum(self.alive.values())
        self._initial_state()

    # ---- presence ---------------------------------------------------------------------
    def _open(self, window):
        return self.quarter is None or window[0] <= self.quarter < window[1]

    def set_quarter(self, quarter):
        """Elements whose window closed leave, those whose window opened come in."""
        self.quarter = quarter
        self.pa = {q: self._open(self.window[q]) for q in self.platforms}
        self.za = {z: self._open(self.window[z]) for z in self.zones}
        for f in self.firms:
            want = self._open(self.window[f])
            if self.alive[f] and not want:
                self.alive[f] = False
                self.absent.add(f)
                if hasattr(self, "counter"):
                    self.counter[f] = 0
            elif f in self.absent and want:
                self.alive[f] = True
                self.absent.discard(f)
                if hasattr(self, "m"):
                    self.m[f] = 0.0

    def edge_on(self, k):
        """A use edge weighs while its firm is alive, its platform present, its window
        open."""
        f, q = self.uses[k][0], self.uses[k][1]
        return self.alive[f] and self.pa[q] and self._open(self.use_window[k])

    def link_on(self, a, b):
        window = self.link_window.get((a, b)) or self.link_window.get((b, a))
        return self._open(window)

    # ---- state at step 0 -------------------------------------------------------------
    def _initial_state(self):
        p = self.p
        self.K = {f: r["capability"] for f, r in self.firms.items()}
        self.counter = {f: 0 for f in self.firms}
        self.D = {q: r["data"] for q, r in self.platforms.items()}
        self.A = {q: r["algorithms"] for q, r in self.platforms.items()}
        self.Dd = {q: 0.0 for q in self.platforms}  # data from dependants' use
        self.o0 = {q: r["openness"] for q, r in self.platforms.items()}
        self.o = {q: min(max(v, p["openness_floor"]), 1.0) for q, v in self.o0.items()}
        self.C = {q: r["compute"] * (1 + p["compute_subsidy"])
                  for q, r in self.platforms.items()}
        raw = [(r["data"] * r["algorithms"] * r["compute"]) ** (1 / 3)
               for r in self.platforms.values()]
        mean = sum(raw) / len(raw) if raw else 0.0
        self.qnorm = mean if mean > 0 else 1.0
        self.T = {z: r["talent"] for z, r in self.zones.items()}
        self.T0 = dict(self.T)
        self.H = dict(self.T)  # founding talent: movers carry s_mig times their zone's skill
        self.P = {z: r["support"] for z, r in self.zones.items()}  # local practice
        self.Rz = {z: 0.0 for z in self.zones}  # observed results
        self.t = 0
        self.E = {z: r["experience"] for z, r in self.zones.items()}
        self.M = {s: p["market_size"] for s in self.subfields}
        self.drain = 0.0
        self.events = [0, 0, 0]
        self.cum = [0, 0, 0]
        self.S = self._standard_power()
        self.alpha = {q: self._abuse(s, q) for q, s in self.S.items()}
        self.case_left = {q: 0 for q in self.platforms}
        self.gravity = {q: 0.0 for q in self.platforms}
        self.comply = {q: 0 for q in self.platforms}
        self.cases = 0
        self.adopt = self._adoption()
        self.value = {q: 0.0 for q in self.platforms}
        self._market()
        self.L = self._firm_talent()

    def use_parameters(self, params):
        """The values of a new step (a schedule): compute follows the subsidy, openness the
        floor (a raised floor lifts it at once, as at step 0)."""
        p = self.p = dict(params)
        self.C = {q: r["compute"] * (1 + p["compute_subsidy"])
                  for q, r in self.platforms.items()}
        self.o = {q: min(max(v, p["openness_floor"]), 1.0) for q, v in self.o.items()}

    def is_operator(self, f):
        return f in self.operators

    def members(self):
        """Alive firms of each subfield (one pass over the firms)."""
        out = {s: [] for s in self.subfields}
        for f, r in self.firms.items():
            if self.alive[f]:
                out[r["subfield"]].append(f)
        return out

    def _uniforms(self, mechanism, n):
        """Numbers 0 .. n - 1 of the run's counter-based stream of a mechanism at this
        step (model/engine/draws.py, the engine's source of random numbers)."""
        keys = draws.stream_keys(draws.seed_keys([self.seed]), mechanism, self.t)
        return draws.block_uniforms(keys, n)[0].tolist()

    # ---- the step -----------------------------------------------------------------------
    def step(self):
        p = self.p
        self.events = [0, 0, 0]
        self.t += 1
        if self.t == 1 and p["practice_spread"] > 0:  # each zone's own practice
            drawn = self._uniforms(draws.ZONES, len(self.zones))
            for z, u in zip(self.zones, drawn):
                local = self.zones[z]["support"] + p["practice_spread"] * (2 * u - 1)
                self.P[z] = min(max(local, 0.0), 1.0)
        K_before = dict(self.K)
        smes_start = [f for f in self.firms if self.alive[f] and self.firms[f]["kind"] == "sme"]
        Q = {q: (self.D[q] * self.A[q] * self.C[q]) ** (1 / 3) / self.qnorm
             for q in self.platforms}
        x, ratio = self._access()
        self.value = {q: Q[q] * self.o[q] * ratio[q] * self.pa[q] for q in self.platforms}
        self._capability(x, Q)
        for s in self.M:
            self.M[s] *= 1 + p["market_growth"]
        self._market()
        sticky = 1 - p["interop_effect"] * p["interoperability"]
        for k, e in enumerate(self.uses):
            if self.edge_on(k):
                gap = e[2] - e[3]
                rate = p["lock_in_rate"] * sticky if gap > 0 else p["lock_in_decay"]
                e[3] += rate * gap
        self.S = self._standard_power()
        self._enforcement()
        e_ = p["antitrust_enforcement"]
        for q in self.platforms:
            moved = self.o[q] - p["openness_cut"] * self.alpha[q] + \
                p["enforcement_restore"] * e_ * (self.o0[q] - self.o[q])
            self.o[q] = min(max(moved, p["openness_floor"]), 1.0)
        self._platform_growth(x)
        self._talent()
        self._exit()
        self._experience(K_before, smes_start)
        self._renormalise()
        self._choose(sticky)
        self.cum = [a + b for a, b in zip(self.cum, self.events)]

    def _enforcement(self):
        """Cases decided (fine, openness restored, compliance), abuse chosen, detection."""
        p = self.p
        for q in self.platforms:
            if self.case_left[q] > 0:
                self.case_left[q] -= 1
                if self.case_left[q] == 0:
                    op = self.operator[q]
                    self.K[op] *= 1 - min(p["fine_rate"] * self.gravity[q], 1.0)
                    self.o[q] = max(self.o[q], self.o0[q])
                    self.comply[q] = int(p["compliance_period"])
                    self.gravity[q] = 0.0
                    self.cases += 1
        for q in self.platforms:
            self.alpha[q] = self._abuse(self.S[q], q)
            if self.comply[q] > 0:
                self.alpha[q] = 0.0
                self.comply[q] -= 1
        chance = {q: p["detection_rate"] * p["antitrust_enforcement"] * self.alpha[q]
                  for q in self.platforms}
        if any(c > 0 for c in chance.values()):
            drawn = self._uniforms(draws.ENFORCEMENT, len(self.platforms))
            for q, u in zip(self.platforms, drawn):
                if u < chance[q] and self.case_left[q] == 0:
                    self.case_left[q] = max(int(p["remedy_delay"]), 1)
                    self.gravity[q] = self.alpha[q]

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


def _window(record):
    """(appears, vanishes) quarter indices of a node or edge record."""
    on = window_indices([record.get("appears") or ""], ALWAYS)[0]
    off = window_indices([record.get("vanishes") or ""], NEVER)[0]
    return int(on), int(off)


def _mean(values):
    return sum(values) / len(values) if values else 0.0


def _gini(values):
    n, total = len(values), sum(values)
    if n < 2 or total <= 0:
        return 0.0
    ranked = sorted(values)
    return sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(ranked)) / (n * total)


def simulate(network, params, steps, params_at=None, seed=7, start=None):
    """Metrics of steps 0..steps and the final reference state. `params_at(t)`: the full
    parameter values during step t, for a scheduled run (then `params` is unused);
    `start`: the quarter index of step 0 when elements appear or vanish."""
    model = ReferenceModel(network, params_at(0) if params_at else params, seed, start)
    rows = [model.metrics()]
    states = [model.node_state()]
    for t in range(1, steps + 1):
        if start is not None:
            model.set_quarter(start + t)
        if params_at is not None:
            model.use_parameters(params_at(t))
        model.step()
        rows.append(model.metrics())
        states.append(model.node_state())
    return rows, states, model


# ---- small random networks for the engine tests ----------------------------------------

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
