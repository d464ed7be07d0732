"""`--out FILE.xlsx` and `--json FILE.json` of run, compare, sweep and explore: checked
before anything runs, written after."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from model.errors import InputError


def check_out(path: str, option: str = "--out", suffix: str = ".xlsx",
              kind: str = "an .xlsx file") -> None:
    """Refuses an output the writer could not write, before minutes of simulation."""
    if not str(path).lower().endswith(suffix):
        raise InputError(f"{option} {path!r} is not {kind}",
                         fix=f"name a FILE{suffix}")
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise InputError(f"{option} {path!r}: the folder {folder} does not exist",
                         fix="create the folder first or name another one")
    if Path(path).is_dir():
        raise InputError(f"{option} {path!r} is a folder", fix=f"name a FILE{suffix}")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{option} {path!r}: the folder {folder} is not writable",
                         fix="choose a folder you may write to")


def write_out(args, scenario, *, steps: int, seed: int, **results) -> None:
    """Exports what was computed; the base seed's run supplies the final-state sheets."""
    from model.engine import run
    from model.workbook.briefing import export_briefing

    base_run = results.pop("result", None) or run(scenario, steps, seed)
    notes: list[str] = []
    export_briefing(args.out, scenario=scenario, result=base_run, notes=notes,
                    command=getattr(args, "command_line", None), **results)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    print(f"\nwrote {args.out}")


def write_json_out(args, data: dict) -> None:
    """`--json FILE`: the results' JSON (model/files/results_json.py), atomically."""
    from model.files.results_json import write_json

    notes: list[str] = []
    write_json(args.json, data, notes)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    print(f"{'' if args.out else chr(10)}wrote {args.json}")
