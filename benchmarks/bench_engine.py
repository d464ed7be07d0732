"""Engine speed and memory: firm-steps per second on synthetic:N, speed over the plain
reference implementation, and peak memory of a large run. Prints figures; asserts nothing.

    python benchmarks/bench_engine.py                      # N = 10,000 and 100,000
    python benchmarks/bench_engine.py --sizes 1000000      # one size
    python benchmarks/bench_engine.py --whole 1000000      # `run synthetic:N` as a process
    python benchmarks/bench_engine.py --reference          # engine vs reference, synthetic:2000
    python benchmarks/bench_engine.py --reference 10000    # ... on another size
    python benchmarks/bench_engine.py --memory 1000000     # peak memory, in a fresh process
    python benchmarks/bench_engine.py --batches            # runs/s against the batch size
    python benchmarks/bench_engine.py --batches 1,64 --scenario synthetic:2000
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from timing import best_time  # noqa: E402


def timed(function, *args, repeats=1):
    """(best wall time of `repeats` calls, the last call's value)."""
    value = []
    best = best_time(lambda: value.append(function(*args)), repeats)
    return best, value[-1]


def repeats_for(n: int) -> int:
    """Short timings get more repeats: the best of many is the least disturbed by the
    machine's other work (the advice of Python's timeit)."""
    return 30 if n <= 10_000 else 10 if n <= 100_000 else 1


def firm_steps(prepared, steps: int) -> int:
    """Firm slots the engine steps over, entrants included (sum over steps of n_t)."""
    from model.engine import Engine

    engine, total = Engine(prepared, 0), 0
    for _ in range(steps):
        engine.advance()
        total += engine.state.n
    return total


def speed(sizes, steps):
    """Per size: building synthetic:N, preparing it (the engine's arrays), step 0 (the
    initial state and its metrics), the steps with their metrics, and the result tables,
    each timed alone (wall seconds, best of a few for the small sizes)."""
    from model.builtin import synthetic_scenario
    from model.engine import Engine, prepare, run, run_metrics

    print(f"{'firms':>10} {'build s':>8} {'prepare s':>9} {'step 0 s':>8} {'steps s':>8} "
          f"{'ms/step':>8} {'M firm-steps/s':>14} {'incl. entrants':>14} "
          f"{'result tables s':>15}")
    for n in sizes:
        build, scenario = timed(synthetic_scenario, n, 0)
        compile_s, prepared = timed(prepare, scenario)
        start, _ = timed(_step_zero, Engine, prepared, repeats=repeats_for(n))
        stepping = min(_steps(_step_zero(Engine, prepared), steps)
                       for _ in range(repeats_for(n)))
        simulate, _ = timed(run_metrics, prepared, 0, steps, repeats=repeats_for(n))
        whole, result = timed(run, prepared, steps, 0)
        tables, _ = timed(lambda: len(result.firms))  # built when first read
        actual = firm_steps(prepared, steps)
        print(f"{n:>10,} {build:>8.2f} {compile_s:>9.2f} {start:>8.3f} {stepping:>8.3f} "
              f"{1e3 * stepping / steps:>8.2f} {n * steps / stepping / 1e6:>14.2f} "
              f"{actual / stepping / 1e6:>14.2f} "
              f"{max(0.0, whole - simulate) + tables:>15.2f}")
    print("M firm-steps/s counts N firms x steps; 'incl. entrants' counts the firms each "
          "step actually ran over; result tables: the run's tables and its firm table")


def _step_zero(engine_class, prepared):
    engine = engine_class(prepared, 0)
    engine.metrics()
    return engine


def _steps(engine, steps) -> float:
    """Wall seconds of `steps` steps of the engine, each with its metrics."""
    start = time.perf_counter()
    for _ in range(steps):
        engine.advance()
        engine.metrics()
    return time.perf_counter() - start


def whole(n, steps):
    """`python main.py run synthetic:N --runs 1 --quiet` as a fresh process: wall time, CPU
    time (user + system) and peak resident memory, as /usr/bin/time -v reports them, and
    the machine's load (other work on the cores slows the wall time)."""
    command = [sys.executable, str(ROOT / "main.py"), "run", f"synthetic:{n}", "--runs", "1",
               "--steps", str(steps), "--quiet"]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the run failed: {' '.join(command)}")
    print(f"run synthetic:{n:,} --runs 1 --steps {steps} --quiet, whole process: "
          f"{wall:.2f} s wall, {usage.ru_utime + usage.ru_stime:.2f} s CPU "
          f"({usage.ru_utime:.2f} user + {usage.ru_stime:.2f} system), peak memory "
          f"{usage.ru_maxrss / 1024:,.0f} MB; load average {load:.1f} on {os.cpu_count()} "
          "cores before it")


REFERENCE_ROUNDS = 5  # rounds of (one reference run, the best of ENGINE_REPEATS engine runs)
ENGINE_REPEATS = 20


def reference(n, steps):
    """The engine's speed over the reference on synthetic:N. The two are timed in
    alternating rounds, each a reference run and the best of 20 engine runs right after
    it, so that both meet the same machine (this VM's speed drifts by +-25 % from minute to
    minute); each round gives a ratio, and the median and range are printed."""
    import numpy as np

    from model.builtin import synthetic_scenario
    from model.engine import METRIC_KEYS, prepare, run_metrics
    from reference_model import simulate

    scenario = synthetic_scenario(n, 0).with_parameters(noise_sigma=0.0, entry_rate=0.0,
                                                       acquisition_rate=0.0)
    prepared = prepare(scenario)
    run_metrics(prepared, 0, steps)  # warm: the step-0 template is built once per scenario
    rounds = []
    for _ in range(REFERENCE_ROUNDS):
        reference_s, (rows, _, _) = timed(simulate, scenario.network, scenario.parameters,
                                          steps)
        engine_s, table = timed(run_metrics, prepared, 0, steps, repeats=ENGINE_REPEATS)
        rounds.append((reference_s, engine_s))
    ratios = sorted(ref / eng for ref, eng in rounds)
    gap = max(abs(rows[t][k] - table[t, j]) / max(1.0, abs(rows[t][k]))
              for t in range(steps + 1) for j, k in enumerate(METRIC_KEYS))
    print(f"synthetic:{n}, {steps} steps (no noise, entry, acquisitions), "
          f"{REFERENCE_ROUNDS} rounds: engine {min(e for _, e in rounds):.4f} s (best), "
          f"reference {min(r for r, _ in rounds):.2f}-{max(r for r, _ in rounds):.2f} s; "
          f"engine {np.median(ratios):,.0f}x faster (median of the rounds; range "
          f"{ratios[0]:,.0f}-{ratios[-1]:,.0f}x); largest relative gap in the metrics "
          f"{gap:.1e}")
    assert np.isfinite(gap)


BATCH_SIZES = "1,8,64,256,1024"
BATCH_ROUNDS = 3  # each size timed in this many rounds, sizes alternating; the best counts


def batches(sizes, steps, name):
    """Runs per second of the batched engine in this process (one core) against the batch
    size, on the built-in scenario or synthetic:N; at least 256 runs per timing, every
    size timed in alternating rounds (the machine's drift then meets all sizes alike)."""
    from model.cli.common import load_scenario_arg
    from model.engine import batch_metrics, prepare

    prepared = prepare(load_scenario_arg(name, 0))
    batch_metrics(prepared, 0, 2, 2)  # the step-0 template is built once per scenario
    best = {size: float("inf") for size in sizes}
    for _ in range(BATCH_ROUNDS):
        for size in sizes:
            total = max(size, 256)
            start = time.perf_counter()
            for first in range(0, total, size):
                batch_metrics(prepared, first, size, steps)
            best[size] = min(best[size], (time.perf_counter() - start) / total)
    print(f"{name}, {steps} steps, one core: runs/s against the batch size "
          f"(best of {BATCH_ROUNDS} rounds)")
    print(f"{'batch':>6} {'runs/s':>8} {'ms/run':>7} {'vs 1':>6}")
    for size in sizes:
        print(f"{size:>6} {1 / best[size]:>8,.0f} {1e3 * best[size]:>7.2f} "
              f"{best[sizes[0]] / best[size]:>5.1f}x")


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
    parser.add_argument("--reference", type=int, nargs="?", const=2000, metavar="N",
                        help="engine vs reference on synthetic:N (default 2000)")
    parser.add_argument("--memory", type=int, metavar="N")
    parser.add_argument("--whole", type=int, metavar="N",
                        help="time `run synthetic:N` as a whole process")
    parser.add_argument("--batches", nargs="?", const=BATCH_SIZES, metavar="SIZES",
                        help=f"runs/s against the batch size (default {BATCH_SIZES})")
    parser.add_argument("--scenario", default="default",
                        help="with --batches: default or synthetic:N")
    args = parser.parse_args(argv)
    if args.batches:
        batches([int(s) for s in args.batches.split(",")], args.steps, args.scenario)
    elif args.memory:
        memory(args.memory, args.steps)
    elif args.whole:
        whole(args.whole, args.steps)
    elif args.reference:
        reference(args.reference, args.steps)
    else:
        speed([int(s) for s in args.sizes.split(",")], args.steps)
    print(f"(peak memory of this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)")


if __name__ == "__main__":
    main()
