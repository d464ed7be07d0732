"""The metrics of MODEL.md section 5: their keys and meanings (one place), and how to
compute them from the state arrays at the end of a step.

The CLI, the GUI and the workbook read `METRICS` for labels and order; every run's metrics
table has the column `step` and then exactly `METRIC_KEYS`. `metric_rows` computes the
row of every run of a batch at once.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.engine import kernels as k
from model.engine.presence import n_operators_alive
from model.engine.snapshot import CompiledNetwork
from model.engine.state import State, data_advantage


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
    Metric("adoption_mean", "Adoption", "mean over platforms of the adoption share n_p: the "
           "use u of their non-operator users per rival firm of the subfield", "share"),
    Metric("cases_cum", "Enforcement cases (cumulative)", "abuse cases decided (fined and "
           "remedied) since step 0", "cases", True),
    Metric("data_advantage_mean", "Data advantage", "mean over platforms of the share of "
           "their data that came from dependants and that the operator may use for its own "
           "products (data protection restricts it)", "share"),
    Metric("entries_nonhub_cum", "Entries outside the hubs (cumulative)", "new SMEs in non-hub "
           "zones since step 0", "firms", True),
    Metric("sme_capability_nonhub", "SME capability outside the hubs", "mean capability K of "
           "alive SMEs in non-hub zones", "K"),
    # counts and shares that observed patterns refer to (resources/data/patterns.csv)
    Metric("firms_alive", "Firms", "alive firms of every kind (leaders, SMEs, foreign firms) "
           "present", "firms", True),
    Metric("firms_index", "Firms (index)", "alive firms over the alive firms at step 0 "
           "(1 at the start; entries, exits, acquisitions and elements appearing move it)",
           "ratio"),
    Metric("platforms_present", "Platforms present", "platforms that have appeared and not "
           "vanished (all of them when none has a window)", "platforms", True),
    Metric("zones_present", "Pilot zones present", "zones that have appeared and not "
           "vanished (all of them when none has a window)", "zones", True),
    Metric("leader_share_mean", "Leader share", "market share of the largest firm of each "
           "subfield, mean over subfields with alive firms", "share"),
    Metric("top_zone_firm_share", "Top zone's firm share", "share of alive firms located in "
           "the zone with the most of them", "share"),
    Metric("top4_zone_firm_share", "Top-4 zones' firm share", "share of alive firms located in "
           "the four zones with the most of them", "share"),
    Metric("hub_firm_share", "Hub firm share", "share of alive firms located in hub zones",
           "share"),
)
METRIC_KEYS: tuple[str, ...] = tuple(m.key for m in METRICS)
METRIC_INDEX = {key: j for j, key in enumerate(METRIC_KEYS)}
METRIC = {m.key: m for m in METRICS}


def metric_rows(st: State, net: CompiledNetwork) -> np.ndarray:
    """All metrics of every run of the state now: a (runs, metrics) array, columns in
    METRIC_KEYS order.

    Subfield means are plain means over the subfields with alive firms (every subfield has
    the same market size); counts come from the state's running tallies. A run's sums over
    its own values are `block_sum`s (kernels.py): its row has the same bits in any batch."""
    R, m = st.runs, st.m
    P, Z = net.n_platforms, net.n_zones
    live_f = st.live_weight  # 1 / (subfields with alive firms) for each of them, else 0
    hhi = k.group_sum(st.sub, m * m, len(live_f))  # / 1e4
    rows = np.zeros((R, len(METRIC_KEYS)))
    col = METRIC_INDEX
    rows[:, col["hhi_mean"]] = 1e4 * k.block_sum(hhi * live_f, R)
    rows[:, col["hhi_max"]] = 1e4 * k.run_max(hhi, R)  # 0 where no firm is alive
    rows[:, col["cr4_mean"]], rows[:, col["leader_share_mean"]] = _cr4_mean(st, m, live_f)
    rows[:, col["active_smes"]] = st.n_smes
    rows[:, col["active_foreign"]] = st.n_foreign
    rows[:, col["entries"]:col["acquisitions"] + 1] = st.events
    rows[:, col["entries_cum"]:col["acquisitions_cum"] + 1] = st.cum
    capability = k.block_sum(st.K * st.sme_alive, R)
    rows[:, col["sme_capability_mean"]] = np.where(st.n_smes > 0, capability, 0.0) / \
        np.maximum(st.n_smes, 1)
    rows[:, col["dependency_index"]] = _dependency(st)
    if P and st.presence is not None:  # means over the platforms present
        _platform_means(st, rows, col, R)
    elif P:
        rows[:, col["openness_mean"]] = k.block_sum(st.o, R) / P
        rows[:, col["standard_power_max"]] = k.run_max(st.S, R)
        rows[:, col["abuse_mean"]] = k.block_sum(st.alpha, R) / P
        rows[:, col["adoption_mean"]] = k.block_sum(st.adopt, R) / P
        rows[:, col["data_advantage_mean"]] = k.block_sum(data_advantage(st), R) / P
    rows[:, col["cases_cum"]] = st.cases
    rows[:, col["entries_nonhub_cum"]] = st.entries_nonhub
    if Z:
        outside = st.sme_alive * st.nonhub_f.take(st.zone, mode="clip")
        smes = k.block_sum(outside, R)
        rows[:, col["sme_capability_nonhub"]] = k.block_sum(st.K * outside, R) / \
            np.maximum(smes, 1.0)
    gini, top3 = k.gini_and_top_share(st.T, R, 3)
    rows[:, col["talent_gini"]], rows[:, col["talent_top3_share"]] = gini, top3
    if st.nonhub_talent0 > 0:
        rows[:, col["brain_drain_index"]] = st.drain / st.nonhub_talent0
    if Z and st.presence is not None:  # over the pilot zones present
        zones = k.block_sum(st.za, R)
        rows[:, col["experience_reach"]] = k.block_sum((st.E > 0.5) * st.za, R) / \
            np.maximum(zones, 1.0)
    elif Z:
        rows[:, col["experience_reach"]] = k.block_sum(st.E > 0.5, R) / Z
    # entrants are SMEs, so the foreign firms are known at step 0
    rows[:, col["foreign_share"]] = k.block_sum(m.take(st.foreign_idx) * st.foreign_weight,
                                                R)
    _counts(st, net, rows, col, R)
    return rows


def _platform_means(st, rows, col, R) -> None:
    """The platform metrics over the platforms present in each run (presence.py)."""
    present = np.maximum(st.n_plat_on, 1.0)
    pa = st.pa
    rows[:, col["openness_mean"]] = k.block_sum(st.o * pa, R) / present
    rows[:, col["standard_power_max"]] = k.run_max(st.S * pa, R)
    rows[:, col["abuse_mean"]] = k.block_sum(st.alpha * pa, R) / present
    rows[:, col["adoption_mean"]] = k.block_sum(st.adopt * pa, R) / present
    rows[:, col["data_advantage_mean"]] = k.block_sum(data_advantage(st) * pa, R) / present


def _counts(st, net, rows, col, R) -> None:
    """Firms, platforms and zones present; where the firms are."""
    rows[:, col["firms_alive"]] = st.n_alive
    rows[:, col["firms_index"]] = st.n_alive / max(st.firms_start, 1.0)
    P, Z = net.n_platforms, net.n_zones
    if st.presence is None:
        rows[:, col["platforms_present"]], rows[:, col["zones_present"]] = P, Z
    else:
        rows[:, col["platforms_present"]] = st.n_plat_on
        rows[:, col["zones_present"]] = k.block_sum(st.za, R)
    if not Z:
        return
    firms = np.maximum(st.n_alive, 1).astype(float)
    per_zone = np.sort(st.count_zone.reshape(R, Z), axis=1)
    rows[:, col["top_zone_firm_share"]] = per_zone[:, -1] / firms
    rows[:, col["top4_zone_firm_share"]] = per_zone[:, -4:].sum(axis=1) / firms
    hub = 1.0 - st.nonhub_f
    rows[:, col["hub_firm_share"]] = k.block_sum(st.count_zone * hub, R) / firms


CR4_CANDIDATES = 8  # firms per subfield followed as candidates for its top four


def _cr4_mean(st, m, live_f) -> np.ndarray:
    """Per run, the mean over live subfields of the sum of their four largest shares (dead
    firms hold share 0), summed from the smallest of the four up.

    Shares move little from step to step, so the top four are looked for among the
    candidates that held the top eight at their subfield's last search: they are certainly
    there when no other firm's share is above the subfield's 4th candidate. One count over
    the firms checks every subfield at once; where it fails, a count per subfield finds
    the subfields whose candidates are chosen again from all their firms."""
    if st.cr4_top is None:
        slots, filled = k.top_k_slots(m, st.sub, st.grp_count, CR4_CANDIDATES, st.grp)
        st.cr4_top = slots, (None if filled.all() else filled)  # None: every cell a firm
    shares = _candidate_shares(st, m)
    stale = _stale_subfields(st, m, shares)
    if stale is not None:  # those subfields' candidates are chosen again: then exact
        _search_again(st, m, stale)
        shares = _candidate_shares(st, m)
    return _cr4_of(shares[:, -4:], live_f, st.runs), k.block_sum(shares[:, -1] * live_f,
                                                                   st.runs)


def _search_again(st, m, groups) -> None:
    """New candidates for these subfields (new arrays: copied states share the old)."""
    found, found_filled = k.top_k_slots(m, st.sub, st.grp_count, CR4_CANDIDATES, st.grp,
                                        only=groups)
    slots, filled = st.cr4_top
    slots = slots.copy()
    filled = np.ones(slots.shape) if filled is None else filled.copy()
    slots[groups], filled[groups] = found[groups], found_filled[groups]
    st.cr4_top = slots, (None if filled.all() else filled)


def _cr4_of(top4, live_f, runs):
    cr4 = top4[:, 0] + top4[:, 1]
    cr4 += top4[:, 2]
    cr4 += top4[:, 3]
    cr4 *= live_f
    return k.block_sum(cr4, runs)


def _candidate_shares(st, m):
    """The candidates' shares of each subfield, a subfield x candidates array sorted
    ascending (empty cells hold 0). A candidate counts only while its slot is in the
    row's subfield: a batch's padding slot (share 0) may be a candidate of its run's first
    subfield until an entrant of another subfield takes it."""
    slots, filled = st.cr4_top
    shares = m.take(slots)
    shares *= st.sub.take(slots) == np.arange(len(slots))[:, None]
    if filled is not None:
        shares *= filled
    shares.sort(axis=1)
    return shares


def _stale_subfields(st, m, shares):
    """None when no firm outside a subfield's candidates has a share above its 4th
    candidate's (then the candidates hold its top four), else those subfields."""
    fourth = shares[:, -4]
    higher = m > fourth.take(st.sub)
    held = shares > fourth[:, None]
    if np.count_nonzero(higher) == np.count_nonzero(held):
        return None
    per_subfield = np.bincount(st.sub, higher, len(fourth))
    return np.flatnonzero(per_subfield != np.count_nonzero(held, axis=1))


def _dependency(st) -> np.ndarray:
    """Per run, the mean over alive non-operator firms of min(1, sum_p u_ip l_ip): the
    plain sum of u l over their edges (ulA: 0 on own edges and dead firms), less what the
    clip removes from the few firms whose u sum to more than 1."""
    n_ops = st.n_ops if st.presence is None else n_operators_alive(st)
    n_users = st.n_alive - n_ops  # operators never leave (but may not be present yet)
    if not st.ne:
        return np.zeros(st.runs)
    total = k.block_sum(st.ulA * st.user_e, st.runs)
    if st.n_heavy:
        heavy = np.bincount(st.heavy_pos, st.ulA.take(st.heavy_edges),
                            st.runs * st.n_heavy)
        heavy -= 1.0
        total -= k.block_sum(np.maximum(heavy, 0.0, out=heavy), st.runs)
    mean = np.where(n_users > 0, total, 0.0) / np.maximum(n_users, 1)
    return np.minimum(mean, 1.0)  # a mean of values <= 1 whose rounding may pass 1


def metrics_dict(row: np.ndarray) -> dict[str, float]:
    return {key: (int(v) if METRIC[key].integer else float(v))
            for key, v in zip(METRIC_KEYS, row.tolist())}
