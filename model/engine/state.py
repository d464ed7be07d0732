"""The mutable state of one run: firm and use-edge arrays with spare capacity.

Entrants append into spare capacity (arrays grow geometrically); exits and acquisitions
only clear the `alive` mask, so a firm keeps its index for the whole run. Everything else
(platforms, zones, subfields) has a fixed size.

Edges stay sorted by firm (entrants are appended with their one edge), and the per-edge
weights a step multiplies by are kept premultiplied by the alive flag of the edge's firm
(`wo`, `wl`, `wr`): they change only when firms leave or enter, so a step does not have to
mask every edge again.
"""
from __future__ import annotations

import numpy as np

from model.engine import kernels as k
from model.engine.snapshot import CompiledNetwork, Coefficients

ALIVE, EXITED, ACQUIRED = 0, 1, 2

FIRM_ARRAYS = {
    "K": float, "L": float, "m": float, "sme_alive": float, "sme_zone_bin": np.intp,
    "score_w": float,
    "alive": bool, "is_sme": bool, "is_foreign": bool, "is_op": bool, "eligible": bool,
    "has_use": bool, "elig_alive": bool,
    "counter": np.int32, "sub": np.intp, "zone": np.intp,
    "status": np.int8, "acquirer": np.intp, "left": np.int32,
}
# ownf: 1.0 on an operator's edge to its own platform; notown = 1 - ownf;
# epar: the parity factor of the edge's user (0 on own edges, whose demand is u alone);
# ea: 1.0 while the edge's firm is alive. Premultiplied by ea: wo = u epar (others' demand
# at openness 1), wl = u notown (dependency weight of l), wr = u lock_in_rate (lock-in
# growth); ulA = u l notown of alive firms (the dependency, S and rent weight);
# user_e: 1.0 on the edges of firms that operate no platform; wa: the access weight, wo on
# others' edges and 1 on own edges, whose factor ep2 = P + p finds (p on others' edges).
EDGE_ARRAYS = {"ef": np.intp, "ep": np.intp, "u": float, "l": float, "ownf": float,
               "notown": float, "epar": float, "ea": float, "wo": float, "wl": float,
               "wr": float, "wk": float, "ulA": float, "user_e": float, "wa": float,
               "ep2": np.intp}


