"""The mutable state of a batch of runs of one prepared scenario.

Layout (docs/MODEL_NOTES.md, "Batches"): every firm array holds R runs laid end to end,
run r in its block of `fs` slots starting at r * fs; edge arrays likewise with blocks of
`es` slots; per-platform, per-zone and per-subfield arrays hold R blocks of P, Z and S
values. Every group key is global: a firm's `sub` is r * S + s, its `zone` r * Z + z, an
edge's `ep` r * P + p and `ef` the global slot of its firm. So one bincount sums every
run's groups, and a run's sums add the same values in the same order as a run alone.

A single run (R = 1) is the block of its live slots: `state.K` is the view `_K[:n]` of a
buffer with spare capacity, which entrants grow into (geometrically), as before batches.
A batch (R > 1) has fixed blocks with padding: slots past a run's `n_r` firms are dead
slots that weigh nothing, and its last slot is a sink that padding edges point at (so
edges stay sorted by firm). When a run's entrants would fill its block, every block is
widened (`_widen`).

Exits and acquisitions only clear the `alive` mask, so a firm keeps its slot for the
whole run. The per-edge weights a step multiplies by are kept premultiplied by the alive
flag of the edge's firm (`wo`, `wl`): they change when firms leave or enter, and when
firms choose their use anew (step.py, stage 13).
"""
from __future__ import annotations

import numpy as np

from model.engine import blocks
from model.engine import kernels as k
from model.engine.blocks import EDGE_ARRAYS, FIRM_ARRAYS
from model.engine.snapshot import CompiledNetwork, Coefficients

ALIVE, EXITED, ACQUIRED = 0, 1, 2
EDGES_OF_SEARCH = 64  # edges_of: binary searches up to one firm per this many edges

