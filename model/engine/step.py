"""One step (a quarter) of MODEL.md section 4, in its twelve stages, on whole arrays.

Each stage reads and writes the `State` in place, for every run of its batch at once.
Randomness comes only from each run's counter-based streams (draws.py), one per mechanism
(noise, acquisitions, entry, enforcement, zones), so that a change in one mechanism does
not shift the random numbers of another (common random numbers across scenarios), and a
run draws the same numbers alone or in a batch.

Speed: a step is a few dozen passes over the firm and edge arrays and no Python loop over
firms, edges or runs (the draws of every run are one hashing pass). Sums over edges are factored by platform where the
factor is per platform (openness, rationing, quality), so that an edge pass is a gather,
a product and a bincount. Stages that can change nothing (no acquisition possible, no
entry) return before touching the arrays. Stage 3 (capability) is in `capability.py`,
the events (stages 8, 10, 11) in `events.py`.
"""
from __future__ import annotations

import numpy as np

from model.engine import draws
from model.engine import kernels as k
from model.engine import parallel
from model.engine import zones
from model.engine.capability import capability
from model.engine.events import acquisitions, entry, exits
from model.engine.snapshot import CompiledNetwork, Coefficients
from model.engine.state import State, refresh_market



class Streams:
    """The random numbers of a batch's runs: each run's base key from its seed (draws.py).
    A mechanism's numbers at a step are a hash of (key, mechanism, step, index), drawn
    for every run of the batch in one pass and the same in a run alone."""

    def __init__(self, seeds):
        self.seeds = np.asarray(seeds, dtype=np.uint64).reshape(-1)
        self.base = draws.seed_keys(self.seeds)

    def __len__(self) -> int:
        return len(self.base)

    def keys(self, mechanism: int, step: int) -> np.ndarray:
        """(runs,) keys of the mechanism's numbers at the step."""
        return draws.stream_keys(self.base, mechanism, step)


def advance(st: State, net: CompiledNetwork, co: Coefficients,
            streams: Streams) -> None:
    """Move every run one step forward; `st.events[r]` counts run r's entries, exits and
    acquisitions. `streams`: the runs' random numbers."""
    st.step += 1
    st.events = np.zeros((st.runs, 3), dtype=np.int64)
    gain_weight = st.gain_weight  # stage 12: over the SMEs alive at the step's start
    sme_inv = st.sme_inv  # 1 / SMEs per zone at the step's start (observed results)
    st.entered = 0.0  # entrants per zone this step (entry sets them)
    if st.step == 1:
        zones.set_practices(st, co, streams)  # each pilot zone's local practice
    st.Q = st.Q_next  # 1: computed after the last platform growth
    a_other, a_own = _access(st)  # 2
    st.value = st.Q * a_other  # what a unit of use gives a dependant (for 11 and 13)
    gain = capability(st, net, co, a_other, a_own, streams)  # 3
    st.market = st.market * (1.0 + co.market_growth)  # 4 (one value per run, or all)
    learned, _ = parallel.both(  # 12's SME gains, binned before entrants move slots
        lambda: _sme_gains(st, net, gain), lambda: refresh_market(st, net, co),
        parallel.enabled(st))  # (independent: one reads the gains, one writes shares)
    _lock_in(st, net, co)  # 5
    _abuse(st, net, co, streams)  # 6
    _platform_growth(st, net, co, a_other, a_own)  # 7
    acquisitions(st, net, co, streams)  # 8
    _talent(st, net, co)  # 9
    exits(st, net, co)  # 10
    entry(st, net, co, streams)  # 11
    _experience(st, net, co, learned, gain_weight, sme_inv)  # 12
    _choose(st, co)  # 13: the use of next quarter
    st.cum = st.cum + st.events


