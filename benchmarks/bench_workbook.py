"""Time to export the briefing workbook of a large run, against plain pandas.

    python benchmarks/bench_workbook.py [--firms 100000] [--steps 40] [--repeat 1]

Runs `synthetic:N` once, then writes (a) the briefing workbook (`export_briefing`: every
sheet, formats, tables, charts, atomic save) and (b) the same data tables with
`DataFrame.to_excel` (openpyxl engine, no formats, tables or charts). Prints the best time
of `--repeat` writes of each, the file sizes and the number of cells.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: E402

from timing import best_time  # noqa: E402
from model.builtin import synthetic_scenario  # noqa: E402
from model.engine import run  # noqa: E402
from model.parameters import PARAMETERS  # noqa: E402
from model.workbook.briefing import export_briefing  # noqa: E402


def data_tables(scenario, result) -> dict[str, pd.DataFrame]:
    """The tables the briefing holds, as plain frames (what pandas alone would write)."""
    parameters = pd.DataFrame([(p.key, scenario.parameters[p.key], p.default, p.low, p.high,
                                p.unit, p.label, p.group, p.meaning)
                               for p in PARAMETERS.values()],
                              columns=["key", "value", "default", "low", "high", "unit",
                                       "label", "group", "meaning"])
    return {"Parameters": parameters, "TimeSeries": result.metrics,
            "Nodes": scenario.network.nodes, "Edges": scenario.network.edges,
            "Platforms": result.platforms, "Zones": result.zones, "Firms": result.firms}


def with_pandas(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    start = time.perf_counter()
    scenario = synthetic_scenario(args.firms)
    result = run(scenario, args.steps, 0)
    print(f"synthetic:{args.firms}, {args.steps} steps: built and ran in "
          f"{time.perf_counter() - start:.1f} s")
    tables = data_tables(scenario, result)
    cells = sum(frame.size + len(frame.columns) for frame in tables.values())
    rows = {name: len(frame) for name, frame in tables.items()}
    print("rows: " + ", ".join(f"{name} {n:,}" for name, n in rows.items()) +
          f"; {cells:,} cells")
    with tempfile.TemporaryDirectory() as folder:
        brief, plain = Path(folder) / "briefing.xlsx", Path(folder) / "pandas.xlsx"
        ours = best_time(lambda: export_briefing(brief, scenario=scenario, result=result),
                         args.repeat)
        theirs = best_time(lambda: with_pandas(plain, tables), args.repeat)
        for label, seconds, path in (("export_briefing", ours, brief),
                                     ("pandas to_excel", theirs, plain)):
            print(f"{label:<16} {seconds:8.2f} s   {path.stat().st_size / 2**20:7.2f} MiB   "
                  f"{cells / seconds / 1e3:7.1f} thousand cells/s")
    print(f"briefing / pandas time: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
