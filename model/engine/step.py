"""One step (a quarter) of MODEL.md section 4, in its twelve stages, on whole arrays.

Each stage reads and writes the `State` in place. Randomness comes only from the three
generators of the run (noise, acquisitions, entry), so that a change in one mechanism does
not shift the random numbers of another (common random numbers across scenarios).

Speed: a step is a few dozen passes over the firm and edge arrays and no Python loop over
firms or edges. Sums over edges are factored by platform where the factor is per platform
(openness, rationing, quality), so that an edge pass is a gather, a product and a
bincount. Stages that can change nothing (no acquisition possible, no entry) return
before touching the arrays. The events (stages 8, 10, 11) are in `events.py`.
"""
from __future__ import annotations

import numpy as np

from model.engine import kernels as k
from model.engine.events import acquisitions, entry, exits
from model.engine.snapshot import CompiledNetwork, Coefficients
from model.engine.state import State, refresh_market

RENT_CAP = 0.9  # MODEL.md 4.3: no firm pays more than 90 % of its platform growth
RENT_EDGE_SHARE = 1 / 3  # above this share of edges claiming rent, sum over all edges


class Streams:
    """The run's random generators, one per mechanism, all from one seed: the children
    of SeedSequence(seed).spawn(3). Each is made when first used (a run without noise,
    acquisitions or entry never pays for making it)."""

    MECHANISMS = ("noise", "acquisitions", "entry")

    def __init__(self, seed: int):
        self.seed = seed
        self._children = None

    @classmethod
    def from_seed(cls, seed: int) -> Streams:
        return cls(seed)

    def __getattr__(self, name: str) -> np.random.Generator:
        if name not in Streams.MECHANISMS:
            raise AttributeError(name)
        if self._children is None:
            self._children = np.random.SeedSequence(self.seed).spawn(3)
        generator = np.random.default_rng(self._children[Streams.MECHANISMS.index(name)])
        setattr(self, name, generator)  # found directly from now on
        return generator


def advance(st: State, net: CompiledNetwork, co: Coefficients, rng: Streams) -> None:
    """Move the state one step forward; `st.events` counts its entries, exits, acquisitions."""
    st.step += 1
    st.events = [0, 0, 0]  # a new list: a copied state shares its lists with the original
    n_start, gain_weight = st.n, st.gain_weight  # stage 12: SMEs at the step's start
    st.Q = st.Q_next  # 1: computed after the last platform growth
    a_other, a_own = _access(st)  # 2
    gain = _capability(st, net, co, a_other, a_own, rng)  # 3
    st.market *= 1.0 + co.market_growth  # 4
    refresh_market(st, net, co)
    _lock_in(st, net)  # 5
    _abuse(st, net, co)  # 6
    _platform_growth(st, net, co, a_other, a_own)  # 7
    acquisitions(st, net, co, rng)  # 8
    _talent(st, net, co)  # 9
    exits(st, net, co)  # 10
    entry(st, net, co, rng)  # 11
    _experience(st, net, co, gain, gain_weight, n_start)  # 12
    st.cum = [total + now for total, now in zip(st.cum, st.events)]


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
    return st.o * other_r, st.own_u * own_r


def _capability(st, net, co, a_other, a_own, rng):
    """K += dK (4.3); returns each firm's gain (0 for dead firms)."""
    K = st.K
    gross = _platform_gain(st, a_other, a_own, st.Q * co.beta_platform)
    bracket = K * -co.depreciation
    bracket += gross
    tau = co.rent_rate * (1.0 - co.data_protection_rent * co.data_protection)
    if tau > 0 and st.abusive:
        _rent(st, net, gross, bracket, tau)
    if len(net.col_a):
        bracket += _collaboration(st, net)
    talent = st.L + co.talent_half
    np.divide(st.L, talent, out=talent)
    talent *= co.beta_talent
    bracket += talent
    bracket += (st.zone_coef * st.E).take(st.zone, mode="clip")
    if co.noise_sigma > 0:
        bracket *= st.shocks[k.shock_draws(rng.noise, st.n)]
    bracket *= st.alive
    gain = np.maximum(bracket, np.negative(K), out=bracket)  # K never goes below 0
    K += gain
    return gain


def _platform_gain(st, a_other, a_own, Qb):
    """sum over each firm's edges of access * Q_p beta: others' edges weigh
    wo * a_other[p], an operator's own edge a_own[p]. Both factors sit in one array of
    2P, which `ep2` indexes (P + p on own edges) and `wa` weighs (wo, or 1 on own edges)."""
    per = np.concatenate((a_other, a_own))
    halves = per.reshape(2, len(Qb))
    halves *= Qb
    on_edges = per.take(st.ep2)
    on_edges *= st.wa
    return k.group_sum(st.ef, on_edges, st.n)


