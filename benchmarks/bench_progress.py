"""How soon a Monte Carlo's progress moves: the first progress reports of an ensemble of the
default scenario on local worker processes, with and without the small first batches
(`iter_runs(quick_start=...)`). Prints figures.

    python benchmarks/bench_progress.py                   # 1,000 runs of 40 steps, 2 workers
    python benchmarks/bench_progress.py --runs 200 --workers 1

The times include starting the workers (the pool is new each time, as in the window).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def reports(prepared, runs: int, steps: int, workers: int, quick: bool):
    """[(seconds, runs done)] of every progress report, and the total seconds."""
    from model.experiments.runner import PROCESSES, Variant, iter_runs

    start, seen = time.monotonic(), []
    for _ in iter_runs([prepared], [Variant(0, {})], range(runs), steps, executor=PROCESSES,
                       workers=workers, quick_start=quick,
                       progress=lambda done, _total: seen.append(
                           (time.monotonic() - start, done))):
        pass
    return seen, time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from model.builtin import resolve_builtin
    from model.engine import prepare
    from model.experiments.runner import warm_up

    warm_up()  # as the window does after start-up
    prepared = prepare(resolve_builtin("default"))
    for quick in (True, False):
        seen, total = reports(prepared, args.runs, args.steps, args.workers, quick)
        first = ", ".join(f"{done} runs at {at:.2f} s" for at, done in seen[:3])
        print(f"quick_start={quick!s:5}  first reports: {first};  all {args.runs} runs in "
              f"{total:.2f} s")


if __name__ == "__main__":
    main()
