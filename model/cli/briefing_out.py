"""`--out FILE.xlsx` of run, compare and sweep: checked before anything runs, written after."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from model.errors import InputError


def check_out(path: str) -> None:
    """Refuses an output the exporter could not write, before minutes of simulation."""
    if not str(path).lower().endswith(".xlsx"):
        raise InputError(f"--out {path!r} is not an .xlsx file", fix="name a FILE.xlsx")
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise InputError(f"--out {path!r}: the folder {folder} does not exist",
                         fix="create the folder first or name another one")
    if Path(path).is_dir():
        raise InputError(f"--out {path!r} is a folder", fix="name a FILE.xlsx")
    if not os.access(folder, os.W_OK):
        raise InputError(f"--out {path!r}: the folder {folder} is not writable",
                         fix="choose a folder you may write to")


def write_out(args, scenario, *, steps: int, seed: int, **results) -> None:
    """Exports what was computed; the base seed's run supplies the final-state sheets."""
    from model.engine import run
    from model.workbook.briefing import export_briefing

    base_run = results.pop("result", None) or run(scenario, steps, seed)
    notes: list[str] = []
    export_briefing(args.out, scenario=scenario, result=base_run, notes=notes, **results)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    print(f"\nwrote {args.out}")
