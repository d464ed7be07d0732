"""Engine speed and memory: firm-steps per second on synthetic:N, speed over the plain
reference implementation, and peak memory of a large run. Prints figures; asserts nothing.

    python benchmarks/bench_engine.py                      # N = 10,000 and 100,000
    python benchmarks/bench_engine.py --sizes 1000000      # one size
    python benchmarks/bench_engine.py --reference          # engine vs reference, synthetic:2000
    python benchmarks/bench_engine.py --memory 1000000     # peak memory, in a fresh process
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def timed(function, *args, repeats=1):
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function(*args)
        best = min(best, time.perf_counter() - start)
    return best, value


def speed(sizes, steps):
    from model.builtin import synthetic_scenario
    from model.engine import prepare, run, run_metrics

    print(f"{'firms':>10} {'build s':>8} {'compile s':>9} {'simulate s':>10} "
          f"{'M firm-steps/s':>14} {'ms/step':>8} {'result tables s':>15}")
    for n in sizes:
        build, scenario = timed(synthetic_scenario, n, 0)
        compile_s, prepared = timed(prepare, scenario)
        repeats = 10 if n <= 10_000 else 3 if n <= 100_000 else 1
        simulate, _ = timed(run_metrics, prepared, 0, steps, repeats=repeats)
        whole, _ = timed(run, prepared, steps, 0)
        print(f"{n:>10,} {build:>8.2f} {compile_s:>9.2f} {simulate:>10.3f} "
              f"{n * steps / simulate / 1e6:>14.2f} {1e3 * simulate / steps:>8.2f} "
              f"{max(0.0, whole - simulate):>15.2f}")


def reference(n, steps):
    import numpy as np

    from model.builtin import synthetic_scenario
    from model.engine import METRIC_KEYS, prepare, run_metrics
    from reference_model import simulate

    scenario = synthetic_scenario(n, 0).with_parameters(noise_sigma=0.0, entry_rate=0.0,
                                                       acquisition_rate=0.0)
    prepared = prepare(scenario)
    # best of several runs for both (the engine's are short, so it gets more of them):
    # on a busy machine a single timing says more about the neighbours than the code
    engine_s, table = timed(run_metrics, prepared, 0, steps, repeats=10)
    reference_s, (rows, _, _) = timed(simulate, scenario.network, scenario.parameters, steps,
                                      repeats=2)
    gap = max(abs(rows[t][k] - table[t, j]) / max(1.0, abs(rows[t][k]))
              for t in range(steps + 1) for j, k in enumerate(METRIC_KEYS))
    print(f"synthetic:{n}, {steps} steps (no noise, entry, acquisitions): engine "
          f"{engine_s:.3f} s, reference {reference_s:.1f} s, engine {reference_s / engine_s:,.0f}x "
          f"faster; largest relative gap in the metrics {gap:.1e}")
    assert np.isfinite(gap)


def memory(n, steps):
    """Peak resident memory of building synthetic:N and running it, in a fresh process."""
    code = (f"import sys, resource; sys.path.insert(0, {str(ROOT)!r})\n"
            "from model.builtin import synthetic_scenario\n"
            "from model.engine import prepare, run\n"
            "peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
            f"s = synthetic_scenario({n}, 0); built = peak()\n"
            f"p = prepare(s); compiled = peak()\n"
            f"r = run(p, {steps}, 0); done = peak()\n"
            "print(f'{built:.0f} {compiled:.0f} {done:.0f} {len(r.firms)}')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    built, compiled, done, firms = (float(x) for x in out)
    print(f"synthetic:{n:,}, {steps} steps: peak resident memory {built:,.0f} MB after "
          f"building the network, {compiled:,.0f} MB after compiling, {done:,.0f} MB at the "
          f"end of the run with its result tables ({int(firms):,} firms incl. entrants)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--memory", type=int, metavar="N")
    args = parser.parse_args(argv)
    if args.memory:
        memory(args.memory, args.steps)
    elif args.reference:
        reference(2000, args.steps)
    else:
        speed([int(s) for s in args.sizes.split(",")], args.steps)
    print(f"(peak memory of this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)")


if __name__ == "__main__":
    main()
