"""A briefing that prints (issue 26): page 1 legible on A4 (sizes computed from the print
settings, the column widths and the fonts), filter buttons on every table, charts that
carry their values, data sheets that print fitted or say they are not for print, and one
rounding rule for shares."""
from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, range_boundaries

from model.builtin import default_scenario
from model.engine import run
from model.engine.explanation import explain_outcome
from model.experiments import compare, monte_carlo
from model.exploration.experiment import explore
from model.schedules import parse_assignment
from model.shares import share_words
from model.workbook import pages
from model.workbook.briefing import export_briefing

STEPS, RUNS = 8, 5
BODY_PT, CHART_PT = 9.0, 8.0
EMU_PER_CM = 360_000


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The four kinds of workbook of the issue, small: a Monte Carlo run, a comparison of
    presets, a timing comparison of two schedules, an exploration."""
    folder = tmp_path_factory.mktemp("print")
    s = default_scenario()
    base = run(s, STEPS, 0)
    out = {}
    out["run"] = export_briefing(folder / "r.xlsx", scenario=s, result=base,
                                 monte_carlo=monte_carlo(s, RUNS, STEPS, 0),
                                 command="python main.py run default")
    presets = {"default": s, "benign": s.with_preset("benign"),
               "adverse": s.with_preset("adverse")}
    out["compare"] = export_briefing(folder / "c.xlsx", scenario=s, result=base,
                                     comparison=compare(presets, RUNS, STEPS, 0))
    timing = {"base": s, "now": s.with_schedules(_schedule(s, "antitrust_enforcement=0:0.8")),
              "wait": s.with_schedules(_schedule(s, "antitrust_enforcement=4:0.8"))}
    out["timing"] = export_briefing(folder / "t.xlsx", scenario=s, result=base,
                                    comparison=compare(timing, RUNS, STEPS, 0))
    x = explore(s, futures=12, policies={"current": s, "benign": s.with_preset("benign")},
                method=None, steps=STEPS, seed=0)
    out["explore"] = export_briefing(folder / "e.xlsx", scenario=s, result=base,
                                     exploration=x)
    return out


def _schedule(s, text: str):
    return parse_assignment(text, s.start)


def _area(ws):
    area = ws.print_area
    area = area[0] if isinstance(area, (list, tuple)) else area
    return range_boundaries(area.split("!")[-1].replace("$", ""))


def _first_page_rows(ws, last_row: int) -> int:
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    return breaks[0] if breaks else last_row


def test_page_one_prints_at_least_9_pt_and_fits_the_a4_width(books):
    for kind, path in books.items():
        ws = load_workbook(path)["Summary"]
        setup = ws.page_setup
        props = ws.sheet_properties.pageSetUpPr
        assert props is None or not props.fitToPage, kind  # never shrunk to fit
        assert setup.paperSize == 9 and setup.orientation == "landscape", kind
        assert setup.scale == 100, kind  # printed at full size
        scale = int(setup.scale or 100) / 100
        min_col, min_row, max_col, max_row = _area(ws)
        width_cm = sum(pages.column_cm(ws.column_dimensions[ws.cell(1, c).column_letter].width)
                       for c in range(min_col, max_col + 1)) * scale
        printable_w, printable_h = pages.printable_cm()
        margins = ws.page_margins
        assert 29.7 - 2.54 * (margins.left + margins.right) == pytest.approx(printable_w)
        assert width_cm <= printable_w, (kind, width_cm)
        last = _first_page_rows(ws, max_row)
        sizes = [c.font.sz * scale for row in ws.iter_rows(min_row=1, max_row=last,
                                                           max_col=max_col)
                 for c in row if c.value is not None]
        assert sizes and min(sizes) >= BODY_PT, (kind, min(sizes))
        height = sum(ws.row_dimensions[r].height or pages.DEFAULT_ROW_PT
                     for r in range(1, last + 1)) * scale
        assert height <= printable_h / 2.54 * 72, (kind, height)


def _charts_of(path, sheet: str) -> list[tuple[str, tuple[float, float]]]:
    """(chart XML, (width cm, height cm)) of every chart on a sheet."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet name="{sheet}" sheetId="\d+" state="\w+" r:id="(rId\d+)"',
                        book).group(1)
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"',
                           rels)
        sheet_file = "xl/" + (target.group(1) or target.group(2)).lstrip("/").replace("xl/", "")
        rel = sheet_file.replace("worksheets/", "worksheets/_rels/") + ".rels"
        out = []
        if rel not in z.namelist():
            return out
        for drawing in re.findall(r'Target="([^"]*drawing\d+\.xml)"', z.read(rel).decode()):
            name = "xl/drawings/" + drawing.split("/")[-1]
            xml = z.read(name).decode()
            drel = z.read(name.replace("drawings/", "drawings/_rels/") + ".rels").decode()
            targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', drel) +
                           [(b, a) for a, b in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"',
                                                          drel)])
            for anchor in re.findall(r"<(?:xdr:)?oneCellAnchor>(.*?)</(?:xdr:)?oneCellAnchor>",
                                     xml, re.S):
                cx, cy = re.search(r'<(?:xdr:)?ext cx="(\d+)" cy="(\d+)"', anchor).groups()
                chart_rid = re.search(r'r:id="(rId\d+)"', anchor).group(1)
                chart = z.read("xl/charts/" + targets[chart_rid].split("/")[-1]).decode()
                out.append((re.sub(r"<(/?)c:", r"<\1", chart),
                            (int(cx) / EMU_PER_CM, int(cy) / EMU_PER_CM)))
        return out


