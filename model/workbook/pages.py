"""How the free-layout sheets print: A4 landscape at a scale this module chooses, with page
breaks that keep each table and chart whole (issue 26).

Excel's fit-to-page picks its own scale, which no one can check before printing (a Summary
fitted to one page came out at 5 pt). Here the scale is computed from the column widths
and written as such, so that a test can compute the printed size of every font, and the
row breaks are placed from the known row heights so that no header sits alone at the foot
of a page and no chart is cut in two.
"""
from __future__ import annotations

import math

from openpyxl.worksheet.pagebreak import Break

PAPER_A4 = "9"
A4_LANDSCAPE_CM = (29.7, 21.0)
SIDE_MARGIN_IN = 0.4
TOP_MARGIN_IN = 0.6  # the footer (page number) sits in the bottom margin
FOOTER_IN = 0.25
DEFAULT_ROW_PT = 15.0  # Calibri 11: Excel's default row height
SAFETY = 0.97  # viewers measure a character a little differently: leave 3 % spare
_CM_PER_IN = 2.54
_PT_PER_CM = 72 / 2.54


LIBREOFFICE_PX_PER_CHAR = 7.45  # measured: LibreOffice lays a wide column out ~5 % wider


def column_cm(width: float) -> float:
    """The printed width (cm, at 100 %) of a column of `width` Excel characters: Excel's
    (Calibri 11: 7 pixels a character plus 5 of padding, at 96 pixels an inch) or
    LibreOffice's, whichever is wider (at 94 % a 152-character Methodology fitted Excel's
    page but spilled its third column onto pages of their own in LibreOffice)."""
    return max(width * 7 + 5, width * LIBREOFFICE_PX_PER_CHAR) / 96 * _CM_PER_IN


def printable_cm() -> tuple[float, float]:
    """Width and height (cm) inside the margins of a landscape A4 page."""
    w, h = A4_LANDSCAPE_CM
    return w - 2 * SIDE_MARGIN_IN * _CM_PER_IN, h - 2 * TOP_MARGIN_IN * _CM_PER_IN


def fitting_scale(content_cm: float, most: int = 100, least: int = 10) -> int:
    """The largest whole percent (at most `most`) at which `content_cm` fits the width."""
    width = printable_cm()[0] * SAFETY
    return max(least, min(most, math.floor(100 * width / max(content_cm, 1e-9))))


def row_pt(heights: dict[int, float], row: int) -> float:
    return heights.get(row, DEFAULT_ROW_PT)


def chart_rows(height_cm: float, row_height_pt: float = DEFAULT_ROW_PT) -> int:
    """Rows of the default height a chart this tall covers."""
    return math.ceil(height_cm * _PT_PER_CM / row_height_pt)


def breaks(blocks: list[tuple[int, int]], heights: dict[int, float], scale: int,
           last_row: int, reserve_pt: float = 0.0) -> list[int]:
    """The rows that start a new page so that no block (first, last rows: a table with
    its heading, a chart) is split. A block taller than a page is split where it must,
    but never inside a shorter block within it (a chart beside a long table).
    reserve_pt: room a repeated header row (print titles) takes on each page."""
    page = printable_cm()[1] * _PT_PER_CM * 100 / scale - reserve_pt
    kept = [(f, l) for f, l in blocks
            if sum(row_pt(heights, r) for r in range(f, l + 1)) <= page]
    out, used, start = [], 0.0, 1
    for r in range(1, last_row + 1):
        h = row_pt(heights, r)
        if used + h > page and r > start:
            firsts = [f for f, l in kept if start < f < r <= l]
            cut = min(firsts) if firsts else r
            out.append(cut)
            start = cut
            used = sum(row_pt(heights, x) for x in range(cut, r))
        used += h
    return out


def set_print(ws, *, scale: int, area: str | None = None, title_rows: str | None = None,
              title_cols: str | None = None, page_breaks: list[int] = (),
              footer: str = "") -> None:
    """Landscape A4 at `scale` percent (no fit-to-page), margins of this module, the page
    number in the footer; breaks before the rows given."""
    setup = ws.page_setup
    setup.orientation, setup.paperSize, setup.scale = "landscape", PAPER_A4, scale
    setup.fitToWidth = setup.fitToHeight = None
    m = ws.page_margins
    m.left = m.right = SIDE_MARGIN_IN
    m.top = m.bottom = TOP_MARGIN_IN
    m.header = m.footer = FOOTER_IN
    ws.oddFooter.left.text = footer.replace("&", "&&")[:200] if footer else None
    ws.oddFooter.right.text = "Page &P of &N"
    if area:
        ws.print_area = area
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    for row in page_breaks:
        ws.row_breaks.append(Break(id=row - 1))  # a break after row id


