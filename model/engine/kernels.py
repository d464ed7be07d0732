"""Vectorised building blocks of a step: group sums, shares, migration, segment statistics.

Every function works on whole arrays (no Python loop over firms or edges); the few loops
that remain run over the subfields of one large run, where numpy has no segmented
equivalent. Arrays hold a batch of runs laid end to end (state.py): group keys are
(run, group) pairs, so one bincount sums every run's groups at once.

A run's sums over its own values are `block_sum`s, whose bits depend neither on the padding
after them nor on the other runs of the batch; sums into groups are bincounts, which add
in slot order (docs/MODEL_NOTES.md, "Batches").
"""
from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np

from model.engine import parallel

DENSE_MIGRATION_ZONES = 2048  # above this, flows are summed through a sort instead
SHOCK_LEVELS = 65536  # growth shocks: equiprobable quantiles of the standard normal
TINY = np.finfo(float).tiny  # below this a positive float is subnormal: 1 / it overflows


# scipy.special.ndtri at the SHOCK_LEVELS midpoints, stored: importing scipy.special costs a
# third of a second, which every worker process of an ensemble would pay again
QUANTILE_FILE = Path(__file__).resolve().parents[2] / "resources" / "engine" / \
    "normal_quantiles.npy"


@cache
def _normal_quantiles() -> np.ndarray:
    try:
        quantiles = np.load(QUANTILE_FILE, allow_pickle=False)
    except (OSError, ValueError):
        quantiles = None
    if quantiles is None or quantiles.shape != (SHOCK_LEVELS,) or quantiles.dtype != float:
        quantiles = computed_normal_quantiles()
    quantiles.flags.writeable = False
    return quantiles


def computed_normal_quantiles() -> np.ndarray:
    """The standard normal's quantiles at the midpoints of SHOCK_LEVELS equal slices (the
    source of QUANTILE_FILE; tests check that the file holds exactly these values)."""
    from scipy.special import ndtri

    return ndtri((np.arange(SHOCK_LEVELS) + 0.5) / SHOCK_LEVELS)


def shocks_for(sigma):
    """The growth shocks of a state: None without noise, the table of `shock_table` when
    every run has the same sigma, else `RunShocks` (each run its own sigma)."""
    if np.ndim(sigma) == 0:
        if sigma <= 0:
            return None
        table = shock_table(sigma)
        table.flags.writeable = False
        return table
    return RunShocks(np.asarray(sigma, dtype=float)) if np.any(sigma > 0) else None


class RunShocks:
    """Shocks of runs with their own sigma: the value `shock_table(sigma_r)` holds at a
    level, computed where it is drawn (a table per run would hold 0.5 MB each), by the same
    operations, so a run's shocks keep their bits in a batch."""

    def __init__(self, sigma: np.ndarray):
        self.sigma = sigma
        self.drawn = sigma > 0  # a run without noise draws nothing, as alone
        self.half = 0.5 * sigma * sigma
        self.mean = table_means(sigma)

    def values(self, levels: np.ndarray, sigma_slot, half_slot, mean_slot) -> np.ndarray:
        shocks = sigma_slot * _normal_quantiles().take(levels)
        shocks -= half_slot
        np.exp(shocks, out=shocks)
        shocks /= mean_slot
        return shocks


MEAN_ROWS = 16  # sigmas whose raw tables are made at once (16 x 0.5 MB: in cache, twice
# as fast as 64)
_MEANS: dict[float, float] = {}  # sigma -> the mean of its raw table, in this process
MEANS_KEPT = 100_000  # at most this many (an exploration's futures recur per policy)