def test_summary_charts_fit_the_page_and_print_their_labels_at_8_pt(books):
    printable_w, printable_h = pages.printable_cm()
    for kind, path in books.items():
        ws = load_workbook(path)["Summary"]
        scale = int(ws.page_setup.scale or 100) / 100
        found = _charts_of(path, "Summary")
        assert found, kind
        for xml, (w, h) in found:
            assert w * scale <= printable_w and h * scale <= printable_h, kind
            sizes = [int(v) / 100 * scale for v in re.findall(r'sz="(\d+)"', xml)]
            assert sizes and min(sizes) >= CHART_PT, (kind, min(sizes))


def test_every_table_of_every_sheet_has_filter_buttons(books):
    count = 0
    for kind, path in books.items():
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for table in ws.tables.values():
                assert table.autoFilter is not None, (kind, ws.title, table.name)
                assert table.autoFilter.ref == table.ref, (kind, ws.title, table.name)
                count += 1
    assert count > 40


def _cells(wb, formula: str) -> list:
    m = re.fullmatch(r"'?(.+?)'?!\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", formula)
    sheet, c1, r1, c2, r2 = m.groups()
    ws = wb[sheet.replace("''", "'")]
    return [ws.cell(r, c).value for r in range(int(r1), int(r2) + 1)
            for c in range(column_index_from_string(c1), column_index_from_string(c2) + 1)]


def test_every_chart_carries_the_values_it_draws(books):
    for kind, path in books.items():
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for xml, _ in _charts_of(path, ws.title):
                refs = re.findall(r"<(numRef|strRef)><f>([^<]+)</f>(.*?)</\1>", xml, re.S)
                assert refs, (kind, ws.title)
                for tag, formula, cache in refs:
                    values = _cells(wb, formula)
                    count = re.search(r'<ptCount val="(\d+)"', cache)
                    assert count and int(count.group(1)) == len(values), (kind, formula)
                    cached = dict((int(i), v) for i, v in
                                  re.findall(r'<pt idx="(\d+)"><v>([^<]*)</v>', cache))
                    for i, value in enumerate(values):
                        if value is None:
                            assert i not in cached
                        elif tag == "numRef":
                            assert float(cached[i]) == pytest.approx(float(value), rel=1e-12)
                        else:
                            assert cached[i] == str(value)


def test_data_sheets_print_fitted_or_say_they_are_not_for_print(books):
    wb = load_workbook(books["run"])
    for title in ("Parameters", "TimeSeries", "Nodes", "Edges", "Platforms", "Zones", "Firms"):
        ws = wb[title]
        props = ws.sheet_properties.pageSetUpPr
        assert props is None or not props.fitToPage
        min_col, _, max_col, max_row = _area(ws)
        scale = int(ws.page_setup.scale or 100) / 100
        width = sum(pages.column_cm(ws.column_dimensions[ws.cell(1, c).column_letter].width
                                    or 8.43) for c in range(min_col, max_col + 1)) * scale
        assert width <= pages.printable_cm()[0] + 1e-9, title
        footer = ws.oddFooter.left.text or ""
        if "not for print" in footer or "rather than for print" in footer:
            assert max_row <= pages.rows_per_page(100), title
        else:
            assert ws.print_title_rows, title  # the header on every page
    assert "rather than for print" in (wb["TimeSeries"].oddFooter.left.text or "")


