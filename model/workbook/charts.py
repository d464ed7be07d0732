"""Native Excel charts for the briefing: line charts over the quarters, tornado bars.

Series point at cells by absolute references (`'Sheet'!$B$2:$B$42`), so a chart stays
right when the analyst restyles it, and Excel, LibreOffice and the reader's eyes agree on
what is drawn. Every chart has a title, axis titles and a legend under the plot.
"""
from __future__ import annotations

import math

from openpyxl.chart import AreaChart, BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.legend import LegendEntry
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.data_source import (AxDataSource, NumData, NumFmt, NumRef, NumVal, StrData,
                                        StrRef, StrVal)
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (CharacterProperties, Font, Paragraph, ParagraphProperties,
                                   RegularTextRun, RichTextProperties)
from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries

from model.workbook.cells import clean_text

PALETTE = ("1F4E79", "C55A11", "548235", "7030A0", "BF9000", "2E75B6", "843C0C", "7F7F7F")
BAND_COLOR = "C00000"
_EMU_PER_PT = 12_700
STEP_AXIS = "Quarter"
CHANGE_COLOR = "A6A6A6"


def ref(sheet: str, col: int, first: int, last: int) -> Reference:
    """One column of cells, rows first..last, on the named sheet."""
    letter = get_column_letter(col)
    return Reference(range_string=f"{quote_sheetname(sheet)}!${letter}${first}:"
                                  f"${letter}${last}")


def row_ref(sheet: str, row: int, first_col: int, last_col: int) -> Reference:
    """One row of cells, columns first_col..last_col, on the named sheet."""
    a, b = get_column_letter(first_col), get_column_letter(last_col)
    return Reference(range_string=f"{quote_sheetname(sheet)}!${a}${row}:${b}${row}")


def line_chart(title: str, y_title: str, *, y_format: str | None = None,
               x_title: str = STEP_AXIS, points: int = 0, width: float = 13.0,
               height: float = 7.0) -> LineChart:
    chart = LineChart()
    _frame(chart, title, x_title, y_title, y_format, width, height)
    skip = tick_skip(points)
    if skip > 1:
        chart.x_axis.tickLblSkip = skip
        chart.x_axis.tickMarkSkip = skip
    return chart


def columns_spanning(cm: float, widths: list[float]) -> int:
    """How many columns of these widths (Excel characters, Calibri 11) span `cm`: where to
    anchor the next chart so that the two do not overlap."""
    total = 0.0
    for n, width in enumerate(widths, start=1):
        total += (width * 7 + 5) / 96 * 2.54
        if total >= cm:
            return n
    return len(widths)


def anchor_at(cm: float, widths: list[float]) -> tuple[int, float]:
    """(column, cm right of its left edge) of the point `cm` from the sheet's left edge:
    where a second chart starts right after the first, whatever the columns' widths."""
    left = 0.0
    for n, width in enumerate(widths, start=1):
        size = (width * 7 + 5) / 96 * 2.54
        if left + size > cm:
            return n, cm - left
        left += size
    return len(widths) + 1, max(0.0, cm - left)


def tick_skip(points: int) -> int:
    """Every quarter on short runs, else every year, or every few years so that about
    six to eleven labels show (crowded labels on a printed chart read as a smudge)."""
    if points <= 12:
        return 1
    return 4 * max(1, math.ceil((points - 1) / 20))


def add_line(chart, values: Reference, title: str, color: str, *, width_pt: float = 2.0,
             dash: str | None = None) -> Series:
    """A plain line (no markers, not smoothed) titled with fixed, cleaned text."""
    series = Series(values, title=clean_text(title)[:255])
    line = series.graphicalProperties.line
    line.solidFill = color
    line.width = int(width_pt * _EMU_PER_PT)
    if dash:
        line.dashStyle = dash
    series.marker.symbol = "none"
    series.smooth = False
    chart.series.append(series)
    return series


def add_band(chart: LineChart, low: Reference, width: Reference, categories: Reference,
             title: str, color: str = "BDD7EE") -> None:
    """A shaded band from `low` to `low + width` behind the chart's lines: a stacked area
    chart on the same axes, its first (transparent) layer the base, left out of the
    legend."""
    area = AreaChart()
    area.grouping = "stacked"
    base = Series(low, title="band base")
    base.graphicalProperties.noFill = True
    base.graphicalProperties.line.noFill = True
    top = Series(width, title=clean_text(title)[:255])
    top.graphicalProperties.solidFill = color
    top.graphicalProperties.line.noFill = True
    area.series = [base, top]
    area.set_categories(categories)
    area.x_axis, area.y_axis = chart.x_axis, chart.y_axis  # the line chart's own axes
    chart._charts.insert(0, area)  # drawn first: behind the lines
    chart.legend.legendEntry = [LegendEntry(idx=0, delete=True)]


def mark_changes(chart: LineChart, values: Reference, title: str = "Policy change") -> None:
    """Thin grey bars at the quarters where a schedule changes a lever (`values`: as tall
    as the chart's data there, blank elsewhere), on the line chart's own axes."""
    bars = BarChart()
    bars.type = "col"
    bars.gapWidth = 500  # thin: a mark, not a quantity
    series = Series(values, title=clean_text(title)[:255])
    series.graphicalProperties.solidFill = CHANGE_COLOR
    series.graphicalProperties.line.noFill = True
    bars.series.append(series)
    bars.x_axis.axId, bars.y_axis.axId = chart.x_axis.axId, chart.y_axis.axId
    chart += bars


