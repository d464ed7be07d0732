"""The calibrated sample the registry's defaults are (docs/decisions.md, "Defaults are the
calibrated medoid"): the medoid of the kept samples, the kept sample whose summed Euclidean
distance to all the others is least, in coordinates scaled by each coefficient's plausible
range ((x - low) / (high - low)), so that a coefficient counts by the share of its doubt
and not by its unit. Ties go to the earlier row (the kept samples are stored best first).

Why the medoid: it is a sample that was run and kept (a mean of the kept set need not be
kept: the set is not convex), and it sits in the middle of what the history allows, where
the best-fitting sample (least largest implausibility) sits wherever seed noise put the
luckiest run, often near an edge of the kept set."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

RULE = ("medoid of the kept samples: least summed Euclidean distance to the other kept "
        "samples, each coefficient scaled by its plausible range; ties to the earlier row")
CHUNK = 512  # rows per block of the distance matrix (memory: CHUNK x samples doubles)


def medoid_row(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> int:
    """The row of `values` (samples, coefficients) that is their medoid in range-scaled
    coordinates."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or not len(values):
        raise ValueError("the medoid of no samples")
    width = np.asarray(high, dtype=float) - np.asarray(low, dtype=float)
    scaled = (values - low) / np.where(width > 0, width, 1.0)
    squares = (scaled ** 2).sum(axis=1)
    totals = np.empty(len(scaled))
    for start in range(0, len(scaled), CHUNK):
        block = scaled[start:start + CHUNK]
        gram = block @ scaled.T  # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, without a 3-d array
        d2 = squares[start:start + CHUNK, None] + squares[None, :] - 2 * gram
        totals[start:start + CHUNK] = np.sqrt(np.clip(d2, 0.0, None)).sum(axis=1)
    return int(np.argmin(totals))  # argmin returns the first of equal totals


def medoid_of(columns: Sequence[str], samples: Sequence[Sequence[float]],
              plausible: Mapping[str, Sequence[float]]) -> tuple[int, dict[str, float]]:
    """The medoid row of a stored table of kept samples (`columns` name its cells; those
    without a plausible range, as the wave and the implausibility, are not coordinates)
    and its coefficient values."""
    keys = [k for k in columns if k in plausible]
    index = [list(columns).index(k) for k in keys]
    table = np.asarray(samples, dtype=float)[:, index]
    low = np.array([float(plausible[k][0]) for k in keys])
    high = np.array([float(plausible[k][1]) for k in keys])
    row = medoid_row(table, low, high)
    return row, {k: float(table[row, j]) for j, k in enumerate(keys)}
