"""The stages of a step that change the set of firms: acquisitions (4.8), exit (4.10) and
entry (4.11). Firms that leave keep their slots (the `alive` mask clears); entrants append
to their run's block. Every stage works on all runs of a batch at once; each draw is a
number of its run's counter-based streams (draws.py), indexed by what it is drawn for.
"""
from __future__ import annotations

import numpy as np

from model.engine import draws
from model.engine import kernels as k
from model.engine import parallel
from model.engine.state import ACQUIRED, EXITED

QUARTILE = 0.75
# The window around a subfield's predicted quartile spans last step's gap between the two
# order statistics it interpolates (wide in small subfields, whose neighbouring values lie
# a few per cent apart), plus a margin for their drift that adapts: it starts narrow,
# widens after a miss and narrows slowly after a hit.
QUARTILE_WIDTH = 0.01
QUARTILE_WIDEN, QUARTILE_NARROW = 4.0, 0.95
QUARTILE_MIN_WIDTH, QUARTILE_MAX_WIDTH = 0.02, 0.6
ENTRY_CAP_BASE = 50.0  # safety cap on a zone's expected entrants per step:
ENTRY_CAP_SHARE = 0.05  # 50 + 5 % of its alive firms (never binding when calibrated)


def acquisitions(st, net, co, streams):
    """Top-quartile dependants bought by the operators of the platforms they use (4.8):
    a deal is attempted with chance kappa_acq S_p and closes unless merger review blocks
    it (merger_review * e, docs/ODD.md)."""
    if not st.can_acquire:  # no rate, or review blocks every deal: nothing to draw
        return
    prob = st.lay(st.deal_rate, "plat") * st.S
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
    split = parallel.enabled(st)
    q75[need] = _top_quartile_bounds(st, need, split)

    def firms(piece):
        mine = cand[piece]
        mine &= st.K[piece] >= np.take(q75, st.sub[piece])

    parallel.over(firms, len(cand), split)
    on_edges = np.empty(len(ef), dtype=bool)

    def edges(piece):  # ef is in range: mode "clip" gives the same values, unbuffered
        mine = np.take(cand, ef[piece], out=on_edges[piece], mode="clip")
        if exposed is not None:
            mine &= exposed[piece] > 0

    parallel.over(edges, len(ef), split)
    idx = np.flatnonzero(on_edges)
    draw = _uniforms(st, streams, idx, split)
    p = _screened(st, co, idx, prob[ep[idx]])
    hit = draw < p
    if not hit.any():
        return
    idx, race = idx[hit], draw[hit] / p[hit]
    firms = ef[idx]
    pick = np.lexsort((race, firms))  # a firm bought twice goes to the first bidder
    firms, idx = firms[pick], idx[pick]
    keep = np.concatenate([[True], firms[1:] != firms[:-1]])
    firms, plats = firms[keep], ep[idx[keep]]
    transfer = co.acquisition_transfer
    transfer = transfer if np.ndim(transfer) == 0 else transfer.take(st.run[firms])
    np.add.at(st.K, st.plat_op[plats], transfer * st.K[firms])
    st.acquirer[firms] = plats % net.n_platforms  # the platform within its run
    st.events[:, 2] = np.bincount(st.run[firms], minlength=st.runs)
    _remove(st, net, firms, ACQUIRED)


def _screened(st, co, idx, p):
    """A bid for a foreign firm closes only if screening and ownership limits let it
    (1 - foreign_screening; docs/ODD.md 7.9)."""
    foreign = st.is_foreign.take(st.ef.take(idx))
    if not foreign.any():
        return p
    screening = co.foreign_screening
    screening = screening if np.ndim(screening) == 0 else screening.take(st.erun.take(idx))
    return np.where(foreign, p * (1.0 - screening), p)


def _uniforms(st, streams, idx, split=False):
    """One uniform per candidate edge (`idx`): number e of its run's acquisition numbers
    of the step, e the edge's slot in its run's block (`split`: in two halves at once)."""
    keys = streams.keys(draws.ACQUISITIONS, st.step)
    if st.runs == 1 and not split:
        return draws.uniforms(keys, idx)
    if st.runs == 1:
        drawn = np.empty(len(idx))

        def part(piece):
            drawn[piece] = draws.uniforms(keys, idx[piece])

        parallel.over(part, len(idx), split)
        return drawn
    run = st.erun.take(idx)
    return draws.uniforms(keys.take(run), idx - run * st.es)


