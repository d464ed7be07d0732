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
    the same market size); counts come from the state's running tallies. The row is built
    as a list of Python numbers; short arrays are reduced in Python (kernels.small_max)."""
    m = st.m
    live_f = st.live_weight  # 1 / (subfields with alive firms) for each of them, else 0
    hhi = k.group_sum(st.sub, m * m, len(live_f))  # / 1e4
    n_smes, P, Z = st.n_smes, net.n_platforms, len(st.E)
    row = [1e4 * float(hhi @ live_f),
           1e4 * k.small_max(hhi) if len(hhi) else 0.0,  # 0 where no firm is alive
           _cr4_mean(st, m, live_f),
           n_smes, st.n_foreign, *st.events, *st.cum,
           k.dot(st.K, st.sme_alive) / n_smes if n_smes else 0.0,
           _dependency(st),
           k.small_sum(st.o) / P if P else 0.0,
           k.small_max(st.S) if P else 0.0,
           k.small_sum(st.alpha) / P if P else 0.0,
           *k.gini_and_top_share(st.T, 3),
           st.drain / st.nonhub_talent0 if st.nonhub_talent0 > 0 else 0.0,
           np.count_nonzero(st.E > 0.5) / Z if Z else 0.0,
           # entrants are SMEs, so the foreign firms are known at step 0
           k.dot(m.take(st.foreign_idx), st.foreign_weight)]
    return np.array(row)


CR4_CANDIDATES = 8  # firms per subfield followed as candidates for its top four


def _cr4_mean(st, m, live_f) -> float:
    """Mean over live subfields of the sum of their four largest shares (dead firms hold
    share 0).

    Shares move little from step to step, so the top four are looked for among the
    candidates that held the top eight at the last full search: they are certainly there
    when no other firm's share is above a subfield's 4th candidate (one count over the
    firms). Otherwise the candidates are chosen again from all firms."""
    if not st.crowded:  # no subfield has more than four firms: CR4 is all of it
        return float(np.bincount(st.sub, m, len(live_f)) @ live_f)
    if st.cr4_top is not None:
        top4 = _top_four_of_candidates(st, m)
        if top4 is not None:
            return k.small_sum(live_f @ top4)
    slots, filled = k.top_k_slots(m, st.sub, st.grp_count, CR4_CANDIDATES, st.grp)
    st.cr4_top = slots, (None if filled.all() else filled)  # None: every cell holds a firm
    return k.small_sum(live_f @ _top_four_of_candidates(st, m))


def _top_four_of_candidates(st, m):
    """The candidates' four largest shares of each subfield (a subfield x 4 array), or
    None when some other firm may be among them."""
    slots, filled = st.cr4_top
    shares = m.take(slots)
    if filled is not None:
        shares *= filled
    shares.sort(axis=1)
    fourth = shares[:, -4]
    above = np.count_nonzero(m > fourth.take(st.sub))
    if above != np.count_nonzero(shares > fourth[:, None]):
        return None
    return shares[:, -4:]


def _dependency(st) -> float:
    """Mean over alive non-operator firms of min(1, sum_p u_ip l_ip): the plain sum of u l
    over their edges (ulA: 0 on own edges and dead firms), less what the clip removes from
    the few firms whose u sum to more than 1."""
    n_users = st.n_alive - st.n_ops  # operators never leave
    if n_users <= 0 or not st.ne:
        return 0.0
    total = k.dot(st.ulA, st.user_e)
    if st.n_heavy:
        heavy = np.bincount(st.heavy_pos, st.ulA.take(st.heavy_edges), st.n_heavy)
        heavy -= 1.0
        total -= k.dot(np.maximum(heavy, 0.0, out=heavy), st.heavy_ones)
    return total / n_users


def metrics_dict(row: np.ndarray) -> dict[str, float]:
    return {key: (int(v) if METRIC[key].integer else float(v))
            for key, v in zip(METRIC_KEYS, row.tolist())}
