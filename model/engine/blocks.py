"""How a batch lays its runs out in memory (docs/MODEL_NOTES.md, "Batches"): the arrays
of a state and their blocks, a single run tiled into a batch, blocks widened when entrants
need room, and one run taken back out of a batch. `State` (state.py) calls these."""
from __future__ import annotations

import numpy as np

from model.engine.snapshot import CompiledNetwork, Coefficients

FIRM_ARRAYS = {
    "K": float, "L": float, "m": float, "sme_alive": float, "sme_zone_bin": np.intp,
    "score_w": float,
    "alive": bool, "is_sme": bool, "is_foreign": bool, "is_op": bool, "eligible": bool,
    "has_use": bool, "elig_alive": bool,
    "counter": np.int32, "sub": np.intp, "zone": np.intp, "run": np.intp,
    "status": np.int8, "acquirer": np.intp, "left": np.int32,
}
# ownf: 1.0 on an operator's edge to its own platform; notown = 1 - ownf;
# epar: the parity factor phi on edges with a foreign end (a foreign user or a foreign-
# operated platform), else 1 (0 on own edges, whose demand is u alone);
# ea: 1.0 while the edge's firm is alive. Premultiplied by ea: wo = u epar (others' demand
# at openness 1), wl = u notown (dependency weight of l, and of adoption); ulA = u l notown of alive firms (the dependency, S and rent weight);
# user_e: 1.0 on the edges of firms that operate no platform; wa: the access weight, wo on
# others' edges and 1 on own edges, whose factor ep2 = R P + p finds (p on others' edges).
EDGE_ARRAYS = {"ef": np.intp, "ep": np.intp, "u": float, "l": float, "ownf": float,
               "notown": float, "epar": float, "ea": float, "wo": float, "wl": float,
               "ulA": float, "user_e": float, "wa": float,
               "ep2": np.intp, "erun": np.intp}
WIDEN = 1.25  # a batch's blocks grow by this factor (or to what entrants need)
BATCH_SPARE = 1 / 8  # a batch's blocks start with this share of spare slots (at least 16)
# per-run arrays tiled from a single run's state, and the size of their blocks
PLATFORM_ARRAYS = ("D", "Dd", "A", "o", "Cp", "S", "alpha", "Q", "Q_next", "W", "own_u",
                   "own_first", "own_left", "open_pull", "Cp_norm", "rivals", "case_left",
                   "case_gravity", "comply_left", "value", "adopt", "abuse_slope",
                   "abuse_cap")
ZONE_ARRAYS = ("T", "H", "P", "Rz", "E", "count_zone", "sme_zone", "nonhub_f", "att0", "flow_rate",
               "zone_coef", "gain_weight", "sme_inv")
SUBFIELD_ARRAYS = ("grp_count", "count_sub", "q75_last", "q75_before", "q75_width",
                   "q75_gap", "live_weight", "exit_bar")


