"""The briefing workbook: sheets and columns, charts that point at the right cells, text
that stays text, a round trip of the network, atomic saving and Excel's row limit."""
from __future__ import annotations

import dataclasses
import importlib
import os
import re
import zipfile
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from factories import small_records
from model.engine import METRIC_KEYS, run
from model.errors import InputError
from model.experiments import compare, monte_carlo, sensitivity, sweep
from model.network import Network
from model.parameters import ParameterSet
from model.scenario import Scenario
from model.workbook import briefing as briefing_module
from model.workbook import cells
from model.workbook.briefing import export_briefing
from model.workbook.reader import read_workbook

STEPS, RUNS = 6, 3
EXCEL_DIGITS = 1e-15
CREATED = datetime(2026, 1, 2, 3, 4)
TAIL = ["Parameters", "TimeSeries", "Nodes", "Edges", "Platforms", "Zones", "Firms",
        "Methodology"]
# Texts that a spreadsheet could take for a formula (or a DDE command) if written naively.
INJECTIONS = ('=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(1,2)",
              "=cmd|' /C calc'!A0", "=1+1", "+SME")
TITLE = "=HYPERLINK(\"http://evil.example\")"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    nodes, edges = small_records()
    for node, name in zip(nodes, INJECTIONS):
        node["name"] = name
    return Scenario(Network.from_records(nodes, edges),
                    ParameterSet({"antitrust_enforcement": 0.55, "exit_patience": 5}),
                    title=TITLE, author="@analyst", notes="-notes\nsecond line")


@pytest.fixture(scope="module")
def result(scenario):
    return run(scenario, STEPS, 0)


@pytest.fixture(scope="module")
def mc(scenario):
    return monte_carlo(scenario, RUNS, STEPS, 0)


@pytest.fixture(scope="module")
def comparison(scenario):
    return compare({"=base": scenario, "+benign": scenario.with_preset("benign")}, RUNS,
                   STEPS, 0)


@pytest.fixture(scope="module")
def analyses(scenario):
    tornado = sensitivity(scenario, ("antitrust_enforcement", "openness_floor"),
                          ("hhi_mean", "active_smes"), runs=2, steps=STEPS)
    table = sweep(scenario, "antitrust_enforcement", [0.0, 0.5, 1.0], runs=2, steps=STEPS)
    return tornado, table


@pytest.fixture(scope="module")
def books(tmp_path_factory, scenario, result, mc, comparison, analyses):
    """One workbook of each kind, written once for the whole module."""
    folder = tmp_path_factory.mktemp("books")
    paths = {name: folder / f"{name}.xlsx" for name in ("single", "mc", "cmp", "sens")}
    export_briefing(paths["single"], scenario=scenario, result=result, created=CREATED)
    export_briefing(paths["mc"], scenario=scenario, result=result, monte_carlo=mc,
                    created=CREATED)
    export_briefing(paths["cmp"], scenario=scenario, result=result, comparison=comparison,
                    created=CREATED)
    export_briefing(paths["sens"], scenario=scenario, result=result, monte_carlo=mc,
                    sensitivity=analyses[0], sweep=analyses[1], band_set="eu2004",
                    created=CREATED)
    return paths


LABELLED = ("TimeSeries", "Futures", "Futures over time")  # people's headers above the keys


def key_row(ws) -> int:
    """The row of a data sheet's keys (the table's header): under the labels for people."""
    return 2 if ws.title in LABELLED else 1


def header(ws) -> list:
    row = key_row(ws)
    return [c.value for c in next(ws.iter_rows(min_row=row, max_row=row))]


def sheet_rows(ws) -> list[tuple]:
    """The header of keys and the rows under it (a label row above is left out)."""
    return list(ws.iter_rows(min_row=key_row(ws), values_only=True))


