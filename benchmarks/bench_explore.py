"""An exploration of the default scenario: sampled futures under several policies, then
PRIM, Sobol indices and robustness. Prints figures.

    python benchmarks/bench_explore.py                        # 2,000 futures x 3 policies
    python benchmarks/bench_explore.py --futures 500 --workers 1 --method morris
    python benchmarks/bench_explore.py --executor here        # in this process, no workers
    python benchmarks/bench_explore.py --futures 500 --sensitivity-runs 11000  # Sobol N=256

The wall time covers sampling, starting the workers, every run, the sensitivity design's
runs, PRIM and the indices; the parts are printed beside it.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--futures", type=int, default=2000)
    parser.add_argument("--policies", default="current,benign_policy,adverse_policy")
    parser.add_argument("--method", default="sobol", help="sobol, morris or none")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--executor", default="processes", help="processes or here")
    parser.add_argument("--sensitivity-runs", type=int, default=None,
                        help="the sensitivity design's budget (default: as many as futures)")
    args = parser.parse_args(argv)

    from model.builtin import default_scenario
    from model.experiments import PROCESSES
    from model.exploration.experiment import explore

    executor = PROCESSES if args.executor == "processes" else None
    method = None if args.method == "none" else args.method
    policies = args.policies.split(",")
    started = time.perf_counter()
    result = explore(default_scenario(), futures=args.futures, policies=policies,
                     method=method, executor=executor, workers=args.workers,
                     sensitivity_runs=args.sensitivity_runs)
    wall = time.perf_counter() - started
    futures_runs = args.futures * len(policies)
    design_runs = 0 if result.sensitivity_design is None else len(result.sensitivity_design.samples)
    runs = futures_runs + design_runs
    print(f"futures {args.futures} x {len(policies)} policies = {futures_runs} runs, "
          f"sensitivity design ({method}) {design_runs} runs, {args.workers} workers "
          f"({args.executor})")
    print(f"wall {wall:.1f} s  runs {result.timings['runs']:.1f} s "
          f"({runs / result.timings['runs']:.0f} runs/s)  "
          f"prim {result.timings['prim'] * 1000:.0f} ms  "
          f"indices {result.timings['sensitivity'] * 1000:.0f} ms")
    if result.discovery is not None:
        box = result.discovery.boxes[result.discovery.chosen]
        print(f"PRIM box: coverage {box.coverage:.2f} density {box.density:.2f} "
              f"restricting {', '.join(box.restricted) or 'nothing'}")
    print(result.robustness[["rank", "policy", "benign", "mixed", "adverse"]]
          .to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
