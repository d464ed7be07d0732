"""One step (a quarter) of MODEL.md section 4, in its twelve stages, on whole arrays.

Each stage reads and writes the `State` in place. Randomness comes only from the three
generators of the run (noise, acquisitions, entry), so that a change in one mechanism does
not shift the random numbers of another (common random numbers across scenarios).
Hot loops use np.take and in-place arithmetic: a step over 100,000 firms is a few dozen
passes over arrays, with no Python loop over firms or edges.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.engine import kernels as k
from model.engine.snapshot import CompiledNetwork, Coefficients
from model.engine.state import ACQUIRED, EXITED, State, refresh_market

RENT_CAP = 0.9  # MODEL.md 4.3: no firm pays more than 90 % of its platform growth
QUARTILE = 0.75
ENTRY_CAP_BASE = 50.0  # safety cap on a zone's expected entrants per step:
ENTRY_CAP_SHARE = 0.05  # 50 + 5 % of its alive firms (never binding when calibrated)


@dataclass
class Streams:
    """The run's random generators, one per mechanism, all from one seed."""

    noise: np.random.Generator
    acquisitions: np.random.Generator
    entry: np.random.Generator

    @classmethod
    def from_seed(cls, seed: int) -> Streams:
        return cls(*(np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)))


def advance(st: State, net: CompiledNetwork, co: Coefficients, rng: Streams) -> None:
    """Move the state one step forward; `st.events` counts its entries, exits, acquisitions."""
    st.step += 1
    st.events[:] = 0
    ea = np.take(st.alive, st.ef).astype(float)  # edges of firms alive at the step's start
    sme_start = st.is_sme & st.alive
    sme_zone = st.sme_zone.copy()
    st.Q = np.cbrt(st.D * st.A * st.Cp) / net.q_norm  # 1 quality
    x = _access(st, net, ea)  # 2
    gain = _capability(st, net, co, x, ea, rng.noise)  # 3
    st.market *= 1.0 + co.market_growth  # 4
    refresh_market(st, net, co)
    _lock_in(st, net, co, ea)  # 5
    _abuse(st, net, co)  # 6
    _platform_growth(st, net, co, x)  # 7
    _acquisitions(st, net, co, ea, rng.acquisitions)  # 8
    _talent(st, net, co)  # 9
    _exit(st, co)  # 10
    n_start = len(sme_start)
    _entry(st, net, co, rng.entry)  # 11
    _experience(st, net, co, gain, sme_start, sme_zone, n_start)  # 12
    st.cum += st.events


def _access(st, net, ea):
    """Effective access x on every use edge, after compute congestion (4.2)."""
    ep = st.ep
    demand = np.take(st.o, ep)
    demand *= st.epar
    demand += st.ownf
    demand *= st.u
    demand *= ea
    P = net.n_platforms
    total = np.bincount(ep, demand, P)
    own = st.own_idx
    own_d = np.bincount(ep[own], demand[own], P)
    other_d = np.maximum(total - own_d, 0.0)
    shared = k.ratio_capped(st.Cp, total)
    first = st.alpha > 0  # abusive operators serve themselves first
    own_r = np.where(first, k.ratio_capped(st.Cp, own_d), shared)
    other_r = np.where(first, k.ratio_capped(np.maximum(st.Cp - own_d, 0.0), other_d), shared)
    if (other_r == 1.0).all() and (own_r == 1.0).all():
        return demand
    x = demand * np.take(other_r, ep)
    x[own] = demand[own] * own_r[ep[own]]
    return x


def _capability(st, net, co, x, ea, rng):
    """K += dK (4.3); returns each firm's gain (0 for dead firms)."""
    n, ep, ef, K = st.n, st.ep, st.ef, st.K
    gross = np.bincount(ef, x * np.take(st.Q, ep), n) * co.beta_platform
    bracket = K * -co.depreciation
    bracket += gross
    tau = co.rent_rate * (1.0 - co.data_protection_rent * co.data_protection)
    if tau > 0 and st.alpha.any():
        _rent(st, net, gross, bracket, tau, ea)
    if len(net.col_a):
        bracket[st.col_firms] += co.gamma_collab * _collaboration(st, net)
    talent = st.L + co.talent_half
    np.divide(st.L, talent, out=talent)
    talent *= co.beta_talent
    bracket += talent
    bracket += np.take(co.beta_zone * st.E * net.support, st.zone)
    if co.noise_sigma > 0:
        bracket *= st.shocks[rng.integers(0, k.SHOCK_LEVELS, n, dtype=np.uint16)]
    bracket *= st.alive
    gain = np.maximum(bracket, -K, out=bracket)  # K never goes below 0
    K += gain
    return gain