def test_one_rounding_rule_in_the_tables_and_the_sentence(books):
    wb = load_workbook(books["run"])
    ws = wb["Summary"]
    table = ws.tables["Summary_Outcomes"]
    rows = [[c.value for c in r] for r in ws[table.ref]][1:]
    assert round(sum(r[1] for r in rows) * 100) == 100
    why = next(ws.cell(r, 2).value for r in range(1, 60) if ws.cell(r, 1).value == "Why")
    top = max(rows, key=lambda r: r[1])
    assert why.startswith(f"{top[0]} in {round(top[1] * 100)}% of runs")
    compared = load_workbook(books["compare"])["Summary"]
    scen = [[c.value for c in r] for r in compared[compared.tables["Summary_Scenarios"].ref]]
    for r in scen[1:]:
        assert round(sum(r[1:4]) * 100) == 100


def test_timing_page_one_says_when_each_variant_acts_and_contrasts_them(books):
    ws = load_workbook(books["timing"])["Summary"]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in (2, 3)] for r in range(5, 10)}
    assert rows["now"] == ["2024Q1", "Antitrust enforcement: 0.80 from 2024Q1"]
    assert rows["wait"] == ["2025Q1", "Antitrust enforcement: 0.80 from 2025Q1"]
    assert rows["base"][1].startswith("reference")
    texts = [str(c.value) for row in ws.iter_rows(max_row=_first_page_rows(ws, 200))
             for c in row if c.value]
    assert any("now minus wait" in t for t in texts)
    levers = ws.tables["Summary_Levers"]
    lever_rows = [[c.value for c in r] for r in ws[levers.ref]]
    enforcement = next(r for r in lever_rows if r[0] == "Antitrust enforcement")
    assert enforcement[3] == "0.80 from 2024Q1" and enforcement[4] == "0.80 from 2025Q1"
    found = [xml for xml, _ in _charts_of(books["timing"], "Summary")]
    assert all("Policy change (2025Q1)" in xml for xml in found[:4])  # the change marked
    contrast = found[4:]  # the difference over time with its shaded band
    assert len(contrast) == 4 and all("now minus wait" in xml and "<areaChart>" in xml
                                      for xml in contrast)


def test_provenance_names_the_command_versions_and_zone(books):
    ws = load_workbook(books["run"])["Summary"]
    pairs = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert pairs["Command"] == "python main.py run default"
    assert "numpy" in pairs["Libraries"] and "openpyxl" in pairs["Libraries"]
    assert re.search(r"UTC[+-]\d\d:\d\d$", pairs["Exported"])
    assert pairs["Code version"]
    assert "Author" not in pairs  # a built-in scenario's author is no person


def test_exploration_page_one_is_about_the_futures(books):
    ws = load_workbook(books["explore"])["Summary"]
    assert "Summary_Robustness" in ws.tables and "Summary_Metrics" not in ws.tables
    header = [c.value for c in ws[ws.tables["Summary_Robustness"].ref][0]]
    assert any("Regret" in h for h in header)


def test_the_sentence_and_the_share_words_agree():
    s = default_scenario()
    mc = monte_carlo(s, RUNS, STEPS, 0)
    words = share_words({o: mc.outcome_shares[o] for o in ("adverse", "mixed", "benign")})
    sentence = explain_outcome(mc)
    top = sentence.split(" in ")[0]
    assert sentence.startswith(f"{top} in {words[top]} of runs")


def test_page_breaks_keep_tables_and_charts_whole():
    page_rows = pages.rows_per_page(100)
    assert pages.breaks([(30, 40)], {}, 100, 80)[0] == 30  # not at row 34, inside it
    assert pages.breaks([], {}, 100, 70) == [page_rows + 1, 2 * page_rows + 1]
    # a table longer than a page is split, but not inside a chart beside it
    assert pages.breaks([(1, 200), (30, 45)], {}, 100, 200)[0] == 30
    assert pages.breaks([], {5: 500.0}, 100, 10) == [5, 6]  # the heights count


def test_no_table_that_fits_a_page_is_split(books):
    for kind, path in books.items():
        wb = load_workbook(path)
        for ws in wb.worksheets:
            cuts = [b.id + 1 for b in ws.row_breaks.brk]  # the first row of a new page
            scale = int(ws.page_setup.scale or 100) / 100
            for table in ws.tables.values():
                _, top, _, bottom = range_boundaries(table.ref)
                height = sum(ws.row_dimensions[r].height or pages.DEFAULT_ROW_PT
                             for r in range(top, bottom + 1)) * scale
                if height < pages.printable_cm()[1] / 2.54 * 72 * 0.9:
                    assert not [c for c in cuts if top < c <= bottom], \
                        (kind, ws.title, table.name)