def _top_quartile_bounds(st, need, split=False):
    """Each needed subfield's 75th percentile of alive K. Many slots (a large run, or a
    batch): look first near where the last two steps' values point (it moves smoothly, a
    few per cent a quarter) and sort only the values in a window there; the subfields it
    misses are sorted in full (a second window would cost another pass over every slot).
    Both give the exact order statistics, so a bound does not depend on how it was found."""
    if st.n <= k.SORT_LIMIT:
        return k.quantile_by_group(st.K, st.alive, st.sub, st.count_sub, need, QUARTILE)
    last, before = st.q75_last[need], st.q75_before[need]
    usable = last > 0  # False for NaN too: no usable guess
    with np.errstate(invalid="ignore", divide="ignore"):
        guess = last * np.where(usable & (before > 0), last / before, 1.0)
        spread = np.where(usable, st.q75_gap[need] / last, 0.0)  # NaN gap: no spread
    spread[np.isnan(spread)] = 0.0
    margin = st.q75_width[need]
    margin[np.isnan(margin)] = QUARTILE_WIDTH
    out, solved, gap = k.quantile_near(st.K, st.alive, st.sub, st.count_sub, need, QUARTILE,
                                       guess, spread + margin, gaps=True, split=split)
    missed = np.flatnonzero(~solved)
    if len(missed):
        out[missed], gap[missed] = _sorted_quartiles(st, need[missed])
    st.q75_width[need] = np.where(solved, np.maximum(margin * QUARTILE_NARROW,
                                                     QUARTILE_MIN_WIDTH),
                                  np.minimum(margin * QUARTILE_WIDEN, QUARTILE_MAX_WIDTH))
    st.q75_before[need], st.q75_last[need], st.q75_gap[need] = last, out, gap
    return out


def _sorted_quartiles(st, groups):
    """(quartiles, gaps) of these subfields from all their alive values."""
    if st.grp is not None:  # one large run: a partition per subfield
        return k.quantile_by_group(st.K, st.alive, st.sub, st.count_sub, groups, QUARTILE,
                                   st.grp, st.grp_count, gaps=True)
    among = np.zeros(len(st.count_sub), dtype=bool)  # a batch: one sort of those subfields
    among[groups] = True
    return k.quantile_by_group(st.K, st.alive & among.take(st.sub), st.sub,
                               np.where(among, st.count_sub, 0.0), groups, QUARTILE,
                               gaps=True)


def exits(st, net, co):
    """SMEs and foreign firms marginal for k_exit steps in a row exit (4.10)."""
    marginal = st.m < st.exit_bar.take(st.sub)  # share * alive firms < exit share
    marginal &= st.elig_alive
    counter = st.counter
    counter += 1
    counter *= marginal
    patience = st.lay(co.exit_patience, "firm")
    if not len(counter):  # no firm slot: runs' own patience is laid over none (np.min fails)
        return
    if np.maximum.reduce(counter, initial=0) >= np.min(patience):
        gone = np.flatnonzero(counter >= patience)
        st.events[:, 1] = np.bincount(st.run[gone], minlength=st.runs)
        _remove(st, net, gone, EXITED)


def _remove(st, net, firms, status):
    """Firms leave: the mask clears, and the survivors' shares scale up to sum to 1."""
    n_subs = len(st.count_sub)
    subs, zones, runs = st.sub[firms], st.zone[firms], st.run[firms]
    smes, foreign = st.is_sme[firms], st.is_foreign[firms]
    lost = np.bincount(subs, st.m[firms], n_subs)
    st.alive[firms] = False
    st.elig_alive[firms] = False
    st.sme_alive[firms] = 0.0
    st.status[firms] = status
    st.left[firms] = st.step
    st.m[firms] = 0.0
    st.score_w[firms] = 0.0
    st.counter[firms] = 0
    st.count_sub -= np.bincount(subs, minlength=n_subs)
    st.count_zone -= np.bincount(zones, minlength=len(st.count_zone))
    st.sme_zone -= np.bincount(zones, smes, len(st.count_zone))
    st.clear_edges(firms, net)
    st.n_alive = st.n_alive - np.bincount(runs, minlength=st.runs)
    st.n_smes = st.n_smes - np.bincount(runs[smes], minlength=st.runs)
    st.n_foreign = st.n_foreign - np.bincount(runs[foreign], minlength=st.runs)
    st.population_changed(net)
    _rescale_shares(st, lost)


