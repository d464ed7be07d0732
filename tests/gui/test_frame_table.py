"""The result tables' model: sorting and filtering through one order of rows (no proxy),
so that 100,000 firms fill, sort and filter quickly and stay consistent."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from gui.docks.tables import FrameTable  # noqa: E402


def _frame(n=6):
    return pd.DataFrame({"id": [f"f{i}" for i in range(n)],
                         "name": ["Alpha", "beta", "Gamma", "alpha two", "Delta", "omega"][:n],
                         "capability": [3.0, 1.0, np.nan, 5.0, 2.0, 4.0][:n]})


def _ids(table):
    return [table.model.node_id(row) for row in range(table.model.rowCount())]


def test_sort_then_filter_keeps_the_order_and_counts(qtbot):
    table = FrameTable("firms")
    qtbot.addWidget(table)
    table.set_frame(_frame())
    table.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert _ids(table) == ["f3", "f5", "f0", "f4", "f1", "f2"]  # the empty cell last
    table.filter.setText("ALPHA")  # any column, any case
    assert _ids(table) == ["f3", "f0"] and table.count.text() == "2 of 6"
    assert table.model.row_of("f0") == 1 and table.model.row_of("f1") == -1
    assert table.model.index(1, 1).data() == "Alpha"
    table.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # text: case-insensitive
    assert _ids(table) == ["f3", "f0"]
    table.filter.setText("")
    table.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert _ids(table) == ["f0", "f3", "f1", "f4", "f2", "f5"]
    table.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert _ids(table) == ["f1", "f4", "f0", "f5", "f3", "f2"]


def test_a_new_frame_keeps_the_filter_and_drops_the_sort(qtbot):
    table = FrameTable("firms")
    qtbot.addWidget(table)
    table.set_frame(_frame())
    table.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    table.filter.setText("a")
    table.set_frame(_frame(5))
    assert table.view.horizontalHeader().sortIndicatorSection() == -1
    assert _ids(table) == ["f0", "f1", "f2", "f3", "f4"]  # frame order, all contain "a"
    table.filter.setText("delta")
    assert _ids(table) == ["f4"] and table.count.text() == "1 of 5"
    table.filter.setText("")
    assert table.count.text() == "5 of 5"


def test_selecting_a_filtered_out_node_clears_the_selection(qtbot):
    table = FrameTable("firms")
    qtbot.addWidget(table)
    table.set_frame(_frame())
    assert table.select_node("f4")
    assert table.view.selectionModel().selectedRows()[0].row() == 4
    table.filter.setText("omega")
    assert not table.select_node("f4") and not table.view.selectionModel().selectedRows()
    with qtbot.waitSignal(table.node_chosen) as chosen:
        table.view.selectRow(0)
    assert chosen.args == ["f5"]
