"""Import time of small hostile files, which bounded readers refuse or read quickly.

    python benchmarks/bench_hostile_files.py [--rows 200000] [--repeat 3]

Prints, for each file, its size, the best import time of `--repeat` runs and the outcome
(read, with the network's size, or the one-line refusal): a workbook whose Nodes sheet has
one cell far away (XFD1048576, which openpyxl's read-only rows would pad to about 17
billion values), one whose sheets declare that dimension without holding the cells, a CSV
with a ragged row at its end, one with a field past the field limit, and a large but valid
CSV pair of `--rows` zones.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best_time  # noqa: E402
from model.errors import InputError  # noqa: E402
from model.files import read_file, save_file  # noqa: E402
from model.files.limits import MAX_VALUE_CHARS  # noqa: E402


def far_cell_workbook(folder: Path) -> Path:
    from openpyxl import load_workbook

    from model.builtin import default_scenario

    path = folder / "far-cell.xlsx"
    save_file(default_scenario(), path)
    book = load_workbook(path)
    book["Nodes"]["XFD1048576"] = "far away"
    book.save(path)
    return path


def declared_dimension_workbook(folder: Path) -> Path:
    import re
    import zipfile

    from model.builtin import default_scenario

    path = folder / "declared.xlsx"
    save_file(default_scenario(), path)
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in members:
            if info.filename.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[A-Z0-9:]+"',
                                 b'<dimension ref="A1:XFD1048576"', content)
            archive.writestr(info, content)
    return path


def csv_pair(folder: Path, name: str, rows: list[str]) -> Path:
    (folder / f"{name}-nodes.csv").write_text("\n".join(["id,kind,talent", *rows]) + "\n",
                                              encoding="utf-8")
    (folder / f"{name}-edges.csv").write_text("source,target,type\n", encoding="utf-8")
    return folder / f"{name}-nodes.csv"


def measure(label: str, path: Path, repeat: int) -> None:
    outcome = []

    def load():
        try:
            network = read_file(path).project.current.network
            outcome.append(f"read {len(network.nodes):,} nodes")
        except InputError as error:
            outcome.append(f"refused: {error.line()[:110]}")

    seconds = best_time(load, repeat)
    size = path.stat().st_size / 2**20
    print(f"{label:<34} {size:8.2f} MiB  {seconds:8.3f} s   {outcome[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        zones = [f"z{i},zone,{i % 90 + 1}" for i in range(args.rows)]
        files = {
            "workbook, cell at XFD1048576": far_cell_workbook(folder),
            "workbook, dimension A1:XFD1048576": declared_dimension_workbook(folder),
            f"CSV, {args.rows:,} rows, ragged last": csv_pair(folder, "ragged",
                                                             zones + ["zx,zone,1,2,3"]),
            "CSV, one field past the limit": csv_pair(
                folder, "field", [f'z1,zone,"{"9" * (MAX_VALUE_CHARS + 1)}"']),
            f"CSV, {args.rows:,} valid rows": csv_pair(folder, "large", zones),
        }
        for label, path in files.items():
            measure(label, path, args.repeat)


if __name__ == "__main__":
    main()
