"""Issue 26, the last of it: a long table's header on every printed page (print titles),
data sheets headed by labels with units above their keys, and an exploration's bands over
time across its futures on a sheet of their own and in the Summary's charts."""
from __future__ import annotations

import re
import zipfile

import numpy as np
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from model.engine import METRIC_KEYS
from model.engine.metrics import METRIC
from model.workbook import pages
from model.workbook.formats import CHART_METRICS
from model.workbook.futures_charts import BANDS_SHEET
from test_briefing_print import EMU_PER_CM, _area, books  # noqa: F401 (a fixture)
from test_workbook_exploration import book, exploration  # noqa: F401 (fixtures)


def _page_pt(ws) -> float:
    return pages.printable_cm()[1] * 72 / 2.54 * 100 / ws.page_setup.scale


def _height(ws, first: int, last: int) -> float:
    return sum(ws.row_dimensions[r].height or pages.DEFAULT_ROW_PT for r in range(first, last + 1))


def _title_row(ws) -> int:
    titles = ws.print_title_rows
    assert titles, ws.title
    first, last = (int(x) for x in titles.replace("$", "").split(":"))
    assert first == last
    return first


def _long_table_prints_with_its_header(ws, name: str) -> None:
    """The table is taller than a page; its header row is the print titles; nothing is
    printed below it; every page it runs on fits with the repeated header."""
    _, top, _, bottom = range_boundaries(ws.tables[name].ref)
    assert _height(ws, top, bottom) > _page_pt(ws), name  # it does run over pages
    assert _title_row(ws) == top
    assert all(c.anchor._from.row + 1 != top for c in ws._charts)  # it would repeat too
    _, _, _, area_bottom = _area(ws)
    below = [c.coordinate for row in ws.iter_rows(min_row=bottom + 1, max_row=area_bottom)
             for c in row if c.value is not None]
    assert not below, below
    starts = sorted(b.id + 1 for b in ws.row_breaks.brk)
    assert any(top < s <= bottom for s in starts)  # broken inside the table
    ends = [s - 1 for s in starts[1:]] + [area_bottom]
    for first, last in zip(starts, ends):
        if first > top:  # a continuation page: the header repeats above its rows
            assert _height(ws, top, top) + _height(ws, first, last) <= _page_pt(ws), \
                (first, last)


def test_the_comparison_tables_header_repeats_on_every_page(books):
    for kind in ("compare", "timing"):
        ws = load_workbook(books[kind])["Comparison"]
        _long_table_prints_with_its_header(ws, "Comparison_End")
        assert ws.cell(_title_row(ws), 1).value == "Metric"


def test_the_sensitivity_indices_header_repeats_on_every_page(book):
    ws = load_workbook(book)["Sensitivity indices"]
    _long_table_prints_with_its_header(ws, "Sensitivity_Indices")
    assert ws.print_title_rows


def test_a_sheet_of_short_tables_has_no_print_titles(books):
    wb = load_workbook(books["compare"])
    assert not wb["Summary"].print_title_rows
    assert not wb["Robustness" if "Robustness" in wb.sheetnames else "Methodology"] \
        .print_title_rows


def test_data_sheets_show_labels_with_units_above_their_keys(books):
    wb = load_workbook(books["run"])
    ws = wb["TimeSeries"]
    labels, keys = [c.value for c in ws[1]], [c.value for c in ws[2]]
    assert keys[:2] == ["step", "quarter"] and labels[:2] == ["Step", "Quarter"]
    assert ws.tables["TimeSeries"].ref.startswith("A2:")  # the keys stay the table header
    assert ws.freeze_panes == "C3"
    for label, key in zip(labels[2:], keys[2:]):
        metric, band = key.rsplit("_", 1)
        m = METRIC[metric]
        assert label.startswith(f"{m.label} [{m.unit}], "), (label, key)
        assert label.endswith({"mean": "mean", "p5": "p5", "p50": "median",
                               "p95": "p95"}[band])
    assert [k.rsplit("_", 1)[0] for k in keys[2::4]] == list(METRIC_KEYS)
    assert ws["C1"].alignment.wrap_text
    # the import's sheets keep one header row of keys
    assert [c.value for c in wb["Nodes"][1]][0] == "id"


