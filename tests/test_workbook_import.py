"""Networks from workbooks and CSV pairs: round trips, and errors that name sheet, row, column."""
from __future__ import annotations

import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from factories import small_records
from model.errors import InputError, ValidationError
from model.network import Network
from model.parameters import ParameterSet
from model.scenario import Scenario
from model.workbook.reader import read_csv_pair, read_workbook
from model.workbook.scenario_book import save_scenario_workbook

EXCEL_DIGITS = 1e-15  # Excel keeps 16 significant digits of a number


def small_scenario(**params) -> Scenario:
    nodes, edges = small_records()
    return Scenario(Network.from_records(nodes, edges), ParameterSet(params), title="Small",
                    author="Analyst", notes="Two zones")


def write_sheets(path, nodes: list[list], edges: list[list], extra_sheets=()):
    wb = Workbook()
    wb.active.title = "Nodes"
    for row in nodes:
        wb["Nodes"].append(row)
    ws = wb.create_sheet("Edges")
    for row in edges:
        ws.append(row)
    for name in extra_sheets:
        wb.create_sheet(name)
    wb.save(path)


def test_round_trip_gives_the_same_network_parameters_and_notes(tmp_path):
    scenario = small_scenario(antitrust_enforcement=0.85, exit_patience=5)
    path = tmp_path / "s.xlsx"
    save_scenario_workbook(scenario, path)
    back = read_workbook(path).current
    assert back.network.equals(scenario.network, rtol=EXCEL_DIGITS)
    assert dict(back.parameters) == pytest.approx(dict(scenario.parameters), rel=EXCEL_DIGITS)
    assert (back.title, back.author, back.notes) == ("Small", "Analyst", "Two zones")


def test_default_scenario_round_trip(tmp_path):
    from model.builtin import default_scenario

    scenario = default_scenario()
    save_scenario_workbook(scenario, tmp_path / "d.xlsx")
    assert read_workbook(tmp_path / "d.xlsx").current.network.equals(scenario.network,
                                                                      rtol=EXCEL_DIGITS)


def test_sheets_are_real_tables_with_frozen_headers(tmp_path):
    save_scenario_workbook(small_scenario(), tmp_path / "s.xlsx")
    wb = load_workbook(tmp_path / "s.xlsx")
    assert wb.sheetnames == ["Nodes", "Edges", "Parameters"]
    for ws in wb:
        assert ws.freeze_panes == "A2"
        assert len(ws.tables) == 1
    assert [c.value for c in wb["Nodes"][1]][:3] == ["id", "kind", "name"]


def test_columns_in_any_order_with_extras_kept(tmp_path):
    path = tmp_path / "hand.xlsx"
    write_sheets(path,
                 [["Kind", "Talent", "ID", "Website"], ["zone", 12, "z1", "example.org"],
                  ["sme", None, "f1", None], ["platform", None, "p1", None],
                  ["leader", None, "f2", None]],
                 [["type", "target", "source"], ["located_in", "z1", "f1"],
                  ["located_in", "z1", "f2"], ["operates", "p1", "f2"]])
    with pytest.raises(ValidationError, match="subfield"):
        read_workbook(path)
    network = read_workbook(path, strict=False).current.network
    assert network.extra_node_columns == ("Website",)
    assert network.nodes.set_index("id").loc["z1", "talent"] == 12.0