class State:
    """Arrays of R runs. Firm arrays are valid on [:n], edge arrays on [:ne]; run r's
    firms are slots r * fs .. r * fs + n_r[r] - 1 (R = 1: fs = n)."""

    def __init__(self, net: CompiledNetwork, co: Coefficients):
        """A single run's step-0 arrays (R = 1); `tiled` makes a batch of them."""
        self.runs = 1
        self.step = 0
        self.n = self.n0 = net.n_firms
        self.ne = len(net.use_firm)
        self.n_r = np.array([self.n])
        self.ne_r = np.array([self.ne])
        # room for half as many firms again before the first growth (entrants append):
        # zeroed pages are only mapped when written, and a growth copies every array
        spare = 16 + self.n // 2
        self.firm_cap, self.edge_cap = self.n + spare, self.ne + spare
        self._alloc(FIRM_ARRAYS, self.firm_cap)
        self._alloc(EDGE_ARRAYS, self.edge_cap)
        self._refresh_views()
        self._init_firms(net, co)
        self._init_edges(net, co)
        P, n_subs = net.n_platforms, len(net.subfields)
        self.D, self.A = net.data0.copy(), net.algo0.copy()
        self.Dd = np.zeros(P)  # data from dependants' use (the operator's data advantage)
        self.o = np.clip(net.open0, co.openness_floor, 1.0)
        self.Cp = net.compute * (1.0 + co.compute_subsidy)
        self.S, self.alpha, self.Q = np.zeros(P), np.zeros(P), np.zeros(P)
        self.T, self.E = net.talent0.copy(), net.exper0.copy()
        self.H = self.T.copy()  # founding talent: T weighted by skill (movers carry more)
        self.P = net.support.copy()  # each zone's local practice (zones.py)
        self.Rz = np.zeros(net.n_zones)  # its observed results
        self.entered = 0.0  # entrants per zone in the current step
        self.drain = np.zeros(1)  # cumulative net outflow from non-hub zones, per run
        self.market = co.market_size  # M_s: every subfield has the same market size
        self.events = np.zeros((1, 3), dtype=np.int64)  # entries, exits, acquisitions
        self.cases = np.zeros(1)  # enforcement cases decided so far, per run
        self.entries_nonhub = np.zeros(1)  # entrants in non-hub zones so far, per run
        # per platform: quarters until an open case is decided (0: none), its gravity (the
        # abuse when detected), quarters of compliance left after a decision
        self.case_left = np.zeros(P, dtype=np.int64)
        self.case_gravity = np.zeros(P)
        self.comply_left = np.zeros(P, dtype=np.int64)
        self.value = np.zeros(P)  # access value per unit of use, for the firms' choice
        self.adopt = np.zeros(P)  # adoption share n_p of each platform
        self.cum = np.zeros((1, 3), dtype=np.int64)
        self.grp = k.group_order(self.sub, n_subs)  # firm slots grouped by subfield
        self.grp_count = np.bincount(self.sub, minlength=n_subs)
        self.count_sub = np.bincount(self.sub, minlength=n_subs).astype(float)  # alive
        self.count_zone = np.bincount(self.zone, minlength=net.n_zones).astype(float)
        self.sme_zone = np.bincount(self.zone, self.is_sme, net.n_zones)  # alive SMEs
        self.n_ops = len(np.unique(net.plat_op))  # operators never leave
        self.one_platform_each = self.n_ops == P  # then plat_op has no repeats
        self.nonhub_talent0 = float(net.talent0[~net.hub].sum())
        self.nonhub_f = (~net.hub).astype(float)
        self.foreign_local = np.flatnonzero(self.is_foreign)  # entrants are SMEs
        self.n_foreign = np.array([len(self.foreign_local)])  # alive, per run
        self.gamma_collab = co.gamma_collab
        self.experience_learning = co.experience_learning
        self.exit_share = co.exit_share
        self.ex_weight_local = exchange_weights(net, co.replication_support *
                                                co.replication_speed)
        # the top-quartile bound of K of the last two steps (acquisitions predict the next)
        self.q75_last, self.q75_before = np.full(n_subs, np.nan), np.full(n_subs, np.nan)
        self.q75_width = np.full(n_subs, np.nan)  # each subfield's search margin (events.py)
        self.q75_gap = np.full(n_subs, np.nan)  # between its two order statistics
        self.cr4_top = None  # (slots, filled): each subfield's CR4 candidates (metrics.py)
        self.n_alive = np.array([self.n])
        self.firms_start = float(self.n)  # alive at step 0 (run.py: after presence)
        self.n_smes = np.array([int(np.count_nonzero(self.is_sme))])
        self.shocks = k.shocks_for(co.noise_sigma)
        self.fs, self.es = self.n, self.ne
        self.n_plat, self.n_zone, self.n_sub = P, net.n_zones, n_subs
        self.n_exchange, self.n_collab = len(net.ex_a), len(net.col_a)
        self._laid: dict = {}  # per-run coefficients laid out per level (`lay`)
        self.presence = None  # the activity masks (presence.py) when elements come and go
        self._global_keys(net)
        self._constants(net, co)
        self._collab_weights(net)
        self.population_changed(net)

    def _constants(self, net, co):
        """Per-platform and per-zone factors that no step changes (only a schedule, at the
        start of a step: `use_coefficients`). Coefficients may differ between the runs of a
        batch (arrays of R): the factors are then laid out run by run."""
        e = co.antitrust_enforcement
        self.own_first = k.ratio_capped(self.Cp, self.own_u)  # operator served first
        self.own_demand = bool((self.own_u > 0).all())  # then every platform has demand
        self.own_left = np.maximum(self.Cp - self.own_u, 0.0)  # what it leaves to others
        restore = co.enforcement_restore * e
        self.open_keep, self.open_pull = 1.0 - restore, self.grid(restore, net.open0)
        # the operator's choice (docs/ODD.md, "Deterrence"): a = clip(g s / D, 0, 1) with
        # s = clip((S - theta) / (1 - theta), 0, 1) and D = c + 2 d_e e F, the marginal cost
        # of abuse (private, and the expected fine); as min(max(slope (S - theta), 0), cap)
        deterrence = co.abuse_friction + 2.0 * co.detection_rate * e * co.fine_rate
        gain = self.lay(co.abuse_gain, "plat") * self._closing_room(net, co)
        self.abuse_slope = gain / self.lay((1.0 - co.abuse_threshold) * deterrence, "plat")
        self.abuse_cap = np.minimum(gain / self.lay(deterrence, "plat"), 1.0)
        self.detect = co.detection_rate * e  # detection chance per unit of abuse
        interop = co.interop_effect * co.interoperability
        self.sticky = 1.0 - interop  # what interoperability leaves of lock-in and pull
        self.lock_grow = co.lock_in_rate * (1.0 - interop)
        # amenity (illustrative levels: its weight is an uncertain coefficient) and hub pull
        self.att0 = self.grid(co.amenity_weight, net.amenity) + self.grid(co.hub_bonus, net.hub)
        # chi * stay_y: the migration rate times the share of a zone's talent free to move
        nonhub = (~net.hub).astype(float)
        if np.ndim(co.migration_rate) == 0 and np.ndim(co.talent_retention) == 0:
            flow = co.migration_rate * (1.0 - co.talent_retention * nonhub)
            self.flow_rate = flow if self.runs == 1 else np.tile(flow, self.runs)
        else:
            rate = np.broadcast_to(co.migration_rate, self.runs)[:, None]
            keep = np.broadcast_to(co.talent_retention, self.runs)[:, None]
            self.flow_rate = (rate * (1.0 - keep * nonhub[None, :])).reshape(-1)
        self.zone_coef = self.grid(co.beta_zone, np.ones(net.n_zones))  # times practice P
        self.data_use = 1.0 - co.data_protection * co.data_protection_use  # for own products
        self.compliance = co.compliance_cost * co.data_protection  # K per firm and quarter
        self.data_coef = co.data_growth * (1.0 - co.data_protection * co.data_protection_data) \
            / co.data_ref
        self.algo_coef = co.algorithm_growth / co.capability_ref
        self.deal_rate = co.acquisition_rate * (1.0 - co.merger_review * e)  # not blocked
        self.can_acquire = bool(np.any(self.deal_rate > 0))
        self.Cp_norm = self.Cp / net.q_norm ** 3  # Q = cbrt(D A Cp) / q_norm

    def _closing_room(self, net, co) -> np.ndarray:
        """Per platform, the share of the gain from abuse left under the openness floor:
        1 - w_c + w_c * (room to close below the drawn openness, (o_0 - o_min) / o_0)."""
        open0 = net.open0 if self.runs == 1 else np.tile(net.open0, self.runs)
        room = open0 - self.lay(co.openness_floor, "plat")
        room = np.clip(k.safe_div(room, open0), 0.0, 1.0)
        share = self.lay(co.closing_share, "plat")
        return 1.0 - share + share * room

    def use_coefficients(self, net, co, old) -> None:
        """Coefficients changed (`co`, after `old`: a schedule at the start of this step, or
        per-run values given to a batch): what the state derived from them follows; the
        dynamic state carries on. A raised openness floor lifts openness at once, as it
        does at step 0."""
        def moved(name):
            return not np.array_equal(getattr(co, name), getattr(old, name))

        if moved("compute_subsidy"):
            self.Cp = self.grid(1.0 + co.compute_subsidy, net.compute)
        if moved("openness_floor"):
            self.o = np.maximum(self.o, self.lay(co.openness_floor, "plat"))
        if moved("foreign_access_parity"):
            phi = co.foreign_access_parity
            phi = phi if np.ndim(phi) == 0 else phi.take(self.erun)
            foreign_end = self.is_foreign.take(self.ef)
            if self.any_foreign_plat:
                foreign_end |= self.plat_foreign.take(self.ep, mode="clip")
            parity = np.where(foreign_end, phi, 1.0)
            np.copyto(self.epar, np.where(self.ownf > 0, 0.0, parity))
            np.multiply(self.u * self.epar, self.ea, out=self.wo)
            np.add(self.wo, self.ownf, out=self.wa)
            self.W = k.group_sum(self.ep, self.wo, len(self.W))
        if moved("noise_sigma"):
            self.shocks = k.shocks_for(co.noise_sigma)
        if moved("replication_support") or moved("replication_speed"):
            weights = exchange_weights(net, co.replication_support * co.replication_speed)
            self.ex_weight = weights.reshape(-1) if weights.ndim == 2 else \
                np.tile(weights, self.runs)
        self.gamma_collab = co.gamma_collab
        self.experience_learning = co.experience_learning
        self.exit_share = co.exit_share
        self._constants(net, co)
        self._collab_weights(net)
        self.population_changed(net)
        self.Q_next = self.quality()  # this step's quality, with its compute

    def derive_step_zero(self, net, co) -> None:
        """Step 0 from the network as drawn and these coefficients (MODEL_NOTES "Step 0"):
        openness at the floor, standard power, abuse, shares and firm talent. A batch whose
        runs have their own coefficients derives its step 0 again after tiling."""
        self.o = np.clip(np.tile(net.open0, self.runs), self.lay(co.openness_floor, "plat"),
                         1.0)
        self.market = co.market_size if np.ndim(co.market_size) == 0 else \
            np.array(co.market_size, dtype=float)
        self.Q = self.Q_next = self.quality()
        self.S = k.standard_power(self.ep, self.ulA, len(self.S), self.rivals)
        self.alpha = k.abuse_level(self.S, self.abuse_slope,
                                   self.lay(co.abuse_threshold, "plat"),
                                   self.abuse_cap)
        self.abusive = bool(self.alpha.any())
        self.adopt = adoption(self)
        refresh_market(self, net, co)
        self.L[:] = k.allocate_talent(self.H, self.zone, self.m, self.alive, self.count_zone,
                                      self.lay(co.employment_share, "zone"))

    def _global_keys(self, net):
        """Index arrays into the batch's arrays that depend on the block sizes fs and es:
        each run's operators, collaborations, foreign firms, own edges and heavy users."""
        R, P, Z, S = self.runs, net.n_platforms, net.n_zones, len(net.subfields)
        runs = np.arange(R)
        fbase, ebase = runs * self.fs, runs * self.es

        def tiled(local, base):
            return (base[:, None] + local[None, :]).ravel()

        self.run_of_plat = np.repeat(runs, P)
        self.run_of_zone = np.repeat(runs, Z)
        self.plat_op = tiled(net.plat_op, fbase)
        self.plat_sub = tiled(net.plat_sub, runs * S)
        self.support = np.tile(net.support, R)
        self.plat_foreign = np.tile(self.plat_foreign_local, R)  # operated by a foreign firm
        self.open0_tiled = np.tile(net.open0, R)  # openness a decided case restores
        ops, where = np.unique(net.plat_op, return_inverse=True)
        self.op_firms = tiled(ops, fbase)
        self.op_where = tiled(where.reshape(-1), runs * len(ops))
        self.plat_count = np.tile(np.bincount(net.plat_sub, minlength=S)[net.plat_sub], R)
        self.foreign_idx = tiled(self.foreign_local, fbase)
        self.foreign_sub = self.sub.take(self.foreign_idx) if len(self.foreign_idx) else \
            np.zeros(0, dtype=np.intp)
        self.own_edge = tiled(self.own_edge_local, ebase)
        self.heavy_edges = tiled(self.heavy_local, ebase)
        self.heavy_pos = tiled(self.heavy_pos_local, runs * self.n_heavy)
        # collaborating firms, and each collaboration's first firm among them
        col_firms, col_pos = np.unique(net.col_a, return_inverse=True)
        self.col_a, self.col_b = tiled(net.col_a, fbase), tiled(net.col_b, fbase)
        self.col_g = np.tile(net.col_g, R)
        self.col_firms = tiled(col_firms, fbase)
        self.col_pos = tiled(col_pos.reshape(-1), runs * len(col_firms))
        self.ex_a, self.ex_b = tiled(net.ex_a, runs * Z), tiled(net.ex_b, runs * Z)
        if not hasattr(self, "ex_weight") or len(self.ex_weight) != R * len(net.ex_a):
            # a coefficient's (replication support): set here once, then by use_coefficients
            self.ex_weight = np.tile(self.ex_weight_local, R)

    # --- coefficients that differ between the runs of a batch -------------------------------

    def lay(self, value, level: str, cache: bool = True):
        """A coefficient where `level`'s arrays need it: a float as it is (every run has
        that value), per-run values (an array of R) repeated over each run's block of
        platforms, zones, subfields, firm or edge slots, exchange links or collaborations.
        Layouts are kept by value (the same values next step cost nothing), unless
        `cache` is False (values that change every step, such as the market)."""
        if np.ndim(value) == 0:
            return value
        size = {"plat": self.n_plat, "zone": self.n_zone, "sub": self.n_sub,
                "firm": self.fs, "edge": self.es, "exchange": self.n_exchange,
                "collab": self.n_collab}[level]
        if not cache:
            return np.repeat(value, size)
        key = (level, size, value.dtype.char, value.tobytes())
        laid = self._laid.get(key)
        if laid is None:
            laid = self._laid[key] = np.repeat(value, size)
        return laid

    def grid(self, value, base: np.ndarray) -> np.ndarray:
        """value times one run's per-platform (or per-zone) array, for every run: the runs'
        blocks of value_r * base (tiled when every run has the same value)."""
        if np.ndim(value) == 0:
            product = value * base
            return product if self.runs == 1 else np.tile(product, self.runs)
        return (value[:, None] * base[None, :]).reshape(-1)

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
            target[self.op_firms] += np.bincount(self.op_where, per_platform,
                                                 self.runs * self.n_ops)

    def population_changed(self, net):
        """Refresh what depends only on who is alive (after exits, acquisitions, entry)."""
        self.rivals = np.maximum(self.count_sub.take(self.plat_sub) - 1.0, 1.0)  # n_s, 4.5
        # a new array, so that a step keeps the one of its start
        self.sme_inv = k.inverse(self.sme_zone)
        self.gain_weight = self.lay(self.experience_learning, "zone") * self.sme_inv
        live = self.count_sub > 0  # subfield means are over the subfields with alive firms
        n_live = np.maximum(k.block_sum(live, self.runs), 1.0)
        self.live_weight = (live.reshape(self.runs, -1) / n_live[:, None]).reshape(-1)
        self.foreign_weight = self.live_weight.take(self.foreign_sub)
        self.exit_bar = self.lay(self.exit_share, "sub") * k.inverse(self.count_sub)  # m below

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
        # parity on every edge with a foreign end: a foreign user, or a platform a foreign
        # firm operates (its eligibility as an OIP for domestic users; docs/ODD.md 7.9)
        self.plat_foreign_local = net.firm_kind[net.plat_op] == 2
        self.any_foreign_plat = bool(self.plat_foreign_local.any())
        foreign_end = (net.firm_kind[net.use_firm] == 2) | \
            self.plat_foreign_local[net.use_plat]
        self.epar[:] = np.where(own, 0.0, np.where(foreign_end, co.foreign_access_parity, 1.0))
        self.ea[:] = 1.0
        self.wo[:] = self.u * self.epar
        self.wl[:] = self.u * self.notown
        self.wa[:] = self.wo + self.ownf  # operators never leave: own edges stay 1
        self.ep2[:] = self.ep + net.n_platforms * own
        np.multiply(self.l, self.wl, out=self.ulA)
        # each platform's one own edge (an operator's demand is u, served first under abuse)
        self.own_edge_local = np.zeros(net.n_platforms, dtype=np.intp)
        self.own_edge_local[self.ep[own]] = np.flatnonzero(own)
        self.own_u = self.u[self.own_edge_local]
        self.W = k.group_sum(self.ep, self.wo, net.n_platforms)  # others' demand at o = 1
        self._dependency_split(net)

    def _dependency_split(self, net):
        """For the dependency index: a firm with one use edge (own edges aside, u <= 1)
        never needs the clip min(1, sum u l); the others are listed with their edges.
        Entrants have one edge, so the split holds for the whole run whatever firms
        choose."""
        user = ~self.is_op[self.ef]  # edges of firms that operate no platform
        reach = k.group_sum(self.ef, self.notown, self.n)
        heavy = (reach > 1.0) & ~self.is_op
        self.heavy_local = np.flatnonzero(heavy[self.ef])
        self.heavy_pos_local = np.unique(self.ef[self.heavy_local], return_inverse=True)[1]
        self.heavy_pos_local = self.heavy_pos_local.reshape(-1)
        self.n_heavy = int(np.count_nonzero(heavy))
        self.user_e[:] = user

    def _collab_weights(self, net):
        """gamma g / (alive partners of the first firm) of each collaboration with both
        ends alive, else 0."""
        both = self.alive[self.col_a] & self.alive[self.col_b]
        partners = np.bincount(self.col_pos, both, len(self.col_firms))  # alive, per firm
        self.col_w = self.lay(self.gamma_collab, "collab") * self.col_g * both * \
            k.inverse(partners)[self.col_pos]
        if self.presence is not None:  # a collaboration's own window (presence.py)
            self.col_w *= self.col_on

    def _refresh_views(self):
        """`state.K` is the live view `state._K[:n]` (edges: `[:ne]`); rebuilt on growth.
        Code writes into a view (`st.K[...] = `), never rebinds it: a rebound view would
        part from its buffer (tests/test_engine_fast_paths.py checks the engine's code for
        that, rather than a __setattr__ guard that would tax every attribute write)."""
        for name in FIRM_ARRAYS:
            setattr(self, name, self.__dict__["_" + name][:self.n])
        for name in EDGE_ARRAYS:
            setattr(self, name, self.__dict__["_" + name][:self.ne])

    # ---- entrants ------------------------------------------------------------------
    def add_firms(self, counts: np.ndarray, net: CompiledNetwork) -> tuple[np.ndarray,
                                                                          np.ndarray]:
        """Room for counts[r] new firms in each run r, each with one new use edge; the
        global slots of the new firms and of their edges, run by run (slices for a single
        run). Slots never handed out hold 0 (R = 1) or the padding values (R > 1), never
        an earlier firm's."""
        total = int(counts.sum())
        if self.runs == 1:
            self._grow(FIRM_ARRAYS, "firm_cap", self.n + total)
            self._grow(EDGE_ARRAYS, "edge_cap", self.ne + total)
            firms = slice(self.n, self.n + total)  # slices: cheaper to write through
            edges = slice(self.ne, self.ne + total)
            self.n += total
            self.ne += total
            self.fs, self.es = self.n, self.ne
            self._refresh_views()
        else:  # the last slot of a firm block is the sink of its padding edges
            if int((self.n_r + counts).max()) > self.fs - 1 or \
                    int((self.ne_r + counts).max()) > self.es:
                self._widen(net, int((self.n_r + counts).max()) + 1,
                            int((self.ne_r + counts).max()))
            run = np.repeat(np.arange(self.runs), counts)
            within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            firms = run * self.fs + self.n_r.take(run) + within
            edges = run * self.es + self.ne_r.take(run) + within
        self.n_r = self.n_r + counts
        self.ne_r = self.ne_r + counts
        return firms, edges

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

    def _widen(self, net, fs_needed: int, es_needed: int) -> None:
        blocks.widen(self, net, fs_needed, es_needed)

    # ---- batches ---------------------------------------------------------------------
    def tiled(self, runs: int, net: CompiledNetwork, co: Coefficients) -> State:
        """A batch of `runs` copies of this single-run state, each in its own block."""
        return blocks.tiled(self, runs, net, co)

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
        twin._laid = {}
        twin._refresh_views()
        return twin

    def run_state(self, r: int, net: CompiledNetwork) -> State:
        """Run r of the batch as a single run's state, for the result tables only."""
        return blocks.run_state(self, r, net)

    # ---- removals --------------------------------------------------------------------
    def edges_of(self, firms: np.ndarray) -> np.ndarray:
        """The use edges of `firms` (ascending, without repeats), in ascending order: edges
        are sorted by firm. Many firms: one pass over the edges finds them (two binary
        searches per firm cost more once thousands leave in a step)."""
        if len(firms) * EDGES_OF_SEARCH > self.ne:
            leaving = np.zeros(self.n, dtype=bool)
            leaving[firms] = True
            return np.flatnonzero(leaving.take(self.ef))
        lo = np.searchsorted(self.ef, firms)
        size = np.searchsorted(self.ef, firms + 1) - lo
        if (size == 1).all():  # one edge each, the common case
            return lo
        starts = np.repeat(lo - np.cumsum(size) + size, size)
        return starts + np.arange(len(starts))

    def clear_edges(self, firms: np.ndarray, net: CompiledNetwork) -> None:
        """The edges of firms that just left stop weighing anything."""
        edges = self.edges_of(firms)
        self.W -= k.group_sum(self.ep[edges], self.wo[edges], len(self.W))
        np.maximum(self.W, 0.0, out=self.W)  # no rounding residue below 0
        for name in ("ea", "wo", "wl", "ulA", "wa"):
            self.__dict__[name][edges] = 0.0
        if len(self.col_a):
            self._collab_weights(net)


