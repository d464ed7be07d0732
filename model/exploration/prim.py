"""Scenario discovery: PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999),
for a binary outcome over sampled futures. Pure numpy; the rules follow EMA Workbench's
`Prim` (Kwakkel 2017) so that the two agree on the same data (tests/test_prim.py).

Peeling: from the box holding every future, remove, along one dimension at a time, the
`peel_alpha` share of the futures in the box at its lower or upper end; keep the peel that
raises the share of futures of interest most per future removed (EMA's "lenient1"
objective), while the box holds at least `mass_min` of the futures. Pasting then widens
restricted dimensions again while that raises the share. Every box along the way is a
point of the peeling trajectory: coverage (the share of all futures of interest that are
inside) against density (the share of the box's futures that are of interest).

Each restriction's significance is a quasi-p-value (Bryant and Lempert 2010): a one-sided
binomial test of the box's count of interest against the share in the box with that
restriction lifted.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.errors import InputError

PEEL_ALPHA, PASTE_ALPHA, MASS_MIN = 0.05, 0.05, 0.05
DENSITY_THRESHOLD = 0.8  # the box shown: the widest coverage among boxes this dense
SIGNIFICANT = 0.05  # a restriction with a quasi-p-value below this is significant


@dataclass(frozen=True)
class Box:
    """One box of the trajectory: its limits (2 x dimensions: lower, upper) and figures."""

    limits: np.ndarray
    coverage: float
    density: float
    mass: float
    n: int  # futures in the box
    k: int  # of them, futures of interest
    restricted: tuple[str, ...]
    qp: dict = field(default_factory=dict)  # dimension -> (lower qp, upper qp); -1: no bound


@dataclass(frozen=True)
class PrimResult:
    columns: tuple[str, ...]
    initial: np.ndarray  # 2 x dimensions: the data's range
    boxes: tuple[Box, ...]  # the trajectory, from the box holding everything
    chosen: int  # the box reported (see `choose`)
    total_of_interest: int
    futures: int

    @property
    def trajectory(self) -> pd.DataFrame:
        return pd.DataFrame({
            "step": range(len(self.boxes)),
            "coverage": [b.coverage for b in self.boxes],
            "density": [b.density for b in self.boxes],
            "mass": [b.mass for b in self.boxes],
            "futures": [b.n for b in self.boxes],
            "of_interest": [b.k for b in self.boxes],
            "restricted": [len(b.restricted) for b in self.boxes]})

    @property
    def box(self) -> Box:
        return self.boxes[self.chosen]

    def restrictions(self, i: int | None = None) -> list[dict]:
        """The chosen box's (or box i's) restricted dimensions: bounds, quasi-p-values."""
        box = self.boxes[self.chosen if i is None else i]
        out = []
        for name in box.restricted:
            j = self.columns.index(name)
            low, high = box.limits[:, j]
            lower = low > self.initial[0, j]
            upper = high < self.initial[1, j]
            qp_low, qp_high = box.qp.get(name, (-1.0, -1.0))
            qp = max(q for q in (qp_low, qp_high) if q >= 0) if max(qp_low, qp_high) >= 0 \
                else float("nan")
            out.append({"dimension": name, "low": low if lower else None,
                        "high": high if upper else None, "qp": qp,
                        "significant": bool(qp < SIGNIFICANT)})
        return out

    def conditions(self, labels: dict | None = None, i: int | None = None) -> list[str]:
        """The chosen box's (or box i's) restrictions in words: 'lock_in_rate > 0.12'."""
        labels = labels or {}
        parts = []
        for r in self.restrictions(i):
            name = labels.get(r["dimension"], r["dimension"])
            low, high = r["low"], r["high"]
            if low is not None and high is not None:
                parts.append(f"{name} between {_num(low)} and {_num(high)}")
            elif low is not None:
                parts.append(f"{name} > {_num(low)}")
            else:
                parts.append(f"{name} < {_num(high)}")
        return parts

    def figures(self, what: str = "adverse", i: int | None = None) -> str:
        """'81% of adverse futures, 92% of the futures in the box (mass 30%, volume 12% of
        the explored space)'."""
        box = self.boxes[self.chosen if i is None else i]
        return (f"{box.coverage:.0%} of {what} futures, {box.density:.0%} of the futures in "
                f"the box (mass {box.mass:.0%}, volume {self.volume(i):.0%} of the explored "
                "space)")

    def volume(self, i: int | None = None) -> float:
        """The box's share of the explored space: the product over its restricted
        dimensions of the box's width over the range the futures span (`initial`)."""
        box = self.boxes[self.chosen if i is None else i]
        share = 1.0
        for name in box.restricted:
            j = self.columns.index(name)
            span = self.initial[1, j] - self.initial[0, j]
            if span > 0:
                share *= (box.limits[1, j] - box.limits[0, j]) / span
        return float(share)

    def significance(self, i: int | None = None) -> str:
        """The box's weakest restriction in words (`significance_words` of its largest
        quasi-p-value); 'no restriction' for the box holding everything."""
        qps = [r["qp"] for r in self.restrictions(i) if r["qp"] == r["qp"]]
        return significance_words(max(qps)) if qps else "no restriction"

    def rules(self, what: str = "adverse", labels: dict | None = None,
              i: int | None = None) -> str:
        """The box in words: 'adverse when lock_in_rate > 0.12 and acquisition_rate > 0.04:
        81% of adverse futures, 92% of the futures in the box'."""
        parts = self.conditions(labels, i)
        where = " and ".join(parts) if parts else "in any future (no box found)"
        return f"{what} when {where}: {self.figures(what, i)}"