class State:
    """Arrays of one run. Firm arrays are valid on [:n], edge arrays on [:ne]."""

    def __init__(self, net: CompiledNetwork, co: Coefficients):
        self.step = 0
        self.n = self.n0 = net.n_firms
        self.ne = len(net.use_firm)
        # room for a quarter more firms before the first growth (entrants append)
        spare = 16 + self.n // 4
        self.firm_cap, self.edge_cap = self.n + spare, self.ne + spare
        self._alloc(FIRM_ARRAYS, self.firm_cap)
        self._alloc(EDGE_ARRAYS, self.edge_cap)
        self._refresh_views()
        self._init_firms(net, co)
        self._init_edges(net, co)
        P, n_subs = net.n_platforms, len(net.subfields)
        self.D, self.A = net.data0.copy(), net.algo0.copy()
        self.o = np.clip(net.open0, co.openness_floor, 1.0)
        self.Cp = net.compute * (1.0 + co.compute_subsidy)
        self.S, self.alpha, self.Q = np.zeros(P), np.zeros(P), np.zeros(P)
        self.T, self.E = net.talent0.copy(), net.exper0.copy()
        self.drain = 0.0  # cumulative net outflow from non-hub zones
        self.market = co.market_size  # M_s: every subfield has the same market size
        self.events = [0, 0, 0]  # entries, exits, acquisitions this step
        self.cum = [0, 0, 0]
        self.grp = k.group_order(self.sub, n_subs)  # firm slots grouped by subfield
        self.grp_count = np.bincount(self.sub, minlength=n_subs)
        self.count_sub = np.bincount(self.sub, minlength=n_subs).astype(float)  # alive
        self.count_zone = np.bincount(self.zone, minlength=net.n_zones).astype(float)
        self.sme_zone = np.bincount(self.zone, self.is_sme, net.n_zones)  # alive SMEs
        # operators: each operating firm once, and the position of each platform's operator
        self.op_firms, self.op_where = np.unique(net.plat_op, return_inverse=True)
        self.n_ops = len(self.op_firms)  # operators never leave
        self.plat_op = net.plat_op
        self.one_platform_each = self.n_ops == P  # then plat_op has no repeats
        self.ex_weight = net.ex_w * (co.replication_support * k.inverse(
            np.bincount(net.ex_a, minlength=net.n_zones)))[net.ex_a]
        self.nonhub_talent0 = float(net.talent0[~net.hub].sum())
        self.nonhub_f = (~net.hub).astype(float)
        self.plat_count = np.bincount(net.plat_sub, minlength=n_subs)[net.plat_sub]
        self.foreign_idx = np.flatnonzero(self.is_foreign)  # entrants are SMEs
        self.foreign_sub = self.sub[self.foreign_idx]
        self.n_foreign = len(self.foreign_idx)  # alive
        self.gamma_collab = co.gamma_collab
        # collaborating firms, and each collaboration's first firm among them
        self.col_firms, self.col_pos = np.unique(net.col_a, return_inverse=True)
        self.experience_learning = co.experience_learning
        self.exit_share = co.exit_share
        self._collab_weights(net)
        # the top-quartile bound of K of the last two steps (acquisitions predict the next)
        self.q75_last, self.q75_before = np.full(n_subs, np.nan), np.full(n_subs, np.nan)
        self.cr4_top = None  # (slots, filled): each subfield's CR4 candidates (metrics.py)
        self.n_alive, self.n_smes = self.n, int(np.count_nonzero(self.is_sme))
        self.shocks = None
        if co.noise_sigma > 0:
            self.shocks = k.shock_table(co.noise_sigma)
            self.shocks.flags.writeable = False
        self._constants(net, co)
        self.population_changed(net)

    def _constants(self, net, co):
        """Per-platform and per-zone factors that no step changes."""
        e = co.antitrust_enforcement
        self.own_first = k.ratio_capped(self.Cp, self.own_u)  # operator served first
        self.own_demand = bool((self.own_u > 0).all())  # then every platform has demand
        self.own_left = np.maximum(self.Cp - self.own_u, 0.0)  # what it leaves to others
        restore = co.enforcement_restore * e
        self.open_keep, self.open_pull = 1.0 - restore, restore * net.open0
        # alpha = clip((S - theta) / (1 - theta), 0, 1) * (1 - e), with (1 - e) folded in
        self.abuse_slope = (1.0 - e) / (1.0 - co.abuse_threshold)
        self.abuse_cap = 1.0 - e
        self.att0 = net.amenity + co.hub_bonus * net.hub
        # chi * stay_y: the migration rate times the share of a zone's talent free to move
        self.flow_rate = co.migration_rate * (1.0 - co.talent_retention * self.nonhub_f)
        self.zone_coef = co.beta_zone * net.support
        self.data_coef = co.data_growth * (1.0 - co.data_protection * co.data_protection_data) \
            / co.data_ref
        self.algo_coef = co.algorithm_growth / co.capability_ref
        self.can_acquire = co.acquisition_rate * (1.0 - e) > 0
        self.Cp_norm = self.Cp / net.q_norm ** 3  # Q = cbrt(D A Cp) / q_norm

    @property
    def R(self) -> np.ndarray:
        """Revenue m M. A step never needs it whole (talent follows shares, as every
        subfield has the same market M), so it is made only for the result tables."""
        return self.m * self.market

    def quality(self) -> np.ndarray:
        """Q_p of the current data and algorithms (stage 1)."""
        raw = self.D * self.A
        raw *= self.Cp_norm
        return np.cbrt(raw, out=raw)

    def to_operators(self, target: np.ndarray, per_platform: np.ndarray) -> None:
        """target[operator of p] += per_platform[p], summed over each operator's platforms."""
        if self.one_platform_each:
            target[self.plat_op] += per_platform
        elif self.n_ops:
            target[self.op_firms] += np.bincount(self.op_where, per_platform, self.n_ops)

    def population_changed(self, net):
        """Refresh what depends only on who is alive (after exits, acquisitions, entry)."""
        self.rivals = np.maximum(self.count_sub[net.plat_sub] - 1.0, 1.0)  # n_s of 4.5
        # a new array, so that a step keeps the one of its start
        self.gain_weight = self.experience_learning * k.inverse(self.sme_zone)
        live = self.count_sub > 0  # subfield means are over the subfields with alive firms
        self.live_weight = live / max(1, int(np.count_nonzero(live)))
        self.foreign_weight = self.live_weight[self.foreign_sub]
        self.crowded = bool((self.count_sub > 4).any())  # some subfield has a top four
        self.exit_bar = self.exit_share * k.inverse(self.count_sub)  # m below it: marginal

    def _alloc(self, spec, capacity):
        for name, dtype in spec.items():
            setattr(self, "_" + name, np.zeros(capacity, dtype=dtype))

    def _init_firms(self, net, co):
        self.K[:] = net.cap0
        self.alive[:] = True
        self.is_sme[:] = net.firm_kind == 1
        # the zone of an SME's slot, else the spare bin n_zones (constant: slots keep kinds)
        self.sme_zone_bin[:] = np.where(self.is_sme, net.firm_zone, net.n_zones)
        self.sme_alive[:] = self.is_sme
        self.score_w[:] = 1.0  # market score weight: 0 once gone, an operator's boost
        self.is_foreign[:] = net.firm_kind == 2
        self.is_op[net.plat_op] = True
        self.eligible[:] = (net.firm_kind > 0) & ~self.is_op
        self.elig_alive[:] = self.eligible
        self.sub[:] = net.firm_sub
        self.zone[:] = net.firm_zone
        self.acquirer[:] = -1
        self.left[:] = -1

    def _init_edges(self, net, co):
        self.ef[:], self.ep[:] = net.use_firm, net.use_plat
        self.has_use[net.use_firm] = True
        self.u[:], self.l[:] = net.use_u, net.use_l0
        own = net.plat_op[net.use_plat] == net.use_firm
        self.ownf[:] = own
        self.notown[:] = ~own
        parity = np.where(net.firm_kind == 2, co.foreign_access_parity, 1.0)
        self.epar[:] = np.where(own, 0.0, parity[net.use_firm])
        self.ea[:] = 1.0
        self.wo[:] = self.u * self.epar
        self.wl[:] = self.u * self.notown
        self.wr[:] = self.u * co.lock_in_rate
        self.wk[:] = 1.0 - self.wr  # the share of 1 - l that stays (1: no growth)
        self.wa[:] = self.wo + self.ownf  # operators never leave: own edges stay 1
        self.ep2[:] = self.ep + net.n_platforms * own
        np.multiply(self.l, self.wl, out=self.ulA)
        # each platform's one own edge (an operator's demand is u, served first under abuse)
        self.own_edge = np.zeros(net.n_platforms, dtype=np.intp)
        self.own_edge[self.ep[own]] = np.flatnonzero(own)
        self.own_u = self.u[self.own_edge]
        self.W = k.group_sum(self.ep, self.wo, net.n_platforms)  # others' demand at o = 1
        self._dependency_split(net)

    def _dependency_split(self, net):
        """For the dependency index: a firm whose drawn u (own edges aside) sum to at most
        1 never needs the clip min(1, sum u l); the few others are listed with their edges.
        Entrants have one edge with u <= 1, so the split holds for the whole run."""
        user = ~self.is_op[self.ef]  # edges of firms that operate no platform
        reach = k.group_sum(self.ef, self.wl, self.n)
        heavy = (reach > 1.0) & ~self.is_op
        self.heavy_edges = np.flatnonzero(heavy[self.ef])
        self.heavy_pos = np.unique(self.ef[self.heavy_edges], return_inverse=True)[1]
        self.n_heavy = int(np.count_nonzero(heavy))
        self.heavy_ones = np.ones(self.n_heavy)  # their excess is summed as a dot product
        self.user_e[:] = user

    def _collab_weights(self, net):
        """gamma g / (alive partners of the first firm) of each collaboration with both
        ends alive, else 0."""
        both = self.alive[net.col_a] & self.alive[net.col_b]
        partners = np.bincount(self.col_pos, both, len(self.col_firms))  # alive, per firm
        self.col_w = self.gamma_collab * net.col_g * both * k.inverse(partners)[self.col_pos]

    def _refresh_views(self):
        """`state.K` is the live view `state._K[:n]` (edges: `[:ne]`); rebuilt on growth.
        Code writes into a view (`st.K[...] = `), never rebinds it: a rebound view would
        part from its buffer (tests/test_engine_fast_paths.py checks the engine's code for
        that, rather than a __setattr__ guard that would tax every attribute write)."""
        for name in FIRM_ARRAYS:
            setattr(self, name, self.__dict__["_" + name][:self.n])
        for name in EDGE_ARRAYS:
            setattr(self, name, self.__dict__["_" + name][:self.ne])

    def add_firms(self, count: int) -> slice:
        """Room for `count` new firms, each with one new use edge; their slice of slots.
        Slots beyond n (ne) are never written before they are handed out: they hold 0."""
        self._grow(FIRM_ARRAYS, "firm_cap", self.n + count)
        self._grow(EDGE_ARRAYS, "edge_cap", self.ne + count)
        start = self.n
        self.n += count
        self.ne += count
        self._refresh_views()
        return slice(start, start + count)

    def _grow(self, spec, cap_name, needed):
        cap = getattr(self, cap_name)
        if needed <= cap:
            return
        new_cap = max(needed, 2 * cap)
        for name in spec:
            old = self.__dict__["_" + name]
            grown = np.zeros(new_cap, dtype=old.dtype)
            grown[:len(old)] = old
            setattr(self, "_" + name, grown)
        setattr(self, cap_name, new_cap)

    def copy(self) -> State:
        """An independent twin (every array copied but the read-only shock table)."""
        twin = object.__new__(State)
        views = FIRM_ARRAYS.keys() | EDGE_ARRAYS.keys()
        for name, value in self.__dict__.items():
            if name in views:
                continue
            if isinstance(value, np.ndarray) and value.flags.writeable:
                value = value.copy()
            setattr(twin, name, value)
        twin._refresh_views()
        return twin

    def edges_of(self, firms: np.ndarray) -> np.ndarray:
        """The use edges of `firms` (edges are sorted by firm)."""
        lo = np.searchsorted(self.ef, firms)
        size = np.searchsorted(self.ef, firms + 1) - lo
        if (size == 1).all():  # one edge each, the common case
            return lo
        starts = np.repeat(lo - np.cumsum(size) + size, size)
        return starts + np.arange(len(starts))

    def clear_edges(self, firms: np.ndarray, net: CompiledNetwork) -> None:
        """The edges of firms that just left stop weighing anything."""
        edges = self.edges_of(firms)
        self.W -= k.group_sum(self.ep[edges], self.wo[edges], net.n_platforms)
        np.maximum(self.W, 0.0, out=self.W)  # no rounding residue below 0
        for name in ("ea", "wo", "wl", "wr", "ulA", "wa"):
            self.__dict__[name][edges] = 0.0
        self.wk[edges] = 1.0
        if len(net.col_a):
            self._collab_weights(net)


