"""When a node or edge takes part in a run: its `appears` and `vanishes` quarters.

A node or edge with an empty `appears` takes part from the start, one with an empty
`vanishes` to the end; `appears` is the first quarter it takes part, `vanishes` the first
quarter it no longer does (so a window is [appears, vanishes)). An edge takes part while
its own window and both its ends' windows are open (docs/scenario-format.md).

The tables keep the quarters as text ("2019Q3"); `window_indices` turns a column into
quarter indices (`model.calendar.Quarter.index`) with sentinels for "always" and "never",
which the engine compares with the quarter of each step.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from model import schema
from model.calendar import Quarter
from model.errors import InputError

ALWAYS = -(2 ** 40)  # appears: before any quarter
NEVER = 2 ** 40  # vanishes: after any quarter
FIX = "write a quarter as YEAR then Q and 1 to 4, e.g. 2019Q3, or leave it empty"


def parse_column(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(labels, refused): each cell as a quarter label ("2019Q3"; "" when empty) and the
    cells that are not a quarter (left as they were, for the message). Only the distinct
    non-empty values are parsed, so a column of a million empty cells costs one pass."""
    raw = values.to_numpy(dtype=object)
    filled = ~pd.isna(raw) & (raw != "")
    labels = np.full(len(raw), "", dtype=object)
    bad = np.zeros(len(raw), dtype=bool)
    if filled.any():
        distinct, where = np.unique(raw[filled].astype(str), return_inverse=True)
        parsed, refused = [], []
        for item in distinct.tolist():
            item = item.strip()
            try:
                parsed.append(Quarter.parse(item).label if item else "")
                refused.append(False)
            except InputError:
                parsed.append(item)
                refused.append(True)
        labels[filled] = np.array(parsed, dtype=object)[where.reshape(-1)]
        bad[filled] = np.array(refused)[where.reshape(-1)]
    return pd.Series(labels, index=values.index, dtype="str"), bad


def window_indices(labels, empty: int) -> np.ndarray:
    """Quarter index of each label; `empty` (ALWAYS or NEVER) where there is none."""
    raw = np.asarray(labels, dtype=object)
    out = np.full(len(raw), empty, dtype=np.int64)
    filled = ~pd.isna(raw) & (raw != "")
    if filled.any():
        distinct, where = np.unique(raw[filled].astype(str), return_inverse=True)
        index = np.array([Quarter.parse(text).index for text in distinct.tolist()],
                         dtype=np.int64)
        out[filled] = index[where.reshape(-1)]
    return out


def node_windows(nodes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(appears, vanishes) quarter indices of every node row."""
    return (_column(nodes, "appears", ALWAYS), _column(nodes, "vanishes", NEVER))


def edge_windows(edges: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return (_column(edges, "appears", ALWAYS), _column(edges, "vanishes", NEVER))


def _column(frame: pd.DataFrame, name: str, empty: int) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), empty, dtype=np.int64)
    return window_indices(frame[name].to_numpy(dtype=object), empty)


def has_windows(frame: pd.DataFrame) -> bool:
    """Whether any row has a quarter (normalised tables hold "" where there is none)."""
    for name in schema.WINDOW_FIELDS:
        if name in frame.columns:
            values = frame[name].to_numpy(dtype=object)
            # fast pass: "" is falsy (NaN is not, so a truthy cell is checked again)
            if len(values) and values.astype(bool).any() and \
                    bool(((values != "") & pd.notna(values)).any()):
                return True
    return False


def label(index: int) -> str:
    return Quarter(int(index)).label


def window_problems(nodes: pd.DataFrame, edges: pd.DataFrame, source: np.ndarray,
                    target: np.ndarray, etype: np.ndarray) -> list[tuple[str, int, str, str]]:
    """Rules across rows, as (rule, row, message, fix); row is a node row for node rules
    and an edge row (as -1 - row) for edge rules. `source`, `target`: each edge's node rows
    (-1 when missing); `etype`: each edge's type name."""
    on, off = node_windows(nodes)
    out = []
    for row in np.flatnonzero(off <= on)[:50].tolist():
        out.append(("window-order", row, f"vanishes ({label(off[row])}) is not after "
                    f"appears ({label(on[row])})", "give a vanishing quarter after the "
                    "appearing one, or leave one empty"))
    e_on, e_off = edge_windows(edges)
    ok = (source >= 0) & (target >= 0)
    s, t = np.maximum(source, 0), np.maximum(target, 0)
    for row in np.flatnonzero(e_off <= e_on)[:50].tolist():
        out.append(("window-order", -1 - row, f"vanishes ({label(e_off[row])}) is not after "
                    f"appears ({label(e_on[row])})", "give a vanishing quarter after the "
                    "appearing one, or leave one empty"))
    early = ok & (e_on != ALWAYS) & (e_on < np.maximum(on[s], on[t]))
    for row in np.flatnonzero(early)[:50].tolist():
        out.append(("window-edge", -1 - row, f"edge appears ({label(e_on[row])}) before an "
                    f"end node does ({label(max(on[s[row]], on[t[row]]))})",
                    "an edge takes part only while both its ends do: give a later quarter "
                    "or leave it empty"))
    late = ok & (e_off != NEVER) & (e_off > np.minimum(off[s], off[t]))
    for row in np.flatnonzero(late)[:50].tolist():
        out.append(("window-edge", -1 - row, f"edge vanishes ({label(e_off[row])}) after an "
                    f"end node does ({label(min(off[s[row]], off[t[row]]))})",
                    "give an earlier quarter or leave it empty"))
    operates = ok & (etype == "operates")
    firm, plat = source[operates], target[operates]
    outside = (on[firm] > on[plat]) | (off[firm] < off[plat])
    for f, p in zip(firm[outside][:50].tolist(), plat[outside][:50].tolist()):
        out.append(("window-operator", p, "platform takes part while its operator "
                    f"{nodes['id'].iloc[f]!r} does not", "let the operator appear no later "
                    "and vanish no earlier than the platform"))
    return out