def _rescale_shares(st, lost):
    """Survivors' shares over what their subfield has left, 1 - lost; a subfield with
    (almost) nothing left is renormalised from scratch. Subfield by subfield, so that the
    other subfields (and runs) keep the bits of the plain rescaling."""
    left = 1.0 - lost
    fresh = (lost > 0) & (left < 1e-9)
    scale = 1.0 / np.where(fresh, 1.0, left)
    if not fresh.any():
        np.multiply(st.m, scale.take(st.sub), out=st.m)
        return
    again = k.normalise_shares(st.m.copy(), st.alive, st.sub, st.count_sub)
    np.multiply(st.m, scale.take(st.sub), out=st.m)
    np.copyto(st.m, again, where=fresh.take(st.sub))


def entry(st, net, co, streams):
    """New SMEs per zone, on a platform drawn by subfield presence and quality (4.11)."""
    P, Z, R = net.n_platforms, net.n_zones, st.runs
    if P == 0 or Z == 0 or not np.any(co.entry_rate > 0):  # no draw: streams unchanged
        return
    if st.presence is None:
        openness = k.block_sum(st.o, R) / P  # each run's mean openness
    else:  # over the platforms present; none present: no platform to enter on
        openness = k.block_sum(st.o * st.pa, R) / np.maximum(st.n_plat_on, 1.0)
    lam = st.lay(co.entry_rate, "zone") * st.E * st.P * st.H / \
        st.lay(co.talent_ref, "zone") * openness.take(st.run_of_zone)
    if st.presence is not None:  # entrants come only to pilot zones present
        lam *= st.za
    lam = np.minimum(lam, ENTRY_CAP_BASE + ENTRY_CAP_SHARE * st.count_zone).reshape(R, Z)
    counts = draws.poisson(streams.base, draws.ENTRY, st.step, lam)  # count z: zone z
    totals = counts.sum(axis=1)
    st.entered = counts.reshape(-1).astype(float)  # the zones' observed results (zones.py)
    if not totals.any():
        return
    st.entries_nonhub = st.entries_nonhub + counts @ (~net.hub).astype(float)
    plats = _entry_platforms(st, net, co, streams, totals)
    firms, edges = st.add_firms(totals, net)
    subs = st.plat_sub[plats]
    zones = np.repeat(np.arange(R * Z), counts.reshape(-1))
    _set_entrants(st, co, firms, zones, subs)
    _set_entrant_edges(st, co, edges, firms, plats)
    if st.any_foreign_plat:  # entrants' demand on a foreign-operated platform: u0 * phi
        st.W += st.lay(co.entry_dependency, "plat") * \
            np.bincount(plats, st.epar[edges], R * P)
    else:
        st.W += st.lay(co.entry_dependency, "plat") * np.bincount(plats, minlength=R * P)
    if st.grp is not None:  # one run: slots grouped by subfield, for its large paths
        bounds = k.group_bounds(st.grp_count)
        st.grp = np.insert(st.grp, bounds[subs + 1], _slots(firms))
    added = np.bincount(subs, minlength=len(st.grp_count))
    st.grp_count += added
    st.count_sub += added
    st.count_zone += counts.reshape(-1)
    st.sme_zone += counts.reshape(-1)
    st.n_alive = st.n_alive + totals
    st.n_smes = st.n_smes + totals
    st.population_changed(net)
    st.events[:, 0] = totals


