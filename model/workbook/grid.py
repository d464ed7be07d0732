"""Free-layout sheets (Summary, Comparison, Sensitivity, Methodology) for write-only books.

A write-only sheet is streamed row by row, but a brief places blocks side by side and
charts beside them. `Grid` collects the cells in memory (these sheets are small), then
writes them in row order; tables and row heights are registered on the way. Every value
goes through `cells.cell`, so text stays text.
"""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from model.workbook import pages
from model.workbook.cells import (HEADER_FILL, HEADER_FONT, add_table, calibri, cell,
                                  column_names, set_widths)

SECTION_FONT = calibri(bold=True, size=12, color="1F4E79")
LABEL_FONT = calibri(bold=True)
NOTE_FONT = calibri(italic=True, color="595959")
BAND_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Styled:
    """A value with its own number format (a table column that mixes units)."""

    value: object
    number_format: str | None = None
    indent: int = 0
    wrap: bool = False


class Grid:
    def __init__(self):
        self._cells: dict[tuple[int, int], tuple[object, dict]] = {}
        self._tables: list[tuple[str, int, int, list[str], int]] = []
        self.heights: dict[int, float] = {}
        self._charts: list[tuple[object, int, int]] = []
        self._merged: list[tuple[int, int, int]] = []
        self._headings: set[int] = set()
        self.blocks: list[tuple[int, int]] = []  # rows printed on one page (`pages.breaks`)

    @property
    def cells(self):
        """The (row, col) of every cell put."""
        return self._cells.keys()

    @property
    def placed_charts(self) -> list[tuple[object, int, int]]:
        """(chart, row, col) of every chart."""
        return list(self._charts)

    @property
    def tables(self) -> list[tuple[int, int]]:
        """(header row, rows) of every table."""
        return [(row, count) for _, row, _, _, count in self._tables]

    @property
    def charts(self) -> list:
        return [chart for chart, _, _ in self._charts]

    @property
    def last_row(self) -> int:
        return max((r for r, _ in self._cells), default=0)

    def value(self, row: int, col: int):
        """The value put at (row, col), None where nothing was (for chart caches)."""
        item = self._cells.get((row, col))
        return None if item is None else item[0]

    def restyle(self, row: int, col: int, **style) -> None:
        """Adds style (wrap, valign, ...) to a cell already put."""
        value, old = self._cells[(row, col)]
        self._cells[(row, col)] = (value, {**old, **style})

    def put(self, row: int, col: int, value, **style) -> None:
        """One cell; style: number_format, font, fill, wrap (as `cells.cell`)."""
        if isinstance(value, Styled):
            style = {"number_format": value.number_format, "indent": value.indent,
                     "wrap": value.wrap, **style}
            value = value.value
        self._cells[(row, col)] = (value, style)

    def put_row(self, row: int, col: int, values, **style) -> None:
        for i, value in enumerate(values):
            self.put(row, col + i, value, **style)

    def merge(self, row: int, first_col: int, last_col: int) -> None:
        """Cells first_col..last_col of a row as one (a long text wrapping across them)."""
        self._merged.append((row, first_col, last_col))

    def align_top(self, row: int) -> None:
        """Every cell of the row aligned to the top (a row where some text wraps)."""
        for (r, c), (value, style) in list(self._cells.items()):
            if r == row:
                self._cells[(r, c)] = (value, {**style, "valign": "top"})

    def section(self, row: int, col: int, title: str) -> int:
        """A section heading; returns the next row."""
        self.put(row, col, title, font=SECTION_FONT)
        self._headings.add(row)
        return row + 1

    def keep(self, first: int, last: int) -> None:
        """Rows first..last print on one page (a heading with what it heads)."""
        self.blocks.append((first, max(first, last)))

    def pairs(self, row: int, col: int, items) -> int:
        """Label-value lines; returns the next free row."""
        for name, value in items:
            self.put(row, col, name, font=LABEL_FONT)
            self.put(row, col + 1, value)
            row += 1
        return row

    def table(self, name: str, row: int, col: int, header: list[str], rows: list[list],
              formats: list[str | None] | None = None, header_lines: int = 1,
              groups: int = 0) -> list[str]:
        """A real Excel table: styled header at (row, col), then the rows. A cell given as
        `Styled` keeps its own format, others take their column's. header_lines > 1: the
        header wraps in a row that tall. groups: a table longer than a page breaks only
        between groups of this many rows (the scenarios of one metric). Returns the header
        names as written (unique, as Excel requires)."""
        names = column_names(header)
        for i, text in enumerate(names):
            sample = _first_value(rows, i)
            value = sample.value if isinstance(sample, Styled) else sample
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            indent = sample.indent if isinstance(sample, Styled) else 0
            self.put(row, col + i, text, font=HEADER_FONT, fill=HEADER_FILL,
                     align="right" if numeric else None, indent=indent,
                     wrap=header_lines > 1)
        if header_lines > 1:
            self.heights[row] = 15.0 * header_lines
        formats = formats or [None] * len(names)
        for r, values in enumerate(rows, start=row + 1):
            for i, value in enumerate(values):
                if isinstance(value, Styled):
                    self.put(r, col + i, value)
                else:
                    self.put(r, col + i, value, number_format=formats[i])
        self._tables.append((name, row, col, names, len(rows)))
        top = row - 1 if row - 1 in self._headings else row
        if groups and len(rows) > groups:  # a long table: kept whole `groups` rows at a time
            self.keep(top, row + groups)
            for first in range(row + 1 + groups, row + 1 + len(rows), groups):
                self.keep(first, min(first + groups - 1, row + len(rows)))
        else:
            self.keep(top, row + len(rows))
        return names

    def chart(self, chart, row: int, col: int, offset_cm: float = 0.0) -> None:
        """A chart whose top-left corner sits on cell (row, col), `offset_cm` right of the
        cell's left edge; kept on one page."""
        if offset_cm:
            chart.offset_cm = offset_cm  # read by `write`, and by pages.grid_extent
        self._charts.append((chart, row, col))
        self.keep(row, row + pages.chart_rows(chart.height, self.heights.get(row, 15.0)))

    def write(self, ws, widths: list[float] | None = None) -> None:
        """Streams the grid into a fresh write-only sheet (widths before any row)."""
        if widths:
            set_widths(ws, widths)
        for r, height in self.heights.items():
            ws.row_dimensions[r].height = height
        by_row: dict[int, dict[int, tuple]] = {}
        for (r, c), item in self._cells.items():
            by_row.setdefault(r, {})[c] = item
        for r in range(1, self.last_row + 1):
            items = by_row.get(r, {})
            ws.append([_make(ws, *items[c]) if c in items else None
                       for c in range(1, max(items, default=0) + 1)])
        for name, row, col, header, count in self._tables:
            add_table(ws, name, header, count, top=row, left=col)
        for chart, row, col in self._charts:
            ws.add_chart(chart, _anchor(chart, row, col))
        for row, first, last in self._merged:  # a write-only sheet writes these at the end
            ws.merged_cells.add(CellRange(min_row=row, max_row=row, min_col=first,
                                          max_col=last))


def _anchor(chart, row: int, col: int):
    """Cell (row, col), or an anchor that far right of that cell's left edge."""
    offset = getattr(chart, "offset_cm", 0.0)
    if not offset:
        return f"{get_column_letter(col)}{row}"
    from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
    from openpyxl.drawing.xdr import XDRPositiveSize2D
    from openpyxl.utils.units import cm_to_EMU

    return OneCellAnchor(_from=AnchorMarker(col=col - 1, row=row - 1,
                                            colOff=cm_to_EMU(offset)),
                         ext=XDRPositiveSize2D(cm_to_EMU(chart.width),
                                               cm_to_EMU(chart.height)))


def _first_value(rows: list[list], i: int):
    """The column's first value that is not empty: it tells how to align the header."""
    for values in rows:
        value = values[i] if i < len(values) else None
        if (value.value if isinstance(value, Styled) else value) not in (None, ""):
            return value
    return None


def _make(ws, value, style):
    return cell(ws, value, **style)
