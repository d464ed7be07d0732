"""Importing a network from a workbook (Nodes and Edges sheets) or a pair of CSV files.

Any workbook in the export layout is read: columns in any order, extra columns kept as
attributes, rows validated like every other source. Errors name the sheet (or file), the
row and the column. Nothing in the file is executed: formulas are read as their cached
values (a formula never computed, or one that failed, is refused at its cell), the size is
checked before reading, a zip that would unpack too large is refused, and only the cells a
sheet holds are read (`sheet_rows`), within the row and column limits of `files.limits`.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pandas as pd

from model import schema
from model.errors import InputError, Problem, ValidationError, elide, first_line
from model.files.csvrows import read_csv_rows
from model.files.defaults import DefaultsLog
from model.files.limits import (MAX_BYTES, MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED, file_label,
                                read_limited)
from model.network import Network
from model.parameters import ParameterSet, parameter
from model.scenario import Project, Scenario
from model.calendar import DEFAULT_START, Quarter
from model.schedules import NO_SCHEDULES
from model.values import NotANumber, is_absent, number_or_absent
from model.workbook.network_sheets import (EDGES_SHEET, NODES_SHEET, PARAMETERS_SHEET,
                                          SCHEDULE_COLUMNS, START_PROPERTY,
                                          schedules_from_rows)
from model.workbook.sheet_rows import MARKERS, used_rows

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read_workbook(path: str | os.PathLike, *, strict: bool = True,
                  max_bytes: int = MAX_BYTES, defaults: DefaultsLog | None = None) -> Project:
    """One scenario from the Nodes, Edges and (optional) Parameters sheets; `defaults`
    records the empty cells and missing columns that took defaults."""
    label = file_label(path)
    data = read_limited(path, max_bytes)
    _check_container(data, label)
    book = _open_book(data, label)
    try:
        sheets = {name.lower(): name for name in book.sheetnames}
        for needed in (NODES_SHEET, EDGES_SHEET):
            if needed.lower() not in sheets:
                raise InputError(f"the workbook has no sheet named {needed}", file=label,
                                 fix="add sheets Nodes and Edges in the export layout "
                                     f"(found: {', '.join(sheets.values())})")
        nodes = _sheet_table(book, sheets, NODES_SHEET, ("id", "kind"), label)
        edges = _sheet_table(book, sheets, EDGES_SHEET, ("source", "target", "type"), label)
        params, start, schedules = {}, _start_property(book, label), NO_SCHEDULES
        if PARAMETERS_SHEET.lower() in sheets:
            table = _sheet_table(book, sheets, PARAMETERS_SHEET, ("key", "value"), label)
            rows = table.frame.to_dict("records")
            params = _parameters(table, label, defaults)
            try:
                start, schedules = schedules_from_rows(rows, start, f"sheet {PARAMETERS_SHEET}")
            except InputError as error:
                raise error.in_file(label) from None
        props = book.properties
        meta = {"title": props.title or Path(label).stem, "author": props.creator or "",
                "notes": props.description or "", "start": start or DEFAULT_START,
                "schedules": schedules}
    finally:
        book.close()
    return _project(nodes, edges, params, meta, label, strict, defaults)


def _parameters(table: _Table, label: str, defaults: DefaultsLog | None) -> dict[str, float]:
    """key -> value of the constants table; an empty value takes the parameter's default
    (recorded), any other value must be a number (its range is checked later)."""
    values = {}
    for number, key, value in zip(table.rows, table.frame["key"], table.frame["value"]):
        if is_absent(key):
            continue
        key = str(key).strip()
        place = f"{table.where}, row {number}, column value"
        spec = _placed(lambda: parameter(key), label, f"{table.where}, row {number}, "
                                                      "column key")
        try:
            checked = number_or_absent(value)
        except NotANumber as exc:
            raise InputError(f"{elide(key)} {exc}", file=label, place=place,
                             fix="write a number, or leave the cell empty for the "
                                 "default") from None
        if checked is None:
            if defaults is not None:
                defaults.add(place, key)
        else:
            values[key] = _placed(lambda: spec.check(checked), label, place)
    return values


def _placed(read, label: str, place: str):
    """What `read()` gives; its refusal named at the file, row and column."""
    try:
        return read()
    except InputError as error:
        raise InputError(error.message, file=label, place=place, fix=error.fix) from None


def _start_property(book, label: str) -> Quarter | None:
    """The start quarter the tool wrote as a custom document property, if any."""
    for prop in getattr(book, "custom_doc_props", None) or ():
        if prop.name == START_PROPERTY:
            try:
                return Quarter.parse(str(prop.value))
            except InputError as error:
                raise InputError(error.message, file=label,
                                 place=f"document property {START_PROPERTY}",
                                 fix=error.fix) from None
    return None


def read_csv_pair(path: str | os.PathLike, *, strict: bool = True,
                  max_bytes: int = MAX_BYTES, defaults: DefaultsLog | None = None) -> Project:
    """`…nodes.csv` with its `…edges.csv` beside it (either file may be named)."""
    nodes_path, edges_path = csv_partners(path)
    nodes = _csv_table(nodes_path, ("id", "kind"), max_bytes)
    edges = _csv_table(edges_path, ("source", "target", "type"), max_bytes)
    meta = {"title": Path(nodes_path).stem.replace("nodes", "").strip("-_ ") or "Imported"}
    return _project(nodes, edges, {}, meta, file_label(path), strict, defaults)


def csv_partners(path: str | os.PathLike) -> tuple[str, str]:
    p = Path(path)
    stem = p.stem
    match = re.search(r"(nodes|edges)(?!.*(nodes|edges))", stem, re.IGNORECASE)
    if not match:
        raise InputError("a CSV network comes as two files, one for nodes and one for edges",
                         file=file_label(path),
                         fix="name them like eco-nodes.csv and eco-edges.csv")
    other = "edges" if match.group(1).lower() == "nodes" else "nodes"
    partner = p.with_name(stem[:match.start()] + other + stem[match.end():] + p.suffix)
    pair = (p, partner) if other == "edges" else (partner, p)
    return str(pair[0]), str(pair[1])


class _Table:
    """Rows of one sheet or file, with the sheet row number of each."""

    def __init__(self, frame: pd.DataFrame, rows: list[int], where: str):
        self.frame, self.rows, self.where = frame, rows, where

    def cell_place(self, index: int, column: str) -> str:
        return f"{self.where}, row {self.rows[index]}, column {column}"


def _check_container(data: bytes, label: str) -> None:
    if data[:4] == _OLE_MAGIC:
        raise InputError("this workbook is encrypted or in the old .xls format", file=label,
                         fix="remove the password and save it as an Excel workbook (.xlsx)")
    if data[:4] != b"PK\x03\x04":
        raise InputError("this is not an Excel workbook (.xlsx)", file=label,
                         fix="save it from Excel or LibreOffice as .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise InputError("the workbook is damaged (not a readable zip archive)", file=label,
                         fix="save it again from Excel or LibreOffice") from None
    if unpacked > MAX_UNPACKED:
        raise InputError("the workbook would unpack to more than "
                         f"{MAX_UNPACKED // 2**20} MiB", file=label,
                         fix="check that this is really a scenario workbook")


def _open_book(data: bytes, label: str):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise InputError(f"the workbook cannot be read ({type(exc).__name__}: "
                         f"{elide(first_line(exc), 120)})",
                         file=label, fix="save it again from Excel or LibreOffice as .xlsx") \
            from None


def _sheet_table(book, sheets: dict[str, str], name: str, required: tuple[str, ...],
                 label: str) -> _Table:
    """The sheet's rows under its header (row 1), reading only the cells it holds."""
    where = f"sheet {name}"
    rows = used_rows(book[sheets[name.lower()]], where=where, file=label)
    first = next(rows, None)
    header = first[1] if first is not None and first[0] == 1 else {}
    if len(header) > MAX_COLUMNS:
        raise InputError(f"the header has {len(header):,} columns; the limit is "
                         f"{MAX_COLUMNS:,}", file=label, place=where,
                         fix="keep the node or edge columns and a few extra ones")
    _refuse_markers(list(header.values()), [(i, f"{i}") for i in header], f"{where}, row 1",
                    label)
    columns = _header([(i, header[i]) for i in sorted(header)], required, f"{label}: {where}")
    records, numbers = [], []
    if first is not None and first[0] != 1:
        rows = _chain(first, rows)
    for number, cells in rows:
        values = [cells.get(i) for i, _ in columns]
        if all(is_absent(v) for v in values):
            continue
        _refuse_markers(values, columns, f"{where}, row {number}", label)
        records.append(values)
        numbers.append(number)
        if len(records) > MAX_ROWS:
            raise InputError(f"the sheet has more than {MAX_ROWS:,} rows", file=label,
                             place=where, fix="split the network")
    frame = pd.DataFrame.from_records(records, columns=[c for _, c in columns])
    return _Table(frame, numbers, where)


