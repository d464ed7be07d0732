"""The tornado chart of a sensitivity run: for one end metric, how far each lever moves it
when set low or high (horizontal bars, widest swing on top)."""
from __future__ import annotations

import pandas as pd
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from model.engine import METRIC

LOW_COLOUR, HIGH_COLOUR = "#0072B2", "#D55E00"
BAR_HEIGHT = 0.36


class MetricChart(QWidget):
    """A chart of one end metric at a time: the metric chooser, a note beside it, and a
    white plot with a vertical grid and a legend (subclasses draw in `_draw`)."""

    def __init__(self, name: str, chooser_name: str, note: str, parent=None, **legend):
        super().__init__(parent)
        self.setObjectName(name)
        self.chooser = QComboBox(self)
        self.chooser.setObjectName(chooser_name)
        self.chooser.currentIndexChanged.connect(self._draw)
        self.note = QLabel(note, self)
        self.note.setWordWrap(True)
        self.canvas = pg.PlotWidget(background="w")
        self.plot = self.canvas.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, alpha=0.25)
        # bottom right: the bars are sorted largest first, so the smallest are down there
        self.legend = self.plot.addLegend(offset=(-10, -10), **legend)
        top = QHBoxLayout()
        top.addWidget(QLabel("End metric:", self))
        top.addWidget(self.chooser)
        top.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)

    def _draw(self, *_args) -> None:
        raise NotImplementedError


class TornadoChart(MetricChart):
    def __init__(self, parent=None):
        super().__init__("tornadoChart", "tornadoMetric", "Run a sensitivity analysis "
                         "(Simulation menu) to see which lever matters most", parent)
        self.table: pd.DataFrame | None = None
        self.bars: list[pg.BarGraphItem] = []

    def set_table(self, table: pd.DataFrame | None) -> None:
        self.table = table
        self.chooser.blockSignals(True)
        self.chooser.clear()
        if table is not None:
            for key in dict.fromkeys(table["metric"]):
                self.chooser.addItem(METRIC[key].label, key)
        self.chooser.blockSignals(False)
        self._draw()

    def _draw(self, *_args) -> None:
        self.plot.clear()
        self.bars = []
        if self.table is None or self.chooser.currentData() is None:
            return
        key = self.chooser.currentData()
        rows = self.table[self.table["metric"] == key].sort_values("swing")
        ys = list(range(len(rows)))
        low = rows["low_change"].to_numpy(float)
        high = rows["high_change"].to_numpy(float)
        for values, colour, name, shift in ((low, LOW_COLOUR, "lever low", -0.19),
                                            (high, HIGH_COLOUR, "lever high", 0.19)):
            bar = pg.BarGraphItem(x0=[min(0.0, v) for v in values], width=[abs(v) for v in values],
                                  y=[y + shift for y in ys], height=BAR_HEIGHT,
                                  brush=colour, pen=pg.mkPen(colour), name=name)
            self.plot.addItem(bar)
            self.bars.append(bar)
        self.plot.addLine(x=0, pen=pg.mkPen("#333", width=1))
        ticks = [(y, f"{label} ({lo:g}–{hi:g})") for y, label, lo, hi in
                 zip(ys, rows["label"], rows["low"], rows["high"])]
        self.plot.getAxis("left").setTicks([ticks])
        metric = METRIC[key]
        base = float(rows["base_end"].iloc[0]) if len(rows) else 0.0
        self.plot.setLabel("bottom", f"change of {metric.label} at the end "
                                     f"(base {base:,.4g})")
        self.note.setText("Bars: the change of the end value (mean over runs) when one lever "
                          "is set to its low or high end, the others as they are.")
