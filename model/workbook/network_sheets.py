"""The Nodes, Edges and Parameters sheets: written by every workbook, read back by import."""
from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from model.network import Network
from model.parameters import PARAMETERS, ParameterSet
from model.workbook.cells import (ColumnCells, add_table, check_rows, column_names,
                                  column_values, header_row, set_widths, width_for)

NODES_SHEET, EDGES_SHEET, PARAMETERS_SHEET = "Nodes", "Edges", "Parameters"
PARAMETER_COLUMNS = ("key", "value", "default", "low", "high", "unit", "label", "group",
                     "meaning")

_FORMATS = {"talent": "#,##0.0", "x": "0.0", "y": "0.0"}
_ROWS_PER_REPORT = 5_000


def write_frame(wb, title: str, frame: pd.DataFrame, *, table: bool = True,
                formats: dict[str, str] | None = None, freeze: str = "A2",
                min_widths: dict[str, float] | None = None,
                prepare: Callable | None = None, on_rows: Callable | None = None):
    """One sheet holding a DataFrame as an Excel table with a frozen, styled header;
    returns the sheet. `prepare(ws)` runs before any row (write-only sheets take sheet
    and print properties only then); `on_rows(n)` is told of every few thousand rows
    written (n new rows each time), for a progress bar.

    Float columns take `formats[name]` or 0.000; integer columns take `formats[name]` when
    given (else General)."""
    check_rows(len(frame), title)
    ws = wb.create_sheet(title)
    columns = column_names([str(c) for c in frame.columns])  # as Excel tables need them
    sample = frame.head(200)
    least = min_widths or {}
    set_widths(ws, [max(width_for(sample[c].tolist(), name), least.get(name, 0))
                    for c, name in zip(frame.columns, columns)])
    ws.freeze_panes = freeze
    if prepare is not None:
        prepare(ws)
    ws.append(header_row(ws, columns))
    formats = formats or {}
    writers = [ColumnCells(ws, _column_format(frame[c].dtype.kind, formats.get(name)))
               for c, name in zip(frame.columns, columns)]
    values = [column_values(frame.iloc[:, i]) for i in range(len(frame.columns))]
    for number, row in enumerate(zip(*values), start=1):
        ws.append([write(v) for write, v in zip(writers, row)])
        if on_rows is not None and number % _ROWS_PER_REPORT == 0:
            on_rows(_ROWS_PER_REPORT)
    if on_rows is not None and len(frame) % _ROWS_PER_REPORT:
        on_rows(len(frame) % _ROWS_PER_REPORT)
    if table:
        add_table(ws, title, columns, len(frame))
    return ws


def _column_format(kind: str, given: str | None) -> str | None:
    if kind == "f":
        return given or "0.000"
    return given if kind in "iu" else None


def write_network(wb, network: Network, **options) -> None:
    """Nodes and Edges; options as `write_frame` (prepare, on_rows)."""
    write_frame(wb, NODES_SHEET, _without_index(network.nodes), formats=_FORMATS, **options)
    write_frame(wb, EDGES_SHEET, _without_index(network.edges), **options)


def write_parameters(wb, parameters: ParameterSet, **options) -> None:
    rows = [(p.key, parameters[p.key], p.default, p.low, p.high, p.unit, p.label, p.group,
             p.meaning) for p in PARAMETERS.values()]
    frame = pd.DataFrame(rows, columns=list(PARAMETER_COLUMNS))
    numbers = ("value", "default", "low", "high")
    write_frame(wb, PARAMETERS_SHEET, frame, formats={c: "General" for c in numbers},
                min_widths={c: 12 for c in numbers}, **options)


def _without_index(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True)


def parameters_from_rows(rows: Iterable[dict]) -> dict[str, object]:
    """key -> value from the Parameters sheet (other columns are for reading only)."""
    return {str(r["key"]).strip(): r.get("value") for r in rows
            if r.get("key") not in (None, "")}

