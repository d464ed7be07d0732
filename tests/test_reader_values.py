"""One rule in every reader: an absent value takes the default (and is reported); a value
present but not a finite number in range is refused at its place, on one line."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hostile_files as hostile
from model.cli import main
from model.errors import ERROR_PREFIX, MAX_LINE, InputError
from model.files import read_file, save_file
from model.files.defaults import DefaultsLog

# Where each format names z-small's talent.
PLACES = {"json": "variants[0].nodes[1].talent", "graphml": "node 'z-small', attribute 'talent'",
          "xlsx": "sheet Nodes, row 3, column talent",
          "csv": "hostile-nodes.csv, row 3, column talent"}


def one_line(text: str, limit: int = MAX_LINE) -> bool:
    return "\n" not in text and "\r" not in text and len(text) <= limit


@pytest.mark.parametrize("kind", hostile.BAD_KINDS)
@pytest.mark.parametrize("fmt", hostile.FORMATS)
def test_a_value_that_is_not_a_finite_number_in_range_is_refused_at_its_place(
        tmp_path, fmt, kind):
    path = hostile.write(fmt, tmp_path, kind)
    with pytest.raises(InputError) as caught:
        read_file(path)
    line = caught.value.line()
    assert caught.value.file == str(path) and one_line(ERROR_PREFIX + line)
    assert "talent" in line
    assert any(where in line for where in ("z-small", "nodes[1]", "row 3")), line


@pytest.mark.parametrize("fmt, kind, words", [
    ("graphml", "nan", "NaN, which is not a number"),
    ("graphml", "inf", "an infinity"),
    ("graphml", "-inf", "an infinity"),
    ("xlsx", "nan", "talent is NaN, which is not a number"),
    ("xlsx", "inf", "out of range"),
    ("xlsx", "formula", "formula (=1/0) that was never computed"),
    ("xlsx", "#DIV/0!", "error value #DIV/0!"),
    ("xlsx", "#N/A", "error value #N/A"),
    ("xlsx", "#VALUE!", "error value #VALUE!"),
    ("csv", "nan", "talent is NaN, which is not a number"),
    ("csv", "#DIV/0!", "talent is the error value #DIV/0!"),
    ("csv", "text", "talent is the text 'many'"),
    ("json", "nan", "NaN is not allowed"),
])
def test_the_refusal_says_what_the_value_is(tmp_path, fmt, kind, words):
    with pytest.raises(InputError) as caught:
        read_file(hostile.write(fmt, tmp_path, kind))
    assert words in caught.value.line()


@pytest.mark.parametrize("fmt", hostile.FORMATS)
def test_an_absent_value_takes_the_default_and_is_reported(tmp_path, fmt):
    loaded = read_file(hostile.write(fmt, tmp_path, "absent"))
    nodes = loaded.project.current.network.nodes.set_index("id")
    assert nodes.at[hostile.ZONE, "talent"] == 10.0  # the default
    assert loaded.defaults.count == 1
    assert [(str(d), d.key) for d in loaded.defaults.listed] == [(PLACES[fmt], "talent")]


def test_a_missing_column_is_reported_for_every_row_it_applies_to(tmp_path):
    path = hostile.write("csv", tmp_path, "absent")
    nodes = path.read_text(encoding="utf-8").splitlines()
    header = nodes[0].split(",")
    column = header.index("amenity")
    path.write_text("\n".join(",".join(f for i, f in enumerate(line.split(","))
                                       if i != column) for line in nodes), encoding="utf-8")
    defaults = read_file(path).defaults
    assert defaults.count == 3  # two zones' amenity and z-small's talent
    assert {d.key for d in defaults.listed} == {"amenity", "talent"}
    assert "hostile-nodes.csv, row 2, column amenity" in [str(d) for d in defaults.listed]


def test_json_null_is_absent(tmp_path):
    path = hostile.write("json", tmp_path, "absent")
    path.write_text(path.read_text().replace('"kind": "zone", "name": "Small Town"',
                                             '"kind": "zone", "talent": null, '
                                             '"name": "Small Town"'))
    loaded = read_file(path)
    assert loaded.defaults.count == 1
    assert loaded.project.current.network.nodes.set_index("id").at["z-small", "talent"] == 10


def test_an_empty_parameter_value_takes_the_default_and_a_bad_one_is_refused(tmp_path):
    from openpyxl import load_workbook

    base = hostile.scenario().with_parameters(antitrust_enforcement=0.9)
    path = tmp_path / "p.xlsx"
    save_file(base, path)
    book = load_workbook(path)
    sheet = book["Parameters"]
    row = next(r for r in range(2, sheet.max_row + 1)
               if sheet.cell(r, 1).value == "antitrust_enforcement")
    sheet.cell(row, 2).value = None
    book.save(path)
    loaded = read_file(path)
    assert loaded.project.current.parameters["antitrust_enforcement"] == 0.3  # the default
    assert [str(d) for d in loaded.defaults.listed] == \
        [f"sheet Parameters, row {row}, column value"]
    sheet.cell(row, 2).value = "#DIV/0!"
    book.save(path)
    with pytest.raises(InputError, match="error value #DIV/0!"):
        read_file(path)
    sheet.cell(row, 2).value = "=0.5*2"
    book.save(path)
    with pytest.raises(InputError, match=f"row {row}, column value: holds a formula"):
        read_file(path)


@pytest.mark.parametrize("fmt", ("json", "graphml", "xlsx"))
def test_our_own_exports_of_the_builtin_scenario_report_nothing(tmp_path, fmt):
    from model.builtin import default_scenario

    path = tmp_path / f"default.{fmt}"
    save_file(default_scenario(), path)
    assert read_file(path).defaults.count == 0


def test_the_briefing_workbook_reports_nothing(tmp_path, capsys):
    out = tmp_path / "briefing.xlsx"
    assert main(["run", "--steps", "2", "--quiet", "--out", str(out)]) == 0
    assert read_file(out).defaults.count == 0


def test_the_cli_notes_absent_values_on_one_stderr_line_and_exits_0(tmp_path, capsys):
    path = hostile.write("xlsx", tmp_path, "absent")
    assert main(["convert", str(path), str(tmp_path / "out.json")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"note: 1 value absent in {path} took defaults: "
                   "sheet Nodes, row 3, column talent"]
    assert main(["convert", "default", str(tmp_path / "d.json")]) == 0
    assert capsys.readouterr().err == ""  # a built-in or a complete file: no note


@pytest.mark.parametrize("kind", ("nan", "formula", "#N/A", "range"))
@pytest.mark.parametrize("fmt", hostile.FORMATS)
def test_the_cli_refuses_with_exit_2_and_one_stderr_line(tmp_path, capsys, fmt, kind):
    path = hostile.write(fmt, tmp_path, kind)
    out = tmp_path / "out.json"
    assert main(["convert", str(path), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(ERROR_PREFIX + str(path))
    assert one_line(err.rstrip("\n")) and not out.exists()


def test_the_note_is_one_line_however_many_values_are_absent():
    log = DefaultsLog("/some/folder/" + "deep/" * 30 + "eco.xlsx")
    for row in range(2, 5002):
        log.add(f"sheet Nodes, row {row}, column talent", "talent")
    note = log.result().note()
    assert one_line(note) and "5,000 values absent" in note and note.endswith("more")


VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                   st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from(["", "  ", "NaN", "nan", "inf", "-Infinity", "1e999", "12",
                                    " 3.5 ", "1_000", "many", "#DIV/0!", "#N/A", "0x10"]),
                   st.text(max_size=6))


@given(st.lists(VALUES, min_size=1, max_size=12))
def test_the_column_rule_is_the_scalar_rule(values):
    """validation's whole-column path and the scalar path readers use agree on every cell."""
    import math

    import pandas as pd

    from model.values import NotANumber, number_column, number_or_absent

    numbers, absent, refused = number_column(pd.Series(values, dtype=object))
    for value, number, is_absent, is_refused in zip(values, numbers, absent, refused):
        try:
            expected = number_or_absent(value)
        except NotANumber as exc:
            expected = "refused" if "infinity" not in str(exc) else math.copysign(
                math.inf, float(str(value).strip()))
        if expected is None:
            assert is_absent and not is_refused
        elif expected == "refused":
            assert is_refused and not is_absent
        else:  # a number; an infinity stays for the range rule to refuse
            assert not is_absent and not is_refused and number == expected


