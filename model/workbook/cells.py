"""Writing cells safely: text stays text, values fit Excel's limits.

Every string goes out with the string data type, so a name such as `=HYPERLINK(...)`,
`+1`, `-x` or `@cmd` is shown as written and never becomes a formula; the quote-prefix
style keeps Excel from reinterpreting it when a user edits the cell.
"""
from __future__ import annotations

import math
import re
import warnings

import numpy as np
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from model.errors import InputError

MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header included
MAX_CELL_TEXT = 32_767
MAX_SHEET_NAME = 31
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters xlsx cannot hold
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TITLE_FONT = Font(bold=True, size=16, color="1F4E79")


def clean_text(value: str) -> str:
    """Text Excel can store: no control characters, at most 32,767 characters."""
    text = _ILLEGAL.sub("", value)
    return text if len(text) <= MAX_CELL_TEXT else text[:MAX_CELL_TEXT - 1] + "…"


def plain(value):
    """A value openpyxl writes as itself: numpy scalars unwrapped, NaN and inf left blank."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def cell(ws, value, *, number_format: str | None = None, font: Font | None = None,
         fill: PatternFill | None = None, wrap: bool = False) -> WriteOnlyCell:
    """A write-only cell; strings are forced to text, never formulas."""
    value = plain(value)
    if isinstance(value, str):
        value = clean_text(value)
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        c.data_type = "s"
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            c.quotePrefix = True
    if number_format and isinstance(value, (int, float)) and not isinstance(value, bool):
        c.number_format = number_format
    if font:
        c.font = font
    if fill:
        c.fill = fill
    if wrap:
        c.alignment = Alignment(wrap_text=True, vertical="top")
    return c


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


def add_table(ws, name: str, columns: list[str], rows: int) -> None:
    """Makes the block starting at A1 a real Excel table with filter buttons and banding."""
    if rows == 0 or not columns:
        return
    ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"
    table = Table(displayName=re.sub(r"\W", "_", name), ref=ref)
    table.tableColumns = [TableColumn(id=i, name=n) for i, n in enumerate(columns, start=1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even when, as
        warnings.simplefilter("ignore", UserWarning)  # here, the columns are given
        ws.add_table(table)


def width_for(values, header: str, low: float = 8, high: float = 48) -> float:
    """A column width that fits the header and the longest of the first values."""
    longest = len(header)
    for v in values:
        longest = max(longest, len(v) if isinstance(v, str) else len(f"{v:g}")
                      if isinstance(v, float) else len(str(v)))
    return float(min(high, max(low, longest + 2)))
