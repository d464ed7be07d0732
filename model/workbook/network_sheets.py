"""The Nodes, Edges and Parameters sheets: written by every workbook, read back by import."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from model.network import Network
from model.parameters import PARAMETERS, ParameterSet
from model.workbook.cells import (add_table, cell, check_rows, header_row, set_widths,
                                  width_for)

NODES_SHEET, EDGES_SHEET, PARAMETERS_SHEET = "Nodes", "Edges", "Parameters"
PARAMETER_COLUMNS = ("key", "value", "default", "low", "high", "unit", "label", "group",
                     "meaning")

_FORMATS = {"talent": "#,##0.0", "x": "0.0", "y": "0.0"}


def write_frame(wb, title: str, frame: pd.DataFrame, *, table: bool = True,
                formats: dict[str, str] | None = None) -> None:
    """One sheet holding a DataFrame as an Excel table with a frozen, styled header."""
    check_rows(len(frame), title)
    ws = wb.create_sheet(title)
    columns = [str(c) for c in frame.columns]
    sample = frame.head(200)
    set_widths(ws, [width_for(sample[c].tolist(), str(c)) for c in frame.columns])
    ws.freeze_panes = "A2"
    ws.append(header_row(ws, columns))
    formats = formats or {}
    default_format = "0.000"
    number_columns = [frame[c].dtype.kind == "f" for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        ws.append([cell(ws, v, number_format=formats.get(name, default_format) if is_float
                        else None)
                   for v, name, is_float in zip(row, columns, number_columns)])
    if table:
        add_table(ws, title, columns, len(frame))


def write_network(wb, network: Network) -> None:
    write_frame(wb, NODES_SHEET, _without_index(network.nodes), formats=_FORMATS)
    write_frame(wb, EDGES_SHEET, _without_index(network.edges))


def write_parameters(wb, parameters: ParameterSet) -> None:
    rows = [(p.key, parameters[p.key], p.default, p.low, p.high, p.unit, p.label, p.group,
             p.meaning) for p in PARAMETERS.values()]
    frame = pd.DataFrame(rows, columns=list(PARAMETER_COLUMNS))
    write_frame(wb, PARAMETERS_SHEET, frame, formats={c: "General" for c in
                                                       ("value", "default", "low", "high")})


def _without_index(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True)


def parameters_from_rows(rows: Iterable[dict]) -> dict[str, object]:
    """key -> value from the Parameters sheet (other columns are for reading only)."""
    return {str(r["key"]).strip(): r.get("value") for r in rows
            if r.get("key") not in (None, "")}