def _access(st):
    """Access per unit of demand weight after compute congestion (4.2), per platform:
    (for others' edges, times wo = u * parity: o_p * their ratio; for the operator's own
    edge: u * its ratio). Others' total demand on p is o_p * W_p."""
    other_d = st.o * st.W
    demand = other_d + st.own_u
    if st.own_demand:  # demand > 0 everywhere: min(1, C / demand) needs no guard
        shared = np.minimum(st.Cp, demand)
        shared /= demand
    else:
        shared = k.ratio_capped(st.Cp, demand)
    if st.abusive:  # abusive operators serve themselves first
        first = st.alpha > 0
        own_r, other_r = shared.copy(), shared.copy()
        np.copyto(own_r, st.own_first, where=first)  # cheaper than np.where here
        np.copyto(other_r, k.ratio_capped(st.own_left, other_d), where=first)
    else:
        own_r = other_r = shared
    if st.presence is not None:  # a platform not present gives no access (presence.py)
        return st.o * other_r * st.pa, st.own_u * own_r * st.pa
    return st.o * other_r, st.own_u * own_r


def _lock_in(st, net, co):
    """Lock-in moves toward use on every edge of an alive firm: it grows at the lock-in
    rate (slowed by interoperability) while below u, decays while above (4.5); standard
    power follows. l stays in [0, 1]: it moves toward u in [0, 1] by a share <= 1."""
    grow, decay = st.lay(st.lock_grow, "edge"), st.lay(co.lock_in_decay, "edge")

    def edges(part):
        l = st.l[part]
        gap = st.u[part] - l
        rate = np.where(gap > 0, grow if np.ndim(grow) == 0 else grow[part],
                        decay if np.ndim(decay) == 0 else decay[part])
        gap *= rate
        gap *= st.ea[part]
        l += gap
        np.multiply(l, st.wl[part], out=st.ulA[part])

    parallel.over(edges, len(st.l), parallel.enabled(st))
    st.S = k.standard_power(st.ep, st.ulA, len(st.S), st.rivals)


def _abuse(st, net, co, streams):
    """Operators choose their abuse against the expected penalty; open cases are decided
    and remedied; abuse may be detected; openness follows (4.6, docs/ODD.md)."""
    if st.case_left.any():
        _decide_cases(st, net, co)
    st.alpha = k.abuse_level(st.S, st.abuse_slope,
                             st.lay(co.abuse_threshold, "plat"), st.abuse_cap)
    if st.comply_left.any():  # under a decision's commitments: no abuse
        complying = st.comply_left > 0
        st.alpha[complying] = 0.0
        st.comply_left -= complying
    st.abusive = k.any_positive(st.alpha)
    if st.abusive:
        _detect(st, co, streams)
    # o - cut alpha + restore e (o_0 - o), with the constant parts precomputed
    moved = st.o * st.lay(st.open_keep, "plat")
    moved += st.open_pull
    if st.abusive:
        moved -= st.lay(co.openness_cut, "plat") * st.alpha
    st.o = np.minimum(np.maximum(moved, st.lay(co.openness_floor, "plat"), out=moved), 1.0,
                      out=moved)


def _decide_cases(st, net, co):
    """Cases whose delay ends this quarter: the operator is fined F times the gravity of
    its abuse (as a share of its capability: revenue it cannot invest), openness goes
    back to at least its drawn value, and abuse stops for the compliance period."""
    open_case = st.case_left > 0
    st.case_left -= open_case
    decided = np.flatnonzero(open_case & (st.case_left == 0))
    if not len(decided):
        return
    fine = st.lay(co.fine_rate, "plat")
    fine = fine if np.ndim(fine) == 0 else fine[decided]
    np.multiply.at(st.K, st.plat_op[decided], 1.0 - np.minimum(fine * st.case_gravity[decided],
                                                               1.0))
    st.o[decided] = np.maximum(st.o[decided], st.open0_tiled[decided])
    period = st.lay(co.compliance_period, "plat")
    st.comply_left[decided] = period if np.ndim(period) == 0 else period[decided]
    st.case_gravity[decided] = 0.0
    st.cases = st.cases + np.bincount(st.run_of_plat[decided], minlength=st.runs)