def tiled(single, runs: int, net: CompiledNetwork, co: Coefficients):
    """A batch of `runs` copies of the single-run state `single`, each in its own block."""
    if single.runs != 1:
        raise ValueError("only a single run's state can be tiled")
    if runs == 1:
        return single.copy()
    batch = object.__new__(type(single))
    batch.__dict__.update({name: value for name, value in single.__dict__.items()
                           if not name.startswith("_")})
    n0, ne0 = single.n, single.ne
    can_enter = net.n_platforms > 0 and net.n_zones > 0 and co.entry_rate > 0
    spare = max(16, int(n0 * BATCH_SPARE)) if can_enter else 0
    fs = n0 + spare + 1 if (n0 or can_enter) else 0
    es = ne0 + spare if net.n_platforms else 0
    batch.runs, batch.fs, batch.es = runs, fs, es
    batch.n, batch.ne = runs * fs, runs * es
    batch.firm_cap, batch.edge_cap = batch.n, batch.ne
    for name, values in _move_blocks(single, FIRM_ARRAYS, 1, n0, fs,
                                     _firm_padding(batch, net)).items():
        setattr(batch, "_" + name, np.tile(values, runs))
    for name, values in _move_blocks(single, EDGE_ARRAYS, 1, ne0, es,
                                     _edge_padding(batch, net, fs)).items():
        setattr(batch, "_" + name, np.tile(values, runs))
    batch._refresh_views()
    _offset_keys(batch, net, runs, fs, es)
    for name in PLATFORM_ARRAYS + ZONE_ARRAYS + SUBFIELD_ARRAYS:
        setattr(batch, name, np.tile(getattr(single, name), runs))
    for name in ("n_r", "ne_r", "n_foreign", "n_alive", "n_smes", "drain", "cases",
                 "entries_nonhub"):
        setattr(batch, name, np.tile(getattr(single, name), runs))
    batch.events = np.zeros((runs, 3), dtype=np.int64)
    batch._laid = {}
    batch.cum = np.tile(single.cum, (runs, 1))
    batch.grp = None
    if single.cr4_top is not None:
        slots, filled = single.cr4_top
        shift = (np.arange(runs) * fs)[:, None, None]
        batch.cr4_top = ((slots[None] + shift).reshape(-1, slots.shape[1]),
                         None if filled is None else np.tile(filled, (runs, 1)))
    batch._global_keys(net)
    if batch.presence is not None:  # the activity masks over the batch's runs
        from model.engine.presence import retile

        retile(batch, net)
    batch._collab_weights(net)
    batch.population_changed(net)
    return batch


