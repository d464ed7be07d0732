"""The stages of a step that change the set of firms: acquisitions (4.8), exit (4.10) and
entry (4.11). Firms that leave keep their slots (the `alive` mask clears); entrants append.
"""
from __future__ import annotations

import numpy as np

from model.engine import kernels as k
from model.engine.state import ACQUIRED, EXITED

QUARTILE = 0.75
QUARTILE_WINDOW = 0.01  # relative half-width of the window around the predicted quartile
ENTRY_CAP_BASE = 50.0  # safety cap on a zone's expected entrants per step:
ENTRY_CAP_SHARE = 0.05  # 50 + 5 % of its alive firms (never binding when calibrated)


def acquisitions(st, net, co, streams):
    """Top-quartile dependants bought by the operators of the platforms they use (4.8)."""
    if not st.can_acquire:  # no rate, or full enforcement: nothing to draw
        return
    prob = co.acquisition_rate * st.S * (1.0 - co.antitrust_enforcement)
    active = prob > 0
    if not active.any():
        return
    ep, ef, S = st.ep, st.ef, len(st.count_sub)
    if active.all():  # the common case: skip the per-edge exposure
        exposed = None
        cand = st.elig_alive & st.has_use
        need = np.flatnonzero(st.count_sub > 0)
    else:
        exposed = np.take(active, ep) * st.ea
        cand = (np.bincount(ef, exposed, st.n) > 0) & st.eligible
        need = np.flatnonzero(np.bincount(st.sub, cand, S))
    if not cand.any():
        return
    q75 = np.full(S, np.inf)
    q75[need] = _top_quartile_bounds(st, need)
    cand &= st.K >= np.take(q75, st.sub)
    on_edges = np.take(cand, ef)
    if exposed is not None:
        on_edges &= exposed > 0
    idx = np.flatnonzero(on_edges)
    draw = streams.acquisitions.random(len(idx))
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
    _remove(st, net, firms, ACQUIRED)


def _top_quartile_bounds(st, need):
    """Each needed subfield's 75th percentile of alive K. Large networks look first near
    where the last two steps' values point (it moves smoothly, a few per cent a quarter)
    and sort only the values there; a subfield whose quartile is elsewhere is sorted."""
    if st.n <= k.SORT_LIMIT:
        return k.quantile_by_group(st.K, st.alive, st.sub, st.count_sub, need, QUARTILE)
    last, before = st.q75_last[need], st.q75_before[need]
    with np.errstate(invalid="ignore", divide="ignore"):  # NaN or 0: no usable guess
        trend = np.where((before > 0) & (last > 0), last / before, 1.0)
    out, solved = k.quantile_near(st.K, st.alive, st.sub, st.count_sub, need, QUARTILE,
                                  last * trend, QUARTILE_WINDOW)
    if not solved.all():
        rest = need[~solved]
        out[~solved] = k.quantile_by_group(st.K, st.alive, st.sub, st.count_sub, rest,
                                           QUARTILE, st.grp, st.grp_count)
    st.q75_before[need], st.q75_last[need] = last, out
    return out


def exits(st, net, co):
    """SMEs and foreign firms marginal for k_exit steps in a row exit (4.10)."""
    marginal = st.m < st.exit_bar.take(st.sub)  # share * alive firms < exit share
    marginal &= st.elig_alive
    counter = st.counter
    counter += 1
    counter *= marginal
    if np.maximum.reduce(counter, initial=0) >= co.exit_patience:
        gone = np.flatnonzero(counter >= co.exit_patience)
        st.events[1] = len(gone)
        _remove(st, net, gone, EXITED)


