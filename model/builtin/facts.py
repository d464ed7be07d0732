"""The fact tables of the built-in scenario (resources/data/*.csv), read and checked.

Every table has a `source` and a `confidence` column; the workbook's Methodology sheet and
the application show them. The files ship with the tool, but a damaged install must still
give a clear message rather than a traceback.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from model import schema
from model.errors import InputError

DATA_DIR = Path(__file__).resolve().parents[2] / "resources" / "data"

# file stem -> columns it must have (besides source and confidence)
TABLES = {
    "oips": ("id", "operator", "operator_id", "subfield", "designated", "hq_zone"),
    "zones": ("id", "zone", "province", "approved", "hub", "cluster", "gdp_2020",
              "population_2020", "figures_confidence", "figures_source"),
    "firm_shares": ("zone", "share_percent", "year"),
    "zone_layout": ("zone", "lon", "lat"),
    "milestones": ("date", "event"),
    "calibration": ("figure", "value"),
    "history": ("element", "kind", "quarter", "date", "event"),
    "policy_calendar": ("parameter", "quarter", "value", "ramp", "date", "event"),
}
NUMERIC = {"firm_shares": ("share_percent",), "zone_layout": ("lon", "lat"),
           "zones": ("approved", "gdp_2020", "population_2020"), "policy_calendar": ("value",)}


@cache
def load_facts(data_dir: Path | None = None) -> MappingProxyType:
    """All fact tables by file stem (string columns; numbers where NUMERIC says)."""
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    return MappingProxyType({stem: _read(folder / f"{stem}.csv", stem) for stem in TABLES})


def _read(path: Path, stem: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read the built-in data: {exc}", file=str(path),
                         fix="reinstall the application (its data files are damaged)") from None
    missing = [c for c in TABLES[stem] + ("source", "confidence") if c not in table.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", file=str(path),
                         fix="restore the file from the distribution")
    for line, row in enumerate(table.itertuples(index=False), start=2):
        _check_row(path, line, row._asdict(), stem)
    for column in NUMERIC.get(stem, ()):
        table[column] = table[column].astype(float)
    return table


def _check_row(path: Path, line: int, row: dict, stem: str) -> None:
    if row["confidence"] not in schema.CONFIDENCE_LEVELS:
        raise InputError(f"confidence {row['confidence']!r} is not a known level",
                         file=str(path), place=f"line {line}, column confidence",
                         fix=f"use one of: {', '.join(schema.CONFIDENCE_LEVELS)}")
    figures = row.get("figures_confidence")
    if figures is not None and figures not in schema.CONFIDENCE_LEVELS:
        raise InputError(f"confidence {figures!r} is not a known level", file=str(path),
                         place=f"line {line}, column figures_confidence",
                         fix=f"use one of: {', '.join(schema.CONFIDENCE_LEVELS)}")
    if not row["source"].strip():
        raise InputError("the source is empty", file=str(path),
                         place=f"line {line}, column source", fix="name where the fact comes from")
    for column in NUMERIC.get(stem, ()):
        try:
            float(row[column])
        except ValueError:
            raise InputError(f"{row[column]!r} is not a number", file=str(path),
                             place=f"line {line}, column {column}", fix="give a number") from None
