"""Stage 3 of a step (MODEL.md 4.3): each firm's capability grows by what it earns from
the platforms it uses, its collaborations, its talent and its zone's support, less
depreciation, rent to abusive operators and compliance costs, times its growth shock.
The long passes over firms and edges run in halves on two threads in a large single run
(parallel.py); the sums into groups stay whole.
"""
from __future__ import annotations

import numpy as np

from model.engine import draws
from model.engine import kernels as k
from model.engine import parallel

RENT_CAP = 0.9  # MODEL.md 4.3: no firm pays more than 90 % of its platform growth
RENT_EDGE_SHARE = 1 / 3  # above this share of edges claiming rent, sum over all edges


def capability(st, net, co, a_other, a_own, streams):
    """K += dK (4.3); returns each firm's gain (0 for dead firms). Rent is taken on what
    a firm earns (every growth term before depreciation), data protection's compliance
    cost is the same for every firm (docs/ODD.md)."""
    K = st.K
    earned = _platform_gain(st, a_other, a_own, st.Q * st.lay(co.beta_platform, "plat"))
    if len(st.col_a):
        earned += _collaboration(st)
    zone_gain = st.zone_coef * st.P * st.E  # support: the zone's practice
    if st.presence is not None:  # a region not (or no longer) a pilot zone adds nothing
        zone_gain *= st.za
    half, beta = st.lay(co.talent_half, "firm"), st.lay(co.beta_talent, "firm")
    keep = st.lay(-co.depreciation, "firm")
    bracket = np.empty_like(K)
    split = parallel.enabled(st)

    def firms_earn(part):
        L, gained = st.L[part], earned[part]
        talent = L + _at(half, part)
        np.divide(L, talent, out=talent)
        talent *= _at(beta, part)
        gained += talent
        gained += zone_gain.take(st.zone[part], mode="clip")
        mine = np.multiply(K[part], _at(keep, part), out=bracket[part])
        mine += gained

    parallel.over(firms_earn, len(K), split)
    tau = co.rent_rate * (1.0 - co.data_protection_rent * co.data_protection)
    if st.abusive and np.any(tau > 0):
        _rent(st, net, earned, bracket, st.lay(tau, "plat"))
    noise = streams.keys(draws.NOISE, st.step) if st.shocks is not None else None
    compliance = st.lay(st.compliance, "firm") if np.any(st.compliance > 0) else None

    def firms_grow(part):
        mine = bracket[part]
        if noise is not None:
            mine *= _shocks(st, noise, part)
        if compliance is not None:
            mine -= _at(compliance, part)
        mine *= st.alive[part]
        np.maximum(mine, np.negative(K[part]), out=mine)  # K never goes below 0
        K[part] += mine

    parallel.over(firms_grow, len(K), split)
    return bracket


def _at(value, part):
    """A laid coefficient's values on a part of the slots (a float: itself)."""
    return value if np.ndim(value) == 0 else value[part]


def _shocks(st, keys, part) -> np.ndarray:
    """The growth shock of each slot of `part`: a uniform 16-bit level per slot of its
    run's block (the slot's index in the block counts), from the run's noise numbers of
    the step (`keys`), looked up in the shock table (or, for runs with their own sigma,
    computed as the table would hold it; a run without noise gets 1). A batch's part is
    all its slots; a single run's may be a range starting on a multiple of 4."""
    if st.runs > 1:
        levels = draws.levels16(keys, st.fs).reshape(-1)
    else:
        levels = draws.levels16_range(keys, part.start, part.stop)
    if getattr(st.shocks, "drawn", None) is None:
        return st.shocks[levels]
    runs = st.shocks
    return runs.values(levels, _at(st.lay(runs.sigma, "firm"), part),
                       _at(st.lay(runs.half, "firm"), part), _at(st.lay(runs.mean, "firm"), part))


