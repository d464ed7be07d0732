"""The one rule for a number read from a file, shared by every reader and the validation.

A value that is absent (no field, an empty cell, blank text, JSON null) takes the field's
default. A value that is present must be a finite number (or, in text formats, text that
reads as one): NaN, other text, true/false, a date or an Excel error value such as
`#DIV/0!` is refused at its place. Whether the number is in the field's range is checked
after this (the validation's range rules, `Parameter.check`), which refuses an infinity
too. docs/scenario-format.md, "Values", states the rule for users.

In a table (a pandas column) a float NaN marks an absent cell: the readers never put an
explicit NaN there (JSON and GraphML refuse it while parsing; a workbook cannot hold one).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.errors import elide

# What Excel and LibreOffice show in a cell whose formula failed.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#NULL", "#N/A!", "ERR:502",
                          "ERR:504", "ERR:522", "ERR:523", "ERR:532"})


class NotANumber(ValueError):
    """A value present but not a finite number; str() says what it is instead."""


def is_absent(value: object) -> bool:
    """No value at all: None, a float NaN (a table's empty cell) or blank text."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def number_or_absent(value: object) -> float | None:
    """None when the value is absent, else the finite number; NotANumber otherwise."""
    if is_absent(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        raise NotANumber(f"is {'true' if value else 'false'}, not a number")
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        shown = "NaN" if math.isnan(number) else repr(number)
    elif isinstance(value, str):
        number, shown = _number_text(value.strip()), value.strip()
    else:
        raise NotANumber(f"is {elide(value)}, not a number")
    if math.isnan(number):
        raise NotANumber(f"is {shown}, which is not a number")
    if math.isinf(number):
        raise NotANumber(f"is {elide(shown)}, an infinity, not a finite number")
    return number


def _number_text(text: str) -> float:
    if text.upper() in EXCEL_ERRORS:
        raise NotANumber(f"is the error value {text} (a formula that failed), not a number")
    try:
        if "_" in text:  # float() reads "1_000"; no spreadsheet or CSV means that
            raise ValueError(text)
        return float(text)
    except ValueError:
        raise NotANumber(f"is the text {elide(repr(text))}, not a number") from None


def why_not_a_number(value: object) -> str:
    """What a refused value is, for a message: "is NaN, which is not a number"."""
    try:
        number_or_absent(value)
    except NotANumber as exc:
        return str(exc)
    return "is not a number"


# Columns pandas infers as one of these hold no true/false or date that `to_numeric` would
# read as a number: the per-value type check is skipped (the common case).
_PLAIN_KINDS = frozenset({"string", "floating", "integer", "mixed-integer-float", "empty"})


def _not_numeric_type(value: object) -> bool:
    """Values pandas would read as numbers but the rule does not: true/false, dates."""
    return value is not None and (isinstance(value, (bool, np.bool_)) or
                                  not isinstance(value, (str, int, float, np.integer,
                                                         np.floating)))


def number_column(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rule on a whole column: (values, absent, refused). `values` is float64 with NaN
    where the cell is absent or refused. Vectorised: Python looks only at cells that did
    not read as numbers (and at each cell when the column mixes in true/false or dates).
    An infinity is left in `values`: every field's range refuses it ("is out of range")."""
    if series.dtype.kind in "fiu":
        values = series.to_numpy(dtype=np.float64)
        return values, np.isnan(values), np.zeros(len(values), bool)
    raw = series.to_numpy(dtype=object)
    absent = pd.isna(raw)
    if absent.all():
        return np.full(len(raw), np.nan), absent, np.zeros(len(raw), bool)
    values = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=np.float64)
    refused = ~absent & np.isnan(values)  # "1_000" too: to_numeric does not read it
    if pd.api.types.infer_dtype(raw, skipna=True) not in _PLAIN_KINDS:
        refused |= np.fromiter(map(_not_numeric_type, raw), dtype=bool, count=len(raw))
    rows = np.flatnonzero(refused)
    if len(rows):  # blank text is absent, not refused
        blank = np.fromiter((isinstance(v, str) and not v.strip() for v in raw[rows]),
                            dtype=bool, count=len(rows))
        absent[rows[blank]], refused[rows[blank]] = True, False
    return np.where(refused | absent, np.nan, values), absent, refused