def _remove(st, net, firms, status):
    """Firms leave: the mask clears, and the survivors' shares scale up to sum to 1."""
    n_subs = len(st.count_sub)
    subs, zones = st.sub[firms], st.zone[firms]
    lost = np.bincount(subs, st.m[firms], n_subs)
    st.alive[firms] = False
    st.elig_alive[firms] = False
    st.sme_alive[firms] = 0.0
    st.n_foreign -= int(np.count_nonzero(st.is_foreign[firms]))
    st.status[firms] = status
    st.left[firms] = st.step
    st.m[firms] = 0.0
    st.score_w[firms] = 0.0
    st.counter[firms] = 0
    st.count_sub -= np.bincount(subs, minlength=n_subs)
    st.count_zone -= np.bincount(zones, minlength=len(st.count_zone))
    st.sme_zone -= np.bincount(zones, st.is_sme[firms], len(st.count_zone))
    st.clear_edges(firms, net)
    st.n_alive -= len(firms)
    st.n_smes -= int(np.count_nonzero(st.is_sme[firms]))
    st.population_changed(net)
    left = 1.0 - lost
    if (left[lost > 0] < 1e-9).any():  # (almost) nothing left to scale: renormalise
        k.normalise_shares(st.m.copy(), st.alive, st.sub, st.count_sub, out=st.m)
    else:
        np.multiply(st.m, np.take(1.0 / left, st.sub), out=st.m)


def entry(st, net, co, streams):
    """New SMEs per zone, on a platform drawn by subfield presence and quality (4.11)."""
    P, Z = net.n_platforms, net.n_zones
    if P == 0 or Z == 0 or co.entry_rate <= 0:  # no draw either: the stream is unchanged
        return
    rng = streams.entry
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
    _set_entrant_edges(st, co, slice(first_edge, first_edge + total), new, plats)
    st.W += co.entry_dependency * np.bincount(plats, minlength=P)
    bounds = k.group_bounds(st.grp_count)
    st.grp = np.insert(st.grp, bounds[subs + 1], np.arange(new.start, new.stop))
    added = np.bincount(subs, minlength=len(st.grp_count))
    st.grp_count += added
    st.count_sub += added
    st.count_zone += counts
    st.sme_zone += counts
    st.n_alive += total
    st.n_smes += total
    st.population_changed(net)
    st.events[0] = total


def _entry_odds(st, net):
    """P(platform) = P(subfield, by its number of platforms) * Q_p / sum of Q in it."""
    Q = st.Q_next  # quality after this step's growth
    qsum = np.bincount(net.plat_sub, Q, len(net.subfields))[net.plat_sub]
    within = np.where(qsum > 0, k.safe_div(Q, qsum), 1.0 / st.plat_count)
    return st.plat_count / net.n_platforms * within


def _set_entrants(st, co, new, zones, subs):
    """Spare slots hold zeros (never written before), so only the other fields are set:
    L, m, R, counter, status 0 and is_foreign, is_op False hold already."""
    st._K[new] = co.entry_capability
    st._alive[new], st._is_sme[new], st._eligible[new], st._has_use[new] = True, True, True, True
    st._elig_alive[new], st._sme_alive[new], st._score_w[new] = True, 1.0, 1.0
    st._acquirer[new], st._left[new] = -1, -1
    st._zone[new] = zones
    st._sme_zone_bin[new] = zones
    st._sub[new] = subs


def _set_entrant_edges(st, co, edges, new, plats):
    """One use edge each: u = u_0, l = 0, to a platform it does not operate (l, ulA and
    ownf of the spare slots are 0 already)."""
    u0 = co.entry_dependency
    st._ef[edges] = np.arange(new.start, new.stop)
    st._ep[edges] = st._ep2[edges] = plats
    st._u[edges], st._notown[edges], st._epar[edges], st._ea[edges] = u0, 1.0, 1.0, 1.0
    st._wo[edges], st._wl[edges], st._wr[edges] = u0, u0, u0 * co.lock_in_rate
    st._wa[edges] = u0
    st._wk[edges] = 1.0 - u0 * co.lock_in_rate
    st._user_e[edges] = 1.0