def _rent(st, net, gross, bracket, tau, ea):
    """Rent on the platform growth of dependants, split among operators by claim."""
    ep, ef = st.ep, st.ef
    claim = np.take(tau * st.alpha, ep)
    claim *= st.u
    claim *= st.l
    claim *= st.notown
    claim *= ea
    claim_i = np.bincount(ef, claim, st.n)
    paid = gross * np.minimum(claim_i, RENT_CAP)
    per_claim = paid / (claim_i + (claim_i <= 0))  # paid share of one unit of claim
    claim *= np.take(per_claim, ef)
    to_platform = np.bincount(ep, claim, net.n_platforms)
    bracket -= paid
    bracket[st.op_firms] += np.bincount(st.op_where, to_platform, len(st.op_firms))


def _collaboration(st, net):
    """mean over alive partners j of g_ij (K_j - K_i)+, for each firm of `st.col_firms`."""
    a, b = net.col_a, net.col_b
    both = st.alive[a] & st.alive[b]
    gap = np.maximum(st.K[b] - st.K[a], 0.0) * net.col_g * both
    size = len(st.col_firms)
    return k.safe_div(np.bincount(st.col_pos, gap, size), np.bincount(st.col_pos, both, size))


def _lock_in(st, net, co, ea):
    """Lock-in grows on every use edge of an alive firm; standard power follows (4.5)."""
    l = st.l
    rise = 1.0 - l
    rise *= st.u
    rise *= co.lock_in_rate * ea
    l += rise  # stays <= 1 in floating point too: (1 - l) * c <= 1 - l for c <= 1
    st.ul = st.u * l
    st.ul *= st.notown
    st.S = k.standard_power(st.ep, st.ul * ea, net.n_platforms,
                            st.count_sub[net.plat_sub] - 1.0)


def _abuse(st, net, co):
    """Abuse above the threshold cuts openness; enforcement restores it (4.6)."""
    e = co.antitrust_enforcement
    st.alpha = k.abuse_level(st.S, co.abuse_threshold, e)
    moved = st.o - co.openness_cut * st.alpha + co.enforcement_restore * e * (net.open0 - st.o)
    st.o = np.clip(moved, co.openness_floor, 1.0)


def _platform_growth(st, net, co, x):
    """Data from users' capability-weighted access, algorithms from the operator (4.7)."""
    used = np.bincount(st.ep, x * np.take(st.K, st.ef), net.n_platforms)
    st.D = st.D + co.data_growth * (1.0 - co.data_protection * co.data_protection_data) * \
        used / co.data_ref
    st.A = st.A + co.algorithm_growth * st.K[net.plat_op] / co.capability_ref


def _acquisitions(st, net, co, ea, rng):
    """Top-quartile dependants bought by the operators of the platforms they use (4.8)."""
    prob = co.acquisition_rate * st.S * (1.0 - co.antitrust_enforcement)
    active = prob > 0
    if not active.any():
        return
    ep, ef, S = st.ep, st.ef, len(st.count_sub)
    if active.all():  # the common case: skip the per-edge exposure
        exposed = None
        cand = st.eligible & st.alive & st.has_use
        need = np.flatnonzero(st.count_sub > 0)
    else:
        exposed = np.take(active, ep) * ea
        cand = (np.bincount(ef, exposed, st.n) > 0) & st.eligible
        need = np.flatnonzero(np.bincount(st.sub, cand, S))
    if not cand.any():
        return
    q75 = np.full(S, np.inf)
    q75[need] = k.quantile_by_group(st.K, st.alive, st.sub, st.count_sub, need, QUARTILE,
                                    st.grp, st.grp_count)
    cand &= st.K >= np.take(q75, st.sub)
    on_edges = np.take(cand, ef)
    if exposed is not None:
        on_edges &= exposed > 0
    idx = np.flatnonzero(on_edges)
    draw = rng.random(len(idx))
    p = prob[ep[idx]]
    hit = draw < p
    if not hit.any():
        return
    idx, race = idx[hit], draw[hit] / p[hit]
    firms = ef[idx]
    pick = np.lexsort((race, firms))  # a firm bought twice goes to the first bidder
    firms, idx = firms[pick], idx[pick]
    keep = np.concatenate([[True], firms[1:] != firms[:-1]])
    firms, plats = firms[keep], ep[idx[keep]]
    np.add.at(st.K, net.plat_op[plats], co.acquisition_transfer * st.K[firms])
    st.acquirer[firms] = plats
    st.events[2] = len(firms)
    _remove(st, firms, ACQUIRED)


def _remove(st, firms, status):
    """Firms leave: the mask clears, and the survivors' shares scale up to sum to 1."""
    lost = np.bincount(st.sub[firms], st.m[firms], len(st.count_sub))
    st.alive[firms] = False
    st.status[firms] = status
    st.left[firms] = st.step
    st.m[firms] = 0.0
    st.counter[firms] = 0
    st.count_sub -= np.bincount(st.sub[firms], minlength=len(st.count_sub))
    st.count_zone -= np.bincount(st.zone[firms], minlength=len(st.count_zone))
    st.sme_zone -= np.bincount(st.zone[firms], st.is_sme[firms], len(st.count_zone))
    left = 1.0 - lost
    if (left[lost > 0] < 1e-9).any():  # (almost) nothing left to scale: renormalise
        st.m[:] = k.normalise_shares(st.m, st.alive, st.sub, st.count_sub)
    else:
        np.multiply(st.m, np.take(1.0 / left, st.sub), out=st.m)
    st.R[:] = st.m * st.market


