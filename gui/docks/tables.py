"""The final platforms, zones and firms of the base-seed run: sortable, filterable tables
whose selection follows the canvas and leads it (select a row: select and centre its node)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from PySide6.QtCore import (QAbstractTableModel, QItemSelectionModel, QModelIndex,
                            QSortFilterProxyModel, Qt, Signal)
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
TABLES = ("platforms", "zones", "firms")


class FrameModel(QAbstractTableModel):
    """A read-only view of a DataFrame: text for display, raw values for sorting.

    Sorting happens here, on whole columns (numpy), not row pair by row pair in the proxy:
    a final state may hold 100,000 firms. The filter's text per row is built once."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.frame = pd.DataFrame()
        self._values: list[np.ndarray] = []
        self._order = np.zeros(0, dtype=np.int64)  # shown row -> frame row
        self._haystack: pd.Series | None = None  # lower-case text of each frame row

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame.reset_index(drop=True)
        self._values = [self.frame[c].to_numpy() for c in self.frame.columns]
        self._order = np.arange(len(self.frame))
        self._haystack = None
        self.endResetModel()

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
        if role == SORT_ROLE:
            return _sort_key(value)
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
        ranks = keys.rank(method="first", na_option="bottom").to_numpy()
        if keys.dtype == object:  # text: case-insensitive
            ranks = keys.astype(str).str.lower().rank(method="first").to_numpy()
        self._order = np.argsort(ranks, kind="stable")
        if order == Qt.SortOrder.DescendingOrder:
            self._order = self._order[::-1].copy()
        self.layoutChanged.emit()

    def matches(self, text: str) -> np.ndarray:
        """Per shown row: does any column contain the text (case-insensitive)."""
        if self._haystack is None:
            joined = pd.Series([""] * len(self.frame), dtype="string")
            for column in self.frame.columns:
                joined = joined + "\x1f" + self.frame[column].astype("string").fillna("")
            self._haystack = joined.str.lower()
        found = self._haystack.str.contains(text.lower(), regex=False).to_numpy(bool)
        return found[self._order]

    def node_id(self, row: int) -> str:
        return str(self.frame["id"].iloc[self._order[row]]) if "id" in self.frame else ""

    def row_of(self, node_id: str) -> int:
        if "id" not in self.frame:
            return -1
        ids = self._values[list(self.frame.columns).index("id")][self._order]
        hits = np.flatnonzero(ids == node_id)
        return int(hits[0]) if len(hits) else -1


class FrameProxy(QSortFilterProxyModel):
    """Sorting goes to the model (whole columns at once); the filter is one mask per text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._mask: np.ndarray | None = None
        self._text = ""

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)
        self._refilter()

    def set_text(self, text: str) -> None:
        self._text = text.strip()
        self._refilter()

    def _refilter(self) -> None:
        model = self.sourceModel()
        self.beginFilterChange()  # Qt 6.11: replaces the deprecated invalidateRowsFilter
        self._mask = model.matches(self._text) if self._text else None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:
        return True if self._mask is None else bool(self._mask[row])


def _text(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    return str(value)


def _sort_key(value):
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return -math.inf if math.isnan(value) else float(value)
    return str(value).lower()


class FrameTable(QWidget):
    """One table with its filter box."""

    node_chosen = Signal(str)

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.model = FrameModel(self)
        self.proxy = FrameProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit(self)
        self.filter.setObjectName(f"filter_{name}")
        self.filter.setPlaceholderText(f"Filter {name} (any column)…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_text)
        self.count = QLabel(self)
        self.view = QTableView(self)
        self.view.setObjectName(f"table_{name}")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setResizeContentsPrecision(100)  # rows sampled for widths
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)
        self.filter.textChanged.connect(self._count)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._quiet = False

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.model.set_frame(frame)
        if self.filter.text().strip():
            self.proxy.set_text(self.filter.text())
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.resizeColumnsToContents()
        self._count()

    def _count(self, *_args) -> None:
        self.count.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()}")

    def _selected(self, *_args) -> None:
        if self._quiet:
            return
        rows = self.view.selectionModel().selectedRows()
        if rows:
            source = self.proxy.mapToSource(rows[0])
            self.node_chosen.emit(self.model.node_id(source.row()))

    def select_node(self, node_id: str) -> bool:
        """Selects the node's row without announcing it (the canvas chose it)."""
        row = self.model.row_of(node_id)
        self._quiet = True
        try:
            if row < 0:
                self.view.clearSelection()
                return False
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if not index.isValid():  # filtered out
                self.view.clearSelection()
                return False
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
        for name, table in self.tables.items():
            table.set_frame(getattr(result, name))

    def select_node(self, node_id: str) -> None:
        found = [t for t in self.tables.values() if t.select_node(node_id)]
        if found and self.currentWidget() not in found:
            self.setCurrentWidget(found[0])