def table_means(sigma: np.ndarray) -> np.ndarray:
    """Per run, the mean of exp(sigma * eps - sigma^2 / 2) over the normal quantiles, as
    `shock_table` takes it (the same bits): the distinct sigmas not seen before in this
    process are computed MEAN_ROWS at a time, each row summed as a table alone is."""
    flat = np.asarray(sigma, dtype=float).reshape(-1)
    unique, where = np.unique(flat, return_inverse=True)
    new = np.array([v for v in unique.tolist() if v not in _MEANS])
    if len(_MEANS) + len(new) > MEANS_KEPT:
        _MEANS.clear()
    q = _normal_quantiles()
    for start in range(0, len(new), MEAN_ROWS):
        rows = new[start:start + MEAN_ROWS]
        raw = rows[:, None] * q[None, :]
        raw -= (0.5 * rows * rows)[:, None]
        np.exp(raw, out=raw)
        _MEANS.update(zip(rows.tolist(), raw.mean(axis=1).tolist()))
    return np.array([_MEANS[v] for v in unique.tolist()])[where.reshape(-1)]


def shock_table(sigma: float) -> np.ndarray:
    """exp(sigma * eps - sigma^2 / 2) at each normal quantile, rescaled to mean exactly 1.

    A shock is one uniform 16-bit draw into this table: a discretised N(0, 1) (65,536
    equiprobable levels, tails to +-4.3 sd) that costs a fraction of a normal draw."""
    table = np.exp(sigma * _normal_quantiles() - 0.5 * sigma * sigma)
    return table / table.mean()


def group_sum(groups: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """np.bincount with weights, always float (bincount gives int64 for empty input)."""
    return np.bincount(groups, weights, size) if len(groups) else np.zeros(size)


SUM_CHUNK = 512  # values summed pairwise at a time by `block_sum`


def block_sum(values: np.ndarray, n_runs: int) -> np.ndarray:
    """Per-run sums of values laid out as n_runs equal blocks, the same bits however many
    zeros follow a run's values in its block (a batch's padding slots): each block is cut
    in chunks of SUM_CHUNK from its start (the last zero-padded), each chunk summed
    pairwise, and the chunk sums again so, until one value is left. Zeros after a run's
    values only add chunks that sum to exactly 0. About as fast as numpy's own sum."""
    if not len(values):
        return np.zeros(n_runs)
    x = values.reshape(n_runs, -1)
    if x.dtype != float:
        x = x.astype(float)
    while x.shape[1] > 1:
        x = _chunk_sums(x)
    return x[:, 0].copy()


TAIL_WIDTH = 128  # numpy's pairwise block: a short tail is summed over this many slots


def _chunk_sums(x: np.ndarray) -> np.ndarray:
    rows, length = x.shape
    full, rest = divmod(length, SUM_CHUNK)
    out = np.empty((rows, full + (rest > 0)))
    if full:
        np.add.reduce(_chunks(x, rows, full), axis=2, out=out[:, :full])
    if rest:
        # A chunk of `rest` values and zeros: numpy's pairwise sum of SUM_CHUNK values
        # adds blocks of 128 whose all-zero ones add exactly 0, so a tail of up to 120
        # values sums to the same bits over 128 slots as over 512, for a quarter of the
        # work (tests compare both on every length).
        width = TAIL_WIDTH if rest <= TAIL_WIDTH - 8 else SUM_CHUNK
        tail = np.zeros((rows, width))
        tail[:, :rest] = x[:, full * SUM_CHUNK:]
        out[:, full] = np.add.reduce(tail, axis=1)
    return out


def _chunks(x: np.ndarray, rows: int, full: int) -> np.ndarray:
    """The (rows, full, SUM_CHUNK) view of each row's full chunks, without a copy
    (np.ndarray on the buffer: as_strided's Python cost was a third of a small sum's)."""
    shape = (rows, full, SUM_CHUNK)
    strides = (x.strides[0], SUM_CHUNK * x.itemsize, x.itemsize)
    if x.flags.c_contiguous and x.strides[1] == x.itemsize:
        return np.ndarray(shape, x.dtype, buffer=x, strides=strides)
    return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)