def initial_state(net: CompiledNetwork, co: Coefficients) -> State:
    """Step 0: the network as given, with standard power, abuse, shares and talent derived."""
    st = State(net, co)
    st.Q = st.Q_next = st.quality()
    st.S = k.standard_power(st.ep, st.ulA, net.n_platforms, st.rivals)
    st.alpha = k.abuse_level(st.S, st.abuse_slope, co.abuse_threshold, st.abuse_cap)
    st.abusive = bool(st.alpha.any())
    refresh_market(st, net, co)
    st.L[:] = k.allocate_talent(st.T, st.zone, st.m, st.alive, st.count_zone,
                                co.employment_share)
    return st


def refresh_market(st: State, net: CompiledNetwork, co: Coefficients) -> None:
    """Shares from current capability and standard power (step 4; revenue is m M).

    An operator's score is multiplied by 1 + psi * (summed S of the platforms it runs)."""
    if st.one_platform_each:
        ops, boost = st.plat_op, co.standard_bonus * st.S
    else:
        ops, boost = st.op_firms, co.standard_bonus * np.bincount(st.op_where, st.S, st.n_ops)
    boost += 1.0
    st.score_w[ops] = boost  # operators never leave
    k.market_shares(st.K, st.score_w, st.alive, st.sub, st.count_sub, co.score_exponent,
                    out=st.m)