# quasi-p-value bounds and their words, strongest first (the last: anything above 0.05)
SIGNIFICANCE_WORDS = ((0.001, "strong: p < 0.001"), (0.01, "clear: p < 0.01"),
                      (SIGNIFICANT, "significant: p < 0.05"), (math.inf, "weak: p > 0.05"))


def significance_words(qp: float) -> str:
    """A quasi-p-value in words: 'strong: p < 0.001' ... 'weak: p > 0.05'."""
    return next(words for bound, words in SIGNIFICANCE_WORDS if qp < bound)


def _num(value: float) -> str:
    return f"{value:.3g}"


def prim(x: pd.DataFrame, y, *, peel_alpha: float = PEEL_ALPHA,
         paste_alpha: float = PASTE_ALPHA, mass_min: float = MASS_MIN,
         threshold: float = DENSITY_THRESHOLD) -> PrimResult:
    """The peeling and pasting trajectory of one box over the futures `x` (one numeric
    column per dimension) for the cases of interest `y` (booleans)."""
    columns = tuple(str(c) for c in x.columns)
    X = x.to_numpy(dtype=float)
    y = np.asarray(y, dtype=bool)
    if X.ndim != 2 or not len(columns) or len(X) != len(y) or not len(y):
        raise InputError("PRIM needs one row of values per future and an outcome for each",
                         fix="run an exploration with at least one uncertainty")
    n = len(y)
    t_coi = int(y.sum())
    initial = np.vstack([X.min(axis=0), X.max(axis=0)])
    prim_ = _Prim(X, y.astype(float), initial, peel_alpha, paste_alpha, mass_min, t_coi,
                  columns)
    prim_.peel()
    prim_.paste()
    boxes = tuple(prim_.boxes)
    return PrimResult(columns, initial, boxes, choose(boxes, threshold), t_coi, n)


def choose(boxes, threshold: float) -> int:
    """The box to report: the widest coverage among boxes at least `threshold` dense, else
    the densest (ties: the earlier, wider one)."""
    dense = [i for i, b in enumerate(boxes) if b.density >= threshold]
    if dense:
        return max(dense, key=lambda i: (boxes[i].coverage, -i))
    return max(range(len(boxes)), key=lambda i: (boxes[i].density, -i))