def texts(ws) -> list[str]:
    return [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


# ---- sheets and columns ------------------------------------------------------------------

def test_single_run_sheets_columns_and_values(books, result):
    wb = load_workbook(books["single"])
    assert wb.sheetnames == ["Summary", *TAIL]
    ws = wb["TimeSeries"]
    assert header(ws) == ["step", "quarter", *METRIC_KEYS]
    rows = sheet_rows(ws)[1:]
    assert len(rows) == STEPS + 1
    assert [r[1] for r in rows] == result.metrics["quarter"].tolist()
    assert rows[0][1] == "2024Q1" and rows[-1][1] == f"{2024 + STEPS // 4}Q{1 + STEPS % 4}"
    numbers = [[r[0], *r[2:]] for r in rows]
    np.testing.assert_allclose(np.array(numbers, dtype=float),
                               result.metrics[["step", *METRIC_KEYS]].to_numpy(dtype=float),
                               rtol=EXCEL_DIGITS)
    for title, frame in (("Platforms", result.platforms), ("Zones", result.zones),
                         ("Firms", result.firms)):
        assert header(wb[title]) == list(frame.columns)
        assert wb[title].max_row == len(frame) + 1
    summary = texts(wb["Summary"])
    assert result.outcome in summary
    assert "Key metrics, 2024Q1 and 2025Q3 (quarter 6)" in summary


def test_data_sheets_are_tables_with_frozen_headers_and_formats(books):
    wb = load_workbook(books["mc"])
    for title in TAIL[:-1]:
        ws = wb[title]
        top = key_row(ws)
        assert ws.freeze_panes in (f"A{top + 1}", f"B{top + 1}", f"C{top + 1}"), title
        (table,) = ws.tables.values()
        assert table.ref == f"A{top}:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert [c.name for c in table.tableColumns] == header(ws)
    ts = wb["TimeSeries"]
    formats = {h: ts.cell(3, i).number_format for i, h in enumerate(header(ts), start=1)}
    assert formats["hhi_mean_mean"] == "#,##0"
    assert formats["cr4_mean_p95"] == "0.0%"
    assert formats["foreign_share_mean"] == "0.0%"
    assert formats["active_smes_mean"] == "#,##0.0"
    firms = wb["Firms"]
    share = header(firms).index("share") + 1
    assert firms.cell(2, share).number_format == "0.00%"
    assert wb["Summary"].sheet_view.showGridLines is False


def test_monte_carlo_time_series_has_bands_and_summary_outcome_shares(books, mc):
    wb = load_workbook(books["mc"])
    ws = wb["TimeSeries"]
    expected = ["step", "quarter"] + [f"{k}_{b}" for k in METRIC_KEYS for b in ("mean", "p5", "p50",
                                                                      "p95")]
    assert header(ws) == expected
    rows = sheet_rows(ws)[1:]
    assert [r[1] for r in rows] == mc.summary["quarter"].tolist()
    values = np.array([[r[0], *r[2:]] for r in rows], dtype=float)
    numeric = [c for c in expected if c != "quarter"]
    np.testing.assert_allclose(values, mc.summary[numeric].to_numpy(dtype=float),
                               rtol=EXCEL_DIGITS)
    table = wb["Summary"].tables["Summary_Outcomes"]
    rows = [[c.value for c in r] for r in wb["Summary"][table.ref]][1:]
    assert {r[0]: r[1] for r in rows} == pytest.approx(mc.outcome_shares)
    assert "0 to 2 (3 runs)" in texts(wb["Summary"])


def test_comparison_sheet_has_end_metrics_outcomes_and_levers(books, comparison):
    wb = load_workbook(books["cmp"])
    assert wb.sheetnames == ["Summary", "Comparison", *TAIL]
    ws = wb["Comparison"]
    end = [[c.value for c in r] for r in ws[ws.tables["Comparison_End"].ref]]
    assert end[0][:3] == ["Metric", "Scenario", "End (mean)"]
    assert len(end) - 1 == len(METRIC_KEYS) * 2
    assert {r[1] for r in end[1:]} == {"=base", "+benign"}  # labels stay text
    hhi = {r[1]: r for r in end[1:] if r[0] == "HHI (mean)"}
    table = comparison.end_table(["hhi_mean"]).set_index("scenario")
    assert hhi["+benign"][2] == pytest.approx(table.loc["+benign", "end_mean"], rel=1e-12)
    assert hhi["+benign"][5] == pytest.approx(table.loc["+benign", "diff_mean"], rel=1e-12,
                                              abs=1e-9)
    assert hhi["=base"][5] is None  # the baseline has no difference to itself
    outcomes = [[c.value for c in r] for r in ws[ws.tables["Comparison_Outcomes"].ref]]
    assert outcomes[0] == ["Scenario", "adverse", "mixed", "benign"]
    levers = [[c.value for c in r] for r in ws[ws.tables["Comparison_Levers"].ref]]
    enforcement = next(r for r in levers if r[1] == "antitrust_enforcement")
    assert enforcement[3:] == [0.55, 0.8]


def test_sensitivity_sheet_holds_the_tornado_and_the_sweep(books, analyses):
    wb = load_workbook(books["sens"])
    assert wb.sheetnames == ["Summary", "Sensitivity", *TAIL]
    ws = wb["Sensitivity"]
    tornado = [[c.value for c in r] for r in ws[ws.tables["Sensitivity_Tornado"].ref]]
    assert len(tornado) - 1 == len(analyses[0])
    for metric in ("HHI (mean)", "Active SMEs"):
        swings = [r[11] for r in tornado[1:] if r[0] == metric]
        assert swings == sorted(swings, reverse=True) and len(swings) == 2
    swept = [[c.value for c in r] for r in ws[ws.tables["Sensitivity_Sweep"].ref]]
    assert swept[0] == ["Metric", "Statistic", "Column", "0", "0.5", "1"]
    row = next(r for r in swept if r[2] == "hhi_mean_mean")
    assert row[3:] == pytest.approx(analyses[1]["hhi_mean_mean"].tolist(), rel=1e-12)
    assert "moderately concentrated" not in texts(wb["Summary"])  # eu2004 labels instead


# ---- charts ----------------------------------------------------------------------------

def chart_parts(path) -> dict[str, list[str]]:
    """Sheet name -> the XML of each chart drawn on it, followed through the rels."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        sheets = {}
        for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" state="\w+" '
                                    r'r:id="(rId\d+)"', book):
            target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*'
                               rf'Id="{rid}"', rels)
            sheet = "xl/" + (target.group(1) or target.group(2)).lstrip("/").replace("xl/", "")
            rel = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
            charts = []
            if rel in names:
                for drawing in re.findall(r'Target="([^"]*drawing\d+\.xml)"',
                                          z.read(rel).decode()):
                    drawing = "xl/drawings/" + drawing.split("/")[-1]
                    drel = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
                    for chart in re.findall(r'Target="([^"]*chart\d+\.xml)"',
                                            z.read(drel).decode()):
                        xml = z.read("xl/charts/" + chart.split("/")[-1]).decode()
                        charts.append(re.sub(r"<(/?)c:", r"<\1", xml))  # one spelling
            sheets[name] = charts
    return sheets


def formulas(chart_xml: str) -> list[str]:
    return re.findall(r"<f>([^<]+)</f>", chart_xml)


def resolve(wb, formula: str):
    """The cells a chart formula such as 'TimeSeries'!$B$2:$B$8 names."""
    m = re.fullmatch(r"'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    sheet, c1, r1, c2, r2 = m.groups()
    ws = wb[sheet]
    return ws, [ws.cell(r, c).value
                for r in range(int(r1), int(r2) + 1)
                for c in range(column_index_from_string(c1), column_index_from_string(c2) + 1)]


def series(chart_xml: str) -> list[tuple[str, str]]:
    """(categories formula, values formula) of every series of a chart."""
    out = []
    for ser in re.findall(r"<ser>(.*?)</ser>", chart_xml, re.S):
        cat = re.search(r"<cat>.*?<f>([^<]+)</f>", ser, re.S)
        val = re.search(r"<val>.*?<f>([^<]+)</f>", ser, re.S)
        out.append((cat.group(1) if cat else "", val.group(1)))
    return out


def column_header(wb, formula: str):
    ws, _ = resolve(wb, formula)
    return ws[re.search(r"\$([A-Z]+)\$", formula).group(1) + str(key_row(ws))].value


def test_summary_charts_exist_and_draw_the_right_columns(books, mc):
    parts = chart_parts(books["mc"])
    assert len(parts["Summary"]) == 4
    assert all(not v for k, v in parts.items() if k != "Summary")
    wb = load_workbook(books["mc"])
    hhi = parts["Summary"][0]
    assert "HHI (mean)" in hhi and "<v>Quarter</v>" in hhi.replace("<a:t>", "<v>").replace(
        "</a:t>", "</v>") and "<legend>" in hhi
    for cat, val in series(hhi):
        _, quarters = resolve(wb, cat)
        assert quarters == mc.summary["quarter"].tolist() and \
            column_header(wb, cat) == "quarter"
        ws, values = resolve(wb, val)
        assert len(values) == STEPS + 1 and all(isinstance(v, (int, float)) for v in values)
    # the shaded band first (an area stacked on p5: p5, then p95 - p5), then the lines
    named = [column_header(wb, val) for _, val in series(hhi)]
    assert named[:3] == ["hhi_mean_p5", "p5 to p95 width, HHI (mean) (chart data)",
                         "hhi_mean_mean"]
    _, width = resolve(wb, series(hhi)[1][1])
    np.testing.assert_allclose(width, mc.summary["hhi_mean_p95"] - mc.summary["hhi_mean_p5"])
    assert "<areaChart>" in hhi and '<grouping val="stacked"' in hhi
    bands = [resolve(wb, val) for _, val in series(hhi)[3:]]
    assert [(ws.title, set(v)) for ws, v in bands] == [("Summary", {1500}),
                                                        ("Summary", {2500})]
    assert "1,500: moderately concentrated" in hhi  # the legend names the threshold
    for chart, key in zip(parts["Summary"][1:], ("active_smes", "dependency_index",
                                                 "talent_gini")):
        assert [column_header(wb, val) for _, val in series(chart)][::2] == \
            [f"{key}_p5", f"{key}_mean"]


def test_comparison_and_sensitivity_charts_have_one_line_per_scenario(books):
    parts = chart_parts(books["cmp"])
    # four of the means per scenario, four of the contrast over time (issue 26)
    assert len(parts["Summary"]) == 8 and len(parts["Comparison"]) == 6
    wb = load_workbook(books["cmp"])
    for chart in parts["Comparison"]:
        titles = re.findall(r"<tx><v>([^<]+)</v></tx>", chart)
        assert titles[:2] == ["=base", "+benign"]
        for categories, values in series(chart):
            assert all(isinstance(v, (int, float)) for v in resolve(wb, values)[1])
            quarters = resolve(wb, categories)[1]
            assert quarters[0] == "2024Q1" and all(re.fullmatch(r"\d{4}Q[1-4]", q)
                                                   for q in quarters)
    sens = chart_parts(books["sens"])
    assert len(sens["Sensitivity"]) == 2 + 4  # a tornado per metric, four sweep charts
    assert sum(re.search(r'<barDir val="bar" ?/>', c) is not None for c in sens["Sensitivity"]) == 2


# ---- text stays text -------------------------------------------------------------------

def test_user_text_is_never_a_formula(books, scenario):
    for path in books.values():
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    assert "<f>" not in z.read(name).decode(), (path.name, name)
    wb = load_workbook(books["cmp"])
    nodes = wb["Nodes"]
    names = [r[header(nodes).index("name")] for r in sheet_rows(nodes)[1:]]
    assert names == scenario.network.nodes["name"].tolist()
    for r in range(2, nodes.max_row + 1):
        c = nodes.cell(r, header(nodes).index("name") + 1)
        assert c.data_type == "s" and c.quotePrefix == (c.value[0] in "=+-@")
    summary = texts(wb["Summary"])
    assert TITLE in summary and "@analyst" in summary
    assert set(INJECTIONS) <= set(texts(wb["Firms"]) + texts(wb["Platforms"]) +
                                  texts(wb["Zones"]))
    assert {"=base", "+benign"} <= set(texts(wb["Comparison"]))


def test_control_characters_and_carriage_returns_are_cleaned():
    assert cells.clean_text("a\x00b\x1fc\ufffe") == "a\ufffdb\ufffdc\ufffd"
    assert cells.clean_text("one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert cells.column_names(["a", "A", " b\nc ", ""]) == ["a", "A (2)", "b c", "column"]


# ---- round trip, properties, options ----------------------------------------------------

def test_briefing_reads_back_as_the_same_network_and_parameters(books, scenario):
    for path in books.values():
        back = read_workbook(path).current
        assert back.network.equals(scenario.network, rtol=EXCEL_DIGITS), path.name
        assert dict(back.parameters) == pytest.approx(dict(scenario.parameters),
                                                      rel=EXCEL_DIGITS)
        assert (back.title, back.author, back.notes) == (TITLE, "@analyst",
                                                         "-notes\nsecond line")


def test_provenance_in_document_properties(books, mc):
    wb = load_workbook(books["mc"])
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["seeds"] == "0 to 2 (3 runs)" and props["runs"] == "3"
    assert props["scenario_hash"] == mc.provenance.scenario_hash
    assert len(props["parameter_hash"]) == 64 and props["band_set"] == "us2010"
    assert mc.provenance.scenario_hash in wb.properties.keywords
    assert wb.properties.subject == "AI ecosystem briefing"


def test_summary_prints_landscape_at_full_size(books):
    """Never fitted to one page (it came out at 5 pt); tests/test_briefing_print.py
    computes the printed sizes."""
    wb = load_workbook(books["single"])
    ws = wb["Summary"]
    assert ws.page_setup.orientation == "landscape"
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == 100
    assert ws.print_area.startswith("'Summary'!$A$1:")


def test_progress_reaches_the_end(tmp_path, scenario, result):
    calls = []
    export_briefing(tmp_path / "p.xlsx", scenario=scenario, result=result,
                    progress=lambda done, total: calls.append((done, total)))
    done = [d for d, _ in calls]
    assert done == sorted(done) and len({t for _, t in calls}) == 1
    assert calls[-1][0] == calls[-1][1]
    assert len(calls) >= len(TAIL) + 1  # every sheet reports, and the save


def test_the_exporter_never_runs_the_model(tmp_path, monkeypatch, scenario, result, mc):
    engine_run = importlib.import_module("model.engine.run")

    def refuse(*args, **kwargs):
        raise AssertionError("the exporter ran the model")

    monkeypatch.setattr(engine_run, "simulate", refuse)
    monkeypatch.setattr(engine_run, "Engine", refuse)
    monkeypatch.setattr(engine_run, "run_metrics", refuse)
    written = export_briefing(tmp_path / "m.xlsx", scenario=scenario, result=result,
                              monte_carlo=mc)
    assert written.exists() and written.stat().st_size > 0


def test_bad_options_and_tables_are_input_errors(tmp_path, scenario, result, analyses):
    with pytest.raises(InputError, match="threshold set"):
        export_briefing(tmp_path / "x.xlsx", scenario=scenario, result=result,
                        band_set="uk1999")
    with pytest.raises(InputError, match="sensitivity table lacks"):
        export_briefing(tmp_path / "x.xlsx", scenario=scenario, result=result,
                        sensitivity=analyses[0].drop(columns="swing"))
    with pytest.raises(InputError, match="sweep table"):
        export_briefing(tmp_path / "x.xlsx", scenario=scenario, result=result,
                        sweep=analyses[1].iloc[:, 1:])
    assert not (tmp_path / "x.xlsx").exists()


# ---- atomic saving and Excel's limits ---------------------------------------------------

def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_failure_mid_way_leaves_the_previous_file_intact(tmp_path, monkeypatch, scenario,
                                                           result):
    from openpyxl.worksheet import _writer

    path = tmp_path / "brief.xlsx"
    export_briefing(path, scenario=scenario, result=result)
    before = path.read_bytes()
    temp_files = list(_writer.ALL_TEMP_FILES)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(briefing_module, "write_state_sheets", broken)  # after 5 sheets
    with pytest.raises(RuntimeError, match="disk on fire"):
        export_briefing(path, scenario=scenario, result=result)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == ["brief.xlsx"]
    assert _writer.ALL_TEMP_FILES == temp_files  # no streamed sheet left behind
    assert all(os.path.exists(f) for f in temp_files)


def test_a_failure_while_saving_leaves_no_partial_file(tmp_path, monkeypatch, scenario,
                                                       result):
    from openpyxl.writer import excel

    path = tmp_path / "brief.xlsx"
    export_briefing(path, scenario=scenario, result=result)
    before = path.read_bytes()

    def broken(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(excel.ExcelWriter, "write_worksheet", broken)
    with pytest.raises(InputError, match="No space left"):
        export_briefing(path, scenario=scenario, result=result)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == ["brief.xlsx"]
    with pytest.raises(InputError):
        export_briefing(tmp_path / "new.xlsx", scenario=scenario, result=result)
    assert leftovers(tmp_path) == ["brief.xlsx"]


def test_a_table_over_excels_row_limit_is_refused_before_anything_is_written(
        tmp_path, monkeypatch, scenario, result):
    monkeypatch.setattr(cells, "MAX_ROWS", len(scenario.network.edges))  # header + edges
    with pytest.raises(InputError, match="sheet Edges would need") as caught:
        export_briefing(tmp_path / "big.xlsx", scenario=scenario, result=result)
    assert "JSON" in caught.value.fix
    assert leftovers(tmp_path) == []
    # a run whose entrants make the Firms table alone too long
    crowded = dataclasses.replace(result, firms=pd.concat([result.firms] * 20))
    monkeypatch.setattr(cells, "MAX_ROWS", 40)
    with pytest.raises(InputError, match="sheet Firms would need"):
        export_briefing(tmp_path / "big.xlsx", scenario=scenario, result=crowded)
    assert leftovers(tmp_path) == []
