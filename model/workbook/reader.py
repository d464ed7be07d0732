"""Importing a network from a workbook (Nodes and Edges sheets) or a pair of CSV files.

Any workbook in the export layout is read: columns in any order, extra columns kept as
attributes, rows validated like every other source. Errors name the sheet (or file), the
row and the column. Nothing in the file is executed: formulas are read as their cached
values, the size is checked before reading and a zip that would unpack too large is refused.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pandas as pd

from model import schema
from model.errors import InputError, Problem, ValidationError
from model.files.limits import MAX_BYTES, check_readable, file_label, read_limited
from model.network import Network
from model.parameters import ParameterSet
from model.scenario import Project, Scenario
from model.calendar import DEFAULT_START, Quarter
from model.schedules import NO_SCHEDULES
from model.workbook.network_sheets import (EDGES_SHEET, NODES_SHEET, PARAMETERS_SHEET,
                                          SCHEDULE_COLUMNS, START_PROPERTY,
                                          parameters_from_rows,
                                          schedules_from_rows)

MAX_UNPACKED = 4 * MAX_BYTES  # a zip bomb unpacks far beyond any real workbook
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read_workbook(path: str | os.PathLike, *, strict: bool = True,
                  max_bytes: int = MAX_BYTES) -> Project:
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
            params = parameters_from_rows(rows)
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
    return _project(nodes, edges, params, meta, label, strict)


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
                  max_bytes: int = MAX_BYTES) -> Project:
    """`…nodes.csv` with its `…edges.csv` beside it (either file may be named)."""
    nodes_path, edges_path = csv_partners(path)
    nodes = _csv_table(nodes_path, ("id", "kind"), max_bytes)
    edges = _csv_table(edges_path, ("source", "target", "type"), max_bytes)
    meta = {"title": Path(nodes_path).stem.replace("nodes", "").strip("-_ ") or "Imported"}
    return _project(nodes, edges, {}, meta, file_label(path), strict)


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
        raise InputError(f"the workbook cannot be read ({type(exc).__name__}: {exc})",
                         file=label, fix="save it again from Excel or LibreOffice as .xlsx") \
            from None


def _sheet_table(book, sheets: dict[str, str], name: str, required: tuple[str, ...],
                 label: str) -> _Table:
    ws = book[sheets[name.lower()]]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    where = f"sheet {name}"
    columns = _header(header, required, f"{label}: {where}")
    records, numbers = [], []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        records.append({c: row[i] if i < len(row) else None for i, c in columns})
        numbers.append(number)
    frame = pd.DataFrame.from_records(records, columns=[c for _, c in columns])
    return _Table(frame, numbers, where)


def _header(header, required: tuple[str, ...], where: str) -> list[tuple[int, str]]:
    columns, seen = [], set()
    for i, value in enumerate(header):
        if value is None or not str(value).strip():
            continue
        name = str(value).strip()
        known = name.lower() in required or name.lower() in _KNOWN_COLUMNS
        key = name.lower() if known else name
        if key in seen:
            raise InputError(f"column {name!r} appears twice", place=where,
                             fix="keep one column of each name")
        seen.add(key)
        columns.append((i, key))
    missing = [c for c in required if c not in seen]
    if missing:
        raise InputError(f"required column{'s' * (len(missing) > 1)} {', '.join(missing)} "
                         "missing", place=where,
                         fix=f"add a header row naming {', '.join(required)} "
                             f"(found: {', '.join(c for _, c in columns) or 'nothing'})")
    return columns


def _csv_table(path: str, required: tuple[str, ...], max_bytes: int) -> _Table:
    label = file_label(path)
    check_readable(path, max_bytes)
    try:
        frame = pd.read_csv(path, dtype=object, keep_default_na=False, encoding="utf-8-sig",
                            skip_blank_lines=True)
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=label,
                         fix="save it as CSV UTF-8") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"the CSV cannot be read ({exc})", file=label,
                         fix="check the separators and quotes") from None
    columns = _header(list(frame.columns), required, label)
    frame = frame.iloc[:, [i for i, _ in columns]]
    frame.columns = [c for _, c in columns]
    return _Table(frame, list(range(2, len(frame) + 2)), label)


def _project(nodes: _Table, edges: _Table, params: dict, meta: dict, label: str,
             strict: bool) -> Project:
    try:
        network = Network.build(nodes.frame, edges.frame, strict=strict)
    except ValidationError as error:
        raise ValidationError([_locate(p, nodes, edges) for p in error.problems],
                              file=label) from None
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