def _entry_platforms(st, net, co, streams, totals):
    """The platform (global key) of each entrant, run by run, drawn from its run's entry
    generator by the entry odds of that run: the first platform whose cumulative odds
    exceed the draw times the run's total odds (numpy's searchsorted, side right). The
    draw of a run's i-th entrant of the step is number i of its entry-platform numbers."""
    P = net.n_platforms
    cdf = np.cumsum(_entry_odds(st, net, co).reshape(st.runs, P), axis=1)
    runs = np.flatnonzero(totals)
    run = np.repeat(runs, totals[runs])
    first = np.cumsum(totals[runs]) - totals[runs]  # each run's first entrant in `run`
    nth = np.arange(len(run)) - np.repeat(first, totals[runs])
    keys = streams.keys(draws.ENTRY_PLATFORM, st.step)
    rows = cdf[run]
    points = draws.uniforms(keys.take(run), nth) * rows[:, -1]
    drawn = np.count_nonzero(rows <= points[:, None], axis=1)
    return run * P + np.minimum(drawn, P - 1)


def _per_entrant(st, value, new):
    """A coefficient for each entrant (new: their slots): a float, or its run's value."""
    return value if np.ndim(value) == 0 else value.take(st.run[new])


def _slots(firms) -> np.ndarray:
    return np.arange(firms.start, firms.stop) if isinstance(firms, slice) else firms


def _entry_odds(st, net, co):
    """P(platform) = P(subfield, by its number of platforms) * P(platform | subfield),
    the second a multinomial logit over the subfield's platforms of what an entrant
    (no lock-in yet) sees: access value, the standard's pull, exclusivity (docs/ODD.md)."""
    pull = st.lay(st.sticky * co.network_effect, "plat") * st.adopt
    value = st.value
    if st.any_foreign_plat:  # a foreign-operated platform is worth phi of its value
        value = value * np.where(st.plat_foreign, st.lay(co.foreign_access_parity, "plat"),
                                 1.0)
    pull += st.lay(co.choice_quality, "plat") * value
    pull += st.lay(co.exclusivity, "plat") * st.alpha
    if st.presence is not None:  # the largest pull among the platforms present
        pull = np.where(st.pa > 0, pull, -1e300)
    top = np.full(len(st.count_sub), -np.inf)
    np.maximum.at(top, st.plat_sub, pull)
    odds = np.exp(pull - top[st.plat_sub])  # within each subfield, the largest is 1
    if st.presence is not None:  # only platforms present are drawn (presence.py)
        odds *= st.pa
        total = np.bincount(st.plat_sub, odds, len(st.count_sub))[st.plat_sub]
        return st.plat_count_on * (odds / np.where(total > 0, total, 1.0))
    total = np.bincount(st.plat_sub, odds, len(st.count_sub))[st.plat_sub]
    return st.plat_count / net.n_platforms * (odds / total)


def _set_entrants(st, co, new, zones, subs):
    """Never-used slots hold zeros or padding, so only the other fields are set:
    L, m, counter, status 0, is_foreign, is_op False and the run hold already."""
    st.K[new] = _per_entrant(st, co.entry_capability, new)
    st.alive[new], st.is_sme[new], st.eligible[new], st.has_use[new] = True, True, True, True
    st.elig_alive[new], st.sme_alive[new], st.score_w[new] = True, 1.0, 1.0
    st.acquirer[new], st.left[new] = -1, -1
    st.zone[new] = zones
    st.sme_zone_bin[new] = zones + st.run[new]  # run r's bins are r (Z + 1) + z
    st.sub[new] = subs


def _set_entrant_edges(st, co, edges, new, plats):
    """One use edge each: u = u_0, l = 0, to a platform it does not operate (l, ulA and
    ownf of never-used slots are 0 already)."""
    u0 = _per_entrant(st, co.entry_dependency, new)
    st.ef[edges] = _slots(new)
    st.ep[edges] = st.ep2[edges] = plats
    st.u[edges], st.notown[edges], st.epar[edges], st.ea[edges] = u0, 1.0, 1.0, 1.0
    st.wo[edges], st.wl[edges] = u0, u0
    if st.any_foreign_plat:  # an entrant on a foreign-operated platform: its parity
        par = np.where(st.plat_foreign.take(plats), _per_entrant(st, co.foreign_access_parity,
                                                                new), 1.0)
        st.epar[edges] = par
        st.wo[edges] = u0 * par
    st.wa[edges] = st.wo[edges]
    st.user_e[edges] = 1.0