def _detect(st, co, streams):
    """Each abusing platform without an open case is detected with chance d_e e a_p: one
    uniform per platform per quarter from the run's enforcement numbers (number p for
    platform p of the run)."""
    chance = st.lay(st.detect, "plat") * st.alpha
    draw = draws.block_uniforms(streams.keys(draws.ENFORCEMENT, st.step), st.n_plat).reshape(-1)
    found = (draw < chance) & (st.case_left == 0)
    if found.any():
        delay = st.lay(co.remedy_delay, "plat")
        delay = delay if np.ndim(delay) == 0 else delay[found]
        st.case_left[found] = np.maximum(delay, 1)
        st.case_gravity[found] = st.alpha[found]


def _choose(st, co):
    """Each dependant re-decides a share lambda of its use of each platform it is linked
    to: a binary logit between the platform and its outside option (docs/ODD.md,
    "Platform choice"). Operators keep their own use; dead firms choose nothing. The
    demand and dependency weights follow the new use.

    The utility is factored by platform, V = A_p par + B_p l + C_p on each edge, so that
    an edge pass is three gathers and a few products (the per-platform terms are small)."""
    if not st.ne:
        return
    tau = co.rent_rate * (1.0 - co.data_protection_rent * co.data_protection)
    sticky = st.lay(st.sticky, "plat")
    per_value = st.lay(co.choice_quality, "plat") * st.value  # A: access value
    per_lock = sticky * st.lay(co.switching_cost, "plat")  # B: switching cost, less rent
    per_lock = per_lock - st.lay(co.choice_rent * tau, "plat") * st.alpha
    rest = st.lay(co.exclusivity, "plat") * st.alpha  # C: exclusivity, pull, outside
    rest += sticky * st.lay(co.network_effect, "plat") * st.adopt
    rest -= st.lay(co.outside_option, "plat")
    redecide = st.lay(co.redecision_rate, "edge")

    def edges(part):
        ep, l, u, epar, wo, wl = (st.ep[part], st.l[part], st.u[part], st.epar[part],
                                  st.wo[part], st.wl[part])
        utility = per_value.take(ep)
        utility *= epar
        lock = per_lock.take(ep)
        lock *= l
        utility += lock
        utility += rest.take(ep)
        move = k.logistic(utility)
        move -= u
        move *= redecide if np.ndim(redecide) == 0 else redecide[part]
        move *= wl > 0  # alive dependants' edges: operators keep their use, the dead none
        u += move
        np.multiply(u, epar, out=wo)
        wo *= st.ea[part]
        np.multiply(u, st.notown[part], out=wl)
        wl *= st.ea[part]
        np.add(wo, st.ownf[part], out=st.wa[part])
        np.multiply(l, wl, out=st.ulA[part])

    split = parallel.enabled(st)
    parallel.over(edges, len(st.ep), split)
    st.W, st.adopt = parallel.both(
        lambda: k.group_sum(st.ep, st.wo, len(st.W)),
        lambda: k.standard_power(st.ep, st.wl, len(st.S), st.rivals), split)


def _platform_growth(st, net, co, a_other, a_own):
    """Data from users' capability-weighted access, algorithms from the operator (4.7)."""
    weighted = np.empty(len(st.ef))

    def edges(piece):
        mine = np.take(st.K, st.ef[piece], out=weighted[piece], mode="clip")
        mine *= st.wo[piece]

    parallel.over(edges, len(weighted), parallel.enabled(st))
    op_K = st.K.take(st.plat_op)
    used = k.group_sum(st.ep, weighted, len(a_other))
    used *= a_other
    used *= st.lay(st.data_coef, "plat")  # from dependants: the operator's data advantage
    st.Dd = st.Dd + used
    used += a_own * op_K * st.lay(st.data_coef, "plat")
    st.D = st.D + used
    op_K *= st.lay(st.algo_coef, "plat")
    if st.presence is not None:  # no platform yet: its operator builds no algorithms for it
        op_K *= st.pa
    st.A = st.A + op_K
    st.Q_next = st.quality()  # next step's quality, and the entry odds


