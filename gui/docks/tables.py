"""The final platforms, zones and firms of the base-seed run: sortable, filterable tables
whose selection follows the canvas and leads it (select a row: select and centre its node)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

TABLES = ("platforms", "zones", "firms")
FIT_ROWS = 40  # rows measured when fitting column widths


class FrameModel(QAbstractTableModel):
    """A read-only view of a DataFrame, sorted and filtered by one array of row numbers.

    Sorting (whole columns, numpy) and filtering (one mask per text) both happen here, not
    row by row in a QSortFilterProxyModel: a final state may hold 100,000 firms, and a
    proxy maps every row again on each reset (a quarter of a second at that size)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.frame = pd.DataFrame()
        self._values: list[np.ndarray] = []
        self._sorted = np.zeros(0, dtype=np.int64)  # every frame row, in the sort order
        self._mask: np.ndarray | None = None  # frame rows matching the filter (None: all)
        self._order = self._sorted  # shown row -> frame row
        self._haystack: pd.Series | None = None  # lower-case text of each frame row
        self._text = ""

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame.reset_index(drop=True)
        self._values = [self.frame[c].to_numpy() for c in self.frame.columns]
        self._sorted = np.arange(len(self.frame))
        self._haystack = None
        self._mask = self._matches(self._text)
        self._order = self._shown()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._text = text.strip()
        self._mask = self._matches(self._text)
        self._order = self._shown()
        self.endResetModel()

    def total(self) -> int:
        return len(self.frame)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.frame.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self._values[index.column()][self._order[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (float, int,
                                                                              np.number)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return str(self.frame.columns[section]).replace("_", " ")
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._values):
            return
        self.layoutAboutToBeChanged.emit()
        keys = self.frame.iloc[:, column]
        if not (pd.api.types.is_numeric_dtype(keys) or pd.api.types.is_bool_dtype(keys)):
            keys = keys.astype("string").str.lower()  # text: case-insensitive
        # empty cells last in both directions, as a spreadsheet does
        ranks = keys.rank(method="first", na_option="bottom",
                          ascending=order == Qt.SortOrder.AscendingOrder).to_numpy()
        self._sorted = np.argsort(ranks, kind="stable")
        self._order = self._shown()
        self.layoutChanged.emit()

    def _shown(self) -> np.ndarray:
        return self._sorted if self._mask is None else self._sorted[self._mask[self._sorted]]

    def _matches(self, text: str) -> np.ndarray | None:
        """Per frame row: does any column contain the text (case-insensitive)."""
        if not text:
            return None
        if self._haystack is None:
            joined = pd.Series([""] * len(self.frame), dtype="string")
            for column in self.frame.columns:
                joined = joined + "\x1f" + self.frame[column].astype("string").fillna("")
            self._haystack = joined.str.lower()
        return self._haystack.str.contains(text.lower(), regex=False).to_numpy(bool)

    def node_id(self, row: int) -> str:
        return str(self.frame["id"].iloc[self._order[row]]) if "id" in self.frame else ""

    def row_of(self, node_id: str) -> int:
        """The shown row of a node; -1 when it is absent or filtered out."""
        if "id" not in self.frame:
            return -1
        ids = self._values[list(self.frame.columns).index("id")][self._order]
        hits = np.flatnonzero(ids == node_id)
        return int(hits[0]) if len(hits) else -1


def _text(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    return str(value)


class FrameTable(QWidget):
    """One table with its filter box."""

    node_chosen = Signal(str)

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.model = FrameModel(self)
        self.filter = QLineEdit(self)
        self.filter.setObjectName(f"filter_{name}")
        self.filter.setPlaceholderText(f"Filter {name} (any column)…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.model.set_filter)
        self.count = QLabel(self)
        self.view = QTableView(self)
        self.view.setObjectName(f"table_{name}")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        # rows sampled for column widths: measuring text is the slow part of filling a table
        self.view.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.model.modelReset.connect(self._count)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._quiet = False
        self._unfitted = False

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_frame(frame)  # keeps the filter's text
        self._unfitted = True
        if self.isVisible():  # a hidden tab fits its columns when first shown
            self._fit_columns()
        self._count()

    def _fit_columns(self) -> None:
        self._unfitted = False
        self.view.resizeColumnsToContents()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._unfitted:
            self._fit_columns()

    def _count(self, *_args) -> None:
        self.count.setText(f"{self.model.rowCount():,} of {self.model.total():,}")

    def _selected(self, *_args) -> None:
        if self._quiet:
            return
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.node_chosen.emit(self.model.node_id(rows[0].row()))

    def select_node(self, node_id: str) -> bool:
        """Selects the node's row without announcing it (the canvas chose it)."""
        row = self.model.row_of(node_id)
        self._quiet = True
        try:
            if row < 0:
                self.view.clearSelection()
                return False
            index = self.model.index(row, 0)
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | \
                QItemSelectionModel.SelectionFlag.Rows
            self.view.selectionModel().select(index, flags)
            self.view.scrollTo(index)
            return True
        finally:
            self._quiet = False


class ResultTables(QTabWidget):
    """Platforms, Zones and Firms at the end of the base-seed run."""

    node_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("resultTables")
        self.tables = {name: FrameTable(name, self) for name in TABLES}
        for name, table in self.tables.items():
            self.addTab(table, name.capitalize())
            table.node_chosen.connect(self.node_chosen)

    def set_result(self, result) -> None:
        """A run's final tables; None: empty tables (no result to show)."""
        for name, table in self.tables.items():
            frame = getattr(result, name) if result is not None else None
            table.set_frame(frame if frame is not None else table.model.frame.iloc[0:0])

    def select_node(self, node_id: str) -> None:
        found = [t for t in self.tables.values() if t.select_node(node_id)]
        if found and self.currentWidget() not in found:
            self.setCurrentWidget(found[0])
