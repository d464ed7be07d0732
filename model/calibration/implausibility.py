"""The implausibility of a model output against an observed pattern (Vernon, Goldstein and
Bower 2010, eq. 5; without an emulator, its variance is the seeds' sampling variance):

    I = d(model mean, observed) / sqrt(observation var + tolerance var + seed var / seeds)

d is |mean - value|, or for a range only the distance to its nearest end (0 inside).
A coefficient set is not implausible when its largest I over the fitted patterns is under
the cutoff (3: Pukelsheim's three-sigma rule holds for any unimodal distribution).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from model.calibration.patterns import Pattern

CUTOFF = 3.0


def implausibility(patterns: Sequence[Pattern], means: np.ndarray, seed_vars: np.ndarray,
                   seeds: int) -> np.ndarray:
    """(samples, patterns) implausibilities from the model's mean over `seeds` runs and
    the variance over those runs, both (samples, patterns)."""
    means = np.asarray(means, dtype=float)
    seed_vars = np.asarray(seed_vars, dtype=float)
    out = np.empty_like(means)
    for j, p in enumerate(patterns):
        distance = p.distance(means[:, j])
        var = p.observation_var + p.tolerance_var + seed_vars[:, j] / max(seeds, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, j] = np.where(distance > 0, distance / np.sqrt(var), 0.0)
    return out  # inf where a distance meets no uncertainty at all


def largest(values: np.ndarray, columns: Sequence[int]) -> np.ndarray:
    """Per sample, the largest implausibility over `columns` (0 when there are none)."""
    if not len(columns):
        return np.zeros(len(values))
    return values[:, list(columns)].max(axis=1)


def band(values: np.ndarray, low: float = 5, high: float = 95) -> tuple[float, float] | None:
    """The p5-p95 band of a pattern's model means over samples (None without samples)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if not len(values):
        return None
    return float(np.percentile(values, low)), float(np.percentile(values, high))


def overlaps(pattern: Pattern, span: tuple[float, float] | None) -> bool | None:
    """Whether the observation lies in the model's band: its range overlaps the band, or
    (a value without a range) the value is inside it."""
    if span is None:
        return None
    lo, hi = span
    if pattern.low is None:
        return lo <= pattern.value <= hi
    return pattern.low <= hi and lo <= pattern.high
