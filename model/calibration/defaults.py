"""The registry's defaults against a calibration: which default lies outside its
calibrated range, and the representative calibrated sample (the kept sample of least
largest implausibility) that the defaults would become (docs/decisions.md, "Calibration").

    python -m model.calibration.defaults [resources/data/calibrated.json]

prints one line per coefficient: key, default, calibrated range, representative value,
and "outside" where the default is not in the range. Changing the registry is the lead's
decision after a real calibration; this only states the edit.
"""
from __future__ import annotations

import sys

from model.calibration.store import DEFAULT_CALIBRATED, load
from model.parameters import PARAMETERS


def comparison(path: str | None = None) -> list[dict]:
    """Per calibrated coefficient its default, range, representative value and verdict."""
    found = load(path or DEFAULT_CALIBRATED)
    rows = []
    for key, (low, high) in found.ranges.items():
        default = float(PARAMETERS[key].default)
        rows.append({"key": key, "default": default, "low": low, "high": high,
                     "representative": found.representative.get(key),
                     "outside": not low <= default <= high})
    return rows


def outside_count(ranges: dict[str, tuple[float, float]]) -> int:
    """How many registry defaults lie outside their calibrated range."""
    return sum(not lo <= float(PARAMETERS[k].default) <= hi for k, (lo, hi) in ranges.items())


def main(argv: list[str]) -> int:
    from model.errors import InputError

    try:
        rows = comparison(argv[0] if argv else None)
    except InputError as error:
        print(f"error: {error.line()}", file=sys.stderr)
        return 2
    for r in rows:
        rep = "-" if r["representative"] is None else f"{r['representative']:.4g}"
        flag = "  outside" if r["outside"] else ""
        print(f"{r['key']:<24} default {r['default']:<10.4g} calibrated "
              f"{r['low']:.4g} .. {r['high']:.4g}  representative {rep}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
