"""The Nodes, Edges and Parameters sheets: written by every workbook, read back by import."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import pandas as pd

from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import PatternFill

from model.calendar import DEFAULT_START, FIRST_LABEL, LAST_LABEL, Quarter
from model.errors import InputError
from model.files import textgate
from model.network import Network
from model.parameters import PARAMETERS, parameter
from model.schedules import Change, Schedule, Schedules
from model.values import NotANumber, number_or_absent
from model.workbook.cells import (HEADER_FILL, HEADER_FONT, ColumnCells, add_table, calibri,
                                  cell, check_rows, column_names, column_values, header_row,
                                  set_widths, width_for)

NODES_SHEET, EDGES_SHEET, PARAMETERS_SHEET = "Nodes", "Edges", "Parameters"
PARAMETER_COLUMNS = ("key", "value", "default", "low", "high", "unit", "label", "group",
                     "meaning")
SCHEDULE_COLUMNS = ("scheduled_key", "from_quarter", "from_step", "scheduled_value",
                    "change", "scheduled_label")
STEP, RAMP = "set", "ramp"  # a change's kind: the value from its quarter on, or a ramp to it
START_PROPERTY = "start_quarter"  # custom document property: the quarter of step 0
GAP = "schedules →"  # the empty column between the two tables points at the second

_FORMATS = {"talent": "#,##0.0", "x": "0.0", "y": "0.0"}
_ROWS_PER_REPORT = 5_000


def write_frame(wb, title: str, frame: pd.DataFrame, *, table: bool = True,
                formats: dict[str, str] | None = None, freeze: str = "A2",
                min_widths: dict[str, float] | None = None,
                prepare: Callable | None = None, on_rows: Callable | None = None,
                labels: bool = False):
    """One sheet holding a DataFrame as an Excel table with a frozen, styled header;
    returns the sheet. `prepare(ws)` runs before any row (write-only sheets take sheet
    and print properties only then); `on_rows(n)` is told of every few thousand rows
    written (n new rows each time), for a progress bar. prepare is called as
    prepare(ws, widths=..., rows=..., key_cols=..., header_rows=...) (the columns left
    of `freeze`). labels: a row of headers for people above the keys (`label_row`): the
    keys stay the table's header (row 2), what tools and formulas read; `freeze` names
    the cell as if there were one header row.

    Float columns take `formats[name]` or 0.000; integer columns take `formats[name]` when
    given (else General)."""
    check_rows(len(frame), title)
    ws = wb.create_sheet(title)
    columns = column_names([str(c) for c in frame.columns])  # as Excel tables need them
    sample = frame.head(200)
    least = min_widths or {}
    widths = [max(width_for(sample[c].tolist(), name), least.get(name, 0))
              for c, name in zip(frame.columns, columns)]
    people = label_row(columns) if labels else None
    if people is not None:
        widths = [max(w, min(LABEL_WIDTH, math.ceil(len(t) / LABEL_LINES) + 2))
                  for w, t in zip(widths, people)]
    set_widths(ws, widths)
    ws.freeze_panes = _below(freeze, 1 if people is not None else 0)
    if prepare is not None:
        prepare(ws, widths=widths, rows=len(frame), key_cols=_frozen_columns(freeze),
                header_rows=2 if people is not None else 1)
    if people is not None:
        ws.row_dimensions[1].height = 15.0 * LABEL_LINES
        ws.append([cell(ws, t, font=HEADER_FONT, fill=HEADER_FILL, wrap=True,
                        valign="bottom") for t in people])
        ws.append([cell(ws, n, font=KEY_FONT, fill=KEY_FILL) for n in columns])
    else:
        ws.append(header_row(ws, columns))
    formats = formats or {}
    writers = [ColumnCells(ws, _column_format(frame[c].dtype.kind, formats.get(name)),
                           indent=1 if i and frame.iloc[:, i - 1].dtype.kind in "iuf" else 0)
               for i, (c, name) in enumerate(zip(frame.columns, columns))]
    values = [column_values(frame.iloc[:, i]) for i in range(len(frame.columns))]
    for number, row in enumerate(zip(*values), start=1):
        ws.append([write(v) for write, v in zip(writers, row)])
        if on_rows is not None and number % _ROWS_PER_REPORT == 0:
            on_rows(_ROWS_PER_REPORT)
    if on_rows is not None and len(frame) % _ROWS_PER_REPORT:
        on_rows(len(frame) % _ROWS_PER_REPORT)
    if table:
        add_table(ws, title, columns, len(frame), top=2 if people is not None else 1)
    return ws


LABEL_LINES, LABEL_WIDTH = 3, 24  # the header for people wraps to three lines at most
KEY_FONT = calibri(size=9, color="1F4E79")
KEY_FILL = PatternFill("solid", fgColor="DDEBF7")


def label_row(columns: list[str]) -> list[str]:
    """The headers for people of a data sheet: each column's label and unit
    (`formats.column_label`, from the metrics' and parameters' registries), else its key."""
    from model.workbook.formats import column_label

    return [column_label(c) or c for c in columns]


def _below(freeze: str, rows: int) -> str:
    """The frozen cell `rows` rows lower ("C2" -> "C3")."""
    if not rows:
        return freeze
    letters = "".join(ch for ch in freeze if ch.isalpha())
    return f"{letters}{int(freeze[len(letters):] or 1) + rows}"


def _frozen_columns(freeze: str) -> int:
    """Columns left of the frozen cell ("C2": 2): the key columns repeated when printing."""
    letters = "".join(ch for ch in freeze if ch.isalpha())
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letters) - 1 if letters else 0


def _column_format(kind: str, given: str | None) -> str | None:
    if kind == "f":
        return given or "0.000"
    return given if kind in "iu" else None


def write_network(wb, network: Network, **options) -> None:
    """Nodes and Edges; options as `write_frame` (prepare, on_rows). Refuses ids that the
    text gate would make equal (they would not read back as two nodes)."""
    textgate.clean_ids(network.nodes["id"].tolist(), "node id")
    for frame in (network.nodes, network.edges):
        textgate.clean_ids([str(c) for c in frame.columns], "column name")
    write_frame(wb, NODES_SHEET, _without_index(network.nodes), formats=_FORMATS, **options)
    write_frame(wb, EDGES_SHEET, _without_index(network.edges), **options)


def write_parameters(wb, scenario, **options) -> None:
    """The constants (one row per parameter) and, beside them when the scenario has any,
    its schedules: one row per change, with its quarter, its step from the scenario's
    start, the value and whether it is a step or the end of a ramp. Both are Excel tables;
    import reads both back. The start quarter also goes into a custom document property."""
    parameters, schedules = scenario.parameters, scenario.schedules
    rows = [(p.key, parameters[p.key], p.default, p.low, p.high, p.unit, p.label, p.group,
             p.meaning) for p in PARAMETERS.values()]
    frame = pd.DataFrame(rows, columns=list(PARAMETER_COLUMNS))
    numbers = ("value", "default", "low", "high")
    formats = {**{c: "General" for c in numbers + ("scheduled_value",)}, "from_step": "0"}
    if hasattr(wb, "custom_doc_props"):
        wb.custom_doc_props.append(StringProperty(name=START_PROPERTY,
                                                  value=scenario.start.label))
    if not schedules:
        write_frame(wb, PARAMETERS_SHEET, frame, formats=formats,
                    min_widths={c: 12 for c in numbers}, **options)
        return
    changes = pd.DataFrame(
        [(key, c.quarter.label, c.quarter - scenario.start, c.value, RAMP if c.ramp else STEP,
          PARAMETERS[key].label) for key, s in schedules.items() for c in s.changes],
        columns=list(SCHEDULE_COLUMNS))
    gap = pd.DataFrame({GAP: [None] * max(len(frame), len(changes))}, dtype=object)
    both = pd.concat([frame, gap, changes], axis=1)
    ws = write_frame(wb, PARAMETERS_SHEET, both, table=False, formats=formats,
                     min_widths={c: 12 for c in numbers}, **options)
    add_table(ws, PARAMETERS_SHEET, list(PARAMETER_COLUMNS), len(frame))
    add_table(ws, "Schedules", list(SCHEDULE_COLUMNS), len(changes),
              left=len(PARAMETER_COLUMNS) + 2)


def schedules_from_rows(rows: Iterable[dict], start: Quarter | None,
                        place: str) -> tuple[Quarter, Schedules]:
    """(start, schedules) from the Parameters sheet's schedule table (no table: none). The
    start is the document property, else what a row's quarter and step imply."""
    changes: dict[str, list] = {}
    for number, row in enumerate(rows, start=2):
        key = row.get("scheduled_key")
        if _blank(key):
            continue
        where = f"{place}, row {number}"
        spec = _at(where, "scheduled_key", lambda: parameter(str(key).strip()))
        quarter = _at(where, "from_quarter",
                      lambda: Quarter.parse(_quarter_text(row.get("from_quarter"))))
        value = _at(where, "scheduled_value", lambda: spec.check(_change_value(row)))
        kind = str(row.get("change") or STEP).strip().lower()
        if kind not in (STEP, RAMP):
            raise InputError(f"change is {kind!r}", place=f"{where}, column change",
                             fix=f"write {STEP!r} or {RAMP!r}")
        step = row.get("from_step")
        if start is None and isinstance(step, (int, float)) and not _blank(step):
            start = _implied_start(quarter, step, f"{where}, column from_step")
        changes.setdefault(str(key).strip(), []).append(Change(quarter, value, kind == RAMP))
    try:
        schedules = Schedules([Schedule.of(k, v) for k, v in changes.items()])
    except InputError as exc:
        raise InputError(exc.message, place=place, fix=exc.fix) from None
    return start or DEFAULT_START, schedules


