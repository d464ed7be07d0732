"""Time and memory to build the built-in scenarios.

    python benchmarks/bench_build.py [--sizes 10000,100000,1000000] [--repeat 3] [--validate]

Prints, for the default scenario and for synthetic:N at each size, the best wall time of
`--repeat` builds and the peak memory traced during one more build (tracemalloc sees numpy's
and pandas' buffers; it slows the traced build, so times come from untraced runs). With
--validate it also times the full validation (`Network.build`) of each synthetic network.
"""
from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.builtin import default_scenario, synthetic_scenario  # noqa: E402
from model.builtin.facts import load_facts  # noqa: E402
from model.network import Network  # noqa: E402


def best_time(build, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = build()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_mib(build) -> float:
    gc.collect()
    tracemalloc.start()
    build()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def cold_default():
    load_facts.cache_clear()
    return default_scenario.__wrapped__()  # uncached: the real build each time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--validate", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    print(f"{'scenario':<20}{'nodes':>11}{'edges':>11}{'build s':>10}{'peak MiB':>10}"
          f"{'validate s':>12}")
    seconds, scenario = best_time(cold_default, args.repeat)
    report("default (uncached)", scenario, seconds, peak_mib(cold_default))
    default_scenario()  # fill the cache, then time a cached call
    seconds, _ = best_time(default_scenario, args.repeat)
    print(f"{'default (cached)':<20}{'':>22}{seconds:>10.6f}")
    for n in sizes:
        repeat = 1 if n >= 1_000_000 else args.repeat
        seconds, scenario = best_time(lambda n=n: synthetic_scenario(n, 0), repeat)
        checked = None
        if args.validate:
            net = scenario.network
            checked, _ = best_time(lambda: Network.build(net.nodes, net.edges), 1)
        report(f"synthetic:{n}", scenario, seconds,
               peak_mib(lambda n=n: synthetic_scenario(n, 0)), checked)
        del scenario
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory: {rss:.0f} MiB")
    return 0


def report(label: str, scenario, seconds: float, peak: float, checked: float | None = None):
    net = scenario.network
    validate = f"{checked:>12.2f}" if checked is not None else f"{'-':>12}"
    print(f"{label:<20}{len(net.nodes):>11,}{len(net.edges):>11,}{seconds:>10.3f}{peak:>10.1f}"
          f"{validate}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