def _platform_gain(st, a_other, a_own, Qb):
    """sum over each firm's edges of access * Q_p beta: others' edges weigh
    wo * a_other[p], an operator's own edge a_own[p]. Both factors sit in one array of
    2 R P, which `ep2` indexes (R P + p on own edges) and `wa` weighs (wo, or 1 on own
    edges)."""
    per = np.concatenate((a_other, a_own))
    halves = per.reshape(2, len(Qb))
    halves *= Qb
    on_edges = np.empty(len(st.ep2))

    def edges(piece):  # ep2 is in range: mode "clip" gives the same values, unbuffered
        mine = np.take(per, st.ep2[piece], out=on_edges[piece], mode="clip")
        mine *= st.wa[piece]

    parallel.over(edges, len(on_edges), parallel.enabled(st))
    return k.group_sum(st.ef, on_edges, st.n)


def _rent(st, net, gross, bracket, tau):
    """Rent on the platform growth of dependants, split among operators by claim: the
    claim of p on an edge is tau alpha_p u l (ulA: alive, not own). Only the edges of
    abusive platforms claim, often a few: the sums run over those edges alone, or over
    all edges when many claim. Both give the same bits (the other edges add zeros), so a
    run's rent does not depend on the runs that share its batch."""
    rate = tau * st.alpha
    split = parallel.enabled(st)
    claim, claiming, counted = np.empty(len(st.ep)), np.empty(len(st.ep), dtype=bool), []

    def claims(piece):
        mine = np.take(rate, st.ep[piece], out=claim[piece], mode="clip")  # ep in range
        counted.append(np.count_nonzero(np.greater(mine, 0, out=claiming[piece])))

    parallel.over(claims, len(claim), split)
    if not sum(counted):
        return
    if sum(counted) > RENT_EDGE_SHARE * st.ne:  # many abuse: whole-array passes are cheaper
        firms, plats = st.ef, st.ep
        parallel.over(lambda piece: np.multiply(claim[piece], st.ulA[piece], out=claim[piece]),
                      len(claim), split)
        # per firm c (its claims' sum): rent paid per unit of claim, min(c, cap) gross / c
        firm_claim = np.bincount(firms, claim, st.n)
        per_unit = np.empty(st.n)

        def per_firm(piece):
            c = firm_claim[piece]
            unit = np.minimum(c, RENT_CAP, out=per_unit[piece])
            unit *= gross[piece]
            c += c <= 0
            unit /= c

        parallel.over(per_firm, st.n, split)
        share = np.empty(len(claim))

        def per_edge(piece):  # the same operations as per edge below, on fewer values
            mine = np.take(per_unit, firms[piece], out=share[piece], mode="clip")
            mine *= claim[piece]  # this edge's part of its firm's rent

        parallel.over(per_edge, len(claim), split)
    else:
        edges = claiming.nonzero()[0]  # 1-D: faster than np.flatnonzero on small arrays
        firms, plats = st.ef[edges], st.ep[edges]
        claim = claim[edges]
        claim *= st.ulA[edges]
        firm_claim = np.bincount(firms, claim, st.n).take(firms)  # each edge's firm's claim
        share = np.minimum(firm_claim, RENT_CAP)  # rent per unit of claim: min(c, cap) / c
        share *= gross.take(firms)
        firm_claim += firm_claim <= 0
        share /= firm_claim
        share *= claim  # this edge's part of its firm's rent
    paid, taken = parallel.both(lambda: np.bincount(firms, share, st.n),
                                lambda: np.bincount(plats, share, len(rate)), split)
    bracket -= paid
    st.to_operators(bracket, taken)


def _collaboration(st):
    """gamma * mean over alive partners j of g_ij (K_j - K_i)+, for every firm."""
    K = st.K
    gap = K.take(st.col_b)
    gap -= K.take(st.col_a)
    np.maximum(gap, 0.0, out=gap)
    gap *= st.col_w  # gamma g / alive partners of i, 0 unless both ends are alive
    return np.bincount(st.col_a, gap, st.n)