class _Prim:
    def __init__(self, X, y, initial, peel_alpha, paste_alpha, mass_min, t_coi, columns):
        self.X, self.y, self.initial = X, y, initial
        self.peel_alpha, self.paste_alpha, self.mass_min = peel_alpha, paste_alpha, mass_min
        self.n, self.t_coi, self.columns = len(y), t_coi, columns
        self.limits = initial.copy()
        self.inside = np.arange(len(y))
        self.boxes: list[Box] = []
        self._record()

    def _restricted(self, limits) -> np.ndarray:
        return np.flatnonzero(~np.all(limits == self.initial, axis=0))

    def _record(self) -> None:
        inside = self.inside
        k = int(self.y[inside].sum())
        restricted = self._restricted(self.limits)
        self.boxes.append(Box(self.limits.copy(), k / self.t_coi if self.t_coi else 0.0,
                              k / len(inside) if len(inside) else 0.0, len(inside) / self.n,
                              len(inside), k, tuple(self.columns[j] for j in restricted),
                              self._quasi_p(restricted, k, len(inside))))

    def _objective(self, old, new) -> float:
        """EMA's lenient1: the change of the mean over the change of the count."""
        mean_old = np.mean(self.y[old])
        mean_new = np.mean(self.y[new]) if len(new) else 0
        if mean_old == mean_new:
            return 0
        return (mean_new - mean_old) / abs(len(old) - len(new))

    def _best(self, candidates):
        """(objective, unrestricted dimensions) largest first; the first among equals."""
        return max(enumerate(candidates), key=lambda e: (e[1][0], e[1][1], -e[0]))[1]

    def peel(self) -> None:
        d = self.X.shape[1]
        while True:
            candidates = []
            for j in range(d):
                xj = self.X[self.inside, j]
                for upper in (True, False):
                    limit = get_quantile(xj, 1 - self.peel_alpha if upper else
                                         self.peel_alpha)
                    keep = self.inside[xj <= limit] if upper else self.inside[xj >= limit]
                    limits = self.limits.copy()
                    limits[1 if upper else 0, j] = limit
                    candidates.append((self._objective(self.inside, keep),
                                       d - len(self._restricted(limits)), limits, keep))
            obj, _, limits, keep = self._best(candidates)
            mass_old, mass_new = len(self.inside) / self.n, len(keep) / self.n
            if not (mass_new >= self.mass_min and mass_new < mass_old and obj > 0):
                return
            self.limits, self.inside = limits, keep
            self._record()

    def _in_box(self, limits, dims) -> np.ndarray:
        X = self.X[:, dims]
        return np.all((limits[0, dims] <= X) & (X <= limits[1, dims]), axis=1)

    def paste(self) -> None:
        d = self.X.shape[1]
        while True:
            restricted = self._restricted(self.limits)
            candidates = []
            for j in restricted:
                for lower in (True, False):
                    target = self.limits.copy()
                    if lower:
                        target[:, j] = self.initial[0, j], self.limits[0, j]
                    else:
                        target[:, j] = self.limits[1, j], self.initial[1, j]
                    data = self.X[self._in_box(target, restricted), j]
                    if lower:
                        value = get_quantile(data, 1 - self.paste_alpha) if data.size else \
                            self.initial[0, j]
                    else:
                        value = get_quantile(data, self.paste_alpha) if data.size else \
                            self.initial[1, j]
                    limits = self.limits.copy()
                    limits[0 if lower else 1, j] = value
                    keep = np.flatnonzero(self._in_box(limits, restricted))
                    candidates.append((self._objective(self.inside, keep),
                                       d - len(self._restricted(limits)), limits, keep))
            if not candidates:
                return
            obj, _, limits, keep = self._best(candidates)
            mass_old, mass_new = len(self.inside) / self.n, len(keep) / self.n
            if not (mass_new >= self.mass_min and mass_new > mass_old and obj > 0 and
                    np.mean(self.y[keep]) > np.mean(self.y[self.inside])):
                return
            self.limits, self.inside = limits, keep
            self._record()

    def _quasi_p(self, restricted, k: int, n: int) -> dict:
        out = {}
        for j in restricted:
            values = []
            for side in (0, 1):
                if self.limits[side, j] == self.initial[side, j]:
                    values.append(-1.0)
                    continue
                lifted = self.limits.copy()
                lifted[side, j] = self.initial[side, j]
                inside = self.y[self._in_box(lifted, restricted)]
                p = inside.sum() / len(inside)
                values.append(binomial_greater(k, n, p))
            out[self.columns[j]] = tuple(values)
        return out


def _binomial_sf():
    """scipy.special's binomial survival function, or None (a scipy without it)."""
    try:
        from scipy.special._ufuncs import _binom_sf
    except ImportError:
        return None
    return _binom_sf


def warm_prim() -> threading.Thread:
    """Import what `binomial_greater` needs (scipy.special: a fifth of a second) in a
    thread, so that an exploration's wait for its runs covers it; PRIM's first call then
    finds it loaded (Python's import lock makes a call during the import wait for it)."""
    thread = threading.Thread(target=_binomial_sf, name="warm-prim", daemon=True)
    thread.start()
    return thread


def binomial_greater(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p): `scipy.stats.binomtest(k, n, p,
    alternative="greater").pvalue`, by the function it ends in (the binomial survival
    function of scipy.special, at k - 1, clipped to [0, 1]) without importing scipy.stats,
    which costs a command most of a second. Tests check it against binomtest."""
    if k <= 0:
        return 1.0  # binomtest: sf(-1) is 1 below the support
    _binom_sf = _binomial_sf()
    if _binom_sf is None:  # a scipy without it: the public test
        from scipy.stats import binomtest

        return float(binomtest(k, n, p, alternative="greater").pvalue)
    return min(1.0, float(np.clip(_binom_sf(float(k - 1), float(n), float(p)), 0.0, 1.0)))


def get_quantile(data: np.ndarray, quantile: float) -> float:
    """The quantile as sdtoolkit (and EMA Workbench) take it: the midpoint of the two
    order statistics around the position, moved past ties away from the median."""
    data = np.sort(data)
    i = (len(data) - 1) * quantile
    low, high = int(math.floor(i)), int(math.ceil(i))
    if quantile > 0.5:
        while data[low] == data[high] and low > 0:
            low -= 1
    else:
        while data[low] == data[high] and high < len(data) - 1:
            high += 1
    return (data[low] + data[high]) / 2