def _chain(first, rest):
    yield first
    yield from rest


def _refuse_markers(values: list, columns: list[tuple[int, str]], where: str,
                    label: str) -> None:
    """A formula never computed, or one that failed, has no value to read: refused in
    every column the import reads (only a spreadsheet program can compute it)."""
    for value, (_, name) in zip(values, columns):
        if isinstance(value, MARKERS):
            raise InputError(value.describe(), file=label,
                             place=f"{where}, column {elide(name)}", fix=value.fix)


def _header(header: list[tuple[int, object]], required: tuple[str, ...],
            where: str) -> list[tuple[int, str]]:
    """(position, column name) of each named header cell; required names are checked."""
    columns, seen = [], set()
    for i, value in header:
        if value is None or not str(value).strip():
            continue
        name = str(value).strip()
        known = name.lower() in required or name.lower() in _KNOWN_COLUMNS
        key = name.lower() if known else name
        if key in seen:
            raise InputError(f"column {elide(repr(name))} appears twice", place=where,
                             fix="keep one column of each name")
        seen.add(key)
        columns.append((i, key))
    missing = [c for c in required if c not in seen]
    if missing:
        found = ", ".join(elide(c) for _, c in columns[:20]) or "nothing"
        raise InputError(f"required column{'s' * (len(missing) > 1)} {', '.join(missing)} "
                         "missing", place=where,
                         fix=f"add a header row naming {', '.join(required)} "
                             f"(found: {found})")
    return columns


