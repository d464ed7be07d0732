"""Engine throughput in firm-steps per second on one core, to calibrate the time estimate
of long requests (`model.experiments.limits.FIRM_STEPS_PER_SECOND`).

    python benchmarks/bench_estimate.py

Prints, for a few scenario sizes, the firm-steps per second of one run and of a batch of
runs stepped together (as a Monte Carlo's worker does). Takes about half a minute.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import best_time  # noqa: E402

from model.builtin import resolve_builtin  # noqa: E402
from model.engine.run import prepare, run_batch  # noqa: E402

CASES = (("default", 40, 1), ("default", 40, 64), ("synthetic:10000", 20, 1),
         ("synthetic:10000", 20, 8), ("synthetic:100000", 5, 1))


def firms(prepared) -> int:
    counts = prepared.network.counts()
    return sum(counts[k] for k in ("leader", "sme", "foreign"))


def main() -> None:
    print(f"{'scenario':<18}{'steps':>6}{'runs':>6}{'seconds':>9}{'firm-steps/s':>15}")
    for spec, steps, runs in CASES:
        prepared = prepare(resolve_builtin(spec, 0))
        seconds = best_time(lambda: run_batch(prepared, 0, runs, steps), 2)
        rate = firms(prepared) * steps * runs / seconds
        print(f"{spec:<18}{steps:>6}{runs:>6}{seconds:>9.2f}{rate:>15,.0f}")


if __name__ == "__main__":
    main()