def widen(st, net: CompiledNetwork, fs_needed: int, es_needed: int) -> None:
    """Wider blocks for a batch: every run's slots move to their new block (same
    position within it); keys that name firm or edge slots are translated."""
    fs = max(fs_needed, int(st.fs * WIDEN) + 1)
    es = max(es_needed, int(st.es * WIDEN) + 1) if st.es or es_needed else 0
    old_fs, old_es = st.fs, st.es
    moved_f = _move_blocks(st, FIRM_ARRAYS, st.runs, old_fs, fs, _firm_padding(st, net))
    moved_e = _move_blocks(st, EDGE_ARRAYS, st.runs, old_es, es, _edge_padding(st, net, fs))
    st.fs, st.es = fs, es
    for name, values in {**moved_f, **moved_e}.items():
        setattr(st, "_" + name, values)
    st.n, st.ne = st.runs * fs, st.runs * es
    st.firm_cap, st.edge_cap = st.n, st.ne
    st._laid = {}  # firm- and edge-level layouts have the old block sizes
    st._refresh_views()
    # the firms named by edges, and the padding edges' sink, in the new blocks
    ef = st.ef
    run = st.erun
    real = (np.arange(st.ne) - run * es) < st.ne_r.take(run)
    translated = ef - run * old_fs + run * fs
    np.copyto(ef, np.where(real, translated, run * fs + fs - 1))
    st.grp = None  # batches search subfields by sorting (metrics.py, events.py)
    if st.cr4_top is not None:
        slots, filled = st.cr4_top
        st.cr4_top = (slots // old_fs) * fs + slots % old_fs, filled
    st._global_keys(net)


def run_state(st, r: int, net: CompiledNetwork):
    """Run r of the batch as a single run's state (its live slots, local keys) holding
    what the result tables read, and only that: not for stepping or metrics (ep2,
    sme_zone_bin stay batch keys; the metric caches are absent)."""
    if st.runs == 1:
        return st
    one = object.__new__(type(st))
    P, Z, S = net.n_platforms, net.n_zones, len(net.subfields)
    n, ne = int(st.n_r[r]), int(st.ne_r[r])
    one.runs, one.n, one.ne, one.fs, one.es = 1, n, ne, n, ne
    for name in FIRM_ARRAYS:
        setattr(one, "_" + name, st.__dict__[name][r * st.fs:r * st.fs + n].copy())
    for name in EDGE_ARRAYS:
        setattr(one, "_" + name, st.__dict__[name][r * st.es:r * st.es + ne].copy())
    one._refresh_views()
    one.sub -= r * S
    one.zone -= r * Z
    one.run[:] = 0
    one.ef -= r * st.fs
    one.ep -= r * P
    one.erun[:] = 0
    for names, size in ((PLATFORM_ARRAYS, P), (ZONE_ARRAYS, Z), (SUBFIELD_ARRAYS, S)):
        for name in names:
            setattr(one, name, getattr(st, name)[r * size:(r + 1) * size].copy())
    one.market = st.market if np.ndim(st.market) == 0 else float(st.market[r])
    one.step, one.n0 = st.step, st.n0
    one.n_r, one.ne_r = np.array([n]), np.array([ne])
    one.drain = st.drain[r:r + 1].copy()
    one.cases = st.cases[r:r + 1].copy()
    one.entries_nonhub = st.entries_nonhub[r:r + 1].copy()
    one.events, one.cum = st.events[r:r + 1].copy(), st.cum[r:r + 1].copy()
    one.presence = st.presence
    if one.presence is not None:
        from model.engine.presence import retile

        retile(one, net)
    return one


def _firm_padding(st, net: CompiledNetwork) -> dict[str, object]:
    """What a never-used firm slot of a batch holds, per field (run r: sub r S, zone r Z,
    the spare bin of its zone keys; a callable gets the runs of the slots)."""
    Z, S = net.n_zones, len(net.subfields)
    return {"sub": lambda run: run * S, "zone": lambda run: run * Z,
            "sme_zone_bin": lambda run: run * (Z + 1) + Z, "run": lambda run: run,
            "acquirer": -1, "left": -1}


def _edge_padding(st, net: CompiledNetwork, fs: int) -> dict[str, object]:
    """What a never-used edge slot holds: its run's sink firm, platform 0 of its run, no
    weight, lock-in kept."""
    P = net.n_platforms
    return {"ef": lambda run: run * fs + fs - 1, "ep": lambda run: run * P,
            "ep2": lambda run: run * P, "erun": lambda run: run}


def _move_blocks(st, spec, runs, old, new, padding) -> dict[str, np.ndarray]:
    """Each field of `spec` laid out in `runs` blocks of `new` slots: the first `old` slots
    of each block from the state's blocks of `old`, the rest padding. Keys are not
    translated here (the caller does)."""
    out = {}
    block_run = np.repeat(np.arange(runs), new)
    for name, dtype in spec.items():
        values = np.zeros(runs * new, dtype=dtype)
        fill = padding.get(name, 0)
        if callable(fill):
            values[:] = fill(block_run)
        elif fill:
            values[:] = fill
        if old and new:
            source = st.__dict__[name][:runs * old].reshape(runs, old)
            values.reshape(runs, new)[:, :old] = source
        out[name] = values
    return out


def _offset_keys(batch, net: CompiledNetwork, runs: int, fs: int, es: int) -> None:
    """Global keys in a freshly tiled batch: every block holds run 0's keys (its padding
    included), shifted here to point into its own run."""
    P, Z, S = net.n_platforms, net.n_zones, len(net.subfields)
    if fs:
        run = np.repeat(np.arange(runs), fs)
        batch.sub[:] += run * S
        batch.zone[:] += run * Z
        batch.sme_zone_bin[:] += run * (Z + 1)
        batch.run[:] = run
    if es:
        erun = np.repeat(np.arange(runs), es)
        batch.erun[:] = erun
        batch.ef[:] += erun * fs
        batch.ep[:] += erun * P
        # own edges index the second half of the (a_other, a_own) array: R P + p
        np.copyto(batch.ep2, batch.ep + (runs * P) * (batch.ownf > 0))
