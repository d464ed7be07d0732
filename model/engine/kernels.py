"""Vectorised building blocks of a step: group sums, shares, migration, segment statistics.

Every function works on whole arrays (no Python loop over firms or edges); the few loops
that remain run over subfields and only where numpy has no segmented equivalent.
"""
from __future__ import annotations

import math
from functools import cache

import numpy as np

DENSE_MIGRATION_ZONES = 2048  # above this, flows are summed through a sort instead
SHOCK_LEVELS = 65536  # growth shocks: equiprobable quantiles of the standard normal
TINY = np.finfo(float).tiny  # below this a positive float is subnormal: 1 / it overflows


@cache
def _normal_quantiles() -> np.ndarray:
    from scipy.special import ndtri

    quantiles = ndtri((np.arange(SHOCK_LEVELS) + 0.5) / SHOCK_LEVELS)
    quantiles.flags.writeable = False
    return quantiles


def shock_draws(rng: np.random.Generator, n: int) -> np.ndarray:
    """n uniform 16-bit levels: the generator's raw 64-bit output cut in four, which costs
    a third of rng.integers (the levels are equally likely either way)."""
    return rng.bit_generator.random_raw((n + 3) // 4).view(np.uint16)[:n]


def shock_table(sigma: float) -> np.ndarray:
    """exp(sigma * eps - sigma^2 / 2) at each normal quantile, rescaled to mean exactly 1.

    A shock is one uniform 16-bit draw into this table: a discretised N(0, 1) (65,536
    equiprobable levels, tails to +-4.3 sd) that costs a fraction of a normal draw."""
    table = np.exp(sigma * _normal_quantiles() - 0.5 * sigma * sigma)
    return table / table.mean()


def group_sum(groups: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """np.bincount with weights, always float (bincount gives int64 for empty input)."""
    return np.bincount(groups, weights, size) if len(groups) else np.zeros(size)


BLAS_DOT_LIMIT = 8192  # longer dot products avoid BLAS, which would start its threads


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """sum(a * b). Long vectors go through einsum, not BLAS: on a busy machine OpenBLAS's
    worker threads, waking for a long dot product and spinning afterwards, cost far more
    than the product itself."""
    if len(a) <= BLAS_DOT_LIMIT:
        return float(a @ b)
    return float(np.einsum("i,i->", a, b))


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


def small_sum(values: np.ndarray) -> float:
    if len(values) <= SMALL_REDUCE:
        return sum(values.tolist())
    return float(np.add.reduce(values))


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


def powered(values: np.ndarray, exponent: float) -> np.ndarray:
    """values ** exponent, with the cheap forms of the common exponents."""
    if exponent == 1.0:
        return values.copy()
    if exponent == 2.0:
        return values * values
    if exponent == 1.5:
        return values * np.sqrt(values)
    if exponent == 0.5:
        return np.sqrt(values)
    return np.power(values, exponent)


def market_shares(K, weight, alive, sub, count, eta, out=None):
    """Shares within each subfield from score = K**eta * weight (weight: 0 for dead
    firms, an operator's boost, else 1).

    Where scores underflow to (almost) nothing in a subfield with alive firms, they are
    computed again on K over the largest alive K of its subfield: the same shares. A
    subfield whose alive firms all have K = 0 splits its market equally.
    `count`: alive firms per subfield; `out`: where to write the shares."""
    score = _scores(K, weight, eta)
    total = group_sum(sub, score, len(count))
    # the common case (scores are kept below 1e250, so their sums are finite)
    if small_min(total, 1.0) >= TINY:
        np.divide(1.0, total, out=total)
        return np.multiply(score, total.take(sub), out=out)
    if ((total < TINY) & (count > 0)).any():
        top = np.zeros(len(count))
        np.maximum.at(top, sub[alive], K[alive])
        score = _scores(K * inverse(top).take(sub), weight, eta)
    return normalise_shares(score, alive, sub, count, out=out)


def _scores(K, weight, eta):
    """K**eta * weight, on K / max K when the largest K**eta could overflow (shares are
    unchanged)."""
    top = float(np.maximum.reduce(K)) if len(K) else 0.0
    if top > 0 and eta * math.log10(top) > 250:
        K = K * (1.0 / top)
    score = powered(K, eta)
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
    summed."""
    if Rz is None:
        Rz = group_sum(zone, R, len(T))
    if small_min(Rz, 1.0) >= TINY:  # the common case: every zone earns
        pool = T / Rz
        if emp != 1.0:
            pool *= emp
        return np.multiply(R, pool.take(zone), out=out)
    pool = emp * T
    L = np.multiply(R, np.take(pool * inverse(Rz), zone), out=out)
    idle = (Rz < TINY) & (count_zone > 0)
    if idle.any():
        L *= np.take(~idle, zone)
        L += alive * np.take(np.where(idle, pool * inverse(count_zone), 0.0), zone)
    return L


def migration(T, att, stay, chi, att_scale):
    """Outflow and inflow of every zone; all flows planned from the old values.

    F_yz = chi * stay_y * T_y * (att_z - att_y)+ / (sum_w (att_w - att_y)+ + att_scale).
    """
    if len(T) <= DENSE_MIGRATION_ZONES:
        gap = np.subtract(att, att[:, None])  # gap[y, z] = att_z - att_y
        np.maximum(gap, 0.0, out=gap)
        pull = np.add.reduce(gap, axis=1)
        coef = stay * T if chi == 1.0 else chi * stay * T
        coef /= pull + att_scale  # F_yz = coef_y gap[y, z]
        into = coef @ gap if len(T) <= 64 else np.einsum("y,yz->z", coef, gap)  # 1 thread
        return coef * pull, into
    return _migration_sorted(T, att, stay, chi, att_scale)


def _migration_sorted(T, att, stay, chi, att_scale):
    order = np.argsort(att, kind="stable")
    a = att[order]
    n = len(a)
    suffix = np.concatenate([np.cumsum(a[::-1])[::-1], [0.0]])
    above = np.searchsorted(a, att, side="right")  # first strictly greater
    pull = suffix[above] - (n - above) * att
    coef = chi * stay * T / (pull + att_scale)
    c_sorted = coef[order]
    c1 = np.concatenate([[0.0], np.cumsum(c_sorted)])
    c2 = np.concatenate([[0.0], np.cumsum(c_sorted * a)])
    below = np.searchsorted(a, att, side="left")  # count strictly smaller
    return coef * pull, att * c1[below] - c2[below]


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


def top_k_slots(values, groups, slots, k, grouped=None):
    """The slots of the k largest values of each group, as an (n_groups, k) grid of slot
    indices and a 0/1 grid of the cells filled (a group of fewer than k slots fills its
    first cells; the others hold slot 0). Ties are broken arbitrarily. `slots`: the slots
    per group; `grouped`: all slot indices ordered by group."""
    n_groups = len(slots)
    top = np.zeros((n_groups, k), dtype=np.intp)
    filled = np.zeros((n_groups, k))
    if grouped is None or len(values) <= SORT_LIMIT:
        order = sort_within_groups(-values, groups, n_groups)
        g = groups[order]
        rank = np.arange(len(order)) - group_bounds(slots)[g]
        pick = rank < k
        top[g[pick], rank[pick]] = order[pick]
        filled[g[pick], rank[pick]] = 1.0
        return top, filled
    bounds = group_bounds(slots)
    for g in np.flatnonzero(slots):  # O(n) partitions, one per group
        seg = grouped[bounds[g]:bounds[g + 1]]
        if len(seg) > k:
            seg = seg[np.argpartition(values.take(seg), len(seg) - k)[len(seg) - k:]]
        top[g, :len(seg)] = seg
        filled[g, :len(seg)] = 1.0
    return top, filled


def quantile_by_group(values, alive, groups, counts, need, q, grouped=None, slots=None):
    """Linear-interpolated q-quantile (numpy's default rule) of the alive values of each
    group in `need`. `counts`: alive members per group; `grouped`: all slot indices ordered
    by group, `slots` their number per group (the large-array path)."""
    c = counts[need].astype(np.intp)
    pos = q * (c - 1)
    lo = np.floor(pos).astype(np.intp)
    frac = pos - lo
    if grouped is None or len(values) <= SORT_LIMIT:
        idx = np.flatnonzero(alive)
        ordered = values[idx][sort_within_groups(values[idx], groups[idx], len(counts))]
        start = group_bounds(counts)[need] + lo
        low, high = ordered[start], ordered[start + np.minimum(1, c - 1 - lo)]
        return low + frac * (high - low)
    ordered = np.where(alive, values, -np.inf).take(grouped)  # dead slots sort first
    bounds = group_bounds(slots)
    out = np.empty(len(need))
    for j, g in enumerate(need):
        seg = ordered[bounds[g]:bounds[g + 1]]
        at = int(slots[g] - c[j] + lo[j])  # skip the dead slots
        seg.partition(at)
        low = seg[at]
        out[j] = low + frac[j] * (seg[at + 1:].min() - low) if frac[j] > 0 else low
    return out


def quantile_near(values, alive, groups, counts, need, q, guess, width):
    """`quantile_by_group` for the groups whose quantile lies near a guess (last step's):
    only the alive values within guess * (1 -+ width) are sorted, the rest only counted.
    Returns (quantiles, solved): where `solved` is False (no usable guess, or the wanted
    ranks fell outside the window) the quantile is NaN and the caller asks the exact path.
    Where solved, the value is the exact path's to the last bit: the same two order
    statistics, interpolated by the same formula."""
    n_groups = len(counts)
    c = counts[need].astype(np.intp)
    pos = q * (c - 1)
    lo = np.floor(pos).astype(np.intp)
    frac = pos - lo
    usable = np.isfinite(guess) & (guess > 0)
    low_edge = np.full(n_groups, np.inf)
    high_edge = np.full(n_groups, -np.inf)
    low_edge[need[usable]] = guess[usable] * (1.0 - width)
    high_edge[need[usable]] = guess[usable] * (1.0 + width)
    at_least = np.flatnonzero((values >= low_edge.take(groups, mode="clip")) & alive)
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
    if solved.any():
        low = ordered[(start + first)[solved]]
        high = ordered[(start + second)[solved]]
        out[solved] = low + frac[solved] * (high - low)
    return out, solved


def gini_and_top_share(values: np.ndarray, k: int) -> tuple[float, float]:
    """(Gini coefficient, share of the k largest) of `values`, from one sort: both 0 when
    the total is not positive, the Gini 0 for fewer than two values, the share 1 for k
    values or fewer."""
    n = len(values)
    if n <= SMALL_GINI:  # a few zones: plain Python beats numpy's per-call cost
        ranked = sorted(values.tolist())
        total = math.fsum(ranked)
        if total <= 0:
            return 0.0, 0.0
        g = math.fsum((2 * r - n - 1) * v for r, v in enumerate(ranked, 1)) / (n * total)
        return g, 1.0 if n <= k else math.fsum(ranked[n - k:]) / total
    ranked = np.sort(values)
    total = float(ranked.sum())
    if total <= 0:
        return 0.0, 0.0
    g = dot(_gini_weights(n), ranked) / (n * total)
    return g, 1.0 if n <= k else float(ranked[n - k:].sum()) / total


SMALL_GINI = 48


@cache
def _gini_weights(n: int) -> np.ndarray:
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    weights.flags.writeable = False
    return weights
