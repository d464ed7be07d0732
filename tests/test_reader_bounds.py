"""Bounded readers: a small hostile file is refused or read for what it holds, never walked
for what it declares (a far-away cell, a ragged or huge CSV, a flood of XML elements)."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

import hostile_files as hostile
from model.errors import InputError
from model.files import read_file, save_file
from model.files.csvrows import read_csv_rows
from model.files.graphml import load_graphml, parse_xml
from model.files.limits import MAX_COLUMNS, MAX_VALUE_CHARS
from model.workbook import reader


def workbook(tmp_path, edit) -> tuple:
    base = hostile.scenario()
    path = tmp_path / "far.xlsx"
    save_file(base, path)
    book = load_workbook(path)
    edit(book["Nodes"])
    book.save(path)
    return path, base


def test_a_far_away_cell_outside_the_columns_is_ignored(tmp_path):
    path, base = workbook(tmp_path, lambda ws: ws.__setitem__("XFD1048576", "far away"))
    assert load_workbook(path, read_only=True)["Nodes"].max_row == 1_048_576  # as declared
    network = read_file(path).project.current.network
    assert network.equals(base.network)


def test_a_far_away_cell_in_a_read_column_is_a_row_named_in_the_refusal(tmp_path):
    path, _ = workbook(tmp_path, lambda ws: ws.__setitem__("A1048576", "far"))
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert "sheet Nodes, row 1048576" in caught.value.line()


def test_a_declared_dimension_without_cells_costs_nothing(tmp_path):
    path, base = workbook(tmp_path, lambda ws: None)
    hostile.patch_sheets(path, '<dimension ref="[A-Z0-9:]+"', '<dimension ref="A1:XFD1048576"')
    assert load_workbook(path, read_only=True)["Edges"].max_column == 16_384  # as declared
    assert read_file(path).project.current.network.equals(base.network)


def test_a_header_past_the_column_limit_is_refused(tmp_path):
    def wide(ws):
        for column in range(ws.max_column + 1, MAX_COLUMNS + 2):
            ws.cell(1, column).value = f"extra{column}"
    path, _ = workbook(tmp_path, wide)
    with pytest.raises(InputError, match=f"the limit is {MAX_COLUMNS:,}"):
        read_file(path)


def test_a_sheet_past_the_row_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    path, _ = workbook(tmp_path, lambda ws: None)
    with pytest.raises(InputError, match="more than 3 rows"):
        read_file(path)


def csv_pair(tmp_path, nodes: str, edges: str = "source,target,type\n"):
    (tmp_path / "b-nodes.csv").write_text(nodes, encoding="utf-8")
    (tmp_path / "b-edges.csv").write_text(edges, encoding="utf-8")
    return tmp_path / "b-nodes.csv"


def test_a_ragged_csv_row_is_refused_on_one_line(tmp_path):
    path = csv_pair(tmp_path, "id,kind\nz1,zone\nz2,zone,7,8\n")
    with pytest.raises(InputError) as caught:
        read_file(path)
    line = caught.value.line()
    assert "\n" not in line and "line 3" in line and "4 fields but the header has 2" in line


def test_empty_trailing_fields_and_short_rows_are_read(tmp_path):
    path = csv_pair(tmp_path, "id,kind,talent\nz1,zone,4,,\nz2,zone\n\n")
    nodes = read_file(path).project.current.network.nodes
    assert nodes["talent"].tolist() == [4.0, 10.0]


def test_a_csv_field_past_the_size_limit_is_refused(tmp_path):
    path = csv_pair(tmp_path, f'id,kind,name\nz1,zone,"{"n" * (MAX_VALUE_CHARS + 1)}"\n')
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert "field limit" in caught.value.line() and len(caught.value.line()) < 300


def test_a_csv_header_past_the_column_limit_is_refused(tmp_path):
    path = csv_pair(tmp_path, ",".join(["id", "kind"] + [f"c{i}" for i in range(MAX_COLUMNS)])
                    + "\n")
    with pytest.raises(InputError, match=f"the limit is {MAX_COLUMNS:,}"):
        read_file(path)


def test_a_csv_past_the_row_limit_is_refused(tmp_path):
    path = csv_pair(tmp_path, "id,kind\n" + "".join(f"z{i},zone\n" for i in range(5)))
    with pytest.raises(InputError, match="more than 4 rows"):
        read_csv_rows(path, max_rows=4)
    assert len(read_csv_rows(path, max_rows=5)[2]) == 5


def test_control_characters_in_a_value_are_escaped_in_the_refusal(tmp_path):
    path = csv_pair(tmp_path, 'id,kind\nz1,"zo\0n\x1b[2Je\nx"\n')
    with pytest.raises(InputError) as caught:
        read_file(path)
    line = caught.value.line()
    # (kinds are lower-cased before they are checked)
    assert "row 2, column kind" in line and "zo\\x00n\\x1b[2je\\nx" in line
    assert not any(ord(c) < 32 for c in line)


def graphml_text(tmp_path) -> str:
    return hostile.write("graphml", tmp_path, "range").read_text(encoding="utf-8")


def test_graphml_past_the_element_limit_is_refused_before_parsing(tmp_path):
    raw = graphml_text(tmp_path).encode()
    assert parse_xml(raw, max_elements=raw.count(b"<")) is not None
    with pytest.raises(InputError, match="the limit is 10"):
        parse_xml(raw, max_elements=10)


@pytest.mark.parametrize("where", ("id", "data"))
def test_graphml_values_past_the_size_limit_are_refused(tmp_path, where):
    text = graphml_text(tmp_path)
    big = "x" * (MAX_VALUE_CHARS + 1)
    text = text.replace('"z-small"', f'"{big}"') if where == "id" else \
        text.replace(">Small Town<", f">{big}<")
    path = tmp_path / "big.graphml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_graphml(path)
    line = caught.value.line()
    assert f"longer than the limit of {MAX_VALUE_CHARS:,}" in line and len(line) < 300


def test_a_header_cell_without_a_value_is_refused(tmp_path):
    path, _ = workbook(tmp_path, lambda ws: ws.cell(1, ws.max_column + 1, "=A1&B1"))
    with pytest.raises(InputError, match="sheet Nodes, row 1, column .*never computed"):
        read_file(path)
