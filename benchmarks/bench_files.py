"""Time to save and load scenario files, with their sizes.

    python benchmarks/bench_files.py [--firms 100000] [--repeat 3]

Prints the default scenario as JSON and GraphML, and `synthetic:N` as JSON. Each figure is
the best of `--repeat` runs; every load is checked to give back an equal network.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best_time  # noqa: E402
from model.files import load_file, save_file  # noqa: E402
from model.scenario import Scenario  # noqa: E402


def measure(label: str, scenario: Scenario, suffix: str, folder: Path, repeat: int) -> None:
    path = folder / f"{label.replace(':', '-')}{suffix}"
    save = best_time(lambda: save_file(scenario, path), repeat)
    loaded = []
    load = best_time(lambda: loaded.append(load_file(path)), repeat)
    same = loaded[-1].current.network.equals(scenario.network)
    size = path.stat().st_size
    print(f"{label:<18} {suffix:<9} {len(scenario.network.nodes):>8} nodes "
          f"{len(scenario.network.edges):>8} edges   save {save:7.3f} s   load {load:7.3f} s   "
          f"{size / 2**20:8.2f} MiB   round trip {'equal' if same else 'DIFFERENT'}")


def synthetic(firms: int) -> Scenario | None:
    try:
        from model.builtin import synthetic_scenario
        scenario = synthetic_scenario(firms)
    except (ImportError, NotImplementedError) as exc:
        print(f"synthetic:{firms}: generator not available ({exc})")
        return None
    if not isinstance(scenario, Scenario):
        print(f"synthetic:{firms}: generator not available (returned {scenario!r})")
        return None
    return scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from model.builtin import default_scenario

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        default = default_scenario()
        for suffix in (".json", ".graphml"):
            measure("default", default, suffix, folder, args.repeat)
        big = synthetic(args.firms)
        if big is not None:
            measure(f"synthetic:{args.firms}", big, ".json", folder, max(1, args.repeat - 1))


if __name__ == "__main__":
    main()