def _talent(st, net, co):
    """Migration toward attractive zones, then firm talent from revenue (4.9)."""
    Z = net.n_zones
    if Z == 0:
        return
    mz = k.group_sum(st.zone, st.m, st.runs * Z)  # revenue per zone over the market size M
    att = st.lay(co.revenue_pull * st.market, "zone", cache=False) * mz / (st.T + 1.0)
    att += st.att0
    if np.any(co.congestion):  # dense zones cost more to live and hire in (docs/ODD.md 7.10)
        att -= congestion(st, co)
    out, into = k.migration(st.T, att, st.flow_rate, 1.0, co.attraction_scale, st.runs)
    moved = out - into
    st.drain += k.block_sum(moved * st.nonhub_f, st.runs)
    selective = np.any(co.migrant_selectivity != 1.0)
    if selective:  # the same flows, each mover carrying s times its zone's skill per head
        H = st.H * st.lay(co.migrant_selectivity, "zone")
        h_out, h_in = k.migration(H, att, st.flow_rate, 1.0, co.attraction_scale, st.runs)
        h_out -= h_in
        st.H = np.maximum(st.H - h_out, 0.0, out=H)
    st.T = st.T - moved
    if not selective:
        st.H = st.T  # every worker the same: founding talent is the headcount
    if np.any(co.talent_growth):
        st.T *= st.lay(1.0 + co.talent_growth, "zone")  # x 1.0 (a run without growth) is x
        if selective:
            st.H *= st.lay(1.0 + co.talent_growth, "zone")
    k.allocate_talent(st.H, st.zone, st.m, st.alive, st.count_zone,
                      st.lay(co.employment_share, "zone"), mz, out=st.L)  # L by revenue


def congestion(st, co) -> np.ndarray:
    """Per zone, c_cong log(1 + T / talent_ref): the attractiveness density takes away."""
    density = st.T / st.lay(co.talent_ref, "zone")
    return st.lay(co.congestion, "zone") * np.log1p(density)


def _sme_gains(st, net, gain):
    """Per zone, the summed stage-3 gain of its SMEs (`gain` is 0 for firms dead at the
    step's start); None without zones."""
    Z = net.n_zones
    if Z == 0:
        return None
    bins = k.group_sum(st.sme_zone_bin, gain, st.runs * (Z + 1))  # bin Z of a run: not SMEs
    return bins.reshape(st.runs, Z + 1)[:, :Z].reshape(-1)


def _experience(st, net, co, learned, gain_weight, sme_inv):
    """Zones observe their results and copy the practices of partners that do better
    (zones.py); experience diffuses from those partners and grows with local SME gains
    (4.12). `learned`: the SMEs' summed gains per zone; `gain_weight`: the learning rate
    over the SMEs alive at the step's start, per zone."""
    if learned is None:
        return
    zones.observe(st, co, learned, sme_inv)
    better = zones.better_partner(st) if len(st.ex_a) else None
    if better is not None:
        if st.presence is not None:  # only over links whose zones (and window) are present
            better *= st.ex_on
        zones.adopt(st, better)
    learned = learned * gain_weight  # learning rate / SMEs of the zone: its mean gain's effect
    np.maximum(learned, 0.0, out=learned)
    if st.presence is not None:  # a region that is not a pilot zone learns nothing
        learned *= st.za
    E = st.E
    if len(st.ex_a):
        pulled = E[st.ex_b] - E[st.ex_a]
        np.maximum(pulled, 0.0, out=pulled)
        pulled *= st.ex_weight  # w * replication support / exchange partners
        pulled *= better  # from the partners present whose practices worked
        learned += np.bincount(st.ex_a, pulled, len(E))
    learned += E  # >= 0 as E, spread and learning are: only the upper clip can bind
    st.E = np.minimum(learned, 1.0, out=learned)
