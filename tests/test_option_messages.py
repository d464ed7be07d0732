"""Refusals name what the user typed: the option of the command they used, and in a
workbook the sheet, the row and the column."""
from __future__ import annotations

import datetime

import pytest
from openpyxl import load_workbook

from model.cli import main


@pytest.mark.parametrize("policy, words", [
    ("late", "--policy 'late' is not NAME=KEY=QUARTER:VALUE"),
    ("late=bogus=1:0.5", "--policy late: unknown parameter 'bogus'"),
    ("late=antitrust_enforcement=9999Q1:0.5",
     "--policy late: antitrust_enforcement: 9999Q1 is not a quarter this tool uses"),
    ("late=antitrust_enforcement=99:0.5", "--policy late: antitrust_enforcement: 99 is "
                                           "outside the run"),
    ("late=antitrust_enforcement=2026Q1:x", "--policy late: antitrust_enforcement: 'x' is "
                                             "not a number"),
])
def test_explore_names_its_own_policy_option(capsys, policy, words):
    assert main(["explore", "synthetic:10", "--futures", "2", "--policy", policy]) == 2
    err = capsys.readouterr().err
    assert words in err and "--variant" not in err, err
    assert len(err.strip().splitlines()) == 1


def test_compare_names_its_variant_option(capsys):
    assert main(["compare", "synthetic:10", "--variant", "wait"]) == 2
    err = capsys.readouterr().err
    assert "--variant 'wait'" in err and "e.g. --variant wait=" in err and "--policy" not in err


def edited_book(tmp_path, edit) -> str:
    path = tmp_path / "s.xlsx"
    assert main(["convert", "synthetic:10", str(path), "--schedule",
                 "antitrust_enforcement=2026Q1:0.5"]) == 0
    book = load_workbook(path)
    sheet = book["Parameters"]
    header = [c.value for c in sheet[1]]
    edit(sheet, lambda name: header.index(name) + 1)
    book.save(path)
    return str(path)


@pytest.mark.parametrize("column, value, words", [
    ("from_quarter", datetime.datetime(2026, 1, 1), "from_quarter is a date (2026-01-01)"),
    ("from_quarter", "2026-13", "'2026-13' is not a quarter"),
    ("scheduled_key", "bogus", "unknown parameter 'bogus'"),
    ("scheduled_value", 7.0, "7.0 is outside [0, 1]"),
    ("change", "jump", "change is 'jump'"),
    ("key", "bogus", "unknown parameter 'bogus'"),
    ("value", 99.0, "99.0 is outside [0, 1]"),
])
def test_a_workbook_refusal_names_the_sheet_the_row_and_the_column(tmp_path, capsys, column,
                                                                   value, words):
    def edit(sheet, index):
        sheet.cell(2, index(column)).value = value

    path = edited_book(tmp_path, edit)
    capsys.readouterr()
    assert main(["validate", path]) == 2
    err = capsys.readouterr().err
    assert f"sheet Parameters, row 2, column {column}: " in err and words in err, err