def _talent(st, net, co):
    """Migration toward attractive zones, then firm talent from revenue (4.9)."""
    Z = net.n_zones
    if Z == 0:
        return
    Rz = np.bincount(st.zone, st.R, Z)
    att = net.amenity + co.revenue_pull * Rz / (st.T + 1.0) + co.hub_bonus * net.hub
    stay = 1.0 - co.talent_retention * ~net.hub
    out, into = k.migration(st.T, att, stay, co.migration_rate, co.attraction_scale)
    st.drain += float((out - into)[~net.hub].sum())
    st.T = (st.T - out + into) * (1.0 + co.talent_growth)
    st.L[:] = k.allocate_talent(st.T, st.zone, st.R, st.alive, st.count_zone,
                                co.employment_share, Rz)


def _exit(st, co):
    """SMEs and foreign firms marginal for k_exit steps in a row exit (4.10)."""
    marginal = st.m * np.take(st.count_sub, st.sub) < co.exit_share
    marginal &= st.eligible
    marginal &= st.alive
    counter = st.counter
    counter += 1
    counter *= marginal
    if counter.max(initial=0) >= co.exit_patience:
        gone = np.flatnonzero(counter >= co.exit_patience)
        st.events[1] = len(gone)
        _remove(st, gone, EXITED)


def _entry(st, net, co, rng):
    """New SMEs per zone, on a platform drawn by subfield presence and quality (4.11)."""
    P, Z = net.n_platforms, net.n_zones
    if P == 0 or Z == 0:
        return
    lam = co.entry_rate * st.E * net.support * st.T / co.talent_ref * float(st.o.mean())
    counts = rng.poisson(np.minimum(lam, ENTRY_CAP_BASE + ENTRY_CAP_SHARE * st.count_zone))
    total = int(counts.sum())
    if total == 0:
        return
    cdf = np.cumsum(_entry_odds(st, net))
    plats = np.minimum(np.searchsorted(cdf, rng.random(total) * cdf[-1], side="right"), P - 1)
    first_edge = st.ne
    new = st.add_firms(total)
    subs = net.plat_sub[plats]
    zones = np.repeat(np.arange(Z), counts)
    _set_entrants(st, co, new, zones, subs)
    edges = slice(first_edge, first_edge + total)
    st._ef[edges] = np.arange(new.start, new.stop)
    st._ep[edges] = plats
    st._u[edges], st._l[edges] = co.entry_dependency, 0.0
    st._ownf[edges], st._notown[edges], st._epar[edges] = 0.0, 1.0, 1.0
    bounds = k.group_bounds(st.grp_count)
    st.grp = np.insert(st.grp, bounds[subs + 1], np.arange(new.start, new.stop))
    added = np.bincount(subs, minlength=len(st.grp_count))
    st.grp_count += added
    st.count_sub += added
    st.count_zone += counts
    st.sme_zone += counts
    st.events[0] = total


def _entry_odds(st, net):
    """P(platform) = P(subfield, by its number of platforms) * Q_p / sum of Q in it."""
    Q = np.cbrt(st.D * st.A * st.Cp) / net.q_norm  # quality after this step's growth
    qsum = np.bincount(net.plat_sub, Q, len(net.subfields))[net.plat_sub]
    within = np.where(qsum > 0, k.safe_div(Q, qsum), 1.0 / st.plat_count)
    return st.plat_count / net.n_platforms * within


def _set_entrants(st, co, new, zones, subs):
    st._K[new], st._L[new], st._m[new], st._R[new] = co.entry_capability, 0.0, 0.0, 0.0
    st._alive[new], st._is_sme[new], st._eligible[new], st._has_use[new] = True, True, True, True
    st._is_foreign[new], st._is_op[new] = False, False
    st._counter[new], st._status[new], st._acquirer[new], st._left[new] = 0, 0, -1, -1
    st._zone[new] = zones
    st._sub[new] = subs


def _experience(st, net, co, gain, sme_start, sme_zone, n_start):
    """Experience diffuses along exchange links and grows with local SME gains (4.12)."""
    Z = net.n_zones
    if Z == 0:
        return
    zone = st.zone[:n_start]
    mean_gain = k.safe_div(np.bincount(zone, gain[:n_start] * sme_start, Z), sme_zone)
    E = st.E
    spread = np.zeros(Z)
    if len(net.ex_a):
        pulled = np.maximum(E[net.ex_b] - E[net.ex_a], 0.0) * net.ex_w
        spread = k.safe_div(np.bincount(net.ex_a, pulled, Z), st.ex_degree)
    st.E = np.clip(E + co.replication_support * spread +
                   co.experience_learning * np.maximum(mean_gain, 0.0), 0.0, 1.0)