def tornado_chart(title: str, value_title: str, *, value_format: str | None = None,
                  width: float = 13.0, height: float = 7.0) -> BarChart:
    """Horizontal bars, first category on top, low and high bars on one line each."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.overlap = 100
    chart.gapWidth = 40
    _frame(chart, title, "", value_title, value_format, width, height)
    chart.x_axis.scaling.orientation = "maxMin"  # largest swing (first row) at the top
    chart.x_axis.tickLblPos = "low"  # parameter names left of the bars, not on zero
    chart.y_axis.crosses = "max"  # with the categories reversed, keeps values at the bottom
    return chart


def scatter_chart(title: str, x_title: str, y_title: str, *, x_format: str | None = None,
                  y_format: str | None = None, width: float = 13.0,
                  height: float = 7.0) -> ScatterChart:
    """Points, no lines (add them with `add_points`)."""
    chart = ScatterChart()
    chart.scatterStyle = "marker"
    _frame(chart, title, x_title, y_title, y_format, width, height)
    if x_format:
        chart.x_axis.numFmt = NumFmt(formatCode=x_format, sourceLinked=False)
    return chart


def add_points(chart, x: Reference, y: Reference, title: str, color: str, *,
               size: int = 5, symbol: str = "circle") -> Series:
    series = Series(y, x, title=clean_text(title)[:255])
    series.marker = Marker(symbol=symbol, size=size)
    series.marker.graphicalProperties = GraphicalProperties(solidFill=color)
    series.marker.graphicalProperties.line.solidFill = color
    series.graphicalProperties = GraphicalProperties()
    series.graphicalProperties.line.noFill = True  # points only
    chart.series.append(series)
    return series


def add_bars(chart, values: Reference, title: str, color: str) -> Series:
    series = Series(values, title=clean_text(title)[:255])
    series.graphicalProperties.solidFill = color
    series.graphicalProperties.line.solidFill = color
    chart.series.append(series)
    return series


def finish(chart):
    """A legend only where there is more than one line to tell apart."""
    if len(chart.series) < 2 and len(getattr(chart, "_charts", [chart])) < 2:
        chart.legend = None
    return chart


def _frame(chart, title, x_title, y_title, y_format, width, height) -> None:
    chart.title = _title(title, 11, bold=True)
    chart.style = 2
    chart.width, chart.height = width, height
    chart.legend.position = "b"
    chart.legend.txPr = _text(8)
    if x_title:
        chart.x_axis.title = _title(x_title, 8)
    if y_title:
        chart.y_axis.title = _title(y_title, 8)
    chart.x_axis.txPr = _text(8)
    chart.y_axis.txPr = _text(8)
    # openpyxl leaves `delete` unset, and recent Excel then hides both axes
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if y_format:
        chart.y_axis.numFmt = NumFmt(formatCode=y_format, sourceLinked=False)


def _props(size: float, bold: bool = False) -> CharacterProperties:
    return CharacterProperties(sz=int(size * 100), b=bold, latin=Font(typeface="Calibri"))


def _title(text: str, size: float, bold: bool = False) -> Title:
    """A title with its own (smaller) font: the default is 18 pt bold, too big for a brief."""
    props = _props(size, bold)
    run = RegularTextRun(rPr=props, t=clean_text(text)[:255])
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _text(size: float) -> RichText:
    """Axis and legend labels at `size` points."""
    props = _props(size)
    return RichText(bodyPr=RichTextProperties(), p=[Paragraph(pPr=ParagraphProperties(defRPr=props),
                                              endParaRPr=props)])


def fill_caches(chart, lookup) -> None:
    """Stores, beside each reference of the chart's series, the values it points at
    (numCache / strCache): mail, Teams and phone previews draw a chart from these without
    reading the cells. lookup(sheet, row, col) gives a cell's value (None: blank)."""
    for part in [chart, *getattr(chart, "_charts", [])]:
        for series in part.series:
            for name in ("val", "yVal", "xVal", "cat"):
                source = getattr(series, name, None)
                if source is not None:
                    setattr(series, name, _cached(source, lookup, name))


def _cached(source, lookup, name: str):
    ref = source.numRef or getattr(source, "strRef", None)
    if ref is None or not ref.f:
        return source
    sheet, cells = _split(ref.f)
    min_col, min_row, max_col, max_row = range_boundaries(cells)
    values = [lookup(sheet, r, c) for r in range(min_row, max_row + 1)
              for c in range(min_col, max_col + 1)]
    text = name in ("cat", "xVal") and any(isinstance(v, str) for v in values)
    if text:
        cache = StrData(ptCount=len(values), pt=[StrVal(idx=i, v=str(v)) for i, v in
                                                 enumerate(values) if v is not None])
        return AxDataSource(strRef=StrRef(f=ref.f, strCache=cache))
    points = [NumVal(idx=i, v=float(v)) for i, v in enumerate(values)
              if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v]
    cache = NumData(formatCode="General", ptCount=len(values), pt=points)
    numbers = NumRef(f=ref.f, numCache=cache)
    if name == "cat" or name == "xVal":
        return AxDataSource(numRef=numbers)
    source.numRef = numbers
    return source


def _split(formula: str) -> tuple[str, str]:
    """("Sheet name", "$B$2:$B$42") of "'Sheet name'!$B$2:$B$42"."""
    sheet, _, cells = formula.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cells.replace("$", "")
