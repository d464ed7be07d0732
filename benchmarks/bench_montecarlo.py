"""Monte Carlo ensembles of the default scenario on local worker processes. Prints figures.

    python benchmarks/bench_montecarlo.py                  # 1,000 and 10,000 runs, 2 workers
    python benchmarks/bench_montecarlo.py --runs 200 --workers 1
    python benchmarks/bench_montecarlo.py --stop           # from Stop to the workers gone

Each ensemble runs in a fresh process, so its wall time includes starting the workers and
its peak memory is that of the whole process tree (the parent and its workers, summed,
sampled every 20 ms; psutil, which the test extra installs, is needed for that figure).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def tree_memory_sampler():
    """(start, stop) of a thread that records the largest summed resident memory of this
    process and its children; stop() returns it in bytes (None without psutil)."""
    try:
        import psutil
    except ImportError:
        return (lambda: None), (lambda: None)
    me = psutil.Process()
    peak, done = [0], threading.Event()

    def sample():
        while not done.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], total)
            done.wait(0.02)

    thread = threading.Thread(target=sample, daemon=True)

    def stop():
        done.set()
        thread.join()
        return peak[0]
    return thread.start, stop


def one(runs: int, steps: int, workers: int, preset: str | None) -> dict:
    """One ensemble in this process: wall time from the call to the result."""
    from model.builtin import default_scenario
    from model.engine import prepare
    from model.experiments import PROCESSES, monte_carlo

    scenario = default_scenario()
    if preset:
        scenario = scenario.with_preset(preset)
    prepared = prepare(scenario)
    start_sampling, stop_sampling = tree_memory_sampler()
    start_sampling()
    start = time.perf_counter()
    result = monte_carlo(prepared, runs, steps, executor=PROCESSES, workers=workers)
    wall = time.perf_counter() - start
    peak = stop_sampling()
    return {"runs": runs, "wall": wall, "peak": peak, "shares": result.outcome_shares}


def stop_latency(workers: int) -> dict:
    """Stop pressed 1 s into a 10,000-run ensemble: seconds until the experiment has
    raised Cancelled, and until no worker process is left."""
    import multiprocessing

    from model.builtin import default_scenario
    from model.engine import Cancelled, prepare
    from model.experiments import PROCESSES, monte_carlo

    prepared = prepare(default_scenario())
    pressed = []
    start = time.perf_counter()

    def cancel():
        if not pressed and time.perf_counter() - start > 1.0:
            pressed.append(time.perf_counter())
        return bool(pressed)

    try:
        monte_carlo(prepared, 10_000, 40, executor=PROCESSES, workers=workers, cancel=cancel)
    except Cancelled:
        pass
    stopped = time.perf_counter() - pressed[0]
    while multiprocessing.active_children():
        time.sleep(0.005)
    return {"stopped": stopped, "workers_gone": time.perf_counter() - pressed[0]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default="1000,10000", help="ensemble sizes, comma-separated")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--preset", default=None)
    parser.add_argument("--stop", action="store_true", help="measure Stop instead")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child's ensemble
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.steps, args.workers, args.preset)))
        return
    if args.stop:
        figures = stop_latency(args.workers)
        print(f"Stop 1 s into 10,000 runs on {args.workers} workers: the experiment ended "
              f"{1e3 * figures['stopped']:.0f} ms after Stop, the last worker was gone after "
              f"{1e3 * figures['workers_gone']:.0f} ms")
        return
    for runs in (int(r) for r in args.runs.split(",")):
        command = [sys.executable, __file__, "--one", str(runs), "--steps", str(args.steps),
                   "--workers", str(args.workers)] + (["--preset", args.preset]
                                                      if args.preset else [])
        figures = json.loads(subprocess.run(command, capture_output=True, text=True,
                                            check=True).stdout.splitlines()[-1])
        peak = f"{figures['peak'] / 2 ** 20:,.0f} MB" if figures["peak"] else "n/a (no psutil)"
        shares = ", ".join(f"{k} {v:.0%}" for k, v in figures["shares"].items())
        print(f"Monte Carlo: {runs:,} runs x {args.steps} steps on {args.workers} worker "
              f"processes: {figures['wall']:.1f} s wall ({runs / figures['wall']:,.0f} runs/s, "
              f"starting the workers included); peak memory of the process tree {peak}; "
              f"outcomes: {shares}")


if __name__ == "__main__":
    main()