def test_formula_text_reads_back_as_text(tmp_path):
    nodes, edges = small_records()
    nodes[0]["name"] = "=HYPERLINK(\"http://x\",\"y\")"
    nodes[1]["name"] = "@SUM(A1)"
    nodes[2]["name"] = "-2+3"
    scenario = Scenario(Network.from_records(nodes, edges))
    save_scenario_workbook(scenario, tmp_path / "f.xlsx")
    raw = zipfile.ZipFile(tmp_path / "f.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in raw  # no cell holds a formula
    back = read_workbook(tmp_path / "f.xlsx").current.network.nodes["name"].tolist()
    assert back[:3] == [nodes[0]["name"], "@SUM(A1)", "-2+3"]


def test_missing_column_names_sheet_and_column(tmp_path):
    path = tmp_path / "m.xlsx"
    write_sheets(path, [["id", "name"], ["z1", "Zone"]], [["source", "target", "type"]])
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    line = caught.value.line()
    assert "m.xlsx" in line and "sheet Nodes" in line and "kind" in line


def test_missing_sheet(tmp_path):
    path = tmp_path / "n.xlsx"
    wb = Workbook()
    wb.active.title = "Nodes"
    wb.save(path)
    with pytest.raises(InputError, match="no sheet named Edges"):
        read_workbook(path)


@pytest.mark.parametrize("cell_value, rule_words", [
    (-4, ["row 3", "column talent", "out of range"]),
    ("lots", ["row 3", "column talent", "not a number"]),
])
def test_bad_values_name_sheet_row_and_column(tmp_path, cell_value, rule_words):
    path = tmp_path / "b.xlsx"
    write_sheets(path, [["id", "kind", "talent"], ["z0", "zone", 1], ["z1", "zone", cell_value]],
                 [["source", "target", "type"]])
    with pytest.raises(ValidationError) as caught:
        read_workbook(path)
    line = caught.value.line()
    assert line.startswith(str(path)) and "sheet Nodes" in line
    for word in rule_words:
        assert word in line


def test_unknown_kind_and_dangling_edge_name_their_rows(tmp_path):
    path = tmp_path / "k.xlsx"
    write_sheets(path, [["id", "kind"], ["z1", "zone"], ["u1", "university"]],
                 [["source", "target", "type", "weight"], ["z1", "z9", "exchange", 0.5]])
    with pytest.raises(ValidationError) as caught:
        read_workbook(path)
    places = [p.place for p in caught.value.problems]
    assert any(p.startswith("sheet Nodes, row 3, column kind") for p in places)
    assert any(p.startswith("sheet Edges, row 2, column target") for p in places)


def test_parameters_sheet_errors_are_named(tmp_path):
    path = tmp_path / "p.xlsx"
    save_scenario_workbook(small_scenario(), path)
    wb = load_workbook(path)
    wb["Parameters"]["B2"] = 7  # antitrust_enforcement
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert "sheet Parameters" in caught.value.line() and "antitrust_enforcement" in \
        caught.value.line()


@pytest.mark.parametrize("content, words", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted"),
    (b"id,kind\nz1,zone\n", "not an Excel workbook"),
    (b"PK\x03\x04 damaged beyond repair", "damaged"),
])
def test_not_a_workbook(tmp_path, content, words):
    path = tmp_path / "w.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words):
        read_workbook(path)


def test_corrupt_zip_member_is_a_clear_error(tmp_path):
    path = tmp_path / "c.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
    with pytest.raises(InputError, match="cannot be read"):
        read_workbook(path)


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.xlsx"
    save_scenario_workbook(small_scenario(), path)
    with pytest.raises(InputError, match="too large"):
        read_workbook(path, max_bytes=1000)


def test_csv_pair_round_trip_and_partner_lookup(tmp_path):
    scenario = small_scenario()
    scenario.network.nodes.to_csv(tmp_path / "eco-nodes.csv", index=False)
    scenario.network.edges.to_csv(tmp_path / "eco-edges.csv", index=False)
    for name in ("eco-nodes.csv", "eco-edges.csv"):
        back = read_csv_pair(tmp_path / name).current.network
        assert back.equals(scenario.network)


def test_csv_errors(tmp_path):
    (tmp_path / "a-nodes.csv").write_text("id,kind\nz1,zone\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not exist"):
        read_csv_pair(tmp_path / "a-nodes.csv")
    (tmp_path / "a-edges.csv").write_bytes("source,target,type\n\xff\xfe".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        read_csv_pair(tmp_path / "a-nodes.csv")
    (tmp_path / "plain.csv").write_text("id\n", encoding="utf-8")
    with pytest.raises(InputError, match="eco-nodes.csv"):
        read_csv_pair(tmp_path / "plain.csv")
    (tmp_path / "b-nodes.csv").write_text("id,kind\nz1,zone\n", encoding="utf-8")
    (tmp_path / "b-edges.csv").write_text("source,target,type\nz1,z2,exchange\n",
                                          encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_csv_pair(tmp_path / "b-edges.csv")
    assert "b-edges.csv, row 2, column target" in caught.value.problems[0].place


def test_too_many_rows_for_excel_are_refused(monkeypatch, tmp_path):
    import model.workbook.cells as cells

    monkeypatch.setattr(cells, "MAX_ROWS", 5)
    with pytest.raises(InputError, match="Excel holds"):
        save_scenario_workbook(small_scenario(), tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()

