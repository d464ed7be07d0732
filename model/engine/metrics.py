"""The metrics of MODEL.md section 5: their keys and meanings (one place), and how to
compute them from the state arrays at the end of a step.

The CLI, the GUI and the workbook read `METRICS` for labels and order; every run's metrics
table has the column `step` and then exactly `METRIC_KEYS`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.engine import kernels as k
from model.engine.snapshot import CompiledNetwork
from model.engine.state import State


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    meaning: str
    unit: str = ""
    integer: bool = False


METRICS: tuple[Metric, ...] = (
    Metric("hhi_mean", "HHI (mean)", "Herfindahl-Hirschman index per subfield, 0..10,000, "
           "mean weighted by market size", "HHI"),
    Metric("hhi_max", "HHI (max)", "the highest subfield HHI", "HHI"),
    Metric("cr4_mean", "CR4", "four-firm concentration ratio (share of the 4 largest firms, "
           "0..1), market-weighted mean over subfields", "share"),
    Metric("active_smes", "Active SMEs", "alive SMEs (foreign firms not included)", "firms",
           True),
    Metric("active_foreign", "Active foreign firms", "alive foreign firms", "firms", True),
    Metric("entries", "Entries", "new SMEs this step", "firms", True),
    Metric("exits", "Exits", "SMEs and foreign firms that exited this step", "firms", True),
    Metric("acquisitions", "Acquisitions", "firms bought by platform operators this step",
           "firms", True),
    Metric("entries_cum", "Entries (cumulative)", "new SMEs since step 0", "firms", True),
    Metric("exits_cum", "Exits (cumulative)", "exits since step 0", "firms", True),
    Metric("acquisitions_cum", "Acquisitions (cumulative)", "acquisitions since step 0",
           "firms", True),
    Metric("sme_capability_mean", "SME capability", "mean capability K of alive SMEs", "K"),
    Metric("dependency_index", "Dependency", "mean over alive non-operator firms of "
           "sum_p u_ip l_ip (each clipped to 1), in [0, 1]", "index"),
    Metric("openness_mean", "Openness", "mean platform openness", "share"),
    Metric("standard_power_max", "Standard power (max)", "highest platform standard power S_p",
           "index"),
    Metric("abuse_mean", "Abuse", "mean abuse level alpha_p over platforms", "index"),
    Metric("talent_gini", "Talent Gini", "Gini coefficient of talent across zones", "Gini"),
    Metric("talent_top3_share", "Talent top-3 share",
           "share of all talent in the three largest zones", "share"),
    Metric("brain_drain_index", "Brain drain", "cumulative net outflow of talent from non-hub "
           "zones / their talent at step 0", "share"),
    Metric("experience_reach", "Experience reach", "share of zones with experience E > 0.5",
           "share"),
    Metric("foreign_share", "Foreign share", "market share of foreign firms, market-weighted "
           "over subfields", "share"),
)
METRIC_KEYS: tuple[str, ...] = tuple(m.key for m in METRICS)
METRIC_INDEX = {key: j for j, key in enumerate(METRIC_KEYS)}
METRIC = {m.key: m for m in METRICS}


def metric_row(st: State, net: CompiledNetwork) -> np.ndarray:
    """All metrics of the current state, in METRIC_KEYS order.

    Subfield means are plain means over the subfields with alive firms (every subfield has
    the same market size); counts come from the state's running tallies."""
    n_subs = len(net.subfields)
    m, sub = st.m, st.sub
    live_f = st.live_weight  # 1 / (subfields with alive firms) for each of them, else 0
    hhi = k.group_sum(sub, m * m, n_subs)  # / 1e4
    n_smes = st.n_smes
    out = np.empty(len(METRIC_KEYS))
    out[0] = 1e4 * float(hhi @ live_f)
    out[1] = 1e4 * float(hhi.max(initial=0.0))  # 0 where no firm is alive
    out[2] = _cr4(st, m, st.count_sub) @ live_f
    out[3] = n_smes
    out[4] = st.n_foreign
    out[5:8] = st.events
    out[8:11] = st.cum
    out[11] = k.dot(st.K, st.sme_alive) / n_smes if n_smes else 0.0
    out[12] = _dependency(st)
    P = net.n_platforms
    out[13] = float(st.o.sum()) / P if P else 0.0
    out[14] = float(st.S.max()) if P else 0.0
    out[15] = float(st.alpha.sum()) / P if P else 0.0
    out[16], out[17] = k.gini_and_top_share(st.T, 3)
    out[18] = st.drain / st.nonhub_talent0 if st.nonhub_talent0 > 0 else 0.0
    out[19] = float(np.count_nonzero(st.E > 0.5)) / len(st.E) if len(st.E) else 0.0
    # entrants are SMEs, so the foreign firms are known at step 0
    out[20] = k.dot(m[st.foreign_idx], st.foreign_weight)
    return out


CR4_CANDIDATES = 8  # firms per subfield followed as candidates for its top four


def _cr4(st, m, count) -> np.ndarray:
    """Sum of the four largest shares per subfield (dead firms hold share 0).

    Shares move little from step to step, so the top four are looked for among the
    candidates that held the top eight at the last full search: they are certainly there
    when no other firm's share is above a subfield's 4th candidate (one count over the
    firms). Otherwise the candidates are chosen again from all firms."""
    if not st.crowded:  # no subfield has more than four firms: CR4 is all of it
        return np.bincount(st.sub, m, len(count))
    if st.cr4_top is not None:
        cr4 = _cr4_of_candidates(st, m)
        if cr4 is not None:
            return cr4
    st.cr4_top = k.top_k_slots(m, st.sub, st.grp_count, CR4_CANDIDATES, st.grp)
    return _cr4_of_candidates(st, m)


def _cr4_of_candidates(st, m):
    """The candidates' top-four sums, or None when some other firm may be in a top four."""
    slots, filled = st.cr4_top
    shares = m.take(slots)
    shares *= filled
    ranked = np.partition(shares, CR4_CANDIDATES - 4, axis=1)
    fourth = ranked[:, CR4_CANDIDATES - 4]
    above = np.count_nonzero(m > fourth.take(st.sub, mode="clip"))
    if above != np.count_nonzero(shares > fourth[:, None]):
        return None
    return ranked[:, CR4_CANDIDATES - 4:].sum(axis=1)


def _dependency(st) -> float:
    """Mean over alive non-operator firms of min(1, sum_p u_ip l_ip): the plain sum of u l
    over their edges (ulA: 0 on own edges and dead firms), less what the clip removes from
    the few firms whose u sum to more than 1."""
    n_users = st.n_alive - st.n_ops  # operators never leave
    if n_users <= 0 or not st.ne:
        return 0.0
    total = k.dot(st.ulA, st.user_e)
    if st.n_heavy:
        heavy = np.bincount(st.heavy_pos, st.ulA[st.heavy_edges], st.n_heavy)
        heavy -= 1.0
        total -= float(np.maximum(heavy, 0.0, out=heavy).sum())
    return total / n_users


def metrics_dict(row: np.ndarray) -> dict[str, float]:
    return {key: (int(v) if METRIC[key].integer else float(v))
            for key, v in zip(METRIC_KEYS, row.tolist())}
