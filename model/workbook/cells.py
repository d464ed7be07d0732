"""Writing cells safely: text stays text, values fit Excel's limits.

Every string goes out with the string data type, so a name such as `=HYPERLINK(...)`,
`+1`, `-x` or `@cmd` is shown as written and never becomes a formula; the quote-prefix
style keeps Excel from reinterpreting it when a user edits the cell.
"""
from __future__ import annotations

import math
import re
import warnings
from datetime import date

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from model.errors import InputError
from model.files import textgate

MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header included
MAX_CELL_TEXT = 32_767
MAX_SHEET_NAME = 31
_QUOTED = ("=", "+", "-", "@", "\t", "\r", "\n")  # text Excel could take for a formula
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")

FONT_NAME = "Calibri"  # Excel's default; named so that every viewer uses the same metrics


def calibri(**style) -> Font:
    """A font in the workbook's face (Calibri 11 unless told)."""
    return Font(name=FONT_NAME, size=style.pop("size", 11), **style)


HEADER_FONT = calibri(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TITLE_FONT = calibri(bold=True, size=16, color="1F4E79")


def clean_text(value: str) -> str:
    """Text Excel can store: what XML cannot hold replaced by U+FFFD and a carriage return
    made a line feed (Excel's line break; XML would make it one anyway) through the text
    gate (`model.files.textgate`, which counts both for the export's warning), at most
    32,767 characters."""
    text = textgate.clean(value, textgate.XML)
    return text if len(text) <= MAX_CELL_TEXT else text[:MAX_CELL_TEXT - 1] + "…"


def plain(value):
    """A value openpyxl writes as itself: numpy scalars unwrapped, NaN, NA and inf blank."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def cell(ws, value, *, number_format: str | None = None, font: Font | None = None,
         fill: PatternFill | None = None, wrap: bool = False,
         align: str | None = None, indent: int = 0,
         valign: str | None = None) -> WriteOnlyCell:
    """A write-only cell; strings are forced to text, never formulas."""
    value = plain(value)
    if isinstance(value, str):
        value = clean_text(value)
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        c.data_type = "s"
        if value[:1] in _QUOTED:
            c.quotePrefix = True
    if number_format and isinstance(value, (int, float, date)) and not isinstance(value, bool):
        c.number_format = number_format
    if font:
        c.font = font
    if fill:
        c.fill = fill
    if wrap or align or indent or valign:
        c.alignment = Alignment(wrap_text=wrap or None,
                                vertical=valign or ("top" if wrap else None),
                                horizontal=align or ("left" if indent else None),
                                indent=indent)
    return c


class ColumnCells:
    """The cells of one table column, written fast for large sheets: a write-only sheet
    writes each row before it takes the next, so one styled cell per column is refilled
    row after row instead of a new cell (and style lookup) per value. Values must come
    from `column_values`; strings stay text exactly as `cell` writes them."""

    def __init__(self, ws, number_format: str | None = None, indent: int = 0):
        self._number = WriteOnlyCell(ws)
        if number_format:
            self._number.number_format = number_format
        self._text = WriteOnlyCell(ws)
        self._quoted = WriteOnlyCell(ws)
        self._quoted.quotePrefix = True
        if indent:  # text kept off a right-aligned number on its left ("0" "2024Q1")
            for c in (self._text, self._quoted):
                c.alignment = Alignment(horizontal="left", indent=indent)

    def __call__(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            c = self._quoted if value[:1] in _QUOTED else self._text
            c.value = value
            c.data_type = "s"  # set after the value: openpyxl would read "=..." as a formula
            return c
        if isinstance(value, bool):
            return value
        self._number.value = value
        return self._number


def column_values(series: pd.Series) -> list:
    """A column as plain Python values for `ColumnCells`: NaN, NA and infinities as None,
    numpy scalars unwrapped, text cleaned."""
    kind = series.dtype.kind
    if kind == "f":
        values = series.to_numpy(dtype=float)
        out = values.tolist()
        for i in np.flatnonzero(~np.isfinite(values)).tolist():
            out[i] = None
        return out
    if kind in "iub" and not series.hasnans:
        return series.to_numpy().tolist()
    return [clean_text(v) if isinstance(v, str) else plain(v) for v in series.tolist()]


def sheet_name(text: str, taken: set[str] = frozenset()) -> str:
    """A legal, unique sheet name: no []:*?/\\ characters, at most 31 characters."""
    base = _SHEET_BAD.sub("_", text).strip("'") or "Sheet"
    base = base[:MAX_SHEET_NAME]
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        name, n = base[:MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    return name


def check_rows(count: int, sheet: str) -> None:
    """Refuses a table that would not fit in one Excel sheet."""
    if count + 1 > MAX_ROWS:
        raise InputError(f"sheet {sheet} would need {count + 1:,} rows; Excel holds "
                         f"{MAX_ROWS:,}", fix="export a smaller scenario, or use the JSON "
                         "scenario format for networks this large")


def set_widths(ws, widths: list[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def header_row(ws, names: list[str]) -> list[WriteOnlyCell]:
    return [cell(ws, n, font=HEADER_FONT, fill=HEADER_FILL) for n in names]


def add_table(ws, name: str, columns: list[str], rows: int, *, top: int = 1,
              left: int = 1) -> None:
    """Makes a block (its header at row `top`, column `left`; A1 unless told) a real Excel
    table with filter buttons and banding. `columns` must be the header cells' text."""
    if rows == 0 or not columns:
        return
    ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + len(columns) - 1)}" \
          f"{top + rows}"
    table = Table(displayName=table_name(name), ref=ref)
    table.tableColumns = [TableColumn(id=i, name=n) for i, n in enumerate(columns, start=1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    table.autoFilter = AutoFilter(ref=ref)  # openpyxl adds it only when it names the columns
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even when, as
        warnings.simplefilter("ignore", UserWarning)  # here, the columns are given
        ws.add_table(table)


def table_name(text: str) -> str:
    """A legal table name: letters, digits and underscores, not starting with a digit."""
    name = re.sub(r"\W", "_", text, flags=re.ASCII) or "Table"
    return name if not name[0].isdigit() else f"T_{name}"


def column_names(names: list[str]) -> list[str]:
    """Table header names Excel accepts: text, at most 255 characters, unique ignoring case."""
    out, seen = [], set()
    for name in names:
        base = " ".join(clean_text(str(name)).split())[:240] or "column"
        candidate, n = base, 2
        while candidate.lower() in seen:
            candidate, n = f"{base} ({n})", n + 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def width_for(values, header: str, low: float = 8, high: float = 48) -> float:
    """A column width that fits the header and the longest of the first values."""
    longest = len(header)
    for v in values:
        longest = max(longest, len(v) if isinstance(v, str) else len(f"{v:g}")
                      if isinstance(v, float) else len(str(v)))
    return float(min(high, max(low, longest + 2)))