def rows_per_page(scale: int, row_height_pt: float = DEFAULT_ROW_PT) -> int:
    return max(1, math.floor(printable_cm()[1] * _PT_PER_CM * 100 / scale / row_height_pt))


def grid_extent(grid, widths: list[float], last_row: int | None = None) -> tuple[int, int]:
    """(last column, last row) a free sheet prints: its cells up to `last_row` and its
    charts (a chart spans the columns its width covers)."""
    from model.workbook.charts import columns_spanning

    last_row = last_row or grid.last_row
    cols = [c for (r, c) in grid.cells if r <= last_row] or [1]
    right = max(cols)
    for chart, row, col in grid.placed_charts:
        if row <= last_row:
            reach = chart.width + getattr(chart, "offset_cm", 0.0)
            right = max(right, col + columns_spanning(reach, widths[col - 1:]) - 1)
            last_row = max(last_row, row + chart_rows(chart.height))
    return right, last_row


def free_sheet_print(ws, grid, widths: list[float], *, last_row: int | None = None,
                     footer: str = "") -> int:
    """A free-layout sheet fitted to the page width at a scale computed here, page breaks
    keeping its tables and charts whole; returns the scale."""
    from openpyxl.utils import get_column_letter

    right, bottom = grid_extent(grid, widths, last_row)
    padded = list(widths) + [8.43] * max(0, right - len(widths))
    scale = fitting_scale(sum(column_cm(w) for w in padded[:right]))
    titles = title_rows(grid, scale, bottom)
    reserve = row_pt(grid.heights, int(titles.split(":")[0])) if titles else 0.0
    set_print(ws, scale=scale, area=f"A1:{get_column_letter(right)}{bottom}",
              page_breaks=breaks(grid.blocks, grid.heights, scale, bottom, reserve),
              footer=footer or ws.title, title_rows=titles)
    return scale


def title_rows(grid, scale: int, bottom: int) -> str | None:
    """The header row of a table longer than a page, to repeat on every page it runs on
    (Excel's and LibreOffice's print titles repeat from the page where the row first
    prints). One range per sheet: the last long table, and only when nothing printed
    follows it (a block after it would be headed by the table's header)."""
    page = printable_cm()[1] * _PT_PER_CM * 100 / scale
    long = [(row, count) for row, count in grid.tables if row + count <= bottom and
            sum(row_pt(grid.heights, r) for r in range(row, row + count + 1)) > page]
    if not long:
        return None
    row, count = long[-1]
    end = row + count
    later = any(end < r <= bottom for r, _ in grid.cells) or \
        any(r > end for _, r, _ in grid.placed_charts)
    return None if later else f"{row}:{row}"


PREVIEW_NOTE = ("{sheet}: a data sheet, kept for the workbook rather than for print; printed "
                "is its first page ({rows} of {all_rows} rows, {cols} of {all_cols} columns).")


def data_sheet_print(ws, widths: list[float], rows: int, key_cols: int,
                     header_rows: int = 1) -> None:
    """A data table: fitted to the page width when that leaves it legible (at least 60 %,
    at most 10 pages), its header rows and key columns repeated on every page; else marked
    as not for print, with only its first page in the print area and a note saying so."""
    from openpyxl.utils import get_column_letter

    total = sum(column_cm(w) for w in widths)
    scale = fitting_scale(total, least=1)
    keys = f"A:{get_column_letter(max(1, key_cols))}" if key_cols else None
    head = header_rows + 2 * (header_rows > 1)  # a label row is three lines tall
    pages_needed = math.ceil((rows + head) / rows_per_page(scale))
    if scale >= 60 and pages_needed <= 10:  # the area stops text running on to more pages
        set_print(ws, scale=scale,
                  area=f"A1:{get_column_letter(len(widths))}{rows + header_rows}",
                  title_rows=f"1:{header_rows}", title_cols=keys, footer=ws.title)
        return
    width = printable_cm()[0] * SAFETY
    used, cols = 0.0, 0
    for w in widths:
        if used + column_cm(w) > width:
            break
        used, cols = used + column_cm(w), cols + 1
    cols = max(1, cols)
    shown = min(rows, rows_per_page(100) - 1 - head)
    note = PREVIEW_NOTE.format(sheet=ws.title, rows=shown, all_rows=rows, cols=cols,
                               all_cols=len(widths))
    set_print(ws, scale=100, area=f"A1:{get_column_letter(cols)}{shown + header_rows}",
              footer=note)
