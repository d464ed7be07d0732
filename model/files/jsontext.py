"""Fast, readable JSON text for scenario files: indented, one node or edge per line.

Node and edge records are encoded column by column (one type check per column, not per
value), which is several times faster than one json.dumps call per record on a network of
100,000 firms. Floats are written as Python's shortest exact repr, as json does.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from json.encoder import encode_basestring, encode_basestring_ascii

import numpy as np

from model.errors import InputError


class Lines(list):
    """Records already encoded as JSON, one per line."""


def record_lines(columns: list, rows: int, ascii_only: bool) -> list[str]:
    """One JSON object per row from (name, values, keep) columns of `tables`."""
    quote = encode_basestring_ascii if ascii_only else encode_basestring
    parts = []
    for name, values, keep in columns:
        rows_with = np.flatnonzero(keep).tolist()
        if not rows_with:
            continue
        prefix = quote(name) + ": "
        texts = _encode_all([values[i] for i in rows_with], quote, name)
        column: list[str | None] = [None] * rows
        for row, text in zip(rows_with, texts):
            column[row] = prefix + text
        parts.append(column)
    if not parts:
        return ["{}"] * rows
    return ["{" + ", ".join([p for p in row if p is not None]) + "}" for row in zip(*parts)]


def _encode_all(values: list, quote: Callable[[str], str], column: str) -> list[str]:
    kinds = set(map(type, values))
    try:
        if kinds == {float}:
            if not all(map(math.isfinite, values)):
                raise ValueError(next(v for v in values if not math.isfinite(v)))
            return list(map(float.__repr__, values))  # what json writes: the exact repr
        if kinds == {str}:
            return list(map(quote, values))
        return [_json_value(v, quote) for v in values]
    except ValueError as exc:
        raise InputError(f"the column {column!r} holds {exc}, which JSON cannot store",
                         fix="replace it by a finite number or leave it empty") from None


def _json_value(value: object, quote: Callable[[str], str]) -> str:
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(repr(value))
    return json.dumps(value, ensure_ascii=quote is encode_basestring_ascii, allow_nan=False)


def make_encoder(*, ascii_only: bool) -> json.JSONEncoder:
    return json.JSONEncoder(ensure_ascii=ascii_only, allow_nan=False, separators=(", ", ": "))


def layout(value: object, depth: int, encoder: json.JSONEncoder) -> str:
    """Objects and lists of objects indented; Lines one per line; the rest compact."""
    pad, end = "  " * (depth + 1), "  " * depth
    if isinstance(value, Lines):
        return f"[\n{pad}" + f",\n{pad}".join(value) + f"\n{end}]" if value else "[]"
    if isinstance(value, dict) and value:
        items = [f"{pad}{encoder.encode(str(k))}: {layout(v, depth + 1, encoder)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        items = [pad + layout(v, depth + 1, encoder) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + end + "]"
    return encoder.encode(value)
