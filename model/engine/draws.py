"""Counter-based random numbers: every draw of a run is a hash of (its seed, the mechanism,
the step, the index of what is drawn for), so that a batch draws for all its runs in one
vectorised pass and a run gets the same numbers alone or in any batch (docs/ODD.md,
"Stochasticity"; docs/decisions.md).

The hash is SplitMix64's output function (Steele, Lea and Flood 2014), a bijection of 64
bits that passes BigCrush when applied to a counter. A (seed, mechanism, step) pair keys a
SplitMix64 sequence: key = mix(mix(seed G + SALT) + c G), c = mechanism 2^32 + step (+ the
attempt 2^40 for rejection samplers), and the i-th number is mix(key + (i + 1) G). The
mechanisms have their own keys, so a change in one never shifts the numbers of another
(common random numbers across scenarios).

uint64 arithmetic wraps modulo 2^64 on arrays (which is what the hash wants); scalars
would warn, so everything here stays an array.
"""
from __future__ import annotations

import numpy as np

GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # 2^64 / the golden ratio, odd
SALT = np.uint64(0x2545F4914F6CDD1D)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
TO_UNIT = 2.0 ** -53

# the mechanisms, each with its own numbers
NOISE, ACQUISITIONS, ENTRY, ENTRY_PLATFORM, ENFORCEMENT, ZONES = range(6)


def mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on a uint64 array (a new array)."""
    x = x ^ (x >> _S30)
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def seed_keys(seeds) -> np.ndarray:
    """Each run's base key from its seed (a whole number in [0, 2^63))."""
    seeds = np.asarray(seeds, dtype=np.uint64).reshape(-1)
    return mix(seeds * GOLDEN + SALT)


def stream_keys(base: np.ndarray, mechanism: int, step: int, attempt: int = 0) -> np.ndarray:
    """Per run, the key of its numbers for a mechanism at a step (and attempt)."""
    counter = np.array([(attempt << 40) | (mechanism << 32) | step], dtype=np.uint64)
    return mix(base + counter * GOLDEN)


