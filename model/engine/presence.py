"""Which elements take part in the current quarter: the activity masks of a run.

A scenario's nodes and edges may appear or vanish at a quarter (model/windows.py). Before
it appears and once it has vanished an element takes no part (docs/ODD.md, "Elements that
appear or vanish"):

- a platform has no users and no effect: its users' edges weigh nothing, it gives no
  access, its operator does not grow its algorithms, entrants never draw it, and the
  platform means of the metrics are over the platforms present;
- a zone is a region that is not (or no longer) a pilot zone: it passes and receives no
  experience along exchange links, learns none, its experience adds nothing to its firms'
  capability and it receives no entrants (its firms and its talent stay);
- a firm is not alive (status ABSENT): it is in no count, no share and no sum;
- an edge takes part while its own window and both its ends' windows are open.

The masks change only at the quarters where something appears or vanishes, so `apply` is
called at step 0 and at those steps alone (`run.Engine`), and costs a few whole-array
passes then. A state without windows has `presence` None and nothing here runs.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.engine import kernels as k
from model.engine.snapshot import CompiledNetwork

ABSENT = 3  # firm status: not appeared yet, or vanished (0 alive, 1 exited, 2 acquired)


@dataclass(frozen=True)
class Masks:
    """One run's masks at a quarter: platforms, zones, firms (step-0 firms), use edges
    (compiled order), collaborations and exchange links (their own windows only)."""

    quarter: int
    plat: np.ndarray
    zone: np.ndarray
    firm: np.ndarray
    use: np.ndarray
    col: np.ndarray
    ex: np.ndarray


def masks_at(net: CompiledNetwork, quarter: int) -> Masks:
    w = net.windows

    def open_(on, off):
        return (on <= quarter) & (quarter < off)

    return Masks(quarter, open_(w.plat_on, w.plat_off), open_(w.zone_on, w.zone_off),
                 open_(w.firm_on, w.firm_off), open_(w.use_on, w.use_off),
                 open_(w.col_on, w.col_off), open_(w.ex_on, w.ex_off))


def apply(st, net: CompiledNetwork, quarter: int, step: int) -> None:
    """Make the state's masks those of `quarter` (the quarter of `step`): firms whose
    window closed leave, those whose window opened come in, edge weights follow."""
    from model.engine.events import _remove

    masks = masks_at(net, quarter)
    st.presence = masks
    retile(st, net)
    want = _wanted_firms(st, net, masks.firm)
    going = np.flatnonzero(st.alive & ~want)
    if len(going):
        _remove(st, net, going, ABSENT)
        st.left[going] = step
    coming = np.flatnonzero(want & (st.status == ABSENT))
    if len(coming):
        _revive(st, net, coming)
    refresh_edges(st, net)


def retile(st, net: CompiledNetwork) -> None:
    """The masks laid out over the state's runs (after `apply`, tiling or taking a run
    out of a batch): float arrays pa (R P), za (R Z), col_on, ex_on, and the platform
    counts that entry and the metrics use."""
    masks, R = st.presence, st.runs
    st.pa = np.tile(masks.plat, R).astype(float)
    st.za = np.tile(masks.zone, R).astype(float)
    st.col_on = np.tile(masks.col, R).astype(float)
    ex = masks.ex & masks.zone[net.ex_a] & masks.zone[net.ex_b]
    st.ex_on = np.tile(ex, R).astype(float)
    S = len(net.subfields)
    per_sub = np.bincount(net.plat_sub, masks.plat, S)
    present = float(masks.plat.sum())
    share = per_sub[net.plat_sub] / present if present else np.zeros(len(net.plat_sub))
    st.plat_count_on = np.tile(share, R)  # P(subfield of p) for entrants, by platforms there
    st.n_plat_on = np.full(R, present)


def _wanted_firms(st, net, firm_mask) -> np.ndarray:
    """Per firm slot, whether its window is open (entrants' always is)."""
    local = np.arange(st.n) - st.run * st.fs if st.runs > 1 else np.arange(st.n)
    original = local < net.n_firms
    want = np.ones(st.n, dtype=bool)
    want[original] = firm_mask[local[original]]
    return want


def _revive(st, net, firms) -> None:
    """Firms appear: alive again with the capability they were drawn with, share 0 until
    the next market step gives them theirs."""
    n_subs = len(st.count_sub)
    subs, zones, runs = st.sub[firms], st.zone[firms], st.run[firms]
    smes, foreign = st.is_sme[firms], st.is_foreign[firms]
    st.alive[firms] = True
    st.elig_alive[firms] = st.eligible[firms]
    st.sme_alive[firms] = smes
    st.status[firms] = 0
    st.left[firms] = -1
    st.m[firms] = 0.0
    st.score_w[firms] = 1.0
    st.counter[firms] = 0
    st.count_sub += np.bincount(subs, minlength=n_subs)
    st.count_zone += np.bincount(zones, minlength=len(st.count_zone))
    st.sme_zone += np.bincount(zones, smes, len(st.count_zone))
    st.n_alive = st.n_alive + np.bincount(runs, minlength=st.runs)
    st.n_smes = st.n_smes + np.bincount(runs[smes], minlength=st.runs)
    st.n_foreign = st.n_foreign + np.bincount(runs[foreign], minlength=st.runs)
    st.population_changed(net)


def refresh_edges(st, net: CompiledNetwork) -> None:
    """Each use edge weighs while its firm is alive, its platform present and its own
    window open; the weights premultiplied by that flag follow (state.py, `ea`)."""
    masks = st.presence
    n_use = len(net.use_firm)
    local = np.arange(st.ne) - st.erun * st.es if st.runs > 1 else np.arange(st.ne)
    original = local < n_use
    window = np.ones(st.ne, dtype=bool)
    window[original] = masks.use[local[original]]
    flag = st.alive.take(st.ef) & window & (st.pa.take(st.ep) > 0)
    st.ea[:] = flag
    np.multiply(st.u * st.epar, st.ea, out=st.wo)
    np.multiply(st.u * st.notown, st.ea, out=st.wl)
    np.multiply(st.l, st.wl, out=st.ulA)
    np.add(st.wo, st.ownf, out=st.wa)
    st.W = k.group_sum(st.ep, st.wo, len(st.W))
    st._collab_weights(net)
    # standard power and adoption follow at the step's lock-in and choice stages, as
    # after any change of use (at step 0, derive_step_zero computes them)


def n_operators_alive(st) -> np.ndarray:
    """Per run, the operators alive (an operator is absent while its platforms are)."""
    return k.block_sum(st.alive.take(st.op_firms).astype(float), st.runs)