def initial_state(net: CompiledNetwork, co: Coefficients) -> State:
    """Step 0: the network as given, with standard power, abuse, shares and talent derived."""
    st = State(net, co)
    st.derive_step_zero(net, co)
    return st


def data_advantage(st: State) -> np.ndarray:
    """Per platform, the share of its data that came from dependants' use, times the share
    of it that data protection lets the operator use for its own products."""
    return k.safe_div(st.Dd, st.D) * st.lay(st.data_use, "plat")


def adoption(st: State) -> np.ndarray:
    """n_p: the use u of a platform's alive non-operator users over max(1, alive firms of
    its subfield other than its operator), clipped to 1 (as S_p, without lock-in)."""
    return k.standard_power(st.ep, st.wl, len(st.S), st.rivals)


def exchange_weights(net: CompiledNetwork, replication) -> np.ndarray:
    """w * replication support / exchange partners of each exchange link's first zone; for
    per-run support (an array of R), one row per run."""
    inverse = k.inverse(np.bincount(net.ex_a, minlength=net.n_zones))
    if np.ndim(replication) == 0:
        return net.ex_w * (replication * inverse)[net.ex_a]
    return net.ex_w[None, :] * (replication[:, None] * inverse[None, :])[:, net.ex_a]


def refresh_market(st: State, net: CompiledNetwork, co: Coefficients) -> None:
    """Shares from current capability and standard power (step 4; revenue is m M).

    An operator's score is multiplied by 1 + psi S_p + psi_D (data advantage of p), summed
    over the platforms it runs."""
    edge = st.lay(co.standard_bonus, "plat") * st.S
    edge += st.lay(co.data_advantage, "plat") * data_advantage(st)
    if st.one_platform_each:
        ops, boost = st.plat_op, edge
    else:
        ops, boost = st.op_firms, np.bincount(st.op_where, edge, st.runs * st.n_ops)
    boost += 1.0
    st.score_w[ops] = boost  # operators never leave
    k.market_shares(st.K, st.score_w, st.alive, st.sub, st.count_sub,
                    st.lay(co.score_exponent, "firm"), st.run, st.runs, out=st.m)