def words(keys: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The index-th 64-bit word of each key's sequence (keys and index broadcast)."""
    return mix(keys + (np.asarray(index, dtype=np.uint64) + np.uint64(1)) * GOLDEN)


def to_unit(w: np.ndarray) -> np.ndarray:
    """Uniforms in [0, 1) from 64-bit words (their top 53 bits)."""
    return (w >> _S11).astype(float) * TO_UNIT


def uniforms(keys: np.ndarray, index: np.ndarray) -> np.ndarray:
    return to_unit(words(keys, index))


def block_uniforms(keys: np.ndarray, n: int) -> np.ndarray:
    """(runs, n) uniforms: numbers 0 .. n - 1 of each run's key."""
    return uniforms(keys[:, None], np.arange(n, dtype=np.uint64)[None, :])


def levels16(keys: np.ndarray, n: int) -> np.ndarray:
    """(runs, n) uniform 16-bit levels: words 0 .. ceil(n / 4) - 1 of each run's key, each
    cut in four (levels 4j .. 4j + 3 from word j, low bits first)."""
    count = (n + 3) // 4
    w = words(keys[:, None], np.arange(count, dtype=np.uint64)[None, :])
    return np.ascontiguousarray(w).view(np.uint16).reshape(len(keys), 4 * count)[:, :n]


def levels16_range(keys: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Levels start .. stop - 1 of a single key's `levels16` (start a multiple of 4): the
    same numbers, for a part of a large run drawn on its own thread."""
    if start % 4:
        raise ValueError(f"levels from {start}: a part starts on a multiple of 4")
    count = (stop - start + 3) // 4
    w = words(keys[:1, None], np.arange(start // 4, start // 4 + count,
                                        dtype=np.uint64)[None, :])
    return np.ascontiguousarray(w).view(np.uint16).reshape(-1)[:stop - start]


POISSON_INVERSION = 10.0  # below this mean, inversion; from it, PTRS (Hoermann 1993)


def poisson(base: np.ndarray, mechanism: int, step: int, lam: np.ndarray) -> np.ndarray:
    """(runs, k) Poisson counts with means lam (runs, k): count j of run r from the
    numbers of (run r's key, mechanism, step) at index j (and, for large means, at the
    attempts of the rejection sampler), so a count depends on nothing else."""
    lam = np.asarray(lam, dtype=float)
    runs, width = lam.shape
    counts = np.zeros(lam.shape, dtype=np.int64)
    keys = stream_keys(base, mechanism, step)
    small = lam < POISSON_INVERSION
    if small.any():
        r, j = np.nonzero(small & (lam > 0))
        counts[r, j] = _inverse_poisson(lam[r, j], uniforms(keys[r], j))
    if not small.all():
        r, j = np.nonzero(~small)
        counts[r, j] = _ptrs(base, mechanism, step, r, j, lam[r, j])
    return counts


def _inverse_poisson(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The smallest k with F(k) > u, by the recurrence p(k) = p(k - 1) lam / k; stops at
    lam + 60 (F is 1 to the last bit long before, for lam < 10)."""
    k = np.zeros(len(lam), dtype=np.int64)
    p = np.exp(-lam)
    F = p.copy()
    todo = np.flatnonzero(u >= F)
    step = 0
    while len(todo) and step < 70:
        step += 1
        k[todo] = step
        p[todo] *= lam[todo] / step
        F[todo] += p[todo]
        todo = todo[u[todo] >= F[todo]]
    return k


# log k! for k < LOGFACT_TABLE exactly, Stirling's series beyond
LOGFACT_TABLE = 16
_LOGFACT = np.array([float(np.sum(np.log(np.arange(1, k + 1)))) for k in range(LOGFACT_TABLE)])
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680)


def log_factorial(k: np.ndarray) -> np.ndarray:
    """log k! for whole numbers k >= 0 (Stirling's series past the table: error < 1e-14)."""
    k = np.asarray(k, dtype=float)
    out = np.empty_like(k)
    table = k < LOGFACT_TABLE
    out[table] = _LOGFACT[k[table].astype(np.int64)]
    x = k[~table] + 1.0  # log k! = log Gamma(k + 1)
    inv2 = 1.0 / (x * x)
    series = _STIRLING[3]
    for c in _STIRLING[2::-1]:
        series = series * inv2 + c
    out[~table] = (x - 0.5) * np.log(x) - x + 0.5 * np.log(2 * np.pi) + series / x
    return out


def _ptrs(base, mechanism, step, r, j, lam):
    """Hoermann's transformed rejection with squeeze (PTRS, 1993) for lam >= 10: attempt
    a of element (r, j) takes numbers 2j and 2j + 1 of the key of attempt a."""
    slam, loglam = np.sqrt(lam), np.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)
    out = np.zeros(len(lam), dtype=np.int64)
    todo = np.arange(len(lam))
    attempt = 0
    while len(todo):
        attempt += 1
        keys = stream_keys(base, mechanism, step, attempt)[r[todo]]
        two = 2 * j[todo].astype(np.uint64)
        U = uniforms(keys, two) - 0.5
        V = uniforms(keys, two + np.uint64(1))
        us = 0.5 - np.abs(U)
        ai, bi = a[todo], b[todo]
        with np.errstate(divide="ignore", invalid="ignore"):
            kk = np.floor((2.0 * ai / us + bi) * U + lam[todo] + 0.43)
            quick = (us >= 0.07) & (V <= vr[todo])
            hopeless = (kk < 0) | ((us < 0.013) & (V > us))
            kk_safe = np.maximum(kk, 0.0)
            accept = np.log(V) + np.log(inv_alpha[todo]) - np.log(ai / (us * us) + bi) <= \
                -lam[todo] + kk_safe * loglam[todo] - log_factorial(kk_safe)
        done = quick | (~hopeless & accept)
        out[todo[done]] = kk[done].astype(np.int64)
        todo = todo[~done]
    return out
