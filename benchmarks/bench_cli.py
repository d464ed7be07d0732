"""Whole-process timings of the two speed targets (issues 21.11, 22.5, 27.7). Prints figures.

    python benchmarks/bench_cli.py                 # both commands, 3 times each
    python benchmarks/bench_cli.py --repeats 5 --only mc

Each command runs as its own process, as a user would start it: the wall time includes
the imports, the scenario, the worker processes and the summary. CPU is user + sys of
the process and its children; peak memory is the command's own largest resident set
(its workers' are separate processes).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "mc": ["run", "default", "--runs", "1000", "--quiet"],
    "large": ["run", "synthetic:1000000", "--quiet"],
}
TARGETS = {"mc": 3.0, "large": 8.0}


def timed(argv: list[str]) -> tuple[float, float, float]:
    """(wall s, user + sys s of the process and its children, peak RSS MB) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=sorted(COMMANDS))
    args = parser.parse_args(argv)
    for name, command in COMMANDS.items():
        if args.only and name != args.only:
            continue
        rows = [timed(command) for _ in range(args.repeats)]
        walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
        print(f"python main.py {' '.join(command)}: wall min {min(walls):.2f} s "
              f"(range {min(walls):.2f}-{max(walls):.2f}, {args.repeats} runs; target "
              f"{TARGETS[name]:.1f} s), CPU user+sys min {min(cpus):.2f} s "
              f"(range {min(cpus):.2f}-{max(cpus):.2f}); peak RSS of the largest process "
              f"so far {max(r[2] for r in rows):,.0f} MB")


if __name__ == "__main__":
    main()
