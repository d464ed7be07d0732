"""Waves of history matching (Vernon, Goldstein and Bower 2010; Andrianakis et al. 2015).

Wave 1 draws a Latin hypercube over the plausible ranges; each sample is run (several
seeds) and scored per pattern (model.calibration.implausibility). A sample is kept when its
largest implausibility over the fitted patterns is under the cutoff. The next wave draws
inside the kept region: the bounding box of the kept samples, widened on each side by the
expected gap between k uniform points and the edge of their interval (width / (k + 1)),
held inside the previous box. Without an emulator every sample is scored by the model
itself, so the kept samples of every wave belong to the not-implausible set: all are kept.

A fitted pattern that no sample of wave 1 (the whole plausible space) brings under the
cutoff is structural: the model cannot reproduce it with any coefficient set tried. It is
reported, and the keep rule reads the other fitted patterns (its tolerance is never
widened). `evaluate(samples, wave)` returns the model's (means, seed variances) per
sample and pattern and the seeds per sample.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.calibration.implausibility import CUTOFF, band, implausibility, largest
from model.calibration.patterns import Pattern
from model.errors import InputError
from model.exploration.futures import Uncertainty, sample

MAX_WAVES = 20
MAX_SAMPLES = 20_000  # per wave


@dataclass(frozen=True, eq=False)
class Wave:
    number: int
    box: tuple[Uncertainty, ...]  # the ranges this wave sampled
    samples: pd.DataFrame
    means: np.ndarray  # (samples, patterns)
    scores: np.ndarray  # implausibility (samples, patterns)
    kept: np.ndarray  # bool per sample
    space_share: float  # estimated share of the plausible space still not implausible
    runs: int

    @property
    def worst(self) -> np.ndarray:
        return self.scores.max(axis=1) if self.scores.size else np.zeros(len(self.samples))


@dataclass(frozen=True, eq=False)
class Calibration:
    space: tuple[Uncertainty, ...]  # the plausible ranges
    patterns: tuple[Pattern, ...]
    waves: tuple[Wave, ...]
    cutoff: float
    seeds: int
    structural: tuple[str, ...]  # ids of fitted patterns no sample reproduced
    stopped_early: str = ""  # why fewer waves ran than asked, if so
    meta: dict = field(default_factory=dict)  # scenario, data version, ... (the caller's)

    @property
    def fitted(self) -> list[int]:
        return fitted_columns(self.patterns, self.structural)

    @property
    def runs(self) -> int:
        return sum(w.runs for w in self.waves)

    def kept(self) -> pd.DataFrame:
        """Every kept sample of every wave, with its wave and largest implausibility over
        the fitted patterns, best first."""
        frames = []
        for w in self.waves:
            frame = w.samples[w.kept].copy()
            frame.insert(0, "wave", w.number)
            frame["max_implausibility"] = largest(w.scores, self.fitted)[w.kept]
            frames.append(frame)
        if not frames:
            return pd.DataFrame()
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values("max_implausibility", kind="stable").reset_index(drop=True)

    def kept_means(self) -> np.ndarray:
        """The model means (kept samples, patterns), in the order of the waves."""
        parts = [w.means[w.kept] for w in self.waves]
        return np.concatenate(parts) if parts else np.zeros((0, len(self.patterns)))

    def representative(self) -> dict[str, float] | None:
        """The kept sample of least largest implausibility (None when none was kept)."""
        kept = self.kept()
        if not len(kept):
            return None
        return {u.key: float(kept.iloc[0][u.key]) for u in self.space}

    def ranges(self) -> dict[str, tuple[float, float]]:
        """Per coefficient, the range of the kept samples ({} when none was kept)."""
        kept = self.kept()
        if not len(kept):
            return {}
        return {u.key: (float(kept[u.key].min()), float(kept[u.key].max()))
                for u in self.space}

    def bands(self) -> list[dict]:
        """Per pattern: the model's p5-p95 band over the plausible space (wave 1's
        samples) and over the kept samples, and its least implausibility."""
        first, kept = self.waves[0], self.kept_means()
        least = np.min(np.concatenate([w.scores for w in self.waves]), axis=0)
        return [{"pattern": p, "before": band(first.means[:, j]),
                 "after": band(kept[:, j]) if len(kept) else None,
                 "least_implausibility": float(least[j])}
                for j, p in enumerate(self.patterns)]


def fitted_columns(patterns: Sequence[Pattern], structural: Sequence[str]) -> list[int]:
    """The columns of the patterns the keep rule reads: fitted, and not structural."""
    return [j for j, p in enumerate(patterns) if p.fitted and p.id not in structural]


def check_design(waves: int, runs_per_wave: int, seeds: int, cutoff: float) -> None:
    for name, value, top in (("--waves", waves, MAX_WAVES),
                             ("--runs-per-wave", runs_per_wave, MAX_SAMPLES),
                             ("--seeds", seeds, 100)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or \
                not 1 <= value <= top:
            raise InputError(f"{name} {value!r} is not a whole number from 1 to {top:,}",
                             fix=f"give {name} N")
    if runs_per_wave < 2:
        raise InputError(f"--runs-per-wave {runs_per_wave} is too few to bound a region",
                         fix="give --runs-per-wave 2 or more (hundreds in practice)")
    if not cutoff > 0:
        raise InputError(f"--cutoff {cutoff:g} is not above 0", fix="give --cutoff 3")


def history_match(space: Sequence[Uncertainty], patterns: Sequence[Pattern],
                  evaluate: Callable[[pd.DataFrame, int], tuple[np.ndarray, np.ndarray, int]],
                  *, waves: int = 3, runs_per_wave: int = 300, seeds: int = 3,
                  cutoff: float = CUTOFF, seed: int = 0,
                  report: Callable[[Wave, "Calibration"], None] | None = None) -> Calibration:
    """Waves of samples, each scored by `evaluate`; `report(wave, so_far)` after each."""
    check_design(waves, runs_per_wave, seeds, cutoff)
    if not any(p.fitted for p in patterns):
        raise InputError("no pattern is marked use=fit", fix="mark the patterns to "
                                                            "calibrate against fit")
    space, patterns = tuple(space), tuple(patterns)
    box, done, structural, why, n_seeds = space, [], (), "", seeds
    for number in range(1, waves + 1):
        samples = sample(list(box), runs_per_wave, seed + number - 1)
        means, seed_vars, n_seeds = evaluate(samples, number)
        scores = implausibility(patterns, means, seed_vars, n_seeds)
        if number == 1:
            structural = tuple(p.id for j, p in enumerate(patterns)
                               if p.fitted and not (scores[:, j] < cutoff).any())
        kept = largest(scores, fitted_columns(patterns, structural)) < cutoff
        share = _volume(box, space) * float(kept.mean())
        wave = Wave(number, box, samples, np.asarray(means, float), scores, kept, share,
                    len(samples) * n_seeds)
        done.append(wave)
        result = Calibration(space, patterns, tuple(done), cutoff, n_seeds, structural)
        if report is not None:
            report(wave, result)
        if not kept.any():
            why = f"wave {number} kept no sample: no coefficient set tried reproduces " \
                  "all the fitted patterns together"
            break
        box = next_box(box, samples[kept])
    return Calibration(space, patterns, tuple(done), cutoff, n_seeds, structural,
                       why if len(done) < waves else "")


def next_box(box: Sequence[Uncertainty], kept: pd.DataFrame) -> tuple[Uncertainty, ...]:
    """The bounding box of the k kept samples, width / (k + 1) wider on each side (k
    uniform points leave that much on average between their extremes and the edges),
    inside `box`; a coefficient whose kept values are all equal keeps its range."""
    out = []
    for u in box:
        pad = (u.high - u.low) / (len(kept) + 1)
        low = max(u.low, float(kept[u.key].min()) - pad)
        high = min(u.high, float(kept[u.key].max()) + pad)
        if not low < high:
            low, high = u.low, u.high
        out.append(Uncertainty(u.key, low, high))
    return tuple(out)


def _volume(box: Sequence[Uncertainty], space: Sequence[Uncertainty]) -> float:
    """The box's share of the plausible space's volume."""
    share = 1.0
    for b, s in zip(box, space):
        share *= (b.high - b.low) / (s.high - s.low)
    return share