@pytest.mark.parametrize("value, words", [(None, "has no scheduled_value"),
                                          ("NaN", "scheduled_value is NaN")])
def test_a_schedule_change_needs_a_number(tmp_path, value, words):
    from openpyxl import load_workbook

    from model.schedules import Change, Schedule
    from model.calendar import Quarter

    base = hostile.scenario().with_schedules(
        Schedule.of("antitrust_enforcement", [Change(Quarter.parse("2026Q1"), 0.8, False)]))
    path = tmp_path / "s.xlsx"
    save_file(base, path)
    book = load_workbook(path)
    sheet = book["Parameters"]
    column = [c.value for c in sheet[1]].index("scheduled_value") + 1
    sheet.cell(2, column).value = value
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert words in caught.value.line() and "sheet Parameters, row 2" in caught.value.line()


@pytest.mark.parametrize("fmt, text, words", [
    ("graphml", "NaN", "weight is NaN, which is not a number"),
    ("csv", "#DIV/0!", "weight is the error value #DIV/0!"),
    ("csv", "", None),  # absent: the default, reported
])
def test_edge_weights_follow_the_same_rule(tmp_path, fmt, text, words):
    path = hostile.write(fmt, tmp_path, "absent")  # (z-small's talent left out: valid)
    if fmt == "graphml":
        path.write_text(path.read_text(encoding="utf-8").replace(">0.6<", f">{text}<"),
                        encoding="utf-8")
    else:
        path = path.with_name("hostile-edges.csv")
        path.write_text(path.read_text(encoding="utf-8").replace(",0.6,", f",{text},"),
                        encoding="utf-8")
    if words is None:
        loaded = read_file(path)
        assert [str(d) for d in loaded.defaults.listed][-1] == \
            "hostile-edges.csv, row 8, column weight"
        assert loaded.project.current.network.edges["weight"].iloc[6] == 0.5  # the default
        return
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert words in caught.value.line() and "f-sme1 -> p-voice" in caught.value.line()
