"""A plain per-firm Python version of one step (docs/ODD.md and docs/MODEL_NOTES.md).

Dicts and loops: slow and obvious, written to check the array engine. It covers runs
without noise, entry and acquisitions (sigma = entry_rate = acquisition_rate = 0); the
detection of abuse draws from the run's enforcement stream, as the engine does.

The class is split by stage: the market stages (platform choice to platform growth) in
reference_market.py, talent and exits in reference_talent.py, the metrics in
reference_metrics.py; small random networks for the engine tests in reference_networks.py.
"""
from __future__ import annotations

from reference_market import MarketStages
from reference_metrics import ReferenceMetrics
from reference_networks import random_network  # noqa: F401 - the tests import it from here
from reference_talent import TalentStages

from model.engine import draws
from model.windows import ALWAYS, NEVER, window_indices


class ReferenceModel(MarketStages, TalentStages, ReferenceMetrics):
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



def _window(record):
    """(appears, vanishes) quarter indices of a node or edge record."""
    on = window_indices([record.get("appears") or ""], ALWAYS)[0]
    off = window_indices([record.get("vanishes") or ""], NEVER)[0]
    return int(on), int(off)



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

