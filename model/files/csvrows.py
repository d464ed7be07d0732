"""A CSV file as a header and rows, with every limit checked while it is read.

Read with the standard `csv` module (strict: a quote left open is refused), which bounds
the size of one field (`csv.field_size_limit`, set to `MAX_VALUE_CHARS` while reading);
rows and columns are counted as they come, so a hostile file is refused at the first row
past a limit. A row
with more fields than the header is refused (unless the extra fields are empty, as some
spreadsheet exports write); a shorter row is padded with empty fields.
"""
from __future__ import annotations

import csv
import io
from contextlib import contextmanager

from model.errors import InputError, elide, first_line
from model.files.limits import (MAX_BYTES, MAX_COLUMNS, MAX_ROWS, MAX_VALUE_CHARS,
                                file_label, read_limited)


@contextmanager
def _field_limit(limit: int):
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read_csv_rows(path, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS,
                  max_columns: int = MAX_COLUMNS) -> tuple[list[str], list[int], list[list[str]]]:
    """(header, line number of each row, rows); blank rows are left out."""
    label = file_label(path)
    raw = read_limited(path, max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError("the file is not UTF-8 text", file=label, place=f"line {line}",
                         fix="save it as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # bad quoting: refused
    header: list[str] | None = None
    numbers: list[int] = []
    rows: list[list[str]] = []
    line = 1
    with _field_limit(MAX_VALUE_CHARS):
        try:
            for fields in reader:
                start, line = line, reader.line_num + 1
                if header is None:
                    header = _checked_header(fields, label, max_columns)
                    continue
                if not "".join(fields).strip():  # a blank row
                    continue
                rows.append(_fitted(fields, len(header), start, label))
                numbers.append(start)
                if len(rows) > max_rows:
                    raise InputError(f"the file has more than {max_rows:,} rows", file=label,
                                     place=f"line {start}",
                                     fix="split the network, or check that this is really "
                                         "a node or edge table")
        except csv.Error as exc:
            raise InputError(f"the CSV cannot be read: {elide(first_line(exc), 120)}",
                             file=label, place=f"line {reader.line_num}",
                             fix="check the separators and quotes at that line") from None
    if header is None:
        raise InputError("the file is empty", file=label,
                         fix="write a header row, then one row per node or edge")
    return header, numbers, rows


def _checked_header(fields: list[str], label: str, max_columns: int) -> list[str]:
    if len(fields) > max_columns:
        raise InputError(f"the header has {len(fields):,} columns; the limit is "
                         f"{max_columns:,}", file=label, place="line 1",
                         fix="keep the node or edge columns and a few extra ones")
    return fields


def _fitted(fields: list[str], width: int, line: int, label: str) -> list[str]:
    if len(fields) <= width:
        return fields + [""] * (width - len(fields))
    if any(f.strip() for f in fields[width:]):
        raise InputError(f"this row has {len(fields):,} fields but the header has {width}",
                         file=label, place=f"line {line}",
                         fix="quote a field that holds a comma, or remove the extra fields")
    return fields[:width]
