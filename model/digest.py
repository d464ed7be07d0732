"""The content digest of a network's tables, for provenance (the hashes in every output).

sha256 over the column names, the row counts and every column's values. An edge's two ends
enter as the node rows they name, not as id strings: the same content (node ids are part
of the digest and unique), at a fraction of the cost on a million-firm network.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

ENDS = ("source", "target")


def network_digest(network) -> str:
    digest = hashlib.sha256()
    rows = dict(zip(ENDS, network.edge_rows))
    for frame, by_row in ((network.nodes, {}), (network.edges, rows)):
        digest.update(json.dumps([str(c) for c in frame.columns]).encode())
        digest.update(str(len(frame)).encode())
        for column in frame.columns:
            row = by_row.get(column)
            if row is not None and (not len(row) or row.min() >= 0):
                digest.update(row.astype(np.int64).tobytes())
            else:  # an end that names no node (a drawing being made): its text
                digest.update(column_bytes(frame[column]))
    return digest.hexdigest()


def column_bytes(column: pd.Series) -> bytes:
    values = column.to_numpy()
    if values.dtype.kind in "biu":
        return values.astype(np.int64).tobytes()
    if values.dtype.kind == "f":
        return np.where(np.isnan(values), -0.0, values).tobytes() + np.isnan(values).tobytes()
    try:
        text = "\x1f".join(values.tolist())
    except TypeError:  # not all strings
        text = "\x1f".join(map(str, values))
    return text.encode("utf-8", "surrogatepass")
