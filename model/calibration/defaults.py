"""The registry's defaults against a calibration: which default lies outside its
calibrated range, the best-fitting kept sample (least largest implausibility) and the
calibrated medoid that the defaults of the uncertain coefficients are (docs/decisions.md,
"Defaults are the calibrated medoid").

    python -m model.calibration.defaults [resources/data/calibrated.json]

prints one line per coefficient: key, default, calibrated range, representative value,
medoid value, and "outside" where the default is not in the range, "not the medoid" where
it differs from the medoid. After a new calibration the registry's defaults are edited to
the medoid this lists (tests/test_calibrated_defaults.py fails until they are).
"""
from __future__ import annotations

import sys

from model.calibration.store import DEFAULT_CALIBRATED, load
from model.parameters import PARAMETERS


def comparison(path: str | None = None) -> list[dict]:
    """Per calibrated coefficient its default, range, representative and medoid values
    and verdicts."""
    found = load(path or DEFAULT_CALIBRATED)
    rows = []
    for key, (low, high) in found.ranges.items():
        default = float(PARAMETERS[key].default)
        medoid = found.defaults.get(key)
        rows.append({"key": key, "default": default, "low": low, "high": high,
                     "representative": found.representative.get(key), "medoid": medoid,
                     "outside": not low <= default <= high,
                     "not_medoid": medoid is not None and default != medoid})
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
        med = "-" if r["medoid"] is None else f"{r['medoid']:.6g}"
        flag = ("  outside" if r["outside"] else "") + \
            ("  not the medoid" if r["not_medoid"] else "")
        print(f"{r['key']:<24} default {r['default']:<10.6g} calibrated "
              f"{r['low']:.4g} .. {r['high']:.4g}  representative {rep}  medoid {med}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
