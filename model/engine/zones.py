"""Pilot zones that experiment (docs/ODD.md 7.13): each zone's local practice, the results
it is seen to get, and the partners that copy the practices that worked.

State per zone (arrays of R Z, every run of a batch at once, no loop over zones):
`P`, the quality of the zone's local practice in [0, 1] (the support its firms get: it
multiplies experience in capability growth and entry); `Rz`, its observed results, a
moving average of the capability its SMEs and entrants added per SME. A zone sets its
practice in its first quarter (its approved support plus a local variation drawn from the
run's zones stream); from then on it copies, at the replication rate of each exchange link,
the practice of partners whose observed results are better. Experience flows along the same
links, only from partners that do better (the practices that worked are what is copied).
"""
from __future__ import annotations

import numpy as np

from model.engine import draws
from model.engine import kernels as k

RESULT_MEMORY = 0.25  # weight of this quarter's result: results are judged over about a year


def set_practices(st, co, streams) -> None:
    """First quarter: P = clip(support + spread (2 U - 1), 0, 1), one uniform per zone from
    each run's zones numbers of step 1 (number z for zone z)."""
    Z = st.n_zone
    if not Z or not np.any(co.practice_spread > 0):
        return
    u = draws.block_uniforms(streams.keys(draws.ZONES, 1), Z).reshape(-1)
    local = st.support + st.lay(co.practice_spread, "zone") * (2.0 * u - 1.0)
    st.P = np.clip(local, 0.0, 1.0)


def observe(st, co, learned, sme_inv) -> None:
    """Results of the quarter per zone: (its SMEs' summed gain + entrants x their starting
    capability) per SME alive at the quarter's start, averaged over time."""
    added = learned + st.entered * st.lay(co.entry_capability, "zone")
    added *= sme_inv
    st.Rz = (1.0 - RESULT_MEMORY) * st.Rz + RESULT_MEMORY * added


def better_partner(st) -> np.ndarray:
    """Per exchange link (a, b): 1.0 where b's observed results beat a's."""
    return (st.Rz[st.ex_b] > st.Rz[st.ex_a]).astype(float)


def adopt(st, better) -> None:
    """Each zone moves its practice toward that of better-doing partners, by the link's
    replication weight (w * replication support * speed / partners)."""
    if not len(st.ex_a):
        return
    moved = st.P[st.ex_b] - st.P[st.ex_a]
    moved *= better
    moved *= st.ex_weight
    st.P = np.clip(st.P + np.bincount(st.ex_a, moved, len(st.P)), 0.0, 1.0)


def practice_reach(st) -> np.ndarray:
    """Per run, the mean practice quality over its zones (a metric's input)."""
    return k.block_sum(st.P, st.runs) / max(st.n_zone, 1)