def _rent(st, net, gross, bracket, tau):
    """Rent on the platform growth of dependants, split among operators by claim: the
    claim of p on an edge is tau alpha_p u l (ulA: alive, not own). Only the edges of
    abusive platforms claim, often a few: the sums run over those edges alone."""
    rate = tau * st.alpha
    claim = rate.take(st.ep)
    edges = (claim > 0).nonzero()[0]  # 1-D: faster than np.flatnonzero on small arrays
    if not len(edges):
        return
    if len(edges) > RENT_EDGE_SHARE * st.ne:  # many abuse: whole-array passes are cheaper
        _rent_on_all_edges(st, net, gross, bracket, rate, claim)
        return
    firms = st.ef[edges]
    claim = claim[edges]
    claim *= st.ulA[edges]
    firm_claim = np.bincount(firms, claim, st.n).take(firms)  # each edge's firm's claim
    part = np.minimum(firm_claim, RENT_CAP)  # rent paid per unit of claim: min(c, cap) / c
    part *= gross.take(firms)
    firm_claim += firm_claim <= 0
    part /= firm_claim
    part *= claim  # this edge's part of its firm's rent
    bracket -= np.bincount(firms, part, st.n)
    st.to_operators(bracket, np.bincount(st.ep[edges], part, net.n_platforms))


def _rent_on_all_edges(st, net, gross, bracket, rate, claim):
    ep, ef, ulA = st.ep, st.ef, st.ulA
    claim *= ulA
    claim_i = np.bincount(ef, claim, st.n)
    paid = np.minimum(claim_i, RENT_CAP)
    paid *= gross
    claim_i += claim_i <= 0  # paid share of one unit of claim, 0 without claims
    per_claim = np.divide(paid, claim_i, out=claim_i)
    share = per_claim.take(ef)
    share *= ulA
    to_platform = np.bincount(ep, share, net.n_platforms)
    to_platform *= rate
    bracket -= paid
    st.to_operators(bracket, to_platform)


def _collaboration(st, net):
    """gamma * mean over alive partners j of g_ij (K_j - K_i)+, for every firm."""
    K = st.K
    gap = K.take(net.col_b)
    gap -= K.take(net.col_a)
    np.maximum(gap, 0.0, out=gap)
    gap *= st.col_w  # gamma g / alive partners of i, 0 unless both ends are alive
    return np.bincount(net.col_a, gap, st.n)


def _lock_in(st, net):
    """Lock-in grows on every use edge of an alive firm; standard power follows (4.5)."""
    l = st.l  # l + (1 - l) wr as l (1 - wr) + wr: <= 1 after rounding too, as
    l *= st.wk  # fl(1 - wr) + wr rounds to at most 1; wr = u * lock_in_rate, 0 for the dead
    l += st.wr
    np.multiply(l, st.wl, out=st.ulA)
    st.S = k.standard_power(st.ep, st.ulA, net.n_platforms, st.rivals)


def _abuse(st, net, co):
    """Abuse above the threshold cuts openness; enforcement restores it (4.6)."""
    st.alpha = k.abuse_level(st.S, st.abuse_slope, co.abuse_threshold, st.abuse_cap)
    st.abusive = k.any_positive(st.alpha)
    # o - cut alpha + restore e (o_0 - o), with the constant parts precomputed
    moved = st.o * st.open_keep
    moved += st.open_pull
    if st.abusive:
        moved -= co.openness_cut * st.alpha
    st.o = np.minimum(np.maximum(moved, co.openness_floor, out=moved), 1.0, out=moved)


def _platform_growth(st, net, co, a_other, a_own):
    """Data from users' capability-weighted access, algorithms from the operator (4.7)."""
    weighted = st.K.take(st.ef, mode="clip")
    weighted *= st.wo
    op_K = st.K.take(net.plat_op)
    used = k.group_sum(st.ep, weighted, net.n_platforms)
    used *= a_other
    used += a_own * op_K
    used *= st.data_coef
    st.D = st.D + used
    op_K *= st.algo_coef
    st.A = st.A + op_K
    st.Q_next = st.quality()  # next step's quality, and the entry odds


def _talent(st, net, co):
    """Migration toward attractive zones, then firm talent from revenue (4.9)."""
    Z = net.n_zones
    if Z == 0:
        return
    mz = k.group_sum(st.zone, st.m, Z)  # revenue per zone over the market size M
    att = (co.revenue_pull * st.market) * mz / (st.T + 1.0)
    att += st.att0
    out, into = k.migration(st.T, att, st.flow_rate, 1.0, co.attraction_scale)  # chi in it
    moved = out - into
    st.drain += k.dot(moved, st.nonhub_f)
    st.T = st.T - moved
    if co.talent_growth:
        st.T *= 1.0 + co.talent_growth
    k.allocate_talent(st.T, st.zone, st.m, st.alive, st.count_zone, co.employment_share,
                      mz, out=st.L)  # L shares talent by revenue, that is by m


def _experience(st, net, co, gain, gain_weight, n_start):
    """Experience diffuses along exchange links and grows with local SME gains (4.12).
    `gain` is 0 for firms dead at the step's start; `gain_weight`: the learning rate over
    the SMEs alive then, per zone."""
    Z = net.n_zones
    if Z == 0:
        return
    learned = k.group_sum(st.sme_zone_bin[:n_start], gain, Z + 1)[:Z]  # bin Z: not SMEs
    learned *= gain_weight  # learning rate / SMEs of the zone: its mean gain's effect
    np.maximum(learned, 0.0, out=learned)
    E = st.E
    if len(net.ex_a):
        pulled = E[net.ex_b] - E[net.ex_a]
        np.maximum(pulled, 0.0, out=pulled)
        pulled *= st.ex_weight  # w * replication support / exchange partners
        learned += np.bincount(net.ex_a, pulled, Z)
    learned += E  # >= 0 as E, spread and learning are: only the upper clip can bind
    st.E = np.minimum(learned, 1.0, out=learned)
