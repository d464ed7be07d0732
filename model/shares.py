"""Shares in whole percent, one rule for every place that shows them (workbook, CLI, window).

    whole_percents({"adverse": 0, "mixed": 0.005, "benign": 0.995})
    # {"adverse": 0, "mixed": 1, "benign": 99}

Largest remainder (Hamilton's method): each share's percent rounded down, then the points
still missing to 100 go to the largest remainders. Two guards come first, so that a share
never reads as what it is not: a share above none is at least 1 %, a share below all is at
most 99 % (199 of 200 runs: 99 % and 1 %, never 100 % beside 1 %). A row of shares that sum
to 1 thus always shows figures that sum to 100; the sentences use the same figures.
"""
from __future__ import annotations

import math
from collections.abc import Mapping


def whole_percents(shares: Mapping[str, float]) -> dict[str, int]:
    """Each share (fractions summing to 1; NaN counts as 0) as a whole percent; the
    figures sum to 100 (0 when every share is 0). Ties go to the share named first."""
    values = {k: (float(v) if v == v and v > 0 else 0.0) for k, v in shares.items()}
    total = sum(values.values())
    if total <= 0:
        return {k: 0 for k in values}
    exact = {k: 100.0 * v / total for k, v in values.items()}
    out = {k: _floor(x) for k, x in exact.items()}
    for k, x in exact.items():  # above none reads at least 1; below all is below 100
        if 0 < x and out[k] == 0:
            out[k] = 1
    order = list(values)
    missing = 100 - sum(out.values())
    if missing > 0:
        ranked = sorted(order, key=lambda k: (-(exact[k] - out[k]), order.index(k)))
        for k in ranked[:missing]:
            out[k] += 1
    while missing < 0:  # guards pushed the row over 100: take from the largest figures
        k = max((k for k in order if out[k] > 1), key=lambda k: (out[k] - exact[k], out[k]))
        out[k] -= 1
        missing += 1
    return out


def percent_text(value: int) -> str:
    """A whole percent as every view writes it: '99%'."""
    return f"{value}%"


def share_words(shares: Mapping[str, float]) -> dict[str, str]:
    """`whole_percents` as text: {'benign': '99%', ...}."""
    return {k: percent_text(v) for k, v in whole_percents(shares).items()}


def part_of(count: int, total: int) -> tuple[int, int]:
    """`count` of `total` and the rest, as whole percents summing to 100."""
    if total <= 0:
        return 0, 0
    split = whole_percents({"part": count / total, "rest": (total - count) / total})
    return split["part"], split["rest"]


def _floor(x: float) -> int:
    return int(math.floor(x + 1e-9))  # 0.29 * 100 is 28.999999999999996, which is 29
