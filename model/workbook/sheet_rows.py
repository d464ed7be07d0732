"""The cells a worksheet really holds, row by row, through openpyxl's sheet parser.

openpyxl's read-only `iter_rows` pads every row to the sheet's declared dimension and
yields an empty row for every row number it skips, so one cell far away (XFD1048576) turns
a small file into billions of values. Parsing the sheet's XML for the cells it holds costs
what the file holds. The parser also tells what `data_only` hides: a formula that was never
computed (no cached value) is `Uncomputed`, not an empty cell, and a cell whose formula
failed is a `CellError`, not the text "#DIV/0!".

This uses openpyxl's sheet parser (`openpyxl.worksheet._reader`), which its read-only
sheets use too; openpyxl is pinned (constraints.txt) and tests/test_reader_bounds.py
covers what is relied on.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl.utils import coordinate_to_tuple
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from model.errors import InputError, elide, first_line


@dataclass(frozen=True)
class Uncomputed:
    """A formula cell without a cached value (e.g. written by a script, never opened in a
    spreadsheet program): there is no value to read."""

    formula: str
    fix = ("open the workbook in Excel or LibreOffice and save it, which computes the "
           "formulas, or type the value")

    def describe(self) -> str:
        return f"holds a formula ({elide(self.formula)}) that was never computed"


@dataclass(frozen=True)
class CellError:
    """A cell whose formula failed: #DIV/0!, #N/A, #VALUE!, ..."""

    code: str
    fix = "correct the formula, or type the value"

    def describe(self) -> str:
        return f"holds the error value {elide(self.code)} (its formula failed)"


@dataclass(frozen=True)
class Unreadable:
    """A cell whose stored value does not fit its declared type (a damaged or hand-made
    file: no spreadsheet program writes one)."""

    text: str | None
    fix = "type the value again in Excel or LibreOffice and save"

    def describe(self) -> str:
        shown = "its value" if self.text is None else elide(repr(self.text))
        return f"cannot be read ({shown} does not fit the cell's type)"


MARKERS = (Uncomputed, CellError, Unreadable)  # cells with no value to read


class _UnreadableCell(Exception):
    def __init__(self, reference: str, value: str | None):
        super().__init__(reference)
        self.reference, self.value = reference, value


class _Parser(WorkSheetParser):
    """openpyxl's parser in data_only mode, keeping formulas without a value and errors."""

    def parse_cell(self, element):
        try:
            cell = super().parse_cell(element)
        except (ValueError, TypeError, KeyError, IndexError, OverflowError):
            return self._unreadable(element)
        if cell["data_type"] == "e":
            cell["value"] = CellError(str(cell["value"]))
        elif cell["value"] is None:
            formula = element.find(FORMULA_TAG)
            if formula is not None:
                cell["value"] = Uncomputed("=" + (formula.text or "(shared formula)"))
        return cell

    def _unreadable(self, element) -> dict:
        """A number cell holding text ("NaN") gives that text, which the number rule then
        refuses; any other type that does not parse is `Unreadable`."""
        text = element.findtext(VALUE_TAG)
        try:
            row, column = coordinate_to_tuple(element.get("r") or "")
        except (ValueError, TypeError):
            raise _UnreadableCell(element.get("r") or "?", text) from None
        self.col_counter = column
        kind = element.get("t", "n")
        value = text if kind == "n" and text is not None else Unreadable(text)
        return {"row": row, "column": column, "value": value, "data_type": kind,
                "style_id": 0}


def used_rows(ws, *, where: str, file: str) -> Iterator[tuple[int, dict[int, object]]]:
    """(row number, {column number: value}) for each row the sheet's XML holds, with only
    the cells that hold something; an unreadable cell is an InputError naming it."""
    book = ws.parent
    try:
        with ws._get_source() as source:
            parser = _Parser(source, ws._shared_strings, data_only=True, epoch=book.epoch,
                             date_formats=book._date_formats,
                             timedelta_formats=book._timedelta_formats)
            for number, cells in parser.parse():
                yield number, {c["column"]: c["value"] for c in cells
                               if c["value"] is not None}
    except _UnreadableCell as exc:
        shown = elide(repr(exc.value)) if exc.value is not None else "its value"
        raise InputError(f"the cell {elide(exc.reference)} cannot be read ({shown} does not "
                         "fit its type)", file=file, place=where,
                         fix="type the value again in Excel or LibreOffice and save") from None
    except InputError:
        raise
    except Exception as exc:  # the XML parser and openpyxl raise many kinds on damage
        raise InputError(f"the sheet cannot be read ({type(exc).__name__}: "
                         f"{elide(first_line(exc), 120)})", file=file, place=where,
                         fix="save the workbook again from Excel or LibreOffice") from None
