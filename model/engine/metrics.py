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
    """All metrics of the current state, in METRIC_KEYS order."""
    n_subs = len(net.subfields)
    alive, m, sub = st.alive, st.m, st.sub
    count = st.count_sub
    live = count > 0
    weight = st.market * live
    wsum = float(weight.sum())
    hhi = 1e4 * np.bincount(sub, m * m, n_subs)
    smes = alive & st.is_sme
    n_smes = int(np.count_nonzero(smes))
    out = np.empty(len(METRIC_KEYS))
    out[0] = _weighted(hhi, weight, wsum)
    out[1] = float(hhi[live].max()) if live.any() else 0.0
    out[2] = _weighted(_cr4(st, m, count), weight, wsum)
    out[3] = n_smes
    out[4] = np.count_nonzero(alive[st.foreign_idx])
    out[5:8] = st.events
    out[8:11] = st.cum
    out[11] = float(st.K @ smes) / n_smes if n_smes else 0.0
    out[12] = _dependency(st)
    P = net.n_platforms
    out[13] = float(st.o.mean()) if P else 0.0
    out[14] = float(st.S.max()) if P else 0.0
    out[15] = float(st.alpha.mean()) if P else 0.0
    out[16] = k.gini(st.T)
    out[17] = k.top_share(st.T, 3)
    out[18] = st.drain / st.nonhub_talent0 if st.nonhub_talent0 > 0 else 0.0
    out[19] = float(np.count_nonzero(st.E > 0.5)) / len(st.E) if len(st.E) else 0.0
    foreign = st.foreign_idx  # entrants are SMEs, so the foreign firms are known at step 0
    out[20] = _weighted(np.bincount(sub[foreign], m[foreign], n_subs), weight, wsum)
    return out


def _weighted(values, weight, wsum) -> float:
    return float(values @ weight) / wsum if wsum > 0 else 0.0


def _cr4(st, m, count) -> np.ndarray:
    """Sum of the four largest shares per subfield (dead firms hold share 0).

    Only firms at or above half of last step's 4th-largest share are looked at: when a
    subfield still has four of them (or all its firms are among them), its top four are
    certainly there. Otherwise every share is looked at, and the bound is renewed."""
    if not (count > 4).any():
        return np.bincount(st.sub, m, len(count))
    floor = st.cr4_floor
    if floor.any():
        picked = np.flatnonzero(m >= np.take(floor, st.sub))
        if len(picked) <= len(m) // 4:
            sub = st.sub[picked]
            found = np.bincount(sub, minlength=len(count))
            if not ((found < 4) & (found < count)).any():
                cr4, fourth = k.top_k_by_group(m[picked], sub, found, 4)
                st.cr4_floor = 0.5 * fourth
                return cr4
    cr4, fourth = k.top_k_by_group(m, st.sub, st.grp_count, 4, st.grp)
    st.cr4_floor = 0.5 * fourth
    return cr4


def _dependency(st) -> float:
    """Mean over alive non-operator firms of min(1, sum_p u_ip l_ip)."""
    users = st.alive & ~st.is_op
    n_users = int(np.count_nonzero(users))
    if not n_users:
        return 0.0
    ul = st.ul  # entrants' edges (appended after it was computed) carry l = 0
    per_firm = np.minimum(np.bincount(st.ef[:len(ul)], ul, st.n), 1.0)
    return float(per_firm @ users) / n_users


def metrics_dict(row: np.ndarray) -> dict[str, float]:
    return {key: (int(v) if METRIC[key].integer else float(v))
            for key, v in zip(METRIC_KEYS, row.tolist())}
