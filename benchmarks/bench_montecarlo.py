"""A Monte Carlo of the default scenario on local worker processes. Prints figures.

    python benchmarks/bench_montecarlo.py                  # 1,000 runs, 40 steps, 2 workers
    python benchmarks/bench_montecarlo.py --runs 200 --workers 1
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None):
    from model.builtin import default_scenario
    from model.engine import prepare, run_metrics
    from model.experiments import PROCESSES, monte_carlo

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--preset", default=None)
    args = parser.parse_args(argv)
    scenario = default_scenario()
    if args.preset:
        scenario = scenario.with_preset(args.preset)
    prepared = prepare(scenario)
    start = time.perf_counter()
    for seed in range(20):
        run_metrics(prepared, seed, args.steps)
    one = (time.perf_counter() - start) / 20
    print(f"one run of the default scenario ({args.steps} steps), in this process: "
          f"{1e3 * one:.1f} ms")
    start = time.perf_counter()
    result = monte_carlo(prepared, args.runs, args.steps, executor=PROCESSES,
                         workers=args.workers)
    wall = time.perf_counter() - start
    shares = ", ".join(f"{k} {v:.0%}" for k, v in result.outcome_shares.items())
    print(f"Monte Carlo: {args.runs:,} runs x {args.steps} steps on {args.workers} worker "
          f"processes: {wall:.1f} s wall ({args.runs / wall:.1f} runs/s, including starting "
          f"the workers); outcomes: {shares}")


if __name__ == "__main__":
    main()