def _csv_table(path: str, required: tuple[str, ...], max_bytes: int) -> _Table:
    label = file_label(path)
    header, numbers, rows = read_csv_rows(path, max_bytes=max_bytes)
    columns = _header(list(enumerate(header)), required, label)
    every = pd.DataFrame(rows, columns=range(len(header)), dtype=object) if rows else \
        pd.DataFrame(columns=range(len(header)), dtype=object)
    frame = every[[i for i, _ in columns]]
    frame.columns = [c for _, c in columns]
    return _Table(frame, numbers, Path(label).name)  # the file names which of the pair


def _project(nodes: _Table, edges: _Table, params: dict, meta: dict, label: str,
             strict: bool, defaults: DefaultsLog | None) -> Project:
    filled: list = []
    try:
        network = Network.build(nodes.frame, edges.frame, strict=strict, filled=filled)
    except ValidationError as error:
        raise ValidationError([_locate(p, nodes, edges) for p in error.problems],
                              file=label) from None
    if defaults is not None:
        defaults.add_filled(filled, nodes.cell_place, edges.cell_place)
    try:
        parameters = ParameterSet(params)
    except InputError as error:
        raise InputError(error.message, file=label, place=f"sheet {PARAMETERS_SHEET}",
                         fix=error.fix) from None
    return Project.single(Scenario(network, parameters, **meta))


_KNOWN_COLUMNS = set(schema.NODE_FIELD) | set(schema.EDGE_FIELD) | {"key", "value"} | \
    set(SCHEDULE_COLUMNS)
_NODE_ID = re.compile(r"^node '(.*?)'")
_NODE_ROW = re.compile(r"^node at row (\d+)")
_EDGE = re.compile(r"^edge (\d+) ")


def _locate(problem: Problem, nodes: _Table, edges: _Table) -> Problem:
    """The problem's place as the sheet (or file), row and column the user can find."""
    row, table = None, None
    if m := _EDGE.match(problem.place):
        row, table = edges.rows[int(m.group(1)) - 1], edges
    elif m := _NODE_ROW.match(problem.place):
        row, table = nodes.rows[int(m.group(1)) - 1], nodes
    elif m := _NODE_ID.match(problem.place):
        ids = nodes.frame["id"].astype(str).str.strip().tolist()
        if m.group(1) in ids:
            row, table = nodes.rows[ids.index(m.group(1))], nodes
    if table is None:
        return problem
    column = f", column {problem.field}" if problem.field else ""
    place = f"{table.where}, row {row}{column} ({problem.place})"
    return Problem(problem.rule, place, problem.message, problem.fix, problem.field)
