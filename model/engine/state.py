"""The mutable state of one run: firm and use-edge arrays with spare capacity.

Entrants append into spare capacity (arrays grow geometrically); exits and acquisitions
only clear the `alive` mask, so a firm keeps its index for the whole run. Everything else
(platforms, zones, subfields) has a fixed size.
"""
from __future__ import annotations

import numpy as np

from model.engine import kernels as k
from model.engine.snapshot import CompiledNetwork, Coefficients

ALIVE, EXITED, ACQUIRED = 0, 1, 2

FIRM_ARRAYS = {
    "K": float, "L": float, "m": float, "R": float,
    "alive": bool, "is_sme": bool, "is_foreign": bool, "is_op": bool, "eligible": bool,
    "has_use": bool,
    "counter": np.int32, "sub": np.intp, "zone": np.intp,
    "status": np.int8, "acquirer": np.intp, "left": np.int32,
}
# ownf: 1.0 on an operator's edge to its own platform; notown = 1 - ownf;
# epar: the parity factor of the edge's user (0 on own edges, whose demand is u alone)
EDGE_ARRAYS = {"ef": np.intp, "ep": np.intp, "u": float, "l": float, "ownf": float,
               "notown": float, "epar": float}


class State:
    """Arrays of one run. Firm arrays are valid on [:n], edge arrays on [:ne]."""

    def __init__(self, net: CompiledNetwork, co: Coefficients):
        self.step = 0
        self.n = self.n0 = net.n_firms
        self.ne = len(net.use_firm)
        self.firm_cap, self.edge_cap = max(16, self.n), max(16, self.ne)
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
        self.events = np.zeros(3, dtype=np.int64)  # entries, exits, acquisitions this step
        self.cum = np.zeros(3, dtype=np.int64)
        self.grp = np.argsort(self.sub, kind="stable")  # firm slots grouped by subfield
        self.grp_count = np.bincount(self.sub, minlength=n_subs)
        self.count_sub = np.bincount(self.sub, minlength=n_subs).astype(float)  # alive
        self.count_zone = np.bincount(self.zone, minlength=net.n_zones).astype(float)
        self.sme_zone = np.bincount(self.zone, self.is_sme, net.n_zones)  # alive SMEs
        # operators: each operating firm once, and the position of each platform's operator
        self.op_firms, self.op_where = np.unique(net.plat_op, return_inverse=True)
        self.own_idx = np.flatnonzero(self.ownf)  # operators' edges to their own platform
        self.ex_degree = np.bincount(net.ex_a, minlength=net.n_zones)
        self.nonhub_talent0 = float(net.talent0[~net.hub].sum())
        self.plat_count = np.bincount(net.plat_sub, minlength=n_subs)[net.plat_sub]
        self.ul = self.u * self.l * self.notown  # dependency weight of each edge
        self.foreign_idx = np.flatnonzero(self.is_foreign)
        self.col_firms, self.col_pos = np.unique(net.col_a, return_inverse=True)
        self.cr4_floor = np.zeros(n_subs)  # a lower bound of each subfield's 4th share
        self.shocks = None
        if co.noise_sigma > 0:
            self.shocks = k.shock_table(co.noise_sigma)

    def _alloc(self, spec, capacity):
        for name, dtype in spec.items():
            object.__setattr__(self, "_" + name, np.zeros(capacity, dtype=dtype))

    def _init_firms(self, net, co):
        self.K[:] = net.cap0
        self.alive[:] = True
        self.is_sme[:] = net.firm_kind == 1
        self.is_foreign[:] = net.firm_kind == 2
        self.is_op[net.plat_op] = True
        self.eligible[:] = (net.firm_kind > 0) & ~self.is_op
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

    def _refresh_views(self):
        """`state.K` is the live view `state._K[:n]` (edges: `[:ne]`); rebuilt on growth."""
        for name in FIRM_ARRAYS:
            object.__setattr__(self, name, self.__dict__["_" + name][:self.n])
        for name in EDGE_ARRAYS:
            object.__setattr__(self, name, self.__dict__["_" + name][:self.ne])

    def __setattr__(self, name, value):
        if name in FIRM_ARRAYS or name in EDGE_ARRAYS:  # write through the view instead
            raise AttributeError(f"assign into state.{name}[...], not state.{name}")
        object.__setattr__(self, name, value)

    def add_firms(self, count: int) -> slice:
        """Room for `count` new firms, each with one new use edge; their slice of slots."""
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
            object.__setattr__(self, "_" + name, grown)
        setattr(self, cap_name, new_cap)


def initial_state(net: CompiledNetwork, co: Coefficients) -> State:
    """Step 0: the network as given, with standard power, abuse, shares and talent derived."""
    st = State(net, co)
    st.Q = np.cbrt(st.D * st.A * st.Cp) / net.q_norm
    st.S = k.standard_power(st.ep, st.ul, net.n_platforms, st.count_sub[net.plat_sub] - 1.0)
    st.alpha = k.abuse_level(st.S, co.abuse_threshold, co.antitrust_enforcement)
    refresh_market(st, net, co)
    st.L[:] = k.allocate_talent(st.T, st.zone, st.R, st.alive, st.count_zone,
                                co.employment_share)
    return st


def refresh_market(st: State, net: CompiledNetwork, co: Coefficients) -> None:
    """Shares and revenue from current capability and standard power (step 4).

    An operator's score is multiplied by 1 + psi * (summed S of the platforms it runs)."""
    boost = 1.0 + co.standard_bonus * np.bincount(st.op_where, st.S, len(st.op_firms))
    st.m[:] = k.market_shares(st.K, st.alive, st.sub, st.count_sub, st.op_firms, boost,
                              co.score_exponent)
    st.R[:] = st.m * st.market
