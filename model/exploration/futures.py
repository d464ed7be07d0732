"""What we do not know, and samples of it (MODEL.md section 8).

An uncertainty is a coefficient with a range to explore: by default its plausible range
from the registry (`model.parameters`, each with its reason); the user may narrow or widen
it (within the hard range), fix it at a value, or add a lever or any other coefficient. A
future is one Latin-hypercube sample of all uncertainties (scipy.stats.qmc's algorithm,
seeded, here in numpy: importing scipy.stats costs a command most of a second).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.errors import InputError
from model.parameters import PARAMETERS, UNCERTAIN, parameter

MAX_FUTURES = 100_000  # a bound on one exploration's samples (each runs under every policy)


@dataclass(frozen=True)
class Uncertainty:
    key: str
    low: float
    high: float

    @property
    def integer(self) -> bool:
        return PARAMETERS[self.key].integer

    @property
    def label(self) -> str:
        return PARAMETERS[self.key].label


def uncertainties(ranges: Mapping[str, tuple[float, float]] | None = None,
                  fixed: Mapping[str, float] | None = None,
                  keys: Iterable[str] | None = None) -> list[Uncertainty]:
    """The registry's uncertain coefficients (or `keys`) with their plausible ranges,
    `ranges` replacing or adding ranges (checked against the hard ranges), less the `fixed`
    keys (they hold one value in every future)."""
    ranges, fixed = dict(ranges or {}), dict(fixed or {})
    for key in (*ranges, *fixed):
        parameter(key)
    both = set(ranges) & set(fixed)
    if both:
        raise InputError(f"{sorted(both)[0]} is both uncertain and fixed",
                         fix="give it a range or a value, not both")
    chosen = list(keys) if keys is not None else list(UNCERTAIN)
    chosen += [k for k in ranges if k not in chosen]
    out = []
    for key in chosen:
        if key in fixed:
            continue
        spec = parameter(key)
        low, high = ranges.get(key) or spec.plausible or (None, None)
        if low is None:
            raise InputError(f"{key} has no plausible range", fix=f"give one: "
                             f"--uncertain {key}=LOW:HIGH within [{spec.low:g}, {spec.high:g}]")
        low, high = spec.check(low), spec.check(high)
        if not low < high:
            raise InputError(f"the range of {key} is empty ({low:g} to {high:g})",
                             fix="give LOW below HIGH, or --fix the value")
        out.append(Uncertainty(key, low, high))
    if not out:
        raise InputError("nothing is uncertain", fix="give at least one --uncertain "
                                                     "KEY=LOW:HIGH, or fix fewer keys")
    return out


def sample(space: list[Uncertainty], futures: int, seed: int = 0) -> pd.DataFrame:
    """`futures` Latin-hypercube samples, one row per future, one column per uncertainty
    (whole numbers rounded), seeded."""
    if isinstance(futures, bool) or not isinstance(futures, (int, np.integer)) or \
            not 1 <= futures <= MAX_FUTURES:
        raise InputError(f"futures {futures!r} is not a whole number from 1 to "
                         f"{MAX_FUTURES:,}", fix="give --futures N, e.g. 1000")
    unit = latin_hypercube(len(space), futures, seed)
    lows = np.array([u.low for u in space])
    highs = np.array([u.high for u in space])
    values = unit * (highs - lows) + lows  # qmc.scale's formula
    frame = pd.DataFrame(values, columns=[u.key for u in space])
    for u in space:
        if u.integer:
            frame[u.key] = np.round(frame[u.key])
    return frame


def latin_hypercube(d: int, n: int, seed: int) -> np.ndarray:
    """(n, d) points of a Latin hypercube in [0, 1): the values of
    `scipy.stats.qmc.LatinHypercube(d, seed=np.random.default_rng(seed)).random(n)`
    (strength 1, scrambled, no optimisation) to the last bit, which tests check. As that
    class does, it draws from a generator spawned from the seeded one: the uniform offsets
    within each stratum, then a shuffle of the strata of each dimension."""
    parent = np.random.default_rng(seed).bit_generator
    rng = np.random.Generator(type(parent)(parent.seed_seq.spawn(1)[0]))
    offsets = rng.uniform(size=(n, d))
    strata = np.tile(np.arange(1, n + 1), (d, 1))
    for i in range(d):
        rng.shuffle(strata[i, :])
    return (strata.T - offsets) / n