def _at(where: str, column: str, read: Callable):
    """What `read()` gives, its refusal placed at the row and `column`."""
    try:
        return read()
    except InputError as exc:
        raise InputError(exc.message, place=f"{where}, column {column}", fix=exc.fix) \
            from None


def _quarter_text(value) -> str:
    """A cell of from_quarter as text; a date (a spreadsheet may turn typed text into one)
    is refused as such."""
    if hasattr(value, "year") and hasattr(value, "month"):
        raise InputError(f"from_quarter is a date ({value:%Y-%m-%d}), not a quarter",
                         fix="write the quarter as text, e.g. 2026Q1; format the column "
                             "as Text if the spreadsheet turns it into a date")
    return "" if value is None else str(value)


def _implied_start(quarter: Quarter, step: float, where: str) -> Quarter:
    """The start a row's quarter and step imply (the workbook has no start property)."""
    try:
        return quarter.plus(-int(step))
    except (InputError, OverflowError, ValueError):
        raise InputError(f"from_step {step!r} puts the start before {FIRST_LABEL} or "
                         f"after {LAST_LABEL}", place=where,
                         fix="write the steps from the start quarter to from_quarter") \
            from None


def _change_value(row: dict) -> float:
    """A change's value: a number (the rule of `model.values`); a change needs one."""
    try:
        value = number_or_absent(row.get("scheduled_value"))
    except NotANumber as exc:
        raise InputError(f"scheduled_value {exc}", fix="write the number the parameter "
                                                       "takes from that quarter") from None
    if value is None:
        raise InputError("the change has no scheduled_value",
                         fix="write the number the parameter takes from that quarter")
    return value


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or \
        (isinstance(value, float) and value != value)


def _without_index(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True)
