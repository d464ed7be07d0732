"""Each policy's bands over time across the futures of an exploration: per step and metric,
the mean and the 5th, 50th and 95th percentiles over the futures (each future: the mean of
its seeds' runs, as in the rows of the exploration).

The trajectories are not kept: only each future's running sum over its seeds, for at most
`kept_futures` futures per policy (a memory budget, `BAND_MEMORY`), and the percentiles at
the end. When the budget holds fewer futures than were sampled, the bands are those of
the first futures sampled: a Latin hypercube's rows come in random order, so they are a
random subset (the count is kept beside the bands and printed with them).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from model.calendar import Quarter
from model.experiments.analyses import summarise

BAND_MEMORY = 64_000_000  # bytes: the sums the bands keep while an exploration runs


def kept_futures(futures: int, policies: int, steps: int, metrics: int,
                 budget: int | None = None) -> int:
    """How many futures per policy the bands are computed from: all of them when their
    sums fit `budget` bytes (default BAND_MEMORY), else as many as fit (at least one)."""
    budget = BAND_MEMORY if budget is None else budget
    per_future = (steps + 1) * metrics * 8 * max(1, policies)
    return max(1, min(futures, budget // per_future))


class StepBands:
    """Collects runs (`add`) and gives the bands (`frame`): one row per policy and step."""

    def __init__(self, policies: tuple[str, ...], futures: int, seeds: int, steps: int,
                 metrics: int, budget: int | None = None):
        self.policies, self.futures, self.seeds = policies, futures, seeds
        self.kept = kept_futures(futures, len(policies), steps, metrics, budget)
        self._sums = np.zeros((len(policies), self.kept, steps + 1, metrics))

    def add(self, variant: int, table: np.ndarray) -> None:
        """One run of future `variant % futures` under policy `variant // futures`."""
        policy, future = divmod(variant, self.futures)
        if policy < len(self.policies) and future < self.kept:
            self._sums[policy, future] += table

    def frame(self, start: Quarter) -> pd.DataFrame:
        """policy, step, quarter, then KEY_mean, KEY_p5, KEY_p50, KEY_p95 per metric."""
        parts = []
        for p, name in enumerate(self.policies):
            part = summarise(self._sums[p] / self.seeds, start)
            part.insert(0, "policy", name)
            parts.append(part)
        return pd.concat(parts, ignore_index=True)