def test_the_bands_over_the_futures_are_a_sheet_and_the_summary_charts(books):
    path = books["explore"]
    wb = load_workbook(path)
    names = wb.sheetnames
    assert names.index(BANDS_SHEET) == names.index("Futures") + 1
    ws = wb[BANDS_SHEET]
    keys = [c.value for c in ws[2]]
    assert keys[:3] == ["policy", "step", "quarter"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    policies = [r[0] for r in rows]
    assert policies == ["current"] * 9 + ["benign"] * 9  # 8 steps and step 0, per policy
    charts = _chart_xml(path, "Summary")
    over = [c for c in charts if BANDS_SHEET in c]
    assert len(over) == len(CHART_METRICS) * 2  # each metric under each policy
    for xml in over:
        assert "<areaChart>" in xml and "<numCache>" in xml
        refs = re.findall(r"<f>'Futures over time'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)</f>",
                          xml)
        first_rows = {int(a) for _, a, _ in refs}
        assert first_rows in ({3}, {12})  # one policy's rows
    hhi = [c for c in over if "HHI (mean) under" in c]
    limits = {(re.search(r'<min val="([^"]+)"', c).group(1),
               re.search(r'<max val="([^"]+)"', c).group(1)) for c in hhi}
    assert len(hhi) == 2 and len(limits) == 1  # the policies share one scale
    # the charts' median is the sheet's p50
    p50 = keys.index("hhi_mean_p50") + 1
    letter = get_column_letter(p50)
    assert any(f"'Futures over time'!${letter}$3:${letter}$11" in c for c in hhi)


def test_summary_charts_stay_inside_the_printed_width(books):
    for kind, path in books.items():
        ws = load_workbook(path)["Summary"]
        widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43
                  for c in range(1, 40)]
        _, _, right_col, _ = _area(ws)
        printed = sum(pages.column_cm(w) for w in widths[:right_col])
        assert printed * ws.page_setup.scale / 100 <= pages.printable_cm()[0]
        for chart in ws._charts:
            marker = chart.anchor._from
            left = sum(pages.column_cm(w) for w in widths[:marker.col]) + \
                marker.colOff / EMU_PER_CM
            assert left + chart.anchor.ext.width / EMU_PER_CM <= printed + 0.05, kind


def test_the_bands_sheet_holds_the_explorations_bands(book, exploration):
    ws = load_workbook(book)[BANDS_SHEET]
    keys = [c.value for c in ws[2]]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    bands = exploration.step_bands
    assert len(rows) == len(bands) and keys == list(bands.columns)
    for key in ("active_smes_p95", "hhi_mean_p50", "talent_gini_p5"):
        col = keys.index(key)
        np.testing.assert_allclose([r[col] for r in rows], bands[key], rtol=1e-15)
    assert [r[0] for r in rows] == bands["policy"].tolist()


def _chart_xml(path, sheet: str) -> list[str]:
    with zipfile.ZipFile(path) as z:
        book_xml = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet[^>]*name="{sheet}"[^>]*r:id="([^"]+)"', book_xml).group(1)
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"',
                           rels)
        sheet_path = "xl/" + (target.group(1) or target.group(2)).lstrip("/").replace("xl/", "")
        name = sheet_path.rsplit("/", 1)[1]
        sheet_rels = z.read(f"xl/worksheets/_rels/{name}.rels").decode()
        drawing = re.search(r'Target="([^"]*drawing[^"]*)"', sheet_rels).group(1)
        drawing_name = drawing.rsplit("/", 1)[1]
        drawing_rels = z.read(f"xl/drawings/_rels/{drawing_name}.rels").decode()
        out = []
        for target in re.findall(r'Target="([^"]*chart[^"]*)"', drawing_rels):
            out.append(z.read("xl/charts/" + target.rsplit("/", 1)[1]).decode())
        return out