def run_max(values: np.ndarray, n_runs: int, empty: float = 0.0) -> np.ndarray:
    """Per-run maxima of `values`, laid out as n_runs equal blocks (`empty` for no values)."""
    if not len(values):
        return np.full(n_runs, empty)
    return np.maximum.reduce(values.reshape(n_runs, -1), axis=1)


SMALL_REDUCE = 64  # up to this many values, Python's min/max/sum beat a numpy reduction


def small_max(values: np.ndarray) -> float:
    """max of a non-empty array; short ones through a list (a numpy reduction costs a
    microsecond or two however short the array)."""
    if len(values) <= SMALL_REDUCE:
        return max(values.tolist())
    return float(np.maximum.reduce(values))


def small_min(values: np.ndarray, initial: float) -> float:
    """min of `initial` and the values, as `small_max`."""
    if len(values) <= SMALL_REDUCE:
        return min(min(values.tolist(), default=initial), initial)
    return float(np.minimum.reduce(values, initial=initial))


def any_positive(values: np.ndarray) -> bool:
    """Whether some value of a non-negative array is positive."""
    return len(values) > 0 and small_max(values) > 0


def ratio_capped(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """min(1, num / den), and 1 where den is 0 (nothing to ration), as min(num, den) / den:
    the same values, and no quotient can overflow (den / den is exactly 1)."""
    top = np.minimum(num, den)
    empty = den <= 0  # (0 + 1) / (0 + 1) there; elsewhere adding 0 changes nothing
    top += empty
    return np.divide(top, den + empty, out=top)


def logistic(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), in place, as (1 + tanh(x / 2)) / 2: no overflow for any x."""
    x *= 0.5
    np.tanh(x, out=x)
    x += 1.0
    x *= 0.5
    return x


def inverse(values: np.ndarray) -> np.ndarray:
    """1 / values, and 0 where values is 0 (small arrays: subfields, zones, platforms).
    Subnormal values count as 0: their inverse would overflow to inf."""
    out = np.zeros(np.shape(values))
    np.divide(1.0, values, out=out, where=values >= TINY)
    return out


def safe_div(num: np.ndarray, den: np.ndarray, fill: float = 0.0) -> np.ndarray:
    out = np.full(np.shape(den), fill, dtype=float)
    np.divide(num, den, out=out, where=den > 0)
    return out


_SPECIAL_POWERS = {1.0: np.copy, 2.0: lambda v: v * v, 1.5: lambda v: v * np.sqrt(v),
                   0.5: np.sqrt}


def powered(values: np.ndarray, exponent, distinct=None) -> np.ndarray:
    """values ** exponent, with the cheap forms of the common exponents. `exponent` may be
    one per value (runs with their own): each value then gets the form its exponent would
    get alone, so a run keeps its bits in a batch. `distinct`: values that include every
    exponent (the runs' own, a few hundred): only the special forms among them are
    looked for over the whole array (sampled exponents are rarely special)."""
    if np.ndim(exponent):
        out = np.power(values, exponent)
        for special, form in _SPECIAL_POWERS.items():
            if distinct is not None and not np.any(distinct == special):
                continue
            where = exponent == special
            if where.any():
                out[where] = form(values[where])
        return out
    if exponent == 1.0:
        return values.copy()
    if exponent == 2.0:
        return values * values
    if exponent == 1.5:
        return values * np.sqrt(values)
    if exponent == 0.5:
        return np.sqrt(values)
    return np.power(values, exponent)


def market_shares(K, weight, alive, sub, count, eta, runs, n_runs, out=None):
    """Shares within each subfield from score = K**eta * weight (weight: 0 for dead
    firms, an operator's boost, else 1).

    Where scores underflow to (almost) nothing in a subfield with alive firms, that
    subfield's scores are computed again on K over its largest alive K: the same shares. A
    subfield whose alive firms all have K = 0 splits its market equally.
    `count`: alive firms per subfield; `runs`: the run of each firm slot; `out`: where to
    write the shares."""
    score = _scores(K, weight, eta, runs, n_runs)
    total = group_sum(sub, score, len(count))
    # the common case (scores are kept below 1e250, so their sums are finite)
    if small_min(total, 1.0) >= TINY:
        np.divide(1.0, total, out=total)
        return np.multiply(score, total.take(sub), out=out)
    under = (total < TINY) & (count > 0)
    if under.any():  # only those subfields are rescaled: the others keep their bits
        top = np.zeros(len(count))
        np.maximum.at(top, sub[alive], K[alive])
        scale = np.where(under, inverse(top), 1.0)
        score = _scores(K * scale.take(sub), weight, eta, runs, n_runs)
    return normalise_shares(score, alive, sub, count, out=out)


def _scores(K, weight, eta, runs, n_runs):
    """K**eta * weight, on K / (its run's max K) in a run whose largest K**eta could
    overflow (shares are unchanged). `eta`: one for all, or per firm slot (each run's
    value over its block: the first slot of each block holds every run's)."""
    top = float(np.maximum.reduce(K)) if len(K) else 0.0
    # (no K above 0, or no slot at all: nothing can overflow, and eta may be empty)
    if top > 0 and (float(np.max(eta)) if np.ndim(eta) else eta) * math.log10(top) > 250:
        run_top = np.zeros(n_runs)
        np.maximum.at(run_top, runs, K)
        run_eta = eta if np.ndim(eta) == 0 else eta.reshape(n_runs, -1)[:, 0]
        with np.errstate(divide="ignore"):
            big = run_eta * np.log10(np.maximum(run_top, TINY)) > 250
        K = K * np.where(big, 1.0 / np.maximum(run_top, TINY), 1.0).take(runs)
    distinct = eta.reshape(n_runs, -1)[:, 0] if np.ndim(eta) and len(eta) else None
    score = powered(K, eta, distinct)
    score *= weight
    return score


def normalise_shares(weight, alive, sub, count, out=None):
    """weight / its subfield's total (weight 0 for dead firms; equal split of a subfield
    whose alive firms all weigh 0, or less than the smallest normal float)."""
    total = group_sum(sub, weight, len(count))
    if small_min(total, 1.0) >= TINY:  # the common case: every subfield has weight
        np.divide(1.0, total, out=total)
        return np.multiply(weight, total.take(sub), out=out)
    share = np.multiply(weight, np.take(inverse(total), sub), out=out)
    empty = (total < TINY) & (count > 0)
    if empty.any():
        share *= np.take(~empty, sub)  # subnormal weights: their shares would not add up
        share += alive * np.take(np.where(empty, inverse(count), 0.0), sub)
    return share


def standard_power(ep, weight, n_plat, rivals):
    """S_p: adoption-weighted lock-in u*l of the platform's alive non-operator users
    (`weight`, 0 elsewhere) over max(1, alive firms of its subfield other than its
    operator) (`rivals`), clipped to 1."""
    total = group_sum(ep, weight, n_plat)
    total /= rivals
    return np.minimum(total, 1.0, out=total)


def abuse_level(S, slope, theta, cap):
    """clip((S - theta) / (1 - theta), 0, 1) * (1 - e), as min(max(slope (S - theta), 0),
    cap) with slope = (1 - e) / (1 - theta) and cap = 1 - e."""
    level = S - theta
    level *= slope
    np.maximum(level, 0.0, out=level)
    return np.minimum(level, cap, out=level)


def allocate_talent(T, zone, R, alive, count_zone, emp, Rz=None, out=None):
    """L_i = emp * T_z * R_i / sum of R in the zone (equal split when the zone earns
    nothing, or less than the smallest normal float). R: revenue or anything proportional
    to it (the engine passes shares), 0 for dead firms; Rz its sum per zone when already
    summed. Both paths compute an earning zone's pool as T / Rz * emp (the same bits)."""
    if Rz is None:
        Rz = group_sum(zone, R, len(T))
    if small_min(Rz, 1.0) >= TINY:  # the common case: every zone earns
        pool = T / Rz
        if np.ndim(emp) or emp != 1.0:  # per zone (runs with their own): x * 1.0 is x
            pool *= emp
        return np.multiply(R, pool.take(zone), out=out)
    earns = Rz >= TINY
    pool = T / np.where(earns, Rz, 1.0)
    if np.ndim(emp) or emp != 1.0:
        pool *= emp
    pool *= earns
    L = np.multiply(R, pool.take(zone), out=out)
    idle = ~earns & (count_zone > 0)
    if idle.any():
        L *= np.take(~idle, zone)
        L += alive * np.take(np.where(idle, emp * T * inverse(count_zone), 0.0), zone)
    return L


def migration(T, att, stay, chi, att_scale, n_runs):
    """Outflow and inflow of every zone of every run; all flows planned from the old values.

    F_yz = chi * stay_y * T_y * (att_z - att_y)+ / (sum_w (att_w - att_y)+ + att_scale).
    Each run's zones are one row of a (runs, zones) array."""
    zones = len(T) // n_runs if n_runs else 0
    if np.ndim(att_scale):  # one per run
        att_scale = np.asarray(att_scale)[:, None]
    if zones <= DENSE_MIGRATION_ZONES:
        a = att.reshape(n_runs, zones)
        gap = np.subtract(a[:, None, :], a[:, :, None])  # gap[r, y, z] = att_z - att_y
        np.maximum(gap, 0.0, out=gap)
        pull = np.add.reduce(gap, axis=2)
        coef = stay * T if chi == 1.0 else chi * stay * T
        coef = coef.reshape(n_runs, zones)
        coef /= pull + att_scale  # F_yz = coef_y gap[y, z]
        gap *= coef[:, :, None]
        into = np.add.reduce(gap, axis=1)  # summed over y in order, zone by zone
        return (coef * pull).ravel(), into.ravel()
    return _migration_sorted(T, att, stay, chi, att_scale, n_runs, zones)


def _migration_sorted(T, att, stay, chi, att_scale, n_runs, zones):
    """The same flows from each run's zones sorted by attractiveness: O(Z log Z)."""
    a_in = att.reshape(n_runs, zones)
    order = np.argsort(a_in, axis=1, kind="stable")
    a = np.take_along_axis(a_in, order, axis=1)
    # in sorted order: first position strictly above, and count strictly below, each value
    above_sorted, below_sorted = _tie_bounds(a)
    above = np.empty_like(above_sorted)
    below = np.empty_like(below_sorted)
    np.put_along_axis(above, order, above_sorted, axis=1)
    np.put_along_axis(below, order, below_sorted, axis=1)
    suffix = np.zeros((n_runs, zones + 1))
    suffix[:, :zones] = np.cumsum(a[:, ::-1], axis=1)[:, ::-1]
    pull = np.take_along_axis(suffix, above, axis=1) - (zones - above) * a_in
    coef = (chi * stay * T).reshape(n_runs, zones) / (pull + att_scale)
    c_sorted = np.take_along_axis(coef, order, axis=1)
    c1 = np.zeros((n_runs, zones + 1))
    c2 = np.zeros((n_runs, zones + 1))
    np.cumsum(c_sorted, axis=1, out=c1[:, 1:])
    np.cumsum(c_sorted * a, axis=1, out=c2[:, 1:])
    into = a_in * np.take_along_axis(c1, below, axis=1) - np.take_along_axis(c2, below, axis=1)
    return (coef * pull).ravel(), into.ravel()


def _tie_bounds(a):
    """For each position of rows sorted ascending: the end of its run of equal values (the
    first position strictly above it) and the start of that run (the count strictly below)."""
    n_runs, zones = a.shape
    pos = np.broadcast_to(np.arange(zones), a.shape)
    starts = np.ones(a.shape, dtype=bool)
    starts[:, 1:] = a[:, 1:] != a[:, :-1]
    start = np.maximum.accumulate(np.where(starts, pos, 0), axis=1)
    ends = np.ones(a.shape, dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    end = np.minimum.accumulate(np.where(ends, pos, zones)[:, ::-1], axis=1)[:, ::-1] + 1
    return end, start


def group_order(groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Indices ordering `groups` (small non-negative integers), stable: a radix sort."""
    small = groups.astype(np.int16 if n_groups < 2 ** 15 else np.int64)
    return np.argsort(small, kind="stable")


def group_bounds(counts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)


SORT_LIMIT = 20000  # below this many firms one lexsort beats a loop over subfields


def sort_within_groups(keys, groups, n_groups):
    """Indices ordering by group, then by key: a quicksort of the keys, then a stable radix
    sort of the (small integer) groups; exact, and faster than np.lexsort."""
    by_key = np.argsort(keys)
    return by_key[group_order(groups[by_key], n_groups)]


def top_k_slots(values, groups, slots, k, grouped=None, only=None):
    """The slots of the k largest values of each group, as an (n_groups, k) grid of slot
    indices and a 0/1 grid of the cells filled (a group of fewer than k slots fills its
    first cells; the others hold slot 0). Ties are broken arbitrarily. `slots`: the slots
    per group (its length is the number of groups; the counts matter only with `grouped`,
    all slot indices ordered by group: one large run's path). `only`: the groups to search
    (their rows are filled; the others stay empty); all when None."""
    n_groups = len(slots)
    top = np.zeros((n_groups, k), dtype=np.intp)
    filled = np.zeros((n_groups, k))
    if grouped is None or len(values) <= SORT_LIMIT:
        idx = None
        if only is not None:
            wanted = np.zeros(n_groups, dtype=bool)
            wanted[only] = True
            idx = np.flatnonzero(wanted.take(groups))
            values, groups = values[idx], groups[idx]
        order = sort_within_groups(-values, groups, n_groups)
        g = groups[order]
        rank = np.arange(len(order)) - np.searchsorted(g, np.arange(n_groups))[g]
        pick = rank < k
        top[g[pick], rank[pick]] = order[pick] if idx is None else idx[order[pick]]
        filled[g[pick], rank[pick]] = 1.0
        return top, filled
    bounds = group_bounds(slots)
    for g in (np.flatnonzero(slots) if only is None else only):  # a partition per group
        seg = grouped[bounds[g]:bounds[g + 1]]
        if len(seg) > k:
            seg = seg[np.argpartition(values.take(seg), len(seg) - k)[len(seg) - k:]]
        top[g, :len(seg)] = seg
        filled[g, :len(seg)] = 1.0
    return top, filled


def quantile_by_group(values, alive, groups, counts, need, q, grouped=None, slots=None,
                      gaps=False):
    """Linear-interpolated q-quantile (numpy's default rule) of the alive values of each
    group in `need`. `counts`: alive members per group; `grouped`: all slot indices ordered
    by group, `slots` their number per group (the large-array path). With `gaps`, also
    the distance between the two order statistics it interpolates (0 when it needs one)."""
    c = counts[need].astype(np.intp)
    pos = q * (c - 1)
    lo = np.floor(pos).astype(np.intp)
    frac = pos - lo
    if grouped is None or len(values) <= SORT_LIMIT:
        idx = np.flatnonzero(alive)
        ordered = values[idx][sort_within_groups(values[idx], groups[idx], len(counts))]
        start = group_bounds(counts)[need] + lo
        low, high = ordered[start], ordered[start + np.minimum(1, c - 1 - lo)]
        out = low + frac * (high - low)
        return (out, high - low) if gaps else out
    bounds = group_bounds(slots)
    out, gap = np.empty(len(need)), np.zeros(len(need))
    for j, g in enumerate(need):  # only the slots of the groups asked for are read
        members = grouped[bounds[g]:bounds[g + 1]]
        seg = np.where(alive.take(members), values.take(members), -np.inf)  # dead first
        at = int(slots[g] - c[j] + lo[j])  # skip the dead slots
        seg.partition(at)
        low = seg[at]
        if frac[j] > 0:
            gap[j] = seg[at + 1:].min() - low
        out[j] = low + frac[j] * gap[j] if frac[j] > 0 else low
    return (out, gap) if gaps else out


def quantile_near(values, alive, groups, counts, need, q, guess, width, gaps=False,
                  split=False):
    """`quantile_by_group` for the groups whose quantile lies near a guess (last step's):
    only the alive values within guess * (1 -+ width) are sorted, the rest only counted.
    Returns (quantiles, solved): where `solved` is False (no usable guess, or the wanted
    ranks fell outside the window) the quantile is NaN and the caller asks the exact path.
    Where solved, the value is the exact path's to the last bit: the same two order
    statistics, interpolated by the same formula. `width`: one for all, or per group.
    With `gaps`, also the distance between those two order statistics (NaN unsolved)."""
    n_groups = len(counts)
    width = np.broadcast_to(width, np.shape(guess))
    c = counts[need].astype(np.intp)
    pos = q * (c - 1)
    lo = np.floor(pos).astype(np.intp)
    frac = pos - lo
    usable = np.isfinite(guess) & (guess > 0)
    low_edge = np.full(n_groups, np.inf)
    high_edge = np.full(n_groups, -np.inf)
    low_edge[need[usable]] = guess[usable] * (1.0 - width[usable])
    high_edge[need[usable]] = guess[usable] * (1.0 + width[usable])
    above = np.empty(len(values), dtype=bool)

    def part(piece):  # (`split`: the two halves at once, parallel.py)
        mine = np.greater_equal(values[piece], low_edge.take(groups[piece], mode="clip"),
                                out=above[piece])
        mine &= alive[piece]

    parallel.over(part, len(values), split)
    at_least = np.flatnonzero(above)
    at_least_groups = groups[at_least]
    below = counts.astype(np.intp) - np.bincount(at_least_groups, minlength=n_groups)
    inside = at_least[values[at_least] <= high_edge.take(at_least_groups, mode="clip")]
    in_groups = groups[inside]
    ordered = values[inside][sort_within_groups(values[inside], in_groups, n_groups)]
    n_inside = np.bincount(in_groups, minlength=n_groups)
    first = lo - below[need]  # rank of the low order statistic within the window
    second = first + np.minimum(1, c - 1 - lo)
    solved = usable & (first >= 0) & (second < n_inside[need]) & (c > 0)
    start = group_bounds(n_inside)[need]
    out = np.full(len(need), np.nan)
    gap = np.full(len(need), np.nan)
    if solved.any():
        low = ordered[(start + first)[solved]]
        high = ordered[(start + second)[solved]]
        gap[solved] = high - low
        out[solved] = low + frac[solved] * gap[solved]
    return (out, solved, gap) if gaps else (out, solved)


def gini_and_top_share(values: np.ndarray, n_runs: int, k: int):
    """(Gini coefficient, share of the k largest) of each run's values (n_runs equal
    blocks), from one sort: both 0 where the total is not positive, the Gini 0 for fewer
    than two values, the share 1 for k values or fewer. Sums run in sorted order."""
    n = len(values) // n_runs if n_runs else 0
    if n == 0:
        return np.zeros(n_runs), np.zeros(n_runs)
    ranked = np.sort(values.reshape(n_runs, n), axis=1)
    total = np.add.accumulate(ranked, axis=1)[:, -1]
    weighted = np.add.accumulate(ranked * _gini_weights(n), axis=1)[:, -1]
    positive = total > 0
    safe = np.where(positive, total, 1.0)
    gini = np.where(positive, weighted / (n * safe), 0.0)
    if n <= k:
        return gini, positive.astype(float)
    top = np.add.accumulate(ranked[:, n - k:], axis=1)[:, -1]
    return gini, np.where(positive, top / safe, 0.0)


@cache
def _gini_weights(n: int) -> np.ndarray:
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    weights.flags.writeable = False
    return weights
